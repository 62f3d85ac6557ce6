"""BN008 training-mode-hardcoded."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule, contains_label, fit_headline
from bnlint.semantic.training import training_argument



class TrainingModeHardcoded(Rule):
    """
    ## What it does
    Finds `training=True` written into a model's graph at construction time, for a model that
    is also used for inference:
    - Keras: a BatchNorm layer (or a model containing one) called with `training=True`
      (`BatchNormalization()(x, training=True)`) while building a functional model, and that model
      (by its name, or through the function that returns it) goes to `predict`/`evaluate` or is
      called with `training=False`; a builder's `training=True` default that no call turns off
      counts, and so does a builder whose model another module of the project predicts with
      (`classifier = defect_classifier(); classifier.predict(batch)` in service.py); the graph
      helpers are followed up through the methods that call them to the one that builds the
      model (`down()` called by `build()`, which returns `self.model`), and a builder method's
      model through the modules that call it on an instance another module passes in
      (`self.model = separator.build()`, then `self.model.evaluate(test)`);
    - Keras 2: `K.set_learning_phase(1)` called before a functional model with BatchNorm is built,
      the model then used for `predict`/`evaluate` (the graph takes the constant phase when it
      is built: setting it back to 0 afterwards does not change it);
    - TF1: BatchNorm layers in training mode for good (`is_training=True`, or the flag left out
      of `tf.contrib.layers.batch_norm`/`slim.batch_norm`, whose default is True) in a graph that
      is trained and also run for evaluation (`sess.run(accuracy, feed_dict=...)` in `test()` or
      on a validation batch), in the module or in the modules that call its graph helpers; one
      finding per graph. Sampling a GAN generator from noise is not an evaluation;
    - TF1/TensorLayer: BatchNorm layers built with `is_train=True`/`training=True`/
      `is_training=True` (directly or through every call of the building function) in a module
      that runs the graph (`sess.run`) and never builds a train op: the graph is only used
      for inference, in training mode (a reported TensorLayer case).

    A flag passed through (`training=training`, `is_train=is_training` with callers passing
    both values) is correct and not reported; so is a hard-coded flag in a graph that is only
    trained, and `Dropout(...)(x, training=True)`, which is Monte-Carlo dropout, a deliberate
    technique for uncertainty estimates. The built model itself called with `training=True` is a
    run-time call, also through a helper whose calls pass it in (the pix2pix tutorial's
    `generate_images(generator, ...)` with `model(test_input, training=True)`, on purpose). An inference use of a model frozen before it
    (`probe_base.trainable = False`, or its BatchNorm layers frozen) does not count either: since
    TF 2.0 Keras runs BatchNorm layers that are not trainable in inference mode, whatever the
    graph's flag says.

    ## Why is this bad?
    A call-time `training=True` overrides whatever the caller asks for: at `predict()` the
    BatchNorm layers still normalize with the statistics of the batch being predicted (results
    depend on what else is in the batch; a batch of one gives zeros) and keep updating their
    moving averages, and Dropout keeps dropping. A widely copied answer hard-codes
    `BatchNormalization()(x, training=True)` to make the moving statistics update in a custom
    loop; the same model then predicts in training mode.

    ## Example
    ```python
    x = layers.BatchNormalization()(x, training=True)   # BN008
    model = keras.Model(inputs, x)
    model.predict(test_images)
    ```

    ## Fix
    Leave `training` out when building the graph and pass it when calling the model:
    `model(x, training=True)` in the training step, `model(x, training=False)` or `predict` for
    inference. In TF1, build the graph with a boolean placeholder (or twice, with shared
    variables) instead of a constant.

    **No automatic fix:** the fix moves the flag from graph construction to every call site, a
    restructuring that depends on how the model is used for training and for inference.

    ## Framework versions
    TensorFlow 2.x `tf.keras`, Keras 3, TF1 `tf.layers`/`tf.contrib`, TensorLayer 1.x and 2.x.

    ## References
    - https://keras.io/getting_started/faq/#whats-the-difference-between-the-training-argument-in-call-and-the-trainable-attribute
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization
    - https://tensorlayer.readthedocs.io/en/1.11.1/modules/layers.html#batch-normalization (is_train)
    - https://www.tensorflow.org/versions/r2.2/api_docs/python/tf/keras/backend/set_learning_phase
      ("Sets the learning phase to a fixed value ... 0 = test, 1 = train")
    """

    code = "BN008"
    name = "training-mode-hardcoded"
    severity = "W"
    summary = "training=True fixed at graph construction for a model also used for inference"
    requires = catalogue.minimal_words(catalogue.training_flag_words() + catalogue.training_by_default_words()
                                       + ("set_learning_phase",))

    def check(self, model):
        yield from self._keras(model)
        yield from self._learning_phase(model)
        yield from self._tf1(model)
        yield from self._tf1_evaluated(model)

    # ---- Keras 2: the learning phase fixed before the graph is built ------------------------
    def _learning_phase(self, model):
        """`K.set_learning_phase(1)` before a functional model with BatchNorm is built, and that
        model goes to `predict`/`evaluate`: Keras 2 builds the graph with the constant phase 1,
        so inference normalizes with batch statistics too."""
        phases = []
        for call in model.index.calls:
            qual = model.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) and call.args else None
            if qual and catalogue.keras_name(qual).endswith("backend.set_learning_phase"):
                phases.append((call, model.const(call.args[0])))
        for call, phase in phases:
            if phase not in (1, True):
                continue
            scope_node = model.index.scope_of(call).node
            use = self._inference_use(model, scope_node)
            if use is None:
                continue
            built, used, used_text = use
            if (built.lineno, built.col_offset) < (call.lineno, call.col_offset):
                continue  # built before the phase was fixed: its graph takes the phase at run time
            if any(other is not call and value in (0, False) and model.index.scope_of(other).node is scope_node
                   and call.lineno < other.lineno < built.lineno for other, value in phases):
                continue  # `set_learning_phase(0)` again before the graph is built (a reset after it is too late)
            contents = model.models.contents_of(built)
            if contents is None or not contents.bn or not contents.bn_evidence:
                continue
            layer, where = contents.bn_evidence[0]
            yield Report(
                call,
                "learning phase fixed to 1 (training) for a model with BatchNorm used for inference",
                evidence=[(contains_label("the model", layer), where), ("the model is built here", built),
                          (f"used for inference here: `{used_text}(...)`", used)],
                why="Keras 2 builds the model's graph with the constant learning phase set here (1 = train), so "
                    "`predict` and `evaluate` run its BatchNormalization layers in training mode: they "
                    "normalize with the statistics of the batch being predicted (and keep updating their "
                    "moving averages).",
                fix_title="Remove `set_learning_phase(1)`; `fit` sets the training phase itself",
            )

    # ---- Keras functional graphs -------------------------------------------------------------
    def _keras(self, model):
        in_tapes = {id(c) for tape in model.training.tapes for c in tape.body_calls}
        for call in model.index.calls:
            flag = training_argument(call, model)
            if not isinstance(flag, ast.expr) or model.const(flag) is not True:
                continue
            if _forwarded_parameter(model, flag):
                continue  # `training=training` with `def call(self, x, training=True)`: the caller decides
            if id(call) in in_tapes:
                continue  # `generator(noise, training=True)` in a training step: run time, not the graph
            layer = self._keras_layer(model, call.func)
            if layer is None:
                continue
            name, layer_evidence = layer
            scope_node = model.index.scope_of(call).node
            if self._in_model_call(model, scope_node):
                yield Report(
                    flag,
                    f"{name} is called with `training={model.text(flag, 20)}` inside `{scope_node.name}()` of a "
                    f"Keras model",
                    evidence=[*layer_evidence, (f"the model's `{scope_node.name}()` here", scope_node)],
                    why="A call-time `training=True` overrides what the model's caller asks for: every call of "
                        "the model, `predict` and `training=False` included, normalizes with the batch's "
                        "statistics instead of the moving averages.",
                    fix_title=f"Pass the `training` argument of `{scope_node.name}()` on",
                )
                continue
            use = self._inference_use(model, scope_node)
            if use is None and isinstance(scope_node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # a graph-building helper (`conv_bn(x, training=True)` by default): its callers'
                # models, up through the helpers that call it (`conv_block` called by `encoder`
                # called by `get_model`)
                pending, seen = [scope_node], {id(scope_node)}
                while pending and use is None and len(seen) < 12:
                    helper = pending.pop(0)
                    for caller, _bound in model.index.callers(helper):
                        outer = model.index.scope_of(caller).node
                        use = self._inference_use(model, outer)
                        if use is not None:
                            break
                        if isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef)) and id(outer) not in seen:
                            seen.add(id(outer))
                            pending.append(outer)
                    if use is None and model.project is not None \
                            and model.index.scope_of(helper) is model.index.module_scope:
                        # a helper library's block (`conv_bn_relu(x, training=True)`) that a
                        # builder of another module wires into the model it returns
                        use = self._inference_use_of_callers(model, helper)
            if use is None:
                continue
            built, used, used_text = use
            names = self._model_names(model, built, model.index.scope_of(built).node) \
                if not hasattr(built, "bnlint_path") else None
            if names is not None and self._refers(model, call.func, names):
                continue  # the built model itself called in training mode: a run-time call
            if names is not None and self._passed_the_built_model(model, call.func, scope_node, names):
                # `def generate_images(model, x): model(x, training=True)` called with the built
                # generator: the model itself run in training mode, on purpose (pix2pix's batch
                # statistics at test time), not a flag fixed in a graph
                continue
            flag_evidence = []
            binding = model.values.binding_of(flag) if isinstance(flag, ast.Name) else None
            if binding is not None and binding.kind == "param" and binding.value is not None:
                flag_evidence = [(f"`{flag.id}` defaults to True in `{binding.scope.name}()`; every call leaves it True",
                                  binding.node)]
            yield Report(
                flag,
                f"{name} is called with `training=True` in a model that is used for inference",
                evidence=[*layer_evidence, *flag_evidence, ("the model is built here", built),
                          (f"used for inference here: `{used_text}(...)`", used)],
                why="The flag is fixed when the graph is built, so it overrides what the model's caller asks "
                    "for: at inference BatchNorm keeps normalizing with the statistics of the batch being "
                    "predicted (and updating its moving averages), and Dropout keeps dropping.",
                fix_title="Leave `training` out when building the model; pass it when calling the model",
            )

    def _inference_use_of_callers(self, model, helper):
        """(the model built, its inference use, its text) for a graph helper of this module that
        builders of other modules call, as places of those modules; None when none is used for
        inference."""
        project = model.project
        for other, caller, _bound in project.external_calls(helper.name)[:6]:
            outer = other.index.scope_of(caller).node
            use = self._inference_use(other, outer)
            if use is not None:
                built, used, text = use
                return (project.foreign(built, other), used if hasattr(used, "bnlint_path")
                        else project.foreign(used, other), text)
        return None

    def _passed_the_built_model(self, model, func, helper, names) -> bool:
        """`func` is a parameter of `helper` that one of its calls fills with the built model."""
        if not isinstance(func, ast.Name) or not isinstance(helper, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        binding = model.values.binding_of(func)
        if binding is None or binding.kind != "param" or binding.scope.node is not helper:
            return False
        for caller, bound in model.index.callers(helper):
            argument = model.index.argument_for(caller, helper, func.id, bound=bound)
            if argument is not None and self._refers(model, argument, names):
                return True
        return False

    @staticmethod
    def _in_model_call(model, scope_node) -> bool:
        """`call()` / `__call__` of a Keras model or layer subclass of this module."""
        if not isinstance(scope_node, (ast.FunctionDef, ast.AsyncFunctionDef)) or scope_node.name not in (
                "call", "__call__"):
            return False
        cls = model.index.enclosing_class(scope_node)
        return cls is not None and model.models.framework_of_class(cls) == "keras"

    @staticmethod
    def _keras_layer(model, func):
        if isinstance(func, ast.Call):
            qual = model.qualname(func.func) or ""
            api = catalogue.lookup(qual)
            # BatchNorm only: Dropout(...)(x, training=True) is the deliberate Monte-Carlo dropout technique
            if api is not None and api.framework in ("keras", "tf.keras") and api.kind == catalogue.BATCH:
                name = qual.rpartition('.')[2]
                return f"`{name}`", [(f"`{name}` built here", func)]
            return None
        contents = model.models.contents_of(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if contents is not None and contents.framework == "keras" and contents.bn:
            text = model.text(func, 30)
            bn = model.models.first_bn(contents)
            return f"`{text}`", [(contains_label(text, bn[0]), bn[1])] if bn is not None else []
        return None

    def _inference_use(self, model, scope_node):
        """(the functional Model call built in this scope, an inference use of that model)."""
        built = None
        for call in (model.models.calls_within(scope_node) if not isinstance(scope_node, ast.Module)
                     else model.models._module_level_calls()):
            qual = model.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
            if qual and catalogue.keras_name(qual) in catalogue.FUNCTIONAL_MODEL_CLASSES:
                built = call
                break
        names = self._model_names(model, built, scope_node) if built is not None else []
        if built is None:
            # `model = ResNet50(input_shape=(64, 64, 3))` with the functional Model built and returned
            # by a builder function of this module (a notebook's cell)
            built, names = self._builder_call(model, scope_node)
        if built is None:
            return None
        for call in model.index.calls:
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in catalogue.INFERENCE_METHODS and self._refers(model, func.value, names):
                used = func.value
            elif self._refers(model, func, names):
                flag = training_argument(call, model)
                if not (isinstance(flag, ast.expr) and model.const(flag) is False):
                    continue
                used = func
            else:
                continue
            if self._frozen_before(model, used, call):
                # `rn50.trainable = False` first: Keras runs BatchNorm layers that are not trainable
                # in inference mode whatever `training` says (TF 2.0 and later)
                continue
            return built, call, model.text(call.func, 30)
        for holder in names:
            if isinstance(holder, tuple) and holder[0] == "returns":
                use = self._inference_use_elsewhere(model, holder[1])
                if use is not None:
                    return built, *use
        return None

    def _builder_call(self, model, scope_node):
        """(the call in `scope_node` of a builder function of this module that returns the
        functional Model it builds, [("returns", builder)]), or (None, [])."""
        for call in (model.models.calls_within(scope_node) if not isinstance(scope_node, ast.Module)
                     else model.models._module_level_calls()):
            callee = model.index.local_callee(call) if isinstance(call.func, ast.Name) else None
            if callee is None:
                continue
            function = callee[0]
            for inner in model.models.calls_within(function):
                qual = model.qualname(inner.func) if isinstance(inner.func, (ast.Name, ast.Attribute)) else None
                if qual and catalogue.keras_name(qual) in catalogue.FUNCTIONAL_MODEL_CLASSES:
                    names = [h for h in self._model_names(model, inner, function) if isinstance(h, tuple)]
                    if names:
                        return call, names
                    break
        return None, []

    def _inference_use_elsewhere(self, model, function):
        """A module-level builder whose model another module of the project predicts with
        (`model = build_classifier(10); model.load_weights(...); model.predict(x)` in predict.py):
        (that use, as a place of that module, its text); None when none does."""
        project = model.project
        if project is None:
            return None
        if model.index.scope_of(function) is model.index.module_scope:
            calls = project.external_calls(function.name)[:8]
        else:
            # a builder method (`separator.get_model()` in the training module's `TrainLoop`)
            cls = model.index.enclosing_class(function)
            if cls is None or model.index.scope_of(cls) is not model.index.module_scope:
                return None
            calls = project.external_method_calls(cls.name, function.name, duck_typed=True)[:8]
        for other, made, _bound in calls:
            for call in other.index.calls:
                func = call.func
                if not (isinstance(func, ast.Attribute) and func.attr in catalogue.INFERENCE_METHODS):
                    continue
                if any(origin is made for origin, _scope in other.values.origins(func.value)) \
                        and not self._frozen_before(other, func.value, call):
                    return project.foreign(call, other), other.text(func, 30)
        return None

    @staticmethod
    def _frozen_before(model, used: ast.AST, call: ast.Call) -> bool:
        """`used.trainable = False` (or its BatchNorm layers frozen) before `call`, in its scope."""
        if model.models.norm_layers_frozen(used, call) is not None:
            return True
        key, scope = ast.dump(used), model.index.scope_of(call)
        return any(isinstance(node, ast.Assign) and node.lineno < call.lineno and model.const(node.value) is False
                   and model.index.scope_of(node) is scope
                   and any(isinstance(t, ast.Attribute) and t.attr == "trainable" and ast.dump(t.value) == key
                           for t in node.targets)
                   for node in model.index.assigns)

    @staticmethod
    def _model_names(model, built, scope_node):
        """Bindings that hold the model: the name it is assigned to, or names bound to calls of
        the function that returns it."""
        holders = []
        parent = model.index.parents.get(built)
        if isinstance(parent, ast.Assign):
            for target in parent.targets:
                if isinstance(target, ast.Name):
                    bindings = model.index.lookup(target.id, model.index.scope_of(target))
                    holders.extend(b for b in bindings if b.node is parent)
        if isinstance(parent, ast.Return) and isinstance(scope_node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            holders.append(("returns", scope_node))
        if isinstance(parent, ast.Assign) and isinstance(scope_node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = next((t.id for t in parent.targets if isinstance(t, ast.Name)), None)
            if name and any(isinstance(n, ast.Return) and isinstance(n.value, ast.Name) and n.value.id == name
                            for n in scope_node.body):
                holders.append(("returns", scope_node))
            # `self.model = keras.Model(...)`, then `return self.model`
            kept = [model.text(t) for t in parent.targets if isinstance(t, ast.Attribute)]
            if kept and any(isinstance(n, ast.Return) and isinstance(n.value, ast.Attribute)
                            and model.text(n.value) in kept for n in scope_node.body):
                holders.append(("returns", scope_node))
        return holders

    @staticmethod
    def _refers(model, expr, holders) -> bool:
        if not isinstance(expr, ast.Name):
            return False
        for holder in holders:
            if not isinstance(holder, tuple):  # a Binding: the use must see exactly that one
                if expr.id == holder.name and (model.index.lookup(expr.id, model.index.scope_of(expr)) == [holder]
                                               or model.values.reaching_binding(expr) is holder):
                    # (`model = load_model(...)` later in a notebook rebinds the name for what follows)
                    return True
                continue
            if isinstance(holder, tuple):
                binding = model.values.binding_of(expr)
                value = binding.value if binding is not None else None
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == holder[1].name:
                    return True
                if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                        and value.func.attr == holder[1].name and _method_of_instance(model, value.func.value, holder[1])):
                    return True  # `net = Denoiser(256).get_model()` of a builder class's method
        return False

    # ---- TF1 / TensorLayer ---------------------------------------------------------------
    def _tf1_evaluated(self, model):
        """TF1: BatchNorm built in training mode for good (`is_training=True`, or left out of
        `tf.contrib.layers.batch_norm` / `slim.batch_norm`, whose default is True) in a graph that
        is trained and also run for evaluation (`sess.run(accuracy_op, feed_dict=...)` in `test()`
        or on a validation batch): with no placeholder for the flag, evaluation normalizes with
        the statistics of the batch being evaluated and updates the moving averages with it.
        The graph's runs may be in this module or in the modules that call its graph helpers."""
        sites = [site for site in model.norm_sites if site.api.kind == catalogue.BATCH and site.api.training
                 and site.api.framework == "tf1"]
        if not sites:
            return
        fixed = []
        for site in sites:
            flag = site.arg(site.api.training)
            if flag is None and site.api.training_default is True:
                fixed.append((site, None))
            elif flag is not None and model.always_true(flag, site.scope):
                fixed.append((site, flag))
            else:
                return  # (a flag the code sets per graph: it tells training and evaluation apart)
        for home in _graph_runners(model, [site.call for site, _flag in fixed]):
            evaluation = _evaluation_run(home)
            if evaluation is None:
                continue
            # one finding for the graph, at its first such layer; the others are evidence
            for site, flag in fixed[:1]:
                where = model.project.foreign(evaluation, home) if home is not model else evaluation
                written = f"`{site.api.training}={model.text(flag, 20)}`" if flag is not None else \
                    f"no `{site.api.training}` (it defaults to True)"
                others = [(f"{other.display} built here the same way", other.call) for other, _f in fixed[1:3]]
                yield Report(
                    flag if flag is not None else site.call,
                    fit_headline(f"{site.display} is built with {written} in a graph also run for evaluation",
                                 f"{site.display} is in training mode in a graph also run for evaluation",
                                 f"{site.display} is in training mode when the graph is evaluated"),
                    evidence=[(f"{site.display} built here", site.call), *others,
                              (f"the graph is run for evaluation here: `{home.text(evaluation.func, 30)}(...)`",
                               where)],
                    why=f"With {written}, the layer is in training mode in every run of the graph: evaluation "
                        f"normalizes with the statistics of the batch being evaluated (not the moving averages) "
                        f"and updates the moving averages with that data.",
                    fix_title=f"Pass `{site.api.training}` a boolean placeholder (True to train, False to evaluate)",
                )
            return

    def _tf1(self, model):
        runs = [c for c in model.index.calls if isinstance(c.func, ast.Attribute) and c.func.attr == "run"
                and any(k.arg == "feed_dict" for k in c.keywords)]
        if not runs:
            return
        if any(isinstance(c.func, ast.Attribute) and c.func.attr in catalogue.TRAIN_OP_METHODS for c in model.index.calls):
            return  # the graph is trained here: the flag may be meant for this graph
        for site in model.norm_sites:
            if site.api.kind != catalogue.BATCH or not site.api.training:
                continue
            flag = site.arg(site.api.training)
            if flag is None or not model.always_true(flag, site.scope):
                continue
            yield Report(
                flag,
                f"{site.display} is built with `{site.api.training}={model.text(flag, 20)}` in a graph only run "
                f"for outputs",
                evidence=[(f"{site.display} built here", site.call),
                          (f"`{model.text(runs[0].func, 30)}` runs the graph here", runs[0])],
                why=f"`{site.api.training}` is always True here and no train op is built in this module, so "
                    f"the graph is only run for outputs: at inference it normalizes with the statistics of "
                    f"the batch being run (a batch of one gives zeros).",
                fix_title=f"Build the inference graph with `{site.api.training}=False`",
            )



