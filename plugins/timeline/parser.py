"""Read the milestones of a timeline page from its Markdown source.

Pure functions: they take text (and what they must check it against) and
return data or raise ``TimelineError``, which names the file and the line and
says how to fix the problem. Nothing here reads files or settings.

The page body is a short intro, then one section per milestone::

    ## 2006–2010: Brukerstyrt senter vokser
    Themes: bsb, research
    Link: bsb

    The text of the milestone, in Markdown.

A year is ``1997``; a range is ``2006–2010``, ``2006-2010`` or ``2006-10``.
Optional lines directly under the heading: ``Id:``, ``Themes:``, ``Image:``,
``Alt:``, ``Link:`` and ``Translation_status: untranslated`` (a stub waiting for
its translation; the build leaves it out). The id (and the anchor of the milestone) is the year
or range (``1997``, ``2006-2010``) unless an ``Id:`` line gives another one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import markdown
from markupsafe import Markup, escape

from sitelib.errors import ContentError


class TimelineError(ContentError):
    """A timeline page is wrong: says where, what, and how to fix it."""


FIELDS = ("id", "themes", "image", "alt", "link", "translation_status")
# `Translation_status: untranslated` marks a milestone that `invoke new-milestone`
# copied into the other language as a stub: the build leaves it out of that
# language until someone translates it and removes the line.
UNTRANSLATED = "untranslated"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*?)\s*#*\s*$")
WHEN = re.compile(r"^(?P<start>[0-9]{4})(?:\s*[-–—]\s*(?P<end>[0-9]{4}|[0-9]{2}))?$")
FIELD_LINE = re.compile(r"^(?P<name>[A-Za-z][A-Za-z_-]*)\s*:\s*(?P<value>.*?)\s*$")
META_LINE = re.compile(r"^[A-Za-z][\w-]*\s*:")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING_EXAMPLE = "`## 2006–2010: Brukerstyrt senter vokser`"


@dataclass
class Milestone:
    id: str
    start: int
    end: int | None
    title: str
    body_html: Markup
    line: int
    themes: list[str] = field(default_factory=list)
    image: str | None = None
    alt: str | None = None
    link: str | None = None
    field_lines: dict[str, int] = field(default_factory=dict)
    untranslated: bool = False

    @property
    def label(self) -> str:
        """The years as readers see them: ``1997`` or ``2006–2010``."""
        return f"{self.start}–{self.end}" if self.end else str(self.start)

    @property
    def title_html(self) -> Markup:
        return escape(self.title)

    @property
    def decade(self) -> int:
        return self.start - self.start % 10


@dataclass
class Timeline:
    path: str
    lang: str
    intro_html: Markup
    milestones: list[Milestone]

    def get(self, ident: str) -> Milestone | None:
        return next((m for m in self.milestones if m.id == ident), None)

    def latest(self, count: int) -> list[Milestone]:
        """The ``count`` latest milestones, newest first."""
        ordered = sorted(self.milestones, key=lambda m: (m.start, m.end or m.start))
        return list(reversed(ordered[-count:])) if count > 0 else []

    @property
    def themes(self) -> list[str]:
        """The themes that some milestone has, in order of first use."""
        seen: dict[str, None] = {}
        for milestone in self.milestones:
            for theme in milestone.themes:
                seen.setdefault(theme, None)
        return list(seen)


# Markdown ----------------------------------------------------------------------


def markdown_renderer(config: Mapping[str, Any] | None = None) -> Callable[[str], Markup]:
    """A Markdown-to-HTML function with the site's settings and no raw HTML.

    Raw HTML in a milestone (``<script>``, ``<div>``) comes out as text.
    """
    config = dict(config or {})
    extension_configs = dict(config.get("extension_configs", {}))
    extensions = [
        name
        for name in list(config.get("extensions", [])) + list(extension_configs)
        if isinstance(name, str) and not name.endswith(".meta")
    ]
    md = markdown.Markdown(
        extensions=list(dict.fromkeys(extensions)),
        extension_configs={k: v for k, v in extension_configs.items() if k in extensions},
        output_format=config.get("output_format", "html5"),
    )
    for registry, name in ((md.preprocessors, "html_block"), (md.inlinePatterns, "html")):
        if name in registry:
            registry.deregister(name)

    def render(text: str) -> Markup:
        md.reset()
        return Markup(md.convert(text))

    return render


# Parsing -------------------------------------------------------------------------


def parse_when(text: str, path: str, line: int) -> tuple[int, int | None]:
    """``1997`` -> (1997, None); ``2006–2010`` and ``2006-10`` -> (2006, 2010)."""
    match = WHEN.match(text.strip())
    if not match:
        raise TimelineError(
            path,
            line,
            f"the year {text.strip()!r} is malformed.",
            "write four digits (`## 1997: ...`) or a range (`## 2006–2010: ...` "
            "or `## 2006-10: ...`) before the colon.",
        )
    start = int(match["start"])
    if match["end"] is None:
        return start, None
    digits = match["end"]
    end = int(digits) if len(digits) == 4 else start - start % 100 + int(digits)
    if end <= start:
        raise TimelineError(
            path,
            line,
            f"the range {text.strip()!r} ends ({end}) before or where it starts ({start}).",
            "put the earlier year first, as in `## 2006–2010: ...`; write one year "
            "alone (`## 2006: ...`) when the milestone is a single year.",
        )
    return start, end


def _skip_metadata(lines: list[str]) -> int:
    """The index of the first line after the file's metadata block."""
    if not lines or not META_LINE.match(lines[0]):
        return 0
    for index, line in enumerate(lines):
        if not line.strip():
            return index + 1
    return len(lines)


