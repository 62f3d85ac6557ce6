"""Batch sources: how many examples a training step sees, where the code says so.

- PyTorch `DataLoader(...)`: its `batch_size` (keyword, position 1, or a `**kwargs` dict the
  module spells out); absent, it is PyTorch's default of 1
  (https://pytorch.org/docs/stable/data.html#torch.utils.data.DataLoader: batch_size=1). A
  `batch_sampler` or `batch_size=None` leaves the size to something else: unknown.
- tf.data pipelines: the `.batch(n)` / `.padded_batch(n)` that is applied last in the chain,
  through names bound more than once (`ds = ds.shuffle(100).batch(1)`).
- The loader a training loop iterates is found through names, `self.loader` and parameters
  (the arguments at the calls of its function).
Values go through `values` (argparse defaults, config members, parameters at call sites).
"""

from __future__ import annotations

import ast
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bnlint.semantic.configfiles import ConfigValue
from bnlint.semantic.scopes import Scope
from bnlint.semantic.values import UNKNOWN, ForeignObject, entries_read_at

if TYPE_CHECKING:  # pragma: no cover
    from bnlint.semantic import SemanticModel


# Calls that hand on the batches of their (first) argument: `for i, (x, y) in enumerate(tqdm(loader))`.
_ITERATION_WRAPPERS = {"enumerate", "tqdm", "iter", "zip", "trange", "experimental_distribute_dataset",
                       "distribute_datasets_from_function",
                       "islice"}  # `itertools.islice(loader, start_iter, None)`: resuming mid-epoch


def iterated(expr: ast.expr) -> list[ast.expr]:
    """What a loop's iterable draws its batches from, through iteration wrappers."""
    if isinstance(expr, ast.Call):
        name = expr.func.id if isinstance(expr.func, ast.Name) else (
            expr.func.attr if isinstance(expr.func, ast.Attribute) else None)
        if name in _ITERATION_WRAPPERS and not (isinstance(expr.func, ast.Attribute) and not expr.args):
            # (`ds.repeat().take(n).enumerate()` is the dataset itself, numbered: a method with no
            # arguments wraps nothing)
            found = []
            for argument in expr.args:
                found.extend(iterated(argument))
            return found
    return [expr]


_BATCH_SIZE_NAMES = {"batch_size", "batchsize", "bs", "n_batch", "batch"}


def _stored_parameter(cls: ast.ClassDef | None, attribute: str) -> str | None:
    """The `__init__` parameter a class keeps as `self.<attribute>` (`self.batch_size =
    int(batch_size)` too); None when it keeps none."""
    init = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None) \
        if cls is not None else None
    if init is None:
        return None
    params = {a.arg for a in (*init.args.posonlyargs, *init.args.args, *init.args.kwonlyargs)}
    for node in ast.walk(init):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, value = node.targets[0], node.value
        # (`self.batch_size, self.tile = batch_size, tile` too)
        pairs = list(zip(target.elts, value.elts)) if isinstance(target, ast.Tuple) and isinstance(
            value, ast.Tuple) and len(target.elts) == len(value.elts) else [(target, value)]
        for one, given in pairs:
            if isinstance(given, ast.Call) and isinstance(given.func, ast.Name) and given.func.id == "int" \
                    and len(given.args) == 1:
                given = given.args[0]
            if (isinstance(one, ast.Attribute) and one.attr == attribute and isinstance(one.value, ast.Name)
                    and one.value.id == "self" and isinstance(given, ast.Name) and given.id in params):
                return given.id
    return None


def _method_named(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    return next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == name), None)


def _yields(index, function) -> bool:
    """`function` is a generator (a `yield` of its own, not of a nested function)."""
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) and index.enclosing_function(n) is function
               for n in ast.walk(function))


def _self_batch_sizes(function) -> list[str]:
    """The `self.<batch size>` attributes a method reads (`self.batch_size`, `self.bs`)."""
    return [n.attr for n in ast.walk(function) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id == "self" and n.attr.lower() in _BATCH_SIZE_NAMES]


