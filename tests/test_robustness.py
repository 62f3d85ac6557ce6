"""Issue 8: no input loses findings, no run aborts. Each test drives the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

BN001_LINE = "import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n"


def run(*args, cwd, timeout=60):
    return subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "flake8", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_a_very_deep_expression_keeps_the_files_findings(tmp_path):
    """1,000-2,900 chained `+` parse; the analyses' walks must not lose the file's findings."""
    for n in (1000, 2900):
        (tmp_path / f"deep{n}.py").write_text(BN001_LINE + "x = " + " + ".join(["1"] * n) + "\n")
    done = run(".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "deep1000.py:2:28: BN001" in done.stdout and "deep2900.py:2:28: BN001" in done.stdout


def test_code_too_deep_for_the_parser_is_bn901_and_the_run_goes_on(tmp_path):
    (tmp_path / "deeper.py").write_text(BN001_LINE + "x = " + " + ".join(["1"] * 5000) + "\n")
    (tmp_path / "ok.py").write_text(BN001_LINE)
    done = run(".", cwd=tmp_path)
    assert done.returncode == 1
    assert "deeper.py:1:1: BN901" in done.stdout and "ok.py:2:28: BN001" in done.stdout


@pytest.mark.parametrize("expression", [
    "float(10**64 * 10**64 * 10**64 * 10**64 * 10**64 * 10**64)",
    "-((10**64)**64 * 10**64)",
    "(((((10**64)**64)**64)**64)**64)",
])
def test_constant_folding_is_bounded(tmp_path, expression):
    (tmp_path / "big.py").write_text(f"import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps={expression})\n")
    start = time.perf_counter()
    done = run("big.py", cwd=tmp_path, timeout=30)
    assert time.perf_counter() - start < 30
    assert done.returncode == 0, done.stdout + done.stderr
    assert "internal error" not in done.stderr


def test_a_notebook_nested_too_deeply_is_bn903(tmp_path):
    (tmp_path / "deep.ipynb").write_text("[" * 1200 + "]" * 1200)
    (tmp_path / "ok.py").write_text(BN001_LINE)
    done = run(".", cwd=tmp_path)
    assert done.returncode == 1
    assert "deep.ipynb:1:1: BN903 not a valid notebook: its JSON is nested too deeply" in done.stdout
    assert "ok.py:2:28: BN001" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs and symlinks")
def test_symlink_loops_and_fifos_are_bn902_and_never_hang(tmp_path):
    os.symlink(tmp_path / "loop_b.py", tmp_path / "loop_a.py")
    os.symlink(tmp_path / "loop_a.py", tmp_path / "loop_b.py")
    os.mkfifo(tmp_path / "pipe.py")
    for cache in ([], ["--no-cache"]):
        done = subprocess.run([sys.executable, "-m", "bnlint", "check", *cache, "--format", "flake8",
                               "loop_a.py", "pipe.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, done.stderr
        assert "loop_a.py:1:1: BN902" in done.stdout
        assert "pipe.py:1:1: BN902 cannot read: not a regular file" in done.stdout
    # walking a folder skips special files instead of reading them
    walked = run(".", cwd=tmp_path)
    assert "pipe.py" not in walked.stdout and walked.returncode in (0, 1)


def test_a_module_too_deep_to_summarize_does_not_cost_the_importer_its_findings(tmp_path):
    (tmp_path / "generated.py").write_text("TABLE = " + " + ".join(["1"] * 5000) + "\n")
    (tmp_path / "train.py").write_text("import generated\n" + BN001_LINE)
    done = run("train.py", cwd=tmp_path)
    assert done.returncode == 1
    assert "train.py:3:28: BN001" in done.stdout


def test_findings_json_still_parses_with_a_tool_diagnostic(tmp_path):
    (tmp_path / "deep.ipynb").write_text("{" * 10)
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "json", "."],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert [f["code"] for f in json.loads(done.stdout)] == ["BN903"]


@pytest.mark.parametrize("pyproject, message", [
    (b'[tool.bnlint]\nper-file-ignores = { "tests\\\\" = ["BN001"] }\n', "per-file-ignores: invalid pattern"),
    (b'tool = 5\n', "`tool` must be a table"),
    (b'# \xff\xfe not utf-8\n[tool.bnlint]\nselect = ["BN001"]\n', "is not UTF-8"),
])
def test_malformed_configuration_is_a_configuration_error(tmp_path, pyproject, message):
    (tmp_path / "pyproject.toml").write_bytes(pyproject)
    (tmp_path / "ok.py").write_text(BN001_LINE)
    via_config = ["--config", "pyproject.toml"] if pyproject.startswith(b"tool") else []
    done = run(*via_config, "ok.py", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "internal error" not in done.stderr
    assert "pyproject.toml" in done.stderr


def test_files_over_max_file_size_are_reported_as_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\nmax-file-size = 200\n")
    (tmp_path / "generated.py").write_text(BN001_LINE + "# padding\n" * 40)
    (tmp_path / "ok.py").write_text(BN001_LINE)
    done = run(".", cwd=tmp_path)
    assert done.returncode == 1
    assert "generated.py:1:1: BN905 skipped: the file has" in done.stdout
    assert "ok.py:2:28: BN001" in done.stdout


def test_a_rule_crash_is_never_reported_as_no_problems(tmp_path):
    """The rich report shows the BN904 finding, not "No batch-normalization problems found"."""
    (tmp_path / "ok.py").write_text(BN001_LINE)
    script = (
        "import sys\n"
        "from bnlint import registry\n"
        "rule = registry.by_code()['BN001']\n"
        "def check(self, model):\n"
        "    raise ZeroDivisionError('rule bug')\n"
        "rule.check = check\n"
        "from bnlint.cli import main\n"
        "sys.argv = ['bnlint', 'check', '--no-cache', '--format', 'rich', 'ok.py']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "BN904" in done.stdout and "No batch-normalization problems found" not in done.stdout


def test_a_notebooks_outputs_do_not_count_towards_max_file_size(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\nmax-file-size = 2000\n")
    cell = {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": BN001_LINE,
            "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"image/png": "A" * 50_000}}]}
    (tmp_path / "plots.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                                      "cells": [cell]}))
    done = run("plots.ipynb", cwd=tmp_path)
    assert done.returncode == 1
    assert "plots.ipynb:cell 1:2:28: BN001" in done.stdout and "BN905" not in done.stdout


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="type parameter lists parse on Python 3.12 and later")
def test_syntax_of_a_newer_python_is_named_with_the_version_it_needs(tmp_path):
    """Issue 10: not a bare "syntax error", but the construct and the Python it needs."""
    (tmp_path / "generic.py").write_text("import torch.nn as nn\n\ndef first[T](items: list[T]) -> T:\n"
                                         "    return items[0]\n\nbn = nn.BatchNorm2d(8)\n")
    done = run("generic.py", cwd=tmp_path)
    assert done.returncode == 1
    assert ("generic.py:3:10: BN901 syntax error: type parameter lists (PEP 695) need Python 3.12; bnlint runs "
            "on Python 3.") in done.stdout
    explained = json.loads(run("generic.py", "--format", "json", cwd=tmp_path).stdout)[0]
    assert explained["fix_title"] == "Run bnlint with the project's Python"


def test_python_312_f_strings_are_read_on_an_older_python_with_lines_kept(tmp_path):
    """PEP 701 f-strings (a backslash or the same quotes inside a replacement field, a field
    spanning lines) do not parse before Python 3.12; the file is still checked, its f-strings
    read as plain strings, and the lines after them keep their numbers (study 31, UF06)."""
    (tmp_path / "envcheck.py").write_text(
        'missing = ["A", "B"]\nraise_it = lambda: ValueError(f\'Missing:\\n\\t{"\\n\\t".join(missing)}\')\n'
        'print(f"resumed from epoch {\n    3}, best {missing["best"] if False else 0}")\n' + BN001_LINE)
    done = run("envcheck.py", cwd=tmp_path)
    assert "BN901" not in done.stdout, done.stdout
    assert done.stdout == "envcheck.py:6:28: BN001 BatchNorm2d gets eps=0; epsilon must be > 0\n", done.stdout


def test_python2_statements_are_read_as_python3_with_positions_kept(tmp_path):
    """Many TF1 scripts are Python 2: `print x`, `print >>f, x`, `except E, e:`, `10L`. They are
    respelled line by line (same columns) and checked; other Python 2 syntax stays BN901."""
    from bnlint.parsing import parse

    source = ("import sys\nprint 'loss', 1  # a comment\nprint >>sys.stderr, 'x'\nprint\n"
              "try:\n    pass\nexcept ValueError, e:\n    n = 10L\nprint('already a call')\n"
              "print '%d of %d' % \\\n    (1, 2)\nprint 'a', [1,\n    2]\n")
    tree, text = parse(source)
    assert text.splitlines()[1:4] == ["print('loss', 1)  # a comment", "print(  sys.stderr, 'x')", "print"]
    assert text.splitlines()[6] == "except ValueError as e:"
    assert "n = 10 " in text
    # a print statement continued over lines gets its `)` where it ends
    assert text.splitlines()[9:13] == ["print('%d of %d' % \\", "    (1, 2))", "print('a', [1,", "    2])"]
    # the code keeps its columns: only `(` takes the place of the space after `print`
    assert text.splitlines()[2].index("sys.stderr") == source.splitlines()[2].index("sys.stderr")
    assert text.splitlines()[1].index("1)") == source.splitlines()[1].index("1 ")
    (tmp_path / "old.py").write_text("import tensorflow as tf\nbn = tf.keras.layers.BatchNormalization(epsilon=0)\n"
                                     "print 'built', bn\n")
    done = run("old.py", cwd=tmp_path)
    assert done.stdout == "old.py:2:49: BN001 BatchNormalization gets epsilon=0; epsilon must be > 0\n"
    (tmp_path / "older.py").write_text("import tensorflow as tf\nbn = tf.keras.layers.BatchNormalization(epsilon=0)\n"
                                       "print `bn`\n")
    assert "BN901" in run("older.py", cwd=tmp_path).stdout


def test_notebook_exports_with_ipython_lines_are_read_with_positions_kept(tmp_path):
    """A script exported or copied from a notebook keeps `%matplotlib inline` and `!pip install`
    lines. They are made Python in place, so the rest is checked and the lines do not move;
    a `%` that continues an expression stays Python, and other syntax errors stay BN901."""
    from bnlint.parsing import parse

    source = ("%matplotlib inline\n!pip install -q tensorflow\nimport tensorflow as tf\n"
              "files = !ls data\nratio = (3\n % 2)\n")
    tree, text = parse(source)
    assert text.splitlines() == ["", "", "import tensorflow as tf", "", "ratio = (3", " % 2)"]
    (tmp_path / "exported.py").write_text(
        "%matplotlib inline\nimport tensorflow as tf\n!nvidia-smi\n"
        "bn = tf.keras.layers.BatchNormalization(epsilon=0)\n")
    done = run("exported.py", cwd=tmp_path)
    assert done.stdout == "exported.py:4:49: BN001 BatchNormalization gets epsilon=0; epsilon must be > 0\n"
    (tmp_path / "broken.py").write_text("%matplotlib inline\nimport tensorflow as tf\nWith tf.GradientTape() as t:\n"
                                        "    pass\n")
    assert "BN901" in run("broken.py", cwd=tmp_path).stdout


def test_notebook_export_cells_with_a_stray_leading_space_are_read_with_lines_kept(tmp_path):
    """Colab cells that began with a space export as ` for x in ds.take(1):` after a function:
    the block is moved to the left margin (same line numbers) and checked; a four-space stray
    indent stays an error."""
    from bnlint.parsing import parse

    tree, text = parse("def show(x):\n  print(x)\n\n for x in range(3):\n  show(x)\ny = 1\n")
    assert text.splitlines() == ["def show(x):", "  print(x)", "", "for x in range(3):", " show(x)", "y = 1"]
    (tmp_path / "colab.py").write_text(
        "import tensorflow as tf\ndef show(x):\n  print(x)\n\n for x in range(3):\n  show(x)\n"
        "bn = tf.keras.layers.BatchNormalization(epsilon=0)\n")
    done = run("colab.py", cwd=tmp_path)
    assert done.stdout == "colab.py:7:49: BN001 BatchNormalization gets epsilon=0; epsilon must be > 0\n"
    (tmp_path / "broken.py").write_text("import tensorflow as tf\ndef f():\n  pass\n"
                                        "     bn = tf.keras.layers.BatchNormalization()\n")
    assert "BN901" in run("broken.py", cwd=tmp_path).stdout


def test_a_file_saved_from_the_middle_of_a_function_is_read_from_its_first_whole_statement(tmp_path):
    """A truncated copy starts inside a block (`    return model`): its indented first lines are
    blanked in place and the rest is checked; the same indentation later stays an error."""
    from bnlint.parsing import parse

    tree, text = parse("    x = 1\n    return x\n\nimport tensorflow as tf\n")
    assert text.splitlines() == ["", "", "", "import tensorflow as tf"]
    (tmp_path / "fragment.py").write_text(
        "    model.add(Dense(1))\n    return model\n\nimport tensorflow as tf\n"
        "bn = tf.keras.layers.BatchNormalization(epsilon=0)\n")
    done = run("fragment.py", cwd=tmp_path)
    assert done.stdout == "fragment.py:5:49: BN001 BatchNormalization gets epsilon=0; epsilon must be > 0\n"
    (tmp_path / "broken.py").write_text("import tensorflow as tf\n    bn = tf.keras.layers.BatchNormalization()\n")
    assert "BN901" in run("broken.py", cwd=tmp_path).stdout


def test_select_bn901_alone_reports_every_file_that_does_not_parse(tmp_path):
    """`--select BN901` asks only which files parse: files that spell no rule's API are parsed too."""
    (tmp_path / "unrelated.py").write_text("def f(:\n    pass\n")
    (tmp_path / "fine.py").write_text("print('ok')\n")
    (tmp_path / "layers.py").write_text(BN001_LINE)
    done = run("--select", "BN901", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == ["./unrelated.py:1:7: BN901 syntax error: invalid syntax; bnlint cannot "
                                        "check this file"]


def test_a_function_calling_itself_many_times_is_analysed_once(tmp_path):
    """A helper that calls itself with its own parameters at twenty places, chaining the results
    (a colour-space converter): following its parameters through every path of calls would
    never end."""
    branches = []
    for i in range(8):
        branches.append(f"    {'if' if i == 0 else 'elif'} space == 'step{i}':\n"
                        f"        flat = image.view(dim[0], dim[1], -1)\n"
                        f"        out = convert(image, 'a{i}') + flat.sum()\n"
                        f"        out = convert(out, 'b{i}')\n"
                        f"        out = convert(out, 'c{i}')\n")
    source = (BN001_LINE + "import torch\n\n\ndef convert(image, space):\n    dim = image.size()\n    out = image\n"
              + "".join(branches) + "    return out.view(dim[0], -1)\n")
    (tmp_path / "colour.py").write_text(source)
    done = run("colour.py", cwd=tmp_path, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "colour.py:2:28: BN001" in done.stdout
