"""What value an expression has, when the module says so.

Literals, unary minus, constant arithmetic, names and parameter defaults bound to constants
and module globals read inside functions are folded directly from the module's own bindings.
What is left (attributes such as `self.eps`, names imported from other project modules) goes
to astroid, node by node and only when a rule asks; results are cached. astroid builds its
trees from source and is never allowed to import the code it reads.
"""

from __future__ import annotations

import ast
import contextlib
import itertools
import math
import operator
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bnlint.semantic.configfiles import ConfigValue, parse_config
from bnlint.semantic.scopes import Binding, ModuleIndex, Scope


class _Unknown:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_NUMERIC_WRAPPERS = {
    "builtins.float", "builtins.int", "numpy.float32", "numpy.float64", "numpy.float16",
    "numpy.float_", "numpy.double", "numpy.single",
}
# Module roots astroid is never asked about: inferring through them would parse the
# frameworks' own sources (seconds per file) for no answer a rule needs.
_ASTROID_DENY_ROOTS = frozenset({
    "tensorflow", "tf", "torch", "keras", "jax", "flax", "haiku", "numpy", "np", "paddle",
    "mxnet", "mindspore", "tensorlayer", "tl", "torchvision", "timm", "scipy", "pandas",
})
_MAX_POSSIBLE = 32
# Constant folding stays cheap: integers beyond this many bits (far above any epsilon, batch
# size or shape) are unknown, and so is any operation that could build one.
_MAX_INT_BITS = 4096


def _small_enough(op, left, right) -> bool:
    """Whether `left op right` can be computed without building a huge integer."""
    if isinstance(op, ast.Pow):
        if abs(right) > 64:
            return False
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            return left.bit_length() * right <= _MAX_INT_BITS
        return True
    if isinstance(op, (ast.Mult, ast.LShift)) and isinstance(left, int) and isinstance(right, int):
        return left.bit_length() + right.bit_length() <= _MAX_INT_BITS
    return True


class ForeignObject:
    """An object another module of the project makes (a DataLoader, a model) and hands over
    inside a container this module reads (`trainArgs["train_loader"]` of a dict dataPre.py
    fills): the expression there, for that module's analyses to read. Carries a place, so it
    can stand as evidence (`bnlint_path`, `lineno`)."""

    def __init__(self, values: "Values", node: ast.AST, scope: Any):
        self.values = values  # the Values of the module that makes it
        self.node = node
        self.scope = scope
        self.bnlint_path = values.module_display()
        self.lineno = self.end_lineno = getattr(node, "lineno", 1)
        self.col_offset = getattr(node, "col_offset", 0)
        self.end_col_offset = self.col_offset + 1

    @property
    def value(self):
        return self  # (members compared across calls: the same object only when it is this one)

    def __eq__(self, other):
        return isinstance(other, ForeignObject) and (other.bnlint_path, other.lineno, other.col_offset) == (
            self.bnlint_path, self.lineno, self.col_offset)

    def __hash__(self):
        return hash((self.bnlint_path, self.lineno, self.col_offset))

    def home(self, project):
        """The semantic model of the module that makes it (`project`: any module's ProjectView)."""
        return project.project.semantic_model(Path(self.values.path)) if project is not None and self.values.path \
            else None


@dataclass(frozen=True)
class ArgumentSite:
    """A value a parameter is given: where (`place`, a node of this module or a typed location
    of another), by which call (None: the default), read with the `values` of the call's module."""
    values: "Values"
    call: ast.Call | None
    argument: ast.AST | None
    scope: Any
    place: Any

    def const(self) -> Any:
        return self.values.const(self.argument, self.scope) if self.argument is not None else UNKNOWN

    def text(self, limit: int = 40) -> str:
        segment = ast.get_source_segment(self.values.source, self.call) if self.call is not None else None
        segment = " ".join((segment or "").split())
        return segment if len(segment) <= limit else segment[: limit - 3] + "..."


def _is_cls_parameter(binding) -> bool:
    """The binding is the first parameter of a `@classmethod` (`cls`)."""
    if binding is None or binding.kind != "param":
        return False
    function = binding.scope.node
    return isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and bool(function.args.args) \
        and function.args.args[0].arg == binding.name \
        and any(isinstance(d, ast.Name) and d.id == "classmethod" for d in function.decorator_list)


def _argument_or_spread(other, call: ast.Call, function, name: str, bound: bool):
    """The argument another module's `call` gives parameter `name`: written, or a member of the
    one `**config` dict it spreads (`PointNetCls(**cfg["model"])` of a YAML file), read there.
    None when neither."""
    argument = other.index.argument_for(call, function, name, bound=bound)
    spread = [k.value for k in call.keywords if k.arg is None]
    if argument is not None or len(spread) != 1:
        return argument
    members = other.values.members(spread[0], other.index.scope_of(call), "item")
    entry = members.get(name) if members else None
    return entry[0] if entry is not None else None