def parse_timeline(
    text: str,
    path: str,
    lang: str,
    themes: Mapping[str, Any] | Iterable[str] = (),
    render: Callable[[str], Markup] | None = None,
) -> Timeline:
    """Parse the Markdown source of a timeline page; raise TimelineError when wrong."""
    if not isinstance(text, str):
        raise TimelineError(path, None, "the page is not text.", "save it as UTF-8 Markdown.")
    render = render or markdown_renderer()
    known_themes = list(themes)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start_index = _skip_metadata(lines)

    intro: list[str] = []
    sections: list[tuple[int, str, list[tuple[int, str]]]] = []
    in_fence = False
    for index in range(start_index, len(lines)):
        line = lines[index]
        number = index + 1
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading:
            sections.append((number, heading["text"], []))
        elif sections:
            sections[-1][2].append((number, line))
        else:
            intro.append(line)

    if not sections:
        raise TimelineError(
            path,
            None,
            "the timeline has no milestones.",
            f"start each milestone with a level-2 heading such as {HEADING_EXAMPLE}.",
        )

    milestones: list[Milestone] = []
    seen: dict[str, int] = {}
    for number, heading_text, body in sections:
        milestone = _parse_section(path, number, heading_text, body, known_themes, render)
        if milestone.id in seen:
            raise TimelineError(
                path,
                milestone.field_lines.get("id", number),
                f"the id {milestone.id!r} is already used by the milestone on line "
                f"{seen[milestone.id]}.",
                "give one of the two milestones its own id with a line such as "
                f"`Id: {milestone.id}-b` directly under its heading, in both languages.",
            )
        seen[milestone.id] = number
        milestones.append(milestone)

    milestones.sort(key=lambda m: (m.start, m.end or m.start))
    return Timeline(path, lang, render("\n".join(intro)), milestones)


