"""TensorFlow training contexts: GradientTape blocks, what their gradients update, and the
places where a model's variables are handed to a gradient or an optimizer.

A tape is a *training step* when one of its `tape.gradient(...)` calls (or an
`optimizer.minimize(..., tape=tape)`) takes gradients with respect to some model's variables
(`model.trainable_variables`, `self.trainable_weights`, a name bound to those, a sum of them).
A tape whose gradients are taken only with respect to inputs (saliency maps, adversarial
examples, gradient penalties on images) updates no model and is not a training step.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bnlint import catalogue

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import SemanticModel

# Attributes of a Keras model/layer (and tf.Module) that list variables, by what they hold.
VARIABLE_ATTRIBUTES = {
    "trainable_variables": "trainable",
    "trainable_weights": "trainable",
    "variables": "all",
    "weights": "all",
    "non_trainable_variables": "non-trainable",
    "non_trainable_weights": "non-trainable",
}
# TF1 functions returning every global variable of the graph (moving statistics included).
GLOBAL_VARIABLE_FUNCTIONS = ("tensorflow.global_variables", "tensorflow.all_variables",
                             "tensorflow.compat.v1.global_variables", "tensorflow.compat.v1.all_variables")
_FUNCTION_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(eq=False)
class VariableSource:
    """An expression that denotes variables: `owner.attr`, or TF1 `tf.global_variables()`."""

    node: ast.AST  # the `model.variables` attribute (or the global_variables() call)
    owner: ast.expr | None  # the model expression (`model`, `self`, `self.generator`); None for globals
    kind: str  # trainable | all | non-trainable | global
    via: ast.AST | None = None  # the name it was reached through (`params = model.variables`)
    # reached through a parameter of the function that uses it, from the arguments its callers
    # pass: the callers' own uses (helper uses) are where a finding about the list belongs
    from_caller: bool = False
    # returned by a helper (`node` is then the helper's call): where the helper lists them (a
    # node of this module, or a place in another), for evidence
    listed_in_helper: object = None
    # set by a base class of another module (`self.params = self.model.weights` there): where
    inherited_from: object = None

    @property
    def includes_non_trainable(self) -> bool:
        return self.kind in ("all", "non-trainable", "global")


@dataclass(eq=False)
class VariableUse:
    """A call that differentiates or updates variables: tape.gradient, apply_gradients,
    minimize, compute_gradients."""

    call: ast.Call
    kind: str  # tape.gradient | apply_gradients | minimize | compute_gradients
    argument: ast.expr  # the argument that names the variables
    sources: list[VariableSource]
    # TF1 `optimizer.minimize(loss_fn)` with no var_list: the variables the callable's tape
    # watches, i.e. those of every model it calls (filled in with the callable's tape)
    watched: bool = False
    # a call of a helper that hands the variables on: the helper's own gradient call (a node
    # of this module, or a place in another), for evidence
    inner: object = None


@dataclass(eq=False)
class Tape:
    """A `with tf.GradientTape() as tape:` block; or `optimizer.minimize(loss_fn, var_list)`
    with a loss callable, which records the callable's body on a tape of its own (then `node`
    is the `minimize` call, `item` is None and the body is the callable's)."""

    node: ast.With | ast.AsyncWith | ast.Call
    item: ast.withitem | None
    name: str
    body_calls: list[ast.Call] = field(default_factory=list)
    gradients: list[VariableUse] = field(default_factory=list)  # tape.gradient / minimize(tape=)

    @property
    def opener(self) -> ast.AST:
        """Where the tape starts recording, for evidence."""
        return self.item.context_expr if self.item is not None else self.node

    @property
    def opened(self) -> str:
        return "GradientTape opened here" if self.item is not None else "the loss callable is differentiated here"

    @property
    def line(self) -> int:
        return self.opener.lineno

    @property
    def updated(self) -> list[VariableSource]:
        """The variables this tape's gradients are taken for (empty: not a training step)."""
        return [source for use in self.gradients for source in use.sources if source.owner is not None]

    @property
    def is_training_step(self) -> bool:
        return bool(self.updated)