def base_initializer_calls(other, sub: ast.ClassDef, base_name: str) -> list[tuple[ast.Call, bool]]:
    """The calls of its base's `__init__` that `sub`'s own `__init__` makes: `super().__init__(...)`
    and `super(Sub, self).__init__(...)` (self implicit: bound), `Base.__init__(self, ...)` (not)."""
    init = next((stmt for stmt in sub.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and stmt.name == "__init__"), None)
    if init is None:
        return []
    found = []
    for node in ast.walk(init):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__"):
            continue
        target = node.func.value
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and target.func.id == "super":
            found.append((node, True))
        elif isinstance(target, (ast.Name, ast.Attribute)) and \
                (other.index.qualname(target) or "").rpartition(".")[2] == base_name:
            found.append((node, False))
    return found


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Values:
    def __init__(self, index: ModuleIndex, source: str, path: str | None, project=None):
        self.index = index
        self.project = project  # module summaries of the project: constants of imported modules
        self.source = source
        self.path = path
        self._cache: dict[ast.AST, Any] = {}
        self._argument_sites: dict[int, tuple] = {}  # id(binding) -> (binding, sites): the binding kept alive
        self._astroid_tree = None
        self._unpacked_attributes: dict = {}  # class -> attribute -> [(value, position, scope)]
        self._astroid_nodes: dict[tuple, Any] | None = None
        self._attributes: dict[ast.ClassDef, dict[str, list]] = {}
        self._members_in_progress: set[tuple] = set()
        self._dotted: dict | None = None
        self._dotted_paths: dict[int, tuple] = {}
        self._spreading: set[int] = set()  # parameters whose spread sites are being read
        # (id(function), parameter) -> (argument, its scope, the Values of its module): the
        # arguments of the one call whose alternate constructor is being read
        self._bound_arguments: dict[tuple[int, str], tuple] = {}
        # id(node) -> (node, its origins); the node is kept so that its id stays its own
        self._origins_cache: dict[int, tuple[ast.AST, list]] = {}
        # class -> constructor calls through a registry (`MODELS[name](cfg)`); {} while being made
        self._registry_constructions: dict | None = None

    # ---- calls -----------------------------------------------------------------------
    def callers(self, function: ast.AST) -> list[tuple[ast.Call, bool]]:
        """The calls of `function` in this module (`ModuleIndex.callers`), and for a class's
        `__init__` also the constructor calls that pick the class from a registry of the module
        (`MODELS[cfg["name"]](cfg)`, `MODELS.get(name)(cfg)` with `MODELS` a dict literal or filled
        by a registering decorator)."""
        found = self.index.callers(function)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return found
        scope = self.index.scope_of(function)
        if scope is self.index.module_scope:
            # `NORM_REGISTRY[cfg["type"]](c, **kwargs)` with `@register_norm("bn") def make_bn(...)`
            through = self._constructions_through_registries().get(function)
            return found + [(call, False) for call in through] if through else found
        if function.name != "__init__":
            return found
        if scope.kind != "class":
            return found
        through = self._constructions_through_registries().get(scope.node)
        return found + [(call, True) for call in through] if through else found

    def _constructions_through_registries(self) -> dict:
        if self._registry_constructions is not None:
            return self._registry_constructions
        self._registry_constructions = {}  # (a registry read while this is made finds none)
        made: dict = {}
        for call in self.index.calls:
            func = call.func
            if isinstance(func, ast.Subscript):
                holder, key = func.value, func.slice
            elif isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) and func.func.attr == "get" \
                    and func.args:
                holder, key = func.func.value, func.args[0]
            else:
                continue
            if not isinstance(holder, (ast.Name, ast.Attribute)):
                continue
            scope = self.index.scope_of(call)
            registry = self.members(holder, scope, "item")
            if not registry:
                continue
            picked = self.const(key, scope)
            entries = [registry[picked]] if _hashable(picked) and picked in registry else list(registry.values())
            for entry in entries:
                cls = self._class_constructed(entry) or self._function_registered(entry)
                if cls is not None:
                    made.setdefault(cls, []).append(call)
        self._registry_constructions = made
        return made

    def _entry_definition(self, entry, kind: str):
        """The definition (`kind` "def" or "class") a registry entry holds or names."""
        if entry is None:
            return None
        node, scope = entry
        if isinstance(node, ast.Name):
            bindings = self.index.lookup(node.id, scope or self.index.module_scope)
            node = bindings[0].node if len(bindings) == 1 and bindings[0].kind == kind else None
        return node

    def _function_registered(self, entry) -> ast.FunctionDef | None:
        """The module-level function of this module a registry entry holds."""
        node = self._entry_definition(entry, "def")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node in self.index.parents \
                and self.index.scope_of(node) is self.index.module_scope:
            return node
        return None

    def _class_constructed(self, entry) -> ast.ClassDef | None:
        """The class of this module whose `__init__` a registry entry's constructor runs: the
        class itself, or the base it inherits `__init__` from."""
        node = self._entry_definition(entry, "class")
        for _ in range(4):
            if not isinstance(node, ast.ClassDef) or node not in self.index.parents:
                return None
            if any(isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__init__"
                   for stmt in node.body):
                return node
            bases = [b for b in node.bases if isinstance(b, ast.Name)]
            bindings = self.index.lookup(bases[0].id, self.index.module_scope) if bases else []
            node = bindings[0].node if len(bindings) == 1 and bindings[0].kind == "class" else None
        return None

    # ---- single values -----------------------------------------------------------------
    def const(self, expr: ast.AST | None, scope: Scope | None = None) -> Any:
        """The constant value of `expr`, or UNKNOWN."""
        if expr is None:
            return UNKNOWN
        if self._bound_arguments:
            # reading an alternate constructor for one call: its values hold for that call only
            return self._const(expr, scope if scope is not None and expr not in self.index.parents
                               else self.index.scope_of(expr), 0)
        cached = self._cache.get(expr, None)
        if cached is not None or expr in self._cache:
            return cached
        self._cache[expr] = UNKNOWN  # guards recursion through self-referencing bindings
        # A node of this module is read in its own scope, whatever scope the caller holds (a
        # `**bn_kwargs` entry written in the function that builds the dict, read at a layer
        # built in another function): the cache is per node.
        if scope is None or expr in self.index.parents:
            scope = self.index.scope_of(expr)
        value = self._const(expr, scope, 0)
        self._cache[expr] = value
        return value

    def _const(self, expr: ast.AST, scope: Scope, depth: int) -> Any:
        if depth > 12:
            return UNKNOWN
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ConfigValue):  # a value of a YAML/JSON file the module reads
            return expr.value if not isinstance(expr.value, (dict, list)) else UNKNOWN
        if isinstance(expr, ast.UnaryOp):
            operand = self._const(expr.operand, scope, depth + 1)
            if is_number(operand):
                if isinstance(expr.op, ast.USub):
                    return -operand
                if isinstance(expr.op, ast.UAdd):
                    return operand
            if isinstance(expr.op, ast.Not) and operand is not UNKNOWN:
                return not operand
            return UNKNOWN
        if isinstance(expr, ast.BinOp):
            op = _BINOPS.get(type(expr.op))
            left = self._const(expr.left, scope, depth + 1)
            right = self._const(expr.right, scope, depth + 1)
            if isinstance(expr.op, ast.Add) and isinstance(left, tuple) and isinstance(right, tuple) \
                    and len(left) + len(right) <= 16:
                return left + right  # `(1,) + CLIP_SHAPE`: a shape put together
            if op is None or not is_number(left) or not is_number(right):
                return UNKNOWN
            if not _small_enough(expr.op, left, right):
                return UNKNOWN  # big-int towers: unknown, never a long computation
            try:
                result = op(left, right)
            except (ArithmeticError, ValueError, TypeError):
                return UNKNOWN
            if isinstance(result, int) and result.bit_length() > _MAX_INT_BITS:
                return UNKNOWN
            if not is_number(result) or (isinstance(result, float) and not math.isfinite(result)):
                return UNKNOWN
            return result
        if isinstance(expr, (ast.Tuple, ast.List)):
            items = [self._const(e, scope, depth + 1) for e in expr.elts]
            return UNKNOWN if any(i is UNKNOWN for i in items) else tuple(items)
        if (isinstance(expr, ast.Compare) and len(expr.ops) == 1 and type(expr.ops[0]) in _COMPARISONS
                and not isinstance(expr.ops[0], (ast.Is, ast.IsNot))):
            # `args.ds == 1` with the option's default: which branch a default run takes
            left = self._const(expr.left, scope, depth + 1)
            right = self._const(expr.comparators[0], scope, depth + 1)
            if left is UNKNOWN or right is UNKNOWN or not (_scalar(left) and _scalar(right)):
                return UNKNOWN
            try:
                return bool(_COMPARISONS[type(expr.ops[0])](left, right))
            except TypeError:
                return UNKNOWN
        if isinstance(expr, ast.IfExp):
            test = self._const(expr.test, scope, depth + 1)
            if test is not UNKNOWN:
                return self._const(expr.body if test else expr.orelse, scope, depth + 1)
            body, orelse = self._const(expr.body, scope, depth + 1), self._const(expr.orelse, scope, depth + 1)
            if body is not UNKNOWN and orelse is not UNKNOWN and _hashable(body) and body == orelse:
                return body
            # `sys.argv[1] if len(sys.argv) > 1 else "config.json"`: the default, as for an
            # argparse option
            if _reads_command_line(expr.body, self.index, scope):
                return orelse
            if _reads_command_line(expr.orelse, self.index, scope):
                return body
            return UNKNOWN
        if isinstance(expr, ast.Name):
            return self._name(expr, scope, depth)
        if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("pop", "get")
                and len(expr.args) in (1, 2) and not expr.keywords and isinstance(expr.func.value, ast.Name)):
            # `layer_type = cfg.pop("type")` of a config dict the module spells out
            key = self._const(expr.args[0], scope, depth + 1)
            if isinstance(key, str):
                value = self._member(expr.func.value, key, scope, depth, "item")
                if value is not UNKNOWN:
                    return value
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in _INI_GETTERS \
                and len(expr.args) == 2:
            # `cfg.getfloat("bn", "epsilon")` of a configparser that reads a project file
            found = self._ini_value(expr, scope, depth)
            if found is not UNKNOWN:
                return found
        if isinstance(expr, ast.Call) and len(expr.args) == 2 and not expr.keywords and \
                self.index.qualname(expr.func, scope) in ("os.environ.get", "os.getenv"):
            # `os.environ.get("BATCH_SIZE", "1")`: the default, as for an argparse option
            return self._const(expr.args[1], scope, depth + 1)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
            # `_env_float("BN_EPSILON", "0")` with `def _env_float(name, default): return
            # float(os.environ.get(name, default))`: the helper's one return, for this call
            found = self._inline_value(expr, scope, depth)
            if found is not UNKNOWN:
                return found
        if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords:
            qual = self.index.qualname(expr.func, scope)
            if qual in _NUMERIC_WRAPPERS:
                inner = self._const(expr.args[0], scope, depth + 1)
                if isinstance(inner, (int, float, str)) and not isinstance(inner, bool):
                    try:
                        value = float(inner)
                    except (ValueError, OverflowError):
                        return UNKNOWN
                    if qual == "builtins.int" and math.isfinite(value):
                        return int(value)
                    return value if math.isfinite(value) else UNKNOWN
            return UNKNOWN
        if isinstance(expr, ast.Subscript):
            key = self._const(expr.slice, scope, depth + 1)
            value = self._member(expr.value, key, scope, depth, "item")
            return value if value is not UNKNOWN else self._external_member(expr.value, key, scope, "item")
        if isinstance(expr, ast.Attribute):
            if isinstance(expr.value, ast.Name) and expr.value.id == "self":
                value = self._self_attribute(expr, depth)
                if value is not UNKNOWN:
                    return value
                return self._member(expr.value, expr.attr, scope, depth, "attr")
            found, value = self._project_const(self.index.qualname(expr, scope))
            if found:
                return value
            value = self._member(expr.value, expr.attr, scope, depth, "attr")
            if value is UNKNOWN:
                value = self._external_member(expr.value, expr.attr, scope, "attr")
            if value is UNKNOWN:
                value = self.options_default(expr.value, expr.attr, scope)
            return value if value is not UNKNOWN else self._astroid_const(expr)
        return UNKNOWN

    def _inline_value(self, call: ast.Call, scope: Scope, depth: int) -> Any:
        """The value a small helper of the module returns for this call: a function whose body is
        one `return` of its parameters through numbers, conversions and environment defaults.
        The arguments are read where the call is; nothing else of the helper is assumed."""
        callee = self.index.local_callee(call)
        if callee is None or depth > 8 or any(isinstance(a, ast.Starred) for a in call.args) \
                or any(k.arg is None for k in call.keywords):
            return UNKNOWN  # (`env(**opts)`: which parameters it fills is not known here)
        function, bound = callee
        body = [stmt for stmt in function.body
                if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            return UNKNOWN
        inner_scope = self.index.scopes.get(function)
        if inner_scope is None:
            return UNKNOWN
        params = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}

        def value(node):
            if isinstance(node, ast.Name) and node.id in params:
                passed = self.index.argument_for(call, function, node.id, bound=bound)
                if passed is not None:
                    return self._const(passed, scope, depth + 1)
                binding = self.binding_of(node, inner_scope)
                return self._const(binding.value, inner_scope.parent or inner_scope, depth + 1) \
                    if binding is not None and binding.value is not None else UNKNOWN
            if not any(isinstance(n, ast.Name) and n.id in params for n in ast.walk(node)):
                return self._const(node, inner_scope, depth + 1)
            if isinstance(node, ast.Call) and not node.keywords:
                qual = self.index.qualname(node.func, inner_scope)
                if qual in ("os.environ.get", "os.getenv") and len(node.args) == 2:
                    return value(node.args[1])  # the default, as for an argparse option
                if qual in _NUMERIC_WRAPPERS and len(node.args) == 1:
                    inner = value(node.args[0])
                    if isinstance(inner, (int, float, str)) and not isinstance(inner, bool):
                        try:
                            number = float(inner)
                        except (ValueError, OverflowError):
                            return UNKNOWN
                        if not math.isfinite(number):
                            return UNKNOWN
                        return int(number) if qual == "builtins.int" else number
                return UNKNOWN
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
                inner = value(node.operand)
                return -inner if is_number(inner) else UNKNOWN
            if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
                left, right = value(node.left), value(node.right)
                if not is_number(left) or not is_number(right) or not _small_enough(node.op, left, right):
                    return UNKNOWN
                try:
                    return _BINOPS[type(node.op)](left, right)
                except (ArithmeticError, ValueError, TypeError):
                    return UNKNOWN
            return UNKNOWN

        return value(body[0].value)

    def _ini_value(self, call: ast.Call, scope: Scope, depth: int) -> Any:
        """`parser.getfloat(section, key[, fallback=...])` of a configparser whose file bnlint reads:
        the string there converted as the getter converts it; the fallback when the key is not
        there."""
        owner = call.func.value
        if not isinstance(owner, ast.Name):
            return UNKNOWN
        binding = self.binding_of(owner, scope)
        if binding is None or not self._is_ini_parser(binding):
            return UNKNOWN
        section, key = (self._const(arg, scope, depth + 1) for arg in call.args)
        sections = self._members(owner, scope, "item", depth + 1)
        if not isinstance(section, str) or not isinstance(key, str) or sections is None:
            return UNKNOWN
        values = sections.get(section)
        values = self._members(values[0], values[1], "item", depth + 1) if values is not None else None
        entry = values.get(key.lower()) if values is not None else None
        if entry is None:
            fallback = next((k.value for k in call.keywords if k.arg == "fallback"), None)
            return self._const(fallback, scope, depth + 1) if fallback is not None and values is not None \
                else UNKNOWN
        text = self._const(entry[0], entry[1], depth + 1)
        convert = _INI_GETTERS[call.func.attr]
        if not isinstance(text, str):
            return UNKNOWN
        if convert is None:
            lowered = text.strip().lower()
            return True if lowered in ("1", "yes", "true", "on") else False if lowered in ("0", "no", "false", "off") \
                else UNKNOWN
        try:
            return convert(text.strip())
        except ValueError:
            return UNKNOWN

    def _is_ini_parser(self, binding: Binding) -> bool:
        return binding.kind in ("assign", "annassign") and isinstance(binding.value, ast.Call) and \
            self.index.qualname(binding.value.func, binding.scope) in _INI_PARSERS

    def _ini_document(self, name: str, binding: Binding, depth: int) -> dict | None:
        """The sections of the files `parser.read(path)` loads into a configparser the module
        makes (later files override earlier ones, as configparser does)."""
        result: dict | None = None
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr in ("read", "read_file") and call.args
                    and isinstance(func.value, ast.Name) and func.value.id == name
                    and self.binding_of(func.value, self.index.scope_of(call)) is binding):
                continue
            paths = call.args[0].elts if isinstance(call.args[0], (ast.List, ast.Tuple)) else [call.args[0]]
            for path in paths:
                document = self._config_document(path, self.index.scope_of(call), path=True)
                sections = self._members(document, None, "item", depth + 1) if document is not None else None
                if sections is None:
                    return None
                result = {**(result or {}), **sections}
        return result

    def _external_member(self, container: ast.AST, key: Any, scope: Scope, how: str) -> Any:
        """`args.batch_size` (or `cfg["batch_size"]`) where `args` is a parameter of a function
        that only other modules of the project call (`create_loader(dataset, args)` from
        train.py): the value each caller's object gives that member, read in the caller's
        module, when they all agree."""
        if not isinstance(container, ast.Name) or not isinstance(key, (str, int)) or isinstance(key, bool):
            return UNKNOWN
        binding = self.binding_of(container, scope)
        if binding is None or binding.kind != "param" or self.index.callers(binding.scope.node):
            return UNKNOWN
        values = set()
        for other, _call, argument in self.external_arguments(binding) or []:
            if argument is None:
                return UNKNOWN
            members = other.values.members(argument, None, how)
            entry = members.get(key) if members else None
            if entry is None:
                value = other.values.options_default(argument, key) if how == "attr" else UNKNOWN
            else:
                value = other.values.const(entry[0], entry[1])
            if value is UNKNOWN or not _hashable(value):
                return UNKNOWN
            values.add(value)
        return values.pop() if len(values) == 1 else UNKNOWN

    def options_default(self, container: ast.AST, key: Any, scope: Scope | None = None) -> Any:
        """`opt.batch_size` where `opt = TrainOptions().parse()` (or `args = get_args()`,
        `args = options.initialize()`) and the options class or function declares its
        `add_argument(..., default=)` in a module of the project (its base classes' modules
        included: `TrainOptions(BaseOptions)`): the default's value, read in that module. A value
        only, never a node of the other module."""
        if not isinstance(container, ast.Name) or not isinstance(key, str):
            return UNKNOWN
        scope = scope or self.index.scope_of(container)
        binding = self.binding_of(container, scope)
        call = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
        if not isinstance(call, ast.Call) or not isinstance(call.func, (ast.Name, ast.Attribute)):
            return UNKNOWN
        if isinstance(call.func, ast.Attribute):
            members = self._options_class_members(call, scope, 0)
            entry = members.get(key) if members else None
            return entry[0].value if entry is not None else UNKNOWN
        found = self.project.definition(self.index.qualname(call.func, scope) or "") if self.project else None
        if found is None:
            return UNKNOWN  # `args = get_args()` from another module
        entry = found[0].values.argparse_defaults().get(key)
        value = found[0].values.const(entry[0], entry[1]) if entry else UNKNOWN
        return value if _hashable(value) else UNKNOWN

    # ---- containers: config dicts, argparse namespaces, config classes ---------------------
    def _member(self, container: ast.AST, key: Any, scope: Scope, depth: int, how: str) -> Any:
        """`cfg["eps"]` (how="item") or `cfg.eps` (how="attr"): the value the module gives that
        member, when it gives exactly one."""
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            return UNKNOWN
        members = self.members(container, scope, how, depth + 1)
        if not members or key not in members:
            return UNKNOWN
        found = members[key]
        if found is None:  # set in several places
            return UNKNOWN
        value_expr, value_scope = found
        return self._const(value_expr, value_scope, depth + 1)

    def members(self, expr: ast.AST, scope: Scope | None = None, how: str = "item",
                depth: int = 0) -> dict | None:
        """What a config object holds: {key: (expression, scope), or None when ambiguous}.

        how="item" reads a mapping (`{"eps": 0}`, `dict(eps=0)`, `cfg["model"]`, with later
        `cfg["eps"] = ...` stores); how="attr" reads an object (`parser.parse_args()` through the
        module's `add_argument(..., default=)`, `SimpleNamespace(eps=0)`, an instance or the
        class of a config class: class-body and dataclass defaults, constructor keywords,
        `self.x = param` in `__init__`). None when the object is not one of these."""
        return self._members(expr, scope or self.index.scope_of(expr), how, depth)

    def _members(self, expr: ast.AST, scope: Scope, how: str, depth: int) -> dict | None:
        if depth > 24:
            return None
        if isinstance(expr, ConfigValue):
            # a mapping of a configuration file (read by key, or by attribute through the
            # EasyDict / OmegaConf / munch wrappers scripts put around it)
            mapping = expr.mapping
            return {key: (value, None) for key, value in mapping.items()} if mapping is not None else None
        if how == "attr" and isinstance(expr, (ast.Name, ast.Attribute)) and (
                self.index.qualname(expr, scope) or "").endswith("flags.FLAGS"):
            defaults = self.argparse_defaults()  # absl / tf.app flags: `FLAGS.batch_size`
            # (absl's FLAGS is one registry for the program: flags another project module defines
            # are read here too, `flags.DEFINE_string('conv_norm', ...)` in the package's __init__)
            defaults = {**self._flags_defined_elsewhere(), **(defaults or {})}
            return dict(defaults) if defaults else None
        # A dict literal read by attribute is one inside a namespace config (`EasyDict({"norm":
        # {"eps": 0}})`, `OmegaConf.create(...)`): those wrap nested dicts, so `cfg.norm.eps` reads
        # the literal. A plain dict read so would fail at run time: nobody writes it.
        if isinstance(expr, ast.Dict):
            result: dict = {}
            for key_expr, value in zip(expr.keys, expr.values):
                if key_expr is None:  # {**base, "eps": 0}
                    inner = self._members(value, scope, how, depth + 1)
                    if inner is None:
                        return None
                    result.update(inner)
                    continue
                key = self._const(key_expr, scope, depth + 1)
                if not _hashable(key) or key is UNKNOWN:
                    return None
                result[key] = (value, scope)
            return result
        if isinstance(expr, ast.DictComp) and how == "item":
            return self._filtered_items(expr, scope, depth)
        if isinstance(expr, ast.Call):
            found = self._call_members(expr, scope, how, depth)
            stored = self._stored_under(expr) if how == "attr" else None
            # `config.model = ConfigDict()` then `config.model.bn_epsilon = 0.0`: the attributes
            # stored under the path the object was stored at
            return {**(found or {}), **stored} if stored else found
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or) and len(expr.values) == 2:
            # `bn_kwargs or {}`: the right side when the left is known to be empty or None
            left = self._const(expr.values[0], scope, depth + 1)
            if left is not UNKNOWN and not left:
                return self._members(expr.values[1], scope, how, depth + 1)
            return None
        if isinstance(expr, ast.Subscript) and how == "item":
            outer = self._members(expr.value, scope, "item", depth + 1)
            key = self._const(expr.slice, scope, depth + 1)
            if outer is None or not _hashable(key) or outer.get(key) is None:
                return None
            value, value_scope = outer[key]
            inner = self._members(value, value_scope, "item", depth + 1)
            stores = self._nested_stores().get(ast.dump(expr), [])
            if inner is None or not stores:
                return inner
            # `params["data"]["batch_size"] = 1` after the literal
            return self._with_stores(dict(inner), stores, expr, depth)
        if (isinstance(expr, ast.Attribute) and expr.attr == "hparams" and isinstance(expr.value, ast.Name)
                and expr.value.id == "self"):
            saved = self._lightning_hparams(expr, how, depth)
            if saved is not None:
                return saved
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id != "self" \
                and self.project is not None and depth < 20:
            # `cfg.data["samples_per_gpu"]` with `from configs import brats_unet3d as cfg`: a dict
            # (or config object) a project module assigns at its top level, read there
            binding = self.binding_of(expr.value, scope)
            if binding is not None and binding.kind == "import" and binding.qualname:
                found = self.project.module_value(f"{binding.qualname}.{expr.attr}")
                if found is not None:
                    other, assigned = found
                    members = other.values._members(assigned.value, assigned.scope, how, depth + 1)
                    if members is not None:
                        return {key: other.values._portable(entry, how, depth + 1) for key, entry in members.items()}
        if isinstance(expr, ast.Attribute) and how == "attr" and expr.attr == "value" and \
                self._defines_config_file(expr.value, scope):
            return self._members(expr.value, scope, how, depth + 1)  # `_CONFIG.value`
        if isinstance(expr, ast.Attribute) and how == "attr":
            outer = self._members(expr.value, scope, "attr", depth + 1)
            if outer is None or outer.get(expr.attr) is None:
                stores = self.attribute_stores(expr, scope)  # `context.args = parser.parse_args()`
                if len(stores) != 1:
                    return self._dotted_members(expr)
                return self._members(stores[0][0], stores[0][1], "attr", depth + 1) or self._dotted_members(expr)
            value, value_scope = outer[expr.attr]
            return self._members(value, value_scope, "attr", depth + 1) or self._dotted_members(expr)
        if isinstance(expr, ast.Attribute) and not (isinstance(expr.value, ast.Name) and expr.value.id == "self"):
            # `dict(cfg.model.norm)`, `cfg.model.norm["eps"]`: a namespace's member read by key
            outer = self._members(expr.value, scope, "attr", depth + 1)
            if outer is None or outer.get(expr.attr) is None:
                return None
            value, value_scope = outer[expr.attr]
            return self._members(value, value_scope, how, depth + 1)
        if isinstance(expr, ast.Name):
            found = self._name_members(expr, scope, how, depth)
            if how != "attr" or (found is not None and not isinstance(found, dict)):
                return found
            # `cfg = edict(); cfg.TRAIN_BACKBONE = False`: what the constructor gives, and then the
            # attributes stored on it
            dotted = self._dotted_members(expr)
            if not dotted:
                return found
            return {**found, **dotted} if found else dotted
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            # `self.registry[key]`: the one value the class gives `self.registry`
            key = (id(expr), how)
            if key in self._members_in_progress:
                return None  # `self.x = self.x[...]`: following it would not end
            self._members_in_progress.add(key)
            try:
                cls = self.index.enclosing_class(expr)
                assigned = self._class_attributes(cls).get(expr.attr, []) if cls is not None else []
                inherited = self.inherited_attribute(cls, expr.attr) if cls is not None and not assigned else None
                if inherited is not None and len(inherited[1]) == 1 and inherited[1][0][0] is not None:
                    # stored by a base class: read where the base stores it (its module's values)
                    owner, ((value, value_scope),) = inherited
                    found = owner._members(value, value_scope, how, depth + 1)
                    if found is not None and owner is not self:
                        found = {k: owner._portable(v, how, depth + 1) for k, v in found.items()}
                    if found is not None:
                        return found
                if len(assigned) == 1 and assigned[0][0] is not None:
                    # `self.bn_config = bn_config` in `__init__`: what the parameter holds, through
                    # the class's construction sites (`Block(c, self.bn_config)` in another class)
                    found = self._members(assigned[0][0], assigned[0][1], how, depth + 1)
                    if found is not None:
                        return found
                origins = self.origins(expr, scope, _depth=5)  # a short way: a class attribute, a name
                if len(origins) == 1 and origins[0][0] is not expr:
                    return self._members(origins[0][0], origins[0][1], how, depth + 1)
            finally:
                self._members_in_progress.discard(key)
        return None

    def _star_imported_members(self, expr: ast.Name, scope: Scope, how: str, depth: int) -> dict | None:
        """`trainArgs` a star import brings (`from trainAndTest import *` of a module that itself
        star-imports dataPre, where `trainArgs = {}` is filled by `trainArgs["model"] = ...`): its
        members, read where it is written, through the name so the stores count."""
        if self.project is None or depth > 16 or self.index.lookup(expr.id, scope):
            return None
        qual = self.index.qualname(expr, scope)
        found = self.project.module_value(qual) if qual and qual != expr.id else None
        if found is None:
            return None
        other, assigned = found
        named = next((t for t in getattr(assigned.node, "targets", ()) if isinstance(t, ast.Name)), None)
        members = other.values._members(named, assigned.scope, how, depth + 1) if named is not None else None
        if not members:
            members = other.values._members(assigned.value, assigned.scope, how, depth + 1)
        return {key: other.values._portable(entry, how, depth + 1) for key, entry in members.items()} \
            if members else None

    def _latest_update(self, expr: ast.Name, scope: Scope) -> Binding | None:
        """`cfg = OmegaConf.create(base)`, then `if overrides: cfg = OmegaConf.merge(cfg, ...)`:
        the assignments that may reach `expr` all lead to the last one that builds on the name
        itself (its members are the earlier ones' plus what it adds), so that one stands for
        them. None unless every other reaching assignment comes before it."""
        reaching = self.reaching_bindings(expr, scope)
        if len(reaching) < 2 or any(b.kind not in ("assign", "annassign") or b.value is None for b in reaching):
            return None
        updates = [b for b in reaching if isinstance(b.value, ast.Call) and any(
            isinstance(a, ast.Name) and a.id == expr.id for a in b.value.args)]
        if not updates:
            return None
        latest = max(updates, key=lambda b: (b.node.lineno, b.node.col_offset))
        if all(b is latest or b.node.lineno < latest.node.lineno for b in reaching):
            return latest
        return None

    def _lightning_hparams(self, expr: ast.Attribute, how: str, depth: int) -> dict | None:
        """A LightningModule's `self.hparams` (read as `self.hparams.x` or `self.hparams["x"]`):
        the config `self.save_hyperparameters(cfg)` saved, or, called bare, the constructor's
        own arguments by name, as the one construction of the class (or their defaults) gives
        them."""
        cls = self.index.enclosing_class(expr)
        if cls is None:
            return None
        saves = [call for call in self.index.calls if isinstance(call.func, ast.Attribute)
                 and call.func.attr == "save_hyperparameters" and isinstance(call.func.value, ast.Name)
                 and call.func.value.id == "self" and self.index.enclosing_class(call) is cls]
        if len(saves) != 1:
            return None
        save = saves[0]
        if save.args:
            return self._members(save.args[0], self.index.scope_of(save), how, depth + 1) if len(save.args) == 1 \
                else None
        function = self.index.enclosing_function(save)
        function_scope = self.index.scopes.get(function)
        if function_scope is None:
            return None
        result: dict = {}
        for name in [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)][1:]:
            bindings = [b for b in function_scope.bindings.get(name, []) if b.kind == "param"]
            received = self.parameter_arguments(bindings[0]) if len(bindings) == 1 else None
            result[name] = (received[0][1], received[0][2]) if received and len(received) == 1 \
                and received[0][1] is not None else None
            if received and len(received) == 1 and received[0][0] is None and self.project is not None:
                # a DataModule other modules construct (`SliceDataModule(**cfg["data"])` in cli.py):
                # what they pass, when they agree, as values with their places there
                entries = [other.values._portable((argument, other.index.scope_of(argument)
                                                   if not isinstance(argument, ConfigValue) else None), how, depth + 1)
                           if argument is not None else None
                           for other, _call, argument in (self.external_arguments(bindings[0]) or [])[:6]]
                if entries and all(e is not None for e in entries) and len({
                        e[0].value if _hashable(e[0].value) else id(e[0]) for e in entries}) == 1:
                    result[name] = entries[0]
        return result

    # ---- attribute trees: `__C.TRAIN.BATCH_SIZE = 1` (easydict / SimpleNamespace configs) ------
    def _dotted_root(self, expr: ast.AST) -> tuple[int, tuple[str, ...]] | None:
        """(the binding an attribute chain starts from, the attribute path): `cfg.TRAIN.BATCH_SIZE`
        with `cfg = __C` and `__C = edict()` is (the binding of `__C`, ("TRAIN", "BATCH_SIZE"))."""
        path = []
        while isinstance(expr, ast.Attribute):
            path.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name) or expr.id == "self":
            return None
        root = self.object_root(self.binding_of(expr))
        return (id(root.node), tuple(reversed(path))) if root is not None else None

    def object_root(self, binding: Binding | None) -> Binding | None:
        """The binding that makes the object a name is bound to, through aliases (`cfg = __C`,
        `__C = edict()`): an assignment of a call; None otherwise."""
        for _ in range(4):
            if (binding is not None and binding.kind in ("assign", "annassign")
                    and isinstance(binding.value, ast.Name)):
                binding = self.binding_of(binding.value, binding.scope)
            else:
                break
        if binding is None or binding.kind not in ("assign", "annassign") or not isinstance(binding.value, ast.Call):
            return None
        return binding

    def dotted_stores(self) -> dict:
        """{(root binding, attribute path): [(value, scope)]} for every `a.b.c = value` in the
        module whose root `a` is an object the module makes (`edict()`, `SimpleNamespace()`)."""
        if self._dotted is None:
            self._dotted = {}
            for node in self.index.assigns:
                if not isinstance(node, ast.Assign):
                    continue
                for target in node.targets:
                    if isinstance(target, ast.Attribute):
                        key = self._dotted_root(target)
                        if key is not None:
                            self._dotted.setdefault(key, []).append((node.value, self.index.scope_of(node)))
                            self._dotted_paths[id(node.value)] = key
        return self._dotted

    def partial_arguments(self, binding: Binding) -> list[tuple["Values", ast.AST]] | None:
        """For a parameter of a module-level function that nothing calls by name: the arguments
        the `functools.partial(function, ...)` calls of the project bind it to, each with the
        Values of its module. None when there is no such partial, or one leaves it unbound."""
        function = binding.scope.node
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or \
                self.index.scope_of(function) is not self.index.module_scope:
            return None
        sites = [(self, call) for call in self.index.calls_named("partial") if call.args
                 and isinstance(call.args[0], ast.Name) and call.args[0].id == function.name
                 and self.index.qualname(call.func, self.index.scope_of(call)) == "functools.partial"
                 and [b.node for b in self.index.lookup(function.name, self.index.scope_of(call))] == [function]]
        if self.project is not None:
            sites += [(other.values, call) for other, call, _ in self.project.external_partials(function.name)]
        if not sites:
            return None
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        found = []
        for home, call in sites[:8]:
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                return None
            given = next((k.value for k in call.keywords if k.arg == binding.name), None)
            if given is None and binding.name in params and params.index(binding.name) < len(call.args) - 1:
                given = call.args[1 + params.index(binding.name)]
            if given is None:
                return None
            found.append((home, given))
        return found

    def _filtered_items(self, comprehension: ast.DictComp, scope: Scope, depth: int) -> dict | None:
        """`{k: v for k, v in cfg.items() if k != "type"}`: the mapping's items whose keys pass
        the tests on the key (`==`, `!=`, `in`, `not in` constants); None for any other form."""
        if len(comprehension.generators) != 1:
            return None
        generator = comprehension.generators[0]
        target, source = generator.target, generator.iter
        if not (isinstance(target, ast.Tuple) and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)
                and isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute)
                and source.func.attr == "items" and not source.args and not generator.is_async):
            return None
        key_name, value_name = target.elts[0].id, target.elts[1].id
        if not (isinstance(comprehension.key, ast.Name) and comprehension.key.id == key_name
                and isinstance(comprehension.value, ast.Name) and comprehension.value.id == value_name):
            return None
        items = self._members(source.func.value, scope, "item", depth + 1)
        if items is None:
            return None
        result = {}
        for key, entry in items.items():
            kept = [_key_passes(test, key_name, key) for test in generator.ifs]
            if None in kept:
                return None
            if all(kept):
                result[key] = entry
        return result

    def _stored_under(self, value: ast.AST) -> dict | None:
        """The attributes stored under the attribute path an object is itself stored at
        (`config.model = ConfigDict()` and `config.model.eps = 0`: {"eps": ...} for that call)."""
        stores = self.dotted_stores()
        place = self._dotted_paths.get(id(value))
        if place is None:
            return None
        binding, prefix = place
        members: dict = {}
        for (other, path), values in stores.items():
            if other == binding and len(path) == len(prefix) + 1 and path[:len(prefix)] == prefix:
                members[path[-1]] = values[0] if len(values) == 1 else None
        return members or None

    def _dotted_members(self, expr: ast.AST) -> dict | None:
        """The attributes stored under an attribute tree (`cfg.TRAIN` of `__C.TRAIN.BATCH_SIZE =
        1`): each with its one value, or None when stored more than once."""
        root = self._dotted_root(expr)
        if root is None:
            return None
        binding, prefix = root
        members: dict = {}
        for (other, path), values in self.dotted_stores().items():
            if other == binding and len(path) == len(prefix) + 1 and path[:len(prefix)] == prefix:
                members[path[-1]] = values[0] if len(values) == 1 else None
        return members or None

    def _name_members(self, expr: ast.Name, scope: Scope, how: str, depth: int) -> dict | None:
        binding = self.binding_of(expr, scope) or self._latest_update(expr, scope)
        if binding is None:
            return self._star_imported_members(expr, scope, how, depth)
        result = None
        if self._is_ini_parser(binding):
            result = self._ini_document(expr.id, binding, depth) if how == "item" else None
        elif binding.kind in ("assign", "annassign") and binding.value is not None:
            result = self._members(binding.value, binding.scope, how, depth + 1)
        elif (binding.kind == "unpack" and isinstance(binding.value, (ast.Tuple, ast.List))
              and binding.index is not None and binding.index < len(binding.value.elts)):
            # `d, t = cfg["data"], cfg["train"]`
            result = self._members(binding.value.elts[binding.index], binding.scope, how, depth + 1)
        elif binding.kind == "unpack" and isinstance(binding.value, ast.Call) and binding.index is not None:
            # `model_cfg, train_cfg = load_config(path)`: element `index` of the one tuple the
            # module's helper returns
            callee = self.index.local_callee(binding.value)
            returned = [node for node in ast.walk(callee[0]) if isinstance(node, ast.Return) and node.value is not None
                        and self.index.enclosing_function(node) is callee[0]] if callee is not None else []
            if len(returned) == 1 and isinstance(returned[0].value, ast.Tuple) and \
                    binding.index < len(returned[0].value.elts) and \
                    not any(isinstance(e, ast.Starred) for e in returned[0].value.elts):
                result = self._members(returned[0].value.elts[binding.index], self.index.scope_of(returned[0]),
                                       how, depth + 1)
        elif binding.kind == "class" and how == "attr":
            result = self._class_members(binding.node, None, depth)
        elif binding.kind == "import" and binding.qualname and self.project is not None and depth < 20:
            # `from configs.hparams import HPARAMS` with `HPARAMS = dict(depth=28, bn_momentum=0.1)`
            found = self.project.module_value(binding.qualname)
            if found is not None:
                other, assigned = found
                members = other.values._members(assigned.value, assigned.scope, how, depth + 1)
                result = {key: other.values._portable(entry, how, depth + 1) for key, entry in members.items()} \
                    if members is not None else None
            elif how == "attr":
                # `from settings import Settings as cfg`, a class whose body holds the values
                # (`bn_momentum = 0.1`), read as `cfg.bn_momentum`
                defined = self.project.definition(binding.qualname)
                if defined is not None and isinstance(defined[1], ast.ClassDef):
                    other, cls = defined
                    members = other.values._class_members(cls, None, depth + 1)
                    result = {key: other.values._portable(entry, how, depth + 1) for key, entry in members.items()} \
                        if members is not None else None
        elif binding.kind == "param" and (bound := self._bound_argument(binding)) is not None:
            argument, argument_scope, home = bound
            result = home._members(argument, argument_scope, how, depth + 1)
            if result is not None and home is not self:
                result = {key: home._portable(entry, how, depth + 1) for key, entry in result.items()}
        elif binding.kind == "param" and how == "attr" and expr.id == "self":
            cls = self.index.enclosing_class(expr)
            result = self._class_members(cls, None, depth) if cls is not None else None
        elif binding.kind == "param" and (composed := self._hydra_config(binding)) is not None:
            # `@hydra.main(config_path="conf", config_name="config") def main(cfg)`
            result = self._members(composed, scope, how, depth + 1)
        elif binding.kind == "param" and how == "attr":
            # `def train(args): ... args.eps`: the module's argparse options, when it has them
            result = self._call_site_members(binding, depth)
            if result is None and expr.id in _NAMESPACE_PARAMETERS and self.argparse_defaults():
                # no caller in sight: a parameter named like a parsed namespace reads the options
                result = dict(self.argparse_defaults())
            if result is None:
                result = self._default_members(binding, how, depth)
        elif binding.kind == "param" and how == "item" and _is_kwargs(binding):
            # `def make_bn(c, **kwargs): nn.BatchNorm2d(c, **kwargs)` called as
            # `make_bn(16, momentum=0.9)`: the keywords the calls pass beyond the named parameters
            result = self._kwargs_members(binding, depth)
        elif binding.kind == "param" and how == "item":
            # `def train(args): args["model"]` called as `train(config)` with a dict literal
            result = self._call_site_members(binding, depth, "item") or self._default_members(binding, how, depth)
        if result is None:
            return None
        if how == "item":
            stores = [(target, value, store_scope) for target, value, store_scope in self._subscript_stores().get(
                expr.id, []) if store_scope is binding.scope or expr.id in store_scope.global_names
                or self.binding_of(expr, store_scope) is binding]
            result = self._with_stores(dict(result), stores, expr, depth)
        return result

    def _with_stores(self, members: dict, stores: list, use: ast.AST, depth: int) -> dict | None:
        """`members` with `obj[key] = value` stores applied: a store that runs unconditionally
        before `use` replaces the key's value; another one makes it ambiguous (None). None when a
        stored key is not a constant."""
        for target, value, store_scope in stores:
            registered = self._registrations(target, value, store_scope)
            if registered is not None:
                members.update(registered)  # `@register("resnet")` on the module's definitions
                continue
            if self._use_feeds_store(target, use):
                continue  # `m["norm"] = Norm(**m.pop("norm"))`: the use reads the dict before this store
            key = self._const(target.slice, store_scope, depth + 1)
            if not _hashable(key) or key is UNKNOWN:
                return None
            members[key] = (value, store_scope) if key not in members or self._store_dominates(target, use) else None
        return members

    def _use_feeds_store(self, target: ast.AST, use: ast.AST) -> bool:
        """`use` is inside the value of the assignment that stores `target`, outside any loop of
        its function: it is read before that store runs, and that store never runs before it."""
        statement = self.index.parents.get(target)
        if not isinstance(statement, ast.Assign) or not hasattr(use, "lineno"):
            return False
        value = statement.value
        if not ((value.lineno, value.col_offset) <= (use.lineno, use.col_offset)
                and (use.end_lineno, use.end_col_offset) <= (value.end_lineno, value.end_col_offset)):
            return False
        node = self.index.parents.get(statement)
        while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.comprehension)):
                return False
            node = self.index.parents.get(node)
        return True

    def _registrations(self, target: ast.Subscript, value: ast.AST, store_scope: Scope) -> dict | None:
        """{key: (definition, scope)} for `REGISTRY[key] = fn` in a registering decorator, one
        entry for each definition of the module it decorates: `def register(name): def deco(fn):
        REGISTRY[name] = fn; return fn; return deco` used as `@register("resnet")`, or
        `def register(fn): REGISTRY[fn.__name__] = fn; return fn` used as `@register`. None when
        the store is not in such a decorator, or a key cannot be read."""
        inner = store_scope.node
        if not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) or not isinstance(value, ast.Name):
            return None
        positional = [a.arg for a in (*inner.args.posonlyargs, *inner.args.args)]
        if not positional or positional[0] != value.id:
            return None
        factory = self.index.enclosing_function(inner)
        if factory is not None and not any(isinstance(node, ast.Return) and isinstance(node.value, ast.Name)
                                           and node.value.id == inner.name for node in factory.body):
            return None
        registered: dict = {}
        for definition in (*self.index.functions, *self.index.classes):
            for decorator in definition.decorator_list:
                if factory is not None and isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name) \
                        and decorator.func.id == factory.name:
                    key = self._registered_key(target.slice, value.id, definition, factory, decorator)
                elif factory is None and isinstance(decorator, ast.Name) and decorator.id == inner.name:
                    key = self._registered_key(target.slice, value.id, definition, None, None)
                else:
                    continue
                if not _hashable(key) or key is UNKNOWN:
                    return None
                registered[key] = (definition, self.index.scope_of(definition))
        elsewhere = self._registrations_elsewhere(target, value, inner, factory)
        if elsewhere is None:
            return None
        registered.update(elsewhere)
        return registered  # empty: a registering decorator the project does not use

    def _registrations_elsewhere(self, target: ast.Subscript, value: ast.Name, inner, factory) -> dict | None:
        """{key: (typed location of the definition, None)} for the definitions other modules of
        the project decorate with this module's registering decorator (`@register("resnet")` in
        models/resnet.py, `register` imported from models/registry.py). None when a key cannot
        be read."""
        decorator_def = factory or inner
        project = self.project
        if project is None or self.index.scope_of(decorator_def) is not self.index.module_scope:
            return {}
        from bnlint.project import ForeignDefinition

        registered: dict = {}
        own = os.path.abspath(self.path) if self.path else None
        for other in project.modules_mentioning([decorator_def.name], whole_words=True):
            for definition in (*other.index.functions, *other.index.classes):
                if other.index.scope_of(definition) is not other.index.module_scope:
                    continue
                for decorator in definition.decorator_list:
                    named = decorator.func if factory is not None and isinstance(decorator, ast.Call) else (
                        decorator if factory is None else None)
                    qual = other.index.qualname(named, other.index.module_scope) if isinstance(
                        named, (ast.Name, ast.Attribute)) else None
                    if not qual or qual.rpartition(".")[2] != decorator_def.name:
                        continue
                    found = other.project.definition(qual)
                    if found is None or found[1].name != decorator_def.name or \
                            os.path.abspath(found[0].path) != own:
                        continue
                    key = other.values._registered_key(target.slice, value.id, definition, factory, decorator)
                    if not _hashable(key) or key is UNKNOWN:
                        return None
                    registered[key] = (ForeignDefinition(project.display(Path(other.path)), definition.lineno,
                                                         definition.col_offset, Path(other.path), definition.name),
                                       None)
        return registered

    def _registered_key(self, key: ast.AST, registered: str, definition: ast.AST, factory, decorator) -> Any:
        """The key a registering decorator files `definition` under: the decorator's argument for
        the factory's parameter (`@register("resnet")`), or the definition's own name
        (`fn.__name__`, also as the fallback of `name or fn.__name__`)."""
        if isinstance(key, ast.BoolOp) and isinstance(key.op, ast.Or):
            for part in key.values:
                found = self._registered_key(part, registered, definition, factory, decorator)
                if found is not UNKNOWN and found:
                    return found
            return UNKNOWN
        if isinstance(key, ast.Attribute) and key.attr == "__name__" and isinstance(key.value, ast.Name) \
                and key.value.id == registered:
            return definition.name
        if isinstance(key, ast.Constant):
            return key.value
        if isinstance(key, ast.Name) and factory is not None and key.id in {
                a.arg for a in (*factory.args.posonlyargs, *factory.args.args, *factory.args.kwonlyargs)}:
            argument = self.index.argument_for(decorator, factory, key.id)
            if argument is None:
                defaults = dict(zip([a.arg for a in factory.args.args][::-1], factory.args.defaults[::-1]))
                defaults.update({a.arg: d for a, d in zip(factory.args.kwonlyargs, factory.args.kw_defaults) if d})
                argument = defaults.get(key.id)
            return self.const(argument, self.index.scope_of(decorator)) if argument is not None else UNKNOWN
        return UNKNOWN

    def _store_dominates(self, target: ast.AST, use: ast.AST) -> bool:
        """`cfg["batch_size"] = 1` runs, unconditionally, after the dict is made and before `use`
        reads it: same function, on the use's own block path, above it."""
        statement = self.index.parents.get(target)
        if statement is None or not hasattr(use, "lineno") or self.index.enclosing_function(statement) is not \
                self.index.enclosing_function(use):
            return False
        path = self._block_path(statement)
        return path == self._block_path(use)[: len(path)] and (statement.lineno, statement.col_offset) < (
            use.lineno, use.col_offset)

    def _nested_stores(self) -> dict:
        """{dump of `params["data"]`: [(target, value, scope)]} for `params["data"]["batch_size"] = 1`."""
        cached = getattr(self, "_nested", None)
        if cached is None:
            cached = {}
            for node in self.index.assigns:
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Subscript):
                            cached.setdefault(ast.dump(target.value), []).append(
                                (target, node.value, self.index.scope_of(node)))
            self._nested = cached
        return cached

    def _kwargs_members(self, binding: Binding, depth: int = 0) -> dict | None:
        """{keyword: (value, scope), or None when the calls disagree} for a `**kwargs` parameter:
        the keywords every call of its function passes that name no other parameter. None when a
        call spreads a dict of its own or there is no call."""
        function = binding.scope.node
        callers = self.callers(function) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        # (a helper only other modules call, `downsample_block(x, f, **norm_kwargs)` in model.py:
        # what they pass, as values with their places there)
        sites = [(self, call) for call, _bound in callers] or [
            (other.values, call) for other, call, _argument in (self.external_arguments(binding) or [])[:6]]
        if not sites:
            return None
        named = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        result: dict = {}
        for home, call in sites:
            scope = home.index.scope_of(call)
            passed = []
            for keyword in call.keywords:
                if keyword.arg is not None:
                    entry = (keyword.value, scope) if home is self else home._portable((keyword.value, scope), "item",
                                                                                      depth + 1)
                    # (another module's value bnlint cannot carry here: that keyword is unknown)
                    passed.append((keyword.arg, *entry) if entry is not None else (keyword.arg, None, None))
                    continue
                # `make_step(opt, **build_nets())`: the keys of the dict it spreads
                spread = home._members(keyword.value, scope, "item", depth + 1)
                if spread is None or None in spread.values():
                    return None
                if home is not self:
                    spread = {key: home._portable(entry, "item", depth + 1) for key, entry in spread.items()}
                passed.extend((key, *entry) if entry is not None else (key, None, None)
                              for key, entry in spread.items())
            for name, value, value_scope in passed:
                if name in named:
                    continue
                if value is None or (name in result and (result[name] is None or not self._same_written_member(
                        result[name], (value, value_scope), depth))):
                    result[name] = None
                else:
                    result.setdefault(name, (value, value_scope))
        return result

    def _default_members(self, binding: Binding, how: str, depth: int) -> dict | None:
        """A parameter whose default is a config object (`def make(cfg=Config())`, `def
        build(params=DEFAULTS)`) when no call in the module passes another one."""
        if binding.value is None:
            return None
        function = binding.scope.node
        for call, bound in self.callers(function):
            if self.index.argument_for(call, function, binding.name, bound=bound) is not None:
                return None
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                return None
        # defaults are evaluated where the function is defined
        return self._members(binding.value, binding.scope.parent or binding.scope, how, depth + 1)

    def _call_site_members(self, binding: Binding, depth: int, how: str = "attr") -> dict | None:
        """A parameter the one call site of its function fills with a config object (or, how=
        "item", a dict), or whose annotation names a config class of the module."""
        function = binding.scope.node
        callers = self.callers(function)
        if len(callers) == 1:
            call, bound = callers[0]
            argument = self.index.argument_for(call, function, binding.name, bound=bound)
            if argument is not None:
                return self._members(argument, self.index.scope_of(call), how, depth + 1)
        elif 1 < len(callers) <= 8:
            # `make_norm(c, norm_cfg)` called three times with the same config: what they agree on
            merged = None
            for call, bound in callers:
                argument = self.index.argument_for(call, function, binding.name, bound=bound)
                members = self._members(argument, self.index.scope_of(call), how, depth + 1) \
                    if argument is not None else None
                if members is None:
                    merged = None
                    break
                merged = dict(members) if merged is None else {
                    key: entry if entry is not None and members.get(key) is not None
                    and self._same_member(entry, members[key], depth) else None
                    for key, entry in merged.items()}
            if merged is not None:
                return merged
        if not callers:
            partials = self.partial_arguments(binding)
            if partials:
                # `partial(build_norm, cfg["norm"])` (here or in another module): the argument it binds
                merged = None
                for home, argument in partials:
                    members = home._members(argument, home.index.scope_of(argument), how, depth + 1)
                    if members is None:
                        return None
                    if home is not self:
                        members = {key: home._portable(entry, how, depth + 1) for key, entry in members.items()}
                    merged = members if merged is None else (merged if members == merged else None)
                    if merged is None:
                        return None
                return merged
        if not callers and self.project is not None and depth < 20:
            # `Stage(cin, cout, cfg.norm)` in another module of the project: what its object holds,
            # read there (every such call agreeing)
            external = self.external_arguments(binding)
            if external:
                found = self._portable_members(external, how, depth)
                if found is not None:
                    if how == "attr":
                        # `def __init__(self, cfg: ResNetConf)` given Hydra's `cfg.model`, whose YAML
                        # leaves `bn_momentum` out: the structured config's default fills it
                        for key, entry in (self._annotated_members(binding, depth) or {}).items():
                            found.setdefault(key, entry)
                    return found
        if how != "attr" or callers:
            return None
        return self._annotated_members(binding, depth)

    def _annotated_members(self, binding: Binding, depth: int) -> dict | None:
        """The attributes of the config class a parameter is annotated with (`cfg: NormConfig`),
        of this module or another module of the project: its defaults."""
        annotation = getattr(binding.node, "annotation", None)
        if isinstance(annotation, ast.Name):
            classes = self.index.lookup(annotation.id, binding.scope)
            if len(classes) == 1 and classes[0].kind == "class":
                return self._class_members(classes[0].node, None, depth)
        if isinstance(annotation, (ast.Name, ast.Attribute)) and self.project is not None and depth < 20:
            found = self.project.definition(self.index.qualname(annotation, binding.scope) or "")
            if found is not None and isinstance(found[1], ast.ClassDef):
                return self._foreign_record_members(found[0], found[1], None, None, depth)
        return None

    def _same_member(self, one, other, depth: int) -> bool:
        """Two members' (expression, scope) give one value: the same expression, or equal constants."""
        if one[0] is other[0]:
            return True
        first = self._const(one[0], one[1] or self.index.scope_of(one[0]), depth + 1) \
            if not isinstance(one[0], ConfigValue) else one[0].value
        second = self._const(other[0], other[1] or self.index.scope_of(other[0]), depth + 1) \
            if not isinstance(other[0], ConfigValue) else other[0].value
        return first is not UNKNOWN and _hashable(first) and _hashable(second) and first == second

    def _same_written_member(self, one, other, depth: int) -> bool:
        """Two calls pass one value for a keyword: `_same_member`, or the same expression written
        twice (`momentum=args.m` at both calls)."""
        return self._same_member(one, other, depth) or (
            isinstance(one[0], ast.AST) and isinstance(other[0], ast.AST) and ast.dump(one[0]) == ast.dump(other[0]))

    def _portable_members(self, external: list, how: str, depth: int) -> dict | None:
        """The members of the objects other modules pass for a parameter, as values with their
        places there (ConfigValues): a member the calls disagree on, or that is not a constant
        or a config object, is None. None when a call passes no object bnlint can read."""
        merged: dict | None = None
        for other, _call, argument in external[:6]:
            if argument is None:
                return None
            members = other.values._members(argument, other.index.scope_of(argument), how, depth + 1)
            if members is None:
                return None
            portable = {key: other.values._portable(entry, how, depth) for key, entry in members.items()}
            if merged is None:
                merged = portable
                continue
            for key in set(merged) | set(portable):
                mine, theirs = merged.get(key), portable.get(key)
                if mine is None or theirs is None or mine[0].value != theirs[0].value:
                    merged[key] = None
        return merged

    def _portable(self, entry, how: str, depth: int):
        """A member of this module's config object as a value with its place here (a
        ConfigValue, for another module to read), or None."""
        if entry is None:
            return None
        expr, scope = entry
        if isinstance(expr, (ConfigValue, ForeignObject)):
            return entry
        place = (self.module_display(), getattr(expr, "lineno", 1), getattr(expr, "col_offset", 0))
        value = self._const(expr, scope or self.index.scope_of(expr), depth + 1)
        if value is not UNKNOWN and _hashable(value):
            return ConfigValue(value, *place), None
        if depth < 20:
            inner = self._members(expr, scope or self.index.scope_of(expr), how, depth + 1)
            if inner:
                return ConfigValue({key: sub[0] for key, sub in
                                    ((k, self._portable(v, how, depth + 1)) for k, v in inner.items())
                                    if sub is not None}, *place), None
        # an object this module makes (`trainArgs["train_loader"] = train_loader` of a
        # `DataLoader(...)`): for the reading module to hand back here
        made = self.origins(expr, scope or self.index.scope_of(expr)) if isinstance(
            expr, (ast.Name, ast.Attribute, ast.Subscript)) else [(expr, scope)]
        if len(made) == 1 and isinstance(made[0][0], ast.Call):
            return ForeignObject(self, made[0][0], made[0][1] or self.index.scope_of(made[0][0])), None
        if not made and isinstance(expr, ast.Name) and self.project is not None and depth < 20:
            # a module-level object this module imports, by name or by a star import (`"train_loader":
            # train_loader` of dataPre.py's loader): made there, and handed on from there
            qual = self.index.qualname(expr, scope or self.index.scope_of(expr))
            there = self.project.module_value(qual) if qual else None
            if there is not None:
                other, binding = there
                return other.values._portable((binding.value, binding.scope), how, depth + 1)
        return None

    def _call_members(self, call: ast.Call, scope: Scope, how: str, depth: int) -> dict | None:
        func = call.func
        qual = self.index.qualname(func, scope) or ""
        last = qual.rpartition(".")[2] if qual else (func.attr if isinstance(func, ast.Attribute) else "")
        if isinstance(func, ast.Attribute) and func.attr in ("parse_args", "parse_known_args") and how == "attr":
            # (the parser it is called on, when the module builds several: `get_train_args()` and
            # `get_test_args()` each with its own `--batch-size`)
            defaults = self._parser_defaults(call) or self.argparse_defaults()
            if not defaults:
                return None
            result = dict(defaults)
            # `parser.parse_args(["--batch_size", "6"])`: the options the argv list gives are not
            # their defaults (read as the list's strings, or unknown for a bare flag)
            for dest, value in self._argv_overrides(call, scope).items():
                result[dest] = value
            return result
        if qual in _CONFIG_LOADERS and call.args:
            document = self._config_document(call.args[0], scope, path=qual in _CONFIG_PATH_LOADERS)
            return self._members(document, scope, how, depth + 1) if document is not None else None
        if isinstance(func, ast.Attribute) and func.attr in ("copy", "deepcopy") and not call.args:
            return self._members(func.value, scope, how, depth + 1)
        if isinstance(func, ast.Attribute) and func.attr in ("get", "pop") and 1 <= len(call.args) <= 2 \
                and not call.keywords:
            # `cfg.get("norm", {})`, `m.pop("norm", {})`: the mapping's section, else the default
            outer = self._members(func.value, scope, "item", depth + 1)
            key = self._const(call.args[0], scope, depth + 1)
            if outer is None or key is UNKNOWN or not _hashable(key):
                return None
            if key in outer:
                if outer[key] is None:
                    return None
                value, value_scope = outer[key]
                return self._members(value, value_scope, how, depth + 1)
            return self._members(call.args[1], scope, how, depth + 1) if len(call.args) == 2 else None
        if qual in ("copy.copy", "copy.deepcopy") and len(call.args) == 1:
            return self._members(call.args[0], scope, how, depth + 1)
        if qual in ("dataclasses.asdict", "builtins.vars", "attr.asdict", "attrs.asdict") and len(call.args) == 1 \
                and how == "item":
            # `asdict(cfg.norm)`, `vars(args)`: the object's fields as a dict
            return self._members(call.args[0], scope, "attr", depth + 1)
        if how == "item" and qual == "builtins.dict" or last in _NAMESPACE_CLASSES or qual.endswith("OmegaConf.create"):
            result: dict = {}
            if call.args:
                inner = self._members(call.args[0], scope, "item", depth + 1)
                if inner is None or len(call.args) > 1:
                    return None
                result.update(inner)
            for keyword in call.keywords:
                if keyword.arg is None:
                    return None
                result[keyword.arg] = (keyword.value, scope)
            return result
        if how == "attr" and (qual == "dataclasses.field" or self._attrs_field(call, scope)):
            # `norm: NormConfig = field(default_factory=NormConfig)`, attrs `norm =
            # attr.ib(factory=NormSpec)`: an instance made with no arguments
            factory = next((k.value for k in call.keywords if k.arg in ("default_factory", "factory")), None)
            if isinstance(factory, ast.Name):
                bindings = self.index.lookup(factory.id, scope)
                if len(bindings) == 1 and bindings[0].kind == "class":
                    return self._class_members(bindings[0].node, None, depth)
            return None
        if how == "attr" and isinstance(func, ast.Name):
            bindings = self.index.lookup(func.id, scope)
            if len(bindings) == 1 and bindings[0].kind == "class":
                return self._class_members(bindings[0].node, call, depth)
            if len(bindings) == 1 and _is_cls_parameter(bindings[0]):
                # `return cls(**json.loads(...))` in a classmethod: an instance of its class
                cls = self.index.enclosing_class(bindings[0].scope.node)
                if cls is not None:
                    return self._class_members(cls, call, depth)
        if how == "attr" and isinstance(func, ast.Attribute) and depth < 20:
            found = self._options_class_members(call, scope, depth)
            if found is not None:
                return found
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and depth < 20:
            # `RunSpec.from_json(args.config)`: what a class or static method of a class of this
            # module or another returns
            made = self._alternate_constructor(func, scope)
            if made is not None:
                home, returned = made  # (the Values of the class's module)
                with home._arguments_bound(call, home.index.enclosing_function(returned), self, scope) as bound:
                    members = home._members(returned.value, home.index.scope_of(returned), how, depth + 1)
                    # (as values with their places, also here when they depend on this call's
                    # arguments: those are not bound once the reading is over)
                    if members is not None and (home is not self or bound):
                        members = {key: home._portable(entry, how, depth + 1) for key, entry in members.items()}
                if members is not None:
                    return members
        if how == "attr" and qual and self.project is not None:
            # `cfg = TrainConfig()` of a dataclass another module of the project defines
            found = self.project.definition(qual)
            if found is not None and isinstance(found[1], ast.ClassDef):
                return self._foreign_record_members(found[0], found[1], call, scope, depth)
        if "merge" in last.lower() and call.args:
            # `cfg = merge(DEFAULTS, overrides)`, `OmegaConf.merge(base, cli)`: the defaults, with
            # what the later arguments are known to set on top; an override bnlint cannot read
            # (the command line, a file given at run time) leaves the defaults, as for argparse
            base = self._members(call.args[0], scope, how, depth + 1)
            if base is None:
                return None
            result = dict(base)
            for other in call.args[1:]:
                result.update(self._members(other, scope, how, depth + 1) or {})
            return result
        callee = self.index.local_callee(call)
        if callee is not None:  # `args = get_args()`: what the helper returns
            returned = [n for n in ast.walk(callee[0]) if isinstance(n, ast.Return) and n.value is not None
                        and self.index.enclosing_function(n) is callee[0]]
            if len(returned) == 1:
                return self._members(returned[0].value, self.index.scope_of(returned[0]), how, depth + 1)
            return None
        if qual and self.project is not None and depth < 20:
            # `main(get_config())` with `def get_config(): config = ConfigDict(); config.batch_size
            # = 1; return config` in another module: what that function returns, as values with
            # their places there
            if last == "DEFINE_config_file":
                # ml_collections' `config_flags.DEFINE_config_file("config", "configs/cifar.py")`:
                # the `get_config()` of that file, read as `FLAGS.config` or `_CONFIG.value`
                path = self._const(call.args[1], scope, depth + 1) if len(call.args) > 1 else next(
                    (self._const(k.value, scope, depth + 1) for k in call.keywords if k.arg == "default"), None)
                path = path.partition(":")[0] if isinstance(path, str) else ""
                if not path.endswith(".py"):
                    return None
                qual = path[:-3].lstrip("./").replace("/", ".") + ".get_config"
            return self._foreign_function_members(qual, how, depth)
        return None

    def _options_classes(self, call: ast.Call, scope: Scope) -> list[tuple[Any, ast.ClassDef]]:
        """The class of the object `call` is a method call on (`TrainOptions().parse()`, `options =
        TrainOptions(); options.parse()`) and its base classes, each with its module's semantic
        model, when that class is an options class: a project class whose methods (its bases'
        included) parse a command line (`parse_args`/`parse_known_args`) and define the called
        method. Empty otherwise."""
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name):
            made = self.binding_of(receiver, scope)
            receiver = made.value if made is not None and made.kind in ("assign", "annassign") else None
        if not isinstance(receiver, ast.Call) or not isinstance(receiver.func, (ast.Name, ast.Attribute)):
            return []
        found = None
        if isinstance(receiver.func, ast.Name):
            bindings = self.index.lookup(receiver.func.id, scope)
            if len(bindings) == 1 and bindings[0].kind == "class":
                found = (SimpleNamespace(index=self.index, values=self), bindings[0].node)
        if found is None and self.project is not None:
            qual = self.index.qualname(receiver.func, scope)
            found = self.project.definition(qual) if qual else None
        if found is None or found[0] is None or not isinstance(found[1], ast.ClassDef):
            return []
        classes, pending = [], [found]
        while pending and len(classes) < 4:
            other, cls = pending.pop()
            classes.append((other, cls))
            for base in cls.bases:
                base_qual = other.index.qualname(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
                base_found = None
                if isinstance(base, ast.Name):
                    local = other.index.lookup(base.id, other.index.module_scope)
                    if len(local) == 1 and local[0].kind == "class":
                        base_found = (other, local[0].node)
                view = getattr(other, "project", None) or self.project  # (relative imports: from its module)
                if base_found is None and base_qual and view is not None:
                    base_found = view.definition(base_qual)
                if base_found is not None and isinstance(base_found[1], ast.ClassDef) and all(
                        base_found[1] is not c for _o, c in classes):
                    pending.append(base_found)
        method = call.func.attr
        defines = any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == method
                      for _o, cls in classes for n in cls.body)
        parses = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                     and n.func.attr in ("parse_args", "parse_known_args") for _o, cls in classes for n in ast.walk(cls))
        return classes if defines and parses else []

    def _options_class_members(self, call: ast.Call, scope: Scope, depth: int) -> dict | None:
        """`opt = TrainOptions().parse()`, the options classes of the GAN frameworks (pix2pix,
        vid2vid, SPADE): the defaults of the options the modules of the class and its bases add
        (`self.parser.add_argument('--batchSize', type=int, default=1)` in BaseOptions of
        base_options.py), as values with their places there. An option two of those modules give
        different defaults, or that a module of the project changes with `set_defaults(name=...)`
        (junyanz's per-model `modify_commandline_options`), is unknown."""
        classes = self._options_classes(call, scope)
        if not classes:
            return None
        merged: dict = {}
        homes = []
        for other, _cls in classes:
            if all(other is not h for h in homes):
                homes.append(other)
        for other in homes:
            for dest, entry in other.values.argparse_defaults().items():
                portable = other.values._portable(entry, "attr", depth + 1) if entry is not None else None
                if dest not in merged:
                    merged[dest] = portable
                elif merged[dest] is not None and (portable is None or portable[0].value != merged[dest][0].value):
                    merged[dest] = None
        if not merged:
            return None
        for key, entry in self._namespace_attributes_set(classes, depth).items():
            merged.setdefault(key, entry)
        for name in self._set_by_set_defaults():
            if name in merged:
                merged[name] = None
        return merged

    @staticmethod
    def _namespace_attributes_set(classes: list, depth: int) -> dict:
        """{name: (value with its place, None) or None} of what an options class sets on the
        namespace it parsed (`self.opt.isTrain = self.isTrain`, with `self.isTrain = True` in
        TrainOptions and False in TestOptions): read for the class being built, whose own
        assignment comes first (`classes` starts with it, then its bases)."""
        def stores(cls):
            for node in ast.walk(cls):
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    yield node.targets[0], node.value

        def on_self(expr):
            return isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"

        found: dict = {}
        for other, cls in classes:
            for target, value in stores(cls):
                if not (isinstance(target, ast.Attribute) and on_self(target.value)) or target.attr in found:
                    continue
                if on_self(value):
                    # the class attribute it copies, set by the most derived class that sets it
                    written = next(((home, v) for home, c in classes for t, v in stores(c)
                                    if on_self(t) and t.attr == value.attr), None)
                    if written is None:
                        found[target.attr] = None
                        continue
                    other_home, value = written
                else:
                    other_home = other
                found[target.attr] = other_home.values._portable((value, other_home.index.scope_of(value)), "attr",
                                                                 depth + 1)
        return found

    def _set_by_set_defaults(self) -> set[str]:
        """The option names a `parser.set_defaults(name=...)` may change in any module of the
        checkout this one runs in (the tree its imports are resolved from; this module included),
        read from the files' text: junyanz's models pick theirs by a string at run time
        (`importlib.import_module("models." + name + "_model")`), out of any import graph."""
        names = {k.arg for c in self.index.calls if isinstance(c.func, ast.Attribute) and c.func.attr == "set_defaults"
                 for k in c.keywords if k.arg}
        project = self.project.project if self.project is not None else None
        # (the files of the tree this module's imports are resolved from: the checkout it runs in)
        tree = project.import_root(self.path).resolve() if project is not None and self.path else None
        for path in project.files_with_token("set_defaults") if tree is not None else []:
            if tree not in Path(path).resolve().parents:
                continue
            for arguments in _SET_DEFAULTS.findall(project.text(path) or ""):
                names.update(_KEYWORD_NAME.findall(arguments))
        return names

    def _defines_config_file(self, expr: ast.AST, scope: Scope) -> bool:
        binding = self.binding_of(expr, scope) if isinstance(expr, ast.Name) else None
        value = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
        return isinstance(value, ast.Call) and isinstance(value.func, (ast.Attribute, ast.Name)) and (
            (value.func.attr if isinstance(value.func, ast.Attribute) else value.func.id) == "DEFINE_config_file")

    def _foreign_function_members(self, qual: str, how: str, depth: int) -> dict | None:
        """The members of what the one `return` of a project module's function gives, as values
        with their places there."""
        found = self.project.definition(qual)
        if found is None or not isinstance(found[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        other, function = found
        returned = [n for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None
                    and other.index.enclosing_function(n) is function]
        if len(returned) != 1:
            return None
        members = other.values._members(returned[0].value, other.index.scope_of(returned[0]), how, depth + 1)
        if members is None:
            return None
        return {key: other.values._portable(entry, how, depth + 1) for key, entry in members.items()}

    def _config_document(self, source: ast.AST, scope: Scope, path: bool = False) -> ConfigValue | None:
        """The document a config loader reads: a YAML/JSON text written in the module (a
        triple-quoted string given to `yaml.safe_load`), or a project file named by a literal
        path (or a string option's default) through `open(path)`, `with open(path) as f`,
        `Path(path).read_text()` or the path itself (`OmegaConf.load("config.yaml")`)."""
        if isinstance(source, ast.Constant) and isinstance(source.value, str) and not path:
            # `yaml.safe_load(text)`, `json.loads(text)`: the text itself
            return parse_config(source.value, self.module_display(), source.lineno)
        if isinstance(source, ast.Name):
            # (`f` is often bound again further down: `with open("model.tflite", "wb") as f`)
            binding = self.binding_of(source, scope) or self.reaching_binding(source, scope)
            if binding is None or binding.kind not in ("assign", "annassign", "with") or binding.value is None:
                return None
            source, scope = binding.value, binding.scope
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.func.id == "open" \
                and source.args:
            source = source.args[0]
        elif isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) and \
                source.func.attr in ("read_text", "open") and not source.args:
            source = source.func.value  # `Path("config.yaml").read_text()`
            if isinstance(source, ast.Call) and source.args and \
                    (self.index.qualname(source.func, scope) or "").endswith("Path"):
                source = source.args[0]
        name = self.const(source, scope)
        if not isinstance(name, str):
            name = self._path_text(source, scope)
        project = self.project
        if not isinstance(name, str) or project is None:
            return None
        return project.config_file(name)

    def _path_text(self, expr: ast.AST, scope: Scope, depth: int = 0) -> str | None:
        """A file path built from this module's folder: `os.path.join(os.path.dirname(__file__),
        "..", "configs", "config.yaml")`, `Path(__file__).parent / "config.yaml"` (the folder is
        "."), through names and the one call of a loader helper of the module; None when any part
        is not known."""
        if depth > 8:
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if isinstance(expr, ast.Name):
            if expr.id == "__file__" and self.binding_of(expr, scope) is None:
                return "./__file__"
            binding = self.reaching_binding(expr, scope) or self.binding_of(expr, scope)
            if binding is None:
                return None
            if binding.kind in ("assign", "annassign") and binding.value is not None:
                return self._path_text(binding.value, binding.scope, depth + 1)
            if binding.kind == "param":
                sites = [site for site in self.argument_sites(binding) if site.values is self]
                if len(sites) == 1 and sites[0].argument is not None:
                    return self._path_text(sites[0].argument, sites[0].scope or scope, depth + 1)
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left, right = self._path_text(expr.left, scope, depth + 1), self._path_text(expr.right, scope, depth + 1)
            return posixpath.join(left, right) if left is not None and right is not None else None
        if isinstance(expr, ast.Attribute) and expr.attr == "parent":
            inner = self._path_text(expr.value, scope, depth + 1)
            return posixpath.dirname(inner) if inner is not None else None
        if not isinstance(expr, ast.Call):
            value = self.const(expr, scope)
            return value if isinstance(value, str) else None
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in ("resolve", "absolute", "expanduser") and not expr.args:
            return self._path_text(func.value, scope, depth + 1)
        qual = self.index.qualname(func, scope) if isinstance(func, (ast.Name, ast.Attribute)) else None
        parts = [self._path_text(a, scope, depth + 1) for a in expr.args] if expr.args else [None]
        if None in parts or expr.keywords:
            return None
        if qual in ("os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath") or \
                (qual or "").endswith("Path") and qual.startswith("pathlib"):
            return posixpath.join(*parts)
        if qual in ("os.path.abspath", "os.path.normpath", "os.path.realpath", "os.path.expanduser",
                    "builtins.str", "os.fspath") and len(parts) == 1:
            return parts[0]
        if qual == "os.path.dirname" and len(parts) == 1:
            return posixpath.dirname(parts[0])
        return None

    def _hydra_config(self, binding: Binding) -> ConfigValue | None:
        """The YAML file Hydra composes for the first parameter of a `@hydra.main(config_path=,
        config_name=)` function (its defaults list is not merged: the primary file's own values)."""
        function = binding.scope.node
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or self.project is None:
            return None
        positional = [*function.args.posonlyargs, *function.args.args]
        if not positional or positional[0] is not binding.node:
            return None
        for decorator in function.decorator_list:
            if not (isinstance(decorator, ast.Call) and self.index.qualname(decorator.func) == "hydra.main"):
                continue
            keywords = {k.arg: self.const(k.value) for k in decorator.keywords}
            folder, name = keywords.get("config_path"), keywords.get("config_name")
            if not isinstance(name, str):
                return None
            folder = folder if isinstance(folder, str) else "."
            stem = name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"
            return self._composed(self.project.config_file(f"{folder.rstrip('/')}/{stem}"), folder.rstrip("/"))
        return None

    def instantiated_target(self, call: ast.AST) -> str | None:
        """The dotted `_target_` of the config Hydra's `instantiate(cfg.model)` is given (the class
        or function it calls); None for any other call, or a target not known here."""
        if not (isinstance(call, ast.Call) and call.args and isinstance(call.func, (ast.Name, ast.Attribute))
                and (self.index.qualname(call.func, self.index.scope_of(call)) or "") in _INSTANTIATORS):
            return None
        members = self.members(call.args[0], self.index.scope_of(call), "item")
        target = members.get("_target_") if members else None
        value = self._const(target[0], target[1] or self.index.scope_of(call), 0) if target else None
        return value if isinstance(value, str) and "." in value else None

    def _composed(self, primary: ConfigValue | None, folder: str, depth: int = 0) -> ConfigValue | None:
        """A Hydra primary config with the groups of its defaults list in place (`- datamodule:
        cityscapes` puts `datamodule/cityscapes.yaml` at `datamodule`); the primary's own keys
        win, as with `_self_` last (Hydra 1.1's default order). Groups chosen on the command line
        are not known here."""
        mapping = primary.mapping if primary is not None else None
        defaults = mapping.get("defaults") if mapping else None
        if not defaults or not isinstance(defaults.value, list):
            return primary
        composed = dict(mapping)
        for item in defaults.value[:24]:
            entry = item.mapping if isinstance(item, ConfigValue) else None
            if not entry or len(entry) != 1:
                continue
            (group, option), = entry.items()
            if not isinstance(option.value, str) or group.startswith("override ") or "@" in group:
                continue
            chosen = self.project.config_file(f"{folder}/{group}/{option.value}.yaml")
            if chosen is not None and depth < 3:
                # a group file's own defaults list names groups of its folder (`model/norm/bn.yaml`)
                chosen = self._composed(chosen, f"{folder}/{group}", depth + 1)
            if chosen is None or chosen.mapping is None:
                continue
            own = composed.get(group)
            merged = {**chosen.mapping, **(own.mapping if own is not None and own.mapping else {})}
            composed[group] = ConfigValue(merged, chosen.bnlint_path, chosen.lineno, chosen.col_offset)
        return ConfigValue(composed, primary.bnlint_path, primary.lineno, primary.col_offset)

    def module_display(self) -> str:
        """This module's path as evidence in other files shows it."""
        project = self.project
        return project.display(project.path) if project is not None else ""

    def _class_members(self, cls: ast.ClassDef, call: ast.Call | None, depth: int) -> dict:
        """A config class's attributes: class-body assignments (dataclass and NamedTuple fields
        included), `self.x = ...` in `__init__` with the constructor's arguments, and the
        constructor keywords naming fields."""
        result: dict = {}
        class_scope = self.index.scopes.get(cls)
        fields = _record_fields(cls)
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                    and not self._attrs_field(stmt.value, class_scope):
                result[stmt.targets[0].id] = (stmt.value, class_scope)
            elif isinstance(stmt, (ast.AnnAssign, ast.Assign)) and stmt.value is not None and isinstance(
                    target := (stmt.target if isinstance(stmt, ast.AnnAssign) else stmt.targets[0]), ast.Name):
                # (an annotated field, or an attrs `epsilon = attr.ib(default=0.0)` without one)
                value = stmt.value
                if (isinstance(value, ast.Call) and self.index.qualname(value.func, class_scope) in
                        ("dataclasses.field",)):
                    default = next((k.value for k in value.keywords if k.arg == "default"), None)
                    if default is None and not any(k.arg == "default_factory" for k in value.keywords):
                        continue
                    # (`field(default_factory=OptimConfig)` is kept: its members are the class's)
                    value = default if default is not None else value
                elif (isinstance(value, ast.Call) and (self.index.qualname(value.func, class_scope) or "").rpartition(".")[2]
                      in ("Field", "attrib", "ib", "field") and (self.index.qualname(value.func, class_scope) or "").startswith(
                          ("pydantic", "attr", "attrs"))):
                    # pydantic `Field(1, description=...)` / `Field(default=1)`, attrs `attr.ib(default=1)`
                    default = value.args[0] if value.args and not isinstance(value.args[0], ast.Starred) else next(
                        (k.value for k in value.keywords if k.arg == "default"), None)
                    if default is None and self._attrs_field(value, class_scope) and any(
                            k.arg == "factory" for k in value.keywords):
                        default = value  # `attr.ib(factory=NormSpec)`: its members are the class's
                    if default is None or isinstance(default, ast.Constant) and default.value is Ellipsis:
                        continue  # (`Field(...)`: required, no default)
                    value = default
                result[target.id] = (value, class_scope)
        init = next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and s.name == "__init__"), None)
        if init is not None:
            init_scope = self.index.scopes.get(init)
            for attr, values in self._class_attributes(cls).items():
                if len(values) != 1 or values[0][0] is None:
                    result[attr] = None
                    continue
                value, value_scope = values[0]
                if (call is not None and isinstance(value, ast.Name) and value_scope is init_scope):
                    passed = self.index.argument_for(call, init, value.id, bound=True)
                    if passed is not None:
                        value, value_scope = passed, self.index.scope_of(call)
                result[attr] = (value, value_scope)
        elif call is not None:
            # dataclass / NamedTuple: fields in order, overridden by the constructor's arguments
            for position, argument in enumerate(call.args):
                if isinstance(argument, ast.Starred) or position >= len(fields):
                    return {}
                result[fields[position]] = (argument, self.index.scope_of(call))
            for keyword in call.keywords:
                if keyword.arg is None:
                    # `NormConfig(**cfg["norm"])`: the fields a known mapping gives
                    spread = self._spread_fields(keyword.value, self.index.scope_of(call), depth)
                    if spread is None:
                        return {}
                    result.update(spread)
                    continue
                result[keyword.arg] = (keyword.value, self.index.scope_of(call))
        return result

    @contextlib.contextmanager
    def _arguments_bound(self, call: ast.Call, method, caller: "Values", scope: Scope):
        """While reading what a class or static method returns for `call`: its parameters hold
        the call's arguments (`Config.from_yaml("configs/a.yaml")` reads that file)."""
        added = []
        if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and len(self._bound_arguments) < 16 \
                and not any(isinstance(a, ast.Starred) for a in call.args):
            bound = any(isinstance(d, ast.Name) and d.id == "classmethod" for d in method.decorator_list)
            for arg in (*method.args.posonlyargs, *method.args.args, *method.args.kwonlyargs)[int(bound):]:
                key = (id(method), arg.arg)
                argument = caller.index.argument_for(call, method, arg.arg, bound=bound)
                if argument is None or key in self._bound_arguments:
                    continue
                self._bound_arguments[key] = (argument, scope, caller)
                added.append(key)
        try:
            yield bool(added)
        finally:
            for key in added:
                del self._bound_arguments[key]

    def _bound_argument(self, binding) -> tuple | None:
        if not self._bound_arguments:
            return None
        return self._bound_arguments.get((id(binding.scope.node), binding.name))

    def _alternate_constructor(self, func: ast.Attribute, scope: Scope):
        """(the Values of its module, its one `return`) for `Class.method` naming a
        `@classmethod` or `@staticmethod` of a class of this module or of another project module;
        None otherwise."""
        bindings = self.index.lookup(func.value.id, scope)
        home, cls = None, None
        if len(bindings) == 1 and bindings[0].kind == "class":
            home, cls = self, bindings[0].node
        elif len(bindings) == 1 and _is_cls_parameter(bindings[0]):
            # `cls.from_dict(raw)` inside another classmethod of the class
            home, cls = self, self.index.enclosing_class(bindings[0].scope.node)
        elif len(bindings) == 1 and bindings[0].kind == "import" and bindings[0].qualname and self.project is not None:
            found = self.project.definition(bindings[0].qualname)
            if found is not None and isinstance(found[1], ast.ClassDef):
                home, cls = found[0].values, found[1]
        if cls is None or home is None:
            return None
        method = next((stmt for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and stmt.name == func.attr and any(isinstance(d, ast.Name) and d.id in (
                           "classmethod", "staticmethod") for d in stmt.decorator_list)), None)
        if method is None:
            return None
        returned = [node for node in ast.walk(method) if isinstance(node, ast.Return) and node.value is not None
                    and home.index.enclosing_function(node) is method]
        return (home, returned[0]) if len(returned) == 1 else None

    def _spread_fields(self, mapping: ast.AST, scope: Scope, depth: int) -> dict | None:
        """The fields `Record(**mapping)` sets: the mapping's string keys (a YAML section, a dict
        literal, `m.pop("norm", {})`); None when the mapping is not known."""
        spread = self._members(mapping, scope, "item", depth + 1)
        if spread is None:
            return None
        return {key: entry for key, entry in spread.items() if isinstance(key, str)}

    def _foreign_record_members(self, other, cls: ast.ClassDef, call: ast.Call | None, scope: Scope | None,
                                depth: int) -> dict | None:
        """The attributes of an instance of a config class another module of the project defines
        (`TrainConfig()` with `batch_size: int = 1` in configs.py): each default evaluated in
        that module, as a typed location holding its value (a nested config class's instance, a
        mapping of them), overridden by this call's arguments. None when the class has no
        attribute bnlint can read."""
        if depth > 20:
            return None
        own = other.values._class_members(cls, None, depth + 1)
        if not own:
            return None
        display = other.values.module_display()
        result: dict = {}
        for key, entry in own.items():
            if entry is None:
                result[key] = None
                continue
            value_expr, value_scope = entry
            if isinstance(value_expr, ast.Call):
                # `optim: OptimConfig = field(default_factory=OptimConfig)`, `norm = NormConfig()`
                made = value_expr.func
                if other.index.qualname(made, value_scope) == "dataclasses.field" or \
                        other.values._attrs_field(value_expr, value_scope):  # (attrs: `attr.ib(factory=NormSpec)`)
                    made = next((k.value for k in value_expr.keywords if k.arg in ("default_factory", "factory")),
                                None)
                nested = None
                if isinstance(made, ast.Name):
                    local = other.index.lookup(made.id, value_scope)
                    if len(local) == 1 and local[0].kind == "class":
                        nested = (other, local[0].node)
                if nested is None and isinstance(made, (ast.Name, ast.Attribute)) and other.project is not None:
                    nested_qual = other.index.qualname(made, value_scope)
                    nested = other.project.definition(nested_qual) if nested_qual else None
                inner = None
                if nested is not None and isinstance(nested[1], ast.ClassDef) and nested[1] is not cls:
                    inner = nested[0].values._foreign_record_members(nested[0], nested[1], None, None, depth + 1)
                mapping = {k: v[0] for k, v in inner.items() if v is not None and isinstance(v[0], ConfigValue)} \
                    if inner else None
                result[key] = (ConfigValue(mapping, display, value_expr.lineno, value_expr.col_offset), None) \
                    if mapping else None
                continue
            value = other.values.const(value_expr, value_scope)
            result[key] = (ConfigValue(value, display, value_expr.lineno, value_expr.col_offset), None) \
                if value is not UNKNOWN and _hashable(value) else None
        if call is None:
            return result
        init = next((s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and s.name == "__init__"), None)
        if init is not None:
            # `self.batch_size = batch_size`: what this call passes for the parameter
            for attr, values in other.values._class_attributes(cls).items():
                if len(values) == 1 and isinstance(values[0][0], ast.Name):
                    passed = self.index.argument_for(call, init, values[0][0].id, bound=True)
                    if passed is not None:
                        result[attr] = (passed, scope)
            return result
        fields = _record_fields(cls)
        for position, argument in enumerate(call.args):
            if isinstance(argument, ast.Starred) or position >= len(fields):
                return None
            result[fields[position]] = (argument, scope)
        for keyword in call.keywords:
            if keyword.arg is None:
                spread = self._spread_fields(keyword.value, scope, depth)
                if spread is None:
                    return None
                result.update(spread)
                continue
            result[keyword.arg] = (keyword.value, scope)
        return result

    def _argv_overrides(self, call: ast.Call, scope: Scope) -> dict:
        """{dest: (the value's string node, scope) or None} for the options an explicit argv
        list passed to `parse_args` sets: a list literal, or a name or parameter every call
        fills with one (`main(["--batch_size", "6"])`)."""
        argv = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "args"), None)
        if argv is None:
            return {}
        lists = [(argv, scope)] if isinstance(argv, (ast.List, ast.Tuple)) else [
            (origin, origin_scope) for origin, origin_scope in self.origins(argv, scope)
            if isinstance(origin, (ast.List, ast.Tuple))] if isinstance(argv, ast.Name) else []
        options = self._argparse_options()
        overrides: dict = {}
        for literal, literal_scope in lists:
            elements = literal.elts
            for position, element in enumerate(elements):
                token = self.const(element, literal_scope)
                if not isinstance(token, str) or not token.startswith("-"):
                    continue
                name, equals, _value = token.partition("=")
                dest = options.get(name)
                if dest is None:
                    continue
                follows = elements[position + 1] if position + 1 < len(elements) else None
                given = element if equals else follows
                if given is None or (not equals and isinstance(self.const(given, literal_scope), str)
                                     and self.const(given, literal_scope).startswith("--")):
                    overrides[dest] = None  # a bare flag
                else:
                    overrides[dest] = None if equals else (given, literal_scope)
        return overrides

    def _argparse_options(self) -> dict:
        """{option string: dest} of the module's `add_argument` calls."""
        options = {}
        for call in self.index.calls:
            if isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument":
                scope = self.index.scope_of(call)
                dest = _argparse_dest(call, lambda e: self.const(e, scope))
                for argument in call.args:
                    option = self.const(argument, scope)
                    if isinstance(option, str) and option.startswith("-") and dest:
                        options[option] = dest
        return options

    def argparse_defaults(self) -> dict:
        """{dest: (default expression, scope)} of the module's `add_argument` calls; a dest
        declared twice maps to None."""
        cached = getattr(self, "_argparse", None)
        if cached is not None:
            return cached
        result: dict = {}
        for call in self.index.calls:
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr.startswith("DEFINE_") and call.args:
                # absl.flags / tf.app.flags: DEFINE_integer("batch_size", 1, "help")
                scope = self.index.scope_of(call)
                name = self.const(call.args[0], scope)
                default = call.args[1] if len(call.args) > 1 else next(
                    (k.value for k in call.keywords if k.arg == "default"), None)
                if func.attr == "DEFINE_config_file":
                    default = call  # its members are those of the file's `get_config()`
                if isinstance(name, str) and default is not None:
                    result[name] = None if name in result else (default, scope)
                continue
            if not (isinstance(func, ast.Attribute) and func.attr == "add_argument"):
                continue
            scope = self.index.scope_of(call)
            dest = _argparse_dest(call, lambda e: self.const(e, scope))
            if dest is None:
                continue
            result[dest] = None if dest in result else (self._option_default(call, scope), scope)
        self._argparse = result
        for dest, entry in self._options_added_elsewhere().items():
            result.setdefault(dest, entry)
        return result

    def _option_default(self, call: ast.Call, scope: Scope) -> ast.AST:
        """The default of an `add_argument` option: written, or implied by a store_true /
        store_false action, else None (a constant placed at the call)."""
        default = next((k.value for k in call.keywords if k.arg == "default"), None)
        if default is not None:
            return default
        action = next((k.value for k in call.keywords if k.arg == "action"), None)
        action_value = self.const(action, scope) if action is not None else None
        default = ast.Constant(action_value == "store_false" if action_value in ("store_true", "store_false") else None)
        ast.copy_location(default, call)
        return default

    def _parser_defaults(self, parse_call: ast.Call) -> dict:
        """{dest: (default, scope)} of the options added to the one parser `parse_call` parses
        (`parser = argparse.ArgumentParser(); parser.add_argument(...); parser.parse_args()` in
        one function, argument groups of it included); empty when that parser is not built so."""
        receiver = parse_call.func.value if isinstance(parse_call.func, ast.Attribute) else None
        if not isinstance(receiver, ast.Name):
            return {}
        scope = self.index.scope_of(parse_call)
        bindings = self.index.lookup(receiver.id, scope)
        if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].scope is not scope or not (
                isinstance(bindings[0].value, ast.Call)
                and (self.index.qualname(bindings[0].value.func, scope) or "").endswith("ArgumentParser")):
            return {}
        names = {receiver.id}
        for _ in range(3):
            # `group = parser.add_argument_group("data")`; a subcommand's parser (`sub =
            # parser.add_subparsers(); train = sub.add_parser("train")`), whose options the
            # namespace holds when that subcommand runs
            for name, entries in scope.bindings.items():
                if any(b.kind == "assign" and isinstance(b.value, ast.Call) and isinstance(b.value.func, ast.Attribute)
                       and b.value.func.attr in ("add_argument_group", "add_mutually_exclusive_group",
                                                 "add_subparsers", "add_parser")
                       and isinstance(b.value.func.value, ast.Name) and b.value.func.value.id in names
                       for b in entries):
                    names.add(name)
        result: dict = {}
        for call in self.index.calls:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "add_argument" and isinstance(func.value, ast.Name)
                    and func.value.id in names and self.index.scope_of(call) is scope):
                continue
            dest = _argparse_dest(call, lambda e: self.const(e, scope))
            if dest is None:
                continue
            result[dest] = None if dest in result else (self._option_default(call, scope), scope)
        for dest, entry in self._options_added_elsewhere(names, scope).items():
            result.setdefault(dest, entry)  # `train_args(train_parser)` of another module
        return result

    def _attrs_field(self, value: ast.AST, scope: Scope) -> bool:
        """`attr.ib(...)` / `attrs.field(...)` / `attr.attrib(...)`: an attrs class's field."""
        if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
            return False
        qual = self.index.qualname(value.func, scope) or ""
        return qual in ("attr.ib", "attr.attrib", "attr.field", "attrs.field", "attrs.ib", "attrs.attrib")

    def _flags_defined_elsewhere(self) -> dict:
        """{flag name: (default as a value with its place there, None)} of the absl / tf.app
        flags the modules that run with this one define (its packages' `__init__`, its imports
        and theirs, its importers); a flag two of them define with different defaults maps to
        None."""
        cached = getattr(self, "_flags_elsewhere", None)
        if cached is not None:
            return cached
        found: dict = {}
        self._flags_elsewhere = found  # (a cycle of modules reading each other's flags adds nothing)
        if self.project is None:
            return found
        for other in self.project.program_modules(_FLAG_DEFINERS):
            for name, entry in other.values.argparse_defaults().items():
                made = other.index.parents.get(entry[0]) if entry is not None else None
                if not (isinstance(made, ast.Call) and isinstance(made.func, ast.Attribute)
                        and made.func.attr.startswith("DEFINE_")):
                    continue  # (argparse options are the module's own command line)
                portable = other.values._portable(entry, "attr", 0)
                if name not in found:
                    found[name] = portable
                elif found[name] is not None and (portable is None or getattr(portable[0], "value", portable[0])
                                                  != getattr(found[name][0], "value", found[name][0])):
                    found[name] = None
        return found

    def _options_added_elsewhere(self, parsers: set | None = None, scope: Scope | None = None) -> dict:
        """{dest: (default as a value with its place there, None)} of the options a function of
        another project module adds to a parser this module hands it (`train_args(subparsers.
        add_parser("train"))` with `def args(sub_parser): sub_parser.add_argument("--batch-size",
        default=1)` in train.py)."""
        found: dict = {}
        if self.project is None:
            return found
        for call in self.index.calls:
            if not call.args or not isinstance(call.func, (ast.Name, ast.Attribute)):
                continue
            if parsers is not None and not (self.index.scope_of(call) is scope and any(
                    isinstance(a, ast.Name) and a.id in parsers for a in call.args)):
                continue  # (only the calls given one of these parsers)
            qual = self.index.qualname(call.func)
            definition = self.project.definition(qual) if qual else None
            if definition is None or not isinstance(definition[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            other, function = definition
            params = {a.arg for a in (*function.args.posonlyargs, *function.args.args)}
            adds = [c for c in other.index.calls if isinstance(c.func, ast.Attribute) and c.func.attr == "add_argument"
                    and isinstance(c.func.value, ast.Name) and c.func.value.id in params
                    and other.index.enclosing_function(c) is function]
            if not adds:
                continue
            defaults = other.values.argparse_defaults()
            for add in adds:
                dest = _argparse_dest(add, lambda e: other.values.const(e, other.index.scope_of(add)))
                entry = defaults.get(dest) if dest else None
                if entry is not None and dest not in found:
                    found[dest] = other.values._portable(entry, "attr", 0)
        return found

    def _subscript_stores(self) -> dict:
        cached = getattr(self, "_stores", None)
        if cached is None:
            cached = {}
            for node in self.index.assigns:
                if not isinstance(node, ast.Assign):
                    continue
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        cached.setdefault(target.value.id, []).append((target, node.value, self.index.scope_of(node)))
            self._stores = cached
        return cached

    def _self_attribute(self, expr: ast.Attribute, depth: int) -> Any:
        """`self.eps`: the class's one assignment to it, when that is a constant. No astroid:
        parsing the whole module again to infer an instance attribute costs more than the
        answers it gives (an attribute set in several places has no single value anyway)."""
        cls = None
        for ancestor in self.index.ancestors(expr):
            if isinstance(ancestor, ast.ClassDef):
                cls = ancestor
                break
        if cls is None:
            return UNKNOWN
        values = self._class_attributes(cls).get(expr.attr, [])
        if not values:
            inherited = self.inherited_attribute(cls, expr.attr)
            if inherited is not None and len(inherited[1]) == 1:
                owner, ((value, scope),) = inherited
                return owner._const(value, scope, depth + 1)
        if not values and attr_is_field(cls, expr.attr) and self._fields_by_constructor(cls):
            return self._constructed_field_value(cls, expr.attr, depth)
        if len(values) != 1:
            return UNKNOWN
        value, scope = values[0]
        return self._const(value, scope, depth + 1)

    def _fields_by_constructor(self, cls: ast.ClassDef) -> bool:
        """A class whose generated constructor fills its annotated fields: a dataclass or attrs
        class, a NamedTuple, a Flax `nn.Module`, a pydantic model (none of them with its own
        `__init__`)."""
        if any(isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__init__"
               for stmt in cls.body):
            return False
        scope = self.index.scope_of(cls)
        for decorator in cls.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            qual = self.index.qualname(target, scope) or ""
            if qual.startswith(("dataclasses.", "attr.", "attrs.", "flax.struct.")) or qual in ("dataclass",):
                return True
        for base in cls.bases:
            qual = self.index.qualname(base, scope) or ""
            if qual in _GENERATED_CONSTRUCTOR_BASES:
                return True
        return False

    def _constructed_field_value(self, cls: ast.ClassDef, field: str, depth: int) -> Any:
        """`self.norm_epsilon` of a Flax module or dataclass: the value every construction of
        the class gives the field (by keyword, or by position in field order), its class-body
        default where one gives none; in this module and in the project's others."""
        if depth > 8:
            return UNKNOWN
        fields = _record_fields(cls)
        position = fields.index(field)
        default = next((stmt.value for stmt in cls.body if isinstance(stmt, ast.AnnAssign)
                        and isinstance(stmt.target, ast.Name) and stmt.target.id == field), None)
        here = [c for c in self.index.calls_named(cls.name) if isinstance(c.func, ast.Name)
                and [b.node for b in self.index.lookup(cls.name, self.index.scope_of(c))] == [cls]]
        sites = [(self, call) for call in here]
        if self.project is not None and self.index.scope_of(cls) is self.index.module_scope:
            sites += [(other.values, call) for other, call, _ in self.project.external_calls(cls.name)]
        if not sites:
            return UNKNOWN
        found = set()
        for home, call in sites[:12]:
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                return UNKNOWN
            given = next((k.value for k in call.keywords if k.arg == field), None)
            if given is None and position < len(call.args):
                given = call.args[position]
            if given is not None:
                value = home._const(given, home.index.scope_of(given), depth + 1)
            elif default is not None:
                value = self._const(default, self.index.scope_of(cls), depth + 1)
            else:
                return UNKNOWN
            if value is UNKNOWN or not _hashable(value):
                return UNKNOWN
            found.add(value)
        return found.pop() if len(found) == 1 else UNKNOWN

    def inherited_attribute(self, cls: ast.ClassDef, attribute: str, _depth: int = 0):
        """(the Values of the module, the `self.<attribute> = ...` stores) of the nearest
        base class that stores the attribute `cls` itself never stores: `self.config =
        self.load_config(...)` in a `ModelManager.__init__` that `class
        TrainingManager(ModelManager)` of another module inherits. None when no base (of this
        module or the project) stores it."""
        if _depth > 4:
            return None
        for base in cls.bases:
            if not isinstance(base, (ast.Name, ast.Attribute)):
                continue
            owner, target = self, None
            if isinstance(base, ast.Name):
                bindings = self.index.lookup(base.id, self.index.scope_of(cls))
                if len(bindings) == 1 and bindings[0].kind == "class":
                    target = bindings[0].node
            if target is None and self.project is not None:
                found = self.project.definition(self.index.qualname(base, self.index.scope_of(cls)) or "")
                if found is None or not isinstance(found[1], ast.ClassDef):
                    continue
                owner, target = found[0].values, found[1]
            if not isinstance(target, ast.ClassDef) or target is cls:
                continue
            stores = owner._class_attributes(target).get(attribute)
            if stores:
                return owner, stores
            deeper = owner.inherited_attribute(target, attribute, _depth + 1)
            if deeper is not None:
                return deeper
        return None

    def _class_attributes(self, cls: ast.ClassDef) -> dict[str, list]:
        cached = self._attributes.get(cls)
        if cached is None:
            cached = {}
            for node in self.index.assigns:
                if not isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                            and target.value.id == "self" and self.index.enclosing_class(node) is cls):
                        value = node.value if not isinstance(node, ast.AugAssign) else None
                        cached.setdefault(target.attr, []).append((value, self.index.scope_of(node)))
                    elif (isinstance(target, (ast.Tuple, ast.List)) and isinstance(node, ast.Assign)
                            and self.index.enclosing_class(node) is cls):
                        # `self.g, self.d = self.get_models()`: the element each attribute takes
                        for position, element in enumerate(target.elts):
                            if (isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name)
                                    and element.value.id == "self"):
                                self._unpacked_attributes.setdefault(cls, {}).setdefault(element.attr, []).append(
                                    (node.value, position, self.index.scope_of(node)))
                                cached.setdefault(element.attr, [])
            for method in cls.body:
                # `@property def discriminator_types(self): return {...}`: reading the attribute
                # runs the method, so its value is what the method returns
                if (isinstance(method, ast.FunctionDef) and method.name not in cached
                        and any(_decorator_name(d) in ("property", "cached_property") for d in method.decorator_list)):
                    method_scope = self.index.scopes.get(method)
                    returns = [n.value for n in ast.walk(method) if isinstance(n, ast.Return) and n.value is not None
                               and self.index.enclosing_function(n) is method]
                    if returns and method_scope is not None:
                        cached[method.name] = [(value, method_scope) for value in returns]
            self._attributes[cls] = cached
        return cached

    def _name(self, expr: ast.Name, scope: Scope, depth: int) -> Any:
        binding = self.binding_of(expr, scope)
        if binding is None:
            # `BATCH_SIZE` that `from config import *` brings from a project module
            found, value = self._project_const(self.index.qualname(expr, scope))
            return value if found else UNKNOWN
        if binding.kind == "param" and (bound := self._bound_argument(binding)) is not None:
            argument, argument_scope, home = bound
            return home._const(argument, argument_scope, depth + 1)
        if binding.kind == "param":
            # the value every call in the module passes (its default where one passes nothing)
            values = self._parameter_values(binding, depth + 1) if depth < 8 else None
            if values is None or len(values) != 1:
                return UNKNOWN
            return next(iter(values))
        if binding.kind in ("assign", "annassign"):
            if binding.value is None:
                return UNKNOWN
            return self._const(binding.value, binding.scope, depth + 1)
        if (binding.kind == "unpack" and isinstance(binding.value, (ast.Tuple, ast.List))
                and binding.index is not None and binding.index < len(binding.value.elts)
                and not any(isinstance(e, ast.Starred) for e in binding.value.elts)):
            return self._const(binding.value.elts[binding.index], binding.scope, depth + 1)  # `h, w = 32, 32`
        if binding.kind == "import":
            found, value = self._project_const(binding.qualname)
            return value if found else self._astroid_const(expr)
        return UNKNOWN

    def _project_const(self, qual: str | None) -> tuple[bool, Any]:
        if self.project is None or not qual:
            return False, None
        return self.project.constant_of_qualname(qual)

    def definition(self, expr: ast.AST, scope: Scope | None = None, _depth: int = 0) -> ast.AST | None:
        """Where the value of a name, config member or argparse option is written (the
        expression a finding can point at as evidence), or None when `expr` is written in place."""
        if _depth > 12:
            return None
        scope = scope or self.index.scope_of(expr)
        found = None
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr, scope)
            if binding is not None and binding.kind in ("assign", "annassign", "param") and binding.value is not None:
                found = (binding.value, binding.scope)
        elif isinstance(expr, (ast.Attribute, ast.Subscript)):
            if isinstance(expr, ast.Attribute):
                key, members = expr.attr, self.members(expr.value, scope, "attr")
            else:
                key, members = self.const(expr.slice, scope), self.members(expr.value, scope, "item")
            if members and _hashable(key) and members.get(key) is not None:
                found = members[key]
        if found is None:
            return None
        value, value_scope = found
        deeper = self.definition(value, value_scope, _depth + 1)
        return deeper if deeper is not None else value

    def written_elsewhere(self, expr: ast.AST, value: Any):
        """Where another module of the project writes the `value` that `expr` has here (a typed
        location, for evidence): a config member or class default read there, or the argument
        another module's call passes for the parameter `expr` comes from. None when it is written
        in this module or cannot be followed."""
        found = self.where_written(expr, value)
        if hasattr(found, "bnlint_path"):
            return found
        if isinstance(found, (ast.Attribute, ast.Subscript)):
            defined = self.definition(found)
            return defined if hasattr(defined, "bnlint_path") else None
        if not isinstance(found, ast.Name) or self.project is None:
            return None
        binding = self.reaching_binding(found, self.index.scope_of(found))
        if binding is None or binding.kind != "param" or self.index.callers(binding.scope.node):
            return None
        for other, _call, argument in (self.external_arguments(binding) or [])[:6]:
            if argument is None or other.values.const(argument) != value:
                continue
            if hasattr(argument, "bnlint_path"):
                return argument
            there = other.values.written_elsewhere(argument, value)
            return there if there is not None else self.project.foreign(
                other.values.where_written(argument, value), other)
        return None

    def where_written(self, expr: ast.AST, value: Any, scope: Scope | None = None, _depth: int = 0) -> ast.AST:
        """The expression where `expr` gets `value` written: through names, parameters (the call
        that passes it, or the default), config members and argparse options; `expr` itself
        when it is written in place or cannot be followed."""
        if _depth > 8:
            return expr
        scope = scope or self.index.scope_of(expr)
        if isinstance(expr, ast.Name):
            binding = self.reaching_binding(expr, scope)
            if binding is None:
                return expr
            if binding.kind == "param":
                for _call, argument, arg_scope in self.parameter_arguments(binding) or []:
                    if argument is not None and self.const(argument, arg_scope) == value:
                        return self.where_written(argument, value, arg_scope, _depth + 1)
                return expr
            if binding.kind in ("assign", "annassign") and binding.value is not None:
                return self.where_written(binding.value, value, binding.scope, _depth + 1)
            return expr
        if isinstance(expr, (ast.Attribute, ast.Subscript)):
            found = self.definition(expr, scope)
            if (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"
                    and found is not None and not hasattr(found, "bnlint_path") and self.const(found) != value):
                # `self.batch_size` stored from a parameter whose default is not the value: the
                # value comes from the callers (`SpectraDM(root, batch_size=args.batch_size)`),
                # so the parameter, for them to be followed
                entry = (self.members(expr.value, scope, "attr") or {}).get(expr.attr)
                if entry is not None and isinstance(entry[0], ast.Name):
                    return self.where_written(entry[0], value, entry[1], _depth + 1)
            # a value of a configuration file is written there: the finding stays at its use
            return found if found is not None and not hasattr(found, "bnlint_path") else expr
        return expr

    def project_origin(self, expr: ast.AST, scope: Scope | None = None):
        """Where a constant imported from another project module is assigned (a node with
        `bnlint_path`), or None."""
        if self.project is None:
            return None
        qual = None
        if isinstance(expr, ast.Attribute):
            qual = self.index.qualname(expr, scope)
        elif isinstance(expr, ast.Name):
            binding = self.binding_of(expr, scope)
            if binding is None:  # a name a star import brings (`from config import *`)
                qual = self.index.qualname(expr, scope)
            else:
                qual = binding.qualname if binding.kind == "import" else None
        return self.project.constant_origin(qual) if qual else None

    def binding_of(self, expr: ast.Name, scope: Scope | None = None) -> Binding | None:
        """The binding a name refers to: its single binding or, for a name bound several times,
        the one that reaches this use (`reaching_binding`); None when several may reach it. A
        script's global assigned in the branches of an `if` on its options (`if args.ds == 1:
        trainloader = ...` / `elif args.ds == 2: ...`) is the one the default run assigns."""
        scope = scope or self.index.scope_of(expr)
        return self._binding_of(expr, scope) or self._default_branch_binding(expr, scope)

    def _default_branch_binding(self, expr: ast.Name, scope: Scope) -> Binding | None:
        bindings = self.index.lookup(expr.id, scope)
        if bindings and bindings[0].scope is self.index.module_scope:
            bindings = self.index.global_assignments(expr.id)
        if 1 < len(bindings) <= 8 and bindings[0].scope is self.index.module_scope and all(
                b.kind in ("assign", "annassign") for b in bindings):
            verdicts = [self._default_branch(b.node) for b in bindings]
            if verdicts.count(True) == 1 and all(v is not None for v in verdicts):
                taken = bindings[verdicts.index(True)]
                # (only when the use comes after it: a function's use, or a later line)
                if scope is not self.index.module_scope or taken.node.lineno < expr.lineno:
                    return taken
        return None

    def _default_branch(self, node: ast.AST) -> bool | None:
        """Whether a top-level statement runs with the values the script is given by default:
        False when an enclosing `if` test is known and leads elsewhere, True when every
        enclosing test is known and leads to it (or there is none), None otherwise."""
        for ancestor in self.index.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                return None
            if isinstance(ancestor, (ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With)):
                continue
            if isinstance(ancestor, ast.If):
                test = self.const(ancestor.test, self.index.scope_of(ancestor))
                if not isinstance(test, bool):
                    return None
                in_body = any(statement is node or _contains(statement, node) for statement in ancestor.body)
                if test != in_body:
                    return False
        return True

    def _binding_of(self, expr: ast.Name, scope: Scope) -> Binding | None:
        bindings = self.index.lookup(expr.id, scope)
        if bindings and bindings[0].scope is self.index.module_scope:
            bindings = self.index.global_assignments(expr.id)
        if len(bindings) > 1 and any(isinstance(b.node, ast.comprehension) for b in bindings):
            # a comprehension's variable is its own (Python 3): it binds nothing outside it
            containing = [b for b in bindings if isinstance(b.node, ast.comprehension)
                          and _contains(self.index.parents.get(b.node, b.node), expr)]
            # the innermost comprehension that binds the name is the one it reads
            bindings = containing[-1:] if containing else [
                b for b in bindings if not isinstance(b.node, ast.comprehension)]
        if len(bindings) == 1:
            return bindings[0]
        if len(bindings) > 1 and hasattr(expr, "lineno") and all(b.scope is scope for b in bindings):
            # all in the use's own scope (a `global` write elsewhere may run at any time)
            return self.reaching_binding(expr, scope)
        if (1 < len(bindings) <= 8 and bindings[0].scope is self.index.module_scope and scope is not bindings[0].scope
                and all(b.kind == "assign" and b.value is not None for b in bindings)
                and len({ast.dump(b.value) for b in bindings}) == 1):
            # a script that rebuilds its global the same way for each run of an experiment
            # (`policy_net = DQN(h, w, n)` again after a reset): whichever runs, it is that object
            return bindings[0]
        if (1 < len(bindings) <= 8 and bindings[0].scope is self.index.module_scope and scope is not bindings[0].scope
                and all(b.kind in ("assign", "annassign") and self.index.parents.get(b.node) is self.index.tree
                        for b in bindings)):
            # `model = resnet50(pretrained=True)` then `model = nn.Sequential(*list(model.children())[:-1])`,
            # both in the script's straight-line top level: its functions see the last one
            return max(bindings, key=lambda b: (b.node.lineno, b.node.col_offset))
        return None

    # ---- objects ------------------------------------------------------------------------
    def origins(self, expr: ast.AST, scope: Scope | None = None, _depth: int = 0) -> list[tuple[ast.AST, Scope]]:
        """The expressions an object expression was made by: a name's assignment that reaches
        it, `self.x`'s assignments in the class, a parameter's arguments at the calls of its
        function, followed until something else (a call, a literal). Empty when unknown."""
        if _depth > 8:
            return []
        # Once per node: a function that calls itself with its own parameters (a colour-space
        # helper calling itself twenty times) would otherwise be followed through every path
        # of calls, exponentially. A node met again while being followed is a cycle: nothing.
        key = id(expr)
        cached = self._origins_cache.get(key)
        if cached is not None:
            return cached[1]
        self._origins_cache[key] = (expr, [])
        found = self._origins(expr, scope, _depth)
        self._origins_cache[key] = (expr, found)
        return found

    def _origins(self, expr: ast.AST, scope: Scope | None, _depth: int) -> list[tuple[ast.AST, Scope]]:
        scope = scope or self.index.scope_of(expr)
        if isinstance(expr, ast.Name):
            binding = self.reaching_binding(expr, scope) or self._default_branch_binding(expr, scope)
            if binding is None:
                found = []
                for real in self._beyond_placeholders(expr, scope):
                    found.extend(self._followed(real.value, real.scope, _depth))
                return found
            if binding.kind in ("assign", "annassign") and binding.value is not None:
                return self._followed(binding.value, binding.scope, _depth)
            if binding.kind == "unpack" and binding.index is not None and binding.value is not None:
                return self._unpacked(binding.value, binding.index, binding.scope, _depth)
            if binding.kind == "param":
                found = []
                for _call, argument, arg_scope in self.parameter_arguments(binding) or []:
                    if argument is None:
                        return []
                    found.extend(self._followed(argument, arg_scope, _depth))
                return found
            return []
        if isinstance(expr, ast.Subscript):
            # `args["model"]` with `args` a dict the module spells out (through a call site too);
            # `loaders[phase]` with a key only known at run time: any of the dict's values
            key = self.const(expr.slice, scope)
            comprehension = self._dict_comprehension(expr.value, scope)
            if comprehension is not None:  # `{x: DataLoader(sets[x], ...) for x in ["train", "val"]}`
                return self._followed(comprehension.value, self.index.scope_of(comprehension.value), _depth)
            known = _hashable(key) and key is not UNKNOWN
            members = self.members(expr.value, scope, "item")
            if not members and isinstance(expr.value, ast.Attribute) and _depth < 6:
                # `self.loaders[phase]` with `self.loaders` set from a dict the module spells out
                holders = self.origins(expr.value, scope, _depth + 1)
                if len(holders) == 1 and isinstance(holders[0][0], ast.Dict):
                    members = self.members(holders[0][0], holders[0][1], "item")
            if not members or (known and members.get(key) is None):
                return [(expr, scope)]
            if known:
                value, value_scope = members[key]
                return self._followed(value, value_scope, _depth)
            entries = entries_read_at(members, key)
            if entries is None:
                return [(expr, scope)]
            found = []
            for value, value_scope in entries:
                found.extend(self._followed(value, value_scope, _depth))
            return found
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            cls = self.index.enclosing_class(expr)
            found = []
            for value, value_scope in (self._class_attributes(cls).get(expr.attr, []) if cls else []):
                if value is None:
                    return []
                found.extend(self._followed(value, value_scope, _depth))
            for value, position, value_scope in self._unpacked_attributes.get(cls, {}).get(expr.attr, []):
                elements = self._unpacked(value, position, value_scope, _depth + 1)
                if not elements:
                    return []
                found.extend(elements)
            return found
        stores = self.attribute_stores(expr, scope) if isinstance(expr, ast.Attribute) else []
        if stores:  # `context.train_loader = DataLoader(...)` on a plain object
            found = []
            for value, value_scope in stores:
                found.extend(self._followed(value, value_scope, _depth))
            return found
        cls = self._constructed_local_class(expr.value, scope) if isinstance(expr, ast.Attribute) \
            and isinstance(expr.value, ast.Name) and _depth < 6 else None
        if cls is not None:
            # `net = Segmenter(images, labels); sess.run(net.train_op)`: what the class's methods
            # assign to `self.train_op`
            assigned = self._class_attributes(cls).get(expr.attr, [])
            if assigned and all(value is not None for value, _scope in assigned):
                found = []
                for value, value_scope in assigned:
                    found.extend(self._followed(value, value_scope, _depth + 1))
                return found
        return [(expr, scope)]

    def _constructed_local_class(self, name: ast.Name, scope: Scope) -> ast.ClassDef | None:
        """The class of this module that every assignment reaching `name` constructs
        (`net = Segmenter(...)`); None otherwise."""
        bindings = self.reaching_bindings(name, scope) if name in self.index.parents else []
        classes = set()
        for binding in bindings:
            value = binding.value if binding.kind in ("assign", "annassign") else None
            if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
                return None
            defined = self.index.lookup(value.func.id, binding.scope)
            if len(defined) != 1 or defined[0].kind != "class":
                return None
            classes.add(defined[0].node)
        return classes.pop() if len(classes) == 1 else None

    def attribute_stores(self, expr: ast.Attribute, scope: Scope | None = None) -> list[tuple[ast.AST, Scope]]:
        """`obj.attr = value` statements for `obj.attr`, where `obj` is a name (not `self`) bound
        once in its scope, to an object the module makes (`context = Context()`,
        `state = SimpleNamespace()`): the values given, in order. Scripts keep their model,
        loaders and options on such an object."""
        if not isinstance(expr.value, ast.Name) or expr.value.id == "self":
            return []
        scope = scope or self.index.scope_of(expr)
        bindings = self.index.lookup(expr.value.id, scope)
        if len(bindings) != 1 or bindings[0].kind not in ("assign", "annassign") \
                or not isinstance(bindings[0].value, ast.Call):
            return []
        # the module's stores into attribute trees, one level deep here
        return self.dotted_stores().get((id(bindings[0].node), (expr.attr,)), [])

    def uncalled_parameters(self, expr: ast.AST, scope: Scope | None = None, _depth: int = 0) -> list[Binding]:
        """The parameters an object expression comes from when nothing in this module calls their
        function: `loader` in `def train(model, loader)`, or `self.train_loader` set from
        `__init__`'s `train_loader` in a class other modules construct. Their values are at the
        calls in the project's other modules (`external_arguments`). Empty when `expr` is made
        here, or any of its assignments is something else."""
        scope = scope or self.index.scope_of(expr)
        if isinstance(expr, ast.Name):
            binding = self.reaching_binding(expr, scope)
            if binding is None or binding.kind != "param":
                return []
            function = binding.scope.node
            callers = self.callers(function) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else []
            if not callers:
                return [binding]
            if _depth > 3:
                return []
            # `def optimization_loop(model, tr_loader): train_model(model, tr_loader)`, only
            # `optimization_loop` called from other modules: the parameter each call passes on
            found = []
            for call, bound in callers:
                argument = self.index.argument_for(call, function, binding.name, bound=bound)
                sub = self.uncalled_parameters(argument, self.index.scope_of(call), _depth + 1) \
                    if isinstance(argument, ast.Name) or _is_self_attribute(argument) else []
                if not sub:
                    return []
                found.extend(sub)
            return found
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            cls = self.index.enclosing_class(expr)
            assigned = self._class_attributes(cls).get(expr.attr, []) if cls is not None else []
            found = []
            for value, value_scope in assigned:
                sub = self.uncalled_parameters(value, value_scope, _depth + 1) if isinstance(value, ast.Name) else []
                if not sub:
                    return []
                found.extend(sub)
            return found
        return []

    def _dict_comprehension(self, expr: ast.AST, scope: Scope) -> ast.DictComp | None:
        if isinstance(expr, ast.DictComp):
            return expr
        if isinstance(expr, ast.Name):
            binding = self.reaching_binding(expr, scope)
            if binding is not None and binding.kind in ("assign", "annassign") and isinstance(binding.value, ast.DictComp):
                return binding.value
        return None

    def unpacked_from_calls(self, expr: ast.AST) -> list[tuple[ast.Call, int, Scope]]:
        """(call, position, scope) where `expr` is element `position` of the tuple a call
        returns: `train_loader, val_loader = make_loaders(cfg)` for a name, and
        `self.train_loader, self.val_loader, self.transform = loading_data()` in the class for
        `self.train_loader`. For helpers whose returns cannot be followed here (another
        module's): the caller reads the element there."""
        found = []
        if isinstance(expr, ast.Name):
            binding = self.binding_of(expr)
            if (binding is not None and binding.kind == "unpack" and isinstance(binding.value, ast.Call)
                    and binding.index is not None):
                found.append((binding.value, binding.index, binding.scope))
        elif (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"):
            cls = self.index.enclosing_class(expr)
            for assign in self.index.assigns:
                if not (isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Call)
                        and self.index.enclosing_class(assign) is cls):
                    continue
                for target in assign.targets:
                    if not isinstance(target, (ast.Tuple, ast.List)) or any(
                            isinstance(e, ast.Starred) for e in target.elts):
                        continue
                    for position, element in enumerate(target.elts):
                        if (isinstance(element, ast.Attribute) and element.attr == expr.attr
                                and isinstance(element.value, ast.Name) and element.value.id == "self"):
                            found.append((assign.value, position, self.index.scope_of(assign)))
        return found

    def unpacked(self, value: ast.AST, index: int, scope: Scope) -> list[tuple[ast.AST, Scope]]:
        """What element `index` of `a, b = value` is made by (empty when unknown)."""
        return self._unpacked(value, index, scope, 0)

    def _unpacked(self, value: ast.AST, index: int, scope: Scope, depth: int) -> list[tuple[ast.AST, Scope]]:
        """Element `index` of what `a, b = value` unpacks: a tuple literal, or the tuples a
        helper of the module returns (`train_ds, test_ds = create_dataset(...)`)."""
        if isinstance(value, (ast.Tuple, ast.List)):
            if index < len(value.elts) and not any(isinstance(e, ast.Starred) for e in value.elts):
                element = value.elts[index]
                found = self._followed(element, scope, depth)
                if not found and isinstance(element, ast.Name):
                    # `self.G, self.D = G, D` with `D` a parameter only other modules' calls give:
                    # the parameter itself, as `self.D = D` leaves it, for them to be read
                    binding = self.binding_of(element, scope)
                    if binding is not None and binding.kind == "param":
                        return [(element, scope)]
                return found
            return []
        if isinstance(value, ast.Call):
            passed = self.passthrough_arguments(value, scope)
            if passed is not None:
                # `model, optimizer, loader = accelerator.prepare(model, optimizer, loader)`
                return self._followed(passed[index], scope, depth) if index < len(passed) else []
            callee = self.index.local_callee(value)
            if callee is None:
                return []
            found = []
            for node in ast.walk(callee[0]):
                if (isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple)
                        and self.index.enclosing_function(node) is callee[0]):
                    found.extend(self._unpacked(node.value, index, self.index.scope_of(node), depth + 1))
            return found
        return []

    def list_elements(self, expr: ast.AST, scope: Scope | None = None) -> list[ast.AST] | None:
        """The elements a list named `expr` is given in its scope: its list literals and what
        `append`, `extend` and `+=` add (`layers = []`, then `layers.append(Block(c))` in a
        loop). None when it is not a list built there."""
        if not isinstance(expr, ast.Name):
            return None
        scope = scope or self.index.scope_of(expr)
        origins = [o for o, _s in self.origins(expr, scope)]
        literals = [o for o in origins if isinstance(o, (ast.List, ast.Tuple))]
        if not literals and not any(isinstance(o, ast.Call) and isinstance(o.func, ast.Name) and o.func.id == "list"
                                    and not o.args for o in origins):
            return None
        found = [e for literal in literals for e in literal.elts]
        home = self.binding_of(expr, scope)
        home = home.scope if home is not None else scope

        def elements(node):
            return list(node.elts) if isinstance(node, (ast.List, ast.Tuple)) else [node]

        for call in self.index.calls_named("append") + self.index.calls_named("extend"):
            func = call.func
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == expr.id
                    and call.args and self.index.scope_of(call) is home):
                found.extend([call.args[0]] if func.attr == "append" else elements(call.args[0]))
        for node in self.index.assigns:
            if (isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == expr.id
                    and self.index.scope_of(node) is home):
                found.extend(elements(node.value))
        return found

    def passthrough_arguments(self, call: ast.Call, scope: Scope | None = None) -> list[ast.expr] | None:
        """The objects a training-library call hands back in order, wrapped for devices or mixed
        precision but the same models, optimizers and loaders (`accelerator.prepare(model, opt,
        loader)`, `fabric.setup(model, opt)`, `amp.initialize(model, opt)`); None for any other
        call."""
        from bnlint import catalogue

        func = call.func
        if any(isinstance(a, ast.Starred) for a in call.args) or not call.args:
            return None
        scope = scope or self.index.scope_of(call)
        qual = self.index.qualname(func, scope) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if qual in catalogue.PASSTHROUGH_FUNCTIONS:
            return list(call.args)
        if isinstance(func, ast.Attribute) and func.attr in catalogue.PASSTHROUGH_METHODS:
            receivers = [func.value] if not isinstance(func.value, ast.Name) else [
                origin for origin, _scope in self.origins(func.value, scope)]
            for receiver in receivers:
                made = self.index.qualname(receiver.func, scope) if isinstance(receiver, ast.Call) and \
                    isinstance(receiver.func, (ast.Name, ast.Attribute)) else None
                if made in catalogue.PASSTHROUGH_METHODS[func.attr]:
                    return list(call.args)
        return None

    def _followed(self, value: ast.AST, scope: Scope, depth: int) -> list[tuple[ast.AST, Scope]]:
        if isinstance(value, (ast.Name, ast.Subscript)) or (
                isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "self"):
            return self.origins(value, scope, depth + 1)
        return [(value, scope)]

    def reaching_binding(self, expr: ast.Name, scope: Scope | None = None) -> Binding | None:
        """The binding of a name that reaches this use: its only binding, or, for a name bound
        several times in the use's own function (`ds = ds.batch(1)`, `model = model.to(dev)`),
        the last assignment above the use at the same or an enclosing block level."""
        scope = scope or self.index.scope_of(expr)
        bindings = self.index.lookup(expr.id, scope)
        if len(bindings) == 1:
            return bindings[0]
        if not bindings or bindings[0].scope is not scope:
            return None
        use_block = self._block_path(expr)
        best = None
        maybe = []
        for binding in bindings:
            node = binding.node
            if not hasattr(node, "lineno"):  # a comprehension's target: its own scope-like block
                return None
            if not (node.lineno, node.col_offset) < (expr.lineno, expr.col_offset):
                continue
            if _contains(node, expr):
                if binding.kind in ("for", "with") and any(_contains(statement, expr) for statement in node.body):
                    # the loop's own target, read in its body: no other binding of the enclosing
                    # blocks can reach past it (a rebinding inside the body is left unknown)
                    inner = [b for b in bindings if b is not binding and hasattr(b.node, "lineno")
                             and _contains(node, b.node)]
                    if inner:
                        return None
                    if best is None or _contains(best.node, node) or (node.lineno, node.col_offset) > (
                            best.node.lineno, best.node.col_offset):
                        best = binding
                continue  # `ds = ds.batch(1)`: the use on the right reads the earlier binding
            if best is not None and best.kind in ("for", "with") and _contains(best.node, expr):
                continue  # the enclosing loop's (or `with`'s) target shadows bindings above it
            path = self._block_path(node)
            if path != use_block[: len(path)]:
                if _exclusive_branches(path, use_block):
                    continue  # `if ...: m = A()` / `else: m = B(); m.predict()`: cannot reach
                maybe.append(node)  # assigned in a block the use is not in: may reach, unless killed
                continue
            if best is None or (node.lineno, node.col_offset) > (best.node.lineno, best.node.col_offset):
                best = binding
        # a binding in another block (an earlier loop's body, a branch) reaches the use only when
        # no binding on the use's own path comes after it
        if best is None or any((n.lineno, n.col_offset) > (best.node.lineno, best.node.col_offset)
                               and not _contains(best.node, n) for n in maybe):
            return None
        return best

    def reaching_bindings(self, expr: ast.Name, scope: Scope | None = None) -> list[Binding]:
        """Every binding of a name that may reach this use: the one `reaching_binding` finds, or,
        when assignments in branches make that ambiguous (`img = img.unsqueeze(0)` then `if gpu:
        img = img.cuda()`), the last assignment above the use at its own block level together
        with the conditional ones after it. Empty when even that is not known."""
        scope = scope or self.index.scope_of(expr)
        single = self.reaching_binding(expr, scope)
        if single is not None:
            return [single]
        bindings = self.index.lookup(expr.id, scope)
        if not bindings or bindings[0].scope is not scope:
            return []
        use_block = self._block_path(expr)
        dominating, conditional = None, []
        for binding in bindings:
            node = binding.node
            if not hasattr(node, "lineno") or not (node.lineno, node.col_offset) < (expr.lineno, expr.col_offset):
                continue
            if _contains(node, expr):
                continue
            path = self._block_path(node)
            if path == use_block[: len(path)]:
                if dominating is None or (node.lineno, node.col_offset) > (dominating.node.lineno,
                                                                          dominating.node.col_offset):
                    dominating = binding
            elif not _exclusive_branches(path, use_block):
                conditional.append(binding)
        if dominating is None:
            # assigned only in branches (`if arch == "unet": model = UNet()`, then another `if`):
            # one of them reaches, or none and the use fails; a function's locals have no other
            if not conditional or bindings[0].scope.kind != "function":
                return []
            return self._last_in_each_block(conditional)
        after = self._last_in_each_block([b for b in conditional if (b.node.lineno, b.node.col_offset) > (
            dominating.node.lineno, dominating.node.col_offset)])
        # an `if`/`else` at the use's own level that assigns in both branches replaces the earlier one
        branches: dict = {}
        for b in after:
            path = self._block_path(b.node)
            if path and isinstance(path[-1][0], ast.If) and path[:-1] == use_block[: len(path) - 1]:
                branches.setdefault(path[-1][0], set()).add(path[-1][1])
        if any(fields == {"body", "orelse"} for fields in branches.values()):
            return after
        return [dominating] + after

    def _beyond_placeholders(self, expr: ast.Name, scope: Scope) -> list[Binding]:
        """`loader = None` (or `a, b = None, None`), then `loader = DataLoader(...)` in the `if`
        branch of each dataset: the assignments of the branches, when they all call the same
        thing. None is a placeholder there, not an object any use is meant to get; the branches
        are the alternatives a configuration picks. Empty when there is no placeholder."""
        reaching = self.reaching_bindings(expr, scope)
        real = [b for b in reaching if not _placeholder(b)]
        if not real or len(real) == len(reaching) or len(real) > 8:
            return []
        if all(b.kind in ("assign", "annassign") and isinstance(b.value, ast.Call) for b in real) and len(
                {ast.dump(b.value.func) for b in real}) == 1:
            return real
        return []

    def _last_in_each_block(self, bindings: list[Binding]) -> list[Binding]:
        """Within one block only its last assignment leaves it (`ds = ds.map(f)` then
        `ds = ds.batch(n)` in the same `if` body)."""
        paths = {id(b): self._block_path(b.node) for b in bindings}
        return [b for b in bindings if not any(
            other is not b and paths[id(other)] == paths[id(b)]
            and (other.node.lineno, other.node.col_offset) > (b.node.lineno, b.node.col_offset) for other in bindings)]

    def _block_path(self, node: ast.AST) -> list:
        """The statements blocks (if/for/while/with/try bodies) enclosing a node, outermost first."""
        path = []
        child = node
        for ancestor in self.index.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)):
                break
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(ancestor, field, None)
                if isinstance(block, list) and child in block:
                    path.append((ancestor, field))
            child = ancestor
        path.reverse()
        return path

    # ---- sets of values ----------------------------------------------------------------
    def possible(self, expr: ast.AST | None, scope: Scope | None = None, _depth: int = 0) -> frozenset | None:
        """Every value `expr` can take, when the module lists them (a loop over a literal,
        several assignments of constants); None when any of them is unknown."""
        if expr is None or _depth > 8:
            return None
        scope = scope or self.index.scope_of(expr)
        single = self.const(expr, scope)
        if single is not UNKNOWN:
            return frozenset([single]) if _hashable(single) else None
        if not isinstance(expr, ast.Name):
            return None
        bindings = self.index.lookup(expr.id, scope)
        if not bindings:
            return None
        if bindings[0].scope is self.index.module_scope:
            bindings = self.index.global_assignments(expr.id)
        values: set = set()
        for binding in bindings:
            if binding.kind == "param":
                sub = self._parameter_values(binding, _depth)
            elif binding.kind in ("assign", "annassign") and binding.value is not None:
                sub = self.possible(binding.value, binding.scope, _depth + 1)
            elif binding.kind in ("for", "comp") and binding.index is None:
                sub = self._iterated(binding.value, binding.scope, _depth)
            else:
                sub = None
            if sub is None:
                return None
            values |= sub
            if len(values) > _MAX_POSSIBLE:
                return None
        return frozenset(values)

    def parameter_arguments(self, binding: Binding) -> list[tuple[ast.Call | None, ast.AST | None, Scope]] | None:
        """What a parameter receives: (call, expression, scope) for each call site in the module
        (the default, with call None, where a call passes nothing), or just the default when the
        function is never called here. None when a call spreads `*args`/`**kwargs`."""
        function = binding.scope.node
        callers = self.callers(function) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        if not callers:
            default = binding.value
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                default = self._command_line_default(function, binding.name, default)
            return [(None, default, binding.scope)]
        result = []
        for call, bound in callers:
            if any(isinstance(a, ast.Starred) for a in call.args):
                if self._spreads_command_line(call):
                    # `main(*sys.argv[1:])`: run without arguments, the parameters keep their
                    # defaults (as argparse options do)
                    result.append((None, binding.value, binding.scope))
                    continue
                return None
            spread = [k for k in call.keywords if k.arg is None]
            if spread:
                # `main(**kwargs)` with `kwargs = {"batch_size": FLAGS.batch_size, ...}`
                members = self.members(spread[0].value, self.index.scope_of(call), "item") if len(spread) == 1 else None
                if members is None or binding.name not in members or members[binding.name] is None:
                    return None
                value, value_scope = members[binding.name]
                result.append((call, value, value_scope))
                continue
            argument = self.index.argument_for(call, function, binding.name, bound=bound)
            if argument is not None:
                result.append((call, argument, self.index.scope_of(call)))
            else:
                # (`main()` of a click command: the option's default)
                result.append((None, self._command_line_default(function, binding.name, binding.value),
                               binding.scope))
        return result

    def _spreads_command_line(self, call: ast.Call) -> bool:
        """`main(*sys.argv[1:])`: the call's only positional arguments are the command line's."""
        if len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.Starred):
            return False
        spread = call.args[0].value
        if isinstance(spread, ast.Subscript):
            spread = spread.value
        return isinstance(spread, ast.Attribute) and self.index.qualname(spread) == "sys.argv"

    def _command_line_default(self, function, name: str, default: ast.AST | None) -> ast.AST | None:
        """The default a command-line framework gives a command's parameter: click's
        `@click.option("--arch", default="efficientnet_b2")` (the option's name, dashes made
        underscores, or its explicit parameter name), typer's `arch: str = typer.Option("x")`.
        `default` when there is none."""
        scope = self.index.scope_of(function)
        if isinstance(default, ast.Call) and (self.index.qualname(default.func, scope) or "").startswith("typer.") \
                and default.args:
            return default.args[0]
        for decorator in function.decorator_list:
            if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, (ast.Name, ast.Attribute))):
                continue
            if self.index.qualname(decorator.func, scope) not in ("click.option", "click.argument"):
                continue
            declared = [a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            explicit = [d for d in declared if d.isidentifier()]
            if explicit:
                dest = explicit[0]
            else:
                longest = max(declared, key=len, default="")
                dest = longest.lstrip("-").split("/")[0].replace("-", "_").lower()
            if dest == name:
                return next((k.value for k in decorator.keywords if k.arg == "default"), default)
        return default

    def not_taken_by(self, home: "Values", node: ast.AST, function, call: ast.Call) -> bool:
        """`node`, in helper `function` of `home`, lies in a branch of an `if` on one of the
        helper's parameters (`if train:`, `if not train:`, `if path is None:`) that `call` does not
        take, by the value it passes (or leaves at the default)."""
        for ancestor in home.index.ancestors(node):
            if ancestor is function:
                return False
            if not isinstance(ancestor, ast.If):
                continue
            test, negated = ancestor.test, False
            if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                test, negated = test.operand, True
            compared = None
            if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.IsNot))
                    and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None):
                compared, test = test.ops[0], test.left
            if not isinstance(test, ast.Name):
                continue
            binding = home.binding_of(test)
            if binding is None or binding.kind != "param" or binding.scope.node is not function:
                continue
            argument = home.index.argument_for(call, function, test.id)
            if argument is not None:
                value = self.const(argument, self.index.scope_of(call))
            else:
                value = home.const(binding.value, binding.scope) if binding.value is not None else UNKNOWN
            if value is UNKNOWN:
                continue
            truth = (value is None) if isinstance(compared, ast.Is) else (value is not None) \
                if isinstance(compared, ast.IsNot) else bool(value)
            truth = truth != negated
            in_body = any(node is n or any(a is n for a in home.index.ancestors(node)) for n in ancestor.body)
            if in_body != truth:
                return True
        return False

    def imported_assignment(self, expr: ast.AST, scope: Scope | None = None):
        """(the other module's semantic model, the name it assigns) for a name imported from a
        project module that binds it at its top level (`from dataset.celebs import train_loader`
        with `train_loader = DataLoader(...)` there); None otherwise."""
        if not isinstance(expr, ast.Name) or self.project is None:
            return None
        binding = self.binding_of(expr, scope)
        if binding is None and not self.index.lookup(expr.id, scope or self.index.scope_of(expr)):
            # `from crs.data.dataset_maps import *`: the name the star import brings
            qual = self.index.qualname(expr, scope)
            found = self.project.module_value(qual) if qual and qual != expr.id else None
        elif binding is None or binding.kind != "import" or not binding.qualname:
            return None
        else:
            found = self.project.module_value(binding.qualname)
        if found is None:
            return None
        other, assigned = found
        target = next((t for t in getattr(assigned.node, "targets", ()) if isinstance(t, ast.Name)), None)
        return (other, target) if target is not None else None

    def ruled_out(self, node: ast.AST) -> ast.If | None:
        """The `if` of `node`'s function that the values bnlint reads rule out: `if cfg.kind ==
        "group": return nn.GroupNorm(8, c, eps=cfg.eps)` where `cfg.kind` is "batch" (from the
        config file, a default, every caller). None when every `if` around it may run it."""
        child = node
        for ancestor in self.index.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)):
                break
            if isinstance(ancestor, ast.If) and child is not ancestor.test:
                taken = self.const(ancestor.test, self.index.scope_of(ancestor.test))
                if isinstance(taken, bool) and (taken is False and any(child is s for s in ancestor.body)
                                                or taken is True and any(child is s for s in ancestor.orelse)) \
                        and not self._reads_defaults_no_call_confirms(ancestor.test):
                    return ancestor
            child = ancestor
        return None

    def _reads_defaults_no_call_confirms(self, test: ast.AST) -> bool:
        """Whether `test` reads a parameter's default that no call in the project confirms:
        `if norm_layer == "batchnorm":` where `norm_layer=None` is the default of a class's
        `__init__` that nothing here constructs. The default is what the code does when called
        without it, not what it is called with, so it rules no branch out."""
        scope = self.index.scope_of(test)
        for node in ast.walk(test):
            if isinstance(node, (ast.Name, ast.Attribute)):
                for binding in self.uncalled_parameters(node, scope):
                    if not self.external_arguments(binding):
                        return True
        return False

    def guarded_against(self, node: ast.AST, expr: ast.AST, value: Any) -> ast.If | None:
        """The `if` around `node` that cannot be entered when `expr` has `value`: `if
        self.bn_epsilon != 0: BatchNormalization(epsilon=self.bn_epsilon)` with 0, also `if eps:`,
        `if eps > 0:`, and the `else` of `if eps == 0:`. None when no such guard is known."""
        key = ast.dump(expr)
        child = node
        for ancestor in self.index.ancestors(node):
            if isinstance(ancestor, ast.If):
                in_body = any(child is s for s in ancestor.body)
                in_else = any(child is s for s in ancestor.orelse)
                outcome = _test_outcome(ancestor.test, key, value) if in_body or in_else else None
                if outcome is not None and outcome != in_body:
                    return ancestor
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                break
            child = ancestor
        return None

    def given(self, call: ast.Call, name: str, position: int | None = None, scope: Scope | None = None):
        """What `call` gives its parameter `name`: (expression, scope, spread) when it is written
        (by keyword or at `position`) or is a member of a `**dict` the call spreads
        (`model.fit(x, y, **HPARAMS["train"])`, `DataLoader(ds, **cfg.loader)`), spread True then;
        None when nothing gives it; UNKNOWN when a `*args`/`**kwargs` bnlint cannot read may."""
        from bnlint.semantic import call_arg

        scope = scope or self.index.scope_of(call)
        written = call_arg(call, name, position)
        if written is not None:
            return written, scope, False
        if position is not None and any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return UNKNOWN
        for keyword in call.keywords:
            if keyword.arg is not None:
                continue
            members = self.members(keyword.value, scope, "item")
            if members is None:
                return UNKNOWN
            if name in members:
                if members[name] is None:
                    return UNKNOWN  # set on several paths
                value, value_scope = members[name]
                return value, value_scope, True
        return None

    def argument_sites(self, binding: Binding) -> list["ArgumentSite"]:
        """Every value a parameter is given that can be read: each call in this module, and,
        for a module-level function or class, each call in the project's other modules; the
        default (call None) where a call passes nothing or nothing calls it. A call whose
        argument cannot be read (an unknown `**kwargs` spread) is left out, so a rule that needs
        every value must not use this; one looking for a bad value may."""
        cached = self._argument_sites.get(id(binding))
        if cached is None:
            cached = self._argument_sites[id(binding)] = (binding, self._find_argument_sites(binding))
        return cached[1]

    def forwarded_argument_sites(self, binding: Binding, _depth: int = 0) -> list["ArgumentSite"]:
        """`argument_sites`, through parameters that hand theirs on: `def ResNet50(bn_eps=1e-5):
        return ResNet(layers, bn_eps)` called as `ResNet50(bn_eps=0.0)` in another module gives
        `ResNet`'s `bn_eps` that 0.0 (the site is the outermost call). A site whose argument is
        another function's parameter is replaced by that parameter's sites."""
        found: list[ArgumentSite] = []
        for site in self.argument_sites(binding):
            argument = site.argument
            if _depth < 3 and site.call is not None and isinstance(argument, ast.Name):
                outer = site.values.binding_of(argument, site.scope)
                if outer is not None and outer.kind == "param" and outer is not binding \
                        and isinstance(outer.scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    deeper = site.values.forwarded_argument_sites(outer, _depth + 1)
                    if deeper:
                        found.extend(deeper)
                        continue
            found.append(site)
        return found

    def _find_argument_sites(self, binding: Binding) -> list["ArgumentSite"]:
        function = binding.scope.node
        callers = self.callers(function) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        default = ArgumentSite(self, None, binding.value, binding.scope, binding.node)
        sites: list[ArgumentSite] = []
        for call, bound in callers:
            if any(isinstance(a, ast.Starred) for a in call.args):
                continue
            spread = [k for k in call.keywords if k.arg is None]
            argument = self.index.argument_for(call, function, binding.name, bound=bound)
            if argument is not None:
                sites.append(ArgumentSite(self, call, argument, self.index.scope_of(call), call))
            elif len(spread) == 1:
                members = self.members(spread[0].value, self.index.scope_of(call), "item")
                entry = members.get(binding.name) if members else None
                if entry is not None:
                    sites.append(ArgumentSite(self, call, entry[0], entry[1], call))
                else:
                    # `NORMS[kind](c, **spec)` with `spec` the helper's parameter, given a different
                    # mapping by each of its callers: what each gives for the name
                    sites.extend(self._spread_parameter_sites(spread[0].value, call, binding.name))
            elif not spread:
                sites.append(default)
        for other, call, argument in self.external_arguments(binding) or []:
            if argument is not None:
                sites.append(ArgumentSite(other.values, call, argument, other.index.scope_of(call),
                                          self.project.foreign(call, other)))
            elif not any(k.arg is None for k in call.keywords):
                sites.append(default)
        return sites or ([default] if not callers else [])

    def _spread_parameter_sites(self, spread: ast.AST, call: ast.Call, name: str,
                                depth: int = 0) -> list["ArgumentSite"]:
        """For `f(..., **spec)` whose `spec` is (a copy of) the enclosing function's parameter:
        the value each argument site of that parameter gives key `name`, read where it is given,
        through helpers that pass the mapping on as their own parameter (`conv_norm(cin, cout,
        spec)` called with the encoder's and the decoder's spec). Empty when the spread is
        anything else."""
        binding = self._copied_parameter(spread, self.index.scope_of(call))
        if binding is None or id(binding) in self._spreading or depth > 4:
            return []
        self._spreading.add(id(binding))
        try:
            found = []
            for site in self.argument_sites(binding)[:8]:
                if site.call is None or site.argument is None:
                    continue
                members = site.values.members(site.argument, site.scope, "item")
                entry = members.get(name) if members else None
                if entry is not None:
                    found.append(ArgumentSite(site.values, site.call, entry[0], entry[1], site.place))
                elif isinstance(site.argument, ast.Name):
                    found.extend(site.values._spread_parameter_sites(site.argument, site.call, name, depth + 1))
            return found
        finally:
            self._spreading.discard(id(binding))

    def _copied_parameter(self, expr: ast.AST, scope: Scope) -> Binding | None:
        """The parameter a name holds, directly or as a copy (`spec = dict(spec)`, `spec.copy()`,
        `opts = spec`); None otherwise."""
        for _ in range(3):
            binding = self.reaching_binding(expr, scope) if isinstance(expr, ast.Name) else None
            if binding is None or binding.kind not in ("assign", "annassign", "param"):
                return None
            if binding.kind == "param":
                return binding
            value = binding.value
            if isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords and (
                    self.index.qualname(value.func, binding.scope) == "builtins.dict"):
                value = value.args[0]
            elif isinstance(value, ast.Call) and not value.args and isinstance(value.func, ast.Attribute) \
                    and value.func.attr == "copy":
                value = value.func.value
            if not isinstance(value, ast.Name):
                return None
            expr, scope = value, binding.scope
        return None

    def external_arguments(self, binding: Binding) -> list[tuple[object, ast.Call, ast.AST | None]] | None:
        """For a parameter of a module-level function (or of a module-level class's `__init__`)
        that this module never calls: (that module's semantic model, the call, the argument or
        None) for each call in the project's other modules. None when there is no such call."""
        project = self.project
        func = binding.scope.node
        if project is None or not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        owner, bound = func, False
        if self.index.scope_of(func).kind == "class":
            cls = self.index.enclosing_class(func)
            if cls is None or self.index.scope_of(cls) is not self.index.module_scope:
                return None
            if func.name != "__init__":
                # `trainer.train(epoch, train_loader)` on an instance made in another module (also
                # `RunSpec.from_json(path)` on the class: `cls`, like `self`, is not passed)
                decorators = {d.id for d in func.decorator_list if isinstance(d, ast.Name)}
                static = "staticmethod" in decorators
                found = [(other, call, _argument_or_spread(other, call, func, binding.name, not static))
                         for other, call, _ in project.external_method_calls(
                             cls.name, func.name, on_class=bool(decorators & {"classmethod", "staticmethod"}))]
                return found or None
            owner, bound = cls, True
        elif self.index.scope_of(func) is not self.index.module_scope:
            return None
        names = [owner.name]
        if owner is not func:
            # `UNetLearner(model=..., train_loader=...)` elsewhere, with `class UNetLearner(Learner)`
            # here inheriting `Learner.__init__`
            names += [sub.name for sub in self.index.classes
                      if self.index.scope_of(sub) is self.index.module_scope
                      and any(isinstance(b, ast.Name) and b.id == owner.name for b in sub.bases)
                      and not any(isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__init__"
                                  for stmt in sub.body)]
        found = [(other, call, _argument_or_spread(other, call, func, binding.name, bound))
                 for name in names for other, call, _ in project.external_calls(name)]
        for registry in self._registries_holding(owner):
            # `REGISTRY = {"tcn_small": tcn_small}` here, `REGISTRY[cfg["arch"]](**cfg)` there
            found += [(other, call, _argument_or_spread(other, call, func, binding.name, bound))
                      for other, call, _ in project.external_registry_calls(registry)]
        for home, registry in self._decorator_registries(owner):
            # `@register("resnet_small") class ResNetSmall` with `register` of models/registry.py
            # filing it in `MODELS`, called there as `MODELS[name](**cfg)` (or where `MODELS` is
            # imported)
            calls = [(home, call) for call in home.index.calls if isinstance(call.func, ast.Subscript)
                     and isinstance(call.func.value, ast.Name) and call.func.value.id == registry]
            if home.project is not None:
                calls += [(other, call) for other, call, _ in home.project.external_registry_calls(registry)]
            found += [(other, call, _argument_or_spread(other, call, func, binding.name, bound))
                      for other, call in calls[:8]]
        if owner is not func:
            # `hydra.utils.instantiate(cfg.datamodule)` with `_target_: seg.data.CityscapesDataModule`
            for other, call, config in project.external_instantiations(owner.name)[:8]:
                given = next((k.value for k in call.keywords if k.arg == binding.name), None)
                entry = config.get(binding.name)
                found.append((other, call, given if given is not None else entry[0] if entry else None))
        if owner is not func:
            # `class RegressionTrainer(BaseTrainer)` in another module whose `__init__` runs
            # `super().__init__(mlp())` (or `BaseTrainer.__init__(self, mlp())`): what it passes
            for other, sub in project.subclasses_of(owner.name)[:6]:
                for call, call_bound in base_initializer_calls(other, sub, owner.name):
                    found.append((other, call, _argument_or_spread(other, call, func, binding.name, call_bound)))
                if not any(isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__init__"
                           for stmt in sub.body) and sub.name not in names:
                    # `class PetsClassifier(LitModule)` there, without an `__init__` of its own, made
                    # as `PetsClassifier(CONFIG)`: the base's `__init__` gets those arguments
                    # (made in the subclass's own module: a scan of the project for every base
                    # class's subclasses would cost more than it finds)
                    found += [(other, call, _argument_or_spread(other, call, func, binding.name, True))
                              for call in other.index.calls
                              if isinstance(call.func, ast.Name) and call.func.id == sub.name][:8]
        return found or None

    def _decorator_registries(self, definition: ast.AST) -> list[tuple[object, str]]:
        """(the semantic model of another project module, the name of its module-level dict) for
        each decorator of `definition` that is a function of that module filing what it decorates
        in the dict (`def register(name): def deco(cls): MODELS[name] = cls; return cls`)."""
        project = self.project
        if project is None:
            return []
        found = []
        for decorator in getattr(definition, "decorator_list", ()):
            named = decorator.func if isinstance(decorator, ast.Call) else decorator
            qual = self.index.qualname(named, self.index.module_scope) if isinstance(
                named, (ast.Name, ast.Attribute)) else None
            there = project.definition(qual) if qual and "." in qual else None
            if there is None or not isinstance(there[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            home, function = there
            if os.path.abspath(home.path) == os.path.abspath(self.path or ""):
                continue
            names = {node.targets[0].value.id for node in ast.walk(function)
                     if isinstance(node, ast.Assign) and len(node.targets) == 1
                     and isinstance(node.targets[0], ast.Subscript) and isinstance(node.targets[0].value, ast.Name)
                     and any(b.kind in ("assign", "annassign") for b in
                             home.index.module_scope.bindings.get(node.targets[0].value.id, []))}
            found += [(home, name) for name in sorted(names)]
        return found

    def _registries_holding(self, definition: ast.AST) -> list[str]:
        """The module-level dicts whose literal holds `definition` by name (`MODELS = {"tcn":
        tcn_small, ...}`)."""
        found = []
        for node in self.index.tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Dict) and any(
                        isinstance(v, ast.Name) and v.id == definition.name for v in node.value.values)):
                found.append(node.targets[0].id)
        return found

    def _parameter_values(self, binding: Binding, depth: int) -> frozenset | None:
        arguments = self.parameter_arguments(binding)
        if arguments is None:
            return None
        if len(arguments) == 1 and arguments[0][0] is None and self.project is not None:
            # never called in this module: what the project's other modules pass
            # (`Net(batch_size=1)` in the training script for `self.batch_size = batch_size`)
            external = self.external_arguments(binding)
            if external:
                values: set = set()
                for other, _call, argument in external:
                    sub = other.values.possible(argument) if argument is not None else (
                        self.possible(binding.value, binding.scope, depth + 1) if binding.value is not None else None)
                    if sub is None:
                        return None
                    values |= sub
                return frozenset(values)
        values: set = set()
        for _call, expr, scope in arguments:
            sub = self.possible(expr, scope, depth + 1) if expr is not None else None
            if sub is None:
                return None
            values |= sub
        return frozenset(values)

    def _iterated(self, iterable: ast.AST | None, scope: Scope, depth: int) -> frozenset | None:
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            values: set = set()
            for element in iterable.elts:
                sub = self.possible(element, scope, depth + 1)
                if sub is None:
                    return None
                values |= sub
            return frozenset(values)
        if isinstance(iterable, ast.Call) and self.index.qualname(iterable.func, scope) == "builtins.range":
            args = [self.const(a, scope) for a in iterable.args]
            if args and all(isinstance(a, int) and not isinstance(a, bool) for a in args) and not iterable.keywords:
                rng = range(*args)
                if len(rng) <= _MAX_POSSIBLE:
                    return frozenset(rng)
        return None

    # ---- astroid, on demand --------------------------------------------------------------
    def _astroid_const(self, expr: ast.AST) -> Any:
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return UNKNOWN  # `f().x`, `a[0].x`: nothing astroid answers with one value
        qual = self.index.qualname(root)
        first = (qual or root.id).partition(".")[0]
        if first in _ASTROID_DENY_ROOTS or root.id in _ASTROID_DENY_ROOTS:
            return UNKNOWN
        # Only roots astroid can follow to a single definition: a module-level import, class or
        # assignment. A parameter or a loop variable is Uninferable; asking would parse the
        # whole module with astroid for nothing.
        bindings = self.index.lookup(root.id, self.index.scope_of(root))
        if len(bindings) != 1 or bindings[0].kind not in ("import", "class", "assign", "annassign"):
            return UNKNOWN
        node = self._astroid_node(expr)
        if node is None:
            return UNKNOWN
        return _safe_infer_const(node)

    def _astroid_node(self, expr: ast.AST):
        if self._astroid_nodes is None:
            self._astroid_nodes = {}
            try:
                import warnings

                import astroid

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # invalid escapes in the code read are not ours
                    self._astroid_tree = astroid.parse(
                        self.source, module_name=self.index.module_name or "", path=self.path or None
                    )
            except Exception:  # astroid could not build it: no answer rather than a guess
                return None
            for node in self._astroid_tree.nodes_of_class((astroid.nodes.Name, astroid.nodes.Attribute)):
                key = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
                self._astroid_nodes[key] = node
        key = (getattr(expr, "lineno", None), getattr(expr, "col_offset", None),
               getattr(expr, "end_lineno", None), getattr(expr, "end_col_offset", None))
        return self._astroid_nodes.get(key)


def _safe_infer_const(node) -> Any:
    """pylint's safe_infer: one answer, or none."""
    try:
        import astroid

        results = list(itertools.islice(node.infer(), 3))
    except Exception:
        return UNKNOWN
    if len(results) != 1 or results[0] is astroid.Uninferable:
        return UNKNOWN
    result = results[0]
    if isinstance(result, astroid.nodes.Const):
        return result.value
    return UNKNOWN


# Calls that read a YAML/JSON configuration (a text, an open file, or a path).
_CONFIG_LOADERS = frozenset({"yaml.safe_load", "yaml.load", "yaml.full_load", "yaml.unsafe_load", "json.load",
                             "json.loads", "omegaconf.OmegaConf.load", "anyconfig.load", "toml.load",
                             "tomllib.load", "tomli.load"})
# ... of those, the ones given a path (not a text or a stream).
_CONFIG_PATH_LOADERS = frozenset({"omegaconf.OmegaConf.load", "anyconfig.load", "toml.load"})
# `cfg = configparser.ConfigParser(); cfg.read("settings.ini")`, read with `cfg.getfloat(section, key)`.
_INSTANTIATORS = frozenset({"hydra.utils.instantiate", "hydra.utils.call"})
_INI_PARSERS = frozenset({"configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser"})
_INI_GETTERS = {"get": str, "getfloat": float, "getint": int, "getboolean": None}
# Parameter names under which scripts pass their parsed command-line options around.
_NAMESPACE_PARAMETERS = {"args", "opt", "opts", "options", "flags", "FLAGS", "hparams", "hp", "cfg", "config",
                         "params", "a", "arguments", "parsed_args"}
# Objects whose attributes are their constructor's keywords.
_NAMESPACE_CLASSES = {"SimpleNamespace", "Namespace", "EasyDict", "edict", "Munch", "munchify", "ConfigDict",
                      "AttrDict", "Box", "DotMap", "DictConfig"}


_COMPARISONS = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Gt: lambda a, b: a > b,
                ast.GtE: lambda a, b: a >= b, ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
                ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _test_outcome(test: ast.AST, key: str, value: Any) -> bool | None:
    """What an `if` test gives when the expression dumped as `key` has `value`: for the test
    itself (`eps`), its negation, or a comparison with a constant; None otherwise."""
    if ast.dump(test) == key:
        return bool(value)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _test_outcome(test.operand, key, value)
        return None if inner is None else not inner
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _COMPARISONS
            and isinstance(test.comparators[0], ast.Constant)):
        left, right = test.left, test.comparators[0]
        if ast.dump(left) == key:
            try:
                return bool(_COMPARISONS[type(test.ops[0])](value, right.value))
            except TypeError:
                return None
    return None


