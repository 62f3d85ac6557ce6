"""Which expressions are models, and whether they contain batch normalization or dropout.

Recognized: Sequential lists (and `.add`), functional graphs (`Model(inputs, outputs)` built
in a scope), `keras.Model`/`keras.layers.Layer`/`nn.Module` subclasses (attributes built in
`__init__`, layers used in `call`/`forward`), module functions that return a model, clones,
and builders known to contain BN (`keras.applications.*`, `torchvision.models.*`,
`timm.create_model`). Anything else is unknown: `bn=None`, never a guess.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bnlint import catalogue
from bnlint.semantic.memo import memoized as _memoized
from bnlint.semantic.values import ForeignObject, base_initializer_calls

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import SemanticModel
    from bnlint.semantic.scopes import Scope

# Framework callables that take and return tensors and never hold layers of their own.
_TENSOR_FUNCTION_ROOTS = ("tensorflow.", "torch.", "numpy.", "keras.", "jax.", "builtins.", "math.")


@dataclass
class Contents:
    """What a model (or layer) is known to contain.

    bn / dropout: True (found, with evidence), False (known to hold none), None (unknown).
    """

    bn: bool | None = None
    dropout: bool | None = None
    framework: str | None = None  # keras | torch | None
    bn_evidence: list[tuple[str, ast.AST]] = field(default_factory=list)  # (layer name, node)
    dropout_evidence: list[tuple[str, ast.AST]] = field(default_factory=list)
    how: str = ""  # how the model was recognized, for messages: no position, see `origin`
    origin: ast.AST | None = None  # where it was recognized (built, defined, passed), for evidence
    # A whole network whose layers cannot be seen (loaded from disk, or a model-zoo builder
    # bnlint has no table for): unknown content that is still likely to hold BN/Dropout.
    opaque_network: bool = False

    @property
    def torch_bn_seen(self) -> bool:
        """A PyTorch model known to hold BatchNorm, with a layer to show as evidence."""
        return bool(self.bn) and self.framework == "torch" and bool(self.bn_evidence)

    @property
    def has_bn_or_dropout(self) -> bool | None:
        if self.bn or self.dropout:
            return True
        if self.bn is False and self.dropout is False:
            return False
        return None

    def merge(self, other: "Contents | None") -> None:
        """Add what `other` contains (a part of this model)."""
        if other is None:  # an unknown part: what was found stays, "none" becomes "unknown"
            self.bn = True if self.bn else None
            self.dropout = True if self.dropout else None
            return
        self.bn = _or(self.bn, other.bn)
        self.dropout = _or(self.dropout, other.dropout)
        self.bn_evidence.extend(e for e in other.bn_evidence if e not in self.bn_evidence)
        self.dropout_evidence.extend(e for e in other.dropout_evidence if e not in self.dropout_evidence)
        self.framework = self.framework or other.framework
        self.opaque_network = self.opaque_network or other.opaque_network


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a or b:
        return True
    if a is False and b is False:
        return False
    return None


def _any_of(parts: list, how: str, origin) -> Contents | None:
    """A model that is one of several (a registry's entries, a module's classes): what they hold,
    merged; an unknown one makes "none" unknown. None when no part is known to be a model."""
    known = [p for p in parts if p is not None]
    if not known:
        return None
    result = Contents(bn=False, dropout=False, framework=known[0].framework, how=how, origin=origin)
    for part in parts:
        result.merge(part)
    return result


_RECORD_DECORATORS = ("dataclass", "attr.s", "attr.attrs", "attr.define", "attr.frozen", "attrs.define",
                      "attrs.frozen", "define", "frozen", "struct.dataclass")


def _is_record_class(cls: ast.ClassDef, index) -> bool:
    """A class whose `__init__` its fields generate: `@dataclass` (also flax's `struct.dataclass`),
    attrs, or a `typing.NamedTuple` subclass."""
    scope = index.scope_of(cls)
    for decorator in cls.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        qual = index.qualname(func, scope) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if qual and (qual.endswith(_RECORD_DECORATORS) or qual == "dataclasses.dataclass"):
            return True
    return any((index.qualname(base, scope) or "").endswith("NamedTuple") for base in cls.bases
               if isinstance(base, (ast.Name, ast.Attribute)))


def _hashable_key(key) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def _registry_lookup(expr) -> tuple[ast.AST, ast.AST] | None:
    """(registry, key) of `REGISTRY[key]` or `REGISTRY.get(key)`; None for other expressions."""
    if isinstance(expr, ast.Subscript):
        return expr.value, expr.slice
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get"
            and len(expr.args) in (1, 2) and not expr.keywords):
        return expr.func.value, expr.args[0]
    return None


def _returned_parameter(definition) -> tuple[ast.FunctionDef, str] | None:
    """(the function, the parameter) for a function of another module whose every `return`
    gives back the same parameter (`def freeze(model): ...; return model`); None otherwise."""
    if definition is None or not isinstance(definition[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    function = definition[1]
    params = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
    returned = set()
    pending = list(function.body)
    while pending:  # (the function's own returns: nested functions and lambdas return for themselves)
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            if not (isinstance(node.value, ast.Name) and node.value.id in params):
                return None
            returned.add(node.value.id)
        pending.extend(ast.iter_child_nodes(node))
    return (function, returned.pop()) if len(returned) == 1 else None


# Containers whose members are the models they are given: `nn.Sequential(backbone, head)`,
# `nn.ModuleList([...])`, `keras.Sequential([base, Dense(10)])`.
_CONTAINER_CLASSES = frozenset({"Sequential", "ModuleList", "ModuleDict"})


def _container_members(call: ast.Call) -> list[ast.AST]:
    """The members a container call is given: its arguments (`*list(...)` unwrapped), the
    elements of a list or tuple argument, the values of a dict argument."""
    members = []
    for argument in call.args:
        argument = argument.value if isinstance(argument, ast.Starred) else argument
        if isinstance(argument, (ast.List, ast.Tuple)):
            members.extend(argument.elts)
        elif isinstance(argument, ast.Dict):
            members.extend(argument.values)
        else:
            members.append(argument)
    return members


def _empty(framework=None, how="", origin=None) -> Contents:
    return Contents(bn=False, dropout=False, framework=framework, how=how, origin=origin)


# The nodes `calls_within` answers for: scopes, and the blocks rules ask about (a branch that
# calls backward(), a loop over held-out data), so no rule walks a block's subtree per call.
_CONTAINERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module, ast.If, ast.For, ast.AsyncFor,
               ast.While, ast.With, ast.AsyncWith, ast.Try)


class ModelAnalysis:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self.index = model.index
        self._class_cache: dict[ast.ClassDef, Contents | None] = {}
        self._function_cache: dict[ast.AST, Contents | None] = {}
        self._scope_cache: dict[ast.AST, Contents] = {}
        self._expr_cache: dict[ast.AST, Contents | None] = {}
        self._containers: dict[ast.AST, list] | None = None
        self._attribute_cache: dict[tuple, list] = {}
        # Builders whose layers depend on a flag (`make_layers(cfg, batch_norm=True)`, a block's
        # `norm='batch'`) are read once per set of flag values their calls pass: the values in
        # force while one is read, by the function or class they belong to.
        self._active_flags: dict[ast.AST, dict[str, object]] = {}
        self._specialized_cache: dict[tuple, object] = {}
        self._steering_cache: dict[ast.AST, tuple] = {}

    # ---- the lexical map: which calls sit inside which function/class ------------------
    def _container_index(self) -> dict[ast.AST, list[ast.Call]]:
        if self._containers is None:
            containers: dict[ast.AST, list[ast.Call]] = {}
            for call in self.index.calls:
                for ancestor in self.index.ancestors(call):
                    if isinstance(ancestor, _CONTAINERS):
                        containers.setdefault(ancestor, []).append(call)
            self._containers = containers
        return self._containers

    def calls_within(self, node: ast.AST) -> list[ast.Call]:
        """Every call lexically inside a function, class, module or compound statement (`if`,
        loops, `with`, `try`), nested ones included."""
        return self._container_index().get(node, [])

    # ---- entry point ------------------------------------------------------------------
    def contents_of(self, expr: ast.AST, scope: "Scope | None" = None, _depth: int = 0) -> Contents | None:
        """What the model `expr` evaluates to contains; None when `expr` is not known to be a model."""
        if _depth > 10:
            return None
        return _memoized(self._expr_cache, expr, None,
                         lambda: self._contents_of(expr, scope or self.index.scope_of(expr), _depth))

    def _contents_of(self, expr, scope, depth) -> Contents | None:
        if isinstance(expr, ast.Name):
            if expr.id == "self":
                cls = self.index.enclosing_class(expr)
                return self._self_contents(cls, depth) if cls is not None else None
            bindings = self.index.lookup(expr.id, scope)
            if not bindings:
                return self._star_imported_contents(expr, scope, depth)
            reaching = self.model.values.reaching_binding(expr, scope) if len(bindings) > 1 else None
            if reaching is None and len(bindings) > 1:
                # `if opt.fp16: model = torch.nn.DataParallel(amp_model)` with `--fp16` off by
                # default: the one assignment a branch the values leave open makes
                open_ones = [b for b in self.model.values.reaching_bindings(expr, scope)
                             if self.model.values.ruled_out(b.node) is None]
                reaching = open_ones[0] if len(open_ones) == 1 else None
            if reaching is not None and reaching.kind in ("assign", "annassign") and reaching.value is not None:
                # `model = Net(); model = model.to(device)`: the assignment that reaches this use
                result = self.contents_of(reaching.value, reaching.scope, depth + 1)
                if result is not None:
                    self._add_calls(expr.id, reaching.scope, result)
                return result
            if reaching is not None and reaching.kind == "param":
                return self._param_contents(reaching, depth)  # `def train(model): model = model.train()`
            if (reaching is not None and reaching.kind == "unpack" and isinstance(reaching.value, ast.Call)
                    and reaching.index is not None):
                # `model, opt = accelerator.prepare(model, opt)` after `model = Net()`
                return self._unpacked_call_contents(reaching.value, reaching.index, reaching.scope, depth)
            if reaching is None and len(bindings) > 1 and any(b.kind == "param" for b in bindings):
                # `def train(model=None): if model is None: model = CNN()`: the model the callers
                # give or the default one, whichever reaches the use
                several = self.model.values.reaching_bindings(expr, scope)
                if 1 < len(several) <= 4 and all(
                        b.kind == "param" or b.kind in ("assign", "annassign") and b.value is not None
                        for b in several):
                    parts = [self._param_contents(b, depth) if b.kind == "param"
                             else self.contents_of(b.value, b.scope, depth + 1) for b in several]
                    return _any_of(parts, f"`{expr.id}`", expr)
            assigned = [b for b in bindings if b.kind in ("assign", "annassign")]
            if (reaching is None and assigned and bindings[0].scope is not scope
                    and all(b.kind in ("assign", "annassign", "def", "class") for b in bindings)):
                # `def generator(): ...` then `generator = generator()` at module level: a function
                # that runs after the module sees the model, not the builder
                bindings = assigned
            if all(b.kind in ("assign", "annassign") for b in bindings):
                parts = [self.contents_of(b.value, b.scope, depth + 1) for b in bindings]
                known = [p for p in parts if p is not None]
                if not known:
                    return None
                result = Contents(bn=False, dropout=False, how=known[0].how, origin=known[0].origin)
                for part in parts:
                    result.merge(part)
                result.framework = known[0].framework
                # layers added later with `name.add(layer)`
                self._add_calls(expr.id, bindings[0].scope, result)
                return result
            if len(bindings) == 1 and bindings[0].kind == "param":
                return self._param_contents(bindings[0], depth)
            if (len(bindings) == 1 and bindings[0].kind == "unpack"
                    and isinstance(bindings[0].value, (ast.Tuple, ast.List))
                    and bindings[0].index is not None and bindings[0].index < len(bindings[0].value.elts)):
                # `generator, discriminator = Generator(), Discriminator()`
                element = bindings[0].value.elts[bindings[0].index]
                return self.contents_of(element, bindings[0].scope, depth + 1)
            if (len(bindings) == 1 and bindings[0].kind == "unpack" and isinstance(bindings[0].value, ast.Call)
                    and bindings[0].index is not None):
                # `model, optimizer = get_model(name)`: element `index` of the tuples it returns
                return self._unpacked_call_contents(bindings[0].value, bindings[0].index, bindings[0].scope, depth)
            if len(bindings) == 1 and bindings[0].kind == "import" and bindings[0].qualname \
                    and self.model.project is not None:
                # `from .resnet import feature_extractor`: a model another project module builds at
                # its top level, read there
                found = self.model.project.module_value(bindings[0].qualname)
                if found is not None:
                    other, assigned = found
                    part = other.models.contents_of(assigned.value, assigned.scope, depth + 1)
                    return self._foreign_contents(part, other) if part is not None and part.framework else None
            iterated = self.model.values.binding_of(expr, scope)
            if iterated is not None and iterated.kind in ("for", "comp") and iterated.value is not None:
                # `for m in members: m(x)`, `[m(x) for m in members]`: any of the collection's models
                elements = self._collection_elements(iterated.value, iterated.index, depth)
                if elements:
                    parts = [self.contents_of(e, self.index.scope_of(e), depth + 1) for e in elements[:12]]
                    return _any_of(parts, f"a model of `{self.model.text(iterated.value, 30)}`", elements[0])
                if iterated.index is None and isinstance(iterated.value, ast.Name):
                    return self._passed_collection_contents(iterated.value, depth)
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            cls = self.index.enclosing_class(expr)
            if cls is None:
                return None
            # `self.unet = None` in `__init__` holds the place of the model `build_model` assigns
            values = [(v, s) for v, s in self._self_attribute_values(cls, expr.attr)
                      if not (isinstance(v, ast.Constant) and v.value is None)]
            if not values:
                return (self._inherited_attribute_contents(cls, expr.attr, depth)
                        or self._subclass_attribute_contents(cls, expr.attr, depth))
            result = Contents(bn=False, dropout=False, how=f"`self.{expr.attr}`")
            for value, value_scope in values:
                part = self.contents_of(value, value_scope, depth + 1)
                if part is None and _rewraps(value, expr.attr):
                    continue  # `self.model = multi_gpu_model(self.model, gpus=2)`: the same layers
                if part is None and _reloads_saved_model(value) and len(values) > 1:
                    continue  # `self.net = load_phase_model(best_path)`: the network built beside it, saved
                if part is None:
                    return None
                result.merge(part)
                result.framework = result.framework or part.framework
            for layer in self._appended_to_attribute(cls, expr.attr):
                part = self.layer_contents(layer)
                if part is not None:
                    result.merge(part)
                    result.framework = result.framework or part.framework
            return result
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and self.model.project is not None:
            # `model = params.model_factory` with `model_factory = get_unet(...)` at the top of the
            # project module `params`: the model that module builds, read there
            bindings = self.index.lookup(expr.value.id, scope)
            if len(bindings) == 1 and bindings[0].kind == "import" and bindings[0].qualname:
                found = self.model.project.module_value(f"{bindings[0].qualname}.{expr.attr}")
                if found is not None:
                    other, assigned = found
                    part = other.models.contents_of(assigned.value, assigned.scope, depth + 1)
                    return self._foreign_contents(part, other) if part is not None and part.framework else None
        if isinstance(expr, ast.Attribute):
            # `context.net = Net()` on a plain object the script keeps its state on
            stores = self.model.values.attribute_stores(expr, scope)
            parts = [self.contents_of(value, value_scope, depth + 1) for value, value_scope in stores[:8]]
            if parts:
                return _any_of(parts, f"`{self.model.text(expr, 30)}`", stores[0][0])
            # `ms = ModelState(); ms.generator(x)` with `self.generator = Sequential([...])` in the class
            owner = _attribute_owner(self, expr, depth) if depth < 8 else None
            if owner is not None and owner[1] is not None:
                # the class may be another module's (`self.vae = VAE_Model(cfg)`, `self.vae.vae_net`):
                # read there, its evidence as places in that file
                home = owner[0]
                values = [(v, s) for v, s in home._self_attribute_values(owner[1], expr.attr)
                          if not (isinstance(v, ast.Constant) and v.value is None)]
                parts = [self._set_through_setter(expr, home, value) or home.contents_of(value, value_scope, depth + 1)
                         for value, value_scope in values[:8]]
                if home is not self and self.model.project is not None:
                    parts = [self._foreign_contents(part, home.model) for part in parts]
                if parts and all(part is not None for part in parts):
                    if home is not self and self.model.project is not None and values:
                        # `self.generator.model` of a `Generator` object another module's class
                        # makes: where that class builds it, as the place in its module
                        return _any_of(parts, f"built as `self.{expr.attr}` by class `{owner[1].name}`",
                                       self.model.project.foreign(values[0][0], home.model))
                    return _any_of(parts, f"`{self.model.text(expr, 30)}`", expr if home is not self else values[0][0])
        if isinstance(expr, ast.Call):
            return self._call_contents(expr, scope, depth)
        if isinstance(expr, ast.IfExp):
            # `load_model(path) if os.path.exists(path) else build_model()`: either of the two
            parts = [self.contents_of(expr.body, scope, depth + 1), self.contents_of(expr.orelse, scope, depth + 1)]
            return _any_of(parts, f"`{self.model.text(expr, 40)}`", expr)
        if isinstance(expr, ast.Subscript):
            # `args["model"]` of a dict the module spells out
            origins = self.model.values.origins(expr, scope)
            if len(origins) == 1 and isinstance(origins[0][0], ForeignObject):
                # `trainArgs["model"]` of a dict another module fills (`trainArgs["model"] =
                # DrugVQA(...)`): what that object holds, read there
                made = origins[0][0]
                home = made.home(self.model.project)
                if home is None or home is self.model:
                    return None
                return self._foreign_contents(home.models.contents_of(made.node, made.scope, depth + 1), home)
            if len(origins) == 1 and origins[0][0] is not expr:
                return self.contents_of(origins[0][0], origins[0][1], depth + 1)
            if not isinstance(expr.slice, ast.Slice):
                # `encoders[step - 1](x)` of a list a loop fills with models (`encoders.append(enc)`),
                # also handed to the training function as a parameter: any of them
                items = [item for holder in self._list_holders(expr.value, depth)
                         for item, _conditional in self._filled_container(holder) or []]
                if items:
                    parts = [self.contents_of(item, self.index.scope_of(item), depth + 1) for item in items[:16]]
                    return _any_of(parts, f"an element of `{self.model.text(expr.value, 30)}`", items[0])
        return None

    def _list_holders(self, expr: ast.AST, depth: int) -> list:
        """The names of the lists `expr` is: itself, or the arguments the calls of its function
        pass for it when it is a parameter."""
        if not isinstance(expr, ast.Name) or depth > 12:
            return []
        binding = self.model.values.binding_of(expr)
        if binding is None or binding.kind != "param":
            return [expr]
        return [argument for call, argument, _scope in (self.model.values.parameter_arguments(binding) or [])[:6]
                if call is not None and isinstance(argument, ast.Name) and argument in self.index.parents]

    def _star_imported_contents(self, expr: ast.Name, scope, depth: int) -> Contents | None:
        """`model` a star import brings (`from train import *` of a script whose top level builds
        `model = ResNet(num_classes=10)`): that model, read in its module."""
        qual = self.model.qualname(expr)
        project = self.model.project
        if project is None or not qual or qual == expr.id or depth > 12:
            return None
        found = project.module_value(qual)
        if found is None:
            return None
        other, assigned = found
        part = other.models.contents_of(assigned.value, assigned.scope, depth + 1)
        return self._foreign_contents(part, other) if part is not None and part.framework else None

    def _set_through_setter(self, expr: ast.Attribute, home: "ModelAnalysis", value: ast.AST) -> Contents | None:
        """`config.set_net_model(net)` here, with `def set_net_model(self, model): self.nn_model =
        model` in the object's class (of this module or another): `config.nn_model` is what this
        module's calls of the setter on the same object pass."""
        binding = home.model.values.binding_of(value) if isinstance(value, ast.Name) else None
        method = binding.scope.node if binding is not None and binding.kind == "param" else None
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or method.name == "__init__":
            return None
        owner = ast.dump(expr.value)
        parts = []
        for call in self.index.calls_named(method.name):
            if not (isinstance(call.func, ast.Attribute) and ast.dump(call.func.value) == owner):
                continue
            argument = self.index.argument_for(call, method, binding.name, bound=True)
            if argument is not None:
                parts.append(self.contents_of(argument, self.index.scope_of(call)))
        return _any_of(parts, f"`{self.model.text(expr, 30)}`", expr) if parts else None

    def _class_picked_in_branches(self, func: ast.Name, call: ast.Call, scope, depth) -> Contents | None:
        """`Net = None; if args.model == "unet": Net = UNet; ...; model = Net(NUM_CLASSES)`: any of
        the classes the name is given (their contents merged)."""
        bindings = self.index.lookup(func.id, scope or self.index.scope_of(call))
        if not 1 < len(bindings) <= 16 or not all(b.kind in ("assign", "annassign") and b.value is not None
                                                 for b in bindings):
            return None
        values = [b for b in bindings if not (isinstance(b.value, ast.Constant) and b.value.value is None)]
        if not values or not all(isinstance(b.value, (ast.Name, ast.Attribute)) for b in values):
            return None
        parts = [self._callable_contents(b.value, b.scope, call, depth + 1) for b in values]
        return _any_of(parts, f"a model class picked at run time as `{func.id}`", call)

    def _registry_contents(self, call: ast.Call, holder: ast.AST, key_expr: ast.AST, scope,
                           depth, element: int | None = None) -> Contents | None:
        """`MODELS[args.arch](num_classes=10)` (or `MODELS.get(name)(...)`) with `MODELS =
        {"resnet": ResNet, "vgg": VGG}` or filled by a registering decorator: the entry the key
        names when it is known, else any of them (the contents of all merged, as for the
        branches of an `if`/`elif` factory)."""
        key = self.model.values.const(key_expr, scope)
        home, registry = self, self.model.values.members(holder, scope, "item")
        if not registry or None in registry.values():
            # `from utils import BACKBONES` with `BACKBONES = {"resnet50": keras.applications.ResNet50}`:
            # its entries read in the module that writes it
            found = self._imported_registry(holder, scope)
            if found is not None:
                home, registry = found
        if not registry:
            return None
        entries = [registry[key]] if _hashable_key(key) and key in registry else list(registry.values())
        parts = []
        for entry in entries[:12]:
            if entry is None:
                return None
            made = entry[0]
            if element is not None:
                # `ctor, preprocess = BACKBONES[name]` of `{"resnet50": (ResNet50, preprocess_input)}`
                if not isinstance(made, (ast.Tuple, ast.List)) or element >= len(made.elts):
                    return None
                made = made.elts[element]
            part = home._callable_contents(made, entry[1], call, depth + 1)
            if home is not self and part is not None and part.framework:
                part = self._foreign_contents(part, home.model)  # (its evidence as places there)
            parts.append(part)
        return _any_of(parts, f"a model of `{self.model.text(holder, 30)}`", call)

    def _imported_registry(self, holder: ast.AST, scope):
        """(the analysis of the module that writes it, its members) for a registry imported by
        name from another project module; None otherwise."""
        project = self.model.project
        attribute = None
        if isinstance(holder, ast.Attribute) and isinstance(holder.value, ast.Name):
            # `models.available_models[args.model]()` with `import pkg.models as models`
            holder, attribute = holder.value, holder.attr
        if project is None or not isinstance(holder, ast.Name):
            return None
        binding = self.model.values.binding_of(holder, scope)
        if binding is None or binding.kind != "import" or not binding.qualname:
            return None
        found = project.module_value(binding.qualname + (f".{attribute}" if attribute else ""))
        if found is None:
            return None
        other, assigned = found
        # read through the name there, so the stores that fill it count (`REGISTRY[name] = fn` in
        # a registering decorator), else through the value it is assigned
        named = next((t for t in getattr(assigned.node, "targets", ()) if isinstance(t, ast.Name)), None)
        members = other.values.members(named, assigned.scope, "item") if named is not None else None
        if not members or None in members.values():
            members = other.values.members(assigned.value, assigned.scope, "item")
        return (other.models, members) if members else None

    def _global_class_contents(self, call: ast.Call, key: ast.AST, scope, depth) -> Contents | None:
        """`globals()[model_name](...)`: the module's class or function the name picks when it is
        known, else any of the module's model classes (merged)."""
        name = self.model.values.const(key, scope)
        module_scope = self.index.module_scope
        project = self.model.project

        def made_by(binding):
            if binding.kind == "class":
                return self.class_contents(binding.node)
            if binding.kind == "def":
                return self.function_returns(binding.node, depth + 1)
            if binding.kind == "import" and binding.qualname:
                if catalogue.builder_contains_bn(binding.qualname) is not None:
                    return None  # a zoo builder imported among the candidates: not read here
                return project.contents_of_qualname(binding.qualname, call) if project is not None else None
            return None

        if isinstance(name, str):
            bindings = module_scope.bindings.get(name, [])
            return made_by(bindings[0]) if len(bindings) == 1 else None
        # a name only known at run time: any of the module's model classes and imported models
        parts = [made_by(b[0]) for b in list(module_scope.bindings.values())[:60]
                 if len(b) == 1 and b[0].kind in ("class", "import")]
        return _any_of([p for p in parts if p is not None and p.framework is not None][:20],
                       "a model of this module picked by name", call)

    def _named_class_contents(self, call: ast.Call, holder: ast.AST, key: ast.AST, scope) -> Contents | None:
        """`getattr(models, cfg.arch)(...)` (or `models.__dict__[cfg.arch](...)`) with `models` a
        module of the project: the class or builder function the name picks when it is known,
        else any of the module's model classes and builders (merged)."""
        project = self.model.project
        module = self.index.qualname(holder, scope) if isinstance(holder, (ast.Name, ast.Attribute)) else None
        if not module:
            return None
        names = self._picked_names(key, scope)
        if names and all(catalogue.builder_contains_bn(f"{module}.{n}") is not None for n in names):
            # `getattr(keras.applications, cfg.backbone)(...)`: the zoo networks the name can be
            parts = [self._callable_contents(None, scope, call, 0, qual=f"{module}.{n}") for n in names[:12]]
            return _any_of(parts, f"`{module}.{names[0]}`" if len(names) == 1 else
                           f"a network of `{module}` picked by name", call)
        if project is None:
            return None
        candidates = [f"{module}.{n}" for n in names] if names else project.model_builders(module)
        parts = [project.contents_of_qualname(qual, call) for qual in candidates[:20]]
        # a package's other re-exports (functions, constants) are no alternatives
        return _any_of([p for p in parts if p is not None and p.framework is not None],
                       f"a class of `{module}` picked by name", call)

    def _picked_names(self, key: ast.AST, scope) -> list[str]:
        """The names a `getattr(module, key)` can pick: the constant, else every string the
        parameter `key` is given at its call sites (here and in other modules)."""
        name = self.model.values.const(key, scope)
        if isinstance(name, str):
            return [name]
        binding = self.model.values.binding_of(key, scope) if isinstance(key, ast.Name) else None
        if binding is None or binding.kind != "param":
            return []
        names = []
        for site in self.model.values.argument_sites(binding)[:12]:
            value = site.const()
            if not isinstance(value, str):
                return []
            names.append(value)
        return list(dict.fromkeys(names))

    def _callable_contents(self, func: ast.AST, scope, call: ast.Call, depth, qual: str | None = None) -> Contents | None:
        """What calling `func` (a class or function named in a registry) makes: a class or
        function of this module, one of another project module, or a catalogued builder
        (`qual`, when the builder is known by name only)."""
        if func is None and qual:
            builder = catalogue.builder_contains_bn(qual)
            if builder is None:
                return None
            verdict, description = builder
            contents = Contents(bn=verdict, dropout=None, framework=catalogue.third_party_framework(qual) or (
                "torch" if qual.startswith(("torchvision", "timm", "torch.")) else "keras"), how=description,
                opaque_network=verdict is None)
            if verdict:
                contents.bn_evidence.append((description, call))
            return contents
        if isinstance(func, ast.Lambda):
            # `"xception": lambda shape: keras.applications.Xception(...)` in a registry
            return self.contents_of(func.body, scope, depth + 1)
        if hasattr(func, "module_path"):
            # a definition another module files in the registry (`@register("resnet")` there)
            project = self.model.project
            return project.contents_of_definition(func, call) if project is not None else None
        # a registry's entry may be the definition itself (`@register("resnet") class ResNet`)
        target = func if isinstance(func, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
            else self._local_definition(func, scope)
        if isinstance(target, ast.ClassDef):
            return self.class_contents(target)
        if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return self.function_returns(target, depth + 1)
        qual = self.index.qualname(func, scope) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if not qual:
            return None
        builder = catalogue.builder_contains_bn(qual)
        if builder is not None:
            verdict, description = builder
            contents = Contents(bn=verdict, dropout=None, framework=catalogue.third_party_framework(qual) or (
                "torch" if qual.startswith(("torchvision", "timm", "torch.")) else "keras"), how=description,
                opaque_network=verdict is None)
            if verdict:
                contents.bn_evidence.append((description, call))
            return contents
        project = self.model.project
        return project.contents_of_qualname(qual, call) if project is not None else None

    def _appended_to_attribute(self, cls: ast.ClassDef, attribute: str) -> list[ast.AST]:
        """Layers added later to a container held in `self.<attribute>`:
        `self.blocks.append(nn.BatchNorm2d(c))`, `self.bns[i].append(...)`, `.extend([...])`,
        `.add_module(name, layer)`, `.insert(i, layer)`."""
        found = []
        for method in ("append", "extend", "add_module", "insert"):
            for call in self.index.calls_named(method):
                func = call.func
                if not isinstance(func, ast.Attribute) or not call.args or self.index.enclosing_class(call) is not cls:
                    continue
                target = func.value
                while isinstance(target, ast.Subscript):  # `self.bns[i].append(...)`
                    target = target.value
                if not (isinstance(target, ast.Attribute) and target.attr == attribute
                        and isinstance(target.value, ast.Name) and target.value.id == "self"):
                    continue
                layer = call.args[-1]
                if method == "extend" and isinstance(layer, (ast.List, ast.Tuple)):
                    found.extend(layer.elts)
                else:
                    found.append(layer)
        return found

    def _subclasses(self, cls: ast.ClassDef) -> list:
        """(the analysis of its module, the class) for each class built directly on this module's
        top-level class `cls`: in this module, and in the project's other modules."""
        if self.index.scope_of(cls) is not self.index.module_scope:
            return []
        found = [(self, sub) for sub in self.index.classes
                 if sub is not cls and any(isinstance(b, ast.Name) and b.id == cls.name for b in sub.bases)]
        project = self.model.project
        found += [(other.models, sub) for other, sub in (project.subclasses_of(cls.name) if project else [])[:6]]
        return found

    def _self_contents(self, cls: ast.ClassDef, depth: int) -> Contents | None:
        """What `self` holds in a method of `cls`: the class's contents; for a base class without
        BatchNorm of its own (`class SupervisedModel(tf.keras.Model)` with the shared `train_step`),
        also what the classes built on it hold (`class ConvNet(SupervisedModel)` in convnet.py)."""
        contents = self.class_contents(cls)
        if contents is not None and contents.bn or depth > 6:
            return contents
        parts = [home.class_contents(sub) if home is self else self._foreign_contents(home.class_contents(sub), home.model)
                 for home, sub in self._subclasses(cls)]
        found = [p for p in parts if p is not None and p.bn]
        if not found:
            return contents
        result = Contents(bn=True, dropout=contents.dropout if contents is not None else None,
                          framework=(contents.framework if contents is not None else None) or found[0].framework,
                          how=f"`self` (a `{cls.name}` built on by classes with BatchNorm)", origin=cls)
        for part in found:
            result.merge(part)
        return result

    def _inherited_attribute_contents(self, cls: ast.ClassDef, attr: str, depth: int) -> Contents | None:
        """`self.model` in `class RegressionTrainer(BaseTrainer)` whose base, in another module,
        sets `self.model = model` from its `__init__`'s parameter: what this class's
        `super().__init__(mlp())` passes for it, else what the base's own analysis finds. None
        when no base of another module sets the attribute."""
        if depth > 6:
            return None
        for home, base in self.lineage(cls)[1:]:
            if home is self:
                continue  # (a base of this module: its assignments are this class's values)
            values = home._self_attribute_values(base, attr)
            if not values:
                continue
            parts, origin = [], None
            for value, value_scope in values[:4]:
                local = self._passed_up_for(cls, home, base, value)
                if local is not None:
                    part = self.contents_of(local, self.index.scope_of(local), depth + 1)
                    origin = origin or local
                else:
                    part = self._foreign_contents(home.contents_of(value, value_scope, depth + 1), home.model)
                    origin = origin or self.model.project.foreign(value, home.model)
                parts.append(part)
            return _any_of(parts, f"`self.{attr}` (set by `{base.name}`)", origin)
        return None

    def _passed_up_for(self, cls: ast.ClassDef, home, base: ast.ClassDef, value: ast.AST) -> ast.AST | None:
        """The argument `cls`'s own `super().__init__(...)` gives the parameter of `base.__init__`
        that `value` (a name in `base`) is; None when it is none or passes nothing."""
        if not isinstance(value, ast.Name):
            return None
        binding = home.model.values.binding_of(value)
        init = binding.scope.node if binding is not None and binding.kind == "param" else None
        if not (isinstance(init, ast.FunctionDef) and init.name == "__init__"
                and home.index.enclosing_class(init) is base):
            return None
        for call, bound in base_initializer_calls(self.model, cls, base.name):
            argument = self.index.argument_for(call, init, binding.name, bound=bound)
            if argument is not None:
                return argument
        return None

    def _subclass_attribute_contents(self, cls: ast.ClassDef, attr: str, depth: int) -> Contents | None:
        """`self.net` in a mixin or base class that never sets it (`class GradientMixin: def
        _params(self): return self.net.weights`): what the subclasses that set it hold, in this
        module and in the project's other modules; None when none sets it."""
        if depth > 6:
            return None
        parts, origin = [], None
        for home, sub in self._subclasses(cls):
            for value, value_scope in home._self_attribute_values(sub, attr)[:4]:
                part = home.contents_of(value, value_scope, depth + 1)
                if home is not self:
                    part = self._foreign_contents(part, home.model) if part is not None else None
                parts.append(part)
                origin = origin or (value if home is self else self.model.project.foreign(value, home.model))
        return _any_of(parts, f"`self.{attr}` (set by the classes built on `{cls.name}`)", origin) if parts else None

    def _param_contents(self, binding, depth) -> Contents:
        """A parameter: what every call of its function in this module passes, when all agree
        that it is a model; else unknown."""
        func = binding.scope.node
        unknown = Contents(how=f"the parameter `{binding.name}`")
        callers = self.index.callers(func)
        if not callers:
            return self._external_param_contents(binding, depth) or unknown
        result = None
        for call, bound in callers:
            argument = self.index.argument_for(call, func, binding.name, bound=bound)
            part = self.contents_of(argument, None, depth + 1) if argument is not None else None
            if part is None:
                return unknown
            if result is None:
                result = Contents(bn=part.bn, dropout=part.dropout, framework=part.framework,
                                  bn_evidence=list(part.bn_evidence), dropout_evidence=list(part.dropout_evidence),
                                  how=f"`{self.model.text(argument)}` passed as `{binding.name}`", origin=call)
            else:
                result.merge(part)
        return result or unknown

    def collection_contents(self, expr: ast.AST, depth: int = 0) -> Contents | None:
        """What any model of the collection `expr` holds (`[encoder, head]`, a list filled with
        models); None when its elements are unknown or none is a model."""
        elements = self._collection_elements(expr, None, depth)
        parts = [self.contents_of(e, self.index.scope_of(e), depth + 1) for e in elements[:12]]
        return _any_of(parts, f"a model of `{self.model.text(expr, 30)}`", elements[0]) if elements else None

    def _passed_collection_contents(self, name: ast.Name, depth: int) -> Contents | None:
        """`def evaluate(models, loader): for m in models: feats = m(feats)`: what the models of
        the collections the callers pass hold (`evaluate([encoder, head], test_loader)`, in this
        module or another); None when a call passes something unknown."""
        binding = self.model.values.reaching_binding(name, self.index.scope_of(name))
        if binding is None or binding.kind != "param" or depth > 6:
            return None
        func = binding.scope.node
        result = None
        sites = [(self, argument) for argument in (
            self.index.argument_for(call, func, binding.name, bound=bound) for call, bound in self.index.callers(func))]
        if not sites:
            sites = [(other.models, argument) for other, _call, argument in self.model.values.external_arguments(binding) or []]
        for home, argument in sites[:8]:
            part = home.collection_contents(argument, depth + 1) if argument is not None else None
            if part is None:
                return None
            if home is not self:
                part = self._foreign_contents(part, home.model, how=f"a model of `{home.model.text(argument, 30)}` "
                                                                   f"passed as `{binding.name}`")
            if result is None:
                result = part
            else:
                result.merge(part)
        return result

    def _external_param_contents(self, binding, depth) -> Contents | None:
        """A parameter of a module-level function (or of a class's `__init__`) whose calls are in
        other modules of the project: what every one of them passes, when all are known."""
        project = self.model.project
        result = None
        for other, call, argument in self.model.values.external_arguments(binding) or []:
            part = other.models.contents_of(argument) if argument is not None else None
            if part is None:
                return None
            part = self._foreign_contents(part, other, how=f"`{other.text(argument)}` passed as `{binding.name}`",
                                          origin=project.foreign(call, other))
            if result is None:
                result = part
            else:
                result.merge(part)
        return result

    def _add_calls(self, name: str, scope, result: Contents) -> None:
        for call in self.calls_within(scope.node):
            func = call.func
            if (isinstance(func, ast.Attribute) and func.attr == "add" and isinstance(func.value, ast.Name)
                    and func.value.id == name and call.args):
                result.merge(self.layer_contents(call.args[0]))

    # ---- calls -----------------------------------------------------------------------
    def _call_contents(self, call: ast.Call, scope, depth) -> Contents | None:
        target = self.model.values.instantiated_target(call)
        if target is not None and self.model.project is not None:
            # `hydra.utils.instantiate(cfg.model)`: what calling the config's `_target_` gives
            return self.model.project.contents_of_qualname(target)
        func = call.func
        if isinstance(func, (ast.Name, ast.Attribute)) and catalogue.canonical(
                self.index.qualname(func, scope) or "") in catalogue.KERAS_TUNERS:
            # a tuner trains (`search`) the models its hypermodel function builds
            hypermodel = call.args[0] if call.args else next((k.value for k in call.keywords
                                                              if k.arg == "hypermodel"), None)
            target = self._local_definition(hypermodel, scope) if hypermodel is not None else None
            return self.function_returns(target) if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else None
        stepped = stepped_children(self, call)
        if stepped is not None:
            # `block = next(model.children())`: one of the model's layers; what the model holds
            # is all that can be said of it
            inner = self.contents_of(stepped, scope, depth + 1)
            return Contents(bn=inner.bn and None, dropout=inner.dropout and None, framework=inner.framework,
                            bn_evidence=inner.bn_evidence, how=inner.how, origin=inner.origin) \
                if inner is not None else None
        if isinstance(func, ast.Subscript):
            holder = func.value
            if isinstance(holder, ast.Attribute) and holder.attr == "__dict__":
                # `archs.__dict__[args.arch](args)`: a class of module `archs` picked by name
                return self._named_class_contents(call, holder.value, func.slice, scope)
            if (isinstance(holder, ast.Call) and isinstance(holder.func, ast.Name) and holder.func.id == "globals"
                    and not holder.args):
                return self._global_class_contents(call, func.slice, scope, depth)  # `globals()[name](...)`
            return self._registry_contents(call, holder, func.slice, scope, depth)
        if _registry_lookup(func) is not None:
            return self._registry_contents(call, *_registry_lookup(func), scope, depth)  # `MODELS.get(name)(...)`
        if isinstance(func, ast.Name):
            picked = self.model.values.binding_of(func, scope)
            value = picked.value if picked is not None and picked.kind in ("assign", "annassign") else None
            holder = _registry_lookup(value)[0] if _registry_lookup(value) is not None else None
            if holder is not None and not (isinstance(holder, ast.Call) and isinstance(holder.func, ast.Name)
                                           and holder.func.id == "globals"):
                # `model_cls = MODELS[cfg.arch]; model = model_cls(cfg)`
                found = self._registry_contents(call, *_registry_lookup(value), picked.scope, depth)
                if found is not None:
                    return found
            if picked is not None and picked.kind == "unpack" and picked.index is not None \
                    and _registry_lookup(picked.value) is not None:
                # `ctor, preprocess = BACKBONES[cfg["backbone"]]; base = ctor(weights="imagenet")`
                found = self._registry_contents(call, *_registry_lookup(picked.value), picked.scope, depth,
                                                element=picked.index)
                if found is not None:
                    return found
            if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "getattr"
                    and len(value.args) >= 2 and self.index.qualname(value.func, picked.scope) == "builtins.getattr"):
                # `ctor = getattr(keras.applications, name); base = ctor(weights="imagenet")`
                found = self._named_class_contents(call, value.args[0], value.args[1], picked.scope)
                if found is not None:
                    return found
            if (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Call)
                    and isinstance(value.value.func, ast.Name) and value.value.func.id == "globals"):
                # `net_definition = globals()[model_name]; net_definition(num_classes=1)`
                return self._global_class_contents(call, value.slice, picked.scope, depth)
            if picked is None:
                picked_classes = self._class_picked_in_branches(func, call, scope, depth)
                if picked_classes is not None:
                    return picked_classes
        if (isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr"
                and len(func.args) >= 2 and self.index.qualname(func.func, scope) == "builtins.getattr"):
            return self._named_class_contents(call, func.args[0], func.args[1], scope)
        # `model.to(device)`, `model.cuda()`, `model.train()`: the same model
        if (isinstance(func, ast.Attribute) and func.attr in catalogue.MODEL_IDENTITY_METHODS
                and not isinstance(func.value, ast.Name) or isinstance(func, ast.Attribute)
                and func.attr in catalogue.MODEL_IDENTITY_METHODS and func.value.id != "self"):
            inner = self.contents_of(func.value, scope, depth + 1)
            if inner is not None:
                return inner
        if (isinstance(func, ast.Attribute) and func.attr == "apply" and len(call.args) == 1 and not call.keywords
                and not isinstance(call.args[0], ast.Starred)):
            # `generator.apply(weights_init)`: torch's `Module.apply(fn)` returns the module (Flax's
            # `apply(variables, x)` takes the input too)
            inner = self.contents_of(func.value, scope, depth + 1)
            if inner is not None and inner.framework == "torch":
                return inner
        qual = self.index.qualname(func, scope)
        # `nn.DataParallel(model)`, `torch.compile(model)`: a wrapper around the same model
        if qual and catalogue.canonical(qual) in catalogue.MODEL_WRAPPERS and call.args:
            inner = self.contents_of(call.args[0], scope, depth + 1)
            if inner is not None:
                return inner
        # A normalization or dropout layer itself.
        layer = self.layer_contents(call)
        if layer is not None and (layer.bn or layer.dropout):
            return layer
        if qual:
            keras_qual = catalogue.keras_name(qual)
            if keras_qual in catalogue.SEQUENTIAL_CLASSES or qual in catalogue.SEQUENTIAL_CLASSES:
                return self._sequential(call, qual, scope)
            if catalogue.canonical(qual) in ("torch.nn.ModuleList", "torch.nn.ModuleDict"):
                # a container: what it is built with (layers appended later are added by the caller)
                contents = _empty("torch", how=f"`{self.model.text(call.func, 30)}`", origin=call)
                items = call.args[0] if call.args else None
                elements = items.elts if isinstance(items, (ast.List, ast.Tuple)) else (
                    items.values if isinstance(items, ast.Dict) else [])
                if isinstance(items, ast.Name):
                    # `blocks = []; blocks.append(Block(c))` then `nn.ModuleList(blocks)`
                    made = self.model.values.origins(items)
                    literal = made[0][0] if len(made) == 1 else None
                    elements = list(literal.elts) if isinstance(literal, (ast.List, ast.Tuple)) else []
                    elements += [item for item, _conditional in (self._filled_container(items) or [])]
                    items = literal if isinstance(literal, (ast.ListComp, ast.GeneratorExp)) else items
                if isinstance(items, (ast.ListComp, ast.GeneratorExp)):
                    elements = [items.elt]  # `nn.ModuleList([Block(a, b) for a, b in widths])`
                elif isinstance(items, ast.DictComp):
                    elements = [items.value]
                for element in elements:
                    contents.merge(self.layer_contents(element))
                return contents
            if keras_qual in catalogue.FUNCTIONAL_MODEL_CLASSES:
                return self._functional(call, scope, "keras")
            builder = self._zoo_builder(call, scope, qual)
            if builder is None and qual.startswith(catalogue.NORM_ARGUMENT_BUILDERS):
                # MONAI's `UNet(..., norm=Norm.BATCH)`: a network whose norm layers the call picks
                norm = next((k.value for k in call.keywords if k.arg == "norm"), None)
                named = self.model.const(norm, scope) if norm is not None else None
                named = named[0] if isinstance(named, tuple) and named else named
                if (isinstance(norm, ast.Attribute) and norm.attr.upper() == "BATCH") or (
                        isinstance(named, str) and named.lower() == "batch"):
                    builder = (True, f"{qual.rpartition('.')[2]} with norm={self.model.text(norm, 30)}")
            if builder is not None and catalogue.keras_name(qual) == "tensorflow_hub.KerasLayer":
                # a Hub layer's BatchNorm is trained (and depends on `training`) only when the
                # layer is fine-tuned; frozen, it always runs in inference mode
                trainable = next((k.value for k in call.keywords if k.arg == "trainable"), None)
                if self.model.const(trainable, scope) is not True:
                    builder = None
            if builder is not None:
                verdict, description = builder
                framework = catalogue.third_party_framework(qual) or (
                    "torch" if qual.startswith(("torchvision", "timm", "torch.")) else "keras")
                contents = Contents(bn=verdict, dropout=None, framework=framework, how=description,
                                    opaque_network=verdict is None)
                if verdict:
                    contents.bn_evidence.append((description, call))
                return contents
            last = keras_qual.rpartition(".")[2]
            if keras_qual.startswith("keras.models.") and last == "clone_model" and call.args:
                return self.contents_of(call.args[0], scope, depth + 1)
            if keras_qual.startswith("keras.") and last == "load_model":
                return Contents(framework="keras", how=f"loaded by `{self.model.text(call)}`", opaque_network=True)
        # A class or function defined in this module.
        if isinstance(func, ast.Lambda):
            # `"xception": lambda shape: keras.applications.Xception(...)` in a registry
            return self.contents_of(func.body, scope, depth + 1)
        if hasattr(func, "module_path") and self.model.project is not None:
            return self.model.project.contents_of_definition(func, call)  # filed by another module
        # a registry's entry may be the definition itself (`@register("resnet") class ResNet`)
        target = func if isinstance(func, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
            else self._local_definition(func, scope)
        if isinstance(target, ast.ClassDef):
            flags = self.call_flags(call, target)
            contents = self.specialized(target, flags, lambda: self.class_contents(target)) if flags else (
                self.class_contents(target))
            if contents is not None:
                contents = self._with_stored_arguments(contents, call, target, depth)
            if contents is not None and self._is_functional_subclass(target):
                graph = self._functional(call, scope, "keras")
                if graph is not None:
                    merged = Contents(bn=contents.bn, dropout=contents.dropout, framework="keras",
                                      bn_evidence=list(contents.bn_evidence),
                                      dropout_evidence=list(contents.dropout_evidence), how=contents.how,
                                      origin=contents.origin)
                    merged.merge(graph)
                    return merged
            return contents
        if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
            flags = self.call_flags(call, target)
            if flags:  # `make_layers(cfg, batch_norm=True)`
                return self.specialized(target, flags, lambda: self.function_returns(target, depth + 1))
            return self.function_returns(target, depth + 1)
        if target is None and isinstance(func, ast.Attribute):
            callee = self.index.local_callee(call)  # `self.build_generator()`
            if callee is not None:
                return self.function_returns(callee[0], depth + 1)
        # `ParameterizedCNN.generate_model(shape)`: a static or class method of a class, here or
        # in another module, that returns a model
        made = self._class_method_contents(func, depth)
        if made is not None:
            return made
        if isinstance(func, ast.Attribute) and not (isinstance(func.value, ast.Name) and func.value.id == "self") \
                and depth < 8:
            # `self.config.get_model()(x)`: what a method of the object's class (of this module or
            # another) returns (`if self.model is None: self.model = EEGNet(...); return self.model`)
            owner = instance_class(self, func.value)
            method = next((s for s in owner[1].body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and s.name == func.attr and s.name != "__init__"), None) \
                if owner is not None and owner[1] is not None else None
            if method is not None:
                home = owner[0]
                part = home.function_returns(method, depth + 1)
                if part is not None and part.framework is not None:
                    return part if home is self else self._foreign_contents(part, home.model)
        # A project class from another module: the project summaries may know it.
        project = self.model.project
        if project is not None and qual and depth < 8:
            # `base = freeze(load_base(name))` with `def freeze(model): model.trainable = False;
            # return model` in another module: the model this call hands it
            handed = _returned_parameter(project.definition(qual))
            if handed is not None:
                argument = self.index.argument_for(call, handed[0], handed[1])
                if argument is not None:
                    return self.contents_of(argument, scope, depth + 1)
        if project is not None and qual:
            contents = project.contents_of_qualname(qual, call)
            if contents is not None and depth < 8:
                contents = self._foreign_builder_call(call, qual, contents, depth)
            return contents
        if isinstance(func, ast.Attribute) and depth < 8:
            # `cfg.model(cfg)` with `--model` defaulting to a class (`default=AlphaGoZero`), or a
            # config member set to one: the class the option names
            chosen = self.model.values.definition(func, scope)
            if isinstance(chosen, (ast.Name, ast.Attribute)) and chosen is not func:
                named = self._callable_contents(chosen, self.index.scope_of(chosen), call, depth + 1)
                if named is not None:
                    return named
        if depth < 8:
            return self._passed_callable_contents(func, call, scope, depth)
        return None

    def _passed_callable_contents(self, func: ast.AST, call: ast.Call, scope, depth) -> Contents | None:
        """`self.backbone_fn(include_top=False)` / `model_fn(...)`, the callable a parameter (kept on
        `self` or not): what the callables its calls pass make, in this module or another
        (`TransferBuilder(tf.keras.applications.EfficientNetB0, ...)` in a notebook), when every
        one is known."""
        values = self.model.values
        binding = None
        if isinstance(func, ast.Name):
            binding = values.binding_of(func, scope)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            cls = self.index.enclosing_class(func)
            stored = self._self_attribute_values(cls, func.attr) if cls is not None else []
            if len(stored) == 1 and isinstance(stored[0][0], ast.Name):
                binding = values.binding_of(stored[0][0], stored[0][1])
        if binding is None or binding.kind != "param":
            return None
        result = None
        for site in values.argument_sites(binding)[:8]:
            argument = site.argument
            if not isinstance(argument, (ast.Name, ast.Attribute)):
                return None
            if site.values is values:
                part = self._callable_contents(argument, site.scope, call, depth + 1)
            else:
                # (a zoo builder another module names, built by this module's call; or a class or
                # function of the project, read where it is defined)
                qual = site.values.index.qualname(argument, site.scope)
                part = (self._callable_contents(None, scope, call, depth + 1, qual=qual)
                        or self.model.project.contents_of_qualname(qual, call)) if qual else None
            if part is None:
                return None
            if result is None:
                result = part
            else:
                result.merge(part)
        return result

    def mode_set_where_called(self, layer: ast.AST) -> bool:
        """See `_mode_set_where_called`; for a layer of another module, asked there (False when
        that module is not known)."""
        if hasattr(layer, "bnlint_path"):
            source = self.model.project.source_of(layer) if self.model.project is not None else None
            return source is not None and source[0].models.mode_set_where_called(source[1])
        return self._mode_set_where_called(layer)

    def _mode_set_where_called(self, layer: ast.AST) -> bool:
        """A layer (Dropout, BatchNormalization) whose every call states its own mode:
        `Dropout(0.5)(x, training=True)`, or `self.drop = Dropout(p)` always called as
        `self.drop(x, training=self.training)`. A flag given to the enclosing model's call does
        not reach it, so its mode is no evidence that the model needs one. A forwarded parameter
        (`training=training` in `call()`) is not such a statement: the enclosing call decides."""
        parent = self.index.parents.get(layer)
        if isinstance(parent, ast.Call) and parent.func is layer:
            return self._states_own_mode(parent)
        if (isinstance(parent, ast.Assign) and parent.value is layer and len(parent.targets) == 1
                and isinstance(parent.targets[0], ast.Name)):
            # `base = ResNet50(...)` then `h = base(inputs, training=True)` in a functional graph
            name = parent.targets[0].id
            scope = self.index.scope_of(parent)
            uses = [c for c in self.index.calls_named(name) if isinstance(c.func, ast.Name)
                    and self.model.values.binding_of(c.func, self.index.scope_of(c)) is not None
                    and self.model.values.binding_of(c.func, self.index.scope_of(c)).node is parent
                    and self.index.scope_of(c) is scope]
            return bool(uses) and all(self._states_own_mode(c) for c in uses)
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1
                and isinstance(parent.targets[0], ast.Attribute) and isinstance(parent.targets[0].value, ast.Name)
                and parent.targets[0].value.id == "self"):
            return False
        attribute = parent.targets[0].attr
        cls = self.index.enclosing_class(layer)
        uses = [c for c in self.index.calls_named(attribute)
                if isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name)
                and c.func.value.id == "self" and self.index.enclosing_class(c) is cls]
        return bool(uses) and all(self._states_own_mode(c) for c in uses)

    def _states_own_mode(self, call: ast.Call) -> bool:
        """The layer call passes `training=` that is not the enclosing model call's own flag: a
        constant, an attribute, or a parameter of a function that builds a graph (Keras bakes
        `layer(x, training=is_training)` into a functional model when it is built). A parameter
        of a layer's `call()`/`__call__()` is the flag forwarded at run time."""
        flag = next((k.value for k in call.keywords if k.arg == "training"), None)
        if flag is None:
            return False
        if isinstance(flag, ast.Name):
            binding = self.model.values.binding_of(flag)
            if binding is None:
                return False
            if binding.kind != "param":
                return True
            function = binding.scope.node
            return not (getattr(function, "name", "") in ("call", "__call__")
                        and self.index.enclosing_class(function) is not None)
        return True

    def layer_contents(self, expr: ast.AST) -> Contents | None:
        """Contents of a single layer expression: a catalogued layer, or a model."""
        if isinstance(expr, ast.Call):
            site = self.model.norm_site(expr)
            qual = site.qualname if site else self.index.qualname(expr.func)
            api = site.api if site else catalogue.lookup(qual)
            if api is not None:
                framework = "torch" if api.framework in ("torch", "torchvision") else "keras"
                contents = _empty(framework)
                if api.kind == catalogue.BATCH and api.key not in catalogue.FROZEN_NORM_KEYS:
                    contents.bn = True
                    contents.bn_evidence.append((api.display if not qual else qual.rpartition(".")[2], expr))
                elif api.kind == catalogue.DROPOUT:
                    contents.dropout = True
                    contents.dropout_evidence.append((qual.rpartition(".")[2], expr))
                return contents
            if qual and self._is_plain_framework_layer(qual):
                return _empty("torch" if qual.startswith("torch") else "keras")
        return self.contents_of(expr)

    def _is_plain_framework_layer(self, qual: str) -> bool:
        """A framework layer that is neither a normalization nor a dropout layer (Conv2D, ReLU...)."""
        name = catalogue.keras_name(qual)
        if name in ("keras.Input", "keras.InputLayer"):  # `keras.Sequential([keras.Input(shape), ...])`
            return True
        return name.startswith(("keras.layers.", "torch.nn.")) and not name.startswith("torch.nn.functional")

    def _sequential(self, call: ast.Call, qual: str, scope) -> Contents:
        framework = "torch" if qual.startswith("torch") else "keras"
        contents = _empty(framework, how="a Sequential model", origin=call)
        elements: list[ast.AST] = []
        if framework == "torch":
            elements = list(call.args)
        elif call.args and isinstance(call.args[0], (ast.List, ast.Tuple)):
            elements = list(call.args[0].elts)
        elif call.args and self._filled_container(call.args[0]) is not None:
            # `layers = [InputLayer(...)]; layers += [Dense(h), BatchNormalization()]` in a loop,
            # then `keras.Sequential(layers)`: the list, as for `nn.Sequential(*layers)`
            elements = [call.args[0]]
        elif call.args:
            contents.bn = contents.dropout = None
        for keyword in call.keywords:
            if keyword.arg == "layers" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                elements.extend(keyword.value.elts)
        for element in elements:
            items = self._filled_container(element.value if isinstance(element, ast.Starred) else element)
            if items is None and isinstance(element, ast.Starred):
                items = self._picked_from_filled_container(element.value)
            if items is not None:
                # `layers = []; layers += [conv, nn.BatchNorm2d(c)]; nn.Sequential(*layers)`, or an
                # OrderedDict filled in a loop: what it is filled with, a layer added under a flag
                # (`if batch_norm:`) only perhaps
                for item, conditional in items:
                    part = self.layer_contents(item)
                    if part is not None and conditional:
                        part = Contents(bn=part.bn and None, dropout=part.dropout and None,
                                        framework=part.framework, how=part.how, origin=part.origin)
                    contents.merge(part)
                continue
            if isinstance(element, ast.Starred):
                source = children_source(element.value)
                if source is not None:
                    # `nn.Sequential(*list(resnet.children())[:-1])`: the model without its head
                    contents.merge(self.contents_of(source))
                    continue
                contents.bn = contents.bn or None
                contents.dropout = contents.dropout or None
                continue
            part = self.layer_contents(element)
            contents.merge(part)
        return contents

    def _collection_elements(self, iterable: ast.AST, index: int | None, depth: int) -> list[ast.AST]:
        """The expressions a loop over `iterable` binds its variable to (`index`: the position in
        an unpacked target, as in `for name, net in nets.items()`): a literal's elements, a
        comprehension's element, what a list or dict is filled with, a name bound to one of
        these. Empty when unknown."""
        if depth > 8:
            return []
        if (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and not iterable.args
                and iterable.func.attr in ("values", "items")):
            if (iterable.func.attr == "items") != (index == 1):
                return []
            holder = iterable.func.value
            if isinstance(holder, ast.Dict):
                return [v for v in holder.values if v is not None]
            filled = self._filled_container(holder)
            return [item for item, _conditional in filled] if filled else []
        if index is not None:
            return []
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            return [e for e in iterable.elts if not isinstance(e, ast.Starred)]
        if isinstance(iterable, (ast.ListComp, ast.GeneratorExp)):
            return [iterable.elt]
        if isinstance(iterable, ast.Name):
            filled = self._filled_container(iterable)
            if filled:
                return [item for item, _conditional in filled]
            binding = self.model.values.binding_of(iterable)
            if binding is not None and binding.kind in ("assign", "annassign") and binding.value is not None:
                return self._collection_elements(binding.value, None, depth + 1)
        return []

    def _picked_from_filled_container(self, expr: ast.AST) -> list[tuple[ast.AST, bool]] | None:
        """`[entry[0] for entry in layers]` over a list filled with `(layer, out_shape)` tuples:
        the layers picked from its items (also `[layer for layer in layers]`)."""
        if not (isinstance(expr, (ast.ListComp, ast.GeneratorExp)) and len(expr.generators) == 1):
            return None
        generator = expr.generators[0]
        if generator.ifs or not isinstance(generator.target, ast.Name):
            return None
        variable, element = generator.target.id, expr.elt
        if isinstance(element, ast.Name) and element.id == variable:
            return self._filled_container(generator.iter)
        if not (isinstance(element, ast.Subscript) and isinstance(element.value, ast.Name)
                and element.value.id == variable and isinstance(element.slice, ast.Constant)
                and isinstance(element.slice.value, int)):
            return None
        items = self._filled_container(generator.iter)
        if items is None:
            return None
        position = element.slice.value
        return [(item.elts[position], conditional) for item, conditional in items
                if isinstance(item, (ast.Tuple, ast.List)) and -len(item.elts) <= position < len(item.elts)]

    def _filled_container(self, expr: ast.AST) -> list[tuple[ast.AST, bool]] | None:
        """The layers a list or dict named `expr` is filled with in its scope: its literal's
        elements, `.append(x)`, `.extend([...])`, `+= [...]`, `d[key] = x`; each with whether it
        is added under an `if` (a flag such as `batch_norm`). None when `expr` is not a name
        bound once to a list or dict (literal, `OrderedDict()`, `dict()`, `list()`)."""
        if not isinstance(expr, ast.Name):
            return None
        scope = self.index.scope_of(expr)
        # `layers += [...]` binds the name again, to the same list
        bindings = [b for b in self.index.lookup(expr.id, scope) if b.scope is scope and b.kind != "augassign"]
        window = None
        if len(bindings) > 1:
            # `layers = OrderedDict()` for the encoder, then again for the decoder: the list the
            # use sees, filled between its binding and the use
            reaching = self.model.values.reaching_binding(expr, scope)
            if reaching is None or not hasattr(expr, "lineno"):
                return None
            window = (reaching.node.lineno, expr.lineno)
            bindings = [reaching]
        if len(bindings) == 1 and bindings[0].kind == "unpack" and isinstance(bindings[0].value, (ast.Tuple, ast.List)) \
                and bindings[0].index is not None and bindings[0].index < len(bindings[0].value.elts):
            value = bindings[0].value.elts[bindings[0].index]  # `blocks, prev = [], n_features`
        elif len(bindings) != 1 or bindings[0].kind not in ("assign", "annassign") or bindings[0].value is None:
            return None
        else:
            value = bindings[0].value
        qual = self.index.qualname(value.func, scope) if isinstance(value, ast.Call) and isinstance(
            value.func, (ast.Name, ast.Attribute)) else None
        if not (isinstance(value, (ast.List, ast.Dict)) or qual in (
                "collections.OrderedDict", "builtins.dict", "builtins.list")):
            return None
        function = scope.node
        items: list[tuple[ast.AST, bool]] = [(e, False) for e in (
            value.elts if isinstance(value, ast.List) else value.values if isinstance(value, ast.Dict) else [])]

        def conditional(node) -> bool | None:
            """False: always added; True: added under an `if` whose outcome is unknown; None:
            never added (a branch the flags in force rule out)."""
            verdict = self.branch_verdict(node, stop=function)
            if verdict is None:
                tests = [a.test for a in self.index.ancestors(node) if isinstance(a, (ast.If, ast.IfExp))
                         and self.index.enclosing_function(a) is function]
                if tests and all(any(isinstance(n, ast.Name) and n.id == expr.id for n in ast.walk(t))
                                 for t in tests):
                    # `elif isinstance(layers[-1][0], nn.Conv2d): layers.append(BatchNorm2d(...))`:
                    # the list's own shape decides, as it is built (every conv gets its BN), not an
                    # option of the caller
                    return False
            return None if verdict is False else verdict is None

        def elements(node):
            return list(node.elts) if isinstance(node, (ast.List, ast.Tuple)) else [node]

        for node in ast.walk(function):
            if self.index.scope_of(node) is not scope:
                continue
            if window is not None and not (hasattr(node, "lineno") and window[0] < node.lineno < window[1]):
                continue
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == expr.id and node.args):
                if node.func.attr == "append":
                    items.append((node.args[0], conditional(node)))
                elif node.func.attr == "extend":
                    items.extend((e, conditional(node)) for e in elements(node.args[0]))
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == expr.id:
                items.extend((e, conditional(node)) for e in elements(node.value))
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                            and target.value.id == expr.id):
                        items.append((node.value, conditional(node)))
        return [(item, how) for item, how in items if how is not None]

    def _functional(self, call: ast.Call, scope, framework: str) -> Contents | None:
        """A functional model: what its graph, built in the same scope, contains."""
        outputs = call.args[1] if len(call.args) > 1 else None
        for keyword in call.keywords:
            if keyword.arg in ("outputs", "output"):  # `output=`: the Keras 1 spelling
                outputs = keyword.value
        if outputs is None:
            return None
        contents = self.scope_contents(scope.node)

        def same_framework(item):
            # a PyTorch twin built in the same scope (a porting script) is not part of the graph
            site = self.model.norm_site(item[1])
            return site is None or (site.api.framework == "torch") == (framework == "torch")

        bn_evidence = [e for e in contents.bn_evidence if same_framework(e)]
        dropout_evidence = [e for e in contents.dropout_evidence if same_framework(e)]
        result = Contents(bn=contents.bn if bn_evidence or not contents.bn_evidence else False,
                          dropout=contents.dropout if dropout_evidence or not contents.dropout_evidence else False,
                          framework=framework, bn_evidence=bn_evidence, dropout_evidence=dropout_evidence,
                          how="a functional model", origin=call)
        return result

    # ---- builders read per flag values ------------------------------------------------
    def _init_of(self, cls: ast.ClassDef) -> ast.FunctionDef | None:
        return next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)

    @staticmethod
    def _stored_parameters(function: ast.FunctionDef) -> dict[str, str]:
        """{attribute: parameter} for each `self.<attribute> = <parameter>` in a constructor."""
        names = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        return {stmt.targets[0].attr: stmt.value.id for stmt in ast.walk(function)
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name) and stmt.value.id in names
                and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Attribute)
                and isinstance(stmt.targets[0].value, ast.Name) and stmt.targets[0].value.id == "self"}

    @staticmethod
    def _stored_collections(function: ast.FunctionDef) -> set[str]:
        """The parameters a constructor keeps wrapped in a container of modules:
        `self.encoders = nn.ModuleList(encoders)`, `nn.Sequential(*layers)`, `nn.ModuleDict(heads)`."""
        names = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        kept = set()
        for stmt in ast.walk(function):
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call)
                    and isinstance(stmt.targets[0], ast.Attribute) and isinstance(stmt.targets[0].value, ast.Name)
                    and stmt.targets[0].value.id == "self" and len(stmt.value.args) == 1):
                continue
            func, argument = stmt.value.func, stmt.value.args[0]
            container = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if isinstance(argument, ast.Starred) and container == "Sequential":
                argument = argument.value
            elif container not in ("ModuleList", "ModuleDict"):
                continue
            if isinstance(argument, ast.Name) and argument.id in names:
                kept.add(argument.id)
        return kept

    def _steering(self, target: ast.AST) -> tuple[frozenset, dict[str, str]]:
        """The parameters of a function (or of a class's `__init__`) that an `if` around a
        normalization or dropout layer tests, and for a class the `self.<attr> = <param>` it
        keeps them in: ((params...), {attr: param})."""
        cached = self._steering_cache.get(target)
        if cached is not None:
            return cached
        function = self._init_of(target) if isinstance(target, ast.ClassDef) else target
        attributes: dict[str, str] = {}
        params: set[str] = set()
        if function is not None:
            names = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
            attributes = self._stored_parameters(function)
            for node in ast.walk(target):
                if not isinstance(node, ast.If) or not any(
                        self.model.norm_site(c) is not None for c in ast.walk(node) if isinstance(c, ast.Call)):
                    continue
                for part in ast.walk(node.test):
                    if isinstance(part, ast.Name) and part.id in names:
                        params.add(part.id)
                    elif (isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name)
                          and part.value.id == "self" and part.attr in attributes):
                        params.add(attributes[part.attr])
        result = (frozenset(params), attributes if isinstance(target, ast.ClassDef) else {})
        self._steering_cache[target] = result
        return result

    def call_flags(self, call: ast.Call, target: ast.AST) -> dict[str, object]:
        """The constant values a call of a local builder gives the parameters that decide
        whether it builds its normalization layers (`batch_norm=True`, `norm=None`), its
        defaults where the call passes nothing; parameters of unknown value are left out."""
        return self.call_flags_from(call, target, self._flag_value)

    def call_flags_from(self, call: ast.Call, target: ast.AST, value_of) -> dict[str, object]:
        """`call_flags` for a builder of this module called anywhere: `value_of` reads an
        argument in the calling module."""
        from bnlint.semantic.values import UNKNOWN

        params, _attributes = self._steering(target)
        if not params:
            return {}
        function = self._init_of(target) if isinstance(target, ast.ClassDef) else target
        if function is None:
            return {}
        args = function.args
        positional = [*args.posonlyargs, *args.args]
        defaults = dict(zip([a.arg for a in positional][len(positional) - len(args.defaults):], args.defaults))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        bound = isinstance(target, ast.ClassDef) or (
            isinstance(call.func, ast.Attribute) and self.index.enclosing_class(target) is not None)
        flags: dict[str, object] = {}
        for name in params:
            argument = self.index.argument_for(call, function, name, bound=bound)
            if argument is None and (any(isinstance(a, ast.Starred) for a in call.args)
                                     or any(k.arg is None for k in call.keywords)):
                continue  # `*args`/`**kwargs` may carry it
            value = value_of(argument) if argument is not None else (
                self.model.const(defaults[name], self.index.scope_of(function)) if name in defaults else UNKNOWN)
            if value is not UNKNOWN:
                flags[name] = value
        return flags

    def _flag_value(self, expr: ast.AST):
        """A flag's value: a parameter of a builder being read with known flags takes its value
        (`VGG(cfg, batch_norm)` handing it on to `make_layers(cfg, batch_norm)`), else a constant."""
        if isinstance(expr, ast.Name) and self._active_flags:
            binding = self.model.values.binding_of(expr)
            if binding is not None and binding.kind == "param":
                owner = binding.scope.node
                flags = self._active_flags.get(owner)
                if flags is None and getattr(owner, "name", "") == "__init__":
                    flags = self._active_flags.get(self.index.enclosing_class(owner))
                if flags is not None and expr.id in flags:
                    return flags[expr.id]
        return self.model.const(expr)

    def specialized(self, target: ast.AST, flags: dict[str, object], compute):
        """`compute()` (what `target` builds) with `flags` in force for `target`: read afresh,
        since every cached reading inside it assumed the flags unknown."""
        key = (target, tuple(sorted((k, repr(v)) for k, v in flags.items())))
        if key in self._specialized_cache:
            return self._specialized_cache[key]
        self._specialized_cache[key] = None  # recursion guard
        saved = (self._expr_cache, self._function_cache, self._scope_cache, self._class_cache,
                 self._active_flags)
        self._expr_cache, self._function_cache, self._scope_cache, self._class_cache = {}, {}, {}, {}
        self._active_flags = {**self._active_flags, target: flags}
        try:
            result = compute()
        finally:
            (self._expr_cache, self._function_cache, self._scope_cache, self._class_cache,
             self._active_flags) = saved
        self._specialized_cache[key] = result
        return result

    def branch_verdict(self, node: ast.AST, stop: ast.AST | None = None) -> bool | None:
        """Whether the `if` statements around `node` (up to `stop`, else its class or module)
        run it under the flags in force: True (all do, or there is none), False (one rules it
        out), None (one depends on something unknown)."""
        verdict: bool | None = True
        child = node
        for ancestor in self.index.ancestors(node):
            if ancestor is stop or isinstance(ancestor, (ast.ClassDef, ast.Module)):
                break
            if isinstance(ancestor, ast.If) and child is not ancestor.test:
                taken = self._test_value(ancestor.test, ancestor)
                if taken is not None and child in ancestor.orelse:
                    taken = not taken
                if taken is None and self._tests_loop_element(ancestor, stop):
                    taken = True  # `for v in cfg: if v == "M": ... else: ...`: the loop takes both
                if taken is False:
                    return False
                if taken is None:
                    verdict = None
            child = ancestor
        return verdict

    def _tests_loop_element(self, branch: ast.If, stop: ast.AST | None) -> bool:
        """The `if` tests only the element of a `for` loop around it (a layer configuration
        list, or `range(num_layers)` with its bound): each of its arms runs for some element."""
        loop_names: set[str] = set()
        for ancestor in self.index.ancestors(branch):
            if ancestor is stop or isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                         ast.Module)):
                break
            if isinstance(ancestor, ast.For):  # over a layer configuration, or `range(num_layers)`
                loop_names.update(n.id for n in ast.walk(ancestor.target) if isinstance(n, ast.Name))
        names = {n.id for n in ast.walk(branch.test) if isinstance(n, ast.Name)}
        # the element and the loop's own bounds (`if i != num_layer - 1:` in `range(num_layer)`)
        bounds = {n.id for a in self.index.ancestors(branch) if isinstance(a, ast.For)
                  for n in ast.walk(a.iter) if isinstance(n, ast.Name)}
        return bool(names & loop_names) and names <= loop_names | bounds | {
            "isinstance", "str", "int", "list", "tuple", "len", "range"}

    def _test_value(self, test: ast.AST, where: ast.AST) -> bool | None:
        """The truth of an `if` test from the flags in force, or None."""
        from bnlint.semantic.values import UNKNOWN

        if not self._active_flags:
            return None
        function = self.index.enclosing_function(where)
        cls = self.index.enclosing_class(where)
        names = dict(self._active_flags.get(function, {})) if function is not None else {}
        attributes: dict[str, object] = {}
        if cls is not None and cls in self._active_flags:
            flags = self._active_flags[cls]
            if function is not None and function.name == "__init__":
                names.update(flags)
            for attribute, param in self._steering(cls)[1].items():
                if param in flags:
                    attributes[attribute] = flags[param]
        if not names and not attributes:
            return None

        def value(expr):
            if isinstance(expr, ast.Name) and expr.id in names:
                return names[expr.id]
            if (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"
                    and expr.attr in attributes):
                return attributes[expr.attr]
            if isinstance(expr, ast.Constant):
                return expr.value
            return UNKNOWN

        def truth(expr) -> bool | None:
            if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
                inner = truth(expr.operand)
                return None if inner is None else not inner
            if isinstance(expr, ast.BoolOp):
                parts = [truth(v) for v in expr.values]
                if isinstance(expr.op, ast.And):
                    return False if False in parts else (None if None in parts else True)
                return True if True in parts else (None if None in parts else False)
            if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
                left, right = value(expr.left), value(expr.comparators[0])
                if left is UNKNOWN or right is UNKNOWN:
                    return None
                op = expr.ops[0]
                try:
                    if isinstance(op, (ast.Eq, ast.Is)):  # constants: `is None` compares as `==`
                        return left == right
                    if isinstance(op, (ast.NotEq, ast.IsNot)):
                        return left != right
                    if isinstance(op, ast.In):
                        return left in right
                    if isinstance(op, ast.NotIn):
                        return left not in right
                except TypeError:
                    return None
                return None
            found = value(expr)
            return None if found is UNKNOWN else bool(found)

        return truth(test)

    # ---- definitions ----------------------------------------------------------------
    def _local_definition(self, func: ast.AST, scope) -> ast.AST | None:
        found = self._classmethod_class(func)
        if found is not None:
            return found
        return self._named_definition(func, scope)

    def _classmethod_class(self, func: ast.AST) -> ast.ClassDef | None:
        """`cls` in a `@classmethod`: the class it is defined in. (Only the conventional names are
        looked up: `_local_definition` runs for every call.)"""
        if not isinstance(func, ast.Name) or func.id not in ("cls", "klass", "kls"):
            return None
        binding = self.model.values.binding_of(func)
        method = binding.scope.node if binding is not None and binding.kind == "param" else None
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not any(
                isinstance(d, ast.Name) and d.id == "classmethod" for d in method.decorator_list):
            return None
        positional = [*method.args.posonlyargs, *method.args.args]
        if not positional or positional[0].arg != func.id:
            return None
        return self.index.enclosing_class(method)

    def _named_definition(self, func: ast.AST, scope) -> ast.AST | None:
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
                and scope is not None):
            # `self.make_discriminator` named in a registry: the enclosing class's method
            cls = self.index.enclosing_class(scope.node) if scope.kind == "function" else None
            method = next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and s.name == func.attr), None) if cls is not None else None
            return method
        if not isinstance(func, ast.Name):
            return None
        bindings = self.index.lookup(func.id, scope)
        if len(bindings) == 1 and bindings[0].kind in ("class", "def"):
            return bindings[0].node
        if len(bindings) > 1 and all(b.kind in ("class", "def") for b in bindings) and hasattr(func, "lineno"):
            # a notebook defines `conv_block` again in a later cell: the definition above the use
            # is the one run (inside a function too, as long as each version is called after it)
            above = [b for b in bindings if (b.node.lineno, b.node.col_offset) < (func.lineno, func.col_offset)]
            if above:
                return max(above, key=lambda b: (b.node.lineno, b.node.col_offset)).node
        return self.index.definition_before_rebinding(bindings, func)

    def _is_functional_subclass(self, cls: ast.ClassDef) -> bool:
        return not any(
            isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in ("__init__", "build", "call")
            for stmt in cls.body
        )

    def framework_of_class(self, cls: ast.ClassDef, _depth: int = 0) -> str | None:
        for base in cls.bases:
            framework = catalogue.keras_or_torch_class(self.index.qualname(base))
            if framework:
                return framework
            if self.index.qualname(base) in catalogue.PLAIN_TF_MODULE_BASES:
                # a `tf.Module` network: its Keras layers are tracked, trained and called as in a
                # Keras model (`generator(x, training=True)` passes the flag on in `__call__`)
                return "keras"
            target = self._local_definition(base, self.index.scope_of(cls))
            if isinstance(target, ast.ClassDef) and _depth < 8:
                framework = self.framework_of_class(target, _depth + 1)
                if framework:
                    return framework
            inherited = self._imported_base_contents(base, cls)
            if inherited is not None and inherited.framework:
                return inherited.framework
        return None

    def _imported_base_contents(self, base: ast.AST, cls: ast.ClassDef) -> Contents | None:
        """What a base class from another module of the project holds (`class UNetTrain(UNet)`
        with `from model import UNet`), from the project summaries."""
        project = self.model.project
        if project is None or not isinstance(base, (ast.Name, ast.Attribute)):
            return None
        qual = self.index.qualname(base, self.index.scope_of(cls))
        if not qual or catalogue.keras_or_torch_class(qual):
            return None
        return project.contents_of_qualname(qual, None)

    def class_contents(self, cls: ast.ClassDef) -> Contents | None:
        """What a model/layer class holds: the layers built anywhere in its body, and those of
        its module-local base classes. None when the class is not a model or layer class."""
        return _memoized(self._class_cache, cls, None, lambda: self._class_contents(cls))

    def _class_contents(self, cls: ast.ClassDef) -> Contents | None:
        framework = self.framework_of_class(cls)
        if framework is None:
            return None
        contents = self.scope_contents(cls)
        result = Contents(bn=contents.bn, dropout=contents.dropout, framework=framework,
                          bn_evidence=list(contents.bn_evidence), dropout_evidence=list(contents.dropout_evidence),
                          how=f"class `{cls.name}`", origin=cls)
        for base in cls.bases:
            target = self._local_definition(base, self.index.scope_of(cls))
            if isinstance(target, ast.ClassDef):
                result.merge(self.class_contents(target))
            elif target is None:
                inherited = self._imported_base_contents(base, cls)
                if inherited is not None and inherited.framework:
                    result.merge(inherited)
        return result

    def _with_stored_arguments(self, contents: Contents, call: ast.Call, cls: ast.ClassDef, depth: int,
                               init: ast.FunctionDef | None = None) -> Contents:
        """A class instance with what its constructor call (here) hands it to keep: `VGG(features)`
        storing `self.features = features` holds the layers of the `features` passed. `init`: the
        class's `__init__` when the class is another module's."""
        init = init or self._init_of(cls)
        if init is None or depth > 8:
            return contents
        result = None
        for name in set(self._stored_parameters(init).values()):
            argument = self.index.argument_for(call, init, name, bound=True)
            if argument is None or isinstance(argument, ast.Constant):
                continue
            part = self.contents_of(argument, self.index.scope_of(call), depth + 1)
            if part is None or part.framework is None or not (part.bn or part.dropout or part.bn is None):
                continue
            result = self._kept_part(result, contents, part)
        for name in self._stored_collections(init):
            # `self.encoders = nn.ModuleList(encoders)`: the models of the list the call passes
            argument = self.index.argument_for(call, init, name, bound=True)
            if argument is None:
                continue
            part = (self._passed_collection_contents(argument, depth + 1) if isinstance(argument, ast.Name)
                    and self._is_parameter(argument) else self.collection_contents(argument, depth + 1))
            if part is not None and part.framework is not None and (part.bn or part.dropout):
                result = self._kept_part(result, contents, part)
        return result or contents

    def _is_parameter(self, name: ast.Name) -> bool:
        binding = self.model.values.reaching_binding(name, self.index.scope_of(name))
        return binding is not None and binding.kind == "param"

    @staticmethod
    def _kept_part(result: Contents | None, contents: Contents, part: Contents) -> Contents:
        if result is None:
            result = Contents(bn=contents.bn, dropout=contents.dropout, framework=contents.framework,
                              bn_evidence=list(contents.bn_evidence),
                              dropout_evidence=list(contents.dropout_evidence), how=contents.how,
                              origin=contents.origin, opaque_network=contents.opaque_network)
        result.merge(part)
        return result

    def _class_method_contents(self, func: ast.AST, depth: int) -> Contents | None:
        """`Factory.build(...)` with `build` a static or class method of a class of this module or
        of another one: what the method returns."""
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, (ast.Name, ast.Attribute))) or depth > 8:
            return None
        found = _class_named_by(self, func, self.index.scope_of(func))
        if found is None:
            return None
        home, cls = found
        method = next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and s.name == func.attr), None)
        if method is None and func.attr in catalogue.INSTANCE_LOADERS:
            # `LitSeg.load_from_checkpoint(path)`: the framework's class method makes an instance
            made = home.class_contents(cls)
            return made if home is self else self._foreign_contents(made, home.model)
        if method is None or not any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
                                     for d in method.decorator_list):
            return None
        made = home.function_returns(method, depth + 1)
        return made if home is self else self._foreign_contents(made, home.model)

    def _foreign_contents(self, part: Contents | None, other, how: str | None = None,
                          origin: ast.AST | None = None) -> Contents | None:
        """Contents read in another module (`other`, its semantic model), with its evidence as
        places in that file; `how` and `origin`, when given, say how this module reaches it."""
        if part is None:
            return None
        project = self.model.project
        if origin is None and part.origin is not None:
            origin = project.foreign(part.origin, other)
        return Contents(bn=part.bn, dropout=part.dropout, framework=part.framework,
                        bn_evidence=[(n, project.foreign(e, other)) for n, e in part.bn_evidence],
                        dropout_evidence=[(n, project.foreign(e, other)) for n, e in part.dropout_evidence],
                        how=part.how if how is None else how, origin=origin, opaque_network=part.opaque_network)

    def _foreign_builder_call(self, call: ast.Call, qual: str, contents: Contents, depth: int) -> Contents:
        """A call here of another module's builder: read with the flags this call gives it
        (`make_layers(cfg, batch_norm=True)`), and for a class with what it hands the instance to
        keep (`VGG(make_layers(...))`)."""
        found = self.model.project.definition(qual)
        if found is None:
            return contents
        other, target = found
        if not isinstance(target, (ast.ClassDef, ast.FunctionDef)):
            return contents
        flags = other.models.call_flags_from(call, target, self._flag_value)
        if flags:
            compute = (lambda: other.models.class_contents(target)) if isinstance(target, ast.ClassDef) else (
                lambda: other.models.function_returns(target))
            part = self._foreign_contents(other.models.specialized(target, flags, compute), other,
                                          how=contents.how, origin=contents.origin)
            if part is not None:
                part.framework = part.framework or contents.framework
                contents = part
        if isinstance(target, ast.ClassDef):
            contents = self._with_stored_arguments(contents, call, target, depth, init=other.models._init_of(target))
        return contents

    def _unpacked_call_contents(self, call: ast.Call, index: int, scope, depth) -> Contents | None:
        passed = self.model.values.passthrough_arguments(call, scope)
        if passed is not None:  # `model, opt = accelerator.prepare(model, opt)`: the same model
            return self.contents_of(passed[index], scope, depth + 1) if index < len(passed) else None
        target = self._local_definition(call.func, scope)
        if target is None and isinstance(call.func, ast.Attribute):
            callee = self.index.local_callee(call)
            target = callee[0] if callee is not None else None
        if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return self.tuple_returns(target, depth + 1).get(index)
        project = self.model.project
        qual = self.index.qualname(call.func, scope) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
        if project is not None and qual:
            found = project.contents_of_qualname(qual, call, element=index)
            if found is None and depth < 8:
                # `model, prediction_model, debug_model = centernet(...)`: a function of another
                # module returning several models, read there at the position unpacked here
                definition = project.definition(qual)
                if definition is not None and isinstance(definition[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                    other = definition[0]
                    found = self._foreign_contents(other.models.tuple_returns(definition[1], depth + 1).get(index),
                                                   other)
            return found
        return None

    def tuple_returns(self, func: ast.AST, depth: int = 0) -> dict[int, Contents]:
        """Models at each position of the tuples a function returns (`return model, optimizer`),
        merged over its return statements (the branches of an `if`/`elif` factory)."""
        return _memoized(self._function_cache, ("tuple", func), {}, lambda: self._tuple_returns(func, depth))

    def _tuple_returns(self, func: ast.AST, depth: int) -> dict[int, Contents]:
        returns = [n for n in ast.walk(func) if isinstance(n, ast.Return) and isinstance(n.value, ast.Tuple)
                   and self.index.enclosing_function(n) is func]
        scope = self.index.scopes.get(func)
        result: dict[int, Contents] = {}
        width = {len(r.value.elts) for r in returns}
        if len(width) == 1 and depth <= 10:
            for position in range(width.pop()):
                parts = [self.contents_of(r.value.elts[position], scope, depth + 1) for r in returns]
                known = [p for p in parts if p is not None]
                if not known:
                    continue
                merged = Contents(bn=False, dropout=False, framework=known[0].framework,
                                  how=f"returned by `{func.name}()`", origin=func)
                for part in parts:
                    merged.merge(part)
                if merged.framework is not None or merged.bn or merged.dropout:  # not an unknown parameter
                    result[position] = merged
        return result

    def function_returns(self, func: ast.AST, depth: int = 0) -> Contents | None:
        """Contents of what a module function returns, when it returns a model."""
        return _memoized(self._function_cache, func, None, lambda: self._function_returns(func, depth))

    def _function_returns(self, func: ast.AST, depth: int) -> Contents | None:
        returns = [n for n in ast.walk(func) if isinstance(n, ast.Return) and n.value is not None
                   and self.index.enclosing_function(n) is func]
        scope = self.index.scopes.get(func)
        parts = [self.contents_of(r.value, scope, depth + 1) for r in returns]
        known = [p for p in parts if p is not None]
        result = None
        if known:
            result = Contents(bn=False, dropout=False, framework=known[0].framework,
                              how=f"returned by `{func.name}()`", origin=func)
            for part in parts:
                result.merge(part)
        return result

    def scope_contents(self, node: ast.AST) -> Contents:
        """BN and dropout layers built lexically inside a function/class/module body, and in the
        module's classes and functions it calls. Unknown (None) when it calls project code that
        cannot be seen."""
        if node in self._scope_cache:
            return self._scope_cache[node]
        result = _empty()
        self._scope_cache[node] = result  # recursion guard: a cycle adds nothing
        unknown = False
        calls = self.calls_within(node) if not isinstance(node, ast.Module) else self._module_level_calls()
        for call in calls:
            if self._active_flags and self.branch_verdict(call) is False:
                continue  # `if norm == "batch":` in a block built with `norm=None`
            site = self.model.norm_site(call)
            if site is not None:
                if site.api.kind == catalogue.BATCH and site.api.key not in catalogue.FROZEN_NORM_KEYS:
                    result.bn = True
                    result.bn_evidence.append((site.qualname.rpartition(".")[2], call))
                elif site.api.kind == catalogue.DROPOUT and not self._mode_set_where_called(call):
                    result.dropout = True
                    result.dropout_evidence.append((site.qualname.rpartition(".")[2], call))
                continue
            qual = self.index.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
            api = catalogue.lookup(qual)
            if api is not None and api.kind == catalogue.DROPOUT:
                if not self._mode_set_where_called(call):
                    result.dropout = True
                    result.dropout_evidence.append((qual.rpartition(".")[2], call))
                continue
            if qual and qual.rpartition(".")[2] in _CONTAINER_CLASSES:
                # `nn.Sequential(feature_extractor, nn.Linear(...))`: the models a container is
                # given by name hold layers too (the layers built in place are calls, seen anyway)
                for member in _container_members(call):
                    if isinstance(member, ast.Name) and member.id != "self":
                        part = self.contents_of(member, self.index.scope_of(call))
                        if part is not None and part.framework is not None:
                            result.merge(part)
            target = self._local_definition(call.func, self.index.scope_of(call))
            if target is None and isinstance(call.func, ast.Attribute):
                # `outputs = self.head(features)` in `__init__`: the method builds layers too
                callee = self.index.local_callee(call)
                target = callee[0] if callee is not None else None
                if target is None and not (isinstance(call.func.value, ast.Name) and call.func.value.id == "self"):
                    # `x = self._my_net.net(inputs)` with `self._my_net = darknet()`: the method of
                    # the held object's class (of this module) builds the graph
                    owner = instance_class(self, call.func.value)
                    if owner is not None and owner[0] is self and owner[1] is not None:
                        target = next((s for s in owner[1].body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                                       and s.name == call.func.attr), None)
                    elif isinstance(call.func.value, ast.Name):
                        # `x = Generator.initial_block()(x)`: a static or class method of a class
                        # of this module builds the block
                        classes = self.index.lookup(call.func.value.id, self.index.scope_of(call))
                        if len(classes) == 1 and classes[0].kind == "class":
                            target = next((s for s in classes[0].node.body if isinstance(
                                s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == call.func.attr), None)
            if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if target is node:
                    continue
                flags = self.call_flags(call, target)
                if flags:
                    part = self.specialized(target, flags, lambda target=target: self.scope_contents(target))
                else:
                    part = self.scope_contents(target)
                result.merge(part)
                if isinstance(target, ast.ClassDef):
                    # what its base classes of this module build (`super().__init__(i, o)` makes
                    # the `self.norm` a subclass's `forward` uses)
                    for base in target.bases:
                        inherited = self._local_definition(base, self.index.scope_of(target))
                        if isinstance(inherited, ast.ClassDef) and inherited is not node and inherited is not target:
                            result.merge(self.class_contents(inherited) or self.scope_contents(inherited))
                continue
            picked = self.model.values.binding_of(call.func) if isinstance(call.func, ast.Name) else None
            if qual is None and (_registry_lookup(call.func) is not None or (
                    picked is not None and picked.kind in ("assign", "annassign")
                    and picked.value is not None and _registry_lookup(picked.value) is not None)):
                # `base = BACKBONES[name](weights="imagenet")`: a model a registry's entry makes
                # (also through the name it is picked into: `ctor = BACKBONES[name]; base = ctor()`)
                part = self.contents_of(call, self.index.scope_of(call))
                if part is not None and part.framework is not None:
                    result.merge(part)
                continue
            if qual is None:
                # `for up in up_stack: x = up(x)` over a list of blocks built elsewhere (the TF
                # segmentation tutorial's decoder): the blocks are applied here
                for element in self._looped_layers(call.func):
                    result.merge(self.layer_contents(element))
                # `block(self.inplanes, planes)` with the block class passed to the constructor
                # (`ResNet(BasicBlock, [2, 2, 2, 2])`): what the classes passed build
                passed_here = self._passed_definitions(call.func)
                for passed in passed_here:
                    if passed is not node:
                        result.merge(self.scope_contents(passed))
                if not passed_here and isinstance(call.func, ast.Name) and picked is not None \
                        and picked.kind == "param" and isinstance(node, ast.ClassDef):
                    # `self.backbone = backbone_cls(data_format=...)` with `OCRTrainNet(
                    # mobilenet.MobileNetV2Backbone, ...)`: the class another module defines, passed
                    part = self._passed_callable_contents(call.func, call, self.index.scope_of(call), 0)
                    if part is not None and part.framework is not None:
                        result.merge(part)
                if isinstance(call.func, ast.Name) and picked is not None and picked.kind == "param" \
                        and picked.scope.node is node and not isinstance(node, ast.ClassDef):
                    # `def DCGAN(generator_model, ...): generated = generator_model(inp); ...; return
                    # Model(inp, [generated, ...])`: the models the callers pass are part of the graph
                    part = self.contents_of(call.func)
                    if part is not None and part.framework is not None:
                        result.merge(part)
                if (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Attribute)
                        and not isinstance(node, ast.ClassDef)):
                    # `self.encoder.encoder_net(inputs)` in a function that wires a functional model
                    # from the sub-models of objects it holds: what those sub-models hold
                    part = self.contents_of(call.func)
                    if part is not None and part.framework is not None:
                        result.merge(part)
                # `self.conv(x)`, `layer(x)`, method calls: judged by what was built elsewhere
                continue
            builder = self._zoo_builder(call, self.index.scope_of(call), qual)
            if builder is not None:
                verdict, description = builder
                if verdict:
                    result.bn = True
                    result.bn_evidence.append((description, call))
                elif verdict is None:
                    unknown = True
                continue
            if not qual.startswith(_TENSOR_FUNCTION_ROOTS) and not qual.startswith("builtins."):
                project = self.model.project
                part = project.contents_of_qualname(qual, call, body=True) if project is not None else None
                if part is not None:
                    result.merge(part)
                elif self._looks_like_layer_factory(qual):
                    unknown = True
        if unknown:
            result.bn = result.bn or None
            result.dropout = result.dropout or None
        return result

    def _zoo_builder(self, call: ast.Call, scope, qual: str) -> tuple[bool | None, str] | None:
        """(holds BN, or None when unknown; description) for a call of a model zoo's builder, by
        the model it names (`timm.create_model("resnet50")`, `torch.hub.load(repo, "resnet18")`)
        and the norm layer it is given; None when `qual` is no known builder."""
        builder = catalogue.builder_contains_bn(qual)
        if builder is None and qual not in catalogue.BUILDERS_NAMED_BY_ARGUMENT:
            return None  # (most calls: no builder, and no argument worth reading)
        if builder is not None and builder[0] is not None:
            return self._with_norm_layer(call, scope, builder) if builder[0] else builder
        model_name = None
        if call.args:
            name_value = self.model.const(call.args[0], scope)
            model_name = name_value if isinstance(name_value, str) else None
        if model_name is None:
            name_value = next((self.model.const(k.value, scope) for k in call.keywords if k.arg == "model_name"), None)
            model_name = name_value if isinstance(name_value, str) else None
        if qual == "torch.hub.load" and model_name is not None:
            # `torch.hub.load("pytorch/vision:v0.10.0", "resnet18", pretrained=True)`
            entry = self.model.const(call.args[1], scope) if len(call.args) > 1 else next(
                (self.model.const(k.value, scope) for k in call.keywords if k.arg == "model"), None)
            model_name = f"{model_name} {entry}" if isinstance(entry, str) else None
        builder = catalogue.builder_contains_bn(qual, model_name)
        if builder is not None and builder[0]:
            builder = self._with_norm_layer(call, scope, builder)
        return builder

    def _passed_definitions(self, func: ast.AST, depth: int = 0) -> list[ast.AST]:
        """The module's classes (or functions) a parameter called as `func` is given by the calls
        of its function, through parameters handed on (`self._make_layer(block, ...)`)."""
        if not isinstance(func, ast.Name) or depth > 3:
            return []
        binding = self.model.values.binding_of(func)
        if binding is None or binding.kind != "param":
            return []
        found = []
        for _call, argument, arg_scope in (self.model.values.parameter_arguments(binding) or [])[:8]:
            if not isinstance(argument, ast.Name):
                continue
            target = self._local_definition(argument, arg_scope)
            if isinstance(target, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append(target)
            else:
                found.extend(self._passed_definitions(argument, depth + 1))
        return found

    def _looped_layers(self, func: ast.AST) -> list[ast.AST]:
        """The elements of the list literal a loop variable runs over (`for up, skip in
        zip(up_stack, skips)` with `up_stack = [pix2pix.upsample(512, 3), ...]`)."""
        if not isinstance(func, ast.Name):
            return []
        binding = self.model.values.binding_of(func)
        if binding is None or binding.kind != "for" or binding.value is None:
            return []
        iterable, index = binding.value, binding.index
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "zip":
            if index is None or index >= len(iterable.args):
                return []
            iterable = iterable.args[index]
        elif index is not None:
            return []
        origins = self.model.values.origins(iterable) if isinstance(iterable, ast.Name) else [(iterable, None)]
        if len(origins) != 1 or not isinstance(origins[0][0], (ast.List, ast.Tuple)):
            return []
        return list(origins[0][0].elts)[:16]

    def _looks_like_layer_factory(self, qual: str) -> bool:
        # Imported callables from outside the known frameworks may build layers; calls to
        # well-known utility libraries do not.
        return not qual.startswith(("os.", "sys.", "re.", "json.", "logging.", "time.", "random.", "pathlib.",
                                    "collections.", "itertools.", "functools.", "typing.", "argparse.",
                                    "matplotlib.", "pandas.", "scipy.", "sklearn.", "tqdm.", "PIL.", "copy.",
                                    "warnings.", "shutil.", "glob.", "pickle.", "datetime.", "csv.", "h5py.",
                                    "yaml.", "cv2.", "imageio.", "skimage.", "contextlib.", "operator.", "string.",
                                    "subprocess.", "inspect.", "math."))

    def _module_level_calls(self) -> list[ast.Call]:
        cached = self._scope_cache.get(("module-calls",))  # type: ignore[arg-type]
        if cached is not None:
            return cached  # type: ignore[return-value]
        calls = [c for c in self.index.calls if self.index.enclosing_function(c) is None
                 and self.index.enclosing_class(c) is None]
        self._scope_cache[("module-calls",)] = calls  # type: ignore[index]
        return calls

    def _self_attribute_values(self, cls: ast.ClassDef, attr: str) -> list[tuple[ast.AST, "Scope"]]:
        key = (cls, attr)
        cached = self._attribute_cache.get(key)
        if cached is None:
            cached = self._attribute_cache[key] = self._find_self_attribute_values(cls, attr)
        return cached

    def _find_self_attribute_values(self, cls: ast.ClassDef, attr: str) -> list[tuple[ast.AST, "Scope"]]:
        values = []
        for assign in self.index.assigns:
            if not isinstance(assign, (ast.Assign, ast.AnnAssign)) or assign.value is None:
                continue
            targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
            for target in targets:
                if (isinstance(target, ast.Attribute) and target.attr == attr and isinstance(target.value, ast.Name)
                        and target.value.id == "self" and self.index.enclosing_class(assign) is cls):
                    values.append((assign.value, self.index.scope_of(assign)))
                elif isinstance(target, (ast.Tuple, ast.List)) and self.index.enclosing_class(assign) is cls:
                    # `self.generator, self.discriminator = self.get_models()`
                    for position, element in enumerate(target.elts):
                        if (isinstance(element, ast.Attribute) and element.attr == attr
                                and isinstance(element.value, ast.Name) and element.value.id == "self"):
                            values.extend(self.model.values.unpacked(assign.value, position,
                                                                     self.index.scope_of(assign)))
        if not values:
            values = self._record_field_values(cls, attr)
        if not values:
            # set in a base class of this module (`class GAN(keras.Model)` sets
            # `self.discriminator`, `class WGAN(GAN)` trains it)
            for base in cls.bases:
                target = self._local_definition(base, self.index.scope_of(cls))
                if isinstance(target, ast.ClassDef) and target is not cls:
                    for value, scope in self._self_attribute_values(target, attr):
                        values.extend(self._dispatched(cls, value, scope))
                elif target is None and self.model.project is not None:
                    # a base class of another module sets `self.model = self.build_model()` and
                    # this class defines `build_model`: what it returns (another value set there is
                    # that module's to read)
                    qual = self.index.qualname(base, self.index.scope_of(cls)) if isinstance(
                        base, (ast.Name, ast.Attribute)) else None
                    defined = self.model.project.definition(qual) if qual else None
                    if defined is not None and isinstance(defined[1], ast.ClassDef):
                        other, base_cls = defined
                        for value, scope in other.models._self_attribute_values(base_cls, attr):
                            values.extend(found for found in self._dispatched(cls, value, scope)
                                          if found[0] is not value)
        return values

    def _record_field_values(self, cls: ast.ClassDef, attr: str) -> list[tuple[ast.AST, "Scope"]]:
        """A field of a dataclass, attrs class or NamedTuple (`encoder: tf.keras.Model`), whose
        `__init__` is generated: what the module's constructions of the class pass for it
        (`State(enc(), opt)`, `State(encoder=enc(), ...)`), and its default."""
        if not _is_record_class(cls, self.index):
            return []
        fields = [s.target.id for s in cls.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                  and "ClassVar" not in ast.dump(s.annotation)]
        if attr not in fields:
            return []
        position = fields.index(attr)
        values = []
        module_bindings = self.index.module_scope.bindings.get(cls.name, [])
        for call in self.index.calls_named(cls.name):
            if not isinstance(call.func, ast.Name) or self.index.lookup(cls.name, self.index.scope_of(call)) != \
                    module_bindings:
                continue
            passed = next((k.value for k in call.keywords if k.arg == attr), None)
            if passed is None and position < len(call.args) and not any(
                    isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                passed = call.args[position]
            if passed is not None:
                values.append((passed, self.index.scope_of(call)))
        default = next((s.value for s in cls.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                        and s.target.id == attr and s.value is not None), None)
        if default is not None and not (isinstance(default, ast.Call) and (self.index.qualname(
                default.func, self.index.scope_of(default)) or "").endswith("field")):
            values.append((default, self.index.scope_of(default)))
        return values

    def _dispatched(self, cls: ast.ClassDef, value: ast.AST, scope) -> list[tuple[ast.AST, "Scope"]]:
        """A base class's `self.model = self.build_model()` read for the subclass `cls`: the values
        `cls`'s own `build_model` returns (the method the call dispatches to), else `value`."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and isinstance(value.func.value, ast.Name) and value.func.value.id == "self"):
            return [(value, scope)]
        method = next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and s.name == value.func.attr), None)
        if method is None:
            return [(value, scope)]
        returned = [(n.value, self.index.scope_of(n)) for n in ast.walk(method) if isinstance(n, ast.Return)
                    and n.value is not None and self.index.enclosing_function(n) is method]
        return returned or [(value, scope)]

    def norm_layers_frozen(self, model_expr: ast.AST, before: ast.AST):
        """Where the module (or a helper it calls with the model, of this module or another)
        sets `trainable = False` on every BatchNormalization layer of `model_expr` before
        `before`: `for layer in model.submodules: if isinstance(layer, BatchNormalization):
        layer.trainable = False`. Keras runs such layers in inference mode whatever `training`
        says (TF 2.0 and later), so training no longer updates or uses batch statistics. None
        when not."""
        key = ast.dump(model_expr)
        function = self.index.enclosing_function(before)
        for node in self.index.assigns:
            if self.index.enclosing_function(node) is function and node.lineno < before.lineno \
                    and _freezes_norm_layers(self, node) == key:
                return node
        project = self.model.project
        for call in self.index.calls:
            if self.index.enclosing_function(call) is not function or call.lineno >= before.lineno or not call.args:
                continue
            positions = [i for i, a in enumerate(call.args) if ast.dump(a) == key]
            if not positions:
                continue
            callee = self.index.local_callee(call)
            if callee is not None:
                helper, where = (self, callee[0]), call
            elif project is not None and isinstance(call.func, (ast.Name, ast.Attribute)):
                found = project.definition(self.index.qualname(call.func, self.index.scope_of(call)) or "")
                if found is None or not isinstance(found[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                helper, where = (found[0].models, found[1]), call
            else:
                continue
            analysis, definition = helper
            params = [a.arg for a in (*definition.args.posonlyargs, *definition.args.args)]
            if positions[0] >= len(params):
                continue
            wanted = ast.dump(ast.Name(id=params[positions[0]], ctx=ast.Load()))
            if any(analysis.index.enclosing_function(node) is definition and _freezes_norm_layers(analysis, node)
                   == wanted for node in analysis.index.assigns):
                return where
        return None

    def trainable_variables_read(self, expr: ast.AST) -> ast.Attribute | None:
        """Where the module reads `expr.trainable_variables` (or `trainable_weights`): only Keras
        models and layers (and tf.Module) have them, so `expr` is one."""
        key = ast.dump(expr)
        for use in self.model.training.variable_uses:
            for source in use.sources:
                if source.kind == "trainable" and source.owner is not None and ast.dump(source.owner) == key:
                    return source.node
        return None

    def freezing_calls(self) -> list[tuple[ast.Call, ast.AST]]:
        """(the call, the model argument) for each call of a helper, of this module or another
        project module, that sets `trainable = False` on a parameter it is given (`freeze(backbone)`
        with `def freeze(model): model.trainable = False`); only helpers named for it
        (catalogue.FREEZE_HELPER_WORDS: the prefilter of the rules that ask knows only those)."""
        return self._trainable_setting_calls(False, catalogue.FREEZE_HELPER_WORDS)

    def unfreezing_calls(self) -> list[tuple[ast.Call, ast.AST]]:
        """(the call, the model argument) for each call of a helper, of this module or another
        project module, that sets `trainable = True` on a parameter it is given
        (`unfreeze_top(base, 40)` with `def unfreeze_top(model, n): model.trainable = True; ...`)."""
        return self._trainable_setting_calls(True, None)

    def _trainable_setting_calls(self, value: bool, words) -> list[tuple[ast.Call, ast.AST]]:
        key = f"_trainable_calls_{value}"
        cached = self.__dict__.get(key)
        if cached is not None:
            return cached
        found = []
        project = self.model.project
        for call in self.index.calls:
            if not call.args or not isinstance(call.func, (ast.Name, ast.Attribute)):
                continue
            name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
            if words is not None and not any(word in name for word in words):
                continue
            callee = self.index.local_callee(call)
            home, helper = (self, callee[0]) if callee is not None else (None, None)
            if helper is None and project is not None:
                qual = self.index.qualname(call.func)
                definition = project.definition(qual) if qual else None
                if definition is not None and isinstance(definition[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                    home, helper = definition[0].models, definition[1]
            if helper is None:
                continue
            params = [a.arg for a in (*helper.args.posonlyargs, *helper.args.args)]
            if callee is not None and callee[1]:
                params = params[1:]  # (a bound method: `self` is not among the call's arguments)
            changed = home._frozen_parameters(helper, value=value)
            found.extend((call, argument) for position, argument in enumerate(call.args[:len(params)])
                         if params[position] in changed and isinstance(argument, (ast.Name, ast.Attribute)))
        self.__dict__[key] = found
        return found

    def frozen_returns(self) -> list[tuple[ast.Assign, ast.Name]]:
        """(the assignment, the first later use of the name) for each name bound here to a model a
        helper, of this module or another project module, freezes and returns (`base, preprocess
        = load_backbone(freeze=True)` with `if freeze: base.trainable = False` and `return base,
        preprocess`): frozen at the assignment."""
        cached = self.__dict__.get("_frozen_returns")
        if cached is not None:
            return cached
        found = []
        for node in self.index.assigns:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call)):
                continue
            target = node.targets[0]
            names = [target] if isinstance(target, ast.Name) else list(target.elts) \
                if isinstance(target, ast.Tuple) else []
            if not names:
                continue
            call = node.value
            spelled = [call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", ""),
                       *(k.arg or "" for k in call.keywords)]
            if not any(word in text for text in spelled for word in catalogue.FREEZE_HELPER_WORDS) \
                    and self.index.local_callee(call) is None and not self._imports_freezing_module():
                # (the prefilter of the rules that ask knows calls that say so, and the helpers of
                # imported modules that set `trainable`)
                continue
            home, helper = self._helper_of(call)
            if helper is None:
                continue
            for position, name in enumerate(names):
                element = position if len(names) > 1 else None
                if not isinstance(name, ast.Name) or not home._returns_frozen(helper, element, node.value, self):
                    continue
                use = self._first_use_after(name, node)
                if use is not None:
                    found.append((node, use))
        self.__dict__["_frozen_returns"] = found
        return found

    def _imports_freezing_module(self) -> bool:
        project = self.model.project
        return project is not None and project.imports_mention(self.model.source, catalogue.TRAINABLE_WORDS)

    def _helper_of(self, call: ast.Call) -> tuple["ModelAnalysis | None", ast.AST | None]:
        """(its module's analysis, the function) for a call of a helper of this module or of
        another project module; (None, None) for anything else."""
        callee = self.index.local_callee(call)
        if callee is not None:  # `load_base()`, or `self.make_backbone()` of the enclosing class
            return self, callee[0]
        project = self.model.project
        if callee is None and project is not None and isinstance(call.func, (ast.Name, ast.Attribute)):
            qual = self.index.qualname(call.func)
            definition = project.definition(qual) if qual else None
            if definition is not None and isinstance(definition[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                return definition[0].models, definition[1]
        return None, None

    def _returns_frozen(self, function, position: int | None, call: ast.Call, caller: "ModelAnalysis") -> bool:
        """`function` returns (at `position` of the tuple it returns) a name it sets `trainable =
        False` on, in a branch `call` takes."""
        returned = set()
        for node in ast.walk(function):
            if not isinstance(node, ast.Return) or self.index.enclosing_function(node) is not function:
                continue
            value = node.value
            if position is not None:
                value = value.elts[position] if isinstance(value, ast.Tuple) and position < len(value.elts) else None
            if isinstance(value, ast.Name) or (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
                                               and value.value.id == "self"):
                returned.add(ast.dump(value))  # `return base`, `return self.base`
        for node in ast.walk(function):
            if not (isinstance(node, ast.Assign) and self.model.const(node.value) is False
                    and self.index.enclosing_function(node) is function):
                continue
            for target in node.targets:
                if (isinstance(target, ast.Attribute) and target.attr == "trainable"
                        and ast.dump(target.value) in returned
                        and not caller.model.values.not_taken_by(self.model.values, node, function, call)):
                    return True
        return False

    def _first_use_after(self, name: ast.Name, statement: ast.stmt) -> ast.Name | None:
        function = self.index.enclosing_function(statement)
        for call in self.calls_within(function) if function is not None else self._module_level_calls():
            for node in ast.walk(call):
                if (isinstance(node, ast.Name) and node.id == name.id and isinstance(node.ctx, ast.Load)
                        and node.lineno > statement.lineno):
                    return node
        return None

    def _frozen_parameters(self, function, value: bool = False) -> set[str]:
        """The parameters a function sets `trainable = False` (or `value`) on, outside loops over
        their layers."""
        names = set()
        for node in ast.walk(function):
            if not (isinstance(node, ast.Assign) and self.model.const(node.value) is value):
                continue
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "trainable" and \
                        isinstance(target.value, ast.Name):
                    binding = self.model.values.binding_of(target.value)
                    if binding is not None and binding.kind == "param" and binding.scope.node is function:
                        names.add(target.value.id)
        return names

    def derives_from(self, cls: ast.ClassDef, names: tuple, _depth: int = 0) -> bool:
        """`cls` derives, directly or through base classes of this module or of other project
        modules, from a class whose name is one of `names` (`pl.LightningModule` under
        `class SRGAN(SRModel)` with `class SRModel(pl.LightningModule, ABC)` in another module)."""
        if _depth > 6:
            return False
        scope = self.index.scope_of(cls)
        for base in cls.bases:
            if not isinstance(base, (ast.Name, ast.Attribute)):
                continue
            if (self.index.qualname(base, scope) or "").rpartition(".")[2] in names or \
                    (isinstance(base, ast.Name) and base.id in names) or \
                    (isinstance(base, ast.Attribute) and base.attr in names):
                return True
            found = self.class_reference(base)
            if found is not None and found[1] is not cls and found[0].derives_from(found[1], names, _depth + 1):
                return True
        return False

    def _with_norm_layer(self, call: ast.Call, scope, builder: tuple) -> tuple:
        """A zoo builder given `norm_layer=` builds its norm layers with it: BatchNorm when it is
        a BatchNorm class (or a `partial` of one), none when it is another catalogued norm or
        torchvision's FrozenBatchNorm2d (statistics never updated), unknown otherwise (a helper
        picking the layer by name: `partial(get_norm, cfg.NORM)`)."""
        norm = next((k.value for k in call.keywords if k.arg == "norm_layer"), None)
        if norm is None or (isinstance(norm, ast.Constant) and norm.value is None):
            return builder
        target = norm
        if isinstance(target, ast.Name):
            bound = self.model.values.binding_of(target, scope)
            if bound is not None and bound.kind in ("assign", "annassign") and bound.value is not None:
                target = bound.value
        if isinstance(target, ast.Call) and isinstance(target.func, (ast.Name, ast.Attribute)) and \
                self.index.qualname(target.func) == "functools.partial" and target.args:
            target = target.args[0]
        qual = self.index.qualname(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
        api = catalogue.lookup(qual)
        if api is not None and api.kind == catalogue.BATCH and api.key not in catalogue.FROZEN_NORM_KEYS:
            return builder
        if api is not None:
            return (False, builder[1])
        return (None, builder[1])

    def class_reference(self, expr: ast.AST):
        """(the analysis of its module, the class) that a name or attribute naming a class refers
        to (`LiverDataModule` defined here or imported from a project module); None otherwise."""
        if not isinstance(expr, (ast.Name, ast.Attribute)):
            return None
        target = self._local_definition(expr, self.index.scope_of(expr))
        if isinstance(target, ast.ClassDef):
            return self, target
        project = self.model.project
        found = project.definition(self.index.qualname(expr) or "") if project is not None else None
        if found is not None and isinstance(found[1], ast.ClassDef):
            return found[0].models, found[1]
        return None

    def lineage(self, cls: ast.ClassDef, limit: int = 8) -> list:
        """(the analysis of its module, the class) for `cls` and the classes it derives from that
        the project defines, of this module or of others (mixins included), nearest first."""
        found, pending = [], [(self, cls)]
        while pending and len(found) < limit:
            home, current = pending.pop(0)
            if any(current is known for _home, known in found):
                continue
            found.append((home, current))
            pending.extend(r for r in (home.class_reference(base) for base in current.bases) if r is not None)
        return found

    def class_reference_contents(self, expr: ast.AST, call: ast.Call) -> Contents | None:
        """What an instance of the class `expr` names contains (a class passed, not called)."""
        return self._callable_contents(expr, self.index.scope_of(expr), call, 0)

    def instance_class(self, expr: ast.AST) -> ast.ClassDef | None:
        """The class of this module `expr` is an instance of (`net = Net()`), when there is one."""
        found = instance_class(self, expr)
        return found[1] if found is not None and found[0] is self else None

    # ---- evidence helpers -----------------------------------------------------------
    @staticmethod
    def first_bn(contents: Contents) -> tuple[str, ast.AST] | None:
        return contents.bn_evidence[0] if contents.bn_evidence else None


# methods of a model that are not a forward pass of their own (the model's API, or `forward` itself,
# which `called_model` already reads as the model's call)
_NOT_FORWARDING = {"forward", "call", "__call__", "train", "eval", "to", "cuda", "cpu", "parameters",
                   "named_parameters", "state_dict", "load_state_dict", "zero_grad", "apply", "modules", "children"}


def forwarding_calls(analysis: "ModelAnalysis", call: ast.Call) -> list[ast.Call]:
    """The model's own forward passes a method call runs: `policy.select_action(state)` with
    `def select_action(self, state): probs = self(state.unsqueeze(0))` in the model's class (of
    this module): the `self(...)` / `self.forward(...)` calls in that method."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr in _NOT_FORWARDING:
        return []
    owner = instance_class(analysis, func.value)
    if owner is not None and (owner[0] is not analysis or owner[1] is None):
        return []
    if owner is not None:
        method = next((s for s in owner[1].body if isinstance(s, ast.FunctionDef) and s.name == func.attr), None)
    else:
        # the object's class is not known for sure (`policy = torch.load(path)` in one branch,
        # `Policy()` in the other): the one model class of the module with that method
        methods = [s for cls in analysis.index.classes if analysis.framework_of_class(cls) == "torch"
                   for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == func.attr]
        method = methods[0] if len(methods) == 1 else None
    if method is None:
        return []
    return [c for c in analysis.calls_within(method)
            if (isinstance(c.func, ast.Name) and c.func.id == "self") or (
                isinstance(c.func, ast.Attribute) and c.func.attr == "forward" and isinstance(c.func.value, ast.Name)
                and c.func.value.id == "self")]


def helper_model_calls(analysis: "ModelAnalysis", call: ast.Call) -> list[tuple[ast.Call, ast.AST]]:
    """A helper of this module given a model (`run_episode(env, policy)`) that runs it: (the
    helper's call of the model, `policy(state)`, the model expression this call passes)."""
    if not isinstance(call.func, ast.Name):
        return []
    helper = analysis._local_definition(call.func, analysis.index.scope_of(call))
    if not isinstance(helper, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    found = []
    for inner in analysis.calls_within(helper):
        if analysis.index.enclosing_function(inner) is not helper:
            continue
        # `policy(state)`, or the model's own method `policy.select_action(state)`
        runner = inner.func if isinstance(inner.func, ast.Name) else inner.func.value if (
            isinstance(inner.func, ast.Attribute) and isinstance(inner.func.value, ast.Name)
            and forwarding_calls(analysis, inner)) else None
        if runner is None:
            continue
        binding = analysis.model.values.binding_of(runner)
        if binding is None or binding.kind != "param" or binding.scope.node is not helper:
            continue
        argument = analysis.index.argument_for(call, helper, binding.name)
        if isinstance(argument, (ast.Name, ast.Attribute)):
            found.append((inner, argument))
    return found


def stepped_children(analysis: "ModelAnalysis", call: ast.AST) -> ast.AST | None:
    """The model whose sub-modules `next(it)` steps through: `model` of `next(model.children())`
    and of `it = model.children(); next(it)` (also `modules()`, `iter(model)`)."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "next"
            and call.args and analysis.index.qualname(call.func) == "builtins.next"):
        return None
    iterator = call.args[0]
    if isinstance(iterator, ast.Name):
        binding = analysis.model.values.binding_of(iterator)
        iterator = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
    if isinstance(iterator, ast.Call) and isinstance(iterator.func, ast.Attribute) and not iterator.args \
            and iterator.func.attr in ("children", "modules"):
        return iterator.func.value
    if isinstance(iterator, ast.Call) and isinstance(iterator.func, ast.Name) and iterator.func.id == "iter" \
            and len(iterator.args) == 1:
        return iterator.args[0]
    return None


def children_source(expr: ast.AST) -> ast.AST | None:
    """The model whose children a starred `nn.Sequential` argument lists: `model` of
    `list(model.children())[:-1]` (also without `list`, or through `tuple`)."""
    while isinstance(expr, ast.Subscript):
        expr = expr.value
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple") \
            and len(expr.args) == 1:
        expr = expr.args[0]
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "children"
            and not expr.args):
        return expr.func.value
    return None


def derived_model(analysis: "ModelAnalysis", expr: ast.AST) -> ast.AST | None:
    """The model a new one is made of: `nn.Sequential(*list(model.children())[:-1])` is `model`
    without its head (its weights and BatchNorm layers included)."""
    if not (isinstance(expr, ast.Call) and len(expr.args) == 1 and isinstance(expr.args[0], ast.Starred)):
        return None
    qual = analysis.index.qualname(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else None
    if catalogue.canonical(qual or "") != "torch.nn.Sequential":
        return None
    return children_source(expr.args[0].value)


def norm_convention(analysis: "ModelAnalysis", expr: ast.AST) -> tuple[str, str, ast.AST] | None:
    """(momentum convention, how it is known, where) of the normalization layer `expr` denotes:
    from the layers it resolves to or, for a name, the statistics its function reads from it
    (`layer.running_var` is PyTorch's, `layer.moving_variance` Keras's), as converters do with a
    layer passed to them."""
    ref = layer_ref(analysis, expr)
    if ref is not None and ref.sites:
        conventions = {site.api.momentum_convention for site in ref.sites if site.api.kind == catalogue.BATCH}
        if len(conventions) == 1 and None not in conventions:
            return conventions.pop(), f"{ref.sites[0].display} {ref.how}", ref.sites[0].call
    if not isinstance(expr, ast.Name):
        return None
    binding = analysis.model.values.binding_of(expr)
    if binding is not None:
        bindings, home = [binding], binding.scope
    else:
        # `for m in module.modules: ... m = m._obj` (a converter unwrapping each module): every
        # binding of the name in its function denotes the layer the branch handles
        bindings = analysis.index.lookup(expr.id, analysis.index.scope_of(expr))
        if not bindings or len({id(b.scope) for b in bindings}) != 1 or \
                not isinstance(bindings[0].scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        home = bindings[0].scope
    found = {}
    for node in ast.walk(home.node):
        if (isinstance(node, ast.Attribute) and node.attr in catalogue.STATISTIC_ATTRIBUTE_CONVENTIONS
                and isinstance(node.value, ast.Name) and node.value.id == expr.id
                and analysis.model.values.binding_of(node.value) in (*bindings, *((None,) if binding is None else ()))):
            found.setdefault(catalogue.STATISTIC_ATTRIBUTE_CONVENTIONS[node.attr], node)
    if len(found) == 1:
        convention, node = next(iter(found.items()))
        return convention, f"`{analysis.model.text(node, 40)}` is read from it", node
    return None


def _freezes_norm_layers(analysis: "ModelAnalysis", node: ast.AST) -> str | None:
    """For `layer.trainable = False` on a layer picked as a BatchNormalization (by type or by
    name) in a loop over a model's layers (`for layer in model.layers`, `.submodules`,
    `._flatten_layers()`): the dumped expression of that model. None for other statements."""
    if not (isinstance(node, ast.Assign) and analysis.model.const(node.value) is False):
        return None
    for target in node.targets:
        if not (isinstance(target, ast.Attribute) and target.attr == "trainable" and isinstance(target.value, ast.Name)):
            continue
        layer = target.value
        if declared_norm(analysis, layer) is None and norm_selected_by_name(analysis.index, layer) is None:
            continue
        for ancestor in analysis.index.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                break
            if isinstance(ancestor, (ast.For, ast.AsyncFor)) and isinstance(ancestor.target, ast.Name) \
                    and ancestor.target.id == layer.id:
                iterable = ancestor.iter
                if isinstance(iterable, ast.Call):
                    iterable = iterable.func  # `model._flatten_layers()`
                if isinstance(iterable, ast.Attribute) and iterable.attr in (
                        "layers", "submodules", "_flatten_layers", "_layers"):
                    return ast.dump(iterable.value)
                break
    return None


def declared_norm(analysis: "ModelAnalysis", expr: ast.AST) -> tuple[str, ast.AST] | None:
    """(how, where) when the code itself says `expr` is a normalization layer without building
    it: a parameter annotated with a norm class (`bn: nn.BatchNorm2d`, also in a `Union`), or a
    name narrowed by an enclosing `if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))`."""
    from bnlint import catalogue

    if not isinstance(expr, ast.Name):
        return None
    index = analysis.index

    def names_norm(node, scope) -> bool:
        classes = [node] if isinstance(node, (ast.Name, ast.Attribute)) else [
            e for e in ast.walk(node) if isinstance(e, (ast.Name, ast.Attribute))]
        for cls in classes:
            api = catalogue.lookup(index.qualname(cls, scope))
            if api is not None and api.kind == catalogue.BATCH and api.form == catalogue.CLASS:
                return True
        return False

    binding = analysis.model.values.binding_of(expr)
    annotation = getattr(binding.node, "annotation", None) if binding is not None and binding.kind == "param" else None
    if annotation is not None and names_norm(annotation, binding.scope.parent or binding.scope):
        return f"annotated `{analysis.model.text(annotation, 40)}`", binding.node
    for test, classes in isinstance_narrowing(index, expr):
        if names_norm(classes, index.scope_of(test)):
            return f"checked with `{analysis.model.text(test, 50)}`", test
    return None


def isinstance_narrowing(index, expr: ast.Name, excluded: bool = False) -> list[tuple[ast.Call, ast.expr]]:
    """(the `isinstance` test, its class argument) for each check that narrows the name `expr`
    where it is used: an enclosing `if isinstance(m, C):` whose body holds the use, or an
    earlier guard of the same function, `if not isinstance(layer, C): raise ...` (or return).
    With `excluded`, the checks that rule the class out instead: `if not isinstance(layer, C):`
    around the use, or `if isinstance(layer, C): continue` before it."""
    found = []

    def checks(test, negated):
        if negated != excluded:
            if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
                return None
            test = test.operand
        if (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
                and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and test.args[0].id == expr.id):
            return test
        return None

    def guards(block, child, exits):
        # `if not isinstance(layer, C): continue` (in a loop) or `raise`/`return` before the use
        for stmt in block:
            if stmt is child:
                break
            if (isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[-1], exits)
                    and not stmt.orelse):
                test = checks(stmt.test, negated=True)
                if test is not None:
                    found.append((test, test.args[1]))

    child = expr
    in_loop = False
    for ancestor in index.ancestors(expr):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
            guards(ancestor.body, child, (ast.Raise, ast.Return))
            break
        if isinstance(ancestor, (ast.Lambda, ast.ClassDef)):
            break
        if isinstance(ancestor, ast.If) and any(expr is n for stmt in ancestor.body for n in ast.walk(stmt)):
            test = checks(ancestor.test, negated=False)
            if test is not None:
                found.append((test, test.args[1]))
        if isinstance(ancestor, (ast.For, ast.While)) and child in ancestor.body and not in_loop:
            guards(ancestor.body, child, (ast.Continue, ast.Raise, ast.Return))
            in_loop = True  # a `continue` skips only the innermost loop's rest
        child = ancestor
    return found


_NORM_LAYER_NAME_PART = re.compile(r"(^|[_/.\-])bn\d*($|[_/.\-])|batch_?norm", re.IGNORECASE)


def norm_selected_by_name(index, expr: ast.Name) -> ast.If | None:
    """The `if` that picks the layer `expr` by a normalization-like name where it is used:
    `if "_bn" in layer.name:` around the use, or a guard before it that skips the others
    (`if re.findall("_bn", layer.name) == []: continue`, `if "bn" not in layer.name: continue`)."""
    def mentions(test) -> bool:
        names_it = any(isinstance(n, ast.Attribute) and n.attr == "name" and isinstance(n.value, ast.Name)
                       and n.value.id == expr.id for n in ast.walk(test))
        return names_it and any(isinstance(n, ast.Constant) and isinstance(n.value, str)
                                and _NORM_LAYER_NAME_PART.search(n.value) for n in ast.walk(test))

    def negative(test) -> bool:
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return True
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(op, ast.NotIn):
                return True
            empty = (isinstance(right, (ast.List, ast.Tuple)) and not right.elts) or (
                isinstance(right, ast.Constant) and right.value in (None, 0, False))
            return isinstance(op, (ast.Eq, ast.Is)) and empty
        return False

    child = expr
    for ancestor in index.ancestors(expr):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
        if isinstance(ancestor, ast.If) and child in ancestor.body and mentions(ancestor.test) \
                and not negative(ancestor.test):
            return ancestor
        if isinstance(ancestor, (ast.For, ast.While)) and child in ancestor.body:
            for stmt in ancestor.body:
                if stmt is child:
                    break
                if (isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[-1], ast.Continue)
                        and not stmt.orelse and mentions(stmt.test) and negative(stmt.test)):
                    return stmt
            return None
        child = ancestor
    return None


_NORM_PARAMETER_NAMES = re.compile(r"^(bn\d*|batch_?norm\w*|\w+_bn\d*|bn_\w+|\w+_batch_?norm)$", re.IGNORECASE)


def norm_named_parameter(analysis: "ModelAnalysis", expr: ast.AST) -> tuple[str, ast.AST] | None:
    """(how, where) when `expr` is a parameter whose name says it is a batch norm layer
    (`def merge_batch_norm(modules, batch_norm)`, `def fold(conv, bn)`) in a module that imports
    a deep-learning framework: weaker evidence than an annotation, for warnings."""
    if not isinstance(expr, ast.Name) or not _NORM_PARAMETER_NAMES.match(expr.id):
        return None
    if not analysis.index.imported_frameworks():
        return None
    binding = analysis.model.values.binding_of(expr)
    if binding is None or binding.kind != "param":
        return None
    function = binding.scope.node
    return f"the parameter `{expr.id}` of `{getattr(function, 'name', 'lambda')}()` is named for one", binding.node


@dataclass
class LayerRef:
    """What an expression like `bn`, `self.bn`, `model.layers[1]` or a loop's `layer` denotes:
    normalization layers built at `sites`, as part of the model `owner` when it is one."""

    sites: list
    how: str
    owner: Contents | None = None
    origin: ast.AST | None = None  # where `how` points, for evidence


_LAYER_COLLECTIONS = {"layers", "submodules", "_layers"}
_LAYER_METHODS = {"get_layer", "modules", "children", "named_modules", "named_children"}


def layer_ref(analysis: ModelAnalysis, expr: ast.AST, _depth: int = 0) -> LayerRef | None:
    """Resolve an expression to the normalization layer(s) it can denote, or None."""
    model = analysis.model
    index = analysis.index
    if _depth > 6:
        return None
    if isinstance(expr, ast.Call):
        site = model.norm_site(expr)
        if site is not None:
            return LayerRef([site], "built here", origin=expr)
        if isinstance(expr.func, ast.Attribute) and expr.func.attr == "get_layer":
            return _collection_ref(analysis, expr, _depth)  # `model.get_layer("bn")`
        if (isinstance(expr.func, ast.Name) and expr.func.id == "getattr" and len(expr.args) >= 2
                and index.qualname(expr.func) == "builtins.getattr"):
            # `getattr(model, f"bn{i}")`: one of the model's layers
            return _owner_layers(analysis, expr.args[0])
        if (isinstance(expr.func, ast.Name) and expr.func.id == "eval" and len(expr.args) == 1
                and index.qualname(expr.func) == "builtins.eval"):
            return _evaluated_self_layer(analysis, expr)  # `eval("self.bn" + str(i + 1))`
        stepped = stepped_children(analysis, expr)
        for _ in range(4):
            # `block = next(model.children()); bn = next(block.children())`: the layers of `model`
            binding = model.values.binding_of(stepped) if isinstance(stepped, ast.Name) else None
            outer = stepped_children(analysis, binding.value) if binding is not None and \
                binding.kind in ("assign", "annassign") else None
            if outer is None:
                break
            stepped = outer
        if stepped is not None:
            return _owner_layers(analysis, stepped)
        return _returned_layers(analysis, expr, _depth)
    if isinstance(expr, ast.Name):
        # a name bound several times (`pt_layer` in one loop over convolutions, the next over BNs):
        # the binding that reaches this use
        binding = model.values.binding_of(expr)
        if binding is None:
            # `batch_norm = None`, then `if ...: batch_norm = sub_model.layers[i + 1]`: the one
            # assignment that is a layer at all
            reaching = [b for b in model.values.reaching_bindings(expr) if not (
                b.kind == "assign" and isinstance(b.value, ast.Constant) and b.value.value is None)]
            if len(reaching) != 1:
                return None
            binding = reaching[0]
        if binding.kind in ("assign", "annassign") and binding.value is not None:
            return layer_ref(analysis, binding.value, _depth + 1)
        if binding.kind == "param":
            # `def port_bn(torch_bn, keras_bn): ...`: the layers every call passes
            arguments = analysis.model.values.parameter_arguments(binding) or []
            if len(arguments) == 1 and arguments[0][0] is None and analysis.model.project is not None:
                # a helper only other modules call (`bn2d_load(weights, layer)` imported by the
                # model's module): the layers they pass, as sites of theirs
                return _external_parameter_layers(analysis, binding, _depth)
            sites, hows = [], []
            for call, argument, _scope in arguments:
                if call is None or argument is None:
                    return None
                ref = layer_ref(analysis, argument, _depth + 1)
                if ref is None:
                    # a helper also given other layers (`load_norm(self.norm, ...)` with a
                    # LayerNorm): the normalization layers among its arguments
                    continue
                sites.extend(ref.sites)
                hows.append(ref.how)
            return LayerRef(sites, f"{hows[0]}, passed as `{binding.name}`") if sites else None
        if (binding.kind == "unpack" and isinstance(binding.value, (ast.Tuple, ast.List))
                and binding.index is not None and binding.index < len(binding.value.elts)):
            # `conv, bn = block[0], block[1]`
            return layer_ref(analysis, binding.value.elts[binding.index], _depth + 1)
        if (binding.kind == "unpack" and isinstance(binding.value, ast.Call) and binding.index is not None
                and not (isinstance(binding.value.func, ast.Attribute) and binding.value.func.attr in _LAYER_METHODS)):
            # `keras_bn, torch_bn = make_bn_pair(64)`: that element of the tuples the helper returns
            found = _returned_element_layers(analysis, binding.value, binding.index, _depth)
            if found is not None:
                return found
        if binding.kind == "unpack" and (
                isinstance(binding.value, ast.Attribute) and binding.value.attr in _LAYER_COLLECTIONS
                or isinstance(binding.value, ast.Call) and isinstance(binding.value.func, ast.Attribute)
                and binding.value.func.attr in ("modules", "children")):
            # `dense0, bn, _, dense1 = km.layers`: one of the model's layers
            return _collection_ref(analysis, binding.value, _depth + 1, indexed=True)
        if binding.kind == "unpack" and isinstance(binding.value, (ast.Name, ast.Attribute)):
            # `conv, bn, act = block` with `block` an `nn.Sequential`: one of its children
            return _collection_ref(analysis, binding.value, _depth + 1, indexed=True) or \
                layer_ref(analysis, binding.value, _depth + 1)
        if binding.kind in ("for", "comp") and binding.index is None:
            return _element_ref(analysis, binding.value, _depth)
        if (binding.kind == "for" and binding.index == 1 and isinstance(binding.value, ast.Call)
                and isinstance(binding.value.func, ast.Name) and binding.value.func.id == "enumerate"
                and binding.value.args):
            # `for i, bn in enumerate(self.bns)`
            return _element_ref(analysis, binding.value.args[0], _depth)
        if (binding.kind in ("for", "comp") and binding.index == 1 and isinstance(binding.value, ast.Call)
                and isinstance(binding.value.func, ast.Attribute)
                and binding.value.func.attr in ("named_modules", "named_children")):
            # `for name, m in model.named_modules()`: one of the model's layers
            return _collection_ref(analysis, binding.value, _depth + 1)
        if (binding.kind == "for" and binding.index is not None
                and isinstance(binding.value, (ast.List, ast.Tuple)) and binding.value.elts):
            # `for bn, name in [(model.bn1, "batch_normalization_1"), ...]`
            sites, hows = [], []
            for element in binding.value.elts:
                if not isinstance(element, (ast.Tuple, ast.List)) or binding.index >= len(element.elts):
                    return None
                ref = layer_ref(analysis, element.elts[binding.index], _depth + 1)
                if ref is None:
                    return None
                sites.extend(ref.sites)
                hows.append(ref.how)
            return LayerRef(sites, hows[0]) if sites else None
        if binding.kind == "for" and binding.index is not None:
            # `for t, k in zip(torch_model.modules(), keras_model.layers)`
            iterable = binding.value
            if (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "zip"
                    and binding.index < len(iterable.args) and not iterable.keywords):
                return _element_ref(analysis, iterable.args[binding.index], _depth)
            if binding.kind == "for" and isinstance(iterable, ast.Name):
                # `bns = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.BatchNorm2d)]`
                # then `for i, (name, bn) in enumerate(bns)`: the comprehension's element there
                origins = analysis.model.values.origins(iterable)
                made = origins[0][0] if len(origins) == 1 else None
                if (isinstance(made, (ast.ListComp, ast.GeneratorExp)) and isinstance(made.elt, ast.Tuple)
                        and binding.index < len(made.elt.elts)):
                    return layer_ref(analysis, made.elt.elts[binding.index], _depth + 1)
        return None
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, (ast.Name, ast.Attribute)):
        # `self.bn`; `ym.bn` where `ym = YM()` and class YM sets `self.bn = nn.BatchNorm2d(...)`;
        # `net.block1.bn0` through the classes of the attributes, also in other modules
        if isinstance(expr.value, ast.Name) and expr.value.id == "self":
            owner, how = (analysis, index.enclosing_class(expr)), f"`self.{expr.attr}`"
        else:
            owner = instance_class(analysis, expr.value)
            how = f"`{model.text(expr, 40)}` (class `{owner[1].name}`)" if owner is not None else ""
        if owner is None or owner[1] is None:
            return None
        home, cls = owner
        sites = []
        for value, _scope in home._self_attribute_values(cls, expr.attr):
            ref = layer_ref(home, value, _depth + 1)
            if ref is None:
                return None
            sites.extend(ref.sites)
        if home is not analysis:
            project = model.project
            sites = [project.foreign_site(site, home.model) for site in sites] if project is not None else []
            if not sites or None in sites:
                return None
        return LayerRef(sites, how) if sites else None
    if isinstance(expr, ast.Subscript):
        return _collection_ref(analysis, expr.value, _depth, indexed=True)
    return None


def _returned_layers(analysis: ModelAnalysis, call: ast.Call, depth: int) -> LayerRef | None:
    """`make_torch_bn(spec)` with `def make_torch_bn(spec): return nn.BatchNorm1d(spec.channels,
    eps=spec.eps)` (or `layer = ...; layer.build(...); return layer`), a helper of this module
    (no project lookup: a layer made in another module comes through its caller there): the
    normalization layers every return of the helper gives."""
    callee = analysis.index.local_callee(call)
    if callee is None or depth > 4:
        return None
    function = callee[0]
    sites, hows = [], []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Return) and analysis.index.enclosing_function(node) is function):
            continue
        ref = layer_ref(analysis, node.value, depth + 1) if node.value is not None else None
        if ref is None:
            return None
        sites.extend(ref.sites)
        hows.append(ref.how)
    return LayerRef(sites, f"{hows[0]}, returned by `{analysis.model.text(call.func, 30)}()`") if sites else None


def _returned_element_layers(analysis: ModelAnalysis, call: ast.Call, position: int, depth: int) -> LayerRef | None:
    """The normalization layers at `position` of the tuples a helper returns, of this module or
    of another (then as sites there)."""
    if depth > 4:
        return None
    home, function = analysis, None
    callee = analysis.index.local_callee(call)
    if callee is not None:
        function = callee[0]
    elif isinstance(call.func, ast.Name) and analysis.model.project is not None:
        found = analysis.model.project.definition(analysis.index.qualname(call.func) or "")
        if found is not None and isinstance(found[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
            home, function = found[0].models, found[1]
    if function is None:
        return None
    sites, hows = [], []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple)
                and home.index.enclosing_function(node) is function and position < len(node.value.elts)):
            continue
        ref = layer_ref(home, node.value.elts[position], depth + 1)
        if ref is None:
            return None
        sites.extend(ref.sites)
        hows.append(ref.how)
    if not sites:
        return None
    if home is not analysis:
        project = analysis.model.project
        sites = [project.foreign_site(site, home.model) for site in sites]
        if None in sites:
            return None
    return LayerRef(sites, f"{hows[0]}, returned by `{analysis.model.text(call.func, 30)}()`")


def _external_parameter_layers(analysis: ModelAnalysis, binding, depth: int) -> LayerRef | None:
    project = analysis.model.project
    sites, hows = [], []
    for other, _call, argument in (analysis.model.values.external_arguments(binding) or [])[:8]:
        if argument is None or depth > 4:
            return None
        ref = layer_ref(other.models, argument, depth + 1)
        if ref is None:
            return None
        sites.extend(project.foreign_site(site, other) for site in ref.sites)
        hows.append(ref.how)
    return LayerRef(sites, f"{hows[0]}, passed as `{binding.name}` elsewhere") if sites else None


def layers_loop_owner(analysis: ModelAnalysis, layer: ast.AST):
    """(the model, whether the loop takes only part of them) when `layer` is the variable of a loop
    over a model's layers (a freeze loop): `for layer in base.layers:`, `base.layers[:-60]`, or
    `for i, layer in enumerate(base.layers): if i < n: ...`."""
    if not isinstance(layer, ast.Name):
        return None
    binding = analysis.model.values.binding_of(layer)
    if binding is None or binding.kind != "for" or binding.value is None:
        return None
    iterable, partial = binding.value, False
    if binding.index is not None:
        # `for i, layer in enumerate(base.layers): if i < n: layer.trainable = False`
        if not (binding.index == 1 and isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name)
                and iterable.func.id == "enumerate" and iterable.args):
            return None
        iterable, partial = iterable.args[0], any(isinstance(a, ast.If) for a in analysis.index.ancestors(layer))
    if isinstance(iterable, ast.Subscript) and isinstance(iterable.slice, ast.Slice):
        iterable, partial = iterable.value, True
    if isinstance(iterable, ast.Attribute) and iterable.attr == "layers" and isinstance(
            iterable.value, (ast.Name, ast.Attribute)):
        return iterable.value, partial
    return None


def _rewraps(value: ast.AST, attr: str) -> bool:
    """`self.<attr> = wrap(self.<attr>, ...)`: a wrapper given the attribute's own model."""
    return (isinstance(value, ast.Call) and bool(value.args) and isinstance(value.args[0], ast.Attribute)
            and value.args[0].attr == attr and isinstance(value.args[0].value, ast.Name)
            and value.args[0].value.id == "self")


def _reloads_saved_model(value: ast.AST) -> bool:
    """`load_phase_model(path, device=...)`, `restore_model(ckpt)`: a helper bnlint cannot read that
    reloads a saved model; beside another assignment of the attribute (the network the class
    builds and saves), the same network."""
    func = value.func if isinstance(value, ast.Call) else None
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    # (Keras's `model_from_json(text)` / `model_from_yaml`: the architecture the class saved
    # beside its weights, `load_weights` right after)
    return name.lower().startswith(("load", "restore")) and "model" in name.lower() or name.lower() in (
        "load_checkpoint", "restore_checkpoint", "model_from_json", "model_from_yaml", "model_from_config")


_RETURNS_ITSELF = catalogue.MODULE_METHODS_RETURNING_SELF  # (`net.eval()`, `net.to(device)` are `net`)


def instance_class(analysis: ModelAnalysis, expr: ast.AST, _depth: int = 0, external: bool = False):
    """(the analysis of the module that defines it, the class) an object expression is an
    instance of, when there is exactly one: `ym` with `ym = YM()` (also through a parameter
    every call of its function fills with such an instance, and for a class imported from
    another module of the project), `net.block1` with class `Net` setting
    `self.block1 = ResBlock(...)`."""
    if _depth > 4:
        return None
    if isinstance(expr, ast.Subscript):
        # `model.res_blocks[i]` of `self.res_blocks = nn.ModuleList([ResBlock(f) for _ in ...])`
        return _container_element_class(analysis, expr.value, _depth + 1)
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
            and expr.func.attr in _RETURNS_ITSELF and not expr.args[1:]):
        # `net.eval()`, `net.to(device)`: the module itself
        return instance_class(analysis, expr.func.value, _depth + 1)
    if isinstance(expr, ast.Call):
        return _class_made_by(analysis, expr, analysis.index.scope_of(expr))  # `trainer.fit(Net(cfg))`
    if isinstance(expr, ast.Name):
        binding = analysis.model.values.binding_of(expr)
        if _is_self_parameter(binding):
            # `utils.validate(self, loader)` in a trainer's method: the object is the trainer
            return analysis, analysis.index.enclosing_class(binding.scope.node)
        if binding is not None and binding.kind == "for" and binding.value is not None and (
                binding.index is None and isinstance(binding.value, ast.Attribute)
                or binding.index == 1 and isinstance(binding.value, ast.Call)
                and isinstance(binding.value.func, ast.Name) and binding.value.func.id == "enumerate"
                and binding.value.args and isinstance(binding.value.args[0], ast.Attribute)):
            # `for block in model.res_blocks` (also `enumerate(model.res_blocks, start=1)`)
            container = binding.value if binding.index is None else binding.value.args[0]
            found = _container_element_class(analysis, container, _depth + 1)
            if found is not None:
                return found
        if (binding is not None and binding.kind == "for" and binding.index is not None
                and isinstance(binding.value, ast.Call) and isinstance(binding.value.func, ast.Name)
                and binding.value.func.id == "zip" and binding.index < len(binding.value.args)
                and isinstance(binding.value.args[binding.index], ast.Attribute)):
            # `for tf_block, pt_block in zip(tf_net.blocks, pt_net.blocks)`: an element of each
            found = _container_element_class(analysis, binding.value.args[binding.index], _depth + 1)
            if found is not None:
                return found
        listed = binding.value if binding is not None and binding.kind == "for" and binding.index is None else (
            binding.value.args[0] if binding is not None and binding.kind == "for" and binding.index == 1
            and isinstance(binding.value, ast.Call) and isinstance(binding.value.func, ast.Name)
            and binding.value.func.id == "enumerate" and binding.value.args else None)
        if listed is not None:
            # `for mod in [net.module1, net.module2]` (also `for i, mod in enumerate([...])`): the one
            # class of the list's elements
            lists = [listed] if isinstance(listed, (ast.List, ast.Tuple)) else [
                o for o, _s in analysis.model.values.origins(listed) if isinstance(o, (ast.List, ast.Tuple))]
            return _one_class(instance_class(analysis, element, _depth + 1)
                              for element in (e for literal in lists for e in literal.elts))
        if (binding is not None and binding.kind == "for" and binding.index is not None
                and isinstance(binding.value, (ast.List, ast.Tuple)) and binding.value.elts
                and all(isinstance(e, (ast.Tuple, ast.List)) and binding.index < len(e.elts) for e in binding.value.elts)):
            # `for name, block in (("stem", model.stem), ("stage1", model.stage1))`: the one class of
            # the elements at that place
            return _one_class(instance_class(analysis, e.elts[binding.index], _depth + 1) for e in binding.value.elts)
        if binding is not None and binding.kind == "param":
            # `def tf_to_pt(layer): if not isinstance(layer, FusedMBConvTF): raise ...`
            for _test, classes in isinstance_narrowing(analysis.index, expr):
                if isinstance(classes, ast.Name):
                    target = analysis._local_definition(classes, analysis.index.scope_of(classes))
                    if isinstance(target, ast.ClassDef):
                        return analysis, target
        origins = analysis.model.values.origins(expr)
        found = _one_class((_container_element_class(analysis, origin.value, _depth + 1)
                            if isinstance(origin, ast.Subscript)  # `blk = model.blocks[i]`
                            else instance_class(analysis, origin, _depth + 1)
                            if isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute)
                            and origin.func.attr in _RETURNS_ITSELF  # `train(net.eval())`
                            else _class_made_by(analysis, origin, scope)) for origin, scope in origins)
        if found is not None:
            return found
        if binding is not None and binding.kind == "param":
            # `def copy_block(tf_block, pt_block)` called in a loop over two models' blocks: the
            # class of what every call passes
            passed = analysis.model.values.parameter_arguments(binding) or []
            found = _one_class(instance_class(analysis, argument, _depth + 1) if call is not None
                               and isinstance(argument, ast.Name) and argument is not expr else None
                               for call, argument, _scope in passed[:6])
            if found is not None:
                return found
            # `port(keras_layers[i], self.conv1)` / `port(..., conv1)` with `conv1` of a container
            # bnlint cannot list: the one class the calls it can read pass, when they outnumber the rest
            found = _most_calls_class([instance_class(analysis, argument, _depth + 1) if call is not None
                                       and isinstance(argument, (ast.Name, ast.Attribute)) and argument is not expr
                                       else None for call, argument, _scope in passed[:8]])
            if found is not None:
                return found
            function = binding.scope.node
            if passed and passed[0][0] is None and not external and _depth < 3 \
                    and analysis.model.project is not None and isinstance(function, ast.FunctionDef) \
                    and analysis.model.project.called_with_self_elsewhere(function.name):
                # `def validate(solver, loader): solver.net(x)`, called only by other modules'
                # trainers as `utils.validate(self, loader)`: the trainer's class (looked for only
                # where another file spells such a call: reading other modules' calls costs parses)
                arguments = (analysis.model.values.external_arguments(binding) or [])[:6]
                if arguments and all(isinstance(argument, ast.Name) and argument.id == "self"
                                     for _other, _call, argument in arguments):
                    found = _one_class(instance_class(other.models, argument, _depth + 1)
                                       for other, _call, argument in arguments)
                    if found is not None:
                        return found
        if binding is not None and binding.kind == "param" and isinstance(binding.node, ast.arg) \
                and isinstance(binding.node.annotation, (ast.Name, ast.Attribute)):
            # `def train(model: Pix2PixOptimizer, ...)`: the class the parameter is annotated with
            return _annotated_class(analysis, binding.node.annotation, binding.scope)
        if binding is not None and binding.kind == "param" and _depth < 3 and external:
            # `TrainLoop(separator)` in the training script, with `separator =
            # ConvEncoderDenoisingDecoder(...)`: the class of what the other modules' calls pass
            # (asked for only where it pays: every other module's calls are read)
            found = _one_class(instance_class(other.models, argument, _depth + 1)
                               if isinstance(argument, (ast.Name, ast.Call)) else None for other, _call, argument in
                               (analysis.model.values.external_arguments(binding) or [])[:6])
            if found is not None:
                return found
        return None
    if isinstance(expr, ast.Attribute):
        owner = _attribute_owner(analysis, expr, _depth)
        if owner is None:
            return None
        home, cls = owner
        values = home._self_attribute_values(cls, expr.attr)
        if len(values) != 1:
            return None
        value, scope = values[0]
        made = _class_made_by(home, value, scope)
        if made is None and isinstance(value, ast.Name):
            # `self.config = config` of a constructor parameter: what its calls pass (or its
            # annotation names)
            made = instance_class(home, value, _depth + 1)
        elif made is None and isinstance(value, ast.Attribute):
            # `self.generator = gan.generator`: the object another object holds
            made = instance_class(home, value, _depth + 1)
        return made
    return None


def possible_instance_classes(analysis: ModelAnalysis, name: ast.Name) -> list:
    """(analysis, class) for each class a name may hold an instance of at its use, one per
    assignment that reaches it (`if opt.isTrain: model = Pix2PixModel() else: model =
    TestModel()`, then `model.initialize(opt)`); empty when one of them is not a construction."""
    found = []
    for binding in analysis.model.values.reaching_bindings(name):
        made = _class_made_by(analysis, binding.value, binding.scope) if binding.kind in (
            "assign", "annassign") and isinstance(binding.value, ast.Call) else None
        if made is None:
            return []
        found.append(made)
    return found


def _is_self_parameter(binding) -> bool:
    """The binding is the first parameter of a method (`self`) of a class."""
    if binding is None or binding.kind != "param" or binding.name != "self":
        return False
    function = binding.scope.node
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or not function.args.args \
            or function.args.args[0].arg != "self":
        return False
    return binding.scope.parent is not None and binding.scope.parent.kind == "class"


def _most_calls_class(resolutions: list):
    """The one class the known resolutions name, when they are more than the unknown ones."""
    known = [r for r in resolutions if r is not None]
    if not known or len(known) <= len(resolutions) - len(known):
        return None
    return _one_class(known)


def _one_class(resolutions):
    """The one (analysis, class) that every resolution names; None when one is unknown or they
    differ (or there is none)."""
    classes = {}
    for resolved in resolutions:
        if resolved is None:
            return None
        classes[id(resolved[1])] = resolved
    return next(iter(classes.values())) if len(classes) == 1 else None


def _annotated_class(analysis: ModelAnalysis, annotation: ast.AST, scope):
    """(the analysis of its module, the class) a parameter's annotation names: a class of this
    module or of another project module; None for anything else (`nn.Module`, `int`)."""
    target = analysis._local_definition(annotation, scope) if isinstance(annotation, ast.Name) else None
    if isinstance(target, ast.ClassDef):
        return analysis, target
    project = analysis.model.project
    qual = analysis.index.qualname(annotation, scope)
    found = project.definition(qual) if project is not None and qual else None
    if found is not None and isinstance(found[1], ast.ClassDef):
        return found[0].models, found[1]
    return None


def _attribute_owner(analysis: ModelAnalysis, expr: ast.Attribute, depth: int):
    """(the analysis of its module, the class) of the object whose attribute `expr` reads: the
    enclosing class for `self.x`, else the one class the object is an instance of."""
    if isinstance(expr.value, ast.Name) and expr.value.id == "self":
        owner = (analysis, analysis.index.enclosing_class(expr))
    else:
        owner = instance_class(analysis, expr.value, depth + 1)
    if owner is None and isinstance(expr.value, ast.Name):
        binding = analysis.model.values.binding_of(expr.value)
        if binding is not None and binding.kind == "for":
            # `for stage in self.stages: for block in stage: block.residual[0]`: a loop over
            # nested containers; the one model class of the module that sets `self.residual`
            classes = [cls for cls in analysis.index.classes if analysis.framework_of_class(cls) is not None
                       and analysis._self_attribute_values(cls, expr.attr)]
            owner = (analysis, classes[0]) if len(classes) == 1 else None
    return owner if owner is not None and owner[1] is not None else None


def _container_element_class(analysis: ModelAnalysis, container: ast.AST, depth: int):
    """The one class of the modules a model's container attribute holds: `self.blocks =
    nn.ModuleList([Block(c) for _ in range(n)])`, `nn.Sequential(*[Block(c) ...])`,
    `nn.ModuleList([Block(a), Block(b)])`."""
    if not isinstance(container, ast.Attribute) or depth > 4:
        return None
    owner = _attribute_owner(analysis, container, depth)
    if owner is None:
        return None
    home, cls = owner
    found = {}
    for value, scope in home._self_attribute_values(cls, container.attr):
        if isinstance(value, (ast.List, ast.Tuple, ast.ListComp)):
            listed = value  # `self.blocks = [ConvBNAct(32), ConvBNAct(64)]` (Keras tracks plain lists)
        elif not (isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute))
                  and (value.func.attr if isinstance(value.func, ast.Attribute) else value.func.id)
                  in ("ModuleList", "Sequential") and len(value.args) == 1):
            return None
        else:
            listed = value.args[0].value if isinstance(value.args[0], ast.Starred) else value.args[0]
        elements = [listed.elt] if isinstance(listed, (ast.ListComp, ast.GeneratorExp)) else (
            list(listed.elts) if isinstance(listed, (ast.List, ast.Tuple)) else
            # `layers.append(TDNNLayer(cin, f, k, d))` in a loop, then `nn.ModuleList(layers)`
            home.model.values.list_elements(listed, scope) or [])
        for element in elements[:16]:
            made = _class_made_by(home, element, home.index.scope_of(element))
            if made is None:
                return None
            found[id(made[1])] = made
    return next(iter(found.values())) if len(found) == 1 else None


