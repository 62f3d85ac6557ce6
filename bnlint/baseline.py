"""Baselines: adopt bnlint on existing code without fixing everything first.

`bnlint check --write-baseline FILE` records the current findings; `--baseline FILE` then
reports only findings that are not in it. A finding is recorded by a fingerprint that survives
line shifts: its code, its file (as a path relative to where bnlint runs), the notebook cell,
the text of the reported line with whitespace normalized, and which occurrence of that same
text in the file it is (SARIF's partialFingerprints, the same computation).

The file is JSON:

    {"tool": "bnlint", "version": 1,
     "findings": [{"fingerprint": "...", "code": "BN002", "path": "train.py", "line": 42}, ...]}

`line` is informative only; matching uses the fingerprint.
"""

from __future__ import annotations

import json
from pathlib import Path

from bnlint.findings import Finding
from bnlint.reporters.sarif import _fingerprint

VERSION = 1


class BaselineError(Exception):
    pass


def fingerprints(findings: list[Finding], line_source) -> list[str]:
    seen: dict[str, int] = {}
    return [_fingerprint(f, line_source(f.path, f.cell, f.line) if line_source else None, seen) for f in findings]


def write(path: str, findings: list[Finding], line_source) -> None:
    entries = [{"fingerprint": fp, "code": f.code, "path": f.path, "line": f.line}
               for f, fp in zip(findings, fingerprints(findings, line_source))]
    Path(path).write_text(json.dumps({"tool": "bnlint", "version": VERSION, "findings": entries}, indent=1) + "\n",
                          encoding="utf-8")


def load(path: str) -> set[str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"the baseline {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("tool") != "bnlint" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path} is not a bnlint baseline (write one with --write-baseline)")
    return {entry["fingerprint"] for entry in data["findings"]
            if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)}


def new_findings(findings: list[Finding], known: set[str], line_source) -> list[Finding]:
    """The findings whose fingerprint the baseline does not hold (tool diagnostics always stay)."""
    return [f for f, fp in zip(findings, fingerprints(findings, line_source))
            if fp not in known or f.code.startswith("BN9")]
