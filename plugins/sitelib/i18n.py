"""Messages for staff, in the language of the file they are about.

A message is written once, in English, in the code: ``_("the link {link} leads
to no file.")`` marks it for extraction (``invoke translations-update``
collects ``plugins/`` with ``tools/`` and ``tasks.py``) and ``Message`` keeps it
with its ``{name}`` values until it is said. The staff catalogue
``tools/translations/<lang>/LC_MESSAGES/messages.po`` translates it, read
directly (no compiled .mo file to forget); English needs no catalogue.

``language_of(path)`` is the one place that decides which language a message
about a file is said in: the folder that names its language
(``content/pages/nb/om.md`` is Norwegian), else English.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

# The staff catalogues (shared with the staff commands in tools/)
CATALOGUES = Path(__file__).resolve().parents[2] / "tools" / "translations"
SOURCE_LANG = "en"


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where it is said."""
    return message


def po_path(lang: str, catalogues: Path = CATALOGUES) -> Path:
    return catalogues / lang / "LC_MESSAGES" / "messages.po"


@cache
def translator(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang`` (English, and a language without a catalogue:
    the English text itself)."""
    path = po_path(lang)
    if lang == SOURCE_LANG or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


@cache
def languages() -> frozenset[str]:
    """The languages messages can be said in: English and each catalogue's."""
    found = {SOURCE_LANG}
    if CATALOGUES.is_dir():
        found |= {entry.name for entry in CATALOGUES.iterdir() if po_path(entry.name).exists()}
    return frozenset(found)


def language_of(path: str | os.PathLike | None) -> str:
    """The language to speak about the file ``path``: the nearest of its folders
    named after a language (``content/news/nb/``), else English."""
    if path:
        known = languages()
        for folder in reversed(Path(os.fspath(path)).parts[:-1]):
            if folder in known:
                return folder
    return SOURCE_LANG


class Message:
    """A message in English with its ``{name}`` values, said in any language;
    a value may be a ``Message`` itself (or a list of them), said in the same language."""

    __slots__ = ("params", "text")

    def __init__(self, text: str, /, **params: Any) -> None:
        self.text = text
        self.params = params

    def said(self, lang: str = SOURCE_LANG) -> str:
        text = translator(lang).gettext(self.text)
        if not self.params:
            return text
        values = {name: _said(value, lang) for name, value in self.params.items()}
        return text.format(**values)

    def __str__(self) -> str:
        return self.said()

    def __contains__(self, text: str) -> bool:
        """Whether the English message holds ``text``."""
        return text in self.said()

    def __repr__(self) -> str:
        return f"Message({self.text!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.text, self.params) == (other.text, other.params)

    def __hash__(self) -> int:
        return hash(self.text)


LANGUAGE_NAMES = {"nb": _("Norwegian"), "en": _("English")}


def language_name(lang: str) -> Message | str:
    """The name of the language ``lang`` as a message (said in the reader's language)."""
    return Message(LANGUAGE_NAMES[lang]) if lang in LANGUAGE_NAMES else lang


def _said(value: Any, lang: str) -> Any:
    """A message's value in ``lang``: a ``Message`` said, a list of them joined."""
    if isinstance(value, Message):
        return value.said(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_said(item, lang)) for item in value)
    return value


def say(message: str | Message, lang: str) -> str:
    """``message`` in ``lang`` (a plain string is said as it is)."""
    return message.said(lang) if isinstance(message, Message) else message
