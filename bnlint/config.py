"""Settings: `[tool.bnlint]` in pyproject.toml (or --config), merged with the command line."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from bnlint import registry
from bnlint.diagnostics import TOOL_DIAGNOSTICS

KNOWN_KEYS = {"max-file-size", "select", "ignore", "extend-select", "exclude", "extend-exclude", "per-file-ignores",
              "respect-gitignore"}

DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pants.d", ".pytype",
    ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__", "_build", "buck-out", "build",
    "dist", "node_modules", "site-packages", "venv", ".ipynb_checkpoints", ".bnlint_cache",
)


class ConfigError(Exception):
    """A configuration or usage problem: exit status 2 with this message."""


@dataclass
class Settings:
    select: set[str]
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, set[str]] = field(default_factory=dict)
    respect_gitignore: bool = True
    root: Path = field(default_factory=Path.cwd)  # where the config was found (or cwd)
    config_file: Path | None = None
    # Files larger than this are reported as skipped (BN905), not parsed: `ast` needs about 190
    # bytes of memory per byte of source (a 52 MB module took 9.7 GB), so 4 MB keeps a run
    # under 1 GB.
    max_file_size: int = 4_000_000
    # The folder whose modules cross-module analysis reads (imports resolved, callers found):
    # `root`, unless the checked paths lie outside it (see `analysis_root`).
    project_root: Path | None = None
    # The folder of the checked paths inside `project_root`: its modules are read first, so a
    # project root holding more files than a run reads (bnlint run from a home or scratch
    # folder) still has the checked project's own modules in view.
    focus_root: Path | None = None
    # BN901 was selected by name: with no rule enabled (`--select BN901`), every file is still
    # parsed to report the ones that do not parse
    syntax_selected: bool = False

    def fingerprint(self) -> str:
        """What a cached result depends on besides the file and bnlint's version."""
        pfi = sorted((k, sorted(v)) for k, v in self.per_file_ignores.items())
        return repr((sorted(self.select), pfi, self.max_file_size, self.syntax_selected))


def find_pyproject(start: Path) -> Path | None:
    try:
        start = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop: look from the folder it is named in
        start = Path(os.path.abspath(start)).parent
    if start.is_file() or not start.exists():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                raw = candidate.read_bytes()
            except OSError:
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                # settings bnlint cannot read are an error, never silently ignored
                if b"tool.bnlint" in raw:
                    raise ConfigError(f"{candidate} is not UTF-8 ({exc.reason} at byte {exc.start}); "
                                      f"TOML files must be UTF-8") from None
                continue
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                # A broken pyproject.toml that configures bnlint is an error, not a reason to
                # silently lint with another folder's settings (or none).
                if "tool.bnlint" in text:
                    raise ConfigError(f"{candidate} is not valid TOML: {exc}") from None
                continue
            tool = data.get("tool", {})
            if isinstance(tool, dict) and "bnlint" in tool:
                return candidate
    return None


def read_table(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table, found {type(tool).__name__}")
    if path.name == "pyproject.toml":
        table = tool.get("bnlint", {})
    else:  # a bnlint.toml / .bnlint.toml given with --config: [tool.bnlint] or top level
        table = tool.get("bnlint", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.bnlint] must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) in [tool.bnlint]: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    return table


def _codes(value, source: str) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.replace(" ", "").split(",") if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source} must be a list of rule codes")
    return value


def _expand(value, source: str) -> set[str]:
    try:
        return registry.expand_codes(_codes(value, source), source=source)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _names_code(value, source: str, code: str) -> bool:
    """A selection names `code` itself or a prefix of it (`BN901`, `BN9`), not just "ALL"."""
    return any(entry.upper() != "ALL" and code.startswith(entry.upper()) for entry in _codes(value, source))


def _patterns(value, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source} must be a list of glob patterns")
    return tuple(value)


