"""BN006 momentum-convention-inverted."""

from __future__ import annotations

import ast
import re

from bnlint import catalogue
from bnlint.rule import Report, Rule, clip, fit_headline, fix, set_argument, within
from bnlint.semantic import is_number

_CONVENTION_TEXT = {
    catalogue.KEEP_OLD: "keeps `m * old + (1 - m) * batch`",
    catalogue.KEEP_NEW: "keeps `(1 - m) * old + m * batch`",
}


class MomentumConventionInverted(Rule):
    """
    ## What it does
    Finds a BatchNorm momentum written in the other framework's convention:
    - Keras, TF1, Flax, Haiku, TensorLayer, Paddle and MXNet keep
      `moving = m * moving + (1 - m) * batch` (defaults 0.9-0.999): a momentum of 0.1 or
      less there (PyTorch's typical 0.1, 0.03, 0.01) is reported;
    - PyTorch keeps `running = (1 - m) * running + m * batch` (default 0.1): a momentum of 0.9,
      0.95, or of 0.97 or more, there (Keras's typical 0.9, 0.99, 0.997, 0.999, the 0.95 decay of
      Caffe/TensorFlow segmentation models copied into PyTorch ports (PSPNet, DUC; not when a
      comment of the module explains the momentum, as DnCNN's does), and the 0.8 of the Keras
      GAN implementations, eriklindernoren/Keras-GAN, copied into PyTorch ports) is reported, also
      when it is set on the layers afterwards (`for m in model.modules(): m.momentum = 0.99`),
      also by a setter helper of another module (`set_bn_momentum(model, 0.99)`), and when it
      is in a `functools.partial(nn.BatchNorm2d, momentum=0.99)` handed to a builder
      (`norm_layer=`), or given to timm's builders as `bn_momentum=` (`timm.create_model(
      "efficientnet_b0", bn_momentum=0.99)`: the EfficientNet / MobileNetV3 family builds its
      `nn.BatchNorm2d` layers with it);
    - BN statistics copied between a Keras and a PyTorch layer (see BN005) whose momenta do
      not satisfy `m_keras = 1 - m_torch`;
    - a layer built with the other framework's layer's momentum as it is
      (`BatchNormalization(momentum=layer.momentum)` with `layer` a PyTorch BatchNorm, known
      from its construction or from the `running_var` its converter reads), whatever the value.
    Values in between (0.3, 0.6...) are unusual in both conventions and may be deliberate
    (fast-adapting statistics in a demo): they are left alone, as is PyTorch's 0.95, which
    DnCNN chooses on purpose to keep its statistics near the last batch (unless Keras's
    epsilon, 1e-3, is written beside it: then the pair is Keras's), and so are `momentum=None`
    (PyTorch's cumulative average), 0 and 1, and
    MindSpore, whose documentation announces a switch to PyTorch's default (0.1) after 2.9.

    ## Why is this bad?
    The two conventions weight the old value and the new batch in opposite ways. Keras
    `momentum=0.1` makes the moving statistics 90% the last batch: they jump from batch to
    batch, and inference uses whatever the last few batches looked like. PyTorch
    `momentum=0.99` does the same; `momentum=0.01` ported from Keras `0.99`'s meaning is right,
    `0.99` copied verbatim is wrong. The model trains normally and evaluates badly (a reported
    PyTorch-to-Keras port, where the two conventions meet).

    ## Example
    ```python
    tf.keras.layers.BatchNormalization(momentum=0.1)   # BN006: PyTorch's value; Keras wants 0.9
    torch.nn.BatchNorm2d(64, momentum=0.99)            # BN006: Keras's value; PyTorch wants 0.01
    ```

    ## Fix
    Convert: `m_keras = 1 - m_torch` (PyTorch 0.1 is Keras 0.9; Keras 0.99 is PyTorch 0.01).

    **Automatic fix (unsafe):** a literal momentum m becomes 1 - m (another expression becomes
    `1 - expr`); across a port, the destination layer gets the equivalent of the source's.
    Unsafe: an unusual momentum can be deliberate.

    ## Framework versions
    All versions of the frameworks named above; conventions from their documentation.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html (note on momentum: "different from ... optimizers")
    - https://keras.io/api/layers/normalization_layers/batch_normalization/ (moving_mean = moving_mean * momentum + mean(batch) * (1 - momentum))
    - https://www.mindspore.cn/docs/en/r1.10/note/api_mapping/pytorch_diff/BatchNorm2d.html (MindSpore momentum = 1 - PyTorch momentum)
    - https://www.paddlepaddle.org.cn/documentation/docs/en/api/paddle/nn/BatchNorm2D_en.html
    - https://flax.readthedocs.io/en/latest/api_reference/flax.linen/layers.html#flax.linen.BatchNorm
    - timm 1.0.31, timm/models/_efficientnet_builder.py `resolve_bn_args` (`bn_momentum` and
      `bn_eps` become the `momentum`/`eps` of `partial(nn.BatchNorm2d, ...)`)
    - https://github.com/cszn/DnCNN (TrainingCodes/dncnn_pytorch/main_train.py: "momentum should be a
      value from [0.1, 1] rather than the default 0.1 ... a large momentum (e.g., 0.95) is
      preferred", copied into many DnCNN forks)
    """

    code = "BN006"
    name = "momentum-convention-inverted"
    severity = "W"
    fix_applicability = "unsafe"
    summary = "a BatchNorm momentum is written in the other framework's convention"
    # (or a momentum handed to a setter helper of another module: `set_bn_momentum(model, 0.99)`)
    requires = catalogue.minimal_words(catalogue.api_names(catalogue.BATCH, catalogue.INSTANCE) + ("momentum",))

    def check(self, model):
        reported = set()  # one value given to a helper that builds BatchNorm1d/2d/3d: one finding
        for site in (*model.norm_sites, *model.factory_sites):
            api = site.api
            if api.kind != catalogue.BATCH or api.momentum is None or api.momentum_convention is None:
                continue
            expr = site.arg(api.momentum)
            if expr is None or id(expr) in reported:
                continue
            value = model.const(expr, site.scope)
            if not is_number(value):
                copied = self._copied_momentum(model, site, expr)
                if copied is not None:
                    reported.add(id(expr))
                    yield copied
                continue
            if isinstance(value, bool) or value in (0, 0.5, 1):
                continue
            if not _typical_of_other(api.momentum_convention, value) and not _beside_keras_epsilon(model, site, value):
                continue
            if round(value, 6) == 0.95 and api.momentum_convention == catalogue.KEEP_NEW and _momentum_explained(model):
                continue  # DnCNN: "a large momentum (e.g., 0.95) is preferred", said in a comment
            other = "PyTorch" if api.momentum_convention == catalogue.KEEP_OLD else "Keras"
            default = api.momentum_default
            reported.add(id(expr))
            evidence = [(f"{site.display} built here", site.call)]
            elsewhere = model.values.written_elsewhere(expr, value) if not hasattr(expr, "bnlint_path") else None
            if elsewhere is not None:
                evidence.append((f"{api.momentum}={value:g} written here", elsewhere))
            yield Report(
                expr,
                f"{clip(site.display, 25)} gets {api.momentum}={value:g}, a value in {other}'s convention",
                evidence=evidence,
                why=f"{site.display} {_CONVENTION_TEXT[api.momentum_convention]} (default {default:g}), so with "
                    f"{api.momentum}={value:g} its moving statistics follow mostly the latest batches, and inference "
                    f"uses whatever the last few batches looked like.",
                fix_title=f"Use {api.momentum}={1 - value:g}, the equivalent in this convention",
                fix=_inverted(model, expr, value, f"Use {api.momentum}={1 - value:g}")
                if within(expr, site.call) else None,
            )
        yield from self._assigned(model)
        yield from self._passed_to_setter(model)
        yield from self._transfers(model)

    def _copied_momentum(self, model, site, expr):
        """`BatchNormalization(momentum=layer.momentum)` with `layer` a PyTorch BatchNorm (or the
        reverse): the other framework's momentum copied as it is, whatever its value."""
        from bnlint.semantic.models import norm_convention

        origins = model.values.origins(expr, site.scope) if isinstance(expr, ast.Name) else [(expr, site.scope)]
        for origin, _scope in origins[:4]:
            if not (isinstance(origin, ast.Attribute) and origin.attr == site.api.momentum):
                continue
            known = norm_convention(model.models, origin.value)
            if known is None or known[0] == site.api.momentum_convention:
                continue
            convention, how, where = known
            source = "PyTorch" if convention == catalogue.KEEP_NEW else "Keras"
            if source == "PyTorch" and _reads_lua_torch(model):
                source = "Torch7"  # (a `.t7` model read with torchfile: Lua Torch, the same convention)
            return Report(
                expr,
                f"{clip(site.display, 25)} gets `{model.text(origin, 30)}`, a {source} BatchNorm's momentum, "
                f"unconverted",
                evidence=[(f"`{model.text(origin.value, 30)}` is a {source} BatchNorm: {how}", where),
                          (f"{site.display} built here", site.call)],
                why=f"{site.display} {_CONVENTION_TEXT[site.api.momentum_convention]}, and the {source} layer "
                    f"{_CONVENTION_TEXT[convention]}: the same number means the opposite weighting. {source}'s "
                    f"default 0.1 copied into Keras makes the moving statistics 90% the latest batch."
                    if source != "Keras" else
                    f"{site.display} {_CONVENTION_TEXT[site.api.momentum_convention]}, and the {source} layer "
                    f"{_CONVENTION_TEXT[convention]}: the same number means the opposite weighting. Keras's "
                    f"default 0.99 copied into PyTorch makes the running statistics 99% the latest batch.",
                fix_title=f"Pass `1 - {model.text(origin, 40)}`",
                fix=fix("replace", expr, f"Pass `1 - {model.text(origin, 40)}`", safe=False,
                        code=f"1 - {model.text(expr, 200)}") if within(expr, site.call) else None,
            )
        return None

    def _assigned(self, model):
        """`bn.momentum = 0.9`, also in a loop over `model.modules()`."""
        from bnlint.semantic.models import layer_ref

        for node in model.index.assigns:
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if not (isinstance(target, ast.Attribute) and target.attr == "momentum"):
                    continue
                ref = layer_ref(model.models, target.value)
                if ref is not None and ref.sites:
                    conventions = {s.api.momentum_convention for s in ref.sites if s.api.kind == catalogue.BATCH}
                    site = ref.sites[0]
                    display, where, label = site.display, site.call, f"{site.display} built here"
                else:
                    # `if isinstance(m, nn.modules.batchnorm._BatchNorm): m.momentum = self.momentum` in a
                    # loop over a model bnlint cannot see: the class the code checks for
                    declared = _declared_batch_norm(model, target.value)
                    if declared is None:
                        continue
                    api, test, display = declared
                    conventions = {api.momentum_convention}
                    where, label = test, f"`{model.text(target.value, 20)}` checked to be a {display} here"
                if len(conventions) != 1:
                    continue
                convention = conventions.pop()
                value = model.const(node.value)
                if not is_number(value) or isinstance(value, bool) or not _typical_of_other(convention, value):
                    continue
                other = "PyTorch" if convention == catalogue.KEEP_OLD else "Keras"
                written = model.values.definition(node.value) if isinstance(node.value, (ast.Name, ast.Attribute)) \
                    else None
                evidence = [(label, where)]
                if written is not None and written is not node.value:
                    evidence.append((f"`{model.text(node.value, 30)}` is {value:g} here", written))
                yield Report(
                    node.value,
                    f"`{model.text(target, 30)}` is set to {value:g}, a value in {other}'s convention",
                    evidence=evidence,
                    why=f"`{model.text(target, 40)}` belongs to {display}, which {_CONVENTION_TEXT[convention]}: "
                        f"with {value:g} its moving statistics follow mostly the latest batches, and inference uses "
                        f"whatever the last few batches looked like.",
                    fix_title=f"Set it to {1 - value:g}, the equivalent in this convention",
                    fix=_inverted(model, node.value, value, f"Set `{model.text(target, 30)}` to {1 - value:g}"),
                )

    def _passed_to_setter(self, model):
        """`set_bn_momentum(model, 0.99)` with a helper of another module that assigns
        its parameter to the momentum of the model's BatchNorm modules (`for m in
        model.modules(): if isinstance(m, _BatchNorm): m.momentum = momentum`): the value passed,
        read in the helper's framework's convention."""
        for call in model.index.calls:
            # cheapest first: a number typical of Keras's convention among the arguments
            if not any(isinstance(a, ast.Constant) and is_number(a.value) and not isinstance(a.value, bool)
                       and _typical_of_other(catalogue.KEEP_NEW, a.value)
                       for a in (*call.args, *(k.value for k in call.keywords))):
                continue
            # (a helper of this module: `_assigned` reads the value its callers pass)
            callee = model.project_callee(call) if model.index.local_callee(call) is None else None
            if callee is None:
                continue
            home, function, bound = callee
            parameter = _momentum_setter_parameter(home, function)
            if parameter is None:
                continue
            argument = model.index.argument_for(call, function, parameter, bound=bool(bound))
            value = model.const(argument) if argument is not None else None
            if not is_number(value) or isinstance(value, bool) or not _typical_of_other(catalogue.KEEP_NEW, value):
                continue
            helper = function.name
            yield Report(
                argument,
                f"`{helper}()` sets PyTorch BatchNorm momentum to {value:g}, a value in Keras's convention",
                evidence=[(f"`{helper}()` assigns it to the BatchNorm modules' momentum here",
                           model.project.foreign(_momentum_assignment(home, function, parameter), home))],
                why=f"PyTorch {_CONVENTION_TEXT[catalogue.KEEP_NEW]} (default 0.1), so with momentum={value:g} the "
                    f"running statistics follow mostly the latest batches, and inference uses whatever the last "
                    f"few batches looked like.",
                fix_title=f"Pass {1 - value:g}, the equivalent in PyTorch's convention",
                fix=_inverted(model, argument, value, f"Pass {1 - value:g}"),
            )

    def _transfers(self, model):
        if "running_" not in model.source and "moving_" not in model.source:
            return
        for transfer in model.transfers.transfers:
            if transfer.source_ref is None or transfer.destination_ref is None:
                continue  # a checkpoint or a saved file: no layer on the other side to compare momenta with
            keras_ref, torch_ref = (transfer.destination_ref, transfer.source_ref) \
                if transfer.direction != "keras->torch" else (transfer.source_ref, transfer.destination_ref)
            keras_site, torch_site = keras_ref.sites[0], torch_ref.sites[0]
            m_keras = self._momentum(model, keras_site)
            m_torch = self._momentum(model, torch_site)
            if m_keras is None or m_torch is None or abs(m_keras - (1 - m_torch)) <= 1e-6:
                continue
            if (keras_site.arg(keras_site.api.momentum) is None) and (torch_site.arg(torch_site.api.momentum) is None):
                continue  # both defaults (0.99 vs 0.1): a training-time choice, not part of the port
            if transfer.direction == "keras->torch":
                fix_title = f"Build {torch_site.display} with momentum={1 - m_keras:g}"
                repair = set_argument(torch_site, torch_site.api.momentum, f"{1 - m_keras:g}",
                                      f"Set momentum={1 - m_keras:g} on {torch_site.display}", safe=False)
            else:
                fix_title = f"Build {keras_site.display} with momentum={1 - m_torch:g}"
                repair = set_argument(keras_site, keras_site.api.momentum, f"{1 - m_torch:g}",
                                      f"Set momentum={1 - m_torch:g} on {keras_site.display}", safe=False)
            yield Report(
                transfer.node,
                fit_headline(f"{clip(torch_site.display, 25)} momentum={m_torch:g} does not match "
                          f"{clip(keras_site.display, 25)} momentum={m_keras:g} across the port",
                          f"BN statistics move between layers whose momenta do not match "
                          f"({m_torch:g} vs {m_keras:g})"),
                evidence=[(f"{torch_site.display} built here, momentum={m_torch:g}", torch_site.call),
                          (f"{keras_site.display} built here, momentum={m_keras:g}", keras_site.call)],
                why=f"PyTorch keeps `(1 - m) * old + m * batch` and Keras `m * old + (1 - m) * batch`: PyTorch "
                    f"momentum {m_torch:g} is Keras momentum {1 - m_torch:g}, not {m_keras:g}. The ported layer's "
                    f"moving statistics follow the batches at a different rate than the original's.",
                fix_title=fix_title,
                fix=repair,
            )

    @staticmethod
    def _momentum(model, site):
        expr = site.arg(site.api.momentum)
        value = model.const(expr, site.scope) if expr is not None else site.api.momentum_default
        return float(value) if is_number(value) and not isinstance(value, bool) else None


