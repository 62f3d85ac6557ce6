"""Start a new rule: its module and its fixtures, then the regenerated docs.

    python scripts/new_rule.py BN017 some-kebab-name "one-line summary" [--severity W]

makes rules/bn017_some_kebab_name.py (a Rule subclass with code, name, severity, summary,
prefilter words, a docstring with every section of bnlint.rule.DOC_SECTIONS to fill in, and a
`check` that finds nothing yet), fixtures/BN017/example.py (a positive fixture: one line with
`# expect: BN017`) and fixtures/BN017/negative_example.py, then runs scripts/generate_docs.py so
README.md and docs/rules.md list the rule. Nothing else needs editing: the registry finds the
rule, the tests find its fixtures. tests/test_fixtures.py fails until the check finds the
positive fixture's bug and there are enough fixtures of both kinds; that is the to-do list.

It refuses (exit 2, writing nothing) a code that is not BNnnn, a BN9xx code (the tool's own
diagnostics), a code or a name already in the catalogue, a name that is not kebab-case, and a
module or fixture folder that already exists. `--root DIR` works on another checkout.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_docs  # noqa: E402  (next to this script)

CODE = re.compile(r"^BN\d{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

# What each documentation section asks for; a section of DOC_SECTIONS not listed gets a TODO.
SECTION_TODO = {
    "What it does": "TODO: what the rule finds, in terms of the code it reads (calls, arguments,\n"
                    "models), and what it leaves alone.",
    "Why is this bad?": "TODO: what goes wrong at run time, and how silently.",
    "Example": "```python\n# TODO: the smallest program with the bug; mark the reported line\n```\n"
               "Use instead: TODO.",
    "Fix": "TODO: what to change.\n\n"
           "**No automatic fix:** TODO: why not. (A rule whose reports carry a fix sets\n"
           "`fix_applicability` and writes `**Automatic fix (safe):**` or `**Automatic fix (unsafe):**`\n"
           "here instead, saying what the fix rewrites and, if unsafe, why.)",
    "Framework versions": "TODO: the frameworks and versions this applies to.",
    "References": "- TODO: https://... (the framework's documentation, the issue or paper)",
}

RULE_TEMPLATE = '''"""{code} {name}."""

from __future__ import annotations

from bnlint import catalogue
from bnlint.rule import Report, Rule


class {cls}(Rule):
    """
{doc}
    """

    code = {code_literal}
    name = {name_literal}
    severity = {severity_literal}
    summary = {summary_literal}
    # TODO: the words a file must contain for this rule to apply (any one of them), taken from
    # the catalogue; a file containing none is never parsed. Add `requires_also` for a second
    # group the check needs anyway (see bnlint/rule.py).
    requires = catalogue.minimal_words(catalogue.api_names(catalogue.BATCH))
    # With a fix (Report(fix=...), see bnlint/rule.py): fix_applicability = "safe" or "unsafe".

    def check(self, model):
        # TODO: find the bug through the shared semantic model (model.index, model.norm_sites,
        # model.models, model.training, model.torchflow, ...; never re-parse or walk the tree)
        # and yield one Report per finding:
        #     yield Report(node, "`model` ... (a headline of at most 100 characters)",
        #                  evidence=[("BatchNorm built here", site.call)],
        #                  why="what goes wrong at run time", fix_title="Pass `training=True`")
        yield from ()
'''

POSITIVE_TEMPLATE = '''"""{code} {name}: TODO a real-looking program with the bug (rename this file after its style)."""
import torch
from torch import nn

model = nn.Sequential(nn.Linear(16, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU())
outputs = model(torch.randn(4, 16))  # expect: {code}
'''

NEGATIVE_TEMPLATE = '''"""{code} {name}: TODO a look-alike program without the bug (the rule stays silent)."""
import torch
from torch import nn

model = nn.Sequential(nn.Linear(16, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU())
outputs = model(torch.randn(4, 16))
'''


class Refused(Exception):
    pass


def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def module_path(root: Path, code: str, name: str) -> Path:
    return root / "rules" / f"{code.lower()}_{name.replace('-', '_')}.py"


def documentation(sections) -> str:
    lines = []
    for title in sections:
        lines.append(f"## {title}")
        lines.extend(SECTION_TODO.get(title, "TODO.").splitlines())
        lines.append("")
    return "\n".join(f"    {line}" if line else "" for line in lines[:-1])


def render_rule(code: str, name: str, severity: str, summary: str, sections) -> str:
    return RULE_TEMPLATE.format(
        code=code, name=name, cls=class_name(name), doc=documentation(sections),
        code_literal=json.dumps(code), name_literal=json.dumps(name),
        severity_literal=json.dumps(severity), summary_literal=json.dumps(summary, ensure_ascii=False),
    )


def validate(root: Path, registry, code: str, name: str, summary: str) -> None:
    if not CODE.match(code):
        raise Refused(f"{code!r} is not a rule code: BN and three digits, e.g. BN017")
    if code.startswith("BN9"):
        raise Refused(f"{code}: BN9xx codes are bnlint's own diagnostics (bnlint/diagnostics.py), not rules")
    if not NAME.match(name):
        raise Refused(f"{name!r} is not a kebab-case name: lower-case words joined by '-', "
                      f"e.g. missing-training-flag-in-tape")
    if not summary.strip() or "\n" in summary:
        raise Refused("the summary must be one non-empty line")
    for rule in registry.catalogue():
        if rule.code == code:
            raise Refused(f"{code} already exists: {rule.code} {rule.name} ({sys.modules[rule.__module__].__file__})")
        if rule.name == name:
            raise Refused(f"the name {name!r} is taken by {rule.code}")
    for path in (module_path(root, code, name), root / "fixtures" / code):
        if path.exists():
            raise Refused(f"{path.relative_to(root).as_posix()} already exists")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("code", help="the rule's code, e.g. BN017 (the next free one)")
    parser.add_argument("name", help="kebab-case, naming the bug, e.g. dropout-before-batchnorm")
    parser.add_argument("summary", help="one line: what a finding means (the README table's 'what it finds')")
    parser.add_argument("--severity", choices=sorted(generate_docs.SEVERITY), default="E",
                        help="E error (default), W warning, I info")
    parser.add_argument("--root", type=Path, default=generate_docs.ROOT,
                        help="the checkout to add the rule to (default: this one)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    code = args.code.strip()
    name = args.name.strip()
    summary = args.summary.strip()

    registry = generate_docs.load_project(root)
    try:
        validate(root, registry, code, name, summary)
    except Refused as refusal:
        print(f"new_rule: {refusal}", file=sys.stderr)
        return 2

    from bnlint.rule import DOC_SECTIONS

    module = module_path(root, code, name)
    fixtures = root / "fixtures" / code
    module.write_text(render_rule(code, name, args.severity, summary, DOC_SECTIONS), encoding="utf-8")
    fixtures.mkdir(parents=True)
    (fixtures / "example.py").write_text(POSITIVE_TEMPLATE.format(code=code, name=name), encoding="utf-8")
    (fixtures / "negative_example.py").write_text(NEGATIVE_TEMPLATE.format(code=code, name=name), encoding="utf-8")
    for path in (module, fixtures / "example.py", fixtures / "negative_example.py"):
        print(f"created {path.relative_to(root).as_posix()}")

    # A fresh process: this one has imported the registry without the new rule.
    import subprocess

    done = subprocess.run([sys.executable, str(Path(generate_docs.__file__).resolve()), "--root", str(root)])
    if done.returncode != 0:
        print("new_rule: the rule is made, but regenerating the docs failed; fix that and run "
              f"`{generate_docs.COMMAND}`", file=sys.stderr)
        return done.returncode
    print(f"next: write {module.relative_to(root)}'s documentation and check, fixtures in "
          f"{fixtures.relative_to(root)}/ (tests/test_fixtures.py wants enough positives and negatives), "
          f"then `{generate_docs.COMMAND}` and `python -m pytest`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
