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
``Alt:``, ``Link:``, ``Quote:`` with ``Quote_source:``, and
``Translation_status: untranslated`` (a stub waiting for its translation; the
build leaves it out). A section with ``Type: period`` is a period, which groups
the milestones of its years (``## 2011–: ...`` lasts until today). The id (and
the anchor of the milestone) is the year or range (``1997``, ``2006-2010``)
unless an ``Id:`` line gives another one; a period's is ``period-<first year>``.
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
from sitelib.i18n import Message, _


class TimelineError(ContentError):
    """A timeline page is wrong: says where, what, and how to fix it."""


FIELDS = (
    "id",
    "type",
    "themes",
    "image",
    "alt",
    "link",
    "quote",
    "quote_source",
    "translation_status",
)
FIELD_NAMES = ", ".join(name.capitalize() + ":" for name in FIELDS)
# `Type: period` makes a section a period: a heading, its years and a short text
# that groups the milestones of those years.
MILESTONE, PERIOD = "milestone", "period"
PERIOD_FIELDS = ("id", "type")
# `Translation_status: untranslated` marks a milestone that `invoke new-milestone`
# copied into the other language as a stub: the build leaves it out of that
# language until someone translates it and removes the line.
UNTRANSLATED = "untranslated"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*?)\s*#*\s*$")
WHEN = re.compile(r"^(?P<start>[0-9]{4})(?:\s*(?P<dash>[-–—])\s*(?P<end>[0-9]{4}|[0-9]{2})?)?$")
FIELD_LINE = re.compile(r"^(?P<name>[A-Za-z][A-Za-z_-]*)\s*:\s*(?P<value>.*?)\s*$")
META_LINE = re.compile(r"^[A-Za-z][\w-]*\s*:")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING_EXAMPLE = "`## 2006–2010: Brukerstyrt senter vokser`"


