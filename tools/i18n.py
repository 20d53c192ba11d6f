"""The staff commands' own words, in Norwegian or English.

The commands' messages are written in English in the code, as ``_("...")``
with ``{name}`` placeholders, and translated in the gettext catalogue
``tools/translations/nb/LC_MESSAGES/messages.po`` (read directly, like the
theme's catalogues: no compiled .mo file to forget). English needs no
catalogue: it is the text in the code. ``invoke translations-update`` extracts
the messages of ``tools/``, ``tasks.py`` and ``plugins/`` into that catalogue, and a test
fails while one lacks its Norwegian translation.
"""

from __future__ import annotations

import unicodedata

# One loader for the staff catalogue: the content checks (plugins/) say their
# messages through it too (tools/__init__ puts plugins/ on the import path).
from sitelib.i18n import CATALOGUES, SOURCE_LANG, _, po_path, translator

__all__ = ["CATALOGUES", "SOURCE_LANG", "Refusal", "Speaker", "_", "folded", "po_path"]


class Speaker:
    """Says a message in one language: ``say("Created {path}", path=...)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._translations = translator(lang)

    def __call__(self, message: str, /, **params: object) -> str:
        return self._translations.gettext(message).format(**params)


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