def _default_of(function: ast.AST, param: str) -> ast.expr | None:
    """The default value of a parameter, positional or keyword-only."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    names = [a.arg for a in positional]
    if param in names:
        index = names.index(param) - (len(names) - len(args.defaults))
        return args.defaults[index] if index >= 0 else None
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        if arg.arg == param:
            return default
    return None


def _names_replay_memory(expr: ast.AST) -> bool:
    """`self.memory`, `replay_buffer`, `self.per_buffer`: a name that says it holds stored
    transitions."""
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""
    return any(word in name.lower() for word in ("memory", "buffer", "replay"))


def _self_attribute(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self"


def _returned_closure(function, index):
    """The nested function `function` returns by name (`return input_fn`), or None."""
    returned = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)
                and index.enclosing_function(n) is function]
    if len(returned) != 1:
        return None
    return next((s for s in function.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and s.name == returned[0].id), None)


def _returned_values(func: ast.AST, index, element: int | None = None) -> list[ast.expr]:
    """What `func` returns; with `element`, the value at that position of the tuples it
    returns (`train_ds, info = make_dataset(...)`)."""
    returns = [node.value for node in ast.walk(func) if isinstance(node, ast.Return) and node.value is not None
               and index.enclosing_function(node) is func]
    if element is None:
        return [value for value in returns if not isinstance(value, ast.Tuple)]
    return [value.elts[element] for value in returns if isinstance(value, ast.Tuple) and element < len(value.elts)
            and not any(isinstance(e, ast.Starred) for e in value.elts)]


# tf.data methods that keep a dataset's batches as they are
_DATASET_PASS_THROUGH = {"repeat", "take", "skip", "enumerate", "shuffle", "prefetch", "cache", "map", "filter",
                         "apply", "with_options"}


@dataclass
class BatchSize:
    value: object  # the number, when known
    node: ast.AST  # where the size is written (or the loader call, for PyTorch's default)
    how: str  # for messages: "batch_size=1", "no batch_size (PyTorch's default is 1)"
    source: ast.Call  # the DataLoader / .batch() call
    # the loader is another module's argument to this module's training function: that module
    # reports it, where the loader is made
    passed_in: bool = False
    # where the value is written when that is neither `node` nor in this module: an option's
    # default in another module (`opt.batchSize` read in the loader's module, `default=1` in
    # options/base_options.py), a typed place
    written: object = None

    def __post_init__(self):
        # an argv list's string (`parse_args(["--batch_size", "1"])`): argparse's `type=int` makes
        # it the number
        if isinstance(self.value, str) and self.value.strip().isdigit():
            self.value = int(self.value)


class BatchSources:
    def __init__(self, model: "SemanticModel"):
        self.model = model
        self.index = model.index

    # ---- PyTorch -------------------------------------------------------------------------
    def _foreign_loader_sizes(self, made: ForeignObject, depth: int) -> list[BatchSize]:
        project = self.model.project
        home = made.home(project)
        if home is None or home is self.model:
            return []
        # the module that makes the loader and calls this module's training function with it
        # reports it there, where it is made (`train_model(model, {"train": loader, ...})`)
        passed_by_maker = any(
            Path(other.path).resolve() == Path(home.path).resolve()
            for function in self.index.module_scope.node.body if isinstance(function, (ast.FunctionDef,
                                                                                       ast.AsyncFunctionDef))
            for other, _call, _bound in project.external_calls(function.name))
        found = []
        for size in home.batches.loader_batch_sizes(made.node, depth + 1):
            found.append(BatchSize(size.value, project.foreign(size.node, home), size.how,
                                   project.foreign(size.source, home), passed_in=passed_by_maker,
                                   written=size.written))
        return found

    def loader_batch_sizes(self, iterable: ast.AST, _depth: int = 0) -> list[BatchSize]:
        """The batch sizes of the DataLoaders an expression a loop iterates can be, also when a
        helper of the module builds and returns the loader (`loader = get_loader(ds, cfg)`)."""
        found = []
        followed = isinstance(iterable, (ast.Name, ast.Attribute, ast.Subscript))
        origins = self.model.values.origins(iterable) if followed else [(iterable, None)]
        if not origins and isinstance(iterable, ast.Name) and _depth < 3:
            # `model, opt, train_dl = accelerator.prepare(model, opt, train_dl)` of a loader a
            # helper of another module returned: the sizes of the loader handed to it
            binding = self.model.values.reaching_binding(iterable)
            passed = self.model.values.passthrough_arguments(binding.value, binding.scope) if (
                binding is not None and binding.kind == "unpack" and isinstance(binding.value, ast.Call)
                and binding.index is not None) else None
            if passed is not None and binding.index < len(passed) and passed[binding.index] is not iterable:
                return self.loader_batch_sizes(passed[binding.index], _depth + 1)
        if not origins and isinstance(iterable, ast.Name):
            # `loader = None` then `if args.dataset == "liver": loader = DataLoader(...)`: the
            # loaders the branches build (None is no loader)
            origins = [(b.value, b.scope) for b in self.model.values.reaching_bindings(iterable)
                       if b.kind in ("assign", "annassign") and b.value is not None
                       and not (isinstance(b.value, ast.Constant) and b.value.value is None)]
        if not origins and isinstance(iterable, ast.Name) and _depth < 3:
            # `train(discrim, gener, train_loader_maps, ...)` with the loader imported (by name or
            # by a star import) from the module that makes it, or unpacked from the tuple another
            # module's helper returns: its sizes, read there
            binding = self.model.values.binding_of(iterable)
            if binding is not None and binding.kind == "param":
                for call, argument, _scope in self.model.values.parameter_arguments(binding) or []:
                    if call is not None and isinstance(argument, ast.Name) and argument is not iterable:
                        # (also `train_loader, val_loader = build_loaders(root)` of another module)
                        found.extend(self.loader_batch_sizes(argument, _depth + 1))
        for origin, scope in origins:
            if isinstance(origin, ForeignObject) and _depth < 3:
                # a loader another module makes and hands over in a container (`trainArgs[
                # "train_loader"]`): its sizes, read there, as places of that module
                found.extend(self._foreign_loader_sizes(origin, _depth))
                continue
            if not isinstance(origin, ast.Call):
                continue
            wrapped = iterated(origin)
            if wrapped != [origin]:
                # `progress = tqdm(train_loader)`, then `for batch in progress`
                if _depth < 3:
                    for inner in wrapped:
                        found.extend(self.loader_batch_sizes(inner, _depth + 1))
                continue
            if self._is_dataloader(origin, scope):
                size = self._loader_size(origin, scope)
                if size is not None:
                    found.append(size)
                continue
            made_by_partial = self._partial_loader_size(origin, scope)
            if made_by_partial is not None:
                found.append(made_by_partial)
                continue
            generated = self.generator_batch_size(origin)
            foreign = self._foreign_generator_size(origin) if generated is None else None
            if generated is not None:
                value = self.model.const(generated)
                text = self.model.text(generated)
                found.append(BatchSize(value, generated, f"a batch size of {text}"
                                       + ("" if text == str(value) else f" (= {value})"), origin))
            elif foreign is not None:
                found.append(foreign)
            elif _depth < 3:
                callee = self.index.local_callee(origin)
                if callee is not None:
                    function, bound = callee
                    for returned in _returned_values(function, self.index):
                        for size in self.loader_batch_sizes(returned, _depth + 1):
                            found.append(self._at_call_site(size, self.model, function, origin, bound))
                else:
                    found.extend(self._project_loader_sizes(origin, scope))
        if not found and isinstance(iterable, (ast.Name, ast.Attribute)) and _depth < 3:
            # `train_loader, val_loader = make_loaders(args)` with the helper in another module
            # (also kept on `self` by a trainer's constructor)
            for call, position, scope in self.model.values.unpacked_from_calls(iterable)[:4]:
                if self.index.local_callee(call) is None:
                    found.extend(self._project_loader_sizes(call, scope, element=position))
        if not found and isinstance(iterable, ast.Name) and _depth < 3:
            # `from dataset.celebs import train_loader`: a loader another module makes at its top
            # level, trained on here (reported at the use, the loader there as evidence)
            found.extend(self._imported_loader_sizes(iterable, _depth))
        if not found and isinstance(iterable, (ast.Name, ast.Attribute)):
            for binding in self.model.values.uncalled_parameters(iterable):
                found.extend(self._external_loader_sizes(binding))
        if not found and isinstance(iterable, ast.Subscript) and isinstance(iterable.value, (ast.Name, ast.Attribute)):
            # `for x, y in dataloaders[phase]` in a training function another module calls with
            # `{"train": train_loader, "val": val_loader}`: the loaders of the keys it can read
            key = self.model.const(iterable.slice)
            for binding in self.model.values.uncalled_parameters(iterable.value):
                found.extend(self._external_loader_sizes(binding, key=key))
        return found

    def _imported_loader_sizes(self, name: ast.Name, depth: int) -> list[BatchSize]:
        """The sizes of a loader imported by name (or by a star import) from a project module
        that makes it at its top level, as places there."""
        imported = self.model.values.imported_assignment(name)
        if imported is None:
            return []
        other, target = imported
        project = self.model.project
        return [BatchSize(size.value, name, f"{size.how}, in {project.display(Path(other.path))}",
                          project.foreign(size.source, other), written=size.written)
                for size in other.batches.loader_batch_sizes(target, depth + 1)]

    def _external_loader_sizes(self, binding, key=None) -> list[BatchSize]:
        """A training function's loader parameter filled by calls in the project's other modules
        (`train(model, loader)` imported and called by a script, `Solver(config, train_loader)`
        keeping it as `self.train_loader`): their DataLoaders' sizes, with the places in that
        module (typed locations, for evidence). With `key`, the parameter is a dict of loaders
        read at that key (any key when it is unknown)."""
        project = self.model.project
        found = []
        for other, call, argument in self.model.values.external_arguments(binding) or []:
            arguments = [argument]
            if key is not None:
                members = other.values.members(argument, other.index.scope_of(call), "item") \
                    if argument is not None else None
                if not members:
                    continue
                arguments = [value for value, _scope in entries_read_at(members, key) or []]
            for argument in arguments:
                if not isinstance(argument, (ast.Name, ast.Attribute, ast.Call)):
                    continue
                for size in other.batches.loader_batch_sizes(argument):
                    found.append(BatchSize(size.value, project.foreign(size.node, other), size.how,
                                           project.foreign(size.source, other), passed_in=True,
                                           written=size.written))
        return found

    def _project_loader_sizes(self, call: ast.Call, scope, element: int | None = None) -> list[BatchSize]:
        """`loader = data.create_loader(args)` with `create_loader` in another module of the
        project returning a DataLoader: its batch sizes as that module reads them (its
        parameters through the calls the project makes), with typed locations there."""
        project = self.model.project
        if project is None or not isinstance(call.func, (ast.Name, ast.Attribute)):
            return []
        sizes = []
        for other, function in self._called_definitions(call, scope)[:4]:
            returned_values = _returned_values(function, other.index, element)
            for returned in returned_values:
                for size in other.batches.loader_batch_sizes(returned, 3):
                    size = self._at_call_site(size, other, function, call, False)
                    if other is self.model:
                        sizes.append(size)
                        continue
                    # a size this call passes, or written in this module (the script's argparse
                    # default read through the namespace it passes), stays a node of this module
                    node = size.node if size.node in self.index.parents else project.foreign(size.node, other)
                    written = self._written_for_this_program(call, size, scope) or size.written
                    sizes.append(BatchSize(size.value, node, size.how, project.foreign(size.source, other),
                                           written=written))
        return sizes

    def _written_for_this_program(self, call: ast.Call, size: BatchSize, scope):
        """Where this module's own options give the size a loader object's method returns
        (`dataset = data_loader.load_data()` with `data_loader = CreateDataLoader(opt)`, the
        loader built from `opt.batchSize`): the member of the namespace this module handed to
        the object's factory, when it has that value. (Other scripts of the project hand the same
        factory their own namespaces; what they write is not this program's.)"""
        if not (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                and isinstance(size.node, ast.Attribute)):
            return None
        binding = self.model.values.binding_of(call.func.value, scope)
        made = binding.value if binding is not None and binding.kind in ("assign", "annassign") else None
        if not isinstance(made, ast.Call):
            return None
        for argument in (*made.args, *(k.value for k in made.keywords)):
            members = self.model.values.members(argument, binding.scope, "attr") if isinstance(
                argument, ast.Name) else None
            entry = members.get(size.node.attr) if members else None
            if entry is not None and self.model.const(entry[0], entry[1]) == size.value:
                return entry[0]
        return None

    def _called_definitions(self, call: ast.Call, scope) -> list[tuple[object, ast.AST]]:
        """(semantic model of its module, function) for what `call` calls: a function of another
        project module, or, for a parameter called as a function (`Trainer(loading_data)`
        calling `dataloader()`), the functions its callers pass, here or in other modules."""
        project = self.model.project
        found = []

        def add(home, expr):
            target = home.models._local_definition(expr, home.index.scope_of(expr)) if isinstance(
                expr, ast.Name) else None
            if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((home, target))
                return
            qual = home.index.qualname(expr, home.index.scope_of(expr)) if isinstance(
                expr, (ast.Name, ast.Attribute)) else None
            definition = project.definition(qual) if qual and project is not None else None
            if definition is not None and isinstance(definition[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append(definition)

        binding = self.model.values.binding_of(call.func) if isinstance(call.func, ast.Name) else None
        if binding is not None and binding.kind == "param":
            for _call, argument, _scope in (self.model.values.parameter_arguments(binding) or [])[:4]:
                if _call is not None and argument is not None:
                    add(self.model, argument)
            for other, _call, argument in (self.model.values.external_arguments(binding) or [])[:4]:
                if argument is not None:
                    add(other, argument)
            return found
        qual = self.index.qualname(call.func, scope or self.index.scope_of(call))
        definition = project.definition(qual) if qual and project is not None else None
        if definition is not None and isinstance(definition[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(definition)
        elif definition is None and isinstance(call.func, ast.Attribute) and project is not None:
            # `dataset = data_loader.load_data()` with `data_loader = CreateDataLoader(opt)` of
            # another module: the method of the object's class (`return self.dataloader`)
            from bnlint.semantic import _method_of_class
            from bnlint.semantic.models import instance_class

            owner = instance_class(self.model.models, call.func.value)
            method = _method_of_class(owner[0].model, owner[1], call.func.attr) if owner is not None else None
            if method is not None:
                found.append((owner[0].model, method))
        return found

    def _at_call_site(self, size: BatchSize, owner, function: ast.AST, call: ast.Call, bound: bool) -> BatchSize:
        """A loader helper's batch size read for one call of the helper: where the size is the
        helper's parameter (`def data_load(path, batch_size): return DataLoader(ds,
        batch_size=batch_size)`), the argument this call passes for it, evaluated here. The same
        helper builds the training loader with `opt.batch_size` and the test loader with
        `batch_size=1`; each call has its own size. `owner` is the semantic model of the module
        that defines `function`. An option read from a parameter (`get_loader(dataset, config)`
        building `batch_size=config.batch_size`) is read from what this call passes (the
        script's argparse namespace), and points where it is written here."""
        if (isinstance(size.node, ast.Attribute) and isinstance(size.node.value, ast.Name)
                and not any(isinstance(a, ast.Starred) for a in call.args)):
            holder = owner.values.binding_of(size.node.value)
            if holder is not None and holder.kind == "param" and holder.scope.node is function:
                argument = self.index.argument_for(call, function, holder.name, bound=bound)
                members = self.model.values.members(argument, self.index.scope_of(call), "attr") if isinstance(
                    argument, (ast.Name, ast.Attribute)) else None
                member = members.get(size.node.attr) if members else None
                if member is not None:
                    written = self.model.values.definition(member[0], member[1]) or member[0]
                    value = self.model.const(member[0], member[1])
                    if value is not UNKNOWN:
                        text = f"{self.model.text(argument)}.{size.node.attr}"
                        return BatchSize(value, written, f"{text} (= {value}), passed to "
                                         f"`{getattr(function, 'name', 'the helper')}`", size.source)
            return size
        if not isinstance(size.node, ast.Name):
            return size
        binding = owner.values.binding_of(size.node)
        if binding is None or binding.kind != "param" or binding.scope.node is not function:
            return size
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and function.args.kwarg is not None \
                and function.args.kwarg.arg == size.node.id:
            return self._forwarded_size(size, function, call)
        argument = self.index.argument_for(call, function, size.node.id, bound=bound)
        if argument is None or any(isinstance(a, ast.Starred) for a in call.args):
            return size
        value = self.model.const(argument, self.index.scope_of(call))
        text = self.model.text(argument)
        name = getattr(function, "name", "the helper")
        how = f"batch_size={text}" if text == str(value) else f"batch_size={text} (= {value})"
        return BatchSize(value, argument, f"{how}, passed to `{name}`", size.source)

    def _forwarded_size(self, size: BatchSize, function, call: ast.Call) -> BatchSize:
        """The batch size a call of a loader helper passes through its `**loader_kw`
        (`build_loader(root, "train", **cfg["train_loader"])`): written, in a dict it spreads, or
        not given at all (PyTorch's default, 1)."""
        scope = self.index.scope_of(call)
        named = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        if "batch_size" in named or "batch_sampler" in named:
            return size
        given = self.model.values.given(call, "batch_size", None, scope)
        name = getattr(function, "name", "the helper")
        if given is None:
            if any(isinstance(a, ast.Starred) for a in call.args) or \
                    self.model.values.given(call, "batch_sampler", None, scope) is not None:
                return size
            return BatchSize(1, call, f"no batch_size passed to `{name}` (PyTorch's default is 1)", size.source)
        if given is UNKNOWN:
            return size
        argument, argument_scope, _spread = given
        value = self.model.const(argument, argument_scope)
        if isinstance(argument, ConfigValue):  # (its place is the size's node: typed evidence)
            return BatchSize(value, argument, f"batch_size: {value} from a config, passed to `{name}`", size.source)
        text = self.model.text(argument)
        how = f"batch_size={text}" if text == str(value) else f"batch_size={text} (= {value})"
        return BatchSize(value, argument, f"{how}, passed to `{name}`", size.source)

    def _loader_partial(self, func: ast.AST, scope: Scope):
        """(semantic model, the `functools.partial(DataLoader, ...)` call) that a name called to
        make a loader stands for: assigned in this module, or imported from another module of
        the project that assigns it at its top level (`make_loader = partial(DataLoader,
        num_workers=4)` in data.py). None otherwise."""
        if not isinstance(func, ast.Name):
            return None
        binding = self.model.values.binding_of(func, scope)
        home, made, made_scope = self.model, None, None
        if binding is not None and binding.kind in ("assign", "annassign") and isinstance(binding.value, ast.Call):
            made, made_scope = binding.value, binding.scope
        elif binding is not None and binding.kind == "import" and binding.qualname and self.model.project is not None:
            found = self.model.project.module_value(binding.qualname)
            if found is not None and isinstance(found[1].value, ast.Call):
                home, made, made_scope = found[0], found[1].value, found[1].scope
        if made is None or home.index.qualname(made.func, made_scope) != "functools.partial" or not made.args:
            return None
        if not home.batches._is_dataloader_class(made.args[0], made_scope):
            return None
        return home, made, made_scope

    def _partial_loader_size(self, call: ast.Call, scope: Scope) -> BatchSize | None:
        """The batch size of `make_loader(ds, shuffle=True)` with `make_loader =
        functools.partial(DataLoader, num_workers=4)`: the call's `batch_size`, else the
        partial's, else PyTorch's default of 1. None when it is not such a call or a spread
        argument or a batch sampler may set it."""
        found = self._loader_partial(call.func, scope)
        if found is None:
            return None
        home, partial, partial_scope = found
        bound = partial.args[1:]
        if any(isinstance(a, ast.Starred) for a in (*bound, *call.args)) or any(
                k.arg is None or k.arg == "batch_sampler" for k in (*partial.keywords, *call.keywords)):
            return None
        positional = [*((a, home, partial_scope) for a in bound), *((a, self.model, scope) for a in call.args)]
        given = next(((k.value, self.model, scope) for k in call.keywords if k.arg == "batch_size"), None) \
            or next(((k.value, home, partial_scope) for k in partial.keywords if k.arg == "batch_size"), None) \
            or (positional[1] if len(positional) > 1 else None)
        name = self.model.text(call.func, 30)
        if given is None:
            if not bound and self._dataset_yields_batches(call, scope):
                return None  # each item is already a batch of the dataset's own size
            return BatchSize(1, call, f"no batch_size in this call or in `{name}`, a functools.partial of "
                                      f"DataLoader (PyTorch's default is 1)", call)
        size, size_home, size_scope = given
        value = size_home.const(size, size_scope)
        text = size_home.text(size)
        node = size if size_home is self.model else self.model.project.foreign(size, size_home)
        return BatchSize(value, node, f"batch_size={text}" + ("" if text == str(value) else f" (= {value})"), call)

    def made_up_tensor(self, expr: ast.AST | None) -> bool:
        """A tensor made up in the code rather than read from data: `torch.randn(1, 3, 32, 32)`,
        `torch.zeros(...)`, a literal `torch.tensor([1])`, also through a name bound to one and
        `.to(device)`-style calls. NumPy and TensorFlow noise counts too (`np.random.random((1, 256,
        256, 3))`, `tf.random.normal(...)`), and their zeros and ones written in place (a name bound to
        `np.zeros(...)` is often a buffer the code fills with data afterwards)."""
        named = False
        for _ in range(4):
            if isinstance(expr, ast.Name):
                named = True
                binding = self.model.values.binding_of(expr)
                if binding is None or binding.kind not in ("assign", "annassign") or binding.value is None:
                    return False
                expr = binding.value
            while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and \
                    expr.func.attr in ("to", "cuda", "float", "half", "long", "unsqueeze", "requires_grad_"):
                expr = expr.func.value  # `torch.randn(...).to(device)`
            if not isinstance(expr, ast.Name):
                break
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, (ast.Name, ast.Attribute))):
            return False
        qual = self.model.qualname(expr.func) or ""
        last = qual.rpartition(".")[2]
        if qual.startswith(("numpy.", "tensorflow.")):
            return qual.startswith(("numpy.random.", "tensorflow.random.")) or \
                not named and qual.count(".") == 1 and last in ("zeros", "ones", "full", "empty")
        if not qual.startswith("torch."):
            return False
        if last in _MADE_UP_TENSORS:
            return True
        # `torch.tensor([1])`, `torch.LongTensor([3])`: a literal
        return last in ("tensor", "Tensor", "LongTensor", "FloatTensor") and bool(expr.args) and all(
            isinstance(n, (ast.Constant, ast.List, ast.Tuple, ast.UnaryOp, ast.USub, ast.Load))
            for n in ast.walk(expr.args[0]))

    def makes_partial_loader(self, call: ast.Call) -> bool:
        """`call` makes a DataLoader through a `functools.partial(DataLoader, ...)` (see
        `_partial_loader_size`)."""
        return self._loader_partial(call.func, self.index.scope_of(call)) is not None

    def _is_dataloader_class(self, expr: ast.AST, scope: Scope) -> bool:
        qual = (self.index.qualname(expr, scope) or "") if isinstance(expr, (ast.Name, ast.Attribute)) else ""
        # (MONAI's DataLoader subclasses PyTorch's and keeps its default batch size of 1)
        return qual.startswith(("torch.", "monai.data")) and qual.rpartition(".")[2] == "DataLoader"

    def _is_dataloader(self, call: ast.Call, scope: Scope) -> bool:
        return self._is_dataloader_class(call.func, scope)

    def _batch_sampler_size(self, sampler: ast.AST, loader: ast.Call, scope: Scope) -> BatchSize | None:
        """`DataLoader(ds, batch_sampler=BatchSampler(sampler, batch_size=1, drop_last=True))`: the
        batch size the `torch.utils.data.BatchSampler` is given (other samplers: unknown)."""
        from bnlint.semantic import call_arg

        made = [(sampler, scope)] if isinstance(sampler, ast.Call) else self.model.values.origins(sampler, scope) \
            if isinstance(sampler, ast.Name) else []
        if len(made) != 1 or not isinstance(made[0][0], ast.Call):
            return None
        built, built_scope = made[0]
        qual = self.index.qualname(built.func, built_scope) if isinstance(built.func, (ast.Name, ast.Attribute)) \
            else None
        if not (qual or "").startswith("torch.") or not qual.endswith(".BatchSampler"):
            return None
        size = call_arg(built, "batch_size", 1)
        if size is None:
            return None
        value = self.model.const(size, built_scope)
        text = self.model.text(size)
        how = f"batch_size={text}" if text == str(value) else f"batch_size={text} (= {value})"
        return BatchSize(value, size, f"a BatchSampler with {how}", loader)

    def _loader_size(self, call: ast.Call, scope: Scope) -> BatchSize | None:
        from bnlint.semantic import call_arg

        keywords = {k.arg for k in call.keywords}
        if "batch_sampler" in keywords:
            return self._batch_sampler_size(next(k.value for k in call.keywords if k.arg == "batch_sampler"),
                                            call, scope)
        given = self.model.values.given(call, "batch_size", 1, scope)
        if given is UNKNOWN:
            forwarded = self._forwarded_keywords(call)
            if forwarded is not None:
                # `def build_loader(root, **loader_kw): return DataLoader(ds, **loader_kw)`: what
                # each call of the helper passes (read there: `_at_call_site`)
                return BatchSize(UNKNOWN, forwarded, "keyword arguments the helper is given", call)
            return None  # a *args/**kwargs bnlint cannot read may set it
        if self._dataset_yields_batches(call, scope):
            return None  # each item is already a batch of the dataset's own size
        if given is None:
            if any(isinstance(a, ast.Starred) for a in call.args) or \
                    self.model.values.given(call, "batch_sampler", None, scope) is not None:
                return None
            return BatchSize(1, call, "no batch_size (PyTorch's default is 1)", call)
        size, size_scope, spread = given
        value = self.model.const(size, size_scope)
        if isinstance(size, ConfigValue):  # `DataLoader(ds, **cfg["loader"])` of a YAML file
            # (a place in a Python module is typed evidence, added by the rule; a config file's
            # line is named in the text)
            where = "" if size.bnlint_path.endswith(".py") else f" ({size.bnlint_path}:{size.lineno})"
            return BatchSize(value, size, f"batch_size: {value}{where}", call)
        text = self.model.text(size)
        how = f"batch_size={text}" if text == str(value) else f"batch_size={text} (= {value})"
        written = self.model.values.definition(size, size_scope) if isinstance(size, (ast.Attribute, ast.Subscript)) \
            else None
        if isinstance(written, ConfigValue) and not written.bnlint_path.endswith(".py"):
            # (a default of another module's config class is typed evidence, given by the rule)
            how += f", written in {written.bnlint_path}:{written.lineno}"
        if spread:
            how += ", from a keyword-arguments dict"
        placed = written if isinstance(written, ConfigValue) and written.bnlint_path.endswith(".py") else None
        return BatchSize(value, size, how, call, written=placed)

    def _forwarded_keywords(self, loader: ast.Call) -> ast.Name | None:
        """The `**kwargs` parameter of the enclosing function a DataLoader call spreads, when that
        is all it spreads (and no `*args`)."""
        spreads = [k.value for k in loader.keywords if k.arg is None]
        if len(spreads) != 1 or not isinstance(spreads[0], ast.Name) or any(
                isinstance(a, ast.Starred) for a in loader.args):
            return None
        function = self.index.enclosing_function(loader)
        kwarg = function.args.kwarg if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
        return spreads[0] if kwarg is not None and kwarg.arg == spreads[0].id else None

    def _dataset_yields_batches(self, loader: ast.Call, scope: Scope) -> bool:
        """The DataLoader's dataset is a class (of this module or another) whose items are whole
        batches: its `__getitem__` or `__len__` reads its own `self.batch_size` (a Keras
        `Sequence`-style generator wrapped in a DataLoader: `indexes[index * self.batch_size:...]`)."""
        from bnlint.semantic.models import instance_class

        given = self.model.values.given(loader, "dataset", 0, scope)
        if not isinstance(given, tuple) or given[2]:
            return False
        owner = instance_class(self.model.models, given[0])
        if owner is None or owner[1] is None:
            return False
        for method in owner[1].body:
            if isinstance(method, ast.FunctionDef) and method.name in ("__getitem__", "__len__") and any(
                    isinstance(n, ast.Attribute) and n.attr == "batch_size" and isinstance(n.value, ast.Name)
                    and n.value.id == "self" for n in ast.walk(method)):
                return True
        return False

    # ---- tf.data -------------------------------------------------------------------------
    def dataset_batch(self, expr: ast.AST, _depth: int = 0) -> ast.Call | None:
        """The last `.batch()` / `.padded_batch()` applied to the tf.data pipeline `expr`, or None
        when `expr` is not known to be one."""
        if _depth > 6:
            return None
        owner = self._instance_owner(expr)
        if _self_attribute(expr) or owner is not None:
            # `self._train_ds = ds` in one method, `fit(self._train_ds)` in another
            cls = owner or self.index.enclosing_class(expr)
            assigned = self.model.values._class_attributes(cls).get(expr.attr, []) if cls is not None else []
            origins = [(value, scope) for value, scope in assigned if value is not None]
            if len(origins) != len(assigned):
                return None
        else:
            origins = self.model.values.origins(expr) if isinstance(expr, ast.Name) else [(expr, None)]
        if not origins and isinstance(expr, ast.Name):
            # `dataset` assigned in both branches of an `if`, then returned; or batched in an
            # `if` (`if self.batch_size: ds = ds.batch(self.batch_size)`)
            origins = [(b.value, b.scope) for b in self.model.values.reaching_bindings(expr)
                       if b.kind in ("assign", "annassign") and b.value is not None]
        if len(origins) > 1:
            # built in the branches of an `if` (training and validation pipelines): known when
            # every branch that batches batches with the same size (a branch that leaves the
            # dataset unbatched is the one the condition skips)
            found = [self.dataset_batch(origin, _depth + 1) for origin, _scope in origins[:4]]
            batched = [b for b in found if b is not None]
            sizes = {ast.dump(b.args[0]) if b.args else None for b in batched}
            return batched[0] if batched and len(sizes) == 1 and None not in sizes and len(origins) <= 4 else None
        if not origins:
            return None
        node, _scope = origins[0]
        after = set()  # `.batch(n).prefetch(2)`: methods applied after the batching tell tf.data too
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("batch", "padded_batch"):
                return node if self._is_dataset(node.func.value, _depth, frozenset(after)) else None
            if (node.func.attr == "zip" and node.args and isinstance(node.args[0], (ast.Tuple, ast.List))
                    and (self.model.qualname(node.func) or "").endswith("data.Dataset.zip")):
                # `tf.data.Dataset.zip((inputs.batch(1), targets.batch(1)))`: batches of the
                # components' size, when they agree
                batches = [self.dataset_batch(element, _depth + 1) for element in node.args[0].elts]
                sizes = {ast.dump(b.args[0]) if b is not None and b.args else None for b in batches}
                return batches[0] if batches and len(sizes) == 1 and None not in sizes else None
            after.add(node.func.attr)
            if node.func.attr in ("unbatch", "rebatch"):
                return None
            node = node.func.value
        if isinstance(node, ast.Name) and node is not expr:
            return self.dataset_batch(node, _depth + 1)
        return None

    def _instance_owner(self, expr: ast.AST) -> ast.ClassDef | None:
        """The module's class whose instance `expr.value` is, for `ms.train_dataset` with
        `ms = ModelState()` (not `self.x`, which its own class reads)."""
        if not isinstance(expr, ast.Attribute) or _self_attribute(expr):
            return None
        from bnlint.semantic.models import instance_class

        found = instance_class(self.model.models, expr.value)
        return found[1] if found is not None and found[0] is self.model.models else None

    def _instance_attribute_values(self, expr: ast.AST) -> list:
        """What `self.<attr> = ...` assigns in the class of `expr.value` (`ms.train_dataset`)."""
        owner = self._instance_owner(expr)
        if owner is None:
            return []
        return [(value, scope) for value, scope in self.model.values._class_attributes(owner).get(expr.attr, [])
                if value is not None]

    def pipeline_batch_size(self, expr: ast.AST, _depth: int = 0) -> tuple[ast.expr, ast.Call] | None:
        """(the batch size expression, the call it is given to) of the input pipeline `expr`: a
        tf.data dataset's last `.batch(n)`, a Keras image generator's `flow(...)` /
        `flow_from_directory(...)` / `flow_from_dataframe(...)`, or a
        `image_dataset_from_directory(...)`-style utility. None when the size is not written
        (those Keras utilities default to 32) or `expr` is none of these."""
        from bnlint.semantic import call_arg

        batch = self.dataset_batch(expr)
        if batch is not None:
            size = call_arg(batch, "batch_size", 0)
            return (size, batch) if size is not None else None
        for call, position, _scope in self.model.values.unpacked_from_calls(expr)[:4]:
            # `train_ds, steps = GetDataSet(path, batch_size=1)`, the builder in another module
            made = self._helper_pipeline_size(call, element=position)
            if made is not None:
                return made, call
        followed = isinstance(expr, ast.Name) or _self_attribute(expr)
        origins = self.model.values.origins(expr) if followed else (
            self._instance_attribute_values(expr) or [(expr, None)])
        for origin, scope in origins:
            if not isinstance(origin, ast.Call) or not isinstance(origin.func, (ast.Name, ast.Attribute)):
                continue
            name = origin.func.attr if isinstance(origin.func, ast.Attribute) else origin.func.id
            if name in _ITERATION_WRAPPERS and origin.args and _depth < 4:
                # `train_dist = strategy.experimental_distribute_dataset(train_ds)`, `it = iter(ds)`
                inner = next(iter(iterated(origin)), None)
                found = self.pipeline_batch_size(inner, _depth + 1) if inner is not None else None
                if found is not None:
                    return found
                continue
            if name == "from_generator" and (self.model.qualname(origin.func) or "").startswith("tensorflow."):
                # `tf.data.Dataset.from_generator(lambda: gen.batches(1, infinite=True), ...)`: the
                # batches the wrapped generator call yields
                producer = origin.args[0] if origin.args else next(
                    (k.value for k in origin.keywords if k.arg == "generator"), None)
                if isinstance(producer, ast.Lambda) and isinstance(producer.body, ast.Call):
                    size = self.generator_batch_size(producer.body)
                    if size is not None:
                        return size, producer.body
                continue
            if name in _KERAS_GENERATOR_METHODS:
                if name == "flow" and not self._is_image_generator(origin.func.value):
                    continue
                size = next((k.value for k in origin.keywords if k.arg == "batch_size"), None)
                if size is None and name == "flow" and len(origin.args) >= 3:
                    size = origin.args[2]  # flow(x, y, batch_size)
                return (size, origin) if size is not None else None
            sequence = self._sequence_batch_size(origin, scope) or self.generator_batch_size(origin)
            if sequence is not None:
                return sequence, origin
            made = self._helper_pipeline_size(origin)
            if made is not None:
                return made, origin
            if name in _KERAS_DATASET_UTILITIES:
                qual = self.model.qualname(origin.func) or ""
                if qual.startswith(("tensorflow.", "keras.", "tf_keras.")):
                    size = next((k.value for k in origin.keywords if k.arg == "batch_size"), None)
                    return (size, origin) if size is not None else None
        return None

    def external_pipeline_sizes(self, expr: ast.AST) -> list[BatchSize]:
        """A function's dataset parameter that only other modules of the project fill
        (`train(train_dataset, EPOCHS, generator, ...)` in the script, the loop here): the batch
        sizes of the pipelines they pass, read there, with typed locations there."""
        project = self.model.project
        # `train_ds.repeat().take(steps).enumerate()`: the parameter at the root of the chain
        while (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
               and expr.func.attr in _DATASET_PASS_THROUGH):
            expr = expr.func.value
        if project is None or not isinstance(expr, ast.Name):
            return []
        found = []
        for binding in self.model.values.uncalled_parameters(expr):
            for other, _call, argument in (self.model.values.external_arguments(binding) or [])[:8]:
                if not isinstance(argument, (ast.Name, ast.Attribute, ast.Call)):
                    continue
                pipeline = other.batches.pipeline_batch_size(argument)
                if pipeline is None:
                    continue
                size, batch = pipeline
                written = other.values.where_written(size, 1)
                found.append(BatchSize(other.const(size), project.foreign(written, other),
                                       f"`{other.text(batch, 40)}` in {project.foreign(batch, other).bnlint_path}",
                                       project.foreign(batch, other)))
        return found

    def generator_batch_size(self, call: ast.Call) -> ast.expr | None:
        """A hand-written data generator of the module (a function or method that `yield`s)
        whose batch size is a parameter named like one (`batch_size`, `bs`): the argument this
        call passes, else its default; for a method reading `self.batch_size`, what the
        instance's constructor was given (`CPM(batch_size=1).generator()`)."""
        callee = self.index.local_callee(call)
        bound = callee[1] if callee is not None else False
        function = callee[0] if callee is not None else None
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if function is None and isinstance(call.func, (ast.Name, ast.Attribute)):
            # `next(patch_utils.gen_batch(X1, X2, batch_size))` with the generator function in
            # another project module: the argument this call passes (a default there is that
            # module's to report)
            # (also a method of an instance of another module's class: `gen.batches(1)` with `gen =
            # CSVGenerator(...)` and `def batches(self, batch_size=32, infinite=True): ... yield`)
            foreign = self.model.project_callee(call)
            if foreign is not None and foreign[1] is not None and _yields(foreign[0].index, foreign[1]) \
                    and (not foreign[2] or foreign[1].name != "__init__"):
                params = [a.arg for a in (*foreign[1].args.posonlyargs, *foreign[1].args.args,
                                          *foreign[1].args.kwonlyargs)]
                param = next((n for n in params if n.lower() in _BATCH_SIZE_NAMES), None)
                return self.index.argument_for(call, foreign[1], param, bound=foreign[2]) \
                    if param is not None else None
        if function is None and receiver is not None:
            from bnlint.semantic.models import instance_class

            owner = instance_class(self.model.models, receiver)
            if owner is not None and owner[0] is self.model.models and owner[1] is not None:
                function = _method_named(owner[1], call.func.attr)
                bound = True
        if function is None or not _yields(self.index, function):
            return None
        names = [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]
        param = next((n for n in names if n.lower() in _BATCH_SIZE_NAMES), None)
        if param is not None:
            given = self.index.argument_for(call, function, param, bound=bound)
            return given if given is not None else _default_of(function, param)
        uses = _self_batch_sizes(function)
        cls = self.index.enclosing_class(function)
        if not uses or cls is None:
            return self._global_batch_size(function) if not uses else None
        return self._constructor_value(cls, uses[0], receiver)

    def drawn_batch_sizes(self, expr: ast.AST) -> list[BatchSize]:
        """The batch sizes of the loader or generator a name's value is drawn from with `next()`
        (`X_gen, y = next(gen_batch(X, Y, batch_size))`, `x, y = next(iter(loader))`)."""
        if not isinstance(expr, ast.Name):
            return []
        binding = self.model.values.binding_of(expr)
        if binding is None or binding.kind not in ("assign", "annassign", "unpack") or binding.value is None:
            return []
        drawn = binding.value
        if not (isinstance(drawn, ast.Call) and isinstance(drawn.func, ast.Name) and drawn.func.id == "next"
                and len(drawn.args) == 1):
            return []
        source = drawn.args[0]
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.func.id == "iter" \
                and len(source.args) == 1:
            source = source.args[0]
        return self.loader_batch_sizes(source)

    def looped_batch_sizes(self, expr: ast.AST) -> list[BatchSize]:
        """The batch sizes of what a loop draws a name from: `for x, y in loader`, and the
        generator at the name's position of a zip (`for a, b in zip(source_gen, target_gen)`)."""
        if not isinstance(expr, ast.Name):
            return []
        binding = self.model.values.binding_of(expr)
        if binding is None or binding.kind != "for" or binding.value is None:
            return []
        source = binding.value
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.func.id == "zip" \
                and binding.index is not None and binding.index < len(source.args) and not source.keywords:
            source = source.args[binding.index]
        found = []
        for iterable in iterated(source):
            found.extend(self.loader_batch_sizes(iterable))
        return found

    def _global_batch_size(self, function) -> ast.expr | None:
        """The module's own batch size a generator reads (`for start in range(0, n, batch_size)`
        with `batch_size = params.batch_size` at the top of the script, or `params.batch_size`
        itself): the expression, when the generator reads exactly one such name."""
        found = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id.lower() in _BATCH_SIZE_NAMES:
                bindings = self.index.lookup(node.id, self.index.scope_of(node))
                if bindings and all(b.scope is self.index.module_scope for b in bindings):
                    found.setdefault(node.id, node)
            elif (isinstance(node, ast.Attribute) and node.attr.lower() in _BATCH_SIZE_NAMES
                  and isinstance(node.value, ast.Name) and node.value.id != "self"):
                bindings = self.index.lookup(node.value.id, self.index.scope_of(node))
                if len(bindings) == 1 and bindings[0].kind == "import":
                    found.setdefault(f"{node.value.id}.{node.attr}", node)  # `params.batch_size`
        return next(iter(found.values())) if len(found) == 1 else None

    def _foreign_generator_size(self, call: ast.Call) -> BatchSize | None:
        """`Generator(lines, shape).generate()` with the generator class in another project module
        (`def __init__(self, lines, shape, batch_size=1): self.batch_size = batch_size` and a
        `generate` that yields batches of `self.batch_size`): the argument this module's
        construction passes, else the default written there (a place in that module)."""
        from bnlint.semantic.models import instance_class

        project = self.model.project
        if project is None or not isinstance(call.func, ast.Attribute):
            return None
        owner = instance_class(self.model.models, call.func.value)
        if owner is None or owner[1] is None or owner[0] is self.model.models:
            return None
        home, cls = owner
        method = _method_named(cls, call.func.attr)
        generates = method is not None and _yields(home.index, method)
        params = [a.arg for a in (*method.args.posonlyargs, *method.args.args[1:], *method.args.kwonlyargs)] \
            if generates else []
        param = next((n for n in params if n.lower() in _BATCH_SIZE_NAMES), None)
        if param is not None:
            # `self.data_loader.load_batch(batch_size)` with `def load_batch(self, batch_size=1)`
            # in the loader class of another module: what this call passes, else the default there
            given = self.index.argument_for(call, method, param, bound=True) or _default_of(method, param)
        else:
            uses = _self_batch_sizes(method) if generates else []
            given = self._constructor_value(cls, uses[0], call.func.value) if uses else None
        if given is None:
            return None
        if given in self.index.parents:  # passed by this module's construction (or call)
            value, text = self.model.const(given), self.model.text(given)
            return BatchSize(value, given, f"a batch size of {text}" + ("" if text == str(value) else f" (= {value})"),
                             call)
        value = home.model.values.const(given)  # the default of the `__init__` there
        return BatchSize(value, project.foreign(given, home.model),
                         f"`{cls.name}`'s default batch size, {value}, not passed here", call)

    def _constructor_value(self, cls: ast.ClassDef, attribute: str, receiver) -> ast.expr | None:
        """What `self.<attribute> = <param>` in `cls.__init__` is given by the construction of
        `receiver` (a `Cls(...)` call, a name bound to one, or `self` with exactly one
        construction): the argument, else the parameter's default."""
        init = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
        param = _stored_parameter(cls, attribute)
        if init is None or param is None:
            return None
        if isinstance(receiver, ast.Call):
            constructions = [receiver]
        elif isinstance(receiver, ast.Name) and receiver.id != "self":
            constructions = [o for o, _s in self.model.values.origins(receiver) if isinstance(o, ast.Call)]
        else:
            constructions = [c for c, _bound in self.index.callers(init)]
        if len(constructions) != 1:
            return None
        given = self.index.argument_for(constructions[0], init, param, bound=True)
        return given if given is not None else _default_of(init, param)

    def _helper_pipeline_size(self, call: ast.Call, element: int | None = None) -> ast.expr | None:
        """The batch size, written in this module, of a tf.data pipeline a helper builds and
        returns: `reader.make_datasets(annotations)` with `DataLoader` (this module's or another
        project module's class) returning `dataset.batch(self.batch_size)`, where the size is
        the argument this module's construction of `reader` passes; or `make_dataset(files,
        args.batch_size)` returning `.batch(batch_size)`: this call's argument. None when the
        size is not given here (a constant of the helper's own module is that module's to
        report). `element`: the pipeline is at that position of the tuple the helper returns."""
        from bnlint.semantic import call_arg
        from bnlint.semantic.models import instance_class

        callee = self.index.local_callee(call)
        home, function, bound, receiver = self.model, None, False, None
        if callee is not None:
            function, bound = callee
        elif isinstance(call.func, ast.Attribute):
            owner = instance_class(self.model.models, call.func.value)
            if owner is not None and owner[1] is not None:
                home = owner[0].model
                function = next((s for s in owner[1].body if isinstance(s, ast.FunctionDef)
                                 and s.name == call.func.attr), None)
                bound, receiver = True, call.func.value
        elif isinstance(call.func, ast.Name) and self.model.project is not None:
            qual = self.index.qualname(call.func)
            found = self.model.project.definition(qual) if qual else None
            if found is not None and isinstance(found[1], ast.FunctionDef):
                home, function = found
        if function is None:
            return None
        for returned in _returned_values(function, home.index, element):
            batch = home.batches.dataset_batch(returned)
            size = call_arg(batch, "batch_size", 0) if batch is not None else None
            if batch is None and home is self.model and isinstance(returned, (ast.Name, ast.Call)):
                # `train_gen, val_gen = create_generators(args)` returning `PascalVocGenerator(...,
                # **common_args)`: a Sequence the helper makes, with the batch size it gives
                made = [returned] if isinstance(returned, ast.Call) else [
                    b.value for b in self.model.values.reaching_bindings(returned)
                    if b.kind in ("assign", "annassign") and isinstance(b.value, ast.Call)]
                # (one per branch: `if args.dataset_type == "pascal": ... elif "csv": ...`)
                sizes = [self._sequence_batch_size(m, self.index.scope_of(m)) for m in made[:6]]
                found = next((size for size in sizes if size is not None), None)
                if found is not None:
                    return found
            if isinstance(size, ast.Name):
                binding = home.values.binding_of(size)
                if binding is not None and binding.kind == "param" and binding.scope.node is function:
                    given = self.index.argument_for(call, function, size.id, bound=bound)
                    if given is not None:
                        return given
                    if home is self.model:
                        return _default_of(function, size.id)
            elif (isinstance(size, ast.Attribute) and isinstance(size.value, ast.Name) and size.value.id == "self"
                  and receiver is not None):
                cls = home.index.enclosing_class(function)
                given = self._constructor_value(cls, size.attr, receiver) if cls is not None else None
                init = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None) \
                    if cls is not None else None
                defaults = [*init.args.defaults, *init.args.kw_defaults] if init is not None else []
                # another module's default is that module's to report
                if given is not None and (home is self.model or not any(given is d for d in defaults)):
                    return given
            elif size is not None and home is self.model:
                return size
        return None

    def foreign_pipeline_size(self, call: ast.AST):
        """(the value, where it is written, the `.batch()` call) of the tf.data pipeline another
        project module's function builds and returns with a batch size it writes itself
        (`def full_resolution_dataset(root): ... return ds.batch(1)`), both as places in that
        module; None otherwise. That module trains nothing, so the module whose `fit` takes the
        pipeline reports it."""
        from bnlint.semantic import call_arg

        if isinstance(call, ast.Name):
            # `train_ds = make_dataset(paths, labels, training=True)`, then `fit(train_ds)`
            origins = self.model.values.origins(call)
            call = origins[0][0] if len(origins) == 1 else None
        if not isinstance(call, ast.Call) or self.model.project is None:
            return None
        if isinstance(call.func, ast.Call):
            # `make_input_fn(pattern, HPARAMS, "train")()`: the function the builder returns
            # (estimator-style `def make_input_fn(...): def input_fn(): ...; return input_fn`)
            callee = self.model.project_callee(call.func)
            if callee is None or callee[2]:
                return None
            inner = _returned_closure(callee[1], callee[0].index)
            if inner is None:
                return None
            callee = (callee[0], inner, False)
        else:
            callee = self.model.project_callee(call)
        if callee is None or callee[2]:
            return None
        home, function = callee[0], callee[1]
        project = self.model.project
        for returned in _returned_values(function, home.index, None):
            batch = home.batches.dataset_batch(returned)
            size = call_arg(batch, "batch_size", 0) if batch is not None else None
            if isinstance(size, ast.Name) and self.index.argument_for(call, function, size.id) is None:
                # `def make_dataset(paths, labels, batch_size=1): ... .batch(batch_size)` called
                # without it: the default, written there (that module trains nothing with it)
                binding = home.values.binding_of(size)
                if binding is not None and binding.kind == "param" and binding.scope.node is function \
                        and binding.value is not None and not any(k.arg is None for k in call.keywords):
                    size = binding.value
            value = home.const(size) if size is not None else None
            if isinstance(value, int) and not isinstance(value, bool):
                # (a constant the builder's module imports, `from config import *`: where it is set)
                origin = home.values.project_origin(size) if isinstance(size, ast.Name) else None
                return value, origin or project.foreign(size, home), project.foreign(batch, home)
        if _yields(home.index, function) and not any(k.arg is None for k in call.keywords):
            # `fit_generator(utils.data_generator(X, y))` with `def data_generator(X, y,
            # batch_size=1)` yielding batches: the default, written there, when the call gives none
            params = [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]
            param = next((n for n in params if n.lower() in _BATCH_SIZE_NAMES), None)
            default = _default_of(function, param) if param is not None and \
                self.index.argument_for(call, function, param) is None else None
            value = home.const(default) if default is not None else None
            if isinstance(value, int) and not isinstance(value, bool):
                return value, project.foreign(default, home), project.foreign(function, home)
        return None

    def _sequence_batch_size(self, call: ast.Call, scope) -> ast.expr | None:
        """`DataGen(paths)` of a module class deriving from `keras.utils.Sequence` (or Keras 3's
        `PyDataset`) whose `__init__` stores `self.batch_size = batch_size`: the argument this
        call passes, else the parameter's default."""
        home, cls = self.model, self.model.models._local_definition(call.func, scope or self.index.scope_of(call))
        if cls is None and self.model.project is not None and isinstance(call.func, (ast.Name, ast.Attribute)):
            # a Sequence class of another module: the argument this call passes
            found = self.model.project.definition(self.model.qualname(call.func) or "")
            if found is not None:
                home, cls = found
        if not isinstance(cls, ast.ClassDef):
            return None
        chain = [(analysis.model, c) for analysis, c in home.models.lineage(cls)]
        if not any((h.qualname(base) or "").rpartition(".")[2] in ("Sequence", "PyDataset")
                   and "utils" in (h.qualname(base) or "") for h, c in chain for base in c.bases):
            return None
        if _stored_parameter(cls, "batch_size") is not None:
            given = self._constructor_value(cls, "batch_size", call)
        else:
            # `PascalVocGenerator(path, "trainval", **common_args)` whose `__init__` hands its
            # `**kwargs` to the base class that keeps `self.batch_size`: what this call gives it
            owner = next((c for _h, c in chain if _stored_parameter(c, "batch_size") is not None), None)
            param = _stored_parameter(owner, "batch_size") if owner is not None else None
            found = self.model.values.given(call, param, None, scope) if param else None
            given = found[0] if isinstance(found, tuple) else None
        if home is not self.model and given is not None and given not in self.index.parents:
            return None  # the other module's default is that module's to report
        return given

    def _is_image_generator(self, expr: ast.AST) -> bool:
        for origin, _scope in self.model.values.origins(expr) if isinstance(expr, ast.Name) else [(expr, None)]:
            if isinstance(origin, ast.Call):
                qual = self.model.qualname(origin.func) or ""
                if qual.rpartition(".")[2] == "ImageDataGenerator":
                    return True
        return False

    def _is_dataset(self, expr: ast.AST, depth: int, methods: frozenset = frozenset()) -> bool:
        """`expr` is a tf.data pipeline: its chain starts at `tf.data` or, where the start is
        something bnlint cannot see (`svhn.train`, a dataset object's attribute, a parameter),
        the chain applies a method only tf.data pipelines have (`.prefetch`, `.cache`, ...) in a
        module that imports TensorFlow and not PyTorch."""
        node = expr
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            methods = methods | {node.func.attr}
            node = node.func.value
        if isinstance(node, ast.Name) and depth < 6:
            origins = self.model.values.origins(node)
            if len(origins) == 1 and origins[0][0] is not node:
                return self._is_dataset(origins[0][0], depth + 1, methods)
            if not origins:
                # `if training: dataset = dataset.shuffle(400)`: a pipeline either way
                reaching = [b.value for b in self.model.values.reaching_bindings(node)
                            if b.kind in ("assign", "annassign") and b.value is not None]
                if 1 < len(reaching) <= 4 and all(self._is_dataset(v, depth + 1, methods) for v in reaching):
                    return True
        qual = self.model.qualname(node.func if isinstance(node, ast.Call) else node) or ""
        if qual.startswith("tensorflow.data") or qual.startswith("tensorflow.compat.v1.data"):
            return True
        if isinstance(node, ast.Call) and depth < 6:
            # `load_pairs().shuffle(8).batch(n)`: a function of the module that returns a pipeline
            callee = self.index.local_callee(node)
            if callee is not None:
                returns = _returned_values(callee[0], self.index)
                if returns and all(self._is_dataset(r, depth + 1, methods) for r in returns[:4]):
                    return True
        return bool(methods & _TF_DATA_ONLY_METHODS) and self.index.imported_frameworks() == {"keras"}

    def replay_transition(self, expr: ast.AST | None) -> ast.Call | None:
        """The `random.sample(memory, k)` call when `expr` is a loop variable over its elements
        (`for state, action, reward, next_state, done in random.sample(self.memory, 32)`, also
        through a name bound to the sample): one stored transition at a time."""
        if not isinstance(expr, ast.Name):
            return None
        binding = self.model.values.binding_of(expr)
        if binding is None or binding.kind != "for" or binding.value is None:
            return None
        iterable = binding.value
        if isinstance(iterable, ast.Name):
            held = self.model.values.binding_of(iterable)
            if (held is not None and held.kind == "unpack" and held.index == 0 and isinstance(held.value, ast.Call)
                    and isinstance(held.value.func, ast.Attribute) and held.value.func.attr == "sample"):
                # `minibatch, idxs, is_weights = self.memory.sample(n)`: a prioritized buffer's
                # transitions come first
                iterable = held.value
            else:
                origins = self.model.values.origins(iterable)
                iterable = origins[0][0] if len(origins) == 1 else None
        if isinstance(iterable, ast.Call) and self.model.qualname(iterable.func) in (
                "random.sample", "numpy.random.choice") and iterable.args:
            return iterable
        if (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute)
                and iterable.func.attr == "sample" and _names_replay_memory(iterable.func.value)):
            # a replay buffer class of the project (`self.memory.sample(batch_size)`, prioritized
            # replay): the transitions it hands back, looped over one at a time
            return iterable
        return None

    # ---- single examples --------------------------------------------------------------------
    def one_example(self, expr: ast.AST, depth: int = 0) -> ast.AST | None:
        """Where `expr`, a model's input, is made a batch of exactly one: a single example given a
        batch dimension (`x.unsqueeze(0)`, `x[None]`, `np.expand_dims(x, 0)`), a tensor built
        with a first dimension of 1 (`torch.randn(1, nz)`, `torch.full([1, c, h, w], 0)`,
        `noise.expand(1, ...)`, `x.view(1, -1)`), also through a name assigned above and
        `.to(device)`-style calls."""
        from bnlint.semantic import call_arg

        model = self.model
        if isinstance(expr, ast.Name) and depth < 5:
            # every assignment that may reach the use must make a batch of one (`x = x.unsqueeze(0)`
            # then `if cuda: x = x.cuda()`)
            bindings = model.values.reaching_bindings(expr)
            if len(bindings) == 1 and bindings[0].kind == "param":
                # `def _step(self, x, y): ... self.net(x)` called as `self._step(xi.unsqueeze(0), ...)`:
                # every call of the function (in this module) passes a batch of one
                sites = [site for site in model.values.argument_sites(bindings[0]) if site.call is not None]
                if not sites or any(site.values is not model.values for site in sites):
                    return None
                singles = [self.one_example(site.argument, depth + 1) for site in sites]
                return singles[0] if all(single is not None for single in singles) else None
            found = None
            for binding in bindings:
                if binding.value is None:
                    return None
                if binding.kind in ("assign", "annassign"):
                    values = [binding.value]
                elif binding.kind == "augassign" and isinstance(binding.node, ast.AugAssign) \
                        and isinstance(binding.node.target, ast.Name):
                    # `net_input *= var`: arithmetic in place keeps the batch the name had
                    values = [binding.node.target]
                elif binding.kind == "unpack" and binding.index is not None:  # `x, y = x.cuda(), y.cuda()`
                    values = [v for v, _scope in model.values.unpacked(binding.value, binding.index, binding.scope)]
                elif binding.kind == "for" and isinstance(binding.value, ast.Call):
                    # `for spec, label in stream_examples(paths, labels)` over a generator (of this
                    # module or another) that yields one example at a time
                    single = self._yielded_single(binding.value, binding.index, depth + 1)
                    if single is None:
                        return None
                    found = found or single
                    continue
                else:
                    return None
                for value in values or [None]:
                    single = self.one_example(value, depth + 1) if value is not None else None
                    if single is None:
                        return None
                    found = found or single
            return found
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self" \
                and depth < 3:
            # `self.net(self.input_dip)` with `self.input_dip = get_noise(...)` stored once
            cls = self.index.enclosing_class(expr)
            stores = model.values._class_attributes(cls).get(expr.attr, []) if cls is not None else []
            if len(stores) == 1 and stores[0][0] is not None:
                return self.one_example(stores[0][0], depth + 1)
            return None
        if isinstance(expr, ast.Subscript):
            return expr if self._new_leading_axis(expr.slice) or self._width_one_slice(expr.slice) else None
        if isinstance(expr, ast.BinOp) and depth < 3:
            # `x.unsqueeze(0) / 255.0`: arithmetic keeps the batch dimension
            return self.one_example(expr.left, depth + 1) or self.one_example(expr.right, depth + 1)
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        callee = self.index.local_callee(expr) if depth < 4 else None
        if callee is not None and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(callee[0])):
            # `model.fit(gen(X, y))` with `def gen(X, y): ... yield X[i][np.newaxis, :], y[i:i + 1]`:
            # a data generator that yields one example at a time
            yielded = [n.value for n in ast.walk(callee[0]) if isinstance(n, ast.Yield) and n.value is not None
                       and self.index.enclosing_function(n) is callee[0]]
            inputs = [v.elts[0] if isinstance(v, ast.Tuple) and v.elts else v for v in yielded]
            singles = [self.one_example(v, depth + 1) for v in inputs]
            return singles[0] if singles and all(s is not None for s in singles) else None
        if callee is not None:
            # `self.q_net(self._tensor(obs))` with `def _tensor(self, obs): return torch.as_tensor(obs)
            # .unsqueeze(0)`: a helper that makes every input it returns a batch of one
            returned = [n.value for n in ast.walk(callee[0]) if isinstance(n, ast.Return) and n.value is not None
                        and self.index.enclosing_function(n) is callee[0]]
            singles = [self.one_example(v, depth + 1) for v in returned]
            if singles and all(single is not None for single in singles):
                return singles[0]
        elif depth < 3 and isinstance(func, (ast.Name, ast.Attribute)) and (
                isinstance(func, ast.Name) or func.attr not in _SAME_TENSOR_METHODS):
            # the same helper in another module of the project (`net_input = get_noise(32, "noise",
            # img.shape)` with utils.py returning `torch.zeros([1, c, h, w])`): what it returns
            # there, read there; the call here is the evidence
            foreign = model.project_callee(expr)
            if foreign is not None and foreign[1] is not None and not (foreign[2] and foreign[1].name == "__init__"):
                other, function = foreign[0], foreign[1]
                returned = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value is not None
                            and other.index.enclosing_function(n) is function]
                singles = [other.batches.one_example(v, depth + 1) for v in returned]
                if singles and all(single is not None for single in singles):
                    return expr
        if isinstance(func, ast.Attribute):
            if func.attr in _SAME_TENSOR_METHODS:
                return self.one_example(func.value, depth)
            if func.attr == "unsqueeze" and len(expr.args) == 1 and model.const(expr.args[0]) == 0:
                return expr
            if func.attr == "reshape" and len(expr.args) == 1 and isinstance(expr.args[0], ast.BinOp) \
                    and self._leading_one(expr.args[0]):
                return expr  # `x.reshape((1,) + x.shape)`
            if func.attr in ("expand", "view", "reshape") and expr.args:
                # `x.view(1, -1)` or `x.reshape((1, 28, 28))`
                single = len(expr.args) == 1 and isinstance(expr.args[0], (ast.Tuple, ast.List))
                dimensions = list(expr.args[0].elts) if single else list(expr.args)
                if len(dimensions) >= 2 and model.const(dimensions[0]) == 1:
                    return expr
                # `x_clip.reshape(BATCH_X_SHAPE)` with `BATCH_X_SHAPE = (1, CLIP_LENGTH, H, W, C)`
                shape = model.const(expr.args[0]) if len(expr.args) == 1 and isinstance(
                    expr.args[0], (ast.Name, ast.Attribute)) else None
                if isinstance(shape, tuple) and len(shape) >= 2 and shape[0] == 1:
                    return expr
        qual = model.qualname(func) or ""
        if qual in _TENSOR_FROM_ARRAY and len(expr.args) == 1 and depth < 3:
            # `Variable(torch.from_numpy(batch))` with `batch = np.zeros((batchsize, 3, h, w))` and
            # `batchsize = 1`: a hand-made batch buffer of one example
            single = self.one_example(expr.args[0], depth + 1)
            if single is None and self.model.values.possible(self._leading_dimension(expr.args[0])) == {1}:
                single = self._array_made(expr.args[0])
            return single
        if qual in ("numpy.array", "numpy.asarray", "numpy.stack", "torch.stack", "torch.tensor") and expr.args \
                and isinstance(expr.args[0], ast.List) and len(expr.args[0].elts) == 1 \
                and not isinstance(expr.args[0].elts[0], (ast.Constant, ast.Starred)):
            return expr  # `np.array([image])`: a list of one example
        if qual == "numpy.reshape" and len(expr.args) >= 2 and self._leading_one(expr.args[1]):
            return expr  # `np.reshape(vol, (1, 64, 64, 64, 1))`, `np.reshape(vol, (1,) + vol.shape + (1,))`
        if qual.endswith("expand_dims"):
            axis = call_arg(expr, "axis", 1)
            return expr if axis is not None and model.const(axis) == 0 else None
        if qual.startswith("torch.") and qual.rpartition(".")[2] in _TENSOR_FACTORIES and expr.args:
            first = expr.args[0]
            if isinstance(first, (ast.List, ast.Tuple)):
                return expr if len(first.elts) >= 2 and model.const(first.elts[0]) == 1 else None
            if len(expr.args) == 1:
                # `torch.zeros(shape)` with `shape = [1, input_depth, h, w]`
                written = model.values.reaching_bindings(first) if isinstance(first, ast.Name) else []
                if len(written) == 1 and written[0].kind == "assign" and isinstance(written[0].value, (ast.List, ast.Tuple)):
                    elements = written[0].value.elts
                    return expr if len(elements) >= 2 and model.const(elements[0]) == 1 else None
                shape = model.const(first)
                return expr if isinstance(shape, tuple) and len(shape) >= 2 and shape[0] == 1 else None
            return expr if len(expr.args) >= 2 and model.const(first) == 1 else None
        return None

    def _leading_one(self, shape: ast.AST) -> bool:
        """A shape whose first dimension is 1: `(1, 28, 28)`, and `(1,) + x.shape` (a leading axis
        of 1 put before an example's own shape)."""
        if isinstance(shape, (ast.Tuple, ast.List)):
            return len(shape.elts) >= 2 and self.model.const(shape.elts[0]) == 1
        while isinstance(shape, ast.BinOp) and isinstance(shape.op, ast.Add):
            shape = shape.left
            if isinstance(shape, (ast.Tuple, ast.List)):
                return bool(shape.elts) and self.model.const(shape.elts[0]) == 1
        return False

    def _yielded_single(self, call: ast.Call, index: int | None, depth: int) -> ast.AST | None:
        """Where a generator function called here makes the element it yields at `index` (the
        whole value when None) a batch of one, in this module or another; None unless every
        `yield` does. The call is the evidence for another module's generator."""
        if depth > 5 or self.loader_batch_sizes(call):
            return None  # (a generator whose batch size is known is sized as a loader is)
        callee = self.index.local_callee(call)
        home, function = (self, callee[0]) if callee is not None else (None, None)
        if function is None and isinstance(call.func, (ast.Name, ast.Attribute)):
            foreign = self.model.project_callee(call)
            if foreign is not None and foreign[1] is not None and not foreign[2]:
                home, function = foreign[0].batches, foreign[1]
        if function is None:
            return None
        yielded = [n.value for n in ast.walk(function) if isinstance(n, ast.Yield)
                   and home.index.enclosing_function(n) is function]
        if not yielded or any(v is None for v in yielded):
            return None
        if index is not None:
            if not all(isinstance(v, ast.Tuple) and index < len(v.elts) for v in yielded):
                return None
            yielded = [v.elts[index] for v in yielded]
        singles = [home.one_example(v, depth + 1) for v in yielded]
        if not all(single is not None for single in singles):
            return None
        return singles[0] if home is self else call

    def _new_leading_axis(self, index: ast.AST) -> bool:
        """`x[None]`, `x[np.newaxis]`, `x[None, ...]`, `x[np.newaxis, :, :]`."""
        first = index.elts[0] if isinstance(index, ast.Tuple) and index.elts else index
        if isinstance(first, ast.Constant) and first.value is None:
            return True
        return (self.model.qualname(first) or "") in ("numpy.newaxis", "tensorflow.newaxis")

    def _width_one_slice(self, index: ast.AST) -> bool:
        """`X[i:i + 1]`: one example kept as a batch."""
        first = index.elts[0] if isinstance(index, ast.Tuple) and index.elts else index
        if not isinstance(first, ast.Slice) or first.lower is None or first.upper is None or first.step is not None:
            return False
        upper = first.upper
        return (isinstance(upper, ast.BinOp) and isinstance(upper.op, ast.Add)
                and ast.dump(upper.left) == ast.dump(first.lower) and self.model.const(upper.right) == 1)

    # ---- TF1 input queues --------------------------------------------------------------------
    def queue_batch_sizes(self) -> list[BatchSize]:
        """`tf.train.batch(tensors, batch_size=...)` and `shuffle_batch`: TF1 input queues."""
        from bnlint.semantic import call_arg

        found = []
        for call in self.index.calls:
            qual = self.model.qualname(call.func) or ""
            if qual.replace("compat.v1.", "") not in _TF1_QUEUES:
                continue
            size = call_arg(call, "batch_size", 1)
            if size is None:
                continue
            value = self.model.const(size)
            text = self.model.text(size)
            found.append(BatchSize(value, size, f"batch_size={text}" + ("" if text == str(value) else f" = {value}"),
                                   call))
        return found

    def placeholder_batch_sizes(self) -> list[BatchSize]:
        """TF1 placeholders of a fixed batch size: `tf.placeholder(tf.float32, [self.batch_size,
        size, size, 3])` of an example-shaped (rank 3 or more) input whose first dimension is the
        program's batch size (a name or attribute that says "batch"), with its value. A literal
        first dimension is not a batch size (`[1, h, w, 3]` is the usual single-image placeholder
        a script builds for sampling beside its training graph)."""
        from bnlint.semantic import call_arg

        found = []
        for call in self.index.calls:
            qual = (self.model.qualname(call.func) or "").replace("compat.v1.", "")
            if qual != "tensorflow.placeholder":
                continue
            shape = call_arg(call, "shape", 1)
            if not isinstance(shape, (ast.List, ast.Tuple)) or len(shape.elts) < 3:
                continue
            first = shape.elts[0]
            if not isinstance(first, (ast.Name, ast.Attribute)):
                continue
            written = first.id if isinstance(first, ast.Name) else first.attr
            if "batch" not in written.lower() and written.lower() not in ("bs", "n_batch"):
                continue
            value = self.model.const(first)
            if value is UNKNOWN:
                continue
            text = self.model.text(first)
            found.append(BatchSize(value, first, f"a first dimension of `{text}` = {value}", call))
        return found

    # ---- arrays ------------------------------------------------------------------------------
    def first_dimension_one(self, value: ast.AST, depth: int = 0) -> str | None:
        found = self.array_of_one(value, depth)
        return found[0] if found is not None else None

    def _array_made(self, value: ast.AST, depth: int = 0) -> ast.AST:
        """The call that makes the array an expression holds, through names and `.astype(...)`
        (`np.zeros(...)` of `buf = np.zeros(...).astype(np.float32)`); the expression itself
        when there is none."""
        while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                value.func.attr in ("astype", "copy"):
            value = value.func.value
        if isinstance(value, ast.Name) and depth < 3:
            binding = self.model.values.reaching_binding(value)
            if binding is not None and binding.kind in ("assign", "annassign") and binding.value is not None:
                return self._array_made(binding.value, depth + 1)
            if binding is not None and binding.kind == "unpack" and isinstance(binding.value, ast.Call) \
                    and binding.index is not None:
                # `[X_a, X_b], y = generate_real_samples(dataset, n_batch, n_patch)`: the array the
                # module's helper returns at that place (`y = ones((n_samples, n_patch, n_patch, 1))`)
                made = self.model.values.unpacked(binding.value, binding.index, binding.scope)
                if len(made) == 1:
                    return self._array_made(made[0][0], depth + 1)
        return value

    def _array_shape(self, value: ast.AST, depth: int = 0) -> ast.List | ast.Tuple | None:
        """The shape literal a NumPy array is made with (`np.zeros((batch_size, 3, h, w))`, and
        `(batch_size,) + patch`: its first part holds the first dimension)."""
        value = self._array_made(value, depth)
        if not isinstance(value, ast.Call) or not (self.model.qualname(value.func) or "").startswith("numpy."):
            return None
        from bnlint.semantic import call_arg

        shape = call_arg(value, "size", None) or call_arg(value, "shape", None) or (value.args[0] if value.args else None)
        if isinstance(shape, ast.Name):
            binding = self.model.values.binding_of(shape)
            shape = binding.value if binding is not None and binding.value is not None else shape
        while isinstance(shape, ast.BinOp) and isinstance(shape.op, ast.Add):
            shape = shape.left
        return shape if isinstance(shape, (ast.List, ast.Tuple)) and shape.elts else None

    def _leading_dimension(self, value: ast.AST) -> ast.AST | None:
        shape = self._array_shape(value)
        return shape.elts[0] if shape is not None else None

    def array_of_one(self, value: ast.AST, depth: int = 0) -> tuple[str, ast.AST] | None:
        """How a NumPy array handed to a training step gets a first dimension that is (or can be)
        1: `np.ones((batch_size,) + patch)` with `batch_size` 1, `np.zeros([1, 28, 28])`..."""
        shape = self._array_shape(value, depth)
        if shape is None:
            return None
        first = shape.elts[0]
        possible = self.model.values.possible(first)
        if possible and 1 in possible:
            written = self.model.values.where_written(first, 1)
            if len(possible) == 1:
                return f"has a first dimension of 1 (shape {self.model.text(shape)})", written
            return (f"has a first dimension `{self.model.text(first)}` that takes the value 1 "
                    f"(values {sorted(possible)})", written)
        return None


