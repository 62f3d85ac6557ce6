"""The line formats: flake8 (editors, problem matchers) and JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from bnlint.engine import RunResult
from bnlint.findings import Finding


def flake8_line(finding: Finding) -> str:
    where = f"{finding.path}:"
    if finding.cell is not None:
        where += f"cell {finding.cell}:"
    return f"{where}{finding.line}:{finding.column}: {finding.code} {finding.message}"


def statistics_lines(findings: list[Finding]) -> list[str]:
    counts = Counter((f.code, f.name) for f in findings)
    return [f"{count:<5} {code} {name}" for (code, name), count in sorted(counts.items())]


def flake8(result: RunResult, out: TextIO, *, line_source=None, quiet=False, statistics=False, color=None) -> None:
    for finding in result.findings:
        out.write(flake8_line(finding) + "\n")
    if statistics:
        for line in statistics_lines(result.findings):
            out.write(line + "\n")


def json_report(result: RunResult, out: TextIO, *, line_source=None, quiet=False, statistics=False, color=None) -> None:
    json.dump([f.to_dict() for f in result.findings], out, indent=2, ensure_ascii=False)
    out.write("\n")
