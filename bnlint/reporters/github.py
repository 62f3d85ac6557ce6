"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request.

Escaping follows the Actions toolkit (actions/toolkit, packages/core/src/command.ts):
`escapeData` turns %, CR and LF into %25, %0D, %0A in the message; `escapeProperty` also
turns : and , into %3A and %2C in property values (file, title).
"""

from __future__ import annotations

from typing import TextIO

from bnlint.engine import RunResult
from bnlint.findings import Finding

COMMAND = {"E": "error", "W": "warning", "I": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _workspace_path(path: str) -> str:
    """GitHub matches `file` against repository paths: forward slashes, no leading './'."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def annotation(finding: Finding) -> str:
    message = finding.message
    if finding.cell is not None:  # GitHub cannot place a line inside a notebook cell
        message = f"cell {finding.cell}, line {finding.line}: {message}"
    properties = ",".join([
        f"file={escape_property(_workspace_path(finding.path))}",
        f"line={finding.line}",
        f"col={finding.column}",
        f"endLine={finding.end_line}",
        f"endColumn={finding.end_column}",
        f"title={escape_property(f'{finding.code} {finding.name}')}",
    ])
    return f"::{COMMAND.get(finding.severity, 'error')} {properties}::{escape_data(message)}"


def github_report(result: RunResult, out: TextIO, *, line_source=None, quiet=False, statistics=False,
                  color=None) -> None:
    for finding in result.findings:
        out.write(annotation(finding) + "\n")