def _method_of_instance(model, receiver, method) -> bool:
    """`receiver` is an instance of the class of this module that defines `method`."""
    from bnlint.semantic.models import instance_class

    cls = model.index.enclosing_class(method)
    found = instance_class(model.models, receiver) if cls is not None else None
    return found is not None and found[0] is model.models and found[1] is cls


def _graph_runners(model, calls: list) -> list:
    """The modules whose code builds the graph these layer calls belong to: this module, when it
    runs a session; else the project modules that call the module-level functions (directly or
    through this module's helpers) that build them."""
    if any(isinstance(c.func, ast.Attribute) and c.func.attr == "run" for c in model.index.calls):
        return [model]
    project = model.project
    if project is None:
        return []
    pending = [model.index.enclosing_function(call) for call in calls]
    seen, top = set(), []
    while pending:
        function = pending.pop()
        if function is None or id(function) in seen or len(seen) > 40:
            continue
        seen.add(id(function))
        if model.index.scope_of(function) is model.index.module_scope:
            top.append(function)
        pending.extend(model.index.enclosing_function(call) for call, _bound in model.index.callers(function))
    runners = []
    for function in top:
        for other, _call, _bound in project.external_calls(function.name)[:6]:
            if all(other is not known for known in runners):
                runners.append(other)
    return runners