def resolve(
    paths: list[str],
    config_file: str | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    extend_select: list[str] | None = None,
) -> Settings:
    """Settings from the config file found for `paths` and the command-line options."""
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"--config: no such file: {config_file}")
    else:
        first = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
        path = find_pyproject(first)
    table = read_table(path) if path else {}
    where = f"{path}" if path else "config"

    all_codes = set(registry.by_code())
    ignored: set[str] = set()  # named by an ignore (file or command line)
    chosen = _expand(table["select"], f"{where}: select") if "select" in table else set(all_codes)
    if "extend-select" in table:
        chosen |= _expand(table["extend-select"], f"{where}: extend-select")
    if "ignore" in table:
        ignored |= _expand(table["ignore"], f"{where}: ignore")
        chosen -= ignored
    # The command line wins over the file, as in ruff: --select replaces the file's selection.
    if select is not None:
        chosen = _expand(select, "--select")
    if extend_select:
        chosen |= _expand(extend_select, "--extend-select")
    if ignore:
        ignored |= _expand(ignore, "--ignore")
        chosen -= ignored
    # The tool diagnostics (BN901 syntax error, BN902 unreadable file, BN903 invalid notebook)
    # say that a file was not checked at all; `--select BN002` must not turn them into a
    # silent pass. They are reported unless an ignore names them.
    chosen |= {rule.code for rule in TOOL_DIAGNOSTICS} - ignored
    selections = [(table.get("select"), where), (table.get("extend-select"), where), (select, "--select"),
                  (extend_select, "--extend-select")]
    syntax_selected = "BN901" not in ignored and any(
        _names_code(value, source, "BN901") for value, source in selections if value)

    per_file: dict[str, set[str]] = {}
    raw_pfi = table.get("per-file-ignores", {})
    if not isinstance(raw_pfi, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [codes]")
    for pattern, codes in raw_pfi.items():
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except Exception as exc:  # pathspec's errors for a malformed pattern vary by version
            raise ConfigError(f"{where}: per-file-ignores: invalid pattern {pattern!r}: {exc}") from None
        per_file[pattern] = _expand(codes, f"{where}: per-file-ignores[{pattern!r}]")

    root = path.parent.resolve() if path else Path.cwd().resolve()
    settings = Settings(select=chosen, per_file_ignores=per_file, syntax_selected=syntax_selected,
                        root=root, config_file=path, project_root=analysis_root(paths, root),
                        focus_root=checked_folder(paths))
    if "exclude" in table:
        settings.exclude = _patterns(table["exclude"], f"{where}: exclude")
    if "extend-exclude" in table:
        settings.extend_exclude = _patterns(table["extend-exclude"], f"{where}: extend-exclude")
    if "max-file-size" in table:
        value = table["max-file-size"]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"{where}: max-file-size must be a positive number of bytes")
        settings.max_file_size = value
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise ConfigError(f"{where}: respect-gitignore must be true or false")
        settings.respect_gitignore = table["respect-gitignore"]
    return settings


def analysis_root(paths: list[str], root: Path) -> Path:
    """The project whose other modules cross-module analysis reads (imports resolved, callers
    found). For paths inside `root` (the configuration's folder, or the working directory),
    `root`, unless a repository or packaging marker sits between them and it (`bnlint check
    projects/unet` from the home folder: the checkout `projects/unet`). For paths outside it
    (`bnlint check ~/src/unet` run from elsewhere), the nearest folder above them that holds a
    marker, else the folder checked. Without this, a project checked from outside would be read
    module by module, its imports and callers unseen."""
    common = _common_folder(paths)
    if common is None:
        return root
    inside = common == root or root in common.parents
    if common == Path(common.anchor):
        return root  # paths of unrelated trees: no folder to read as one project
    for folder in (common, *common.parents):
        if folder == root or folder == Path(folder.anchor) or folder == Path.home():
            break
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    return root if inside else common


def checked_folder(paths: list[str]) -> Path | None:
    """The folder holding every checked path (None for stdin only, or unrelated trees)."""
    common = _common_folder(paths)
    return None if common is None or common == Path(common.anchor) else common.resolve()


def _common_folder(paths: list[str]) -> Path | None:
    """The deepest folder holding every checked path (a file counts by its folder); None when
    only stdin is checked."""
    folders = []
    for name in paths:
        if not name or name == "-":
            continue
        absolute = Path(os.path.abspath(name))
        folders.append(absolute if absolute.is_dir() else absolute.parent)
    return Path(os.path.commonpath([str(f) for f in folders])) if folders else None


_PROJECT_MARKERS = (".git", ".hg", "pyproject.toml", "setup.py", "setup.cfg")


def split_codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def relative_to_root(path: str, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()
