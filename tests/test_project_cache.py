"""Project scope (a model built in one module, used in another) and the findings cache."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

MODELS_WITH_BN = """
import tensorflow as tf
from tensorflow.keras import layers


def build():
    inputs = tf.keras.Input((32, 32, 3))
    x = layers.Conv2D(16, 3, use_bias=False)(inputs)
    x = layers.BatchNormalization()(x)
    return tf.keras.Model(inputs, x)
"""
MODELS_WITHOUT_BN = MODELS_WITH_BN.replace("layers.BatchNormalization()(x)", "layers.ReLU()(x)")
TRAIN = """
from models import build

model = build()
model.layers[2].epsilon = -1e-3
"""


def _project(tmp_path: Path, models: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    (tmp_path / "models.py").write_text(textwrap.dedent(models), encoding="utf-8")
    (tmp_path / "train.py").write_text(textwrap.dedent(TRAIN), encoding="utf-8")
    return tmp_path


def _check(cwd: Path, *args: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--format", "json", *args],
                          cwd=cwd, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_model_built_in_another_module_is_recognized_with_evidence_there(tmp_path):
    project = _project(tmp_path, MODELS_WITH_BN)
    findings = _check(project, "--no-cache", "train.py")  # a list of changed files, as pre-commit passes
    assert [(f["code"], f["path"], f["line"]) for f in findings] == [("BN001", "train.py", 5)]
    assert findings[0]["message"] == "`model.layers[2].epsilon` is set to -0.001; epsilon must be > 0"
    assert findings[0]["explanation"] and findings[0]["fix_title"]
    assert [(e["note"], e["path"], e["line"]) for e in findings[0]["evidence"]] == [
        ("`model.layers[2]` is a layer of `model`, which contains BatchNormalization", "models.py", 9)]


def test_cache_is_written_and_reused(tmp_path):
    project = _project(tmp_path, MODELS_WITH_BN)
    first = _check(project, ".")
    cache = project / ".bnlint_cache"
    assert (cache / ".gitignore").read_text().strip().endswith("*")
    assert any(p.name.startswith("findings-") for p in cache.iterdir())
    assert _check(project, ".") == first


def test_changed_module_invalidates_the_findings_of_its_importers(tmp_path):
    project = _project(tmp_path, MODELS_WITH_BN)
    assert [f["code"] for f in _check(project, ".")] == ["BN001"]
    (project / "models.py").write_text(textwrap.dedent(MODELS_WITHOUT_BN), encoding="utf-8")
    # train.py did not change, but the model it imports no longer has BatchNormalization.
    assert _check(project, ".") == []


def test_no_cache_writes_nothing(tmp_path):
    project = _project(tmp_path, MODELS_WITH_BN)
    _check(project, "--no-cache", ".")
    assert not (project / ".bnlint_cache").exists()


PACKAGE_MODELS = """
import tensorflow as tf


class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(64, use_bias=False)
        self.norm = tf.keras.layers.BatchNormalization()
        self.out = tf.keras.layers.Dense(10)

    def call(self, x, training=False):
        return self.out(tf.nn.relu(self.norm(self.dense(x), training=training)))
"""
PACKAGE_TRAIN = """
import tensorflow as tf

from .nets import Classifier

model = Classifier()
optimizer = tf.keras.optimizers.Adam()


def step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


def test_gradient_tape_over_a_model_from_a_sibling_module_is_an_error_with_evidence_there(tmp_path):
    """Issue 3: a model class defined in pkg/nets.py (re-exported nowhere, imported relatively)
    and trained in pkg/train.py is BN002 as E, its evidence pointing into nets.py."""
    package = tmp_path / "pkg"
    package.mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "nets.py").write_text(textwrap.dedent(PACKAGE_MODELS), encoding="utf-8")
    (package / "train.py").write_text(textwrap.dedent(PACKAGE_TRAIN), encoding="utf-8")
    findings = _check(tmp_path, "--no-cache", "pkg/train.py")
    assert [(f["code"], f["severity"], f["path"], f["line"]) for f in findings] == [
        ("BN002", "E", "pkg/train.py", 12)]
    assert findings[0]["message"] == ("`model` holds BatchNormalization but is called in a GradientTape without "
                                      "`training=True`")
    assert "inference mode" in findings[0]["explanation"] and findings[0]["fix_title"] == "Pass `training=True`"
    evidence = [(e["note"], e["path"], e["line"]) for e in findings[0]["evidence"]]
    assert ("BatchNormalization built here", "pkg/nets.py", 9) in evidence
    assert ("GradientTape opened here", "pkg/train.py", 11) in evidence


