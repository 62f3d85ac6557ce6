"""bnlint as a flake8 plugin, run with the real flake8: the same findings as
`bnlint check --format flake8`, and `# noqa` behaving the same way in both."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)


def _lines(output: str) -> list[str]:
    return sorted(line.removeprefix("./") for line in output.splitlines() if line.strip())


def test_flake8_select_bn_reports_exactly_what_bnlint_reports_on_the_fixtures():
    # flake8 parses each file itself and gives its plugins nothing for a file Python 3 cannot
    # compile (E999): bnlint's own reading of Python 2 scripts is for `bnlint check` only
    fixtures = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "fixtures").rglob("*.py") if _compiles(p))
    flake8 = _run(["flake8", "--isolated", "--select", "BN", *fixtures], ROOT)
    bnlint = _run(["bnlint", "check", "--no-cache", "--format", "flake8", *fixtures], ROOT)
    assert flake8.returncode == 1, flake8.stderr
    assert bnlint.returncode == 1, bnlint.stderr
    assert _lines(flake8.stdout) == _lines(bnlint.stdout)
    assert len(_lines(flake8.stdout)) >= 10


NOQA_PROGRAM = """
import torch.nn as nn

first = nn.BatchNorm2d(8, eps=0.0)
second = nn.BatchNorm2d(8, eps=0.0)  # noqa: BN001
third = nn.BatchNorm2d(8, eps=0.0)  # noqa
fourth = nn.BatchNorm2d(8, eps=0.0)  # noqa: E501
fifth = nn.BatchNorm2d(8, eps=0.0)  # NOQA:BN00
"""


def test_noqa_silences_the_same_findings_in_flake8_and_bnlint(tmp_path):
    (tmp_path / "net.py").write_text(textwrap.dedent(NOQA_PROGRAM), encoding="utf-8")
    flake8 = _run(["flake8", "--isolated", "--select", "BN", "net.py"], tmp_path)
    bnlint = _run(["bnlint", "check", "--no-cache", "--format", "flake8", "net.py"], tmp_path)
    assert [line.split(" ")[0:2] for line in _lines(flake8.stdout)] == [
        ["net.py:4:31:", "BN001"], ["net.py:7:32:", "BN001"]]
    assert _lines(flake8.stdout) == _lines(bnlint.stdout)


def test_flake8_reads_the_projects_bnlint_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.bnlint]\nper-file-ignores = { "legacy/*" = ["BN001"] }\n',
                                             encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text(textwrap.dedent(NOQA_PROGRAM), encoding="utf-8")
    (tmp_path / "new.py").write_text("import torch.nn as nn\nbn = nn.BatchNorm1d(4, eps=-1.0)\n", encoding="utf-8")
    flake8 = _run(["flake8", "--isolated", "--select", "BN", "."], tmp_path)
    assert [line.split(" ")[0] for line in _lines(flake8.stdout)] == ["new.py:2:28:"]


def test_a_syntax_error_is_flake8s_e999_not_a_plugin_crash(tmp_path):
    (tmp_path / "broken.py").write_text("import torch.nn as nn\nbn = nn.BatchNorm2d(eps=\n", encoding="utf-8")
    flake8 = _run(["flake8", "--isolated", "--select", "BN,E999", "broken.py"], tmp_path)
    assert "E999" in flake8.stdout
    assert "BN" not in flake8.stdout.replace("broken.py", "")
    assert "Traceback" not in flake8.stderr


def _compiles(path) -> bool:
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True
