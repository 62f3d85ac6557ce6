"""Notebooks: code cells linted as one program in cell order, magics skipped without shifting
positions, findings reported per cell ({path}:cell {n}:{line}:{col}, ruff's convention: n counts
every cell, markdown included — checked against ruff 0.17: a code cell after one markdown cell
is `cell 2`), invalid notebooks as BN903."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path


def _notebook(path: Path, cells: list[tuple[str, str]], nbformat: int = 4) -> Path:
    path.write_text(json.dumps({
        "nbformat": nbformat, "nbformat_minor": 5, "metadata": {},
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
             **({"outputs": [], "execution_count": None} if kind == "code" else {})}
            for kind, text in cells
        ],
    }), encoding="utf-8")
    return path


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "flake8", *args],
                          cwd=cwd, capture_output=True, text=True)


TRAINING_NOTEBOOK = [
    ("markdown", "# Training a classifier\nThe model is built in the next cell."),
    ("code", "%matplotlib inline\n!pip install -q tensorflow\nimport tensorflow as tf\nfrom tensorflow.keras import layers\n"),
    ("code", "model = tf.keras.Sequential([\n    layers.Dense(64, use_bias=False),\n    layers.BatchNormalization(),\n"
             "    layers.Dense(10),\n])\noptimizer = tf.keras.optimizers.Adam()\n"),
    ("markdown", "## Training loop"),
    ("code", "%%time\nfor x, y in dataset:\n    with tf.GradientTape() as tape:\n        logits = model(x)\n"
             "        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, logits))\n"
             "    grads = tape.gradient(loss, model.trainable_variables)\n"
             "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"),
    ("code", "%%bash\nls -la | grep model\n"),
    ("code", "bn = layers.BatchNormalization(epsilon=0.0)  # noqa: BN001\nbn2 = layers.BatchNormalization(epsilon=-1.0)\n"),
]


def test_cells_are_one_program_and_findings_are_placed_per_cell(tmp_path):
    _notebook(tmp_path / "train.ipynb", TRAINING_NOTEBOOK)
    done = _check(tmp_path, "train.ipynb")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    # the model built in cell 3 is trained in cell 5 (after a %%time magic line); noqa in cell 7
    assert [line.split(" ")[0:2] for line in lines] == [
        ["train.ipynb:cell", "5:4:18:"],
        ["train.ipynb:cell", "7:2:41:"],
    ]
    assert " BN001 " in lines[1]
    # evidence is placed from typed locations: the BN layer in cell 3, the tape in the finding's cell 5
    (bn002, _bn001) = json.loads(_check(tmp_path, "--format", "json", "train.ipynb").stdout)
    places = {(e["cell"], e["line"]) for e in bn002["evidence"]}
    assert (3, 3) in places, bn002["evidence"]
    assert (5, 3) in places, bn002["evidence"]
    assert not re.search(r"\bline \d", bn002["message"] + bn002["explanation"])


def test_rich_and_json_reports_carry_the_cell(tmp_path):
    _notebook(tmp_path / "train.ipynb", TRAINING_NOTEBOOK)
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "json", "train.ipynb"],
                          cwd=tmp_path, capture_output=True, text=True)
    findings = json.loads(done.stdout)
    assert [(f["code"], f["cell"], f["line"]) for f in findings] == [("BN002", 5, 4), ("BN001", 7, 2)]
    rich = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "train.ipynb"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert "logits = model(x)" in rich.stdout  # the offending line, taken from its cell


def test_magics_and_shell_escapes_do_not_shift_positions(tmp_path):
    _notebook(tmp_path / "magic.ipynb", [
        ("code", "!nvidia-smi\n%load_ext autoreload\nfiles = !ls\nimport torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n"),
    ])
    done = _check(tmp_path, "magic.ipynb")
    assert done.stdout.split(" ")[0] == "magic.ipynb:cell"
    assert done.stdout.startswith("magic.ipynb:cell 1:5:28: BN001"), done.stdout


def test_automagic_lines_are_magics_not_syntax_errors(tmp_path):
    """IPython runs `pip install ...` and `cd data` without the `%` (automagic): those cells are
    not broken (no BN901), and a Python line that starts with such a name stays Python."""
    _notebook(tmp_path / "automagic.ipynb", [
        ("code", "pip install torch==1.13.1 torchvision\n"),
        ("code", "cd /content/drive/MyDrive/eeg\n"),
        ("code", "import torch.nn as nn\ncd = 3\nbn = nn.BatchNorm2d(8, eps=cd - 3)\n"),
    ])
    done = _check(tmp_path, "automagic.ipynb")
    assert "BN901" not in done.stdout, done.stdout
    assert done.stdout.startswith("automagic.ipynb:cell 3:3:28: BN001"), done.stdout


def test_invalid_notebooks_are_bn903_and_the_run_goes_on(tmp_path):
    (tmp_path / "truncated.ipynb").write_text('{"cells": [', encoding="utf-8")
    _notebook(tmp_path / "old.ipynb", [("code", "x = 1\n")], nbformat=3)
    (tmp_path / "net.py").write_text("import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n", encoding="utf-8")
    done = _check(tmp_path, ".")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = sorted(done.stdout.splitlines())
    assert lines[0].startswith("./net.py:2:28: BN001")
    assert lines[1].startswith("./old.ipynb:1:1: BN903 not a valid notebook: expected nbformat 4, found 3")
    assert lines[2].startswith("./truncated.ipynb:1:1: BN903 not a valid notebook: the file is not JSON")


def _cells_notebook(cells):
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
        for source in cells]})


def test_cells_are_transformed_as_ipython_does(tmp_path):
    """A continuation line starting with `%` is Python (modulo), an indented first line is
    dedented with the rest of the cell, and real magics are still skipped: no false BN901, and
    the notebook's finding is kept."""
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(_cells_notebook([
        "import torch.nn as nn\nsteps = (100\n        % 7)\ntotal = 10 + \\\n    3\n",
        "    bn = nn.BatchNorm2d(8, eps=0)\n    x = 1\n",
        "%matplotlib inline\n!pip list\nfiles = !ls\n",
    ]))
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "flake8", "nb.ipynb"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert "BN901" not in done.stdout, done.stdout
    assert "nb.ipynb:cell 2:1:" in done.stdout and "BN001" in done.stdout