class TrainingAnalysis:
    def __init__(self, model: "SemanticModel", helpers: bool = True):
        self.model = model
        self.index = model.index
        self.tapes: list[Tape] = self._find_tapes()
        self.variable_uses: list[VariableUse] = self._find_variable_uses()
        if helpers:
            self.variable_uses += self._helper_variable_uses(self.variable_uses)
        for tape in self.tapes:
            tape.gradients = [use for use in self.variable_uses if self._belongs_to(use, tape)]
        self.tapes.extend(self._minimized_callables())

    def _minimized_callables(self) -> list[Tape]:
        """`optimizer.minimize(loss_fn, var_list)` with `loss_fn` a lambda or a function of the
        module: Keras runs the callable under a GradientTape of its own."""
        found = []
        for use in self.variable_uses:
            call = use.call
            if use.kind != "minimize" or any(k.arg == "tape" for k in call.keywords) or not call.args:
                continue
            loss = call.args[0]
            if isinstance(loss, ast.Name):
                binding = self.model.values.binding_of(loss)
                if binding is not None and binding.kind == "def":
                    loss = binding.node
                elif binding is not None and binding.kind in ("assign", "annassign") and isinstance(binding.value, ast.Lambda):
                    loss = binding.value
                elif binding is not None and binding.kind in ("assign", "annassign") and isinstance(
                        binding.value, ast.Call):
                    loss = binding.value
            if isinstance(loss, ast.Call):
                # `minimize(make_loss(model, x, y), var_list)`: the closure the factory returns
                loss = self._returned_closure(loss)
            if isinstance(loss, ast.Lambda):
                body = [n for n in ast.walk(loss.body) if isinstance(n, ast.Call)]
            elif isinstance(loss, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = [c for c in self.model.models.calls_within(loss) if self.index.enclosing_function(c) is loss]
            else:
                continue
            if use.watched:
                # every model the callable calls, directly or as a helper's argument
                # (`lambda: loss(model, x, y)`): its variables are watched and updated
                seen = set()
                for inner in body:
                    for candidate in (inner.func, *inner.args):
                        key = ast.dump(candidate)
                        if key in seen or not isinstance(candidate, (ast.Name, ast.Attribute)):
                            continue
                        seen.add(key)
                        contents = self.model.models.contents_of(candidate)
                        if contents is not None and contents.framework != "torch":
                            use.sources.append(VariableSource(candidate, candidate, "trainable"))
                if not use.sources:
                    continue
            found.append(Tape(call, None, "", body, [use]))
        return found

    def _returned_closure(self, call: ast.Call) -> ast.AST | None:
        """The nested function or lambda a module function returns (`def make_loss(model, x, y):
        def loss(): ...; return loss`); None when it returns anything else."""
        callee = self.index.local_callee(call)
        if callee is None:
            return None
        function = callee[0]
        returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None
                   and self.index.enclosing_function(n) is function]
        if len(returns) != 1:
            return None
        returned = returns[0]
        if isinstance(returned, ast.Lambda):
            return returned
        if isinstance(returned, ast.Name):
            nested = next((s for s in function.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and s.name == returned.id), None)
            return nested
        return None

    # ---- tapes ----------------------------------------------------------------------
    def _is_tape(self, expr: ast.AST) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        qual = self.index.qualname(expr.func)
        return bool(qual) and qual.startswith("tensorflow") and qual.rpartition(".")[2] == "GradientTape"

    def _find_tapes(self) -> list[Tape]:
        tapes: list[Tape] = []
        by_with: dict[ast.AST, list[Tape]] = {}
        for with_node in self.index.withs:
            for item in with_node.items:
                if self._is_tape(item.context_expr) and isinstance(item.optional_vars, ast.Name):
                    tape = Tape(with_node, item, item.optional_vars.id)
                    tapes.append(tape)
                    by_with.setdefault(with_node, []).append(tape)
        if not tapes:
            return tapes
        for call in self.index.calls:
            for ancestor in self.index.ancestors(call):
                if isinstance(ancestor, _FUNCTION_BOUNDARIES):
                    break
                if ancestor in by_with and _in_body(ancestor, call, self.index):
                    for tape in by_with[ancestor]:
                        tape.body_calls.append(call)
        return tapes

    def _belongs_to(self, use: VariableUse, tape: Tape) -> bool:
        """`tape.gradient(...)` or `opt.minimize(..., tape=tape)` with this tape's name, in the
        function that holds the `with` block."""
        call = use.call
        if use.inner is not None:
            return False  # a helper's gradient call, reached through a call of the helper
        if use.kind == "tape.gradient":
            owner = call.func.value  # type: ignore[union-attr]
            named = isinstance(owner, ast.Name) and owner.id == tape.name
        elif use.kind == "minimize":
            given = next((k.value for k in call.keywords if k.arg == "tape"), None)
            named = isinstance(given, ast.Name) and given.id == tape.name
        else:
            return False
        if not named or self.index.enclosing_function(call) is not self.index.enclosing_function(tape.node):
            return False
        # two `with tf.GradientTape() as tape:` blocks in one step (discriminator, then
        # generator): a gradient call belongs to the last one opened before it
        opened_before = [t for t in self.tapes if t.name == tape.name and t.node.lineno <= call.lineno
                         and self.index.enclosing_function(t.node) is self.index.enclosing_function(call)]
        latest = max(opened_before, key=lambda t: (t.node.lineno, t.node.col_offset), default=None)
        return latest is None or latest is tape

    # ---- variable uses --------------------------------------------------------------
    def _find_variable_uses(self) -> list[VariableUse]:
        uses = []
        for call in self.index.calls:
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            argument = None
            kind = func.attr
            if kind == "gradients" and (self.index.qualname(func) or "").replace("compat.v1.", "") == "tensorflow.gradients":
                # TF1 `tf.gradients(ys, xs)`
                argument = call.args[1] if len(call.args) >= 2 else next(
                    (k.value for k in call.keywords if k.arg == "xs"), None)
                if argument is not None:
                    uses.append(VariableUse(call, "tf.gradients", argument, self.variable_sources(argument)))
                continue
            if kind == "gradient":
                # `tape.gradient(target, sources)`; `np.gradient(...)` and other module functions are not tapes
                if not isinstance(func.value, ast.Name) or self.index.qualname(func) is not None:
                    continue
                argument = call.args[1] if len(call.args) >= 2 else next(
                    (k.value for k in call.keywords if k.arg == "sources"), None)
                kind = "tape.gradient"
            elif kind == "apply_gradients":
                pairs = call.args[0] if call.args else next(
                    (k.value for k in call.keywords if k.arg == "grads_and_vars"), None)
                argument = self._zipped_variables(pairs)
            elif kind == "apply" and self._keras_optimizer(func.value):
                # Keras 3: `optimizer.apply(grads, trainable_variables)`
                argument = call.args[1] if len(call.args) >= 2 else next(
                    (k.value for k in call.keywords if k.arg == "trainable_variables"), None)
                kind = "apply_gradients"
            elif kind in ("minimize", "compute_gradients"):
                argument = next((k.value for k in call.keywords if k.arg == "var_list"), None)
                if argument is None:
                    # `opt.minimize(loss, **kwargs)` with `kwargs = {"var_list": ..., ...}` (a
                    # helper's dict): the list the spread mapping gives
                    given = self.model.values.given(call, "var_list")
                    if isinstance(given, tuple) and given[2] and isinstance(given[0], ast.AST) \
                            and given[0] in self.index.parents:
                        spread = next(k.value for k in call.keywords if k.arg is None)
                        # (reported at the spread of the gradient call, as a name bound to the list is)
                        uses.append(VariableUse(call, kind, given[0], [
                            replace(source, via=source.via or spread) for source in self.variable_sources(given[0])]))
                        continue
                if argument is None and kind == "compute_gradients" and len(call.args) >= 2:
                    argument = call.args[1]  # TF1 Optimizer.compute_gradients(loss, var_list=None, ...)
                with_tape = any(k.arg == "tape" for k in call.keywords)
                if argument is None and kind == "minimize" and len(call.args) >= 2 and (
                        with_tape or self._keras_optimizer(func.value)):
                    argument = call.args[1]  # Keras Optimizer.minimize(loss, var_list, tape=None)
                if argument is None and kind == "minimize" and len(call.args) >= 3 and self._tf1_optimizer(func.value):
                    argument = call.args[2]  # TF1 Optimizer.minimize(loss, global_step, var_list)
                if argument is None and kind == "minimize" and call.args and self._tf1_optimizer(func.value) \
                        and isinstance(call.args[0], (ast.Lambda, ast.Name)):
                    uses.append(VariableUse(call, kind, call.args[0], [], watched=True))
                    continue
                if argument is None and kind == "minimize":
                    continue
            else:
                continue
            if argument is None:
                continue
            sources = self.variable_sources(argument)
            uses.append(VariableUse(call, kind, argument, sources))
        return uses

    def _helper_variable_uses(self, direct: list[VariableUse]) -> list[VariableUse]:
        """Calls of a function that hands one of its parameters to a gradient call as the
        variable list, here or in another module of the project: `facenet.train(loss, step, ...,
        tf.global_variables())` with `def train(..., update_gradient_vars): grads =
        opt.compute_gradients(loss, update_gradient_vars)`. The use is the call; its variables
        are the argument given for that parameter."""
        if not any(word in self.model.source for word in ("variables", "weights", "_vars", "var_list")):
            return []
        found = []
        project = self.model.project
        for call in self._calls_given_variable_lists():  # cheap first: resolving a callee may parse a module
            callee = self.index.local_callee(call)
            other = None
            if callee is not None:
                function, bound = callee
                uses = [u for u in direct if self.index.enclosing_function(u.call) is function]
            else:
                qual = self.index.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
                defined = project.definition(qual) if project is not None and qual else None
                if defined is None or not isinstance(defined[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                other, function = defined
                bound = False
                uses = [u for u in _direct_uses(other) if other.index.enclosing_function(u.call) is function]
            parameters = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
            for use in uses:
                if not (isinstance(use.argument, ast.Name) and use.argument.id in parameters):
                    continue
                argument = self.index.argument_for(call, function, use.argument.id, bound=bound)
                if argument is None:
                    continue
                sources = self.variable_sources(argument)
                if sources:
                    inner = project.foreign(use.call, other) if other is not None else use.call
                    found.append(VariableUse(call, use.kind, argument, sources, inner=inner))
        return found

    def _calls_given_variable_lists(self) -> list[ast.Call]:
        """Calls with an argument that may be a variable list: it reads `.variables`/`.weights`
        (or their trainable forms), calls `global_variables()`/`get_collection()`, or is a name
        assigned such an expression. One walk of the module."""
        hits, names = [], set()
        for node in ast.walk(self.index.tree):
            if (isinstance(node, ast.Attribute) and node.attr in _VARIABLE_LISTS) or (
                    isinstance(node, ast.Call) and (node.func.attr if isinstance(node.func, ast.Attribute) else
                                                    node.func.id if isinstance(node.func, ast.Name) else "")
                    in _GLOBAL_LISTS):
                hits.append(node)
        calls = {}
        for hit in hits:
            child = hit
            for ancestor in self.index.ancestors(hit):
                if isinstance(ancestor, ast.Call) and child is not ancestor.func:
                    calls[id(ancestor)] = ancestor
                    break
                if isinstance(ancestor, ast.Assign):
                    names.update(t.id for t in ancestor.targets if isinstance(t, ast.Name))
                    break
                if isinstance(ancestor, (ast.stmt, ast.Lambda)):
                    break
                child = ancestor
        for call in self.index.calls:
            # (also a list named for what it holds, made by a helper: `gene_vars`, `disc_var_list`)
            if any(isinstance(a, ast.Name) and (a.id in names or _names_variable_list(a.id))
                   for a in [*call.args, *(k.value for k in call.keywords)]):
                calls[id(call)] = call
        return list(calls.values())

    def _keras_optimizer(self, expr: ast.AST) -> bool:
        """`opt` built by a `keras.optimizers` class, or an attribute called `optimizer`
        (`self.optimizer`, `model.optimizer`): `.apply` is too common a name to take on trust."""
        if isinstance(expr, ast.Attribute):
            return expr.attr in ("optimizer", "opt") or expr.attr.endswith("_optimizer")
        if not isinstance(expr, ast.Name):
            return False
        binding = self.model.values.binding_of(expr)
        value = binding.value if binding is not None else None
        if not isinstance(value, ast.Call):
            return False
        qual = self.index.qualname(value.func) or ""
        return catalogue.keras_name(qual).startswith("keras.optimizers.")

    def _tf1_optimizer(self, expr: ast.AST) -> bool:
        """`opt` built by a TF1 `tf.train.*Optimizer` (also inline: `tf.train.AdamOptimizer(lr).minimize`)."""
        values = [expr]
        if isinstance(expr, ast.Name):
            # also a parameter every call fills with one (`def train(model, data, optimizer)`)
            values = [origin for origin, _scope in self.model.values.origins(expr)]
        if not values or not all(isinstance(v, ast.Call) for v in values):
            return False
        for value in values:
            qual = (self.index.qualname(value.func) or "").replace("compat.v1.", "")
            if not (qual.startswith("tensorflow.train.") and qual.endswith("Optimizer")):
                return False
        return True

    def _zipped_variables(self, pairs: ast.AST | None, depth: int = 0) -> ast.expr | None:
        """The variables of `zip(grads, variables)`, also through a name bound to the zip."""
        if isinstance(pairs, ast.Call) and isinstance(pairs.func, ast.Name) and pairs.func.id == "zip":
            if len(pairs.args) == 2 and self.index.qualname(pairs.func) == "builtins.zip":
                return pairs.args[1]
            return None
        if isinstance(pairs, ast.Call) and isinstance(pairs.func, ast.Name) and pairs.func.id == "list" \
                and len(pairs.args) == 1:
            return self._zipped_variables(pairs.args[0], depth + 1)
        if isinstance(pairs, ast.Name) and depth < 4:
            binding = self._single_assignment(pairs)
            if binding is not None:
                return self._zipped_variables(binding.value, depth + 1)
        return None

    def variable_sources(self, expr: ast.AST, _depth: int = 0, _via: ast.AST | None = None) -> list[VariableSource]:
        """The model variables an expression denotes (empty: none recognized)."""
        if _depth > 10:  # (wrappers count: `list(set(new_vars) - set(old_vars))` is four levels)
            return []
        if isinstance(expr, ast.Attribute) and expr.attr in VARIABLE_ATTRIBUTES:
            return [VariableSource(expr, expr.value, VARIABLE_ATTRIBUTES[expr.attr], _via)]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return (self.variable_sources(expr.left, _depth + 1, _via)
                    + self.variable_sources(expr.right, _depth + 1, _via))
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Sub):
            # `list(set(tf.global_variables()) - set(old_vars))`: the variables made since `old_vars`
            # was taken (a network's, its moving statistics included), drawn from the left side
            return self.variable_sources(expr.left, _depth + 1, _via)
        if isinstance(expr, (ast.List, ast.Tuple)):
            found = []
            for element in expr.elts:
                inner = element.value if isinstance(element, ast.Starred) else element
                found.extend(self.variable_sources(inner, _depth + 1, _via))
            return found
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp)) and expr.generators:
            # `[v for m in members for v in m.trainable_variables]`: each member's variables
            last = expr.generators[-1]
            if isinstance(expr.elt, ast.Name) and isinstance(last.target, ast.Name) and last.target.id == expr.elt.id:
                return self.variable_sources(last.iter, _depth + 1, _via)
            return self.variable_sources(expr.elt, _depth + 1, _via)
        if isinstance(expr, ast.Call):
            qual = self.index.qualname(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else None
            if qual in ("builtins.list", "builtins.tuple", "builtins.set") and len(expr.args) == 1:
                return self.variable_sources(expr.args[0], _depth + 1, _via)
            if qual == "builtins.sum" and expr.args:
                return self.variable_sources(expr.args[0], _depth + 1, _via)  # `sum([...], [])`
            if qual in GLOBAL_VARIABLE_FUNCTIONS and not expr.args and not expr.keywords:
                return [VariableSource(expr, None, "global", _via)]
            if qual in GLOBAL_VARIABLE_FUNCTIONS and self._scope_is_parameter(expr):
                # `def variables_to_train(scope=None): return tf.global_variables(scope=scope)`:
                # the scope is the caller's; the graph it names is read where the list is used
                return [VariableSource(expr, None, "global", _via)]
            if qual in GLOBAL_VARIABLE_FUNCTIONS and self._scope_builds_batch_norm(expr):
                # `tf.global_variables(scope="net")` with `with tf.variable_scope("net"):` around
                # layers with BatchNorm: the scope's moving statistics are in the list
                return [VariableSource(expr, None, "global", _via)]
            if qual in ("tensorflow.get_collection", "tensorflow.compat.v1.get_collection") and expr.args:
                # `tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)`: every global variable
                key = expr.args[0]
                key_name = self.index.qualname(key) if isinstance(key, ast.Attribute) else None
                if (key_name or "").endswith("GraphKeys.GLOBAL_VARIABLES") or self.model.const(key) == "variables":
                    return [VariableSource(expr, None, "global", _via)]
            return self._returned_by_helper(expr, _depth, _via)
        if isinstance(expr, ast.Name):
            unpacked = self.model.values.binding_of(expr)
            if unpacked is not None and unpacked.kind == "unpack" and unpacked.index is not None \
                    and isinstance(unpacked.value, ast.Call):
                # `output, gene_vars = _generator_model(sess, x)`: that element of what the helper returns
                return self._returned_by_helper(unpacked.value, _depth, _via or expr, element=unpacked.index)
            binding = self._single_assignment(expr)
            if binding is not None:
                found = self.variable_sources(binding.value, _depth + 1, _via or expr)
                # `params = []; params.extend(head.trainable_variables); params.extend(model.variables)`
                for grown in self._grown_by(expr, binding):
                    found.extend(self.variable_sources(grown, _depth + 1, _via or expr))
                return found
            bindings = self.index.lookup(expr.id, self.index.scope_of(expr))
            if len(bindings) == 1 and bindings[0].kind == "param" and isinstance(
                    bindings[0].scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # `def train_one_step(self, batch, variables)` called with the list the caller
                # builds: the variables every call passes
                found = []
                for call, bound in self.index.callers(bindings[0].scope.node)[:6]:
                    argument = self.index.argument_for(call, bindings[0].scope.node, expr.id, bound=bound)
                    if argument is not None:
                        found.extend(replace(source, from_caller=True)
                                     for source in self.variable_sources(argument, _depth + 1, _via or expr))
                return found
            # `if links is not None: params = a.tv + b.tv + c.tv` / `else: params = a.tv + b.tv`:
            # the variables of every assignment that may reach the use (one, when each branch
            # assigns and uses its own: `params = ...; tape.gradient(loss, params)` in both)
            reaching = self.model.values.reaching_bindings(expr) or []
            if 1 <= len(reaching) <= 4 and all(b.kind in ("assign", "annassign") and b.value is not None
                                              for b in reaching):
                found = []
                for binding in reaching:
                    for source in self.variable_sources(binding.value, _depth + 1, _via or expr):
                        if not any(ast.dump(source.owner) == ast.dump(other.owner) for other in found):
                            found.append(source)
                return found
        if isinstance(expr, ast.Attribute) and not _on_self(expr):
            found = self._property_variables(expr, _depth, _via)
            if found:
                return found
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            # `self.params = self.net.variables` in __init__, differentiated in train_step
            found = []
            for origin, _scope in self.model.values.origins(expr):
                if origin is not expr:
                    found.extend(self.variable_sources(origin, _depth + 1, _via or expr))
            return found or self._inherited_variable_list(expr, _depth, _via)
        return []

    def _property_variables(self, expr: ast.Attribute, depth: int, via) -> list[VariableSource]:
        """`critic.vars` with `@property def vars(self): return tf.get_collection(
        tf.GraphKeys.GLOBAL_VARIABLES, scope=self.name)` in the class of `critic` (or a base of it,
        of this module or another; baselines' DDPG models): the graph's variables the property
        lists. Only lists that are the graph's, not the object's own models."""
        from bnlint.semantic.models import _class_made_by, instance_class

        owner = instance_class(self.model.models, expr.value)
        if (owner is None or owner[1] is None) and isinstance(expr.value, ast.Name) and depth <= 6:
            # `DDPG(Actor(act_dim), Critic(), ...)` in the script: the class other modules construct
            # for the parameter (looked up here only: reading other modules' calls costs parses)
            binding = self.model.values.binding_of(expr.value)
            made = [_class_made_by(other.models, argument, other.index.scope_of(argument))
                    for other, _call, argument in (self.model.values.external_arguments(binding) or [])[:6]
                    if isinstance(argument, ast.Call)] if binding is not None and binding.kind == "param" else []
            owner = made[0] if made and None not in made and len({id(c) for _h, c in made}) == 1 else None
        if owner is None or owner[1] is None or depth > 6:
            return []
        for home, cls in self.model.models.lineage(owner[1]) if owner[0] is self.model.models else \
                owner[0].lineage(owner[1]):
            prop = next((m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and m.name == expr.attr), None)
            if prop is None:
                continue
            if not any(isinstance(d, ast.Name) and d.id == "property" for d in prop.decorator_list):
                return []
            analysis = self if home is self.model.models else home.model.training
            found = []
            for node in ast.walk(prop):
                if isinstance(node, ast.Return) and node.value is not None and home.index.enclosing_function(node) is prop:
                    for source in analysis.variable_sources(node.value, depth + 1):
                        if source.owner is not None:
                            return []  # the object's own models, named in its terms
                        listed = source.node if home is self.model.models else \
                            self.model.project.foreign(source.node, home.model)
                        found.append(VariableSource(expr, None, source.kind, via, listed_in_helper=listed))
            return found
        return []

    def _inherited_variable_list(self, expr: ast.Attribute, depth: int, via) -> list[VariableSource]:
        """`self.params` that a base class of another module sets (`self.params = self.model.weights`
        in `BaseTrainer.__init__`), differentiated here: the base's variables, owned by the same
        `self.model` as this class names it (a node of this class; none named: nothing)."""
        cls = self.index.enclosing_class(expr)
        if cls is None or depth > 4:
            return []
        for home, base in self.model.models.lineage(cls)[1:]:
            if home is self.model.models:
                continue
            assigned = home.model.values._class_attributes(base).get(expr.attr, [])
            if not assigned:
                continue
            found = []
            for value, _scope in assigned[:4]:
                if value is None:
                    return []
                for source in home.model.training.variable_sources(value, depth + 1):
                    owner = self._named_in_class(cls, source.owner) if _on_self(source.owner) else None
                    if owner is not None:
                        found.append(VariableSource(expr, owner, source.kind, via,
                                                    inherited_from=self.model.project.foreign(source.node,
                                                                                              home.model)))
            return found
        return []

    @staticmethod
    def _named_in_class(cls: ast.ClassDef, foreign: ast.AST) -> ast.AST | None:
        """The first expression of `cls` spelled like `foreign` (`self.model`), if any."""
        wanted = ast.dump(foreign)
        return next((node for node in ast.walk(cls) if isinstance(node, type(foreign)) and ast.dump(node) == wanted),
                    None)

    def _scope_is_parameter(self, call: ast.Call) -> bool:
        scope_arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "scope"), None)
        if not isinstance(scope_arg, ast.Name) or len(call.args) + len(call.keywords) != 1:
            return False
        binding = self.model.values.binding_of(scope_arg)
        return binding is not None and binding.kind == "param"

    def _scope_builds_batch_norm(self, call: ast.Call) -> bool:
        """`tf.global_variables("net")` (or `scope="net"`) where a `tf.variable_scope("net")` of
        the module builds BatchNorm layers in its body (also through the functions it calls)."""
        scope_arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "scope"), None)
        name = self.model.const(scope_arg) if scope_arg is not None else None
        if not isinstance(name, str) or not name:
            return False
        for node in self.index.withs:
            for item in node.items:
                opened = item.context_expr
                if not (isinstance(opened, ast.Call) and isinstance(opened.func, (ast.Name, ast.Attribute))
                        and (self.index.qualname(opened.func) or "").rpartition(".")[2] == "variable_scope"
                        and opened.args and self.model.const(opened.args[0]) == name.split("/")[0]):
                    continue
                if self.model.models.scope_contents(node).bn:
                    return True
        return False

    def _returned_by_helper(self, call: ast.Call, depth: int, via, element: int | None = None) -> list[VariableSource]:
        """`params = params_of(enc, dec)` with `def params_of(*models): out = []; for m in models:
        out.extend(m.weights); return out`, in this module or another: the variables the helper
        returns, of the models the call hands it. With `element`: that element of the tuples or
        lists it returns (`return output, gene_vars`, also `return [out, gene_vars]`, also what a
        helper it calls returns: `out, gene_vars = _generator_model(...); return [out, gene_vars]`)."""
        home, function = self.model, None
        if isinstance(call.func, ast.Name):
            function = self.model.models._local_definition(call.func, self.index.scope_of(call))
        own_method = isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
            and call.func.value.id == "self"
        if own_method:
            # `params = self._params()` with `def _params(self): return self.net.weights`: the
            # object's own models, named the same way at the call
            callee = self.index.local_callee(call)
            function = callee[0] if callee is not None else None
        foreign_method = False
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            callee = self.model.project_callee(call) or self.model.parameter_method_callee(call)
            if callee is None or callee[1] is None or (callee[2] and callee[1].name == "__init__"):
                return []
            # (a method of another module's object, `graph.model_variables()`: only the graph's
            # own lists, `tf.global_variables(self.scope)`, are known here, not its attributes')
            home, function, foreign_method = callee[0], callee[1], callee[2]
        found = []
        for node in ast.walk(function):
            if not (isinstance(node, ast.Return) and node.value is not None
                    and home.index.enclosing_function(node) is function):
                continue
            # (this module's own helper: this analysis, which may still be being built)
            analysis = self if home is self.model else home.training
            returned = node.value
            if element is not None:
                if not isinstance(returned, (ast.Tuple, ast.List)) or element >= len(returned.elts) or any(
                        isinstance(e, ast.Starred) for e in returned.elts):
                    continue
                returned = returned.elts[element]
            for source in analysis.variable_sources(returned, depth + 1):
                if foreign_method and source.owner is not None:
                    continue
                listed = source.node if home is self.model else self.model.project.foreign(source.node, home)
                owners = [None] if source.owner is None else [source.owner] if own_method and _on_self(
                    source.owner) else _passed_for(home, function, source.owner, call)
                found.extend(VariableSource(call, owner, source.kind, via, listed_in_helper=listed)
                             for owner in owners)
        return found

    def _grown_by(self, name: ast.Name, binding) -> list[ast.AST]:
        """What the list a name is bound to is extended with in the scope that binds it:
        `name.extend(x)`, `name.append(x)` (x a variable list), `name += x`."""
        found = []
        for call in self.index.calls_named("extend") + self.index.calls_named("append"):
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == name.id \
                    and len(call.args) == 1 and self.index.scope_of(call) is binding.scope:
                found.append(call.args[0])
        for node in self.index.assigns:
            if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name) \
                    and node.target.id == name.id and self.index.scope_of(node) is binding.scope:
                found.append(node.value)
        return found

    def _single_assignment(self, name: ast.Name):
        # (`weights += net.weights` grows the list the one assignment made: see _grown_by)
        bindings = [b for b in self.index.lookup(name.id, self.index.scope_of(name)) if b.kind != "augassign"]
        if len(bindings) == 1 and bindings[0].kind in ("assign", "annassign") and bindings[0].value is not None:
            return bindings[0]
        return None

    # ---- model calls inside a tape ----------------------------------------------------
    def model_calls(self, tape: Tape) -> list[tuple[ast.Call, VariableSource, ast.Call | None]]:
        """Calls of a model whose variables the tape's gradients update, made in the tape's body
        or in a helper the body calls (`loss = compute_loss(model, x)`, `self.forward_pass(x)`):
        (model call, variables, the helper call in the tape or None)."""
        owners: dict[str, VariableSource] = {}
        for source in tape.updated:
            owners.setdefault(ast.dump(source.owner), source)
        self._add_composites(owners)
        # `[v for net in nets.values() for v in net.trainable_variables]`: every model of `nets`,
        # called as `nets["shared"](x)`
        containers = {}
        for source in tape.updated:
            container = self._iterated_container(source.owner)
            if container is not None:
                containers.setdefault(ast.dump(container), source)
        found = []
        for call in tape.body_calls:
            key = ast.dump(called_model(call))
            if key in owners:
                found.append((call, owners[key], None))
                continue
            model = called_model(call)
            if isinstance(model, ast.Subscript) and ast.dump(model.value) in containers:
                found.append((call, containers[ast.dump(model.value)], None))
                continue
            part_of = _owner_of_part(called_model(call), owners) if self.index.local_callee(call) is None else None
            if part_of is None and self.index.local_callee(call) is None:
                # `model(real, z)` of a GAN wrapper, the gradients over `model.d.trainable_variables`
                # and `model.g.trainable_variables`: calling the whole runs its parts
                part_of = _part_of_called(called_model(call), owners)
            if part_of is not None:
                # `self.encoder(x)` in a `train_step` over `self.trainable_weights`: a sub-model's
                # variables are among its owner's
                found.append((call, part_of, None))
                continue
            found.extend((inner, source, call) for inner, source in self._helper_model_calls(call, owners, 0))
        return found

    def _add_composites(self, owners: dict) -> None:
        """A functional model whose graph runs a model the tape updates (`g_out = generator(g_in);
        d_out = discriminator([g_out, g_in]); gan = Model(g_in, [g_out, d_out])`, then the
        generator trained through `gan(x)`): calling it runs that model, so it stands for it."""
        if not owners:
            return
        for node in self.index.assigns:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Call) and isinstance(node.value.func, (ast.Name, ast.Attribute))):
                continue
            key = ast.dump(ast.Name(id=node.targets[0].id, ctx=ast.Load()))  # (how a use of the name dumps)
            if key in owners or catalogue.keras_name(self.index.qualname(node.value.func) or "") \
                    not in catalogue.FUNCTIONAL_MODEL_CLASSES:
                continue
            scope = self.index.scope_of(node)
            names = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            for _ in range(3):  # the tensors the model's inputs and outputs are computed from
                grown = set(names)
                for other in self.index.assigns:
                    if (isinstance(other, ast.Assign) and self.index.scope_of(other) is scope and other.lineno < node.lineno
                            and any(isinstance(t, ast.Name) and t.id in names for t in other.targets)):
                        for call in (c for c in ast.walk(other.value) if isinstance(c, ast.Call)):
                            source = owners.get(ast.dump(called_model(call)))
                            if source is not None:
                                owners[key] = source
                                break
                        grown.update(n.id for n in ast.walk(other.value) if isinstance(n, ast.Name))
                    if key in owners:
                        break
                if key in owners or grown == names:
                    break
                names = grown

    def _iterated_container(self, owner: ast.AST) -> ast.AST | None:
        """The dict or list a loop variable runs over: `nets` for `net` in `for net in
        nets.values()` (or a comprehension's `for net in nets`); None for other owners."""
        if not isinstance(owner, ast.Name):
            return None
        binding = self.model.values.binding_of(owner)
        if binding is None or binding.kind not in ("for", "comp") or binding.value is None:
            return None
        iterable = binding.value
        if binding.index == 1 and isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
                and iterable.func.attr == "items" and not iterable.args:
            return iterable.func.value
        if binding.index is not None:
            return None
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
                and iterable.func.attr == "values" and not iterable.args:
            return iterable.func.value
        return iterable if isinstance(iterable, (ast.Name, ast.Attribute)) else None

    def _helper_model_calls(self, call: ast.Call, owners: dict, depth: int) -> list[tuple[ast.Call, VariableSource]]:
        """Model calls inside the module function or method `call` runs, with the helper's
        parameters read as the arguments of `call`."""
        callee = self.index.local_callee(call)
        if callee is None or depth > 2:
            return []
        function, bound = callee
        found = []
        scope = self.index.scopes.get(function)
        for inner in self.model.models.calls_within(function):
            if self.index.enclosing_function(inner) is not function:
                continue
            func = inner.func
            key = None
            if isinstance(func, ast.Name) and scope is not None:
                bindings = self.index.lookup(func.id, scope)
                if len(bindings) == 1 and bindings[0].kind == "param" and bindings[0].scope is scope:
                    argument = self.index.argument_for(call, function, func.id, bound=bound)
                    positional = [*function.args.posonlyargs, *function.args.args]
                    if (argument is None and bound and positional and positional[0].arg == func.id
                            and isinstance(call.func, ast.Attribute)):
                        argument = call.func.value  # `self(x)` in a method called as `self.compute_loss(x)`
                    key = ast.dump(argument) if argument is not None else None
            elif bound or not _mentions_self(func):
                key = ast.dump(called_model(inner))  # `self.model(x)` in a method called as `self.step(x)`
            if key is not None and key in owners:
                found.append((inner, owners[key]))
                continue
            local = self.index.local_callee(inner)
            part_of = _owner_of_part(called_model(inner), owners) if (
                local is None and bound and _mentions_self(func) and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name) and call.func.value.id == "self") else None
            if part_of is not None:
                # `self._embed(x)` in a `train_step` over `self.trainable_variables`, and
                # `self.encoder(x, training=training)` in `_embed`: a sub-model of the same object
                found.append((inner, part_of))
            elif local:
                found.extend(self._helper_model_calls(inner, owners, depth + 1))
        return found


    def inherited_tape_calls(self) -> list[InheritedTapeCall]:
        """Model calls in this module's methods that a base class of another module calls inside
        a training GradientTape: `BaseTrainer.train_step` (trainers/base.py) opens the tape, calls
        `self.compute_loss(batch)` and takes gradients over `self.model.trainable_variables`; the
        subclass here defines `compute_loss`, which calls `self.model(images)`."""
        project = getattr(self.model, "project", None)
        if project is None:
            return []
        found = []
        for cls in self.index.classes:
            methods = {s.name: s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
            for base in cls.bases if methods else ():
                qual = self.index.qualname(base, self.index.scope_of(cls)) if isinstance(
                    base, (ast.Name, ast.Attribute)) else None
                defined = project.definition(qual) if qual else None
                if defined is None or not isinstance(defined[1], ast.ClassDef) or defined[0] is self.model:
                    continue
                other, base_cls = defined
                for tape in other.training.tapes:
                    if not tape.is_training_step or other.index.enclosing_class(tape.node) is not base_cls:
                        continue
                    owners = {ast.dump(source.owner): source for source in tape.updated if _on_self(source.owner)}
                    for body_call in tape.body_calls:
                        func = body_call.func
                        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                                and func.value.id == "self" and func.attr in methods):
                            continue
                        method = methods[func.attr]
                        for inner in self.model.models.calls_within(method):
                            source = owners.get(ast.dump(called_model(inner)))
                            if source is None or self.index.enclosing_function(inner) is not method:
                                continue
                            gradient = next(use.call for use in tape.gradients if source in use.sources)
                            found.append(InheritedTapeCall(
                                inner, method.name, other.text(source.node, 40), project.foreign(tape.opener, other),
                                project.foreign(body_call, other), project.foreign(gradient, other)))
        return found

    def foreign_model_calls(self, tape: Tape) -> list["ForeignModelCall"]:
        """Model calls made, without any training flag, in another project module's function
        the tape's body calls with the model (`loss = compute_loss(model, x)` with `from losses
        import compute_loss`): the helper's model parameter is read as the argument the tape's
        call gives it."""
        project = getattr(self.model, "project", None)
        if project is None:
            return []
        owners: dict[str, VariableSource] = {}
        for source in tape.updated:
            owners.setdefault(ast.dump(source.owner), source)
        self._add_composites(owners)
        found = []
        for call in tape.body_calls:
            if self.index.local_callee(call) is not None:
                continue
            callee = self.model.project_callee(call)
            if callee is None or callee[2]:  # (a constructor or a method is no loss helper)
                continue
            other, function, _bound = callee
            parameters = [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]
            for inner in ast.walk(function):
                if not isinstance(inner, ast.Call) or other.index.enclosing_function(inner) is not function:
                    continue
                # `model(x)`, or a model in a container the helper is given: `nets["encoder"](x)`,
                # `nets.encoder(x)`
                parameter, member = _parameter_member(inner.func, other)
                if parameter not in parameters:
                    continue
                if (inner.keywords or len(inner.args) > 1
                        or any(isinstance(a, ast.Starred) for a in inner.args)):
                    continue  # a flag given, or a second positional that may be one
                argument = self.index.argument_for(call, function, parameter, bound=False)
                if argument is None:
                    continue
                source = owners.get(ast.dump(argument)) if member is None else next(
                    (s for s in owners.values() if _is_member(s.owner, argument, member, self.model)), None)
                if source is not None:
                    found.append(ForeignModelCall(call, argument if member is None else source.owner, source,
                                                  project.foreign(inner, other), other.text(inner, 40), function.name))
        return found