@dataclass
class Entry:
    """A section of the timeline: years, a title, a text and the lines it came from."""

    id: str
    start: int
    end: int | None
    title: str
    body_html: Markup
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The years as readers see them: ``1997`` or ``2006–2010``."""
        return f"{self.start}–{self.end}" if self.end else str(self.start)

    @property
    def title_html(self) -> Markup:
        return escape(self.title)


@dataclass
class Milestone(Entry):
    themes: list[str] = field(default_factory=list)
    image: str | None = None
    alt: str | None = None
    link: str | None = None
    quote: str | None = None
    quote_source: str | None = None
    untranslated: bool = False

    @property
    def decade(self) -> int:
        return self.start - self.start % 10


@dataclass
class Period(Entry):
    """Years that group milestones: ``## 1997–2000: Title`` with ``Type: period``;
    ``end`` is None for a period that lasts until today (``## 2011–: Title``)."""

    @property
    def label(self) -> str:
        return f"{self.start}–{self.end or ''}"

    def holds(self, milestone: Milestone) -> bool:
        return self.start <= milestone.start and (self.end is None or milestone.start <= self.end)


@dataclass
class Timeline:
    path: str
    lang: str
    intro_html: Markup
    milestones: list[Milestone]
    periods: list[Period] = field(default_factory=list)

    def period_of(self, milestone: Milestone) -> Period | None:
        return next((p for p in self.periods if p.holds(milestone)), None)

    def groups(self) -> list[tuple[Period | None, list[Milestone]]]:
        """The milestones in order, in runs that share a period (None: no period)."""
        groups: list[tuple[Period | None, list[Milestone]]] = []
        for milestone in self.milestones:
            period = self.period_of(milestone)
            if not groups or groups[-1][0] is not period:
                groups.append((period, []))
            groups[-1][1].append(milestone)
        return groups

    def get(self, ident: str) -> Milestone | None:
        return next((m for m in self.milestones if m.id == ident), None)

    def latest(self, count: int) -> list[Milestone]:
        """The ``count`` latest milestones, newest first."""
        ordered = sorted(self.milestones, key=lambda m: (m.start, m.end or m.start))
        return list(reversed(ordered[-count:])) if count > 0 else []

    def count(self, theme: str) -> int:
        """How many milestones have ``theme``."""
        return sum(theme in m.themes for m in self.milestones)

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


def parse_when(text: str, path: str, line: int, open_end: bool = False) -> tuple[int, int | None]:
    """``1997`` -> (1997, None); ``2006–2010`` and ``2006-10`` -> (2006, 2010).

    With ``open_end`` (a period), ``2011–`` is allowed too: (2011, None), until today.
    """
    match = WHEN.match(text.strip())
    if not match or (match["dash"] and match["end"] is None and not open_end):
        raise TimelineError(
            path,
            line,
            _("the year {year} is malformed."),
            _(
                "write four digits (`## 1997: ...`) or a range (`## 2006–2010: ...` or "
                "`## 2006-10: ...`) before the colon; a period that lasts until today ends "
                "with a dash (`## 2011–: ...`)."
            )
            if open_end
            else _(
                "write four digits (`## 1997: ...`) or a range (`## 2006–2010: ...` or "
                "`## 2006-10: ...`) before the colon."
            ),
            year=repr(text.strip()),
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
            _("the range {range} ends ({end}) before or where it starts ({start})."),
            _(
                "put the earlier year first, as in `## 2006–2010: ...`; write one year "
                "alone (`## 2006: ...`) when the milestone is a single year."
            ),
            range=repr(text.strip()),
            end=end,
            start=start,
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


Section = tuple[int, str, list[tuple[int, str]]]  # heading's line, heading text, body lines


def split_sections(lines: list[str], first: int) -> tuple[list[str], list[Section]]:
    """The intro's lines and the level-2 sections from line index ``first`` on;
    a ``##`` inside a fenced code block is body text."""
    intro: list[str] = []
    sections: list[Section] = []
    in_fence = False
    for index in range(first, len(lines)):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading:
            sections.append((index + 1, heading["text"], []))
        elif sections:
            sections[-1][2].append((index + 1, line))
        else:
            intro.append(line)
    return intro, sections


def parse_timeline(
    text: str,
    path: str,
    lang: str,
    themes: Mapping[str, Any] | Iterable[str] = (),
    render: Callable[[str], Markup] | None = None,
) -> Timeline:
    """Parse the Markdown source of a timeline page; raise TimelineError when wrong."""
    if not isinstance(text, str):
        raise TimelineError(path, None, _("the page is not text."), _("save it as UTF-8 Markdown."))
    render = render or markdown_renderer()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    intro, sections = split_sections(lines, _skip_metadata(lines))
    parsed = [_parse_section(path, *section, list(themes), render) for section in sections]
    milestones = [entry for entry in parsed if isinstance(entry, Milestone)]
    if not milestones:
        raise TimelineError(
            path,
            None,
            _("the timeline has no milestones."),
            _("start each milestone with a level-2 heading such as {example}."),
            example=HEADING_EXAMPLE,
        )
    _check_unique_ids(path, parsed)
    milestones.sort(key=lambda m: (m.start, m.end or m.start))
    periods = sorted((p for p in parsed if isinstance(p, Period)), key=lambda p: p.start)
    _check_periods(path, periods)
    return Timeline(path, lang, render("\n".join(intro)), milestones, periods)


def _check_unique_ids(path: str, entries: list[Entry]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.id in seen:
            raise TimelineError(
                path,
                entry.field_lines.get("id", entry.line),
                _("the id {id} is already used by the milestone on line {line}."),
                _(
                    "give one of the two milestones its own id with a line such as "
                    "`Id: {plain}-b` directly under its heading, in both languages."
                ),
                id=repr(entry.id),
                plain=entry.id,
                line=seen[entry.id],
            )
        seen[entry.id] = entry.line


def _check_periods(path: str, periods: list[Period]) -> None:
    """Periods follow each other without overlapping; only the last may last until today."""
    for before, after in zip(periods, periods[1:], strict=False):
        if before.end is None or before.end >= after.start:
            raise TimelineError(
                path,
                after.line,
                _("the period {after} overlaps the period {before} (line {line})."),
                _(
                    "let each period start after the one before it ends; only the last "
                    "period may last until today (`## 2011–: ...`)."
                ),
                after=after.label,
                before=before.label,
                line=before.line,
            )


def _parse_section(
    path: str,
    number: int,
    heading_text: str,
    body: list[tuple[int, str]],
    known_themes: list[str],
    render: Callable[[str], Markup],
) -> Milestone | Period:
    """One ``## years: title`` section: a milestone, or a period (``Type: period``)."""
    values, field_lines, rest = _read_fields(path, body)
    is_period = _section_type(path, values, field_lines) == PERIOD
    start, end, title = _parse_heading(path, number, heading_text, open_end=is_period)
    text = render("\n".join(line for _n, line in body[rest:]))
    if is_period:
        _only_fields(path, values, field_lines, PERIOD_FIELDS, Message(_("a period")))
        ident = _section_id(path, number, values, field_lines, f"period-{start}")
        return Period(ident, start, end, title, text, number, field_lines)
    ident = _section_id(path, number, values, field_lines, f"{start}-{end}" if end else str(start))
    image, alt = _parse_image(path, values, field_lines)
    quote, quote_source = _parse_quote(path, values, field_lines)
    return Milestone(
        id=ident,
        start=start,
        end=end,
        title=title,
        body_html=text,
        line=number,
        themes=_parse_themes(path, values, field_lines, known_themes),
        image=image,
        alt=alt,
        link=_parse_link(path, values, field_lines),
        quote=quote,
        quote_source=quote_source,
        field_lines=field_lines,
        untranslated=_is_untranslated(path, values, field_lines),
    )


def _parse_heading(
    path: str, number: int, heading_text: str, open_end: bool = False
) -> tuple[int, int | None, str]:
    """``2006–2010: Title`` -> (2006, 2010, "Title")."""
    when, colon, title = heading_text.partition(":")
    if not colon or not when.strip():
        raise TimelineError(
            path,
            number,
            _("the milestone heading {heading} has no year."),
            _("begin the heading with its year and a colon, as in {example}."),
            heading=repr("## " + heading_text),
            example=HEADING_EXAMPLE,
        )
    start, end = parse_when(when, path, number, open_end)
    if not title.strip():
        raise TimelineError(
            path,
            number,
            _("the milestone has a year but no title."),
            _("write the title after the colon, as in {example}."),
            example=HEADING_EXAMPLE,
        )
    return start, end, title.strip()


def _read_fields(
    path: str, body: list[tuple[int, str]]
) -> tuple[dict[str, str], dict[str, int], int]:
    """The ``Name: value`` lines directly under a heading: values, their lines,
    and the index in ``body`` where the text starts."""
    values: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    for index, (line_number, line) in enumerate(body):
        match = FIELD_LINE.match(line)
        if not match:
            return values, field_lines, index
        name = match["name"].lower()
        if name not in FIELDS:
            raise TimelineError(
                path,
                line_number,
                _("unknown line `{name}:` under a milestone heading."),
                _(
                    "use only {fields} directly under the heading, and leave a blank line "
                    "before the text."
                ),
                name=match["name"],
                fields=FIELD_NAMES,
            )
        if name in values:
            raise TimelineError(
                path,
                line_number,
                _("`{name}:` appears twice in this milestone."),
                _("keep one of the two lines."),
                name=match["name"],
            )
        values[name] = match["value"]
        field_lines[name] = line_number
    return values, field_lines, len(body)


def _section_type(path: str, values: dict[str, str], field_lines: dict[str, int]) -> str:
    kind = values.get("type", MILESTONE).strip().lower()
    if kind not in (MILESTONE, PERIOD):
        raise TimelineError(
            path,
            field_lines["type"],
            _("`Type: {type}` is not a known type."),
            _("write `Type: {period}` for a period, or leave the line out for a milestone."),
            type=values["type"],
            period=PERIOD,
        )
    return kind


def _only_fields(
    path: str, values: dict[str, str], field_lines: dict[str, int], allowed: tuple, what: str
) -> None:
    for name in values:
        if name not in allowed:
            raise TimelineError(
                path,
                field_lines[name],
                _("`{name}:` does not belong under {what}."),
                _("only {allowed} go under {what}; remove the line."),
                name=name.capitalize(),
                what=what,
                allowed=", ".join(n.capitalize() + ":" for n in allowed),
            )


def _section_id(
    path: str, number: int, values: dict[str, str], field_lines: dict[str, int], default: str
) -> str:
    ident = values.get("id") or default
    if not ID_PATTERN.match(ident):
        raise TimelineError(
            path,
            field_lines.get("id", number),
            _("the id {id} may only use lowercase letters a-z, digits and hyphens."),
            _("write it like `Id: 2006-senter`."),
            id=repr(ident),
        )
    return ident


def _parse_themes(
    path: str, values: dict[str, str], field_lines: dict[str, int], known: list[str]
) -> list[str]:
    themes = [t.strip() for t in values.get("themes", "").split(",") if t.strip()]
    for theme in themes:
        if theme not in known:
            raise TimelineError(
                path,
                field_lines["themes"],
                _("unknown theme {theme}."),
                _(
                    "use one of {known}, or add the theme to TIMELINE_THEMES in "
                    "pelicanconf.py with its name in each language."
                ),
                theme=repr(theme),
                known=", ".join(known) or "–",
            )
    if len(set(themes)) != len(themes):
        raise TimelineError(
            path, field_lines["themes"], _("a theme is listed twice."), _("list each theme once.")
        )
    return themes


def _parse_image(
    path: str, values: dict[str, str], field_lines: dict[str, int]
) -> tuple[str | None, str | None]:
    image = values.get("image") or None
    alt = values.get("alt", "").strip() or None
    if image and not alt:
        raise TimelineError(
            path,
            field_lines["image"],
            _("the image has no text alternative."),
            _("add a line `Alt: what the image shows` under the `Image:` line."),
        )
    return image, alt


def _parse_quote(
    path: str, values: dict[str, str], field_lines: dict[str, int]
) -> tuple[str | None, str | None]:
    quote = values.get("quote", "").strip() or None
    source = values.get("quote_source", "").strip() or None
    if quote and not source:
        raise TimelineError(
            path,
            field_lines["quote"],
            _("the quote has no source."),
            _(
                "add a line `Quote_source: who said or wrote it, and where` under the "
                "`Quote:` line."
            ),
        )
    if source and not quote:
        raise TimelineError(
            path,
            field_lines["quote_source"],
            _("`Quote_source:` names the source of no quote."),
            _("add the quote in a `Quote:` line above it, or remove the line."),
        )
    return quote, source


def _parse_link(path: str, values: dict[str, str], field_lines: dict[str, int]) -> str | None:
    link = values.get("link") or None
    if link and not ID_PATTERN.match(link):
        raise TimelineError(
            path,
            field_lines["link"],
            _("`Link: {link}` is not the Key of a page."),
            _("write the Key of the related page, such as `Link: bsb`."),
            link=link,
        )
    return link


def _is_untranslated(path: str, values: dict[str, str], field_lines: dict[str, int]) -> bool:
    if "translation_status" not in values:
        return False
    if values["translation_status"].strip().lower() != UNTRANSLATED:
        raise TimelineError(
            path,
            field_lines["translation_status"],
            _("`Translation_status: {status}` is not a known status."),
            _(
                "write `Translation_status: {untranslated}` for a milestone still to be "
                "translated, or remove the line once it is translated."
            ),
            status=values["translation_status"],
            untranslated=UNTRANSLATED,
        )
    return True


# Checks against the rest of the site ----------------------------------------------


def check_images(timeline: Timeline, exists: Callable[[str], bool]) -> None:
    """Every ``Image:`` names a file that exists (``exists`` gets the path)."""
    for milestone in timeline.milestones:
        if milestone.image and not exists(milestone.image):
            raise TimelineError(
                timeline.path,
                milestone.field_lines["image"],
                _("the image {image} does not exist."),
                _(
                    "put the file in content/images/ and write its path from content/, "
                    "such as `Image: images/1997-brukermote.jpg`."
                ),
                image=repr(milestone.image),
            )


def check_links(timeline: Timeline, page_keys: Iterable[str]) -> None:
    """Every ``Link:`` names the Key of a page of the site."""
    keys = set(page_keys)
    for milestone in timeline.milestones:
        if milestone.link and milestone.link not in keys:
            raise TimelineError(
                timeline.path,
                milestone.field_lines["link"],
                _("`Link: {link}` names no page: no page has that Key."),
                _(
                    "write the Key of an existing page (the `Key:` line at the top of its "
                    "file), or remove the line."
                ),
                link=milestone.link,
            )


def check_pairs(timelines: Iterable[Timeline]) -> None:
    """Each milestone and period has its translation in every other language
    (same id; a milestone the same themes, a period the same years)."""
    timelines = list(timelines)
    for timeline in timelines:
        for other in timelines:
            if other is not timeline:
                for milestone in timeline.milestones:
                    _check_twin(timeline, other, milestone, other.get(milestone.id))
                for period in timeline.periods:
                    twin = next((p for p in other.periods if p.id == period.id), None)
                    _check_twin(timeline, other, period, twin)


def _check_twin(timeline: Timeline, other: Timeline, entry, twin) -> None:
    what = Message(_("period")) if isinstance(entry, Period) else Message(_("milestone"))
    if twin is None:
        raise TimelineError(
            timeline.path,
            entry.line,
            _("the {what} {id} ({label}: {title}) is missing in {lang} ({path})."),
            _("add it to {path} with the same years (or the same `Id:`), or remove it here."),
            what=what,
            id=repr(entry.id),
            label=entry.label,
            title=entry.title,
            lang=other.lang,
            path=other.path,
        )
    if isinstance(entry, Period) and (entry.start, entry.end) != (twin.start, twin.end):
        raise TimelineError(
            timeline.path,
            entry.line,
            _("the period {id} has the years {label} here but {other} in {path}."),
            _("give it the same years in both languages."),
            id=repr(entry.id),
            label=entry.label,
            other=twin.label,
            path=other.path,
        )
    if isinstance(entry, Milestone) and set(twin.themes) != set(entry.themes):
        raise TimelineError(
            timeline.path,
            entry.field_lines.get("themes", entry.line),
            _("the milestone {id} has the themes {themes} here but {other} in {path}."),
            _("give it the same `Themes:` line in both languages."),
            id=repr(entry.id),
            themes=", ".join(entry.themes) or "–",
            other=", ".join(twin.themes) or "–",
            path=other.path,
        )


def published(timeline: Timeline) -> tuple[Timeline, list[Milestone]]:
    """The timeline without its untranslated stubs, and the stubs left out."""
    left_out = [m for m in timeline.milestones if m.untranslated]
    if not left_out:
        return timeline, []
    kept = [m for m in timeline.milestones if not m.untranslated]
    return (
        Timeline(timeline.path, timeline.lang, timeline.intro_html, kept, timeline.periods),
        left_out,
    )


# Export -----------------------------------------------------------------------------


def to_json(data: Any) -> str:
    """JSON in which no ``<``, ``>`` or ``&`` appears raw (safe inside HTML too)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The overview ------------------------------------------------------------------------


@dataclass
class Segment:
    """A range milestone or a period as it crosses one year of the overview."""

    entry: Milestone | Period
    first: bool
    last: bool


@dataclass
class YearCell:
    """One year of the overview: its single-year milestones, the ranges (one
    slot per lane, None where the lane is empty) and the period crossing it."""

    year: int
    points: list[Milestone]
    lanes: list[Segment | None]
    period: Segment | None

    @property
    def empty(self) -> bool:
        return not self.points and not any(s and s.first for s in self.lanes)


def overview(timeline: Timeline, last_year: int) -> list[YearCell]:
    """One cell per year from the first milestone's year to ``last_year``, so that
    equal cells put each milestone where its year is; ranges get lanes so that
    ranges of the same years do not cover each other."""
    first = min(m.start for m in timeline.milestones)
    last = max([last_year, *(m.end or m.start for m in timeline.milestones)])
    lanes: list[int] = []  # the last year each lane is taken until
    lane_of: dict[str, int] = {}
    for milestone in (m for m in timeline.milestones if m.end):
        lane = next((i for i, until in enumerate(lanes) if until < milestone.start), len(lanes))
        lanes[lane : lane + 1] = [milestone.end]
        lane_of[milestone.id] = lane
    cells = []
    for year in range(first, last + 1):
        slots: list[Segment | None] = [None] * len(lanes)
        for milestone in timeline.milestones:
            if milestone.end and milestone.start <= year <= milestone.end:
                slots[lane_of[milestone.id]] = _segment(milestone, year, last)
        period = next((p for p in timeline.periods if p.start <= year <= (p.end or last)), None)
        cells.append(
            YearCell(
                year,
                [m for m in timeline.milestones if not m.end and m.start == year],
                slots,
                period and _segment(period, year, last),
            )
        )
    return cells


def _segment(entry: Milestone | Period, year: int, last: int) -> Segment:
    return Segment(entry, year == entry.start, year == (entry.end or last))
