"""BN001 non-positive-epsilon."""

from __future__ import annotations

import ast

from bnlint import catalogue
from bnlint.rule import Report, Rule, clip, fix, within
from bnlint.semantic import UNKNOWN, is_number
from bnlint.semantic.models import declared_norm, layer_ref, norm_named_parameter
from bnlint.semantic.values import none_defaulted_name

EPSILON_ATTRIBUTES = catalogue.EPSILON_ATTRIBUTES

_WHY = ("Batch normalization divides by `sqrt(variance + {eps})`; epsilon exists to keep that denominator away "
        "from zero. With epsilon <= 0, normalizing a channel whose variance is small divides by zero or takes the "
        "square root of a negative number: the outputs become inf or NaN.")

_FRAMEWORK_NAMES = {"keras": "Keras", "tf.keras": "Keras", "tf1": "TensorFlow", "tf.nn": "TensorFlow",
                    "torch": "PyTorch", "torchvision": "torchvision", "flax": "Flax", "haiku": "Haiku",
                    "tensorlayer": "TensorLayer", "paddle": "Paddle", "mxnet": "MXNet", "mindspore": "MindSpore"}


class NonPositiveEpsilon(Rule):
    """
    ## What it does
    Finds normalization layers and ops whose epsilon is zero or negative: a literal, a
    constant expression, a name or parameter default bound to one, a module constant read
    inside a function, or a layer's `.epsilon`/`.eps` assigned, augmented (`+=`, `-=`) or set
    with `setattr` to a value <= 0; also the epsilon a builder is given for the layers it makes
    (`partial(nn.BatchNorm2d, eps=0)` as `norm_layer=`, timm's `bn_eps=`, a config class's field
    of another module). A helper's epsilon parameter is reported when any call, in this module
    or another, passes it a value <= 0 (`conv_bn(x, 32, bn_eps=BN_EPSILON)` with `BN_EPSILON =
    0.` in a constants module), whatever other calls pass, also through builder functions that
    hand their own parameter on (`backbone34(norm_eps=0.0)` in another module, with `def
    backbone34(norm_eps=1e-5): return Backbone(..., norm_eps=norm_eps)`); also when the helper fills in a
    default for None (`eps=1e-5 if eps is None else eps`) and hands it on through `**kwargs` to
    the helper that builds the layer (`lambda w: norms.norm2d(w, opts, eps=0)`). The layer may be one the module
    builds, or one the code declares to be a BatchNorm: a parameter annotated with a BatchNorm class, or a name checked
    with `isinstance(m, nn.BatchNorm2d)` around the assignment. A parameter only named for one
    (`def merge_batch_norm(modules, batch_norm): batch_norm.eps = 0.`, `bn`, `conv_bn`) in a
    module that imports a deep-learning framework is reported as a warning: the name is the
    only evidence of its type.

    An epsilon of 0 that the code uses to mean "no normalization" is left alone: a layer built
    only under a guard that the value fails (`if self.bn_epsilon != 0: x =
    BatchNormalization(epsilon=self.bn_epsilon)(x)`, also `if eps:` or `if eps > 0:`). So is a
    layer on a branch the same configuration rules out (`if cfg["kind"] == "group":
    nn.GroupNorm(8, c, eps=cfg["eps"])` with `"kind": "batch"`): the layer the configuration does
    build is the one reported.

    ## Why is this bad?
    Batch normalization computes `(x - mean) / sqrt(variance + epsilon)`. Epsilon exists to
    keep that denominator away from zero; with epsilon <= 0, a channel whose variance is small
    divides by zero or takes the square root of a negative number, giving inf or NaN. Some
    kernels hide it: TensorFlow's fused kernel silently raises epsilon to 1.001e-5 (see BN012),
    so the same model behaves differently on another code path. In a reported case a
    metamorphic test did `layer.epsilon += delta` with `delta = -1`: the outputs differed by
    about 4497 from the expected ones.

    ## Example
    ```python
    delta = -1
    model.layers[1].epsilon += delta          # 1e-3 + (-1) < 0
    bn = tf.keras.layers.BatchNormalization(epsilon=0.0)
    ```
    Use instead:
    ```python
    bn = tf.keras.layers.BatchNormalization(epsilon=1e-3)
    ```

    ## Fix
    Keep epsilon strictly positive: 1e-3 (Keras default) or 1e-5 (PyTorch default). To move
    mass between variance and epsilon, clamp: `layer.epsilon = max(layer.epsilon + delta, 1e-5)`.

    **Automatic fix (unsafe):** a literal epsilon <= 0 becomes the framework's default (`1e-05` in
    PyTorch, `0.001` in Keras), where it is written: at the call, in a `functools.partial`, or in
    the `**kwargs` dict. Unsafe because the author may have meant another small positive value.
    A value read from a config, a parameter or an arithmetic change (`epsilon -= delta`) is not
    rewritten.

    ## Framework versions
    All versions of TensorFlow/Keras, PyTorch, Flax, Haiku, TensorLayer, Paddle, MXNet and
    MindSpore. TF's fused kernel floor (1.001e-5) applies to TF 1.x and Keras 2.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/keras/layers/BatchNormalization
    - https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
    - https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/ops/nn_impl.py (fused_batch_norm: min_epsilon)
    """

    code = "BN001"
    name = "non-positive-epsilon"
    severity = "E"
    fix_applicability = "unsafe"
    summary = "a normalization layer gets epsilon <= 0"
    requires = catalogue.minimal_words(
        catalogue.api_names(catalogue.BATCH, catalogue.LAYER, catalogue.GROUP, catalogue.INSTANCE) + ("eps",))

    def check(self, model):
        yield from self._construction_sites(model)
        yield from self._attribute_writes(model)

    # ---- BatchNormalization(epsilon=...) --------------------------------------------------
    def _construction_sites(self, model):
        for site in (*model.norm_sites, *model.factory_sites):
            expr = site.arg(site.api.epsilon)
            if expr is None:
                continue
            value = model.const(expr, site.scope)
            evidence = []
            if value is UNKNOWN:  # a helper's parameter: what its call sites pass
                value, evidence = _through_callers(model, expr, site.scope)
            if value is False and within(expr, site.call) and expr in site.call.args:
                # `nn.BatchNorm2d(16, False)` meant as affine=False: the second positional parameter
                # is eps, and False is 0 to the arithmetic
                yield Report(
                    expr,
                    f"{clip(site.display, 40)} gets {site.api.epsilon}=False (0): its second positional "
                    f"parameter is {site.api.epsilon}, not affine",
                    evidence=[(f"{site.display} built here", site.call)],
                    why=_WHY.format(eps=site.api.epsilon),
                    fix_title="Pass `affine=False` (or whichever flag was meant) by keyword",
                )
                continue
            if not is_number(value) or value > 0:
                continue
            if within(expr, site.call) and model.values.guarded_against(site.call, expr, value) is not None:
                continue  # `if self.bn_epsilon != 0: BatchNormalization(epsilon=self.bn_epsilon)`: 0 means "no BN"
            if model.values.ruled_out(site.call) is not None:
                continue  # `if cfg.kind == "group": GroupNorm(eps=cfg.eps)` with `kind: batch` in the config
            # a value written outside the layer's call (a `**kwargs` entry of the caller) is read in
            # the scope where it is written
            value_scope = site.scope if within(expr, site.call) or expr not in model.index.parents \
                else model.index.scope_of(expr)
            evidence = evidence or _value_evidence(model, expr, value_scope)
            node = expr
            if hasattr(expr, "bnlint_path"):  # a **kwargs dict of a configuration file
                node = site.call
                evidence.insert(0, (f"`{site.api.epsilon}` given there", expr))
            elif not within(expr, site.call):
                # from a `partial(nn.BatchNorm2d, eps=0)` or a `**kwargs` dict: reported where the
                # value is written (once for all the layers built with it), the layers as evidence
                evidence.insert(0, (f"{site.display} built with it here", site.call))
            else:
                evidence.insert(0, (f"{site.display} built here", site.call))
            yield Report(
                node,
                f"{clip(site.display, 40)} gets {site.api.epsilon}={_fmt(value)}; epsilon must be > 0",
                evidence=evidence,
                why=_WHY.format(eps=site.api.epsilon),
                fix_title=_fix_title(site.api, site.api.epsilon),
                fix=_default_epsilon(expr, site.api, site.api.epsilon),
            )

    # ---- layer.epsilon = / += / -= / setattr -----------------------------------------------
    def _attribute_writes(self, model):
        for node in model.index.assigns:
            if isinstance(node, ast.AugAssign):
                target = node.target
                if isinstance(target, ast.Attribute) and target.attr in EPSILON_ATTRIBUTES and isinstance(
                        node.op, (ast.Add, ast.Sub)):
                    yield from self._augmented(model, node, target)
            else:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr in EPSILON_ATTRIBUTES and node.value is not None:
                        yield from self._assigned(model, node, target.value, target.attr, node.value, target)
        for call in model.index.calls:
            if (isinstance(call.func, ast.Name) and call.func.id == "setattr" and len(call.args) == 3
                    and model.qualname(call.func) == "builtins.setattr"):
                name = model.const(call.args[1])
                if name in EPSILON_ATTRIBUTES:
                    yield from self._assigned(model, call, call.args[0], name, call.args[2], call)

    def _assigned(self, model, node, owner, attr, value_expr, report_node):
        ref = layer_ref(model.models, owner)
        declared = declared_norm(model.models, owner) if ref is None else None
        # `def merge_batch_norm(modules, batch_norm): batch_norm.eps = 0.`: only the name says
        # it is a batch norm layer, so the finding is a warning
        named = norm_named_parameter(model.models, owner) if ref is None and declared is None else None
        if ref is None and declared is None and named is None:
            return
        value = model.const(value_expr)
        if not is_number(value) or value > 0:
            return
        if ref is None:
            how, where = declared or named  # `def fold(bn: nn.BatchNorm2d): bn.eps = 0`
            yield Report(
                report_node,
                f"`{model.text(owner, 30)}.{attr}` is set to {_fmt(value)}; epsilon must be > 0",
                evidence=[(f"`{model.text(owner, 30)}` is a BatchNorm layer: {how}", where),
                          *_value_evidence(model, value_expr, None)],
                why=_WHY.format(eps="epsilon"),
                fix_title="Keep epsilon > 0, e.g. the framework's default",
                severity="W" if declared is None else None,
            )
            return
        evidence = _layer_evidence(model, owner, ref)
        evidence += [(f"{s.display} built here", s.call) for s in ref.sites[:2] if s.call is not ref.origin]
        evidence += _value_evidence(model, value_expr, None)
        yield Report(
            report_node,
            f"`{model.text(owner, 30)}.{attr}` is set to {_fmt(value)}; epsilon must be > 0",
            evidence=evidence,
            why=_WHY.format(eps="epsilon"),
            fix_title=_fix_title(ref.sites[0].api, attr) if ref.sites else "Keep epsilon > 0, e.g. 1e-5",
            fix=_default_epsilon(value_expr, ref.sites[0].api, attr) if ref.sites else None,
        )

    def _augmented(self, model, node, target):
        ref = layer_ref(model.models, target.value)
        if ref is None or not ref.sites:
            return
        delta = model.const(node.value)
        if not is_number(delta):
            return
        if isinstance(node.op, ast.Sub):
            delta = -delta
        # The largest epsilon the layer can have: an upper bound keeps the finding certain.
        bases = []
        for site in ref.sites:
            expr = site.arg(site.api.epsilon)
            base = model.const(expr, site.scope) if expr is not None else site.api.epsilon_default
            if not is_number(base):
                return
            bases.append(base)
        base = max(bases)
        if base + delta > 0:
            return
        op = "+=" if isinstance(node.op, ast.Add) else "-="
        evidence = [(f"{s.display} built here with epsilon {_fmt(b)}", s.call) for s, b in zip(ref.sites, bases)][:2]
        evidence += _value_evidence(model, node.value, None)
        change = f"{'+' if delta >= 0 else '-'} {_fmt(abs(delta))}"
        yield Report(
            node,
            f"`{model.text(target, 35)} {op} {model.text(node.value, 12)}` makes epsilon {_fmt(base + delta)} <= 0",
            evidence=evidence,
            why=f"The layer's epsilon is at most {_fmt(base)}, so it becomes {_fmt(base)} {change} = "
                f"{_fmt(base + delta)}. " + _WHY.format(eps="epsilon"),
            fix_title=f"Keep epsilon > 0: `{target.attr} = max({target.attr} {op[0]} "
                      f"{model.text(node.value, 12)}, 1e-5)`",
        )