def _on_self(owner: ast.AST) -> bool:
    """`self.net` (or `self.nets.encoder`): an object the instance holds."""
    while isinstance(owner, ast.Attribute):
        owner = owner.value
    return isinstance(owner, ast.Name) and owner.id == "self"


def _names_variable_list(name: str) -> bool:
    """`gene_vars`, `disc_var_list`, `train_variables`: a name saying it lists variables."""
    return name.endswith(("_vars", "_var_list", "_variables")) or name in ("var_list", "vars_list", "variables")


def _passed_for(home: "SemanticModel", function, owner: ast.AST, call: ast.Call) -> list[ast.expr]:
    """The expressions of `call` (a call of `function`, a helper of module `home`) that a model
    named in the helper stands for: a parameter (`model.variables`), each model of a `*models`
    parameter or of a list parameter iterated by a loop (`for m in models: m.weights`)."""
    if not isinstance(owner, ast.Name):
        return []
    binding = home.values.binding_of(owner)
    if binding is not None and binding.kind == "for" and isinstance(binding.value, ast.Name):
        binding = home.values.binding_of(binding.value)
        iterated = True
    else:
        iterated = False
    if binding is None or binding.kind != "param" or binding.scope.node is not function:
        return []
    vararg = function.args.vararg
    if vararg is not None and binding.name == vararg.arg:
        positional = len(function.args.posonlyargs) + len(function.args.args)
        return [a for a in call.args[positional:] if not isinstance(a, ast.Starred)] if iterated else []
    argument = home.index.argument_for(call, function, binding.name)
    if argument is None:
        return []
    if iterated:
        return list(argument.elts) if isinstance(argument, (ast.List, ast.Tuple)) else []
    return [argument]


