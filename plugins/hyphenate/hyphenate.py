"""Soft hyphens in the long words of headings, for browsers without a
hyphenation dictionary (Chromium on Linux and Windows has none for Bokmål).

CSS asks for ``hyphens: auto``; where a browser cannot hyphenate, a compound
such as "Tilgjengelighetserklæring" would otherwise be cut anywhere
(``overflow-wrap``) on a narrow phone. The ``hyphenate`` template filter puts
soft hyphens (U+00AD, invisible unless the line breaks there) into words of at
least ``HYPHENATE_MIN_LENGTH`` letters, at the break points of the page
language's dictionary (Pyphen, LibreOffice's patterns). The
``hyphenate_headings`` filter does the same to the text of the ``<h2>``…``<h6>``
of rendered Markdown (``{{ page.content | safe | hyphenate_headings }}``), and
only there: the ids (made from the text before), the content that the contents
list, the search index's metadata and the readability check read, and the body
text stay as they are. Only the text between tags changes, never a tag, an
attribute or a character reference.

Each word is hyphenated once: the results are kept in this process and, for
the next build, in ``CACHE_PATH/hyphenate.json`` (by dictionary and Pyphen
version), so that a build whose headings are all known does not load a
dictionary (about 0.2 s each).

Settings, with their defaults in ``DEFAULTS``: ``HYPHENATE_MIN_LENGTH`` and
``HYPHENATE_DICTIONARIES`` (language -> Pyphen dictionary).
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

import pyphen
from jinja2 import pass_context
from markupsafe import Markup, escape
from pelican import signals

from sitelib.cache import read_json, write_json

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "HYPHENATE_MIN_LENGTH": 12,
    "HYPHENATE_DICTIONARIES": {"nb": "nb_NO", "en": "en_GB"},
}
SOFT_HYPHEN = "\u00ad"
# A word, soft hyphens included: one that has them already is left as it is
WORD = re.compile(r"[\w\u00ad]+", re.UNICODE)
# Markup: a tag, a comment or a character reference; text is what lies between
MARKUP = re.compile(r"(<!--.*?-->|<[^>]*>|&#?\w+;)", re.DOTALL)
# A heading of rendered Markdown, with its level and inner HTML
HEADING = re.compile(r"(<h([2-6])\b[^>]*>)(.*?)(</h\2\s*>)", re.DOTALL | re.IGNORECASE)

CACHE_FILE = "hyphenate.json"

_settings: dict[str, Any] = {}
# dictionary name -> {word: the word with soft hyphens}
_words: dict[str, dict[str, str]] = {}
_new_words = False  # words hyphenated since the cache was read


@cache
def dictionary(name: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=name)


def hyphenate_word(word: str, dictionary_name: str) -> str:
    """``word`` with soft hyphens at its dictionary's break points (each word once)."""
    global _new_words
    known = _words.setdefault(dictionary_name, {})
    found = known.get(word)
    if found is None:
        found = known[word] = dictionary(dictionary_name).inserted(word, hyphen=SOFT_HYPHEN)
        _new_words = True
    return found


def hyphenate(text: str, dictionary_name: str, min_length: int) -> str:
    """``text`` with soft hyphens in every word of at least ``min_length`` letters."""

    def soften(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < min_length or SOFT_HYPHEN in word:
            return word
        return hyphenate_word(word, dictionary_name)

    return WORD.sub(soften, text)


def hyphenate_html(html: str, dictionary_name: str, min_length: int) -> str:
    """``html`` with soft hyphens in the long words of its text, its tags, comments
    and character references untouched."""
    parts = MARKUP.split(html)
    # split() with one group: text at even places, markup at odd ones
    for i in range(0, len(parts), 2):
        if parts[i]:
            parts[i] = hyphenate(parts[i], dictionary_name, min_length)
    return "".join(parts)


def hyphenate_headings_html(html: str, dictionary_name: str, min_length: int) -> str:
    """``html`` with soft hyphens in the long words of its ``<h2>``…``<h6>`` only."""

    def soften(match: re.Match) -> str:
        start, _level, inner, end = match.groups()
        return start + hyphenate_html(inner, dictionary_name, min_length) + end

    return HEADING.sub(soften, html)


def _dictionary_for(ctx, lang: str | None) -> str | None:
    lang = lang or ctx.get("lang") or ctx.get("DEFAULT_LANG")
    return _settings.get("HYPHENATE_DICTIONARIES", {}).get(lang)


def cache_version() -> str:
    return f"pyphen {pyphen.__version__}"


def load_words(path: Path) -> None:
    """The words an earlier build hyphenated, kept in ``path`` (none if it is
    missing or from another version of Pyphen)."""
    kept = read_json(path, cache_version())
    for name, words in (kept if isinstance(kept, dict) else {}).items():
        if isinstance(words, dict):
            _words.setdefault(name, {}).update(words)


def save_words(pelican) -> None:
    """Keep the hyphenated words in CACHE_PATH for the next build, when there are
    new ones."""
    global _new_words
    if not _new_words or not pelican.settings.get("CACHE_PATH"):
        return
    path = Path(pelican.settings["CACHE_PATH"], CACHE_FILE)
    try:
        write_json(path, cache_version(), _words)
    except OSError as error:
        # Not worth stopping the build for (every warning does): the next one hyphenates again
        logger.info("Could not keep the hyphenated words in %s: %s", path, error)
        return
    _new_words = False


def _soften(ctx, value: Any, lang: str | None, transform) -> Markup | str:
    """``value``, escaped unless it is markup, through ``transform`` (html,
    dictionary, minimum length) in the language of ``lang`` or the page."""
    if value is None:
        return ""
    name = _dictionary_for(ctx, lang)
    if not name:
        return value
    return Markup(transform(str(escape(value)), name, _settings["HYPHENATE_MIN_LENGTH"]))


@pass_context
def hyphenate_filter(ctx, value: Any, lang: str | None = None) -> Markup | str:
    """The template filter: ``{{ page.title | hyphenate }}`` in the page's language."""
    return _soften(ctx, value, lang, hyphenate_html)


@pass_context
def hyphenate_headings_filter(ctx, value: Any, lang: str | None = None) -> Markup | str:
    """The template filter for rendered Markdown, after ``safe``:
    ``{{ page.content | safe | hyphenate_headings }}``, in the page's language."""
    return _soften(ctx, value, lang, hyphenate_headings_html)


def initialize(pelican) -> None:
    settings = pelican.settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    _settings.clear()
    _settings.update({name: settings[name] for name in DEFAULTS})
    if settings.get("CACHE_PATH"):
        load_words(Path(settings["CACHE_PATH"], CACHE_FILE))
    for lang, name in settings["HYPHENATE_DICTIONARIES"].items():
        if name not in pyphen.LANGUAGES:
            raise ValueError(
                f"HYPHENATE_DICTIONARIES gives {lang!r} the dictionary {name!r}, which Pyphen "
                f"does not have; choose one of pyphen.LANGUAGES (such as 'nb_NO' or 'en_GB')."
            )


def install_filter(generator) -> None:
    generator.env.filters["hyphenate"] = hyphenate_filter
    generator.env.filters["hyphenate_headings"] = hyphenate_headings_filter


def register():
    signals.initialized.connect(initialize)
    signals.generator_init.connect(install_filter)
    signals.finalized.connect(save_words)
