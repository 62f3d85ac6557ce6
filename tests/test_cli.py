"""The command line as users and their tools see it (design §2): exit status, the flake8, JSON
and rich formats, --quiet/--statistics, --select/--ignore/--extend-select, `rules`,
`explain`, `python -m bnlint` and --jobs. Everything about exit codes and the separation of
stdout and stderr runs the installed console script in a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from bnlint import registry
from bnlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "BN001" / "seed_000_metamorphic_epsilon.py"
BNLINT = str(Path(sys.executable).with_name("bnlint")) if Path(sys.executable).with_name("bnlint").exists() \
    else shutil.which("bnlint")
FLAKE8_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>BN\d{3}) (?P<message>\S.*)$")
JSON_KEYS = {"code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column",
             "cell", "fix", "explanation", "fix_title", "evidence"}

HEAD = textwrap.dedent("""\
    import torch
    from torch import nn


    class Head(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(channels, eps=0.0)
            self.act = nn.ReLU()

        def forward(self, x):
            return self.act(self.bn(self.conv(x)))
    """)
CLEAN = HEAD.replace("eps=0.0", "eps=1e-5")


def env() -> dict[str, str]:
    """The user's environment without the variables that force colour on or off."""
    clean = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "PY_COLORS",
                                                             "CLICOLOR_FORCE", "TTY_COMPATIBLE")}
    clean["COLUMNS"] = "120"
    return clean


def bnlint(*args: str, cwd: Path, module: bool = False, stdin: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bnlint"] if module else [BNLINT]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, env=env(),
                          input=stdin, timeout=300)


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "head.py").write_text(HEAD, encoding="utf-8")
    (tmp_path / "clean.py").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    shutil.copy(FIXTURE, tmp_path / "pkg" / "metamorphic.py")
    return tmp_path


# ---- exit status -----------------------------------------------------------------------
def test_exit_status_is_0_without_findings(project):
    done = bnlint("check", "--no-cache", "clean.py", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_exit_status_is_1_with_findings(project):
    done = bnlint("check", "--no-cache", "--format", "flake8", "head.py", cwd=project)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("head.py:")
    assert done.stderr == ""


def test_exit_zero_reports_the_findings_but_exits_0(project):
    done = bnlint("check", "--no-cache", "--exit-zero", "--format", "flake8", "head.py", cwd=project)
    assert done.returncode == 0
    assert "BN001" in done.stdout


@pytest.mark.parametrize("args", [
    ["check", "--no-such-option"],
    ["check", "--format", "xml", "head.py"],
    ["check", "--jobs", "0", "head.py"],
    ["no-such-command"],
])
def test_usage_errors_exit_2_on_stderr(project, args):
    done = bnlint(*args, cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Usage:" in done.stderr or "Error" in done.stderr
    assert "Traceback" not in done.stderr


def test_python_dash_m_is_the_same_program(project):
    script = bnlint("check", "--no-cache", "--format", "flake8", ".", cwd=project)
    module = bnlint("check", "--no-cache", "--format", "flake8", ".", cwd=project, module=True)
    assert script.returncode == module.returncode == 1
    assert module.stdout == script.stdout and module.stdout
    usage = bnlint("check", "--select", "BN999", ".", cwd=project, module=True)
    assert usage.returncode == 2 and "BN999" in usage.stderr
    assert bnlint("--version", cwd=project, module=True).stdout == bnlint("--version", cwd=project).stdout


def test_internal_error_exits_2_with_a_message_not_a_traceback(project, monkeypatch):
    from bnlint.engine import Linter

    def explode(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Linter, "lint_paths", explode)
    result = CliRunner().invoke(main, ["check", "--no-cache", str(project / "head.py")])
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output


def test_a_crashing_rule_is_a_finding_and_the_other_findings_are_still_reported(project, monkeypatch):
    """Issue 8: a rule crash is BN904 for that file (exit 1), never an aborted run or a silent pass."""
    rule = registry.by_code()["BN001"]
    original = rule.check

    def check(self, model):
        if model.path.endswith("clean.py"):
            raise ZeroDivisionError("rule bug")
        return original(self, model)

    monkeypatch.setattr(rule, "check", check)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "1", "--format", "flake8",
                                       str(project / "clean.py"), str(project / "head.py")])
    assert result.exit_code == 1
    assert "clean.py:1:1: BN904 rule BN001 failed on this file (ZeroDivisionError: rule bug)" in result.stdout
    assert "head.py:9:" in result.stdout


