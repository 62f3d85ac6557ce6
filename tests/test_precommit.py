"""The pre-commit hook, run by the real pre-commit (`pre-commit try-repo` against this checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MODELS = """
import tensorflow as tf


def build():
    return tf.keras.Sequential([tf.keras.layers.Dense(8, use_bias=False), tf.keras.layers.BatchNormalization()])
"""
TRAIN = """
import tensorflow as tf

from models import build

model = build()
optimizer = tf.keras.optimizers.Adam()


def step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_hook_checks_the_changed_files_with_the_models_they_import(tmp_path):
    """Only train.py is passed (as pre-commit passes changed files); the model it imports from
    models.py is still known to contain BatchNormalization."""
    if not (ROOT / ".git").exists():
        pytest.skip("pre-commit try-repo needs this checkout to be a git repository")
    project = tmp_path / "project"
    project.mkdir()
    (project / "models.py").write_text(textwrap.dedent(MODELS), encoding="utf-8")
    (project / "train.py").write_text(textwrap.dedent(TRAIN), encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "bnlint", "--files", "train.py"],
        cwd=project, capture_output=True, text=True, env=env, timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "train.py" in output and "12:41  BN002" in output, output
    # the evidence points into the module that was not passed
    assert "BatchNormalization built here (models.py:6)" in output, output
