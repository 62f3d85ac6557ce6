"""Project scope: what the other modules of the project define.

Real projects build the model in `models.py` and train it in `train.py`. When a rule asks what
`build_model()` (imported from another module of the project) returns, the project parses that
module once, summarizes it (which functions, classes and module-level names build or hold
models, and whether those contain BatchNorm or Dropout) and answers from the summary.
Summaries are plain data, so the cache can keep them between runs.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bnlint import parsing
from bnlint.semantic.memo import cycle_cut, memoized

# Top-level names that are never project modules: no file-system probing for them.
_NOT_PROJECT = frozenset({
    "tensorflow", "tf", "torch", "keras", "numpy", "np", "jax", "flax", "haiku", "torchvision",
    "timm", "tensorlayer", "paddle", "mxnet", "mindspore", "os", "sys", "re", "json", "math",
    "typing", "collections", "functools", "itertools", "logging", "pathlib", "dataclasses",
    "argparse", "time", "random", "abc", "copy", "pandas", "scipy", "sklearn", "matplotlib",
    "builtins", "tf_keras", "absl", "six", "__future__",
})


@dataclass
class SummaryEntry:
    """What one top-level name of a module is, as far as models go."""

    kind: str  # function | class | value | reexport | star (a star import, `target` the module)
    bn: bool | None = None
    dropout: bool | None = None
    framework: str | None = None
    evidence: list[tuple[str, int, int]] = field(default_factory=list)  # (layer name, line, col)
    dropout_evidence: list[tuple[str, int, int]] = field(default_factory=list)
    how: str = ""
    target: str | None = None  # for re-exports: the qualified name imported
    value: int | float | bool | str | None = None  # for constants: the module-level value
    # for functions: the layers its body builds (a graph-building helper such as
    # `conv_bn(x)` or `MobileNetV2(...)` returning tensors), whatever it returns
    body_bn: bool | None = None
    body_dropout: bool | None = None
    body_evidence: list = field(default_factory=list)
    # for model classes: `call(self, x, training=True)`: a call without the flag trains
    trains_by_default: bool = False
    # for functions returning tuples (`return model, optimizer`): the position of the model
    element: int | None = None
    # ... and that in other branches return the model alone (`return model` when not training)
    also_alone: bool = False


@dataclass
class ModuleSummary:
    path: str
    digest: str
    entries: dict[str, SummaryEntry]

    def to_json(self) -> dict:
        return {"path": self.path, "digest": self.digest,
                "entries": {name: vars(entry) for name, entry in self.entries.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "ModuleSummary":
        entries = {}
        for name, raw in data["entries"].items():
            raw = dict(raw)
            raw["evidence"] = [tuple(e) for e in raw.get("evidence", [])]
            raw["dropout_evidence"] = [tuple(e) for e in raw.get("dropout_evidence", [])]
            raw["body_evidence"] = [tuple(e) for e in raw.get("body_evidence", [])]
            entries[name] = SummaryEntry(**raw)
        return cls(data["path"], data["digest"], entries)


class ForeignNode:
    """A position in another file of the project, usable wherever evidence wants a node."""

    def __init__(self, path: str, line: int, col: int = 0, source: tuple | None = None, cell: int | None = None):
        self.bnlint_path = path
        self.lineno = self.end_lineno = line
        self.col_offset = col
        self.end_col_offset = col + 1
        # (that module's semantic model, the node there), when known: questions about the node
        # (is this layer's mode set where it is called?) are answered by its own module
        self.source = source
        self.cell = cell  # in a notebook: the cell, `lineno` then within it


class ForeignDefinition(ForeignNode):
    """A top-level class or function of another module of the project, at its place there: a
    registry entry a decorator of that module files (`@register("resnet") class ResNet` in
    models/resnet.py for the `MODELS` dict of models/registry.py)."""

    def __init__(self, path: str, line: int, col: int, module_path: Path, name: str):
        super().__init__(path, line, col)
        self.module_path = module_path
        self.name = name


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# a whole word of a module's text, for the project's word index
_WORD = re.compile(r"\w+")
# An import statement, read from the text before anything is parsed (for the prefilter).
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w, \t]+)|import[ \t]+([\w., \t]+))", re.M)



def _imported_module_names(text: str) -> list[str]:
    """The module names a text's import lines name, in order: `from .nets import G` gives `.nets`
    and `.nets.G` (a submodule of that name, when there is one), `import utils.freeze as f` gives
    `utils.freeze`."""
    modules: list[str] = []
    for match in _IMPORT_LINE.finditer(text):
        source, names, plain = match.groups()
        if plain is not None:
            modules += [part.split()[0] for part in plain.split(",") if part.split()]
        else:
            names = [part.split()[0] for part in names.split(",") if part.split()]
            modules += [source] + [f"{source.rstrip('.')}.{name}" if source.strip(".") else f"{source}{name}"
                                   for name in names]
    return modules


class Project:
    """The modules of one project, read on demand and summarized once per run."""

    def __init__(self, root: Path, summary_store: dict | None = None, focus: Path | None = None):
        self.root = Path(root).resolve()
        # the checked folder inside the root: walked first, so it is never cut by the file bound
        self.focus = Path(focus).resolve() if focus is not None else None
        self._summaries: dict[Path, ModuleSummary | None] = {}
        self._in_progress: set[Path] = set()
        # the semantic models of the modules being summarized: read directly when a summary is
        # asked for in a cycle (`stacked(generator, critic)` in models.py, called by train.py with
        # `generator = encoder_decoder()` of models.py itself)
        self.partial_models: dict[Path, object] = {}
        self._module_paths: dict[tuple[str, Path], Path | None] = {}
        self.summary_store = summary_store if summary_store is not None else {}  # digest -> json
        self.digests: dict[Path, str] = {}
        # the project files each module's summary was made from (its own imports' modules)
        self.summary_dependencies: dict[Path, set[Path]] = {}
        self._files: list[Path] | None = None
        self._texts: dict[Path, str | None] = {}
        self._cells: dict[Path, object] = {}  # a notebook module's CellMap
        self._models: dict[Path, object] = {}
        self._external_calls: dict[tuple[str, str], tuple[list, set]] = {}  # (importer, name) -> calls, modules
        self._configs: dict[Path, object] = {}
        self._token_files: dict[str, list[Path]] | None = None  # identifier -> files whose text has it
        self._imported: dict[Path, set[Path]] = {}  # file -> project modules its import lines name
        self._importers: dict[Path, set[Path]] = {}  # file -> project modules that import it
        self._model_views: dict[Path, "ProjectView"] = {}  # what each module's semantic model read
        # a module's new content that is not on disk yet (a fix in progress)
        self._unsaved: dict[Path, bytes] = {}

    # ---- names and files ------------------------------------------------------------
    @staticmethod
    def module_name(path: str | Path) -> str:
        """Dotted module name of a file, from the packages (folders with __init__.py) it sits in."""
        path = Path(os.path.abspath(path))
        parts = [path.stem] if path.stem != "__init__" else []
        folder = path.parent
        while (folder / "__init__.py").is_file():
            parts.insert(0, folder.name)
            folder = folder.parent
        return ".".join(parts) or path.parent.name

    @staticmethod
    def import_root(path: str | Path) -> Path:
        """The folder a file's absolute imports are resolved from (above its top package)."""
        folder = Path(os.path.abspath(path)).parent
        while (folder / "__init__.py").is_file():
            folder = folder.parent
        return folder

    def resolve_module(self, dotted: str, from_path: str | Path) -> Path | None:
        top = dotted.partition(".")[0]
        if not dotted or top in _NOT_PROJECT or dotted.startswith("."):
            return None
        from_dir = Path(os.path.abspath(from_path)).parent
        key = (dotted, from_dir)
        if key in self._module_paths:
            return self._module_paths[key]
        relative = Path(*dotted.split("."))
        found = None
        # (then the folders between the importer and the project root: `from port.net import Net`
        # in finetune/run.py of a checkout whose scripts run from its top folder, checked from
        # the folder above it)
        between = [folder for folder in from_dir.parents if self.root in folder.parents]
        for base in (self.import_root(from_path), from_dir, self.root, self.root / "src", *between):
            for candidate in (base / relative.with_suffix(".py"), base / relative / "__init__.py"):
                if candidate.is_file():
                    found = candidate.resolve()
                    break
            if found:
                break
        if found is None and "." in dotted:
            # `from Pix2Pix.PixGenerator import Generator` in a checkout whose own folder was the
            # author's `Pix2Pix` package (or `v4.pytorch_unet.learner`, two package levels up a
            # `sys.path.append("../..")`): the module beside the importer, when it is there.
            parts = dotted.split(".")
            for cut in range(1, len(parts)):
                tail = Path(*parts[cut:])
                found = next((c.resolve() for c in (from_dir / tail.with_suffix(".py"), from_dir / tail / "__init__.py")
                              if c.is_file()), None)
                if found is not None:
                    break
        if found is None and self._extends_sys_path(from_path):
            found = self._unique_module_file(relative)
        self._module_paths[key] = found
        return found

    def _extends_sys_path(self, path: str | Path) -> bool:
        """The importing script adds a folder to `sys.path` (often an absolute path of the
        author's machine), so its imports may name modules of any folder of the checkout."""
        try:
            text = self.text(Path(os.path.abspath(path)))
        except OSError:
            return False
        return bool(text) and "sys.path" in text

    def _unique_module_file(self, relative: Path) -> Path | None:
        """The one file of the project that is module `relative` in some folder
        (`modules/model.py` for `import model`); None when there is none or several."""
        tails = (relative.with_suffix(".py").parts, (*relative.parts, "__init__.py"))
        matches = [f for f in self.python_files() if any(f.parts[-len(t):] == t for t in tails)]
        return matches[0] if len(matches) == 1 else None

    def for_file(self, path: str | Path) -> "ProjectView":
        return ProjectView(self, Path(os.path.abspath(path)))

    # ---- the other modules, for call sites across modules -----------------------------
    def python_files(self) -> list[Path]:
        """The project's Python files (virtual environments, caches and build output skipped),
        at most _MAX_FILES of them: a bound on what one question may cost."""
        if self._files is None:
            found: list[Path] = []
            focus = self.focus if self.focus is not None and self.root in self.focus.parents else None
            for top in (focus, self.root) if focus is not None else (self.root,):
                for folder, dirs, files in os.walk(top):
                    if top is not focus and focus is not None and Path(folder) == focus.parent:
                        dirs[:] = [d for d in dirs if Path(folder, d) != focus]  # (walked already)
                    dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS
                                     and (d not in _OUTPUT_DIRS or _holds_code(Path(folder, d))))
                    # (notebooks too: they import the project's modules and call its code, so a model
                    # or loader they hand to a training class of a module is read there)
                    found.extend(Path(folder, f).resolve() for f in sorted(files) if f.endswith((".py", ".ipynb")))
                    if len(found) > _MAX_FILES:
                        break
                if len(found) > _MAX_FILES:
                    break
            self._files = found[:_MAX_FILES]
        return self._files

    def _read(self, path: Path) -> bytes:
        unsaved = self._unsaved.get(path)
        return unsaved if unsaved is not None else path.read_bytes()

    def file_changed(self, path: str | Path, data: bytes | None = None) -> None:
        """A module's content changed (a fix was applied to it): `data` is its new content when
        that is not on disk yet, None to read it from disk again. What was learnt from the module
        is forgotten: its text and words, its semantic model and summary, and those of every
        module whose analysis read it (the word index is updated, not rebuilt, so fixing
        hundreds of files costs what their own modules cost)."""
        path = Path(os.path.abspath(path)).resolve()
        old_text = self._texts.pop(path, None)
        self._cells.pop(path, None)
        self._imported.pop(path, None)
        self._importers.clear()  # (its imports may have changed)
        if data is None:
            self._unsaved.pop(path, None)
        else:
            self._unsaved[path] = data
        if self._token_files is not None:
            for word in set(_WORD.findall(old_text)) if old_text else ():
                files = self._token_files.get(word)
                if files is not None and path in files:
                    files.remove(path)
            new_text = self.text(path)
            for word in set(_WORD.findall(new_text)) if new_text else ():
                files = self._token_files.setdefault(word, [])
                if path not in files:
                    files.append(path)
        stale = {path}
        readers: dict[Path, set[Path]] = {}
        for module, deps in self.summary_dependencies.items():
            for dep in deps:
                readers.setdefault(dep, set()).add(module)
        for module, view in self._model_views.items():
            for dep in view.dependencies:
                readers.setdefault(dep, set()).add(module)
        pending = [path]
        while pending:
            for reader in readers.get(pending.pop(), ()):
                if reader not in stale:
                    stale.add(reader)
                    pending.append(reader)
        for module in stale:
            self._summaries.pop(module, None)
            self._models.pop(module, None)
            self._model_views.pop(module, None)
            self.summary_dependencies.pop(module, None)
            self.partial_models.pop(module, None)
        self.digests.pop(path, None)
        # (a call of another module's function may now be written, or gone, in this one)
        self._external_calls.clear()

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            from bnlint.source import SourceError, decode_python, load_notebook

            try:
                if path.suffix == ".ipynb":
                    # the notebook's code cells as one program (magics blanked, lines kept)
                    loaded = load_notebook(self._read(path))
                    self._texts[path], self._cells[path] = loaded.text, loaded.cells
                else:
                    self._texts[path] = decode_python(self._read(path))
            except (OSError, SourceError):
                self._texts[path] = None
        return self._texts[path]

    def files_with_token(self, token: str) -> list[Path]:
        """The project's Python files whose text holds `token` as a whole word (an identifier in
        code, a string or a comment). One pass over the project builds the index, so asking
        for hundreds of names costs one read of the files, not one scan of them per name."""
        if self._token_files is None:
            index: dict[str, list[Path]] = {}
            for path in self.python_files():
                text = self.text(path)
                for word in set(_WORD.findall(text)) if text else ():
                    index.setdefault(word, []).append(path)
            self._token_files = index
        return self._token_files.get(token, [])

    def imported_modules(self, path: Path) -> set[Path]:
        """The project modules `path`'s import lines name (resolved paths), read from its text
        without a parse: `from .nets import G`, `import utils.freeze as f`, `from backbones import
        load_backbone` (the module, and a submodule of that name when there is one)."""
        cached = self._imported.get(path)
        if cached is not None:
            return cached
        found: set[Path] = set()
        for module in _imported_module_names(self.text(path) or ""):
            resolved = self.resolve_text_import(module, path)
            if resolved is not None:
                found.add(resolved.resolve())
        self._imported[path] = found
        return found

    def importers(self, path: Path) -> set[Path]:
        """The project modules whose import lines name `path` (a resolved project file): those
        whose text holds its stem (its package's for an `__init__`), narrowed to the ones whose
        imports resolve to it (`utils` is a crowd)."""
        cached = self._importers.get(path)
        if cached is None:
            stem = path.parent.name if path.name == "__init__.py" else path.stem
            cached = self._importers[path] = {other for other in self.files_with_token(stem)
                                              if other != path and path in self.imported_modules(other)}
        return cached

    def resolve_text_import(self, module: str, from_path: Path) -> Path | None:
        """The project file an import of `module` (absolute, or relative with leading dots) in
        `from_path` names; None when it is not a project module."""
        if not module.startswith("."):
            return self.resolve_module(module, from_path)
        dots = len(module) - len(module.lstrip("."))
        folder = Path(os.path.abspath(from_path)).parent
        for _ in range(dots - 1):
            folder = folder.parent
        rest = module.lstrip(".")
        if not rest:
            return None
        relative = Path(*rest.split("."))
        for candidate in (folder / relative.with_suffix(".py"), folder / relative / "__init__.py"):
            if candidate.is_file():
                return candidate.resolve()
        return None

    def semantic_model(self, path: Path):
        """The semantic model of another project module, built once per run."""
        if path not in self._models:
            from bnlint.semantic import SemanticModel

            self._models[path] = None
            text = self.text(path)
            if text is not None:
                try:
                    tree, text = parsing.parse(text, str(path))
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
                if tree is not None:
                    view = self._model_views[path] = self.for_file(path)
                    self._models[path] = SemanticModel(tree, text, str(path), module_name=self.module_name(path),
                                                       project=view)
        return self._models[path]

    # ---- summaries -----------------------------------------------------------------
    def summary(self, path: Path) -> ModuleSummary | None:
        if path in self._summaries:
            return self._summaries[path]
        if path in self._in_progress:  # an import cycle: nothing known yet
            cycle_cut()
            return None
        try:
            data = self._read(path)
        except OSError:
            self._summaries[path] = None
            return None
        key = digest(data)
        self.digests[path] = key
        # A summary depends on the module's text, on where it is (its imports resolve from
        # there) and on the modules it read (a class built from another module's blocks): it is
        # reused only when all three are unchanged.
        store_key = digest(str(path).encode("utf-8", "surrogateescape") + b"\0" + data)
        stored = self.summary_store.get(store_key)
        if stored is not None:
            try:
                summary = ModuleSummary.from_json(stored["summary"]) if all(
                    self.file_digest(Path(dep)) == dep_digest for dep, dep_digest in stored["deps"].items()) else None
            except (TypeError, KeyError, ValueError, AttributeError):
                summary = None  # a cache entry of the wrong shape: a miss, not a crash
            if summary is not None:
                summary.path = str(path)
                self._summaries[path] = summary
                self.summary_dependencies[path] = {Path(dep) for dep in stored["deps"]}
                return summary
        self._in_progress.add(path)
        view = self.for_file(path)
        try:
            summary = self._summarize(path, data, key, view)
        except (RecursionError, MemoryError):
            summary = None  # a module too deep to summarize is unknown to its importers, nothing more
        finally:
            self._in_progress.discard(path)
            self.partial_models.pop(path, None)
        self._summaries[path] = summary
        if summary is not None:
            self.summary_dependencies[path] = {dep for dep in view.dependencies if dep != path}
            deps = {str(dep): self.file_digest(dep) for dep in self.summary_dependencies[path]}
            self.summary_store[store_key] = {"summary": summary.to_json(), "deps": deps}
        return summary

    def transitive_dependencies(self, paths) -> set[Path]:
        """`paths` and the files their summaries were made from, and theirs."""
        found, pending = set(), list(paths)
        while pending:
            path = pending.pop()
            if path not in found:
                found.add(path)
                self.file_digest(path)
                pending.extend(self.summary_dependencies.get(path, ()))
        return found

    def file_digest(self, path: Path) -> str | None:
        """The content hash of a project file (None when it cannot be read), once per run."""
        if path not in self.digests:
            try:
                self.digests[path] = digest(self._read(path))
            except OSError:
                self.digests[path] = None
        return self.digests[path]

    def _summarize(self, path: Path, data: bytes, key: str, view: "ProjectView") -> ModuleSummary | None:
        from bnlint.semantic import SemanticModel
        from bnlint.source import SourceError, decode_python

        try:
            tree, text = parsing.parse(decode_python(data), str(path))
        except (SourceError, SyntaxError, ValueError):
            return None
        model = SemanticModel(tree, text, str(path), module_name=self.module_name(path), project=view)
        self.partial_models[path] = model
        analysis = model.models
        entries: dict[str, SummaryEntry] = {}
        # `from .deeplabv3_plus import *` in a package's __init__: names looked up there too
        for position, star in enumerate(model.index.module_scope.star_imports[:20]):
            entries[f"*{position}"] = SummaryEntry(kind="star", target=star)
        for name, bindings in model.index.module_scope.bindings.items():
            bindings = _final_definition(model, bindings)
            if len(bindings) != 1:
                continue
            binding = bindings[0]
            contents = None
            kind = "value"
            if binding.kind == "def":
                kind, contents = "function", analysis.function_returns(binding.node)
                element, alone = None, False
                # `return model, optimizer`: the position of the model (some factories return the
                # model alone in another branch: `return model` when not training)
                models = analysis.tuple_returns(binding.node)
                if len(models) == 1:
                    alone = contents is not None
                    element, contents = next(iter(models.items()))
                body = analysis.scope_contents(binding.node)
                if body.bn or body.dropout or element is not None:
                    entry = SummaryEntry(kind="function", body_bn=body.bn, body_dropout=body.dropout,
                                         body_evidence=[(label, *_position(node))
                                                        for label, node in (body.bn_evidence + body.dropout_evidence)[:3]],
                                         element=element, also_alone=alone)
                    if contents is not None:
                        entry.bn, entry.dropout, entry.framework = contents.bn, contents.dropout, contents.framework
                        entry.evidence = [(label, *_position(node)) for label, node in contents.bn_evidence[:3]]
                        entry.dropout_evidence = [(label, *_position(node))
                                                  for label, node in contents.dropout_evidence[:3]]
                        entry.how = contents.how
                    entries[name] = entry
                    continue
            elif binding.kind == "class":
                kind, contents = "class", analysis.class_contents(binding.node)
            elif (binding.kind == "assign" and isinstance(binding.value, ast.Name)
                  and [b.kind for b in model.index.module_scope.bindings.get(binding.value.id, [])] == ["class"]):
                # `MTAN_R2UNet = MTAN_R2UNet_Optimized`: another name for a class of the module
                target = model.index.module_scope.bindings[binding.value.id][0]
                kind, contents = "class", analysis.class_contents(target.node)
                binding = target
            elif binding.kind == "assign" and _imported_alias(model, binding.value):
                # `model_factory = get_unet_1024` with the builder imported from model/u_net.py:
                # calling `params.model_factory(...)` calls that builder
                entries[name] = SummaryEntry(kind="reexport", target=_imported_alias(model, binding.value))
                continue
            elif binding.kind in ("assign", "annassign") and binding.value is not None:
                contents = analysis.contents_of(binding.value, binding.scope)
            elif binding.kind == "import" and binding.qualname:
                entries[name] = SummaryEntry(kind="reexport", target=binding.qualname)
                continue
            if contents is None:
                if kind in ("function", "class"):
                    # known to exist (what `from module import *` brings), nothing known of a model
                    entries[name] = SummaryEntry(kind=kind)
                    continue
                if kind == "value":
                    value = model.const(binding.value, binding.scope)
                    if isinstance(value, (int, float, bool, str)) and (not isinstance(value, str) or len(value) < 200):
                        entries[name] = SummaryEntry(kind="constant", value=value,
                                                     evidence=[(name, *_position(binding.node))])
                continue
            entries[name] = SummaryEntry(
                kind=kind, bn=contents.bn, dropout=contents.dropout, framework=contents.framework,
                evidence=[(label, *_position(node)) for label, node in contents.bn_evidence[:3]],
                dropout_evidence=[(label, *_position(node)) for label, node in contents.dropout_evidence[:3]],
                how=contents.how,
                trains_by_default=kind == "class" and trains_by_default(model, binding.node),
            )
        entries.update(_dotted_constants(model))
        return ModuleSummary(str(path), key, entries)


