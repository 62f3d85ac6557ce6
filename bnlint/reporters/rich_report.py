"""The terminal report: findings grouped by file, the source line with a caret, the rule name,
the message with its evidence, and a summary table. Plain text when not a terminal."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bnlint import registry
from bnlint.engine import RunResult
from bnlint.findings import SEVERITY_NAMES, Finding

STYLES = {"E": "bold red", "W": "bold yellow", "I": "bold cyan"}


def rich_report(result: RunResult, out: TextIO, *, line_source=None, quiet=False, statistics=False,
                color=None) -> None:
    # color None leaves the choice to rich, which honours NO_COLOR and FORCE_COLOR
    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=color,
                      no_color=True if color is False else None, width=None if out.isatty() else 100)
    for path, group in groupby(result.findings, key=lambda f: f.path):
        console.print(Text(path, style="bold underline"))
        for finding in group:
            _print_finding(console, finding, line_source)
        console.print()
    # --statistics asks for the table even with --quiet (or no findings); --quiet drops the rest.
    if statistics or (result.findings and not quiet):
        console.print(_summary_table(result.findings))
    if quiet:
        return
    files_with = len({f.path for f in result.findings})
    noun = "finding" if len(result.findings) == 1 else "findings"
    summary = Text()
    if result.findings:
        summary.append(f"{len(result.findings)} {noun}", style="bold")
        summary.append(f" in {files_with} file{'s' if files_with != 1 else ''}; ")
    else:
        summary.append("No batch-normalization problems found; ", style="bold green")
    summary.append(f"{result.files_checked} file{'s' if result.files_checked != 1 else ''} checked "
                   f"in {result.elapsed:.2f}s.")
    console.print(summary)
    safe = sum(1 for f in result.findings if f.fix is not None and f.fix.applicability == "safe")
    unsafe = sum(1 for f in result.findings if f.fix is not None and f.fix.applicability == "unsafe")
    if safe or unsafe:
        hint = Text()
        if safe:
            hint.append(f"{safe} fixable with --fix")
        if unsafe:
            hint.append(f"{'; ' if safe else ''}{unsafe} more with --fix --unsafe-fixes")
        hint.append(" (--diff shows them).")
        console.print(hint)


def _print_finding(console: Console, finding: Finding, line_source) -> None:
    location = f"cell {finding.cell}:" if finding.cell is not None else ""
    head = Text("  ")
    head.append(f"{location}{finding.line}:{finding.column}", style="dim")
    head.append("  ")
    head.append(finding.code, style=STYLES.get(finding.severity, "bold"))
    head.append(f" [{finding.name}] ", style="magenta")
    head.append(finding.severity_name, style=STYLES.get(finding.severity, ""))
    console.print(head)
    source_line = line_source(finding.path, finding.cell, finding.line) if line_source else None
    if source_line is not None:
        number = str(finding.line)
        gutter = " " * (len(number) + 1)
        expanded = source_line.expandtabs(4).rstrip("\n")
        console.print(Text(f"    {number} | ", style="blue") + Text(expanded))
        start = max(finding.column - 1, 0)
        end = finding.end_column - 1 if finding.end_line == finding.line else len(expanded)
        width = max(1, min(end, len(expanded)) - start)
        console.print(Text(f"    {gutter}| ", style="blue") + Text(" " * start + "^" * width,
                                                                   style=STYLES.get(finding.severity, "")))
    console.print(Text("    " + finding.message, style="bold"))
    if finding.explanation:
        console.print(Text("    " + finding.explanation))
    for item in finding.evidence:
        where = (f"{item.path}:cell {item.cell}:" if item.path and item.cell else f"{item.path}:" if item.path
                 else f"cell {item.cell}, line " if item.cell else "line ")
        console.print(Text(f"      - {item.note} ({where}{item.line})", style="dim"))
    if finding.fix_title:
        advice = Text("    help: ", style="cyan")
        advice.append(finding.fix_title)
        if finding.fix is not None:
            how = "--fix" if finding.fix.applicability == "safe" else "--fix --unsafe-fixes"
            advice.append(f"  [fixable with {how}]", style="green" if finding.fix.applicability == "safe" else "yellow")
        console.print(advice)


def _summary_table(findings: list[Finding]) -> Table:
    table = Table(title="Findings by rule", title_justify="left", show_edge=False)
    table.add_column("code")
    table.add_column("rule")
    table.add_column("severity")
    table.add_column("count", justify="right")
    rules = registry.by_code()
    # a rule reports warnings where its evidence is weaker: a row per code and severity found
    counts = Counter((f.code, _SEVERITY_ORDER.get(f.severity, 9), f.severity) for f in findings)
    for (code, _order, severity), count in sorted(counts.items()):
        rule = rules.get(code)
        table.add_row(code, rule.name if rule else "", Text(SEVERITY_NAMES.get(severity, severity),
                                                            style=STYLES.get(severity, "")), str(count))
    return table


_SEVERITY_ORDER = {"E": 0, "W": 1, "I": 2}