def _parameter_member(func: ast.AST, model: "SemanticModel") -> tuple[str | None, object]:
    """(the name, the member) a called expression reads: `model` is ("model", None),
    `nets["encoder"]` ("nets", "encoder"), `nets.encoder` ("nets", ".encoder")."""
    if isinstance(func, ast.Name):
        return func.id, None
    if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Name):
        key = model.values.const(func.slice)
        return (func.value.id, key) if isinstance(key, (str, int)) else (None, None)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id, "." + func.attr
    return None, None


def _is_member(owner: ast.AST, container: ast.AST, member, model: "SemanticModel") -> bool:
    """Whether `owner` reads `member` (as `_parameter_member` spells it) of `container`."""
    if isinstance(member, str) and member.startswith(".") and isinstance(owner, ast.Attribute):
        return owner.attr == member[1:] and ast.dump(owner.value) == ast.dump(container)
    return (isinstance(owner, ast.Subscript) and ast.dump(owner.value) == ast.dump(container)
            and model.values.const(owner.slice) == member)


@dataclass(eq=False)
class InheritedTapeCall:
    """A model called in a method of this module's class that a base class of another module
    calls inside its training GradientTape (the template method)."""

    call: ast.Call  # `self.model(images)` in the subclass's `compute_loss`
    method: str  # `compute_loss`
    updated: str  # `self.model.trainable_variables`, as the base class writes it
    opener: object  # where the base class opens the tape (a place in the other file)
    caller: object  # where the tape's body calls the method (a place in the other file)
    gradient: object  # where the base class takes the gradients (a place in the other file)


