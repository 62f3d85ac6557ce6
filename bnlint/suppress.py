"""`# noqa` comments (flake8's syntax and semantics), `# flake8: noqa` and `# bnlint: skip-file`.

bnlint reads a `# noqa` exactly as flake8 does, so `bnlint check` and `flake8 --select BN`
silence the same findings:

- the comment must be spelled `# noqa` (any case: `# NOQA`, `# NoQA`), optionally followed
  by `:` and at most one space and a list of codes separated by commas and/or spaces:
  `# noqa: BN001,BN004`, `# noqa:BN001 BN004`, `# NOQA:BN001`;
- a listed code silences the findings whose code equals it or starts with it (`# noqa: BN00`
  silences BN001...BN009); codes are compared case-sensitively, as flake8 does;
- anything that does not parse as such a list (`# noqa : BN001`, `# noqa:  BN001` with two
  spaces, `# noqa because ...`) is a bare `# noqa`, which silences every code on the line;
- the comment counts for every physical line of a backslash continuation or of a multi-line
  string it ends, as flake8 maps it; lines inside brackets are separate lines for flake8, so a
  finding inside a call spread over several lines needs the comment on its own line.

`# flake8: noqa` on a line of its own skips the file (flake8 and ruff do the same), and
`# bnlint: skip-file` in the first SKIP_FILE_LINES lines skips it for bnlint only.
"""

from __future__ import annotations

import io
import re
import tokenize

# flake8/defaults.py NOQA_INLINE_REGEXP, verbatim.
NOQA = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
# flake8/defaults.py NOQA_FILE: matched at the start of a line (after indentation).
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
# flake8/utils.py COMMA_SEPARATED_LIST_RE
_SEPARATORS = re.compile(r"[,\s]")
SKIP_FILE = re.compile(r"#\s*bnlint:\s*skip-file\b")
SKIP_FILE_LINES = 20  # "anywhere in the first lines"


def skips_file(text: str) -> bool:
    """`# bnlint: skip-file` in the first lines, or flake8's `# flake8: noqa` on a line of its own."""
    head = text[:4096]
    if "bnlint" in head and any(SKIP_FILE.search(line) for line in head.splitlines()[:SKIP_FILE_LINES]):
        return True
    if "flake8" in text.lower():
        return any(NOQA_FILE.match(line) for line in text.splitlines())
    return False


def noqa_codes(line: str) -> set[str] | None:
    """None: no noqa on the line; an empty set: a bare `# noqa`; else the codes listed."""
    if "noqa" not in line.lower():
        return None
    match = NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return set()
    return {c.strip() for c in _SEPARATORS.split(codes) if c.strip()}


def is_suppressed(code: str, line: str) -> bool:
    """Whether a `# noqa` in `line` silences `code` (flake8's Violation.is_inline_ignored)."""
    codes = noqa_codes(line)
    if codes is None:
        return False
    return not codes or code in codes or code.startswith(tuple(codes))


class NoqaMap:
    """Which text to search for `# noqa` for a finding on a given line, as flake8 maps it:
    the physical lines between two NL/NEWLINE tokens (a backslash continuation, a multi-line
    string) share their joined text. Built lazily, only for files that mention noqa."""

    def __init__(self, text: str):
        self.text = text
        self._lines: list[str] | None = None
        self._mapping: dict[int, str] | None = None
        self._any = "noqa" in text.lower()

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = physical_lines(self.text)
        return self._lines

    def line_for(self, line: int) -> str:
        if self._mapping is None:
            self._mapping = _logical_lines(self.text, self.lines)
        joined = self._mapping.get(line)
        if joined is not None:
            return joined
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def suppressed(self, code: str, line: int) -> bool:
        if not self._any:
            return False
        return is_suppressed(code, self.line_for(line))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def physical_lines(text: str) -> list[str]:
    """The lines as Python numbers them (str.splitlines also splits at form feeds and other
    separators that the tokenizer keeps inside a line)."""
    return _LINE.findall(text)


def _logical_lines(text: str, lines: list[str]) -> dict[int, str]:
    """flake8's FileProcessor._noqa_line_mapping; {} when the file does not tokenize."""
    return {number: "".join(lines[first - 1:last])
            for number, (first, last) in _logical_ranges(text, len(lines)).items()}


def _logical_ranges(text: str, count: int) -> dict[int, tuple[int, int]]:
    """{physical line: (first, last) physical line of its backslash continuation or multi-line
    string} for the lines that share one (flake8's mapping); {} when the file does not tokenize.
    A `# noqa` for any of them is read from, and written to, that whole range."""
    ranges: dict[int, tuple[int, int]] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return ranges
    far = count + 2
    min_line, max_line = far, -1
    for token in tokens:
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        min_line = min(min_line, token.start[0])
        max_line = max(max_line, token.end[0])
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            if max_line > min_line:  # single physical lines need no entry
                for number in range(min_line, max_line + 1):
                    ranges[number] = (min_line, max_line)
            min_line, max_line = far, -1
    return ranges


def add_noqa(text: str, codes_by_line: dict[int, set[str]]) -> tuple[str, int]:
    """`text` with `# noqa: CODES` on every line that has findings (ruff's --add-noqa): codes
    already listed are kept, a bare `# noqa` is left alone, and the comment goes where flake8
    looks for it (the last line of a multi-line string or backslash continuation). Returns the
    new text and the number of lines changed."""
    lines = physical_lines(text)
    ranges = _logical_ranges(text, len(lines))
    wanted: dict[int, set[str]] = {}
    for line, codes in codes_by_line.items():
        target = ranges.get(line, (line, line))[1]
        if 1 <= target <= len(lines):
            wanted.setdefault(target, set()).update(codes)
    changed = 0
    for number, codes in sorted(wanted.items()):
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        present = noqa_codes(body)
        if present is not None and not present:
            continue  # a bare `# noqa` already silences everything
        if present is not None:
            merged = sorted(present | codes)
            if merged == sorted(present):
                continue
            match = NOQA.search(body)
            body = body[:match.start()] + f"# noqa: {', '.join(merged)}" + body[match.end():]
        else:
            body = f"{body}  # noqa: {', '.join(sorted(codes))}"
        lines[number - 1] = body + ending
        changed += 1
    return "".join(lines), changed
