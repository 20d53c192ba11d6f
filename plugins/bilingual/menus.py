"""Menus from the pages' own headers, not from the settings.

A page says where it is linked from, with a place (a whole number; the
lowest comes first, gaps are fine):

* ``Menu: 3`` - the main menu, third;
* ``Section: focus-areas 2`` - the section menu of the page whose Key is
  ``focus-areas``, second. That page is the section's own page and says
  ``Section: focus-areas 1`` itself, to stand in its own section menu;
* ``Footer: 2`` - the footer.

A page has one place in both languages: a line may stand in the Norwegian
file, in the English one or in both (and then says the same in both). A page
with no translation yet is linked in its own language from the other
language's menus (the templates mark such links with ``lang``/``hreflang``).

Pure functions: ``read_menus`` takes the published pages of each language and
returns the menus, or raises ``ContentError`` (file, line, what is wrong, how
to fix it).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any

from sitelib.errors import ContentError, display_path
from sitelib.i18n import Message, _
from sitelib.source import metadata_line

# The header fields (any case). The Norwegian names (Meny, Seksjon, Bunntekst)
# are aliases of these.
MENU, SECTION, FOOTER = "menu", "section", "footer"
FIELDS = (MENU, SECTION, FOOTER)


@dataclass
class Menus:
    """The keys of the pages in the main menu and the footer, in order, and
    each section's keys (its own page first)."""

    menu: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    footer: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Place:
    """Where one page says it is linked: ``field`` (menu, section, footer),
    the section's key (for a section) and the place."""

    field: str
    place: int
    section: str = ""

    def line_text(self) -> str:
        value = f"{self.section} {self.place}" if self.section else str(self.place)
        return f"`{self.field.capitalize()}: {value}`"


def _value(metadata: dict[str, Any], name: str) -> str | None:
    value = metadata.get(name)
    if value is None:
        return None
    return " ".join(str(value).split())


def _number(path: str, name: str, text: str, example: str) -> int:
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise ContentError(
        path,
        metadata_line(path, name),
        _("`{name}: {text}`: the place '{text}' is not a whole number."),
        _(
            "write the page's place in the menu as a number from 1 up, for example "
            "`{example}` (the lowest number comes first)."
        ),
        name=name.capitalize(),
        text=text,
        example=example,
    )


def places_of(path: str, metadata: dict[str, Any]) -> dict[str, Place]:
    """The places a page's header gives it (field -> Place); raises
    ``ContentError`` on a place that is no number or a section without one."""
    found: dict[str, Place] = {}
    for name in (MENU, FOOTER):
        text = _value(metadata, name)
        if text is not None:
            found[name] = Place(name, _number(path, name, text, f"{name.capitalize()}: 3"))
    text = _value(metadata, SECTION)
    if text is not None:
        words = text.split(" ")
        if len(words) < 2:
            example = "focus-areas" if not words[0] or words[0].isdigit() else words[0]
            raise ContentError(
                path,
                metadata_line(path, SECTION),
                _(
                    "`Section: {text}` needs two things: the Key of the section's own page "
                    "and this page's place in the section's menu."
                ),
                _(
                    "write them both, for example `Section: {example} 2` (place 1 is the "
                    "section's own page)."
                ),
                text=text,
                example=example,
            )
        section = " ".join(words[:-1])
        number = _number(path, SECTION, words[-1], f"Section: {section} 2")
        found[SECTION] = Place(SECTION, number, section)
    return found


@dataclass(frozen=True)
class Said:
    """A page's place, and the file whose header line gives it."""

    place: Place
    key: str
    path: str


def _agreed(original: Any, translations: list[Any]) -> dict[str, Said]:
    """The places of one page: a line may stand in the original, in a
    translation or in both, and then says the same in each."""
    found: dict[str, Said] = {}
    for page in (original, *translations):
        for name, place in places_of(page.source_path, page.metadata).items():
            other = found.get(name)
            if other is None:
                found[name] = Said(place, original.key, page.source_path)
            elif other.place != place:
                raise ContentError(
                    page.source_path,
                    metadata_line(page.source_path, name),
                    _("{line} disagrees with the other language: {other} says {other_line}."),
                    _(
                        "a page has one place in both languages: make the line the same in "
                        "both files, or keep it in one of them only."
                    ),
                    line=place.line_text(),
                    other=display_path(other.path),
                    other_line=other.place.line_text(),
                )
    return found


