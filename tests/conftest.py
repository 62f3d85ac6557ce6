import sys
from pathlib import Path

# tests import their helpers (fixture_support) by module name
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest


@pytest.fixture(scope="session")
def corpus_run():
    """Lint a corpus once per test session, as a default run does (every rule, the prefilter
    on), and hand the result to every test that needs it: the --fix check takes the files
    with a fix from it, the prefilter check compares it with a run without the prefilter.
    Linting the two corpora is most of the suite's time."""
    import os

    from bnlint import registry
    from bnlint.config import Settings
    from bnlint.discover import discover
    from bnlint.engine import Linter

    runs = {}

    def run(root: Path):
        if root not in runs:
            settings = Settings(select=set(registry.by_code()), root=root)
            files = list(discover([str(root)], settings))
            runs[root] = (files, Linter(settings, prefilter=True).lint_paths(files, jobs=os.cpu_count() or 1))
        return runs[root]

    return run
