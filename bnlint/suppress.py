"""`# noqa` comments (flake8's syntax) and `# bnlint: skip-file`."""

from __future__ import annotations

import re

# flake8's own pattern (flake8/defaults.py NOQA_INLINE_REGEX), so both tools read a comment alike.
NOQA = re.compile(
    r"# noqa"
    r"(?::[\s]?(?P<codes>([A-Z][0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z][0-9]+", re.IGNORECASE)
SKIP_FILE = re.compile(r"#\s*bnlint:\s*skip-file\b")
SKIP_FILE_LINES = 20  # "anywhere in the first lines"


def skips_file(text: str) -> bool:
    head = text[:4096]
    if "bnlint" not in head:
        return False
    return any(SKIP_FILE.search(line) for line in head.splitlines()[:SKIP_FILE_LINES])


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
    return {c.upper() for c in _CODE.findall(codes)}


def is_suppressed(code: str, line: str) -> bool:
    codes = noqa_codes(line)
    if codes is None:
        return False
    return not codes or code in codes
