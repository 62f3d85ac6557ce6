"""BN016 dropout-before-batchnorm."""

from __future__ import annotations

from bnlint import catalogue
from bnlint.rule import Report, Rule

# Dropout that zeroes activations (and rescales the rest); Gaussian noise/AlphaDropout are left out.


class DropoutBeforeBatchnorm(Rule):
    """
    ## What it does
    Finds Dropout (Keras `Dropout`/`SpatialDropout*D`, PyTorch `nn.Dropout*`) whose output goes
    straight into BatchNorm: consecutive layers of a `Sequential`, consecutive `add()` calls,
    `BN()(Dropout()(x))`, or `x = drop(x)` then `x = bn(x)`.

    ## Why is this bad?
    In training, Dropout zeroes a fraction `p` of the activations and scales the rest by
    `1/(1-p)`: the mean is kept, the variance is not. BatchNorm right after it estimates its
    moving variance on those dropped-out activations; at inference Dropout is off, the
    variance of BN's input is smaller than the moving variance it normalizes with, and every
    following layer sees shifted statistics ("variance shift"). Li et al. measured the
    accuracy loss this causes and recommend putting Dropout after the last BN layer.

    ## Example
    ```python
    model = keras.Sequential([
        layers.Dense(256, use_bias=False),
        layers.Dropout(0.5),                  # BN016
        layers.BatchNormalization(),
    ])
    ```
    Use instead: BN first, then the activation, then Dropout (or Dropout only after the last BN).

    ## Fix
    Move the Dropout after the BatchNorm (and its activation), or drop it: BN already
    regularizes.

    **No automatic fix:** moving or removing a layer changes the architecture (and its
    checkpoints).

    ## Framework versions
    All versions of Keras and PyTorch.

    ## References
    - Li, Chen, Hu, Yang: Understanding the Disharmony between Dropout and Batch Normalization
      by Variance Shift, CVPR 2019, https://arxiv.org/abs/1801.05134
    - https://keras.io/api/layers/regularization_layers/dropout/
    - https://pytorch.org/docs/stable/generated/torch.nn.Dropout.html
    """

    code = "BN016"
    name = "dropout-before-batchnorm"
    severity = "I"
    summary = "Dropout feeds straight into BatchNorm (variance shift between training and inference)"
    requires = catalogue.minimal_words(catalogue.api_names(catalogue.DROPOUT))

    def check(self, model):
        for edge, bn in model.sequences.into_batchnorm():
            qual = model.qualname(edge.producer.func) or ""
            api = catalogue.lookup(qual)
            name = qual.rpartition(".")[2]
            if api is None or api.kind != catalogue.DROPOUT or name not in catalogue.VARIANCE_SHIFT_DROPOUTS:
                continue
            yield Report(
                edge.producer,
                f"{name} feeds {bn.display} directly: its moving variance is off at inference",
                evidence=[(f"{bn.display} right after it", bn.call)],
                why="BatchNorm learns its moving variance on dropped-out activations, which have a larger "
                    "variance than at inference, when Dropout is off (the 'variance shift').",
                fix_title=f"Move the {name} after the {bn.display}",
            )
