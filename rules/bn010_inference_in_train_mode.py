"""BN010 inference-in-train-mode."""

from __future__ import annotations

import ast
from pathlib import Path
import re

from bnlint import catalogue
from bnlint.rule import Report, Rule, clip, contains_label, fit_headline, fix, layer_kind
from bnlint.semantic.models import helper_model_calls
from bnlint.semantic.torchflow import disables_grad
from bnlint.semantic.training import called_model



class InferenceInTrainMode(Rule):
    """
    ## What it does
    PyTorch. Finds a model containing BatchNorm that is evaluated while in training mode:
    - called for evaluation (under `torch.no_grad()`/`torch.inference_mode()`, in a function
      decorated with them, or in an `evaluate`/`validate`/`test`/`predict`/`infer...` function
      without `backward()`) when the last mode it was put in on that path is `.train()`, or it
      was built in that same function and never put in eval mode (a fresh module trains); an
      `.eval()` in one branch of an `if` (`else: model.load_state_dict(...); model.eval()`)
      leaves the other branch's `.train()` in force on that path;
    - put in eval mode with `.eval()` inside a training loop (one that calls `backward()`),
      directly or by a helper or sibling method it calls (`accuracy(model, loader)`,
      `self._accuracy()`, or `test()` that switches the script's module-level `net`), with no
      `.train()` in that loop to restore it: from the next iteration on it trains in eval mode;
    - run on a held-out batch drawn inside the training loop (`if i % 10 == 0: data =
      next(iter(test_loader)); pred = model(x)`) while it trains there;
    - evaluated in a function it enters in training mode: its callers leave it after
      `.train()` (`fit()` calls `net.train()` and then `evaluate(net, loader)`), or build it
      and train it without ever setting a mode (a new module is in training mode: `policy =
      DQN()`, an optimizer over `policy.parameters()` or a training helper it is handed to,
      then `select_action(state, policy)`), or, with no caller in sight, a sibling method
      calls `self.model.train()` and this one never calls `.eval()`, or no method of the class
      sets a mode on `self.net`, built in the class and trained by one of its methods;
    - run in a script that loads trained weights (`load_state_dict`, `torch.load`, a pretrained
      zoo builder) and never trains (no `backward()` anywhere) without `.eval()`.
    - a module-level model trained in one function and evaluated in another (`train(epoch)`
      then `test()` over the global `model`), when no mode is ever set on it;
    - a model an evaluation script imports from the training script of the project that builds
      and trains it at its top level (`from train import *`, `from train import model`) and
      never puts it in eval mode there, evaluated under `no_grad` or in an evaluation function
      without `.eval()` here;
    - put in eval mode with its own `.eval()` and then trained by a loop (backward() and an
      optimizer over its parameters) with no `.train()` before or in it (a warning: keeping a
      whole model in eval mode while training it is rarely meant; BatchNorm layers frozen by
      `model.apply(set_bn_eval)` or a loop over its modules are not reported).
    A network attribute built in its class and given trained weights where it is evaluated
    (`self.test_net.load_state_dict(...)`), a model returned by a helper that loads its weights
    (also on one of several paths: `model = build(opt)`, then `model = resume(path, model)`), or
    a LightningModule restored with `load_from_checkpoint` (which does not switch it to eval
    mode; Lightning's inference example calls `model.eval()` after it) counts as loaded.
    A wrapper class whose `fit()` trains its network in a loop and whose `predict()` runs it,
    with no mode call on it anywhere, evaluates it in training mode. A helper's loop over a
    parameter named for data (`def accuracy(net, loader)`) is an evaluation loop when a call
    hands it held-out data (`accuracy(net, testloader)`); a helper's `eval()` in a branch on one
    of its parameters (`if for_inference: net.eval()`) counts only for calls that take it.
    The model may be run as `net(x)`, through `net.forward(x)`, or as handed out by a getter of
    an object the class keeps (`self.config.get_model()(x)`, tracked by the call's text like a
    name; a model only ever switched with `.train()` is in training mode still); an evaluation loop is known by
    the name of the data it runs over, also through the name a wrapped loader is bound to
    (`batch = tqdm(test_l)`). A GAN generator (`netG`, `generator`) sampled from random noise
    (`netG(fixed_noise)` with `fixed_noise = torch.randn(...)`) to watch training progress is
    not an evaluation: GAN code samples generators in training mode by design (the PyTorch DCGAN
    tutorial does). Another model run on `torch.rand` stand-in data (a demo) still is, and so is
    a generator given trained weights (`load_state_dict`) and not trained where it is sampled:
    that is inference.
    PyTorch < 0.4 code marks evaluation with `Variable(x, volatile=True)` inputs; those count
    as `no_grad` does.
    A helper that runs each model of a collection its callers pass (`for stage in stages: out =
    stage(out)`, called as `top1((backbone, head), test_loader)` from another module) evaluates
    those models, in the mode the callers leave them.
    The batch the training loop trains on, run again under `no_grad` to log its accuracy, is not
    an evaluation (training mode is what that number reflects); a held-out batch drawn in the loop
    is. A class that puts a network it trains in eval mode in one method (`act()`, or after its
    update) and never switches it back in any method is reported at that `.eval()` (a warning). An
    `.eval()` only in a resume branch (`if checkpoint: ...; net.eval()`) leaves the other path in
    training mode. An event fired before the evaluation (`self.fire("on_validation_start")`) whose
    handler of that name somewhere in the project calls `.eval()` counts as switching the model.
    `.eval()` in a helper function called before (with the model as argument) counts. A model
    built in a function and run once without trained weights is a smoke test (checking
    shapes) and is not reported; so is a run whose output is only looked at for its shape
    (`print(model(x).size())`), whatever the weights. When the model comes from a caller bnlint cannot see, it says
    nothing.

    ## Why is this bad?
    In training mode BatchNorm normalizes with the statistics of the current batch and updates
    its running averages; `torch.no_grad()` does not change that (it only turns off gradient
    tracking). Validation numbers then depend on the batch size and composition and on the
    order of the data, the running statistics drift towards the validation set, and a batch of
    one fails or gives zeros. The other way round, a model left in eval mode keeps training
    with frozen running statistics and batch statistics never used.

    ## Example
    ```python
    model.train()
    for epoch in range(epochs):
        for x, y in train_loader:
            loss_fn(model(x), y).backward(); optimizer.step()
        with torch.no_grad():
            val_logits = model(val_x)        # BN010: still in training mode
    ```

    ## Fix
    Call `model.eval()` before evaluating and `model.train()` before training again (at the
    top of each epoch).

    **Automatic fix (unsafe):** `model.eval()` is inserted before the evaluation (before its
    `torch.no_grad()` block or evaluation loop), and `model.train()` at the top of a training
    loop that an `eval()` left in inference mode. Unsafe: code after the evaluation may rely
    on training mode.

    ## Framework versions
    All versions of PyTorch.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.eval
    - https://pytorch.org/docs/stable/notes/autograd.html#locally-disabling-gradient-computation (no_grad vs eval mode)
    - https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
    """

    code = "BN010"
    name = "inference-in-train-mode"
    severity = "E"
    fix_applicability = "unsafe"
    summary = "a PyTorch model with BatchNorm is evaluated in training mode (or trained in eval mode)"
    # (or a training loop, `backward`: a helper of another module may put the model in eval mode
    # there, or return it in eval mode to be trained)
    requires = catalogue.EVALUATION_WORDS + ("backward",)
    requires_also = ("torch",)  # a PyTorch rule: check() returns at once without it

    def check(self, model):
        if "torch" not in model.source:  # a PyTorch rule: no torch, nothing to do
            return
        yield from self._evaluation_in_train_mode(model)
        yield from self._evaluated_through_helper(model)
        left_in_loops: set[str] = set()  # (a model reported in its loop is not reported again for its class)
        yield from self._eval_left_on_in_training_loop(model, left_in_loops)
        yield from self._trained_after_eval(model)
        yield from self._attribute_left_in_eval_by_a_method(model, left_in_loops)

    def _attribute_left_in_eval_by_a_method(self, model, left_in_loops):
        """A class whose methods put `self.actor.eval()` (to act, or after its update) and train
        `self.actor` (backward() through it, an optimizer over its parameters), with no method
        that calls `self.actor.train()` (or `self.train()`): from the first `.eval()` on, every
        update trains it in eval mode. A warning, as for `_trained_after_eval`."""
        flow = model.torchflow
        for cls in model.index.classes:
            methods = [s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
            mine = [m for m in flow.mode_calls if m.function in methods]
            if any(m.mode != "eval" and m.target == ast.dump(ast.Name("self")) for m in mine):
                continue  # `self.train()` of an nn.Module: its children follow
            # (an optimizer over its parameters: a target network's `parameters()` read for a
            # soft update is not)
            optimized = {_self_key(model, c.func.value, cls) for c in model.index.calls if isinstance(c.func, ast.Attribute)
                         and c.func.attr in ("parameters", "named_parameters") and model.index.enclosing_class(c) is cls
                         and not flow.freezes(c) and any(
                             isinstance(a, ast.Call) and (model.qualname(a.func) or "").startswith("torch.optim.")
                             for a in model.index.ancestors(c))} - {None}
            for key in sorted({m.target for m in mine if m.mode == "eval"} & optimized - left_in_loops):
                if any(m.target == key and m.mode != "eval" for m in flow.mode_calls):
                    continue
                if flow.switched_elsewhere(key):
                    continue
                trained_in = next((m for m in methods if flow.has_backward(m) and any(
                    isinstance(called_model(c), ast.Attribute) and ast.dump(called_model(c)) == key
                    and flow.no_grad_context(c) is None for c in model.models.calls_within(m))), None)
                if trained_in is None:
                    continue
                first = next(m for m in mine if m.target == key and m.mode == "eval")
                target = first.call.func.value if isinstance(first.call.func, ast.Attribute) else None
                contents = model.models.contents_of(target) if target is not None else None
                if contents is None or not contents.torch_bn_seen:
                    continue
                layer, where = contents.bn_evidence[0]
                name = model.text(target, 30)
                yield Report(
                    first.call,
                    fit_headline(f"`{name}` is put in eval mode here and trained by `{trained_in.name}()`, which "
                                 f"never switches it back",
                                 f"`{name}` is put in eval mode here and then trained in eval mode",
                                 f"`{name}` is trained in eval mode"),
                    evidence=[(contains_label(name, layer), where),
                              (f"trained by `{trained_in.name}()` here (backward() and an optimizer over its "
                               f"parameters)", trained_in)],
                    why=f"No method of `{cls.name}` calls `{name}.train()`, so after this `.eval()` every update "
                        f"trains `{name}` in eval mode: BatchNorm normalizes with its running averages and never "
                        f"updates them, and Dropout is off.",
                    fix_title=f"Call `{name}.train()` where `{trained_in.name}()` starts updating it",
                    severity="W",
                )

    # ---- evaluation while in training mode -------------------------------------------------------
    def _evaluation_in_train_mode(self, model):
        flow = model.torchflow
        reported = set()
        for call in model.index.calls:
            func = called_model(call)  # `net(x)`, `net.forward(x)`
            if not (isinstance(func, (ast.Name, ast.Attribute)) or _model_getter(func)) or not call.args:
                continue
            key = (ast.dump(func), model.index.enclosing_function(call))
            if key in reported:
                continue
            owner = model.index.enclosing_class(call)
            if owner is not None and model.models.derives_from(owner, catalogue.LIGHTNING_MODULES):
                continue  # Lightning puts the module in eval mode for its validation/test/predict loops
            # cheapest first: the evaluation context, the mode state, then the model's content
            context = self._evaluation(model, call)
            inference_class = flow.inference_attribute(func, call) if context is None else None
            function = model.index.enclosing_function(call)
            # a function that builds the model, loads trained weights into it and runs it without
            # training it (`def show_pictures(loader): model = Net(); model.load_state_dict(...)`)
            inference_function = (context is None and inference_class is None and function is not None
                                  and not flow.has_backward(function) and flow.weights_loaded(func, call)
                                  and flow.built_here(func, call))
            if context is None and not self._inference_script(model) and inference_class is None \
                    and not inference_function:
                continue
            if _generator_sample(model, func, call.args[0]) and inference_class is None and not (
                    flow.weights_loaded(func, call) and not flow.trained_before(func, call)):
                # a GAN generator sampled from noise to watch progress: run in training mode by
                # design. (One given trained weights and not trained here is being used: inference.)
                continue
            if context is None and inference_class is None and not (
                    flow.weights_loaded(func, call) and flow.built_here(func, call)):
                continue  # outside an evaluation, only a model given trained weights here is being run
            last = flow.last_mode(func, call)
            if last is not None and last.mode == "eval":
                # `if train: ... model.train() ... else: model.load_state_dict(...); model.eval()`,
                # then the evaluation: on the training path it is still in training mode
                other = flow.other_branch_mode(func, call, last)
                if other is not None and other.mode == "train":
                    last = other
            entry = None
            if last is None:
                entry = flow.mode_on_entry(func, model.index.enclosing_function(call))
                if entry is not None and entry[0].mode == "train":
                    last = entry[0]
                elif entry is not None:
                    continue
            if last is not None and last.mode != "train":
                continue
            trained = None
            if last is None and entry is None:
                held_out = context is not None and isinstance(context[1], ast.Call) and isinstance(
                    context[1].func, ast.Name) and context[1].func.id == "next"
                trained = model.torchflow.trained_before(func, call, around=held_out)
            imported = None
            if last is None and entry is None and trained is None and context is not None:
                # `from train import *` of the script that builds and trains `model` at its top level
                imported = flow.imported_script_model(func)
                if imported is not None and (imported[2] is not None and imported[2].mode != "train"
                                             or imported[2] is None and imported[3] is None):
                    continue  # put in eval mode there, or only built there (no training: a definition)
            if last is None and trained is None and inference_class is None and imported is None and not (
                    model.torchflow.built_here(func, call) and model.torchflow.weights_loaded(func, call)
                    and not self._handed_over(model, func, call)):
                continue  # a model built and run once to check shapes is a smoke test, not an evaluation
            if context is None and inference_class is not None:
                cls = model.index.enclosing_class(call)
                context = (f"class `{cls.name}` loads trained weights into it and never trains it", inference_class,
                           "trained weights loaded here")
            if context is None and last is None:
                # trained weights loaded (checked above) in a script or function that never trains;
                # printing the output's shape is a smoke check of the definition, whatever the weights
                if _shape_only(model, call):
                    continue
                context = (f"`{function.name}()` loads trained weights into it and never calls backward()", None, "") \
                    if inference_function and not self._inference_script(model) \
                    else ("this script loads trained weights and never calls backward()", None, "")
            if context is None:
                continue
            if _shape_only(model, call) and _made_up_input(model, call):
                continue  # `net(torch.randn(1, 3, 32, 32)).size()`: a smoke check of the definition
            if _works_on_statistics(model, func, call, last):
                continue  # precise-BN recalibration, a running-statistics parity test, a warm-up
            contents = model.models.contents_of(func)
            if contents is None or not contents.torch_bn_seen:
                continue
            if flow.switched_by_event_before(call):
                continue  # `self.fire("on_validation_start")`, and a callback's handler calls `.eval()`
            reported.add(key)
            layer, where = contents.bn_evidence[0]
            name = model.text(func, 30)
            evidence = [(contains_label(name, layer), where)]
            how, context_node, context_label = context
            if context_node is not None:
                evidence.append((context_label, context_node))
            function = model.index.enclosing_function(call)
            if entry is not None and entry[0].fresh:
                state = (f"it is built, and trained, without ever being put in eval mode before "
                         f"`{function.name}()` is called (a new module is in training mode), and nothing here "
                         f"switches it to eval mode")
                if entry[1] is not last.call:
                    evidence.append((f"`{function.name}()` is called here with `{name}` in training mode", entry[1]))
                evidence.append(("built here: a new module is in training mode", last.call))
            elif entry is not None and entry[1] is not last.call:
                state = (f"it is in training mode when `{function.name}()` is called, and nothing here switches "
                         f"it to eval mode")
                evidence += [(f"`{function.name}()` is called here with `{name}` in training mode", entry[1]),
                             ("trained here, never switched to eval mode" if last.trained_in is not None
                              else "put in training mode here", last.call)]
            elif entry is not None:
                state = "`.train()` is called on it in another method and this one never switches it to eval mode"
                evidence.append(("put in training mode here, in another method", last.call))
            elif trained is not None:
                state = ("a new module is in training mode, it was trained in the loop above, and nothing put it "
                         "in eval mode")
                evidence.append(("trained here, never switched to eval mode", trained))
            elif imported is not None:
                other, assigned, mode_call, loop = imported
                there = model.project.display(Path(other.path))
                state = (f"it is built at the top level of `{there}`, which this module imports and which "
                         f"{'puts it in training mode' if mode_call is not None else 'trains it'} and never switches "
                         f"it to eval mode, and nothing here does")
                evidence.append((f"built in `{there}`, imported here", model.project.foreign(assigned.node, other)))
                if mode_call is not None:
                    evidence.append(("last put in training mode there", model.project.foreign(mode_call.call, other)))
                else:
                    evidence.append(("trained there, never switched to eval mode", model.project.foreign(loop, other)))
            else:
                home = "function" if function is not None else "script"
                binding = model.values.binding_of(func) if isinstance(func, ast.Name) else None
                helper = binding.value if binding is not None and isinstance(binding.value, ast.Call) \
                    and model.torchflow.returns_loaded_model(binding.value) else None
                if helper is not None and last is None:
                    home = f"function, by `{model.text(helper.func, 30)}()`, which loads trained weights into it,"
                state = ("the last mode it was put in is `.train()`" if last is not None
                         else "it is built in its class, given trained weights, and never put in eval mode (a new "
                              "module is in training mode)" if _self_attribute(func)
                         else f"it is built in this {home} and never put in eval mode")
                if last is not None:
                    evidence.append(("last put in training mode here", last.call))
            uncalled = _uncalled_mode_switch(model, func, call)
            if uncalled is not None:
                # `model.eval` written without the call: the statement does nothing
                evidence.append((f"`{model.text(uncalled, 30)}` is not called here: it does nothing", uncalled))
            yield Report(
                uncalled if uncalled is not None else call,
                f"`{name}` contains {layer_kind(layer)} and is evaluated in training mode" + (
                    f": `{model.text(uncalled, 30)}` lacks its parentheses" if uncalled is not None else ""),
                evidence=evidence,
                why=f"`{name}` is evaluated here ({how}) while in training mode: {state}. BatchNorm normalizes "
                    f"with this batch's statistics and updates its running averages; `no_grad` does not "
                    f"change that.",
                fix_title=f"Call `{name}.eval()` before evaluating",
                fix=self._eval_first(model, func, call, last.call if last is not None else None),
            )

    def _evaluated_through_helper(self, model):
        """An evaluation (`with torch.no_grad():`, an evaluation function) that runs the model
        through a helper of the module: `update("val", model, val_loader)` with `def update(mode,
        model, loader): ... model(x)`, or `self.forward()` whose body calls `self.netG(self.x)`
        (the helper also serves training, so its own body says nothing). Reported at the helper
        call when the model is known to be in training mode there."""
        flow = model.torchflow
        reported = set()
        for call in model.index.calls:
            if model.index.local_callee(call) is None:
                continue
            owner = model.index.enclosing_class(call)
            if owner is not None and model.models.derives_from(owner, catalogue.LIGHTNING_MODULES):
                continue  # Lightning switches the module's mode around its loops
            runs = self._helper_runs(model, call)
            if not runs:
                continue
            context = self._evaluation(model, call)
            if context is None:
                continue
            for inner, func in runs:
                key = (ast.dump(func), id(model.index.enclosing_function(call)))
                if key in reported:
                    continue
                inside = flow.last_mode(called_model(inner), inner)
                if inside is not None and inside.mode != "train":
                    continue  # the helper switches it itself (`def validate(...): model.eval(); ...`)
                last = flow.last_mode(func, call)
                entry = flow.mode_on_entry(func, model.index.enclosing_function(call)) if last is None else None
                state = last if last is not None else entry[0] if entry is not None else None
                if state is None or state.mode != "train":
                    continue
                contents = model.models.contents_of(func)
                if contents is None or not contents.torch_bn_seen:
                    continue
                reported.add(key)
                layer, where = contents.bn_evidence[0]
                name, helper = model.text(func, 30), model.text(call.func, 30)
                how, context_node, context_label = context
                evidence = [(contains_label(name, layer), where)]
                if context_node is not None:
                    evidence.append((context_label, context_node))
                evidence += [(f"`{model.text(inner, 40)}` runs it in `{helper}()` here", inner),
                             ("a new module is in training mode: built here" if state.fresh
                              else "trained here, never switched to eval mode" if state.trained_in is not None
                              else "last put in training mode here", state.call)]
                yield Report(
                    call,
                    f"`{name}` contains {layer_kind(layer)} and is evaluated in training mode by `{helper}()`",
                    evidence=evidence,
                    why=f"`{helper}()` runs `{name}` here ({how}) while it is in training mode, and nothing "
                        f"switches it to eval mode first. BatchNorm normalizes with this batch's statistics and "
                        f"updates its running averages; `no_grad` does not change that.",
                    fix_title=f"Call `{name}.eval()` before evaluating",
                    fix=self._eval_first(model, func, call),
                )

    @staticmethod
    def _helper_runs(model, call) -> list[tuple[ast.Call, ast.AST]]:
        """(the model call inside the helper, the model expression here) for the models a call
        of the module's own function or method runs: a model it is given, or the object's own
        networks (`self.netG(...)` in the `self.forward()` a method calls)."""
        runs = [(inner, argument) for inner, argument in helper_model_calls(model.models, call)]
        callee = model.index.local_callee(call)
        if callee is not None and callee[1] and isinstance(call.func, ast.Attribute) \
                and isinstance(call.func.value, ast.Name) and call.func.value.id == "self":
            function = callee[0]
            for inner in model.models.calls_within(function):
                target = called_model(inner)
                if model.index.enclosing_function(inner) is function and _self_attribute(target) and inner.args:
                    runs.append((inner, target))
        return runs

    @staticmethod
    def _eval_first(model, func, call, last_train=None):
        """`model.eval()` before the evaluation: before its `with torch.no_grad():` block or its
        evaluation loop when it has one (never inside or before a training loop), else before the
        statement (unsafe: code after it may expect training mode). When the `.train()` that puts
        it back in training mode is inside that block (`model.eval(); model.train(); out =
        model(x)` in the loop), right before the evaluating statement: earlier would not help."""
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        function = model.index.enclosing_function(call)
        statement = model.index.statement_of(call)
        training_loops = {id(loop.loop) for loop in model.torchflow.training_loops}
        for ancestor in model.index.ancestors(call):
            if ancestor is function or id(ancestor) in training_loops or (
                    model.index.enclosing_function(ancestor) is not function):
                break
            if isinstance(ancestor, ast.With) and any(disables_grad(model, item.context_expr)
                                                      for item in ancestor.items):
                statement = ancestor
            elif isinstance(ancestor, (ast.For, ast.While)):  # an evaluation loop: once, before it
                statement = ancestor
        if statement is None:
            return None
        if last_train is not None and statement.lineno <= last_train.lineno <= call.lineno \
                and (statement.end_lineno or 0) >= last_train.lineno:
            statement = model.index.statement_of(call)
        name = model.text(func, 200)
        return fix("insert_before", statement, f"Call `{clip(name, 30)}.eval()` first", safe=False,
                   code=f"{name}.eval()")

    def _evaluation(self, model, call):
        if _training_batch_rerun(model, call):
            return None
        volatile = _volatile_input(model, call.args[0]) if call.args else None
        if volatile is not None:
            # PyTorch < 0.4: `Variable(x, volatile=True)` was how code said "no gradients here"
            return "on a `Variable(..., volatile=True)` input", volatile, "input made volatile (no gradients) here"
        context = model.torchflow.no_grad_context(call)
        # (a `@torch.no_grad()` decorator is told below, with its function's name)
        if context is not None and not isinstance(model.index.parents.get(context), (ast.FunctionDef,
                                                                                    ast.AsyncFunctionDef)):
            text = model.text(context, 30)
            return f"under `{text}`", context, f"evaluated under `{text}`"
        if model.index.enclosing_function(call) is None:
            after = self._single_example_after_training(model, call)
            if after is not None:
                return after
        drawn = _drawn_from_evaluation_data(model, call)
        if drawn is not None and not model.torchflow.in_training_loop(call):
            # `x0, _, _ = next(iter(test_dataloader))` then `net(Variable(x0).cuda(), ...)`
            data = model.text(drawn, 30)
            return (f"on a batch drawn by `{data}`", drawn, f"a held-out batch drawn by `{data}` here, no backward()")
        for ancestor in model.index.ancestors(call):
            if isinstance(ancestor, ast.If) and not any(
                    isinstance(c.func, ast.Attribute) and c.func.attr == "backward"
                    and ancestor.body[0].lineno <= c.lineno <= ancestor.body[-1].end_lineno
                    for c in model.models.calls_within(ancestor)):
                # `if i % 10 == 0: j, data = next(enumerate(testdataloader, 0)); pred = net(points)`:
                # a held-out batch checked inside the training loop
                drawn = _held_out_batch(model, ancestor, call)
                if drawn is not None:
                    data = model.text(drawn, 30)
                    return (f"on a batch drawn by `{data}`", drawn,
                            f"a held-out batch drawn by `{data}` here, no backward()")
            if isinstance(ancestor, (ast.For, ast.AsyncFor)) and _evaluation_data(model, ancestor.iter) \
                    and not any(isinstance(c.func, ast.Attribute) and c.func.attr == "backward"
                                for c in model.models.calls_within(ancestor)):
                data = model.text(ancestor.iter, 30)
                return f"in a loop over `{data}`", ancestor, f"an evaluation loop over `{data}`, no backward()"
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                after = self._single_example_after_training(model, call)
                if after is not None:
                    return after
                for decorator in ancestor.decorator_list:
                    if disables_grad(model, decorator):
                        how = f"`{ancestor.name}()` is decorated with @{model.text(decorator, 30)}"
                        return how, decorator, how
                if ancestor.name.lower().lstrip("_").startswith(catalogue.EVALUATION_PREFIXES) and not model.torchflow.has_backward(ancestor):
                    return (f"in `{ancestor.name}()`", ancestor,
                            f"`{ancestor.name}()` evaluates: its name says so and it never calls backward()")
                return None
        return None

    @staticmethod
    def _single_example_after_training(model, call):
        """`net(x0.unsqueeze(0))` after the loop that trains `net`, outside any training loop and
        with no backward() on the way: the trained model run on one example is a prediction."""
        func = called_model(call)
        if not call.args or not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        flow = model.torchflow
        if not flow.training_loops or flow.in_training_loop(call):
            return None  # (no training loop: nothing can have trained the model before `call`)
        single = model.batches.one_example(call.args[0])
        if single is None or flow.trained_before(func, call) is None:
            return None
        text = model.text(single, 30)
        return f"on one example, `{text}`, after its training loop", single, f"a single example made here, `{text}`"

    @staticmethod
    def _handed_over(model, func, call) -> bool:
        """The model is passed to code bnlint cannot follow before `call` (an ignite or Lightning
        trainer/evaluator, a library helper), which may switch its mode."""
        if _self_attribute(func):
            # `self.test_net`: handed over when passed anywhere in the class, or put in a mode there
            key = ast.dump(func)
            cls = model.index.enclosing_class(call)
            if any(m.target == key for m in model.torchflow.mode_calls):
                return True
            return any(ast.dump(a) == key for other in (model.models.calls_within(cls) if cls is not None else [])
                       for a in [*other.args, *(k.value for k in other.keywords)])
        if not isinstance(func, ast.Name):
            return True
        function = model.index.enclosing_function(call)
        calls = model.models.calls_within(function) if function is not None else model.index.calls
        for other in calls:
            if (other.lineno, other.col_offset) >= (call.lineno, call.col_offset):
                continue
            passed = [*other.args, *(k.value for k in other.keywords)]
            if not any(isinstance(a, ast.Name) and a.id == func.id for a in passed):
                continue
            if model.index.local_callee(other) is not None:
                continue  # the module's own helpers: their mode calls are followed
            qual = model.qualname(other.func) if isinstance(other.func, (ast.Name, ast.Attribute)) else None
            if qual and (qual.startswith(("torch.", "builtins.")) or qual in catalogue.MODE_NEUTRAL_CALLS):
                continue
            if qual and _mode_neutral_project_helper(model, qual, other, func.id):
                continue
            return True
        return False

    @staticmethod
    def _inference_script(model) -> bool:
        cached = getattr(model, "_bn010_inference_script", None)
        if cached is None:
            cached = not any(isinstance(c.func, ast.Attribute) and c.func.attr in ("backward", "step", "fit")
                             for c in model.index.calls)
            model._bn010_inference_script = cached
        return cached

    # ---- eval() inside a training loop, never undone -------------------------------------------
    def _trained_after_eval(self, model):
        """`model.eval()`, then a training loop (backward() and an optimizer step) over `model`
        with no `.train()` in between or inside: every step trains in eval mode. A warning: a
        whole model kept in eval mode on purpose (frozen statistics) is rare but possible."""
        flow = model.torchflow
        reported = set()
        optimized = {ast.dump(c.func.value) for c in model.index.calls if isinstance(c.func, ast.Attribute)
                     and c.func.attr in ("parameters", "named_parameters") and not model.torchflow.freezes(c)}
        optimized -= model.torchflow.frozen_models()
        for loop in flow.training_loops:
            if any(_evaluation_data(model, iterable) for iterable in loop.iterables):
                # `model.eval()` then `for x, y in test_loader: ... loss.backward()`: the eval mode
                # is right for held-out data; stepping the optimizer on it is another mistake
                continue
            inside = set(map(id, loop.calls))
            for call in loop.calls:
                target = called_model(call)
                if not isinstance(target, (ast.Name, ast.Attribute)):
                    continue
                key = ast.dump(target)
                if key not in optimized:
                    continue  # a frozen teacher or feature extractor runs in eval mode by design
                last = flow.last_mode(target, loop.loop)
                if last is None or last.mode != "eval" or id(last.call) in reported:
                    continue
                # the model's own `.eval()` (its BatchNorm layers frozen by `model.apply(set_bn_eval)`
                # or a loop over its modules is deliberate), and no `.train()` in another branch
                # (`if phase == "train": model.train() else: model.eval()`)
                func = last.call.func if isinstance(last.call, ast.Call) else None
                if not (isinstance(func, ast.Attribute) and func.attr == "eval" and ast.dump(func.value) == key
                        or last.returned_by is not None):
                    continue  # (or a helper's `net.eval(); return net`: `model = load(path)`)
                if flow.may_train_at(target, loop.loop):
                    continue
                if any(isinstance(a, ast.If) and model.const(a.test) is False
                       and any(last.call is n for stmt in a.body for n in ast.walk(stmt))
                       for a in model.index.ancestors(last.call)):
                    continue  # `load = False; if load: model.load_state_dict(...); model.eval()`
                if any(m.target == key and id(m.call) in inside for m in flow.mode_calls):
                    continue
                contents = model.models.contents_of(target)
                if contents is None or not contents.torch_bn_seen:
                    continue
                reported.add(id(last.call))
                layer, where = contents.bn_evidence[0]
                name = model.text(target, 30)
                put = "here" if last.returned_by is None else f"by `{last.returned_by}()`, which returns it,"
                yield Report(
                    last.call,
                    fit_headline(f"`{name}` is put in eval mode {put} and then trained without `.train()`",
                                 f"`{name}` is left in eval mode by `{last.returned_by}()` and then trained"
                                 if last.returned_by else f"`{name}` is put in eval mode here and then trained",
                                 f"`{name}` is trained in eval mode"),
                    evidence=[(contains_label(name, layer), where), ("the training loop that follows", loop.loop),
                              ("`backward()` here", loop.backward[0])],
                    why="Nothing between this `.eval()` and the training loop (or in it) calls `.train()`, so every "
                        "step trains in eval mode: BatchNorm normalizes with its running averages and never updates "
                        "them, and Dropout is off.",
                    fix_title=f"Call `{name}.train()` before the training loop",
                    fix=fix("insert_before", loop.loop.body[0], f"Call `{name}.train()` at the top of the loop",
                            safe=False, code=f"{model.text(target, 200)}.train()"),
                    severity="W",
                )

    def _eval_left_on_in_training_loop(self, model, left_in_loops):
        flow = model.torchflow
        for loop in flow.training_loops:
            changes = flow.loop_mode_calls(loop)
            for mode_call, target, helper in changes:
                if mode_call.mode != "eval":
                    continue
                restored = any(m.target == mode_call.target and m.mode in ("train", "unknown")
                               for m, _target, _helper in changes)
                if restored:
                    continue
                contents = model.models.contents_of(target)
                if contents is None or not contents.torch_bn_seen:
                    continue
                trained = any(ast.dump(c.func) == mode_call.target for c in loop.calls)
                if not trained:
                    continue
                left_in_loops.add(mode_call.target)
                layer, where = contents.bn_evidence[0]
                name = model.text(target, 30)
                by = f" (by `{model.text(helper.func, 30)}()`)" if helper is not None else ""
                evidence = [(contains_label(name, layer), where), ("the training loop", loop.loop),
                            ("`backward()` here", loop.backward[0])]
                if helper is not None:
                    inner = model.torchflow.mode_calls
                    callee = model.index.local_callee(helper)  # (a function or a method on `self`)
                    local = callee[0] if callee is not None else None
                    # (a helper of another module: the call here stands for its `.eval()`)
                    evidence.append((f"`{model.text(helper.func, 30)}()` calls `.eval()` and does not undo it",
                                     next((m.call for m in inner if local is not None and m.function is local
                                           and m.mode == "eval"), helper)))
                yield Report(
                    mode_call.call,
                    fit_headline(
                        f"`{name}` is put in eval mode in the training loop{by} and never back in training mode",
                        f"`{name}` is put in eval mode in the training loop and never back in training mode"),
                    evidence=evidence,
                    why="Nothing in the loop calls `.train()` again, so from the next iteration the model trains "
                        "with frozen running statistics: BatchNorm normalizes with its running averages and no "
                        "longer updates them.",
                    fix_title=f"Call `{name}.train()` at the top of each epoch",
                    fix=fix("insert_before", loop.loop.body[0], f"Call `{name}.train()` at the top of the loop",
                            safe=False, code=f"{model.text(target, 200)}.train()"),
                )




def _model_getter(func: ast.AST) -> bool:
    """`self.config.get_model()(x)`: a method without arguments that hands out the model an
    object keeps (its modes are tracked by the call's text, as for a name)."""
    return isinstance(func, ast.Call) and not func.args and not func.keywords \
        and isinstance(func.func, ast.Attribute) and func.func.attr.startswith("get")


def _uncalled_mode_switch(model, func, call) -> ast.Attribute | None:
    """`model.eval` as a statement of its own (the parentheses forgotten) before `call` in its
    function: the attribute, else None."""
    function = model.index.enclosing_function(call)
    key = ast.dump(func)
    for node in ast.walk(function if function is not None else model.index.tree):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Attribute) and node.value.attr == "eval"
                and ast.dump(node.value.value) == key and node.lineno < call.lineno
                and model.index.enclosing_function(node) is function):
            return node.value
    return None


