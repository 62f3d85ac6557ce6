"""Fixes: libcst transformations of the node at a finding's span, turned into text edits.

Only this module imports libcst, and only when fixes are shown or applied (`--fix`, `--diff`,
json and SARIF output, an editor's code action): detection never pays for it. A rule names a
transformation (`Fix.recipe`) and the node it rewrites (`Fix.target`, a span of the linted
program); here the node's text is parsed with libcst, transformed, and printed back, so
everything around it (comments, spacing, the rest of the file) stays as written.

Applying fixes to a file (`fix_file`) is a loop, as in ruff: lint, take the fixes that do not
overlap (the earliest first, then by code), apply them, check that the result still compiles
(a fix that would not is dropped with a message), lint again, until nothing is left to fix.
So a second `--fix` changes nothing. Files are written atomically with their encoding, BOM,
line endings and mode; a notebook's fixes land in their cells and its outputs stay untouched.
"""

from __future__ import annotations

import difflib
import io
import json
import tokenize
from dataclasses import dataclass, field, replace

import libcst as cst

from bnlint import source
from bnlint.findings import Edit, Finding, Fix
from bnlint.suppress import physical_lines

MAX_ROUNDS = 10  # lint-and-fix rounds per file: fixes that enable other fixes converge fast


class CannotFix(Exception):
    """The recipe does not apply to the code at its span (it changed, or an unusual shape)."""


# ---- edits for one fix ------------------------------------------------------------------
def edits_for(fix: Fix, lines: list[str]) -> tuple[Edit, ...]:
    """The text edits of `fix` on the program `lines` (physical lines, with their endings),
    in program coordinates; CannotFix when the recipe does not apply there."""
    recipe = _RECIPES.get(fix.recipe)
    if recipe is None:
        raise CannotFix(f"unknown fix recipe {fix.recipe!r}")
    return recipe(fix, lines)


def _snippet(lines: list[str], line: int, column: int, end_line: int, end_column: int) -> str:
    if not (1 <= line <= end_line <= len(lines)):
        raise CannotFix("the span is outside the file")
    if line == end_line:
        return lines[line - 1][column - 1:end_column - 1]
    parts = [lines[line - 1][column - 1:]]
    parts.extend(lines[line:end_line - 1])
    parts.append(lines[end_line - 1][:end_column - 1])
    return "".join(parts)


def _expression(fix: Fix, lines: list[str]) -> cst.BaseExpression:
    t = fix.target
    text = _snippet(lines, t.line, t.column, t.end_line, t.end_column)
    try:
        return cst.parse_expression(text)
    except cst.ParserSyntaxError:
        pass
    try:  # an expression over several lines without brackets of its own
        return cst.parse_expression(f"({text})").with_changes(lpar=[], rpar=[])
    except cst.ParserSyntaxError as exc:
        raise CannotFix(f"the code at the finding is not an expression ({exc.message})") from None


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _replace_target(fix: Fix, new_code: str) -> tuple[Edit, ...]:
    t = fix.target
    return (Edit(t.line, t.column, t.end_line, t.end_column, new_code),)


def _parsed_value(code: str) -> cst.BaseExpression:
    try:
        return cst.parse_expression(code)
    except cst.ParserSyntaxError:
        raise CannotFix(f"the replacement `{code}` is not an expression") from None


def _call(fix: Fix, lines: list[str]) -> cst.Call:
    node = _expression(fix, lines)
    if not isinstance(node, cst.Call):
        raise CannotFix("the code at the finding is not a call")
    return node


def _add_keyword(fix: Fix, lines: list[str]) -> tuple[Edit, ...]:
    """`f(x)` -> `f(x, name=value)`; an existing `name=` gets the value."""
    call = _call(fix, lines)
    name, value = fix.argument("name"), _parsed_value(fix.argument("value"))
    args = list(call.args)
    for i, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == name:
            args[i] = arg.with_changes(value=value)
            return _replace_target(fix, _code(call.with_changes(args=args)))
    new = cst.Arg(value=value, keyword=cst.Name(name),
                  equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                        whitespace_after=cst.SimpleWhitespace("")))
    if args and isinstance(args[-1].comma, cst.Comma):
        # a trailing comma (often before a newline and the closing bracket) stays last
        trailing = args[-1].comma
        if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
            between = args[-2].comma.whitespace_after
        elif isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
            between = call.whitespace_before_args  # one argument per line, as after the `(`
        else:
            between = cst.SimpleWhitespace(" ")
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=between))
        new = new.with_changes(comma=trailing)
    elif args:
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    args.append(new)
    return _replace_target(fix, _code(call.with_changes(args=args)))


