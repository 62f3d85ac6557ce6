"""BN011 axis-layout-mismatch."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule

from bnlint.semantic.layouts import CONVOLUTIONS, FIRST as _FIRST, LAST as _LAST


# Layers whose output has its features on the last axis, whatever the image layout.
_FLAT_OUTPUTS = {"Dense", "Flatten", "LSTM", "GRU", "SimpleRNN", "Embedding"}
# Layers that may move the axes (`Permute((3, 1, 2))`, `Lambda(lambda x: K.permute_dimensions(...))`):
# after them the module's layout says nothing about where the channels are.
_REARRANGING = {"Permute", "Reshape", "Lambda", "transpose", "permute_dimensions"}
# Layers that pass their input's layout on unchanged.
_LAYOUT_PRESERVING = {"Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Dropout", "AlphaDropout",
                      "GaussianDropout", "GaussianNoise"}

class AxisLayoutMismatch(Rule):
    """
    ## What it does
    Finds a BatchNorm whose channel axis disagrees with the data layout of the layers around
    it (the same `Sequential` list, or the same function/class/module):
    - Keras/TF1 BN with `axis=-1` (the default) or `axis=3` among convolutions/poolings that all
      say `data_format="channels_first"`, or right after a convolution that says so (through
      activations and dropout), whatever the layers further on use;
    - BN with `axis=1` among 2-D/3-D convolutions that are all channels-last (explicitly, or by
      default when the module never changes the image data format);
    - `tf.nn.moments(x, axes=[0, 1, 2])` (per-channel statistics of NHWC data) in a function
      whose convolutions are NCHW, or `axes=[0, 2, 3]` with NHWC convolutions.
    The layout comes from the shared layout analysis: `data_format=` on the layers, else the
    module's `set_image_data_format(...)` / Keras 1 `set_image_dim_ordering("th")`, else the
    input shape of the layer's own graph (`Input(shape=(3, 224, 224))` is channels-first; a
    single channel at one end says so only for a square image: `(1, 16, 1024)` is 1024
    channels), else
    the framework default (channels_last). A helper that adds its layers to a model it is given
    (`def pilotnet(model): model.add(BatchNormalization(axis=1))`) takes the input shape of the
    models its callers pass (`Sequential()` with `Cropping2D(input_shape=(160, 320, 3))`, in
    this module or another). A layout or axis that is not a constant means no
    finding. PyTorch's BN always uses axis 1 and is not concerned. A BatchNorm fed by a
    `Dense`, `Flatten`, global pooling or recurrent layer (through activations and dropout)
    normalizes features on the last axis whatever the image layout, so its default axis is right
    and it is not reported.

    ## Why is this bad?
    BatchNorm keeps one mean and variance per channel along its axis. On the wrong axis it
    normalizes per column of the image (or per row) instead of per channel: the layer has as
    many statistics as the image is wide, mixes all channels together, fails outright when the
    width differs from the channel count at build time, or, worse, silently works when they
    happen to be equal. A reported case computes per-channel moments of NCHW tensors; with the
    axes of NHWC data the statistics would be per pixel row.

    ## Example
    ```python
    x = layers.Conv2D(64, 3, data_format="channels_first")(x)
    x = layers.BatchNormalization()(x)          # BN011: axis=-1 is the width here
    ```
    Use instead: `layers.BatchNormalization(axis=1)`.

    ## Fix
    Use the channel axis of the layout: `axis=1` for channels-first/NCHW, `axis=-1` for
    channels-last/NHWC; for moments, reduce over every axis except the channel one.

    **No automatic fix:** which side is wrong, the axis or the data layout, is the author's call.

    ## Framework versions
    All versions of Keras (2 and 3) and TensorFlow (TF1 `tf.layers`, `tf.nn`).

    ## References
    - https://keras.io/api/layers/normalization_layers/batch_normalization/ (axis: "the axis that should be normalized (typically the features axis)... after a Conv2D layer with data_format='channels_first', use axis=1")
    - https://www.tensorflow.org/api_docs/python/tf/nn/moments (axes for batch normalization: [0, 1, 2] for NHWC)
    """

    code = "BN011"
    name = "axis-layout-mismatch"
    severity = "E"
    summary = "the BatchNorm channel axis disagrees with the data layout (channels_first vs channels_last)"
    requires = catalogue.minimal_words(catalogue.api_names(catalogue.BATCH) + catalogue.MOMENTS_APIS)

    def check(self, model):
        producers = {}  # layer construction -> the constructions that feed it
        for edge in model.sequences.edges:
            producers.setdefault(edge.consumer, []).append(edge.producer)
        for site in model.norm_sites:
            if site.api.kind != catalogue.BATCH or site.api.axis is None or site.api.framework not in (
                    "keras", "tf.keras", "tf1"):
                continue
            if site.opaque or self._after_flat_features(model, site.call, producers):
                continue
            expr = site.arg(site.api.axis)
            axis = model.const(expr, site.scope) if expr is not None else site.api.axis_default
            if not isinstance(axis, int) or isinstance(axis, bool):
                continue
            # the convolution that feeds it says its layout first (`Conv2D(..., data_format=
            # "channels_first")` then `BatchNormalization()`, whatever the layers after do)
            found = self._producer_layout(model, site.call, producers) or self._layout(model, site)
            if found is None:
                continue
            layout, how, example = found
            if layout == "first" and axis in (-1, 3):
                expected, shown = 1, "channels_first"
            elif layout == "last" and axis == 1 and how in ("explicit", "module", "input", "passed"):
                expected, shown = -1, "channels_last"
            else:
                continue
            if how == "passed":  # (the input shape of the model a caller hands the helper)
                example, shape_text = example
                label = f"the model passed in is {shown}: input shape `{shape_text}`"
            else:
                label = {"explicit": f"`{model.text(example, 30)}` is {shown}",
                         "module": f"the module sets {shown} for every layer here",
                         "input": f"the input is {shown}: shape `{model.text(example, 40)}`"}[how]
            where = {"explicit": f"the layers around it are {shown}",
                     "module": f"the module sets {shown} for every layer",
                     "input": f"its input is {shown}",
                     "passed": f"the model handed to the helper that adds it has a {shown} input"}[how]
            yield Report(
                expr if expr is not None else site.call,
                f"{site.display} normalizes over axis {axis}, but the data is {shown}",
                evidence=[(f"{site.display} built here", site.call), (label, example)],
                why=f"{where[0].upper()}{where[1:]}, so the channels are on axis {expected}: normalizing over "
                    f"axis {axis} gives statistics per {'column' if axis in (-1, 3) else 'row'} of the feature "
                    f"map, not per channel.",
                fix_title=f"Pass `axis={expected}`",
            )
        yield from self._moments(model)

    @staticmethod
    def _after_flat_features(model, call, producers) -> bool:
        """The BatchNorm normalizes the output of a `Dense`, `Flatten`, global pooling or
        recurrent layer (through activations and dropout): features on the last axis whatever the
        image layout, so the default axis=-1 is right there. Also after a `Permute`, `Reshape` or
        `Lambda`, which may have moved the channels anywhere."""
        before = producers.get(call, [])
        return len(before) == 1 and AxisLayoutMismatch._flat_output(model, before[0], producers, 0)

    @staticmethod
    def _flat_output(model, current, producers, depth: int) -> bool:
        """`current`'s output has its features on the last axis: a flat layer, through
        activations, dropout and batch norms; a merge (`concatenate([x1, x2])`) of flat outputs."""
        for _ in range(6):
            name = (model.qualname(current.func) or "").rpartition(".")[2] if isinstance(
                current.func, (ast.Name, ast.Attribute)) else ""
            if name in _FLAT_OUTPUTS or name.startswith(("GlobalAverage", "GlobalMax", "GlobalAvg")):
                return True
            if name in _REARRANGING:
                return True  # axes moved by hand: the layout of the layers around says nothing here
            if name in catalogue.KERAS_MERGES and depth < 3:  # flat when every input is
                inputs = producers.get(current, [])
                return bool(inputs) and all(AxisLayoutMismatch._flat_output(model, p, producers, depth + 1)
                                            for p in inputs)
            if name not in _LAYOUT_PRESERVING and name != "BatchNormalization":
                return False
            before = producers.get(current, [])
            if len(before) != 1:
                return False
            current = before[0]
        return False

    @staticmethod
    def _producer_layout(model, call, producers):
        """("first"/"last", "explicit", the layer) when the layer feeding the BatchNorm (through
        activations, dropout and pooling) is a convolution that states its `data_format`."""
        current = call
        for _ in range(6):
            before = producers.get(current, [])
            if len(before) != 1:
                return None
            current = before[0]
            name = (model.qualname(current.func) or "").rpartition(".")[2] if isinstance(
                current.func, (ast.Name, ast.Attribute)) else ""
            if name in CONVOLUTIONS:
                layout, how = model.layouts.layer_format(current)
                return (layout, "explicit", current.func) if layout is not None and how == "explicit" else None
            if name not in _LAYOUT_PRESERVING:
                return None
        return None

    @staticmethod
    def _layout(model, site):
        """(layout, how it is known, evidence) for the data around a BN layer: its Sequential list
        or its function; None when the layers disagree or nothing says."""
        parent = model.index.parents.get(site.call)
        if isinstance(parent, (ast.List, ast.Tuple)):
            calls = [e for e in parent.elts if isinstance(e, ast.Call)]
        elif isinstance(site.scope.node, ast.Module):
            calls = model.models._module_level_calls()
        else:
            calls = model.models.calls_within(site.scope.node)
        layouts = model.layouts
        found = []
        for other in calls:
            qual = model.qualname(other.func) if isinstance(other.func, (ast.Name, ast.Attribute)) else None
            if qual and qual.startswith(("tensorflow", "keras")) and qual.rpartition(".")[2] in CONVOLUTIONS:
                found.append((*layouts.layer_format(other), other))
        if not found:
            return None
        formats = {fmt for fmt, _how, _call in found}
        if None in formats or len(formats) != 1:
            return None
        explicit = [(fmt, how, call) for fmt, how, call in found if how == "explicit"]
        if explicit:
            return explicit[0][0], "explicit", explicit[0][2].func
        if found[0][1] == "module":
            return found[0][0], "module", layouts.module_default[1]
        # (the inputs of the graph the layer is in, else a script's module-level inputs: not the
        # inputs another function builds for another model)
        implied = layouts.input_layout(calls) or layouts.input_layout(model.models._module_level_calls())
        if implied is not None:
            return implied[0], "input", implied[1]
        passed = layouts.passed_model_layout(site.call)  # a helper adding layers to its caller's model
        if passed is not None:
            return passed[0], "passed", passed[1:]
        return found[0][0], "default", found[0][2].func

    # ---- tf.nn.moments --------------------------------------------------------------------
    def _moments(self, model):
        for call in model.index.calls:
            if model.qualname(call.func) not in ("tensorflow.nn.moments", "tensorflow.compat.v1.nn.moments"):
                continue
            axes_expr = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "axes"), None)
            axes = model.const(axes_expr)
            if not isinstance(axes, tuple) or sorted(axes) not in ([0, 1, 2], [0, 2, 3]):
                continue
            function = model.index.enclosing_function(call)
            if function is None:
                continue
            layouts = []
            for other in model.models.calls_within(function):
                qual = model.qualname(other.func) if isinstance(other.func, (ast.Name, ast.Attribute)) else None
                given = next((k.value for k in other.keywords if k.arg == "data_format"), None)
                if qual and qual.startswith("tensorflow") and given is not None:
                    value = model.const(given)
                    layouts.append(("first" if value in _FIRST else "last" if value in _LAST else None, other))
            formats = {fmt for fmt, _ in layouts}
            if len(formats) != 1 or None in formats:
                continue
            layout = formats.pop()
            wrong = (layout == "first" and sorted(axes) == [0, 1, 2]) or (layout == "last" and sorted(axes) == [0, 2, 3])
            if not wrong:
                continue
            right = "[0, 2, 3]" if layout == "first" else "[0, 1, 2]"
            example = layouts[0][1]
            data, other = ("NCHW", "NHWC") if layout == "first" else ("NHWC", "NCHW")
            yield Report(
                axes_expr,
                f"`tf.nn.moments` reduces over axes {list(axes)}, but this function's data is {data}",
                evidence=[(f"`{model.text(example.func, 30)}` sets the {data} layout here", example)],
                why=f"Axes {list(axes)} are the per-channel axes of {other} data: on {data} data the "
                    f"statistics are not per channel.",
                fix_title=f"Pass `axes={right}`",
            )