# ---- --format flake8 ------------------------------------------------------------------
def test_flake8_format_is_exact_and_1_based(project):
    done = bnlint("check", "--no-cache", "--select", "BN001", "--format", "flake8", "head.py", cwd=project)
    line, col = position(HEAD, "0.0)")
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    match = FLAKE8_LINE.match(lines[0])
    assert match, lines[0]
    assert (match["path"], int(match["line"]), int(match["col"]), match["code"]) == ("head.py", line, col, "BN001")
    assert lines[0].startswith(f"head.py:{line}:{col}: BN001 ")


# What flake8 7 prints for the same arguments (checked by hand with `flake8` on this layout):
# the argument is kept as typed and the walk appends to it.
@pytest.mark.parametrize("args, expected", [
    (["head.py"], ["head.py"]),
    (["./head.py"], ["./head.py"]),
    (["."], ["./head.py", "./pkg/metamorphic.py"]),
    (["./"], ["./head.py", "./pkg/metamorphic.py"]),
    ([], ["./head.py", "./pkg/metamorphic.py"]),  # flake8's default path is "." too
    (["pkg"], ["pkg/metamorphic.py"]),
    (["pkg/"], ["pkg/metamorphic.py"]),
    (["./pkg"], ["./pkg/metamorphic.py"]),
    (["../PROJECT/pkg"], ["../PROJECT/pkg/metamorphic.py"]),
])
def test_flake8_format_names_paths_as_flake8_does(project, args, expected):
    args = [a.replace("PROJECT", project.name) for a in args]
    expected = [e.replace("PROJECT", project.name) for e in expected]
    done = bnlint("check", "--no-cache", "--select", "BN001", "--format", "flake8", *args, cwd=project)
    assert done.returncode == 1, done.stderr
    assert sorted({FLAKE8_LINE.match(l)["path"] for l in done.stdout.splitlines()}) == expected


