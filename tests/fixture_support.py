"""Reading the expectations declared inside fixtures: a trailing `# expect: BN002` (or several
codes, comma-separated) on the line a finding belongs to. A fixture with none expects silence."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bnlint import registry
from bnlint.config import Settings
from bnlint.engine import Linter

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>BN\d{3}(?:\s*,\s*BN\d{3})*)")


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".py", ".ipynb") and p.is_file())


def expected(path: Path) -> set[tuple]:
    """(code, line) pairs; for notebooks (code, cell, line)."""
    result: set[tuple] = set()
    if path.suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for number, cell in enumerate(notebook.get("cells", []), start=1):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            for line_no, line in enumerate(text.splitlines(), start=1):
                for code in _codes(line):
                    result.add((code, number, line_no))
        return result
    for line_no, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        for code in _codes(line):
            result.add((code, line_no))
    return result


def _codes(line: str) -> list[str]:
    match = EXPECT.search(line)
    if not match:
        return []
    return [c.strip() for c in match.group("codes").split(",")]


def all_codes_linter() -> Linter:
    return Linter(Settings(select=set(registry.by_code()), root=ROOT))


def actual(path: Path, linter: Linter | None = None) -> tuple[set[tuple], list]:
    linter = linter or all_codes_linter()
    findings, _parsed = linter.lint_file(str(path))
    pairs = {(f.code, f.cell, f.line) if f.cell is not None else (f.code, f.line) for f in findings}
    return pairs, findings
