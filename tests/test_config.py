"""`[tool.bnlint]` and `--config`, code selection in the file, exclude patterns (also for
files named on the command line, as pre-commit passes them) and .gitignore, run through the
real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BNLINT = str(Path(sys.executable).with_name("bnlint"))

BUGGY = textwrap.dedent("""\
    import tensorflow as tf
    from tensorflow.keras import layers


    def block(x, filters):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(epsilon=0)(x)
        return layers.ReLU()(x)
    """)
BUGGY_LINE = 7


def bnlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    return subprocess.run([BNLINT, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def findings(cwd: Path, *args: str) -> list[tuple[str, str]]:
    """(path, code) pairs of `bnlint check --format json ARGS`."""
    done = bnlint("check", "--no-cache", "--format", "json", *args, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return sorted((f["path"], f["code"]) for f in json.loads(done.stdout))


def write(path: Path, text: str = BUGGY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project with a pyproject.toml at its top, buggy modules in src/ and tests/."""
    root = tmp_path / "repo"
    write(root / "src" / "model.py")
    write(root / "tests" / "test_model.py")
    write(root / "pyproject.toml", "[project]\nname = 'demo'\n")
    return root


def configure(root: Path, table: str) -> None:
    write(root / "pyproject.toml", "[project]\nname = 'demo'\n\n[tool.bnlint]\n" + textwrap.dedent(table))


# ---- finding the configuration --------------------------------------------------------
def test_pyproject_is_found_by_walking_up_from_the_first_path(repo, tmp_path):
    configure(repo, 'ignore = ["BN001"]\n')
    # Run from outside the project, naming a file deep inside it.
    assert findings(tmp_path, "repo/src/model.py") == []
    assert findings(repo / "src", "model.py") == []
    # Without the configuration the finding is there.
    configure(repo, "")
    assert findings(tmp_path, "repo/src/model.py") == [("repo/src/model.py", "BN001")]


def test_a_pyproject_without_tool_bnlint_does_not_stop_the_walk(repo):
    configure(repo, 'ignore = ["BN001"]\n')
    write(repo / "src" / "pyproject.toml", "[project]\nname = 'inner'\n")
    assert findings(repo / "src", "model.py") == []


def test_the_nearest_tool_bnlint_wins(repo):
    configure(repo, 'ignore = ["BN001"]\n')
    write(repo / "src" / "pyproject.toml", "[tool.bnlint]\nselect = [\"BN001\"]\n")
    assert findings(repo, "src/model.py") == [("src/model.py", "BN001")]


def test_config_option_replaces_discovery(repo, tmp_path):
    configure(repo, 'ignore = ["BN001"]\n')
    other = write(tmp_path / "bnlint.toml", 'select = ["BN001"]\nextend-exclude = ["tests"]\n')
    assert findings(repo, "--config", str(other), ".") == [("./src/model.py", "BN001")]
    # A pyproject.toml given with --config is read from its [tool.bnlint] table.
    pyproject = write(tmp_path / "alt" / "pyproject.toml", '[tool.bnlint]\nextend-exclude = ["src"]\n')
    assert findings(repo, "--config", str(pyproject), ".") == [("./tests/test_model.py", "BN001")]


def test_missing_config_file_is_an_error(repo):
    done = bnlint("check", "--config", "nope.toml", ".", cwd=repo)
    assert done.returncode == 2
    assert "nope.toml" in done.stderr and done.stdout == ""


# ---- errors: exit 2, naming what is wrong -----------------------------------------------
@pytest.mark.parametrize("table, named", [
    ('selct = ["BN001"]\n', ["selct"]),
    ('line-length = 88\nextend_exclude = ["x"]\n', ["extend_exclude", "line-length"]),
    ('[tool.bnlint.lint]\nselect = ["BN001"]\n', ["lint"]),
    ('select = ["BN001", "BN999"]\n', ["BN999", "select"]),
    ('ignore = ["E501"]\n', ["E501", "ignore"]),
    ('extend-select = ["BNX"]\n', ["BNX", "extend-select"]),
    ('[tool.bnlint.per-file-ignores]\n"tests/*" = ["BN001", "W605"]\n', ["W605", "per-file-ignores"]),
    ('select = "BN001, BN042"\n', ["BN042"]),
    ('select = 1\n', ["select"]),
    ('exclude = "build"\n', ["exclude"]),
    ('respect-gitignore = "yes"\n', ["respect-gitignore"]),
    ('select = [\n', ["not valid TOML"]),
])
def test_configuration_errors_exit_2_and_name_the_problem(repo, table, named):
    configure(repo, table)
    done = bnlint("check", "--no-cache", ".", cwd=repo)
    assert done.returncode == 2, done.stdout
    assert done.stdout == ""
    assert "pyproject.toml" in done.stderr
    for word in named:
        assert word in done.stderr
    assert "Traceback" not in done.stderr


