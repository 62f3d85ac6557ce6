"""BN015 zero-dimension-reshape."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule



class ZeroDimensionReshape(Rule):
    """
    ## What it does
    Finds a reshape whose target shape has a literal 0 in a dimension after the first:
    `tf.reshape(x, [n, c, 0, 0])`, `x.view(b, 0)`, `np.reshape(a, (n, 0))`, and a Keras
    `Reshape` layer whose `target_shape` holds a 0 anywhere (it excludes the batch). Shapes
    given as a list or tuple, directly or through a name bound to one, are read; each element
    must be a constant 0 to count.

    A 0 in the *first* dimension is left alone: `boxes.reshape(0, 4)` on an empty detection
    result is a common and correct way to keep an empty tensor's row length. Beside a -1 it is
    reported: `np.array([]).reshape(0, -1)` fails whatever the input (NumPy: "cannot reshape
    array of size 0 into shape (0,newaxis)"; PyTorch: the -1 "can be any value and is
    ambiguous" for 0 elements; any other input has elements that zero rows cannot hold).

    ## Why is this bad?
    TensorFlow, NumPy, PyTorch and JAX read 0 as a dimension of size zero: the reshape either
    fails ("cannot reshape array of size 4096 into shape (1,64,0,0)") or, when the input is
    empty, silently produces an empty tensor. ONNX's and Caffe's Reshape read 0 as "copy this
    dimension from the input"; code ported from those conventions, or written with "1" in
    mind, means something else. A reported case reshaped to `[shape[0], shape[1], 0, 0]` where
    `1, 1` was meant (to broadcast per-channel statistics).

    ## Example
    ```python
    mean = tf.reshape(mean, [shape[0], shape[1], 0, 0])   # BN015
    ```
    Use instead:
    ```python
    mean = tf.reshape(mean, [shape[0], shape[1], 1, 1])
    ```

    ## Fix
    Write 1 for a broadcast dimension, -1 for "infer this one", or the input's own size
    (`tf.shape(x)[i]`, `x.shape[i]`) to keep it.

    **No automatic fix:** whether a 0 meant 1, -1 or the input's own size depends on the data.

    ## Framework versions
    All versions of TensorFlow, Keras, NumPy, PyTorch and JAX.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/reshape
    - https://pytorch.org/docs/stable/generated/torch.reshape.html
    - https://numpy.org/doc/stable/reference/generated/numpy.reshape.html
    - https://onnx.ai/onnx/operators/onnx__Reshape.html (allowzero=0: 0 copies the input dimension)
    """

    code = "BN015"
    name = "zero-dimension-reshape"
    severity = "E"
    summary = "a reshape target shape contains a literal 0 (a zero-size dimension, not 'keep')"
    requires = catalogue.RESHAPE_WORDS

    def check(self, model):
        for call in model.index.calls:
            found = self._target_shape(model, call)
            if found is None:
                continue
            shape, elements, first_counts, what, report_at = found
            # `reshape(0, -1)` fails on every input: zero rows hold no elements, and with no
            # elements the -1 is ambiguous ("cannot reshape array of size 0 into shape (0,newaxis)")
            inferred = any(model.const(e) == -1 for e in elements[1:])
            zeros = [i for i, e in enumerate(elements) if (i > 0 or first_counts or inferred) and _is_zero(model, e)]
            if not zeros:
                continue
            positions = ("positions " if len(zeros) > 1 else "position ") + ", ".join(str(i) for i in zeros[:4])
            positions += ", ..." if len(zeros) > 4 else ""
            # `.view(1, -1, 0, 0)`: the shape is the call's arguments
            shown = (model.text(shape, 25) if not isinstance(shape, ast.Call)
                     else "(" + ", ".join(model.text(e, 25) for e in elements) + ")")
            if len(shown) > 25:
                shown = shown[:22] + "..."
            evidence = []
            if report_at is not None:  # a name bound to the shape elsewhere
                evidence.append((f"`{model.text(report_at, 30)}` is bound to the shape here", shape))
            yield Report(
                report_at if report_at is not None else elements[zeros[0]],
                f"{what} target shape `{shown}` has 0 at {positions}",
                evidence=evidence,
                why="TensorFlow, NumPy and PyTorch read 0 as a zero-size dimension (the reshape fails, or "
                    "empties the tensor), not as 'keep this dimension' the way ONNX/Caffe do.",
                fix_title="Write 1 to broadcast, or -1 to infer the dimension",
            )

    @staticmethod
    def _target_shape(model, call):
        func = call.func
        qual = model.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        shape = None
        first_counts = False
        if qual in catalogue.RESHAPE_FUNCTIONS:
            shape = call.args[1] if len(call.args) > 1 else next(
                (k.value for k in call.keywords if k.arg in ("shape", "newshape")), None)
            what = f"`{model.text(func, 25)}`"
        elif qual is not None and any(qual == k or qual.endswith("." + k) for k in catalogue.KERAS_RESHAPE_LAYERS):
            shape = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "target_shape"), None)
            first_counts = True
            what = "Reshape layer"
        elif isinstance(func, ast.Attribute) and func.attr in catalogue.RESHAPE_METHODS and qual is None:
            if _module_object(model, func.value):
                return None  # a class of this module with its own view()/reshape()
            if len(call.args) == 1:
                shape = call.args[0]
            elif len(call.args) > 1 and not any(isinstance(a, ast.Starred) for a in call.args):
                elements = list(call.args)
                return call, elements, False, f"`.{func.attr}()`", None
            what = f"`.{func.attr}()`"
        else:
            return None
        given = shape
        if isinstance(shape, ast.Name):
            binding = model.values.binding_of(shape)
            if binding is not None and binding.kind in ("assign", "annassign") and \
                    isinstance(binding.value, (ast.List, ast.Tuple)):
                shape = binding.value
        if not isinstance(shape, (ast.List, ast.Tuple)) or any(isinstance(e, ast.Starred) for e in shape.elts):
            return None
        return shape, list(shape.elts), first_counts, what, given if given is not shape else None


def _module_object(model, receiver) -> bool:
    """An instance (or call) of a class defined in this module: its methods are its own."""
    if isinstance(receiver, ast.Call):
        target = model.models._local_definition(receiver.func, model.index.scope_of(receiver))
        return isinstance(target, ast.ClassDef)
    if isinstance(receiver, ast.Name):
        return model.models.instance_class(receiver) is not None
    return False


def _is_zero(model, element) -> bool:
    """A 0 written in the code: a literal, a constant expression, or a module/function constant
    bound to one; not a parameter whose value comes from its callers (a window size of 0 means
    "no windows" in code that checks it before reshaping)."""
    if any(isinstance(n, ast.Name) and _is_parameter(model, n) for n in ast.walk(element)):
        return False
    if isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name) and element.value.id == "self":
        return False
    value = model.const(element)
    return type(value) is int and value == 0


def _is_parameter(model, name) -> bool:
    binding = model.values.binding_of(name)
    return binding is not None and binding.kind == "param"
