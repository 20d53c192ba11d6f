"""Reading a content file's source: its header fields and the line of a term.

Every check that names a line finds it here, the same way: the header ends
where Markdown's meta extension ends it (a blank line, or a line that is no
``Name:`` field and no continuation).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from .headers import english_name


def metadata_line(path: str | os.PathLike, name: str) -> int | None:
    """The 1-based line of the metadata field ``name`` in a Markdown file."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return header_line(handle, name)
    except OSError:
        return None


FIELD = re.compile(r"^(?P<name>[^\W\d_][\w-]*)\s*:")


def header_lines(lines: str | Iterable[str]) -> tuple[list[tuple[int, str]], int]:
    """The ``(line, name)`` of each header field of a Markdown file (its text,
    or its lines), and the index of the first line after the header."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    fields = []
    index = -1
    for index, line in enumerate(lines):
        if not line.strip():
            return fields, index + 1  # a blank line ends the header
        match = FIELD.match(line)
        if match:
            fields.append((index + 1, match["name"]))
        elif not line[:1].isspace():  # not a continuation: the header has ended
            return fields, index
    return fields, index + 1


def header_line(lines: str | Iterable[str], name: str) -> int | None:
    """The 1-based line of the header field ``name`` (in any case, by its English
    name or its Norwegian one: ``headers.FIELD_ALIASES``), or None."""
    name = english_name(name)
    return next(
        (number for number, field in header_lines(lines)[0] if english_name(field) == name), None
    )


def line_of(path: str | os.PathLike, *terms: str) -> int | None:
    """The 1-based line of the first of ``terms`` (tried in order, any case)
    that occurs in the file ``path``; None when none does or the file is unreadable."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, ValueError):
        return None
    for term in terms:
        if not term:
            continue
        term = term.lower()
        for number, line in enumerate(lines, start=1):
            if term in line.lower():
                return number
    return None