def _class_made_by(analysis: ModelAnalysis, origin: ast.AST, scope):
    """The class a constructor call makes: one of this module, or of another project module."""
    for _ in range(4):  # `ConvBN(3, 8).eval()`, `Net().to(device)`: the module the call made
        if not (isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute)
                and origin.func.attr in catalogue.MODEL_IDENTITY_METHODS and isinstance(origin.func.value, ast.Call)):
            break
        origin = origin.func.value
    if not isinstance(origin, ast.Call):
        return None
    target = analysis._local_definition(origin.func, scope)
    if isinstance(target, ast.ClassDef):
        return analysis, target
    if isinstance(target, ast.FunctionDef):
        return _factory_function_class(analysis, target, origin, analysis, scope)
    project = analysis.model.project
    if target is None and project is not None and isinstance(origin.func, (ast.Name, ast.Attribute)):
        qual = analysis.index.qualname(origin.func, scope)
        # (`hydra.utils.instantiate(cfg.datamodule)`: the class its config's `_target_` names)
        qual = analysis.model.values.instantiated_target(origin) or qual
        found = project.definition(qual) if qual else None
        if found is not None and isinstance(found[1], ast.ClassDef):
            return found[0].models, found[1]
        if found is not None and isinstance(found[1], ast.FunctionDef):
            return _factory_function_class(found[0].models, found[1], origin, analysis, scope)
    if isinstance(origin.func, ast.Attribute) and isinstance(origin.func.value, (ast.Name, ast.Attribute)):
        # `AttGANEncoder.create_128()`: a factory classmethod of the class returning an instance
        return _factory_method_class(analysis, origin.func, scope)
    return None


