"""The machine formats: SARIF (validated against the official schema), GitHub annotations, JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"

PROGRAM = """
import tensorflow as tf

inputs = tf.keras.Input((16,))
x = tf.keras.layers.Dense(32, use_bias=False)(inputs)
x = tf.keras.layers.BatchNormalization(epsilon=0.0)(x)
model = tf.keras.Model(inputs, x)
"""


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(textwrap.dedent(PROGRAM), encoding="utf-8")
    (tmp_path / "clean.py").write_text("import torch\nbn = torch.nn.BatchNorm2d(8)\n", encoding="utf-8")
    return tmp_path


def _validator():
    if not SCHEMA.is_file():
        pytest.skip(f"the official SARIF schema is not here ({SCHEMA}): ../shared is absent in a contributor's clone")
    from jsonschema import Draft4Validator

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return Draft4Validator(schema)


def test_sarif_is_valid_and_carries_rule_metadata_and_regions(project):
    done = _check(project, "--format", "sarif", "src")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    errors = sorted(_validator().iter_errors(document), key=str)
    assert not errors, errors[:3]
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    bn001 = by_id["BN001"]
    assert bn001["name"] == "non-positive-epsilon"
    assert bn001["shortDescription"]["text"] and bn001["fullDescription"]["text"]
    assert "## Why is this bad?" in bn001["help"]["markdown"]
    assert bn001["helpUri"].endswith("docs/rules.md#bn001-non-positive-epsilon")
    assert bn001["defaultConfiguration"]["level"] == "error"
    (result,) = run["results"]
    assert result["ruleId"] == "BN001" and rules[result["ruleIndex"]]["id"] == "BN001"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/model.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 6, "startColumn": 48, "endLine": 6, "endColumn": 51}
    assert result["partialFingerprints"]["bnlint/v1"]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_of_a_clean_run_is_valid_with_no_results(project):
    done = _check(project, "--format", "sarif", "clean.py")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert not list(_validator().iter_errors(document))
    assert document["runs"][0]["results"] == []
    assert len(document["runs"][0]["tool"]["driver"]["rules"]) >= 4


def test_sarif_related_locations_point_at_the_evidence(tmp_path):
    (tmp_path / "models.py").write_text(textwrap.dedent("""
        import tensorflow as tf

        def build():
            return tf.keras.Sequential([tf.keras.layers.Dense(4, use_bias=False), tf.keras.layers.BatchNormalization()])
    """), encoding="utf-8")
    (tmp_path / "train.py").write_text(textwrap.dedent("""
        import tensorflow as tf
        from models import build

        model = build()
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(tf.ones((2, 4))))
        grads = tape.gradient(loss, model.trainable_variables)
    """), encoding="utf-8")
    done = _check(tmp_path, "--format", "sarif", "train.py")
    document = json.loads(done.stdout)
    assert not list(_validator().iter_errors(document))
    (result,) = document["runs"][0]["results"]
    related = {(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"])
               for r in result["relatedLocations"]}
    assert ("models.py", 5) in related and ("train.py", 6) in related


def test_github_annotations_are_exact_and_escaped(project):
    (project / "src" / "odd, name%.py").write_text(textwrap.dedent(PROGRAM), encoding="utf-8")
    done = _check(project, "--format", "github", "src")
    assert done.returncode == 1, done.stderr
    lines = sorted(done.stdout.splitlines())
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=src/model.py,line=6,col=48,endLine=6,endColumn=51,"
        "title=BN001 non-positive-epsilon::BatchNormalization gets epsilon=0")
    assert lines[1].startswith("::error file=src/odd%2C name%25.py,line=6,col=48,")


def test_json_objects_have_exactly_the_documented_keys(project):
    done = _check(project, "--format", "json", "src")
    (finding,) = json.loads(done.stdout)
    # design §2's keys, and issue 9's rest of the finding: why, what to do, typed evidence
    assert set(finding) == {"code", "name", "severity", "message", "path", "line", "column", "end_line",
                            "end_column", "cell", "fix", "explanation", "fix_title", "evidence"}
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("BN001", "src/model.py", 6, 48)
    assert finding["cell"] is None
    assert finding["fix"]["applicability"] == "unsafe"
    assert finding["fix"]["edits"] == [{"line": 6, "column": 48, "end_line": 6, "end_column": 51, "content": "0.001"}]


def test_the_documented_workflow_runs_what_it_uploads(project):
    """docs/ci.md: the workflow parses, and its bnlint command produces valid SARIF with
    --exit-zero even when there are findings."""
    yaml = pytest.importorskip("yaml")
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text.split("```yaml\n", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["bnlint"]["steps"]
    command = next(s["run"] for s in steps if "bnlint check" in s.get("run", ""))
    assert workflow["permissions"]["security-events"] == "write"
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    args = command.split(">")[0].split()[2:]  # after `bnlint check`
    done = _check(project, *args)
    assert done.returncode == 0, done.stderr
    assert not list(_validator().iter_errors(json.loads(done.stdout)))


def test_gitlab_code_quality_and_junit_reports(tmp_path):
    """Issue 10: reports for CI systems other than GitHub, read back with the formats' parsers."""
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    (tmp_path / "model.py").write_text("import torch.nn as nn\nbn = nn.BatchNorm2d(8, eps=0)\n")

    def report(fmt):
        return subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", fmt,
                               "--statistics", "model.py"], cwd=tmp_path, capture_output=True, text=True)

    gitlab = report("gitlab")
    assert gitlab.returncode == 1
    (issue,) = json.loads(gitlab.stdout)
    assert issue["check_name"] == "BN001 non-positive-epsilon" and issue["severity"] == "major"
    assert issue["location"] == {"path": "model.py", "lines": {"begin": 2}}
    assert issue["fingerprint"] and issue["description"].startswith("BN001 ")

    junit = report("junit")
    suite = ET.fromstring(junit.stdout.split("\n", 1)[1] if junit.stdout.startswith("<?xml") else junit.stdout)
    assert suite.tag == "testsuite" and suite.get("failures") == "1"
    (case,) = suite.findall("testcase")
    assert case.get("name") == "model.py" and case.find("failure").get("type") == "BN001"
