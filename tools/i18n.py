"""The staff commands' own words, in Norwegian or English.

The commands' messages are written in English in the code, as ``_("...")``
with ``{name}`` placeholders, and translated in the gettext catalogue
``tools/translations/nb/LC_MESSAGES/messages.po`` (read directly, like the
theme's catalogues: no compiled .mo file to forget). English needs no
catalogue: it is the text in the code. ``invoke translations-update`` extracts
the messages of ``tools/`` and ``tasks.py`` into that catalogue too, and a test
fails while one lacks its Norwegian translation.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

CATALOGUES = Path(__file__).resolve().parent / "translations"
SOURCE_LANG = "en"


def po_path(lang: str, catalogues: Path = CATALOGUES) -> Path:
    return catalogues / lang / "LC_MESSAGES" / "messages.po"


@cache
def translator(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang`` (English, and a language without a catalogue: the
    English text itself)."""
    path = po_path(lang)
    if lang == SOURCE_LANG or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


class Speaker:
    """Says a message in one language: ``say("Created {path}", path=...)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._translations = translator(lang)

    def __call__(self, message: str, /, **params: object) -> str:
        return self._translations.gettext(message).format(**params)


def _(message: str) -> str:
    """Marks a message for extraction; it is translated where it is said."""
    return message


def folded(text: str) -> str:
    """``text`` lowercased and without accents, for comparing what people type:
    "Erfaringskonsulenter" and "erfaringskonsulenter", "Spør" and "spor"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("ø", "o").replace("æ", "ae").split())


class Refusal(ValueError):
    """A wrong answer or option: the message in English (``str``), or said in a
    language with ``said(Speaker(lang))``."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(self.said(Speaker(SOURCE_LANG)))

    def said(self, say: Speaker) -> str:
        return say(self.message, **self.params)
