"""What the staff commands print in GitHub Actions: annotations on a file's line,
and a summary on the run's page."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass


def github_annotation(level: str, message: str, path: str = "", line: int | None = None) -> str:
    """A GitHub Actions workflow command that shows ``message`` on ``path``:``line``
    (``level``: error, warning or notice)."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    props = []
    if path:
        props.append(f"file={prop(path)}")
        if line:
            props.append(f"line={line}")
    return f"::{level}{' ' + ','.join(props) if props else ''}::{data(message)}"


def step_summary(markdown: str) -> None:
    """Add ``markdown`` to the summary on the run's page (GitHub Actions), if there is one."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(markdown.rstrip("\n") + "\n\n")


# `path:line: what is wrong` as ContentError and the build print it; further
# lines ("How to fix: ...") belong to it.
LOCATED = re.compile(
    r"^(?P<path>[\w./-][^\s:]*\.(?:md|html|rst|txt|py|po|json|css|js|svg|png|jpe?g|webp))"
    r"(?::(?P<line>\d+))?: (?P<message>.+)$"
)


@dataclass
class Located:
    path: str
    line: int | None
    message: str

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.path and self.line else self.path or "–"


def located_problems(text: str) -> list[Located]:
    """The problems in a failed build's message, each with its file and line where it
    names them, each once; what names no file is one problem of its own, kept only
    when no problem names a file."""
    problems: list[Located] = []
    loose: list[str] = []
    current: Located | None = None
    for line in text.splitlines():
        match = LOCATED.match(line.strip())
        if match:
            number = int(match["line"]) if match["line"] else None
            current = Located(match["path"], number, match["message"].strip())
            problems.append(current)
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            current.message += "\n" + line.strip()
        elif line.strip():
            current = None
            loose.append(line.strip())
    unique = list({(p.path, p.line, p.message): p for p in problems}.values())
    if not unique and loose:
        unique.append(Located("", None, "\n".join(loose)))
    return unique