def _factory_function_class(home: ModelAnalysis, function: ast.FunctionDef, call: ast.Call,
                            caller: ModelAnalysis, scope):
    """The class a factory function makes for `call` (`def CreateDataLoader(opt): data_loader =
    CustomDatasetDataLoader(); data_loader.initialize(opt); return data_loader`), of its module
    or another, when every return of it that the call's arguments leave open gives an instance of
    one class (`if opt.isTrain: model = Pix2PixHDModel() else: model = InferenceModel()` with the
    training options' `isTrain`); a wrapper around it (`torch.nn.DataParallel(model)`) is the
    model it wraps. None otherwise."""
    returns = [n for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None
               and home.index.enclosing_function(n) is function]
    if not returns or id(function) in _FACTORIES_BEING_READ:
        return None
    _FACTORIES_BEING_READ.add(id(function))  # (a factory returning what itself returns)
    values = home.model.values
    try:
        with values._arguments_bound(call, function, caller.model.values, scope):
            return _classes_returned(home, function, returns)
    finally:
        _FACTORIES_BEING_READ.discard(id(function))


def _classes_returned(home: ModelAnalysis, function: ast.FunctionDef, returns: list):
    """The one class the returns of a factory function give (read with its parameters bound, by
    the caller), None when they give several or something else."""
    made = []
    values = home.model.values
    for node in returns:
        if values.ruled_out(node) is not None:
            continue
        scope = home.index.scope_of(node)
        origins = [(b.value, b.scope) for b in values.reaching_bindings(node.value, scope)
                   if values.ruled_out(b.node) is None] if isinstance(node.value, ast.Name) else [(node.value, scope)]
        if not origins:
            return None
        for origin, where in origins:
            # (`model = torch.nn.DataParallel(model, device_ids=opt.gpu_ids)`: the model it wraps)
            qual = home.index.qualname(origin.func, where) if isinstance(origin, ast.Call) and isinstance(
                origin.func, (ast.Name, ast.Attribute)) else None
            if qual and catalogue.canonical(qual) in catalogue.MODEL_WRAPPERS and origin.args:
                continue
            made.append(_class_made_by(home, origin, where or scope) if isinstance(origin, ast.Call) else None)
    return _one_class(made) if made else None