def _mode_neutral_project_helper(model, qual: str, call: ast.Call, name: str) -> bool:
    """`build_eval_transform(model)` of another project module that neither switches the model's
    mode nor hands it to anything but the framework and calls known to leave the mode alone."""
    project = model.project
    found = project.definition(qual) if project is not None else None
    if found is None or not isinstance(found[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    other, helper = found
    position = next((i for i, a in enumerate(call.args) if isinstance(a, ast.Name) and a.id == name), None)
    keyword = next((k.arg for k in call.keywords if isinstance(k.value, ast.Name) and k.value.id == name), None)
    params = [a.arg for a in (*helper.args.posonlyargs, *helper.args.args)]
    param = params[position] if position is not None and position < len(params) else keyword
    if param is None:
        return False
    for inner in other.models.calls_within(helper):
        func = inner.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == param \
                and func.attr in ("train", "eval", "apply", "requires_grad_"):
            return False
        if any(isinstance(a, ast.Name) and a.id == param for a in [*inner.args, *(k.value for k in inner.keywords)]):
            inner_qual = other.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
            if not inner_qual or not (inner_qual.startswith(("torch.", "builtins."))
                                      or inner_qual in catalogue.MODE_NEUTRAL_CALLS):
                return False
    return True


def _training_batch_rerun(model, call) -> bool:
    """`with torch.no_grad(): acc = (model(x).argmax(1) == y).mean()` inside the training loop, on
    the batch the loop trains on (bound by the loop or in its body): logging the training
    accuracy, not an evaluation. Training mode is what that number is meant to reflect."""
    if not call.args:
        return False
    root = call.args[0]
    while not isinstance(root, ast.Name):
        if isinstance(root, (ast.Subscript, ast.Attribute, ast.Starred)):
            root = root.value
        elif isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute):
            root = root.func.value  # `x.to(device)`, `x.float()`
        else:
            return False
    loop = next((a for a in model.index.ancestors(call) if isinstance(a, (ast.For, ast.AsyncFor, ast.While))), None)
    if loop is None or not any(isinstance(c.func, ast.Attribute) and c.func.attr == "backward"
                               for c in model.models.calls_within(loop) if not _contains(c, call)):
        return False
    if isinstance(loop, (ast.For, ast.AsyncFor)) and _evaluation_data(model, loop.iter):
        return False
    return _from_loop_batch(model, root, loop, 0)


def _from_loop_batch(model, name: ast.Name, loop, depth: int) -> bool:
    """`name` holds the batch `loop` iterates (its target, or values made from it in the loop's
    body: `x = x.to(device)`), never one drawn with `next(...)` (a held-out batch)."""
    single = model.values.binding_of(name)  # (a comprehension's own variable, when it is one)
    bindings = [single] if single is not None else model.values.reaching_bindings(name) or []
    if not bindings or depth > 5:
        return False
    for binding in bindings:
        if binding.node is loop:
            continue
        if binding.kind == "comp" or not _contains(loop, binding.node) or binding.value is None:
            return False
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "next"
               for n in ast.walk(binding.value)):
            return False
        sources = [n for n in ast.walk(binding.value) if isinstance(n, ast.Name) and n.id != name.id
                   and isinstance(n.ctx, ast.Load) and (model.values.binding_of(n) or binding).kind not in (
                       "import", "def", "class")]
        same = [n for n in ast.walk(binding.value) if isinstance(n, ast.Name) and n.id == name.id]
        # (`x = torch.tensor(x).to(device)`: made from the batch; `device` is not data)
        if not any(_from_loop_batch(model, source, loop, depth + 1) for source in [*sources, *same]
                   if source is not name):
            return False
    return True


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    return any(node is inner for node in ast.walk(outer))