@dataclass(eq=False)
class ForeignModelCall:
    """A model called bare in another module's helper the tape calls."""

    helper_call: ast.Call  # `compute_loss(model, x)` in the tape
    model: ast.expr  # `model`, the argument the helper calls
    source: VariableSource  # the variables the tape's gradients update
    inner: object  # where the helper calls it (a place in the other file)
    inner_text: str  # `model(x)`
    helper: str  # `compute_loss`


_VARIABLE_LISTS = frozenset({"variables", "weights", "trainable_variables", "trainable_weights",
                             "non_trainable_variables", "non_trainable_weights", "_weights"})
_GLOBAL_LISTS = frozenset({"global_variables", "all_variables", "get_collection", "trainable_variables"})


def _direct_uses(model: "SemanticModel") -> list[VariableUse]:
    """Another module's own gradient calls, without following its helpers (which could lead
    back to the module asking)."""
    cached = getattr(model, "_direct_variable_uses", None)
    if cached is None:
        cached = TrainingAnalysis(model, helpers=False).variable_uses
        model._direct_variable_uses = cached
    return cached


def _owner_of_part(func: ast.AST, owners: dict) -> "VariableSource | None":
    """The variables `func` belongs to when it is an attribute of a model whose variables the
    tape updates (`self.encoder` with `self.trainable_weights`, `vae.decoder` with
    `vae.trainable_variables`)."""
    while isinstance(func, ast.Attribute):
        func = func.value
        source = owners.get(ast.dump(func))
        if source is not None:
            return source
    return None


