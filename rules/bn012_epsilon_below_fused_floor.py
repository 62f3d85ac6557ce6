"""BN012 epsilon-below-fused-floor."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule
from bnlint.semantic import is_number



class EpsilonBelowFusedFloor(Rule):
    """
    ## What it does
    Finds a batch normalization with `0 < epsilon < 1e-5` on a path where TensorFlow's fused
    kernel runs: `tf.nn.fused_batch_norm` / `tf.compat.v1.nn.fused_batch_norm` always;
    tf.keras (Keras 2) `BatchNormalization`, `tf.compat.v1.layers.batch_normalization` and
    `tf.contrib.layers.batch_norm` when they are fused: `fused=True`, or the default
    `fused=None` in a model built with 2-D convolutions (4-D input), without `renorm`,
    `virtual_batch_size` or `adjustment`, and not fed by a `Dense` layer (2-D input: the
    non-fused path, where the epsilon is used as written). Standalone `keras` counts as Keras 2 only when the
    module uses an API Keras 3 removed (`fit_generator`, `keras.utils.np_utils`,
    `keras.preprocessing.image`...): Keras 3 does not use the fused kernel. Epsilon <= 0 is
    BN001's.

    ## Why is this bad?
    `tf.nn.fused_batch_norm` (tensorflow/python/ops/nn_impl.py) does
    `min_epsilon = 1.001e-5; epsilon = epsilon if epsilon > min_epsilon else min_epsilon`:
    the cuDNN kernel cannot use a smaller one. The layer silently computes with 1.001e-5, not
    the epsilon written. Ported weights (e.g. from a framework using 1e-6 or 1e-8) then do not
    reproduce the original outputs, and the same model gives different results on the
    non-fused path (other input ranks, Keras 3). A reported case's answer points at this floor
    as what hid the effect of a changed epsilon.

    ## Example
    ```python
    x = tf.keras.layers.Conv2D(64, 3)(x)
    x = tf.keras.layers.BatchNormalization(epsilon=1e-6)(x)   # BN012: really 1.001e-5
    ```

    ## Fix
    Use `epsilon >= 1.001e-5`, or pass `fused=False` when the small epsilon matters (slower).

    **No automatic fix:** raising epsilon or giving up the fused kernel both change the numbers
    the model computes; the author chooses.

    ## Framework versions
    TensorFlow 1.x and 2.x with tf.keras (Keras 2): the fused path and its floor. Keras 3 does
    not call the fused kernel and is not reported; `import keras` is read as Keras 3.

    ## References
    - https://github.com/tensorflow/tensorflow/blob/v2.15.0/tensorflow/python/ops/nn_impl.py (fused_batch_norm: min_epsilon = 1.001e-5)
    - https://www.tensorflow.org/api_docs/python/tf/compat/v1/nn/fused_batch_norm
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization (fused argument, Keras 2)
    """

    code = "BN012"
    name = "epsilon-below-fused-floor"
    severity = "W"
    summary = "epsilon below 1.001e-5 on TensorFlow's fused batch-norm path, which silently raises it"
    requires = catalogue.minimal_words(catalogue.api_names(catalogue.BATCH))

    def check(self, model):
        keras2 = any(marker in model.source for marker in catalogue.KERAS2_ONLY_APIS)
        for site in (*model.norm_sites, *model.factory_sites):
            # standalone `keras`: Keras 2 takes TF's fused kernel, Keras 3 does not; only code
            # that uses an API Keras 3 removed is known to run Keras 2
            fused_path = site.api.fused_floor is True or (site.api.fused_floor is None and keras2)
            if not fused_path or site.api.kind != catalogue.BATCH:
                continue
            expr = site.arg(site.api.epsilon)
            if expr is None:
                continue
            value = model.const(expr, site.scope)
            if not is_number(value) or not 0 < value < 1e-5:
                continue
            fused = self._fused(model, site)
            if fused is None:
                continue
            how, evidence = fused
            yield Report(
                expr,
                f"{site.display} gets `{site.api.epsilon}={value:g}`, which the fused kernel raises to 1.001e-05",
                evidence=[(f"{site.display} built here", site.call), *evidence],
                why=f"The layer {how}. TensorFlow's fused kernel raises an epsilon below 1.001e-5 to 1.001e-5 "
                    f"(nn_impl.fused_batch_norm), so the layer silently uses 1.001e-05, not {value:g}.",
                fix_title=(f"Pass `{site.api.epsilon}` of at least 1.001e-5"
                           + ("" if site.api.key == "tf.nn.fused_batch_norm" else ", or `fused=False`")),
            )

    def _fused(self, model, site):
        if site.api.key == "tf.nn.fused_batch_norm":
            return "is the fused op itself", []
        fused = site.arg("fused")
        fused_value = model.const(fused, site.scope) if fused is not None else None
        if fused_value is True:
            return "is built with `fused=True`", [("`fused=True` here", fused)]
        if fused is not None and fused_value is not None:
            return None  # fused=False, or a value we cannot read
        for blocker in ("renorm", "virtual_batch_size", "adjustment"):
            arg = site.arg(blocker)
            if arg is not None and model.const(arg, site.scope) not in (False, None):
                return None
        if site.opaque:
            return None
        if any(edge.consumer is site.call and (model.qualname(edge.producer.func) or "").rpartition(".")[2] == "Dense"
               for edge, _site in model.sequences.into_batchnorm()):
            return None  # `Dense(128)` then `BatchNormalization()`: 2-D input, the non-fused path
        conv = self._conv_2d_beside(model, site)
        if conv is None:
            return None
        how = "sees 4-D input (a 2-D convolution is built beside it), so Keras picks the fused kernel (`fused=None`)"
        return how, [("a 2-D convolution built beside it", conv)]

    @staticmethod
    def _conv_2d_beside(model, site):
        parent = model.index.parents.get(site.call)
        if isinstance(parent, (ast.List, ast.Tuple)):  # a Sequential list: its own layers only
            calls = [e for e in parent.elts if isinstance(e, ast.Call)]
        else:
            scope_node = site.scope.node
            calls = model.models.calls_within(scope_node) if not isinstance(scope_node, ast.Module) else \
                model.models._module_level_calls()
        for call in calls:
            qual = model.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
            if qual and qual.startswith(("tensorflow", "keras")) and qual.rpartition(".")[2] in catalogue.CONVOLUTIONS_2D:
                return call
        return None
