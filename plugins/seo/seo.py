"""Feeds, sitemaps and metadata, per language.

This plugin

* writes an Atom feed of the news in each language, next to that language's
  news page (``/nyheter/atom.xml``, ``/en/news/atom.xml``), holding only the
  articles in that language;
* writes ``sitemap.xml`` with every published page and article, each with
  ``<xhtml:link rel="alternate" hreflang>`` for its translations and
  ``x-default``, and ``robots.txt`` that points to it;
* puts a ``seo`` object into the template context: the canonical URL and the
  meta description of a page (its ``Summary:``, else its first paragraph),
  the feed of a language, the home page test and the organisation as JSON-LD.

Settings, with their defaults in ``DEFAULTS``: ``SEO_FEED_PAGE``,
``SEO_FEED_FILE``, ``SEO_FEED_MAX_ITEMS``, ``SEO_HOME_KEY``,
``SEO_DESCRIPTION_LENGTH``, ``SEO_ORGANIZATION``, ``SEO_LOGO``,
``SEO_SITEMAP`` and ``SEO_ROBOTS``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from bs4 import BeautifulSoup
from feedgenerator import Atom1Feed, get_tag_uri
from pelican import signals
from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator, PagesGenerator

from sitelib.settings import add_defaults

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "SEO_FEED_PAGE": "news",  # Key of the page the feed of each language sits next to
    "SEO_FEED_FILE": "atom.xml",
    "SEO_FEED_MAX_ITEMS": 20,
    "SEO_HOME_KEY": "home",  # Key of the home page: it carries the JSON-LD
    "SEO_DESCRIPTION_LENGTH": 160,  # characters of a first paragraph used as description
    # schema.org Organization; "url" and "logo" are filled in from SITEURL
    "SEO_ORGANIZATION": {},
    "SEO_LOGO": "favicon.svg",  # in the theme's static folder: the mark
    "SEO_SITEMAP": "sitemap.xml",
    "SEO_ROBOTS": "robots.txt",
}

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SPACE = re.compile(r"\s+")


# Pure helpers ---------------------------------------------------------------


def plain_text(html: str) -> str:
    """The text of an HTML fragment on one line."""
    return SPACE.sub(" ", BeautifulSoup(html or "", "html.parser").get_text()).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return f"{cut}…"


def first_paragraph(html: str) -> str:
    paragraph = BeautifulSoup(html or "", "html.parser").find("p")
    return plain_text(str(paragraph)) if paragraph else plain_text(html)


def description_of(content: Content, limit: int) -> str:
    """The meta description, as plain text: the ``Summary:`` as written (a header
    field is text, never HTML: pelicanconf.py sets no FORMATTED_FIELDS), else the
    text of the first paragraph. Templates escape it where they print it."""
    if content.metadata.get("summary"):
        return SPACE.sub(" ", str(content.metadata["summary"])).strip()
    return shorten(first_paragraph(content.content), limit)


def is_listed(content: Content) -> bool:
    """Whether a page belongs in sitemaps and feeds (not hidden, not an error page)."""
    return content.status == "published" and bool(content.save_as)


def absolute(siteurl: str, path: str) -> str:
    return f"{siteurl}/{path}"


@dataclass
class Seo:
    """What templates need for metadata; see the module docstring."""

    settings: dict[str, Any]
    siteurl: str
    feeds: dict[str, str]  # language -> feed path in the output
    # Each page's canonical URL, worked out once per build (templates ask up to
    # three times per page, and Pelican formats ``url`` and ``save_as`` anew on
    # every access): id -> (the page, kept alive, and its URL)
    _canonical: dict[int, tuple[Any, str | None]] = field(default_factory=dict, repr=False)

    def canonical(self, content: Content | None) -> str | None:
        if content is None:
            return None
        known = self._canonical.get(id(content))
        if known is None or known[0] is not content:
            url = absolute(self.siteurl, content.url) if is_listed(content) else None
            known = (content, url)
            self._canonical[id(content)] = known
        return known[1]

    def description(self, content: Content | None) -> str:
        if content is None:
            return ""
        return description_of(content, self.settings["SEO_DESCRIPTION_LENGTH"])

    def feed_url(self, lang: str) -> str | None:
        path = self.feeds.get(lang)
        return absolute(self.siteurl, path) if path else None

    def is_home(self, content: Content | None) -> bool:
        return (
            content is not None and getattr(content, "key", None) == self.settings["SEO_HOME_KEY"]
        )

    def logo_url(self) -> str:
        static = self.settings["THEME_STATIC_DIR"]
        return absolute(self.siteurl, f"{static}/{self.settings['SEO_LOGO']}")

    def organization(self, content: Content) -> dict[str, Any]:
        """schema.org data about the organisation, for the home page ``content``."""
        data = {"@context": "https://schema.org", "@type": "Organization"}
        data.update(self.settings["SEO_ORGANIZATION"])
        data["url"] = absolute(self.siteurl, content.url)
        data["logo"] = self.logo_url()
        return data


def feed_path(news_page: Content, filename: str) -> str:
    """The feed's path: in the folder the news page is written to."""
    folder = str(Path(news_page.save_as).parent)
    return filename if folder == "." else f"{folder}/{filename}"


