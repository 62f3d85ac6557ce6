"""The text prefilter only saves time: linting with it on and off gives identical findings.

Words come from the catalogue (the API names each rule concerns), so a file the prefilter skips
is one on which the rule could report nothing. Checked on every fixture, and on the corpora of
real code built by ../shared/corpus.sh and ../shared/usercorpus.sh when they are present.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bnlint import catalogue, registry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from prefilter_check import differences  # noqa: E402

CORPORA = {
    "library corpus (../shared/corpus.sh)": Path("/tmp/bnlint-corpus"),
    "user corpus (../shared/usercorpus.sh)": Path("/tmp/bnlint-usercorpus"),
}


def test_fixtures_give_the_same_findings_with_and_without_the_prefilter():
    assert differences([str(ROOT / "fixtures")], ROOT / "fixtures") == []


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_corpus_gives_the_same_findings_with_and_without_the_prefilter(name, corpus_run):
    root = CORPORA[name]
    if not root.is_dir():
        pytest.skip(f"{root} is absent: build it with {name.split('(')[1].rstrip(')')} to run this check")
    assert differences([str(root)], root, with_prefilter=corpus_run(root)) == []


def test_a_positional_epsilon_is_seen_without_the_word_eps():
    """`nn.BatchNorm2d(8, -0.001)` never spells `eps`; the layer's name selects the file."""
    rule = registry.by_code()["BN001"]
    assert rule.applies_to("import torch.nn as nn\nbn = nn.BatchNorm2d(8, -0.001)\n")


def test_prefilter_words_come_from_the_catalogue():
    """Every normalization API name in the catalogue selects the rules about normalization layers."""
    for code in ("BN001", "BN006", "BN009", "BN011", "BN012"):
        rule = registry.by_code()[code]
        for name in catalogue.api_names(catalogue.BATCH):
            assert rule.applies_to(f"x = {name}(3)\n"), (code, name)


def test_idioms_without_the_older_words_still_select_their_rules():
    """A training step written as `optimizer.minimize(loss_fn, var_list)` never says
    `GradientTape`; per-example Keras training never says `batch`; a TF1 collection key is
    spelled in capitals. The prefilter must still hand these files to their rules."""
    by_code = registry.by_code()
    assert by_code["BN002"].applies_to("loss_fn = lambda: model(x)\nopt.minimize(loss_fn, model.trainable_variables)\n")
    assert by_code["BN004"].applies_to("for i in range(n):\n    model.fit(X[i:i + 1], y[i:i + 1])\n")
    assert by_code["BN003"].applies_to("opt.minimize(loss, var_list=tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES))\n")


def test_pool_workers_lint_with_their_runs_prefilter_setting():
    """The corpus checks lint in a process pool: each worker must keep the run's setting, or
    the run without the prefilter would silently be one with it."""
    from bnlint import engine
    from bnlint.config import Settings

    settings = Settings(select=set(registry.by_code()), root=ROOT)
    for prefilter in (True, False):
        engine._init_worker(settings, prefilter)
        assert engine._worker_linter.prefilter is prefilter