def _section_suggestion(name: str, pages: dict[str, Any]) -> Message | str:
    """Did-you-mean for a section that names no page: a page whose file name or
    slug it is, else the closest Key."""
    for key, page in pages.items():
        slug = str(getattr(page, "slug", ""))
        stem = display_path(page.source_path).rsplit("/", 1)[-1].removesuffix(".md")
        if name in (slug, stem):
            return Message(
                _("did you mean `Section: {key}` (the Key of {path})? "),
                key=key,
                path=display_path(page.source_path),
            )
    close = difflib.get_close_matches(name, list(pages), n=1, cutoff=0.6)
    return Message(_("did you mean `Section: {key}`? "), key=close[0]) if close else ""


def _changed(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _ordered(entries: list[Said], what: Message) -> list[str]:
    """The keys in place order; raises on two pages with one place, naming
    the one changed last (the edit that took the place)."""
    taken: dict[int, Said] = {}
    for said in sorted(entries, key=lambda e: (e.place.place, _changed(e.path), e.path)):
        other = taken.get(said.place.place)
        if other is not None:
            raise ContentError(
                said.path,
                metadata_line(said.path, said.place.field),
                _("{line}: place {place} in {what} is also taken by {other}."),
                _(
                    "give one of the two pages another number (the numbers need not follow "
                    "each other: 1, 2, 5 and 10 are fine)."
                ),
                line=said.place.line_text(),
                place=said.place.place,
                what=what,
                other=display_path(other.path),
            )
        taken[said.place.place] = said
    return [said.key for said in sorted(entries, key=lambda e: e.place.place)]


def read_menus(pages: dict[str, dict[str, Any]], default_lang: str) -> Menus:
    """The menus that the pages (lang -> key -> page) give in their headers."""
    originals = pages.get(default_lang, {})
    menu: list[Said] = []
    footer: list[Said] = []
    sections: dict[str, list[Said]] = {}
    for key, page in sorted(originals.items()):
        translations = [
            by_key[key]
            for lang, by_key in sorted(pages.items())
            if lang != default_lang and key in by_key
        ]
        places = _agreed(page, translations)
        if MENU in places:
            menu.append(places[MENU])
        if FOOTER in places:
            footer.append(places[FOOTER])
        if SECTION in places:
            said = places[SECTION]
            head = said.place.section
            if head not in originals:
                raise ContentError(
                    said.path,
                    metadata_line(said.path, SECTION),
                    _("{line} names no page: no {lang} page has `Key: {head}`."),
                    _(
                        "{suggestion}A section is named by the Key of its own page (the one "
                        "in the main menu)."
                    ),
                    line=said.place.line_text(),
                    lang=default_lang,
                    head=head,
                    suggestion=_section_suggestion(head, originals),
                )
            sections.setdefault(head, []).append(said)
    result = Menus(
        menu=_ordered(menu, Message(_("the main menu"))),
        footer=_ordered(footer, Message(_("the footer"))),
    )
    for head, entries in sorted(sections.items()):
        keys = _ordered(entries, Message(_("the section '{head}'"), head=head))
        if head not in keys:
            page = originals[head]
            raise ContentError(
                page.source_path,
                metadata_line(page.source_path, "key"),
                _(
                    "{count} page(s) name this page's section (`Section: {head} …`, for "
                    "example {example}), but it is not in its own section menu."
                ),
                _("add the line `Section: {head} 1` to this page's header."),
                count=len(keys),
                head=head,
                example=display_path(entries[0].path),
            )
        if keys[0] != head:
            first = next(said for said in entries if said.key == keys[0])
            raise ContentError(
                first.path,
                metadata_line(first.path, SECTION),
                _("this page comes before the section's own page {own} in its menu."),
                _(
                    "the section's own page comes first: give it the lowest number "
                    "(`Section: {head} 1`) and the other pages higher ones."
                ),
                own=display_path(originals[head].source_path),
                head=head,
            )
        result.sections[head] = keys
    return result
