"""The documentation made from the rules (docs/rules.md, the README's rules table) is current,
and a new rule is its module plus its fixtures: scripts/new_rule.py makes both and regenerates
the docs (issue 9). The scaffold only ever runs in a temporary copy of the project."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bnlint import registry

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "scripts" / "generate_docs.py"
NEW_RULE = ROOT / "scripts" / "new_rule.py"
# What the scripts read and write; a copy of these is a project they can work on.
PROJECT_PARTS = ("bnlint", "rules", "fixtures", "scripts", "docs", "README.md")
# The rule the scaffold makes in the copy: the next free code, and a name no rule has.
NEW = f"BN{max(int(rule.code[2:]) for rule in registry.all_rules()) + 1:03}"
NEW_NAME = f"scaffolded-rule-{NEW[2:]}"
NEW_MODULE = f"{NEW.lower()}_scaffolded_rule_{NEW[2:]}"
NEW_CLASS = f"ScaffoldedRule{NEW[2:]}"


def run(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's sources, docs and fixtures (no caches)."""
    copy = tmp_path / "project"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".bnlint_cache")
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=ignore)
        else:
            shutil.copy2(source, copy / part)
    return copy


# ---- the generated docs are current ------------------------------------------------------
def test_generated_docs_are_current():
    """CI fails when a rule's documentation, name, severity or summary changed and the docs
    were not regenerated."""
    done = run(GENERATE, "--check")
    assert done.returncode == 0, done.stderr + "\n(run `python scripts/generate_docs.py` and commit the result)"


def test_rules_doc_has_a_heading_where_each_help_uri_points():
    """docs/rules.md (where every rule's help URI points: SARIF, LSP, JSON) has one heading per
    code, whose GitHub anchor is the help URI's fragment, then the severity as a word."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    words = {"E": "error", "W": "warning", "I": "info"}
    for rule in registry.catalogue():
        assert f"\n## {rule.code} {rule.name}\n\n*{words[rule.severity]}*: {rule.summary}\n" in text, rule.code
        assert rule.help_uri().endswith(f"docs/rules.md#{rule.code.lower()}-{rule.name}")


def test_readme_table_has_one_row_per_code_in_the_catalogue():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- rules-table:start -->\n", 1)[1].split("<!-- rules-table:end -->", 1)[0]
    codes = [line.split("|")[1].strip() for line in table.splitlines()[2:]]
    assert codes == [rule.code for rule in registry.catalogue()]


def test_check_names_each_stale_file_and_writes_nothing(project):
    rules_md = project / "docs" / "rules.md"
    readme = project / "README.md"
    rules_md.write_text(rules_md.read_text(encoding="utf-8") + "an edit by hand\n", encoding="utf-8")
    rule_file = next((project / "rules").glob("bn001_*.py"))
    source = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(source.replace('summary = "', 'summary = "changed: ', 1), encoding="utf-8")
    before = {path: path.read_text(encoding="utf-8") for path in (rules_md, readme)}

    done = run(project / "scripts" / "generate_docs.py", "--check", cwd=project)
    assert done.returncode == 1
    assert "docs/rules.md is out of date" in done.stderr and "README.md is out of date" in done.stderr
    assert "python scripts/generate_docs.py" in done.stderr
    assert {path: path.read_text(encoding="utf-8") for path in before} == before

    done = run(project / "scripts" / "generate_docs.py", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "| BN001 | `non-positive-epsilon` | error | changed: " in readme.read_text(encoding="utf-8")
    assert "an edit by hand" not in rules_md.read_text(encoding="utf-8")
    assert run(project / "scripts" / "generate_docs.py", "--check", cwd=project).returncode == 0
    # only the table of the README is generated
    assert readme.read_text(encoding="utf-8").replace("changed: ", "") == before[readme]


def test_generator_refuses_a_readme_without_the_table_markers(project):
    readme = project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("<!-- rules-table:end -->", ""), encoding="utf-8")
    done = run(project / "scripts" / "generate_docs.py", "--check", cwd=project)
    assert done.returncode == 2 and "rules-table:end" in done.stderr


# ---- the scaffold ------------------------------------------------------------------------
IMPORT_NEW_RULE = textwrap.dedent("""\
    import sys
    from pathlib import Path

    root, code, module, name = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    sys.path.insert(0, str(root / "scripts"))
    import generate_docs

    registry = generate_docs.load_project(root)
    from bnlint.config import Settings
    from bnlint.engine import Linter
    from bnlint.rule import DOC_SECTIONS

    rule = registry.by_code()[code]
    assert rule.__module__ == f"bnlint.rules.{module}", rule.__module__
    assert sys.modules[rule.__module__].__file__ == str(root / "rules" / f"{module}.py")
    assert (rule.name, rule.severity, rule.summary) == (name, "W", "what a finding means")
    assert rule.requires
    for section in DOC_SECTIONS:
        assert f"## {section}" in rule.documentation(), section
    # Every rule on the new fixtures: the new check finds nothing yet and does not crash, and
    # the fixtures trip no other rule.
    linter = Linter(Settings(select=set(registry.by_code()), root=root))
    for fixture in sorted((root / "fixtures" / code).glob("*.py")):
        findings, _ = linter.lint_file(str(fixture))
        assert findings == [], [(f.code, f.line, f.message) for f in findings]
    print("imported", rule.code, rule.name)
