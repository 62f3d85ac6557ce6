"""Score bnlint on the field study's real code (docs/field-study.md).

    python scripts/field_study.py CASES_DIR [--split dev|holdout|all] [--bnlint CMD] [--show]

CASES_DIR holds one folder per case of docs/field-study-cases.tsv (`cases/<id>/...` for the
bug instances, `unbiased/<id>/...` for the training scripts picked without looking for bugs),
with the files as their authors wrote them; the project never copies that code. Each case
folder is linted as a project of its own with every rule selected, by running the bnlint
command given (default: this checkout's `python -m bnlint`), so an older release can be scored
the same way.

Recall: a bug case counts as caught when a finding with its rule's code is reported in the
named file within two lines of a bug line (the helpers that collected the cases marked the
argument or call at fault; a rule may point at the call or statement around it).
Precision: every error/warning on the unbiased scripts is printed for review; the verdicts are
kept in docs/field-study-verdicts.tsv (`id, code, file:line, true|false, why`).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "docs" / "field-study-cases.tsv"
VERDICTS = ROOT / "docs" / "field-study-verdicts.tsv"
TOLERANCE = 2


def read_cases(path: Path = CASES) -> list[dict]:
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def read_verdicts(path: Path = VERDICTS) -> dict[tuple, tuple[bool, str]]:
    verdicts = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            case, code, where, verdict, why = (line.split("\t") + [""] * 5)[:5]
            verdicts[(case, code, where)] = (verdict == "true", why)
    return verdicts


def lint(folder: Path, command: list[str]) -> list[dict]:
    done = subprocess.run([*command, "check", "--no-cache", "--exit-zero", "--format", "json", "."],
                          cwd=folder, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    try:
        return json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        print(f"  {folder.name}: bnlint failed: {done.stderr.strip()[:300]}", file=sys.stderr)
        return []


def _where(finding: dict) -> str:
    path = finding["path"].removeprefix("./")
    cell = f"cell {finding['cell']}:" if finding.get("cell") else ""
    return f"{path}:{cell}{finding['line']}"


def caught(case: dict, findings: list[dict]) -> bool:
    for mark in case["bug_lines"].split(","):
        file, _, line = mark.strip().rpartition(":")
        if not line.isdigit():
            continue
        for f in findings:
            if f["code"] != case["rule"]:
                continue
            if Path(f["path"]).as_posix().removeprefix("./") != file.strip().removeprefix("./"):
                continue
            if f.get("cell"):
                continue  # notebook cases are marked by cell elsewhere; compared by hand
            if abs(f["line"] - int(line)) <= TOLERANCE:
                return True
    return False


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases_dir", type=Path)
    parser.add_argument("--split", choices=("dev", "holdout", "all"), default="all")
    parser.add_argument("--bnlint", default=f"{shlex.quote(sys.executable)} -m bnlint")
    parser.add_argument("--rule", help="only the cases of this rule (and no unbiased scripts)")
    parser.add_argument("--show", action="store_true", help="print every finding of missed cases")
    parser.add_argument("--json", type=Path, help="write per-case results here")
    args = parser.parse_args(argv)
    command = shlex.split(args.bnlint)
    cases = [c for c in read_cases() if (args.split == "all" or c["split"] == args.split)
             and (not args.rule or c["rule"] == args.rule)]
    verdicts = read_verdicts()
    results = {}
    per_rule: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    print("## recall on bug instances")
    for case in cases:
        if case["rule"] == "unbiased":
            continue
        folder = args.cases_dir / "cases" / case["id"]
        findings = lint(folder, command)
        hit = caught(case, findings)
        per_rule[case["rule"]][0] += hit
        per_rule[case["rule"]][1] += 1
        results[case["id"]] = {"caught": hit, "findings": findings}
        mark = "caught" if hit else "MISSED"
        print(f"{case['id']:5} {case['rule']} {mark:6} {case['idiom'][:100]}")
        if args.show and not hit:
            for f in findings:
                print(f"        {_where(f)} {f['code']} {f['message'][:140]}")
    total = [sum(v[0] for v in per_rule.values()), sum(v[1] for v in per_rule.values())]
    print("\n| rule | caught | cases | recall |\n| --- | ---: | ---: | ---: |")
    for rule in sorted(per_rule):
        got, of = per_rule[rule]
        print(f"| {rule} | {got} | {of} | {got / of:.2f} |")
    mission = [per_rule[r] for r in ("BN001", "BN002", "BN003", "BN004", "BN005") if r in per_rule]
    if mission:
        got, of = sum(m[0] for m in mission), sum(m[1] for m in mission)
        print(f"| BN001-BN005 | {got} | {of} | {got / of:.2f} |")
    if total[1]:
        print(f"| all | {total[0]} | {total[1]} | {total[0] / total[1]:.2f} |")

    print("\n## error/warning findings on the unbiased training scripts")
    counts = collections.Counter()
    unreviewed = 0
    for case in cases:
        if case["rule"] != "unbiased":
            continue
        folder = args.cases_dir / "unbiased" / case["id"]
        findings = [f for f in lint(folder, command) if f["severity"] in ("error", "warning", "E", "W")
                    and not f["code"].startswith("BN9")]
        results[case["id"]] = {"findings": findings}
        for f in findings:
            key = (case["id"], f["code"], _where(f))
            verdict = verdicts.get(key)
            if verdict is None:
                unreviewed += 1
                label = "UNREVIEWED"
            else:
                label = "true" if verdict[0] else "false"
                counts[(f["code"], label)] += 1
            print(f"{case['id']:6} {_where(f)} {f['code']} [{label}] {f['message'][:160]}")
    print("\n| rule | true | false | precision |\n| --- | ---: | ---: | ---: |")
    codes = sorted({code for code, _ in counts})
    for code in codes:
        t, f = counts[(code, "true")], counts[(code, "false")]
        print(f"| {code} | {t} | {f} | {t / (t + f):.2f} |")
    t, f = sum(v for (c, l), v in counts.items() if l == "true"), sum(v for (c, l), v in counts.items() if l == "false")
    if t + f:
        print(f"| all | {t} | {f} | {t / (t + f):.2f} |")
    if unreviewed:
        print(f"\n{unreviewed} finding(s) without a verdict in {VERDICTS.relative_to(ROOT)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