BLOCKS_WITH_BN = """
import torch.nn as nn


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, bias=False), nn.BatchNorm2d(cout), nn.ReLU())
"""
NETWORK = """
import torch.nn as nn

from blocks import conv_block


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv_block(3, 16), conv_block(16, 32))

    def forward(self, x):
        return self.body(x)
"""
TRAIN_FROM_NETWORK = """
import torch
from torch.utils.data import DataLoader

from network import Net

net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
net.train()
for x, y in DataLoader(torch.load("train.pt"), batch_size=1):
    optimizer.zero_grad()
    torch.nn.functional.cross_entropy(net(x), y).backward()
    optimizer.step()
"""


def test_a_summary_is_not_reused_when_a_module_it_read_changed(tmp_path):
    """network.py's summary says `Net` holds BatchNorm because of blocks.py: when blocks.py loses
    its BatchNorm, the cached summary of the unchanged network.py must not be reused."""
    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    (tmp_path / "blocks.py").write_text(textwrap.dedent(BLOCKS_WITH_BN), encoding="utf-8")
    (tmp_path / "network.py").write_text(textwrap.dedent(NETWORK), encoding="utf-8")
    (tmp_path / "train.py").write_text(textwrap.dedent(TRAIN_FROM_NETWORK), encoding="utf-8")
    assert [(f["code"], f["path"]) for f in _check(tmp_path, "--select", "BN004", ".")] == [("BN004", "./train.py")]
    (tmp_path / "blocks.py").write_text(textwrap.dedent(BLOCKS_WITH_BN).replace("nn.BatchNorm2d(cout)",
                                                                                 "nn.GroupNorm(4, cout)"),
                                        encoding="utf-8")
    assert _check(tmp_path, "--select", "BN004", ".") == []