def _held_out_batch(model, branch: ast.If, call) -> ast.Call | None:
    """`next(iter(test_loader))` (or `next(enumerate(testdataloader, 0))`) assigned in the branch
    before `call`: the branch evaluates a batch of held-out data."""
    for stmt in branch.body:
        if stmt.lineno >= call.lineno:
            break
        value = stmt.value if isinstance(stmt, ast.Assign) else None
        if _held_out_draw(model, value):
            return value
    return None


def _held_out_draw(model, value) -> bool:
    """`next(iter(test_loader))`, `next(dataiter)` with `dataiter = iter(test_dataloader)`."""
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "next"
            and bool(value.args) and _evaluation_data(model, value.args[0]))


def _drawn_from_evaluation_data(model, call) -> ast.Call | None:
    """The `next(...)` over held-out data (`dataiter = iter(test_dataloader)`) that a name among the
    call's inputs is unpacked or assigned from, through `Variable(x).cuda()`-style wrappers."""
    # (only where the enclosing function, or the script, calls `next` at all: asked of every model
    # call, so the cheap question first)
    if not model.torchflow.draws_with_next(model.index.enclosing_function(call)):
        return None
    for argument in call.args:
        while isinstance(argument, ast.Call) and (argument.args or isinstance(argument.func, ast.Attribute)):
            # `Variable(x0).cuda()`, `x.to(device)`: the tensor inside
            argument = argument.func.value if isinstance(argument.func, ast.Attribute) and not argument.args \
                or isinstance(argument.func, ast.Attribute) and argument.func.attr in ("to", "cuda", "float") \
                else argument.args[0]
        if not isinstance(argument, ast.Name):
            continue
        binding = model.values.reaching_binding(argument)
        value = binding.value if binding is not None and binding.kind in ("assign", "unpack") else None
        if _held_out_draw(model, value):
            return value
    return None


