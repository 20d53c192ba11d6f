"""Add a milestone to the timeline, with its untranslated stub in the other language.

The milestone goes into the timeline page of its language (the page with
``Template: timeline`` in ``content/pages/<lang>/``), before the first
milestone of a later year, so the file stays in order. Every other language
gets the same heading, ``Id:`` and ``Themes:`` plus the line
``Translation_status: untranslated``: the build leaves such a stub out of its
language until it is translated and the line removed (see docs/timeline.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pelicanconf  # noqa: F401, I001 - its one line puts plugins/ (the timeline parser) on sys.path
from timeline.parser import (  # noqa: E402
    FENCE,
    HEADING,
    WHEN,
    Timeline,
    TimelineError,
    parse_timeline,
    parse_when,
)

from .scaffold import UNTRANSLATED, slugify
from .translations import read_header, shown

FULL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
PERIOD_LINE = re.compile(r"^type\s*:\s*period\s*$", re.IGNORECASE)
TEMPLATE = "timeline"


def timeline_pages(content: Path, languages: Iterable[str]) -> dict[str, Path]:
    """language -> its timeline page (the page whose header says ``Template: timeline``)."""
    found = {}
    for lang in languages:
        for path in sorted((content / "pages" / lang).glob("*.md")):
            if read_header(path).get("template") == TEMPLATE:
                found[lang] = path
                break
    return found


def normalise_when(text: str) -> tuple[str, int]:
    """The heading's year (``2024``) or range (``2006–2010``), and its first year.

    A full date (``2024-03-05``) or a month (``2024-03``) gives its year: a
    milestone shows years only. ``2006-10`` is a month too here; write a range
    with an en dash (``2006–2010``) or with four digits on both sides.
    """
    text = text.strip()
    if FULL_DATE.match(text):
        try:
            dt.date.fromisoformat(text if text.count("-") == 2 else f"{text}-01")
        except ValueError:
            raise ValueError(f"{text!r} is not a date; write a year such as 2024.") from None
        year = int(text[:4])
        return str(year), year
    if not WHEN.match(text):
        raise ValueError(
            f"{text!r} is not a year: write four digits (2024), a date (2024-03-05) "
            "or a range (2006–2010)."
        )
    try:
        start, end = parse_when(text, "--date", 0)
    except TimelineError as error:
        raise ValueError(f"{text!r}: {error.problem}") from None
    return (f"{start}–{end}" if end else str(start)), start


def parse_themes(text: str | Iterable[str], known: Iterable[str]) -> list[str]:
    """Theme ids from ``bsb, research`` (or a list); ValueError names an unknown one."""
    items = text.split(",") if isinstance(text, str) else list(text)
    themes = list(dict.fromkeys(t.strip() for t in items if t.strip()))
    known = list(known)
    for theme in themes:
        if theme not in known:
            raise ValueError(f"Unknown theme {theme!r}: use one of {', '.join(known)}.")
    return themes


@dataclass
class Change:
    path: Path
    text: str  # the whole new file
    line: int  # the line of the new heading


def _section(heading: str, ident: str | None, themes: list[str], extra: list[str], body: str):
    lines = [heading]
    if ident:
        lines.append(f"Id: {ident}")
    if themes:
        lines.append(f"Themes: {', '.join(themes)}")
    return "\n".join(lines + extra) + f"\n\n{body}\n"


def _is_period(lines: list[str], heading: int) -> bool:
    """Whether the section whose heading is ``lines[heading]`` has ``Type: period``."""
    for line in lines[heading + 1 :]:
        if not line.strip():
            return False
        if PERIOD_LINE.match(line):
            return True
    return False


def insert_section(text: str, section: str, year: int) -> tuple[str, int]:
    """``text`` with ``section`` before the first milestone of a later year (or at
    the end); periods (``Type: period``) are passed over."""
    lines = text.split("\n")
    in_fence = False
    at = None
    for index, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading and not _is_period(lines, index):
            when = heading["text"].partition(":")[0].strip()
            match = WHEN.match(when)
            if match and int(match["start"]) > year:
                at = index
                break
    section_lines = section.rstrip("\n").split("\n") + [""]
    if at is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", *section_lines]
        return "\n".join(lines), len(lines) - len(section_lines) + 1
    new = lines[:at] + section_lines + lines[at:]
    return "\n".join(new), at + 1


def plan(
    content: Path,
    title: str,
    when: str,
    lang: str,
    languages: list[str],
    themes: list[str],
    known_themes: Iterable[str],
) -> list[Change]:
    """The new text of each timeline page; raises ValueError when something is wrong."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("The milestone needs a title.")
    if lang not in languages:
        raise ValueError(f"Unknown language {lang!r}: use one of {', '.join(languages)}.")
    label, year = normalise_when(when)
    known_themes = list(known_themes)
    themes = parse_themes(themes, known_themes)
    pages = timeline_pages(content, languages)
    for other in languages:
        if other not in pages:
            folder = content / "pages" / other
            raise ValueError(f"No timeline page (Template: timeline) in {folder}.")

    timelines: dict[str, Timeline] = {}
    for other, path in pages.items():
        text = path.read_text(encoding="utf-8-sig")
        try:
            timelines[other] = parse_timeline(text, str(path), other, known_themes)
        except TimelineError as error:
            raise ValueError(f"Fix the timeline first:\n{error}") from None
    default_id = label.replace("–", "-")
    ident = None
    if any(t.get(default_id) for t in timelines.values()):
        ident = f"{default_id}-{slugify(title)}"[:60].rstrip("-")
        if any(t.get(ident) for t in timelines.values()):
            raise ValueError(f"A milestone with the id {ident!r} exists already.")

    heading = f"## {label}: {title}"
    changes = []
    for other in languages:
        if other == lang:
            section = _section(heading, ident, themes, [], "Write the text here.")
        else:
            section = _section(
                heading,
                ident,
                themes,
                [f"Translation_status: {UNTRANSLATED}"],
                f"Translate the {lang} milestone “{title}” into {other}, then remove the "
                "Translation_status line.",
            )
        path = pages[other]
        text, line = insert_section(path.read_text(encoding="utf-8-sig"), section, year)
        changes.append(Change(path, text, line))
    return changes


