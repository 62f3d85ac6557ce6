"""Parsing Python source for analysis: `ast.parse`, and Python 2 code read as Python 3.

Many TF1-era training scripts are Python 2 (`print x`, `except E, e:`). They hold exactly the
graph-mode bugs bnlint looks for (UPDATE_OPS, hard-coded `is_training`), so a file whose only
Python 2 syntax is such statements is respelled in place, line by line with the columns kept,
and analysed. Likewise the IPython lines of a script exported from a notebook (`%matplotlib
inline`, `!pip install ...`), the cells of such a script that begin with a stray space, and
the indented first lines of a file saved from the middle of a function, and Python 3.12
f-strings (PEP 701) when bnlint runs on an older Python. Anything else stays a syntax error
(BN901).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass

from bnlint.suppress import physical_lines


def parse(text: str, filename: str = "<unknown>") -> tuple[ast.Module, str]:
    """The module's tree and the text it was parsed from (respelled when it was Python 2).
    Raises the original SyntaxError when neither parses."""
    try:
        return _parse(text, filename), text
    except SyntaxError:
        # each repair gives None when it has nothing to change; they combine (a Python 2
        # notebook export): every combination is tried, fewest repairs first
        for repairs in _REPAIR_COMBINATIONS:
            repaired = text
            for repair in repairs:
                repaired = repair(repaired)
                if repaired is None:
                    break
            tree = _parse_or_none(repaired, filename) if repaired is not None else None
            if tree is not None:
                return tree, repaired
        raise


def _without_leading_fragment(text: str) -> str | None:
    """A file saved from the middle of a function (a truncated copy, a snippet that starts
    inside a block): its indented first lines, up to the first line at the left margin, are
    blanked in place. None when the first code line is not indented."""
    lines = physical_lines(text)
    first = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), None)
    if first is None or not lines[first][:1].isspace():
        return None
    end = next((i for i in range(first, len(lines)) if lines[i].strip() and not lines[i][:1].isspace()),
               len(lines))
    return "".join(lines[i][len(lines[i].rstrip("\r\n")):] if first <= i < end else lines[i]
                   for i in range(len(lines)))


def _without_ipython_lines(text: str) -> str | None:
    """A script exported from a notebook keeps its `%matplotlib inline` and `!pip install`
    lines: they become `pass` (or nothing) in place, as in a notebook's cells."""
    from bnlint.source import without_ipython_lines

    lines = without_ipython_lines(physical_lines(text))
    return "".join(lines) if lines is not None else None


def _without_stray_cell_indents(text: str) -> str | None:
    """A notebook exported to a script whose cells began with a stray space or three (` for x
    in test_dataset.take(1):` after a function): a block indented 1-3 spaces where the parser
    wants the left margin is moved to it, line by line (the lines keep their numbers; their
    columns shift by the stray indent). None when there is no such block."""
    lines = physical_lines(text)
    changed = False
    for _ in range(50):
        try:
            _parse("".join(lines), "<repair>")
            break
        except IndentationError as error:
            start = (error.lineno or 0) - 1
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            break
        if not 0 <= start < len(lines):
            break
        stray = len(lines[start]) - len(lines[start].lstrip(" "))
        if not 1 <= stray <= 3 or lines[start][stray:stray + 1] == "\t":
            break
        end = start
        while end < len(lines) and (not lines[end].strip() or lines[end][:stray] == " " * stray):
            end += 1
        for i in range(start, end):
            if lines[i].strip():
                lines[i] = lines[i][stray:]
        changed = True
    return "".join(lines) if changed else None