def _rename_keyword(fix: Fix, lines: list[str]) -> tuple[Edit, ...]:
    call = _call(fix, lines)
    old, new = fix.argument("old"), fix.argument("new")
    names = [a.keyword.value for a in call.args if a.keyword is not None]
    if old not in names:
        raise CannotFix(f"the call has no `{old}=`")
    if new in names:
        raise CannotFix(f"the call already passes `{new}=`")
    args = [a.with_changes(keyword=cst.Name(new)) if a.keyword is not None and a.keyword.value == old else a
            for a in call.args]
    return _replace_target(fix, _code(call.with_changes(args=args)))


def _rename_attribute(fix: Fix, lines: list[str]) -> tuple[Edit, ...]:
    """`m.variables` -> `m.trainable_variables`; for a call, its callee: `tf.global_variables()`."""
    node = _expression(fix, lines)
    new = fix.argument("new")
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Attribute):
            return _replace_target(fix, _code(node.with_changes(func=func.with_changes(attr=cst.Name(new)))))
        if isinstance(func, cst.Name):
            return _replace_target(fix, _code(node.with_changes(func=cst.Name(new))))
        raise CannotFix("the callee is not a name")
    if isinstance(node, cst.Attribute):
        return _replace_target(fix, _code(node.with_changes(attr=cst.Name(new))))
    raise CannotFix("the code at the finding is not an attribute")


def _replace(fix: Fix, lines: list[str]) -> tuple[Edit, ...]:
    _expression(fix, lines)  # the span must still hold an expression
    new = _parsed_value(fix.argument("code"))
    return _replace_target(fix, _code(new))


# ---- statement recipes -------------------------------------------------------------------
def _statement_lines(fix: Fix, lines: list[str]) -> tuple[str, list[str]]:
    """The indentation and the whole lines of the statement at the span; CannotFix when the
    statement shares a line with other code or holds a string over several lines (indenting
    it would change the string)."""
    t = fix.target
    if not (1 <= t.line <= t.end_line <= len(lines)):
        raise CannotFix("the span is outside the file")
    first, last = lines[t.line - 1], lines[t.end_line - 1]
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if t.column != len(indent) + 1:
        raise CannotFix("the statement does not start its line")
    if last[t.end_column - 1:].strip() and not last[t.end_column - 1:].strip().startswith("#"):
        raise CannotFix("the statement shares its line with other code")
    block = lines[t.line - 1:t.end_line]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("".join(b[len(indent):] for b in block)).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        raise CannotFix("the statement does not tokenize on its own") from None
    if any(tok.type == tokenize.STRING and tok.start[0] != tok.end[0] for tok in tokens):
        raise CannotFix("the statement holds a string over several lines")
    return indent, block


def _newline(lines: list[str]) -> str:
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith(("\n", "\r")):
            return line[-1]
    return "\n"


def _wrap_with(fix: Fix, lines: list[str]) -> tuple[Edit, ...]:
    """The statement moves into `with header:`, one level deeper."""
    indent, block = _statement_lines(fix, lines)
    header = _parsed_value(fix.argument("header"))
    newline = _newline(lines)
    body = "".join(b[len(indent):] if b.startswith(indent) else b for b in block)
    try:
        statement = cst.parse_statement(body.rstrip("\r\n") + "\n")
    except cst.ParserSyntaxError as exc:
        raise CannotFix(f"the statement does not parse on its own ({exc.message})") from None
    unit = "\t" if indent.startswith("\t") else "    "  # one level deeper, in the file's own way
    wrapped = cst.With(items=[cst.WithItem(header)], body=cst.IndentedBlock(body=[statement]))
    code = cst.Module(body=[wrapped], default_indent=unit).code
    out = "".join(indent + line + newline if line.strip() else newline for line in code.splitlines())
    t = fix.target
    return (Edit(t.line, 1, t.end_line + 1, 1, out),)


