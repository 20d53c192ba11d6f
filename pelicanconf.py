"""Settings for building the KBT website locally (``make serve``, ``make build``).

``publishconf.py`` imports everything from here and adds what only the
published site needs.
"""

import os
import sys
from datetime import datetime, timedelta

from markdown.extensions.toc import slugify
from unidecode import unidecode

# Pelican loads plugins from PLUGIN_PATHS without putting that folder on
# sys.path; this one line lets the plugins import their shared library
# (plugins/sitelib/) and lets this file import the plugins themselves.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))

import assets  # noqa: E402 - the plugins, imported so that a broken one stops every build
import bilingual  # noqa: E402
import hyphenate  # noqa: E402
import images  # noqa: E402
import quality  # noqa: E402
import readability  # noqa: E402
import readahead  # noqa: E402
import safety  # noqa: E402
import search  # noqa: E402
import seo  # noqa: E402
import timeline  # noqa: E402
import wayfinding  # noqa: E402


def heading_id(value: str, separator: str) -> str:
    """Heading ids in ASCII: "Første del" gets "forste-del", not "frste-del"."""
    return slugify(unidecode(value), separator)


SITENAME = "KBT"
SITE_FULLNAME = "Kompetansesenter for brukererfaring og tjenesteutvikling"
SITEURL = ""
TIMEZONE = "Europe/Oslo"

PATH = "content"
THEME = "theme"
OUTPUT_PATH = "output"

# Languages --------------------------------------------------------------
# Norwegian Bokmål is the default language, served at /; English at /en/.
# The folder a content file lies in (pages/nb/, news/en/ ...) gives its
# language; `Key:` pairs a page with its translation.
DEFAULT_LANG = "nb"
BILINGUAL_LANGUAGES = {
    "nb": {"locale": "nb_NO", "name": "Norsk", "home": ""},
    "en": {"locale": "en_GB", "name": "English", "home": "en/"},
}
# The menus (main menu, section menus, footer) are in the pages' headers:
# `Menu: 3`, `Section: focus-areas 2`, `Footer: 1` (docs/redigering.md, Menyer).
# The task links at the top of the home page (Keys of pages): what readers come for.
HOME_TASKS = ["contact", "bsb", "children-youth", "knowledge"]
BILINGUAL_TRANSLATIONS_DIR = "theme/translations"
# `Synonyms:` lists words readers may search for that the text does not use
# ("experience consultant" on a page about peer workers); only search sees them.
BILINGUAL_EXTRA_FIELDS = ["synonyms"]

# Content ------------------------------------------------------------------
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["news"]
# content/images/ is published by the images plugin as resized copies without
# metadata (no GPS positions); the originals are never copied to the output.
STATIC_PATHS: list[str] = []
PATH_METADATA = r"(?:pages|news)/(?P<lang>[^/]+)/.*"
# A page's address comes from its file name, made URL-safe by Pelican's
# slugify: lowercase, spaces become hyphens, æ/ø/å become ae/o/a
# ("Våre tjenester.md" -> vare-tjenester/); a name with a character that cannot
# stand in an address (quotes, ?, #, %, &) stops the build (plugins/safety).
FILENAME_METADATA = ""
SLUGIFY_SOURCE = "basename"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "news"
PAGE_TRANSLATION_ID = "key"
ARTICLE_TRANSLATION_ID = "key"
DEFAULT_PAGINATION = False

PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
ARTICLE_URL = "nyheter/{slug}/"
ARTICLE_SAVE_AS = "nyheter/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/news/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/news/{slug}/index.html"
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_URL = ""
DRAFT_LANG_SAVE_AS = ""
# Draft pages and the untranslated stubs `invoke new-page` writes are never
# published: Pelican writes them to drafts/pages/ unless these are empty.
DRAFT_PAGE_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_URL = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# Listings are pages with their own template (home, news), so Pelican's
# own index, archive, tag, category and author pages are not written.
DIRECT_TEMPLATES: list[str] = []
INDEX_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
TAGS_SAVE_AS = ""
TAG_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Header fields are plain text, never Markdown or HTML: `Summary: a <b> & c`
# shows exactly those characters (docs/editing.md).
FORMATTED_FIELDS: list[str] = []

