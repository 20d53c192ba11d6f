"""The error every content check raises: it names the file and the line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable


class ContentError(Exception):
    """Bad content: says where, what is wrong, and how to fix it."""

    def __init__(self, path: str | os.PathLike, line: int | None, problem: str, fix: str) -> None:
        self.path = os.fspath(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.problem}\n  How to fix: {self.fix}"


def display_path(path: str | os.PathLike) -> str:
    """The path relative to the working directory when it lies inside it."""
    path = os.fspath(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def metadata_line(path: str | os.PathLike, name: str) -> int | None:
    """The 1-based line of the metadata field ``name`` in a Markdown file."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return header_line(handle, name)
    except OSError:
        return None


FIELD = re.compile(r"^(?P<name>[A-Za-z][\w-]*)\s*:")


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
    """The 1-based line of the header field ``name`` (in any case), or None."""
    name = name.lower()
    return next((number for number, field in header_lines(lines)[0] if field.lower() == name), None)