def _parse(text: str, display: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes is not ours
        return ast.parse(text, filename=display)


def _parse_or_none(text: str, display: str) -> ast.Module | None:
    try:
        return _parse(text, display)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


_PRINT_STATEMENT = re.compile(r"^(\s*)(print|exec)( +|(?=[\"']))(?![=.(\[]|\+=|-=)(.*)$")
_EXCEPT_COMMA = re.compile(r"^(\s*except\s+[\w.]+|\s*except\s*\([^)]*\))\s*,\s*(\w+)\s*:")
_LONG_INTEGER = re.compile(r"(?<![\w.])(\d+)[lL]\b")


def _python3_spelling(text: str) -> str | None:
    """Python 2 statements spelled as Python 3, the code keeping its columns (so positions stay
    right): `print x, y` -> `print(x, y)` (also over continued lines), `print >>f, x` ->
    `print(  f, x)`, `exec code` -> `exec(code)`, `except E, e:` -> `except E as e:`, `10L` ->
    `10 `, `a <> b` -> `a != b`. None when there is nothing to respell or a statement cannot be delimited."""
    lines = physical_lines(text)  # Python's own line breaks: positions must match the tree's
    changed = False
    i = 0
    while i < len(lines):
        match = _PRINT_STATEMENT.match(lines[i].rstrip("\r\n"))
        if match:
            last = _print_statement(lines, i, match)
            if last is None:
                return None
            changed = True
            i = last
        i += 1
    for row, col in _not_equal_operators("".join(lines)):
        line = lines[row]
        lines[row] = line[:col] + "!=" + line[col + 2:]  # `a <> b`: Python 2's other spelling of !=
        changed = True
    for k, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        except_match = _EXCEPT_COMMA.match(body)
        if except_match:
            body = f"{except_match.group(1)} as {except_match.group(2)}:" + body[except_match.end():]
        body = _LONG_INTEGER.sub(lambda m: m.group(1) + " ", body)
        if body + ending != line:
            lines[k] = body + ending
            changed = True
    return "".join(lines) if changed else None


def _not_equal_operators(text: str) -> list[tuple[int, int]]:
    """(0-based row, column) of each `<>` operator: Python 3's tokenizer reads it as `<` right
    before `>`, outside strings and comments by construction."""
    if "<>" not in text:
        return []
    found = []
    previous = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if (token.type == tokenize.OP and token.string == ">" and previous is not None
                    and previous.type == tokenize.OP and previous.string == "<"
                    and previous.end == token.start):
                found.append((previous.start[0] - 1, previous.start[1]))
            previous = token
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    return found


def _print_statement(lines: list[str], first: int, match: re.Match) -> int | None:
    """Rewrite the print/exec statement starting at `lines[first]` in place as a call; the
    index of its last line, or None when its end cannot be found."""
    indent, keyword, space, rest = match.groups()
    start = len(indent) + len(keyword)  # the column of the space (or quote) after the keyword
    for last in range(first, min(first + 60, len(lines))):
        chunk = "".join(lines[first:last + 1])
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(chunk).readline))
        except IndentationError:
            return None
        except (tokenize.TokenError, SyntaxError):
            continue  # an open bracket, string or backslash: the statement goes on
        code = [t for t in tokens if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                                                     tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)]
        if not code:
            return None
        end_row, end_col = code[-1].end  # 1-based row within the chunk
        row = first + end_row - 1
        target = lines[row]
        lines[row] = target[:end_col] + ")" + target[end_col:]
        head = lines[first]
        after = head[start + len(space):]
        if after.startswith(">>"):
            after = "  " + after[2:]
        lines[first] = head[:start] + "(" + (" " * (len(space) - 1) if space else "") + after \
            if space else head[:start] + "(" + after
        return last
    return None


_STRING_START = re.compile(r"(?<![\w])([rRbBuUfF]{0,2})('''|\"\"\"|'|\")")


