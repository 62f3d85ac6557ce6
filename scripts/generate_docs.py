"""Regenerate the documentation that is made from the rules: docs/rules.md and the rules table
of README.md.

    python scripts/generate_docs.py            # rewrite whichever is out of date
    python scripts/generate_docs.py --check    # exit 1 naming each stale file; writes nothing

Everything comes from the registry (`registry.catalogue()`: the rules and the BN9xx tool
diagnostics): each rule's code, name, severity, summary and docstring (`rule.documentation()`,
what `bnlint explain` shows). docs/rules.md gives each rule a heading `## BN001 name`, whose
anchor (`#bn001-name`) is where `Rule.help_uri()` points (SARIF, LSP, JSON output). The README
table sits between the `<!-- rules-table:start -->` and `<!-- rules-table:end -->` markers.
tests/test_docs.py runs `--check`.

`--root DIR` works on another checkout (scripts/new_rule.py and the tests use it): its
`bnlint/` and `rules/` are the ones read, whatever bnlint is installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEVERITY = {"E": "error", "W": "warning", "I": "info"}
START = "<!-- rules-table:start -->"
END = "<!-- rules-table:end -->"
TABLE = re.compile(re.escape(START) + r"\n(.*?)" + re.escape(END), re.S)
COMMAND = "python scripts/generate_docs.py"


def load_project(root: Path = ROOT):
    """The registry of the checkout at `root`: its `bnlint` package, and its `rules/` folder as
    `bnlint.rules` (an installed bnlint, editable or not, would otherwise supply its own)."""
    root = root.resolve()
    sys.path.insert(0, str(root))
    import bnlint

    if Path(bnlint.__file__).resolve().parent != root / "bnlint":
        raise RuntimeError(f"bnlint was already imported from {bnlint.__file__}, not from {root}")
    if "bnlint.rules" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "bnlint.rules", root / "rules" / "__init__.py", submodule_search_locations=[str(root / "rules")])
        package = importlib.util.module_from_spec(spec)
        sys.modules["bnlint.rules"] = package
        spec.loader.exec_module(package)
        bnlint.rules = package
    where = Path(sys.modules["bnlint.rules"].__path__[0]).resolve()
    if where != root / "rules":
        raise RuntimeError(f"bnlint.rules was already imported from {where}, not from {root / 'rules'}")
    from bnlint import registry

    return registry


class DocsError(Exception):
    """Something the generator cannot fix by itself (exit 2)."""


def severity_word(rule) -> str:
    try:
        return SEVERITY[rule.severity]
    except KeyError:
        raise DocsError(f"{rule.code}: severity {rule.severity!r} is not one of {', '.join(SEVERITY)}") from None


def table(registry) -> str:
    """The README's table: one row per code."""
    rows = ["| code | name | severity | what it finds |", "| --- | --- | --- | --- |"]
    for rule in registry.catalogue():
        summary = rule.summary.replace("|", "\\|")
        rows.append(f"| {rule.code} | `{rule.name}` | {severity_word(rule)} | {summary} |")
    return "\n".join(rows)


def document(registry) -> str:
    """docs/rules.md: every rule's documentation, its own sections one level down."""
    parts = [
        "# bnlint rules",
        "",
        f"Generated from the rules' documentation by `{COMMAND}`; "
        "`bnlint explain CODE` shows the same text.",
        "",
    ]
    for rule in registry.catalogue():
        parts.append(f"## {rule.code} {rule.name}")  # GitHub's anchor: what Rule.help_uri() names
        parts.append("")
        parts.append(f"*{severity_word(rule)}*: {rule.summary}")
        parts.append("")
        parts.append(re.sub(r"^## ", "### ", rule.documentation(), flags=re.M).strip())
        parts.append("")
    return "\n".join(parts)


def readme(text: str, registry) -> str:
    """README.md's text with the rules table replaced."""
    if not TABLE.search(text):
        raise DocsError(f"README.md: no rules table between {START} and {END}; put the markers around it")
    return TABLE.sub(lambda _match: f"{START}\n{table(registry)}\n{END}", text, count=1)


def generated(root: Path, registry) -> dict[Path, str]:
    """Each generated file and the text it should have."""
    readme_path = root / "README.md"
    return {
        root / "docs" / "rules.md": document(registry),
        readme_path: readme(readme_path.read_text(encoding="utf-8"), registry),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 and name each file that is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to work on (default: this one)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        files = generated(root, load_project(root))
    except DocsError as error:
        print(f"generate_docs: {error}", file=sys.stderr)
        return 2
    stale = []
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path.relative_to(root).as_posix()}")
    if args.check and stale:
        for path in stale:
            name = path.relative_to(root).as_posix()
            print(f"{name} is out of date with the rules: run `{COMMAND}`", file=sys.stderr)
        return 1
    if not stale:
        print("docs/rules.md and the README rules table are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
