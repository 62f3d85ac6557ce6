"""Every fixture produces exactly the findings declared in it (code and line), no more, no less."""

from __future__ import annotations

import re

import pytest

from bnlint.reporters.text import flake8_line

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


POSITION_IN_TEXT = re.compile(r"\b(?:line|lines|cell) \d+|\.py:\d+")


def _anatomy_problems(finding) -> list[str]:
    problems = []
    if len(finding.message) > 100 or "\n" in finding.message:
        problems.append(f"headline of {len(finding.message)} characters (at most 100, one line)")
    if finding.message.endswith("…"):
        problems.append("headline cut by the engine: the rule must keep it short")
    if not finding.explanation:
        problems.append("no explanation (why it is a bug)")
    if not finding.fix_title:
        problems.append("no fix title")
    for text in (finding.message, finding.explanation, finding.fix_title):
        if POSITION_IN_TEXT.search(text):
            problems.append(f"a position written as text ({POSITION_IN_TEXT.search(text).group(0)!r}): "
                            f"positions are typed evidence")
    if not finding.evidence and "`" not in finding.message:
        problems.append("no evidence: neither a typed location nor a quoted name")
    return problems


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_every_finding_has_a_short_headline_an_explanation_a_fix_title_and_evidence(path):
    """Issue 9's message anatomy, on every finding every fixture produces."""
    _found, findings = actual(path, LINTER)
    for finding in findings:
        if finding.code.startswith("BN9"):
            continue
        problems = _anatomy_problems(finding)
        assert not problems, f"{finding.code} at line {finding.line}: {problems}\n  {finding.message}"
        flake8 = flake8_line(finding)
        assert "\n" not in flake8 and len(flake8.split(": ", 1)[1]) <= 120, flake8


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_no_finding_is_reported_twice(path):
    """A rule may reach one place along several paths (nested loops, two call chains); users
    see it once."""
    _found, findings = actual(path, LINTER)
    keys = [(f.code, f.line, f.column, f.message) for f in findings]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