_DATA_PARAMETER_WORDS = ("load", "data", "batch", "set", "iter", "dl", "ds", "sample")
_EVALUATION_DATA = ("test", "val", "valid", "validation", "eval", "evaluation", "dev", "holdout")


def _self_attribute(expr) -> bool:
    return isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"


def _volatile_input(model, expr, depth: int = 0):
    """The `Variable(x, volatile=True)` call the input is (or is bound to), else None."""
    if isinstance(expr, ast.Call) and any(k.arg == "volatile" and model.const(k.value) is True
                                          for k in expr.keywords):
        qual = model.qualname(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else ""
        return expr if (qual or "").endswith("Variable") else None
    if isinstance(expr, ast.Name) and depth < 3:
        for binding in model.values.reaching_bindings(expr):
            if binding.kind in ("assign", "annassign") and binding.value is not None:
                found = _volatile_input(model, binding.value, depth + 1)
                if found is not None:
                    return found
    return None


_TENSOR_MOVES = catalogue.DEVICE_MOVES | {"detach", "type"}  # the same tensor's values


_GENERATOR_NAME = re.compile(r"gen|^(net)?g(_\w+)?$|^g\d*_|_g$", re.IGNORECASE)
_LATENT_NAME = re.compile(r"noise|latent|^z(_\w+)?$|_z$", re.IGNORECASE)


def _generator_sample(model, func, argument) -> bool:
    """A GAN generator (`netG`, `generator`, `G`) run on random noise, or any model run on a
    tensor named for a latent (`fixed_noise`, `z`) drawn at random. A model run on `torch.rand`
    stand-in data (a demo, an issue's reproduction) is still an evaluation."""
    name = (func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "")
    argument_name = (argument.attr if isinstance(argument, ast.Attribute)
                     else argument.id if isinstance(argument, ast.Name) else "")
    if not (_GENERATOR_NAME.search(name) or (argument_name and _LATENT_NAME.search(argument_name))):
        return False
    return _sampled_from_noise(model, argument)


def _sampled_from_noise(model, expr, depth: int = 0) -> bool:
    """The input is random noise (`netG(fixed_noise)` with `fixed_noise = torch.randn(64, nz, 1,
    1)`): a GAN generator sampled to watch training progress. GAN code samples its generator in
    training mode (the PyTorch DCGAN tutorial does, and generators are rarely switched to eval
    mode at all), so this is no evaluation of a trained model."""
    if depth > 4:
        return False
    while (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
           and expr.func.attr in _TENSOR_MOVES):
        expr = expr.func.value
    if isinstance(expr, ast.Call):
        qual = model.qualname(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else None
        return bool(qual) and qual in catalogue.RANDOM_TENSOR_FUNCTIONS
    if isinstance(expr, ast.Name):
        # `if fixed_noise is None: fixed_noise = torch.randn(...)` over a parameter
        bindings = model.values.reaching_bindings(expr)
        assigned = [b for b in bindings if b.kind in ("assign", "annassign") and b.value is not None]
        if assigned and all(b.kind == "param" or b in assigned for b in bindings) and all(
                _sampled_from_noise(model, b.value, depth + 1) for b in assigned):
            return True
    if isinstance(expr, (ast.Name, ast.Attribute)):
        origins = model.values.origins(expr)
        return bool(origins) and all(o is not expr and _sampled_from_noise(model, o, depth + 1)
                                     for o, _scope in origins)
    return False


def _shape_only(model, call) -> bool:
    """The call's output is only looked at for its shape: `model(x).size()`, `out.shape` after
    `out = model(x)` (every later use of `out` in the same function or script)."""
    parent = model.index.parents.get(call)
    if isinstance(parent, ast.Attribute):
        return parent.attr in _SHAPE_ATTRIBUTES
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1):
        return False
    target = parent.targets[0]
    # `out = model(x)`, or the outputs unpacked (`x2, x3, x4 = backbone(x)`)
    elements = [target] if isinstance(target, ast.Name) else list(target.elts) if isinstance(
        target, (ast.Tuple, ast.List)) else []
    if not elements or not all(isinstance(e, ast.Name) for e in elements):
        return False
    names = {e.id for e in elements}
    home = model.index.enclosing_function(call) or model.index.tree
    uses = [n for n in ast.walk(home) if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load)
            and (n.lineno, n.col_offset) > (call.lineno, call.col_offset)]
    return bool(uses) and all(isinstance(model.index.parents.get(u), ast.Attribute)
                              and model.index.parents[u].attr in _SHAPE_ATTRIBUTES for u in uses)