def _factory_method_class(analysis: ModelAnalysis, func: ast.Attribute, scope):
    """`Encoder.create_128()` with `@classmethod def create_128(cls, ...): encoder = cls(...);
    return encoder` (or `Encoder(...)`, or a `@staticmethod`): the class, of this module or
    another, when every return of the method makes an instance of it."""
    found = _class_named_by(analysis, func, scope)
    if found is None:
        return None
    home, cls = found
    method = next((m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                   and m.name == func.attr), None)
    if method is None or not any(isinstance(d, ast.Name) and d.id in ("classmethod", "staticmethod")
                                 for d in method.decorator_list):
        return None
    returns = [n for n in ast.walk(method) if isinstance(n, ast.Return) and n.value is not None
               and home.index.enclosing_function(n) is method]
    if not returns or id(method) in _FACTORIES_BEING_READ:
        return None
    _FACTORIES_BEING_READ.add(id(method))  # (a factory returning `cls.create()` of itself)
    try:
        for node in returns:
            made = [o for o, _s in home.model.values.origins(node.value, home.index.scope_of(node))] \
                if isinstance(node.value, ast.Name) else [node.value]
            if not made or not all(isinstance(o, ast.Call) and _class_made_by(home, o, home.index.scope_of(o)) == (home, cls)
                                   for o in made):
                return None
    finally:
        _FACTORIES_BEING_READ.discard(id(method))
    return home, cls


