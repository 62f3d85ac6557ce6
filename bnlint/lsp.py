"""`bnlint server`: the Language Server Protocol over stdio (pygls 2).

Diagnostics are published when a document is opened, changed (debounced: the buffer is
linted once typing pauses for DEBOUNCE_SECONDS, always from the editor's text, never the file
on disk), and saved; they are cleared when it is closed. Linting runs in a worker thread, off
the message loop, and a result for a version the editor has replaced is dropped; a buffer over
`max-file-size` is reported as skipped (BN905), as `bnlint check` reports the file. Each diagnostic carries the rule code,
its severity, a link to the rule's documentation and the finding's evidence as related
information. The settings are the project's `[tool.bnlint]`, found from the document's path
as `bnlint check` finds them. A notebook opened as a notebook document (notebookDocument/*)
is linted as one program, as `bnlint check` lints an .ipynb, and each finding is published on
its cell. The findings of each open document are kept with their fixes, and
`textDocument/codeAction` offers their fixes as quick fixes (edits computed with libcst when
asked) and "Ignore BNxxx on this line" (a `# noqa: BNxxx` comment) for each finding.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from bnlint import __version__, registry
from bnlint.findings import Finding

DEBOUNCE_SECONDS = 0.3
SEVERITY = {"E": types.DiagnosticSeverity.Error, "W": types.DiagnosticSeverity.Warning,
            "I": types.DiagnosticSeverity.Information}


class BnlintServer(LanguageServer):
    def __init__(self):
        super().__init__("bnlint", __version__, notebook_document_sync=types.NotebookDocumentSyncOptions(
            notebook_selector=[types.NotebookDocumentFilterWithCells(
                notebook=types.NotebookDocumentFilterNotebookType(notebook_type="jupyter-notebook"),
                cells=[types.NotebookCellLanguage(language="python")])]))
        self.notebook_cells: dict[str, list[str]] = {}  # notebook uri -> its cells' uris, published last
        self.notebook_of: dict[str, tuple[str, dict]] = {}  # cell uri -> (notebook uri, its linted JSON)
        self.findings: dict[str, list[Finding]] = {}  # uri -> findings of the last lint
        self._generation: dict[str, int] = {}  # uri -> edits seen, for the debounce
        self._linters: dict[tuple, object] = {}  # (config file, its mtime) -> Linter
        self._open: set[str] = set()  # documents open in the editor

    # ---- linting ------------------------------------------------------------------------
    def linter_for(self, path: str):
        from bnlint.config import find_pyproject, resolve
        from bnlint.engine import Linter

        config = find_pyproject(Path(path))
        try:
            mtime = os.stat(config).st_mtime_ns if config else 0
        except OSError:
            mtime = 0
        key = (str(config or ""), mtime)
        linter = self._linters.get(key)
        if linter is None:
            linter = self._linters[key] = Linter(resolve([path]))
        return linter

    def checked_linter(self, path: str):
        """The linter for `path` and whether `bnlint check` would exclude it (exclude,
        extend-exclude, .gitignore); (None, True) when its configuration is broken (logged)."""
        from bnlint.config import ConfigError
        from bnlint.discover import Excluder

        try:
            linter = self.linter_for(path)
        except ConfigError as exc:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=f"bnlint: {exc}"))
            return None, True
        try:
            excluded = os.path.isabs(path) and Excluder(linter.settings).excluded_argument(path)
        except (OSError, RuntimeError):
            excluded = False
        return linter, excluded

    def findings_for(self, source: str, path: str) -> tuple[list[Finding], object | None]:
        """Lint an editor buffer: the work done off the message loop."""
        linter, excluded = self.checked_linter(path)
        if excluded:
            return [], linter
        size = len(source.encode("utf-8", "replace"))
        if size > linter.settings.max_file_size:  # as `bnlint check` does: skipped, and said so
            finding = linter._tool_finding("BN905", f"skipped: the document has {size:,} bytes, over max-file-size "
                                           f"({linter.settings.max_file_size:,})", path, 1, 1)
            return [finding], linter
        findings, _parsed = linter.lint_text(source, path, real_path=path)
        return findings, linter

    async def lint(self, uri: str) -> None:
        """Lint the document in a worker thread, so the server keeps answering while a large
        file is analysed; a result for a version the editor has already replaced is dropped."""
        document = self.workspace.get_text_document(uri)
        source, version, path = document.source, document.version, _path_of(uri)
        loop = asyncio.get_running_loop()
        findings, linter = await loop.run_in_executor(None, self.findings_for, source, path)
        current = self.workspace.get_text_document(uri)
        if current.version != version or uri not in self._open:
            return  # stale: a newer lint is on its way, or the document was closed
        self.findings[uri] = findings
        root = linter.settings.root if findings and linter is not None else None
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=[_diagnostic(f, uri, root, current) for f in findings]))

    # ---- notebooks ----------------------------------------------------------------------
    def notebook_source(self, notebook) -> tuple[bytes, list[str | None]]:
        """The open notebook as nbformat JSON (code cells from the editor's buffers, in order),
        and the uri of each cell by its 1-based position (None for a markdown cell)."""
        cells, uris_by_position = [], []
        for cell in notebook.cells:
            code = cell.kind == types.NotebookCellKind.Code
            document = self.workspace.get_text_document(cell.document)
            cells.append({"cell_type": "code" if code else "markdown", "metadata": {},
                          "source": document.source if code else "", **({"outputs": []} if code else {})})
            uris_by_position.append(cell.document if code else None)
        payload = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
        return json.dumps(payload).encode("utf-8"), uris_by_position

    def findings_for_notebook(self, data: bytes, path: str) -> tuple[list[Finding], object | None]:
        linter, excluded = self.checked_linter(path)
        if excluded:
            return [], linter
        findings, _parsed = linter.lint_file(path, data=data)
        return findings, linter

    async def lint_notebook(self, notebook_uri: str) -> None:
        """Lint an open notebook as one program and publish each finding on its cell."""
        notebook = self.workspace.get_notebook_document(notebook_uri=notebook_uri)
        if notebook is None:
            return
        data, cell_uris = self.notebook_source(notebook)
        version = notebook.version
        loop = asyncio.get_running_loop()
        findings, _linter = await loop.run_in_executor(None, self.findings_for_notebook, data, _path_of(notebook_uri))
        current = self.workspace.get_notebook_document(notebook_uri=notebook_uri)
        if current is None or current.version != version:
            return  # closed, or edited meanwhile: a newer lint is on its way
        by_cell: dict[str, list[Finding]] = {uri: [] for uri in cell_uris if uri}
        for finding in findings:
            position = (finding.cell or 1) - 1
            uri = cell_uris[position] if 0 <= position < len(cell_uris) and cell_uris[position] else \
                next((u for u in cell_uris if u), None)
            if uri is not None:
                by_cell[uri].append(finding)
        for uri in self.notebook_cells.get(notebook_uri, []):
            by_cell.setdefault(uri, [])  # a cell removed or fixed since the last lint is cleared
        self.notebook_cells[notebook_uri] = [u for u in cell_uris if u]
        sources = {"notebook": data}
        for uri, cell_findings in by_cell.items():
            self.findings[uri] = cell_findings
            self.notebook_of[uri] = (notebook_uri, sources)
            document = self.workspace.get_text_document(uri)
            diagnostics = [_diagnostic(f, uri, None, document, cell_uris) for f in cell_findings]
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))

    async def lint_later(self, uri: str) -> None:
        generation = self._generation.get(uri, 0) + 1
        self._generation[uri] = generation
        await asyncio.sleep(DEBOUNCE_SECONDS)
        if self._generation.get(uri) == generation:  # no newer edit arrived meanwhile
            notebook = self.workspace.get_notebook_document(notebook_uri=uri)
            await (self.lint_notebook(uri) if notebook is not None else self.lint(uri))


def _path_of(uri: str) -> str:
    """The document's path through pygls' URI helpers (Windows drive letters included); an unsaved
    buffer keeps its would-be name (`untitled:train.py`)."""
    path = uris.to_fs_path(uri)
    if path:
        return path
    return unquote(urlparse(uri).path) or "untitled.py"


def _range(line: int, column: int, end_line: int, end_column: int, document=None) -> types.Range:
    """bnlint's 1-based character columns as LSP positions, in the client's units (UTF-16 code
    units unless negotiated otherwise) when the document's text is at hand."""
    start = types.Position(line=max(line - 1, 0), character=max(column - 1, 0))
    end = types.Position(line=max(end_line - 1, 0), character=max(end_column - 1, 0))
    if document is not None:
        codec, lines = document.position_codec, document.lines
        start, end = codec.position_to_client_units(lines, start), codec.position_to_client_units(lines, end)
    return types.Range(start=start, end=end)


def _diagnostic(finding: Finding, uri: str, root, document=None, cell_uris=None) -> types.Diagnostic:
    rule = registry.by_code().get(finding.code)
    related = []
    for evidence in finding.evidence:
        where = uri if evidence.path is None else _uri_of(evidence.path, root)
        if evidence.path is None and evidence.cell is not None and cell_uris:  # another cell of the notebook
            where = cell_uris[evidence.cell - 1] if 0 < evidence.cell <= len(cell_uris) else None
            if where is None:
                continue
        related.append(types.DiagnosticRelatedInformation(
            location=types.Location(uri=where, range=_range(
                evidence.line, evidence.column, evidence.end_line or evidence.line,
                evidence.end_column or evidence.column + 1, document if evidence.path is None else None)),
            message=evidence.note))
    return types.Diagnostic(
        range=_range(finding.line, finding.column, finding.end_line, finding.end_column, document),
        message=_message(finding),
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Error),
        code=finding.code,
        code_description=types.CodeDescription(href=rule.help_uri()) if rule else None,
        source="bnlint",
        related_information=related or None,
        data={"name": finding.name},
    )


