"""Reports for CI systems other than GitHub.

- `gitlab`: GitLab's code quality report, a JSON list of issues with `description`,
  `check_name`, `fingerprint`, `severity` and `location.path`/`location.lines.begin`
  (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format). The
  fingerprint is the SARIF one: stable when lines shift.
- `junit`: JUnit XML, read by Jenkins, GitLab, Azure Pipelines and others: one test suite, one
  test case per file checked with findings, each finding a `<failure>`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TextIO

from bnlint.engine import RunResult
from bnlint.reporters.sarif import _fingerprint

# GitLab severities: info, minor, major, critical, blocker.
GITLAB_SEVERITY = {"E": "major", "W": "minor", "I": "info"}


def _where(finding) -> str:
    return f"cell {finding.cell}, line {finding.line}: " if finding.cell is not None else ""


def gitlab_report(result: RunResult, out: TextIO, *, line_source=None, quiet=False, statistics=False,
                  color=None) -> None:
    seen: dict[str, int] = {}
    issues = []
    for finding in result.findings:
        line_text = line_source(finding.path, finding.cell, finding.line) if line_source else None
        issues.append({
            "description": f"{finding.code} {_where(finding)}{finding.message}",
            "check_name": f"{finding.code} {finding.name}",
            "fingerprint": _fingerprint(finding, line_text, seen),
            "severity": GITLAB_SEVERITY.get(finding.severity, "major"),
            "location": {"path": finding.path.replace("\\", "/").removeprefix("./"),
                         "lines": {"begin": finding.line}},
        })
    json.dump(issues, out, indent=2)
    out.write("\n")


def junit_report(result: RunResult, out: TextIO, *, line_source=None, quiet=False, statistics=False,
                 color=None) -> None:
    by_file: dict[str, list] = {}
    for finding in result.findings:
        by_file.setdefault(finding.path, []).append(finding)
    suite = ET.Element("testsuite", name="bnlint", tests=str(max(len(by_file), 1)),
                       failures=str(len(result.findings)), errors="0", time=f"{result.elapsed:.3f}")
    if not by_file:
        ET.SubElement(suite, "testcase", classname="bnlint", name="no findings")
    for path, findings in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="bnlint", name=path)
        for finding in findings:
            failure = ET.SubElement(case, "failure", type=finding.code,
                                    message=f"{finding.code} {finding.name} at line {finding.line}")
            failure.text = f"{path}:{_where(finding) or ''}{finding.line}:{finding.column}: {finding.code} " \
                           f"{finding.message}" + (f"\n{finding.explanation}" if finding.explanation else "")
    out.write(ET.tostring(ET.ElementTree(suite).getroot(), encoding="unicode", xml_declaration=True))
    out.write("\n")
