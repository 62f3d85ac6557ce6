"""BN9xx: what bnlint reports about the files themselves, as findings rather than crashes."""

from __future__ import annotations

from bnlint.rule import Rule


class ToolDiagnostic(Rule):
    """Base for the engine's own codes; they have no check of their own."""

    def check(self, model):  # pragma: no cover - the engine reports these itself
        return ()


class SyntaxErrorInFile(ToolDiagnostic):
    """
    ## What it does
    Reports a file that a rule needed to read but that does not parse as Python (for the
    Python version bnlint runs on).

    ## Why is this bad?
    bnlint cannot check what it cannot parse, so the file's batch-normalization mistakes go
    unreported. A file that no rule's prefilter selects is never parsed, so its syntax errors
    are left to flake8 (E999) or your interpreter.

    ## Example
    ```python
    model.fit(x, y, batch_size=32   # missing parenthesis
    ```

    ## Fix
    Fix the syntax error; the position reported is the parser's.

    ## Framework versions
    Any.

    ## References
    - https://docs.python.org/3/library/ast.html#ast.parse
    """

    code = "BN901"
    name = "syntax-error"
    severity = "E"
    summary = "the file does not parse as Python"


class UnreadableFile(ToolDiagnostic):
    """
    ## What it does
    Reports a path that cannot be read, or whose bytes cannot be decoded with the encoding it
    declares (a PEP 263 coding cookie or a UTF-8 BOM; UTF-8 otherwise).

    ## Why is this bad?
    bnlint cannot check what it cannot read; the run goes on with the other files.

    ## Example
    A Latin-1 file with no `# -*- coding: latin-1 -*-` line, or a file without read permission.

    ## Fix
    Save the file as UTF-8, or declare its encoding on its first or second line.

    ## Framework versions
    Any.

    ## References
    - https://peps.python.org/pep-0263/
    """

    code = "BN902"
    name = "unreadable-file"
    severity = "E"
    summary = "the file cannot be read or decoded"


class InvalidNotebook(ToolDiagnostic):
    """
    ## What it does
    Reports a `.ipynb` file that is not valid JSON or not an nbformat 4 notebook.

    ## Why is this bad?
    bnlint lints a notebook's code cells as one program; it cannot find them in a broken file.

    ## Example
    A notebook truncated by a crashed save, or an nbformat 3 file.

    ## Fix
    Repair the JSON, or upgrade the notebook with `jupyter nbconvert --to notebook --nbformat 4`.

    ## Framework versions
    Any.

    ## References
    - https://nbformat.readthedocs.io/en/latest/format_description.html
    """

    code = "BN903"
    name = "invalid-notebook"
    severity = "E"
    summary = "the notebook is not valid nbformat 4 JSON"


class AnalysisFailed(ToolDiagnostic):
    """
    ## What it does
    Reports a file that a rule, or an analysis it relies on, could not finish: code nested
    deeper than bnlint's bounded walks allow, or a bug in bnlint. The rule's other findings in
    the file, and every other rule's, are still reported, and the run goes on.

    ## Why is this bad?
    A linter that gives up silently looks like a linter that found nothing. This finding says
    which rule could not look at the file, and why, so that nothing passes unnoticed.

    ## Example
    A generated module with one expression of thousands of chained operators.

    ## Fix
    If the code is ordinary, this is a bug in bnlint: please report it with the file
    (https://github.com/bnlint/bnlint/issues). Otherwise exclude the generated file.

    ## Framework versions
    Any.

    ## References
    - https://docs.python.org/3/library/exceptions.html#RecursionError
    """

    code = "BN904"
    name = "analysis-failed"
    severity = "E"
    summary = "a rule could not finish analysing the file"


class FileTooLarge(ToolDiagnostic):
    """
    ## What it does
    Reports a file larger than `max-file-size` (default 4,000,000 bytes) as skipped: it is not
    parsed.

    ## Why is this bad?
    Python's `ast` takes about 190 bytes of memory per byte of source; a 52 MB generated module
    needs almost 10 GB. Skipping it keeps a run (and an editor) responsive, and saying so keeps
    the skip from looking like a clean file.

    ## Example
    A generated protobuf module, or a notebook with megabytes of embedded outputs in its code.

    ## Fix
    Exclude generated files (`extend-exclude`), or raise `max-file-size` in `[tool.bnlint]`.

    ## Framework versions
    Any.

    ## References
    - https://docs.python.org/3/library/ast.html
    """

    code = "BN905"
    name = "file-too-large"
    severity = "E"
    summary = "the file is over max-file-size and was not checked"


TOOL_DIAGNOSTICS: tuple[type[Rule], ...] = (SyntaxErrorInFile, UnreadableFile, InvalidNotebook, AnalysisFailed,
                                            FileTooLarge)