# Content is Markdown only (the reStructuredText reader knows no Bokmål).
READERS = {"rst": None}

# sitelib.headers reads a Norwegian file's Norwegian header names (`Tittel:`,
# `Nøkkel:`, `Status: utkast` ...) as the English ones; sitelib.keylinks makes
# `[text]({key}contact)` lead to the page with that Key in the same language
# (docs/redigering.md).
MARKDOWN = {
    "extension_configs": {
        "sitelib.headers:HeaderNames": {},
        "sitelib.keylinks:KeyLinks": {},
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"slugify": heading_id},
    },
    "output_format": "html5",
}

# Theme --------------------------------------------------------------------
# Every template escapes what it prints (autoescape): titles and other header
# fields are text; only the rendered Markdown is marked safe, once per template
# (`content | safe`), after the safety plugin has judged its HTML.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
    # Pelican makes a new environment for every build (`--autoreload` and
    # `make serve` too), so no template changes while one is in use: without
    # this, Jinja looks at each template file's time on every page it renders
    "auto_reload": False,
}
THEME_STATIC_DIR = "theme"
ASSETS_CSS = "css/index.css"
ASSETS_JS_DIR = "js"
ASSETS_HEAD_JS = "head/enhance.js"  # marks the page as enhanced before it is drawn

# The home page calls its block of the newest news items "Latest news" while
# the newest is at most NEWS_RECENT_DAYS old when the site is built, and
# "From the archive" once it is older.
NEWS_RECENT_DAYS = 365


def is_recent(date: datetime, now: datetime | None = None) -> bool:
    """Whether ``date`` lies at most NEWS_RECENT_DAYS before ``now`` (the build's time)."""
    now = now or datetime.now(date.tzinfo)
    return now - date <= timedelta(days=NEWS_RECENT_DAYS)


JINJA_FILTERS = {"is_recent": is_recent}

# Help in a crisis: public numbers shown in a box in the footer of every page
# and on the pages named in CRISIS_PAGES, in the page's language. Kept here once.
CRISIS_NUMBERS = [
    {"number": "113", "nb": "Medisinsk nødhjelp", "en": "Medical emergency"},
    {
        "number": "116 117",
        "nb": "Legevakt",
        "en": "Out-of-hours doctor (legevakt)",
    },
    {
        "number": "116 123",
        "nb": "Mental Helses hjelpetelefon",
        "en": "Mental Helse's helpline",
    },
]
CRISIS_PAGES = ["contact"]

# Safety (plugins/safety/) ----------------------------------------------------
# The Content-Security-Policy every page carries in its <meta http-equiv>, so
# that a host that sends no headers (GitHub Pages) still blocks injected
# scripts. deploy/ sends the same policy as a header, with SAFETY_CSP_HEADER_ONLY
# (directives a <meta> cannot carry); tests/test_safety_csp.py keeps them equal.
# Pagefind runs WebAssembly, hence 'wasm-unsafe-eval'.
SAFETY_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'"
)
SAFETY_CSP_HEADER_ONLY = "frame-ancestors 'none'"

# Feeds, sitemaps and metadata (plugins/seo/) -------------------------------
# Each language's news feed is written next to its news page
# (/nyheter/atom.xml, /en/news/atom.xml); the home page describes the
# organisation as JSON-LD.
SEO_FEED_PAGE = "news"
SEO_HOME_KEY = "home"
SEO_ORGANIZATION = {
    "name": SITE_FULLNAME,
    "alternateName": SITENAME,
    "address": {
        "@type": "PostalAddress",
        "streetAddress": "Sorgenfriveien 9",
        "addressLocality": "Trondheim",
        "addressCountry": "NO",
    },
}

