"""Content checks that read a page's Markdown source: header fields, headings,
category and title length.

Pure functions: each takes the path (for the message), the text or metadata
and what to check it against, and raises ``ContentError`` (file, line, what is
wrong, how to fix it). ``check_source`` runs them all; the bilingual plugin
calls it for every page and article as it is read.

Checks that live elsewhere: a missing alt text (``plugins/images``), an
unknown timeline theme (``plugins/timeline/parser.py``), a duplicate key, slug
or output file (``bilingual.remember``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from sitelib.errors import ContentError
from sitelib.headers import FIELD_ALIASES, STATUS_ALIASES, alias_language, english_name
from sitelib.i18n import Message, _, language_name, language_of
from sitelib.source import header_line, header_lines

# The header fields this site's pages and articles use (names are not case
# sensitive). More can be allowed with the setting BILINGUAL_EXTRA_FIELDS.
KNOWN_FIELDS = (
    "title",
    "key",
    "summary",
    "menu_title",
    "date",
    "modified",
    "template",
    "lede",
    "slug",
    "save_as",
    "url",
    "lang",
    "status",
    "translation_status",
    "category",
    "menu",  # the place in the main menu, in the footer and in a section's menu (menus.py)
    "footer",
    "section",
)

# The share card (plugins/images/cards.py, 1200×630 px) shrinks a long title
# from 76 px down to 40 px and cuts it with "…" when it still does not fit.
# Up to 120 characters, even a title in capitals keeps 52 px or more and is
# never cut (tests/test_checks.py measures this with the real font); a longer
# title is hard to read in a small link preview and to take in at a glance.
MAX_TITLE_LENGTH = 120

ATX = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]|$)")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


def check_fields(path: str, text: str, known: Iterable[str] = KNOWN_FIELDS) -> None:
    """Every ``Name:`` line of the header is a field the site knows: by its
    English name, or in a Norwegian file by its Norwegian one
    (``sitelib.headers.FIELD_ALIASES``); ``Status:`` in the file's language."""
    lang = language_of(path)
    known = [name.lower() for name in known]
    aliases = {a: e for a, e in FIELD_ALIASES.get(lang, {}).items() if e in known}
    lines = text.splitlines()
    for line, name in header_lines(text)[0]:
        lowered = name.lower()
        if lowered in known or lowered in aliases:
            if english_name(lowered) == "status":
                check_status_word(path, line, lines[line - 1], lang)
            continue
        other = alias_language(lowered)
        if other is not None and english_name(lowered) in known:
            raise ContentError(
                path,
                line,
                _("`{name}:` is the {other} name of a field, and this file is in {lang}."),
                _("write `{english}:` instead (the field names in English files are English)."),
                name=name,
                other=language_name(other),
                lang=language_name(lang),
                english=english_name(lowered).capitalize(),
            )
        names = [*known, *aliases]
        close = difflib.get_close_matches(lowered, [*names, *_all_aliases()], n=1, cutoff=0.6)
        rest = Message(
            _(
                "The fields are {fields}. Correct the name, or leave a blank line before the "
                "text if it is not a field."
            ),
            fields=", ".join(f"{n.capitalize()}:" for n in names),
        )
        if close:
            english = english_name(close[0])
            shown = {n for n, e in aliases.items() if e == english} | {english}
            suggestion = " / ".join(f"`{n.capitalize()}:`" for n in sorted(shown, reverse=True))
            rest = Message(_("did you mean {suggestion}? {then}"), suggestion=suggestion, then=rest)
        raise ContentError(
            path,
            line,
            Message(_("unknown field `{name}:` in the page header."), name=name),
            rest,
        )


def _all_aliases() -> list[str]:
    return [alias for aliases in FIELD_ALIASES.values() for alias in aliases]


def check_status_word(path: str, line: int, source: str, lang: str) -> None:
    """``Status:`` says draft, published or hidden in the file's language (a
    Norwegian file may also write utkast, publisert or skjult)."""
    value = source.partition(":")[2].strip().lower()
    if value in STATUS_ALIASES.get(lang, {}):
        return
    for aliases in STATUS_ALIASES.values():
        if value in aliases:
            raise ContentError(
                path,
                line,
                _("`Status: {value}` is not a status in {lang}."),
                _("write `Status: {english}` instead."),
                value=value,
                lang=language_name(lang),
                english=aliases[value],
            )