def _parse_section(
    path: str,
    number: int,
    heading_text: str,
    body: list[tuple[int, str]],
    known_themes: list[str],
    render: Callable[[str], Markup],
) -> Milestone:
    when, colon, title = heading_text.partition(":")
    if not colon or not when.strip():
        raise TimelineError(
            path,
            number,
            f"the milestone heading {('## ' + heading_text)!r} has no year.",
            f"begin the heading with its year and a colon, as in {HEADING_EXAMPLE}.",
        )
    start, end = parse_when(when, path, number)
    title = title.strip()
    if not title:
        raise TimelineError(
            path,
            number,
            "the milestone has a year but no title.",
            f"write the title after the colon, as in {HEADING_EXAMPLE}.",
        )

    values: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    rest = 0
    for rest, (line_number, line) in enumerate(body):  # noqa: B007
        match = FIELD_LINE.match(line)
        if not match:
            break
        name = match["name"].lower()
        if name not in FIELDS:
            raise TimelineError(
                path,
                line_number,
                f"unknown line `{match['name']}:` under a milestone heading.",
                "use only Id:, Themes:, Image:, Alt:, Link: and Translation_status: "
                "directly under the heading, and leave a blank line before the text.",
            )
        if name in values:
            raise TimelineError(
                path,
                line_number,
                f"`{match['name']}:` appears twice in this milestone.",
                "keep one of the two lines.",
            )
        values[name] = match["value"]
        field_lines[name] = line_number
    else:
        rest = len(body)

    ident = values.get("id") or (f"{start}-{end}" if end else str(start))
    if not ID_PATTERN.match(ident):
        raise TimelineError(
            path,
            field_lines.get("id", number),
            f"the id {ident!r} may only use lowercase letters a-z, digits and hyphens.",
            "write it like `Id: 2006-senter`.",
        )

    milestone_themes = [t.strip() for t in values.get("themes", "").split(",") if t.strip()]
    for theme in milestone_themes:
        if theme not in known_themes:
            raise TimelineError(
                path,
                field_lines["themes"],
                f"unknown theme {theme!r}.",
                f"use one of {', '.join(known_themes) or '(none defined)'}, or add the "
                "theme to TIMELINE_THEMES in pelicanconf.py with its name in each language.",
            )
    if len(set(milestone_themes)) != len(milestone_themes):
        raise TimelineError(
            path, field_lines["themes"], "a theme is listed twice.", "list each theme once."
        )

    image = values.get("image") or None
    alt = values.get("alt", "").strip() or None
    if image and not alt:
        raise TimelineError(
            path,
            field_lines["image"],
            "the image has no text alternative.",
            "add a line `Alt: what the image shows` under the `Image:` line.",
        )
    link = values.get("link") or None
    if link and not ID_PATTERN.match(link):
        raise TimelineError(
            path,
            field_lines["link"],
            f"`Link: {link}` is not the Key of a page.",
            "write the Key of the related page, such as `Link: bsb`.",
        )

    status = values.get("translation_status", "").strip().lower()
    if "translation_status" in values and status != UNTRANSLATED:
        raise TimelineError(
            path,
            field_lines["translation_status"],
            f"`Translation_status: {values['translation_status']}` is not a known status.",
            f"write `Translation_status: {UNTRANSLATED}` for a milestone still to be "
            "translated, or remove the line once it is translated.",
        )

    text = "\n".join(line for _n, line in body[rest:])
    return Milestone(
        id=ident,
        start=start,
        end=end,
        title=title,
        body_html=render(text),
        line=number,
        themes=milestone_themes,
        image=image,
        alt=alt,
        link=link,
        field_lines=field_lines,
        untranslated=status == UNTRANSLATED,
    )


# Checks against the rest of the site ----------------------------------------------


def check_images(timeline: Timeline, exists: Callable[[str], bool]) -> None:
    """Every ``Image:`` names a file that exists (``exists`` gets the path)."""
    for milestone in timeline.milestones:
        if milestone.image and not exists(milestone.image):
            raise TimelineError(
                timeline.path,
                milestone.field_lines["image"],
                f"the image {milestone.image!r} does not exist.",
                "put the file in content/images/ and write its path from content/, "
                "such as `Image: images/1997-brukermote.jpg`.",
            )


def check_links(timeline: Timeline, page_keys: Iterable[str]) -> None:
    """Every ``Link:`` names the Key of a page of the site."""
    keys = set(page_keys)
    for milestone in timeline.milestones:
        if milestone.link and milestone.link not in keys:
            raise TimelineError(
                timeline.path,
                milestone.field_lines["link"],
                f"`Link: {milestone.link}` names no page: no page has that Key.",
                "write the Key of an existing page (the `Key:` line at the top of "
                "its file), or remove the line.",
            )


def check_pairs(timelines: Iterable[Timeline]) -> None:
    """Each milestone has its translation in every other language (same id, themes)."""
    timelines = list(timelines)
    for timeline in timelines:
        for other in timelines:
            if other is timeline:
                continue
            for milestone in timeline.milestones:
                twin = other.get(milestone.id)
                if twin is None:
                    raise TimelineError(
                        timeline.path,
                        milestone.line,
                        f"the milestone {milestone.id!r} ({milestone.label}: "
                        f"{milestone.title}) is missing in {other.lang} ({other.path}).",
                        f"add it to {other.path} with the same years (or the same `Id:`), "
                        "or remove it here.",
                    )
                if set(twin.themes) != set(milestone.themes):
                    raise TimelineError(
                        timeline.path,
                        milestone.field_lines.get("themes", milestone.line),
                        f"the milestone {milestone.id!r} has the themes "
                        f"{', '.join(milestone.themes) or '(none)'} here but "
                        f"{', '.join(twin.themes) or '(none)'} in {other.path}.",
                        "give it the same `Themes:` line in both languages.",
                    )


def published(timeline: Timeline) -> tuple[Timeline, list[Milestone]]:
    """The timeline without its untranslated stubs, and the stubs left out."""
    left_out = [m for m in timeline.milestones if m.untranslated]
    if not left_out:
        return timeline, []
    kept = [m for m in timeline.milestones if not m.untranslated]
    return Timeline(timeline.path, timeline.lang, timeline.intro_html, kept), left_out


# Export -----------------------------------------------------------------------------


def to_json(data: Any) -> str:
    """JSON in which no ``<``, ``>`` or ``&`` appears raw (safe inside HTML too)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