_FACTORIES_BEING_READ: set[int] = set()


def _class_named_by(analysis: ModelAnalysis, func: ast.Attribute, scope):
    """(the analysis of its module, the class) that `Cls` names in a `Cls.method` attribute: a
    class of this module, or of another project module; None otherwise."""
    if isinstance(func.value, ast.Name):
        target = analysis._local_definition(func.value, scope)
        if isinstance(target, ast.ClassDef):
            return analysis, target
    project = analysis.model.project
    qual = analysis.index.qualname(func.value, scope) if project is not None else None
    found = project.definition(qual) if qual else None
    if found is not None and isinstance(found[1], ast.ClassDef):
        return found[0].models, found[1]
    return None


def _element_ref(analysis: ModelAnalysis, iterable: ast.AST, depth: int) -> LayerRef | None:
    """The layers a loop over `iterable` visits: a model's layer collection, or a list of
    layers the code spells out (`self.bns = [self.bn1, self.bn2]`, `for bn in (bn1, bn2)`)."""
    literals = [(iterable, None)] if isinstance(iterable, (ast.List, ast.Tuple)) else [
        (origin, scope) for origin, scope in analysis.model.values.origins(iterable)
        if isinstance(origin, (ast.List, ast.Tuple))] if isinstance(iterable, (ast.Name, ast.Attribute)) else []
    if literals:
        sites, hows = [], []
        for literal, _scope in literals:
            for element in literal.elts:
                ref = layer_ref(analysis, element, depth + 1)
                if ref is None:
                    return None
                sites.extend(ref.sites)
                hows.append(ref.how)
        if sites or not isinstance(iterable, ast.Name):
            return LayerRef(sites, hows[0]) if sites else None
    filled = analysis._filled_container(iterable) if isinstance(iterable, ast.Name) else None
    if filled:
        # `keras_layers = []` filled in a loop (`keras_layers.append(layer)`, the layer built in
        # the branches of an `if` over the other model's modules): the normalization layers added
        sites = []
        for item, _conditional in filled:
            candidates = [item]
            if isinstance(item, ast.Name):
                # (assigned in every branch of an `if`: each of those assignments)
                bindings = analysis.model.values.reaching_bindings(item) or [
                    b for b in analysis.index.lookup(item.id, analysis.index.scope_of(item))
                    if b.scope is analysis.index.scope_of(item) and b.node.lineno < item.lineno]
                candidates = [b.value for b in bindings if b.kind in ("assign", "annassign") and b.value is not None]
            for candidate in candidates:
                ref = layer_ref(analysis, candidate, depth + 1)
                sites.extend(ref.sites if ref is not None else [])
        return LayerRef(sites, f"a layer added to `{iterable.id}`") if sites else None
    # a loop over a PyTorch container itself (`for module in model.net:`, an `nn.Sequential`)
    # visits its children, as indexing it does
    return _collection_ref(analysis, iterable, depth, indexed=True)


