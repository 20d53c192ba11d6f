"""Reading a content file's source: its header fields and the line of a term.

The project's one header parser: the plugins' checks and the staff tools
(``tools/``) read a header here, the same way. The header ends where
Markdown's meta extension ends it (a blank line, or a line that is no
``Name:`` field and no continuation).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from .headers import english_name, english_status


def metadata_line(path: str | os.PathLike, name: str) -> int | None:
    """The 1-based line of the metadata field ``name`` in a Markdown file."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return header_line(handle, name)
    except OSError:
        return None


FIELD = re.compile(r"^(?P<name>[^\W\d_][\w-]*)\s*:(?P<value>.*)$")


def parse_header(lines: str | Iterable[str]) -> tuple[list[tuple[int, str, str]], int]:
    """The ``(line, name, value)`` of each header field of a Markdown file (its
    text, or its lines), and the index of the first line after the header. A
    continuation line (indented) adds to the field above it, after a space."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    fields: list[tuple[int, str, str]] = []
    index = -1
    for index, line in enumerate(lines):
        line = line.rstrip("\r\n")
        if not line.strip():
            return fields, index + 1  # a blank line ends the header
        match = FIELD.match(line)
        if match:
            fields.append((index + 1, match["name"], match["value"].strip()))
        elif line[:1].isspace() and fields:  # a continuation of the field above
            number, name, value = fields[-1]
            fields[-1] = (number, name, f"{value} {line.strip()}".strip())
        elif not line[:1].isspace():  # not a continuation: the header has ended
            return fields, index
    return fields, index + 1


def header_lines(lines: str | Iterable[str]) -> tuple[list[tuple[int, str]], int]:
    """The ``(line, name)`` of each header field of a Markdown file (its text,
    or its lines), and the index of the first line after the header."""
    fields, end = parse_header(lines)
    return [(number, name) for number, name, _value in fields], end


def header_fields(lines: str | Iterable[str]) -> dict[str, str]:
    """A Markdown file's header fields (from its text, or its lines): name,
    lowercased and in English (``Nøkkel:`` is ``key``, ``Status: utkast`` is
    ``draft``, as the build reads them), -> value. Where a name comes twice, the
    first counts, as it does for Pelican's single-valued fields (title, status, date)."""
    fields: dict[str, str] = {}
    for _number, name, value in parse_header(lines)[0]:
        name = english_name(name)
        fields.setdefault(name, english_status(value) if name == "status" else value)
    return fields


def read_header(path: str | os.PathLike) -> dict[str, str]:
    """The header fields of the Markdown file ``path`` (see ``header_fields``)."""
    with open(path, encoding="utf-8-sig") as handle:
        return header_fields(handle)


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