# ---- selection in the file --------------------------------------------------------------
@pytest.mark.parametrize("table, cli, expected", [
    ('select = ["BN9"]\n', [], []),
    ('select = ["BN9"]\nextend-select = ["BN00"]\n', [], ["BN001"]),
    ('ignore = ["BN0"]\n', [], []),
    ('ignore = ["BN0"]\n', ["--extend-select", "BN001"], ["BN001"]),  # the command line comes last
    ('select = ["BN9"]\n', ["--select", "BN001"], ["BN001"]),  # --select replaces the file's
    ('select = ["BN001"]\n', ["--ignore", "BN001"], []),
    ('select = "BN001"\n', [], ["BN001"]),  # a comma-separated string is accepted too
])
def test_select_ignore_extend_select_in_the_file(repo, table, cli, expected):
    configure(repo, table)
    assert [code for _path, code in findings(repo, *cli, "src/model.py")] == expected


def test_per_file_ignores(repo):
    configure(repo, """
        [tool.bnlint.per-file-ignores]
        "tests/*" = ["BN001"]
        "legacy_*.py" = ["BN0"]
        """)
    write(repo / "src" / "legacy_net.py")
    assert findings(repo, ".") == [("./src/model.py", "BN001")]
    # The patterns are relative to the configuration's folder, wherever bnlint runs from.
    assert findings(repo / "tests", ".") == []
    assert findings(repo.parent, "repo") == [("repo/src/model.py", "BN001")]


# ---- exclude ------------------------------------------------------------------------------
def test_default_excludes_skip_virtualenvs_and_build_folders(repo):
    write(repo / ".venv" / "lib" / "site.py")
    write(repo / "build" / "lib" / "model.py")
    write(repo / "node_modules" / "x.py")
    assert findings(repo, ".") == [("./src/model.py", "BN001"), ("./tests/test_model.py", "BN001")]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(repo):
    write(repo / "build" / "model.py")
    configure(repo, 'exclude = ["tests/"]\n')
    assert findings(repo, ".") == [("./build/model.py", "BN001"), ("./src/model.py", "BN001")]
    configure(repo, 'extend-exclude = ["tests/"]\n')
    assert findings(repo, ".") == [("./src/model.py", "BN001")]


def test_exclude_patterns_are_gitignore_style(repo):
    write(repo / "src" / "generated" / "net_pb2.py")
    write(repo / "docs" / "src" / "model.py")
    configure(repo, 'extend-exclude = ["/src/generated", "*_test.py", "test_*.py"]\n')
    write(repo / "src" / "model_test.py")
    assert findings(repo, ".") == [("./docs/src/model.py", "BN001"), ("./src/model.py", "BN001")]
    # A pattern with a slash is anchored to the configuration's folder.
    configure(repo, 'extend-exclude = ["src/model.py"]\n')
    assert ("./docs/src/model.py", "BN001") in findings(repo, ".")
    assert ("./src/model.py", "BN001") not in findings(repo, ".")


def test_exclude_applies_to_files_named_on_the_command_line(repo):
    # pre-commit passes each staged file by name; an excluded one must stay excluded (flake8).
    configure(repo, 'extend-exclude = ["tests/"]\n')
    assert findings(repo, "src/model.py", "tests/test_model.py") == [("src/model.py", "BN001")]
    assert findings(repo / "tests", "test_model.py") == []
    assert findings(repo, "tests") == []  # a folder named on the command line as well
    write(repo / "build" / "model.py")
    assert findings(repo, "build/model.py") == []  # the default excludes too


def test_the_folder_being_checked_is_never_excluded(tmp_path):
    project = tmp_path / "build"  # a name in the default excludes
    write(project / "model.py")
    assert findings(project, ".") == [("./model.py", "BN001")]
    assert findings(project, "model.py") == [("model.py", "BN001")]
    assert findings(tmp_path, "build") == []  # but below the root it is excluded