def test_evidence_in_another_cell_reads_cell_and_line_once(tmp_path):
    """Issue 10: "built here (cell 1, line 3)", not "built here (cell 1) (line 3)"."""
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(_cells_notebook([
        "import tensorflow as tf\nmodel = tf.keras.Sequential([\n    tf.keras.layers.BatchNormalization()])\n",
        "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(model(tf.ones((2, 4))))\n"
        "grads = tape.gradient(loss, model.trainable_variables)\n",
    ]))
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "rich", "nb.ipynb"],
                          cwd=tmp_path, capture_output=True, text=True, env={**__import__("os").environ,
                                                                            "COLUMNS": "200"})
    assert "BatchNormalization built here (cell 1, line 3)" in done.stdout, done.stdout
    assert ") (line" not in done.stdout


def test_exported_notebook_cell_magic_findings_sit_on_the_magic_line_and_fixes_leave_it_alone(tmp_path):
    """A `%%time` cell exported by nbconvert is a string passed to `run_cell_magic`: its code is
    checked, findings in it are placed on that line, lines after it keep their numbers, and
    `--fix` does not edit inside the string (while fixing the rest of the file)."""
    cell = "for x in data:\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_sum(net(x))\n" \
           "    grads = tape.gradient(loss, net.variables)\n"
    script = tmp_path / "exported.py"
    original = ("import tensorflow as tf\n"
                "net = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.BatchNormalization()])\n"
                "data = tf.data.Dataset.from_tensor_slices(tf.ones((8, 3))).batch(4)\n"
                f"get_ipython().run_cell_magic('time', '', {cell!r})\n"
                "bn = tf.keras.layers.BatchNormalization(momentum=0.1)\n")
    script.write_text(original, encoding="utf-8")
    done = _check(tmp_path, "--select", "BN002,BN003,BN006", ".")
    assert [line.split(": ", 1)[0].split(":", 1)[1] for line in done.stdout.splitlines()] == \
        ["4:1", "4:1", "5:50"], done.stdout
    fixed = _check(tmp_path, "--select", "BN003,BN006", "--fix", "--unsafe-fixes", ".")
    assert fixed.returncode == 1, fixed.stderr
    text = script.read_text(encoding="utf-8")
    assert text.splitlines()[3] == original.splitlines()[3]  # the cell's string is untouched
    assert "momentum=0.9" in text and "BN003" in fixed.stdout and "BN006" not in fixed.stdout


def test_a_shell_escape_continued_with_backslashes_is_one_magic(tmp_path):
    """`!wget ... \\` goes on over indented lines: IPython gives them all to the shell."""
    _notebook(tmp_path / "download.ipynb", [
        ("code", "import torch.nn as nn\n"),
        ("code", "!wget --quiet \\\n    https://example.com/data.zip \\\n    -O data.zip\n"
                 "bn = nn.BatchNorm2d(8, eps=0)\n"),
    ])
    done = _check(tmp_path, "download.ipynb")
    assert done.stdout.startswith("download.ipynb:cell 2:4:28: BN001"), done.stdout
    assert "BN901" not in done.stdout


def test_evidence_spans_are_cell_relative_like_their_start(tmp_path):
    """An evidence's end line is placed in its cell as its start is (not the line in the cells
    joined together), so editors and SARIF readers get a span inside the cell."""
    notebook = _notebook(tmp_path / "nb.ipynb", [
        ("code", "import tensorflow as tf\nimport numpy as np\n"),
        ("markdown", "# Model"),
        ("code", "\n\n\nmodel = tf.keras.Sequential([\n    tf.keras.layers.Dense(4),\n"
                 "    tf.keras.layers.BatchNormalization()])\n"),
        ("code", "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(model(tf.ones((2, 4))))\n"
                 "grads = tape.gradient(loss, model.trainable_variables)\n"),
    ])
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "json", notebook.name],
                          cwd=tmp_path, capture_output=True, text=True)
    findings = [f for f in json.loads(done.stdout) if f["code"] == "BN002"]
    assert findings, done.stdout
    built = next(e for e in findings[0]["evidence"] if "BatchNormalization" in e["note"])
    assert (built["cell"], built["line"], built["end_line"]) == (3, 6, 6), built