def write(changes: list[Change]) -> None:
    for change in changes:
        change.path.write_text(change.text, encoding="utf-8")


# The translation report ---------------------------------------------------------


def line_times(path: Path) -> list[int] | None:
    """The commit time (Unix) of each line of ``path`` by ``git blame``; None when unknown."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "blame", "--line-porcelain", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [int(line.split()[1]) for line in out.splitlines() if line.startswith("committer-time ")]


def section_times(timeline: Timeline, times: list[int] | None) -> dict[str, int]:
    """milestone id -> the time its section (heading to the next heading) last changed."""
    if not times:
        return {}
    starts = sorted((m.line, m.id) for m in timeline.milestones)
    result = {}
    for index, (line, ident) in enumerate(starts):
        end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(times)
        section = times[line - 1 : end]
        if section:
            result[ident] = max(section)
    return result


def milestone_problems(
    content: Path,
    languages: list[str],
    default: str,
    known_themes: Iterable[str],
    root: Path | None = None,
) -> list[str]:
    """One line per milestone that lacks its other language, is a stub, or is outdated.

    A translation is outdated when its section was last committed before the
    section of the same milestone in ``default`` (by ``git blame``).
    """
    root = root or content.parent
    known_themes = list(known_themes)
    pages = timeline_pages(content, languages)
    problems = []
    timelines: dict[str, Timeline] = {}
    for lang, path in pages.items():
        try:
            timelines[lang] = parse_timeline(
                path.read_text(encoding="utf-8-sig"), str(path), lang, known_themes
            )
        except TimelineError as error:
            where = shown(path, root, error.line)
            problems.append(f"{where}: cannot read the timeline: {error.problem}")
    if not timelines:
        return problems
    times = {lang: section_times(t, line_times(pages[lang])) for lang, t in timelines.items()}
    source = timelines.get(default)
    for lang, timeline in timelines.items():
        path = pages[lang]
        for milestone in timeline.milestones:
            where = shown(path, root, milestone.line)
            name = f"milestone {milestone.id!r} ({milestone.label}: {milestone.title})"
            if milestone.untranslated:
                problems.append(f"{where}: {name} is marked untranslated")
            for other in languages:
                if other != lang and other in timelines and not timelines[other].get(milestone.id):
                    problems.append(f"{where}: {name} has no {other} version")
            if lang == default or source is None or milestone.untranslated:
                continue
            original = source.get(milestone.id)
            if original is None or original.untranslated:
                continue
            mine, theirs = times[lang].get(milestone.id), times[default].get(milestone.id)
            if mine is not None and theirs is not None and mine < theirs:
                problems.append(
                    f"{where}: {name} is older than its {default} source "
                    f"{shown(pages[default], root, original.line)} (changed since)"
                )
    return problems
