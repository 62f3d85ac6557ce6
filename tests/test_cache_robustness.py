"""Issue 8: the cache is validated on load, knows imports that did not resolve, and a cached run
always equals an uncached one (a property test over random edits of a small project)."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings, strategies as st

from bnlint import registry
from bnlint.cache import Cache
from bnlint.config import Settings
from bnlint.engine import Linter

MODEL_WITH_BN = (
    "import tensorflow as tf\n\n"
    "def build():\n"
    "    return tf.keras.Sequential([tf.keras.layers.Dense(4, use_bias=False), tf.keras.layers.BatchNormalization()])\n"
)
MODEL_WITHOUT_BN = "import tensorflow as tf\n\ndef build():\n    return tf.keras.Sequential([tf.keras.layers.Dense(4)])\n"
TRAIN = (
    "import tensorflow as tf\nfrom models import build\n\nmodel = build()\nopt = tf.keras.optimizers.Adam()\n\n"
    "def step(x):\n"
    "    with tf.GradientTape() as tape:\n"
    "        loss = tf.reduce_sum(model(x))\n"
    "    grads = tape.gradient(loss, model.trainable_variables)\n"
    "    opt.apply_gradients(zip(grads, model.trainable_variables))\n"
)


def check(root, cache: bool):
    args = [sys.executable, "-m", "bnlint", "check", "--format", "flake8", "--exit-zero", "train.py"]
    if not cache:
        args.insert(4, "--no-cache")
    return subprocess.run(args, cwd=root, capture_output=True, text=True).stdout


def test_a_module_created_after_a_cached_run_rechecks_its_importers(tmp_path):
    (tmp_path / "train.py").write_text(TRAIN)
    assert "BN002" not in check(tmp_path, cache=True)  # models.py does not exist yet
    (tmp_path / "models.py").write_text(MODEL_WITH_BN)
    assert "train.py:9:30: BN002" in check(tmp_path, cache=True)


def test_a_cache_entry_of_the_wrong_shape_is_a_miss_not_a_crash(tmp_path):
    (tmp_path / "models.py").write_text(MODEL_WITH_BN)
    (tmp_path / "train.py").write_text(TRAIN)
    check(tmp_path, cache=True)
    for path in (tmp_path / ".bnlint_cache").glob("*.json"):
        data = json.loads(path.read_text())
        for key in data:
            data[key] = {"digest": 5, "deps": [1, 2], "findings": "x", "entries": 3}
        path.write_text(json.dumps(data))
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--format", "flake8", "train.py"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "train.py:9:30: BN002" in done.stdout


EDITS = st.lists(st.sampled_from(["bn", "no-bn", "delete-models", "touch-train"]), min_size=1, max_size=5)


@settings(max_examples=12, deadline=None)
@given(EDITS)
def test_cached_runs_equal_uncached_runs_over_random_edits(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("project")
    (root / "train.py").write_text(TRAIN)
    select = Settings(select=set(registry.by_code()), root=root)
    for edit in edits:
        if edit == "bn":
            (root / "models.py").write_text(MODEL_WITH_BN)
        elif edit == "no-bn":
            (root / "models.py").write_text(MODEL_WITHOUT_BN)
        elif edit == "delete-models":
            (root / "models.py").unlink(missing_ok=True)
        else:
            (root / "train.py").write_text(TRAIN + f"# edit {len(edits)}\n")
        cached = Linter(select).lint_paths([str(root / "train.py")], cache=Cache(root, select.fingerprint()))
        fresh = Linter(select).lint_paths([str(root / "train.py")])
        key = lambda f: (f.code, f.line, f.message)  # noqa: E731
        assert sorted(map(key, cached.findings)) == sorted(map(key, fresh.findings)), edits
