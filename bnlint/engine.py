"""The pipeline for one file and for a run: prefilter, one parse, one model, rules, suppression."""

from __future__ import annotations

import ast
import contextlib
import os
import sys
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from bnlint import parsing, registry, source, suppress
from bnlint.config import Settings, relative_to_root
from bnlint.findings import HEADLINE_LIMIT, Evidence, Finding, Fix, Span
from bnlint.rule import Report, Rule
from bnlint.semantic import SemanticModel

import pathspec


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    files_parsed: int = 0
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)  # internal errors: the run exits 2


def _unexpanded(finding: Finding, lines: parsing.ExpandedLines) -> Finding:
    """A finding of a script whose cell magics were unwrapped, placed in the file as it is: a
    line of a cell's body is the line of its `run_cell_magic(...)` statement (column 1, and no
    automatic fix, which could not be applied inside the string)."""
    line, inside = lines.locate(finding.line)
    end_line, end_inside = lines.locate(finding.end_line)
    evidence = []
    for item in finding.evidence:
        if item.path is None:
            eline, einside = lines.locate(item.line)
            evidence.append(replace(item, line=eline, column=1 if einside else item.column,
                                    end_line=None if einside or item.end_line is None else lines.locate(item.end_line)[0],
                                    end_column=None if einside else item.end_column))
        else:
            evidence.append(item)
    if inside or end_inside:
        return replace(finding, line=line, column=1, end_line=line, end_column=2, evidence=tuple(evidence), fix=None)
    fix = finding.fix
    if fix is not None:
        target = fix.target
        fix = replace(fix, target=replace(target, line=lines.locate(target.line)[0],
                                          end_line=lines.locate(target.end_line)[0]))
    return replace(finding, line=line, end_line=end_line, evidence=tuple(evidence), fix=fix)