def test_flake8_format_keeps_absolute_paths_absolute(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    done = bnlint("check", "--no-cache", "--select", "BN001", "--format", "flake8", str(project / "pkg"),
                  cwd=elsewhere)
    assert done.stdout.startswith(f"{project / 'pkg' / 'metamorphic.py'}:27:5: BN001 ")


# ---- --format json --------------------------------------------------------------------
def test_json_objects_have_exactly_the_documented_keys(project):
    done = bnlint("check", "--no-cache", "--select", "BN001", "--format", "json", "head.py", "pkg", cwd=project)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert [(f["path"], f["code"]) for f in findings] == [("head.py", "BN001"), ("pkg/metamorphic.py", "BN001")]
    for finding in findings:
        assert set(finding) == JSON_KEYS
    first = findings[0]
    line, col = position(HEAD, "0.0)")
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (line, col, line, col + 3)
    assert (first["name"], first["severity"], first["cell"]) == ("non-positive-epsilon", "E", None)
    assert first["fix"] == {"applicability": "unsafe", "title": "Set eps=1e-05 (PyTorch's default)",
                            "edits": [{"line": line, "column": col, "end_line": line, "end_column": col + 3,
                                       "content": "1e-05"}]}
    assert first["message"] == "BatchNorm2d gets eps=0; epsilon must be > 0"
    assert "inf or NaN" in first["explanation"]
    assert first["fix_title"] == "Set eps=1e-05 (PyTorch's default)"
    built, _ = position(HEAD, "nn.BatchNorm2d")
    assert [(e["note"], e["path"], e["line"]) for e in first["evidence"]] == [
        ("BatchNorm2d built here", "head.py", built)]


def test_json_without_findings_is_an_empty_list(project):
    done = bnlint("check", "--no-cache", "--format", "json", "clean.py", cwd=project)
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


# ---- rich (the default) ---------------------------------------------------------------
def test_rich_report_piped_is_plain_text_with_caret_name_evidence_and_summary(project):
    done = bnlint("check", "--no-cache", "--select", "BN001", "pkg", cwd=project)
    assert done.returncode == 1
    out = done.stdout
    assert "\x1b[" not in out  # no ANSI escapes when stdout is not a terminal
    lines = out.splitlines()
    assert lines[0] == "pkg/metamorphic.py"
    assert "27:5  BN001 [non-positive-epsilon] error" in out
    source = next(l for l in lines if "| " in l and "epsilon += delta" in l)
    caret = lines[lines.index(source) + 1]
    assert source.index("follow_model") == caret.index("^")  # the caret sits under the span
    assert caret.strip().endswith("^" * len("follow_model.layers[1].epsilon += delta"))
    assert "`delta` set to -1 here (line 46)" in out  # the evidence, with its line
    assert "Findings by rule" in out and re.search(r"BN001\s+│\s+non-positive-epsilon", out)
    assert re.search(r"1 finding in 1 file; 1 file checked in \d+\.\d\ds\.", out)


def test_rich_report_without_findings_says_so(project):
    done = bnlint("check", "--no-cache", "clean.py", cwd=project)
    assert done.returncode == 0
    assert re.search(r"No batch-normalization problems found; 1 file checked in \d+\.\d\ds\.", done.stdout)


def _on_terminal(project, *args, extra_env=None):
    master, slave = os.openpty()
    try:
        done = subprocess.run([BNLINT, "check", "--no-cache", "--select", "BN001", *args, "head.py"], cwd=project,
                              stdout=slave, stderr=subprocess.PIPE, env={**env(), **(extra_env or {})}, timeout=300)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    return done, b"".join(chunks)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_follows_no_color_and_the_color_option(project):
    """Issue 10: NO_COLOR is honoured on a terminal; --color never/always decide outright."""
    colour = re.compile(rb"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]")  # foreground colours (bold is no colour)
    _done, plain = _on_terminal(project, extra_env={"NO_COLOR": "1"})
    assert not colour.search(plain) and b"BN001" in plain
    _done, coloured = _on_terminal(project)
    assert colour.search(coloured)
    _done, never = _on_terminal(project, "--color", "never")
    assert b"\x1b[" not in never
    forced = subprocess.run([BNLINT, "check", "--no-cache", "--select", "BN001", "--color", "always", "head.py"],
                            cwd=project, capture_output=True, env=env(), timeout=300)
    assert b"\x1b[" in forced.stdout


def test_output_file_is_utf8_and_the_console_encoding_never_crashes(project):
    (project / "modèle_模型.py").write_text((project / "head.py").read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([BNLINT, "check", "--no-cache", "--select", "BN001", "--format", "flake8",
                           "modèle_模型.py"], cwd=project, capture_output=True,
                          env={**env(), "PYTHONIOENCODING": "cp1252"}, timeout=300)
    assert done.returncode == 1 and b"BN001" in done.stdout
    done = subprocess.run([BNLINT, "check", "--no-cache", "--select", "BN001", "--format", "json",
                           "--output-file", "report.json", "modèle_模型.py"], cwd=project, capture_output=True,
                          env={**env(), "PYTHONIOENCODING": "cp1252"}, timeout=300)
    assert done.returncode == 1 and done.stdout == b""
    report = json.loads((project / "report.json").read_bytes().decode("utf-8"))
    assert report[0]["path"] == "modèle_模型.py"


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_rich_report_on_a_terminal_is_coloured(project):
    done, output = _on_terminal(project)
    assert done.returncode == 1
    assert b"\x1b[" in output


# ---- --quiet and --statistics ---------------------------------------------------------
def test_quiet_prints_the_findings_only(project):
    done = bnlint("check", "--no-cache", "--quiet", "--select", "BN001", ".", cwd=project)
    assert done.returncode == 1
    assert "BN001 [non-positive-epsilon]" in done.stdout
    assert "checked in" not in done.stdout and "Findings by rule" not in done.stdout
    clean = bnlint("check", "--no-cache", "-q", "clean.py", cwd=project)
    assert (clean.returncode, clean.stdout.strip()) == (0, "")


def test_statistics_counts_findings_per_code(project):
    (project / "head2.py").write_text(HEAD, encoding="utf-8")
    done = bnlint("check", "--no-cache", "--statistics", "--select", "BN001", "--format", "flake8", ".",
                  cwd=project)
    lines = done.stdout.splitlines()
    assert len([l for l in lines if FLAKE8_LINE.match(l)]) == 3
    assert lines[-1] == "3     BN001 non-positive-epsilon"
    plain = bnlint("check", "--no-cache", "--select", "BN001", "--format", "flake8", ".", cwd=project)
    assert "non-positive-epsilon" not in plain.stdout.splitlines()[-1]


def test_statistics_with_json_keeps_stdout_valid_json(project):
    done = bnlint("check", "--no-cache", "--statistics", "--select", "BN001", "--format", "json", ".", cwd=project)
    assert len(json.loads(done.stdout)) == 2
    assert "2     BN001 non-positive-epsilon" in done.stderr


def test_statistics_table_survives_quiet_in_rich(project):
    done = bnlint("check", "--no-cache", "--quiet", "--statistics", "--select", "BN001", ".", cwd=project)
    assert re.search(r"BN001\s+│\s+non-positive-epsilon\s+│\s+error\s+│\s+2", done.stdout)
    assert "checked in" not in done.stdout


# ---- --select / --ignore / --extend-select --------------------------------------------
def codes_reported(project: Path, *options: str) -> set[str]:
    done = bnlint("check", "--no-cache", "--format", "flake8", *options, "head.py", "broken.py", "missing.py",
                  cwd=project)
    assert done.returncode in (0, 1), done.stderr
    return {FLAKE8_LINE.match(l)["code"] for l in done.stdout.splitlines()}


@pytest.fixture
def three_codes(project: Path) -> Path:
    # BN001 in head.py; BN901 in broken.py (a syntax error in a file that BN001's prefilter
    # selects, so only while BN001 is enabled); BN902 for missing.py, which does not exist.
    (project / "broken.py").write_text("import torch\nbn = torch.nn.BatchNorm1d(8, eps=1e-5\n", encoding="utf-8")
    return project


@pytest.mark.parametrize("options, expected", [
    ([], {"BN001", "BN901", "BN902"}),
    (["--select", "BN001"], {"BN001", "BN901", "BN902"}),  # BN9xx: reported unless ignored
    (["--select", "BN00"], {"BN001", "BN901", "BN902"}),
    (["--select", "BN0,BN9"], {"BN001", "BN901", "BN902"}),
    (["--select", "BN903"], {"BN902"}),  # no rule enabled: broken.py is not even parsed
    # BN012's prefilter ("eps") still selects broken.py when BN001 is ignored
    (["--ignore", "BN001"], {"BN901", "BN902"}),
    (["--ignore", "BN00"], {"BN901", "BN902"}),
    (["--ignore", "BN0"], {"BN902"}),  # no rule enabled: broken.py is not even parsed
    (["--ignore", "BN901"], {"BN001", "BN902"}),
    (["--ignore", "BN001,BN902"], {"BN901"}),
    (["--ignore", "BN0,BN902"], set()),
    (["--ignore", "BN9", "--select", "BN001"], {"BN001"}),
    (["--ignore", "BN90"], {"BN001"}),
    (["--select", "BN903", "--extend-select", "BN001"], {"BN001", "BN901", "BN902"}),
    (["--select", "ALL", "--ignore", "BN0"], {"BN902"}),
    (["--select", " BN001 , BN903 "], {"BN001", "BN901", "BN902"}),
])
def test_select_ignore_extend_select(three_codes, options, expected):
    assert codes_reported(three_codes, *options) == expected


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_codes_on_the_command_line_exit_2_naming_them(project, option):
    done = bnlint("check", "--no-cache", option, "BN001,BN999,E501,XYZ", "head.py", cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert option in done.stderr
    for code in ("BN999", "E501", "XYZ"):
        assert code in done.stderr
    assert "BN001," not in done.stderr


# ---- rules / explain --------------------------------------------------------------------
def test_rules_table_lists_every_code(project):
    done = bnlint("rules", cwd=project)
    assert done.returncode == 0
    for rule in registry.catalogue():
        assert re.search(rf"{rule.code}\s.*{re.escape(rule.name)}", done.stdout), rule.code
    assert "\x1b[" not in done.stdout


def test_rules_json(project):
    done = bnlint("rules", "--format", "json", cwd=project)
    assert done.returncode == 0
    payload = json.loads(done.stdout)
    assert [r["code"] for r in payload] == [r.code for r in registry.catalogue()]
    for entry in payload:
        assert set(entry) == {"code", "name", "severity", "fix", "summary", "documentation", "help_uri"}
        assert entry["severity"] in ("E", "W", "I")
        assert entry["summary"] and "## What it does" in entry["documentation"]
        assert entry["help_uri"].startswith("https://")
    bn001 = payload[0]
    assert (bn001["code"], bn001["name"]) == ("BN001", "non-positive-epsilon")


@pytest.mark.parametrize("spelling", ["BN001", "bn001", "non-positive-epsilon"])
def test_explain_by_code_or_name(project, spelling):
    done = bnlint("explain", spelling, cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# BN001 non-positive-epsilon (error)")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix", "## References"):
        assert section in done.stdout


@pytest.mark.parametrize("spelling", ["BN999", "no-such-rule", "BN00"])
def test_explain_unknown_rule_exits_2(project, spelling):
    done = bnlint("explain", spelling, cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert spelling in done.stderr


# ---- --jobs ---------------------------------------------------------------------------
def test_jobs_gives_the_same_findings_as_one_job(tmp_path):
    # More than the 64 files at which the engine switches to a process pool.
    for index in range(130):
        folder = tmp_path / f"pkg{index % 7}"
        folder.mkdir(exist_ok=True)
        text = HEAD if index % 3 else CLEAN
        if index % 10 == 0:
            text = "import torch\nbn = torch.nn.BatchNorm1d(8, eps=(1e-5\n"  # BN901
        (folder / f"module_{index:03}.py").write_text(text, encoding="utf-8")
    one = bnlint("check", "--no-cache", "--jobs", "1", "--format", "flake8", ".", cwd=tmp_path)
    two = bnlint("check", "--no-cache", "--jobs", "2", "--format", "json", ".", cwd=tmp_path)
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    lines = one.stdout.splitlines()
    assert sum(" BN001 " in l for l in lines) == sum(1 for i in range(130) if i % 10 and i % 3)
    assert sum(" BN901 " in l for l in lines) == 13
    from_json = [f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
                 for f in json.loads(two.stdout)]
    assert from_json == lines


def _many_files(root: Path, count: int) -> None:
    for number in range(count):
        (root / f"m{number:03}.py").write_text("import torch\nbn = torch.nn.BatchNorm2d(8)\n", encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_for_a_few_hundred_files(tmp_path):
    import os
    import pty

    _many_files(tmp_path, 320)
    controller, terminal = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--jobs", "1", "."], cwd=tmp_path,
                          stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=300)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert done.returncode == 0
    assert b"checking" in shown and b"/320" in shown
    assert "checking" not in done.stdout  # the report stays clean


def test_no_progress_bar_when_not_on_a_terminal(tmp_path):
    _many_files(tmp_path, 320)
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert "checking" not in done.stderr + done.stdout


def test_rules_json_lists_the_whole_catalogue_with_its_documentation(project):
    """Every code of the registry (rules and BN9xx diagnostics), with its name, severity and
    documentation in every section of DOC_SECTIONS."""
    from bnlint.rule import DOC_SECTIONS

    payload = {r["code"]: r for r in json.loads(bnlint("rules", "--format", "json", cwd=project).stdout)}
    assert list(payload) == [rule.code for rule in registry.catalogue()]
    for rule in registry.catalogue():
        entry = payload[rule.code]
        assert (entry["name"], entry["severity"]) == (rule.name, rule.severity)
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name), rule.name
        for section in DOC_SECTIONS:
            assert f"## {section}" in entry["documentation"], (rule.code, section)
        assert "https://" in entry["documentation"].split("## References", 1)[1], rule.code
    assert [rule.code for rule in registry.all_rules()] == [code for code in payload if not code.startswith("BN9")]


def test_help_lists_every_command_with_a_whole_sentence():
    """Issue 10: `bnlint --help` must not cut the explain line at "e.g."."""
    done = CliRunner().invoke(main, ["--help"])
    line = next(l for l in done.output.splitlines() if l.strip().startswith("explain"))
    assert line.rstrip().endswith(".") and "(e.g." not in line


def test_user_visible_text_does_not_use_internal_words():
    """Issue 10: rule documentation says what the example is, not "seed story 002"."""
    for rule in registry.catalogue():
        assert "seed stor" not in rule.documentation().lower(), rule.code


def test_rich_summary_counts_each_severity_a_rule_reported(tmp_path):
    """BN002 is an error where the model's layers are seen and a warning where the model is
    loaded from disk: the summary table says how many of each, not the rule's default."""
    (tmp_path / "train.py").write_text(textwrap.dedent("""
        import tensorflow as tf

        seen = tf.keras.Sequential([tf.keras.layers.Dense(4, use_bias=False), tf.keras.layers.BatchNormalization()])
        loaded = tf.keras.models.load_model("model.keras")
        optimizer = tf.keras.optimizers.Adam()


        def step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(seen(x)) + tf.reduce_sum(loaded(x))
            variables = seen.trainable_variables + loaded.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        """), encoding="utf-8")
    out = bnlint("check", "--no-cache", "--select", "BN002", ".", cwd=tmp_path).stdout
    assert re.search(r"BN002\s+│\s+missing-training-flag-in-tape\s+│\s+error\s+│\s+1", out), out
    assert re.search(r"BN002\s+│\s+missing-training-flag-in-tape\s+│\s+warning\s+│\s+1", out), out


def test_a_project_checked_from_a_crowded_parent_folder_still_reads_its_own_modules(tmp_path, monkeypatch):
    # bnlint run from a scratch or home folder holding more Python files than one run reads: the
    # checked project's own modules (where its epsilon is written) must still be in view
    from bnlint.project import _MAX_FILES

    crowd = tmp_path / "aaa_downloads"
    crowd.mkdir()
    for number in range(_MAX_FILES + 1):
        (crowd / f"m{number}.py").write_text("x = 1\n")
    fixture = Path(__file__).resolve().parent.parent / "fixtures/BN001/project_zero_epsilon_in_config_merged_with_overrides"
    checked = tmp_path / "zzz_projects" / "kws"
    shutil.copytree(fixture, checked)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--exit-zero", "--format", "json", "zzz_projects/kws"])
    assert result.exit_code == 0, result.output
    assert [(Path(f["path"]).name, f["line"], f["code"]) for f in json.loads(result.output)] == [("encoder.py", 9, "BN001")]