def _collection_ref(analysis: ModelAnalysis, expr: ast.AST | None, depth: int,
                    indexed: bool = False) -> LayerRef | None:
    """`model.layers`, `model.modules()`, `model.get_layer(...)` (and, indexed, a torch
    `nn.Sequential` itself: `block[1]`): the BN layers of `model`. Also through a name bound
    to such a collection, filtered or copied (`bns = [m for m in net.modules() if
    isinstance(m, nn.BatchNorm2d)]`, `list(model.layers)`)."""
    collection = _collection_expression(analysis, expr, depth)
    if collection is not expr:
        # (a name the collection draws from is a container iterated itself: `[m for m in seq if ...]`)
        return _collection_ref(analysis, collection, depth + 1, indexed=indexed or isinstance(
            collection, (ast.Name, ast.Attribute)) and not (isinstance(collection, ast.Attribute)
                                                           and collection.attr in _LAYER_COLLECTIONS)) \
            if collection is not None else None
    if indexed and isinstance(expr, ast.Subscript) and depth < 6:
        return _collection_ref(analysis, expr.value, depth + 1, indexed=True)  # `self.bns[i][j]`
    owner_expr = None
    if isinstance(expr, ast.Attribute) and expr.attr in _LAYER_COLLECTIONS:
        owner_expr = expr.value
    elif (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
          and expr.func.attr in _LAYER_METHODS):
        owner_expr = expr.func.value
    elif indexed and isinstance(expr, (ast.Name, ast.Attribute)):
        contents = analysis.contents_of(expr)
        if contents is not None and contents.framework == "torch":
            owner_expr = expr
        elif (contents is None or contents.framework is None) and isinstance(expr, ast.Name) and depth < 6:
            # `conv, bn = tblock[0], tblock[1]` with `for tblock, name in zip(blocks, names)` over a
            # torch model's blocks: one of the BN layers of the block the loop stands for
            whole = layer_ref(analysis, expr, depth + 1)
            if whole is not None and whole.sites and all(site.api.framework in ("torch", "torchvision")
                                                          for site in whole.sites):
                return LayerRef(whole.sites, f"a layer of {whole.how}")
    if owner_expr is None:
        return None
    if (isinstance(owner_expr, ast.Subscript) and depth < 6 and (
            isinstance(owner_expr.value, ast.Attribute) and owner_expr.value.attr in _LAYER_COLLECTIONS
            or isinstance(owner_expr.value, ast.Call) and isinstance(owner_expr.value.func, ast.Attribute)
            and owner_expr.value.func.attr in _LAYER_METHODS)):
        # `tf_model.layers[0].layers[1]`: a layer of a sub-model, among the model's layers
        return _collection_ref(analysis, owner_expr.value, depth + 1)
    picked = owner_expr
    if isinstance(picked, ast.Name):
        binding = analysis.model.values.binding_of(picked)
        picked = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
    if (isinstance(picked, ast.Subscript) and picked is not owner_expr and depth < 6
            and isinstance(picked.value, ast.Attribute) and picked.value.attr in _LAYER_COLLECTIONS):
        # `darknet = model.layers[1]; darknet.layers[i + 1]`: a layer of a sub-model, among the
        # model's layers
        return _collection_ref(analysis, picked.value, depth + 1)
    if (isinstance(picked, ast.Call) and isinstance(picked.func, ast.Attribute) and picked.func.attr == "get_layer"
            and depth < 6):
        # `sub_model = model.get_layer("yolo_darknet"); sub_model.layers[i + 1]`: a layer of a
        # sub-model, among the model's layers
        return _owner_layers(analysis, picked.func.value)
    found = _owner_layers(analysis, owner_expr)
    if found is not None and isinstance(expr, ast.Call) and expr.func.attr == "get_layer":
        # `model.get_layer(name="BN-1")`: the layer built with that name, when one is
        wanted = analysis.model.const(expr.args[0] if expr.args else next(
            (k.value for k in expr.keywords if k.arg == "name"), None))
        if isinstance(wanted, str):
            named = [site for site in found.sites
                     if analysis.model.const(next((k.value for k in getattr(site.call, "keywords", ())
                                                   if k.arg == "name"), None)) == wanted]
            if named:
                return LayerRef(named, found.how, owner=found.owner, origin=found.origin)
    return found


