"""Reporters turn findings into text. They see findings (and rule metadata), nothing else."""

from __future__ import annotations

from typing import Callable, Protocol, TextIO

from bnlint.engine import RunResult

# (path, cell, line) -> the source line, for reporters that show it; None when unknown.
LineSource = Callable[[str, "int | None", int], "str | None"]


class Reporter(Protocol):
    def __call__(self, result: RunResult, out: TextIO, *, line_source: LineSource, quiet: bool,
                 statistics: bool, color: bool | None) -> None: ...


def get(name: str) -> Reporter:
    if name == "flake8":
        from bnlint.reporters.text import flake8

        return flake8
    if name == "json":
        from bnlint.reporters.text import json_report

        return json_report
    if name == "rich":
        from bnlint.reporters.rich_report import rich_report

        return rich_report
    if name == "sarif":
        from bnlint.reporters.sarif import sarif_report

        return sarif_report
    if name == "github":
        from bnlint.reporters.github import github_report

        return github_report
    if name == "gitlab":
        from bnlint.reporters.ci import gitlab_report

        return gitlab_report
    if name == "junit":
        from bnlint.reporters.ci import junit_report

        return junit_report
    raise KeyError(name)


FORMATS = ("rich", "flake8", "json", "sarif", "github", "gitlab", "junit")
