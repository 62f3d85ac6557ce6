"""BN013 frozen-model-called-in-training-mode."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule, contains_label, fix
from bnlint.semantic.models import declared_norm, isinstance_narrowing, layers_loop_owner, norm_selected_by_name
from bnlint.semantic.training import training_argument
from bnlint.semantic.values import UNKNOWN




class FrozenModelCalledInTrainingMode(Rule):
    """
    ## What it does
    Finds the Keras transfer-learning pattern done halfway: a base model that contains
    BatchNormalization is frozen (`base.trainable = False`) and then called to build the new
    model, `base(inputs)`, without `training=False`. The freeze flag is read as a value:
    `base.trainable = trainable` with `trainable=False` at every call, or an argparse flag
    whose default is False. A GAN discriminator frozen inside the combined model, which is
    also compiled and trained on its own (`d.compile`, `d.train_on_batch`), is the alternating
    training pattern, not fine-tuning, and is not reported; so is a builder's parameter frozen
    inside the combined model when the module trains the model it passes on its own, and so are
    networks the module assembles from layers (nothing pretrained) that it freezes in one
    combined model and sets back to `trainable = True` to call in the other (an encoder-generator
    GAN's `dis_model` and `gen_dis_model`).

    A model assembled from the base's own graph (`x = base.output`, `Model(inputs=base.input,
    ...)`) cannot pass `training=False` to the base at all: when the module unfreezes the base,
    that is reported where it is unfrozen (a warning; an info while it stays frozen), whether
    the model is wired before or after the freeze.

    A base frozen layer by layer counts too, `for layer in base.layers[:-60]: layer.trainable =
    False`: the tail it leaves trainable fine-tunes, BatchNorm included (a warning).

    A base that is fine-tuned (unfrozen, or frozen layer by layer) and called with an explicit
    `training=True` is reported too (a warning): its trainable BatchNormalization layers then
    always normalize with the fine-tuning batches and overwrite their moving statistics. Stated
    on a base that stays frozen, `training=True` changes nothing and is left alone.

    A module that keeps the base's BatchNormalization layers frozen when it unfreezes the base
    (`if isinstance(layer, BatchNormalization): layer.trainable = False`, also behind a guard
    `if not isinstance(layer, BatchNormalization): continue`, or picked by name, `if "_bn" in
    layer.name:`, or `layer.trainable = not isinstance(layer, BatchNormalization)`) has done
    what the rule asks by other means and is not reported.

    Severity: a warning when the module unfreezes anything (`base.trainable = True`, `for layer
    in base.layers[-20:]: layer.trainable = True`, `layer.trainable = args.fine_tune`), where the
    harm happens (also in a helper, of this module or another, given the base: `open_top(base,
    30)` with `def open_top(model, n): model.trainable = True; ...`), or when a module that calls
    the builder unfreezes the base it returns (`model, base = build_classifier(...)`, then
    `base.trainable = True` in the fine-tuning script); otherwise an info: while
    the base stays frozen its BatchNormalization runs in inference mode and nothing goes wrong
    yet, so the finding is a smell that becomes a bug with the fine-tuning step.

    The freeze may happen in a helper that returns the base (`def load_base(trainable): base =
    MobileNetV2(...); base.trainable = trainable; return base`): its callers' calls of the name
    they bind it to count. A helper of another module that freezes what it returns, also as part
    of a tuple (`base, preprocess = load_backbone(freeze=True)`), freezes it where it is bound,
    unless the call skips the branch that freezes it (`freeze=False`).

    PyTorch (an info): a network frozen whole with `for p in net.parameters(): p.requires_grad =
    False` (or `net.requires_grad_(False)`; parameters picked by name are a partial scheme and
    are left alone) and put in training mode by `net.train()` (or by `.train()`
    on the model it is an attribute of) in a module that trains: `requires_grad` stops the
    weights only, and its BatchNorm layers keep normalizing with batch statistics and
    overwriting their running statistics. Not reported when the module puts BatchNorm layers
    back in eval mode (`for m in net.modules(): ... m.eval()`), puts the frozen part itself in
    eval mode while training a model around it, or uses `FrozenBatchNorm2d`. An info, because
    letting the statistics adapt to the new data can be what the author wants.

    ## Why is this bad?
    Since TF 2.0 a BatchNormalization layer with `trainable = False` runs in inference mode, so
    while the base stays frozen nothing goes wrong. The second step of transfer learning is
    to unfreeze it (`base.trainable = True`) and fine-tune with a low learning rate. Without
    `training=False` recorded in the graph, the BN layers then switch to training mode: they
    normalize with the statistics of the small fine-tuning batches and overwrite the moving
    mean and variance learned on the large dataset, and the first epochs of fine-tuning
    destroy what the pretrained model knew. The Keras guide says: "pass training=False when
    calling the base model", so that the BN layers stay in inference mode after unfreezing.

    ## Example
    ```python
    base = keras.applications.Xception(weights="imagenet", include_top=False)
    base.trainable = False
    x = base(inputs)                   # BN013
    ```
    Use instead:
    ```python
    x = base(inputs, training=False)
    ```

    ## Fix
    Call the base with `training=False` when building the new model.

    **Automatic fix (safe):** `training=False` is added to the call of the frozen base. A base put
    inside `Sequential([...])` needs the model rebuilt functionally and is not rewritten.

    ## Framework versions
    TensorFlow 2.x `tf.keras` and Keras 3 (the `trainable=False` means inference mode behaviour of BN
    exists since TF 2.0).

    ## References
    - https://keras.io/guides/transfer_learning/ ("Important notes about BatchNormalization layer")
    - https://www.tensorflow.org/guide/keras/transfer_learning
    - https://discuss.pytorch.org/t/what-does-requires-grad-false-on-batchnorm2d-perform/137904
      (PyTorch: the running statistics are buffers, updated in every forward pass in training mode
      whatever `requires_grad` says)
    """

    code = "BN013"
    name = "frozen-model-called-in-training-mode"
    severity = "W"
    fix_applicability = "safe"
    summary = "a frozen base model with BatchNormalization is called without training=False"
    requires = catalogue.minimal_words(catalogue.TRAINABLE_WORDS + catalogue.FREEZE_HELPER_WORDS
                                       + catalogue.REQUIRES_GRAD_WORDS)
    # (a base frozen by `load_backbone()` of an imported module, whatever the helper is called)
    requires_imported = catalogue.TRAINABLE_WORDS

    def check(self, model):
        for node in model.index.assigns:
            # `base.trainable = False`, also through a name, a parameter (`trainable=False` at every
            # call) or an argparse flag (`= not args.fine_tune`)
            if not isinstance(node, ast.Assign):
                continue
            computed = isinstance(node.value, ast.Compare) and model.const(node.value) is UNKNOWN
            if model.const(node.value) is not False and not computed:
                continue
            for target in node.targets:
                if not (isinstance(target, ast.Attribute) and target.attr == "trainable"
                        and isinstance(target.value, (ast.Name, ast.Attribute))):
                    continue
                frozen_layers = layers_loop_owner(model.models, target.value)
                if computed:
                    # `for i, layer in enumerate(base.layers): layer.trainable = i >= cut`: frozen
                    # but for the layers the comparison keeps trainable
                    if frozen_layers is None or not _compares_loop_index(model, node.value, target.value):
                        continue
                    yield from self._calls_after(model, node, frozen_layers[0], partial=True)
                    continue
                if frozen_layers is not None:
                    # `for layer in base.layers[:-60]: layer.trainable = False`: the base is frozen
                    # but for its last layers, which fine-tune (their BatchNorm included)
                    base, partial = frozen_layers
                    yield from self._calls_after(model, node, base, partial=partial)
                    continue
                yield from self._calls_after(model, node, target.value)
        # `freeze(backbone)` with a helper (of this module or another) that sets `trainable = False`
        # on the model it is given: frozen at the call
        for call, argument in model.models.freezing_calls():
            yield from self._calls_after(model, call, argument)
        # `base, preprocess = load_backbone(freeze=True)`, a helper that freezes what it returns
        for statement, name in model.models.frozen_returns():
            yield from self._calls_after(model, statement, name)
        yield from self._torch_frozen_in_training_mode(model)

    def _torch_frozen_in_training_mode(self, model):
        """PyTorch: `for p in backbone.parameters(): p.requires_grad = False` freezes the weights
        only; `backbone.train()` before the training loop still has its BatchNorm normalize with
        batch statistics and overwrite its running statistics (an info: fine when the drift to
        the new data is wanted)."""
        if "requires_grad" not in model.source or "FrozenBatchNorm" in model.source:
            return
        flow = model.torchflow
        if not flow.training_loops:
            return
        train_calls, eval_receivers = [], set()
        for call in model.index.calls:
            func = call.func
            if not isinstance(func, ast.Attribute) or func.attr not in ("train", "eval"):
                continue
            off = func.attr == "eval" or (call.args and model.const(call.args[0]) is False)
            if off:
                eval_receivers.add(model.text(func.value))
                if self._iterates_modules(model, func.value):
                    return  # `for m in net.modules(): if isinstance(m, nn.BatchNorm2d): m.eval()`
            elif not call.args or model.const(call.args[0]) is True:
                train_calls.append(call)
        reported = set()
        for node, owner in self._requires_grad_freezes(model):
            owner_text = model.text(owner)
            if owner_text in reported or owner_text in eval_receivers and train_calls and any(
                    model.text(c.func.value) != owner_text for c in train_calls):
                continue  # (`model.train(); model.backbone.eval()`: the frozen part is kept in eval mode)
            trained = next((c for c in train_calls if model.text(c.func.value) == owner_text
                            or owner_text.startswith(model.text(c.func.value) + ".")), None)
            if trained is None:
                continue
            contents = model.models.contents_of(owner)
            if contents is None or not contents.bn or contents.framework != "torch" or not contents.bn_evidence:
                continue
            reported.add(owner_text)
            layer, where = contents.bn_evidence[0]
            yield Report(
                node,
                f"`{model.text(owner, 30)}` is frozen with requires_grad=False but trained in training mode",
                evidence=[(contains_label(model.text(owner, 30), layer), where),
                          (f"`{model.text(trained, 40)}` puts it in training mode here", trained)],
                why="`requires_grad = False` stops the gradients of the weights only. In training mode the "
                    "BatchNorm layers of the frozen part still normalize each batch with its own statistics "
                    "and overwrite the running mean and variance they were pretrained with, so the "
                    "\"frozen\" features drift, most with small batches.",
                fix_title="Put the frozen part's BatchNorm layers in eval mode after each `.train()` "
                          "(or build it with FrozenBatchNorm2d)",
                severity="I",
            )

    @staticmethod
    def _iterates_modules(model, receiver) -> bool:
        """`receiver` is the variable of a loop over a network's modules (`for m in net.modules()`)."""
        if not isinstance(receiver, ast.Name):
            return False
        for loop in model.index.loops:
            if isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and isinstance(loop.iter.func, ast.Attribute) \
                    and loop.iter.func.attr in ("modules", "children", "named_modules", "named_children") \
                    and any(isinstance(n, ast.Name) and n.id == receiver.id for n in ast.walk(loop.target)):
                return True
        return False

    @staticmethod
    def _requires_grad_freezes(model):
        """(the statement, the network) for `for p in net.parameters(): p.requires_grad = False`
        (also `named_parameters()`) and `net.requires_grad_(False)`."""
        for node in model.index.assigns:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Attribute) and node.targets[0].attr == "requires_grad"
                    and isinstance(node.targets[0].value, ast.Name) and model.const(node.value) is False):
                continue
            param = node.targets[0].value.id
            parent = model.index.parents.get(node)
            # (only a whole freeze: `if "fc" not in name:` or `if any(x in k for x in freeze):`
            # picks parameters by name, a partial scheme whose layers may well exclude BatchNorm)
            if not isinstance(parent, ast.For):
                continue
            if not (isinstance(parent, ast.For) and isinstance(parent.iter, ast.Call)
                    and isinstance(parent.iter.func, ast.Attribute)
                    and parent.iter.func.attr in ("parameters", "named_parameters")):
                continue
            target = parent.target.elts[-1] if isinstance(parent.target, ast.Tuple) and parent.target.elts \
                else parent.target
            if isinstance(target, ast.Name) and target.id == param:
                yield node, parent.iter.func.value
        for call in model.index.calls:
            if isinstance(call.func, ast.Attribute) and call.func.attr == "requires_grad_" and call.args \
                    and model.const(call.args[0]) is False:
                yield call, call.func.value

    @staticmethod
    def _trained_itself(model, key):
        """The frozen model is also compiled and trained on its own in this module (`d.compile`,
        `d.fit`, `d.train_on_batch`, gradients over `d.trainable_variables`): the freeze is the
        alternating-training pattern of GANs, not fine-tuning a pretrained base."""
        for call in model.index.calls:
            func = call.func
            if (isinstance(func, ast.Attribute) and func.attr in catalogue.OWN_TRAINING_METHODS
                    and ast.dump(func.value) == key):
                return True
        return any(source.owner is not None and ast.dump(source.owner) == key
                   for use in model.training.variable_uses for source in use.sources)

    @classmethod
    def _given_a_model_trained_itself(cls, model, base):
        """`def create_gan(generator, discriminator): discriminator.trainable = False` with a call
        (of this module) passing a model that the module trains on its own."""
        binding = model.values.binding_of(base) if isinstance(base, ast.Name) else None
        if binding is None or binding.kind != "param":
            return False
        return any(site.values is model.values and site.call is not None
                   and isinstance(site.argument, (ast.Name, ast.Attribute))
                   and cls._trained_itself(model, ast.dump(site.argument))
                   for site in model.values.argument_sites(binding))

    @staticmethod
    def _keeps_bn_frozen(model):
        """The module freezes BatchNormalization layers by type when it unfreezes the base
        (`for layer in base.layers: if isinstance(layer, BatchNormalization): layer.trainable =
        False`, also behind a guard `if not isinstance(...): continue`), or by name (`if "_bn" in
        layer.name:`): they stay in inference mode while the rest is fine-tuned, the fix this
        rule asks for by other means."""
        for node in model.index.assigns:
            if not isinstance(node, ast.Assign):
                continue
            if _not_a_norm_layer(model, node):
                return True  # `layer.trainable = not isinstance(layer, BatchNormalization)`
            if model.const(node.value) is True and any(
                    isinstance(t, ast.Attribute) and t.attr == "trainable" and isinstance(t.value, ast.Name)
                    and _rules_out_batch_norm(model, t.value) for t in node.targets):
                return True  # `if not isinstance(layer, BatchNormalization): layer.trainable = True`
            computed = isinstance(node.value, ast.Compare) and model.const(node.value) is UNKNOWN
            if model.const(node.value) is not False and not computed:
                continue
            for target in node.targets:
                if (isinstance(target, ast.Attribute) and target.attr == "trainable"
                        and (declared_norm(model.models, target.value) is not None
                             or isinstance(target.value, ast.Name)
                             and norm_selected_by_name(model.index, target.value) is not None)):
                    return True
        return False

    @staticmethod
    def _unfreezes_something(model) -> ast.AST | None:
        """The first `x.trainable = ...` in the module that may set True: a literal True, or a
        value bnlint cannot read as False (`= fine_tune`, `= i >= n_frozen`); None if none."""
        for node in model.index.assigns:
            if not isinstance(node, ast.Assign):
                continue
            if any(isinstance(t, ast.Attribute) and t.attr == "trainable" for t in node.targets) and \
                    model.const(node.value) is not False:
                return node
        # `unfreeze_top(base, 40)`: a helper, here or in another module, that unfreezes what it is given
        unfreezing = model.models.unfreezing_calls()
        return unfreezing[0][0] if unfreezing else None

    @staticmethod
    def _unfrozen_by_callers(model, base, frozen):
        """`def build_classifier(...): ...; return model, base` with the base frozen here, and a
        module that calls it unfreezing what it gets (`model, base = build_classifier(...)`, then
        `base.trainable = True` for the fine-tuning stage): that assignment, as a place there."""
        function = model.index.enclosing_function(frozen)
        if not isinstance(base, ast.Name) or function is None or model.project is None \
                or model.index.scope_of(function) is not model.index.module_scope:
            return None
        positions = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and model.index.enclosing_function(node) is function:
                if isinstance(node.value, ast.Name) and node.value.id == base.id:
                    positions.add(None)
                elif isinstance(node.value, ast.Tuple):
                    positions.update(i for i, e in enumerate(node.value.elts)
                                     if isinstance(e, ast.Name) and e.id == base.id)
        for other, call, _bound in (model.project.external_calls(function.name) if positions else [])[:8]:
            statement = other.index.parents.get(call)
            if not (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1):
                continue
            target = statement.targets[0]
            names = [target] if isinstance(target, ast.Name) and None in positions else [
                target.elts[i] for i in positions if i is not None and isinstance(target, ast.Tuple)
                and i < len(target.elts) and isinstance(target.elts[i], ast.Name)]
            for name in names:
                for node in other.index.assigns:
                    if (isinstance(node, ast.Assign) and other.const(node.value) is not False
                            and other.index.scope_of(node) is other.index.scope_of(statement)
                            and any(isinstance(t, ast.Attribute) and t.attr == "trainable"
                                    and isinstance(t.value, ast.Name) and t.value.id == name.id for t in node.targets)):
                        return model.project.foreign(node, other)
        return None

    @staticmethod
    def _in_sequential(model, frozen, base, key, contents):
        """`tf.keras.Sequential([base, Dense(1)])` after the freeze: Sequential calls the base
        with the training flag of the outer call, so fit() runs its BatchNorm in training mode."""
        for call in model.index.calls:
            qual = model.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
            # (built before the freeze in the same function counts too: Sequential calls the base
            # when the model is trained, after it)
            if not qual or catalogue.keras_name(qual) not in catalogue.SEQUENTIAL_CLASSES or (
                    call.lineno < frozen.lineno
                    and model.index.enclosing_function(call) is not model.index.enclosing_function(frozen)):
                continue
            elements = list(call.args[0].elts) if call.args and isinstance(call.args[0], (ast.List, ast.Tuple)) else []
            statement = model.index.parents.get(call)
            if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)):
                # `model = Sequential(); model.add(base)`
                name = statement.targets[0].id
                elements += [c.args[0] for c in model.index.calls
                             if isinstance(c.func, ast.Attribute) and c.func.attr == "add" and c.args
                             and isinstance(c.func.value, ast.Name) and c.func.value.id == name
                             and model.index.scope_of(c) is model.index.scope_of(call) and c.lineno > call.lineno]
            for element in elements:
                if ast.dump(element) == key:
                    layer, where = contents.bn_evidence[0]
                    name = model.text(base, 30)
                    yield Report(
                        element,
                        f"frozen `{name}` contains BatchNormalization and is put in a Sequential model",
                        evidence=[(contains_label(name, layer), where), ("frozen here", frozen),
                                  ("the Sequential model, which calls it without `training=False`", call)],
                        why="Sequential calls it with the training flag of the outer call, never "
                            "`training=False`: once it is unfrozen for fine-tuning its BatchNormalization layers "
                            "run in training mode and overwrite their moving statistics.",
                        fix_title=f"Build the model functionally and call `{name}(inputs, training=False)`",
                    )

    @staticmethod
    def _graph_reused(model, places, contents, frozen, unfrozen, severity):
        """`x = base.output ... Model(inputs=base.input, outputs=...)`: the new model runs the
        base's own layers, so `training=False` cannot be passed to them; once the base is
        unfrozen, `fit` trains its BatchNormalization in training mode. Reported once, at the
        first `.output` read (before or after the freeze, where the base is frozen: the book
        recipe builds the model first, then freezes the base's layers)."""
        reads = [node for function, key, line in places for node in ast.walk(function or model.index.tree)
                 if isinstance(node, ast.Attribute) and node.attr in ("output", "outputs")
                 and isinstance(node.ctx, ast.Load) and ast.dump(node.value) == key
                 and (node.lineno > line or function is model.index.enclosing_function(frozen))
                 and model.index.enclosing_function(node) is function]
        for node in sorted(reads, key=lambda n: (n.lineno, n.col_offset))[:1]:
            layer, where = contents.bn_evidence[0]
            name = model.text(node.value, 30)
            # the harm starts where the base is unfrozen, and that is where the fix goes
            yield Report(
                unfrozen[0] if unfrozen else node,
                f"`{name}` is unfrozen with its BatchNormalization, and its layers are reused through "
                f"`.{node.attr}`" if unfrozen else
                f"frozen `{name}` contains BatchNormalization and its layers are reused through `.{node.attr}`",
                severity=severity,
                evidence=[(contains_label(name, layer), where), ("frozen here", frozen),
                          (f"its layers reused through `.{node.attr}` here", node)],
                why="The new model runs the base's own layers, so nothing can pass them `training=False`: once "
                    "the base is unfrozen for fine-tuning, `fit` runs its BatchNormalization layers in training "
                    "mode and they overwrite their moving statistics with those of the small fine-tuning batches.",
                fix_title=f"Build the model with `{name}(inputs, training=False)`, or keep its BatchNormalization "
                          f"layers frozen (`trainable = False`) when unfreezing",
            )

    def _calls_after(self, model, frozen, base, partial=False):
        contents = model.models.contents_of(base)
        if contents is None or not contents.bn or contents.framework != "keras" or not contents.bn_evidence:
            return
        key = ast.dump(base)
        if self._trained_itself(model, key) or self._given_a_model_trained_itself(model, base):
            return  # a GAN's discriminator frozen inside the combined model: trained on its own too
        if _called_while_trainable(model, key) and _assembled_untrained(model, key, contents):
            return  # a GAN's networks, frozen in one combined model and trained in the other
        if self._keeps_bn_frozen(model):
            return  # `if isinstance(layer, BatchNormalization): layer.trainable = False` when unfreezing
        function = model.index.enclosing_function(frozen)
        unfrozen = [a for a in model.index.assigns if isinstance(a, ast.Assign)
                    and isinstance(a.value, ast.Constant) and a.value.value is True
                    and any(isinstance(t, ast.Attribute) and t.attr == "trainable" and ast.dump(t.value) == key
                            for t in a.targets)]
        # while the base stays frozen its BatchNorm runs in inference mode and nothing goes wrong:
        # the harm comes with fine-tuning, so without any unfreezing in sight the finding is a
        # latent one (info); with the module unfreezing layers (`base.trainable = True`, `for
        # layer in base.layers[-20:]: layer.trainable = True`, `= args.fine_tune`) it is a warning
        unfreezing = self._unfreezes_something(model) or self._unfrozen_by_callers(model, base, frozen)
        severity = "W" if partial or unfrozen or unfreezing is not None else "I"
        for report in self._in_sequential(model, frozen, base, key, contents):
            report.severity = severity
            yield report
        # where the frozen base is used: its own function, after the freeze; and, when a helper
        # freezes and returns it (`def load_base(trainable): ...; return base`), the callers'
        # functions, through the name they bind it to
        places = [(function, key, frozen.lineno)]
        returned = function is not None and any(
            isinstance(n, ast.Return) and n.value is not None and ast.dump(n.value) == key
            and model.index.enclosing_function(n) is function for n in ast.walk(function))
        if returned:
            for helper_call, _bound in model.index.callers(function):
                statement = model.index.parents.get(helper_call)
                if (isinstance(statement, ast.Assign) and statement.value is helper_call and len(statement.targets) == 1
                        and isinstance(statement.targets[0], ast.Name)):
                    places.append((model.index.enclosing_function(statement),
                                   ast.dump(ast.Name(id=statement.targets[0].id, ctx=ast.Load())), statement.lineno))
        if function is None and isinstance(base, ast.Name):
            # frozen at module level (`down_stack.trainable = False`), called in the functions that
            # build the model (`def unet_model(): ... skips = down_stack(x)`)
            for other in model.index.functions:
                scope = model.index.scopes.get(other)
                bindings = model.index.lookup(base.id, scope) if scope is not None else []
                if bindings and all(b.scope is model.index.module_scope for b in bindings):
                    places.append((other, key, 0))
        cls = model.index.enclosing_class(frozen) if function is not None else None
        if cls is not None and isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) \
                and base.value.id == "self":
            # `self.backbone.trainable = False` in `__init__`: the subclassed model's `call()`
            # (any other method) runs `self.backbone(x)`
            places.extend((method, key, 0) for method in cls.body
                          if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method is not function)
        yield from self._graph_reused(model, places, contents, frozen,
                                      unfrozen or ([unfreezing] if unfreezing is not None and not partial else []),
                                      severity)
        for call in model.index.calls:
            place = next((p for p in places if ast.dump(call.func) == p[1] and call.lineno > p[2]
                          and model.index.enclosing_function(call) is p[0]), None)
            if place is None or not call.args or model.index.result_discarded(call):
                continue  # (a call whose output is thrown away builds variables: no model is made from it)
            flag = training_argument(call, model)
            # (a BatchNormalization layer itself, or a unit test of its modes, is no fine-tuned base)
            forced = isinstance(flag, ast.AST) and model.const(flag) is True and not model.in_test(call) and not (
                isinstance(base, ast.Name) and _built_as_norm_layer(model, base))
            if flag is not None and not (forced and severity == "W"):
                # (`training=True` stated on a base that stays frozen changes nothing: a frozen
                # BatchNormalization runs in inference mode since TF 2.0)
                continue
            layer, where = contents.bn_evidence[0]
            name = model.text(call.func, 30)
            later = " It is unfrozen in this module, where this happens." if unfrozen else ""
            if forced:
                yield Report(
                    call,
                    f"fine-tuned `{name}` contains BatchNormalization and is called with `training=True`",
                    severity="W",
                    evidence=[(contains_label(name, layer), where),
                              ("frozen here" if not partial else "frozen layer by layer here, its tail left trainable",
                               frozen), *([("unfrozen here", unfrozen[0])] if unfrozen else [])],
                    why="The layers left trainable fine-tune in training mode, BatchNormalization among them: it "
                        "normalizes with the statistics of the small fine-tuning batches and overwrites the moving "
                        "statistics learned on the large dataset. The Keras guide asks for `training=False` when "
                        "calling the base model, so that its BatchNormalization stays in inference mode.",
                    # (no automatic fix: the author stated `training=True`, so the change is theirs to make)
                    fix_title="Pass `training=False`",
                )
                continue
            yield Report(
                call,
                f"frozen `{name}` contains BatchNormalization and is called without `training=False`",
                severity=severity,
                evidence=[(contains_label(name, layer), where), ("frozen here", frozen),
                          *([("unfrozen here", unfrozen[0])] if unfrozen else
                            [("unfrozen here by the module that gets it", unfreezing)]
                            if hasattr(unfreezing, "bnlint_path") else [])],
                why=f"Once it is unfrozen for fine-tuning, its BatchNormalization layers run in training mode "
                    f"and overwrite their moving statistics with those of the small fine-tuning batches.{later}",
                fix=fix("add_keyword", call, "Pass `training=False`", safe=True, name="training", value="False"),
            )


