"""The command line: `bnlint check|rules|explain|server`. It only wires the parts together."""

from __future__ import annotations

import json
import os
from pathlib import Path
import sys

import click

from bnlint import __version__, registry, reporters, source
from bnlint.config import ConfigError, resolve, split_codes
from bnlint.findings import SEVERITY_NAMES
from bnlint.suppress import physical_lines

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_THRESHOLD = 300  # files: show a progress bar on a terminal above this


class _Group(click.Group):
    def main(self, *args, **kwargs):
        # Internal errors exit 2 with a message, never a bare traceback (ruff's convention).
        try:
            return super().main(*args, **kwargs)
        except SystemExit:
            raise
        except Exception as exc:  # pragma: no cover - the last line of defence
            click.echo(f"bnlint: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("Please report this with the file that caused it.", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bnlint")
def main() -> None:
    """bnlint: find batch-normalization mistakes in deep-learning code, without running it."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(reporters.FORMATS), default=None,
              help="Output format (default: rich on a terminal, plain text otherwise).")
@click.option("--select", help="Comma-separated codes or prefixes to enable (replaces the config).")
@click.option("--ignore", help="Comma-separated codes or prefixes to disable.")
@click.option("--extend-select", help="Comma-separated codes or prefixes to enable in addition.")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of applying them.")
@click.option("--unsafe-fixes", is_flag=True, help="Include fixes marked unsafe.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .bnlint_cache/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes to use (default: CPU count).")
@click.option("--config", "config_file", type=click.Path(), help="Read settings from this TOML file.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only, no summary.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--stdin-filename", help="Lint source read from standard input, reported as this name (use '-' as path).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the rich report (auto honours NO_COLOR and FORCE_COLOR).")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file, always UTF-8, instead of standard output.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record the current findings in this JSON file, then exit 0.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only the findings that are not in this baseline file.")
@click.option("--add-noqa", is_flag=True,
              help="Add `# noqa: CODE` to every line with a finding (keeping the codes already there), then exit.")
def check(paths, output_format, select, ignore, extend_select, fix, diff, unsafe_fixes, exit_zero, no_cache,
          jobs, config_file, quiet, statistics, stdin_filename, color, output_file, write_baseline, baseline_file,
          add_noqa):
    """Check PATHS (default: .) for batch-normalization mistakes."""
    from bnlint.engine import Linter, RunResult
    from bnlint.findings import Finding

    if unsafe_fixes and not (fix or diff):
        click.echo("bnlint: error: --unsafe-fixes adds the unsafe fixes to --fix or --diff; give one of them",
                   err=True)
        sys.exit(EXIT_ERROR)
    paths = list(paths) or ["."]
    use_stdin = paths == ["-"] or stdin_filename is not None and paths in (["-"], ["."])
    try:
        config_paths = [stdin_filename] if use_stdin and stdin_filename else paths
        settings = resolve(config_paths, config_file, split_codes(select), split_codes(ignore),
                           split_codes(extend_select))
    except ConfigError as exc:
        click.echo(f"bnlint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)

    linter = Linter(settings)
    linters: dict[str, Linter] = {}  # each file's linter: its own configuration
    stdin_text: dict[str, str] = {}
    if use_stdin:
        display = stdin_filename or "-"
        data = sys.stdin.buffer.read()
        result = RunResult(files_checked=1)
        findings, parsed = linter.lint_file(display, data=data, display=display)
        result.findings, result.files_parsed = findings, int(parsed)
        try:
            stdin_text[display] = source.load(display, data).text
        except source.SourceError:
            pass
    else:
        jobs = jobs or os.cpu_count() or 1
        try:
            groups = _configuration_groups(paths, settings, config_file, select, ignore, extend_select)
        except ConfigError as exc:
            click.echo(f"bnlint: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        result = RunResult()
        for group_settings, files in groups:
            group_linter = linter if group_settings is settings else Linter(group_settings)
            linters.update(dict.fromkeys(files, group_linter))
            cache = None
            if not no_cache:
                from bnlint.cache import Cache

                cache = Cache(group_settings.root, group_settings.fingerprint())
                group_linter.project.summary_store = cache.summaries
            part = _run_with_progress(group_linter, files, jobs, output_format, cache)
            result.findings.extend(part.findings)
            result.files_checked += part.files_checked
            result.files_parsed += part.files_parsed
            result.errors.extend(part.errors)
            result.elapsed += part.elapsed
        result.findings.sort(key=Finding.sort_key)

    if write_baseline:
        from bnlint import baseline

        baseline.write(write_baseline, result.findings, _line_source(stdin_text))
        click.echo(f"Recorded {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} in "
                   f"{write_baseline}.", err=True)
        sys.exit(EXIT_CLEAN)
    if baseline_file:
        from bnlint import baseline

        try:
            known = baseline.load(baseline_file)
        except baseline.BaselineError as exc:
            click.echo(f"bnlint: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        result.findings = baseline.new_findings(result.findings, known, _line_source(stdin_text))

    if add_noqa and not use_stdin:
        added, files_changed = _add_noqa(result.findings)
        click.echo(f"Added {added} noqa directive{'s' if added != 1 else ''} to {files_changed} "
                   f"file{'s' if files_changed != 1 else ''}.", err=True)
        sys.exit(EXIT_CLEAN)

    if fix or diff:
        if use_stdin:
            _fix_stdin(linter, display, data, diff, unsafe_fixes, exit_zero)
        changed = _fix_files(linters, result, diff, unsafe_fixes)
        if diff:
            sys.exit(EXIT_FINDINGS if changed and not exit_zero else EXIT_CLEAN)
    if output_format in ("json", "sarif", "gitlab", "junit") and any(f.fix for f in result.findings):
        from bnlint.fixes import with_edits  # the edits: libcst, only when a finding has a fix

        result.findings = with_edits(result.findings, stdin_text)

    fmt = output_format or "rich"
    reporter = reporters.get(fmt)
    use_color = {"always": True, "never": False}.get(color)
    if fmt != "rich" or output_file:
        use_color = use_color if fmt == "rich" and color == "always" else False
    if output_file:
        with open(output_file, "w", encoding="utf-8", newline="") as out:
            reporter(result, out, line_source=_line_source(stdin_text), quiet=quiet, statistics=statistics,
                     color=use_color)
    else:
        # a console that cannot show a character (cp1252 and a Chinese file name) gets a
        # replacement character, never a crash that loses the findings
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")
        reporter(result, sys.stdout, line_source=_line_source(stdin_text), quiet=quiet, statistics=statistics,
                 color=use_color)
    if statistics and fmt in ("json", "sarif", "gitlab", "junit"):  # stdout stays one valid document
        from bnlint.reporters.text import statistics_lines

        for line in statistics_lines(result.findings):
            click.echo(line, err=True)
    if not use_stdin and result.files_checked == 0 and not quiet:
        click.echo("bnlint: warning: no Python files found under the given paths "
                   "(after exclude patterns and .gitignore)", err=True)
    for error in result.errors:
        click.echo(f"bnlint: {error}", err=True)
    if result.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN)


def _fix_files(linters, result, diff: bool, unsafe: bool) -> bool:
    """Apply (or with `diff`, print) the fixes of the findings in `result`, replacing the
    findings of each fixed file by what is left; "N fixed, M remaining" on stderr. Whether
    any file changed."""
    from bnlint import fixes
    from bnlint.findings import Finding

    paths = sorted({f.path for f in result.findings if fixes.wanted(f, unsafe) and f.path in linters})
    fixed, changed_any, left = 0, False, {}
    for path in paths:
        try:
            outcome = fixes.fix_file(linters[path], path, unsafe)
        except (source.SourceError, OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
            click.echo(f"bnlint: {path}: not fixed ({getattr(exc, 'message', None) or exc})", err=True)
            continue
        for message in outcome.dropped:
            click.echo(f"bnlint: {message}", err=True)
        if not outcome.changed:
            continue
        changed_any = True
        fixed += outcome.fixed
        if diff:
            sys.stdout.write(outcome.diff())
            _forget_fixed_text(linters[path], path)  # (the next file's diff is against the files as they are)
            continue
        try:
            source.write_atomically(path, outcome.data)
        except OSError as exc:
            click.echo(f"bnlint: {path}: not fixed (cannot write: {exc.strerror or exc})", err=True)
            _forget_fixed_text(linters[path], path)
            continue
        left[path] = outcome.findings
    if left:
        result.findings = sorted([f for f in result.findings if f.path not in left]
                                 + [f for found in left.values() for f in found], key=Finding.sort_key)
    remaining = len(result.findings)
    more = sum(1 for f in result.findings if f.fix is not None and f.fix.applicability == "unsafe") if not unsafe else 0
    hint = f" ({more} more with --unsafe-fixes)" if more else ""
    if diff:
        click.echo(f"Would fix {fixed} finding{'s' if fixed != 1 else ''}{hint}.", err=True)
    else:
        click.echo(f"{fixed} fixed, {remaining} remaining{hint}.", err=True)
    return changed_any


def _forget_fixed_text(linter, path: str) -> None:
    """The project reads `path` from disk again: its fixed text was not written."""
    if getattr(linter, "project", None) is not None:
        linter.project.file_changed(path)


def _fix_stdin(linter, display, data, diff, unsafe, exit_zero) -> None:
    """`bnlint check --fix -`: the fixed source on stdout (`--diff`: the diff), as ruff does."""
    from bnlint import fixes

    try:
        outcome = fixes.fix_data(linter, display, data, unsafe)
    except (source.SourceError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
        click.echo(f"bnlint: {display}: not fixed ({getattr(exc, 'message', None) or exc})", err=True)
        sys.stdout.buffer.write(data)
        sys.exit(EXIT_ERROR)
    for message in outcome.dropped:
        click.echo(f"bnlint: {message}", err=True)
    if diff:
        sys.stdout.write(outcome.diff())
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(outcome.data)
    remaining = len(outcome.findings)
    click.echo(f"{outcome.fixed} fixed, {remaining} remaining.", err=True)
    sys.exit(EXIT_FINDINGS if (outcome.changed if diff else remaining) and not exit_zero else EXIT_CLEAN)


def _add_noqa(findings) -> tuple[int, int]:
    """Write `# noqa: CODES` into the Python files with findings (tool diagnostics and notebooks
    excluded), atomically, keeping encoding and line endings; a file whose result would not
    compile is left as it was, with a message."""
    import io
    import tokenize

    from bnlint.suppress import add_noqa

    by_path: dict[str, dict[int, set[str]]] = {}
    for finding in findings:
        if finding.code.startswith("BN9") or finding.cell is not None:
            continue
        by_path.setdefault(finding.path, {}).setdefault(finding.line, set()).add(finding.code)
    added = files_changed = 0
    for path, codes_by_line in sorted(by_path.items()):
        try:
            data = source.read_path(path)
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            bom = data.startswith(b"\xef\xbb\xbf")
            text = data.decode(encoding)
        except (source.SourceError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
            click.echo(f"bnlint: {path}: not changed ({exc})", err=True)
            continue
        new_text, changed = add_noqa(text, codes_by_line)
        if not changed:
            continue
        try:
            compile(new_text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            click.echo(f"bnlint: {path}: not changed (the result would not parse: {exc})", err=True)
            continue
        encoded = new_text.encode("utf-8" if encoding == "utf-8-sig" else encoding)
        if bom and not encoded.startswith(b"\xef\xbb\xbf"):
            encoded = b"\xef\xbb\xbf" + encoded
        try:
            source.write_atomically(path, encoded)
        except OSError as exc:
            click.echo(f"bnlint: {path}: not changed ({exc})", err=True)
            continue
        added += changed
        files_changed += 1
    return added, files_changed


def _configuration_groups(paths, settings, config_file, select, ignore, extend_select):
    """The files to lint, grouped by the configuration that applies to each: the nearest
    pyproject.toml with a [tool.bnlint] table above the file (ruff's rule), or --config for all.
    Command-line options apply on top of every file's configuration."""
    from bnlint.config import find_pyproject
    from bnlint.discover import discover

    files = list(discover(paths, settings))
    if config_file:
        return [(settings, files)]
    by_config: dict = {}
    nearest: dict = {}
    for file in files:
        folder = os.path.dirname(os.path.abspath(file))
        if folder not in nearest:
            nearest[folder] = find_pyproject(Path(folder))
        by_config.setdefault(nearest[folder], []).append(file)
    groups = []
    for config, group in by_config.items():
        if config == settings.config_file:
            groups.append((settings, group))
            continue
        group_settings = resolve([group[0]], None, split_codes(select), split_codes(ignore),
                                 split_codes(extend_select))
        # the file's own configuration may exclude it
        kept = set(discover(group, group_settings))
        groups.append((group_settings, [f for f in group if f in kept]))
    return groups


def _run_with_progress(linter, files, jobs, output_format, cache=None):
    show = (output_format in (None, "rich") and sys.stderr.isatty() and len(files) > PROGRESS_THRESHOLD)
    if not show:
        return linter.lint_paths(files, jobs=jobs, cache=cache)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # On stderr: stdout carries the report, and a bar must never end up in a redirected report.
    with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("check", total=len(files))
        return linter.lint_paths(files, jobs=jobs, progress=lambda n: progress.advance(task, n), cache=cache)


def _line_source(stdin_text: dict[str, str]):
    cache: dict[str, list[str] | None] = {}

    def lookup(path: str, cell: int | None, line: int) -> str | None:
        key = f"{path}\0{cell}"
        if key not in cache:
            cache[key] = None
            try:
                if path in stdin_text:
                    text = stdin_text[path]
                    cells = None
                else:
                    loaded = source.load(path)
                    text, cells = loaded.text, loaded.cells
            except source.SourceError:
                return None
            program = [line.rstrip("\r\n") for line in physical_lines(text)]
            if cell is not None and cells is not None:
                cache[key] = [program[i] for i, (c, _) in enumerate(cells.lines) if c == cell]
            else:
                cache[key] = program
        lines = cache[key]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]

    return lookup