def _collection_expression(analysis: ModelAnalysis, expr: ast.AST | None, depth: int) -> ast.AST | None:
    """The layer collection a filtered or copied one draws from; `expr` itself otherwise."""
    if depth > 6:
        return expr
    if isinstance(expr, ast.Name):
        binding = analysis.model.values.reaching_binding(expr)
        value = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
        if binding is not None and binding.kind == "param":
            # `def load(self, keras_bns)` called once with `[l for l in km.layers if ...]`
            arguments = analysis.model.values.parameter_arguments(binding) or []
            value = arguments[0][1] if len(arguments) == 1 else None
        if (binding is not None and binding.kind == "unpack" and binding.index is not None
                and isinstance(binding.value, ast.Call) and analysis.index.local_callee(binding.value) is not None):
            # `convs, bns = torch_layers(model)` with `def torch_layers(m): ...; return convs, bns`:
            # that element of the tuple the helper returns
            function, _bound = analysis.index.local_callee(binding.value)
            returned = [node.value for node in ast.walk(function) if isinstance(node, ast.Return)
                        and isinstance(node.value, ast.Tuple) and binding.index < len(node.value.elts)
                        and analysis.index.enclosing_function(node) is function]
            value = returned[0].elts[binding.index] if len(returned) == 1 else None
        if value is not None and _collection_expression(analysis, value, depth + 1) is not value:
            return _collection_expression(analysis, value, depth + 1)
        return expr
    if (isinstance(expr, (ast.ListComp, ast.GeneratorExp)) and len(expr.generators) == 1
            and isinstance(expr.elt, ast.Name) and isinstance(expr.generators[0].target, ast.Name)
            and expr.elt.id == expr.generators[0].target.id):
        return _collection_expression(analysis, expr.generators[0].iter, depth + 1)
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.args
            and expr.func.id in ("list", "tuple", "filter", "reversed", "sorted", "dict")
            and analysis.index.qualname(expr.func) == f"builtins.{expr.func.id}"):
        # (`dict(net.named_modules())[name]`: one of the model's layers)
        return _collection_expression(analysis, expr.args[-1], depth + 1)
    if isinstance(expr, ast.Call) and analysis.index.local_callee(expr) is not None:
        # `bn_layers(model)` with `def bn_layers(m): return [x for x in m.modules() if ...]`: the
        # collection the helper returns (its parameter read at its calls)
        function, _bound = analysis.index.local_callee(expr)
        returned = [node.value for node in ast.walk(function) if isinstance(node, ast.Return)
                    and node.value is not None and analysis.index.enclosing_function(node) is function]
        if len(returned) == 1 and _collection_expression(analysis, returned[0], depth + 1) is not returned[0]:
            return _collection_expression(analysis, returned[0], depth + 1)
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice):
        # `list(net.modules())[1:]`: the model's layers without the model itself
        return _collection_expression(analysis, expr.value, depth + 1)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        # `backbone.layers + neck.layers`, `[bns[0]] + sorted(bns[1:], key=...)`: concatenated
        # pieces of collections; the first piece that draws from one stands for them
        for part in (expr.left, expr.right):
            if isinstance(part, (ast.List, ast.Tuple)) and len(part.elts) == 1 \
                    and isinstance(part.elts[0], ast.Subscript):
                part = part.elts[0].value
            drawn = _collection_expression(analysis, part, depth + 1)
            if drawn is not part or isinstance(part, ast.Attribute) and part.attr in _LAYER_COLLECTIONS:
                return drawn
    return expr