def _declared_batch_norm(model, expr):
    """(the catalogued BatchNorm api, the `isinstance` test, the class's name) when `expr` is a name
    the code checks to be a BatchNorm of one framework (`isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))`); None else."""
    from bnlint.semantic.models import isinstance_narrowing

    if not isinstance(expr, ast.Name):
        return None
    for test, classes in isinstance_narrowing(model.index, expr):
        named = [classes] if isinstance(classes, (ast.Name, ast.Attribute)) else [
            e for e in getattr(classes, "elts", []) if isinstance(e, (ast.Name, ast.Attribute))]
        found = [(catalogue.lookup(model.qualname(n)), n) for n in named]
        batch = [(a, n) for a, n in found if a is not None and a.kind == catalogue.BATCH
                 and a.momentum_convention is not None]
        if batch and len({a.momentum_convention for a, _n in batch}) == 1:
            api, name = batch[0]
            return api, test, (model.qualname(name) or api.display).rpartition(".")[2]
    return None


def _typical_of_other(convention, value) -> bool:
    """Only values typical of the other framework: PyTorch's 0.1/0.01/0.03 in a Keras-style
    layer, Keras' 0.9 and 0.97-0.9997 (0.99 its default, 0.997 and 0.999 the TF model
    gardens') and the Keras GANs' 0.8 in PyTorch. 0.4 or 0.7 are unusual in both and may be a deliberate choice
    (fast-adapting statistics in a demo), not a convention mix-up. PyTorch's 0.95 is the decay of
    Caffe and TensorFlow segmentation models (PSPNet, DUC) copied into PyTorch ports; DnCNN and its
    many forks choose it on purpose and say so in a comment ("a large momentum (e.g., 0.95) is
    preferred"), which `_momentum_explained` reads. Values are compared at float32 precision:
    converters write 0.9 as 0.8999999761581421."""
    value = round(value, 6)
    if convention == catalogue.KEEP_OLD:
        return 0 < value <= 0.1
    # (0.8: the Keras GAN implementations' `BatchNormalization(momentum=0.8)`, eriklindernoren/
    # Keras-GAN, copied into PyTorch ports of those GANs)
    return convention == catalogue.KEEP_NEW and (value in (0.8, 0.9, 0.95) or 0.97 <= value < 1)