@main.command()
@click.option("--format", "output_format", type=click.Choice(["rich", "json"]), default="rich")
def rules(output_format):
    """List every rule bnlint knows."""
    catalogue = registry.catalogue()
    if output_format == "json":
        payload = [
            {
                "code": rule.code,
                "name": rule.name,
                "severity": rule.severity,
                "fix": getattr(rule, "fix_applicability", "") or None,
                "summary": rule.summary,
                "documentation": rule.documentation(),
                "help_uri": rule.help_uri(),
            }
            for rule in catalogue
        ]
        click.echo(json.dumps(payload, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False)
    for column in ("code", "name", "severity", "fix", "summary"):
        table.add_column(column)
    for rule in catalogue:
        table.add_row(rule.code, rule.name, SEVERITY_NAMES.get(rule.severity, rule.severity),
                      getattr(rule, "fix_applicability", "") or "-", rule.summary)
    Console(highlight=False).print(table)


@main.command(short_help="Show the documentation of a rule, e.g. bnlint explain BN002.")
@click.argument("code")
def explain(code):
    """Show the documentation of rule CODE (e.g. BN002, or its name)."""
    wanted = code.strip()
    for rule in registry.catalogue():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            from rich.console import Console
            from rich.markdown import Markdown

            text = f"# {rule.code} {rule.name} ({SEVERITY_NAMES[rule.severity]})\n\n"
            text += f"{rule.summary}\n\n{rule.documentation()}\n"
            console = Console(highlight=False)
            if console.is_terminal:
                console.print(Markdown(text))
            else:
                click.echo(text)
            return
    click.echo(f"bnlint: error: unknown rule {code!r}; `bnlint rules` lists them", err=True)
    sys.exit(EXIT_ERROR)


@main.command()
def server():
    """Run the language server (LSP over stdio). Needs `pip install bnlint[lsp]`."""
    try:
        from bnlint.lsp import serve
    except ImportError as exc:
        click.echo(f"bnlint: error: the language server needs pygls: pip install 'bnlint[lsp]' ({exc})", err=True)
        sys.exit(EXIT_ERROR)
    serve()


if __name__ == "__main__":  # pragma: no cover
    main()
