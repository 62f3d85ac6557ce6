"""PyTorch training loops and the train()/eval() state of models.

- A *training loop* is a `for`/`while` loop whose body (not counting nested functions) calls
  `.backward()`; what it iterates over is recorded (`for x, y in loader`, `enumerate(loader)`,
  `tqdm(loader)`).
- `mode_calls` lists `.train()`, `.train(True|False|unknown)` and `.eval()` calls by the text of
  the object they are called on, with the function they sit in, so a rule can ask whether a
  model is in eval mode when a loop runs: eval set earlier in the same function (or in a
  module function called earlier with the model as argument) and not set back by `.train()`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bnlint import catalogue
from bnlint.semantic.batches import iterated

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import SemanticModel

_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(eq=False)
class TrainingLoop:
    loop: ast.For | ast.AsyncFor | ast.While
    backward: list[ast.Call]
    iterables: list[ast.expr] = field(default_factory=list)  # what a `for` iterates over, unwrapped
    calls: list[ast.Call] = field(default_factory=list)  # every call in the body


@dataclass(eq=False)
class ExternalFeed:
    """A training loop over a parameter other modules fill: `binding` is the parameter of the
    function they call (read at `key` when the loop iterates `param[key]`)."""

    binding: object
    key: object
    loop: TrainingLoop
    iterable: ast.expr
    called: ast.Call  # the model call the loop trains
    contents: object  # what that model holds; None when other modules pass the model in too
    # the parameter the model comes from when other modules pass it in (`Learner(model=net,
    # train_loader=loader)`): its content is read at their calls
    model_binding: object = None


@dataclass(eq=False)
class ModeCall:
    call: ast.Call
    target: str  # `ast.dump` of the object (`model`, `self.net`)
    mode: str  # train | eval | unknown
    function: ast.AST | None
    # no mode call at all: `call` builds the module, and a new PyTorch module is in training mode
    fresh: bool = False
    # `call` is a helper's call that returns the module in `mode` (`net = load_backbone()`)
    returned_by: str | None = None
    # no mode call at all, and this training loop (around `call`, a call of the model in it) trained
    # it before: it is still in training mode
    trained_in: ast.AST | None = None


class TorchFlow:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self.index = model.index
        self.mode_calls: list[ModeCall] = []
        self.training_loops: list[TrainingLoop] = []
        self._training_loop_calls: set[int] | None = None
        self._returning: set = set()  # names whose helper-returned mode is being read
        self._next_drawing: set | None = None  # ids of the functions (None: top level) calling next()
        self._find_mode_calls()
        self._find_training_loops()

    # ---- .train() / .eval() --------------------------------------------------------------
    def _find_mode_calls(self) -> None:
        for call in self.index.calls:
            func = call.func
            if not isinstance(func, ast.Attribute) or func.attr not in ("train", "eval"):
                continue
            if self.index.unreachable(call):
                continue  # `return acc` then `model.train()`: never runs
            if not self._module_mode_signature(call):
                continue  # `training_utils.train(model, loader)`, `trainer.train(epochs=3)`
            if func.attr == "eval":
                if call.args or call.keywords:
                    continue
                mode = "eval"
            elif not call.args and not call.keywords:
                mode = "train"
            else:
                flag = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "mode"), None)
                value = self.model.const(flag)
                mode = {True: "train", False: "eval"}.get(value, "unknown") if isinstance(value, bool) else "unknown"
            self.mode_calls.append(ModeCall(call, ast.dump(func.value), mode, self.index.enclosing_function(call)))
            receiver = func.value
            while isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) \
                    and receiver.func.attr in catalogue.MODULE_METHODS_RETURNING_SELF:
                # `model.to(device).eval()`: `.to()` hands back the module itself
                receiver = receiver.func.value
                self.mode_calls.append(ModeCall(call, ast.dump(receiver), mode, self.index.enclosing_function(call)))
            statement = self.index.parents.get(call)
            if (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1
                    and isinstance(statement.targets[0], (ast.Name, ast.Attribute))):
                # `net = Net().to(device).eval()`, `self.target = copy.deepcopy(self.net).eval()`: the
                # name is bound to a module in that mode
                target = statement.targets[0]
                key = ast.dump(ast.Name(id=target.id, ctx=ast.Load())) if isinstance(target, ast.Name) else \
                    ast.dump(ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load()))
                self.mode_calls.append(ModeCall(call, key, mode, self.index.enclosing_function(call)))
        self._find_submodule_freezes()

    def _module_mode_signature(self, call: ast.Call) -> bool:
        """Whether a `.train(...)`/`.eval(...)` call can be `nn.Module.train(mode=True)`: at most one
        argument (`mode`), on something that is not an imported module (a module function named
        `train` is a training helper, not a mode switch)."""
        if len(call.args) > 1 or any(k.arg != "mode" for k in call.keywords) or (call.args and call.keywords):
            return False
        receiver = call.func.value
        if isinstance(receiver, ast.Name):
            bindings = self.index.lookup(receiver.id, self.index.scope_of(call))
            if bindings and all(b.kind == "import" and isinstance(b.node, ast.Import) for b in bindings):
                return False
        return True

    def _find_submodule_freezes(self) -> None:
        """`model.apply(set_bn_eval)` with `def set_bn_eval(m): ... m.eval()`, and
        `for m in model.modules(): if isinstance(m, nn.BatchNorm2d): m.eval()`: the model's
        (normalization) layers are put in eval mode, which is what the rules ask of the model.
        Recorded as an eval of the model at the call or at the `m.eval()` in the loop."""
        evals = [m for m in self.mode_calls if m.mode == "eval"]
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "apply" and len(call.args) == 1):
                continue
            target = self.model.models._local_definition(call.args[0], self.index.scope_of(call))
            if not isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)) or not target.args.args:
                continue
            param = ast.dump(ast.Name(id=target.args.args[0].arg, ctx=ast.Load()))
            if any(m.function is target and m.target == param for m in evals):
                self.mode_calls.append(ModeCall(call, ast.dump(func.value), "eval", self.index.enclosing_function(call)))
        for mode_call in evals:
            for ancestor in self.index.ancestors(mode_call.call):
                if isinstance(ancestor, _BOUNDARIES):
                    break
                if not isinstance(ancestor, (ast.For, ast.AsyncFor)):
                    continue
                iterable, variable = ancestor.iter, ancestor.target
                if isinstance(variable, ast.Tuple) and len(variable.elts) == 2:
                    variable = variable.elts[1]  # `for name, m in model.named_modules()`
                if (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute)
                        and iterable.func.attr in ("modules", "children", "named_modules", "named_children")
                        and isinstance(variable, ast.Name)
                        and mode_call.target == ast.dump(ast.Name(id=variable.id, ctx=ast.Load()))):
                    self.mode_calls.append(ModeCall(mode_call.call, ast.dump(iterable.func.value), "eval",
                                                    mode_call.function))
                    break

    def eval_before(self, model_expr: ast.AST, node: ast.AST) -> ModeCall | None:
        """The last mode call on `model_expr` before `node` in its function (or in a module
        function called before it with the model), when that call may leave it in eval mode."""
        last = self.last_mode(model_expr, node)
        return last if last is not None and last.mode in ("eval", "unknown") else None

    def trained_models(self, loop: "TrainingLoop") -> list[tuple[ast.Call, object]]:
        """(call, contents) for the calls of PyTorch models with BatchNorm in a training loop's
        body that may be in training mode there, outside `no_grad` (each call: one arm of an
        `if` may batch the examples and the other run them one by one)."""
        from bnlint.semantic.training import called_model

        found = []
        for call in loop.calls:
            target = called_model(call)  # `net(x)`, `net.forward(x)`, `encoders[step - 1](x)`
            if not isinstance(target, (ast.Name, ast.Attribute)) and not (
                    isinstance(target, ast.Subscript) and not isinstance(target.slice, ast.Slice)):
                continue
            held = self.trainer_method_model(call)
            if held is not None:
                found.append((call, held))
                continue
            target = self.model_run(call) or target
            contents = self.model.models.contents_of(target)
            if contents is None or not contents.torch_bn_seen:
                continue
            if not self.may_train_at(target, call):
                continue
            if self.no_grad_context(call) is not None:
                continue  # an evaluation pass inside the training loop (`with torch.no_grad():`)
            if self.norms_kept_in_eval(target):
                continue  # its class's `train()` puts the BatchNorm layers back in eval mode
            found.append((call, contents))
        return found

    def norms_kept_in_eval(self, model_expr: ast.AST) -> bool:
        """The model's class (or a base class, also of another project module: a mixin) overrides
        `train()` to put its normalization layers back in eval mode (`def train(self, mode=True):
        super().train(mode); for m in self.modules(): if isinstance(m, nn.BatchNorm2d): m.eval()`),
        so the model never normalizes with batch statistics."""
        from bnlint.semantic.models import instance_class

        owner = instance_class(self.model.models, model_expr)
        if owner is None or owner[1] is None:
            return False
        self_key = ast.dump(ast.Name(id="self", ctx=ast.Load()))
        return any(isinstance(method, ast.FunctionDef) and method.name == "train" and any(
                       m.function is method and m.mode == "eval" and m.target == self_key
                       for m in home.model.torchflow.mode_calls)
                   for home, cls in owner[0].lineage(owner[1]) for method in cls.body)

    def trainer_method_model(self, call: ast.Call):
        """`model.optimize(data)` on an object whose method runs a training step (backward) through
        a network it holds (`self.generator(x)`): what that network contains, when it has
        BatchNorm. None otherwise. The class may be a module itself (`FasterRCNNTrainer(nn.Module)`
        holding `self.faster_rcnn`, whose `train_step` runs `self.forward(...)` and backward())."""
        from bnlint.semantic.models import instance_class
        from bnlint.semantic.training import called_model

        func = call.func
        if not isinstance(func, ast.Attribute) or (isinstance(func.value, ast.Name) and func.value.id == "self"):
            return None
        owner = instance_class(self.model.models, func.value)
        if owner is None or owner[1] is None:
            return None
        home, cls = owner
        method = next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and s.name == func.attr), None)
        if method is None:
            return None
        # the method's calls, and those of the sibling methods it calls (`fake = self.forward(x)`,
        # `self.backward_generator()`)
        calls, methods = list(home.calls_within(method)), {method}
        for inner in list(calls):
            if (isinstance(inner.func, ast.Attribute) and isinstance(inner.func.value, ast.Name)
                    and inner.func.value.id == "self"):
                sibling = next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                                and s.name == inner.func.attr), None)
                if sibling is not None and sibling not in methods:
                    methods.add(sibling)
                    calls.extend(home.calls_within(sibling))
        if not any(_is_backward(c) for c in calls):
            return None
        for inner in calls:
            target = called_model(inner)
            while isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute):
                target = target.value  # `self.faster_rcnn.extractor(imgs)`: the network it holds
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id == "self"):
                continue
            contents = home.contents_of(target)
            if contents is None or not contents.torch_bn_seen:
                continue
            if home is not self.model.models:
                contents = self.model.models._foreign_contents(contents, home.model)
            return contents
        return None

    def model_run(self, call: ast.Call) -> ast.AST | None:
        """The model a call runs through the module's own code, when it is not the called object:
        `policy` for `policy.select_action(state)` (a method of the model that calls `self(...)`)
        and for `run_episode(env, policy)` (a helper that calls its model parameter)."""
        from bnlint.semantic.models import forwarding_calls, helper_model_calls

        if isinstance(call.func, ast.Attribute) and forwarding_calls(self.model.models, call):
            return call.func.value
        runs = helper_model_calls(self.model.models, call)
        return runs[0][1] if runs else None

    @property
    def externally_fed_loops(self) -> list["ExternalFeed"]:
        """The training loops of this module whose data is a parameter only other modules fill
        (`def train_model(model, dataloaders): for x, y in dataloaders[phase]`, called by a
        script with its loaders), with the model each trains: what a caller passes there is
        trained on."""
        cached = getattr(self, "_external_feeds", None)
        if cached is None:
            cached = []
            values = self.model.values
            for loop in self.training_loops:
                models = self.trained_models(loop)
                given = None
                if not models:
                    # `for batch in self.train_loader: ... self.model(x) ... backward()` with both
                    # handed to the constructor by another module: the model is known there
                    given = self._externally_given_model(loop)
                    if given is None:
                        continue
                for iterable in loop.iterables:
                    key, root = None, iterable
                    if isinstance(iterable, ast.Subscript) and isinstance(iterable.value, (ast.Name, ast.Attribute)):
                        key, root = self.model.const(iterable.slice), iterable.value
                    if not isinstance(root, (ast.Name, ast.Attribute)) or values.origins(root):
                        continue
                    for binding in values.uncalled_parameters(root):
                        if models:
                            cached.append(ExternalFeed(binding, key, loop, iterable, *models[0]))
                        elif given[1].scope is binding.scope:
                            cached.append(ExternalFeed(binding, key, loop, iterable, given[0], None, given[1]))
            self._external_feeds = cached
        return cached

    def _externally_given_model(self, loop: TrainingLoop):
        """(the model call, the parameter) for a training loop whose model comes only from a
        parameter other modules fill (`self.model` set from `__init__`'s `model`), when exactly
        one such model is run there."""
        # (the model is what an optimizer is built over: `optim.SGD(self.model.parameters())`,
        # not a callback or a metric the loop also calls)
        optimized = {ast.dump(c.func.value) for c in self.index.calls_named("parameters")
                     if isinstance(c.func, ast.Attribute)}
        found = {}
        for call in loop.calls:
            func = call.func
            if not call.args or ast.dump(func) not in optimized or not (isinstance(func, ast.Name) or (
                    isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self")):
                continue
            for binding in self.model.values.uncalled_parameters(func):
                found.setdefault(id(binding), (call, binding))
        return next(iter(found.values())) if len(found) == 1 else None

    def no_grad_context(self, node: ast.AST) -> ast.AST | None:
        """The `torch.no_grad()` / `torch.inference_mode()` a node runs under: a `with` around it
        in its function, or the function's decorator; None outside one."""
        for ancestor in self.index.ancestors(node):
            if isinstance(ancestor, (ast.With, ast.AsyncWith)):
                for item in ancestor.items:
                    expr = item.context_expr
                    if disables_grad(self.model, expr):
                        return expr
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for decorator in getattr(ancestor, "decorator_list", []):
                    if disables_grad(self.model, decorator):
                        return decorator
                return None
        return None

    def may_train_at(self, model_expr: ast.AST, node: ast.AST) -> bool:
        """The model may be in training mode at `node`: no mode call before it (a fresh module
        trains), a `.train()` last, or a last `.eval()` that has a `.train()` in the other branch
        of the same `if` (`if phase == "train": model.train() else: model.eval()`)."""
        last = self.last_mode(model_expr, node)
        if last is None and isinstance(model_expr, ast.Name):
            # a parameter: the mode its callers hand it over in (`fit_head(backbone, ...)` after
            # `backbone = load_backbone()`, which returns it in eval mode)
            entry = self.mode_on_entry(model_expr, self.index.enclosing_function(node))
            return entry is None or entry[0].mode != "eval"
        if last is None or last.mode == "train":
            return True
        key = ast.dump(model_expr)
        return any(m.target == key and m.mode == "train" and _other_branches(m.call, last.call, self.index)
                   for m in self.mode_calls)

    def last_mode(self, model_expr: ast.AST, node: ast.AST) -> ModeCall | None:
        """The last `.train()`/`.eval()` on `model_expr` before `node` in its function, helpers included."""
        key = ast.dump(model_expr)
        function = self.index.enclosing_function(node)
        before = [m for m in self.mode_calls if m.target == key and m.function is function
                  and _before(m.call, node)]
        before += self._helper_mode_calls(model_expr, function, node)
        if not before and function is not None and isinstance(model_expr, ast.Name):
            # a script's global model run by one of its functions: the mode the script's top level
            # puts it in (`model.eval()` after building it) is the one the function sees
            binding = self.model.values.binding_of(model_expr)
            if binding is not None and binding.scope is self.index.module_scope:
                before = [m for m in self.mode_calls if m.target == key and m.function is None]
        rebound = self._rebinding(model_expr)
        if rebound is not None:
            # `model = B_VAE(...)` after `model.eval()` on the previous model of a notebook: the
            # mode calls before it were on another object (a new module is in training mode)
            before = [m for m in before if not _before(m.call, rebound)]
        if not before and isinstance(model_expr, ast.Name):
            returned = self._returned_mode(model_expr, node)
            if returned is not None:
                return returned
        if not before:
            return None
        return max(before, key=lambda m: (m.call.lineno, m.call.col_offset))

    def _rebinding(self, model_expr: ast.AST) -> ast.AST | None:
        """The assignment that binds the name `model_expr` (a use in the tree) to a new object, when
        exactly one reaches it: `model = Net()`, not `model = model.to(device)`."""
        if not isinstance(model_expr, ast.Name) or model_expr not in self.index.parents:
            return None
        binding = self.model.values.reaching_binding(model_expr)
        if binding is None or binding.kind not in ("assign", "annassign") or not isinstance(binding.value, ast.Call):
            return None
        function = self.index.enclosing_function(model_expr)
        if (binding.scope is self.index.module_scope) != (function is None):
            # a script's global `G = Net()` written below the function that runs it: the function
            # runs later, so the mode calls written above the assignment in its body come after it
            return None
        root = binding.value
        while isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute) \
                and root.func.attr in catalogue.MODULE_METHODS_RETURNING_SELF:
            root = root.func.value
        if isinstance(root, ast.Name) and root.id == model_expr.id:
            return None  # `model = model.to(device)`: the same module
        return binding.node

    def other_branch_mode(self, model_expr: ast.AST, node: ast.AST, last: ModeCall) -> ModeCall | None:
        """The mode `model_expr` is left in at `node` by the other branch of the `if` whose one
        branch makes `last` (`if train: ...; model.train(); ... else: ...; model.eval()`, then an
        evaluation after the `if`): that branch's last mode call, else the mode before the `if`.
        None when `last` is in no such branch."""
        child = last.call
        for ancestor in self.index.ancestors(last.call):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                return None
            if isinstance(ancestor, ast.If) and not any(a is ancestor for a in self.index.ancestors(node)):
                in_body = any(child is statement for statement in ancestor.body)
                other = ancestor.orelse if in_body else ancestor.body
                if not other and not in_body:
                    return None
                key = ast.dump(model_expr)
                inside = [m for m in self.mode_calls if m.target == key and any(
                    any(n is m.call for n in ast.walk(statement)) for statement in other)]
                if inside:
                    return max(inside, key=lambda m: (m.call.lineno, m.call.col_offset))
                before = self.last_mode(model_expr, ancestor)
                if before is None and isinstance(node, ast.Call):
                    # `if resume: ...; net.eval()` with no else: without resuming, a new module
                    # that the script trains is in training mode
                    built = self._fresh_and_trained(model_expr, node, ignoring=ancestor)
                    if built is not None:
                        return ModeCall(built, key, "train", self.index.enclosing_function(node), fresh=True)
                return before
            child = ancestor
        return None

    def _returned_mode(self, model_expr: ast.Name, node: ast.AST) -> ModeCall | None:
        """`backbone = load_backbone(path)`, where the helper (of this module or another) puts the
        module it returns in a mode (`net.eval(); return net`): that mode, at the call."""
        if model_expr in self._returning:
            return None  # helpers that return each other's results
        self._returning.add(model_expr)
        try:
            return self._find_returned_mode(model_expr)
        finally:
            self._returning.discard(model_expr)

    def _find_returned_mode(self, model_expr: ast.Name) -> ModeCall | None:
        binding = self.model.values.reaching_binding(model_expr, self.index.scope_of(model_expr))
        if binding is None or binding.kind not in ("assign", "annassign") or not isinstance(binding.value, ast.Call):
            return None
        call = binding.value
        while (isinstance(call.func, ast.Attribute) and call.func.attr in catalogue.DEVICE_MOVES
               and isinstance(call.func.value, ast.Call)):
            call = call.func.value  # `load_backbone(path).to(device)`
        local = self.index.local_callee(call)
        if local is not None:
            function, home = local[0], self
        else:
            callee = self.model.project_callee(call)
            if callee is None or callee[2]:
                return None
            function, home = callee[1], callee[0].torchflow
        modes = set()
        for returned in ast.walk(function):
            if not (isinstance(returned, ast.Return) and home.index.enclosing_function(returned) is function):
                continue
            value = returned.value
            while (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                   and value.func.attr in catalogue.DEVICE_MOVES):
                value = value.func.value  # `return net.to(device)`
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "eval" \
                    and not value.args:
                modes.add("eval")  # `return net.eval()`
                continue
            if not isinstance(value, ast.Name):
                return None
            last = home.last_mode(value, returned)
            skipped = self.model.values.not_taken_by
            if last is not None and last.function is function and skipped(home.model.values, last.call, function, call):
                # `if train: ... else: model.eval()` with the caller leaving `train=True`
                key = ast.dump(value)
                taken = [m for m in home.mode_calls if m.target == key and m.function is function
                         and _before(m.call, returned) and not skipped(home.model.values, m.call, function, call)]
                last = max(taken, key=lambda m: (m.call.lineno, m.call.col_offset)) if taken else None
            if last is None:
                return None
            modes.add(last.mode)
        if len(modes) != 1:
            return None
        return ModeCall(binding.value, ast.dump(model_expr), modes.pop(), self.index.enclosing_function(binding.value),
                        returned_by=function.name)

    def _helper_mode_calls(self, model_expr: ast.AST, function, node) -> list[ModeCall]:
        """`prepare(model)` called before `node`, where `def prepare(m): m.eval()`; for `self.net`,
        `self.train_epoch()` called before `node`, where the method ends with `self.net.train()`
        (its last mode call on `self.net`) in effect."""
        found = []
        if (isinstance(model_expr, ast.Attribute) and isinstance(model_expr.value, ast.Name)
                and model_expr.value.id == "self"):
            # (and below: `train_one_epoch(self.model, ...)`, a helper given the attribute)
            found = self._method_mode_calls(ast.dump(model_expr), function, node)
        elif not isinstance(model_expr, ast.Name):
            return []
        key = ast.dump(model_expr)
        # (a script's top level too: `training_utils.test(model, ...)` in its epoch loop)
        calls = self.model.models.calls_within(function) if function is not None else self._top_level_calls
        for call in calls:
            if not _before(call, node) or not isinstance(call.func, (ast.Name, ast.Attribute)):
                continue
            if not any(ast.dump(a) == key for a in call.args):
                continue
            home, target = self._helper_called(call)
            if target is None:
                continue
            for position, argument in enumerate(call.args):
                if ast.dump(argument) == key:
                    params = [a.arg for a in (*target.args.posonlyargs, *target.args.args)]
                    if position < len(params):
                        key = ast.dump(ast.Name(id=params[position], ctx=ast.Load()))
                        modes = [m for m in home.mode_calls if m.function is target and m.target == key]
                        if home is not self and modes:
                            # another module's helper: its last mode call on the model is its effect
                            modes = [max(modes, key=lambda m: (m.call.lineno, m.call.col_offset))]
                        for mode_call in modes:
                            # the helper's effect happens at the call
                            found.append(ModeCall(call, mode_call.target, mode_call.mode, function))
        return found

    def switched_by_event_before(self, call: ast.Call) -> bool:
        """An event fired before `call` in its function (`self.fire("on_validation_start")`,
        `callback.on_eval_begin(self)`) whose handler of that name, in this module or another of
        the project, calls `.eval()`: a callback switches the model for the evaluation, through
        a dispatch (`getattr(cb, event)(self)`) bnlint does not follow."""
        function = self.index.enclosing_function(call)
        if function is None:
            return False
        names = set()
        for other in self.model.models.calls_within(function):
            if (other.lineno, other.col_offset) >= (call.lineno, call.col_offset):
                continue
            names.update(a.value for a in other.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                         and a.value.isidentifier() and a.value.startswith("on_"))
            if isinstance(other.func, ast.Attribute) and other.func.attr.startswith("on_"):
                names.add(other.func.attr)
        if not names:
            return False
        homes = [self.model]
        project = self.model.project
        if project is not None:
            paths = {path for name in sorted(names) for path in project.project.files_with_token(name)[:20]}
            homes += [project.project.semantic_model(path) for path in sorted(paths)]
        return any(m.mode == "eval" and m.function is not None and getattr(m.function, "name", None) in names
                   for home in homes if home is not None for m in home.torchflow.mode_calls)

    def switched_elsewhere(self, key: str) -> bool:
        """`self.actor.train()` spelled in a module that imports this one (a runner switching
        the agent's networks): the attribute's mode is set where bnlint does not follow it."""
        attr = key.rpartition("attr='")[2].partition("'")[0]
        project = self.model.project
        if project is None or not attr or not self.model.path:
            return False
        stem = re.compile(rf"\b{re.escape(Path(self.model.path).stem)}\b")
        here = Path(self.model.path).resolve()
        return any(f".{attr}.train(" in text and stem.search(text)
                   for path in project.project.files_with_token(attr)[:40] if Path(path).resolve() != here
                   for text in [project.project.text(path) or ""])

    @cached_property
    def _top_level_calls(self) -> list[ast.Call]:
        """The calls a script makes at its top level (outside functions), with the model given."""
        return [c for c in self.index.calls if self.index.enclosing_function(c) is None
                and any(isinstance(a, (ast.Name, ast.Attribute)) for a in c.args)]

    def _helper_called(self, call: ast.Call) -> tuple["TorchFlow", ast.AST | None]:
        """(the flow of its module, the function) a call of a helper runs: a function of this
        module, or one imported from another module of the project (`accuracy(model, loader)`
        from `metrics.py`); (self, None) for anything else."""
        if isinstance(call.func, ast.Name):
            target = self.model.models._local_definition(call.func, self.index.scope_of(call))
            if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return self, target
        callee = self.model.project_callee(call)
        if callee is not None and not callee[2]:
            return callee[0].torchflow, callee[1]
        return self, None

    def loop_mode_calls(self, loop: "TrainingLoop") -> list[tuple[ModeCall, ast.AST, ast.Call | None]]:
        """The mode changes a loop's body makes: (mode call, the model expression, the helper call
        that makes it or None). A helper of the module called in the loop with the model
        (`accuracy(model, testloader)`, where `def accuracy(net, loader): net.eval(); ...`) leaves
        it in the helper's last mode."""
        inside = set(map(id, loop.calls))
        found = [(m, m.call.func.value, None) for m in self.mode_calls if id(m.call) in inside]
        for call in loop.calls:
            statement = self.index.parents.get(call)
            if (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)
                    and not any(isinstance(n, ast.Name) and n.id == statement.targets[0].id for n in ast.walk(call))):
                # `for split in splits: model = make_model()`: each pass trains another module, in
                # the mode it is built (training) or loaded in (unknown), whatever the last pass did
                target = statement.targets[0]
                runs = [c.lineno for c in loop.calls if isinstance(c.func, ast.Name) and c.func.id == target.id]
                # (rebuilt after this pass trained it, the next pass trains what it left)
                if runs and min(runs) > call.lineno:
                    fresh = self.model.models.contents_of(call)
                    mode = "train" if fresh is not None and fresh.framework == "torch" \
                        and not fresh.opaque_network else "unknown"
                    found.append((ModeCall(call, ast.dump(ast.Name(id=target.id, ctx=ast.Load())), mode,
                                           self.index.enclosing_function(call), fresh=True), target, None))
            if (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                    and call.func.value.id == "self"):
                # `self._accuracy()`, a sibling method that calls `self.net.eval()` (its last mode
                # call on each `self.<attr>` is where it leaves it)
                callee = self.index.local_callee(call)
                if callee is None or callee[0] is self.index.enclosing_function(call):
                    continue
                last_by_target: dict[str, ModeCall] = {}
                for m in self.mode_calls:
                    if m.function is callee[0] and m.target.startswith("Attribute(value=Name(id='self'"):
                        if m.target not in last_by_target or (m.call.lineno, m.call.col_offset) > (
                                last_by_target[m.target].call.lineno, last_by_target[m.target].call.col_offset):
                            last_by_target[m.target] = m
                for key, last in last_by_target.items():
                    found.append((ModeCall(call, key, last.mode, self.index.enclosing_function(call)),
                                  last.call.func.value, call))
                continue
            if not isinstance(call.func, (ast.Name, ast.Attribute)):
                continue
            if isinstance(call.func, ast.Name):
                # `test()` at the end of each epoch, `def test(): net.eval(); ...` on the module's
                # own `net`: it leaves that model in its last mode
                found.extend(self._global_mode_left_by(call))
            if not any(isinstance(a, (ast.Name, ast.Attribute)) for a in call.args):
                continue
            home, target = self._helper_called(call)
            if target is None:
                continue
            for position, argument in enumerate(call.args):
                if not isinstance(argument, (ast.Name, ast.Attribute)):
                    continue
                params = [a.arg for a in (*target.args.posonlyargs, *target.args.args)]
                if position >= len(params):
                    continue
                key = ast.dump(ast.Name(id=params[position], ctx=ast.Load()))
                inner = [m for m in home.mode_calls if m.function is target and m.target == key]
                if inner:
                    last = max(inner, key=lambda m: (m.call.lineno, m.call.col_offset))
                    found.append((ModeCall(call, ast.dump(argument), last.mode, self.index.enclosing_function(call)),
                                  argument, call))
        return found

    def _global_mode_left_by(self, call: ast.Call) -> list[tuple[ModeCall, ast.AST, ast.Call]]:
        """(mode call, model, `call`) for each module-level model a function of the module that
        `call` runs puts in a mode, in the last mode it leaves it."""
        callee = self.index.local_callee(call)
        if callee is None or callee[0] is self.index.enclosing_function(call):
            return []
        last_by_target: dict[str, ModeCall] = {}
        for m in self.mode_calls:
            owner = m.call.func.value
            if m.function is not callee[0] or not isinstance(owner, ast.Name):
                continue
            bindings = self.index.lookup(owner.id, self.index.scope_of(owner))
            if not bindings or any(b.scope is not self.index.module_scope for b in bindings):
                continue  # (a local or a parameter of the helper: not the module's model)
            if m.target not in last_by_target or (m.call.lineno, m.call.col_offset) > (
                    last_by_target[m.target].call.lineno, last_by_target[m.target].call.col_offset):
                last_by_target[m.target] = m
        return [(ModeCall(call, key, last.mode, self.index.enclosing_function(call)), last.call.func.value, call)
                for key, last in last_by_target.items()]

    def _method_mode_calls(self, key: str, function, node, _depth: int = 0) -> list[ModeCall]:
        found = []
        for call in self.model.models.calls_within(function) if function is not None else []:
            func = call.func
            if not (_before(call, node) and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id == "self"):
                continue
            callee = self.index.local_callee(call)
            if callee is None or callee[0] is function:
                continue
            inside = [m for m in self.mode_calls if m.target == key and m.function is callee[0]]
            if not inside and _depth < 2:
                # one method further: `train()` calls `self.train_epoch()`, which calls `self.setup()`
                end = callee[0].body[-1]
                inside = self._method_mode_calls(key, callee[0], _AfterEnd(end), _depth + 1)
            if inside:
                last = max(inside, key=lambda m: (m.call.lineno, m.call.col_offset))
                found.append(ModeCall(call, key, last.mode, function))
        return found

    def imported_script_model(self, model_expr: ast.AST):
        """A model another script of the project builds at its top level and this module imports
        (`from train import *`, `from train import model`): (that module's semantic model, the
        assignment there, its last top-level `.train()`/`.eval()` or None, its top-level training
        loop that runs the model or None). None when the name is not such a model."""
        project = self.model.project
        if project is None or not isinstance(model_expr, ast.Name):
            return None
        bindings = self.index.lookup(model_expr.id, self.index.scope_of(model_expr))
        if bindings and not (len(bindings) == 1 and bindings[0].kind == "import"):
            return None
        qual = bindings[0].qualname if bindings else self.model.qualname(model_expr)
        if not qual or qual == model_expr.id:
            return None
        found = project.module_value(qual)
        if found is None:
            return None
        other, assigned = found
        if assigned.scope is not other.index.module_scope:
            return None
        name = qual.rpartition(".")[2]
        key = ast.dump(ast.Name(id=name, ctx=ast.Load()))
        flow = other.torchflow
        modes = [m for m in flow.mode_calls if m.target == key and m.function is None]
        last = max(modes, key=lambda m: (m.call.lineno, m.call.col_offset)) if modes else None
        loop = next((loop.loop for loop in flow.training_loops
                     if other.index.enclosing_function(loop.loop) is None
                     and any(ast.dump(c.func) == key for c in loop.calls)), None)
        return other, assigned, last, loop

    def mode_on_entry(self, model_expr: ast.AST, function, _depth: int = 0) -> tuple[ModeCall, ast.Call] | None:
        """The mode a model is in when `function` starts, as its callers leave it: for a parameter,
        the last mode call on the argument before each call of the function (helpers included);
        for `self.x` in a method, the last mode call on `self.x` before each `self.method()` call,
        or else a `.train()` in a sibling method when no caller is visible. Returns (the mode
        call, the call of `function` it reaches), or None when nothing is known."""
        if function is None:
            return None
        callers = self.index.callers(function)
        if isinstance(model_expr, ast.Name):
            binding = self.model.values.binding_of(model_expr)
            if (binding is not None and binding.kind == "for" and binding.index is None
                    and isinstance(binding.value, ast.Name)):
                # `def evaluate(models, loader): ... for m in models: feats = m(feats)`: the mode
                # the callers leave the models of the collection they pass in
                return self._collection_mode_on_entry(binding.value, function)
            if binding is not None and binding.scope is self.index.module_scope and _depth < 3:
                # a module-level model used in a helper (`def validate(loader): net(x)`): the mode
                # the helper's callers leave it in, as for `net` itself at each call
                for call, _bound in callers:
                    last = self.last_mode(model_expr, call)
                    if last is not None:
                        return last, call
                for call, _bound in callers:
                    caller = self.index.enclosing_function(call)
                    outer = self.mode_on_entry(model_expr, caller, _depth + 1) if caller is not None else None
                    if outer is not None and self.last_mode(model_expr, call) is None:
                        return outer[0], call
                return None
            carried = _carried_member(binding)
            if carried is not None and _depth < 3:
                # `model = args["model"]` / `model = ctx.model` with `args` a parameter: the model
                # its callers put in the container they pass
                container, key, how = carried
                holder = self.model.values.binding_of(container)
                if holder is not None and holder.kind == "param" and holder.scope.node is function:
                    return self._carried_mode_on_entry(function, container.id, key, how, _depth)
            if binding is None or binding.kind != "param" or binding.scope.node is not function:
                return None
            for call, bound in callers:
                argument = self.index.argument_for(call, function, model_expr.id, bound=bound)
                if argument is None:
                    continue
                last = self.last_mode(argument, call)
                if last is not None and last.mode == "eval":
                    # `.eval()` only in one branch of an `if` before the call (a resume branch):
                    # the other branch's mode, when it trains
                    other = self.other_branch_mode(argument, call, last)
                    if other is not None and other.mode == "train":
                        last = other
                if last is not None:
                    return last, call
            for call, bound in callers:
                argument = self.index.argument_for(call, function, model_expr.id, bound=bound)
                built = self._fresh_and_trained(argument, call) if argument is not None else None
                if built is not None:
                    return ModeCall(built, ast.dump(argument), "train", self.index.enclosing_function(call),
                                    fresh=True), call
                caller = self.index.enclosing_function(call)
                if isinstance(argument, ast.Name) and caller is not None and _depth < 3:
                    # `score(model, valid)` inside `train(model, ...)`: the mode `train` is entered in,
                    # when nothing in `train` changes it before the call
                    outer = self.mode_on_entry(argument, caller, _depth + 1)
                    if outer is not None and outer[0].fresh and self.last_mode(argument, call) is None:
                        return outer[0], call
                if _held_by_self(argument) and caller is not None and _depth < 3 \
                        and self.last_mode(argument, call) is None:
                    # `validate(self.net, loader)` in `on_epoch_end()`, which `fit()` calls after
                    # `self.net.train()`: the mode the method is entered in
                    outer = self.mode_on_entry(argument, caller, _depth + 1)
                    if outer is not None:
                        return outer[0], call
            project = self.model.project
            if callers or project is None or self.index.scope_of(function) is not self.index.module_scope:
                return None
            # `test_seg(model, loader)` defined here, called after `model.train()` in train.py
            externals = project.external_calls(function.name)
            for other, call, _bound in externals:
                argument = self.index.argument_for(call, function, model_expr.id)
                last = other.torchflow.last_mode(argument, call) if argument is not None else None
                if last is None and argument is not None and _held_by_self(argument):
                    # `utils.validate(self.net, loader)` in a method entered after `self.net.train()`
                    outer = other.torchflow.mode_on_entry(argument, other.index.enclosing_function(call),
                                                          _depth + 1)
                    last = outer[0] if outer is not None else None
                if last is not None:
                    where = project.foreign(last.call, other)
                    return ModeCall(where, last.target, last.mode, None), project.foreign(call, other)
            for other, call, _bound in externals:
                argument = self.index.argument_for(call, function, model_expr.id)
                built = other.torchflow._fresh_and_trained(argument, call) if argument is not None else None
                if built is not None:
                    return (ModeCall(project.foreign(built, other), ast.dump(argument), "train", None, fresh=True),
                            project.foreign(call, other))
            return None
        if (isinstance(model_expr, ast.Attribute) and isinstance(model_expr.value, ast.Name)
                and model_expr.value.id != "self" and _depth < 3):
            # `solver.net(x)` with `solver` a parameter: the model its callers' object holds
            holder = self.model.values.binding_of(model_expr.value)
            if holder is not None and holder.kind == "param" and holder.scope.node is function:
                return (self._carried_mode_on_entry(function, model_expr.value.id, model_expr.attr, "attr", _depth)
                        or self._external_carried_mode(function, model_expr.value.id, model_expr.attr, _depth))
        if _held_by_self(model_expr):
            for call, _bound in callers:
                last = self.last_mode(model_expr, call)
                if last is not None:
                    return last, call
            for call, _bound in callers:
                caller = self.index.enclosing_function(call)
                if _depth < 3 and caller is not None and caller is not function \
                        and self.index.enclosing_class(caller) is self.index.enclosing_class(function):
                    # `fit()` calls `self.on_epoch_end()` after `self.net.train()`; that method calls
                    # this one: the mode its own callers enter it in
                    outer = self.mode_on_entry(model_expr, caller, _depth + 1)
                    if outer is not None:
                        return outer[0], call
            if callers:
                return None
            cls = self.index.enclosing_class(function)
            key = ast.dump(model_expr)
            siblings = [m for m in self.mode_calls if m.target == key and m.function is not function
                        and m.function is not None and self.index.enclosing_class(m.function) is cls]
            if siblings and all(m.mode == "train" for m in siblings):
                return siblings[0], siblings[0].call
            if isinstance(model_expr, ast.Attribute) and not any(
                    m.target == key and m.function is not None and self.index.enclosing_class(m.function) is cls
                    for m in self.mode_calls):
                built = self._fresh_attribute_trained(model_expr, cls)
                if built is not None:
                    return ModeCall(built, key, "train", None, fresh=True), built
        return None

    def _carried_mode_on_entry(self, function, parameter: str, key, how: str,
                               depth: int) -> tuple[ModeCall, ast.Call] | None:
        """The mode of the model a container parameter of `function` carries under `key` when the
        function starts (`def test(test_args): model = test_args["model"]`): at each call, the
        caller's entry (`test_args["model"] = net` before `test(test_args)`) as an argument, its last
        mode call, or its training loop before the call with no mode call at all; a caller that
        forwards a container it was given is followed up."""
        values = self.model.values
        for call, bound in self.index.callers(function):
            argument = self.index.argument_for(call, function, parameter, bound=bound)
            if argument is None:
                continue
            caller = self.index.enclosing_function(call)
            members = values.members(argument, self.index.scope_of(call), how)
            entry = members.get(key) if members else None
            if entry is not None and entry[1] is not None and \
                    entry[1].node is (caller if caller is not None else self.index.tree):
                value = entry[0]
                last = self.last_mode(value, call)
                if last is not None:
                    return last, call
                built = self._fresh_and_trained(value, call)
                if built is not None:
                    return ModeCall(built, ast.dump(value), "train", caller, fresh=True), call
                loop = self.trained_before(value, call, around=True)
                run = next((c for c in ast.walk(loop) if isinstance(c, ast.Call)
                            and ast.dump(c.func) == ast.dump(value)), None) if loop is not None else None
                if run is not None:
                    return ModeCall(run, ast.dump(value), "train", caller, trained_in=loop), call
                if isinstance(value, ast.Name) and caller is not None and depth < 3:
                    outer = self.mode_on_entry(value, caller, depth + 1)
                    if outer is not None:
                        return outer[0], call
            elif how == "attr" and isinstance(argument, ast.Name) and argument.id == "self" and caller is not None:
                # `utils.validate(self, loader)` in a trainer's method, `solver.net(x)` inside: the
                # trainer's own `self.net`
                found = self._self_member_mode(key, call, caller, depth)
                if found is not None:
                    return found
            elif isinstance(argument, ast.Name) and caller is not None and depth < 3:
                forwarded = values.binding_of(argument)
                if forwarded is not None and forwarded.kind == "param" and forwarded.scope.node is caller:
                    outer = self._carried_mode_on_entry(caller, argument.id, key, how, depth + 1)
                    if outer is not None:
                        return outer[0], call
        return None

    def _self_member_mode(self, attribute: str, call: ast.Call, caller,
                          depth: int) -> tuple[ModeCall, ast.Call] | None:
        """The mode `self.<attribute>` of the class of `caller` is in at `call`, read through the
        first `self.<attribute>` the class spells (none: no mode call names it either)."""
        cls = self.index.enclosing_class(caller)
        member = next((n for n in ast.walk(cls) if isinstance(n, ast.Attribute) and n.attr == attribute
                       and isinstance(n.ctx, ast.Load) and isinstance(n.value, ast.Name) and n.value.id == "self"),
                      None) if cls is not None else None
        if member is None:
            return None
        last = self.last_mode(member, call)
        if last is None and depth < 3:
            outer = self.mode_on_entry(member, caller, depth + 1)
            last = outer[0] if outer is not None else None
        return (last, call) if last is not None else None

    def _external_carried_mode(self, function, parameter: str, key: str,
                               depth: int) -> tuple[ModeCall, ast.Call] | None:
        """`def validate(solver, loader): solver.net(x)` here, called as `utils.validate(self,
        loader)` by a trainer's method in another module: the mode that module's `self.net` is in."""
        project = self.model.project
        if project is None or self.index.callers(function) \
                or self.index.scope_of(function) is not self.index.module_scope:
            return None
        for other, call, _bound in project.external_calls(function.name):
            argument = self.index.argument_for(call, function, parameter)
            caller = other.index.enclosing_function(call)
            if not (isinstance(argument, ast.Name) and argument.id == "self" and caller is not None):
                continue
            found = other.torchflow._self_member_mode(key, call, caller, depth)
            if found is not None:
                last = found[0]
                return (ModeCall(project.foreign(last.call, other), last.target, last.mode, None),
                        project.foreign(call, other))
        return None

    def _collection_mode_on_entry(self, collection: ast.Name, function) -> tuple[ModeCall, ast.Call] | None:
        """For a parameter `collection` of `function`: the last mode call on a model of the
        collection each caller passes (`evaluate([encoder, head], test_loader)` after
        `encoder.train()`), in this module or, with no caller here, in the project's others."""
        holder = self.model.values.binding_of(collection)
        if holder is None or holder.kind != "param" or holder.scope.node is not function:
            return None
        callers = self.index.callers(function)
        for call, bound in callers:
            argument = self.index.argument_for(call, function, collection.id, bound=bound)
            for element in self.model.models._collection_elements(argument, None, 0) if argument is not None else []:
                last = self.last_mode(element, call)
                if last is not None:
                    return last, call
        project = self.model.project
        if callers or project is None or self.index.scope_of(function) is not self.index.module_scope:
            return None
        for other, call, _bound in project.external_calls(function.name):
            argument = self.index.argument_for(call, function, collection.id)
            for element in other.models._collection_elements(argument, None, 0) if argument is not None else []:
                last = other.torchflow.last_mode(element, call)
                if last is not None:
                    return (ModeCall(project.foreign(last.call, other), last.target, last.mode, None),
                            project.foreign(call, other))
        return None

    def _fresh_attribute_trained(self, model_expr: ast.Attribute, cls) -> ast.Call | None:
        """`self.net = Net()` in the class, never put in a mode there, and trained by one of its
        methods (backward() in a method that calls `self.net`, or an optimizer over
        `self.net.parameters()`): a new module is in training mode in every method. Returns the
        construction call."""
        if cls is None:
            return None
        values = self.model.models._self_attribute_values(cls, model_expr.attr)
        if len(values) != 1 or not isinstance(values[0][0], ast.Call):
            return None
        contents = self.model.models.contents_of(values[0][0])
        if contents is None or contents.framework != "torch" or not contents.bn:
            return None
        key = ast.dump(model_expr)
        for method in cls.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            calls = self.model.models.calls_within(method)
            if any(isinstance(c.func, ast.Attribute) and c.func.attr == "backward" for c in calls) and any(
                    ast.dump(c.func) == key for c in calls):
                return values[0][0]
            for c in calls:
                if (self.model.qualname(c.func) or "").startswith("torch.optim.") and any(
                        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "parameters"
                        and ast.dump(n.func.value) == key for a in c.args for n in ast.walk(a)):
                    return values[0][0]
        return None

    def _fresh_and_trained(self, argument: ast.AST, call: ast.Call, ignoring: ast.AST | None = None) -> ast.Call | None:
        """`policy_net = DQN()` passed to the function by `call`, in a caller that never calls
        `.train()`/`.eval()` on it and trains it (a loop of its own with backward() calling it, or
        a helper with backward() it is handed to): a new module is in training mode, so it
        enters the function training. Returns the construction call. A model built and only
        evaluated (a smoke test) is not such a case."""
        if not isinstance(argument, ast.Name):
            return None
        # the assignments that reach the call (`model = Net()`, then `if cuda: model = model.cuda()`)
        bindings = self.model.values.reaching_bindings(argument)
        if not bindings or any(b.kind not in ("assign", "annassign") or not isinstance(b.value, ast.Call)
                               for b in bindings):
            return None
        binding = bindings[0]
        caller = self.index.enclosing_function(call)
        if binding.scope.node is not (caller if caller is not None else self.index.tree):
            return None
        key = ast.dump(argument)
        # (`ignoring`: the `if` whose other branch is asked about, its own mode calls left out)
        if any(m.target == key and m.function is caller and not (
                ignoring is not None and any(n is m.call for n in ast.walk(ignoring))) for m in self.mode_calls):
            return None
        contents = self.model.models.contents_of(binding.value)
        if contents is None or contents.framework != "torch" or not contents.bn:
            return None
        for loop in self.training_loops:
            if self.index.enclosing_function(loop.loop) is caller and any(
                    isinstance(c.func, (ast.Name, ast.Attribute)) and ast.dump(c.func) == key for c in loop.calls):
                return binding.value
        scope_calls = self.model.models.calls_within(caller) if caller is not None else self.index.calls
        for other in scope_calls:
            # `optim.RMSprop(policy_net.parameters())`: an optimizer is made to train it
            if (self.model.qualname(other.func) or "").startswith("torch.optim.") and any(
                    isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "parameters"
                    and isinstance(n.func.value, ast.Name) and n.func.value.id == argument.id
                    for a in other.args for n in ast.walk(a)):
                return binding.value
        for other in scope_calls:
            # a helper with backward() it is handed to (the called function itself too: `train(model, ...)`)
            if not any(isinstance(a, ast.Name) and a.id == argument.id
                       for a in [*other.args, *(k.value for k in other.keywords)]):
                continue
            callee = self.index.local_callee(other)
            if callee is not None and self._runs_backward(callee[0]):
                return binding.value
        return None

    def _runs_backward(self, function, depth: int = 0) -> bool:
        """`backward()` in `function` or in a function of this module it calls (`train()` that
        runs `train_epoch()` each epoch)."""
        calls = self.model.models.calls_within(function)
        if any(isinstance(c.func, ast.Attribute) and c.func.attr == "backward" for c in calls):
            return True
        if depth >= 2:
            return False
        for call in calls:
            callee = self.index.local_callee(call)
            if callee is not None and callee[0] is not function and self._runs_backward(callee[0], depth + 1):
                return True
        return False

    # ---- training loops -----------------------------------------------------------------
    def _find_training_loops(self) -> None:
        for loop in self.index.loops:
            body_calls = [c for c in self.model.models.calls_within(self.index.enclosing_function(loop) or self.index.tree)
                          if _inside_body(c, loop, self.index)]
            backward = [c for c in body_calls if _is_backward(c)]
            if not backward:
                # `for batch in loader: step(net, batch)` / `trainer.step(batch)`: the step the
                # body calls holds the backward(), and the model calls it makes are the loop's
                evaluation = any(isinstance(i, ast.Name) and _names_evaluation(i.id)
                                 for i in iterated(loop.iter)) if isinstance(loop, (ast.For, ast.AsyncFor)) else False
                for call in list(body_calls):
                    step = self._step_function(call)
                    if step is not None and not evaluation and not _evaluation_phase(call):
                        step_calls = self.model.models.calls_within(step)
                        body_calls.extend(step_calls)
                        backward.extend(c for c in step_calls if _is_backward(c))
                    elif step is None and not evaluation and self.model.project is not None \
                            and self.trainer_method_model(call) is not None:
                        # `model.optimize(data)` of another module's trainer class: the call
                        # stands for its backward()
                        backward.append(call)
            if not backward:
                continue
            iterables = []
            if isinstance(loop, (ast.For, ast.AsyncFor)):
                iterables = iterated(loop.iter)
            iterables += self._drawn_with_next(body_calls)
            self.training_loops.append(TrainingLoop(loop, backward, iterables, body_calls))

    def in_training_loop(self, call) -> bool:
        """`call` is one of the calls a training loop makes (its body's, or its step function's)."""
        if self._training_loop_calls is None:
            self._training_loop_calls = {id(c) for loop in self.training_loops for c in loop.calls}
        return id(call) in self._training_loop_calls

    # ---- what a model has been through: trained, given weights, frozen -----------------------
    def trained_before(self, func, call, around=False):
        """The training loop, earlier in the same function (or script), that trains the model
        `call` runs, when no `.train()`/`.eval()` is ever called on it: a new PyTorch module is in
        training mode, so the evaluation after such a loop runs in training mode."""
        key = ast.dump(func)
        function = self.index.enclosing_function(call)
        # (the mode calls and loops before `model = Net()` were on the previous object)
        rebound = self._rebinding(func)
        # (a model only ever switched to training mode, `model.train()` after loading a checkpoint,
        # is in training mode still)
        if any(m.target == key and m.mode != "train" and self._same_object(m, func, function)
               and not (rebound is not None and _before(m.call, rebound)) for m in self.mode_calls):
            return None
        for loop in self.training_loops:
            if self.index.enclosing_function(loop.loop) is not function:
                continue
            if rebound is not None and _before(loop.loop, rebound):
                continue
            inside = around and any(a is loop.loop for a in self.index.ancestors(call))
            if not inside and (loop.loop.end_lineno, loop.loop.end_col_offset) >= (call.lineno, call.col_offset):
                continue
            # a loop that trains the model, before the call, or around it when the call scores a
            # held-out batch inside the training loop; also through a training-step method of the
            # object (`train_util.train_step(imgs, ...)` of a trainer class of another module)
            if any(ast.dump(c.func) == key for c in loop.calls if c is not call) or any(
                    isinstance(c.func, ast.Attribute) and ast.dump(c.func.value) == key and c is not call
                    and (c in loop.backward or self._step_function(c) is not None) for c in loop.calls):
                return loop.loop
        held = func.func.value if isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) else func
        if (isinstance(held, ast.Attribute) and isinstance(held.value, ast.Name) and held.value.id == "self"
                and function is not None):
            # `self.module` of a wrapper class whose `train()` method trains it and whose
            # `predict()` runs it: a sibling method's training loop (no mode call on it anywhere);
            # also a model the class gets from an object it keeps (`self.config.get_model()`)
            cls = self.index.enclosing_class(call)
            for loop in self.training_loops:
                home = self.index.enclosing_function(loop.loop)
                if (home is not function and home is not None and self.index.enclosing_class(home) is cls
                        and cls is not None and any(ast.dump(c.func) == key or (
                            isinstance(c.func, ast.Attribute) and ast.dump(c.func.value) == key)
                            for c in loop.calls)):
                    return loop.loop
        # a module-level model trained in one function and evaluated in another (`train(epoch)`
        # then `test()` over the global `model`, as tutorials write it)
        binding = self.model.values.binding_of(func) if isinstance(func, ast.Name) else None
        if binding is None or binding.scope is not self.index.module_scope:
            return None
        for loop in self.training_loops:
            home = self.index.enclosing_function(loop.loop)
            if home is function:
                continue  # (a module-level loop that runs a training step function counts too)
            for c in loop.calls:
                if (isinstance(c.func, ast.Name) and c.func.id == func.id
                        and self.model.values.binding_of(c.func) is binding):
                    return loop.loop
        return None

    def _same_object(self, mode_call: ModeCall, func: ast.AST, function) -> bool:
        """The mode call may switch the model `func` names in `function`: it is made there, or on
        the same binding (a script's global), or on `self.<attr>` (any method), or the name's
        binding cannot be told. (`model.eval()` on a helper's parameter that is also called
        `model` switches another object.)"""
        if mode_call.function is function or not isinstance(func, ast.Name):
            return True
        target = mode_call.call.func.value if isinstance(mode_call.call.func, ast.Attribute) else None
        if not isinstance(target, ast.Name):
            return True
        ours, theirs = self.model.values.binding_of(func), self.model.values.binding_of(target)
        if ours is None or theirs is None:
            return True
        if theirs.kind == "param" and theirs is not ours:
            # a helper's parameter: the helper switches what its callers pass, ours among them if
            # it is called with it
            helper = theirs.scope.node
            return any(isinstance(a, ast.Name) and a.id == func.id
                       for c, _bound in self.index.callers(helper) for a in [*c.args, *(k.value for k in c.keywords)])
        return theirs is ours

    def has_backward(self, function) -> bool:
        """The function takes a training step (`backward()` or an optimizer's `step()`)."""
        return any(isinstance(c.func, ast.Attribute) and c.func.attr in ("backward", "step")
                   for c in self.model.models.calls_within(function))

    def built_here(self, func, call) -> bool:
        """The model `call` runs is built where it runs: in the same function, at the script's
        module level (a global run by one of its functions), or in its class (`self.test_net`)."""
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"):
            # `self.test_net = DQN()` in the class, its weights loaded where it is evaluated
            cls = self.index.enclosing_class(call)
            return cls is not None and any(isinstance(value, ast.Call) for value, _scope in
                                           self.model.models._self_attribute_values(cls, func.attr))
        if not isinstance(func, ast.Name):
            return False
        binding = self.model.values.binding_of(func)
        function = self.index.enclosing_function(call)
        home = function if function is not None else self.index.tree  # a script's module level too
        if binding is None:
            # rebound on several paths (`model = build(opt)`, then `model = resume(path, model)`):
            # built here when its first binding is, the others handing the same module on
            reaching = [b for b in self.model.values.reaching_bindings(func) or [] if b.kind in ("assign", "annassign")]
            binding = min(reaching, key=lambda b: (b.node.lineno, b.node.col_offset)) if reaching else None
        # a script's global model run by one of its functions (`def process_image(x): net(x)`)
        # (`model, class_names = load_model(path)`: unpacked from the helper that builds it)
        return (binding is not None and (binding.kind in ("assign", "annassign")
                                         or binding.kind == "unpack" and binding.index is not None)
                and (binding.scope.node is home or binding.scope is self.index.module_scope)
                and isinstance(binding.value, ast.Call)
                and self.model.models.contents_of(func if binding.kind == "unpack" else binding.value) is not None)

    def inference_attribute(self, func, call) -> ast.Call | None:
        """`self.generator` of an inference class: built in the class, given trained weights by
        one of its methods (`self.generator.load_state_dict(...)` in `__init__`), and trained by
        none of them. The call that loads the weights, or None."""
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"):
            return None
        cls = self.index.enclosing_class(call)
        if cls is None:
            return None
        key = ast.dump(func)
        cache = self.__dict__.setdefault("_inference_attributes", {})
        if (id(cls), key) not in cache:
            cache[(id(cls), key)] = self._inference_attribute(cls, key, func, call)
        return cache[(id(cls), key)]

    def _inference_attribute(self, cls, key, func, call) -> ast.Call | None:
        if self.model.models.derives_from(cls, tuple(q.rpartition(".")[2] for q in catalogue.TORCH_MODULE_BASES)):
            # a submodule of a network (`self.encoder.load_state_dict(resnet50(pretrained=True)
            # .state_dict())` in `__init__`): it follows the network's own `.train()`/`.eval()`
            return None
        methods = [m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
        loader = next((c for m in methods for c in self.model.models.calls_within(m)
                       if isinstance(c.func, ast.Attribute) and c.func.attr in ("load_state_dict", "load_weights")
                       and ast.dump(c.func.value) == key), None)
        if loader is None or any(self.has_backward(m) for m in methods) or not self.built_here(func, call):
            return None
        if any(mode_call.target == key and self.index.enclosing_class(mode_call.call) is cls
               for mode_call in self.mode_calls):
            return None  # the class sets its mode (`self.generator.eval()` after loading)
        return loader

    def weights_loaded(self, func, call) -> bool:
        """Trained weights reach the model before `call`: `load_state_dict(...)` on it, a pretrained
        zoo builder (`pretrained=True`, `weights=`), or `torch.load` of a whole model."""
        from bnlint.semantic.models import derived_model

        key = ast.dump(func)
        function = self.index.enclosing_function(call)
        binding = self.model.values.binding_of(func) if isinstance(func, ast.Name) else None
        is_global = function is not None and binding is not None and binding.scope is self.index.module_scope
        calls = (self.model.models.calls_within(function) if function is not None
                 else self.model.models._module_level_calls())
        for other in calls:
            f = other.func
            if (isinstance(f, ast.Attribute) and f.attr in ("load_state_dict", "load_weights")
                    and ast.dump(f.value) == key and (other.lineno, other.col_offset) < (call.lineno, call.col_offset)):
                return True
        if is_global and not any(m.target == key for m in self.mode_calls):
            # the script loads the weights of its global model at module level, where the function
            # that runs it is called (before or after its definition), and never sets its mode
            for other in self.model.models._module_level_calls():
                f = other.func
                if isinstance(f, ast.Attribute) and f.attr in ("load_state_dict", "load_weights") \
                        and ast.dump(f.value) == key:
                    return True
        if binding is None and isinstance(func, ast.Name):
            # `model = generate_model(opt)`, then `if opt.resume_path: model = resume_model(path, model)`:
            # a helper that loads trained weights on one of the paths that reach the call
            for reaching in self.model.values.reaching_bindings(func) or []:
                if (reaching.kind in ("assign", "annassign") and isinstance(reaching.value, ast.Call)
                        and self.returns_loaded_model(reaching.value)):
                    return True
        built = binding.value if binding is not None else None
        for _ in range(4):  # `model = scnet101(pretrained=True)` then `model = model.cuda(0)`
            derived = derived_model(self.model.models, built)  # `nn.Sequential(*list(model.children())[:-1])`
            if isinstance(derived, ast.Name):
                moved = self.model.values.binding_of(derived)
                built = moved.value if moved is not None and moved.kind in ("assign", "annassign") else None
                continue
            if not (isinstance(built, ast.Call) and isinstance(built.func, ast.Attribute)
                    and built.func.attr in catalogue.DEVICE_MOVES and isinstance(built.func.value, ast.Name)):
                break
            moved = self.model.values.binding_of(built.func.value)
            built = moved.value if moved is not None and moved.kind in ("assign", "annassign") else None
        if isinstance(built, ast.Call):
            if (self.model.qualname(built.func) or "") in ("torch.load", "torch.jit.load"):
                return True
            if isinstance(built.func, ast.Attribute) and built.func.attr in catalogue.INSTANCE_LOADERS:
                return True  # `LitSeg.load_from_checkpoint(path)`
            if self.returns_loaded_model(built):
                return True  # `model_G = load_saved_generator(path)`
            for keyword in built.keywords:
                if keyword.arg == "pretrained" and self.model.const(keyword.value) is True:
                    return True
                if keyword.arg == "weights" and not (isinstance(keyword.value, ast.Constant)
                                                     and keyword.value.value is None):
                    return True
        return False

    def freezes(self, parameters_call) -> bool:
        """`for p in classifier.parameters(): p.requires_grad = False`: the loop freezes the model."""
        loop = self.index.parents.get(parameters_call)
        if not (isinstance(loop, ast.For) and loop.iter is parameters_call and isinstance(loop.target, ast.Name)):
            return False
        return any(isinstance(n, ast.Assign) and self.model.const(n.value) is False
                   and any(isinstance(t, ast.Attribute) and t.attr == "requires_grad" and isinstance(t.value, ast.Name)
                           and t.value.id == loop.target.id for t in n.targets)
                   for stmt in loop.body for n in ast.walk(stmt))


    def frozen_models(self) -> set[str]:
        """Models the module freezes wholesale (`net.requires_grad_(False)`, or every parameter's
        `requires_grad = False` in a loop): a frozen critic or teacher kept in eval mode on purpose."""
        frozen = set()
        for call in self.index.calls:
            func = call.func
            if (isinstance(func, ast.Attribute) and func.attr == "requires_grad_" and call.args
                    and self.model.const(call.args[0]) is False):
                frozen.add(ast.dump(func.value))
            elif isinstance(func, ast.Attribute) and func.attr == "parameters" and self.freezes(call):
                frozen.add(ast.dump(func.value))
        return frozen

    def returns_loaded_model(self, call: ast.Call) -> bool:
        """`call` runs a function of the module or of the project that builds a model, loads
        trained weights into it (`net.load_state_dict(...)`) and returns it."""
        callee = self.index.local_callee(call)
        home, function = (self.model, callee[0]) if callee is not None else (None, None)
        if function is None and self.model.project is not None and isinstance(call.func, (ast.Name, ast.Attribute)):
            qual = self.model.qualname(call.func)
            found = self.model.project.definition(qual) if qual else None
            if found is not None and isinstance(found[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                home, function = found
        if function is None:
            return False
        returned = set()
        for node in ast.walk(function):
            value = node.value if isinstance(node, ast.Return) else None
            # `return net`, `return net.to(device)`, `return net.to(device), ckpt["classes"]`
            for element in (value.elts if isinstance(value, ast.Tuple) else [value]):
                while (isinstance(element, ast.Call) and isinstance(element.func, ast.Attribute)
                       and element.func.attr in catalogue.DEVICE_MOVES):
                    element = element.func.value
                if isinstance(element, ast.Name):
                    returned.add(element.id)
        calls = [c for c in home.models.calls_within(function) if isinstance(c.func, ast.Attribute)
                 and isinstance(c.func.value, ast.Name) and c.func.value.id in returned]
        if any(c.func.attr in ("eval", "train", "requires_grad_") for c in calls):
            return False  # the helper sets the mode itself: `model.eval(); return model`
        return any(c.func.attr in ("load_state_dict", "load_weights") for c in calls)

    def _step_function(self, call: ast.Call):
        """The module's function or method a loop body calls (`step(net, batch)`,
        `self.train_step(batch)`, `trainer.step(batch)` on an instance of a class of the module)
        when it calls backward() itself, else None."""
        callee = self.index.local_callee(call)
        function = callee[0] if callee is not None else None
        func = call.func
        if function is None and isinstance(func, ast.Attribute) and not (
                isinstance(func.value, ast.Name) and func.value.id == "self"):
            cls = self.model.models.instance_class(func.value)
            if cls is not None:
                function = next((stmt for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                                 and stmt.name == func.attr), None)
        if function is None:
            return None
        calls = self.model.models.calls_within(function)
        # backward() and an optimizer step: input gradients alone (saliency, attacks) train nothing
        if any(_is_backward(c) for c in calls) and any(
                isinstance(c.func, ast.Attribute) and c.func.attr == "step" and c is not call for c in calls):
            return function
        return None

    def draws_with_next(self, function) -> bool:
        """`function` (None: the module's top level) calls `next(...)` itself."""
        if self._next_drawing is None:
            self._next_drawing = {id(self.index.enclosing_function(c)) for c in self.index.calls
                                  if isinstance(c.func, ast.Name) and c.func.id == "next"}
        return id(function) in self._next_drawing

    def _drawn_with_next(self, calls: list[ast.Call]) -> list[ast.expr]:
        """The loaders a loop body draws batches from by hand: `next(batches)` or
        `batches.next()` where `batches = iter(loader)` (or `enumerate(loader)`)."""
        found = []
        for call in calls:
            func = call.func
            if isinstance(func, ast.Name) and func.id == "next" and len(call.args) >= 1:
                source = call.args[0]
            elif isinstance(func, ast.Attribute) and func.attr in ("next", "__next__") and not call.args:
                source = func.value
            else:
                continue
            drawn = iterated(source)
            if drawn == [source]:
                drawn = []
                for origin, _scope in self.model.values.origins(source):
                    if isinstance(origin, ast.Call) and iterated(origin) != [origin]:
                        drawn.extend(iterated(origin))
            found.extend(drawn)
        return found


def disables_grad(model, expr: ast.AST) -> bool:
    """`torch.no_grad()`, `torch.inference_mode()`, and `torch.set_grad_enabled(False)` (a
    validation phase written `with torch.set_grad_enabled(phase == "train")` is not one)."""
    qual = model.qualname(expr.func if isinstance(expr, ast.Call) else expr)
    if qual in catalogue.NO_GRAD_CONTEXTS:
        return True
    return (qual in catalogue.SET_GRAD_ENABLED and isinstance(expr, ast.Call) and len(expr.args) == 1
            and model.const(expr.args[0]) is False)


def _names_evaluation(name: str) -> bool:
    """`val_loader`, `"val"`, `test_batches`, `"eval"`."""
    name = name.lower()
    return name.startswith(catalogue.EVALUATION_PREFIXES) or name == "val" or name.startswith("val_")


def _evaluation_phase(call: ast.Call) -> bool:
    """`model.step(batch, "val")`, `run_batch(batch, train=False)`: a step helper called for evaluation."""
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and _names_evaluation(argument.value):
            return True
    return any(k.arg and "train" in k.arg.lower() and isinstance(k.value, ast.Constant) and k.value.value is False
               for k in call.keywords)


class _AfterEnd:
    """A position just after the last line of a statement (what a method leaves in effect)."""

    def __init__(self, statement: ast.stmt):
        self.lineno = (statement.end_lineno or statement.lineno) + 1
        self.col_offset = 0


def _is_backward(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "backward"


def _other_branches(first: ast.AST, second: ast.AST, index) -> bool:
    """`first` and `second` sit in different branches (body / orelse) of one `if` statement or
    conditional expression (`model.train() if phase == "train" else model.eval()`)."""
    def branches(node):
        found = {}
        child = node
        for ancestor in index.ancestors(node):
            if isinstance(ancestor, ast.If):
                found[id(ancestor)] = "body" if any(child is s for s in ancestor.body) else "orelse"
            elif isinstance(ancestor, ast.IfExp) and child is not ancestor.test:
                found[id(ancestor)] = "body" if child is ancestor.body else "orelse"
            child = ancestor
        return found

    a, b = branches(first), branches(second)
    return any(key in b and b[key] != side for key, side in a.items())


def _before(first: ast.AST, second: ast.AST) -> bool:
    return (first.lineno, first.col_offset) < (second.lineno, second.col_offset)


def _inside_body(node: ast.AST, loop: ast.AST, index) -> bool:
    """In the loop's body or else (not its iterable), not inside a nested function."""
    child = node
    for ancestor in index.ancestors(node):
        if isinstance(ancestor, _BOUNDARIES):
            return False
        if ancestor is loop:
            return child is not getattr(loop, "iter", None) and child is not getattr(loop, "test", None) \
                and child is not getattr(loop, "target", None)
        child = ancestor
    return False


def _held_by_self(expr: ast.AST) -> bool:
    """`self.net`, or a model a method of an object the class keeps hands out without arguments
    (`self.config.get_model()`): the same object in every method of the class."""
    if isinstance(expr, ast.Call) and not expr.args and not expr.keywords and isinstance(expr.func, ast.Attribute):
        expr = expr.func.value
    while isinstance(expr, ast.Attribute):
        if isinstance(expr.value, ast.Name) and expr.value.id == "self":
            return True
        expr = expr.value
    return False


def _carried_member(binding) -> tuple[ast.Name, object, str] | None:
    """(container, key, "item"|"attr") for `x = container["key"]` / `x = container.key`."""
    if binding is None or binding.kind not in ("assign", "annassign"):
        return None
    value = binding.value
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) \
            and isinstance(value.slice, ast.Constant) and isinstance(value.slice.value, str):
        return value.value, value.slice.value, "item"
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id != "self":
        return value.value, value.attr, "attr"
    return None