def called_model(call: ast.Call) -> ast.AST:
    """The model a call runs: `model` for `model(x)`, for `model.call(x)` (Keras' `call`
    method invoked directly, which skips `__call__` but not the layers' training flag) and for
    `net.forward(x)` (a PyTorch module's forward run directly: its BatchNorm layers are called
    as usual, in the module's mode)."""
    func = call.func
    if isinstance(func, ast.Attribute) and (func.attr == "call" or (
            func.attr == "forward" and not (isinstance(func.value, ast.Name) and func.value.id == "self"))):
        return func.value
    return func


def _mentions_self(expr: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "self" for n in ast.walk(expr))


def _in_body(with_node: ast.With | ast.AsyncWith, node: ast.AST, index) -> bool:
    """Whether `node` sits in the `with` block's body (not in its items)."""
    child = node
    for ancestor in index.ancestors(node):
        if ancestor is with_node:
            return any(child is stmt for stmt in with_node.body)
        child = ancestor
    return False


def training_argument(call: ast.Call, model: "SemanticModel | None" = None) -> ast.expr | None | bool:
    """The `training` argument of a Keras model/layer call: its expression, None when absent,
    or True when it may be given in a way we cannot see (`**kwargs`, a second positional).

    With `model`, a flag forwarded under another name counts too (data flow): `gen(x,
    is_training=True)` where the class's `call(self, x, is_training)` passes `training=
    is_training` on, and the TF1/TensorLayer flag names of the catalogue when the class cannot
    be seen."""
    for keyword in call.keywords:
        if keyword.arg == "training":
            return keyword.value
        if keyword.arg is None and not (model is not None and _kwargs_never_carry_training(model, keyword.value)):
            return True
    if any(isinstance(a, ast.Starred) for a in call.args):
        return True
    method = _call_method(model, called_model(call)) if model is not None else None
    if method is None:
        if len(call.args) >= 2 and not _second_positional_is_data(model, called_model(call)):
            return True  # Keras's `call(inputs, training)`: a second positional may be the flag
        if model is not None and _project_class_trains_by_default(model, called_model(call)):
            return True  # its class, in another module, declares `call(self, x, training=True)`
        if model is not None and call.keywords:
            forwarded = forwarded_training_parameters(model, called_model(call))
            for keyword in call.keywords:
                if keyword.arg in forwarded:
                    return keyword.value
        return None
    # The class's own `call` is visible: its signature says which argument is the flag
    # (`call(self, x, y)` of a conditional GAN takes no flag second), and its default counts.
    flags = {"training"} | forwarded_training_parameters(model, called_model(call))
    positional = [a.arg for a in (*method.args.posonlyargs, *method.args.args)][1:]  # without self
    for name, argument in zip(positional, call.args):
        if name in flags:
            return argument
    for keyword in call.keywords:
        if keyword.arg in flags:
            return keyword.value
    if method.args.vararg is not None and len(call.args) > len(positional):
        return True
    for name, default in _parameter_defaults(method).items():
        if name in flags and not (isinstance(default, ast.Constant) and default.value is None):
            return default  # `def call(self, x, training=True)`: a bare call trains
    return None


