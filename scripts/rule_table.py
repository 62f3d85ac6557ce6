"""Print the README's rule table from the registry: `python scripts/rule_table.py`."""

from bnlint import registry

SEVERITY = {"E": "error", "W": "warning", "I": "info"}


def table() -> str:
    rows = ["| code | name | severity | what it finds |", "| --- | --- | --- | --- |"]
    for rule in registry.catalogue():
        rows.append(f"| {rule.code} | `{rule.name}` | {SEVERITY[rule.severity]} | {rule.summary} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
