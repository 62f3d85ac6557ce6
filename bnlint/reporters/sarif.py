"""SARIF 2.1.0, as GitHub code scanning reads it.

- `tool.driver.rules` lists every rule of the catalogue (id, name, short and full
  description, help text and markdown, help URI, default level), so `ruleIndex` is stable
  whatever `--select` was.
- Regions use 1-based lines and columns (SARIF's default `columnKind` is UTF-16 code units;
  bnlint's columns count characters, which agree outside the astral planes).
- Artifact URIs are relative to `%SRCROOT%` (the working directory) with forward slashes.
- Notebook findings carry cell-relative lines: GitHub cannot place those, so the message
  starts with the cell and the region is the line within the cell.
- `partialFingerprints` hash the rule, path and the text of the reported line, so GitHub keeps
  tracking a finding when lines above it move.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TextIO

from bnlint import __version__, registry
from bnlint.engine import RunResult
from bnlint.findings import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/bnlint/bnlint"
LEVEL = {"E": "error", "W": "warning", "I": "note"}
PROBLEM_SEVERITY = {"E": "error", "W": "warning", "I": "recommendation"}


def _uri(path: str) -> str:
    """A path as an artifact URI relative to %SRCROOT% (the working directory) when it can be."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return candidate.resolve().as_uri()
    text = candidate.as_posix()
    return text[2:] if text.startswith("./") else text


def _location(path: str, line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict:
    uri = _uri(path)
    artifact = {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if end_line is not None:
        region["endLine"] = max(end_line, region["startLine"])
    if end_column is not None:
        region["endColumn"] = max(end_column, 1)
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _rule_descriptor(rule) -> dict:
    documentation = rule.documentation() or rule.summary
    full = rule.doc_section("What it does") or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(full.split())},
        "help": {"text": documentation, "markdown": documentation},
        "helpUri": rule.help_uri(),
        "defaultConfiguration": {"level": LEVEL.get(rule.severity, "error")},
        "properties": {
            "tags": ["batch-normalization", "correctness"],
            "precision": "high" if rule.severity == "W" else "very-high",
            "problem.severity": PROBLEM_SEVERITY.get(rule.severity, "error"),
        },
    }


def _fingerprint(finding: Finding, line_text: str | None, seen: dict[str, int]) -> str:
    basis = "\0".join([finding.code, _uri(finding.path), str(finding.cell or ""),
                       " ".join((line_text or str(finding.line)).split())])
    digest = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1  # the same text twice in a file: keep them apart
    return f"{digest}:{seen[digest]}"


def sarif_document(result: RunResult, line_source=None) -> dict:
    rules = registry.catalogue()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    seen: dict[str, int] = {}
    for finding in result.findings:
        message = finding.message
        if finding.cell is not None:
            message = f"cell {finding.cell}, line {finding.line}: {message}"
        line_text = line_source(finding.path, finding.cell, finding.line) if line_source else None
        parts = [message] + [p for p in (finding.explanation, f"Fix: {finding.fix_title}" if finding.fix_title else "")
                             if p]
        entry = {
            "ruleId": finding.code,
            "level": LEVEL.get(finding.severity, "error"),
            "message": {"text": "\n\n".join(parts)},
            "locations": [_location(finding.path, finding.line, finding.column, finding.end_line,
                                    finding.end_column)],
            "partialFingerprints": {"bnlint/v1": _fingerprint(finding, line_text, seen)},
        }
        if finding.code in index:
            entry["ruleIndex"] = index[finding.code]
        related = []
        for number, evidence in enumerate(finding.evidence):
            location = _location(evidence.path or finding.path, evidence.line, evidence.column,
                                 evidence.end_line, evidence.end_column)
            location["id"] = number
            location["message"] = {"text": evidence.note + (f" (cell {evidence.cell})" if evidence.cell else "")}
            related.append(location)
        if related:
            entry["relatedLocations"] = related
        if finding.fix is not None and finding.fix.edits and finding.cell is None:
            # a notebook's positions are cell-relative: no SARIF consumer could apply them
            entry["fixes"] = [{
                "description": {"text": f"{finding.fix.title} ({finding.fix.applicability})"},
                "artifactChanges": [{
                    "artifactLocation": _location(finding.path, 1, 1)["physicalLocation"]["artifactLocation"],
                    "replacements": [{
                        "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line,
                                          "endColumn": e.end_column},
                        "insertedContent": {"text": e.content},
                    } for e in finding.fix.edits],
                }],
            }]
        results.append(entry)
    invocation = {"executionSuccessful": not result.errors}
    if result.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in result.errors
        ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "bnlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "invocations": [invocation],
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def sarif_report(result: RunResult, out: TextIO, *, line_source=None, quiet=False, statistics=False,
                 color=None) -> None:
    json.dump(sarif_document(result, line_source), out, indent=2, ensure_ascii=False)
    out.write("\n")