def _kwargs_never_carry_training(model: "SemanticModel", spread: ast.AST) -> bool:
    """The dict a model call spreads never holds `training`: `**call_kwargs` of `def
    apply_model(model, inputs, **call_kwargs)` when no call of the helper in this module gives it
    `training=` or a spread of its own, or a dict the project spells out without it (`**self.
    call_kwargs` with `self.call_kwargs = cfg["forward"]`)."""
    binding = model.values.binding_of(spread) if isinstance(spread, ast.Name) else None
    function = binding.scope.node if binding is not None and binding.kind == "param" else None
    if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and function.args.kwarg is not None \
            and function.args.kwarg.arg == spread.id:
        # (this module's calls only: the helpers other modules call are library code's public
        # functions, too many to read for every model call)
        passed = [model.index.keywords_into_kwargs(call, function) for call, _bound in model.index.callers(function)]
        return bool(passed) and all(names is not None and "training" not in names for names in passed)
    if binding is not None and binding.kind == "param":
        return False
    members = model.values.members(spread, how="item") if isinstance(spread, (ast.Name, ast.Attribute,
                                                                                ast.Subscript)) else None
    # `self.net(x, **self.call_kwargs)` with `self.call_kwargs = cfg["forward"]`, a dict the project
    # spells out: it carries the flag only if it names it
    return members is not None and None not in members.values() and "training" not in members


