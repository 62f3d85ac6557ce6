"""The README's promises: CI runs its test command, its example exists, its links work on PyPI.
(Its rules table, generated from the registry, is checked by tests/test_docs.py.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIRST_SCREEN = "\n".join(README.splitlines()[:30])


def _commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", FIRST_SCREEN, re.S)
    assert block, "the README's first screen has no sh block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_first_screen_has_the_two_newcomer_commands():
    commands = _commands()
    assert any("pip install ." in c and "bnlint check" in c for c in commands), commands
    assert any("pip install" in c and "pytest" in c for c in commands), commands


def test_ci_runs_exactly_the_readme_test_command():
    test_command = next(c for c in _commands() if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci, f"{test_command!r} is not a line of .ci/run"


def test_readme_example_path_exists():
    install_and_run = next(c for c in _commands() if "bnlint check" in c)
    target = install_and_run.split("bnlint check", 1)[1].split()[0]
    assert (ROOT / target).exists(), target


def test_packaging_metadata_is_complete():
    """Issue 10: a LICENSE file for the MIT licence the metadata states (as an SPDX expression),
    project URLs, the supported Python versions, and a bounded pathspec range."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["license-files"] == ["LICENSE"]
    assert {"Homepage", "Documentation", "Issues"} <= set(project["urls"])
    versions = {c.rsplit(":: ", 1)[1] for c in project["classifiers"] if c.startswith("Programming Language :: Python :: 3.")}
    assert {"3.10", "3.11", "3.12", "3.13"} <= versions
    assert any(d.startswith("pathspec") and "<" in d for d in project["dependencies"])


def test_readme_links_work_on_pypi_too():
    """Issue 10: PyPI renders the README without the repository, so links must be absolute."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    relative = [target for target in re.findall(r"\]\(([^)]+)\)", text)
                if not target.startswith(("http://", "https://", "#", "mailto:"))]
    assert relative == []
