"""Reading what will be linted: decoding Python files and turning notebooks into one program."""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
import re
import tokenize
from dataclasses import dataclass


class SourceError(Exception):
    """A file that cannot be read or decoded (BN902) or an invalid notebook (BN903)."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


@dataclass
class CellMap:
    """Where each line of the combined notebook program came from."""

    # one entry per program line (0-based index): (cell number, 1-based line within the cell)
    lines: list[tuple[int, int]]

    def locate(self, line: int) -> tuple[int | None, int]:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return None, line


@dataclass
class LoadedSource:
    text: str
    cells: CellMap | None = None  # set for notebooks


def decode_python(data: bytes) -> str:
    """Decode Python source as the interpreter would: BOM, PEP 263 cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown or conflicting coding cookie
        raise SourceError("BN902", f"cannot decode: {exc}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        raise SourceError(
            "BN902",
            f"cannot decode as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc} "
            "(declare the file's encoding with a PEP 263 coding line, or save it as UTF-8)",
            line=line,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def read_path(path: str) -> bytes:
    try:
        mode = os.stat(path).st_mode  # follows links: a loop raises ELOOP here
    except OSError as exc:
        raise SourceError("BN902", f"cannot read: {exc.strerror or exc}") from None
    except (RuntimeError, ValueError) as exc:
        raise SourceError("BN902", f"cannot read: {exc}") from None
    if not stat.S_ISREG(mode):  # a FIFO or a device would block or never end
        raise SourceError("BN902", "cannot read: not a regular file")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise SourceError("BN902", f"cannot read: {exc.strerror or exc}") from None


def load(path: str, data: bytes | None = None, max_size: int | None = None) -> LoadedSource:
    """Read and decode a file (or the given bytes) as Python or as a notebook; a file over
    `max_size` bytes is refused (BN905) before it is read or parsed."""
    notebook = path.endswith(".ipynb")
    if data is None and max_size is not None and not notebook:
        try:
            size = os.stat(path).st_size
        except (OSError, RuntimeError, ValueError):
            size = 0  # read_path reports it
        if size > max_size:
            raise SourceError("BN905", f"skipped: the file has {size:,} bytes, over max-file-size ({max_size:,})")
    if data is None:
        data = read_path(path)
    if notebook:
        # a notebook's outputs (images, tables) do not count: only the code that is parsed
        loaded = load_notebook(data)
        size = len(loaded.text.encode("utf-8", "replace"))
        if max_size is not None and size > max_size:
            raise SourceError("BN905", f"skipped: the notebook's code has {size:,} bytes, over max-file-size "
                                       f"({max_size:,})")
        return loaded
    if max_size is not None and len(data) > max_size:
        raise SourceError("BN905", f"skipped: the file has {len(data):,} bytes, over max-file-size ({max_size:,})")
    return LoadedSource(decode_python(data))


# IPython lines that are not Python: line magics, shell escapes, help queries.
# Automagics too: IPython runs `pip install torch` or `cd data` without the `%` (a name followed
# by a word, a path or a flag, never by an operator, so no Python statement is taken for one).
_MAGIC_LINE = re.compile(r"^\s*(%|!|\?)|^\s*[\w.]+\s*=\s*(%|!)|^[^#'\"]*\?\??\s*$"
                         r"|^(pip|conda|cd|matplotlib|load_ext|reload_ext|autoreload)[ \t]+[\w\-./~'\"$]")
# Cell magics whose body is still Python.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "tensorflow_version"}


def _without_leading_indent(lines: list[str]) -> list[str]:
    """IPython's leading_indent transform: when a cell's first line is indented, that
    indentation is removed from every line of the cell."""
    first = next((line for line in lines if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip())]
    if not indent:
        return lines
    return [line[len(indent):] if line.startswith(indent) else line for line in lines]


def _continuations(lines: list[str]) -> list[bool]:
    """For each line, whether it continues the statement before it (an open bracket, a
    backslash, a triple-quoted string): IPython treats `%` and `!` as magics only at the start
    of a statement, so `x = (a\n % b)` stays Python."""
    result = []
    depth = 0
    triple: str | None = None
    backslash = False
    for line in lines:
        result.append(depth > 0 or triple is not None or backslash)
        i = 0
        quote: str | None = None
        while i < len(line):
            ch = line[i]
            if triple is not None:
                if line.startswith(triple, i):
                    i += 3
                    triple = None
                    continue
                i += 2 if ch == "\\" else 1
                continue
            if quote is not None:
                if ch == "\\":
                    i += 2
                    continue
                if ch == quote:
                    quote = None
                i += 1
                continue
            if ch == "#":
                break
            if line.startswith(('"""', "'''"), i):
                triple = line[i:i + 3]
                i += 3
                continue
            if ch in "\"'":
                quote = ch
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(depth - 1, 0)
            i += 1
        backslash = line.rstrip().endswith("\\") and triple is None
    return result


def without_ipython_lines(lines: list[str]) -> list[str] | None:
    """Lines of a script exported or copied from a notebook (`%matplotlib inline`,
    `!pip install ...`, `files = !ls`) made Python, each in place so positions do not move.
    None when there is no such line."""
    continued = _continuations(lines)
    result, changed = [], False
    for number, line in enumerate(lines):
        if not continued[number] and _MAGIC_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            ending = line[len(line.rstrip("\r\n")):]
            line = (indent + "pass" if indent else "") + ending
            changed = True
        result.append(line)
    return result if changed else None


def load_notebook(data: bytes) -> LoadedSource:
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceError("BN903", f"not a valid notebook: the file is not JSON ({exc})") from None
    except RecursionError:
        raise SourceError("BN903", "not a valid notebook: its JSON is nested too deeply to read") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
        found = notebook.get("nbformat") if isinstance(notebook, dict) else None
        raise SourceError("BN903", f"not a valid notebook: expected nbformat 4, found {found!r}")
    program: list[str] = []
    origin: list[tuple[int, int]] = []
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(source, str):
            raise SourceError("BN903", f"not a valid notebook: cell {number} has no source text")
        lines = _without_leading_indent(source.splitlines())
        skip_cell = False
        if lines and lines[0].startswith("%%"):
            magic = lines[0][2:].split(maxsplit=1)[0] if lines[0][2:].strip() else ""
            skip_cell = magic not in _PYTHON_CELL_MAGICS
        continued = _continuations(lines)
        magic_goes_on = False
        for line_no, line in enumerate(lines, start=1):
            # (`!wget ... \` continues the shell command on the next lines: they are the magic's)
            continues_magic = magic_goes_on
            magic = magic_goes_on or (not continued[line_no - 1] and _MAGIC_LINE.match(line))
            magic_goes_on = bool(magic) and line.rstrip().endswith("\\")
            if continues_magic and not skip_cell:
                line = ""  # the magic's first line already stands for the statement
            elif skip_cell or (line_no == 1 and line.startswith("%%")) or magic:
                # Keep the line (positions do not shift) but make it Python.
                indent = line[: len(line) - len(line.lstrip())]
                line = indent + "pass" if indent else ""
            program.append(line)
            origin.append((number, line_no))
    return LoadedSource("\n".join(program) + "\n", CellMap(origin))


def write_atomically(path: str, data: bytes) -> None:
    """Replace the file's content in one step (a temporary file renamed over it), keeping its
    permissions; an interrupted write leaves the old file."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".bnlint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
