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


def header_line(lines: Iterable[str], name: str) -> int | None:
    """The 1-based line of the field ``name`` among a file's ``lines``."""
    pattern = re.compile(rf"^{re.escape(name)}\s*:", re.IGNORECASE)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return None  # the metadata block ends at the first blank line
        if pattern.match(line):
            return number
    return None
