"""What value an expression has, when the module says so.

Literals, unary minus, constant arithmetic, names and parameter defaults bound to constants
and module globals read inside functions are folded directly from the module's own bindings.
What is left (attributes such as `self.eps`, names imported from other project modules) goes
to astroid, node by node and only when a rule asks; results are cached. astroid builds its
trees from source and is never allowed to import the code it reads.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
from typing import Any

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


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Values:
    def __init__(self, index: ModuleIndex, source: str, path: str | None, project=None):
        self.index = index
        self.project = project  # module summaries of the project: constants of imported modules
        self.source = source
        self.path = path
        self._cache: dict[ast.AST, Any] = {}
        self._astroid_tree = None
        self._astroid_nodes: dict[tuple, Any] | None = None
        self._attributes: dict[ast.ClassDef, dict[str, list]] = {}

    # ---- single values -----------------------------------------------------------------
    def const(self, expr: ast.AST | None, scope: Scope | None = None) -> Any:
        """The constant value of `expr`, or UNKNOWN."""
        if expr is None:
            return UNKNOWN
        cached = self._cache.get(expr, None)
        if cached is not None or expr in self._cache:
            return cached
        self._cache[expr] = UNKNOWN  # guards recursion through self-referencing bindings
        value = self._const(expr, scope or self.index.scope_of(expr), 0)
        self._cache[expr] = value
        return value

    def _const(self, expr: ast.AST, scope: Scope, depth: int) -> Any:
        if depth > 12:
            return UNKNOWN
        if isinstance(expr, ast.Constant):
            return expr.value
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
            if op is None or not is_number(left) or not is_number(right):
                return UNKNOWN
            if isinstance(expr.op, ast.Pow) and abs(right) > 64:
                return UNKNOWN
            try:
                result = op(left, right)
            except (ArithmeticError, ValueError):
                return UNKNOWN
            return result if is_number(result) and not (isinstance(result, float) and math.isnan(result)) else UNKNOWN
        if isinstance(expr, (ast.Tuple, ast.List)):
            items = [self._const(e, scope, depth + 1) for e in expr.elts]
            return UNKNOWN if any(i is UNKNOWN for i in items) else tuple(items)
        if isinstance(expr, ast.Name):
            return self._name(expr, scope, depth)
        if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords:
            if self.index.qualname(expr.func, scope) in _NUMERIC_WRAPPERS:
                inner = self._const(expr.args[0], scope, depth + 1)
                if isinstance(inner, (int, float, str)) and not isinstance(inner, bool):
                    try:
                        return float(inner)
                    except ValueError:
                        return UNKNOWN
            return UNKNOWN
        if isinstance(expr, ast.Attribute):
            if isinstance(expr.value, ast.Name) and expr.value.id == "self":
                return self._self_attribute(expr, depth)
            found, value = self._project_const(self.index.qualname(expr, scope))
            return value if found else self._astroid_const(expr)
        return UNKNOWN

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
        if len(values) != 1:
            return UNKNOWN
        value, scope = values[0]
        return self._const(value, scope, depth + 1)

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
            self._attributes[cls] = cached
        return cached

    def _name(self, expr: ast.Name, scope: Scope, depth: int) -> Any:
        bindings = self.index.lookup(expr.id, scope)
        if bindings and bindings[0].scope is self.index.module_scope:
            bindings = self.index.global_assignments(expr.id)
        if len(bindings) != 1:
            return UNKNOWN
        binding = bindings[0]
        if binding.kind in ("assign", "annassign", "param"):
            if binding.value is None:
                return UNKNOWN
            return self._const(binding.value, binding.scope, depth + 1)
        if binding.kind == "import":
            found, value = self._project_const(binding.qualname)
            return value if found else self._astroid_const(expr)
        return UNKNOWN

    def _project_const(self, qual: str | None) -> tuple[bool, Any]:
        if self.project is None or not qual:
            return False, None
        return self.project.constant_of_qualname(qual)

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
            qual = binding.qualname if binding is not None and binding.kind == "import" else None
        return self.project.constant_origin(qual) if qual else None

    def binding_of(self, expr: ast.Name, scope: Scope | None = None) -> Binding | None:
        """The single binding a name refers to, or None when there are several or none."""
        bindings = self.index.lookup(expr.id, scope or self.index.scope_of(expr))
        if bindings and bindings[0].scope is self.index.module_scope:
            bindings = self.index.global_assignments(expr.id)
        return bindings[0] if len(bindings) == 1 else None

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
        values: set = set()
        for binding in bindings:
            if binding.kind in ("assign", "annassign", "param") and binding.value is not None:
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
                import astroid

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


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