def _through_callers(model, expr, scope):
    """For a parameter passed on as epsilon: the smallest value a call site gives it (in this
    module or another), with that call as evidence. One call passing eps <= 0 is the bug, so
    calls whose value cannot be read do not hide it."""
    expr = none_defaulted_name(expr) or expr  # `1e-5 if eps is None else eps`: what the callers give
    if not isinstance(expr, ast.Name):
        return UNKNOWN, []
    if expr in model.index.parents:
        # (a `**kwargs` entry written by the helper that calls the one building the layer is
        # read in its own function)
        scope = model.index.scope_of(expr)
    binding = model.values.binding_of(expr, scope)
    if binding is None or binding.kind != "param":
        return UNKNOWN, []
    worst, evidence = UNKNOWN, []
    for site in model.values.forwarded_argument_sites(binding):
        value = site.const()
        if not is_number(value):
            continue
        if worst is UNKNOWN or value < worst:
            worst = value
            how = f"`{site.text(40)}` passes {_fmt(value)}" if site.call is not None else \
                f"`{expr.id}` defaults to {_fmt(value)} in `{binding.scope.name}()`"
            evidence = [(f"{how} as `{expr.id}`", site.place)]
            if hasattr(site.argument, "bnlint_path"):  # read from a configuration file
                evidence.append((f"{_fmt(value)} written here", site.argument))
    return worst, evidence


