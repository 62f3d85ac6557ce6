"""BN003 gradient-over-all-variables."""

from __future__ import annotations

from bnlint import catalogue
from bnlint.rule import Report, Rule

_WHAT = {
    "tape.gradient": "is differentiated by `{call}`",
    "apply_gradients": "is updated by `{call}`",
    "minimize": "is handed to `{call}` as var_list",
    "compute_gradients": "is handed to `{call}` as var_list",
}


class GradientOverAllVariables(Rule):
    """
    ## What it does
    Finds `model.variables`, `model.weights`, `model.non_trainable_variables` (and
    `_weights`), or TF1 `tf.global_variables()`, passed to `tape.gradient`,
    `optimizer.apply_gradients(zip(grads, ...))`, `optimizer.minimize(var_list=...)` or
    `compute_gradients`, for a model that contains BatchNormalization. Names bound to those
    lists (`params = model.variables`) and sums of them are followed.

    ## Why is this bad?
    `variables`/`weights` include the non-trainable ones, and BatchNormalization's moving
    mean and moving variance are exactly those: they are updated by the layer itself (an
    exponential moving average), not by gradients. The loss does not depend on them in
    training mode, so their gradients are `None`: TensorFlow logs "Gradients do not exist for
    variables ['.../moving_mean:0', '.../moving_variance:0'] when minimizing the loss" on
    every step, code that transforms the gradient list (clipping with `tf.clip_by_norm`,
    scaling, all-reduce, `tf.math.is_finite` checks) fails on the `None` entries, and a
    model with frozen layers has those layers' variables updated by the optimizer against the
    intent of `trainable = False`. Seed story 002 hit all of it.

    ## Example
    ```python
    grads = tape.gradient(loss, model.variables)                # BN003
    optimizer.apply_gradients(zip(grads, model.variables))      # BN003
    ```
    Use instead:
    ```python
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    ```

    ## Fix
    Use `model.trainable_variables` (TF1: `tf.trainable_variables()`, the default of
    `minimize`). Reading `model.variables` to save, copy or average weights is correct and is
    not reported.

    ## Framework versions
    TensorFlow 2.x `tf.keras` and Keras 3 (TensorFlow backend), and TF1 graph mode for
    `tf.global_variables()`.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization (moving_mean
      and moving_variance are non-trainable weights)
    - https://www.tensorflow.org/guide/keras/writing_a_training_loop_from_scratch
      (`tape.gradient(loss_value, model.trainable_weights)`)
    - https://github.com/penny4860/tf2-eager-yolo3/issues/17 and
      https://github.com/tensorlayer/SRGAN/issues/210 ("Gradients do not exist for variables
      [...moving_mean:0, ...moving_variance:0]")
    """

    code = "BN003"
    name = "gradient-over-all-variables"
    severity = "E"
    summary = "a model's non-trainable variables (BN moving statistics) are passed to a gradient or optimizer"
    requires = catalogue.ALL_VARIABLE_WORDS

    def check(self, model):
        for use in model.training.variable_uses:
            for source in use.sources:
                if not source.includes_non_trainable:
                    continue
                found = self._bn_evidence(model, source)
                if not found:
                    continue
                node = source.via if source.via is not None else source.node
                listed = model.text(source.node)
                via = ""
                if source.via is not None:
                    binding = model.values.binding_of(source.via)
                    bound_line = binding.node.lineno if binding is not None else source.node.lineno
                    via = f" (bound to `{model.text(source.via)}` at line {bound_line})"
                layers = ", ".join(f"{name} ({model.where(n)})" for name, n in found[:2])
                owner = f"`{model.text(source.owner)}` contains {layers}" if source.owner is not None else \
                    f"the graph contains {layers}"
                what = _WHAT[use.kind].format(call=model.text(use.call.func))
                kind = "the non-trainable variables" if source.kind == "non-trainable" else \
                    "every variable, the non-trainable moving mean and variance included"
                evidence = [(f"{name} built here", n) for name, n in found[:2]]
                if source.via is not None:
                    evidence.append((f"`{model.text(source.via)}` = {listed}", source.node))
                yield Report(
                    node,
                    f"`{listed}`{via} {what}: it lists {kind}, and {owner}; those statistics get no "
                    f"gradient (None: 'Gradients do not exist for variables ...moving_mean'), so use "
                    f"`.trainable_variables`",
                    evidence=evidence,
                )

    @staticmethod
    def _bn_evidence(model, source):
        if source.owner is None:  # TF1 tf.global_variables(): the graph built in this module
            return [(site.qualname.rpartition(".")[2], site.call) for site in model.norm_sites
                    if site.api.kind == catalogue.BATCH]
        contents = model.models.contents_of(source.owner)
        if contents is None or not contents.bn or contents.framework == "torch":
            return []
        return contents.bn_evidence