def _dotted_constants(model) -> dict[str, SummaryEntry]:
    """Constants a config module stores in an attribute tree at module level (`__C.TRAIN.BATCH_SIZE
    = 1` with `__C = edict()` and `cfg = __C`), under every module-level name of the tree's root:
    {"cfg.TRAIN.BATCH_SIZE": constant}."""
    stores = model.values.dotted_stores()
    if not stores:
        return {}
    names: dict[int, list[str]] = {}  # root binding -> the module-level names it is known by
    for name, bindings in model.index.module_scope.bindings.items():
        if len(bindings) != 1 or bindings[0].kind not in ("assign", "annassign"):
            continue
        root = model.values.object_root(bindings[0])
        if root is not None:
            names.setdefault(id(root.node), []).append(name)
    found = {}
    for (root, path), values in stores.items():
        if len(values) != 1 or root not in names:
            continue
        value_expr, scope = values[0]
        if scope is not model.index.module_scope:
            continue
        value = model.const(value_expr, scope)
        if isinstance(value, (int, float, bool, str)) and (not isinstance(value, str) or len(value) < 200):
            for name in names[root]:
                found[".".join((name, *path))] = SummaryEntry(kind="constant", value=value,
                                                               evidence=[(path[-1], *_position(value_expr))])
    return found


