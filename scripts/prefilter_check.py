"""Lint files with the text prefilter on and off and print every finding that differs.

    python scripts/prefilter_check.py PATH [PATH ...]

The prefilter only saves time: a file it skips must be a file on which the rule could report
nothing. tests/test_prefilter.py runs this comparison over the fixtures (and over the corpora
from ../shared/corpus.sh and usercorpus.sh when they have been built). Exit status 1 on a
difference.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bnlint import registry  # noqa: E402
from bnlint.config import Settings  # noqa: E402
from bnlint.discover import discover  # noqa: E402
from bnlint.engine import Linter  # noqa: E402


def differences(paths: list[str], root: Path, jobs: int | None = None, with_prefilter=None) -> list[str]:
    """`with_prefilter`: the (files, result) of a run with the prefilter already made on these
    paths with every rule selected (the test suite lints each corpus once and shares it)."""
    settings = Settings(select=set(registry.by_code()), root=root)
    # (every process of the pool lints with the same prefilter setting as its run)
    jobs = jobs or os.cpu_count() or 1
    if with_prefilter is None:
        files = list(discover(paths, settings))
        on = Linter(settings, prefilter=True).lint_paths(files, jobs=jobs)
    else:
        files, on = with_prefilter
    off = Linter(settings, prefilter=False).lint_paths(files, jobs=jobs)
    # BN901 for a file no rule selects is flake8's E999 to report, not bnlint's (design §3).
    key = lambda f: (f.path, f.code, f.cell, f.line, f.column, f.message)  # noqa: E731
    with_filter = {key(f) for f in on.findings}
    without = {key(f) for f in off.findings if f.code != "BN901"}
    with_filter = {k for k in with_filter if k[1] != "BN901"}
    lines = [f"only without the prefilter: {k}" for k in sorted(without - with_filter)]
    lines += [f"only with the prefilter: {k}" for k in sorted(with_filter - without)]
    lines += on.errors + off.errors
    print(f"{len(files)} files, {len(with_filter)} findings with the prefilter, {len(without)} without")
    return lines


def main(argv: list[str]) -> int:
    paths = argv or [str(ROOT / "fixtures")]
    root = Path(paths[0]).resolve()
    root = root if root.is_dir() else root.parent
    lines = differences(paths, root)
    for line in lines:
        print(line)
    print(f"{len(lines)} difference(s)")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