def _insert(fix: Fix, lines: list[str], before: bool) -> tuple[Edit, ...]:
    indent, _block = _statement_lines(fix, lines)
    code = fix.argument("code")
    try:
        cst.parse_statement(code + "\n")
    except cst.ParserSyntaxError:
        raise CannotFix(f"`{code}` is not a statement") from None
    t = fix.target
    text = indent + code + _newline(lines)
    at = t.line if before else t.end_line + 1
    if not before and t.end_line == len(lines) and not lines[-1].endswith(("\n", "\r")):
        return (Edit(t.end_line, len(lines[-1]) + 1, t.end_line, len(lines[-1]) + 1, _newline(lines) + text),)
    return (Edit(at, 1, at, 1, text),)


_RECIPES = {
    "add_keyword": _add_keyword,
    "rename_keyword": _rename_keyword,
    "rename_attribute": _rename_attribute,
    "replace": _replace,
    "wrap_with": _wrap_with,
    "insert_before": lambda fix, lines: _insert(fix, lines, before=True),
    "insert_after": lambda fix, lines: _insert(fix, lines, before=False),
}
RECIPES = tuple(_RECIPES)


# ---- applying edits to text --------------------------------------------------------------
def _offset(starts: list[int], lines: list[str], line: int, column: int) -> int:
    if line == len(lines) + 1:
        return starts[-1] + len(lines[-1]) if lines else 0
    return starts[line - 1] + column - 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    """`text` with non-overlapping `edits` applied (from the end, so positions stay valid)."""
    lines = physical_lines(text)
    starts, total = [], 0
    for line in lines:
        starts.append(total)
        total += len(line)
    starts.append(total)
    result = text
    spans = sorted(((_offset(starts, lines, e.line, e.column), _offset(starts, lines, e.end_line, e.end_column),
                     e.content) for e in edits), reverse=True)
    for start, end, content in spans:
        result = result[:start] + content + result[end:]
    return result


def _overlaps(a: tuple[Edit, ...], b: tuple[Edit, ...]) -> bool:
    for x in a:
        for y in b:
            x0, x1 = (x.line, x.column), (x.end_line, x.end_column)
            y0, y1 = (y.line, y.column), (y.end_line, y.end_column)
            if x0 < y1 and y0 < x1 or x0 == y0:
                return True
    return False


# ---- edits for reporting -----------------------------------------------------------------
def with_edits(findings: list[Finding], texts: dict[str, "str | source.LoadedSource"] | None = None) -> list[Finding]:
    """Findings whose fixes carry their text edits (json, SARIF, an editor), in the findings'
    own coordinates (a notebook's: the lines of the finding's cell). A fix that does not apply
    any more is dropped from its finding."""
    loaded: dict[str, source.LoadedSource | None] = {}
    result = []
    for finding in findings:
        if finding.fix is None or finding.fix.edits:
            result.append(finding)
            continue
        if finding.path not in loaded:
            try:
                if texts is not None and finding.path in texts:
                    given = texts[finding.path]  # an editor's buffer (a notebook: its program and cells)
                    loaded[finding.path] = given if isinstance(given, source.LoadedSource) else \
                        source.LoadedSource(given)
                else:
                    loaded[finding.path] = source.load(finding.path)
            except source.SourceError:
                loaded[finding.path] = None
        document = loaded[finding.path]
        if document is None:
            result.append(replace(finding, fix=None))
            continue
        try:
            edits = edits_for(finding.fix, physical_lines(document.text))
            if document.cells is not None:
                edits = tuple(_cell_edit(edit, document.cells, finding.cell) for edit in edits)
        except CannotFix:
            result.append(replace(finding, fix=None))
            continue
        result.append(replace(finding, fix=replace(finding.fix, edits=edits)))
    return result


def _cell_edit(edit: Edit, cells: source.CellMap, cell: int | None) -> Edit:
    start_cell, start = cells.locate(edit.line)
    end_cell, end = cells.locate(edit.end_line)
    if end_cell is None and edit.end_column == 1:  # up to the end of the program: the last cell's end
        end_cell, end = cells.locate(edit.end_line - 1)
        end += 1
    if start_cell is None or start_cell != cell or end_cell != cell:
        raise CannotFix("the fix reaches outside the finding's cell")
    return Edit(start, edit.column, end, edit.end_column, edit.content)