def trains_by_default(model, cls: ast.ClassDef) -> bool:
    from bnlint.semantic.training import call_method_trains_by_default

    return call_method_trains_by_default(model, cls)


_SKIPPED_DIRS = frozenset({"venv", "env", "site-packages", "node_modules", "build", "dist", "__pycache__"})
# folders that usually hold a run's data or outputs (thousands of files, no code) but are also the
# names of code packages in ML projects (`data/__init__.py` with the loader factories of pix2pix,
# vid2vid, ...): walked only when they hold Python at their top
_OUTPUT_DIRS = frozenset({"wandb", "runs", "outputs", "checkpoints", "data", "datasets", "logs"})


def _holds_code(folder: Path, look: int = 500) -> bool:
    """The folder is a package or holds a Python file among its first `look` entries (a data
    folder of images is not listed to the end)."""
    if (folder / "__init__.py").is_file():
        return True
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(".py") for entry in itertools.islice(entries, look))
    except OSError:
        return False
_MAX_FILES = 3000


def _position(node) -> tuple:
    """(line, column), and the file when the node is in another module than the one summarized."""
    where = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
    path = getattr(node, "bnlint_path", None)
    return where + (path,) if path else where


class ProjectView:
    """The project as seen from one file: resolves that file's imports."""

    def __init__(self, project: Project, path: Path):
        self.project = project
        self.path = path
        self.dependencies: set[Path] = set()  # project files whose summaries were read
        # where an import that did not resolve would be: creating it later changes the findings
        self.missing: set[Path] = set()
        self._foreign_sites: dict[tuple, object] = {}

    def _resolve(self, module: str) -> Path | None:
        path = self.project.resolve_module(module, self.path)
        if path is None and module and module.partition(".")[0] not in _NOT_PROJECT and not module.startswith("."):
            base = self.project.import_root(self.path) / Path(*module.split("."))
            self.missing.update((base.with_suffix(".py"), base / "__init__.py"))
        return path

    def others_hold_word(self, words) -> bool:
        """Whether another module of the project holds one of `words` as a whole word (the
        prefilter's side of `modules_with_any_word`)."""
        here = self.path.resolve()
        return any(path.resolve() != here for word in words for path in self.project.files_with_token(word))

    def nearest_first(self, paths) -> list[Path]:
        """`paths` (resolved) with the files of this module's own package first, then its
        neighbours'."""
        here = self.path.resolve()

        def distance(path: Path):
            shared = len(os.path.commonpath([path.parent, here.parent]).split(os.sep))
            return -shared, str(path)

        return sorted(paths, key=distance)

    def modules_with_any_word(self, words, limit: int = 40, among: set[Path] | None = None) -> list:
        """The semantic models of the project's other modules whose text holds one of `words` as
        a whole word (through the project's word index), only those of `among` when it is given
        (resolved paths); they become dependencies."""
        here = self.path.resolve()
        paths = self.nearest_first({path for word in words for path in self.project.files_with_token(word)
                                    if among is None or path in among})  # (resolved paths, both)
        found = []
        for path in paths[:limit]:
            if path.resolve() == here:
                continue
            other = self.project.semantic_model(path)
            if other is not None:
                self.dependencies.add(path)
                found.append(other)
        return found

    def program_modules(self, words) -> list:
        """The semantic models of the modules that run whenever this one is imported or used, and
        hold one of `words`: the `__init__` of each package above it, the modules it imports and
        theirs, and the modules that import it. (Process-wide registries, like absl's FLAGS, are
        filled by these; a copy of the same package elsewhere in the tree is not one of them.)
        They become dependencies."""
        here = self.path.resolve()
        paths: set[Path] = set()
        folder = here.parent
        while folder != self.project.root and self.project.root in folder.parents:
            init = folder / "__init__.py"
            if init.is_file():
                paths.add(init.resolve())
            folder = folder.parent
        imported = self.project.imported_modules(here)
        paths |= imported
        for path in imported:
            paths |= self.project.imported_modules(path)
        paths |= self.project.importers(here)
        paths.discard(here)
        found = []
        for path in sorted(paths):
            text = self.project.text(path) or ""
            if not any(word in text for word in words):
                continue
            other = self.project.semantic_model(path)
            if other is not None:
                self.dependencies.add(path)
                found.append(other)
        return found

    def connected_modules(self, hops: int = 4) -> set[Path]:
        """The project modules linked to this one by import lines within `hops` steps, either way
        (what it imports, what imports it, and theirs): the program a loader helper serves
        (weights.py, imported by the package's `__init__`, which imports the model module, which
        imports the module that builds the layers). The walk stops past 200 modules: a loader in
        a large package reaches what is nearest first."""
        here = self.path.resolve()
        found, frontier = {here}, {here}
        for _ in range(hops):
            step = set()
            for path in frontier:
                step |= self.project.imported_modules(path) | self.project.importers(path)
            frontier = step - found
            found |= frontier
            if not frontier or len(found) > 200:
                break
        found.discard(here)
        return found

    def modules_naming_this(self, names) -> set[Path]:
        """The project's other modules that may use what this module defines (resolved paths):
        those whose text names this module (its stem, or its package's for an `__init__`) or one
        of `names` (its top-level definitions) as a whole word; those that name one of these by
        its stem and import it (a converter importing a `build_model()` factory that imports the
        network module); and the modules all of these, and this one, import (a helper they call
        with this module's objects: `load_darknet(detector(), path)` in convert.py, the copy in
        darknet_io.py). A superset read from the word index and import lines, before any parse:
        rules that look for what other modules do with this module's objects read only these,
        not every module with the right words (in a large project, dozens of analyses)."""
        here = self.path.resolve()

        def stem(path: Path) -> str:
            return path.parent.name if path.name == "__init__.py" else path.stem

        def naming(words) -> set[Path]:
            # (the project's file paths are resolved already)
            return {path for word in words for path in self.project.files_with_token(word)} - {here}

        first = naming({stem(here), *names})
        # (this module's own imports too: a copy helper it calls with its layers, `bn2d_load(self.norm0, f)`)
        found = first | self.project.imported_modules(here)
        for path in first:
            found |= self.project.importers(path)
        for path in list(found):
            found |= self.project.imported_modules(path)
        found.discard(here)
        return found

    def subclasses_of(self, name: str) -> list:
        """(semantic model, class) for each class of another project module that derives from
        this module's top-level class `name` (a mixin's users: `class SiameseTrainer(GradientMixin)`
        in siamese.py). The modules read become dependencies."""
        cache = self.__dict__.setdefault("_subclasses", {})
        if name in cache:
            self.dependencies.update(Path(other.path) for other, _cls in cache[name])
            return cache[name]
        found = cache[name] = []
        here = self.path.resolve()
        for path in self.project.files_with_token(name)[:40]:
            if path.resolve() == here:
                continue
            other = self.project.semantic_model(path)
            if other is None:
                continue
            for cls in other.index.classes:
                for base in cls.bases:
                    qual = other.index.qualname(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
                    if not qual or qual.rpartition(".")[2] != name:
                        continue
                    module = qual.rpartition(".")[0]
                    resolved = self.project.resolve_module(module, path) if module else None
                    if resolved is not None and resolved.resolve() == here:
                        self.dependencies.add(path)
                        found.append((other, cls))
        return found

    def imports_mention(self, text: str, words: tuple[str, ...]) -> bool:
        """Whether a project module that `text` imports (one hop: `from backbones import
        load_backbone`, `import utils.freeze as f`, `from .nets import G`) holds one of `words`.
        Read from the text, before any parse: rules whose evidence may sit in an imported
        helper (a freeze inside `load_backbone()`) use it as their prefilter and their check
        alike. The modules looked at become dependencies, so editing one re-checks this file."""
        key = (text, words)
        cached = getattr(self, "_imports_mention", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        found = False
        for module in _imported_module_names(text):
            path = self._resolve_text_import(module)
            if path is None or path == self.path:
                continue
            self.dependencies.add(path)
            imported = self.project.text(path) or ""
            if any(word in imported for word in words):
                found = True
                break
        self._imports_mention = (key, found)
        return found

    def _resolve_text_import(self, module: str) -> Path | None:
        return self.project.resolve_text_import(module, self.path)

    def display(self, path: Path) -> str:
        return _display(path, self.project.root)

    def config_file(self, name: str):
        """The configuration file a literal path in this module names (`"configs/train.yaml"`,
        relative to this module's folder, or to a folder above it up to the project root: scripts
        are run from the top of their project, which may sit below the checked root, as
        `src/runners/base.py` reads `settings/experiment.yaml` of the folder above `src`), parsed
        into `ConfigValue`s; None when there is no such file in the project."""
        from bnlint.semantic.configfiles import CONFIG_SUFFIXES, read_config_file

        if not name or not name.lower().endswith(CONFIG_SUFFIXES) or "\0" in name:
            return None
        root = self.project.root
        above = [folder for folder in self.path.parent.parents if folder == root or root in folder.parents]
        for folder in (self.path.parent, *above):
            try:
                path = (folder / name).resolve()
                path.relative_to(root)  # only the project's own files
            except (OSError, ValueError):
                continue
            if not path.is_file():
                continue
            if path not in self.project._configs:
                try:
                    self.project.digests[path] = digest(path.read_bytes())
                except OSError:
                    continue
                self.project._configs[path] = read_config_file(path, _display(path, root))
            self.dependencies.add(path)
            return self.project._configs[path]
        return None

    def config_files_below_mention(self, word: str, limit: int = 60) -> bool:
        """A YAML file in this module's folder or a folder below it mentions `word` (a CLI may be
        run with it, overriding a class default). True when a file cannot be read (unknown is
        not "no"); the files read become dependencies of this module's findings."""
        folder = self.path.parent
        for path in sorted(folder.rglob("*.y*ml"))[:limit]:
            try:
                data = path.read_bytes()
            except OSError:
                return True
            self.project.digests[path] = digest(data)
            self.dependencies.add(path)
            if word.encode() in data:
                return True
        return False

    def norm_site_at(self, place):
        """The normalization layer built at `place` in another module of the project (evidence
        from a summary), as a site of its own (see `foreign_site`)."""
        where = Path(place.bnlint_path)
        path = where if where.is_absolute() else self.project.root / where
        other = self.project.semantic_model(path)
        if other is None:
            return None
        self.dependencies.add(path)
        line = self._program_line(path, place)
        site = next((s for s in other.norm_sites if s.call.lineno == line
                     and s.call.col_offset == place.col_offset), None)
        return self.foreign_site(site, other) if site is not None else None

    def foreign_site(self, site, other):
        """A normalization site of another module's semantic model `other`, as a site of this
        one: the epsilon is read in that module and becomes the site's default, and `call` is the
        typed location of the layer there (no arguments to read here, no fix to make from here)."""
        if hasattr(site.call, "bnlint_path"):
            return site
        key = (other.path, site.call.lineno, site.call.col_offset)
        if key not in self._foreign_sites:  # one object per layer: rules tell layers apart by identity
            self._foreign_sites[key] = self._make_foreign_site(site, other)
        return self._foreign_sites[key]

    def _make_foreign_site(self, site, other):
        from dataclasses import replace

        from bnlint.semantic import NormSite
        from bnlint.semantic.values import is_number

        value, written = other.epsilon_of(site)
        if not is_number(value):
            return None
        return NormSite(self.foreign(site.call, other), replace(site.api, epsilon_default=value), site.scope,
                        site.qualname, foreign_written=written)

    def model_builders(self, module: str) -> list[str]:
        """The qualified names of the model classes and model-returning functions a project
        module defines (from its summary), for `getattr(models, cfg.arch)(...)`."""
        if not module or module.partition(".")[0] in _NOT_PROJECT:
            return []
        path = self._resolve(module)
        summary = self.project.summary(path) if path is not None else None
        if summary is None:
            return []
        self.dependencies.add(path)
        # classes defined there, and names a package's __init__ re-exports (read when used)
        return [f"{module}.{name}" for name, entry in summary.entries.items()
                if (entry.kind in ("class", "function") and entry.framework is not None and entry.element is None)
                or entry.kind == "reexport"]

    def definition(self, qual: str, _depth: int = 0):
        """(the semantic model of the project module that defines `qual`, its top-level class or
        function node), following re-exports; None when `qual` is not a project definition."""
        if _depth > 6 or not qual or qual.partition(".")[0] in _NOT_PROJECT:
            return None
        module, _, name = qual.rpartition(".")
        path = self._resolve(module) if module else None
        other = self.project.semantic_model(path) if path is not None else None
        if other is None:
            return None
        self.dependencies.add(path)
        bindings = _final_definition(other, other.index.module_scope.bindings.get(name, []))
        if len(bindings) != 1:
            return None
        if bindings[0].kind == "import" and bindings[0].qualname:  # `from .impl import Net` in a package
            found = self.definition(bindings[0].qualname, _depth + 1)
            if found is None and Path(other.path).resolve() != self.path.resolve():
                # a name that module imports is resolved from where it is (a relative import in
                # a package whose parent folder is a namespace package, without `__init__.py`)
                there = self.project.for_file(other.path)
                found = there.definition(bindings[0].qualname, _depth + 1)
                self.dependencies.update(there.dependencies)
            return found
        if bindings[0].kind in ("assign", "annassign") and isinstance(bindings[0].value, (ast.Name, ast.Attribute)):
            # `model_factory = get_unet_1024` in a params module: the function (or class) it names
            aliased = other.index.qualname(bindings[0].value, other.index.module_scope)
            if aliased:
                return self.definition(aliased, _depth + 1)
            if isinstance(bindings[0].value, ast.Name):
                return self.definition(f"{module}.{bindings[0].value.id}", _depth + 1)
            return None
        if bindings[0].kind not in ("class", "def"):
            return None
        return other, bindings[0].node

    def module_value(self, qual: str, _depth: int = 0):
        """(the semantic model of the project module that assigns `qual` at its top level, the
        binding) for a module-level variable (`HPARAMS = dict(...)` in configs/hparams.py),
        following re-exports; None otherwise."""
        if _depth > 6 or not qual or qual.partition(".")[0] in _NOT_PROJECT:
            return None
        module, _, name = qual.rpartition(".")
        path = self._resolve(module) if module else None
        other = self.project.semantic_model(path) if path is not None else None
        if other is None:
            return None
        self.dependencies.add(path)
        bindings = other.index.module_scope.bindings.get(name, [])
        if len(bindings) != 1:
            return None
        if bindings[0].kind == "import" and bindings[0].qualname:
            return self.module_value(bindings[0].qualname, _depth + 1)
        if bindings[0].kind not in ("assign", "annassign") or bindings[0].value is None:
            return None
        return other, bindings[0]

    def external_calls(self, name: str) -> list[tuple[object, ast.Call, bool]]:
        """Calls of this module's top-level function or class `name` made in other modules of the
        project: (that module's semantic model, the call, whether it is bound, i.e. a class
        constructor call whose `self` is implicit)."""
        own = self.path.resolve()

        def matches(other, path, call) -> bool:
            if not isinstance(call.func, (ast.Name, ast.Attribute)):
                return False
            qual = other.index.qualname(call.func)
            if not qual or qual.rpartition(".")[2] != name:
                return False
            module = qual.rpartition(".")[0]
            if not module:
                return False
            resolved = self.project.resolve_module(module, path)
            if resolved == own:
                return True
            if resolved is None or resolved.name != "__init__.py":
                return False
            # `from utils import evaluate`, where `utils/__init__.py` re-exports it from `.metrics`
            found = self.project.for_file(path).definition(qual)
            return found is not None and Path(found[0].path).resolve() == own

        return self._calls_elsewhere(name, (name,), matches, bound=False)

    def external_instantiations(self, name: str) -> list[tuple[object, ast.Call, dict]]:
        """Hydra's `instantiate(cfg.model, **overrides)` calls in other modules of the project whose
        config's `_target_` names this module's class `name`: (that module's semantic model, the
        call, the config's members)."""
        own = self.path.resolve()
        found = []
        for other, call, _bound in self._calls_elsewhere("instantiate", ("instantiate",),
                                                         _is_instantiate, bound=True):
            members = other.values.members(call.args[0], other.index.scope_of(call), "item")
            target = members.get("_target_") if members else None
            qual = other.values.const(target[0]) if target else None
            module, _, last = qual.rpartition(".") if isinstance(qual, str) else ("", "", "")
            if last == name and module and self.project.resolve_module(module, other.path) == own:
                found.append((other, call, members))
        return found

    def external_partials(self, name: str) -> list[tuple[object, ast.Call, bool]]:
        """`functools.partial(name, ...)` calls in other modules of the project whose function is
        this module's top-level function `name` (`norm = partial(build_norm, cfg["norm"])`)."""
        own = self.path.resolve()

        def matches(other, path, call) -> bool:
            if not call.args or not isinstance(call.args[0], (ast.Name, ast.Attribute)):
                return False
            if (other.index.qualname(call.func) or "") != "functools.partial":
                return False
            qual = other.index.qualname(call.args[0]) or ""
            module, _, last = qual.rpartition(".")
            return last == name and bool(module) and self.project.resolve_module(module, path) == own

        return self._calls_elsewhere(f"partial:{name}", (name, "partial"), matches, bound=False)

    def external_registry_calls(self, registry: str) -> list[tuple[object, ast.Call, bool]]:
        """Calls made in other modules of the project through this module's top-level dict
        `registry` (`REGISTRY[cfg["arch"]](**cfg)` with `from tcn_keras import REGISTRY`): (that
        module's semantic model, the call, False)."""
        own = self.path.resolve()

        def matches(other, path, call) -> bool:
            func = call.func
            if not (isinstance(func, ast.Subscript) and isinstance(func.value, (ast.Name, ast.Attribute))):
                return False
            qual = other.index.qualname(func.value)
            if not qual or qual.rpartition(".")[2] != registry or not qual.rpartition(".")[0]:
                return False
            return self.project.resolve_module(qual.rpartition(".")[0], path) == own

        return self._calls_elsewhere(f"{registry}[]", (registry,), matches, bound=False)

    def external_method_calls(self, class_name: str, method: str, duck_typed: bool = False,
                              on_class: bool = False) -> list[tuple[object, ast.Call, bool]]:
        """Calls of method `method` of this module's top-level class `class_name` made in other
        modules of the project on one of its instances (`trainer = Trainer(model, ...)`, then
        `trainer.train(epoch, train_loader)`): (that module's semantic model, the call, True).
        `duck_typed`: also in modules that never name the class (`self.model =
        separator_model.get_model()` of an instance a third module passes in); costlier, as
        every module calling a method of that name is read."""
        from bnlint.semantic.models import instance_class, possible_instance_classes

        own = self.path.resolve()

        def matches(other, path, call) -> bool:
            if not (isinstance(call.func, ast.Attribute) and call.func.attr == method):
                return False
            owner = instance_class(other.models, call.func.value, external=duck_typed)
            if owner is None and isinstance(call.func.value, ast.Name):
                # (an object of one of several classes, by branch: a call of this method when it is this class)
                return any(cls.name == class_name and Path(home.model.path).resolve() == own
                           for home, cls in possible_instance_classes(other.models, call.func.value))
            if owner is None and on_class and isinstance(call.func.value, (ast.Name, ast.Attribute)):
                # `RunSpec.from_json(path)`: a class or static method called on the class itself
                # (a plain method called so gets `self` passed by hand: its arguments would shift)
                qual = other.index.qualname(call.func.value) or ""
                module, _, name = qual.rpartition(".")
                return name == class_name and bool(module) and self.project.resolve_module(module, path) == own
            return owner is not None and owner[1].name == class_name and Path(owner[0].model.path).resolve() == own

        words = (method,) if duck_typed else (class_name, method)
        key = f"{class_name}.{method}{'~' if duck_typed else ''}{'^' if on_class else ''}"
        return self._calls_elsewhere(key, words, matches, bound=True)

    def modules_mentioning(self, words, whole_words: bool = False) -> list:
        """The semantic models of the project's other modules whose text contains every one of
        `words` (as whole words when `whole_words`: names; else anywhere, `BatchNorm` in
        `BatchNorm2d`); they become dependencies."""
        found = []
        own = self.path.resolve()
        for path in self._candidate_files(words) if whole_words else self.project.python_files():
            text = self.project.text(path) if path != own else None
            if not text or not all(word in text for word in words):
                continue
            other = self.project.semantic_model(path)
            if other is not None:
                self.dependencies.add(path)
                found.append(other)
        return found

    def _calls_elsewhere(self, key_name: str, words, matches, bound: bool) -> list[tuple[object, ast.Call, bool]]:
        """The calls `matches(model, path, call)` accepts in the project's other modules that
        mention every one of `words`, once per run (the modules found become dependencies)."""
        def search():
            found = []
            own = self.path.resolve()
            for path in self._candidate_files(words):
                if path == own:
                    continue
                other = self.project.semantic_model(path)
                if other is None:
                    continue
                found.extend((other, call, bound) for call in other.index.calls if matches(other, path, call))
            return found, {Path(o.path) for o, _c, _b in found}

        # (found while a module's summary is being made, a call's name may not resolve yet: such
        # an answer is not kept)
        found, modules = memoized(self.project._external_calls, (str(self.path), key_name), ([], set()), search)
        self.dependencies.update(modules)
        return found

    def called_with_self_elsewhere(self, name: str) -> bool:
        """Another project file calls `name` with `self` first (`utils.validate(self, loader)`,
        not `def validate(self, ...)`): a cheap look at the files' text before their calls are
        read."""
        own = self.path.resolve()
        spelled = re.compile(rf"(?<!def ){re.escape(name)}\(\s*self\s*[,)]")
        return any(spelled.search(self.project.text(path) or "") for path in self._candidate_files((name,))
                   if path != own)

    def _candidate_files(self, names) -> list[Path]:
        """The project files whose text holds every one of `names` as a whole word, in the
        project's order (a call of `name`, an import of it, an attribute named so all spell it
        out as one word)."""
        sets = sorted((self.project.files_with_token(name) for name in names), key=len)
        if not sets or not sets[0]:
            return []
        others = [set(s) for s in sets[1:]]
        return [path for path in sets[0] if all(path in other for other in others)]

    def foreign(self, node, other) -> "ForeignNode":
        """A node of another module's semantic model as a place evidence can point at (in a
        notebook: its cell and the line within it)."""
        if hasattr(node, "bnlint_path"):
            return node
        line, cell = getattr(node, "lineno", 1), None
        cells = self.project._cells.get(Path(other.path))
        if cells is not None:
            cell, line = cells.locate(line)
        return ForeignNode(_display(Path(other.path), self.project.root), line,
                           getattr(node, "col_offset", 0), source=(other, node), cell=cell)

    def _program_line(self, path: Path, place) -> int:
        """The line of the module's program a place stands for (a notebook's place is a cell and
        a line within it)."""
        cell = getattr(place, "cell", None)
        cells = self.project._cells.get(Path(path).resolve()) if cell is not None else None
        if cells is None:
            return place.lineno
        try:
            return cells.lines.index((cell, place.lineno)) + 1
        except ValueError:
            return place.lineno

    def source_of(self, place: "ForeignNode"):
        """(the semantic model, the call) a typed location of another module points at: kept
        when it was made from the node, else found by its position (evidence read from a
        module summary); None when neither."""
        if place.source is not None:
            return place.source
        path = self.project.root / place.bnlint_path
        other = self.project.semantic_model(path.resolve()) if path.is_file() else None
        if other is None:
            return None
        found = next((c for c in other.index.calls
                      if c.lineno == self._program_line(path, place) and c.col_offset == place.col_offset), None)
        return (other, found) if found is not None else None

    def constant_of_qualname(self, qual: str) -> tuple[bool, object]:
        """(True, value) when `qual` names a module-level constant of a project module."""
        found = self._constant_entry(qual)
        return (True, found[0].value) if found else (False, None)

    def constant_origin(self, qual: str) -> ForeignNode | None:
        """Where the project constant `qual` is assigned, for evidence."""
        found = self._constant_entry(qual)
        if not found or not found[0].evidence:
            return None
        _name, line, col, *_where = found[0].evidence[0]
        return ForeignNode(found[1], line, col)

    def _constant_entry(self, qual: str, _depth: int = 0) -> tuple[SummaryEntry, str] | None:
        if _depth > 6 or not qual or qual.partition(".")[0] in _NOT_PROJECT:
            return None
        module, _, name = qual.rpartition(".")
        path, entry = self._entry(module, name) if module else (None, None)
        if entry is None:
            # `config.cfg.TRAIN.BATCH_SIZE`: a module (`config`) and an attribute tree in it
            parts = qual.split(".")
            for split in range(len(parts) - 2, 0, -1):
                path, entry = self._entry(".".join(parts[:split]), ".".join(parts[split:]))
                if entry is not None:
                    break
        if entry is None:
            return None
        if entry.kind == "reexport" and entry.target:
            return self._constant_entry(entry.target, _depth + 1)
        if entry.kind == "constant":
            return entry, _display(path, self.project.root)
        return None

    def _entry(self, module: str, name: str) -> tuple[Path | None, SummaryEntry | None]:
        """The summary entry of `name` in project module `module` (a dependency from now on)."""
        path = self._resolve(module)
        if path is None:
            return None, None
        summary = self.project.summary(path)
        self.dependencies.add(path)
        return path, summary.entries.get(name) if summary is not None else None

    def star_export(self, module: str, name: str, _depth: int = 0) -> str | None:
        """What `name` is in project module `module` (for `from module import *`): the name it
        imports (`nn` -> `torch.nn`), or `module.name` for a model or constant it defines, also
        through the module's own star imports (`from nets import *` in the helpers a script
        star-imports)."""
        path, entry = self._entry(module, name)
        if entry is None:
            other = self.project.semantic_model(path) if path is not None and _depth < 4 else None
            if other is not None and any(b.kind in ("assign", "annassign")
                                         for b in other.index.module_scope.bindings.get(name, [])):
                # a variable it assigns at its top level (`trainArgs = {}`, filled below)
                return f"{module}.{name}"
            for star in other.index.module_scope.star_imports if other is not None else ():
                found = self.project.for_file(path).star_export(star, name, _depth + 1)
                if found is not None:
                    return found
            return None
        if entry.kind == "reexport":
            return entry.target
        return f"{module}.{name}"

    def trains_by_default(self, qual: str, _depth: int = 0) -> bool:
        """The project class `qual` declares `call(self, x, training=True)`."""
        if _depth > 6 or not qual or qual.partition(".")[0] in _NOT_PROJECT:
            return False
        module, _, name = qual.rpartition(".")
        path = self._resolve(module) if module else None
        summary = self.project.summary(path) if path is not None else None
        entry = summary.entries.get(name) if summary is not None else None
        if entry is None:
            return False
        self.dependencies.add(path)
        if entry.kind == "reexport" and entry.target:
            return self.trains_by_default(entry.target, _depth + 1)
        return entry.trains_by_default

    def contents_of_qualname(self, qual: str, call=None, _depth: int = 0, body: bool = False,
                             element: int | None = None):
        """Contents of the model that calling `qual` (a project function or class) gives; with
        `body`, what a function's body builds into the graph of its caller, whatever it returns;
        with `element`, the model at that position of the tuple it returns."""
        from bnlint.semantic.models import Contents

        if _depth > 6 or not qual or qual.partition(".")[0] in _NOT_PROJECT:
            return None
        parts = qual.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            path = self._resolve(module)
            if path is None:
                continue
            found = self._contents_in_module(path, parts, cut, call, _depth, body, element)
            if found is not _SUBMODULE:
                return found
        return None

    def contents_of_definition(self, definition: "ForeignDefinition", call=None):
        """Contents of the model that calling another module's top-level class or function gives."""
        found = self._contents_in_module(definition.module_path, [definition.name], 0, call, 0, False, None)
        return None if found is _SUBMODULE else found

    def _contents_in_module(self, path: Path, parts: list, cut: int, call, _depth: int, body: bool,
                            element: int | None):
        from bnlint.semantic.models import Contents

        summary = self.project.summary(path)
        self.dependencies.add(path)
        if summary is None:
            partial = self.project.partial_models.get(path)
            if partial is not None and cut + 1 == len(parts):
                return self._contents_in_partial_model(partial, path, parts[cut], body, element)
            return None
        name = parts[cut]
        entry = summary.entries.get(name)
        if entry is None and cut + 1 == len(parts):
            # a name the module star-imports from another project module
            for star in (e for key, e in summary.entries.items() if key.startswith("*") and e.kind == "star"):
                found = self.contents_of_qualname(f"{star.target}.{name}", call, _depth + 1, body, element)
                if found is not None:
                    return found
        if entry is None:
            # `import pkg; pkg.sub.build()`: a submodule of the module found
            return _SUBMODULE
        if entry.kind == "reexport":
            target = entry.target + ("." + ".".join(parts[cut + 1:]) if cut + 1 < len(parts) else "")
            found = self.contents_of_qualname(target, call, _depth + 1, body, element)
            if found is None and path.resolve() != self.path.resolve():
                # resolved from the re-exporting module (a relative import in a package whose
                # parent folder has no `__init__.py`), as `definition` does
                there = self.project.for_file(path)
                found = there.contents_of_qualname(target, call, _depth + 1, body, element)
                self.dependencies.update(there.dependencies)
            return found
        if cut + 1 < len(parts):
            return None
        display = _display(path, self.project.root)
        if body and entry.kind == "function" and (entry.body_bn or entry.body_dropout):
            contents = Contents(bn=entry.body_bn, dropout=entry.body_dropout, how=f"`{name}()` in {display}")
            for label, line, col, *where in entry.body_evidence:
                node = ForeignNode(where[0] if where else display, line, col)
                (contents.dropout_evidence if "ropout" in label else contents.bn_evidence).append((label, node))
            return contents
        if entry.element != element and not (element is None and entry.also_alone):
            return None  # the call gives a tuple, not the model; or the model is at another position
        if entry.bn is None and entry.dropout is None and entry.framework is None and entry.kind == "function" \
                and not entry.evidence:
            return None  # a graph-building helper: it returns no model
        contents = Contents(bn=entry.bn, dropout=entry.dropout, framework=entry.framework,
                            how=f"{entry.how} in {display}" if entry.how else display)
        contents.bn_evidence = [(label, ForeignNode(where[0] if where else display, line, col))
                                for label, line, col, *where in entry.evidence]
        contents.dropout_evidence = [(label, ForeignNode(where[0] if where else display, line, col))
                                     for label, line, col, *where in entry.dropout_evidence]
        return contents


    def _contents_in_partial_model(self, other, path: Path, name: str, body: bool, element: int | None):
        """What calling the top-level function or class `name` of a module whose summary is being
        made (an import cycle) gives, read from that module's own semantic model."""
        bindings = _final_definition(other, other.index.module_scope.bindings.get(name, []))
        if len(bindings) != 1 or bindings[0].kind not in ("def", "class"):
            return None
        node, analysis = bindings[0].node, other.models
        if bindings[0].kind == "class":
            contents = analysis.class_contents(node)
        elif body:
            contents = analysis.scope_contents(node)
        elif element is not None:
            contents = analysis.tuple_returns(node).get(element)
        else:
            contents = analysis.function_returns(node)
        if contents is None or (contents.framework is None and not contents.bn and not contents.dropout):
            return None
        from bnlint.semantic.models import Contents

        display = _display(path, self.project.root)
        result = Contents(bn=contents.bn, dropout=contents.dropout, framework=contents.framework,
                          how=f"`{name}()` in {display}")
        result.bn_evidence = [(label, self.foreign(n, other)) for label, n in contents.bn_evidence[:3]]
        result.dropout_evidence = [(label, self.foreign(n, other)) for label, n in contents.dropout_evidence[:3]]
        return result


# `_contents_in_module` found no such name in the module: the name may be a submodule's
_SUBMODULE = object()


def _is_instantiate(other, path, call) -> bool:
    return bool(call.args) and (other.index.qualname(call.func) or "") in (
        "hydra.utils.instantiate", "hydra.utils.call")


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _imported_alias(model, value) -> str | None:
    """The qualified name an assigned name or attribute stands for when it names what the module
    imports (`get_unet_1024` from `from model.u_net import get_unet_1024`, `nets.build`), else None."""
    if isinstance(value, ast.Name):
        bindings = model.index.module_scope.bindings.get(value.id, [])
        return bindings[0].qualname if len(bindings) == 1 and bindings[0].kind == "import" else None
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
        bindings = model.index.module_scope.bindings.get(value.value.id, [])
        if len(bindings) == 1 and bindings[0].kind == "import" and bindings[0].qualname:
            return f"{bindings[0].qualname}.{value.attr}"
    return None


def _final_definition(model, bindings: list) -> list:
    """A class or function written several times at a module's top level (an old version left
    above the new one): importers get the last. Other bindings as they are."""
    if len(bindings) > 1 and all(b.kind in ("class", "def") and model.index.parents.get(b.node) is model.index.tree
                                 for b in bindings):
        return [max(bindings, key=lambda b: b.node.lineno)]
    return bindings
