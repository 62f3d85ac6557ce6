"""`.bnlint_cache/`: findings and project summaries kept between runs.

A file's findings are reused when its content hash, bnlint's version, the configuration and
the content hashes of the project modules it read summaries from are all unchanged; so a
re-run over an unchanged project costs a read and a hash per file, and editing `models.py`
re-checks the modules that import it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from bnlint import __version__
from bnlint.findings import Evidence, Edit, Finding, Fix, Span

CACHE_DIR = ".bnlint_cache"


def _code_fingerprint() -> str:
    """The size and mtime of bnlint's own modules: an editable install whose rules changed
    must not reuse findings made by the old rules (a released version changes __version__)."""
    package = Path(__file__).resolve().parent
    spec = importlib.util.find_spec("bnlint.rules")  # the checkout's rules/ in an editable install
    folders = [package, *(Path(p) for p in (spec.submodule_search_locations or []) if spec)]
    parts = []
    for folder in dict.fromkeys(folders):
        for path in sorted(folder.rglob("*.py")):
            try:
                stat = path.stat()
            except OSError:
                continue
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def finding_to_json(finding: Finding) -> dict:
    return asdict(finding)


def finding_from_json(data: dict) -> Finding:
    data = dict(data)
    data["evidence"] = tuple(Evidence(**e) for e in data.get("evidence", ()))
    fix = data.get("fix")
    if fix is not None:
        data["fix"] = Fix(fix["applicability"], fix["title"], fix["recipe"], Span(**fix["target"]),
                          tuple(tuple(pair) for pair in fix["arguments"]), tuple(Edit(**e) for e in fix["edits"]))
    return Finding(**data)


class Cache:
    def __init__(self, root: Path, fingerprint: str):
        self.directory = Path(root) / CACHE_DIR
        code = _code_fingerprint()
        key = hashlib.sha256(f"{__version__}\0{code}\0{fingerprint}".encode()).hexdigest()[:16]
        self.findings_file = self.directory / f"findings-{key}.json"
        self.summaries_file = self.directory / f"summaries-{__version__}-{code}.json"
        self.entries: dict[str, dict] = _load(self.findings_file)
        self.summaries: dict[str, dict] = _load(self.summaries_file)
        self._digests: dict[str, str | None] = {}
        self.dirty = False

    def digest_of(self, path: str) -> str | None:
        if path not in self._digests:
            from bnlint.source import SourceError, read_path

            try:  # read_path refuses FIFOs and devices, which would block here
                self._digests[path] = hashlib.sha256(read_path(path)).hexdigest()
            except SourceError:
                self._digests[path] = None
        return self._digests[path]

    def lookup(self, path: str, display: str, digest: str) -> list[Finding] | None:
        """The cached findings of a file, or None: a miss when the file, a module it read, or a
        module it imported but could not find (then recorded with digest None) has changed, and
        when the entry is not of the shape this version writes."""
        entry = self.entries.get(os.path.abspath(path))
        try:
            if not entry or entry.get("digest") != digest or entry.get("display") != display:
                return None
            for dependency, dep_digest in entry.get("deps", {}).items():
                if self.digest_of(dependency) != dep_digest:
                    return None
            return [finding_from_json(f) for f in entry["findings"]]
        except (AttributeError, TypeError, KeyError, ValueError):
            return None

    def store(self, path: str, display: str, digest: str, deps: dict[str, str], findings: list[Finding]) -> None:
        self.entries[os.path.abspath(path)] = {
            "digest": digest, "display": display, "deps": deps,
            "findings": [finding_to_json(f) for f in findings],
        }
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.directory.mkdir(exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by bnlint.\n*\n", encoding="utf-8")
            _atomic_write(self.findings_file, self.entries)
            _atomic_write(self.summaries_file, self.summaries)
        except OSError:
            pass  # a read-only checkout: run without a cache rather than fail


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _atomic_write(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