def call_method_trains_by_default(model: "SemanticModel", cls: ast.ClassDef) -> bool:
    """A model class whose `call` defaults its training flag to True (`training=True`)."""
    methods = {m.name: m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    method = methods.get("call") or methods.get("forward") or methods.get("__call__")
    if method is None:
        return False
    defaults = _parameter_defaults(method)
    default = defaults.get("training")
    return isinstance(default, ast.Constant) and default.value is True


def _project_class_trains_by_default(model: "SemanticModel", func: ast.AST) -> bool:
    """The model is made by one class, of another module, whose `call` defaults its training flag
    to True (also through a factory classmethod, `Encoder.create_128()`; a `self.encoder = None`
    placeholder of `__init__` aside)."""
    from bnlint.semantic.models import _class_made_by

    project = model.project
    if project is None or not isinstance(func, (ast.Name, ast.Attribute)):
        return False
    origins = [(o, scope) for o, scope in model.values.origins(func)
               if not (isinstance(o, ast.Constant) and o.value is None)]
    if not origins or not all(isinstance(o, ast.Call) for o, _ in origins):
        return False
    quals = {model.qualname(o.func, scope) for o, scope in origins}
    if len(quals) == 1 and project.trains_by_default(next(iter(quals)) or ""):
        return True
    made = [_class_made_by(model.models, o, scope) for o, scope in origins]
    if None in made or len({id(cls) for _home, cls in made}) != 1:
        return False
    home, cls = made[0]
    return call_method_trains_by_default(home.model, cls)


def _call_method(model: "SemanticModel", func: ast.AST) -> ast.FunctionDef | None:
    """The `call` (or `forward`, `__call__`) of the module class `func` is an instance of."""
    cls = None
    if isinstance(func, ast.Name) and func.id == "self":
        cls = model.index.enclosing_class(func)
    elif isinstance(func, (ast.Name, ast.Attribute)):
        cls = model.models.instance_class(func) if isinstance(func, ast.Name) else None
        if cls is None:
            classes = set()
            for origin, scope in model.values.origins(func):
                target = model.models._local_definition(origin.func, scope) if isinstance(origin, ast.Call) else None
                if not isinstance(target, ast.ClassDef):
                    return None
                classes.add(target)
            cls = classes.pop() if len(classes) == 1 else None
    if cls is None:
        return None
    methods = {m.name: m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return methods.get("call") or methods.get("forward") or methods.get("__call__")


def _second_positional_is_data(model: "SemanticModel | None", func: ast.AST) -> bool:
    """The class of `func`, in another module of the project, declares `call(self, x, action)`:
    its second positional parameter is an input, not a training flag."""
    if model is None or model.project is None or not isinstance(func, (ast.Name, ast.Attribute)):
        return False
    cache = model.__dict__.setdefault("_second_positional_cache", {})
    key = ast.dump(func) + str(id(model.index.enclosing_function(func)))
    if key not in cache:
        cache[key] = _declares_second_input(model, func)
    return cache[key]


def _declares_second_input(model: "SemanticModel", func: ast.AST) -> bool:
    from bnlint import catalogue
    from bnlint.semantic.models import instance_class

    found = instance_class(model.models, func)
    if found is None or found[1] is None or found[0] is model.models:
        return False
    methods = {m.name: m for m in found[1].body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    method = methods.get("call") or methods.get("forward") or methods.get("__call__")
    if method is None:
        return False
    positional = [a.arg for a in (*method.args.posonlyargs, *method.args.args)][1:]
    return len(positional) >= 2 and positional[1] not in ("training", *catalogue.TRAINING_FLAG_NAMES) \
        and method.args.vararg is None


def _parameter_defaults(function: ast.FunctionDef) -> dict[str, ast.expr]:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    return defaults


def forwarded_training_parameters(model: "SemanticModel", func: ast.AST) -> set[str]:
    """Parameters of a model class's `call`/`forward`/`__call__` that reach a `training=` (or
    TF1 `is_training=`) argument inside it; when the class is not visible, the flag names the
    catalogue knows."""
    from bnlint import catalogue

    cls = None
    if isinstance(func, ast.Name) and func.id == "self":
        cls = model.index.enclosing_class(func)
    elif isinstance(func, ast.Name):
        cls = model.models.instance_class(func)
    if cls is None:
        return set(catalogue.TRAINING_FLAG_NAMES)
    flag_keywords = {"training"} | {entry.training for entry in catalogue.ENTRIES if entry.training}
    found: set[str] = set()
    for method in cls.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or method.name not in (
                "call", "__call__", "forward"):
            continue
        params = {a.arg for a in (*method.args.posonlyargs, *method.args.args, *method.args.kwonlyargs)}
        for inner in model.models.calls_within(method):
            for keyword in inner.keywords:
                if keyword.arg in flag_keywords and isinstance(keyword.value, ast.Name) and keyword.value.id in params:
                    found.add(keyword.value.id)
    return found


def _part_of_called(called: ast.AST, owners: dict):
    """The variables of an attribute of the called model (`model.d` of `model(...)`), if the tape
    updates one; None otherwise."""
    if not isinstance(called, (ast.Name, ast.Attribute)):
        return None
    key = ast.dump(called)
    for source in owners.values():
        owner = source.owner
        if isinstance(owner, ast.Attribute) and ast.dump(owner.value) == key:
            return source
    return None
