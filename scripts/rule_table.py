"""The README's rule table from the registry.

`python scripts/rule_table.py` prints it; `python scripts/rule_table.py --write` puts it
between the rule-table markers of README.md.
"""

import re
import sys
from pathlib import Path

from bnlint import registry

SEVERITY = {"E": "error", "W": "warning", "I": "info"}
README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- rule-table:[^\n]*-->\n)(.*?)(<!-- end rule-table -->)", re.S)


def table() -> str:
    rows = ["| code | name | severity | what it finds |", "| --- | --- | --- | --- |"]
    for rule in registry.catalogue():
        rows.append(f"| {rule.code} | `{rule.name}` | {SEVERITY[rule.severity]} | {rule.summary} |")
    return "\n".join(rows)


def write() -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda m: m.group(1) + table() + "\n" + m.group(3), text), encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write()
    else:
        print(table())
