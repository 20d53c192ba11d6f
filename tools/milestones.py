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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sitelib.source import read_header
from timeline.parser import (  # tools/__init__.py puts plugins/ on the import path
    FENCE,
    HEADING,
    WHEN,
    Timeline,
    TimelineError,
    parse_timeline,
    parse_when,
)

from .i18n import Refusal, Speaker, _, folded
from .scaffold import LANGUAGE_NAMES, UNTRANSLATED, placeholder, slugify
from .translations import OUTDATED_FIX, Problem, fingerprint, read_checked, shown

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
            raise Refusal(
                _("“{text}” is not a date; write a year such as 2024."), text=text
            ) from None
        year = int(text[:4])
        return str(year), year
    if not WHEN.match(text):
        raise Refusal(
            _(
                "“{text}” is not a year: write four digits (2024), a date (2024-03-05) "
                "or a range (2006–2010)."
            ),
            text=text,
        )
    try:
        start, end = parse_when(text, "--date", 0)
    except TimelineError as error:
        raise Refusal(_("“{text}”: {problem}"), text=text, problem=error.problem) from None
    return (f"{start}–{end}" if end else str(start)), start


def parse_themes(
    text: str | Iterable[str], known: Iterable[str] | Mapping[str, Mapping[str, str]], lang="en"
) -> list[str]:
    """Theme ids from ``bsb, research`` (or a list); ValueError names an unknown one.

    With ``known`` as ``TIMELINE_THEMES`` (id -> language -> name), a theme's name
    in any language is understood too, whatever its case and accents
    (``erfaringskonsulenter``, ``Bruker spor bruker``)."""
    items = text.split(",") if isinstance(text, str) else list(text)
    names = {folded(ident): ident for ident in known}
    if isinstance(known, Mapping):
        for ident, by_lang in known.items():
            names.update({folded(name): ident for name in by_lang.values()})
    themes = []
    for item in (t.strip() for t in items):
        if not item:
            continue
        ident = names.get(folded(item))
        if ident is None:
            raise Refusal(
                _("Unknown theme “{theme}”: use one of {themes}."),
                theme=item,
                themes=theme_list(known, lang),
            )
        if ident not in themes:
            themes.append(ident)
    return themes


def theme_list(known: Iterable[str] | Mapping[str, Mapping[str, str]], lang: str) -> str:
    """The themes as staff choose them: ``Forskning (research), ...`` (ids alone without names)."""
    if not isinstance(known, Mapping):
        return ", ".join(known)
    return ", ".join(
        f"{by_lang.get(lang, ident)} ({ident})" if by_lang.get(lang) else ident
        for ident, by_lang in known.items()
    )


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
        raise Refusal(_("The milestone needs a title."))
    if lang not in languages:
        raise Refusal(
            _("Unknown language “{lang}”: use one of {languages}."),
            lang=lang,
            languages=", ".join(languages),
        )
    label, year = normalise_when(when)
    themes = parse_themes(themes, known_themes, lang)
    known_themes = list(known_themes)
    pages = timeline_pages(content, languages)
    for other in languages:
        if other not in pages:
            folder = content / "pages" / other
            raise Refusal(_("No timeline page (Template: timeline) in {folder}."), folder=folder)

    timelines: dict[str, Timeline] = {}
    for other, path in pages.items():
        text = path.read_text(encoding="utf-8-sig")
        try:
            timelines[other] = parse_timeline(text, str(path), other, known_themes)
        except TimelineError as error:
            raise Refusal(_("Fix the timeline first:\n{error}"), error=error) from None
    default_id = label.replace("–", "-")
    ident = None
    if any(t.get(default_id) for t in timelines.values()):
        ident = f"{default_id}-{slugify(title)}"[:60].rstrip("-")
        if any(t.get(ident) for t in timelines.values()):
            raise Refusal(_("A milestone with the id “{id}” exists already."), id=ident)

    heading = f"## {label}: {title}"
    changes = []
    for other in languages:
        if other == lang:
            section = _section(heading, ident, themes, [], placeholder(lang, "text"))
        else:
            say = Speaker(other)
            section = _section(
                heading,
                ident,
                themes,
                [f"Translation_status: {UNTRANSLATED}"],
                say(
                    _(
                        "Translate the milestone “{title}” from {source} into {target}, "
                        "then remove the line Translation_status."
                    ),
                    title=title,
                    source=say(LANGUAGE_NAMES.get(lang, lang)),
                    target=say(LANGUAGE_NAMES.get(other, other)),
                ),
            )
        path = pages[other]
        text, line = insert_section(path.read_text(encoding="utf-8-sig"), section, year)
        changes.append(Change(path, text, line))
    return changes


def write(changes: list[Change]) -> None:
    for change in changes:
        change.path.write_text(change.text, encoding="utf-8")


# The translation report ---------------------------------------------------------