def entries_read_at(members: dict, key) -> list | None:
    """The (value, scope) entries of a dict's members a subscript with `key` reads: the one
    entry of a known key; for a key only known at run time (`for x, y in loaders[phase]` over
    {"train": ..., "val": ...}) the training entries, since a loop over phases trains with those
    and evaluates the others under another phase (all entries when none is named for training).
    None when that cannot be said."""
    if key is not UNKNOWN:
        entry = members.get(key) if _hashable(key) else None
        return [entry] if entry is not None else None
    if any(entry is None for entry in members.values()) or len(members) > 12:
        return None
    return [v for k, v in members.items() if isinstance(k, str) and "train" in k.lower()] or list(members.values())


def _argparse_dest(call: ast.Call, const) -> str | None:
    """argparse's dest for an add_argument call: `dest=`, else the first long option, else the
    first short one, with dashes made underscores; positional names as they are."""
    for keyword in call.keywords:
        if keyword.arg == "dest":
            dest = const(keyword.value)
            return dest if isinstance(dest, str) else None
    options = [const(a) for a in call.args]
    if not options or not all(isinstance(o, str) for o in options):
        return None
    long = [o for o in options if o.startswith("--")]
    short = [o for o in options if o.startswith("-") and not o.startswith("--")]
    chosen = long[0] if long else short[0] if short else options[0]
    return chosen.lstrip("-").replace("-", "_") or None