# Search (plugins/search/): Pagefind indexes the output once it is written, in
# one run, into /pagefind/: an index per language, split by each page's
# <html lang>. It runs WebAssembly, so the Content-Security-Policy must allow
# script-src 'self' 'wasm-unsafe-eval'.
SEARCH_PAGEFIND = True
# The home page and the news list only repeat what the pages themselves say.
SEARCH_EXCLUDE_TEMPLATES = ["search", "sitemap", "home", "news"]
# Menus, form controls (the timeline's filter), heading anchors and the hidden
# "(external link)" after a link to another site are not text to search; each
# page's title counts more than its headings, which count more than its text
# (data-pagefind-weight in the templates, Pagefind's own weights).
SEARCH_PAGEFIND_ARGS = [
    "--silent",
    "--exclude-selectors",
    "nav, form, select, button, .kbt-heading-anchor, .kbt-link--external > .kbt-visually-hidden, "
    ".kbt-timeline__controls",
]

# Plugins: always listed explicitly (an empty setting enables every
# installed namespace plugin), as the modules imported at the top, so that a
# plugin that cannot be imported stops `pelican`, `make build` and every other
# entry point with its error. Each stands alone: their order does not matter.
PLUGIN_PATHS = ["plugins"]
# (The order only decides which of two problems in one file is named first:
# bilingual's checks of title, language and key come before safety's.)
PLUGINS = [
    bilingual,
    wayfinding,
    hyphenate,
    safety,
    timeline,
    assets,
    images,
    seo,
    search,
    quality,
    readability,
    readahead,
]

# Readability (plugins/readability/) --------------------------------------
# LIX of the body text of every page and news item. A Norwegian text over the
# limit stops the build; English is measured for information. Sentences over
# READABILITY_LONG_SENTENCE words (quotes excepted) are flagged in the build's
# log and by `invoke readability`. See docs/redigering.md.
READABILITY_LIMITS = {"nb": 50}
READABILITY_LONG_SENTENCE = 30

# Timeline -----------------------------------------------------------------
# The themes a milestone may have (`Themes: bsb, research` under its heading
# in content/pages/nb/tidslinje.md and content/pages/en/timeline.md): id ->
# name in each language. See docs/timeline.md.
TIMELINE_THEMES = {
    "bsb": {"nb": "Bruker Spør Bruker", "en": "User Interviews User"},
    "user-involvement": {"nb": "Brukermedvirkning", "en": "User involvement"},
    "children-youth": {"nb": "Barn og unge", "en": "Children and youth"},
    "peer-workers": {"nb": "Erfaringskonsulenter", "en": "Peer workers"},
    "municipalities": {"nb": "Kommuner", "en": "Municipalities"},
    "research": {"nb": "Forskning", "en": "Research"},
    "education": {"nb": "Utdanning", "en": "Education"},
    "recovery": {"nb": "Recovery", "en": "Recovery"},
    "organisation": {"nb": "Organisasjonen", "en": "The organisation"},
}
TIMELINE_TEASER_COUNT = 3

# Builds -------------------------------------------------------------------
# Pelican's content cache (what the Markdown reader made of each file, reused
# while the file is unchanged). build.py keeps it in a folder of CACHE_PATH
# named by a fingerprint of the settings and the plugins' code, so a change to
# either starts a fresh cache; plain `pelican` keeps it in CACHE_PATH itself
# (after changing a plugin, run it once with --ignore-cache). Images are
# cached in CACHE_PATH/images by the images plugin. publishconf.py keeps its
# own CACHE_PATH, one per SITEURL (cached pages hold their images' addresses).
CACHE_PATH = "cache"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
GZIP_CACHE = False
CHECK_MODIFIED_METHOD = "mtime"
DELETE_OUTPUT_DIRECTORY = True
RELATIVE_URLS = False
