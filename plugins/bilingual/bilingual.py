"""Two languages on Pelican's own translations.

The folder a content file lies in gives its language (``pages/nb/``,
``news/en/``); its ``Key:`` pairs it with its translation. This plugin

* checks every page and article as it is read (title, key, language,
  duplicate keys, slugs and output paths; header fields, heading levels,
  category and title length, in ``checks.py``) and, once all are read, that every
  translation has a page in the default language;
* reads the theme's gettext catalogues and installs ``_()``/``{% trans %}``
  so that each page is rendered in its own language;
* formats dates with Babel for the page's locale (``format_date`` filter),
  no more precise than the ``Date:`` metadata (see ``dates.py``);
* puts a ``bilingual`` object into the template context: menus, sections and
  listings per language, and the URL of any page in the other language.

The menus come from the pages' own headers (``Menu:``, ``Section:``,
``Footer:``; see ``menus.py``), never from the settings.

Settings, with their defaults in ``DEFAULTS``: ``BILINGUAL_LANGUAGES``,
``BILINGUAL_TRANSLATIONS_DIR``, ``BILINGUAL_EXTRA_FIELDS`` and
``BILINGUAL_CATEGORIES``.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context
from pelican import signals
from pelican.contents import Article, Content, Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.urlwrappers import Category

from sitelib.errors import ContentError, display_path
from sitelib.i18n import Message, _
from sitelib.keylinks import SOURCE_LINK, key_entry
from sitelib.settings import add_defaults
from sitelib.source import header_line, header_lines, metadata_line

from .catalogs import load_catalog
from .checks import check_category, check_source, check_title_length, check_unfinished
from .dates import datetime_attr, format_date, parse_date
from .menus import read_menus

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    # language code -> locale for Babel, its own name, the URL of its home page
    "BILINGUAL_LANGUAGES": {
        "en": {"locale": "en_GB", "name": "English", "home": ""},
    },
    "BILINGUAL_TRANSLATIONS_DIR": None,  # default: <THEME>/translations
    "BILINGUAL_EXTRA_FIELDS": (),  # header fields allowed beyond checks.KNOWN_FIELDS
    "BILINGUAL_CATEGORIES": None,  # the allowed `Category:` values; default: DEFAULT_CATEGORY
}

# Settings of earlier versions that the pages' headers replace (menus.py)
RETIRED_SETTINGS = ("BILINGUAL_MENU", "BILINGUAL_SECTIONS", "BILINGUAL_FOOTER")

I18N = "jinja2.ext.i18n"
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# What has been read in this run; reset when a run starts and ends, because
# `invoke livereload` runs many builds in one process.
_seen: dict[tuple[str, ...], str] = {}
_catalogs: dict[str, Any] = {}
_locales: dict[str, str] = {}  # language code -> Babel locale
# The links by Key read in this run: (file, line, Key, the file's language)
_key_links: list[tuple[str, int, str, str]] = []


# Pure helpers ---------------------------------------------------------------


def folder_lang(path: str, settings: dict[str, Any]) -> str | None:
    """The language the folder of a content file gives (PATH_METADATA's ``lang``)."""
    pattern = settings.get("PATH_METADATA")
    if not pattern:
        return None
    relative = os.path.relpath(path, settings["PATH"]).replace(os.sep, "/")
    match = re.match(pattern, relative)
    return match.groupdict().get("lang") if match else None


def kind_of(content: Content) -> str:
    return "news" if isinstance(content, Article) else "page"


def check_metadata(
    path: str, metadata: dict[str, Any], languages: dict[str, Any], folder: str | None = None
) -> None:
    """Raise ContentError when a page's own metadata is incomplete or wrong;
    ``folder`` is the language its folder gives."""
    names = ", ".join(languages)
    if not str(metadata.get("title", "")).strip():
        raise ContentError(
            path,
            metadata_line(path, "title"),
            _("the page has no title."),
            _(
                "add a line such as `Title: About KBT` at the top of the file, "
                "before the first blank line."
            ),
        )
    lang = metadata.get("lang")
    if lang is None:
        raise ContentError(
            path,
            None,
            _("the file lies outside a language folder, so its language is unknown."),
            _(
                "move it into a folder named after its language ({names}), "
                "for example content/pages/nb/."
            ),
            names=names,
        )
    if lang not in languages:
        line = metadata_line(path, "lang")
        raise ContentError(
            path,
            line,
            _("unknown language '{lang}' (from `Lang:`); this site has {names}.")
            if line
            else _("unknown language '{lang}' (from the folder name); this site has {names}."),
            _("put the file in one of the language folders ({names}) and remove the `Lang:` line.")
            if line
            else _("put the file in one of the language folders ({names})."),
            lang=lang,
            names=names,
        )
    line = metadata_line(path, "lang")
    if line and folder and lang != folder:
        raise ContentError(
            path,
            line,
            _("`Lang: {lang}` contradicts the folder, which says “{folder}”."),
            _(
                "remove the `Lang:` line: the folder gives the language. To change the "
                "language, move the file into the other language's folder."
            ),
            lang=lang,
            folder=folder,
        )
    key = str(metadata.get("key", "")).strip()
    if not key:
        raise ContentError(
            path,
            None,
            _("the page has no `Key:`, the id that pairs it with its translation."),
            _(
                "add a line such as `Key: vision` at the top of the file; "
                "use the same Key in the Norwegian and the English file."
            ),
        )
    if not KEY_PATTERN.match(key):
        raise ContentError(
            path,
            metadata_line(path, "key"),
            _("`Key: {key}` may only use lowercase letters a-z, digits and hyphens."),
            _("write it like `Key: children-youth`."),
            key=key,
        )


def remember(seen: dict[tuple[str, ...], str], content: Content) -> None:
    """Remember a page's key, slug and output path; raise on a duplicate."""
    path = content.source_path
    lang = content.lang
    kind = kind_of(content)
    checks = [
        (("key", kind, lang, content.key), "key", Message(_("`Key: {key}`"), key=content.key)),
        (
            ("slug", kind, lang, content.slug),
            "slug",
            Message(_("the slug '{slug}'"), slug=content.slug),
        ),
    ]
    if content.save_as:
        checks.append((("save_as", content.save_as), "save_as", Message(_("the output file"))))
    for ident, field_name, what in checks:
        other = seen.get(ident)
        if other and other != path:
            raise ContentError(
                path,
                metadata_line(path, field_name),
                _("{what} is already used in {lang} by {other} (writes {save_as})."),
                _("give one of the two files another Key.")
                if field_name == "key"
                else _("give one of the two files another file name or `Slug:`."),
                what=what,
                lang=lang,
                other=display_path(other),
                save_as=content.save_as,
            )
        seen[ident] = path


def check_translations(items: list[Content], default_lang: str, drafts: list[Content] = ()) -> None:
    """Every page in another language must translate one in the default one
    (which must not be a draft while the translation is published)."""
    originals = {c.key for c in items if c.lang == default_lang}
    draft_originals = {c.key: c for c in drafts if c.lang == default_lang}
    for content in items:
        if content.lang == default_lang or content.key in originals:
            continue
        draft = draft_originals.get(content.key)
        if draft is not None:
            raise ContentError(
                draft.source_path,
                metadata_line(draft.source_path, "status"),
                _(
                    "the page is a draft (`Status: draft`), but its translation {other} is "
                    "published, and a translation cannot be published without its original."
                ),
                _(
                    "remove the `Status: draft` line here when the page is ready, or add "
                    "`Status: draft` to {other} as well."
                ),
                other=display_path(content.source_path),
            )
        raise ContentError(
            content.source_path,
            metadata_line(content.source_path, "key"),
            _("`Key: {key}` points at no page in {default}: this translation has no original."),
            _(
                "use the Key of the {default} page that this file translates, "
                "or write that page first in its {default} folder."
            ),
            key=content.key,
            default=default_lang,
        )


@dataclass
class MenuItem:
    key: str
    title: str
    url: str
    lang: str
    children: list[str] = field(default_factory=list)

    def current(self, page_key: str | None) -> str | None:
        """The value of aria-current for a page with ``page_key``."""
        if page_key == self.key:
            return "page"
        if page_key in self.children:
            return "true"
        return None


@dataclass
class Bilingual:
    """What templates need to know about the languages of the site."""

    default_lang: str
    languages: dict[str, dict[str, str]]
    siteurl: str
    pages: dict[str, dict[str, Content]]
    articles: dict[str, list[Article]]
    menu_keys: list[str]
    sections: dict[str, list[str]]
    footer_keys: list[str]
    # The menus, worked out once per build rather than on every page
    _menus: dict[tuple, list[MenuItem]] = field(default_factory=dict, repr=False)
    # Each page's URL, worked out once per build: Pelican formats ``url`` anew on
    # every access, and a page shows the URLs of its translations, its section
    # and the news page (id -> (the page, kept alive, and its URL))
    _urls: dict[int, tuple[Any, str]] = field(default_factory=dict, repr=False)

    def url(self, content_or_path: Content | str) -> str:
        if isinstance(content_or_path, str):
            return f"{self.siteurl}/{content_or_path}"
        known = self._urls.get(id(content_or_path))
        if known is None or known[0] is not content_or_path:
            path = getattr(content_or_path, "url", content_or_path)
            known = (content_or_path, f"{self.siteurl}/{path}")
            self._urls[id(content_or_path)] = known
        return known[1]

    def home_url(self, lang: str) -> str:
        return self.url(self.languages[lang].get("home", ""))

    def page(self, key: str, lang: str) -> Content | None:
        """The page with ``key`` in ``lang``, else in the default language."""
        return self.pages.get(lang, {}).get(key) or self.pages[self.default_lang].get(key)

    def pages_for(self, keys: list[str], lang: str) -> list[Content]:
        return [self.page(key, lang) for key in keys]

    def translation(self, content: Content, lang: str) -> Content | None:
        if content.lang == lang:
            return content
        return next((t for t in content.translations if t.lang == lang), None)

    def _items(self, keys: list[str], lang: str) -> list[MenuItem]:
        known = self._menus.get((tuple(keys), lang))
        if known is not None:
            return known
        items = []
        for key in keys:
            page = self.page(key, lang)
            title = getattr(page, "menu_title", None) or page.title
            items.append(
                MenuItem(key, title, self.url(page), page.lang, self.sections.get(key, []))
            )
        self._menus[(tuple(keys), lang)] = items
        return items

    def menu(self, lang: str) -> list[MenuItem]:
        return self._items(self.menu_keys, lang)

    def footer(self, lang: str) -> list[MenuItem]:
        return self._items(self.footer_keys, lang)

    def section(self, key: str | None, lang: str) -> list[MenuItem]:
        """The local menu of the section that the page ``key`` belongs to."""
        for head, children in self.sections.items():
            if key == head or key in children:
                return self._items(children, lang)
        return []

    def switcher(self, content: Content | None, lang: str) -> list[dict[str, Any]]:
        """Links to the other languages: the same page, else their home page."""
        links = []
        for other, info in self.languages.items():
            if other == lang:
                continue
            target = self.translation(content, other) if content else None
            links.append(
                {
                    "lang": other,
                    "name": info["name"],
                    "url": self.url(target) if target else self.home_url(other),
                    "same_page": target is not None,
                }
            )
        return links

    def alternates(self, content: Content | None, lang: str) -> list[tuple[str, str]]:
        """(hreflang, url) pairs for <link rel="alternate">, with x-default."""
        if content is None:
            found = {code: self.home_url(code) for code in self.languages}
        else:
            found = {
                code: self.url(t)
                for code in self.languages
                if (t := self.translation(content, code)) is not None
            }
        pairs = list(found.items())
        default = found.get(self.default_lang) or found.get(lang)
        if default:
            pairs.append(("x-default", default))
        return pairs


# Template helpers -----------------------------------------------------------


def context_content(ctx) -> Content | None:
    return ctx.get("page") or ctx.get("article")


@pass_context
def current_lang(ctx) -> str:
    content = context_content(ctx)
    if content is not None:
        return content.lang
    return ctx.get("lang") or ctx.get("DEFAULT_LANG") or next(iter(_locales))


def _catalog(ctx):
    return _catalogs[current_lang(ctx)]


@pass_context
def _gettext(ctx, message: str) -> str:
    return _catalog(ctx).gettext(message)


@pass_context
def _ngettext(ctx, singular: str, plural: str, n: int) -> str:
    return _catalog(ctx).ngettext(singular, plural, n)


@pass_context
def _format_date(ctx, date) -> str:
    return format_date(date, _locales[current_lang(ctx)])


# Signal handlers --------------------------------------------------------------


def initialize(pelican) -> None:
    """Fill in default settings, read the catalogues and reset the run's state."""
    settings = add_defaults(pelican.settings, DEFAULTS)
    jinja = settings.setdefault("JINJA_ENVIRONMENT", {})
    extensions = list(jinja.get("extensions", []))
    if I18N not in extensions:  # _() and {% trans %} need it
        jinja["extensions"] = [*extensions, I18N]
    languages = settings["BILINGUAL_LANGUAGES"]
    default_lang = settings["DEFAULT_LANG"]
    if default_lang not in languages:
        raise ValueError(
            f"DEFAULT_LANG {default_lang!r} is missing from BILINGUAL_LANGUAGES "
            f"({', '.join(languages)}) in the settings."
        )
    retired = [name for name in RETIRED_SETTINGS if name in settings]
    if retired:
        raise ValueError(
            f"The setting {', '.join(retired)} is no longer read: the menus come from the "
            "pages' headers. Remove it from the settings and give each page its place "
            "(`Menu: 3`, `Section: focus-areas 2`, `Footer: 1`; docs/editing.md)."
        )
    directory = settings["BILINGUAL_TRANSLATIONS_DIR"] or os.path.join(
        settings["THEME"], "translations"
    )
    _seen.clear()
    _key_links.clear()
    _catalogs.clear()
    _locales.clear()
    for lang, info in languages.items():
        _locales[lang] = info["locale"]
        _catalogs[lang] = load_catalog(directory, lang)


def dated(reader_class: type) -> type:
    """``reader_class`` reading ``Date:`` with ``parse_date``, which keeps how
    precise the date is (year, month or day)."""

    class DatedReader(reader_class):
        def process_metadata(self, name, value):
            if name == "date":
                try:
                    return parse_date(value, self.settings.get("TIMEZONE") or "UTC")
                except ValueError:
                    path = getattr(self, "_source_path", None)  # set by Pelican's Markdown reader
                    if not path:
                        raise
                    raise ContentError(
                        path,
                        metadata_line(path, "date"),
                        _("`Date: {value}` is not a date that can be read."),
                        _("write it as 2011-11-26 (a day), 2023-08 (a month) or 2022 (a year)."),
                        value=repr(str(value).strip()),
                    ) from None
            return super().process_metadata(name, value)

    DatedReader.__name__ = f"Dated{reader_class.__name__}"
    return DatedReader


def read_dates(readers) -> None:
    """Readers are made right after this signal: give each class the site's dates."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class:
            readers.reader_classes[extension] = dated(reader_class)


def install_template_helpers(generator) -> None:
    env = generator.env
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.globals["current_lang"] = current_lang
    env.filters["format_date"] = _format_date
    env.filters["datetime_attr"] = datetime_attr


def check_content(content: Content) -> None:
    if not isinstance(content, (Article, Page)):
        return
    languages = content.settings["BILINGUAL_LANGUAGES"]
    path = content.source_path
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()  # Pelican has just read it; once more, for every check below
    if path.endswith(".md"):  # an unknown field (`Titel:`) before a missing title
        check_source(path, text, content.settings)
    check_metadata(path, content.metadata, languages, folder_lang(path, content.settings))
    _key_links.extend((path, line, key, content.lang) for line, key in key_links(text))
    if path.endswith(".md") and getattr(content, "status", "") != "draft":
        check_unfinished(path, text)  # issue #22: as new-page left it
    lines = text.splitlines()
    check_title_length(path, header_line(lines, "title"), content.metadata["title"])
    line = header_line(lines, "category")
    if isinstance(content, Article) and line:
        settings = content.settings
        known = settings.get("BILINGUAL_CATEGORIES") or [settings["DEFAULT_CATEGORY"]]
        check_category(path, line, str(content.metadata.get("category", "")), known)
    remember(_seen, content)


def give_default_category(content: Content) -> None:
    """Pelican gives articles DEFAULT_CATEGORY only when category pages are
    written; this site writes none, and a draft without one crashes Pelican."""
    if isinstance(content, Article) and not hasattr(content, "category"):
        content.category = Category(content.settings["DEFAULT_CATEGORY"], content.settings)


def _all_items(generator) -> list[Content]:
    if isinstance(generator, PagesGenerator):
        names = ("pages", "translations", "hidden_pages", "hidden_translations")
    else:
        names = ("articles", "translations", "hidden_articles", "hidden_translations")
    return [item for name in names for item in getattr(generator, name, [])]


def _drafts(generator) -> list[Content]:
    names = ("draft_pages", "draft_translations", "drafts", "drafts_translations")
    return [item for name in names for item in getattr(generator, name, None) or []]


def key_links(text: str) -> list[tuple[int, str]]:
    """The ``(line, Key)`` of each link by Key (``{key}contact``) in a file's text."""
    start = sum(len(line) + 1 for line in text.splitlines()[: header_lines(text)[1]])
    return [
        (text.count("\n", 0, match.start()) + 1, match["key"])
        for match in SOURCE_LINK.finditer(text, start)
    ]


def link_keys(generator) -> None:
    """Before any page is rendered: each content folder of a language can link to
    each Key of that language (else of the default language) by ``{key}``; an
    unknown Key stops the build at its line, with the closest Key."""
    generated = generator.context["generated_content"]
    default = generator.settings["DEFAULT_LANG"]
    keys: dict[str, dict[str, Content]] = {}
    folders: dict[str, set[str]] = {}
    for item in list(generated.values()):
        if not isinstance(item, (Article, Page)) or not getattr(item, "key", None):
            continue
        lang = item.lang
        folders.setdefault(lang, set()).add(os.path.dirname(item.relative_source_path))
        if getattr(item, "status", "") != "draft":
            keys.setdefault(lang, {})[item.key] = item
    for path, line, key, lang in _key_links:
        if key in keys.get(lang, {}) or key in keys.get(default, {}):
            continue
        known = sorted(keys.get(lang, {}))
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
        raise ContentError(
            path,
            line,
            _("the link `{{key}}{key}` names no page: no page in {lang} has `Key: {key}`."),
            Message(_("did you mean `{{key}}{close}`?"), close=close[0])
            if close
            else Message(_("use the Key of a page in {lang} (its `Key:` line)."), lang=lang),
            key=key,
            lang=lang,
        )
    for lang, own in folders.items():
        targets = {**keys.get(default, {}), **keys.get(lang, {})}
        for folder in own:
            for key, item in targets.items():
                generated.setdefault(key_entry(folder.replace(os.sep, "/"), key), item)


def check_generator(generator) -> None:
    check_translations(
        _all_items(generator), generator.settings["DEFAULT_LANG"], _drafts(generator)
    )


def build_context(generators) -> None:
    """Put the ``bilingual`` object into the context shared by all generators."""
    settings = generators[0].settings
    context = generators[0].context
    languages = settings["BILINGUAL_LANGUAGES"]
    pages: dict[str, dict[str, Content]] = {lang: {} for lang in languages}
    articles: dict[str, list[Article]] = {lang: [] for lang in languages}
    for generator in generators:
        if isinstance(generator, PagesGenerator):
            for page in _all_items(generator):
                pages[page.lang][page.key] = page
        elif isinstance(generator, ArticlesGenerator):
            for article in generator.articles + generator.translations:
                articles[article.lang].append(article)
    for listing in articles.values():
        listing.sort(key=lambda a: a.date, reverse=True)
    menus = read_menus(pages, settings["DEFAULT_LANG"])
    context["bilingual"] = Bilingual(
        default_lang=settings["DEFAULT_LANG"],
        languages=languages,
        siteurl=settings["SITEURL"],
        pages=pages,
        articles=articles,
        menu_keys=menus.menu,
        sections=menus.sections,
        footer_keys=menus.footer,
    )


def reset(_pelican=None) -> None:
    _seen.clear()
    _key_links.clear()


def register():
    signals.initialized.connect(initialize)
    signals.readers_init.connect(read_dates)
    signals.generator_init.connect(install_template_helpers)
    signals.content_object_init.connect(check_content)
    signals.content_object_init.connect(give_default_category)
    signals.page_generator_finalized.connect(link_keys)  # before other plugins render
    signals.page_generator_finalized.connect(check_generator)
    signals.article_generator_finalized.connect(check_generator)
    signals.all_generators_finalized.connect(build_context)
    signals.finalized.connect(reset)