""")


def test_scaffold_makes_the_rule_module_and_its_fixtures_and_regenerates_the_docs(project, tmp_path):
    done = run(project / "scripts" / "new_rule.py", NEW, NEW_NAME, "what a finding means",
               "--severity", "W", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    module = project / "rules" / f"{NEW_MODULE}.py"
    positive = project / "fixtures" / NEW / "example.py"
    negative = project / "fixtures" / NEW / "negative_example.py"
    for path in (module, positive, negative):
        assert path.is_file(), path
        ast.parse(path.read_text(encoding="utf-8"))
    source = module.read_text(encoding="utf-8")
    assert f"class {NEW_CLASS}(Rule):" in source and "TODO" in source
    assert f"# expect: {NEW}" in positive.read_text(encoding="utf-8")
    assert "# expect:" not in negative.read_text(encoding="utf-8")

    # the module imports through the registry of the copy, and its check runs
    script = tmp_path / "import_new_rule.py"
    script.write_text(IMPORT_NEW_RULE, encoding="utf-8")
    imported = run(script, project, NEW, NEW_MODULE, NEW_NAME, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert f"imported {NEW} {NEW_NAME}" in imported.stdout

    # the docs list it, and are current
    assert f"| {NEW} | `{NEW_NAME}` | warning | what a finding means |" in (project / "README.md").read_text(
        encoding="utf-8")
    assert f"\n## {NEW} {NEW_NAME}\n\n*warning*: what a finding means\n" in (
        project / "docs" / "rules.md").read_text(encoding="utf-8")
    assert run(project / "scripts" / "generate_docs.py", "--check", cwd=project).returncode == 0

    # nothing in the real checkout
    assert not (ROOT / "rules" / f"{NEW_MODULE}.py").exists()
    assert not (ROOT / "fixtures" / NEW).exists()


def test_scaffold_works_on_a_target_directory(project, tmp_path):
    """`--root DIR`: the real checkout's script adds the rule to another checkout."""
    done = run(NEW_RULE, NEW, NEW_NAME, "what a finding means", "--root", project, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "rules" / f"{NEW_MODULE}.py").is_file()
    assert f"| {NEW} | `{NEW_NAME}` | error |" in (project / "README.md").read_text(encoding="utf-8")
    assert not (ROOT / "rules" / f"{NEW_MODULE}.py").exists()


@pytest.mark.parametrize("code, name, message", [
    ("BN001", NEW_NAME, "BN001 already exists"),
    (NEW, "non-positive-epsilon", "taken by BN001"),
    (NEW, "syntax-error", "taken by BN901"),
    ("BN901", NEW_NAME, "BN9xx"),
    ("BN17", NEW_NAME, "not a rule code"),
    (NEW + "0", NEW_NAME, "not a rule code"),
    (NEW.lower(), NEW_NAME, "not a rule code"),
    ("XY" + NEW[2:], NEW_NAME, "not a rule code"),
    (NEW, "Some-Name", "not a kebab-case name"),
    (NEW, "some_name", "not a kebab-case name"),
    (NEW, "some--name", "not a kebab-case name"),
    (NEW, "-some-name", "not a kebab-case name"),
    (NEW, "some-name-", "not a kebab-case name"),
    (NEW, "some name", "not a kebab-case name"),
])
def test_scaffold_refuses_and_writes_nothing(project, code, name, message):
    def tree():
        return sorted(str(p.relative_to(project)) for p in project.rglob("*") if "__pycache__" not in p.parts)

    before = tree()
    readme = (project / "README.md").read_text(encoding="utf-8")
    done = run(project / "scripts" / "new_rule.py", "--", code, name, "what a finding means", cwd=project)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert tree() == before
    assert (project / "README.md").read_text(encoding="utf-8") == readme


def test_scaffold_refuses_an_existing_fixture_folder(project):
    (project / "fixtures" / NEW).mkdir()
    done = run(project / "scripts" / "new_rule.py", NEW, NEW_NAME, "what a finding means", cwd=project)
    assert done.returncode == 2 and f"fixtures/{NEW} already exists" in done.stderr
    assert not (project / "rules" / f"{NEW_MODULE}.py").exists()