def _value_evidence(model, expr, scope):
    """Where a name's value comes from: its assignment, parameter default, the config entry or
    argparse option it reads, or the project module it is imported from."""
    origin = model.values.project_origin(expr, scope) if isinstance(expr, (ast.Name, ast.Attribute)) else None
    if origin is not None:
        return [(f"`{model.text(expr, 40)}` set to {_fmt(model.const(expr, scope))} here", origin)]
    if isinstance(expr, (ast.Attribute, ast.Subscript)):
        where = model.values.definition(expr, scope)
        if where is None:
            return []
        return [(f"`{model.text(expr, 40)}` set to {_fmt(model.const(expr, scope))} here", where)]
    if not isinstance(expr, ast.Name):
        return []
    binding = model.values.binding_of(expr, scope)
    if binding is None:
        return []
    value = model.const(expr, scope)
    if binding.kind == "param":
        return _parameter_evidence(model, expr, binding, value, scope)
    if binding.kind in ("assign", "annassign"):
        return [(f"`{expr.id}` set to {_fmt(value)} here", binding.node)]
    return []


def _parameter_evidence(model, expr, binding, value, scope):
    """Where a parameter's value is written: the call (of this module or another) or config
    entry that gives it, followed through the parameters it is handed on as; its default only
    when that is where the value comes from."""
    elsewhere = model.values.written_elsewhere(expr, value)
    if elsewhere is not None:
        return [(f"`{expr.id}` is {_fmt(value)}, written here", elsewhere)]
    written = model.values.where_written(expr, value, scope)
    default = binding.value
    if written is not expr and written is not default and hasattr(written, "lineno"):
        return [(f"`{expr.id}` is {_fmt(value)}, written here", written)]
    if default is not None and model.const(default, binding.scope) == value:
        return [(f"`{expr.id}` defaults to {_fmt(value)} in `{binding.scope.name}()`", binding.node)]
    return []


def _layer_evidence(model, owner, ref):
    """How `owner` was recognized as a normalization layer, when that says more than where its
    layer was built (`a layer of `model`, which contains resnet18`)."""
    if ref.how.startswith("a layer of"):
        return [(f"`{model.text(owner, 30)}` is {ref.how}", ref.origin or owner)]
    return []


def _default_epsilon(expr, api, name):
    """The framework's default epsilon in place of a literal written at the call (unsafe: the
    author may have meant another small value). A value from a config or a helper is left to
    the author: changing it there changes every layer that reads it."""
    literal = expr.operand if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)) else expr
    default = api.epsilon_default
    if not (isinstance(literal, ast.Constant) and is_number(literal.value) and is_number(default) and default > 0):
        return None
    return fix("replace", expr, _fix_title(api, name), safe=False, code=_fmt(default))


def _fix_title(api, name) -> str:
    default = api.epsilon_default
    if is_number(default) and default > 0:
        return f"Set {name}={_fmt(default)} ({_FRAMEWORK_NAMES.get(api.framework, api.framework)}'s default)"
    return f"Set {name} to a small positive value such as 1e-5"


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