_SHAPE_ATTRIBUTES = {"size", "shape", "dim", "ndim", "ndimension"}


def _works_on_statistics(model, func, call, last) -> bool:
    """The code runs the model in training mode on purpose, to work on BatchNorm's statistics:
    its function reads or resets running statistics (a precise-BN recalibration, a test comparing
    running averages across frameworks), or puts the model in training mode itself and in eval
    mode again afterwards (a warm-up that fills the statistics)."""
    function = model.index.enclosing_function(call)
    home = function if function is not None else model.index.tree
    words = catalogue.STATISTIC_NAMES
    for node in ast.walk(home):
        if isinstance(node, ast.Attribute) and (node.attr in words or node.attr == "reset_running_stats"):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in words:
            return True
    if last is None or last.mode != "train" or last.function is not function or function is None:
        return False
    key = ast.dump(func)
    return any(m.mode == "eval" and m.target == key and m.function is function
               and (m.call.lineno, m.call.col_offset) > (call.lineno, call.col_offset)
               for m in model.torchflow.mode_calls)


def _made_up_input(model, call) -> bool:
    """The model's input is a tensor made up for the call (`torch.randn(1, 3, 32, 32)`, also
    through a name bound to one), not data."""
    return bool(call.args) and model.batches.made_up_tensor(call.args[0])