class Linter:
    """Lints sources with the rules `settings` selects. Holds no per-file state."""

    def __init__(self, settings: Settings, rules: Iterable[type[Rule]] | None = None, project=None,
                 prefilter: bool = True):
        from bnlint.project import Project

        self.settings = settings
        # The text prefilter only saves time: it must never change a finding (tests lint with
        # it on and off and compare).
        self.prefilter = prefilter
        # Cross-module knowledge: the project's other modules, summarized on demand.
        self.project = project if project is not None else Project(settings.project_root or settings.root,
                                                                         focus=settings.focus_root)
        rule_classes = rules if rules is not None else registry.all_rules()
        self.rules: list[Rule] = [cls() for cls in rule_classes if cls.code in settings.select]
        self._per_file = [
            (pathspec.GitIgnoreSpec.from_lines([pattern]), codes)
            for pattern, codes in settings.per_file_ignores.items()
        ]

    # ---- one file ------------------------------------------------------------------------
    def lint_file(self, path: str, data: bytes | None = None, display: str | None = None,
                  project=None) -> tuple[list[Finding], bool]:
        """Findings for one file (read from disk unless `data` is given); and whether it was parsed."""
        display = display or path
        try:
            loaded = source.load(path, data, max_size=self.settings.max_file_size)
        except source.SourceError as exc:
            return self._filter([self._tool_finding(exc.code, exc.message, display, exc.line, exc.column)], display, None), False
        return self.lint_text(loaded.text, display, cells=loaded.cells, real_path=path, project=project)

    def lint_file_with_dependencies(self, path: str, data: bytes | None = None):
        """Findings, whether parsed, and {project file: content hash} of the modules read."""
        view = self.project.for_file(path)
        findings, parsed = self.lint_file(path, data, project=view)
        read = self.project.transitive_dependencies(view.dependencies)
        deps = {str(p): self.project.digests[p] for p in read if p in self.project.digests}
        # imports that did not resolve: the file must be checked again once such a module exists
        deps.update({str(p): None for p in view.missing if str(p) not in deps})
        return findings, parsed, deps

    def project_view(self, path: str):
        """The project as seen from `path` (a file, or a name given to stdin / an editor buffer)."""
        return self.project.for_file(path)

    def lint_text(self, text: str, display: str, cells: source.CellMap | None = None,
                  real_path: str | None = None, module_name: str | None = None,
                  project=None, tree: ast.Module | None = None) -> tuple[list[Finding], bool]:
        """Findings for source text. `tree`: the text's `ast` when the caller parsed it already
        (flake8 hands its plugins the tree), so the file is still parsed once."""
        if suppress.skips_file(text):
            return [], False
        ignored = self._ignored_codes(display)
        where = real_path or display
        if project is None and self.project is not None:
            project = self.project.for_file(where)
        rules = [r for r in self.rules
                 if r.code not in ignored and (not self.prefilter or r.applies_to(text, project))]
        # `--select BN901` alone asks only whether files parse: no rule's words gate that
        if not rules and (self.rules or not self.settings.syntax_selected or "BN901" in ignored):
            return [], False
        analysed = text
        expanded = None
        broken_cells: list = []
        if cells is not None and tree is None:
            # a notebook with a cell Python cannot parse: that cell is reported (BN901) and the
            # others are still checked, its lines left blank so every position stays the same
            text, broken_cells, parsed_cells = self._without_broken_cells(text, display, cells)
            analysed = text
            if parsed_cells is not None:
                tree, analysed = parsed_cells  # (the notebook is still parsed once)
        try:
            if tree is None:
                tree, analysed = parsing.parse(text, display)
            if cells is None and "run_cell_magic" in text:
                # a notebook exported to a script: its `%%time` cells are strings until unwrapped
                expanded = parsing.expand_cell_magics(analysed, tree)
                if expanded is not None:
                    analysed = expanded[0]
                    tree = parsing.parse(analysed, display)[0]
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            return self._syntax_error(exc, text, display, cells)
        if module_name is None and self.project is not None:
            module_name = self.project.module_name(where)
        with _deep_enough():
            findings, parsed = self._analyse(tree, analysed, display, cells, where, module_name, project, rules)
        if broken_cells:
            # (no fix is offered: a notebook Python cannot parse whole is never rewritten)
            findings = sorted([*broken_cells, *(replace(f, fix=None) for f in findings)],
                              key=lambda f: (f.cell or 0, f.line, f.column))
        if expanded is not None:
            # `# noqa` on the original `run_cell_magic(...)` line counts too
            findings = self._filter([_unexpanded(f, expanded[1]) for f in findings], display, text)
        return findings, parsed

    def _without_broken_cells(self, text: str, display: str, cells: source.CellMap) -> tuple[str, list, tuple | None]:
        """The notebook program with the lines of each cell that does not parse blanked, a BN901
        for each such cell, and the parse of what remains (None when it was not parsed).
        Unchanged (no findings) when the error cannot be placed in a cell (the caller then
        reports the whole notebook)."""
        lines = text.split("\n")
        found = []
        parsed = None
        for _ in range(min(len(set(cell for cell, _line in cells.lines)), 20)):
            try:
                parsed = parsing.parse("\n".join(lines), display)
                break
            except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
                line = getattr(exc, "lineno", None)
                cell = cells.locate(line)[0] if isinstance(line, int) else None
                if cell is None:
                    return text, [], None
                # (none when BN901 is ignored or the line says `# noqa`: the cell is skipped all the same)
                found.extend(replace(f, message=f.message.replace("bnlint cannot check this file",
                                                                  "bnlint checks the notebook's other cells"))
                             for f in self._syntax_error(exc, "\n".join(lines), display, cells)[0])
                lines = ["" if i < len(cells.lines) and cells.lines[i][0] == cell else line
                         for i, line in enumerate(lines)]
        else:
            return text, [], None
        return "\n".join(lines), found, parsed

    def _syntax_error(self, exc, text, display, cells):
        """BN901 for a file Python cannot parse, naming the construct when it is newer syntax."""
        line = getattr(exc, "lineno", None) or 1
        column = getattr(exc, "offset", None) or 1
        if isinstance(exc, (RecursionError, MemoryError)):  # ast.parse on pathologically deep code
            exc = "the code is nested too deeply for Python's parser"
        finding = self._tool_finding(
            "BN901", f"syntax error: {getattr(exc, 'msg', None) or exc}; bnlint cannot check this file",
            display, line, column)
        newer = _newer_syntax(text, line)
        if newer is not None:
            construct, version = newer
            running = f"{sys.version_info.major}.{sys.version_info.minor}"
            finding = replace(
                finding, message=f"syntax error: {construct} need Python {version}; bnlint runs on Python {running}",
                explanation=f"Python {running} cannot parse this file, so bnlint cannot check it.",
                fix_title="Run bnlint with the project's Python")
        return self._filter([self._place(finding, cells)], display, text), True

    def _analyse(self, tree, text, display, cells, where, module_name, project, rules):
        model = SemanticModel(tree, text, where, module_name=module_name, project=project)
        try:
            model.index  # the one walk every rule reads: built here, so a failure is reported once
        except (RecursionError, MemoryError) as exc:
            why = "the code is nested too deeply" if isinstance(exc, RecursionError) else "out of memory"
            finding = self._tool_finding("BN904", f"bnlint could not analyse this file ({why}); no rule checked it",
                                         display, 1, 1)
            return self._filter([self._place(finding, cells)], display, text, cells), True
        findings = []
        seen = set()  # one finding per place and message, however many paths led a rule there
        for rule in rules:
            reports = []
            try:
                for report in rule.check(model):
                    reports.append(report)
            except (RecursionError, MemoryError) as exc:
                # pathologically deep or large code: what the rule found so far stays
                why = "the code is nested too deeply" if isinstance(exc, RecursionError) else "out of memory"
                findings.append(self._place(self._tool_finding(
                    "BN904", f"rule {rule.code} could not finish on this file ({why}); its other findings "
                    f"are kept", display, 1, 1), cells))
            except Exception as exc:  # a bug in bnlint: a finding, never a silent pass or an aborted run
                findings.append(self._place(self._tool_finding(
                    "BN904", f"rule {rule.code} failed on this file ({type(exc).__name__}: {exc}); this is a bug "
                    f"in bnlint, please report it with the file", display, 1, 1), cells))
            for report in reports:
                try:
                    finding = self._finding(rule, report, model, display)
                except Exception as exc:  # a report bnlint cannot place: say so, keep the others
                    finding = self._tool_finding("BN904", f"rule {rule.code} produced a finding bnlint could not "
                                                 f"place ({type(exc).__name__}: {exc}); please report it", display, 1, 1)
                key = (finding.code, finding.line, finding.column, finding.message)
                if key in seen:
                    continue
                seen.add(key)
                findings.append(self._place(finding, cells))
        return self._filter(findings, display, text, cells), True

    # ---- building findings ------------------------------------------------------------
    def _finding(self, rule: Rule, report: Report, model: SemanticModel, display: str) -> Finding:
        line, column, end_line, end_column = _span(model.lines, report.node)
        evidence = []
        for item in report.evidence:
            if isinstance(item, Evidence):
                evidence.append(item)
                continue
            note, where = item
            if isinstance(where, int):
                evidence.append(Evidence(note, where, 1))
            elif hasattr(where, "bnlint_path"):  # a place in another module of the project
                evidence.append(Evidence(note, where.lineno, where.col_offset + 1, where.bnlint_path,
                                         cell=getattr(where, "cell", None),
                                         end_line=getattr(where, "end_lineno", None)))
            else:
                wline, wcolumn, wend_line, wend_column = _span(model.lines, where)
                evidence.append(Evidence(note, wline, wcolumn, end_line=wend_line, end_column=wend_column))
        places = set()  # one line of evidence per place: the first, most specific, label stays
        evidence = [e for e in evidence if (e.path, e.line, e.column) not in places
                    and not places.add((e.path, e.line, e.column))]
        fix = None
        if report.fix is not None and not hasattr(report.fix.node, "bnlint_path"):  # fixes edit this file only
            recipe = report.fix
            fix = Fix("safe" if recipe.safe else "unsafe", recipe.title, recipe.recipe,
                      Span(*_span(model.lines, recipe.node)), tuple(sorted(recipe.arguments.items())))
        return Finding(
            code=rule.code, name=rule.name, severity=report.severity or rule.severity,
            message=_headline(report.message), path=display, line=line, column=column,
            end_line=end_line, end_column=end_column, evidence=tuple(evidence), fix=fix,
            explanation=report.why, fix_title=report.fix_title or (fix.title if fix else ""),
        )

    def _tool_finding(self, code: str, message: str, display: str, line: int, column: int) -> Finding:
        rule = registry.by_code()[code]
        # "what happened; what it means": the first part is the headline when the whole is long
        headline, explanation = message, ""
        if len(message) > HEADLINE_LIMIT and "; " in message:
            headline, explanation = message.split("; ", 1)
            explanation = explanation[0].upper() + explanation[1:] + ("" if explanation.endswith(".") else ".")
        return Finding(code=code, name=rule.name, severity=rule.severity, message=_headline(headline), path=display,
                       line=line, column=max(column, 1), end_line=line, end_column=max(column, 1) + 1,
                       explanation=explanation)

    @staticmethod
    def _place(finding: Finding, cells: source.CellMap | None) -> Finding:
        """Notebook findings: line numbers become cell-relative (evidence too)."""
        if cells is None:
            return finding
        cell, line = cells.locate(finding.line)
        end_cell, end_line = cells.locate(finding.end_line)
        if end_cell != cell:
            end_line, end_column = line, finding.column + 1
        else:
            end_column = finding.end_column
        evidence = []
        for item in finding.evidence:
            if item.path is None:
                ecell, eline = cells.locate(item.line)
                end_cell, eend = cells.locate(item.end_line) if item.end_line is not None else (ecell, None)
                # a span that runs past its cell (a class whose body ends in a later cell) ends
                # on its first line, as a finding's span does
                eend, eend_column = (eend, item.end_column) if end_cell == ecell else (eline, None)
                evidence.append(replace(item, line=eline, end_line=eend, end_column=eend_column,
                                        cell=ecell if ecell != cell else None))
            else:
                evidence.append(item)
        return replace(finding, cell=cell, line=line, end_line=end_line, end_column=end_column,
                       evidence=tuple(evidence))

    def _ignored_codes(self, display: str) -> set[str]:
        if not self._per_file:
            return set()
        rel = relative_to_root(display, self.settings.root)
        ignored: set[str] = set()
        for spec, codes in self._per_file:
            if spec.match_file(rel) or spec.match_file(os.path.basename(display)):
                ignored |= codes
        return ignored

    def _filter(self, findings: list[Finding], display: str, text: str | None,
                cells: source.CellMap | None = None) -> list[Finding]:
        ignored = self._ignored_codes(display)
        noqa = suppress.NoqaMap(text) if text is not None else None
        kept = []
        for finding in findings:
            if finding.code not in self.settings.select or finding.code in ignored:
                continue
            program_line = finding.line
            if cells is not None and finding.cell is not None:
                program_line = _program_line(cells, finding.cell, finding.line)
            if noqa is not None and noqa.suppressed(finding.code, program_line):
                continue
            kept.append(finding)
        kept.sort(key=Finding.sort_key)
        return kept

    # ---- a run ----------------------------------------------------------------------
    def lint_paths(self, files: list[str], jobs: int = 1,
                   progress: Callable[[int], None] | None = None, cache=None) -> RunResult:
        """Lint files (in a process pool for large runs), reusing cached findings when given a Cache."""
        start = time.perf_counter()
        result = RunResult()
        outcomes: dict[str, object] = {}
        digests: dict[str, str] = {}
        todo = []
        for path in files:
            if cache is not None:
                digest = cache.digest_of(path)
                hit = cache.lookup(path, path, digest) if digest else None
                if hit is not None:
                    outcomes[path] = (hit, False, None)
                    if progress:
                        progress(1)
                    continue
                if digest:
                    digests[path] = digest
            todo.append(path)
        if jobs > 1 and len(todo) >= 64:
            fresh = _parallel(self.settings, todo, jobs, progress, self.prefilter)
        else:
            fresh = []
            for path in todo:
                fresh.append(_guarded(self, path))
                if progress:
                    progress(1)
        for path, outcome in zip(todo, fresh):
            outcomes[path] = outcome
            if cache is not None and not isinstance(outcome, str) and path in digests:
                findings, _parsed, deps = outcome
                cache.store(path, path, digests[path], deps, findings)
        for path in files:
            outcome = outcomes[path]
            if isinstance(outcome, str):
                result.errors.append(outcome)
                continue
            findings, parsed, _deps = outcome
            result.findings.extend(findings)
            result.files_parsed += parsed
        if cache is not None:
            if self.project is not None:
                cache.summaries.update(self.project.summary_store)
            cache.save()
        result.files_checked = len(files)
        result.findings.sort(key=Finding.sort_key)
        result.elapsed = time.perf_counter() - start
        return result


