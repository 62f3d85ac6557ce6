"""What a rule reports. Reporters see only these objects."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SEVERITY_NAMES = {"E": "error", "W": "warning", "I": "info"}


@dataclass(frozen=True)
class Edit:
    """Replace the text between two positions (1-based lines and columns, end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: str  # "safe" | "unsafe"
    edits: tuple[Edit, ...]
    title: str = ""


@dataclass(frozen=True)
class Evidence:
    """A place that supports a finding: 'BatchNormalization built here'."""

    note: str
    line: int
    column: int = 1
    path: str | None = None  # None: the finding's own file
    cell: int | None = None  # in a notebook: the cell, when it is not the finding's own


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str  # E, W or I
    message: str
    path: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    cell: int | None = None  # notebooks: 1-based index of the code cell; line is then cell-relative
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    fix: Fix | None = None

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
        }