def _evaluation_run(model):
    """A `sess.run(..., feed_dict=...)` of this module that evaluates a graph the module also
    trains: a train op is built here, and the run fetches none, in a function named for
    evaluation or fed from data named for it (`valid_reader.next_batch(...)`)."""
    if not any(isinstance(c.func, ast.Attribute) and c.func.attr in catalogue.TRAIN_OP_METHODS
               for c in model.index.calls):
        return None
    for call in model.index.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "run"):
            continue
        feed = next((k.value for k in call.keywords if k.arg == "feed_dict"), None)
        fetches = call.args[0] if call.args else None
        if feed is None or fetches is None or "train" in model.text(fetches, 200).lower():
            continue
        function = model.index.enclosing_function(call)
        named_for_evaluation = function is not None and \
            function.name.lower().lstrip("_").startswith(catalogue.EVALUATION_PREFIXES)
        # a GAN generator sampled from noise: GAN code samples in training mode by design (in a
        # `test_domain()`, "sample" is a test image to translate; noise is still noise)
        words = ("noise",) if named_for_evaluation else ("noise", "fake", "sample", "generat")
        if any(word in model.text(part, 300).lower() for part in (fetches, feed) for word in words):
            continue
        if named_for_evaluation:
            return call
        fed = [n.id for n in ast.walk(function or model.index.tree) if isinstance(n, ast.Name)
               and _near(n, call) and any(word in n.id.lower() for word in ("valid", "test", "val_", "eval"))]
        if fed:
            return call
    return None


def _near(node, call) -> bool:
    """`node` is on one of the three lines before `call` or within it (the batch fed to it)."""
    return call.lineno - 3 <= getattr(node, "lineno", 0) <= call.end_lineno


def _forwarded_parameter(model, flag) -> bool:
    """The flag is a parameter of the function it is used in: its value is the caller's, the
    default only when the caller passes nothing (and Keras's predict/evaluate pass False)."""
    if not isinstance(flag, ast.Name):
        return False
    binding = model.values.binding_of(flag)
    return binding is not None and binding.kind == "param" and isinstance(
        binding.scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)) and binding.scope.node.name in (
        "call", "__call__", "forward")