def test_identical_modules_in_two_folders_are_summarized_where_each_is(tmp_path):
    """Two copies of one network.py whose `blocks` imports resolve to different files."""
    for folder, norm in (("with_bn", "nn.BatchNorm2d(cout)"), ("without_bn", "nn.GroupNorm(4, cout)")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "blocks.py").write_text(textwrap.dedent(BLOCKS_WITH_BN).replace(
            "nn.BatchNorm2d(cout)", norm), encoding="utf-8")
        (tmp_path / folder / "network.py").write_text(textwrap.dedent(NETWORK), encoding="utf-8")
        (tmp_path / folder / "train.py").write_text(textwrap.dedent(TRAIN_FROM_NETWORK), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    found = _check(tmp_path, "--select", "BN004", "--jobs", "1", ".")
    assert [(f["code"], f["path"]) for f in found] == [("BN004", "./with_bn/train.py")]


TRAINER = """
import torch
from torch.utils.data import DataLoader


class Trainer:
    def __init__(self, model, dataset, batch_size):
        self.model = model
        self.loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def fit(self):
        self.model.train()
        for x, y in self.loader:
            self.optimizer.zero_grad()
            torch.nn.functional.cross_entropy(self.model(x), y).backward()
            self.optimizer.step()
"""
TRAIN_WITH_TRAINER = """
import torch

from network import Net
from trainer import Trainer

Trainer(Net(), torch.load("train.pt"), batch_size=1).fit()
"""


def test_a_project_checked_from_outside_it_is_read_as_one_project(tmp_path):
    """`bnlint check ~/src/unet` from another folder: the modules of the folder checked are the
    project (its callers found: the trainer learns its model and batch size from train.py), not
    the working directory's."""
    project = tmp_path / "unet"
    project.mkdir()
    (project / "blocks.py").write_text(textwrap.dedent(BLOCKS_WITH_BN), encoding="utf-8")
    (project / "network.py").write_text(textwrap.dedent(NETWORK), encoding="utf-8")
    (project / "trainer.py").write_text(textwrap.dedent(TRAINER), encoding="utf-8")
    (project / "train.py").write_text(textwrap.dedent(TRAIN_WITH_TRAINER), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = _check(elsewhere, "--no-cache", "--select", "BN004", str(project))
    assert [(f["code"], Path(f["path"]).name) for f in found] == [("BN004", "trainer.py")]


def test_imports_resolve_from_the_checkout_top_when_checked_from_the_folder_above(tmp_path):
    """finetune/run.py says `from port.network import Net` (its scripts run from the checkout's
    top folder); the checkout is checked from the folder above it."""
    checkout = tmp_path / "checkout"
    (checkout / "finetune").mkdir(parents=True)
    (checkout / "port").mkdir()
    (checkout / "port" / "__init__.py").write_text("", encoding="utf-8")
    (checkout / "port" / "blocks.py").write_text(textwrap.dedent(BLOCKS_WITH_BN), encoding="utf-8")
    (checkout / "port" / "network.py").write_text(textwrap.dedent(NETWORK).replace(
        "from blocks import", "from port.blocks import"), encoding="utf-8")
    (checkout / "finetune" / "run.py").write_text(textwrap.dedent(TRAIN_FROM_NETWORK).replace(
        "from network import", "from port.network import"), encoding="utf-8")
    found = _check(tmp_path, "--no-cache", "--select", "BN004", "checkout")
    assert [(f["code"], f["path"]) for f in found] == [("BN004", "checkout/finetune/run.py")]


def test_a_module_gets_the_same_findings_whichever_module_is_checked_first():
    """Cross-module questions asked while another module's summary is being made (an import
    cycle cut short) must not leave partial answers behind: checking the script first used to
    hide the helper module's BN010."""
    from fixture_support import FIXTURES, all_codes_linter

    project = FIXTURES / "BN010" / "project_star_imported_helpers_evaluate"
    alone = all_codes_linter()
    expected, _ = alone.lint_file(str(project / "helpers.py"))
    assert [(f.code, f.line) for f in expected] == [("BN010", 19)]
    for first in ("main.py", "nets.py"):
        linter = all_codes_linter()
        linter.lint_file(str(project / first))
        findings, _ = linter.lint_file(str(project / "helpers.py"))
        assert [(f.code, f.line) for f in findings] == [("BN010", 19)], first


def test_a_config_file_that_starts_setting_the_batch_size_invalidates_the_cached_finding(tmp_path):
    """BN004 on a LightningCLI depends on whether a YAML file beside the script sets a batch
    size (the CLI may be run with it): editing that file must not leave a stale finding."""
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "BN004" / \
        "negative_project_lightning_cli_config_sets_batch_size"
    import shutil

    project = tmp_path / "project"
    shutil.copytree(fixture, project)
    (project / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    config = project / "configs" / "fit.yaml"
    assert _check(project, "--select", "BN004", ".") == []
    config.write_text(config.read_text(encoding="utf-8").replace("batch_size", "num_workers"), encoding="utf-8")
    found = _check(project, "--select", "BN004", ".")
    assert [(f["code"], f["path"]) for f in found] == [("BN004", "./main.py")]
    config.write_text(config.read_text(encoding="utf-8").replace("num_workers", "batch_size"), encoding="utf-8")
    assert _check(project, "--select", "BN004", ".") == []



def test_a_module_changed_in_memory_is_read_again_by_the_modules_built_from_it_and_by_the_word_index(tmp_path):
    """`--fix` tells the project a module changed (its fixed text, not on disk yet): the
    analyses made from it, also through another module (network.py's `Net` is built from
    blocks.py's blocks), are made again from the new text; reading it from disk again restores
    what is there."""
    from bnlint.config import Settings
    from bnlint.engine import Linter

    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    (tmp_path / "blocks.py").write_text(textwrap.dedent(BLOCKS_WITH_BN), encoding="utf-8")
    (tmp_path / "network.py").write_text(textwrap.dedent(NETWORK), encoding="utf-8")
    (tmp_path / "train.py").write_text(textwrap.dedent(TRAIN_FROM_NETWORK), encoding="utf-8")
    linter = Linter(Settings(select={"BN004"}, root=tmp_path, project_root=tmp_path))
    train, blocks = str(tmp_path / "train.py"), tmp_path / "blocks.py"
    assert [f.code for f in linter.lint_file(train)[0]] == ["BN004"]
    assert linter.project.files_with_token("GroupNorm") == []
    without_bn = textwrap.dedent(BLOCKS_WITH_BN).replace("nn.BatchNorm2d(cout)", "nn.GroupNorm(4, cout)")
    linter.project.file_changed(blocks, without_bn.encode())
    assert linter.lint_file(train)[0] == []
    assert linter.project.files_with_token("GroupNorm") == [blocks.resolve()]
    linter.project.file_changed(blocks)
    assert [f.code for f in linter.lint_file(train)[0]] == ["BN004"]
    assert linter.project.files_with_token("GroupNorm") == []


def test_modules_that_may_use_a_modules_layers_are_its_importers_theirs_and_what_they_import(tmp_path):
    """Rules that look for what other modules do with this module's layers (BN005's converter
    elsewhere, BN003's helper) read only these modules, not every module with the right words:
    a direct importer, the script importing that factory, the helper the script calls, the helper
    this module calls itself; an unrelated module with `set_weights` in it is left out."""
    from bnlint.project import Project

    files = {
        "nets.py": "import tensorflow as tf\nfrom io_utils import describe\n\ndef conv_unit(x):\n"
                   "    return tf.keras.layers.BatchNormalization()(x)\n",
        "factory.py": "from nets import conv_unit\n\ndef build(): ...\n",
        "convert.py": "from factory import build\nfrom weights_io import load\n\nload(build(), 'w')\n",
        "weights_io.py": "def load(model, path):\n    for layer in model.layers:\n        layer.set_weights([])\n",
        "io_utils.py": "def describe(model): ...\n",
        "unrelated.py": "def load(model):\n    model.set_weights([])\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = Project(tmp_path.resolve())
    model = project.semantic_model((tmp_path / "nets.py").resolve())
    reach = model.project.modules_naming_this(model.defined_names)
    assert sorted(p.name for p in reach) == ["convert.py", "factory.py", "io_utils.py", "weights_io.py"]
