"""BN014 bias-before-batchnorm."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule, fix
from bnlint.semantic import call_arg


class BiasBeforeBatchnorm(Rule):
    """
    ## What it does
    Finds a convolution or dense layer with a bias (`use_bias=True`, Keras's default;
    `bias=True`, PyTorch's default) whose output goes straight into BatchNorm: consecutive
    layers of a `Sequential`, consecutive `add()` calls, `BN()(Conv()(x))`, `x = conv(x)` then
    `x = bn(x)` in a functional graph or a `forward()`. A fused activation
    (`Conv2D(..., activation="relu")`) or anything else in between means no finding.

    ## Why is this bad?
    BatchNorm subtracts the per-channel mean of its input. A per-channel constant added just
    before (the bias) shifts that mean by exactly the same constant and is subtracted right
    back out: the bias has no effect on the output, in training or inference. It still costs
    parameters, memory, optimizer state and a kernel add; BN's own `beta` plays its role.
    With `center=False`/`affine=False` the bias is cancelled all the same.

    ## Example
    ```python
    x = layers.Conv2D(64, 3)(x)             # BN014: use_bias defaults to True
    x = layers.BatchNormalization()(x)
    ```
    Use instead:
    ```python
    x = layers.Conv2D(64, 3, use_bias=False)(x)
    ```

    ## Fix
    `use_bias=False` (Keras, TF1 layers) or `bias=False` (PyTorch) on the layer before BN.
    Pretrained checkpoints that contain the bias need it removed from the state dict too.

    **Automatic fix (unsafe):** `use_bias=False` / `bias=False` is set on the layer. Unsafe:
    loading a checkpoint saved with the bias then fails on the unexpected key.

    ## Framework versions
    All versions of Keras, TF1 `tf.layers` and PyTorch.

    ## References
    - Ioffe & Szegedy 2015, Batch Normalization, section 3.2 ("the bias b can be ignored since its effect will be canceled by the subsequent mean subtraction"), https://arxiv.org/abs/1502.03167
    - https://keras.io/api/layers/convolution_layers/convolution2d/ (use_bias)
    - https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html (bias)
    """

    code = "BN014"
    name = "bias-before-batchnorm"
    severity = "I"
    fix_applicability = "unsafe"
    summary = "a conv/dense layer's bias feeds straight into BatchNorm, which cancels it"
    requires = catalogue.minimal_words(catalogue.biased_layer_names())

    def check(self, model):
        for edge, bn in model.sequences.into_batchnorm():
            producer = edge.producer
            qual = model.qualname(producer.func)
            layer = catalogue.biased_layer(qual)
            if layer is None:
                continue
            if not self._has_bias(model, producer, layer):
                continue
            if layer.activation:
                activation = call_arg(producer, layer.activation)
                if activation is not None and model.const(activation) not in (None, "linear"):
                    continue
            name = qual.rpartition(".")[2]
            bias_given = call_arg(producer, layer.bias, layer.bias_position)
            default = "" if bias_given is not None else f" (`{layer.bias}={layer.bias_default}` by default)"
            yield Report(
                producer,
                f"{name} has a bias{default} that {bn.display} cancels",
                evidence=[(f"{bn.display} right after it", bn.call)],
                why=f"{name} feeds {bn.display} directly. BatchNorm subtracts the per-channel mean, which "
                    f"cancels the bias exactly, so it is wasted parameters and compute.",
                fix_title=f"Pass `{layer.bias}=False`",
                fix=self._fix(producer, layer, bias_given),
            )

    @staticmethod
    def _fix(producer, layer, given):
        """`bias=False` (unsafe: a checkpoint saved with the bias no longer loads strictly)."""
        title = f"Pass `{layer.bias}=False`"
        if given is None and layer.legacy_bias:
            given = call_arg(producer, layer.legacy_bias, None)
        if given is not None:
            return fix("replace", given, title, safe=False, code="False")
        return fix("add_keyword", producer, title, safe=False, name=layer.bias, value="False")

    @staticmethod
    def _has_bias(model, call, layer) -> bool:
        if any(k.arg is None for k in call.keywords):
            return False  # **kwargs may turn it off
        given = call_arg(call, layer.bias, layer.bias_position)
        if given is None and layer.legacy_bias:
            given = call_arg(call, layer.legacy_bias, None)
        if given is None:
            return layer.bias_default and not any(isinstance(a, ast.Starred) for a in call.args)
        return model.const(given) is True
