"""`# noqa` (flake8's syntax and semantics), `# flake8: noqa` and `# bnlint: skip-file`,
through the real command line, and `# noqa` parsing compared with flake8's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bnlint import suppress

BNLINT = str(Path(sys.executable).with_name("bnlint"))

# Two BN001 findings: line 6 (a literal) and line 11 (a name bound to a negative value).
MODULE = textwrap.dedent("""\
    import torch
    import torch.nn as nn

    EPS = -1e-5

    stem_bn = nn.BatchNorm2d(64, eps=0){c6}


    def make_head(channels):
        return nn.Sequential(
            nn.BatchNorm1d(channels, eps=EPS),{c11}
            nn.ReLU(),
        )
    """)


def lines_reported(tmp_path: Path, text: str, *options: str) -> list[int]:
    path = tmp_path / "net.py"
    path.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    done = subprocess.run([BNLINT, "check", "--no-cache", "--format", "json", *options, "net.py"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return [f["line"] for f in json.loads(done.stdout) if f["code"] == "BN001"]


def module(c6: str = "", c11: str = "") -> str:
    return MODULE.format(c6=c6, c11=c11)


def test_without_comments_both_findings_are_reported(tmp_path):
    assert lines_reported(tmp_path, module()) == [6, 11]


@pytest.mark.parametrize("comment, silenced", [
    ("  # noqa", True),
    ("  # NOQA", True),
    ("  # noqa: BN001", True),
    ("  # noqa:BN001", True),
    ("  # NOQA:BN001", True),
    ("  # NoQA: BN001", True),
    ("  # noqa: BN004,BN001", True),
    ("  # noqa:BN004, BN001", True),
    ("  # noqa: BN004 BN001", True),
    ("  # noqa: E501,BN001 -- epsilon probed on purpose", True),
    ("  # noqa: BN00", True),  # flake8 matches listed codes as prefixes
    ("  # noqa: BN004", False),  # a list that does not name the code
    ("  # noqa: BN004,E501", False),
    ("  # noqa: BN0011", False),
    ("  # noqa: bn001", False),  # flake8 compares codes case-sensitively
    ("  # noqa : BN004", True),  # not a code list for flake8: a bare noqa
    ("  # noqa:  BN004", True),  # two spaces: likewise
    ("  # type: ignore  # noqa: BN001", True),
    ("  # noqa-ish", True),  # flake8's regex finds "# noqa" there too
    ("  #noqa", False),  # flake8 needs "# noqa"
    ("  # no qa", False),
    ("  # nosec", False),
])
def test_noqa_variants_on_the_reported_line(tmp_path, comment, silenced):
    assert lines_reported(tmp_path, module(c6=comment)) == ([11] if silenced else [6, 11])


def test_noqa_on_another_line_does_not_silence(tmp_path):
    text = module().replace("EPS = -1e-5", "EPS = -1e-5  # noqa")
    assert lines_reported(tmp_path, text) == [6, 11]


def test_noqa_maps_over_physical_lines_as_flake8_does(tmp_path):
    # flake8 searches for the comment in all the physical lines of a backslash continuation
    # or a multi-line string, but not across the lines inside brackets (their NL tokens end
    # the range). bnlint maps them the same way, so `bnlint check` and `flake8 --select BN`
    # silence the same findings.
    continued = module().replace("stem_bn = nn.BatchNorm2d(64, eps=0)",
                                 "stem_bn = nn.BatchNorm2d(64, eps=0) if USE_BN \\\n    else None  # noqa: BN001")
    assert lines_reported(tmp_path, continued) == [12]
    in_brackets = module().replace("    )\n", "    )  # noqa: BN001\n")
    assert lines_reported(tmp_path, in_brackets) == [6, 11]
    other_code = continued.replace("# noqa: BN001", "# noqa: BN004")
    assert lines_reported(tmp_path, other_code) == [6, 12]


def test_noqa_in_a_neighbouring_statement_does_not_leak(tmp_path):
    text = module(c6='\nNOTE = "# noqa"')
    assert lines_reported(tmp_path, text) == [6, 12]


@pytest.mark.parametrize("first_lines, skipped", [
    ("# bnlint: skip-file\n", True),
    ("#bnlint:skip-file\n", True),
    ('"""Generated code."""\n# bnlint: skip-file -- vendored from upstream\n', True),
    ("# flake8: noqa\n", True),
    ("# flake8: NOQA\n", True),
    ("# flake8=noqa\n", True),
    ("x = 1  # flake8: noqa\n", False),  # flake8 ignores it after code, so does bnlint
    ("# bnlint: skip-files\n", False),
    ("# pylint: skip-file\n", False),
])
def test_file_level_suppression(tmp_path, first_lines, skipped):
    assert lines_reported(tmp_path, first_lines + module()) == ([] if skipped else [n + first_lines.count("\n")
                                                                                   for n in (6, 11)])


def test_skip_file_counts_only_in_the_first_lines(tmp_path):
    late = module() + "\n" * 30 + "# bnlint: skip-file\n"
    assert lines_reported(tmp_path, late) == [6, 11]


def test_suppressed_findings_do_not_fail_the_run(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(module("  # noqa: BN001", "  # noqa"), encoding="utf-8")
    done = subprocess.run([BNLINT, "check", "--no-cache", "--format", "flake8", "net.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout) == (0, "")


# ---- the same parse as flake8's -----------------------------------------------------------
COMMENTS = [
    "x = 1  # noqa", "x = 1  # NOQA", "x = 1  # noqa:BN001", "x = 1  # noqa: BN001,BN004",
    "x = 1  # noqa: BN004 BN001", "x = 1  # noqa: BN00", "x = 1  # noqa: BN004", "x = 1  # noqa : BN004",
    "x = 1  # noqa:  BN004", "x = 1  # noqa: bn001", "x = 1  #noqa", "x = 1", "x = 1  # NoQa:BN0,E",
    "x = 1  # noqa:E501,,BN001", "x = 1  # noqa: BN", "x = 1  # noqa: B1", "x = '# noqa: BN004'",
]


@pytest.mark.parametrize("line", COMMENTS)
def test_noqa_is_read_exactly_as_flake8_reads_it(line):
    violation = pytest.importorskip("flake8.violation")
    for code in ("BN001", "BN004", "E501"):
        expected = violation.Violation(code, "x.py", 1, 1, "text", line + "\n").is_inline_ignored(False)
        assert suppress.is_suppressed(code, line + "\n") == expected, (code, line)


def test_add_noqa_silences_every_finding_keeps_codes_and_line_endings(tmp_path):
    """Issue 10 adoption: `--add-noqa` as ruff does it; the file keeps its CRLF endings and
    parses, a second run adds nothing, and flake8 then reports nothing either."""
    import subprocess
    import sys

    path = tmp_path / "legacy.py"
    path.write_bytes(b"import torch.nn as nn\r\nbn = nn.BatchNorm2d(8, eps=0)  # noqa: E501\r\n"
                     b"msg = '''\r\nnot code\r\n'''\r\nbn2 = nn.BatchNorm2d(8,\r\n                    eps=0)\r\n")

    def bnlint(*args):
        return subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", *args], cwd=tmp_path,
                              capture_output=True, text=True)

    first = bnlint("--add-noqa", "legacy.py")
    assert first.returncode == 0 and "Added 2 noqa directives to 1 file." in first.stderr
    data = path.read_bytes()
    assert b"# noqa: BN001, E501\r\n" in data and b"eps=0)  # noqa: BN001\r\n" in data
    assert data.count(b"\r\n") == data.count(b"\n")
    compile(data, "legacy.py", "exec")
    assert "Added 0 noqa directives" in bnlint("--add-noqa", "legacy.py").stderr
    assert bnlint("--format", "flake8", "legacy.py").returncode == 0
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--select", "BN", "legacy.py"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert flake8.stdout == ""


def test_a_baseline_hides_known_findings_through_line_shifts_and_shows_new_ones(tmp_path):
    """Issue 10 adoption: --write-baseline, then --baseline reports only what is new."""
    import json
    import subprocess
    import sys

    path = tmp_path / "m.py"
    path.write_text("import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n")

    def bnlint(*args):
        return subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "flake8", *args],
                              cwd=tmp_path, capture_output=True, text=True)

    written = bnlint("--write-baseline", "bnlint-baseline.json", "m.py")
    assert written.returncode == 0 and "Recorded 1 finding" in written.stderr
    data = json.loads((tmp_path / "bnlint-baseline.json").read_text())
    assert data["tool"] == "bnlint" and [e["code"] for e in data["findings"]] == ["BN001"]
    assert bnlint("--baseline", "bnlint-baseline.json", "m.py").returncode == 0
    path.write_text("# moved down\nimport torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\nbn2 = nn.BatchNorm2d(8, eps=-1)\n")
    shifted = bnlint("--baseline", "bnlint-baseline.json", "m.py")
    assert shifted.returncode == 1
    assert [line.split(": ")[0] for line in shifted.stdout.splitlines()] == ["m.py:4:29"]
    broken = bnlint("--baseline", "m.py", "m.py")
    assert broken.returncode == 2 and "not JSON" in broken.stderr
