"""`bnlint check --stdin-filename NAME -`: what editors and formatters run on an unsaved buffer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BUFFER = "import torch.nn as nn\n\nnorm = nn.BatchNorm2d(16, eps=-1e-5)\n"


def _check(cwd: Path, *args: str, stdin: str, module: bool = True) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bnlint"] if module else [str(Path(sys.executable).parent / "bnlint")]
    return subprocess.run([*command, "check", "--no-cache", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin)


@pytest.mark.parametrize("module", [True, False], ids=["python -m bnlint", "bnlint"])
def test_stdin_is_reported_under_the_given_name(tmp_path, module):
    done = _check(tmp_path, "--format", "flake8", "--stdin-filename", "src/nets.py", "-", stdin=BUFFER, module=module)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("src/nets.py:3:31: BN001 BatchNorm2d gets eps=-1e-05")
    assert len(done.stdout.splitlines()) == 1


def test_clean_stdin_exits_0(tmp_path):
    done = _check(tmp_path, "--format", "flake8", "--stdin-filename", "ok.py", "-", stdin=BUFFER.replace("-1e-5", "1e-5"))
    assert (done.returncode, done.stdout) == (0, "")


def test_stdin_json_and_rich_show_the_buffer(tmp_path):
    done = _check(tmp_path, "--format", "json", "--stdin-filename", "nets.py", "-", stdin=BUFFER)
    (finding,) = json.loads(done.stdout)
    assert (finding["path"], finding["line"], finding["column"]) == ("nets.py", 3, 31)
    rich = _check(tmp_path, "--stdin-filename", "nets.py", "-", stdin=BUFFER)
    assert "norm = nn.BatchNorm2d(16, eps=-1e-5)" in rich.stdout  # the source line comes from stdin


def test_the_names_per_file_ignores_and_project_apply(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.bnlint]\nper-file-ignores = { "legacy/*" = ["BN001"] }\n',
                                             encoding="utf-8")
    ignored = _check(tmp_path, "--format", "flake8", "--stdin-filename", "legacy/nets.py", "-", stdin=BUFFER)
    assert (ignored.returncode, ignored.stdout) == (0, "")
    # a constant imported from a project module the buffer's name places it beside
    (tmp_path / "config.py").write_text("BN_EPS = 0.0\n", encoding="utf-8")
    buffer = "import torch.nn as nn\nfrom config import BN_EPS\nnorm = nn.BatchNorm2d(16, eps=BN_EPS)\n"
    done = _check(tmp_path, "--format", "flake8", "--stdin-filename", "train.py", "-", stdin=buffer)
    assert done.stdout.startswith("train.py:3:31: BN001"), done.stdout + done.stderr


def test_a_syntax_error_on_stdin_is_bn901(tmp_path):
    done = _check(tmp_path, "--format", "flake8", "--stdin-filename", "x.py", "-", stdin="import torch\nbn = torch.nn.BatchNorm2d(eps=\n")
    assert done.returncode == 1
    assert done.stdout.startswith("x.py:2:")
    assert " BN901 syntax error" in done.stdout
