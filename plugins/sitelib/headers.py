"""Norwegian header names: the one table, and the Markdown extension that reads them.

A Norwegian file (``content/pages/nb/``) may name its header fields in
Norwegian: ``Tittel:`` is ``Title:``, ``Nøkkel:`` is ``Key:`` and so on, and
``Status: utkast`` is ``Status: draft``. An English file uses the English
names; the content checks (``bilingual/checks.py``) stop an English file that
uses a Norwegian one and suggest the English name. The tables are documented
in docs/redigering.md and docs/editing.md.

``HeaderNames`` (``MARKDOWN`` in pelicanconf.py) gives Python-Markdown's meta
extension the English name of each field before it reads the header, so every
field is read one way (``Dato:`` is parsed like ``Date:``), and a name with
æ, ø or å (``Nøkkel:``) does not end the header.
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

# language -> {name in that language (lowercase): the English field name}
FIELD_ALIASES: dict[str, dict[str, str]] = {
    "nb": {
        "tittel": "title",
        "sammendrag": "summary",
        "nøkkel": "key",
        "dato": "date",
        "menytittel": "menu_title",
        "meny": "menu",
        "seksjon": "section",
        "bunntekst": "footer",
    },
}
# language -> {value of `Status:` in that language: the English value}
STATUS_ALIASES: dict[str, dict[str, str]] = {
    "nb": {"utkast": "draft", "publisert": "published", "skjult": "hidden"},
}

# A header line: a field's name (any letters), a colon, its value
FIELD = re.compile(r"^(?P<name>[^\W\d_][\w-]*)(?P<colon>\s*:)(?P<value>.*)$")


def english_name(name: str) -> str:
    """The English name of the header field ``name`` (in any case, in any language
    of the table); a name the table does not know, in lowercase."""
    name = name.lower()
    for aliases in FIELD_ALIASES.values():
        if name in aliases:
            return aliases[name]
    return name


def english_status(value: str) -> str:
    """The English value of ``Status: value`` (in any language of the table)."""
    value = value.strip().lower()
    for aliases in STATUS_ALIASES.values():
        if value in aliases:
            return aliases[value]
    return value


def alias_language(name: str) -> str | None:
    """The language whose name for a field ``name`` is (None: no other language's
    name, such as ``Title`` or an unknown one)."""
    name = name.lower()
    for lang, aliases in FIELD_ALIASES.items():
        if name in aliases and aliases[name] != name:
            return lang
    return None


def english_header(lines: list[str]) -> list[str]:
    """``lines`` with the header's field names (and ``Status:`` value) in English.
    The header ends like Markdown's: at a blank line, or at a line that is no
    field and no indented continuation."""
    out = list(lines)
    for index, line in enumerate(lines):
        if not line.strip():
            break
        match = FIELD.match(line)
        if not match:
            if line[:1].isspace():
                continue
            break
        name, value = english_name(match["name"]), match["value"]
        if name == "status" and english_status(value) != value.strip().lower():
            value = f" {english_status(value)}"
        elif name == match["name"].lower():
            continue
        out[index] = f"{name.capitalize()}{match['colon']}{value}"
    return out


class HeaderNamesPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return english_header(lines)


class HeaderNames(Extension):
    """Reads the header's Norwegian field names as their English ones."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        # before the meta extension (priority 27) reads the header
        md.preprocessors.register(HeaderNamesPreprocessor(md), "kbt_header_names", 28)


def makeExtension(**kwargs) -> HeaderNames:  # noqa: N802 - Python-Markdown's name
    return HeaderNames(**kwargs)
