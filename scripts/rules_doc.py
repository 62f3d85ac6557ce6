"""docs/rules.md from the rules' own documentation (what `bnlint explain` shows).

`python scripts/rules_doc.py` prints it; `--write` writes docs/rules.md. Each rule's help URI
(SARIF, LSP, JSON output) points at its heading here; tests/test_readme.py checks the file is
current.
"""

import re
import sys
from pathlib import Path

from bnlint import registry

SEVERITY = {"E": "error", "W": "warning", "I": "info"}
TARGET = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def document() -> str:
    parts = [
        "# bnlint rules",
        "",
        "Generated from the rules' documentation by `python scripts/rules_doc.py --write`; "
        "`bnlint explain CODE` shows the same text.",
        "",
    ]
    for rule in registry.catalogue():
        parts.append(f"## {rule.code} {rule.name}")
        parts.append("")
        parts.append(f"*{SEVERITY[rule.severity]}*: {rule.summary}")
        parts.append("")
        body = rule.documentation()
        # the rule's own sections become sub-sections of its heading
        parts.append(re.sub(r"^## ", "### ", body, flags=re.M).strip())
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        TARGET.parent.mkdir(exist_ok=True)
        TARGET.write_text(document(), encoding="utf-8")
    else:
        print(document())
