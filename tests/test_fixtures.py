"""Every fixture produces exactly the findings declared in it (code and line), no more, no less."""

from __future__ import annotations

import pytest

from fixture_support import FIXTURES, actual, all_codes_linter, expected, fixture_files

FILES = fixture_files()
LINTER = all_codes_linter()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture_findings_are_exactly_the_declared_ones(path):
    found, findings = actual(path, LINTER)
    want = expected(path)
    missing = sorted(want - found)
    unexpected = sorted(found - want)
    details = "\n".join(f"  {f.line}: {f.code} {f.message}" for f in findings)
    assert not missing and not unexpected, (
        f"{path.name}: missing {missing}, unexpected {unexpected}\nall findings:\n{details}"
    )


def test_there_are_fixtures_for_every_rule():
    from bnlint import registry

    for rule in registry.all_rules():
        folder = FIXTURES / rule.code
        positives = [p for p in folder.glob("*") if p.suffix in (".py", ".ipynb") and expected(p)]
        negatives = [p for p in folder.glob("*") if p.suffix in (".py", ".ipynb") and not expected(p)]
        assert positives, f"{rule.code} has no positive fixture"
        assert negatives, f"{rule.code} has no negative fixture"


def test_every_finding_carries_evidence_in_its_message():
    """A finding names where its evidence is: a line number or a quoted name."""
    for path in FILES:
        _found, findings = actual(path, LINTER)
        for finding in findings:
            if finding.code.startswith("BN9"):
                continue
            assert "line" in finding.message or "`" in finding.message, (path, finding.message)
