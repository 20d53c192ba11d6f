"""The error every content check raises: it names the file and the line, says
what is wrong and how to fix it."""

from __future__ import annotations

import os


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
