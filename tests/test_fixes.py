"""Issue 9: fixes. Every fix has a before/after pair (tests/fix_cases/CODE_*.py and its
`.after.py`), run through the real command line; fixing every fixture (and, when it has been
built, every corpus file with a fix) leaves code that compiles and a second run that changes
nothing; writes keep encoding, BOM, line endings and mode; notebooks stay valid."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bnlint import registry
from bnlint.config import Settings
from bnlint.engine import Linter
from bnlint.findings import Finding
from bnlint.rule import Report, Rule, fix

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fix_cases"
BEFORE = sorted(p for p in CASES.glob("BN*.py") if not p.name.endswith(".after.py"))


def bnlint(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=stdin is None or isinstance(stdin, str), input=stdin, timeout=300)


@pytest.mark.parametrize("before", BEFORE, ids=[p.stem for p in BEFORE])
def test_the_fix_turns_before_into_after_and_a_second_run_changes_nothing(before, tmp_path):
    target = tmp_path / before.name
    shutil.copy(before, target)
    first = bnlint("--fix", "--unsafe-fixes", "--format", "flake8", target.name, cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    assert target.read_text() == before.with_name(before.stem + ".after.py").read_text(), first.stderr
    assert " fixed, " in first.stderr
    second = bnlint("--fix", "--unsafe-fixes", "--format", "json", target.name, cwd=tmp_path)
    assert second.stderr.startswith("0 fixed"), second.stderr
    assert not [f for f in json.loads(second.stdout) if f["fix"]]


def test_every_rule_with_a_fix_has_a_pair_and_says_so_in_its_documentation():
    covered = {p.name[:5] for p in BEFORE}
    for rule in registry.all_rules():
        fix_section = rule.doc_section("Fix")
        if rule.fix_applicability:
            assert rule.code in covered, f"{rule.code} has a fix and no pair in tests/fix_cases"
            assert f"**Automatic fix ({rule.fix_applicability}):**" in fix_section, rule.code
        else:
            assert "**No automatic fix:**" in fix_section, rule.code


def _fixture_findings() -> list[Finding]:
    from fixture_support import FIXTURES, all_codes_linter, fixture_files

    linter = all_codes_linter()
    found = []
    for path in fixture_files():
        found.extend(linter.lint_file(str(path))[0])
    assert FIXTURES.exists()
    return found


def test_each_fix_has_the_applicability_its_rule_declares():
    rules = registry.by_code()
    fixes = [f for f in _fixture_findings() if f.fix is not None]
    assert len({f.code for f in fixes}) >= 9  # every rule with a fix has one in its fixtures
    for finding in fixes:
        assert finding.fix.applicability == rules[finding.code].fix_applicability, finding


def _parses(path: Path) -> bool:
    from bnlint import source

    try:
        compile(source.load(str(path)).text, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, source.SourceError):
        return False
    return True


def _fix_tree_twice(tree: Path):
    files = sorted(p for p in tree.rglob("*") if p.suffix in (".py", ".ipynb"))
    broken_before = {p for p in files if not _parses(p)}
    first = bnlint("--fix", "--unsafe-fixes", "--format", "json", ".", cwd=tree)
    assert first.returncode in (0, 1), first.stderr
    remaining = json.loads(first.stdout)
    snapshot = {p: p.read_bytes() for p in files}
    second = bnlint("--fix", "--unsafe-fixes", "--format", "json", ".", cwd=tree)
    return files, broken_before, first, remaining, snapshot, second


def test_fixing_every_fixture_leaves_parsable_code_no_fixable_finding_and_nothing_for_a_second_run(tmp_path):
    tree = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree)
    files, broken_before, first, remaining, snapshot, second = _fix_tree_twice(tree)
    assert int(first.stderr.split(" fixed")[0].split()[-1]) >= 60, first.stderr
    assert [p for p in files if p not in broken_before and not _parses(p)] == []
    assert [f for f in remaining if f["fix"]] == []
    assert second.stderr.startswith("0 fixed"), second.stderr
    assert all(p.read_bytes() == data for p, data in snapshot.items())


CORPORA = [Path("/tmp/bnlint-corpus"), Path("/tmp/bnlint-usercorpus")]


@pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])
def test_fixing_every_corpus_file_with_a_fix_leaves_parsable_code_and_is_idempotent(corpus, tmp_path, corpus_run):
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is not built here (../shared/corpus.sh, ../shared/usercorpus.sh build it)")
    # (the corpus is linted once per session, as a default run does; the fixing below is the
    # real command line)
    _files, found = corpus_run(corpus)
    with_fix = sorted({f.path for f in found.findings if f.fix is not None})
    if not with_fix:
        pytest.skip(f"no finding in {corpus} has a fix")
    tree = tmp_path / "copy"
    for path in with_fix:
        destination = tree / Path(path).relative_to(corpus)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, destination)
    files, broken_before, first, remaining, snapshot, second = _fix_tree_twice(tree)
    assert [p for p in files if p not in broken_before and not _parses(p)] == []
    assert [f for f in remaining if f["fix"]] == []
    assert second.stderr.startswith("0 fixed"), second.stderr
    assert all(p.read_bytes() == data for p, data in snapshot.items())


# ---- --diff, stdin, flags -----------------------------------------------------------------
def test_diff_prints_a_unified_diff_writes_nothing_and_exits_1(tmp_path):
    target = tmp_path / "train.py"
    shutil.copy(CASES / "BN002_training_flag.py", target)
    before = target.read_bytes()
    done = bnlint("--diff", "train.py", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert target.read_bytes() == before
    assert done.stdout.startswith("--- a/train.py\n+++ b/train.py\n")
    assert "+        logits = model(x, training=True)\n" in done.stdout
    assert "Would fix 2 findings." in done.stderr
    clean = tmp_path / "clean.py"
    shutil.copy(CASES / "BN002_training_flag.after.py", clean)
    assert bnlint("--diff", "clean.py", cwd=tmp_path).returncode == 0


def test_safe_fixes_only_unless_unsafe_fixes_is_given(tmp_path):
    target = tmp_path / "stem.py"
    shutil.copy(CASES / "BN014_bias.py", target)  # BN014's fix is unsafe
    done = bnlint("--fix", "--format", "flake8", "stem.py", cwd=tmp_path)
    assert target.read_bytes() == (CASES / "BN014_bias.py").read_bytes()
    assert "0 fixed, 2 remaining (2 more with --unsafe-fixes)." in done.stderr
    assert done.returncode == 1


def test_unsafe_fixes_alone_is_a_usage_error():
    done = bnlint("--unsafe-fixes", ".", cwd=CASES)
    assert done.returncode == 2 and "--unsafe-fixes" in done.stderr


def test_fix_on_standard_input_prints_the_fixed_source(tmp_path):
    source = (CASES / "BN007_trainable_keyword.py").read_text()
    done = bnlint("--fix", "--stdin-filename", "step.py", "-", cwd=tmp_path, stdin=source)
    assert done.stdout == (CASES / "BN007_trainable_keyword.after.py").read_text()
    assert "1 fixed, 0 remaining." in done.stderr and done.returncode == 0


# ---- how files are written --------------------------------------------------------------
def test_encoding_bom_line_endings_and_mode_are_kept(tmp_path):
    text = (CASES / "BN003_trainable_lists.py").read_text().replace("# a comment stays", "# café, naïve")
    for name, data in {
        "crlf.py": text.replace("\n", "\r\n").encode("utf-8"),
        "bom.py": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "latin1.py": ("# -*- coding: latin-1 -*-\n" + text).encode("latin-1"),
    }.items():
        (tmp_path / name).write_bytes(data)
    os.chmod(tmp_path / "crlf.py", 0o750)
    done = bnlint("--fix", "crlf.py", "bom.py", "latin1.py", cwd=tmp_path)
    assert "6 fixed, 0 remaining." in done.stderr, done.stderr
    crlf = (tmp_path / "crlf.py").read_bytes()
    assert b"model.trainable_variables)  # caf\xc3\xa9" in crlf and b"\n" not in crlf.replace(b"\r\n", b"")
    assert stat.S_IMODE(os.stat(tmp_path / "crlf.py").st_mode) == 0o750
    assert (tmp_path / "bom.py").read_bytes().startswith(b"\xef\xbb\xbf")
    latin1 = (tmp_path / "latin1.py").read_bytes()
    assert b"# caf\xe9, na\xefve" in latin1 and b"trainable_weights" in latin1
    assert not list(tmp_path.glob(".bnlint-*"))  # no temporary file left behind


def _notebook(cells) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "cells": [dict(cell_type=kind, metadata={}, source=text.splitlines(keepends=True),
                           **({"outputs": outputs, "execution_count": 1} if kind == "code" else {}))
                      for kind, text, outputs in cells]}


def test_a_notebook_fix_lands_in_its_cell_and_the_outputs_stay(tmp_path):
    output = [{"output_type": "stream", "name": "stdout", "text": ["epoch 1 loss 0.3\n"]}]
    cells = [
        ("markdown", "# Training\n", None),
        ("code", "%matplotlib inline\nimport tensorflow as tf\n", []),
        ("code", "model = tf.keras.Sequential([\n    tf.keras.layers.Dense(8, use_bias=False),\n"
                 "    tf.keras.layers.BatchNormalization(),\n])\noptimizer = tf.keras.optimizers.Adam()", []),
        ("code", "for x, y in data:\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean(model(x))\n"
                 "    grads = tape.gradient(loss, model.variables)\n"
                 "    optimizer.apply_gradients(zip(grads, model.trainable_variables))", output),
    ]
    path = tmp_path / "train.ipynb"
    path.write_text(json.dumps(_notebook(cells), indent=1) + "\n", encoding="utf-8")
    done = bnlint("--fix", "train.ipynb", cwd=tmp_path)
    assert "2 fixed, 0 remaining." in done.stderr, done.stderr
    notebook = json.loads(path.read_text(encoding="utf-8"))
    fixed = "".join(notebook["cells"][3]["source"])
    assert "loss = tf.reduce_mean(model(x, training=True))\n" in fixed
    assert "grads = tape.gradient(loss, model.trainable_variables)\n" in fixed
    assert notebook["cells"][3]["outputs"] == output
    assert "".join(notebook["cells"][1]["source"]) == "%matplotlib inline\nimport tensorflow as tf\n"
    assert "".join(notebook["cells"][2]["source"]) == cells[2][1]  # no newline added to a cell's end
    nbformat = pytest.importorskip("nbformat", reason="nbformat validates the result when installed")
    nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))


class _BreaksTheFile(Rule):
    """A rule whose fix cannot compile: `yield` outside a function."""

    code = "BN998"
    name = "breaks-the-file"
    severity = "E"
    fix_applicability = "safe"
    summary = "test rule"

    def check(self, model):
        for node in model.tree.body:
            if hasattr(node, "value") and getattr(node.value, "value", None) == 1:
                yield Report(node.value, "`x = 1`", why="test", fix_title="t",
                             fix=fix("replace", node.value, "Make it a yield", safe=True, code="(yield)"))


def test_a_fix_whose_result_would_not_compile_is_dropped_with_a_message(tmp_path):
    from bnlint.fixes import fix_data

    linter = Linter(Settings(select={"BN998"}, root=tmp_path), rules=[_BreaksTheFile])
    outcome = fix_data(linter, str(tmp_path / "m.py"), b"x = 1\n", unsafe=False)
    assert outcome.after == "x = 1\n" and outcome.fixed == 0
    assert any("would not parse" in message and "outside function" in message for message in outcome.dropped)


def test_a_helper_method_that_lists_the_global_variables_gets_no_rename_fix():
    """`graph.model_variables()` returning `tf.global_variables(scope)`: the finding names the
    helper's call, and renaming it to `graph.trainable_variables()` would call a method the object
    does not have. Only `tf.global_variables()` itself is renamed."""
    project = ROOT / "fixtures" / "BN003" / "project_tf1_graph_method_lists_global_variables_through_two_helpers"
    done = bnlint("--format", "json", "--select", "BN003", ".", cwd=project)
    findings = json.loads(done.stdout)
    assert [f["code"] for f in findings] == ["BN003"], done.stderr
    assert findings[0]["fix"] is None
