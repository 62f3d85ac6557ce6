"""bnlint as a flake8 plugin: `flake8 --select BN` reports what `bnlint check --format flake8` does.

flake8 parses the file and hands the plugin its tree, so the file is still parsed once. The
plugin reads the same `[tool.bnlint]` configuration as `bnlint check` (found by walking up
from the file), so `select`, `ignore` and `per-file-ignores` agree between the two; flake8's
own `--select`/`--extend-ignore` then filter what it shows. `# noqa` comments are honoured by
both with flake8's semantics. Files with syntax errors are flake8's E999, not BN901: flake8
does not run plugins on a file it cannot parse.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Iterator

from bnlint import __version__

_LINTERS: dict[str, object] = {}  # config file (or "") -> Linter: one per project per flake8 process


class Plugin:
    name = "bnlint"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]):
        self.tree = tree
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        # A configuration error or a crashing rule propagates: flake8 then stops with
        # '"BN" failed during execution due to ConfigError(...)', naming the cause.
        linter = _linter_for(self.filename)
        real_path = None if self.filename in ("-", "stdin") else os.path.abspath(self.filename)
        findings, _parsed = linter.lint_text("".join(self.lines), self.filename, real_path=real_path,
                                             tree=self.tree)
        for finding in findings:
            # flake8 wants a 0-based column and prints it 1-based, as bnlint does.
            yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)


def _linter_for(filename: str):
    from bnlint.config import find_pyproject, resolve
    from bnlint.engine import Linter

    start = Path(filename if filename not in ("-", "stdin") else ".")
    config = find_pyproject(start)
    key = str(config or "")
    linter = _LINTERS.get(key)
    if linter is None:
        settings = resolve([str(start)])
        linter = _LINTERS[key] = Linter(settings)
    return linter
