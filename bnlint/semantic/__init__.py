"""The semantic model of one module: built once, shared by every rule.

Parts are computed on first use (a rule that never asks about models never pays for them):
- `index`: scopes, bindings, imports and node indexes from one walk of the `ast` (scopes.py)
- `values`: constant folding with astroid on demand (values.py)
- `norm_sites`: every call that constructs or applies a catalogued normalization API
- `models`: which expressions are models and what they contain (models.py)
- `training`: GradientTape blocks and what their gradients update (training.py)
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, replace
from functools import cached_property

from bnlint import catalogue
from bnlint.catalogue import NormApi
from bnlint.semantic.memo import memoized
from bnlint.semantic.scopes import Binding, ModuleIndex, Scope
from bnlint.semantic.values import UNKNOWN, Values, is_number

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

__all__ = ["SemanticModel", "NormSite", "UNKNOWN", "is_number", "Binding", "Scope", "call_arg"]


def call_arg(call: ast.Call, name: str | None, position: int | None = None) -> ast.expr | None:
    """The argument given for parameter `name` (by keyword) or at `position`, or None."""
    if name is not None:
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
    if position is not None and position < len(call.args):
        if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return None
        return call.args[position]
    return None


@dataclass(eq=False)
class NormSite:
    """A call that constructs (or, for functional APIs, applies) a normalization layer.

    `partial`: the `functools.partial(BatchNorm2d, eps=...)` the call goes through, whose
    arguments come first; `spread`: what a `**kwargs` dict the module spells out gives
    ({parameter: expression}); `opaque_spread`: a `*args`/`**kwargs` bnlint cannot read."""

    call: ast.Call  # or, for a layer of another module, its typed location (a ForeignNode)
    api: NormApi
    scope: Scope
    qualname: str
    partial: ast.Call | None = None
    spread: dict | None = None
    opaque_spread: bool = False
    # slim's `conv2d(..., normalizer_fn=batch_norm, normalizer_params={...})` (also in an
    # `arg_scope`): the batch norm the call applies, its arguments the `normalizer_params`
    normalizer_of: bool = False
    # a layer built in another module of the project (`call` is its typed location there, and
    # the api's default is the epsilon read in that module): whether that epsilon was written
    foreign_written: bool = False
    # the factory is a `functools.partial(BatchNorm2d, eps=...)` another module passes in for a
    # parameter (`PlantCNN(..., norm_layer)` of a port script): (that module's semantic model,
    # the partial), for the arguments it binds, read there
    partial_elsewhere: tuple | None = None

    def arg(self, param: str | None) -> ast.expr | None:
        if not isinstance(self.call, ast.Call):  # a layer of another module: its values are read there
            return None
        if self.normalizer_of:
            return self.spread.get(param) if self.spread and param else None
        position = self.api.param_position(param)
        if self.partial is not None and self.partial is self.call:
            # a factory handed to other code (`norm_layer=partial(nn.BatchNorm2d, momentum=0.99)`):
            # its own arguments
            bound = self.partial.args[1:]
            found = call_arg(self.partial, param, None)
            if found is None and position is not None and position < len(bound) and not any(
                    isinstance(a, ast.Starred) for a in bound):
                found = bound[position]
            return found
        if self.partial is not None:
            bound = self.partial.args[1:]
            found = call_arg(self.partial, param, None)
            if found is None and position is not None and position < len(bound):
                found = None if any(isinstance(a, ast.Starred) for a in bound) else bound[position]
            if position is not None:
                position -= len(bound)
            own = call_arg(self.call, param, position if position is None or position >= 0 else None)
            if own is not None:
                return own
            if found is not None:
                return found
        else:
            own = call_arg(self.call, param, position)
            if own is not None:
                return own
        if self.spread and param in self.spread:
            return self.spread[param]
        return None

    @property
    def line(self) -> int:
        return self.call.lineno

    @property
    def display(self) -> str:
        """The name as written after resolving imports (`BatchNorm2d`, not the entry's first name)."""
        return self.qualname.rpartition(".")[2] or self.api.display

    @property
    def opaque(self) -> bool:
        """True when `*args`/`**kwargs` may set any parameter."""
        return self.opaque_spread


def _add_members(site: NormSite, members: dict | None, spread: dict) -> None:
    """The keyword arguments a dict gives a layer (`**bn_kwargs`, slim's `normalizer_params`);
    one bnlint cannot read makes the site opaque."""
    if members is None or not all(isinstance(k, str) for k in members):
        site.opaque_spread = True
        return
    for key, found in members.items():
        if found is None:
            site.opaque_spread = True
        else:
            spread.setdefault(key, found[0])


class SemanticModel:
    def __init__(self, tree: ast.Module, source: str, path: str = "<string>", module_name: str | None = None,
                 project=None):
        self.tree = tree
        self.source = source
        self.path = path
        self.module_name = module_name
        self.project = project  # cross-module summaries, when the engine has them
        # (a factory parameter's name, its scope) -> (module, partial) another module passes for it,
        # "several" when modules pass different partials (see NormSite.partial_elsewhere)
        self._partials_elsewhere: dict = {}
        # Python's own line breaks (str.splitlines also breaks at form feeds and other separators)
        self.lines = _LINE_BREAK.split(source)

    @cached_property
    def index(self) -> ModuleIndex:
        return ModuleIndex(self.tree, self.module_name,
                           is_package=self.path.replace("\\", "/").rsplit("/", 1)[-1] == "__init__.py",
                           star_resolver=self.project.star_export if self.project is not None else None)

    @cached_property
    def values(self) -> Values:
        return Values(self.index, self.source, self.path, self.project)

    def qualname(self, expr: ast.AST, scope: Scope | None = None) -> str | None:
        return self.index.qualname(expr, scope)

    def const(self, expr: ast.AST | None, scope: Scope | None = None):
        return self.values.const(expr, scope)

    # ---- normalization layers ----------------------------------------------------------
    @cached_property
    def norm_sites(self) -> list[NormSite]:
        sites = []
        for call in self.index.calls:
            func = call.func
            if not isinstance(func, (ast.Name, ast.Attribute)) and not (
                    isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr"):
                continue
            scope = self.index.scope_of(call)
            qual = self.index.qualname(func, scope) if not isinstance(func, ast.Call) else None
            api = catalogue.lookup(qual)
            partial = None
            if api is None and isinstance(func, ast.Call):
                qual = self.getattr_class(func, scope)  # `getattr(nn, "BatchNorm2d")(c, eps=...)`
                api = catalogue.lookup(qual)
            elsewhere = None
            if api is None and isinstance(func, ast.Name):
                qual, partial = self._layer_factory(func, scope)
                api = catalogue.lookup(qual)
                elsewhere = self._partials_elsewhere.get((func.id, id(scope))) if api is not None else None
            if api is None and isinstance(func, ast.Name):
                qual = self._norm_subclass_base(func, scope)
                api = catalogue.lookup(qual)
            if api is None and isinstance(func, ast.Name):
                qual = self._norm_wrapper_function(func, call, scope)
                api = catalogue.lookup(qual)
            if api is None and isinstance(func, ast.Attribute) and func.attr == "__init__":
                qual = self._norm_subclass_init(call, scope)
                api = catalogue.lookup(qual)
            if api is not None:
                site = NormSite(call, api, scope, qual, partial, partial_elsewhere=elsewhere)
                self._read_spread(site)
                sites.append(site)
                continue
            normalizer = next((k.value for k in call.keywords if k.arg == "normalizer_fn"), None)
            if isinstance(normalizer, (ast.Name, ast.Attribute)):
                qual = self.index.qualname(normalizer, scope)
                api = catalogue.lookup(qual)
                if api is not None and api.form == catalogue.FUNCTION:
                    site = NormSite(call, api, scope, qual, normalizer_of=True)
                    self._read_normalizer_params(site)
                    sites.append(site)
        return sites

    def _partial_fallback(self, bindings) -> tuple[str | None, ast.Call] | None:
        """`def __init__(self, ..., norm_layer=None): norm_layer = norm_layer or
        functools.partial(nn.BatchNorm1d, momentum=0.01)` (also `partial(...) if norm_layer is
        None else norm_layer`), when no call of the function passes a layer: (the class, the
        partial). None otherwise."""
        params = [b for b in bindings if b.kind == "param"]
        assigns = [b for b in bindings if b.kind in ("assign", "annassign") and b.value is not None]
        if len(params) != 1 or len(assigns) != 1 or len(bindings) != 2:
            return None
        name, value = params[0].name, assigns[0].value
        fallback = None
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and len(value.values) == 2 and \
                isinstance(value.values[0], ast.Name) and value.values[0].id == name:
            fallback = value.values[1]
        elif isinstance(value, ast.IfExp) and isinstance(value.test, ast.Compare) and \
                isinstance(value.test.left, ast.Name) and value.test.left.id == name and \
                len(value.test.ops) == 1 and isinstance(value.test.comparators[0], ast.Constant) and \
                value.test.comparators[0].value is None:
            fallback = value.body if isinstance(value.test.ops[0], ast.Is) else \
                value.orelse if isinstance(value.test.ops[0], ast.IsNot) else None
        if not (isinstance(fallback, ast.Call) and fallback.args
                and self.index.qualname(fallback.func, assigns[0].scope) == "functools.partial"):
            return None
        for _call, argument, _scope in self.values.parameter_arguments(params[0]) or [(None, None, None)]:
            if argument is not None and not (isinstance(argument, ast.Constant) and argument.value is None):
                return None  # a caller passes its own layer
        return self.index.qualname(fallback.args[0], assigns[0].scope), fallback

    def _defaulted_factory(self, bindings, depth: int) -> str | None:
        """torchvision's idiom: `def __init__(self, ..., norm_layer=None): if norm_layer is None:
        norm_layer = nn.BatchNorm2d`, then `norm_layer(planes)`: the class assigned in the
        function, when every call passes that class or nothing (also `norm_layer =
        self._norm_layer`, stored the same way in `__init__`); also a class picked in the branches
        of an `if` (`if dim == "3d": conv, bn = nn.Conv3d, nn.BatchNorm3d else: ...`) when every
        branch picks the same family."""
        params = [b for b in bindings if b.kind == "param"]
        # `bn = nn.BatchNorm3d`, and `conv, bn = nn.Conv3d, nn.BatchNorm3d`
        assigns = [(b, b.value) for b in bindings if b.kind in ("assign", "annassign") and b.value is not None]
        assigns += [(b, b.value.elts[b.index]) for b in bindings if b.kind == "unpack"
                    and isinstance(b.value, (ast.Tuple, ast.List)) and b.index is not None
                    and b.index < len(b.value.elts)]
        if len(params) > 1 or len(params) + len(assigns) != len(bindings) or not assigns:
            return None
        if not params and len({id(b.scope) for b, _v in assigns}) != 1:
            return None
        quals = set()
        for binding, value in assigns:
            qual = self.index.qualname(value, binding.scope) if isinstance(value, (ast.Name, ast.Attribute)) else None
            if qual is None and isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) \
                    and value.value.id == "self":
                qual = self._self_factory(value, depth)  # `norm_layer = self._norm_layer`
            if catalogue.lookup(qual) is None:
                return None
            quals.add(qual)
        if params:
            for _call, argument, arg_scope in self.values.parameter_arguments(params[0]) or [(None, None, None)]:
                if argument is None or isinstance(argument, ast.Constant) and argument.value is None:
                    continue  # nothing passed: the `is None` branch picks the class
                qual = self.index.qualname(argument, arg_scope) if isinstance(argument, (ast.Name, ast.Attribute)) \
                    else None
                quals.add(qual)
        apis = {catalogue.lookup(q).key if catalogue.lookup(q) else None for q in quals}
        # `if dim == "3d": bn = nn.BatchNorm3d else: bn = nn.BatchNorm2d`: one family, the same
        # defaults, whichever branch runs
        first = self.index.qualname(assigns[0][1], assigns[0][0].scope) if isinstance(
            assigns[0][1], (ast.Name, ast.Attribute)) else None
        return (first if first in quals else sorted(quals)[0]) if len(apis) == 1 and None not in apis else None

    def _self_factory(self, attribute: ast.Attribute, depth: int) -> str | None:
        """`self._norm_layer` set in the class from a name that stands for a norm class."""
        cls = self.index.enclosing_class(attribute)
        if cls is None:
            return None
        for node in ast.walk(cls):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute)
                    and node.targets[0].attr == attribute.attr and isinstance(node.targets[0].value, ast.Name)
                    and node.targets[0].value.id == "self" and isinstance(node.value, ast.Name)):
                qual = self.index.qualname(node.value, self.index.scope_of(node))
                if catalogue.lookup(qual) is None:
                    qual = self._layer_factory(node.value, self.index.scope_of(node), depth + 1)[0]
                return qual
        return None

    def getattr_class(self, expr: ast.AST, scope: Scope) -> str | None:
        """`getattr(nn, cfg.norm.kind)` with the name known (`"BatchNorm1d"`, a config default):
        the qualified name of the class it looks up in the module; also `layers.__dict__[
        FLAGS.conv_norm]`."""
        if (isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute)
                and expr.value.attr == "__dict__" and isinstance(expr.value.value, (ast.Name, ast.Attribute))):
            module = self.index.qualname(expr.value.value, scope)
            name = self.const(expr.slice, scope)
            return f"{module}.{name}" if module and isinstance(name, str) and name.isidentifier() else None
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "getattr"
                and len(expr.args) == 2 and isinstance(expr.args[0], (ast.Name, ast.Attribute))):
            return None
        module = self.index.qualname(expr.args[0], scope)
        name = self.const(expr.args[1], scope)
        return f"{module}.{name}" if module and isinstance(name, str) and name.isidentifier() else None

    def _norm_wrapper_function(self, func: ast.Name, call: ast.Call, scope: Scope) -> str | None:
        """`CustomBatchNormalization(name=...)` with `def CustomBatchNormalization(*args, **kwargs):
        ... return BatchNorm(*args, **kwargs)` (here or in another project module), `BatchNorm` a
        catalogued norm class (picked in branches: `SyncBatchNormalization` or `BatchNormalization`):
        the layer it builds, with the call's own arguments. Only names that say they are norm
        layers are looked up (reading another module costs a parse)."""
        if not any(word in func.id.lower() for word in ("norm", "bn")):
            return None
        home, function = self, None
        local = self.index.local_function(func, call)
        if local is not None and not local[1]:
            function = local[0]
        elif self.project is not None:
            qual = self.index.qualname(func, scope)
            found = self.project.definition(qual) if qual else None
            if found is not None and isinstance(found[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                home, function = found
        if function is None or function.args.vararg is None or function.args.kwarg is None:
            return None
        returns = [n for n in ast.walk(function) if isinstance(n, ast.Return)
                   and home.index.enclosing_function(n) is function]
        if len(returns) != 1 or not isinstance(returns[0].value, ast.Call):
            return None
        built = returns[0].value
        forwards = (len(built.args) == 1 and isinstance(built.args[0], ast.Starred)
                    and isinstance(built.args[0].value, ast.Name) and built.args[0].value.id == function.args.vararg.arg
                    and len(built.keywords) == 1 and built.keywords[0].arg is None
                    and isinstance(built.keywords[0].value, ast.Name)
                    and built.keywords[0].value.id == function.args.kwarg.arg)
        if not forwards or not isinstance(built.func, ast.Name):
            return None
        if any(isinstance(n, ast.Name) and n.id == function.args.kwarg.arg and n is not built.keywords[0].value
               for n in ast.walk(function)):
            return None  # `kwargs.setdefault("epsilon", 1e-5)`: not the caller's arguments as written
        inner_scope = home.index.scope_of(built)
        qual = home.index.qualname(built.func, inner_scope)
        if catalogue.lookup(qual) is None:
            qual, _partial = home._layer_factory(built.func, inner_scope)
        return qual if catalogue.lookup(qual) is not None else None

    def _norm_subclass_base(self, func: ast.Name, scope: Scope) -> str | None:
        """`class AudioNorm(nn.BatchNorm2d): ...` of this module, built as `AudioNorm(c)`: the
        catalogued class it extends, when the subclass takes the same arguments (no `__init__`
        of its own, or one that hands the epsilon on untouched)."""
        bindings = self.index.lookup(func.id, scope)
        shadowed = None
        if len(bindings) == 2 and bindings[0].kind == "import" and bindings[1].kind == "class":
            # `from tensorflow.keras.layers import BatchNormalization`, then `class
            # BatchNormalization(BatchNormalization)` (the YOLO ports' frozen-BN trick): the class
            # shadows the import, and its base is the imported class
            shadowed, bindings = bindings[0], bindings[1:]
        if len(bindings) != 1 or bindings[0].kind != "class":
            return None
        return self._subclass_base(bindings[0].node, shadowed)

    def _subclass_base(self, cls: ast.ClassDef, shadowed=None) -> str | None:
        for base in cls.bases:
            qual = shadowed.qualname if shadowed is not None and isinstance(base, ast.Name) \
                and base.id == cls.name else self.index.qualname(base, self.index.scope_of(cls))
            api = catalogue.lookup(qual)
            if api is None or api.form != catalogue.CLASS:
                continue
            init = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
            if init is not None:
                positional = [a.arg for a in (*init.args.posonlyargs, *init.args.args)][1:]
                if positional != list(api.params[:len(positional)]):
                    return None  # its own arguments: the base's positions do not apply
                named = positional + [a.arg for a in init.args.kwonlyargs]
                defaults = dict(zip([a.arg for a in (*init.args.posonlyargs, *init.args.args)][::-1],
                                    init.args.defaults[::-1]))
                defaults.update((a.arg, d) for a, d in zip(init.args.kwonlyargs, init.args.kw_defaults) if d is not None)
                for param, default in defaults.items():
                    if param in (api.epsilon, api.momentum) and self.values.const(default) != {
                            api.epsilon: api.epsilon_default, api.momentum: api.momentum_default}.get(param):
                        return None  # `def __init__(self, c, eps=1e-3)`: its own default
                if api.epsilon and api.epsilon not in named and init.args.kwarg is None:
                    # the epsilon is not the caller's: the base's default, unless the subclass
                    # hands its base one of its own
                    supers = [c for c in ast.walk(init) if isinstance(c, ast.Call)
                              and isinstance(c.func, ast.Attribute) and c.func.attr == "__init__"]
                    if any(k.arg in (api.epsilon, None) for c in supers for k in c.keywords) or any(
                            len(c.args) > 1 for c in supers):
                        return None
            return qual
        return None

    def _norm_subclass_init(self, call: ast.Call, scope: Scope) -> str | None:
        """`super().__init__(virtual_batch_size=..., epsilon=epsilon, **kwargs)` in the `__init__` of
        `class GhostBatchNorm(tf.keras.layers.BatchNormalization)` whose own arguments differ from
        its base's (so its constructions are not norm sites themselves): the base class built
        there, its epsilon and momentum the values the subclass hands on."""
        func = call.func
        if not (isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name)
                and func.value.func.id == "super"):
            return None
        init = scope.node if scope.kind == "function" else None
        cls = self.index.enclosing_class(init) if isinstance(init, ast.FunctionDef) and init.name == "__init__" else None
        if cls is None or self.index.scope_of(cls) is not self.index.module_scope:
            return None
        if self._subclass_base(cls) is not None:
            return None  # built as `AudioNorm(c, eps=...)`: those calls are its sites
        for base in cls.bases:
            qual = self.index.qualname(base, self.index.scope_of(cls))
            api = catalogue.lookup(qual)
            if api is not None and api.form == catalogue.CLASS:
                return qual
        return None

    def _read_normalizer_params(self, site: NormSite) -> None:
        """slim's `normalizer_params=` (a dict, or a name bound to one): the batch norm's
        arguments; absent, the batch norm gets its defaults."""
        params = next((k.value for k in site.call.keywords if k.arg == "normalizer_params"), None)
        if params is None:
            return
        spread: dict = {}
        _add_members(site, self.values.members(params, site.scope, "item"), spread)
        site.spread = spread or None

    @cached_property
    def factory_sites(self) -> list[NormSite]:
        """`functools.partial(nn.BatchNorm2d, eps=1e-3, momentum=0.99)` factories this module
        makes but never calls itself (`norm_layer=` of torchvision's and timm's builders): the
        layers they build, with the partial's arguments. Not among `norm_sites`, which are
        calls that build a layer here."""
        called = {id(site.partial) for site in self.norm_sites if site.partial is not None}
        sites = []
        for call in self.index.calls:
            if id(call) in called or not isinstance(call.func, (ast.Name, ast.Attribute)):
                continue
            scope = self.index.scope_of(call)
            if call.keywords:
                built = self._builder_norm_site(call, scope)
                if built is not None:
                    sites.append(built)
                    continue
            if not call.args:
                continue
            if self.index.qualname(call.func, scope) != "functools.partial" or not isinstance(
                    call.args[0], (ast.Name, ast.Attribute)):
                continue
            qual = self.index.qualname(call.args[0], scope)
            api = catalogue.lookup(qual)
            if api is not None and self._handed_to_other_code(call):
                sites.append(NormSite(call, api, scope, qual, partial=call))
        return sites

    def _builder_norm_site(self, call: ast.Call, scope: Scope) -> NormSite | None:
        """`timm.create_model("efficientnet_b0", bn_momentum=0.99)`: the BatchNorm layers a
        catalogued builder makes with the settings its keywords give."""
        qual = self.index.qualname(call.func, scope) or ""
        for prefix, (epsilon, momentum, layer) in catalogue.BUILDER_NORM_KEYWORDS.items():
            if qual.startswith(prefix) and any(k.arg in (epsilon, momentum) for k in call.keywords):
                api = replace(catalogue.lookup(layer), epsilon=epsilon, momentum=momentum, params=())
                return NormSite(call, api, scope, layer)
        return None

    def _handed_to_other_code(self, factory: ast.Call) -> bool:
        """The factory (or the name it is bound to) is an argument of a call (`resnet18(norm_layer=
        norm)`, `MaxVitLayer(..., norm_layer=norm_layer)`, a block of this module that keeps it as
        an attribute and calls `self.norm(...)`), an entry of a table of norm layers, or returned:
        the layers are built elsewhere. (The layers a function of this module builds by calling
        its parameter are `norm_sites` already, and left out by the caller.) A placeholder never
        passed anywhere builds nothing."""
        def escapes(expr: ast.AST) -> bool:
            parent = self.index.parents.get(expr)
            if isinstance(parent, (ast.Dict, ast.List, ast.Tuple, ast.Return)):
                return True  # a table of norm layers to pick from, or a factory handed back
            if isinstance(parent, ast.keyword):
                parent = self.index.parents.get(parent)
            return isinstance(parent, ast.Call) and parent.func is not expr

        if escapes(factory):
            return True
        statement = self.index.parents.get(factory)
        if not (isinstance(statement, ast.Assign) and statement.value is factory and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            return False
        name = statement.targets[0].id
        return any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
                   and escapes(node) for node in ast.walk(self.index.tree))

    def _layer_factory(self, func: ast.Name, scope: Scope, _depth: int = 0) -> tuple[str | None, ast.Call | None]:
        """What a name called to build a layer stands for: `functools.partial(nn.BatchNorm2d,
        eps=...)`, or a parameter that every call of its function (its class, for `__init__`)
        fills with the same normalization class, passing it on or not (`norm_layer=
        nn.BatchNorm2d`; `BatchNorm = nn.BatchNorm2d; Block(planes, BatchNorm)`), its default
        where a call passes nothing."""
        bindings = self.index.lookup(func.id, scope)
        if _depth > 4:
            return None, None
        if len(bindings) > 1 or (bindings and bindings[0].kind == "unpack"):
            fallback = self._partial_fallback(bindings)
            if fallback is not None:
                return fallback
            return self._defaulted_factory(bindings, _depth), None
        if len(bindings) != 1:
            return None, None
        binding = bindings[0]
        value = binding.value
        if binding.kind in ("assign", "annassign") and isinstance(value, ast.Call):
            if value.args and self.index.qualname(value.func, binding.scope) == "functools.partial":
                return self.index.qualname(value.args[0], binding.scope), value
            found = self.getattr_class(value, binding.scope) if value.args else None
            if found is not None:
                return found, None
            return self._factory_chosen_by(value, binding.scope) or (None, None)
        if binding.kind in ("assign", "annassign") and isinstance(value, ast.Subscript) \
                and (found := self.getattr_class(value, binding.scope)) is not None:
            return found, None  # `norm_op = layers.__dict__[FLAGS.conv_norm]`
        if binding.kind in ("assign", "annassign") and isinstance(value, ast.Subscript):
            # `norm = NORM_LAYERS[cfg.pop("type")]` with `NORM_LAYERS = {"BN": nn.BatchNorm2d, ...}`:
            # the registry's entry for the key, or the one class all its entries name
            members = self.values.members(value.value, binding.scope, "item")
            if not members:
                return None, None
            key = self.const(value.slice, binding.scope)
            entries = [members.get(key)] if key is not UNKNOWN else list(members.values())
            quals = [self.index.qualname(entry[0], entry[1]) if entry is not None and isinstance(
                entry[0], (ast.Name, ast.Attribute)) else None for entry in entries]
            apis = {id(catalogue.lookup(qual)) if qual else None for qual in quals}
            # (`BatchNorm2d` and `SyncBatchNorm` are one layer to the rules)
            return (quals[0], None) if quals and len(apis) == 1 and catalogue.lookup(quals[0]) else (None, None)
        if binding.kind == "param":
            quals = set()
            function = binding.scope.node
            if (binding.value is None and isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and any(part in binding.name.lower() for part in ("norm", "bn"))
                    and not self.index.callers(function)):
                # no default, called only from other modules (`build_aspp(backbone, BatchNorm)` in
                # the model's module); a parameter with a default (`norm_layer=nn.BatchNorm2d`) is
                # read from its default below, as library code means it. Searching the other
                # modules costs a scan of the project, so only parameters named for a norm layer
                # (`BatchNorm`, `norm_layer`, `bn`) are followed there.
                partials_elsewhere = set()
                for other, call, argument in self.values.external_arguments(binding) or []:
                    passed = argument if argument is not None else binding.value
                    where = other if argument is not None else self
                    if not isinstance(passed, (ast.Name, ast.Attribute)):
                        return None, None
                    arg_scope = where.index.scope_of(passed) if argument is not None else (
                        binding.scope.parent or binding.scope)
                    qual = where.index.qualname(passed, arg_scope)
                    if qual is None and isinstance(passed, ast.Name):
                        qual, partial = where._layer_factory(passed, arg_scope, _depth + 1)
                        if partial is not None and where is not self:
                            partials_elsewhere.add((where, partial))
                        elif partial is None:
                            partials_elsewhere.add(None)  # the class itself: its defaults
                    else:
                        partials_elsewhere.add(None)
                    quals.add(qual)
                if quals:
                    if partials_elsewhere - {None}:
                        # (the arguments the partial binds, read in its module; unknown when
                        # modules pass different ones, or one passes the class itself)
                        self._partials_elsewhere[(func.id, id(scope))] = next(iter(partials_elsewhere)) if len(
                            partials_elsewhere) == 1 else "several"
                    return (quals.pop(), None) if len(quals) == 1 and None not in quals else (None, None)
            partials = set()
            for _call, argument, arg_scope in self.values.parameter_arguments(binding) or [(None, None, None)]:
                if argument is None:
                    return None, None
                qual, partial = None, None
                if isinstance(argument, (ast.Name, ast.Attribute)):
                    qual = self.index.qualname(argument, arg_scope)
                elif (isinstance(argument, ast.Call) and argument.args
                      and self.index.qualname(argument.func, arg_scope) == "functools.partial"):
                    # `def block(c, norm=functools.partial(nn.BatchNorm2d, eps=0.0))`
                    qual, partial = self.index.qualname(argument.args[0], arg_scope), argument
                if qual is None and isinstance(argument, ast.Name):
                    # passed on from a parameter, or a module's `NormLayer = partial(...)`
                    qual, partial = self._layer_factory(argument, arg_scope, _depth + 1)
                quals.add(qual)
                partials.add(partial)
            if len(quals) == 1 and None not in quals:
                return quals.pop(), partials.pop() if len(partials) == 1 else None
        return None, None

    def _factory_chosen_by(self, call: ast.Call, scope: Scope) -> tuple[str, ast.Call | None] | None:
        """(class, partial) of the norm layer factory a helper of the module returns for this
        call: `norm_layer = get_norm_layer(norm_type=norm)` with `def get_norm_layer(norm_type):
        if norm_type == "batch": norm_layer = functools.partial(nn.BatchNorm2d, affine=True)
        elif norm_type == "instance": ...; return norm_layer` (the pix2pix/CycleGAN/vid2vid
        networks), read with the helper's parameters holding this call's arguments: the one class
        every branch those values leave open gives. None when a branch open gives something else
        (`lambda x: Identity()`) or bnlint cannot tell which branches run."""
        callee = self.index.local_callee(call)
        if callee is None or not isinstance(callee[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        function = callee[0]
        returns = [n for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None
                   and self.index.enclosing_function(n) is function]
        chosen: list[tuple[str | None, ast.Call | None]] = []
        with self.values._arguments_bound(call, function, self.values, scope):
            for node in returns:
                if self.values.ruled_out(node) is not None:
                    continue
                inner = self.index.scope_of(node)
                made = [(node.value, inner)]
                if isinstance(node.value, ast.Name):
                    bindings = self.values.reaching_bindings(node.value, inner)
                    if not bindings or any(b.kind not in ("assign", "annassign") or b.value is None for b in bindings):
                        return None
                    made = [(b.value, b.scope) for b in bindings if self.values.ruled_out(b.node) is None]
                for expr, where in made:
                    if isinstance(expr, ast.Call) and expr.args and \
                            self.index.qualname(expr.func, where) == "functools.partial":
                        chosen.append((self.index.qualname(expr.args[0], where), expr))
                    elif isinstance(expr, (ast.Name, ast.Attribute)):
                        chosen.append((self.index.qualname(expr, where), None))
                    else:
                        return None
        quals = {qual for qual, _partial in chosen}
        if len(quals) != 1 or None in quals or catalogue.lookup(next(iter(quals))) is None:
            return None
        partials = {id(partial): partial for _qual, partial in chosen}
        return chosen[0][0], next(iter(partials.values())) if len(partials) == 1 else None

    def _read_spread(self, site: NormSite) -> None:
        """`BatchNorm2d(c, **bn_kwargs)` with `bn_kwargs = dict(eps=...)` in the module."""
        calls = [site.call] + ([site.partial] if site.partial is not None else [])
        spread: dict = {}
        for call in calls:
            if any(isinstance(a, ast.Starred) for a in call.args):
                site.opaque_spread = True
            for keyword in call.keywords:
                if keyword.arg is not None:
                    continue
                _add_members(site, self.values.members(keyword.value, self.index.scope_of(call), "item"), spread)
        for keyword in self._arg_scope_keywords(site):
            spread.setdefault(keyword.arg, keyword.value)
        site.spread = spread or None

    def _arg_scope_keywords(self, site: NormSite) -> list[ast.keyword]:
        """The defaults an enclosing `with arg_scope([tf.contrib.layers.batch_norm], updates_collections=None,
        ...)` (slim's or contrib's) gives the layer's call, innermost first."""
        found = []
        node = self.index.parents.get(site.call)
        while node is not None and not isinstance(node, ast.Module):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    opened = item.context_expr
                    if not (isinstance(opened, ast.Call) and isinstance(opened.func, (ast.Name, ast.Attribute))
                            and (self.index.qualname(opened.func) or "").rpartition(".")[2] == "arg_scope"
                            and opened.args and isinstance(opened.args[0], (ast.List, ast.Tuple))):
                        continue
                    listed = [catalogue.lookup(self.index.qualname(e)) for e in opened.args[0].elts
                              if isinstance(e, (ast.Name, ast.Attribute))]
                    if site.api in listed:
                        found.extend(k for k in opened.keywords if k.arg is not None)
            node = self.index.parents.get(node)
        return found

    @cached_property
    def _sites_by_call(self) -> dict[ast.Call, NormSite]:
        return {site.call: site for site in self.norm_sites}

    def norm_site(self, call: ast.AST) -> NormSite | None:
        return self._sites_by_call.get(call) if isinstance(call, ast.Call) else None

    def project_norm_sites(self, accept, skip_module=None) -> list:
        """Norm sites that project code this module calls builds into its graph: the sites inside
        the class or function another module defines (`net = SegNet(images, is_training)` with
        slim's batch_norm in network.py; DualGAN's `batch_norm(conv2d(...))` of `from ops import
        *`), those `accept(other_model, site)` takes, as (site, its place there as evidence), from
        the first definition that has any. `skip_module(other_model)` drops a whole module (one
        that runs the batch norms' update ops itself)."""
        project = self.project
        if project is None:
            return []
        seen = set()
        for call in self.index.calls:
            qual = self.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
            if not qual or qual in seen:
                continue
            seen.add(qual)
            definition = project.definition(qual)
            if definition is None:
                continue
            other, node = definition
            if getattr(node, "end_lineno", None) is None or (skip_module is not None and skip_module(other)):
                continue
            found = [(site, project.foreign(site.call, other)) for site in other.norm_sites
                     if node.lineno <= site.call.lineno <= node.end_lineno and accept(other, site)]
            if found:
                return found
        return []

    def zoo_site(self, call: ast.AST) -> NormSite | None:
        """The BatchNorm layers a model-zoo builder call makes (`torchvision.models.resnet18()`),
        as one site whose default epsilon is the builder's (catalogue), when known."""
        if not isinstance(call, ast.Call) or not isinstance(call.func, (ast.Name, ast.Attribute)):
            return None
        qual = self.index.qualname(call.func)
        found = catalogue.builder_epsilon(qual)
        if found is None:
            return None
        epsilon, framework = found
        base = catalogue.lookup("torch.nn.BatchNorm2d" if framework == "torch" else "keras.layers.BatchNormalization")
        api = replace(base, epsilon_default=epsilon, params=())
        return NormSite(call, api, self.index.scope_of(call), qual)

    # ---- models and training contexts ---------------------------------------------------
    @cached_property
    def models(self):
        from bnlint.semantic.models import ModelAnalysis

        return ModelAnalysis(self)

    @cached_property
    def training(self):
        from bnlint.semantic.training import TrainingAnalysis

        return TrainingAnalysis(self)

    @cached_property
    def torchflow(self):
        from bnlint.semantic.torchflow import TorchFlow

        return TorchFlow(self)

    @cached_property
    def sequences(self):
        from bnlint.semantic.sequences import SequenceAnalysis

        return SequenceAnalysis(self)

    @cached_property
    def layouts(self):
        from bnlint.semantic.layouts import Layouts

        return Layouts(self)

    @cached_property
    def batches(self):
        from bnlint.semantic.batches import BatchSources

        return BatchSources(self)

    @cached_property
    def defined_names(self) -> frozenset[str]:
        """The names this module defines at its top level (functions, classes, assignments):
        what another module can import from it. Aliases (`layers = tf.keras.layers`) are left
        out: they name what the module imports, not what it makes."""
        return frozenset(name for name, bindings in self.index.module_scope.bindings.items()
                         if any(b.kind in ("def", "class") or b.kind in ("assign", "annassign")
                                and not isinstance(b.value, (ast.Name, ast.Attribute)) for b in bindings))

    @cached_property
    def transfers(self):
        from bnlint.semantic.transfers import TransferAnalysis

        return TransferAnalysis(self)

    def written_here(self, home, node, value):
        """Where this module writes the `value` that `node` of another module (`home`, its
        semantic model) has: the argument, dict entry or option default this module gives that
        module's parameter (`make_input_fn(pattern, HPARAMS)` with `"batch_size": 1` in
        HPARAMS); None when it is written elsewhere or cannot be followed."""
        if hasattr(node, "bnlint_path") or home is None:
            return None
        there = home.values.written_elsewhere(node, value)
        if there is None or not self.path or self.project is None:
            return None
        source = getattr(there, "source", None)
        if source is not None:
            path, written = source[0].path, source[1]
            kind = type(written)
        else:  # a value with its place (a dict entry of this module read there): the node at that place
            path, written, kind = os.path.join(self.project.project.root, there.bnlint_path), there, None
        if os.path.realpath(path) != os.path.realpath(self.path):
            return None
        # (the project reads its modules itself: the same place in this module's own tree)
        return next((n for n in self.index.parents if (kind is None or type(n) is kind)
                     and getattr(n, "lineno", None) == written.lineno and n.col_offset == written.col_offset), None)

    def project_callee(self, call: ast.Call):
        """(semantic model of its module, function, bound) for a call of another project
        module's code: an imported function, a class (its `__init__`), or a method of an instance
        the module makes from an imported class (`trainer.train(epoch, loader)` with `trainer =
        PerspectiveTrainer(model)`); None otherwise."""
        project = self.project
        if project is None or not isinstance(call.func, (ast.Name, ast.Attribute)):
            return None
        definition = project.definition(self.qualname(call.func) or "")
        if definition is not None:
            other, function = definition
            if not isinstance(function, ast.ClassDef):
                return other, function, False
            init = _init_of_class(other, function)
            return (other, init, True) if init is not None else None
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            binding = self.values.binding_of(call.func.value)
            made = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
            if isinstance(made, ast.Call) and isinstance(made.func, (ast.Name, ast.Attribute)):
                definition = project.definition(self.qualname(made.func) or "")
                if definition is None or not isinstance(definition[1], ast.ClassDef):
                    return None
                method = _method_of_class(definition[0], definition[1], call.func.attr)
                return (definition[0], method, True) if method is not None else None
        return None

    def parameter_method_callee(self, call: ast.Call):
        """(semantic model of its module, method, True) for a method called on a parameter every
        caller fills with an instance of one class of another module (`def make_training(graph):
        graph.model_variables()`); None otherwise. Costly (the callers are searched project-wide):
        for the questions that need it only."""
        func = call.func
        if self.project is None or not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return None
        binding = self.values.binding_of(func.value)
        if binding is None or binding.kind != "param":
            return None
        from bnlint.semantic.models import instance_class

        owner = instance_class(self.models, func.value)
        if owner is None or owner[0] is self.models:
            return None
        method = next((s for s in owner[1].body if isinstance(s, ast.FunctionDef) and s.name == func.attr), None)
        return (owner[0].model, method, True) if method is not None else None

    @property
    def epsilon_writes(self) -> dict:
        """{id of a site's call: [(value, write)]} for the epsilons written into built layers:
        `bn.eps = 1e-3`, `setattr(m, "eps", v)`, also in a loop over a model's modules
        (`for m in net.modules(): if isinstance(m, nn.BatchNorm2d): m.eps = 1e-3`).
        Memoized as a query that may meet itself: the loop's model may be a class of this module
        built in another one (`set_bn_eps(model, ...)` called from train.py), whose layers are
        then read through this module again."""
        return memoized(self.__dict__.setdefault("_epsilon_writes", {}), "writes", {}, self._find_epsilon_writes)

    def _find_epsilon_writes(self) -> dict:
        from bnlint.semantic.models import layer_ref

        writes: dict = {}
        found = []
        for node in self.index.assigns:
            if isinstance(node, ast.Assign):
                found.extend((t.value, node.value, node) for t in node.targets
                             if isinstance(t, ast.Attribute) and t.attr in catalogue.EPSILON_ATTRIBUTES)
        for call in self.index.calls:
            if (isinstance(call.func, ast.Name) and call.func.id == "setattr" and len(call.args) == 3
                    and self.const(call.args[1]) in catalogue.EPSILON_ATTRIBUTES):
                found.append((call.args[0], call.args[2], call))
        for owner, value, node in found:
            ref = layer_ref(self.models, owner)
            for site in ref.sites if ref is not None else []:
                writes.setdefault(id(site.call), []).append((value, node))
        return writes

    def epsilon_of(self, site: NormSite):
        """The epsilon a normalization site uses (its argument, else the catalogue default; an
        epsilon written into the built layer wins) and whether it was written; UNKNOWN when
        `**kwargs` or an unknown value may set it."""
        if site.api.epsilon is None:
            return UNKNOWN, False
        later = self.epsilon_writes.get(id(site.call))
        if later:
            values = {self.const(value, self.index.scope_of(node)) for value, node in later}
            value = values.pop() if len(values) == 1 else UNKNOWN
            return (value, True) if is_number(value) else (UNKNOWN, False)
        expr = site.arg(site.api.epsilon)
        if expr is not None:
            return self.const(expr, site.scope), True
        if site.partial_elsewhere == "several":
            return UNKNOWN, False
        if site.partial_elsewhere is not None:
            # `partial(nn.BatchNorm2d, eps=cfg["bn_eps"])` of the module that passes the factory
            other, partial = site.partial_elsewhere
            bound = NormSite(partial, site.api, other.index.scope_of(partial), site.qualname, partial)
            found = bound.arg(site.api.epsilon)
            if found is not None or any(isinstance(a, ast.Starred) for a in partial.args) or any(
                    k.arg is None for k in partial.keywords):
                value = other.const(found, bound.scope) if found is not None else UNKNOWN
                return (value, True) if is_number(value) else (UNKNOWN, False)
        if site.opaque or site.api.epsilon_default is None:
            return UNKNOWN, False
        return site.api.epsilon_default, site.foreign_written

    def always_true(self, expr: ast.AST | None, scope: Scope | None = None) -> bool:
        """`expr` is True, or a parameter that every call of its function in this module passes
        as True (`conv_net(x, is_training=True)` for `is_train=is_training`)."""
        if expr is None:
            return False
        value = self.const(expr, scope)
        if value is True:
            return True
        if value is not UNKNOWN or not isinstance(expr, ast.Name):
            return False
        binding = self.values.binding_of(expr, scope)
        if binding is None or binding.kind != "param":
            return False
        function = binding.scope.node
        calls = self.index.call_sites(function)
        return bool(calls) and all(
            self.const(self.index.argument_for(call, function, binding.name)) is True for call in calls)

    def in_test(self, node: ast.AST) -> bool:
        """Inside a test: a function named `test*` or a method of a `*TestCase` class. A model
        built and run once there is a smoke check, not training or evaluation."""
        function = self.index.enclosing_function(node)
        if function is not None and function.name.lower().startswith("test"):
            return True
        cls = self.index.enclosing_class(node)
        return cls is not None and any((self.qualname(b) or getattr(b, "attr", getattr(b, "id", ""))).endswith(
            "TestCase") for b in cls.bases)

    # ---- helpers for messages ---------------------------------------------------------
    @staticmethod
    def where(node) -> str:
        """'line 12' for a node of this module, 'models.py:12' for one in another module."""
        path = getattr(node, "bnlint_path", None)
        line = getattr(node, "lineno", "?")
        return f"{path}:{line}" if path else f"line {line}"

    def _segment(self, node: ast.AST) -> str | None:
        """ast.get_source_segment without re-splitting the source on every call."""
        line, end_line = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if None in (line, end_line, col, end_col) or hasattr(node, "bnlint_path"):
            return None
        if not 1 <= line <= end_line <= len(self.lines):
            return None
        encoded = self._encoded_lines
        if line == end_line:
            return encoded[line - 1][col:end_col].decode("utf-8", "replace")
        parts = [encoded[line - 1][col:]] + encoded[line:end_line - 1] + [encoded[end_line - 1][:end_col]]
        return b"\n".join(parts).decode("utf-8", "replace")

    @cached_property
    def _encoded_lines(self) -> list[bytes]:
        return [line.encode("utf-8") for line in self.lines]

    def text(self, node: ast.AST, limit: int = 60) -> str:
        """The source text of a node, shortened for a message."""
        text = self._segment(node)
        if text is None:
            try:
                text = ast.unparse(node)
            except Exception:
                text = "?"
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 3] + "..."


def _init_of_class(home, cls: ast.ClassDef) -> ast.FunctionDef | None:
    """The `__init__` a class's constructor runs: its own, or the one it inherits from a base
    class of its module (`class UNetLearner(Learner)` without one of its own)."""
    return _method_of_class(home, cls, "__init__")


def _method_of_class(home, cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    """The method `name` an instance of `cls` runs: its own, or the one it inherits from a base
    class of its module (`gen.batches(1)` with `class CSVGenerator(Generator)` and `batches`
    defined in `Generator`)."""
    for _ in range(4):
        method = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == name), None)
        if method is not None:
            return method
        bases = [b for b in cls.bases if isinstance(b, ast.Name)]
        bindings = home.index.lookup(bases[0].id, home.index.module_scope) if bases else []
        if len(bindings) != 1 or bindings[0].kind != "class":
            return None
        cls = bindings[0].node
    return None
