"""BN002 missing-training-flag-in-tape."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule, clip, fit_headline, fix, recognized_as
from bnlint.semantic.models import Contents
from bnlint.semantic.training import called_model, training_argument


class MissingTrainingFlagInTape(Rule):
    """
    ## What it does
    Finds a Keras model (or layer) that contains BatchNormalization or Dropout, called inside
    a `tf.GradientTape` whose gradients update that model's variables, without
    `training=True`. This includes `self(x)` inside a custom `train_step`, and
    `model.call(x)` (the `call` method invoked directly).

    The tape must be a training step: one of its `tape.gradient(loss, ...)` calls (or
    `optimizer.minimize(..., tape=tape)`) takes gradients with respect to the called model's
    variables (`model.trainable_variables`, `self.trainable_weights`, a name bound to them, a
    sum of several models' variables). A tape that differentiates only with respect to inputs
    (saliency maps, adversarial examples, gradient penalties) is not one.

    `optimizer.minimize(loss_fn, var_list)` with a loss callable (a lambda or a function of
    the module) records that callable on a tape of its own: a model called there is checked the
    same way.

    The call may sit in a helper the tape's body calls (`loss = compute_loss(model, x)`,
    `self.forward_pass(x)`): the helper's parameters are read as the call's arguments, and the
    model call in the helper is reported with the tape as evidence. A training flag forwarded
    under another name counts as given: `gen(x, is_training=True)` when the class's `call()`
    passes `is_training` on as `training=` (or, when the class cannot be seen, a TF1-style flag
    name). A helper that forwards a flag of its own (`def forward(model, x, training=False):
    return model(x, training=training)`, also a method `def embed(self, x, training=None)`)
    called in the tape without it, or with False or None, runs the model in inference mode (None
    is Keras's "not given"): reported once at the tape's call of the helper, where the fix passes
    the flag. A unit test that runs one gradient step through a layer it has just built is a smoke
    check, not training, and is not reported.

    The tape may be a base class's, in another module (the template method): `BaseTrainer.
    train_step` in trainers/base.py opens the tape, calls `self.compute_loss(batch)` and takes
    gradients over `self.model.trainable_variables`; a subclass here defines `compute_loss`,
    which calls `self.model(images)` bare. Reported at that call, with the base class's tape,
    call and gradients as evidence. (`self.model` is what the base class sets it to, read for the
    subclass: `self.model = self.build_model()` there is what this class's `build_model` returns.)

    When the model is a whole network whose layers cannot be seen (loaded with `load_model`,
    or built by a model-zoo builder bnlint has no table for), the finding is a warning (W)
    instead of an error. So is a model that reaches the step as a parameter nobody in the
    project is seen passing (a keras.io-style GAN class whose networks are handed to its
    constructor, a `grad(model, x, y)` step function): the tape trains its variables, so it is a
    Keras model or layer, and called bare it runs in inference mode whatever it holds. (Not in a
    TensorLayer module: TensorLayer models keep their own mode, set by `network.train()`; nor
    when every network the module itself builds is free of BatchNormalization and Dropout: the
    model passed in is most likely one of them.)

    A model whose `call(self, x, training=False)` defaults the flag to False is called bare in
    inference mode: Keras fills an omitted `training` from the call signature's default.

    TF1 graphs (warning): `tf.layers.batch_normalization(x)` (also `tf.compat.v1.layers`) built
    without `training=` in a module whose graph a `tf.train` optimizer's `minimize` /
    `apply_gradients` trains. The layer's `training` defaults to False, so it is in inference
    mode while the graph trains (reported once, at the first such layer).

    ## Why is this bad?
    A Keras layer called without `training` runs in inference mode unless an enclosing call
    says otherwise: `fit()` passes `training=True` for you, a custom loop does not. So inside
    the tape BatchNormalization normalizes with its moving mean and variance instead of the
    batch statistics and never updates those moving statistics (they stay at their initial 0
    and 1), and Dropout drops nothing. The model trains without the regularization it was
    designed with, and at inference the moving statistics are still the initial ones: the
    outputs are off (a reported case: a model trained to output 150 keeps printing values
    near the raw input).

    ## Example
    ```python
    for x, y in dataset:
        with tf.GradientTape() as tape:
            y_pred = model(x)                     # BN002
            loss = loss_fn(y, y_pred)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    ```
    Use instead:
    ```python
        with tf.GradientTape() as tape:
            y_pred = model(x, training=True)
    ```

    ## Fix
    Pass `training=True` to the model call inside the tape (and `training=False`, or nothing,
    when evaluating). In a `train_step` override, call `self(x, training=True)`.

    **Automatic fix (safe):** `training=True` is added to the call inside the tape.

    ## Framework versions
    TensorFlow 2.x `tf.keras` (Keras 2) and Keras 3 with the TensorFlow backend; the
    `training` argument resolution (explicit argument, then the enclosing call's, then the
    learning phase, default inference) is the same in both.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization ("during
      training, i.e. when using fit() or when calling the layer/model with the argument
      training=True, the layer normalizes its output using the mean and standard deviation of
      the current batch")
    - https://keras.io/guides/writing_a_training_loop_from_scratch/ (`model(x, training=True)`)
    - https://keras.io/guides/customizing_what_happens_in_fit/ (`self(x, training=True)`)
    - https://www.tensorflow.org/api_docs/python/tf/compat/v1/layers/batch_normalization
      (`training=False` by default: "Whether to return the output in training mode ... or in
      inference mode")
    - https://github.com/tensorflow/tensorflow/issues/32864 (BN moving statistics not updated
      under GradientTape; solved by `training=True`)
    - https://www.tensorflow.org/hub/tf2_saved_model (fine-tuning a `hub.KerasLayer(...,
      trainable=True)`: the layer passes Keras's `training` flag on to the SavedModel, whose
      batch norm depends on it; the image modules of the ResNet, MobileNet, EfficientNet and
      Inception families hold batch norm)
    """

    def _inherited_tapes(self, model):
        """A method of this module's class that a base class of an imported module calls inside
        its training GradientTape (`BaseTrainer.train_step` opens the tape and calls
        `self.compute_loss(batch)`, defined here) and that calls the trained model bare."""
        if model.project is None or not model.project.imports_mention(model.source, catalogue.TAPE_APIS):
            return
        for found in model.training.inherited_tape_calls():
            call = found.call
            if call.keywords or len(call.args) > 1 or any(isinstance(a, ast.Starred) for a in call.args):
                continue  # a flag given, or a second positional that may be one
            target = called_model(call)
            contents = model.models.contents_of(target)
            if contents is None or contents.framework == "torch":
                continue
            layers = [(n, node) for n, node in contents.bn_evidence
                      if not model.models.mode_set_where_called(node)][:2]
            dropped = contents.dropout_evidence[:1]
            if not layers and not dropped:
                continue
            name = model.text(target, 20)
            kinds = " and ".join((["BatchNormalization"] if layers else []) + (["Dropout"] if dropped else []))
            consequence = " and ".join(
                (["BatchNormalization normalizes with its moving statistics instead of the batch's and never "
                  "updates them"] if layers else []) + (["Dropout drops nothing"] if dropped else []))
            yield Report(
                call,
                fit_headline(f"`{name}` holds {kinds} but is called in a base class's GradientTape without "
                             f"`training=True`",
                             f"`{name}` ({kinds}) is called in a GradientTape without `training=True`"),
                evidence=[(f"{n} built here", node) for n, node in layers + dropped] + [
                    (f"GradientTape opened here, in the base class", found.opener),
                    (f"`{found.method}()` called in the tape here", found.caller),
                    (f"gradients over `{found.updated}` taken here", found.gradient)],
                why=f"`{found.method}()` runs inside the GradientTape of the base class, and `{name}` is called "
                    f"there without `training`, so it runs in inference mode: only `fit()` passes `training=True` "
                    f"for you. The tape's gradients update `{found.updated}`, yet {consequence}.",
                fix=fix("add_keyword", call, "Pass `training=True`", safe=True, name="training", value="True"),
            )

    def _tf1_graph(self, model):
        """TF1: `tf.layers.batch_normalization(x)` without `training=` (so always in inference
        mode) in a module whose graph is trained by a `tf.train` optimizer's `minimize`."""
        sites = [s for s in model.norm_sites if s.api.key == _TF1_LAYERS_BN and not s.opaque
                 and s.arg(s.api.training) is None]
        if not sites:
            return
        train_op = _tf1_train_op(model)
        if train_op is None:
            return
        site = sites[0]
        layer = model.text(site.call.func, 40)
        others = [(f"`{model.text(s.call.func, 40)}` built without `training=` here too", s.call) for s in sites[1:3]]
        yield Report(
            site.call,
            fit_headline(f"`{layer}` is built without `training=` in a graph that `minimize` trains",
                         f"`{site.display}` has no `training=`: inference mode while the graph trains"),
            evidence=[(f"the train op built here, by `{model.text(train_op.func, 40)}`", train_op), *others],
            why=f"`{layer}` defaults to `training=False`: while the graph trains it normalizes with its "
                f"moving mean and variance, which stay at their initial 0 and 1 because nothing updates them, "
                f"so the layer normalizes nothing and inference later uses the same meaningless statistics.",
            fix_title="Pass `training=is_training` (a boolean placeholder or a Python flag) and run the UPDATE_OPS "
                      "with the train op",
            severity="W",
        )

    code = "BN002"
    name = "missing-training-flag-in-tape"
    severity = "E"
    summary = "a model with BatchNormalization/Dropout is called in a GradientTape without training=True"
    requires = catalogue.TRAINING_TAPE_WORDS
    # (a subclass whose base class, in a module it imports, opens the tape)
    requires_imported = catalogue.TAPE_APIS
    fix_applicability = "safe"

    def check(self, model):
        yield from self._tf1_graph(model)
        yield from self._inherited_tapes(model)
        training = model.training
        for tape in training.tapes:
            if not tape.is_training_step:
                continue
            reported = set()
            for call, source, via in training.model_calls(tape):
                flag = training_argument(call, model)
                # `apply_model(model, batch)` in the tape, `model(x, **call_kwargs)` in the helper
                spread_empty = flag is True and _kwargs_empty_through_helper(model, call, via)
                if spread_empty:
                    flag = None
                helper_value = _helper_flag(model, flag, call, via) if flag is not None else _NOT_OFF
                helper_off = helper_value is not _NOT_OFF
                off_text = "None (not given)" if helper_value is None else "False"
                defaulted_off = flag is not None and (_defaulted_to_false(model, flag, call) or helper_off)
                if (flag is not None and not defaulted_off) or call in reported:
                    continue
                if any(k.arg == "trainable" for k in call.keywords):
                    continue  # `trainable=` for `training=`: BN007 reports it
                target = called_model(call)  # `model` of `model(x)` and of `model.call(x)`
                contents = model.models.contents_of(target)
                if contents is None or contents.framework == "torch":
                    continue
                if model.in_test(tape.node) and _built_in_function_of(model, target, tape.node):
                    continue  # a unit test's one gradient step through a layer it just built
                name = model.text(target, 20)
                gradient = next(use.call for use in tape.gradients if source in use.sources)
                updated = model.text(source.node, 40)
                where = ("inside the GradientTape" if via is None else
                         f"in `{model.text(via.func, 30)}()`, which the GradientTape calls")
                if tape.item is None:
                    where = f"in the loss callable `{model.text(tape.node.func, 30)}` differentiates (on a tape of its own)"
                context = [(tape.opened, tape.opener)]
                if helper_off:
                    context.append((f"`training={model.text(flag, 20)}` is {off_text} for the tape's call of "
                                    f"`{model.text(via.func, 30)}()`", flag))
                elif defaulted_off:
                    context.append(("its `call()` defaults `training` to False here", flag))
                if via is not None:
                    context.append((f"`{model.text(via.func, 30)}()` called in the tape here", via))
                context.append((f"gradients over `{updated}` taken here", gradient))
                recognized = []
                if contents.how and contents.origin is not None:
                    recognized.append((recognized_as(name, contents.how), contents.origin))
                # layers whose calls state their own mode do not follow the model call's flag
                found = [(n, node) for n, node in contents.bn_evidence
                         if not model.models.mode_set_where_called(node)][:2]
                dropped = [(n, node) for n, node in contents.dropout_evidence[:1]]
                if contents.bn_evidence and not found and not dropped:
                    continue
                if found or dropped:
                    kinds = " and ".join((["BatchNormalization"] if found else []) + (["Dropout"] if dropped else []))
                    consequence = []
                    if found:
                        consequence.append("BatchNormalization normalizes with its moving statistics instead of "
                                           "the batch's and never updates them")
                    if dropped:
                        consequence.append("Dropout drops nothing")
                    layers = [(f"{n} built here", node) for n, node in found + dropped]
                    if any(origin is node for _n, origin in recognized for _m, node in found + dropped):
                        recognized = []
                    reported.add(call)
                    if (helper_off or spread_empty) and via in reported:
                        continue  # one finding where the helper's flag is left off, for all it calls
                    if helper_off or spread_empty:
                        reported.add(via)
                        # at the tape's call of the helper, where the flag is left off (and the fix goes);
                        # the model call inside the helper is evidence
                        context.insert(0, (f"`{name}` called here with the helper's flag" if helper_off else
                                           f"`{name}` called here with the helper's keyword arguments, which the "
                                           f"tape's call leaves empty", call))
                    yield Report(
                        via if helper_off or spread_empty else call,
                        fit_headline(f"`{name}` holds {kinds} but is called in a GradientTape without `training=True`",
                                     f"`{name}` ({kinds}) is called in a GradientTape without `training=True`",
                                     f"`{name}` is called in a GradientTape without `training=True`"),
                        evidence=layers + recognized + context,
                        why=(f"`{name}` is called with `{model.text(flag, 30)}`, which is {off_text} for the tape's call "
                             f"of `{model.text(via.func, 30)}()`" if helper_off else
                             f"`{name}` is called without `training` {where}") +
                            f", so it runs in inference mode: only "
                            f"`fit()` passes `training=True` for you. The tape's gradients update `{updated}`, "
                            f"yet {' and '.join(consequence)}.",
                        # (through a helper that forwards its own flag: the tape's call passes it)
                        fix=fix("add_keyword", via, f"Pass `{flag.id}=True` to `{model.text(via.func, 30)}()`",
                                safe=True, name=flag.id, value="True") if helper_off else
                        fix("add_keyword", via, f"Pass `training=True` to `{model.text(via.func, 30)}()`",
                            safe=True, name="training", value="True") if spread_empty else
                        fix("add_keyword", call, "Pass `training=True`", safe=True, name="training", value="True"),
                    )
                elif contents.has_bn_or_dropout is None and (
                        (contents.framework == "keras" and contents.opaque_network)
                        or (contents.framework is None and not _tensorlayer_module(model)
                            and not _module_networks_plain(model, call)
                            and not _namesake_networks_plain(model, call, target))):
                    # a model whose layers cannot be seen: loaded, a zoo builder, or a parameter
                    # nobody in the project is seen passing; the tape trains its variables, so it
                    # is a Keras model or layer
                    reported.add(call)
                    how = f" ({contents.how})" if contents.how else ""
                    yield Report(
                        call,
                        f"Keras model `{name}` is called in a GradientTape without `training=True`",
                        evidence=recognized + context,
                        why=f"`{name}` is a Keras model{how} whose layers bnlint cannot see. It is called without "
                            f"`training` {where}, and the tape's gradients update `{updated}`: if it contains "
                            f"BatchNormalization or Dropout, they run in inference mode.",
                        fix=fix("add_keyword", call, "Pass `training=True`", safe=True, name="training",
                                value="True"),
                        severity="W",
                    )
            yield from self._foreign_helpers(model, tape, reported)

    def _foreign_helpers(self, model, tape, reported):
        """A model the tape hands to another module's helper, which calls it bare
        (`loss = compute_loss(model, x)` with `from losses import compute_loss`). Reported at the
        helper call, the line of this module that trains through it; the fix is in the other
        file, so none is offered."""
        for use in model.training.foreign_model_calls(tape):
            if use.helper_call in reported:
                continue
            contents = model.models.contents_of(use.model)
            if contents is None or contents.framework == "torch":
                continue
            found = [(n, node) for n, node in contents.bn_evidence
                     if not model.models.mode_set_where_called(node)][:2]
            dropped = contents.dropout_evidence[:1]
            if not (found or dropped):
                continue
            reported.add(use.helper_call)
            name = model.text(use.model, 20)
            kinds = " and ".join((["BatchNormalization"] if found else []) + (["Dropout"] if dropped else []))
            gradient = next(g.call for g in tape.gradients if use.source in g.sources)
            yield Report(
                use.helper_call,
                fit_headline(f"`{name}` holds {kinds} but `{use.helper}()` calls it in a GradientTape without "
                             f"`training=True`",
                             f"`{use.helper}()` calls `{name}` ({kinds}) in a GradientTape without `training=True`",
                             f"`{clip(use.helper, 25)}()` calls `{name}` in a GradientTape without `training=True`"),
                evidence=[(f"{n} built here", node) for n, node in found + dropped] + [
                    (tape.opened, tape.opener),
                    (f"`{use.inner_text}` called without `training=` in `{use.helper}()` here", use.inner),
                    (f"gradients over `{model.text(use.source.node, 40)}` taken here", gradient)],
                why=f"`{use.helper}()` calls `{name}` without `training`, so inside the tape it runs in inference "
                    f"mode: only `fit()` passes `training=True` for you. The tape's gradients update "
                    f"`{model.text(use.source.node, 40)}`, yet " + " and ".join(
                        (["BatchNormalization normalizes with its moving statistics instead of the batch's and "
                          "never updates them"] if found else []) + (["Dropout drops nothing"] if dropped else [])) + ".",
                fix_title=f"Call the model with `training=True` in `{use.helper}()`",
            )


_TF1_LAYERS_BN = "tf1.layers.batch_normalization"


def _tf1_train_op(model) -> ast.Call | None:
    """A TF1 optimizer's `minimize(...)` / `apply_gradients(...)` of the module
    (`tf.train.AdamOptimizer(lr).minimize(loss)`), not a Keras or PyTorch one."""
    for call in model.index.calls:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in ("minimize", "apply_gradients")):
            continue
        receiver = func.value
        if isinstance(receiver, ast.Name):
            binding = model.values.binding_of(receiver)
            receiver = binding.value if binding is not None and isinstance(binding.value, ast.Call) else receiver
        if isinstance(receiver, ast.Call):
            qual = catalogue.canonical(model.qualname(receiver.func) or "")
            if qual.startswith("tensorflow.train."):
                return call
    return None


def _module_networks_plain(model, call) -> bool:
    """The networks this module builds (its model classes and the functions that return models)
    hold neither BatchNormalization nor Dropout: a model passed in from elsewhere is most likely
    one of them (`SiameseModel(siamese_network)` beside `build_siamese_net()`), so a bare call of
    it changes nothing."""
    home = model.index.enclosing_class(call)  # the class that trains it (the GAN) is no candidate
    cache = model.__dict__.setdefault("_bn002_plain_networks", {})
    cached = cache.get(id(home))
    if cached is None:
        built = []
        for bindings in model.index.module_scope.bindings.values():
            for binding in bindings:
                if binding.kind == "class" and binding.node is not home and _tf_module_class(model, binding.node):
                    # a hand-written `tf.Module` (weights and `tf.matmul`): a network with no
                    # `training` argument at all
                    contents = model.models.scope_contents(binding.node)
                    built.append(Contents(bn=contents.bn, dropout=contents.dropout, framework="keras"))
                elif binding.kind == "class" and binding.node is not home:
                    built.append(model.models.class_contents(binding.node))
                elif binding.kind == "def":
                    built.append(model.models.function_returns(binding.node))
        built = [c for c in built if c is not None and c.framework == "keras" and c.bn is not None]
        cached = cache[id(home)] = bool(built) and not any(c.bn or c.dropout for c in built)
    return cached


def _namesake_networks_plain(model, call, target) -> bool:
    """The module's builders named after the model passed in (`make_generator()` or class
    `Generator` for `self.generator`) hold neither BatchNormalization nor Dropout: a keras.io
    GAN class whose generator comes from the module's plain `make_generator()` (the
    discriminator, which has Dropout, is another network)."""
    word = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else None
    if not word or len(word) < 3:
        return False
    word = word.lower().lstrip("_")
    home = model.index.enclosing_class(call)
    built = []
    for bindings in model.index.module_scope.bindings.values():
        for binding in bindings:
            if binding.node is home or binding.kind not in ("class", "def") or word not in binding.name.lower():
                continue
            built.append(model.models.class_contents(binding.node) if binding.kind == "class"
                         else model.models.function_returns(binding.node))
    built = [c for c in built if c is not None and c.framework == "keras"]
    return bool(built) and all(c.bn is False and c.dropout is False for c in built)


def _tf_module_class(model, cls: ast.ClassDef) -> bool:
    return any(model.qualname(base) in catalogue.PLAIN_TF_MODULE_BASES for base in cls.bases)


def _tensorlayer_module(model) -> bool:
    """TensorLayer 2 models keep their mode themselves (`network.train()`), so an unknown model
    called bare in a module that uses TensorLayer may well be one of them."""
    return any(binding.kind == "import" and (binding.qualname or "").partition(".")[0] == "tensorlayer"
               for bindings in model.index.module_scope.bindings.values() for binding in bindings)


def _defaulted_to_false(model, flag, call) -> bool:
    """The flag is not passed, and the model's `call(self, x, training=False)` defaults it to
    False: Keras then runs the bare call in inference mode."""
    if not isinstance(flag, ast.AST) or any(flag is n for n in ast.walk(call)):
        return False
    return model.const(flag) is False


_NOT_OFF = object()


def _helper_flag(model, flag, call, via):
    """`def forward(model, x, training=False): return model(x, training=training)` called in the
    tape as `forward(model, x)`: the flag is the helper's parameter, and the tape's call leaves
    it False or None (its default, or passed so; None is Keras's "not given", which outside a
    call in training mode means inference). That value, else `_NOT_OFF`."""
    if via is None or not isinstance(flag, ast.Name):
        return _NOT_OFF
    binding = model.values.binding_of(flag)
    helper = binding.scope.node if binding is not None and binding.kind == "param" else None
    if helper is None or model.index.enclosing_function(call) is not helper:
        return _NOT_OFF
    callee = model.index.local_callee(via)
    if callee is None or callee[0] is not helper:
        return _NOT_OFF
    given = model.index.argument_for(via, helper, flag.id, bound=callee[1])
    if given is not None:
        value = model.const(given, model.index.scope_of(via))
    elif binding.value is not None:
        value = model.const(binding.value)
    else:
        return _NOT_OFF
    return value if value is False or value is None else _NOT_OFF


def _kwargs_empty_through_helper(model, call, via) -> bool:
    """`def apply_model(model, inputs, **call_kwargs): return model(inputs, **call_kwargs)` called
    in the tape as `apply_model(model, batch)`: the dict the model call spreads is the helper's
    `**kwargs`, and the tape's call fills it with nothing."""
    spreads = [k.value for k in call.keywords if k.arg is None]
    if via is None or len(spreads) != 1 or not isinstance(spreads[0], ast.Name) \
            or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    callee = model.index.local_callee(via)
    helper = callee[0] if callee is not None else None
    if helper is None or model.index.enclosing_function(call) is not helper or helper.args.kwarg is None \
            or helper.args.kwarg.arg != spreads[0].id:
        return False
    return model.index.keywords_into_kwargs(via, helper) == []


def _built_in_function_of(model, func, node) -> bool:
    """`func` is a name assigned a freshly constructed model in the function holding `node`."""
    if not isinstance(func, ast.Name):
        return False
    binding = model.values.binding_of(func)
    return (binding is not None and binding.kind in ("assign", "annassign") and isinstance(binding.value, ast.Call)
            and binding.scope.node is model.index.enclosing_function(node))