# Torch factories whose tensors are made up in the code (`torch.randn(1, 3, 32, 32)`), not data.
_MADE_UP_TENSORS = {"randn", "rand", "zeros", "ones", "randint", "empty", "full", "randn_like", "rand_like",
                    "zeros_like", "ones_like"}
# Calls that make a tensor of an array's values, keeping its shape.
_TENSOR_FROM_ARRAY = {"torch.from_numpy", "torch.tensor", "torch.Tensor", "torch.as_tensor", "torch.FloatTensor",
                      "torch.autograd.Variable", "torch.autograd.variable.Variable"}
# Tensor constructors whose first arguments are the shape: `torch.randn(1, 3, 64, 64)`.
_TENSOR_FACTORIES = {"randn", "rand", "zeros", "ones", "empty", "full", "normal"}
# Calls that return the same values on another device or dtype.
_SAME_TENSOR_METHODS = {"to", "cuda", "cpu", "float", "double", "half", "type", "detach", "requires_grad_",
                        "contiguous"}

# Keras's image generators (`ImageDataGenerator().flow_from_directory(..., batch_size=32)`) and
# dataset utilities: each batch of the result holds `batch_size` examples.
# methods of tf.data pipelines that neither Keras utilities nor PyTorch datasets have (torchdata's
# datapipes do, so the module must not import torch)
_TF_DATA_ONLY_METHODS = {"prefetch", "cache", "repeat", "interleave", "padded_batch", "shard", "unbatch",
                         "apply", "with_options", "ignore_errors"}
_KERAS_GENERATOR_METHODS = {"flow", "flow_from_directory", "flow_from_dataframe"}
_KERAS_DATASET_UTILITIES = {"image_dataset_from_directory", "text_dataset_from_directory",
                            "audio_dataset_from_directory", "timeseries_dataset_from_array"}

_TF1_QUEUES = {"tensorflow.train.batch", "tensorflow.train.shuffle_batch", "tensorflow.train.batch_join",
               "tensorflow.train.shuffle_batch_join"}
