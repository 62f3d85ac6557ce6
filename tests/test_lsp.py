"""`bnlint server` driven over stdio the way an editor drives it: real LSP framing
(Content-Length headers, JSON-RPC), initialize, didOpen, didChange, didSave, shutdown, exit."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra: pip install 'bnlint[lsp]'")

BUGGY = "import tensorflow as tf\n\nbn = tf.keras.layers.BatchNormalization(epsilon=0.0)\n"
FIXED = BUGGY.replace("epsilon=0.0", "epsilon=1e-3")
TIMEOUT = 30


class Client:
    """A minimal LSP client over the server's stdin/stdout."""

    def __init__(self, cwd: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "bnlint", "server"], cwd=cwd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, payload: dict) -> None:
        data = json.dumps({"jsonrpc": "2.0", **payload}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.process.stdin.flush()

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def wait(self, predicate) -> dict:
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            if predicate(message):
                return message

    def diagnostics(self, uri: str) -> list[dict]:
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri)
        return message["params"]["diagnostics"]


@pytest.fixture
def workspace(tmp_path):
    client = Client(tmp_path)
    reply = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    assert reply["result"]["capabilities"]["textDocumentSync"]
    client.notify("initialized", {})
    yield tmp_path, client
    if client.process.poll() is None:
        client.process.kill()


def _open(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                            "text": text}})
    return uri


def test_diagnostics_on_open_change_and_save_then_a_clean_shutdown(workspace):
    root, client = workspace
    path = root / "model.py"
    path.write_text(BUGGY, encoding="utf-8")
    uri = _open(client, path, BUGGY)
    (diagnostic,) = client.diagnostics(uri)
    assert diagnostic["code"] == "BN001"
    assert diagnostic["source"] == "bnlint"
    assert diagnostic["severity"] == 1  # Error
    assert diagnostic["range"] == {"start": {"line": 2, "character": 48}, "end": {"line": 2, "character": 51}}
    assert diagnostic["codeDescription"]["href"].endswith("docs/rules.md#bn001-non-positive-epsilon")
    headline, explanation, fix_title = diagnostic["message"].split("\n\n")
    assert headline == "BatchNormalization gets epsilon=0; epsilon must be > 0"
    assert "inf or NaN" in explanation
    assert fix_title == "Fix: Set epsilon=0.001 (Keras's default)"
    assert [(r["message"], r["location"]["range"]["start"]["line"]) for r in diagnostic["relatedInformation"]] == [
        ("BatchNormalization built here", 2)]

    # the buffer is linted, not the file on disk (which still has the bug)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": FIXED}]})
    assert client.diagnostics(uri) == []

    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": BUGGY}]})
    assert [d["code"] for d in client.diagnostics(uri)] == ["BN001"]
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert [d["code"] for d in client.diagnostics(uri)] == ["BN001"]

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 60}},
        "context": {"diagnostics": []}})
    titles = [a["title"] for a in actions["result"]]
    assert titles == ["BN001: Set epsilon=0.001 (Keras's default) (unsafe)", "Ignore BN001 on this line"]
    quick_fix, ignore = actions["result"]
    assert quick_fix["edit"]["changes"][uri] == [
        {"range": {"start": {"line": 2, "character": 48}, "end": {"line": 2, "character": 51}}, "newText": "0.001"}]
    assert ignore["edit"]["changes"][uri] == [
        {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 52}},
         "newText": "bn = tf.keras.layers.BatchNormalization(epsilon=0.0)  # noqa: BN001"}]

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []
    assert client.request("shutdown", None)["result"] is None
    client.notify("exit", None)
    assert client.process.wait(timeout=TIMEOUT) == 0


def test_the_projects_configuration_applies(workspace):
    root, client = workspace
    (root / "pyproject.toml").write_text('[tool.bnlint]\nignore = ["BN001"]\n', encoding="utf-8")
    uri = _open(client, root / "model.py", BUGGY)
    assert client.diagnostics(uri) == []


def test_evidence_in_another_module_is_related_information(workspace):
    root, client = workspace
    (root / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    (root / "models.py").write_text(
        "import tensorflow as tf\n\n\ndef build():\n"
        "    return tf.keras.Sequential([tf.keras.layers.Dense(4, use_bias=False), tf.keras.layers.BatchNormalization()])\n",
        encoding="utf-8")
    text = ("import tensorflow as tf\nfrom models import build\n\nmodel = build()\n"
            "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(model(tf.ones((2, 4))))\n"
            "grads = tape.gradient(loss, model.trainable_variables)\n")
    uri = _open(client, root / "train.py", text)
    (diagnostic,) = client.diagnostics(uri)
    assert diagnostic["code"] == "BN002"
    places = {(r["location"]["uri"], r["location"]["range"]["start"]["line"]) for r in diagnostic["relatedInformation"]}
    assert ((root / "models.py").resolve().as_uri(), 4) in places


def test_a_document_over_max_file_size_is_skipped_and_the_server_keeps_answering(workspace):
    """Issue 8: a huge buffer is reported as skipped (BN905) instead of blocking the server, and
    requests are answered while documents are being linted (linting runs off the loop)."""
    root, client = workspace
    (root / "pyproject.toml").write_text("[tool.bnlint]\nmax-file-size = 2000\n", encoding="utf-8")
    big = BUGGY + "# generated\n" * 400
    big_uri = _open(client, root / "generated.py", big)
    small_uri = _open(client, root / "model.py", BUGGY)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": small_uri}, "range": {"start": {"line": 0, "character": 0},
                                                      "end": {"line": 0, "character": 1}},
        "context": {"diagnostics": []}})
    assert "result" in actions
    seen = {}
    while len(seen) < 2:
        message = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        seen[message["params"]["uri"]] = [d["code"] for d in message["params"]["diagnostics"]]
    assert seen[big_uri] == ["BN905"]
    assert seen[small_uri] == ["BN001"]


