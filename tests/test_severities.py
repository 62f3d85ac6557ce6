"""Severities that depend on what the project does elsewhere: a finding's code and line are
checked by the fixtures, its severity here (design §3: error when certain, warning when the
pattern is the bug, info for a latent smell)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bnlint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def severities(folder: Path) -> list[tuple[str, str, int]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--exit-zero", "--format", "json", "--select", "BN",
                                       str(folder)])
    assert result.exit_code == 0, result.output
    return sorted((f["code"], f["severity"], f["line"]) for f in json.loads(result.output))


@pytest.mark.parametrize("folder, expected", [
    # the fine-tuning script that gets the frozen base from the builder unfreezes it: the harm happens
    ("BN013/project_base_unfrozen_by_the_script_that_gets_it", [("BN013", "W", 11)]),
    # the same builder, the base never unfrozen: a latent smell
    ("BN013/project_base_kept_frozen_by_the_script_that_gets_it", [("BN013", "I", 11)]),
])
def test_frozen_base_severity_follows_the_module_that_gets_it(folder, expected):
    assert severities(FIXTURES / folder) == expected


@pytest.mark.parametrize("folder, expected", [
    # the network comes from a subclass's `super().__init__(tabular_net())` in another module: it
    # holds BatchNorm, so the list of every weight is certain to hold moving statistics
    ("BN003/project_base_trainer_given_network_by_subclass_super_init", [("BN003", "E", 19), ("BN003", "E", 21)]),
])
def test_variable_list_severity_follows_the_subclass_that_passes_the_network(folder, expected):
    assert severities(FIXTURES / folder) == expected
