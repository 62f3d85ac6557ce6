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


# The mission rules (issue 2) need more styles than the rest of the catalogue (issue 3).
MINIMUM_FIXTURES = {code: (6, 4) for code in ("BN001", "BN002", "BN003", "BN004", "BN005")}
DEFAULT_MINIMUM = (4, 3)


def test_there_are_fixtures_for_every_rule():
    """Each rule has enough positives (fixtures in its folder expecting its code) and
    negatives (fixtures in its folder expecting nothing)."""
    from bnlint import registry

    for rule in registry.all_rules():
        folder = FIXTURES / rule.code
        files = [p for p in folder.glob("*") if p.suffix in (".py", ".ipynb")]
        positives = [p for p in files if rule.code in {entry[0] for entry in expected(p)}]
        negatives = [p for p in files if not expected(p)]
        want_positive, want_negative = MINIMUM_FIXTURES.get(rule.code, DEFAULT_MINIMUM)
        assert len(positives) >= want_positive, f"{rule.code}: {len(positives)} positive fixtures, want {want_positive}"
        assert len(negatives) >= want_negative, f"{rule.code}: {len(negatives)} negative fixtures, want {want_negative}"


def test_every_finding_carries_evidence_in_its_message():
    """A finding names where its evidence is: a line number or a quoted name."""
    for path in FILES:
        _found, findings = actual(path, LINTER)
        for finding in findings:
            if finding.code.startswith("BN9"):
                continue
            assert "line" in finding.message or "`" in finding.message, (path, finding.message)