# Syntax that newer Pythons accept: (pattern on the failing line, the construct, the version).
_NEWER_SYNTAX = (
    (re.compile(r"^\s*(?:async\s+)?def\s+\w+\s*\["), "type parameter lists (PEP 695)", "3.12"),
    (re.compile(r"^\s*class\s+\w+\s*\["), "type parameter lists (PEP 695)", "3.12"),
    (re.compile(r"^\s*type\s+\w+\s*(?:\[.*\])?\s*="), "type alias statements (PEP 695)", "3.12"),
    # (an f-string whose replacement field holds its own quote or a backslash: `f'{"\\n".join(x)}'`)
    (re.compile(r"""(?<![\w'"\\])[fF][rR]?(['"]).*?\{[^}]*(?:\1|\\)"""),
     "quotes or backslashes inside f-string replacement fields (PEP 701)", "3.12"),
    (re.compile(r"""(?<![\w'"\\])t(?:r|R)?['"]"""), "template string literals (PEP 750)", "3.14"),
    (re.compile(r"^\s*except\s*\*"), "exception groups in except* (PEP 654)", "3.11"),
    (re.compile(r"^\s*match\s+.+:\s*$"), "match statements (PEP 634)", "3.10"),
)


def _newer_syntax(text: str, line: int) -> tuple[str, str] | None:
    """The construct of a newer Python on the line a syntax error points at, if it is one the
    running Python does not have."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    source = lines[line - 1]
    for pattern, construct, version in _NEWER_SYNTAX:
        needed = tuple(int(p) for p in version.split("."))
        if sys.version_info[:2] < needed and pattern.search(source):
            return construct, version
    return None


@contextlib.contextmanager
def _deep_enough():
    """Room for the analyses' walks over the deepest tree `ast.parse` accepts (about 3,000
    nested nodes; the parser refuses deeper code, reported as BN901). Python 3.11 keeps
    Python-to-Python calls off the C stack, so a higher limit costs no C-stack risk here."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, _ANALYSIS_RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