def test_excludes_of_a_tree_outside_the_root_are_relative_to_that_tree(tmp_path):
    # cwd has no configuration; the tree checked lives under a folder called "build".
    outside = tmp_path / "build" / "project"
    write(outside / "model.py")
    write(outside / "venv" / "x.py")
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    assert findings(cwd, str(outside)) == [(str(outside / "model.py"), "BN001")]


# ---- .gitignore ----------------------------------------------------------------------------
def git_repo(root: Path) -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    return root


def test_gitignore_is_respected_in_a_git_repository(repo):
    git_repo(repo)
    write(repo / ".gitignore", "tests/\n*_scratch.py\n")
    write(repo / "src" / "exp_scratch.py")
    assert findings(repo, ".") == [("./src/model.py", "BN001")]


def test_gitignore_negation_and_nesting(repo):
    git_repo(repo)
    write(repo / ".gitignore", "*.py\n")
    write(repo / "src" / ".gitignore", "!model.py\n")
    assert findings(repo, ".") == [("./src/model.py", "BN001")]


def test_git_info_exclude_is_respected(repo):
    git_repo(repo)
    write(repo / ".git" / "info" / "exclude", "tests/\n")
    assert findings(repo, ".") == [("./src/model.py", "BN001")]


def test_gitignore_outside_a_git_repository_is_not_read(repo):
    write(repo / ".gitignore", "tests/\n")
    assert findings(repo, ".") == [("./src/model.py", "BN001"), ("./tests/test_model.py", "BN001")]


def test_respect_gitignore_false(repo):
    git_repo(repo)
    write(repo / ".gitignore", "tests/\n")
    configure(repo, "respect-gitignore = false\n")
    assert findings(repo, ".") == [("./src/model.py", "BN001"), ("./tests/test_model.py", "BN001")]


def test_a_gitignored_file_named_explicitly_is_linted(repo):
    git_repo(repo)
    write(repo / ".gitignore", "tests/\n")
    assert findings(repo, "tests/test_model.py") == [("tests/test_model.py", "BN001")]


def test_no_python_files_found_warns_on_stderr_and_exits_0(repo):
    configure(repo, 'extend-exclude = ["src", "tests"]\n')
    done = bnlint("check", "--no-cache", "--format", "flake8", ".", cwd=repo)
    assert (done.returncode, done.stdout) == (0, "")
    assert "no Python files found" in done.stderr


def test_finding_line_is_the_one_reported(repo):
    done = bnlint("check", "--no-cache", "--format", "flake8", "src/model.py", cwd=repo)
    assert done.stdout.startswith(f"src/model.py:{BUGGY_LINE}:")


def test_each_file_uses_the_nearest_configuration_whatever_the_order(tmp_path):
    """Issue 10: `a/pyproject.toml` ignoring BN001 and `b/pyproject.toml` selecting it give the
    same findings for `check a b`, `check b/m.py a/m.py` and flake8 (ruff's nearest-config rule)."""
    import subprocess
    import sys

    for name, table in (("a", 'ignore = ["BN001"]'), ("b", 'select = ["BN001"]')):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(f"[tool.bnlint]\n{table}\n")
        (tmp_path / name / "m.py").write_text("import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n")

    def codes(*args):
        done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "flake8", *args],
                              cwd=tmp_path, capture_output=True, text=True)
        return sorted(line.split(": ")[0].split(":")[0] for line in done.stdout.splitlines())

    assert codes("a", "b") == ["b/m.py"]
    assert codes("b/m.py", "a/m.py") == ["b/m.py"]
    assert codes("a/m.py", "b/m.py") == ["b/m.py"]
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--select", "BN", "a", "b"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert sorted(line.split(":")[0] for line in flake8.stdout.splitlines()) == ["b/m.py"]


def test_analysis_root_is_the_checkout_the_checked_paths_belong_to(tmp_path):
    from bnlint.config import analysis_root

    home = tmp_path / "home"
    plain = home / "scratch" / "experiment"
    checkout = home / "projects" / "unet"
    outside = tmp_path / "elsewhere" / "notebooks"
    for folder in (plain, checkout / "src", outside):
        folder.mkdir(parents=True)
    (checkout / ".git").mkdir()
    # inside the working directory, no marker between: the working directory
    assert analysis_root([str(plain)], home) == home
    # inside it, a checkout between them: the checkout
    assert analysis_root([str(checkout / "src")], home) == checkout
    # outside it: the folder checked when no marker is above it
    assert analysis_root([str(outside)], home) == outside
    # nothing given on the command line but stdin: the working directory
    assert analysis_root(["-"], home) == home
