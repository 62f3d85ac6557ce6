"""What a rule reports. Reporters see only these objects."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SEVERITY_NAMES = {"E": "error", "W": "warning", "I": "info"}
HEADLINE_LIMIT = 100  # characters: what flake8, GitHub annotations and editors show on one line


@dataclass(frozen=True)
class Edit:
    """Replace the text between two positions (1-based lines and columns, end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Span:
    """A node's place in the linted program (for a notebook: the cells joined), 1-based lines
    and character columns, end exclusive. Fixes are located by it."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Fix:
    """A libcst transformation (`recipe`, see bnlint.fixes) of the node at `target`, with its
    arguments. `edits` are filled in by bnlint.fixes when a fix is shown or applied: only that
    path parses with libcst."""

    applicability: str  # "safe" | "unsafe"
    title: str
    recipe: str
    target: Span
    arguments: tuple[tuple[str, str], ...] = ()
    edits: tuple[Edit, ...] = ()

    def argument(self, name: str, default: str = "") -> str:
        return dict(self.arguments).get(name, default)


@dataclass(frozen=True)
class Evidence:
    """A place that supports a finding, with its label: 'BatchNormalization built here'."""

    note: str
    line: int
    column: int = 1
    path: str | None = None  # None: the finding's own file
    cell: int | None = None  # in a notebook: the cell, when it is not the finding's own
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str  # E, W or I
    message: str  # the headline: what is wrong, one line, at most HEADLINE_LIMIT characters
    path: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    cell: int | None = None  # notebooks: 1-based index of the cell; line is then cell-relative
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    fix: Fix | None = None
    explanation: str = ""  # why it is a bug: what goes wrong at run time
    fix_title: str = ""  # what to do, imperative: "Pass `training=True`"

    def with_path(self, path: str) -> "Finding":
        return replace(self, path=path)

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity, "error")

    def sort_key(self):
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    def to_dict(self) -> dict:
        fix = None
        if self.fix is not None:
            fix = {
                "applicability": self.fix.applicability,
                "title": self.fix.title,
                "edits": [
                    {
                        "line": e.line,
                        "column": e.column,
                        "end_line": e.end_line,
                        "end_column": e.end_column,
                        "content": e.content,
                    }
                    for e in self.fix.edits
                ],
            }
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "cell": self.cell,
            "fix": fix,
            "explanation": self.explanation,
            "fix_title": self.fix_title,
            "evidence": [
                {"note": e.note, "path": e.path or self.path, "line": e.line, "column": e.column,
                 "end_line": e.end_line, "end_column": e.end_column,
                 "cell": e.cell if e.cell is not None else (self.cell if e.path is None else None)}
                for e in self.evidence
            ],
        }