def _built_as_norm_layer(model, name: ast.Name) -> bool:
    binding = model.values.binding_of(name)
    return binding is not None and isinstance(binding.value, ast.Call) and model.norm_site(binding.value) is not None


def _compares_loop_index(model, test: ast.Compare, layer: ast.AST) -> bool:
    """`i >= cut` where `i` is the index of `for i, layer in enumerate(base.layers)`."""
    binding = model.values.binding_of(layer) if isinstance(layer, ast.Name) else None
    loop = binding.node if binding is not None and binding.kind == "for" else None
    if not (isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.target, ast.Tuple)
            and len(loop.target.elts) == 2 and isinstance(loop.target.elts[0], ast.Name)):
        return False
    index = loop.target.elts[0].id
    return any(isinstance(n, ast.Name) and n.id == index for n in ast.walk(test))


def _rules_out_batch_norm(model, layer: ast.Name) -> bool:
    """The use of `layer` is guarded so that it is no BatchNormalization layer."""
    for _test, kinds in isinstance_narrowing(model.index, layer, excluded=True):
        names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
        for name in names:
            api = catalogue.lookup(model.qualname(name)) if isinstance(name, (ast.Name, ast.Attribute)) else None
            if api is not None and api.kind == catalogue.BATCH:
                return True
    return False