# methods that return the same module, moved or cast


def _evaluation_data(model, iterable) -> bool:
    """A loop over held-out data, by the name of what it iterates (`test_loader`, `valloader`,
    `tqdm(val_dl)`, `enumerate(testloader)`, `self.val_loader`), also through the name the
    wrapped loader is bound to (`batch = tqdm(test_l)`, then `for x, y in batch:`)."""
    for _ in range(3):
        while isinstance(iterable, ast.Call) and iterable.args:
            iterable = iterable.args[0]
        if _names_evaluation_data(iterable):
            return True
        binding = model.values.reaching_binding(iterable) if isinstance(iterable, ast.Name) else None
        if binding is not None and binding.kind == "param":
            # `def calculate_accuracy(net, loader)`, called with `testloader` (here or in another
            # module): a loop over held-out data when a call hands it some (only parameters named
            # for data are followed to their calls: `for block in blocks` is no data loop)
            if not any(word in binding.name.lower() for word in _DATA_PARAMETER_WORDS):
                return False
            return any(isinstance(site.argument, (ast.Name, ast.Attribute)) and _names_evaluation_data(site.argument)
                       for site in model.values.argument_sites(binding) if site.call is not None)
        if binding is None or binding.kind not in ("assign", "annassign") or not isinstance(binding.value, ast.Call):
            return False
        iterable = binding.value
    return False


