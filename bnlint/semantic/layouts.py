"""Data layouts: whether the tensors around a layer are channels-first or channels-last.

In order of evidence:
1. a `data_format=` written on the convolution/pooling layers;
2. the module's `keras.backend.set_image_data_format(...)` (or Keras 1's
   `set_image_dim_ordering("th"/"tf")`), which sets the default for every layer after it;
3. the input shape the model is built for: `Input(shape=(3, 224, 224))` or
   `input_shape=(1, 28, 28)` puts a channel-sized first dimension (1, 3 or 4) before two
   spatial ones, which only a channels-first model reads that way (Keras 1 with Theano's "th"
   ordering set in keras.json);
4. the framework default: channels_last for Keras and tf.layers
   (https://keras.io/api/layers/convolution_layers/convolution2d/: data_format defaults to
   `image_data_format()`, "channels_last" unless configured).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import SemanticModel

FIRST = {"channels_first", "NCHW", "NCDHW", "NCW", "th"}
LAST = {"channels_last", "NHWC", "NDHWC", "NWC", "tf"}
CONVOLUTIONS = {"Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D", "Conv2DTranspose",
                "Conv3DTranspose", "SeparableConv2D", "DepthwiseConv2D", "MaxPooling2D", "AveragePooling2D",
                "MaxPool2D", "AvgPool2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "ZeroPadding2D",
                "UpSampling2D", "conv2d", "conv2d_transpose", "max_pooling2d", "average_pooling2d",
                "separable_conv2d"}
_CHANNEL_SIZES = {1, 3, 4}


_CHANNEL_NAMES = {"channels", "channel", "n_channels", "num_channels", "nb_channels", "img_channels", "image_channels",
                  "input_channels", "in_channels", "c", "ch", "nc", "n_c", "chans"}
_SPATIAL_NAMES = {"height", "width", "h", "w", "rows", "cols", "img_rows", "img_cols", "img_height", "img_width",
                  "image_height", "image_width", "img_h", "img_w", "size", "img_size", "image_size", "input_size",
                  "resolution", "dim", "side"}


def _named_layout(shape: ast.AST) -> str | None:
    """The layout a shape spelled with names says: `(height, width, channels)` is channels-last,
    `(channels, height, width)` channels-first; None when the names do not say it."""
    if not isinstance(shape, (ast.Tuple, ast.List)) or len(shape.elts) not in (3, 4):
        return None
    names = [(e.id if isinstance(e, ast.Name) else e.attr if isinstance(e, ast.Attribute) else "").lower()
             for e in shape.elts[-3:]]
    if names[-1] in _CHANNEL_NAMES and all(n in _SPATIAL_NAMES for n in names[:2]):
        return "last"
    if names[0] in _CHANNEL_NAMES and all(n in _SPATIAL_NAMES for n in names[1:]):
        return "first"
    return None


def layout_name(value) -> str | None:
    if value in FIRST:
        return "first"
    if value in LAST:
        return "last"
    return None


class Layouts:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self.index = model.index
        self.module_default = self._module_default()

    def _module_default(self) -> tuple[str | None, ast.Call | None] | None:
        """The layout the module sets for every layer, with the call setting it; None when it
        sets none, (None, call) when it sets one bnlint cannot read."""
        found = None
        for call in self.index.calls:
            func = call.func
            # (`K.set_image_data_format(...)`, or the function imported by name:
            # `from keras.backend import set_image_dim_ordering`)
            name = func.attr if isinstance(func, ast.Attribute) else (
                (self.model.qualname(func) or "").rpartition(".")[2] if isinstance(func, ast.Name) else None)
            if name not in ("set_image_data_format", "set_image_dim_ordering") or (
                    isinstance(func, ast.Name) and not (self.model.qualname(func) or "").startswith(
                        ("keras.", "tensorflow."))):
                continue
            value = layout_name(self.model.const(call.args[0])) if call.args else None
            if found is not None and found[0] != value:
                return (None, call)
            found = (value, call)
        return found

    def layer_format(self, call: ast.Call) -> tuple[str | None, str]:
        """A convolution's layout and how it is known: "explicit", "module" or "default"."""
        if any(k.arg is None for k in call.keywords):
            return None, "unknown"
        given = next((k.value for k in call.keywords if k.arg == "data_format"), None)
        if given is not None:
            return layout_name(self.model.const(given)), "explicit"
        if self.module_default is not None:
            return self.module_default[0], "module"
        return "last", "default"

    def input_layout(self, calls: list[ast.Call]) -> tuple[str, ast.AST] | None:
        """The layout an input shape among `calls` implies: (3, 224, 224) -> first,
        (224, 224, 3) -> last; None when no shape says it clearly or the shapes disagree."""
        found = []
        for call in calls:
            qual = self.model.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else ""
            shape = None
            for keyword in call.keywords:
                if keyword.arg in ("input_shape", "shape", "batch_input_shape"):
                    shape = keyword.value
            if shape is None and (qual or "").rpartition(".")[2] == "Input" and call.args:
                shape = call.args[0]
            if shape is None:
                continue
            value = self.model.const(shape)
            # (names only on a Keras model's input: `np.ndarray(shape=(filters, channels, size,
            # size))` is a convolution kernel)
            keras_input = (qual or "").rpartition(".")[2] == "Input" or any(
                k.arg in ("input_shape", "batch_input_shape") for k in call.keywords)
            named = _named_layout(shape) if keras_input else None
            if named is not None:
                found.append((named, shape))  # `input_shape=(height, width, channels)`
                continue
            if not isinstance(value, tuple) or not all(isinstance(v, int) or v is None for v in value):
                continue
            dims = [v for v in value if v is not None] if len(value) == 3 else list(value[-3:]) if len(value) > 3 else []
            if len(dims) != 3 or not all(isinstance(d, int) for d in dims):
                continue
            first, middle, last = dims
            # (a single channel is also a singleton axis of other data, `(1, 16, 1024)` noise of
            # 1024 channels: only a square image says which end holds it)
            if first in _CHANNEL_SIZES and all(d >= 8 for d in dims[1:]) and (first != 1 or middle == last):
                found.append(("first", shape))
            elif last in _CHANNEL_SIZES and all(d >= 8 for d in dims[:2]) and (last != 1 or first == middle):
                found.append(("last", shape))
        if not found or len({layout for layout, _shape in found}) != 1:
            return None
        return found[0]

    def passed_model_layout(self, layer: ast.Call) -> tuple[str, object, str] | None:
        """For a layer a helper adds to a model it is given (`def Nvidia(model):
        model.add(BatchNormalization(axis=1))`, called as `Nvidia(model)` on a `Sequential` whose
        first layer says `input_shape=(160, 320, 3)`): the layout that input shape implies, the
        place of the shape (in the caller's module), and its text. None when the callers' models
        have no clear input shape or disagree."""
        model = self.model
        add = model.index.parents.get(layer)
        if not (isinstance(add, ast.Call) and isinstance(add.func, ast.Attribute) and add.func.attr == "add"
                and isinstance(add.func.value, ast.Name)):
            return None
        binding = model.values.binding_of(add.func.value, model.index.scope_of(add))
        if binding is None or binding.kind != "param":
            return None
        passed = [(model, argument) for call, argument, _scope in model.values.parameter_arguments(binding) or []
                  if call is not None]
        if not passed:
            passed = [(other, argument) for other, _call, argument in model.values.external_arguments(binding) or []]
        found = set()
        example = None
        for other, argument in passed[:6]:
            if not isinstance(argument, ast.Name):
                return None
            layers = _layers_given_to(other, argument)
            implied = other.layouts.input_layout(layers) if layers else None
            if implied is None:
                return None
            found.add(implied[0])
            if example is None:
                shape = implied[1]
                place = shape if other is model else model.project.foreign(shape, other)
                value = other.const(shape)
                text = other.text(shape, 40)
                example = (place, text if not isinstance(value, tuple) or text.startswith("(")
                           else f"{text} = {value}")
        if len(found) != 1 or example is None:
            return None
        return found.pop(), *example


def _layers_given_to(model, name: ast.Name) -> list[ast.Call]:
    """The layer constructions a caller gives the Sequential model `name` holds: the list of
    `Sequential([...])` and each `name.add(Layer(...))` in the scope it is bound in."""
    binding = model.values.binding_of(name, model.index.scope_of(name))
    if binding is None or binding.kind not in ("assign", "annassign") or not isinstance(binding.value, ast.Call):
        return []
    made = binding.value
    layers = [e for arg in made.args[:1] if isinstance(arg, (ast.List, ast.Tuple)) for e in arg.elts
              if isinstance(e, ast.Call)]
    for call in model.index.calls:
        func = call.func
        if (isinstance(func, ast.Attribute) and func.attr == "add" and isinstance(func.value, ast.Name)
                and func.value.id == name.id and call.args and isinstance(call.args[0], ast.Call)
                and model.values.binding_of(func.value, model.index.scope_of(call)) is binding):
            layers.append(call.args[0])
    return layers