def test_columns_after_non_ascii_text_are_utf16_and_excluded_files_get_nothing(workspace):
    """Issue 10: LSP positions count UTF-16 code units (an emoji is two), and a file that
    `bnlint check` excludes gets no diagnostics in the editor either."""
    root, client = workspace
    (root / "pyproject.toml").write_text('[tool.bnlint]\nextend-exclude = ["generated"]\n', encoding="utf-8")
    text = 'import tensorflow as tf\n\nnote = "😀"; bn = tf.keras.layers.BatchNormalization(epsilon=0.0)\n'
    uri = _open(client, root / "model.py", text)
    (diagnostic,) = client.diagnostics(uri)
    # "epsilon=0.0": the value starts at character 61 (code points) = 62 UTF-16 units
    assert diagnostic["range"]["start"] == {"line": 2, "character": text.splitlines()[2].index("0.0") + 1}
    (root / "generated").mkdir()
    excluded = _open(client, root / "generated" / "model.py", text)
    assert client.diagnostics(excluded) == []


BN003_STEP = """import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(8, use_bias=False), tf.keras.layers.BatchNormalization()])
optimizer = tf.keras.optimizers.SGD(0.1)


def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x, training=True))  # é
    grads = tape.gradient(loss, model.variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


def test_the_quick_fix_for_bn003_is_a_workspace_edit_the_editor_can_apply(workspace):
    """Issue 9's done-when: the language server offers a quick fix with an edit for BN003."""
    root, client = workspace
    uri = _open(client, root / "step.py", BN003_STEP)
    (diagnostic,) = client.diagnostics(uri)
    assert diagnostic["code"] == "BN003"
    line = diagnostic["range"]["start"]["line"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}})
    fixes = [a for a in actions["result"] if a["title"].startswith("BN003")]
    assert [a["title"] for a in fixes] == ["BN003: Use `model.trainable_variables`"]
    assert fixes[0]["isPreferred"] is True and fixes[0]["kind"] == "quickfix"
    (edit,) = fixes[0]["edit"]["changes"][uri]
    lines = BN003_STEP.splitlines(keepends=True)
    start, end = edit["range"]["start"], edit["range"]["end"]
    assert start["line"] == end["line"] == line
    lines[line] = lines[line][:start["character"]] + edit["newText"] + lines[line][end["character"]:]
    assert "    grads = tape.gradient(loss, model.trainable_variables)\n" in lines
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": "".join(lines)}]})
    assert client.diagnostics(uri) == []


def test_a_notebook_opened_as_a_notebook_document_gets_diagnostics_on_its_cells(workspace):
    """Issue 10: an .ipynb opened in the editor (notebookDocument/didOpen, as VS Code sends it) is
    linted as one program; each finding lands on its cell, evidence in another cell points there."""
    root, client = workspace
    notebook_uri = (root / "train.ipynb").as_uri()
    cells = ["%matplotlib inline\nimport tensorflow as tf\n",
             "model = tf.keras.Sequential([tf.keras.layers.Dense(8, use_bias=False),\n"
             "                             tf.keras.layers.BatchNormalization()])\n",
             "with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(x))\n"
             "grads = tape.gradient(loss, model.trainable_variables)\n"]
    cell_uris = [f"vscode-notebook-cell:{root / 'train.ipynb'}#W{i}sZmlsZQ%3D%3D" for i in range(len(cells))]
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": notebook_uri, "notebookType": "jupyter-notebook", "version": 1,
                             "cells": [{"kind": 2, "document": u} for u in cell_uris]},
        "cellTextDocuments": [{"uri": u, "languageId": "python", "version": 1, "text": t}
                              for u, t in zip(cell_uris, cells)]})
    published = {}
    while len(published) < len(cells):
        message = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        published[message["params"]["uri"]] = message["params"]["diagnostics"]
    assert published[cell_uris[0]] == [] and published[cell_uris[1]] == []
    (diagnostic,) = published[cell_uris[2]]
    assert diagnostic["code"] == "BN002"
    assert diagnostic["range"]["start"] == {"line": 1, "character": 26}
    assert cell_uris[1] in {r["location"]["uri"] for r in diagnostic["relatedInformation"]}
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": cell_uris[2]}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}})
    quick_fix = next(a for a in actions["result"] if a["title"].startswith("BN002"))
    (edit,) = quick_fix["edit"]["changes"][cell_uris[2]]
    assert edit["range"]["start"]["line"] == 1 and edit["newText"] == "model(x, training=True)"
    client.notify("notebookDocument/didClose", {"notebookDocument": {"uri": notebook_uri},
                                                "cellTextDocuments": [{"uri": u} for u in cell_uris]})
    cleared = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == cell_uris[2])
    assert cleared["params"]["diagnostics"] == []