def _evaluated_self_layer(analysis: ModelAnalysis, call: ast.Call) -> LayerRef | None:
    """`eval("self.bn" + str(i + 1))` (the string also through a name bound to it) in a method:
    one of the BN layers of the enclosing class, as `getattr(self, "bn" + ...)` would be."""
    text = call.args[0]
    if isinstance(text, ast.Name):
        binding = analysis.model.values.binding_of(text)
        text = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
    while isinstance(text, ast.BinOp) and isinstance(text.op, ast.Add):
        text = text.left
    if isinstance(text, ast.JoinedStr) and text.values:
        text = text.values[0]
    if not (isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value.startswith("self.")):
        return None
    cls = analysis.index.enclosing_class(call)
    return _owner_layers(analysis, None, cls) if cls is not None else None


def _owner_layers(analysis: ModelAnalysis, owner_expr: ast.AST | None, cls: ast.ClassDef | None = None) -> LayerRef | None:
    """The BN layers of the model `owner_expr` (or of the class `cls`, for `self`)."""
    contents = analysis.contents_of(owner_expr) if owner_expr is not None else analysis.class_contents(cls)
    if contents is None or not contents.bn:
        return None
    project = analysis.model.project
    sites = [analysis.model.norm_site(node) or analysis.model.zoo_site(node)
             or (project.norm_site_at(node) if project is not None and hasattr(node, "bnlint_path") else None)
             for _name, node in contents.bn_evidence]
    owner = analysis.model.text(owner_expr) if owner_expr is not None else "self"
    name, node = contents.bn_evidence[0]
    return LayerRef([s for s in sites if s is not None], f"a layer of `{owner}`, which contains {name}",
                    owner=contents, origin=node)
