"""Soft hyphens in the long words of headings, for browsers without a
hyphenation dictionary (Chromium on Linux and Windows has none for Bokmål).

CSS asks for ``hyphens: auto``; where a browser cannot hyphenate, a compound
such as "Tilgjengelighetserklæring" would otherwise be cut anywhere
(``overflow-wrap``) on a narrow phone. The ``hyphenate`` template filter puts
soft hyphens (U+00AD, invisible unless the line breaks there) into words of at
least ``HYPHENATE_MIN_LENGTH`` letters, at the break points of the page
language's dictionary (Pyphen, LibreOffice's patterns).

Settings, with their defaults in ``DEFAULTS``: ``HYPHENATE_MIN_LENGTH`` and
``HYPHENATE_DICTIONARIES`` (language -> Pyphen dictionary).
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

import pyphen
from jinja2 import pass_context
from markupsafe import Markup, escape
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "HYPHENATE_MIN_LENGTH": 12,
    "HYPHENATE_DICTIONARIES": {"nb": "nb_NO", "en": "en_GB"},
}
SOFT_HYPHEN = "\u00ad"
WORD = re.compile(r"\w+", re.UNICODE)

_settings: dict[str, Any] = {}


@cache
def dictionary(name: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=name)


def hyphenate(text: str, dictionary_name: str, min_length: int) -> str:
    """``text`` with soft hyphens in every word of at least ``min_length`` letters."""
    hyphens = dictionary(dictionary_name)

    def soften(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < min_length:
            return word
        return hyphens.inserted(word, hyphen=SOFT_HYPHEN)

    return WORD.sub(soften, text)


@pass_context
def hyphenate_filter(ctx, value: Any, lang: str | None = None) -> Markup | str:
    """The template filter: ``{{ page.title | hyphenate }}`` in the page's language."""
    if value is None:
        return ""
    lang = lang or ctx.get("lang") or ctx.get("DEFAULT_LANG")
    name = _settings.get("HYPHENATE_DICTIONARIES", {}).get(lang)
    if not name:
        return value
    minimum = _settings["HYPHENATE_MIN_LENGTH"]
    if isinstance(value, Markup):
        return Markup(hyphenate(str(value), name, minimum))
    return Markup(hyphenate(str(escape(value)), name, minimum))


def initialize(pelican) -> None:
    settings = pelican.settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    _settings.clear()
    _settings.update({name: settings[name] for name in DEFAULTS})
    for lang, name in settings["HYPHENATE_DICTIONARIES"].items():
        if name not in pyphen.LANGUAGES:
            raise ValueError(
                f"HYPHENATE_DICTIONARIES gives {lang!r} the dictionary {name!r}, which Pyphen "
                f"does not have; choose one of pyphen.LANGUAGES (such as 'nb_NO' or 'en_GB')."
            )


def install_filter(generator) -> None:
    generator.env.filters["hyphenate"] = hyphenate_filter


def register():
    signals.initialized.connect(initialize)
    signals.generator_init.connect(install_filter)
