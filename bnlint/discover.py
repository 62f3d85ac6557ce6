"""Which files to lint: walk the paths, honour exclude patterns and .gitignore (pathspec)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pathspec

from bnlint.config import Settings, relative_to_root

SUFFIXES = (".py", ".pyi", ".ipynb")


class Excluder:
    def __init__(self, settings: Settings):
        self.root = settings.root
        patterns = [*settings.exclude, *settings.extend_exclude]
        # Exclude patterns are gitignore-style globs, matched against the path from the
        # config's folder and against each path component (so "build" excludes any build/).
        self.spec = pathspec.PathSpec.from_lines("gitwildmatch", patterns)
        self.respect_gitignore = settings.respect_gitignore
        self._gitignores: dict[Path, pathspec.PathSpec | None] = {}

    def excluded(self, path: Path, is_dir: bool) -> bool:
        rel = relative_to_root(str(path), self.root)
        probe = rel + "/" if is_dir else rel
        if self.spec.match_file(probe) or self.spec.match_file(path.name + ("/" if is_dir else "")):
            return True
        return False

    def ignored_by_git(self, path: Path, is_dir: bool) -> bool:
        if not self.respect_gitignore:
            return False
        for directory in path.parents:
            spec = self._gitignore(directory)
            if spec is not None:
                rel = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
                if spec.match_file(rel):
                    return True
            if (directory / ".git").exists():
                break
        return False

    def _gitignore(self, directory: Path) -> pathspec.PathSpec | None:
        if directory not in self._gitignores:
            spec = None
            ignore_file = directory / ".gitignore"
            if ignore_file.is_file():
                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.PathSpec.from_lines("gitwildmatch", lines)
                except OSError:
                    spec = None
            self._gitignores[directory] = spec
        return self._gitignores[directory]


def discover(paths: list[str], settings: Settings) -> Iterator[str]:
    """Yield the files to lint, as the user would name them (relative paths stay relative).

    A file named on the command line is linted whatever its suffix, unless an exclude pattern
    matches it (as flake8 does, so that pre-commit's file lists obey the config).
    Paths that do not exist are yielded too; reading them reports BN902.
    """
    excluder = Excluder(settings)
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in _walk(raw, excluder):
                key = os.path.abspath(found)
                if key not in seen:
                    seen.add(key)
                    yield found
        else:
            if path.exists() and excluder.excluded(path.absolute(), False):
                continue
            key = os.path.abspath(raw)
            if key not in seen:
                seen.add(key)
                yield raw


def _walk(top: str, excluder: Excluder) -> Iterator[str]:
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            yield directory  # reported as BN902 when read
            continue
        subdirs = []
        for entry in entries:
            full = entry.path
            absolute = Path(os.path.abspath(full))
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if excluder.excluded(absolute, is_dir) or excluder.ignored_by_git(absolute, is_dir):
                continue
            if is_dir:
                subdirs.append(full)
            elif entry.name.endswith(SUFFIXES):
                yield _clean(full, top)
        stack.extend(reversed(subdirs))


def _clean(path: str, top: str) -> str:
    if top in (".", "./") and path.startswith("./"):
        return path[2:]
    return path
