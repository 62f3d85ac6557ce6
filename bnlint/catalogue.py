"""The catalogue of normalization APIs: framework facts every rule reads.

This module is data. It imports nothing of bnlint. A qualified name (as written after
resolving a module's imports, e.g. ``tensorflow.keras.layers.BatchNormalization``) is first
canonicalized (``tensorflow._api.v1.`` and ``tensorflow.compat.v1.`` become ``tensorflow.``,
``tf_keras.`` becomes ``tensorflow.keras.`` ...), then matched on its last component and the
longest root prefix among the entries that define that name.

Every default below is taken from the framework's own documentation or source; the ``source``
field of each entry says where.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Conventions for the running-average momentum.
KEEP_OLD = "keep-old"  # new = m * old + (1 - m) * batch   (Keras, TF, Flax, Haiku, Paddle, MXNet, MindSpore)
KEEP_NEW = "keep-new"  # new = (1 - m) * old + m * batch   (PyTorch)

# The two defaults that matter when statistics move between frameworks: Keras/TF
# BatchNormalization (https://keras.io/api/layers/normalization_layers/batch_normalization/) and
# PyTorch BatchNorm (https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html).
KERAS_EPSILON_DEFAULT = 1e-3
TORCH_EPSILON_DEFAULT = 1e-5
# Darknet (the YOLO framework) has no epsilon setting: its normalize_cpu/normalize_kernel divide
# by `sqrt(variance + .00001f)` (AlexeyAB/darknet, src/blas.c) and by `sqrt(variance) + .000001f`
# in the original pjreddie/darknet; both are about 1e-5, a hundredth of Keras's default. Its
# `.weights` files are read as raw float32 arrays (`np.fromfile`, `np.frombuffer`).
DARKNET_EPSILON = 1e-5
# numpy readers of a raw binary weights file: the arrays carry no layer settings
RAW_ARRAY_READERS = ("numpy.fromfile", "numpy.frombuffer")

# Where the fused TF kernel raises a too-small epsilon (tensorflow/python/ops/nn_impl.py,
# fused_batch_norm: "min_epsilon = 1.001e-5; epsilon = epsilon if epsilon > min_epsilon else
# min_epsilon"); Keras 2's BatchNormalization takes that path when fused.
FUSED_EPSILON_FLOOR = 1.001e-5

# Layer kinds.
BATCH = "batch"  # batch statistics in training, moving statistics in inference
LAYER = "layer"
GROUP = "group"
INSTANCE = "instance"
DROPOUT = "dropout"

# Forms: a class whose instance is later called on a tensor, or a function that normalizes the
# tensor it is given.
CLASS = "class"
FUNCTION = "function"


@dataclass(frozen=True)
class NormApi:
    key: str
    framework: str  # keras | tf.keras | tf1 | tf.nn | torch | torchvision | flax | haiku | tensorlayer | paddle | mxnet | mindspore
    kind: str
    form: str
    roots: tuple[str, ...]  # canonical module prefixes under which the names live
    names: tuple[str, ...]  # last components of the qualified names
    params: tuple[str, ...] = ()  # positional parameter order (after self)
    epsilon: str | None = None
    epsilon_default: float | None = None  # None with `epsilon` set: the argument is required
    momentum: str | None = None
    momentum_default: float | None = None
    momentum_convention: str | None = None
    axis: str | None = None
    axis_default: int | str | None = None
    data_format: str | None = None  # parameter naming the layout, where there is one
    data_format_default: str | None = None
    training: str | None = None  # the construction-time "training mode" parameter (TF1, TensorLayer)
    training_default: bool | None = None
    fused_floor: bool | None = False  # True: TF's fused kernel raises eps to 1.001e-5; None: depends on version
    source: str = ""

    @property
    def is_batchnorm(self) -> bool:
        return self.kind == BATCH

    @property
    def display(self) -> str:
        return self.names[0]

    def param_position(self, param: str | None) -> int | None:
        if param is None or param not in self.params:
            return None
        return self.params.index(param)


_KERAS_BN_PARAMS = (
    "axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
    "moving_mean_initializer", "moving_variance_initializer",
)
_TORCH_BN_PARAMS = ("num_features", "eps", "momentum", "affine", "track_running_stats")

ENTRIES: tuple[NormApi, ...] = (
    # ---- Keras 2 / tf.keras ------------------------------------------------------------
    NormApi(
        key="tf.keras.BatchNormalization", framework="tf.keras", kind=BATCH, form=CLASS,
        roots=("tensorflow.keras.",),
        names=("BatchNormalization", "SyncBatchNormalization", "BatchNormalizationV2", "BatchNormalizationV1"),
        params=_KERAS_BN_PARAMS, epsilon="epsilon", epsilon_default=1e-3,
        momentum="momentum", momentum_default=0.99, momentum_convention=KEEP_OLD,
        axis="axis", axis_default=-1, fused_floor=True,
        source="https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization",
    ),
    # ---- Keras 3 (also `import keras` on Keras 2, hence fused_floor unknown) -------------
    NormApi(
        key="keras.BatchNormalization", framework="keras", kind=BATCH, form=CLASS,
        roots=("keras.",), names=("BatchNormalization", "SyncBatchNormalization"),
        params=_KERAS_BN_PARAMS, epsilon="epsilon", epsilon_default=1e-3,
        momentum="momentum", momentum_default=0.99, momentum_convention=KEEP_OLD,
        axis="axis", axis_default=-1, fused_floor=None,
        source="https://keras.io/api/layers/normalization_layers/batch_normalization/",
    ),
    NormApi(
        key="keras.LayerNormalization", framework="keras", kind=LAYER, form=CLASS,
        roots=("keras.", "tensorflow.keras."), names=("LayerNormalization",),
        params=("axis", "epsilon", "center", "scale"), epsilon="epsilon", epsilon_default=1e-3,
        axis="axis", axis_default=-1,
        source="https://keras.io/api/layers/normalization_layers/layer_normalization/",
    ),
    NormApi(
        key="keras.GroupNormalization", framework="keras", kind=GROUP, form=CLASS,
        roots=("keras.", "tensorflow.keras."), names=("GroupNormalization",),
        params=("groups", "axis", "epsilon", "center", "scale"), epsilon="epsilon", epsilon_default=1e-3,
        axis="axis", axis_default=-1,
        source="https://keras.io/api/layers/normalization_layers/group_normalization/",
    ),
    # ---- TF1 layers ----------------------------------------------------------------------
    NormApi(
        key="tf1.layers.batch_normalization", framework="tf1", kind=BATCH, form=FUNCTION,
        roots=("tensorflow.layers.",), names=("batch_normalization",),
        params=("inputs", "axis", "momentum", "epsilon", "center", "scale", "beta_initializer",
                "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
                "training", "trainable", "name", "reuse", "renorm", "renorm_clipping",
                "renorm_momentum", "fused", "virtual_batch_size", "adjustment"),
        epsilon="epsilon", epsilon_default=1e-3, momentum="momentum", momentum_default=0.99,
        momentum_convention=KEEP_OLD, axis="axis", axis_default=-1,
        training="training", training_default=False, fused_floor=True,
        source="https://www.tensorflow.org/api_docs/python/tf/compat/v1/layers/batch_normalization",
    ),
    NormApi(
        key="tf1.layers.BatchNormalization", framework="tf1", kind=BATCH, form=CLASS,
        roots=("tensorflow.layers.",), names=("BatchNormalization",),
        params=_KERAS_BN_PARAMS, epsilon="epsilon", epsilon_default=1e-3,
        momentum="momentum", momentum_default=0.99, momentum_convention=KEEP_OLD,
        axis="axis", axis_default=-1, fused_floor=True,
        source="https://www.tensorflow.org/api_docs/python/tf/compat/v1/layers/BatchNormalization",
    ),
    NormApi(
        key="tf1.contrib.batch_norm", framework="tf1", kind=BATCH, form=FUNCTION,
        roots=("tensorflow.contrib.", "tf_slim."), names=("batch_norm",),
        params=("inputs", "decay", "center", "scale", "epsilon", "activation_fn",
                "param_initializers", "param_regularizers", "updates_collections", "is_training",
                "reuse", "variables_collections", "outputs_collections", "trainable",
                "batch_weights", "fused", "data_format", "zero_debias_moving_mean", "scope",
                "renorm", "renorm_clipping", "renorm_decay", "adjustment"),
        epsilon="epsilon", epsilon_default=1e-3, momentum="decay", momentum_default=0.999,
        momentum_convention=KEEP_OLD, data_format="data_format", data_format_default="NHWC",
        training="is_training", training_default=True, fused_floor=True,
        source="https://github.com/tensorflow/tensorflow/blob/r1.15/tensorflow/contrib/layers/python/layers/layers.py",
    ),
    # ---- tf.nn ---------------------------------------------------------------------------
    NormApi(
        key="tf.nn.batch_normalization", framework="tf.nn", kind=BATCH, form=FUNCTION,
        roots=("tensorflow.nn.",), names=("batch_normalization",),
        params=("x", "mean", "variance", "offset", "scale", "variance_epsilon", "name"),
        epsilon="variance_epsilon", epsilon_default=None,
        source="https://www.tensorflow.org/api_docs/python/tf/nn/batch_normalization",
    ),
    NormApi(
        key="tf.nn.fused_batch_norm", framework="tf.nn", kind=BATCH, form=FUNCTION,
        roots=("tensorflow.nn.",), names=("fused_batch_norm",),
        params=("x", "scale", "offset", "mean", "variance", "epsilon", "data_format",
                "is_training", "name", "exponential_avg_factor"),
        epsilon="epsilon", epsilon_default=1e-3, momentum="exponential_avg_factor",
        momentum_default=1.0, data_format="data_format", data_format_default="NHWC",
        training="is_training", training_default=True, fused_floor=True,
        source="https://www.tensorflow.org/api_docs/python/tf/compat/v1/nn/fused_batch_norm",
    ),
    # ---- PyTorch -------------------------------------------------------------------------
    NormApi(
        key="torch.BatchNorm", framework="torch", kind=BATCH, form=CLASS,
        # (`_BatchNorm`, torch.nn.modules.batchnorm's base of them all, is what `isinstance` checks
        # and custom BatchNorm subclasses name)
        roots=("torch.nn.",), names=("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "_BatchNorm"),
        params=_TORCH_BN_PARAMS, epsilon="eps", epsilon_default=1e-5,
        momentum="momentum", momentum_default=0.1, momentum_convention=KEEP_NEW,
        axis_default=1,
        source="https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html",
    ),
    NormApi(
        key="torch.LazyBatchNorm", framework="torch", kind=BATCH, form=CLASS,
        roots=("torch.nn.",), names=("LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d"),
        params=("eps", "momentum", "affine", "track_running_stats"), epsilon="eps", epsilon_default=1e-5,
        momentum="momentum", momentum_default=0.1, momentum_convention=KEEP_NEW, axis_default=1,
        source="https://pytorch.org/docs/stable/generated/torch.nn.LazyBatchNorm2d.html",
    ),
    NormApi(
        key="torch.functional.batch_norm", framework="torch", kind=BATCH, form=FUNCTION,
        roots=("torch.nn.functional.",), names=("batch_norm",),
        params=("input", "running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"),
        epsilon="eps", epsilon_default=1e-5, momentum="momentum", momentum_default=0.1,
        momentum_convention=KEEP_NEW, axis_default=1, training="training", training_default=False,
        source="https://pytorch.org/docs/stable/generated/torch.nn.functional.batch_norm.html",
    ),
    NormApi(
        key="torchvision.FrozenBatchNorm2d", framework="torchvision", kind=BATCH, form=CLASS,
        roots=("torchvision.ops.",), names=("FrozenBatchNorm2d",),
        params=("num_features", "eps"), epsilon="eps", epsilon_default=1e-5, axis_default=1,
        source="https://pytorch.org/vision/stable/generated/torchvision.ops.FrozenBatchNorm2d.html",
    ),
    NormApi(
        key="torch.LayerNorm", framework="torch", kind=LAYER, form=CLASS,
        roots=("torch.nn.",), names=("LayerNorm",),
        params=("normalized_shape", "eps", "elementwise_affine"), epsilon="eps", epsilon_default=1e-5,
        source="https://pytorch.org/docs/stable/generated/torch.nn.LayerNorm.html",
    ),
    NormApi(
        key="torch.GroupNorm", framework="torch", kind=GROUP, form=CLASS,
        roots=("torch.nn.",), names=("GroupNorm",),
        params=("num_groups", "num_channels", "eps", "affine"), epsilon="eps", epsilon_default=1e-5,
        source="https://pytorch.org/docs/stable/generated/torch.nn.GroupNorm.html",
    ),
    NormApi(
        key="torch.InstanceNorm", framework="torch", kind=INSTANCE, form=CLASS,
        roots=("torch.nn.",), names=("InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"),
        params=("num_features", "eps", "momentum", "affine", "track_running_stats"),
        epsilon="eps", epsilon_default=1e-5, momentum="momentum", momentum_default=0.1,
        momentum_convention=KEEP_NEW,
        source="https://pytorch.org/docs/stable/generated/torch.nn.InstanceNorm2d.html",
    ),
    NormApi(
        key="torch.functional.layer_norm", framework="torch", kind=LAYER, form=FUNCTION,
        roots=("torch.nn.functional.",), names=("layer_norm",),
        params=("input", "normalized_shape", "weight", "bias", "eps"), epsilon="eps", epsilon_default=1e-5,
        source="https://pytorch.org/docs/stable/generated/torch.nn.functional.layer_norm.html",
    ),
    NormApi(
        key="torch.functional.group_norm", framework="torch", kind=GROUP, form=FUNCTION,
        roots=("torch.nn.functional.",), names=("group_norm",),
        params=("input", "num_groups", "weight", "bias", "eps"), epsilon="eps", epsilon_default=1e-5,
        source="https://pytorch.org/docs/stable/generated/torch.nn.functional.group_norm.html",
    ),
    NormApi(
        key="torch.functional.instance_norm", framework="torch", kind=INSTANCE, form=FUNCTION,
        roots=("torch.nn.functional.",), names=("instance_norm",),
        params=("input", "running_mean", "running_var", "weight", "bias", "use_input_stats",
                "momentum", "eps"),
        epsilon="eps", epsilon_default=1e-5, momentum="momentum", momentum_default=0.1,
        momentum_convention=KEEP_NEW,
        source="https://pytorch.org/docs/stable/generated/torch.nn.functional.instance_norm.html",
    ),
    # ---- JAX -----------------------------------------------------------------------------
    NormApi(
        key="flax.BatchNorm", framework="flax", kind=BATCH, form=CLASS,
        roots=("flax.linen.",), names=("BatchNorm",),
        params=("use_running_average", "axis", "momentum", "epsilon"),
        epsilon="epsilon", epsilon_default=1e-5, momentum="momentum", momentum_default=0.99,
        momentum_convention=KEEP_OLD, axis="axis", axis_default=-1,
        source="https://flax.readthedocs.io/en/latest/api_reference/flax.linen/layers.html#flax.linen.BatchNorm",
    ),
    NormApi(
        key="haiku.BatchNorm", framework="haiku", kind=BATCH, form=CLASS,
        roots=("haiku.",), names=("BatchNorm",),
        params=("create_scale", "create_offset", "decay_rate", "eps", "scale_init", "offset_init",
                "axis", "cross_replica_axis", "cross_replica_axis_index_groups", "data_format", "name"),
        epsilon="eps", epsilon_default=1e-5, momentum="decay_rate", momentum_default=None,
        momentum_convention=KEEP_OLD, data_format="data_format", data_format_default="channels_last",
        source="https://dm-haiku.readthedocs.io/en/latest/api.html#batchnorm",
    ),
    # ---- TensorLayer ---------------------------------------------------------------------
    NormApi(
        key="tensorlayer.BatchNormLayer", framework="tensorlayer", kind=BATCH, form=CLASS,
        roots=("tensorlayer.layers.", "tensorlayer."), names=("BatchNormLayer",),
        params=("prev_layer", "decay", "epsilon", "act", "is_train", "beta_init", "gamma_init",
                "moving_mean_init", "data_format", "name"),
        epsilon="epsilon", epsilon_default=1e-5, momentum="decay", momentum_default=0.9,
        momentum_convention=KEEP_OLD, training="is_train", training_default=False,
        source="https://tensorlayer.readthedocs.io/en/1.11.1/modules/layers.html#batch-normalization",
    ),
    NormApi(
        key="tensorlayer.BatchNorm", framework="tensorlayer", kind=BATCH, form=CLASS,
        roots=("tensorlayer.layers.", "tensorlayer."),
        names=("BatchNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"),
        params=("decay", "epsilon", "act", "is_train", "beta_init", "gamma_init",
                "moving_mean_init", "moving_var_init", "num_features", "data_format", "name"),
        epsilon="epsilon", epsilon_default=1e-5, momentum="decay", momentum_default=0.9,
        momentum_convention=KEEP_OLD, data_format="data_format", data_format_default="channels_last",
        training="is_train", training_default=False,
        source="https://tensorlayer.readthedocs.io/en/latest/modules/layers.html#batch-normalization",
    ),
    # ---- Paddle, MXNet, MindSpore ----------------------------------------------------------
    NormApi(
        key="paddle.BatchNorm", framework="paddle", kind=BATCH, form=CLASS,
        roots=("paddle.nn.",), names=("BatchNorm1D", "BatchNorm2D", "BatchNorm3D", "SyncBatchNorm"),
        params=("num_features", "momentum", "epsilon", "weight_attr", "bias_attr", "data_format",
                "use_global_stats", "name"),
        epsilon="epsilon", epsilon_default=1e-5, momentum="momentum", momentum_default=0.9,
        momentum_convention=KEEP_OLD, data_format="data_format", data_format_default="NCHW",
        axis_default=1,
        source="https://www.paddlepaddle.org.cn/documentation/docs/en/api/paddle/nn/BatchNorm2D_en.html",
    ),
    NormApi(
        key="mxnet.BatchNorm", framework="mxnet", kind=BATCH, form=CLASS,
        roots=("mxnet.gluon.nn.",), names=("BatchNorm", "SyncBatchNorm"),
        params=("axis", "momentum", "epsilon", "center", "scale", "use_global_stats"),
        epsilon="epsilon", epsilon_default=1e-5, momentum="momentum", momentum_default=0.9,
        momentum_convention=KEEP_OLD, axis="axis", axis_default=1,
        source="https://mxnet.apache.org/versions/1.9.1/api/python/docs/api/gluon/nn/index.html#mxnet.gluon.nn.BatchNorm",
    ),
    NormApi(
        key="mindspore.BatchNorm", framework="mindspore", kind=BATCH, form=CLASS,
        roots=("mindspore.nn.",), names=("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"),
        params=("num_features", "eps", "momentum", "affine", "gamma_init", "beta_init",
                "moving_mean_init", "moving_var_init", "use_batch_statistics", "data_format"),
        # Up to 2.9 the docs give moving_mean = moving_mean * momentum + mean * (1 - momentum)
        # (keep-old, default 0.9); they announce that after 2.9.0 the default becomes 0.1 with
        # PyTorch's signature. The convention depends on the version: left unset, so BN006 does
        # not judge a MindSpore momentum on its own.
        epsilon="eps", epsilon_default=1e-5, momentum="momentum", momentum_default=0.9,
        momentum_convention=None, data_format="data_format", data_format_default="NCHW",
        axis_default=1,
        source="https://www.mindspore.cn/docs/en/stable/api_python/nn/mindspore.nn.BatchNorm2d.html",
    ),
    # ---- Dropout (what BN002 and BN016 need to know about models) ------------------------
    NormApi(
        key="keras.Dropout", framework="keras", kind=DROPOUT, form=CLASS,
        roots=("keras.", "tensorflow.keras."),
        names=("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
               "AlphaDropout", "GaussianDropout", "GaussianNoise"),
        source="https://keras.io/api/layers/regularization_layers/dropout/",
    ),
    NormApi(
        key="torch.Dropout", framework="torch", kind=DROPOUT, form=CLASS,
        roots=("torch.nn.",),
        names=("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"),
        source="https://pytorch.org/docs/stable/generated/torch.nn.Dropout.html",
    ),
)

# Spellings of the same module: applied in order, first match wins.
PREFIX_ALIASES: tuple[tuple[str, str], ...] = (
    ("tensorflow._api.v1.compat.v1.", "tensorflow."),
    ("tensorflow._api.v1.compat.v2.", "tensorflow."),
    ("tensorflow._api.v2.compat.v1.", "tensorflow."),
    ("tensorflow._api.v2.compat.v2.", "tensorflow."),
    ("tensorflow._api.v1.", "tensorflow."),
    ("tensorflow._api.v2.", "tensorflow."),
    ("tensorflow.compat.v1.", "tensorflow."),
    ("tensorflow.compat.v2.", "tensorflow."),
    ("tensorflow.python.keras.", "tensorflow.keras."),
    ("tensorflow.contrib.slim.", "tensorflow.contrib.layers."),
    ("tf_keras.", "tensorflow.keras."),
    ("keras.src.", "keras."),
    # Keras 3's copy of its API that TF 2.16+ serves as `tf.keras` (editors autocomplete to it),
    # and Keras 2's generated API package
    ("keras._tf_keras.keras.", "keras."),
    ("keras.api._v2.keras.", "keras."),
    ("tensorlayer.layers.normalization.", "tensorlayer.layers."),
    ("torch.nn.modules.", "torch.nn."),
    ("flax.linen.normalization.", "flax.linen."),
)


def canonical(qualname: str) -> str:
    for old, new in PREFIX_ALIASES:
        if qualname.startswith(old):
            qualname = new + qualname[len(old):]
            break
    # tensorflow._api.v1.keras... after the alias above, or keras nested under tf.compat.
    return qualname


@lru_cache(maxsize=None)
def _by_last_name() -> dict[str, tuple[NormApi, ...]]:
    table: dict[str, list[NormApi]] = {}
    for entry in ENTRIES:
        for name in entry.names:
            table.setdefault(name, []).append(entry)
    return {name: tuple(entries) for name, entries in table.items()}


# Model builders that take their BatchNorm layers' settings as keywords and build the layers with
# them: timm's EfficientNet / MobileNetV3 family (`timm.create_model("efficientnet_b0",
# bn_momentum=0.01, bn_eps=1e-3)`; timm/models/_efficientnet_builder.py `resolve_bn_args` turns
# them into `partial(nn.BatchNorm2d, momentum=..., eps=...)`, and `create_model` drops the ones
# left None; other timm models reject the keywords). {qualified-name prefix: (epsilon keyword,
# momentum keyword, the layer built)}.
BUILDER_NORM_KEYWORDS = {
    "timm.": ("bn_eps", "bn_momentum", "torch.nn.BatchNorm2d"),
}


@lru_cache(maxsize=4096)
def lookup(qualname: str | None) -> NormApi | None:
    """The catalogue entry for a resolved qualified name, or None."""
    if not qualname or "." not in qualname:
        return None
    qualname = canonical(qualname)
    module, _, last = qualname.rpartition(".")
    candidates = _by_last_name().get(last)
    if not candidates:
        return None
    module += "."
    best: NormApi | None = None
    best_len = -1
    for entry in candidates:
        for root in entry.roots:
            if module.startswith(root) and len(root) > best_len:
                best, best_len = entry, len(root)
    return best


# ---- model classes and builders ------------------------------------------------------------
# Base classes whose subclasses are models or layers.
KERAS_MODEL_BASES = ("keras.Model", "keras.models.Model", "keras.Sequential", "keras.models.Sequential",
                     "keras.layers.Layer", "keras.engine.Model", "keras.engine.training.Model")
# LightningModule is an nn.Module whose training loop Lightning runs (`Trainer.fit`)
TORCH_MODULE_BASES = ("torch.nn.Module", "torch.nn.Sequential", "torch.nn.ModuleList", "torch.nn.ModuleDict",
                      "pytorch_lightning.LightningModule", "lightning.LightningModule",
                      "lightning.pytorch.LightningModule", "pytorch_lightning.core.LightningModule")
SEQUENTIAL_CLASSES = ("keras.Sequential", "keras.models.Sequential", "torch.nn.Sequential",
                      "tensorlayer.models.Sequential")
# nn.Module methods that return the module itself: `net.eval()`, `model.to(device).eval()` are
# still `net` / `model` (https://pytorch.org/docs/stable/generated/torch.nn.Module.html)
MODULE_METHODS_RETURNING_SELF = frozenset({"eval", "train", "to", "cuda", "cpu", "float", "double", "half",
                                           "requires_grad_"})
# Keras merge layers and their functional forms (`concatenate([x1, x2])`, `layers.Add()([a, b])`):
# one output from a list of tensors of one shape
KERAS_MERGES = frozenset({"concatenate", "Concatenate", "add", "Add", "average", "Average", "maximum", "Maximum",
                          "minimum", "Minimum", "multiply", "Multiply", "subtract", "Subtract"})
# (Keras 2 also exports the class from `keras.engine`: `from keras.engine import Input, Model`)
FUNCTIONAL_MODEL_CLASSES = ("keras.Model", "keras.models.Model", "keras.engine.Model", "keras.engine.training.Model")


# Standalone-Keras APIs that Keras 3 removed (https://keras.io/guides/migrating_to_keras_3/):
# a module that uses one runs Keras 2, whose BatchNormalization takes TF's fused kernel.
KERAS2_ONLY_APIS = ("fit_generator", "np_utils", "keras.engine", "keras.layers.normalization",
                    "keras.layers.convolutional", "keras.layers.core", "keras.preprocessing.image",
                    "image_dim_ordering", "keras.wrappers", "keras.layers.merge", "keras.legacy",
                    "Convolution2D", "tensorflow_backend", "predict_generator", "evaluate_generator")

# Methods that return the model they are called on (torch.nn.Module.to/cuda/cpu/float/half/
# double/train/eval/requires_grad_ return self: https://pytorch.org/docs/stable/generated/torch.nn.Module.html).
MODEL_IDENTITY_METHODS = frozenset({"to", "cuda", "cpu", "float", "half", "double", "bfloat16", "train", "eval",
                                    "requires_grad_", "to_empty", "type"})
# Methods that move a model or tensor to a device or dtype and return the same thing.
DEVICE_MOVES = frozenset({"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "to_empty"})
# Random tensor constructors: a GAN generator's latent input is drawn with them.
RANDOM_TENSOR_FUNCTIONS = frozenset({"torch.randn", "torch.rand", "torch.normal", "torch.randn_like",
                                     "torch.rand_like", "numpy.random.randn", "numpy.random.normal",
                                     "numpy.random.uniform", "numpy.random.rand"})
# Wrappers whose forward runs the wrapped model (its BN layers included).
# Training libraries that hand the objects they are given back in order, wrapped for devices,
# distribution or mixed precision: `model, opt, loader = accelerator.prepare(model, opt, loader)`
# (https://huggingface.co/docs/accelerate/package_reference/accelerator#accelerate.Accelerator.prepare),
# `model, opt = fabric.setup(model, opt)` (https://lightning.ai/docs/fabric/stable/api/fabric_methods.html),
# apex's `model, opt = amp.initialize(model, opt)`. The wrapped model keeps its modules (and mode).
_FABRIC = frozenset({"lightning.Fabric", "lightning.fabric.Fabric", "lightning_fabric.Fabric",
                     "lightning.pytorch.lite.LightningLite", "pytorch_lightning.lite.LightningLite"})
PASSTHROUGH_METHODS = {
    "prepare": frozenset({"accelerate.Accelerator", "accelerate.accelerator.Accelerator"}),
    "setup": _FABRIC,
    "setup_dataloaders": _FABRIC,
}
PASSTHROUGH_FUNCTIONS = frozenset({"apex.amp.initialize", "torch.cuda.amp.initialize"})
MODEL_WRAPPERS = frozenset({
    "torch.nn.DataParallel", "torch.nn.parallel.DataParallel", "torch.nn.parallel.DistributedDataParallel",
    "torch.nn.SyncBatchNorm.convert_sync_batchnorm", "torch.compile", "torch.jit.script", "torch.jit.trace",
    "torch.nn.parallel.distributed.DistributedDataParallel",
    # a copy holds the same layers (`student = copy.deepcopy(teacher)`)
    "copy.deepcopy", "copy.copy",
    # Keras 2's data-parallel copy of a model shares its layers
    # (https://keras.io/2.16/api/utils/, `multi_gpu_model(model, gpus)`, removed in TF 2.4)
    "keras.utils.multi_gpu_model", "keras.utils.training_utils.multi_gpu_model",
    "keras.utils.multi_gpu_utils.multi_gpu_model",
})


def keras_or_torch_class(qualname: str | None) -> str | None:
    """'keras' or 'torch' when `qualname` names a model/layer base class, else None."""
    if not qualname:
        return None
    name = canonical(qualname)
    if name.startswith("tensorflow.keras."):
        name = name[len("tensorflow."):]
    if name in KERAS_MODEL_BASES or (name.startswith("keras.") and name.rpartition(".")[2] in ("Model", "Layer", "Sequential")):
        return "keras"
    if name in TORCH_MODULE_BASES:
        return "torch"
    return None


def keras_name(qualname: str) -> str:
    """`tensorflow.keras.x` and `keras.x` as one spelling, for comparisons."""
    name = canonical(qualname)
    return name[len("tensorflow."):] if name.startswith("tensorflow.keras.") else name


# Builders whose models are known to contain batch normalization (True), known to contain
# none (False). Matched on the builder's last name, case-insensitively by prefix.
KERAS_APPLICATIONS_BN = {
    True: ("ResNet", "ResNetRS", "Xception", "Inception", "MobileNet", "DenseNet", "NASNet",
           "EfficientNet", "RegNet"),
    False: ("VGG16", "VGG19", "ConvNeXt", "ViT"),
}
# torchvision.models.segmentation (fcn.py, deeplabv3.py, lraspp.py): ResNet or MobileNetV3
# backbones, and heads that are Conv2d + BatchNorm2d + ReLU (FCNHead, ASPP, LRASPPHead);
# torchvision.models.video (resnet.py, s3d.py): BatchNorm3d after every convolution.
# Detection models are left out: their backbones use FrozenBatchNorm2d when pretrained.
TORCHVISION_MODELS_BN = {
    True: ("resnet", "resnext", "wide_resnet", "densenet", "mobilenet", "efficientnet",
           "inception_v3", "googlenet", "shufflenet", "mnasnet", "regnet", "vgg11_bn",
           "vgg13_bn", "vgg16_bn", "vgg19_bn", "fcn_", "deeplabv3_", "lraspp_", "r3d_", "mc3_",
           "r2plus1d_", "s3d", "maxvit"),
    False: ("alexnet", "squeezenet", "vgg11", "vgg13", "vgg16", "vgg19", "vit_", "swin_", "convnext"),
}
TIMM_MODELS_BN = {
    True: ("resnet", "resnext", "seresnet", "efficientnet", "mobilenet", "densenet", "regnet",
           "tf_efficientnet", "mixnet", "mnasnet", "dpn", "inception", "xception", "cspresnet",
           "cspdarknet", "dla", "hrnet", "res2net", "resnest", "rexnet", "ghostnet", "hardcorenas",
           "fbnet", "lcnet", "tresnet", "nf_regnet"),
    False: ("vit_", "deit", "swin", "convnext", "beit", "cait", "mixer", "gmlp", "resmlp", "eva"),
}


# The epsilon of the BatchNorm layers a zoo builder makes, where the builder's source says so.
# keras.applications (keras/src/applications/*.py): resnet.py/resnet_v2 and densenet.py pass
# epsilon=1.001e-5; mobilenet_v2.py, mobilenet_v3.py and nasnet.py pass epsilon=1e-3; mobilenet,
# efficientnet, efficientnet_v2, inception_v3, inception_resnet_v2 and xception keep the
# BatchNormalization default 1e-3.
KERAS_APPLICATIONS_EPSILON = (
    ("ResNet", 1.001e-5), ("DenseNet", 1.001e-5), ("MobileNet", 1e-3), ("NASNet", 1e-3),
    ("EfficientNet", 1e-3), ("Inception", 1e-3), ("Xception", 1e-3),
)
# The names keras.applications' ResNet (v1 and v2) and DenseNet give their BatchNormalization
# layers (`name + "_bn"` in resnet.py: `conv1_bn`, `conv2_block1_0_bn`, `conv2_block1_preact_bn`;
# densenet.py: `conv1/bn`, `conv2_block1_0_bn`), all built with epsilon=1.001e-5. A checkpoint
# read by such names was saved from one of them. (keras_applications' old resnet50.py named them
# `bn_conv1`, `bn2a_branch2a` and kept the default 1e-3: those names are not these.)
KERAS_APPLICATIONS_BN_NAMES = r"conv1_bn|conv1/bn|conv\d_block\d+_(?:\d|preact)_bn"
# Checkpoints known by the names of their layers, with the epsilon the network that saved them
# builds its BatchNorm with: (pattern searched in the module's strings, "keras"/"torch" for the
# checkpoint's framework, epsilon). NVIDIA NeMo's Jasper/QuartzNet blocks (`encoder.3.mconv.2`,
# nemo/collections/asr/parts/submodules/jasper.py) use `nn.BatchNorm1d(..., eps=1e-3)`.
NAMED_CHECKPOINTS = (
    # keras.applications' MobileNet (v1) also names its first layer `conv1_bn`, with the default
    # epsilon 1e-3; its blocks' `conv_dw_%d_bn` / `conv_pw_%d_bn` (keras/src/applications/
    # mobilenet.py) tell it apart from ResNet, so they are looked for first (also as the literal
    # parts of an f-string: `f"conv_dw_{i}_bn/..."`)
    (r"(?:^|/)conv_(?:dw|pw)_(?:\d+_bn(?:$|[/:])|$)", "keras", 1e-3),
    (rf"(?:^|/)(?:{KERAS_APPLICATIONS_BN_NAMES})(?:$|[/:])", "keras", 1.001e-5),
    (r"(?:^|\.)mconv\.\d+\.", "torch", 1e-3),
)
# torchvision.models (torchvision/models/*.py): resnet.py, densenet.py, vgg.py (*_bn),
# mobilenetv2.py and shufflenetv2.py build nn.BatchNorm2d with its default eps=1e-5;
# googlenet.py and inception.py (BasicConv2d) pass eps=0.001; mobilenetv3.py uses
# partial(nn.BatchNorm2d, eps=0.001, momentum=0.01).
TORCHVISION_EPSILON = (
    ("resnet", 1e-5), ("resnext", 1e-5), ("wide_resnet", 1e-5), ("densenet", 1e-5), ("vgg11_bn", 1e-5),
    ("vgg13_bn", 1e-5), ("vgg16_bn", 1e-5), ("vgg19_bn", 1e-5), ("mobilenet_v2", 1e-5), ("shufflenet", 1e-5),
    ("googlenet", 1e-3), ("inception_v3", 1e-3), ("mobilenet_v3", 1e-3),
    ("fcn_resnet", 1e-5), ("deeplabv3_resnet", 1e-5), ("r3d_", 1e-5), ("mc3_", 1e-5), ("r2plus1d_", 1e-5),
)


def builder_epsilon(qualname: str | None) -> tuple[float, str] | None:
    """(epsilon, framework) of the BatchNorm layers a zoo builder makes, when known."""
    if not qualname:
        return None
    name = keras_name(qualname)
    module, _, last = name.rpartition(".")
    if module.startswith("keras.applications"):
        table, framework = KERAS_APPLICATIONS_EPSILON, "keras"
    elif module.startswith("torchvision.models"):
        table, framework = TORCHVISION_EPSILON, "torch"
    else:
        return None
    best = None
    for prefix, epsilon in table:
        if last.lower().startswith(prefix.lower()) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), epsilon)
    return (best[1], framework) if best else None


# Class methods a framework gives model classes that make an instance of the class with trained
# weights: Lightning's `LightningModule.load_from_checkpoint` (it does not put the module in eval
# mode: the docs' inference example calls `model.eval()` after it,
# https://lightning.ai/docs/pytorch/1.7.0/deploy/production_basic.html).
INSTANCE_LOADERS = ("load_from_checkpoint",)

# Builders that say which model they build only through an argument (a hub repository and entry,
# a TF Hub handle): `builder_contains_bn` needs that argument to know them at all.
BUILDERS_NAMED_BY_ARGUMENT = ("torch.hub.load", "tensorflow_hub.KerasLayer")


def builder_contains_bn(qualname: str | None, model_name: str | None = None) -> tuple[bool | None, str] | None:
    """For a call to a known model builder: (contains BN or None if unknown, description).

    Returns None when `qualname` is not a known builder.
    """
    if not qualname:
        return None
    name = keras_name(qualname)
    module, _, last = name.rpartition(".")
    if module.startswith("keras.applications"):
        return _match_prefix(last, KERAS_APPLICATIONS_BN, case=False), f"keras.applications.{last}"
    if name in ("torchvision.models.get_model", "torchvision.models._api.get_model"):
        # `torchvision.models.get_model("resnet18", weights=None)` (torchvision >= 0.14,
        # https://pytorch.org/vision/stable/models.html#general-information-on-pre-trained-weights):
        # the builder the name picks
        if model_name is None:
            return None, "torchvision.models.get_model"
        return _match_prefix(model_name, TORCHVISION_MODELS_BN, case=False), \
            f"torchvision.models.get_model({model_name!r})"
    if module.startswith("torchvision.models"):
        return _match_prefix(last, TORCHVISION_MODELS_BN, case=False), f"torchvision.models.{last}"
    if name == "timm.create_model" or name == "timm.models.create_model":
        if model_name is None:
            return None, "timm.create_model"
        return _match_prefix(model_name, TIMM_MODELS_BN, case=False), f"timm.create_model({model_name!r})"
    for package, (_framework, table) in THIRD_PARTY_ZOOS.items():
        if module == package or module.startswith(package + "."):
            verdict = _match_prefix(last, table, case=False)
            if verdict is not None:
                return verdict, f"{package}.{last}"
    if name == "torch.hub.load" and model_name is not None:
        # `model_name` is "<repo> <entry point>": torchvision's hub entries are its builders
        repo, _, entry = model_name.partition(" ")
        if repo.split(":")[0].lower() == "pytorch/vision":
            verdict = _match_prefix(entry, TORCHVISION_MODELS_BN, case=False)
            return (verdict, f"torch.hub.load({repo!r}, {entry!r})") if verdict is not None else None
        return None
    if name == "tensorflow_hub.KerasLayer" and model_name is not None:
        # a TF Hub module by its handle: the image families hold BatchNorm (BiT uses GroupNorm)
        handle = model_name.lower()
        family = next((f for f in TF_HUB_BN_FAMILIES if f in handle), None)
        if family is not None:
            return True, f"the TF Hub {family} module"
        return None
    return None


# Third-party model zoos users build on, by package: (framework, builders with BN). Sources:
# qubvel/segmentation_models (decoder blocks Conv2D + BatchNormalization, `decoder_use_batchnorm=True`
# by default), qubvel/segmentation_models.pytorch (the same for PyTorch), qubvel/efficientnet,
# keras-resnet3d (`Resnet3DBuilder.build_resnet_50`, BN after every convolution).
THIRD_PARTY_ZOOS = {
    "segmentation_models": ("keras", {True: ("Unet", "FPN", "Linknet", "PSPNet")}),
    "segmentation_models_3D": ("keras", {True: ("Unet", "FPN", "Linknet", "PSPNet")}),
    # (`smp.create_model(arch, encoder_name=...)` builds the same architectures by name, on the same
    # BN encoders, resnet34 by default)
    "segmentation_models_pytorch": ("torch", {True: ("Unet", "FPN", "Linknet", "PSPNet", "DeepLabV3", "PAN",
                                                     "MAnet", "UPerNet", "UnetPlusPlus", "DeepLabV3Plus",
                                                     "create_model")}),
    "efficientnet.tfkeras": ("keras", {True: ("EfficientNet",)}),
    # lukemelas/EfficientNet-PyTorch (efficientnet_pytorch/model.py: `self._bn0 = nn.BatchNorm2d(
    # num_features=out_channels, momentum=bn_mom, eps=bn_eps)` in EfficientNet and its blocks)
    "efficientnet_pytorch": ("torch", {True: ("EfficientNet", "from_pretrained", "from_name")}),
    "efficientnet.keras": ("keras", {True: ("EfficientNet",)}),
    "resnet3d.Resnet3DBuilder": ("keras", {True: ("build_resnet",)}),
    # MONAI's networks whose norm defaults to batch (https://docs.monai.io/en/stable/networks.html;
    # ResNet's residual blocks keep "batch" whatever `norm` says, Project-MONAI/MONAI#9028). Its
    # U-Nets default to instance or group norm and are not listed.
    "monai.networks.nets": ("torch", {True: ("resnet", "ResNet", "DenseNet", "densenet", "EfficientNetBN",
                                             "SENet", "SEResNet", "SEResNext", "senet", "seresnet", "seresnext",
                                             "HighResNet")}),
    # tensorflow/examples: the pix2pix blocks the image-segmentation and pix2pix tutorials build
    # on (`upsample` is Conv2DTranspose + BatchNormalization, `downsample` has
    # `apply_batchnorm=True` by default; the generator and discriminator are made of them)
    "tensorflow_examples.models.pix2pix.pix2pix": ("keras", {True: ("upsample", "downsample", "unet_generator",
                                                                    "discriminator")}),
}


# Builders whose normalization a `norm=` argument picks (`UNet(..., norm=Norm.BATCH)`,
# `norm="batch"`, `norm=("batch", {...})`): https://docs.monai.io/en/stable/networks.html
NORM_ARGUMENT_BUILDERS = ("monai.networks.nets.",)


def third_party_framework(qualname: str) -> str | None:
    """The framework of a builder of THIRD_PARTY_ZOOS."""
    for package, (framework, _table) in THIRD_PARTY_ZOOS.items():
        if qualname == package or qualname.startswith(package + "."):
            return framework
    return None


# TF Hub image modules whose networks hold BatchNormalization, by a word of their handle
# (https://tfhub.dev: imagenet/resnet_v2_50, mobilenet_v2_100_224, efficientnet/b0, inception_v3).
TF_HUB_BN_FAMILIES = ("resnet", "mobilenet", "efficientnet", "inception", "nasnet", "densenet")


def _match_prefix(name: str, table: dict[bool, tuple[str, ...]], case: bool) -> bool | None:
    probe = name if case else name.lower()
    # A negative entry that is more specific than a positive one wins (vgg16 vs vgg16_bn).
    best: tuple[int, bool] | None = None
    for verdict, prefixes in table.items():
        for prefix in prefixes:
            p = prefix if case else prefix.lower()
            if probe.startswith(p) and (best is None or len(p) > best[0]):
                best = (len(p), verdict)
    return None if best is None else best[1]


# ---- Layers with a bias that a following BatchNorm cancels (BN014) ----------------------
@dataclass(frozen=True)
class BiasedLayer:
    roots: tuple[str, ...]
    names: tuple[str, ...]
    bias: str  # the parameter that turns the bias off
    bias_default: bool
    bias_position: int | None  # position of `bias` among the positional parameters, if any
    activation: str | None = None  # a fused activation parameter: the output is not linear then
    form: str = CLASS
    legacy_bias: str | None = None  # an older name of the bias switch (Keras 1: `bias=`)


BIASED_LAYERS: tuple[BiasedLayer, ...] = (
    # https://keras.io/api/layers/convolution_layers/convolution2d/ (use_bias=True, activation=None)
    BiasedLayer(("keras.layers.", "tensorflow.keras.layers."),
                ("Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D",
                 "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D",
                 "DepthwiseConv1D", "DepthwiseConv2D", "Dense"),
                "use_bias", True, None, "activation", legacy_bias="bias"),  # Keras 1.2: bias=True
    # https://www.tensorflow.org/api_docs/python/tf/compat/v1/layers/conv2d (use_bias=True)
    BiasedLayer(("tensorflow.layers.",), ("conv1d", "conv2d", "conv3d", "conv2d_transpose", "dense"),
                "use_bias", True, None, "activation", FUNCTION),
    # https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html (bias=True)
    BiasedLayer(("torch.nn.",), ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
                                 "ConvTranspose3d", "LazyConv1d", "LazyConv2d", "LazyConv3d"),
                "bias", True, 7),
    # https://pytorch.org/docs/stable/generated/torch.nn.Linear.html (bias=True)
    BiasedLayer(("torch.nn.",), ("Linear", "LazyLinear"), "bias", True, 2),
)


def biased_layer(qualname: str | None) -> BiasedLayer | None:
    if not qualname:
        return None
    name = canonical(qualname)
    for entry in BIASED_LAYERS:
        if name.rpartition(".")[2] in entry.names and any(name.startswith(root) for root in entry.roots):
            return entry
    return None


# ---- API names the rules look for --------------------------------------------------------
# Keras model methods that run inference (https://keras.io/api/models/model_training_apis/).
# Reading a TensorFlow/Keras checkpoint's arrays by name (their BatchNorm statistics carry the
# Keras/TF epsilon convention): the reader constructors, and what is called on a reader.
# https://www.tensorflow.org/api_docs/python/tf/train/load_checkpoint,
# https://www.tensorflow.org/api_docs/python/tf/train/load_variable, https://docs.h5py.org/en/stable/high/file.html
TF_CHECKPOINT_READERS = frozenset({
    "tensorflow.train.load_checkpoint", "tensorflow.train.NewCheckpointReader", "tensorflow.train.load_variable",
    "tensorflow.python.pywrap_tensorflow.NewCheckpointReader",
    "tensorflow.python.training.py_checkpoint_reader.NewCheckpointReader", "h5py.File",
    # every variable of a restored TF1 graph, moving statistics included, read with `sess.run(v)`
    "tensorflow.global_variables", "tensorflow.compat.v1.global_variables", "tensorflow.all_variables",
})
TF_CHECKPOINT_READ_METHODS = frozenset({"get_tensor"})

INFERENCE_METHODS = frozenset({"predict", "evaluate", "predict_on_batch", "predict_step", "test_on_batch"})
# Optimizer methods that build a TF train op (tf.compat.v1.train.Optimizer, Keras optimizers).
TRAIN_OP_METHODS = frozenset({"minimize", "apply_gradients", "compute_gradients"})
# tf.contrib.training / slim helpers that build a train op with the UPDATE_OPS dependency.
# TF1 train-op builders that run the UPDATE_OPS collection themselves unless told otherwise
# (`update_ops=`): slim/contrib `create_train_op`, contrib `optimize_loss`.
TRAIN_OP_BUILDERS = frozenset({"create_train_op", "optimize_loss"})
# Contexts that disable autograd in PyTorch: evaluation code runs under them.
NO_GRAD_CONTEXTS = ("torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad",
                    "torch.autograd.grad_mode.no_grad")
# `torch.set_grad_enabled(False)`: a no_grad context when its argument is False
SET_GRAD_ENABLED = ("torch.set_grad_enabled", "torch.autograd.set_grad_enabled",
                    "torch.autograd.grad_mode.set_grad_enabled")
# Function-name prefixes of evaluation code.
EVALUATION_PREFIXES = ("eval", "valid", "test", "predict", "infer")
# Keras model methods that train the model itself.
OWN_TRAINING_METHODS = frozenset({"compile", "fit", "fit_generator", "train_on_batch"})
# Reshapes whose target shape reads 0 as a zero-size dimension.
RESHAPE_METHODS = frozenset({"reshape", "view"})
RESHAPE_FUNCTIONS = ("tensorflow.reshape", "numpy.reshape", "torch.reshape", "jax.numpy.reshape",
                     "tensorflow.compat.v1.reshape")
KERAS_RESHAPE_LAYERS = ("keras.layers.Reshape", "tensorflow.keras.layers.Reshape")
# Dropout layers whose output shifts BatchNorm's variance (the "variance shift").
VARIANCE_SHIFT_DROPOUTS = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                                     "Dropout1d", "Dropout2d", "Dropout3d"})
# 2-D convolutions: a BN next to them sees 4-D input, which is when Keras 2 picks the fused kernel.
CONVOLUTIONS_2D = frozenset({"Conv2D", "Convolution2D", "Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D",
                             "conv2d", "conv2d_transpose", "separable_conv2d"})


# ---- Words for the text prefilter -------------------------------------------------------
# A rule is run on a file only when the file contains one of the words its findings need: the
# names of the APIs it concerns, taken from the tables above, never hand-picked. Words found
# only inside another kept word are dropped (a text holding "BatchNorm2d" holds "BatchNorm").

def minimal_words(words) -> tuple[str, ...]:
    """The shortest set of words matching every text one of `words` matches (substring test)."""
    unique = sorted(set(words), key=len)
    kept: list[str] = []
    for word in unique:
        if not any(shorter in word for shorter in kept):
            kept.append(word)
    return tuple(sorted(kept))


def api_names(*kinds: str) -> tuple[str, ...]:
    """The last names of the catalogued normalization/dropout APIs of these kinds (all kinds
    when none is given); any call the semantic model resolves to one of them names it."""
    return tuple(name for entry in ENTRIES if not kinds or entry.kind in kinds for name in entry.names)


def biased_layer_names() -> tuple[str, ...]:
    return tuple(name for entry in BIASED_LAYERS for name in entry.names)


# Library functions that are given a PyTorch model and read it without changing its train/eval
# mode: timm's data-config helpers read `model.pretrained_cfg` (timm/data/config.py).
MODE_NEUTRAL_CALLS = ("timm.data.resolve_data_config", "timm.data.resolve_model_data_config",
                      "timm.data.config.resolve_data_config", "timm.data.config.resolve_model_data_config")


# Training contexts: tf.GradientTape (https://www.tensorflow.org/api_docs/python/tf/GradientTape).
TAPE_APIS = ("GradientTape",)
# Where TensorFlow differentiates a training step: a tape, or Keras `optimizer.minimize(loss_fn,
# var_list)` with a loss callable (recorded on a tape of its own).
TRAINING_TAPE_WORDS = TAPE_APIS + ("minimize",)
# Variable collections that hold non-trainable state as well as weights: Keras `.variables`,
# `.weights`, `.non_trainable_*`; TF1 `tf.global_variables()`, `tf.all_variables()`,
# `tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)`.
ALL_VARIABLE_WORDS = ("variables", "weights", "GLOBAL_VARIABLES")
# Where variables are differentiated or updated (`tape.gradient`, `tf.gradients`,
# `apply_gradients`, `compute_gradients`, `minimize`): a variable list a helper of another
# module returns (`params_of(enc, dec)`) reaches one of these without the words above.
VARIABLE_USE_WORDS = ("gradient", "minimize")
# Where a batch size or a single example enters training: Keras `fit(batch_size=)`,
# `train_on_batch`, tf.data `.batch()`, torch `DataLoader` (batch_size defaults to 1),
# `unsqueeze(0)`, `expand_dims`, `x[None]`, TF1 `feed_dict`.
BATCH_SOURCE_WORDS = ("batch", "DataLoader", "unsqueeze", "expand_dims", "None", "feed_dict", "newaxis")
# BatchNorm layers whose statistics and affine parameters are fixed buffers: they normalize the
# same way in training and eval mode, so batch size and mode do not matter to them
# (torchvision/ops/misc.py FrozenBatchNorm2d: "BatchNorm2d where the batch statistics and the
# affine parameters are fixed").
FROZEN_NORM_KEYS = frozenset({"torchvision.FrozenBatchNorm2d"})
# Lightning's command line (lightning.pytorch.cli.LightningCLI, also pytorch_lightning's): its `fit`
# subcommand trains the model class it is given on the DataModule class's train_dataloader()
LIGHTNING_CLI = "LightningCLI"
# Lightning's module classes: Lightning's loops call `.train()` before `training_step` and `.eval()`
# before `validation_step`/`test_step`/`predict_step`, so the module's own code does not switch
# modes (lightning.pytorch loops; https://lightning.ai/docs/pytorch/stable/common/lightning_module.html)
LIGHTNING_MODULES = ("LightningModule",)
# Where training happens in a module: Keras `fit`/`train_on_batch`, PyTorch `backward()`, TF1
# `sess.run(..., feed_dict=)` and `minimize`/`apply_gradients` train ops, custom GradientTape steps.
TRAINING_STEP_WORDS = ("fit", "train_on_batch", "backward", "feed_dict", "minimize", "apply_gradients",
                       "GradientTape")
# BN statistics as the frameworks name them: torch buffers, Keras weights, and the calls that
# read or write a layer's weights wholesale.
# The statistics themselves, as attributes and checkpoint keys name them.
STATISTIC_NAMES = frozenset({"running_mean", "running_var", "moving_mean", "moving_variance"})
STATISTICS_WORDS = ("running_mean", "running_var", "moving_mean", "moving_variance", "get_weights",
                    "set_weights", "state_dict",
                    # a Darknet file's raw arrays given to Keras layers (`BatchNormalization(weights=
                    # bn_list)` of `np.ndarray(..., buffer=f.read(n))`)
                    "fromfile", "frombuffer", "buffer")
# Bases of hand-written TensorFlow networks that are not Keras layers: their `__call__` takes no
# `training` argument (weights as `tf.Variable`s, `tf.matmul`).
PLAIN_TF_MODULE_BASES = ("tensorflow.Module", "tensorflow.compat.v2.Module")
# A layer's statistics attributes name its framework, and so its momentum convention: only
# PyTorch's BatchNorm has `running_var`, only Keras's `moving_variance`.
STATISTIC_ATTRIBUTE_CONVENTIONS = {"running_mean": KEEP_NEW, "running_var": KEEP_NEW, "num_batches_tracked": KEEP_NEW,
                                   "moving_mean": KEEP_OLD, "moving_variance": KEEP_OLD,
                                   # attributes only torch's BatchNorm has (Keras: `epsilon`, `center`/`scale`)
                                   "eps": KEEP_NEW, "affine": KEEP_NEW, "track_running_stats": KEEP_NEW}
# Construction-time training flags: Keras `training=`, and the catalogue's TF1/TensorLayer
# parameters (`is_training`, `is_train`).
def training_flag_words() -> tuple[str, ...]:
    return ("training",) + tuple(entry.training for entry in ENTRIES if entry.training)


def training_by_default_words() -> tuple[str, ...]:
    """The names of the normalization APIs that train unless told otherwise
    (`tf.contrib.layers.batch_norm`'s `is_training=True`): a call that leaves the flag out is
    in training mode, with no flag word in the text."""
    return tuple(entry.key.rpartition(".")[2] for entry in ENTRIES if entry.training_default is True)


# Names under which user code forwards a training-mode flag to its layers (TF1 convention,
# TensorLayer, slim), read as the flag when the model's own code cannot be seen.
TRAINING_FLAG_NAMES = ("is_training", "is_train", "train", "phase_train", "training_mode", "train_mode",
                       "is_training_ph")


# PyTorch evaluation contexts: torch.no_grad / inference_mode, Module.eval(), and evaluation
# functions by name.
# Library objects that run a PyTorch training loop over a DataLoader themselves, with the model in
# training mode: {constructor: (the method given the loader, the model argument's position)}.
# segmentation_models_pytorch/utils/train.py: TrainEpoch.on_epoch_start calls model.train() and
# batch_update calls backward(); ignite.engine.create_supervised_trainer's step calls
# model.train() (https://pytorch.org/ignite/generated/ignite.engine.create_supervised_trainer.html).
# KerasTuner's tuners: `search(x, y, batch_size=...)` passes its arguments to `fit` of the model
# the hypermodel (a `build(hp)` function, the first argument) returns
# (https://keras.io/keras_tuner/api/tuners/random/).
KERAS_TUNERS = frozenset(f"{package}.{name}" for package in ("keras_tuner", "kerastuner", "keras_tuner.tuners")
                         for name in ("RandomSearch", "Hyperband", "BayesianOptimization", "GridSearch"))
# The attributes a built normalization layer keeps its epsilon in (`bn.eps = 1e-3`).
EPSILON_ATTRIBUTES = frozenset({"epsilon", "eps", "variance_epsilon"})
# HuggingFace's Trainer: `Trainer(model, args=TrainingArguments(per_device_train_batch_size=...))`
# `.train()` runs the loop in training mode (https://huggingface.co/docs/transformers/main_classes/trainer).
HF_TRAINERS = frozenset({"transformers.Trainer", "transformers.trainer.Trainer", "transformers.Seq2SeqTrainer"})
LIBRARY_TRAINING_RUNNERS = {
    "segmentation_models_pytorch.utils.train.TrainEpoch": ("run", 0),
    "ignite.engine.create_supervised_trainer": ("run", 0),
}
EVALUATION_WORDS = ("no_grad", "inference_mode", "eval", "valid", "test", "predict", "infer",
                    # a script that loads trained weights and runs the model is an evaluation too
                    "load_state_dict", "load_weights", "load(", "pretrained", "weights")
# Freezing a Keras model or layer (`trainable = False`), and the call argument confused with it.
TRAINABLE_WORDS = ("trainable",)
# How helpers that freeze a model are named where they are called (`freeze(backbone)`,
# `set_frozen(encoder)`, `freeze_bn`, `make_trainable(net, False)`): a freeze done by a helper of
# another module is looked for only through calls so named, which keeps the prefilter sound.
FREEZE_HELPER_WORDS = ("freez", "Freez", "frozen", "Frozen", "trainable", "Trainable")
# PyTorch freezes by gradient flag (`p.requires_grad = False`, `net.requires_grad_(False)`).
REQUIRES_GRAD_WORDS = ("requires_grad",)
# Reshapes: tf/np/torch `reshape`, torch `view`, Keras `Reshape`.
RESHAPE_WORDS = ("reshape", "view", "Reshape")
# Per-channel statistics computed by hand: tf.nn.moments.
MOMENTS_APIS = ("moments",)