def check_headings(path: str, text: str) -> None:
    """Headings start at ``##`` and go down one level at a time."""
    lines = text.splitlines()
    start = header_lines(text)[1]
    previous = 1  # the title is the page's level-1 heading
    in_fence = False
    for index in range(start, len(lines)):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else ATX.match(line)
        if not match:
            continue
        level = len(match["hashes"])
        if level == 1:
            raise ContentError(
                path,
                index + 1,
                _("a `#` heading in the text: the title is the page's only level-1 heading."),
                _("start the headings of the text at `##` (then `###` under it)."),
            )
        if level > previous + 1:
            raise ContentError(
                path,
                index + 1,
                _(
                    "the heading jumps from level {previous} to level {level} "
                    "(`{hashes}` after `{above}`)."
                ),
                _(
                    "use `{wanted}` here: go down one level at a time, so that screen "
                    "readers can follow the structure."
                ),
                previous=previous,
                level=level,
                hashes=match["hashes"],
                above="#" * previous,
                wanted="#" * (previous + 1),
            )
        previous = level


def check_category(path: str, line: int | None, category: str, known: Iterable[str]) -> None:
    """An article's ``Category:`` is one the site has."""
    known = list(known)
    if category in known:
        return
    close = difflib.get_close_matches(category, known, n=1)
    use = Message(
        _("Use one of {known}, or remove the line (news is the default)."), known=", ".join(known)
    )
    raise ContentError(
        path,
        line,
        Message(_("unknown category '{category}'."), category=category),
        Message(_("did you mean `Category: {close}`? {then}"), close=close[0], then=use)
        if close
        else use,
    )


def check_title_length(path: str, line: int | None, title: str, most: int = MAX_TITLE_LENGTH):
    """A title short enough for its share card."""
    title = " ".join(str(title).split())
    if len(title) > most:
        raise ContentError(
            path,
            line,
            _("the title has {length} characters; at most {most} fit its share card."),
            _(
                "shorten the title to {most} characters or fewer, and put the rest in "
                "`Summary:` or the text."
            ),
            length=len(title),
            most=most,
        )


# Unfinished pages (issue #22) ---------------------------------------------------

# What `invoke new-page`, `new-article` and `new-milestone` (tools/) write in
# place of the text and the summary, in the file's language: a page or
# milestone still holding it is not finished.
PLACEHOLDERS = {
    "nb": {"text": "Skriv teksten her.", "summary": "Skriv én eller to setninger om siden."},
    "en": {"text": "Write the text here.", "summary": "Write one or two sentences about the page."},
}


def _plain(text: str) -> str:
    return " ".join(text.split()).rstrip(".!?:;… ").casefold()


def check_unfinished(path: str, text: str) -> None:
    """No text the staff commands wrote as a placeholder, and a summary that says
    more than the title."""
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        for placeholder in (p for texts in PLACEHOLDERS.values() for p in texts.values()):
            if placeholder in line:
                raise ContentError(
                    path,
                    number,
                    _("the placeholder “{placeholder}” is still here: the page is not finished."),
                    _(
                        "write the page's own text in its place (or mark the file "
                        "`Status: draft` until it is ready)."
                    ),
                    placeholder=placeholder,
                )
    line, title_line = header_line(lines, "summary"), header_line(lines, "title")
    summary = lines[line - 1].partition(":")[2] if line else ""
    title = lines[title_line - 1].partition(":")[2] if title_line else ""
    if line and title_line and _plain(summary) == _plain(title):
        raise ContentError(
            path,
            line,
            _("`Summary:` only repeats the title."),
            _(
                "write one or two sentences on what the reader finds here: the summary is "
                "shown in listings, in search results and when the page is shared."
            ),
        )


# All checks ------------------------------------------------------------------------


def check_source(path: str, text: str, settings: dict) -> None:
    """All the checks of a page's source that need no other page."""
    extra = settings.get("BILINGUAL_EXTRA_FIELDS", ())
    check_fields(path, text, (*KNOWN_FIELDS, *extra))
    check_headings(path, text)