def _decorator_name(decorator: ast.AST) -> str:
    """`property` for `@property` and `@functools.cached_property`."""
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Attribute):
        return decorator.attr
    return decorator.id if isinstance(decorator, ast.Name) else ""


def _is_kwargs(binding: Binding) -> bool:
    function = binding.scope.node
    kwarg = getattr(getattr(function, "args", None), "kwarg", None)
    return kwarg is not None and binding.node is kwarg


def _placeholder(binding: Binding) -> bool:
    """`x = None`, or x's place in `a, x = None, None`."""
    value = binding.value
    if binding.kind == "unpack" and isinstance(value, (ast.Tuple, ast.List)) and binding.index is not None \
            and binding.index < len(value.elts):
        value = value.elts[binding.index]
    elif binding.kind not in ("assign", "annassign"):
        return False
    return isinstance(value, ast.Constant) and value.value is None


def _contains(outer: ast.AST, node: ast.AST) -> bool:
    return (getattr(outer, "lineno", 0), getattr(outer, "col_offset", 0)) <= (node.lineno, node.col_offset) and (
        node.end_lineno, node.end_col_offset) <= (getattr(outer, "end_lineno", 0), getattr(outer, "end_col_offset", 0))


def none_defaulted_name(expr: ast.AST) -> ast.Name | None:
    """The name in `default if name is None else name` (or `name if name is not None else
    default`): a parameter whose None means "use the default" and whose other values are passed
    on as they are (`eps=1e-5 if eps is None else eps`)."""
    if not (isinstance(expr, ast.IfExp) and isinstance(expr.test, ast.Compare) and len(expr.test.ops) == 1
            and isinstance(expr.test.left, ast.Name) and isinstance(expr.test.comparators[0], ast.Constant)
            and expr.test.comparators[0].value is None):
        return None
    name = expr.test.left.id
    kept = expr.orelse if isinstance(expr.test.ops[0], ast.Is) else \
        expr.body if isinstance(expr.test.ops[0], ast.IsNot) else None
    return kept if isinstance(kept, ast.Name) and kept.id == name else None


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _exclusive_branches(path: list, other: list) -> bool:
    """Two block paths that part in the two branches of one `if`: a statement in one never runs
    before a statement in the other. (A `try` body and its handler are not exclusive: the body
    may have run up to the binding before the exception.)"""
    for (node_a, field_a), (node_b, field_b) in zip(path, other):
        if node_a is not node_b:
            return False
        if field_a != field_b:
            return isinstance(node_a, ast.If)
    return False