def _momentum_explained(model) -> bool:
    """A comment of the module talks about the momentum: a value the authors state they chose."""
    return re.search(r"#[^\n]*\bmomentum\b", model.source, re.IGNORECASE) is not None


def _inverted(model, expr, value, title):
    """m -> 1 - m: the number for a literal, `1 - (expr)` for anything else (unsafe: a value
    typical of the other convention may still be meant)."""
    literal = isinstance(expr, ast.Constant)
    code = f"{1 - value:g}" if literal else f"1 - {model.text(expr, 200)}" if isinstance(
        expr, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) else f"1 - ({model.text(expr, 200)})"
    return fix("replace", expr, title, safe=False, code=code)


def _momentum_assignment(model, function, parameter: str):
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == parameter and any(
                isinstance(t, ast.Attribute) and t.attr == "momentum" for t in node.targets):
            return node
    return None


def _momentum_setter_parameter(model, function) -> str | None:
    """The parameter a PyTorch helper assigns to its BatchNorm modules' momentum (`module.momentum
    = momentum` under `isinstance(module, nn.BatchNorm2d)` / `_BatchNorm`), or None."""
    parameters = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
    for node in ast.walk(function):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in parameters
                and any(isinstance(t, ast.Attribute) and t.attr == "momentum" for t in node.targets)):
            continue
        # the modules it runs over are PyTorch BatchNorm: an isinstance test names one
        for test in ast.walk(function):
            if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
                    and len(test.args) == 2):
                continue
            classes = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
            for cls in classes:
                qual = model.qualname(cls) if isinstance(cls, (ast.Name, ast.Attribute)) else None
                if qual and qual.startswith("torch.") and "BatchNorm" in qual:
                    return node.value.id
    return None


def _beside_keras_epsilon(model, site, value) -> bool:
    """A PyTorch momentum between 0.9 and 0.97 (0.95: DnCNN's deliberate choice) written beside
    Keras's default epsilon (`BatchNorm2d(c, momentum=0.95, eps=1e-3)`): the pair is Keras's
    convention copied over."""
    if site.api.momentum_convention != catalogue.KEEP_NEW or not 0.9 < round(value, 6) < 0.97:
        return False
    epsilon = site.arg(site.api.epsilon)
    written = model.const(epsilon, site.scope) if epsilon is not None else None
    return is_number(written) and abs(written - catalogue.KERAS_EPSILON_DEFAULT) < 1e-9


def _reads_lua_torch(model) -> bool:
    """The module reads Lua Torch (Torch7) files: `import torchfile`, or `load_lua` of old PyTorch."""
    return any((binding.qualname or "").startswith(("torchfile", "torch.utils.serialization.load_lua"))
               for bindings in model.index.module_scope.bindings.values() for binding in bindings
               if binding.kind == "import")
