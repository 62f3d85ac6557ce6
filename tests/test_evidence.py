"""Evidence points at where a value is written: a finding whose value reaches the layer through
parameters, constructors and configs of other modules names that place, not a parameter's
default that does not hold the value."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bnlint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def evidence(folder: Path, code: str) -> list[tuple[str, int, list[tuple[str, str, int]]]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--exit-zero", "--format", "json", "--select", code,
                                       str(folder)])
    assert result.exit_code == 0, result.output
    return [(Path(f["path"]).name, f["line"], [(e["note"], Path(e["path"]).name, e["line"]) for e in f["evidence"]])
            for f in json.loads(result.output)]


def test_epsilon_of_a_config_merged_with_overrides_is_shown_where_the_config_writes_it():
    found = evidence(FIXTURES / "BN001/project_zero_epsilon_in_config_merged_with_overrides", "BN001")
    assert found == [("encoder.py", 9, [("BatchNorm1d built here", "encoder.py", 9),
                                        ("`eps` is 0, written here", "settings.py", 6)])]


def test_parameter_without_a_default_is_not_said_to_default_to_the_value():
    found = evidence(FIXTURES / "BN001/project_zero_epsilon_in_config_merged_with_overrides", "BN001")
    assert found
    assert not any("defaults to" in note for _file, _line, notes in found for note, _where, _at in notes)