def _reads_command_line(expr: ast.AST, index, scope) -> bool:
    """`sys.argv[1]` (also `int(sys.argv[2])`): a value given on the command line."""
    return any(isinstance(node, ast.Attribute) and node.attr == "argv"
               and index.qualname(node, scope) == "sys.argv" for node in ast.walk(expr))


def _key_passes(test: ast.AST, name: str, key) -> bool | None:
    """Whether `key` passes a comprehension's test on the key variable `name` (`k != "type"`,
    `k not in ("type", "name")`); None when the test is of another form."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name)
            and test.left.id == name):
        return None
    op, right = test.ops[0], test.comparators[0]
    if isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(right, ast.Constant):
        return (key == right.value) == isinstance(op, ast.Eq)
    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (ast.Tuple, ast.List, ast.Set)) \
            and all(isinstance(e, ast.Constant) for e in right.elts):
        return (key in {e.value for e in right.elts}) == isinstance(op, ast.In)
    return None


def attr_is_field(cls: ast.ClassDef, name: str) -> bool:
    return name in _record_fields(cls)


# Bases whose subclasses get a constructor that fills their annotated fields.
_GENERATED_CONSTRUCTOR_BASES = {"typing.NamedTuple", "flax.linen.Module", "flax.linen.module.Module",
                                "pydantic.BaseModel", "equinox.Module"}


def _record_fields(cls: ast.ClassDef) -> list[str]:
    """A dataclass's (NamedTuple's, attrs class's) fields in order, those without a default
    included: the positions of its constructor's arguments (`Spec(64)` fills `channels`, not the
    first field that has a default)."""
    return [stmt.target.id for stmt in cls.body if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
            and "ClassVar" not in ast.dump(stmt.annotation)]


_FLAG_DEFINERS = ("DEFINE_string", "DEFINE_integer", "DEFINE_float", "DEFINE_bool", "DEFINE_boolean",
                  "DEFINE_enum")


def _is_self_attribute(expr: ast.AST) -> bool:
    """`self.norm_layer`: an attribute of the instance a method runs on."""
    return isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"
# `parser.set_defaults(norm='batch', netG='unet_256')` in a file's text: its arguments, then the
# keyword names in them
_SET_DEFAULTS = re.compile(r"\bset_defaults\(([^)]*)\)")
_KEYWORD_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*=(?!=)")