# ---- fixing files ------------------------------------------------------------------------
@dataclass
class FileFix:
    """What fixing one file did: the text before and after, how many fixes were applied, and
    why any were dropped."""

    path: str
    before: str
    after: str
    fixed: int = 0
    dropped: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what is left after the fixes
    data: bytes = b""  # the file's new content

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


def wanted(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (unsafe or finding.fix.applicability == "safe")


def fix_file(linter, path: str, unsafe: bool) -> FileFix:
    """Lint and fix `path` until no applicable fix is left (see the module's doc); writes
    nothing."""
    return fix_data(linter, path, source.read_path(path), unsafe)


def fix_data(linter, path: str, data: bytes, unsafe: bool) -> FileFix:
    """`fix_file` for the content `data` of `path` (standard input, an editor's buffer)."""
    document = _Document.read(path, data)
    result = FileFix(path, document.shown(), document.shown(), data=data)
    findings, _ = linter.lint_file(path, data=data)
    failed: set[tuple] = set()
    for _round in range(MAX_ROUNDS):
        candidates = [f for f in findings if wanted(f, unsafe) and _key(f) not in failed]
        if not candidates:
            break
        chosen: list[tuple[Finding, tuple[Edit, ...]]] = []
        lines = physical_lines(document.program)
        for finding in sorted(candidates, key=lambda f: (f.fix.target.line, f.fix.target.column, f.code)):
            try:
                edits = edits_for(finding.fix, lines)
            except CannotFix as exc:
                failed.add(_key(finding))
                result.dropped.append(f"{_where(path, finding)}: {finding.code} fix not applied: {exc}")
                continue
            if any(_overlaps(edits, other) for _, other in chosen):
                continue  # the next round takes it, on the fixed text
            chosen.append((finding, edits))
        applied = 0
        program = document.program
        # apply one at a time from the end, so a fix that would break the file is dropped alone
        for finding, edits in sorted(chosen, key=lambda c: (c[1][0].line, c[1][0].column), reverse=True):
            candidate = apply_edits(program, list(edits))
            problem = _compile_problem(candidate)
            if problem is not None:
                failed.add(_key(finding))
                result.dropped.append(f"{_where(path, finding)}: {finding.code} fix not applied: the result "
                                      f"would not parse ({problem})")
                continue
            program = candidate
            applied += 1
        if not applied:
            break
        try:
            document = document.with_program(program)
        except CannotFix as exc:
            result.dropped.append(f"{path}: fixes not applied: {exc}")
            break
        result.fixed += applied
        # (other modules' analyses read this file too: BN005 reports a layer whose statistics a
        # converter elsewhere copies in, and must see the fixed epsilon)
        if getattr(linter, "project", None) is not None:
            linter.project.file_changed(path, document.data)
        findings, _ = linter.lint_file(path, data=document.data)
    result.after = document.shown()
    result.data = document.data
    result.findings = findings
    return result


def _key(finding: Finding) -> tuple:
    return (finding.code, finding.fix.recipe if finding.fix else "", finding.fix.target if finding.fix else None)


def _where(path: str, finding: Finding) -> str:
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{path}:{cell}{finding.line}:{finding.column}"


def _compile_problem(program: str) -> str | None:
    from bnlint import parsing

    try:
        # a full compile: the compiler also refuses what the parser accepts (`yield` outside a
        # function, a repeated keyword argument); Python 2 code as bnlint reads it
        compile(parsing.parse(program)[1], "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return getattr(exc, "msg", None) or str(exc)
    return None


@dataclass
class _Document:
    """A file as bytes, the program bnlint lints, and how to turn a fixed program back into
    bytes: the same encoding, BOM and line endings; for a notebook, each cell's new lines."""

    path: str
    data: bytes
    program: str
    encoding: str = "utf-8"
    bom: bool = False
    notebook: dict | None = None
    cells: source.CellMap | None = None

    @classmethod
    def read(cls, path: str, data: bytes) -> "_Document":
        if path.endswith(".ipynb"):
            loaded = source.load_notebook(data)
            return cls(path, data, loaded.text, notebook=json.loads(data.decode("utf-8-sig")), cells=loaded.cells,
                       bom=data.startswith(b"\xef\xbb\xbf"))
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return cls(path, data, source.decode_python(data), encoding=encoding,
                   bom=data.startswith(b"\xef\xbb\xbf"))

    def shown(self) -> str:
        """The text a diff shows: the source, or for a notebook its code cells."""
        if self.notebook is None:
            return self.program
        parts = []
        for number, cell in enumerate(self.notebook.get("cells", []), start=1):
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                text = _cell_text(cell)
                parts.append(f"# cell {number}\n{text}{'' if text.endswith(chr(10)) or not text else chr(10)}")
        return "".join(parts)

    def with_program(self, program: str) -> "_Document":
        if self.notebook is None:
            encoded = program.encode("utf-8" if self.encoding == "utf-8-sig" else self.encoding)
            if self.bom and not encoded.startswith(b"\xef\xbb\xbf"):
                encoded = b"\xef\xbb\xbf" + encoded
            return replace(self, data=encoded, program=program)
        notebook = self._notebook_with(program)
        text = json.dumps(notebook, indent=_json_indent(self.data), ensure_ascii=False)
        if self.data.rstrip(b" \t").endswith(b"\n"):
            text += "\n"
        data = (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")
        loaded = source.load_notebook(data)
        return replace(self, data=data, program=loaded.text, notebook=notebook, cells=loaded.cells)

    def _notebook_with(self, program: str) -> dict:
        """The notebook with the changed program lines written into their cells. A changed line
        that is not the cell's own text (a magic bnlint blanked, an indent IPython strips)
        cannot be placed: CannotFix."""
        assert self.cells is not None and self.notebook is not None
        old_lines = physical_lines(self.program)
        new_lines = physical_lines(program)
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        notebook = json.loads(json.dumps(self.notebook))
        cell_lines: dict[int, list[str]] = {}

        def lines_of(number: int) -> list[str]:
            if number not in cell_lines:
                cell_lines[number] = _cell_text(notebook["cells"][number - 1]).splitlines(keepends=True)
            return cell_lines[number]

        replacements: list[tuple[int, int, int, list[str]]] = []  # (cell, first, last, new lines)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                continue
            anchor = a0 if a0 < len(old_lines) else a0 - 1
            cell, line = self.cells.lines[anchor] if 0 <= anchor < len(self.cells.lines) else (None, 0)
            if cell is None:
                raise CannotFix("a fix reaches outside the notebook's cells")
            touched = {self.cells.lines[i][0] for i in range(a0, a1)} | {cell}
            if len(touched) != 1:
                raise CannotFix("a fix spans two cells")
            own = lines_of(cell)
            for i in range(a0, a1):
                c, l = self.cells.lines[i]
                if own[l - 1].rstrip("\r\n") != old_lines[i].rstrip("\r\n"):
                    raise CannotFix(f"cell {c}, line {l} is not plain Python (a magic or an indent IPython removes)")
            first = line - 1 if a0 < len(old_lines) else line
            replacements.append((cell, first, first + (a1 - a0), new_lines[b0:b1]))
        for cell, first, last, new in sorted(replacements, key=lambda r: (r[0], r[1]), reverse=True):
            own = lines_of(cell)
            # the program joins cells with newlines; a cell's last line has none of its own
            if last == len(own) and own and not own[-1].endswith(("\n", "\r")) and new:
                if first == last:  # lines added after the last one
                    own[-1] += "\n"
                new = new[:-1] + [new[-1].rstrip("\r\n")]
            own[first:last] = new
        for number, own in cell_lines.items():
            cell = notebook["cells"][number - 1]
            text = "".join(own)
            cell["source"] = text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text
        return notebook


def _cell_text(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def _json_indent(data: bytes) -> int | None:
    """The indentation the notebook was saved with (nbformat writes 1)."""
    text = data.decode("utf-8-sig", errors="replace")
    second = text.split("\n", 2)[1] if text.count("\n") >= 2 else ""
    stripped = second.lstrip(" ")
    return len(second) - len(stripped) if stripped and second != stripped else (1 if "\n" in text else None)
