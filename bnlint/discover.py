"""Which files to lint: walk the paths, honour exclude patterns and .gitignore (pathspec).

The rules, chosen to match flake8 where the two tools differ from ruff:

- Paths are reported as the walk reaches them from the argument, like flake8:
  `bnlint check .` reports `./pkg/train.py`, `bnlint check pkg` reports `pkg/train.py`,
  `bnlint check ./train.py` reports `./train.py`, an absolute argument gives absolute paths.
- Walking a directory lints the `.py`, `.pyi` and `.ipynb` files in it; a file named on the
  command line is linted whatever its suffix.
- `exclude` (default: DEFAULT_EXCLUDE) and `extend-exclude` are gitignore-style patterns,
  matched against the path relative to the folder of the configuration (the current
  directory when there is none): a pattern without a slash matches that name at any depth
  (`build` skips every `build/` folder), one with a slash is anchored to that folder.
  They apply to what a walk finds *and* to files and folders named on the command line
  (flake8's behaviour; ruff needs `force-exclude = true` for it), so that the file lists
  pre-commit passes obey the configuration. The folder being checked itself (`.`, the
  project root or a folder above it) is never excluded.
- `.gitignore` files (and `.git/info/exclude`) are read inside a git repository, with git's
  precedence (a deeper `.gitignore`, `!negations`); they apply to what a walk finds. A file
  named explicitly is linted even when git ignores it (you asked for it). Turn this off
  with `respect-gitignore = false`.
- Symbolic links to folders are not followed (no cycles); symbolic links to files are linted.
- A path that does not exist is kept: reading it reports BN902.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pathspec

from bnlint.config import Settings

SUFFIXES = (".py", ".pyi", ".ipynb")


def _spec(lines: list[str]) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _verdict(spec: pathspec.PathSpec, rel: str) -> bool | None:
    """True: ignored, False: re-included by a `!pattern`, None: no pattern matches."""
    check = getattr(spec, "check_file", None)
    if check is not None:  # pathspec >= 0.12
        return check(rel).include
    return True if spec.match_file(rel) else None


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class Excluder:
    def __init__(self, settings: Settings):
        self.root = Path(os.path.abspath(settings.root))
        self.spec = _spec([*settings.exclude, *settings.extend_exclude])
        self.respect_gitignore = settings.respect_gitignore
        self._gitignores: dict[Path, pathspec.PathSpec | None] = {}
        self._repos: dict[Path, Path | None] = {}

    # ---- exclude / extend-exclude ----------------------------------------------------
    def excluded(self, path: Path, is_dir: bool, base: Path | None = None) -> bool:
        """`path` (absolute) matched against the patterns, relative to the root when it lies
        inside it, else relative to `base` (the folder whose walk found it)."""
        if _is_within(path, self.root):
            anchor = self.root
        elif base is not None and _is_within(path, base):
            anchor = base
        else:
            anchor = path.parent
        if path == anchor:
            return False
        rel = path.relative_to(anchor).as_posix()
        return bool(self.spec.match_file(rel + "/" if is_dir else rel))

    def excluded_argument(self, raw: str) -> bool:
        """A path named on the command line."""
        path = Path(os.path.abspath(raw))
        if _is_within(self.root, path):  # the project root or a folder above it
            return False
        if not _is_within(path, self.root):
            resolved = Path(raw).resolve()
            if _is_within(resolved, self.root) and not _is_within(self.root, resolved):
                path = resolved
        return self.excluded(path, path.is_dir())

    # ---- .gitignore ------------------------------------------------------------------
    def ignored_by_git(self, path: Path, is_dir: bool) -> bool:
        if not self.respect_gitignore:
            return False
        repo = self._repo(path.parent)
        if repo is None:
            return False
        directory = path.parent
        while True:
            spec = self._gitignore(directory, directory / ".gitignore")
            if spec is not None:
                rel = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
                verdict = _verdict(spec, rel)
                if verdict is not None:
                    return verdict
            if directory == repo:
                break
            directory = directory.parent
        spec = self._gitignore(repo / ".git", repo / ".git" / "info" / "exclude")
        if spec is not None:
            rel = path.relative_to(repo).as_posix() + ("/" if is_dir else "")
            return bool(_verdict(spec, rel))
        return False

    def _repo(self, directory: Path) -> Path | None:
        """The nearest folder at or above `directory` holding `.git` (a folder or a file)."""
        if directory not in self._repos:
            if (directory / ".git").exists():
                found: Path | None = directory
            elif directory.parent == directory:
                found = None
            else:
                found = self._repo(directory.parent)
            self._repos[directory] = found
        return self._repos[directory]

    def _gitignore(self, key: Path, ignore_file: Path) -> pathspec.PathSpec | None:
        if key not in self._gitignores:
            spec = None
            if ignore_file.is_file():
                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = _spec(lines)
                except (OSError, ValueError):
                    spec = None
            self._gitignores[key] = spec
        return self._gitignores[key]


def discover(paths: list[str], settings: Settings) -> Iterator[str]:
    """Yield the files to lint, named as flake8 names them (relative paths stay relative)."""
    excluder = Excluder(settings)
    seen: set[str] = set()
    for raw in paths:
        if os.path.isdir(raw):
            if excluder.excluded_argument(raw):
                continue
            for found in _walk(raw, excluder):
                key = os.path.abspath(found)
                if key not in seen:
                    seen.add(key)
                    yield found
        else:
            try:
                excluded = os.path.lexists(raw) and excluder.excluded_argument(raw)
            except (OSError, RuntimeError):  # a symlink loop: reported as BN902 when read
                excluded = False
            if excluded:
                continue
            key = os.path.abspath(raw)
            if key not in seen:
                seen.add(key)
                yield raw


def _walk(top: str, excluder: Excluder) -> Iterator[str]:
    base = Path(os.path.abspath(top))
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            yield directory  # reported as BN902 when read
            continue
        subdirs = []
        for entry in entries:
            absolute = Path(os.path.abspath(entry.path))
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if not is_dir:
                try:
                    is_file = entry.is_file()  # a link to a file counts; to a folder, not
                except OSError:
                    is_file = False
                if not is_file or not entry.name.endswith(SUFFIXES):
                    continue
            if excluder.excluded(absolute, is_dir, base) or excluder.ignored_by_git(absolute, is_dir):
                continue
            if is_dir:
                subdirs.append(entry.path)
            else:
                yield entry.path
        stack.extend(reversed(subdirs))
