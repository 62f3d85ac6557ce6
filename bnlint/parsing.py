"""Parsing Python source for analysis: `ast.parse`, and Python 2 code read as Python 3.

Many TF1-era training scripts are Python 2 (`print x`, `except E, e:`). They hold exactly the
graph-mode bugs bnlint looks for (UPDATE_OPS, hard-coded `is_training`), so a file whose only
Python 2 syntax is such statements is respelled in place, line by line with the columns kept,
and analysed; anything else stays a syntax error (BN901).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings


def parse(text: str, filename: str = "<unknown>") -> tuple[ast.Module, str]:
    """The module's tree and the text it was parsed from (respelled when it was Python 2).
    Raises the original SyntaxError when neither parses."""
    try:
        return _parse(text, filename), text
    except SyntaxError:
        repaired = _python3_spelling(text)  # None when there is nothing Python 2 to respell
        tree = _parse_or_none(repaired, filename) if repaired is not None else None
        if tree is None:
            raise
        return tree, repaired


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
    """Python 2 statements spelled as Python 3, each line keeping its length where it can (so
    positions stay right): `print x, y` -> `print(x, y)`, `print >>f, x` -> `print(  f, x)`,
    `exec code` -> `exec(code)`, `except E, e:` -> `except E as e:`, `10L` -> `10 `. None when a
    statement spans lines (bnlint then reports the syntax error)."""
    out = []
    changed = False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        match = _PRINT_STATEMENT.match(body)
        if match:
            indent, keyword, _space, rest = match.groups()
            code, comment = rest, ""
            try:
                tokens = list(tokenize.generate_tokens(io.StringIO(rest + "\n").readline))
            except (tokenize.TokenError, IndentationError, SyntaxError):
                return None  # an open bracket or string: the statement goes on
            for token in tokens:
                if token.type == tokenize.COMMENT:
                    code, comment = rest[:token.start[1]].rstrip(), " " + rest[token.start[1]:]
                    break
            if code.rstrip().endswith("\\"):
                return None
            code = code.rstrip()
            if code.startswith(">>"):
                code = "  " + code[2:]
            body = f"{indent}{keyword}({code}){comment}"
            changed = True
        except_match = _EXCEPT_COMMA.match(body)
        if except_match:
            body = f"{except_match.group(1)} as {except_match.group(2)}:" + body[except_match.end():]
            changed = True
        if _LONG_INTEGER.search(body):
            body = _LONG_INTEGER.sub(lambda m: m.group(1) + " ", body)
            changed = True
        out.append(body + ending)
    return "".join(out) if changed else None