def line_times(path: Path) -> list[float] | None:
    """When each line of ``path`` last changed: its commit time by ``git blame``, or,
    for a line with uncommitted edits (or next to uncommitted deletions), the time
    the file was saved. None when unknown (no repository, file not committed)."""
    from .translations import _git

    out = _git(path, "blame", "--line-porcelain", "--", path.name)
    if out is None:
        return None
    times: list[float] = [
        int(line.split()[1]) for line in out.splitlines() if line.startswith("committer-time ")
    ]
    saved = path.stat().st_mtime
    for number in uncommitted_lines(path):
        if 1 <= number <= len(times):
            times[number - 1] = max(saved, times[number - 1])
    return times


HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@", re.M)


def uncommitted_lines(path: Path) -> set[int]:
    """The lines of ``path`` (1-based) that differ from its last commit, and, where
    lines were only deleted, the lines on both sides of the gap."""
    from .translations import _git

    out = _git(path, "diff", "--no-ext-diff", "-U0", "HEAD", "--", path.name) or ""
    lines: set[int] = set()
    for hunk in HUNK.finditer(out):
        start = int(hunk["start"])
        count = 1 if hunk["count"] is None else int(hunk["count"])
        lines.update(range(start, start + count) if count else (start, start + 1))
    return lines


def section_ranges(timeline: Timeline, length: int) -> dict[str, tuple[int, int]]:
    """milestone id -> its section's first and last line (heading to the next heading)."""
    starts = sorted((m.line, m.id) for m in timeline.milestones)
    return {
        ident: (line, starts[index + 1][0] - 1 if index + 1 < len(starts) else length)
        for index, (line, ident) in enumerate(starts)
    }


def section_times(timeline: Timeline, times: list[float] | None) -> dict[str, float]:
    """milestone id -> the time its section (heading to the next heading) last changed."""
    if not times:
        return {}
    result = {}
    for ident, (first, last) in section_ranges(timeline, len(times)).items():
        section = times[first - 1 : last]
        if section:
            result[ident] = max(section)
    return result


def milestone_problems(
    content: Path,
    languages: list[str],
    default: str,
    known_themes: Iterable[str],
    root: Path | None = None,
    checked: dict[str, str] | None = None,
) -> list[Problem]:
    """One problem per milestone that lacks its other language, is a stub, or is outdated.

    A translation is outdated when its section last changed before the section
    of the same milestone in ``default`` (by ``git blame``, uncommitted edits
    included), unless ``translations-checked.txt`` records it as checked
    against the source section as it is now.
    """
    root = root or content.parent
    checked = read_checked(root) if checked is None else checked
    known_themes = list(known_themes)
    pages = timeline_pages(content, languages)
    problems = []
    timelines: dict[str, Timeline] = {}
    texts: dict[str, list[str]] = {}
    for lang, path in pages.items():
        text = path.read_text(encoding="utf-8-sig")
        texts[lang] = text.split("\n")
        try:
            timelines[lang] = parse_timeline(text, str(path), lang, known_themes)
        except TimelineError as error:
            problems.append(
                Problem(
                    shown(path, root),
                    error.line,
                    _("cannot read the timeline: {problem}"),
                    {"problem": error.problem},
                )
            )
    if not timelines:
        return problems
    times = {lang: section_times(t, line_times(pages[lang])) for lang, t in timelines.items()}
    source = timelines.get(default)
    for lang, timeline in timelines.items():
        path = pages[lang]
        where = shown(path, root)
        for milestone in timeline.milestones:
            params = {"id": milestone.id, "label": milestone.label, "title": milestone.title}
            if milestone.untranslated:
                problems.append(
                    Problem(
                        where,
                        milestone.line,
                        _("milestone '{id}' ({label}: {title}) is marked untranslated"),
                        params,
                    )
                )
            for other in languages:
                if other != lang and other in timelines and not timelines[other].get(milestone.id):
                    problems.append(
                        Problem(
                            where,
                            milestone.line,
                            _("milestone '{id}' ({label}: {title}) has no {lang} version"),
                            {**params, "lang": other},
                        )
                    )
            if lang == default or source is None or milestone.untranslated:
                continue
            original = source.get(milestone.id)
            if original is None or original.untranslated:
                continue
            mine, theirs = times[lang].get(milestone.id), times[default].get(milestone.id)
            if mine is None or theirs is None or mine >= theirs:
                continue
            first, last = section_ranges(source, len(texts[default]))[milestone.id]
            print_ = fingerprint("\n".join(texts[default][first - 1 : last]))
            record = f"{where}#{milestone.id}"
            if checked.get(record) == print_:
                continue
            origin = shown(pages[default], root, original.line)
            problems.append(
                Problem(
                    where,
                    milestone.line,
                    _(
                        "milestone '{id}' ({label}: {title}) is older than its {lang} source "
                        "{source} (changed since)"
                    ),
                    {
                        **params,
                        "lang": default,
                        "source": origin,
                        "where": f"{where}:{milestone.line}",
                        "record": f"{record} {print_}",
                    },
                    OUTDATED_FIX,
                    checked_as=(record, print_),
                    source=origin,
                )
            )
    return problems