_ANALYSIS_RECURSION_LIMIT = 20000

def _program_line(cells: source.CellMap, cell: int, line: int) -> int:
    for index, (c, l) in enumerate(cells.lines, start=1):
        if c == cell and l == line:
            return index
    return line


def _span(lines: list[str], node) -> tuple[int, int, int, int]:
    """A node's (line, column, end line, end column), 1-based characters, never empty."""
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", None) or line
    column = _char_column(lines, line, getattr(node, "col_offset", 0))
    end_column = _char_column(lines, end_line, getattr(node, "end_col_offset", None) or 0)
    if end_line == line and end_column <= column:
        end_column = column + 1
    return line, column, end_line, end_column


def _headline(message: str) -> str:
    """The one line a finding shows in flake8 and editors. Rules keep their headlines short;
    a long name interpolated into one is cut here, so the limit holds whatever the code."""
    message = " ".join(message.split())
    if len(message) <= HEADLINE_LIMIT:
        return message
    return message[: HEADLINE_LIMIT - 1].rstrip() + "…"


def _char_column(lines: list[str], line: int, byte_offset: int) -> int:
    """ast gives UTF-8 byte offsets; findings carry 1-based character columns."""
    if 1 <= line <= len(lines):
        text = lines[line - 1]
        if not text.isascii():
            return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1
    return byte_offset + 1


# ---- parallel runs ---------------------------------------------------------------------
_worker_linter: Linter | None = None


def _init_worker(settings: Settings, prefilter: bool = True) -> None:
    global _worker_linter
    _worker_linter = Linter(settings, prefilter=prefilter)


def _guarded(linter: Linter, path: str):
    """A file's outcome; an exception outside the rules (reading, project summaries) becomes a
    BN904 finding for that file, and the run goes on."""
    try:
        return linter.lint_file_with_dependencies(path)
    except Exception as exc:  # a bug in bnlint: a finding, never an aborted run
        finding = linter._tool_finding("BN904", f"bnlint failed on this file ({type(exc).__name__}: {exc}); this "
                                       f"is a bug in bnlint, please report it with the file", path, 1, 1)
        return [finding], False, {}


def _work(path: str):
    assert _worker_linter is not None
    return _guarded(_worker_linter, path)


def _parallel(settings: Settings, files: list[str], jobs: int, progress, prefilter: bool = True) -> list:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    results = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(settings, prefilter)) as pool:
        for outcome in pool.map(_work, files, chunksize=16):
            results.append(outcome)
            if progress:
                progress(1)
    return results
