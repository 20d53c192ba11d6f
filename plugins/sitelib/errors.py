"""The error every content check raises: it names the file and the line, says
what is wrong and how to fix it, in the language of the file (``i18n``)."""

from __future__ import annotations

import os
from typing import Any

from .i18n import Message, _, language_of, say


class ContentError(Exception):
    """Bad content: says where, what is wrong, and how to fix it.

    ``problem`` and ``fix`` are messages written in English and marked with
    ``_()``, with ``{name}`` placeholders filled from ``params``; the error is
    said in the language of the file (``str(error)``), or in any with ``said``.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        line: int | None,
        problem: str | Message,
        fix: str | Message,
        /,
        **params: Any,
    ) -> None:
        self.path = os.fspath(path)
        self.line = line
        self.messages = tuple(
            Message(text, **params) if isinstance(text, str) else text for text in (problem, fix)
        )
        self.lang = language_of(self.path)
        # what is wrong and how to fix it, in the file's language
        self.problem, self.fix = (say(message, self.lang) for message in self.messages)
        super().__init__(str(self))

    def said(self, lang: str) -> str:
        """The whole message in ``lang``."""
        where = display_path(self.path)
        if self.line:
            where = f"{where}:{self.line}"
        problem, fix = (say(message, lang) for message in self.messages)
        return f"{where}: {problem}\n  " + Message(_("How to fix: {fix}"), fix=fix).said(lang)

    def __str__(self) -> str:
        return self.said(self.lang)


def display_path(path: str | os.PathLike) -> str:
    """The path relative to the working directory when it lies inside it."""
    path = os.fspath(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