def _names_evaluation_data(iterable) -> bool:
    name = iterable.attr if isinstance(iterable, ast.Attribute) else iterable.id if isinstance(iterable, ast.Name) else ""
    words = [w for w in re.split(r"[_\W\d]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()) if w]
    return any(w in _EVALUATION_DATA or (w.startswith(("test", "val", "valid")) and w.endswith(
        ("loader", "set", "data", "dl", "ds", "batches", "iter"))) for w in words)


def _self_key(model, owner: ast.AST, cls: ast.ClassDef) -> str | None:
    """How `self.<attr>` dumps, for the model whose parameters an optimizer of `cls` is given:
    `self.generator.parameters()`, or `generator.parameters()` in the `__init__` that stores
    `self.generator = generator.apply(weights_init)` (or `= generator.to(device)`, `= generator`)."""
    if _self_attribute(owner):
        return ast.dump(owner)
    if not isinstance(owner, ast.Name):
        return None
    for node in model.index.assigns:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and _self_attribute(node.targets[0])
                and model.index.scope_of(node) is model.index.scope_of(owner) and model.index.enclosing_class(node) is cls):
            continue
        value = node.value
        while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and (
                value.func.attr in catalogue.MODULE_METHODS_RETURNING_SELF
                or value.func.attr == "apply" and len(value.args) == 1):  # (torch's `apply(fn)` returns the module)
            value = value.func.value
        if isinstance(value, ast.Name) and value.id == owner.id:
            return ast.dump(node.targets[0]).replace("ctx=Store()", "ctx=Load()")
    return None