def _not_a_norm_layer(model, node: ast.Assign) -> bool:
    """`layer.trainable = not isinstance(layer, BatchNormalization)`: every layer but the
    BatchNorm ones is made trainable."""
    value = node.value
    if not (isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not) and isinstance(value.operand, ast.Call)
            and isinstance(value.operand.func, ast.Name) and value.operand.func.id == "isinstance"
            and len(value.operand.args) == 2):
        return False
    kinds = value.operand.args[1]
    names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    return any(isinstance(t, ast.Attribute) and t.attr == "trainable" for t in node.targets) and any(
        catalogue.lookup(model.qualname(n)) is not None and catalogue.lookup(model.qualname(n)).kind == catalogue.BATCH
        for n in names if isinstance(n, (ast.Name, ast.Attribute)))


def _assembled_untrained(model, key: str, contents) -> bool:
    """The network is assembled from layers here (its BatchNorm is a layer this module builds, not
    a model-zoo builder's) and given no weights (`load_weights`): nothing pretrained to fine-tune."""
    if not contents.bn_evidence or model.norm_site(contents.bn_evidence[0][1]) is None:
        return False
    return not any(isinstance(call.func, ast.Attribute) and call.func.attr in ("load_weights", "set_weights")
                   and ast.dump(call.func.value) == key for call in model.index.calls)


def _called_while_trainable(model, key: str) -> bool:
    """`generator.trainable = True` and then `generator(z)` to build the model that trains it: the
    module trains the network inside another model. Freezing it elsewhere (`generator.trainable =
    False` while the discriminator's model is built) is then the GAN's alternation, when the
    network is not a pretrained one (a base unfrozen and rebuilt to fine-tune it is)."""
    switches = [(a, model.const(a.value)) for a in model.index.assigns if isinstance(a, ast.Assign)
                and any(isinstance(t, ast.Attribute) and t.attr == "trainable" and ast.dump(t.value) == key
                        for t in a.targets)]
    for unfrozen, value in switches:
        if value is not True:
            continue
        function = model.index.enclosing_function(unfrozen)
        refrozen = [a.lineno for a, v in switches if v is not True and a.lineno > unfrozen.lineno
                    and model.index.enclosing_function(a) is function]
        until = min(refrozen, default=float("inf"))
        if any(ast.dump(call.func) == key and call.args and unfrozen.lineno < call.lineno < until
               and model.index.enclosing_function(call) is function for call in model.index.calls):
            return True
    return False