def _blank_f_strings(text: str) -> str | None:
    """Python 3.12's f-strings (PEP 701: the same quotes inside a replacement field, fields that
    span lines) do not parse on an older interpreter: each f-string becomes a plain string of
    blanks, its newlines kept (a multi-line one in triple quotes), so the file parses and its
    lines keep their numbers. Nothing bnlint reads is inside an f-string's text. None when the
    text holds no f-string."""
    spans: list[tuple[int, int, bool]] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char == "#":
            end = text.find("\n", position)
            position = length if end < 0 else end
            continue
        match = _STRING_START.match(text, position) if char in "rRbBuUfF'\"" else None
        if match is None:
            position += 1
            continue
        prefix = match.group(1).lower()
        end = _string_end(text, match.end(), match.group(2), "r" in prefix, "f" in prefix)
        if "f" in prefix:
            spans.append((position, end, "\n" in text[position:end]))
        position = end
    if not spans:
        return None
    pieces, last = [], 0
    for start, end, multiline in spans:
        blank = "".join(c if c == "\n" else " " for c in text[start:end])
        pieces.append(text[last:start])
        if multiline:
            pieces.append('"""' + blank[2:-1] + '"""')
        else:
            pieces.append(" " + '"' + blank[3:] + '"' if len(blank) >= 3 else '""')
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _string_end(text: str, position: int, quote: str, raw: bool, formatted: bool) -> int:
    """The index just past the string whose body starts at `position` (its replacement fields
    followed, nested strings included, when `formatted`)."""
    depth, length = 0, len(text)
    while position < length:
        char = text[position]
        if depth == 0:
            if text.startswith(quote, position):
                return position + len(quote)
            if char == "\\" and not raw:
                position += 2
                continue
            if char == "\n" and len(quote) == 1 and not formatted:
                return position  # an unterminated one-line string: stop at the line's end
            if formatted and char == "{":
                if text.startswith("{{", position):
                    position += 2
                    continue
                depth = 1
            position += 1
            continue
        # inside a replacement field: nested strings, braces, a 3.12 comment
        if char in "{[(":
            depth += char == "{"
        elif char == "}":
            depth -= 1
        elif char == "#":
            end = text.find("\n", position)
            position = length if end < 0 else end
            continue
        else:
            match = _STRING_START.match(text, position) if char in "rRbBuUfF'\"" else None
            if match is not None:
                prefix = match.group(1).lower()
                position = _string_end(text, match.end(), match.group(2), "r" in prefix, "f" in prefix)
                continue
        position += 1
    return length


# Python 2 statements, IPython lines, a leading fragment: alone first, then together; a notebook
# export's stray cell indents last (after its IPython lines are gone); Python 3.12 f-strings last.
_REPAIR_COMBINATIONS = (
    (_python3_spelling,), (_without_ipython_lines,), (_without_leading_fragment,),
    (_python3_spelling, _without_ipython_lines), (_without_ipython_lines, _without_leading_fragment),
    (_python3_spelling, _without_leading_fragment),
    (_python3_spelling, _without_ipython_lines, _without_leading_fragment),
    (_without_stray_cell_indents,), (_without_ipython_lines, _without_stray_cell_indents),
    (_python3_spelling, _without_ipython_lines, _without_stray_cell_indents),
    (_blank_f_strings,), (_without_ipython_lines, _blank_f_strings),
)


# Cell magics whose body is Python that runs as it stands (`%%time` around a training loop).
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "memit", "tensorflow_version"}


@dataclass
class ExpandedLines:
    """Where each line of a script with its cell magics unwrapped came from: one entry per line
    (0-based): (the original line, whether it was inside an unwrapped cell body)."""

    lines: list[tuple[int, bool]]

    def locate(self, line: int) -> tuple[int, bool]:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return line, False


def expand_cell_magics(text: str, tree: ast.Module) -> tuple[str, ExpandedLines] | None:
    """A notebook exported to a script with `jupyter nbconvert --to script` keeps a `%%time`
    cell as `get_ipython().run_cell_magic('time', '', '<the cell's code>')`: the training loop
    is a string. Each such statement at module level whose body parses is replaced by that
    body, and the line map tells where each line came from (the body's lines, the statement's
    first line). None when the module has no such cell."""
    cells = []
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "run_cell_magic" and isinstance(call.func.value, ast.Call)
                and isinstance(call.func.value.func, ast.Name) and call.func.value.func.id == "get_ipython"
                and len(call.args) == 3 and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                                for a in call.args)
                and call.args[0].value in _PYTHON_CELL_MAGICS):
            continue
        body = call.args[2].value
        if _parse_or_none(body, "<cell>") is None:
            continue
        cells.append((statement.lineno, statement.end_lineno or statement.lineno, body))
    if not cells:
        return None
    lines = physical_lines(text)
    out: list[str] = []
    where: list[tuple[int, bool]] = []
    current = 1
    for first, last, body in cells:
        for number in range(current, first):
            out.append(lines[number - 1])
            where.append((number, False))
        body_lines = physical_lines(body if body.endswith("\n") else body + "\n")
        out.extend(body_lines)
        where.extend((first, True) for _ in body_lines)
        current = last + 1
    for number in range(current, len(lines) + 1):
        out.append(lines[number - 1])
        where.append((number, False))
    return "".join(out), ExpandedLines(where)
