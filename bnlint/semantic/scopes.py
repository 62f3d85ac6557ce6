"""One walk over a module's `ast`: scopes, bindings, imports, parents, and node indexes.

Everything a rule wants to iterate over (calls, with-blocks, assignments, functions, classes,
loops) is indexed here, so no rule walks the tree itself.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Iterator

SCOPE_NODES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_BUILTINS = frozenset(dir(builtins))
def _framework_layer_class(qualname: str) -> bool:
    """`from keras.layers import *` brings the layer classes: `keras.layers.Activation`."""
    module, _, name = qualname.rpartition(".")
    return module in _LAYER_MODULES and name[:1].isupper()


_LAYER_MODULES = frozenset({"keras.layers", "tensorflow.keras.layers", "torch.nn"})
_FRAMEWORK_ROOTS = frozenset({"tensorflow", "keras", "torch", "numpy", "jax", "flax", "haiku", "tensorlayer",
                              "paddle", "mxnet", "mindspore", "torchvision", "timm", "tf_keras"})

# The spellings the frameworks' own documentation uses for their modules (`import torch.nn as
# nn`, `import tensorflow as tf`), read for names that nothing in the module binds.
_CONVENTIONAL_ALIASES = {
    "tf": "tensorflow", "torch": "torch", "nn": "torch.nn", "keras": "keras", "K": "keras.backend",
    "np": "numpy", "slim": "tensorflow.contrib.slim", "torchvision": "torchvision",
    "DataLoader": "torch.utils.data.DataLoader", "layers": "tensorflow.keras.layers", "random": "random",
}
# Framework modules projects re-export under their usual names (transformers' TF modules take
# `keras` from `modeling_tf_utils`, which picks tf_keras or keras).
_REEXPORTED_FRAMEWORKS = frozenset({"keras", "tf"})
# Layer classes only one framework spells this way.
_KERAS_ONLY_NAMES = frozenset({
    "BatchNormalization", "SyncBatchNormalization", "Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose",
    "Conv3DTranspose", "SeparableConv2D", "DepthwiseConv2D", "Dense", "Input", "GlobalAveragePooling2D",
    "MaxPooling2D", "AveragePooling2D",
})
_TORCH_ONLY_NAMES = frozenset({
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "Conv1d", "Conv2d", "Conv3d",
    "ConvTranspose2d", "Linear",
})
_SHARED_LAYER_NAMES = frozenset({"Sequential", "Model", "Dropout", "ReLU", "Flatten"})


# Node types the walk records or that open a scope; every other node is only walked through.
_INTERESTING = frozenset({
    ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Global,
    ast.Nonlocal, ast.Call, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.For, ast.AsyncFor,
    ast.While, ast.With, ast.AsyncWith, ast.comprehension, ast.ExceptHandler, ast.Subscript,
})
# Shared singleton nodes (contexts, operators) that carry nothing: never visited.
_SKIPPED = frozenset({
    ast.Load, ast.Store, ast.Del, ast.Add, ast.Sub, ast.Mult, ast.MatMult, ast.Div, ast.Mod, ast.Pow,
    ast.LShift, ast.RShift, ast.BitOr, ast.BitXor, ast.BitAnd, ast.FloorDiv, ast.And, ast.Or, ast.Invert,
    ast.Not, ast.UAdd, ast.USub, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot,
    ast.In, ast.NotIn,
})


@dataclass(eq=False)
class Binding:
    """A place where a name gets a value.

    kind: assign | annassign | augassign | unpack | for | comp | param | import | def | class |
    with | global-other | other. `value` is the expression assigned (for `for`: the iterable;
    for `param`: the default or None; for `augassign`: the right-hand side; for `unpack`: the
    whole right-hand side, with `index` the position in the target tuple).
    """

    name: str
    kind: str
    node: ast.AST
    value: ast.expr | None
    scope: "Scope"
    qualname: str | None = None  # for imports
    index: int | None = None  # for unpacking


@dataclass(eq=False)
class Scope:
    node: ast.AST
    kind: str  # module | function | class
    parent: "Scope | None"
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    star_imports: list[str] = field(default_factory=list)

    def add(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<module>" if self.kind == "module" else "<lambda>")


class ModuleIndex:
    """Built by one walk of the tree."""

    def __init__(self, tree: ast.Module, module_name: str | None = None, is_package: bool = False,
                 star_resolver=None):
        self.tree = tree
        # (module, name) -> qualified name, for names a star import of a project module brings
        self.star_resolver = star_resolver
        self._callers: dict[ast.AST, list] = {}
        self._global_names: set[str] | None = None
        self._calls_by_name: dict[str, list[ast.Call]] | None = None
        self._frameworks: set[str] | None = None
        self.module_name = module_name  # dotted, when known: resolves relative imports
        self.is_package = is_package  # an __init__.py: `from .x import y` is relative to itself
        self.parents: dict[ast.AST, ast.AST] = {}
        self.scopes: dict[ast.AST, Scope] = {}
        self.calls: list[ast.Call] = []
        self.withs: list[ast.With | ast.AsyncWith] = []
        self.assigns: list[ast.Assign | ast.AnnAssign | ast.AugAssign] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.classes: list[ast.ClassDef] = []
        self.loops: list[ast.For | ast.AsyncFor | ast.While] = []
        self.subscripts: list[ast.Subscript] = []
        self.module_scope = Scope(tree, "module", None)
        self.scopes[tree] = self.module_scope
        self._walk_body(tree.body, tree, self.module_scope)

    # ---- the walk ----------------------------------------------------------------------
    def _walk_body(self, stmts, parent, scope):
        for stmt in stmts:
            self._visit(stmt, parent, scope)

    def _visit(self, node: ast.AST, parent: ast.AST, scope: Scope) -> None:
        self.parents[node] = parent
        kind = type(node)
        if kind is ast.Name or kind is ast.Constant:  # most nodes: leaves (a Name's only child is its ctx)
            return
        if kind is ast.Attribute:  # the next most common: nothing to record, one child that matters
            self._visit(node.value, node, scope)
            return
        if kind not in _INTERESTING:
            for child in ast.iter_child_nodes(node):
                if type(child) not in _SKIPPED:
                    self._visit(child, node, scope)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions.append(node)
            scope.add(Binding(node.name, "def", node, None, scope))
            for deco in node.decorator_list:
                self._visit(deco, node, scope)
            self._visit_arguments_defaults(node.args, node, scope)
            if node.returns is not None:
                self._visit(node.returns, node, scope)
            inner = self._new_scope(node, "function", scope)
            self._bind_params(node.args, inner)
            self._walk_body(node.body, node, inner)
            return
        if isinstance(node, ast.Lambda):
            self._visit_arguments_defaults(node.args, node, scope)
            inner = self._new_scope(node, "function", scope)
            self._bind_params(node.args, inner)
            self._visit(node.body, node, inner)
            return
        if isinstance(node, ast.ClassDef):
            self.classes.append(node)
            scope.add(Binding(node.name, "class", node, None, scope))
            for child in (*node.decorator_list, *node.bases, *node.keywords):
                self._visit(child, node, scope)
            inner = self._new_scope(node, "class", scope)
            self._walk_body(node.body, node, inner)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.add(Binding(alias.asname, "import", node, None, scope, qualname=alias.name))
                else:
                    top = alias.name.partition(".")[0]
                    scope.add(Binding(top, "import", node, None, scope, qualname=top))
            return
        if isinstance(node, ast.ImportFrom):
            module = self._absolute_module(node)
            for alias in node.names:
                if alias.name == "*":
                    scope.star_imports.append(module)
                    continue
                local = alias.asname or alias.name
                scope.add(Binding(local, "import", node, None, scope, qualname=f"{module}.{alias.name}"))
            return
        if isinstance(node, ast.Global):
            scope.global_names.update(node.names)
            return
        if isinstance(node, ast.Nonlocal):
            scope.nonlocal_names.update(node.names)
            return
        if isinstance(node, ast.Call):
            self.calls.append(node)
        elif isinstance(node, ast.Assign):
            self.assigns.append(node)
            for target in node.targets:
                self._bind_target(target, node, node.value, scope)
        elif isinstance(node, ast.AnnAssign):
            self.assigns.append(node)
            if node.value is not None:
                self._bind_target(node.target, node, node.value, scope, kind="annassign")
        elif isinstance(node, ast.AugAssign):
            self.assigns.append(node)
            if isinstance(node.target, ast.Name):
                scope.add(Binding(node.target.id, "augassign", node, node.value, scope))
        elif isinstance(node, ast.NamedExpr):
            self._bind_target(node.target, node, node.value, scope)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.loops.append(node)
            self._bind_target(node.target, node, node.iter, scope, kind="for")
        elif isinstance(node, ast.While):
            self.loops.append(node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            self.withs.append(node)
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, node, item.context_expr, scope, kind="with")
        elif isinstance(node, ast.comprehension):
            self._bind_target(node.target, node, node.iter, scope, kind="comp")
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.add(Binding(node.name, "other", node, None, scope))
        elif isinstance(node, ast.Subscript):
            self.subscripts.append(node)
        for child in ast.iter_child_nodes(node):
            if type(child) not in _SKIPPED:
                self._visit(child, node, scope)

    def _new_scope(self, node, kind, parent_scope) -> Scope:
        scope = Scope(node, kind, parent_scope)
        self.scopes[node] = scope
        return scope

    def _visit_arguments_defaults(self, args: ast.arguments, owner, scope):
        for default in (*args.defaults, *(d for d in args.kw_defaults if d is not None)):
            self._visit(default, owner, scope)

    def _bind_params(self, args: ast.arguments, scope: Scope):
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            scope.add(Binding(arg.arg, "param", arg, default, scope))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            scope.add(Binding(arg.arg, "param", arg, default, scope))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                scope.add(Binding(arg.arg, "param", arg, None, scope))

    def _bind_target(self, target, node, value, scope, kind="assign"):
        if isinstance(target, ast.Name):
            scope.add(Binding(target.id, kind, node, value, scope))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for i, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    element = element.value
                if isinstance(element, ast.Name):
                    scope.add(Binding(element.id, "unpack" if kind == "assign" else kind, node, value, scope, index=i))
                elif (kind == "for" and i == 1 and len(target.elts) == 2 and isinstance(value, ast.Call)
                      and isinstance(value.func, ast.Name) and value.func.id == "enumerate" and value.args):
                    # `for i, (a, b) in enumerate(zip(xs, ys))`: `(a, b)` runs over `zip(xs, ys)`
                    self._bind_target(element, node, value.args[0], scope, kind="for")
                else:
                    self._bind_target(element, node, None, scope, kind="other")

    def _absolute_module(self, node: ast.ImportFrom) -> str:
        module = node.module or ""
        if not node.level:
            return module
        if self.module_name:
            package = self.module_name.split(".")
            # A module's own package is its name without the last part (level 1); a package's
            # __init__ is its own package.
            base = package[: len(package) - node.level + (1 if self.is_package else 0)]
            return ".".join(p for p in (*base, module) if p)
        return "." * node.level + module

    # ---- queries -----------------------------------------------------------------------
    def scope_of(self, node: ast.AST) -> Scope:
        """The innermost scope whose body holds `node` (a def's own scope for its body)."""
        current = self.parents.get(node)
        child = node
        while current is not None:
            scope = self.scopes.get(current)
            if scope is not None:
                # Decorators, defaults and bases belong to the enclosing scope.
                if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child not in current.body:
                    current, child = self.parents.get(current), current
                    continue
                return scope
            child, current = current, self.parents.get(current)
        return self.module_scope

    def result_discarded(self, call: ast.Call) -> bool:
        """The call is a statement of its own: what it returns is thrown away (`base(Input(shape),
        training=True)` only to create the model's variables before `load_weights`)."""
        return isinstance(self.parents.get(call), ast.Expr)

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        scope = self.scope_of(node)
        while scope is not None and scope.kind != "module":
            if isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return scope.node
            scope = scope.parent
        return None

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, ast.ClassDef):
                return current
            current = self.parents.get(current)
        return None

    def statement_of(self, node: ast.AST) -> ast.stmt | None:
        """The statement that holds `node` (itself, when it is one)."""
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parents.get(current)
        return current

    def unreachable(self, node: ast.AST) -> bool:
        """`node` sits after a `return`/`raise`/`break`/`continue` of its block (or of an
        enclosing block of its function): dead code, such as a `model.train()` left after the
        `return` of an accuracy helper."""
        statement = self.statement_of(node)
        while statement is not None and not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                    ast.ClassDef, ast.Module)):
            parent = self.parents.get(statement)
            for block_name in ("body", "orelse", "finalbody"):
                block = getattr(parent, block_name, None)
                position = next((i for i, s in enumerate(block) if s is statement), None) \
                    if isinstance(block, list) else None
                if position is not None and any(isinstance(s, (ast.Return, ast.Raise, ast.Break, ast.Continue))
                                                for s in block[:position]):
                    return True
            statement = parent
        return False

    def module_alias(self, *modules: str) -> str | None:
        """The name the module binds to the first of `modules` it imports (`tf` for `import
        tensorflow.compat.v1 as tf`), for code a fix writes."""
        for wanted in modules:
            for name, bindings in self.module_scope.bindings.items():
                if any(b.kind == "import" and b.qualname == wanted for b in bindings):
                    return name
        return None

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def lookup(self, name: str, scope: Scope) -> list[Binding]:
        """The bindings `name` can refer to from `scope` (Python's LEGB, class bodies skipped)."""
        if name in scope.global_names:
            return self.global_assignments(name)
        start = scope
        while scope is not None:
            if scope.kind == "class" and scope is not start:
                scope = scope.parent
                continue
            found = scope.bindings.get(name)
            if found and name not in scope.nonlocal_names:
                if scope is self.module_scope and name in self._global_writes():
                    return self.global_assignments(name)
                return found
            scope = scope.parent
        # a module global only a function assigns (`global args; args = parser.parse_args()`)
        return self.global_assignments(name) if name in self._global_writes() else []

    def _global_writes(self) -> set[str]:
        """Names that functions assign through `global name`."""
        if self._global_names is None:
            self._global_names = {name for scope in self.scopes.values() if scope is not self.module_scope
                                  for name in scope.global_names if name in scope.bindings}
        return self._global_names

    def _import_fallback(self, bindings: list[Binding]) -> Binding | None:
        """`try: from apex import SyncBatchNorm as BN` / `except ImportError: BN = nn.BatchNorm2d`:
        a name bound in a `try` body and again in its handler is read as the handler's binding,
        the fallback meant to behave the same (and the one bnlint can know)."""
        trys = set()
        in_handler = []
        for binding in bindings:
            statement = binding.node
            parent = self.parents.get(statement)
            while parent is not None and not isinstance(parent, ast.Try):
                if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
                    return None
                statement, parent = parent, self.parents.get(parent)
            if parent is None:
                return None
            trys.add(id(parent))
            if statement in parent.handlers:
                in_handler.append(binding)
            elif statement not in parent.body:
                return None
        if len(trys) != 1 or len(in_handler) != 1 or in_handler[0].kind not in ("assign", "import"):
            return None
        return in_handler[0]

    def _first_of_guarded_imports(self, bindings: list[Binding]) -> Binding | None:
        """`try: import tensorflow.keras as keras` / `except ImportError: try: import keras` /
        `except ImportError: keras = None`: nested import fallbacks (a `None` when nothing is
        installed) mean the first import, the one tried first, where the name is used."""
        imports = [b for b in bindings if b.kind == "import"]
        if not imports or any(b.kind != "import" and not (b.kind == "assign" and isinstance(b.value, ast.Constant)
                                                          and b.value.value is None) for b in bindings):
            return None
        for binding in bindings:
            if not any(isinstance(a, ast.Try) for a in self.ancestors(binding.node)):
                return None
        return min(imports, key=lambda b: (b.node.lineno, b.node.col_offset))

    def _last_import(self, bindings: list[Binding], use: ast.Name) -> Binding | None:
        """`import hetu.nn as nn` then `import torch.nn as nn`: a name imported several times by
        statements of the module's own body means, where it is used, the last import that ran:
        the last one above a module-level use, the last of all in a function (which runs after
        the module's imports)."""
        if not all(b.kind == "import" and isinstance(self.parents.get(b.node), ast.Module) for b in bindings):
            return None
        in_function = any(isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                          for a in self.ancestors(use))
        ran = [b for b in bindings if in_function or b.node.lineno < use.lineno]
        return max(ran, key=lambda b: b.node.lineno) if ran else None

    def global_assignments(self, name: str) -> list[Binding]:
        """Module-level bindings of `name` plus those made through `global name` in functions."""
        result = list(self.module_scope.bindings.get(name, []))
        for scope in self.scopes.values():
            if scope is not self.module_scope and name in scope.global_names:
                result.extend(scope.bindings.get(name, []))
        return result

    def qualname(self, expr: ast.AST, scope: Scope | None = None, _depth: int = 0) -> str | None:
        """The dotted name an expression refers to through the imports, or None.

        `L.BatchNormalization` with `import tensorflow.keras.layers as L` gives
        `tensorflow.keras.layers.BatchNormalization`; a local alias `L = tf.keras.layers`
        is followed when it is the name's only binding.
        """
        if _depth > 8:
            return None
        if scope is None:
            scope = self.scope_of(expr)
        if isinstance(expr, ast.Attribute):
            base = self.qualname(expr.value, scope, _depth + 1)
            return f"{base}.{expr.attr}" if base else None
        if not isinstance(expr, ast.Name):
            return None
        bindings = self.lookup(expr.id, scope)
        if not bindings:
            if expr.id in _BUILTINS:
                return f"builtins.{expr.id}"
            return self._star_candidate(expr.id, scope) or self._conventional_name(expr.id)
        if len(bindings) > 1:
            # `config = reload(config)` (importlib.reload): the same module, reloaded
            bindings = [b for b in bindings if not _reloads(b)] or bindings
        if len(bindings) > 1:
            fallback = self._import_fallback(bindings) or self._last_import(bindings, expr) \
                or self._first_of_guarded_imports(bindings)
            if fallback is not None:
                bindings = [fallback]
        names = set()
        for binding in bindings:
            if binding.kind == "import":
                imported = binding.qualname or ""
                last = imported.rpartition(".")[2]
                if last in _REEXPORTED_FRAMEWORKS and imported.partition(".")[0] not in _FRAMEWORK_ROOTS:
                    # `from .modeling_tf_utils import keras`: a package's compatibility shim
                    # handing the framework on under its usual name
                    imported = _CONVENTIONAL_ALIASES[last]
                names.add(imported)
            elif binding.kind in ("assign", "annassign") and isinstance(binding.value, (ast.Name, ast.Attribute)):
                names.add(self.qualname(binding.value, binding.scope, _depth + 1))
            else:
                return None
        if len(names) == 1:
            return names.pop()
        return None

    def call_sites(self, func: ast.AST) -> list[ast.Call]:
        """Calls in this module of a function defined at module level (by its plain name)."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return []
        if self.scope_of(func) is not self.module_scope:
            return []
        bindings = self.module_scope.bindings.get(func.name, [])
        if len(bindings) != 1 or bindings[0].node is not func:
            return self._calls_of_redefined(func, bindings)
        return [c for c in self.calls_named(func.name) if isinstance(c.func, ast.Name)
                and self.lookup(func.name, self.scope_of(c)) == bindings]

    def _calls_of_redefined(self, func, bindings) -> list[ast.Call]:
        """A function defined again further down (a notebook's later cell redefines `validate`):
        the module-level calls between this definition and the next, and for the last
        definition the calls inside functions (they run once the module is loaded). Only when
        every binding of the name is a statement of the module's body, so the order is the order
        they run in."""
        body = self.module_scope.node.body if isinstance(self.module_scope.node, ast.Module) else []
        statements = {id(stmt) for stmt in body}
        if not bindings or any(id(b.node) not in statements for b in bindings) or id(func) not in statements:
            return []
        starts = sorted(b.node.lineno for b in bindings)
        later = [line for line in starts if line > func.lineno]
        end = later[0] if later else float("inf")
        found = [c for c in self.calls_named(func.name) if isinstance(c.func, ast.Name)
                 and self.scope_of(c) is self.module_scope and func.end_lineno < c.lineno < end]
        if not later:
            # the last definition: what functions of the module call once it is loaded (`main()`
            # run under `__main__`, after an imported `load_config` was defined again here)
            found += [c for c in self.calls_named(func.name) if isinstance(c.func, ast.Name)
                      and self.scope_of(c) is not self.module_scope
                      and self.lookup(func.name, self.scope_of(c)) == bindings]
        return found

    def calls_named(self, name: str) -> list[ast.Call]:
        """Calls whose callee is spelled `name` or `x.name`."""
        if self._calls_by_name is None:
            index: dict[str, list[ast.Call]] = {}
            for call in self.calls:
                func = call.func
                key = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
                if key is not None:
                    index.setdefault(key, []).append(call)
            self._calls_by_name = index
        return self._calls_by_name.get(name, [])

    def local_callee(self, call: ast.Call) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool] | None:
        """The module's own function a call runs, and whether the call is bound: `helper(...)`
        for a module-level def, `self.method(...)` for a method of the enclosing class."""
        return self.local_function(call.func, call)

    def functions_handed_on(self, call: ast.Call) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        """The module's own functions a call is given to run: `strategy.run(self.train_step,
        args=(x, y))`, `tf.function(train_step)`, `executor.submit(step, batch)`."""
        found = []
        for argument in (*call.args, *(k.value for k in call.keywords)):
            if isinstance(argument, (ast.Name, ast.Attribute)):
                function = self.local_function(argument, call)
                if function is not None:
                    found.append(function[0])
        return found

    def local_function(self, func: ast.AST, at: ast.AST) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool] | None:
        """The module's own function `func` names where `at` is, and whether it is bound."""
        call = at
        if isinstance(func, ast.Name) and func.id == "self" and isinstance(call, ast.Call) and call.func is func:
            # `self(x)` in a class that defines `__call__` (a runner wrapping its model) runs it
            cls = self.enclosing_class(call)
            method = next((stmt for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and stmt.name == "__call__"), None) if cls is not None else None
            return (method, True) if method is not None else None
        if isinstance(func, ast.Name):
            bindings = self.lookup(func.id, self.scope_of(call))
            if len(bindings) == 1 and bindings[0].kind == "def":
                return bindings[0].node, False
            definition = self.definition_before_rebinding(bindings, func) or self._definition_in_force(bindings, call)
            if isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return definition, False
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
            cls = self.enclosing_class(call)
            if cls is None:
                return None
            method = next((stmt for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and stmt.name == func.attr), None)
            if method is None or _abstract(method):
                # a template method: the base class's `train_step` calls `self.forward(x)`, which
                # the one subclass of the module defines
                overrides = [stmt for sub in self.classes if any(isinstance(b, ast.Name) and b.id == cls.name
                                                                 for b in sub.bases)
                             for stmt in sub.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                             and stmt.name == func.attr]
                if len(overrides) == 1:
                    return overrides[0], True
            if method is not None:
                return method, True
        return None

    def _definition_in_force(self, bindings: list[Binding], call: ast.AST) -> ast.AST | None:
        """A module-level name bound by several statements of the module's body (an imported
        `load_config` defined again here, a notebook cell redefining `validate`): the binding a
        module-level call sees is the last one above it; a call inside a function runs once the
        module is loaded and sees the last one. None unless that binding is a def."""
        body = self.module_scope.node.body if isinstance(self.module_scope.node, ast.Module) else []
        statements = {id(stmt) for stmt in body}
        if len(bindings) < 2 or any(b.scope is not self.module_scope or id(b.node) not in statements
                                    for b in bindings) or not hasattr(call, "lineno"):
            return None
        ordered = sorted(bindings, key=lambda b: b.node.lineno)
        if self.scope_of(call) is self.module_scope:
            above = [b for b in ordered if b.node.lineno < call.lineno]
            chosen = above[-1] if above else None
        else:
            chosen = ordered[-1]
        return chosen.node if chosen is not None and chosen.kind == "def" else None

    @staticmethod
    def definition_before_rebinding(bindings: list[Binding], use: ast.AST) -> ast.AST | None:
        """`def generator(): ...` then `generator = generator()`: the one def or class of a name
        that is rebound by assignment only after `use` (in the def's own scope), else None."""
        definitions = [b for b in bindings if b.kind in ("def", "class")]
        if len(definitions) != 1 or len(bindings) == 1 or not hasattr(use, "lineno"):
            return None
        definition = definitions[0]
        if definition.node.lineno >= use.lineno:
            return None
        if all(b.kind in ("assign", "annassign") and b.scope is definition.scope and b.node.lineno >= use.lineno
               for b in bindings if b is not definition):
            return definition.node
        return None

    def callers(self, func: ast.AST) -> list[tuple[ast.Call, bool]]:
        """The calls of a function or method in this module, each with whether it is bound (the
        first parameter is not among the call's arguments): module functions by name, methods
        through `self.name(...)` in their class, `__init__` through the class name."""
        cached = self._callers.get(func)
        if cached is None:
            cached = self._callers[func] = self._find_callers(func)
        return cached

    def _find_callers(self, func: ast.AST) -> list[tuple[ast.Call, bool]]:
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return []
        scope = self.scope_of(func)
        if scope is self.module_scope:
            return [(call, False) for call in self.call_sites(func)]
        if scope.kind == "function":  # a helper defined inside a function: called by its name there
            bindings = scope.bindings.get(func.name, [])
            if len(bindings) != 1 or bindings[0].node is not func:
                return []
            return [(c, False) for c in self.calls_named(func.name) if isinstance(c.func, ast.Name)
                    and self.lookup(func.name, self.scope_of(c)) == bindings]
        if scope.kind != "class":
            return []
        cls = scope.node
        if func.name == "__init__":
            found = []
            # the class's constructor calls, and those of its subclasses here that inherit this
            # `__init__` (`class T(Base): ...` built as `T(model)`)
            for made in [cls] + [sub for sub in self.classes
                                 if any(isinstance(b, ast.Name) and b.id == cls.name for b in sub.bases)
                                 and not any(isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                                             and stmt.name == "__init__" for stmt in sub.body)]:
                bindings = self.module_scope.bindings.get(made.name, [])
                if len(bindings) != 1 or bindings[0].node is not made:
                    continue
                found.extend((c, True) for c in self.calls_named(made.name) if isinstance(c.func, ast.Name)
                             and self.lookup(made.name, self.scope_of(c)) == bindings)
            return found
        found = []
        for c in self.calls_named(func.name):
            if not isinstance(c.func, ast.Attribute):
                continue
            if (isinstance(c.func.value, ast.Call) and isinstance(c.func.value.func, ast.Name)
                    and c.func.value.func.id == cls.name):
                found.append((c, True))  # `Pix2Pix(epochs).train(ds)`
                continue
            if not isinstance(c.func.value, ast.Name):
                continue
            receiver = c.func.value.id
            if receiver == "self" and self.enclosing_class(c) is cls:
                found.append((c, True))
                continue
            # `gan = GAN(); gan.train(epochs=100, batch_size=1)`
            bindings = self.lookup(receiver, self.scope_of(c))
            if (len(bindings) == 1 and bindings[0].kind in ("assign", "annassign")
                    and isinstance(bindings[0].value, ast.Call) and isinstance(bindings[0].value.func, ast.Name)
                    and bindings[0].value.func.id == cls.name):
                found.append((c, True))
        return found

    @staticmethod
    def keywords_into_kwargs(call: ast.Call, func: ast.AST) -> list[str] | None:
        """The keyword names a call puts into `func`'s `**kwargs` (those naming no parameter of
        its own); None when the call spreads a dict (`**options`), whose keys cannot be read here."""
        args = func.args
        named = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        if any(k.arg is None for k in call.keywords):
            return None
        return [k.arg for k in call.keywords if k.arg not in named]

    @staticmethod
    def argument_for(call: ast.Call, func: ast.AST, param: str, bound: bool = False) -> ast.expr | None:
        """The expression a call passes for parameter `param` of `func` (None: default/unknown).
        bound: the call goes through an instance or class (`self.f(x)`, `Net(x)` for
        `__init__`), so the first parameter is not among the call's arguments."""
        args = func.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        if bound and positional and not _is_staticmethod(func):  # a static method binds no `self`
            positional = positional[1:]
        for keyword in call.keywords:
            if keyword.arg == param:
                return keyword.value
        if param in positional:
            position = positional.index(param)
            if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                return call.args[position]
        return None

    def _conventional_name(self, name: str) -> str | None:
        """What a name bound nowhere in the module conventionally means.

        Code posted in issues and Q&A threads, notebook excerpts and files that take their
        names from `from utils import *` of a module that is not there use `tf`, `nn` and
        `BatchNorm2d` without importing them. A name with no binding at all cannot be anything
        the module defined, so the community's spelling is the best reading: `nn.BatchNorm2d`
        is `torch.nn.BatchNorm2d`. Bare class names are read only in a module without star
        imports, which may define them. Names both frameworks use (`Sequential`, `Dropout`) are read
        only when the module's imports name exactly one of the two frameworks.
        """
        alias = _CONVENTIONAL_ALIASES.get(name)
        if alias is not None:
            return alias
        if any(scope.star_imports for scope in self.scopes.values()):
            return None  # `from tensorlayer.layers import *` brings a `Conv2d` of its own
        if name in _KERAS_ONLY_NAMES:
            return f"tensorflow.keras.layers.{name}"
        if name in _TORCH_ONLY_NAMES:
            return f"torch.nn.{name}"
        if name in _SHARED_LAYER_NAMES:
            frameworks = self.imported_frameworks()
            if frameworks == {"torch"} and name != "Model":
                return f"torch.nn.{name}"
            if frameworks == {"keras"}:
                return f"tensorflow.keras.{'' if name in ('Sequential', 'Model') else 'layers.'}{name}"
        return None

    def imported_frameworks(self) -> set[str]:
        """"keras" (TensorFlow, Keras) and/or "torch": the frameworks the module imports."""
        if self._frameworks is None:
            roots = set()
            for scope in self.scopes.values():
                for bindings in scope.bindings.values():
                    for binding in bindings:
                        if binding.kind == "import" and binding.qualname:
                            roots.add(binding.qualname.partition(".")[0])
                roots.update(m.partition(".")[0] for m in scope.star_imports)
            self._frameworks = {"keras" if root in ("tensorflow", "keras", "tf_keras") else root
                                for root in roots if root in ("tensorflow", "keras", "tf_keras", "torch")}
        return self._frameworks

    def _star_candidate(self, name: str, scope: Scope) -> str | None:
        from bnlint import catalogue

        modules = []
        while scope is not None:
            modules.extend(scope.star_imports)
            scope = scope.parent
        # layer modules first: `from keras.models import *` also brings names, but not Conv2D
        for module in sorted(modules, key=lambda m: m not in _LAYER_MODULES):
            candidate = f"{module}.{name}"
            if module in _LAYER_MODULES and module != "torch.nn" and name in ("Model", "Sequential"):
                continue  # not among what `from keras.layers import *` brings
            if (catalogue.lookup(candidate) or catalogue.keras_or_torch_class(candidate)
                    or catalogue.biased_layer(candidate) or _framework_layer_class(candidate)):
                return candidate
        # `from .unet_parts import *` of a module of the project: what that module's summary
        # says the name is (a class of its own, or a name it imports, such as `nn`).
        if self.star_resolver is not None:
            for module in modules:
                if module.partition(".")[0] not in _FRAMEWORK_ROOTS:
                    found = self.star_resolver(module, name)
                    if found:
                        return found
        return None


def _reloads(binding: Binding) -> bool:
    """`name = reload(name)` / `name = importlib.reload(name)`."""
    value = binding.value
    return (binding.kind == "assign" and isinstance(value, ast.Call) and len(value.args) == 1
            and isinstance(value.args[0], ast.Name) and value.args[0].id == binding.name
            and isinstance(value.func, (ast.Name, ast.Attribute))
            and (value.func.attr if isinstance(value.func, ast.Attribute) else value.func.id) == "reload")


def _is_staticmethod(func: ast.AST) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in getattr(func, "decorator_list", ()))


def _abstract(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A method with no body of its own: `raise NotImplementedError`, `pass`, `...` (after a
    docstring)."""
    body = [stmt for stmt in function.body
            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
    if not body:
        return True
    if len(body) != 1:
        return False
    stmt = body[0]
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False