def build_feed(
    articles: list[Article], lang: str, title: str, author: str, siteurl: str, path: str, home: str
) -> Atom1Feed:
    """The Atom feed of ``articles``, newest first, in language ``lang``."""
    feed = Atom1Feed(
        title=title,
        link=absolute(siteurl, home),
        description="",
        language=lang,
        author_name=author,
        feed_url=absolute(siteurl, path),
    )
    for article in articles:
        link = absolute(siteurl, article.url)
        summary = SPACE.sub(" ", str(article.metadata.get("summary") or "")).strip()
        feed.add_item(
            title=str(article.title),  # plain text: feedgenerator escapes it
            link=link,
            # A tag: URI needs a domain; local builds (no SITEURL) use the link.
            unique_id=get_tag_uri(link, article.date) if "//" in link else None,
            description=summary or None,
            content=article.get_content(siteurl),
            pubdate=article.date,
            updateddate=getattr(article, "modified", None),
        )
    return feed


def sitemap_xml(entries: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """A sitemap of (url, [(hreflang, url), ...]) entries, as text."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for loc, alternates in entries:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
        for hreflang, href in alternates:
            ET.SubElement(
                url,
                f"{{{XHTML_NS}}}link",
                {"rel": "alternate", "hreflang": hreflang, "href": href},
            )
    ET.indent(urlset)
    body = ET.tostring(urlset, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def robots_txt(siteurl: str, sitemap: str) -> str:
    lines = ["User-agent: *", "Allow: /", ""]
    if siteurl.startswith(("http://", "https://")):
        lines.append(f"Sitemap: {siteurl}/{sitemap}")
    else:
        # A Sitemap line needs an absolute URL; local builds have no SITEURL.
        lines.append(f"# Sitemap: /{sitemap} (absolute in the published site)")
    return "\n".join(lines) + "\n"


# Signal handlers --------------------------------------------------------------


_state: dict[str, Any] = {}  # this run's pages and articles; reset after each run


def _items(generators) -> tuple[list[Content], list[Article]]:
    pages: list[Content] = []
    articles: list[Article] = []
    for generator in generators:
        if isinstance(generator, PagesGenerator):
            pages += generator.pages + generator.translations
        elif isinstance(generator, ArticlesGenerator):
            articles += generator.articles + generator.translations
    return pages, articles


def prepare(generators) -> None:
    """Put the ``seo`` object into the context and remember what to write."""
    settings = generators[0].settings
    pages, articles = _items(generators)
    news = {
        p.lang: p
        for p in pages
        if getattr(p, "key", None) == settings["SEO_FEED_PAGE"] and is_listed(p)
    }
    feeds = {lang: feed_path(page, settings["SEO_FEED_FILE"]) for lang, page in news.items()}
    _state.clear()
    _state.update(pages=pages, articles=articles, feeds=feeds, news=news)
    generators[0].context["seo"] = Seo(settings, settings["SITEURL"], feeds)


class SeoGenerator:
    """Writes the feeds, sitemap.xml and robots.txt once all content is known."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = Path(output_path)

    def generate_context(self) -> None:
        pass

    def _write(self, path: str, text: str) -> None:
        target = self.output_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        logger.info("Writing %s", target)

    def generate_output(self, writer) -> None:
        if not _state:
            return
        settings = self.settings
        siteurl = settings["SITEURL"]
        bilingual = self.context.get("bilingual")
        limit = settings["SEO_FEED_MAX_ITEMS"]
        for lang, path in _state["feeds"].items():
            articles = sorted(
                (a for a in _state["articles"] if a.lang == lang and is_listed(a)),
                key=lambda a: a.date,
                reverse=True,
            )[:limit]
            news = _state["news"][lang]
            title = f"{settings['SITENAME']} – {news.title}"
            home = bilingual.languages[lang].get("home", "") if bilingual else ""
            author = settings.get("SITE_FULLNAME") or settings["SITENAME"]
            feed = build_feed(articles, lang, title, author, siteurl, path, home)
            target = self.output_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8") as handle:
                feed.write(handle, "utf-8")
            logger.info("Writing %s", target)
        entries = []
        for content in _state["pages"] + _state["articles"]:
            if not is_listed(content):
                continue
            alternates = bilingual.alternates(content, content.lang) if bilingual else []
            entries.append((absolute(siteurl, content.url), alternates))
        self._write(settings["SEO_SITEMAP"], sitemap_xml(entries))
        self._write(settings["SEO_ROBOTS"], robots_txt(siteurl, settings["SEO_SITEMAP"]))


def get_generators(_pelican):
    return SeoGenerator


def reset(_pelican=None) -> None:
    _state.clear()


def initialize(pelican) -> None:
    add_defaults(pelican.settings, DEFAULTS)


def register():
    signals.initialized.connect(initialize)
    signals.all_generators_finalized.connect(prepare)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(reset)