def _message(finding: Finding) -> str:
    """The headline, then why it is a bug and what to do: editors show the first line in lists
    and the whole text on hover."""
    parts = [finding.message]
    if finding.explanation:
        parts.append(finding.explanation)
    if finding.fix_title:
        parts.append(f"Fix: {finding.fix_title}")
    return "\n\n".join(parts)


def _uri_of(path: str, root) -> str:
    """Evidence in another module names it relative to the project root."""
    return uris.from_fs_path(str((Path(root or ".") / path).resolve())) or (Path(root or ".") / path).resolve().as_uri()


def _overlaps(finding: Finding, selection: types.Range) -> bool:
    start = (finding.line - 1, finding.column - 1)
    end = (finding.end_line - 1, finding.end_column - 1)
    return not (end < (selection.start.line, selection.start.character)
                or start > (selection.end.line, selection.end.character))


def build_server() -> BnlintServer:
    server = BnlintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: BnlintServer, params: types.DidOpenTextDocumentParams):
        ls._open.add(params.text_document.uri)
        await ls.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: BnlintServer, params: types.DidChangeTextDocumentParams):
        await ls.lint_later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: BnlintServer, params: types.DidSaveTextDocumentParams):
        ls._generation[params.text_document.uri] = ls._generation.get(params.text_document.uri, 0) + 1
        await ls.lint(params.text_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def notebook_did_open(ls: BnlintServer, params: types.DidOpenNotebookDocumentParams):
        await ls.lint_notebook(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def notebook_did_change(ls: BnlintServer, params: types.DidChangeNotebookDocumentParams):
        await ls.lint_later(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    async def notebook_did_save(ls: BnlintServer, params: types.DidSaveNotebookDocumentParams):
        uri = params.notebook_document.uri
        ls._generation[uri] = ls._generation.get(uri, 0) + 1
        await ls.lint_notebook(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_did_close(ls: BnlintServer, params: types.DidCloseNotebookDocumentParams):
        uri = params.notebook_document.uri
        ls._generation.pop(uri, None)
        for cell_uri in ls.notebook_cells.pop(uri, []):
            ls.findings.pop(cell_uri, None)
            ls.notebook_of.pop(cell_uri, None)
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BnlintServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.findings.pop(uri, None)
        ls._generation.pop(uri, None)
        ls._open.discard(uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: BnlintServer, params: types.CodeActionParams):
        uri = params.text_document.uri
        found = [f for f in ls.findings.get(uri, []) if _overlaps(f, params.range) and not f.code.startswith("BN9")]
        if not found:
            return []
        document = ls.workspace.get_text_document(uri)
        actions = []
        if any(f.fix is not None for f in found):
            from bnlint.fixes import with_edits  # libcst: only when a fix is asked for

            texts: dict = {finding.path: document.source for finding in found}
            if uri in ls.notebook_of:  # a notebook cell: the fix is located in the notebook's program
                from bnlint.source import load_notebook

                texts = {finding.path: load_notebook(ls.notebook_of[uri][1]["notebook"]) for finding in found}
            for finding in with_edits([f for f in found if f.fix is not None], texts):
                if finding.fix is None:
                    continue  # the recipe no longer applies to the buffer
                edits = [types.TextEdit(range=_range(e.line, e.column, e.end_line, e.end_column, document),
                                        new_text=e.content) for e in finding.fix.edits]
                title = finding.fix.title + (" (unsafe)" if finding.fix.applicability == "unsafe" else "")
                actions.append(types.CodeAction(
                    title=f"{finding.code}: {title}", kind=types.CodeActionKind.QuickFix,
                    diagnostics=[_diagnostic(finding, uri, None, document)],
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=finding.fix.applicability == "safe",
                ))
        from bnlint.suppress import add_noqa, physical_lines

        lines = physical_lines(document.source)
        for code in sorted({f.code for f in found}):
            line = next(f.line for f in found if f.code == code)
            new_text, changed = add_noqa(document.source, {line: {code}})
            if not changed:
                continue
            new_lines = physical_lines(new_text)
            # add_noqa changes one line (the last of a continuation): replace that line
            number = next((i for i, (a, b) in enumerate(zip(lines, new_lines)) if a != b), None)
            if number is None:
                continue
            old, new = lines[number], new_lines[number]
            body_old, body_new = old.rstrip("\r\n"), new.rstrip("\r\n")
            edit = types.TextEdit(range=_range(number + 1, 1, number + 1, len(body_old) + 1, document),
                                  new_text=body_new)
            actions.append(types.CodeAction(
                title=f"Ignore {code} on this line", kind=types.CodeActionKind.QuickFix,
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            ))
        return actions

    return server


def serve() -> None:
    build_server().start_io()
