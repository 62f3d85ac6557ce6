"""BN007 trainable-passed-as-training."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule, fix


class TrainablePassedAsTraining(Rule):
    """
    ## What it does
    Finds a Keras model or layer called with `trainable=...`: `model(x, trainable=True)`,
    `self.bn(x, trainable=False)`, `BatchNormalization()(x, trainable=True)`. The call
    argument that selects training or inference behaviour is `training`; `trainable` is a
    constructor argument and attribute that freezes weights. The callee must be known to be a
    Keras model or layer (built in the module, a catalogued Keras layer, or a project class);
    a custom layer whose own `call()` declares a `trainable` parameter is left alone.

    ## Why is this bad?
    Keras passes call keyword arguments on to `call()`. `Model.call` and the built-in layers
    take `training`, not `trainable`, so the call raises `TypeError: ... got an unexpected
    keyword argument 'trainable'`; a custom `call(self, x, **kwargs)` swallows it silently and
    the model runs in inference mode: BatchNormalization uses (and never updates) its moving
    statistics and Dropout drops nothing. A widely read accepted answer recommends exactly
    `model(features, trainable=True)`.

    ## Example
    ```python
    with tf.GradientTape() as tape:
        y_pred = model(features, trainable=True)   # BN007
    ```
    Use instead:
    ```python
        y_pred = model(features, training=True)
    ```

    ## Fix
    Rename the keyword to `training`. To freeze weights, set `layer.trainable = False` on the
    layer instead.

    **Automatic fix (safe):** the keyword `trainable=` is renamed `training=` (not when the call
    already passes `training=`).

    ## Framework versions
    TensorFlow 2.x `tf.keras` (Keras 2) and Keras 3.

    ## References
    - https://keras.io/api/models/model/#call (call arguments: inputs, training, mask)
    - https://keras.io/guides/transfer_learning/ (`trainable` is an attribute; `training` is a call argument)
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization
    """

    code = "BN007"
    name = "trainable-passed-as-training"
    severity = "E"
    fix_applicability = "safe"
    summary = "a Keras model or layer is called with trainable= (the call argument is training)"
    requires = catalogue.TRAINABLE_WORDS

    def check(self, model):
        for call in model.index.calls:
            keyword = next((k for k in call.keywords if k.arg == "trainable"), None)
            if keyword is None:
                continue
            found = self._keras_callee(model, call.func)
            if found is None:
                continue
            what, evidence = found
            value = model.text(keyword.value, 20)
            yield Report(
                keyword,
                f"`{model.text(call.func, 30)}` is called with `trainable={value}`; the call argument is `training`",
                evidence=evidence,
                why="Keras passes call keyword arguments on to `call()`. The built-in models and layers take "
                    "`training`, not `trainable`, so the call raises TypeError (unexpected keyword argument "
                    "'trainable'); a `call(self, x, **kwargs)` swallows it and the model runs in inference "
                    "mode: BatchNormalization keeps its moving statistics and Dropout drops nothing.",
                fix_title=f"Pass `training={value}`",
                fix=fix("rename_keyword", call, "Rename `trainable=` to `training=`", safe=True,
                        old="trainable", new="training"),
            )

    def _keras_callee(self, model, func):
        """(what `func` is, evidence) when it is a Keras model or layer instance, else None."""
        if isinstance(func, ast.Call):  # `BatchNormalization()(x, trainable=True)`
            qual = model.qualname(func.func)
            api = catalogue.lookup(qual)
            if api is not None and api.framework in ("keras", "tf.keras"):
                return api.display, [(f"{api.display}, a Keras layer", func)]
            name = catalogue.keras_name(qual) if qual else ""
            if name.startswith("keras.layers.") or name.startswith("keras.models."):
                return "a Keras layer", [(f"`{model.text(func.func, 40)}` is a Keras layer", func)]
            return None
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        from bnlint.semantic.models import layer_ref

        ref = layer_ref(model.models, func)
        if ref is not None and ref.sites and all(s.api.framework in ("keras", "tf.keras") for s in ref.sites):
            site = ref.sites[0]
            return site.display, [(f"`{model.text(func)}` is a Keras {site.display}", site.call)]
        contents = model.models.contents_of(func)
        if contents is None:
            # an object whose `trainable_variables` the module reads is a Keras model or layer
            read = model.models.trainable_variables_read(func)
            if read is None:
                return None
            return "a Keras model", [(f"`{model.text(func)}` is a Keras model: its `{read.attr}` are read here", read)]
        if contents.framework != "keras":
            return None
        cls = self._class_of(model, func)
        if cls is not None and self._call_takes_trainable(cls):
            return None
        evidence = [(f"`{model.text(func)}` is a Keras model ({contents.how})" if contents.how
                     else f"`{model.text(func)}` is a Keras model", contents.origin or func)]
        return "a Keras model", evidence

    @staticmethod
    def _class_of(model, func):
        if isinstance(func, ast.Name) and func.id == "self":
            return model.index.enclosing_class(func)
        if isinstance(func, ast.Name):
            binding = model.values.binding_of(func)
            if binding is not None and isinstance(binding.value, ast.Call):
                target = model.models._local_definition(binding.value.func, binding.scope)
                if isinstance(target, ast.ClassDef):
                    return target
        return None

    @staticmethod
    def _call_takes_trainable(cls: ast.ClassDef) -> bool:
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "call":
                args = stmt.args
                names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
                return "trainable" in names
        return False
