"""Quality gates on the written site.

Over every HTML page Pelican renders, before it writes it (the templates of
each generator pass their pages, ``install_pass``), in one scan of its tags:

* headings with an ``id`` get a self-link (``<a class="kbt-heading-anchor">``)
  named by ``data-anchor-label`` on ``<body>`` (the attribute is removed),
  placed after the heading, not in it, so that the heading's accessible name is
  its text alone: ``<div class="kbt-heading kbt-heading--h2"><h2 id>…</h2><a>``;
* links to other hosts get the class ``kbt-link--external``, ``rel="external
  noopener"`` and a visually hidden label, taken from the translated
  ``data-external-label`` attribute that ``base.html`` puts on ``<body>``;
* table cells aligned by Markdown (``style="text-align: …"``, which a strict
  Content-Security-Policy blocks) get a class instead.

Raw HTML in the Markdown is judged by the safety plugin (plugins/safety/).

When the whole site is written (``finalized``), every ``href``, ``src`` and
``srcset`` that points into the site, and every ``#fragment``, must resolve to
a written file and an ``id`` in it; a broken one stops the build and names the
content file it came from. With ``QUALITY_SITEURL_ONLY`` (publishconf.py)
every URL must also stay under SITEURL: no ``/x`` from the server root, nothing
on SITEURL's host outside its path, nothing loaded from another host (links
``<a href>`` may lead there), and the ``og:`` addresses of the pages and the
``<loc>`` of the XML files in the output (sitemaps) under SITEURL. Then text
files are precompressed (``.gz`` and ``.br`` next to them, in a process
pool, cached by their bytes) for servers that send them as they are.

Settings, defaults in ``DEFAULTS``: ``QUALITY_HEADING_ANCHORS``,
``QUALITY_EXTERNAL_LINKS``, ``QUALITY_CHECK_LINKS``, ``QUALITY_SITEURL_ONLY``,
``QUALITY_PRECOMPRESS`` (suffixes; empty turns it
off), ``QUALITY_PRECOMPRESS_CACHE``.

Every file the other plugins write is in the output before ``finalized``
(they write in their generators, ``all_generators_finalized`` or
``content_written``), so the checks see the whole site whatever the order of
``PLUGINS``.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import logging
import os
import re
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import brotli
from jinja2 import Template
from pelican import signals

from sitelib import background
from sitelib.cache import link_or_copy, make_entry, mark_used, prune
from sitelib.errors import ContentError, display_path
from sitelib.i18n import Message, _
from sitelib.settings import add_defaults
from sitelib.source import line_of

logger = logging.getLogger(__name__)

DEFAULTS = {
    "QUALITY_HEADING_ANCHORS": True,
    "QUALITY_EXTERNAL_LINKS": True,
    "QUALITY_CHECK_LINKS": True,
    # Every URL must stay under SITEURL (the published site, which may live in a sub-path)
    "QUALITY_SITEURL_ONLY": False,
    "QUALITY_PRECOMPRESS": (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"),
    # A folder in CACHE_PATH for the compressed files, by their bytes (None: none)
    "QUALITY_PRECOMPRESS_CACHE": "precompressed",
}

EXTERNAL_LABEL_ATTR = "data-external-label"
ANCHOR_LABEL_ATTR = "data-anchor-label"
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
HEADING_WRAPPER = "kbt-heading"
URL_ATTRS = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",)}
URL_ATTRS |= {"source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster")}
URL_ATTRS |= {"audio": ("src",), "track": ("src",), "form": ("action",), "area": ("href",)}
URL_ATTRS |= {"object": ("data",), "embed": ("src",)}
# Where a URL stands, as the link errors name it: "<img src>"
WHERE = {(tag, attr): f"<{tag} {attr}>" for tag, attrs in URL_ATTRS.items() for attr in attrs}
# URLs that are no links into the site (SITEURL check only): og: meta data, sitemap <loc>
NOT_LINKS = ("<meta", "<loc>")
LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
# Tags whose attributes the HTML pass reads (any other only for an id)
ATTR_TAGS = frozenset({*URL_ATTRS, *HEADINGS, "body", "td", "th", "meta"})
# Tags whose pass depends on the tags before them (PagePass.start_tag)
STATEFUL_TAGS = frozenset({"body", "div", *HEADINGS})
# What the pass over a page reads
PASS_SETTINGS = ("QUALITY_HEADING_ANCHORS", "QUALITY_EXTERNAL_LINKS")
ALIGN_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    source: str  # the content file, or the written page when it has none
    page: str  # the written page, relative to the output folder
    url: str  # as written in the page
    where: str = ""  # the tag and attribute it stands in: "<img src>", "<loc>"


@dataclass
class _Run:
    """What this run gathered from the pages written so far."""

    links: dict[str, list[Link]] = field(default_factory=dict)  # page -> the links on it
    ids: dict[str, set[str]] = field(default_factory=dict)  # page -> the ids in it

    def all_links(self) -> list[Link]:
        """Every link of the pages, page by page in the order of their names."""
        return [link for page in sorted(self.links) for link in self.links[page]]


_run = _Run()


# The HTML pass ----------------------------------------------------------------
#
# The pages are our own templates' and Markdown's output, so one regular
# expression over the tags does what a full parser did, many times faster:
# comments and the text of <script> and <style> are passed over whole, every
# other tag is looked at once, and only the tags that change are rewritten.

TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(?P<raw>script|style)\b(?P<rawattrs>[^>]*)>.*?</(?P=raw)\s*>"
    r"|<(?P<close>/)?(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:\s+[^\s/>\"'=]+"
    r"(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"'=<`]+))?)*)\s*/?>",
    re.DOTALL | re.IGNORECASE,
)
ATTR = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'=<`]+)))?""", re.DOTALL)


def parse_attrs(text: str) -> dict[str, str]:
    """The attributes of a tag, names in lowercase, values unescaped."""
    attrs: dict[str, str] = {}
    for name, double, single, bare in ATTR.findall(text):
        name = name.lower()
        if name not in attrs:  # the first of a repeated attribute counts
            attrs[name] = html.unescape(double or single or bare)
    return attrs


def render_tag(name: str, attrs: dict[str, str]) -> str:
    parts = "".join(f' {key}="{html.escape(value, quote=True)}"' for key, value in attrs.items())
    return f"<{name}{parts}>"


def heading_anchor(ident: str, label: str | None = None) -> str:
    """A self-link to the heading with id ``ident``, named by ``label`` (the
    page's ``data-anchor-label``), kept out of the search index. It follows the
    heading inside their wrapper (``heading_wrapper``)."""
    ident = html.escape(ident, quote=True)
    name = html.escape(label or "#", quote=False)
    return (
        f'<a class="kbt-heading-anchor" href="#{ident}" data-pagefind-ignore>'
        f'<span class="kbt-visually-hidden">{name}</span><span aria-hidden="true">#</span></a>'
    )


def heading_wrapper(level: str) -> str:
    """The start tag of the element that holds a heading (``h2``…) and its self-link."""
    return f'<div class="{HEADING_WRAPPER} {HEADING_WRAPPER}--{level}">'


def is_external(url: str, siteurl: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") and not url.strip().startswith("//"):
        return False
    site = urlsplit(siteurl)
    return not (site.netloc and parts.netloc.lower() == site.netloc.lower())


def urls_in(name: str, attrs: dict[str, str]) -> list[tuple[str, str]]:
    """(where, url) for the URLs of a tag, ``og:`` addresses of ``<meta>`` included."""
    urls = []
    for attr in URL_ATTRS.get(name, ()):
        value = attrs.get(attr)
        if not value:
            continue
        where = WHERE[name, attr]
        if attr == "srcset":
            urls += [(where, c.strip().split()[0]) for c in value.split(",") if c.strip()]
        else:
            urls.append((where, value.strip()))
    if name == "meta" and attrs.get("property", "").startswith("og:"):
        content = attrs.get("content", "").strip()
        if content.startswith(("http://", "https://")):
            urls.append((f"<meta property={attrs['property']}>", content))
    return urls


@dataclass
class PagePass:
    """One pass over a page's tags: what it changes and what it finds.

    * headings h2–h6 with an ``id`` get a self-link (``kbt-heading-anchor``)
      named by ``data-anchor-label`` on ``<body>`` (the attribute is removed),
      after the heading in a wrapper ``div`` (``heading_wrapper``): a heading
      already in one (a page passed before) is left as it is;
    * links to other hosts get the class ``kbt-link--external``, ``rel="external
      noopener"`` and a visually hidden label from ``data-external-label`` on
      ``<body>`` (the attribute is removed);
    * table cells aligned by Markdown (``style="text-align: …"``) get a class.
    """

    siteurl: str
    anchors: bool = True
    externals: bool = True
    urls: list[tuple[str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    label: str | None = None  # the hidden label of external links
    anchor_label: str | None = None  # the name of heading anchors
    heading: str | None = None  # the id of the open heading that gets a self-link
    wrapped: bool = False  # the last start tag was a heading wrapper
    in_external_link: bool = False

    def collect(self, name: str, attrs: dict[str, str]) -> None:
        """Note the tag's ids and URLs."""
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if name == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        self.urls += urls_in(name, attrs)

    def start_tag(
        self, tag: str, name: str, attrs: dict[str, str], wrapped: bool = False
    ) -> str | None:
        """The start tag's replacement, or None to keep it; ``wrapped``: the tag
        before was a heading wrapper."""
        self.collect(name, attrs)
        if name == "body" and (EXTERNAL_LABEL_ATTR in attrs or ANCHOR_LABEL_ATTR in attrs):
            self.label = attrs.pop(EXTERNAL_LABEL_ATTR, None)
            self.anchor_label = attrs.pop(ANCHOR_LABEL_ATTR, None)
            return render_tag(tag, attrs)
        if name == "div":
            self.wrapped = HEADING_WRAPPER in attrs.get("class", "").split()
            return None
        if self.anchors and name in HEADINGS and attrs.get("id"):
            if wrapped:  # passed before: the wrapper holds the heading and its link
                return None
            self.heading = attrs["id"]
            return heading_wrapper(name) + render_tag(tag, attrs)
        if name == "a":
            return self.link(tag, attrs)
        if name in ("td", "th") and "style" in attrs:
            return aligned_cell(tag, attrs)
        return None

    def link(self, tag: str, attrs: dict[str, str]) -> str | None:
        """Mark a link to another host as external."""
        classes = attrs.get("class", "").split()
        href = attrs.get("href")
        if not (self.externals and href and is_external(href, self.siteurl)):
            return None
        if "kbt-link--external" in classes:
            return None
        attrs["class"] = " ".join([*classes, "kbt-link--external"])
        rel = attrs.get("rel", "").split()
        attrs["rel"] = " ".join(rel + [r for r in ("external", "noopener") if r not in rel])
        self.in_external_link = True
        return render_tag(tag, attrs)

    def end_tag(self, name: str, tag: str) -> str | None:
        """The end tag's replacement (with what goes before it), or None to keep it."""
        if name == "a" and self.in_external_link:
            self.in_external_link = False
            if self.label:
                hidden = html.escape(f" ({self.label})", quote=False)
                return f'<span class="kbt-visually-hidden">{hidden}</span></a>'
        elif name in HEADINGS and self.heading is not None:
            ident, self.heading = self.heading, None
            return tag + heading_anchor(ident, self.anchor_label) + "</div>"
        return None

    def replacement(self, match: re.Match) -> str | None:
        """What the tag of ``match`` becomes, or None to keep it."""
        raw = match.group("raw")
        if raw is not None:  # <script> or <style>: only its own attributes count
            self.collect(raw.lower(), parse_attrs(match.group("rawattrs")))
            return None
        tag = match.group("name")
        if tag is None:
            return None  # a comment
        name = tag.lower()
        if match.group("close"):
            return self.end_tag(name, match.group(0))
        raw_attrs = match.group("attrs") or ""
        wrapped, self.wrapped = self.wrapped, False
        if name == "div" and HEADING_WRAPPER in raw_attrs:
            return self.start_tag(tag, name, parse_attrs(raw_attrs))
        if name not in ATTR_TAGS and "id=" not in raw_attrs:
            return None  # nothing to change or collect: most tags of a page
        if name in STATEFUL_TAGS:
            return self.start_tag(tag, name, parse_attrs(raw_attrs), wrapped)
        return self.known_tag(match.group(0), tag, name, raw_attrs)

    def known_tag(self, text: str, tag: str, name: str, raw_attrs: str) -> str | None:
        """``start_tag`` for a tag whose outcome is the tag's alone (not ``<body>``,
        a wrapper or a heading): the same menu and footer links stand on every
        page, so each such tag is worked out once a build (``_known_tags``)."""
        key = (self.siteurl, self.externals, text)
        known = _known_tags.get(key)
        if known is None:
            alone = PagePass(self.siteurl, self.anchors, self.externals)
            replacement = alone.start_tag(tag, name, parse_attrs(raw_attrs))
            known = (frozenset(alone.ids), tuple(alone.urls), replacement, alone.in_external_link)
            if len(_known_tags) >= KNOWN_TAGS_MAX:
                _known_tags.clear()
            _known_tags[key] = known
        ids, urls, replacement, external = known
        self.ids |= ids
        self.urls += urls
        self.in_external_link = self.in_external_link or external
        return replacement


# (SITEURL, external marks on, the tag) -> what ``start_tag`` found and made of it
_known_tags: dict[tuple[str, bool, str], tuple[frozenset, tuple, str | None, bool]] = {}
KNOWN_TAGS_MAX = 50_000


def aligned_cell(tag: str, attrs: dict[str, str]) -> str | None:
    """A table cell aligned by ``style="text-align: …"``, with a class instead."""
    aligned = ALIGN_STYLE.match(attrs["style"])
    if not aligned:
        return None
    del attrs["style"]
    classes = attrs.get("class", "").split()
    attrs["class"] = " ".join([*classes, f"kbt-align-{aligned.group(1).lower()}"])
    return render_tag(tag, attrs)


def process_page(
    text: str, siteurl: str, settings: dict
) -> tuple[str, list[tuple[str, str]], set[str]]:
    """The page with anchors, link marks and cell classes added (``PagePass``);
    its URLs (where, url) and its ids."""
    page = PagePass(
        siteurl,
        anchors=settings.get("QUALITY_HEADING_ANCHORS", True),
        externals=settings.get("QUALITY_EXTERNAL_LINKS", True),
    )
    out: list[str] = []
    last = 0
    for match in TOKEN.finditer(text):
        # Most tags of a page are neither changed nor read (``PagePass.replacement``
        # keeps them): passed over here, without a call per tag
        name, close, attrs = match.group("name", "close", "attrs")
        if name is not None:
            lower = name.lower()
            if close:
                if lower != "a" and lower not in HEADINGS:
                    continue
            elif (
                lower not in ATTR_TAGS
                and "id=" not in (attrs or "")
                and not (lower == "div" and HEADING_WRAPPER in (attrs or ""))
            ):
                continue
        replacement = page.replacement(match)
        if replacement is not None:
            out += [text[last : match.start()], replacement]
            last = match.end()
    out.append(text[last:])
    return "".join(out), page.urls, page.ids


def passing(template_class: type[Template]) -> type[Template]:
    """``template_class`` whose rendered pages get the pass (``on_rendered``)."""
    if getattr(template_class, "quality_pass", False):
        return template_class

    class PassingTemplate(template_class):
        quality_pass = True

        def render(self, *args, **kwargs) -> str:
            # Jinja's render takes what dict() takes: Pelican's writer gives it the page's context
            return on_rendered(super().render(*args, **kwargs), dict(*args, **kwargs))

    return PassingTemplate


def install_pass(generator) -> None:
    """Every template of ``generator`` passes the pages it renders, before Pelican
    writes them: what other plugins read at ``content_written`` is the page as
    published, and what they write there stays."""
    generator.env.template_class = passing(generator.env.template_class)


def on_rendered(text: str, context: dict) -> str:
    """A page Pelican is about to write (``output_file``, a documented template
    variable), with the pass done (``process_page``); its links and ids noted
    for ``finish``. Anything else rendered is left as it is."""
    page = context.get("output_file")
    if not isinstance(page, str) or not page.endswith(".html"):
        return text
    page = Path(page).as_posix()
    content = context.get("page") or context.get("article")
    source = getattr(content, "source_path", None) or os.path.join(context["OUTPUT_PATH"], page)
    options = {name: context[name] for name in PASS_SETTINGS}
    text, urls, ids = process_page(text, context["SITEURL"], options)
    _run.ids[page] = ids
    _run.links[page] = [Link(source, page, url, where) for where, url in urls]
    return text


def sitemap_links(output: Path) -> list[Link]:
    """The ``<loc>`` of every XML file in the output (sitemaps), for the SITEURL check."""
    links = []
    for path in sorted(output.rglob("*.xml")):
        page = path.relative_to(output).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        links += [Link(str(path), page, url, "<loc>") for url in LOC.findall(text)]
    return links


# Checking links across the site -----------------------------------------------


def site_path(url: str, page: str, siteurl: str) -> tuple[str, str] | None:
    """(file path relative to the output folder, fragment) of an internal URL.

    None for a URL outside the site (another host, mailto:, data: ...). A path
    that leaves the site (outside SITEURL's path) becomes ``"../…"``.
    """
    url = url.strip()
    parts = urlsplit(url)
    site = urlsplit(siteurl)
    if (parts.scheme or parts.netloc) and (
        parts.scheme not in ("http", "https", "") or is_external(url, siteurl)
    ):
        return None
    prefix = site.path.rstrip("/")
    page_url = f"{prefix}/{page}"
    absolute = urlsplit(urljoin(page_url, url))
    path = unquote(absolute.path)
    if not (path == prefix or path.startswith(f"{prefix}/")):
        return (f"../{path.lstrip('/')}", absolute.fragment)
    rel = path[len(prefix) :].lstrip("/")
    return rel, unquote(absolute.fragment)


def resolve(rel: str, output: Path) -> str | None:
    """The written file a site path names, relative to the output folder."""
    if rel.startswith("../"):
        return None
    candidate = output / rel
    if rel == "" or rel.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    if candidate.is_file():
        return candidate.relative_to(output).as_posix()
    return None


def broken_links(links: list[Link], ids: dict[str, set[str]], output: Path, siteurl: str):
    """(link, problem) for each internal link that does not resolve."""
    # Most links are the same few menu and asset URLs: work each one out once.
    targets: dict[tuple[str, str], tuple[str, str] | None] = {}
    found_files: dict[str, str | None] = {}
    for link in links:
        if link.where.startswith(NOT_LINKS):
            continue
        # Only a relative URL depends on the page it is on
        key = (link.url, "" if link.url.startswith("/") else link.page)
        if key not in targets:
            targets[key] = site_path(link.url, link.page, siteurl)
        target = targets[key]
        if target is None:
            continue
        rel, fragment = target
        if rel not in found_files:
            found_files[rel] = resolve(rel, output)
        found = found_files[rel]
        if found is None:
            yield link, Message(_("links to {url}, which is no file of the site"), url=link.url)
            continue
        if fragment and found.endswith(".html") and fragment not in ids.get(found, set()):
            known = ", ".join(sorted(ids.get(found, set()))[:12]) or "none"
            yield (
                link,
                (
                    Message(
                        _(
                            "links to {url}, but {found} has no element with id '{id}' "
                            "(its ids: {known})"
                        ),
                        url=link.url,
                        found=found,
                        id=fragment,
                        known=known,
                    )
                ),
            )


def leaves_site(url: str, where: str, siteurl: str) -> Message | None:
    """Why ``url`` (standing in ``where``: "<img src>") leaves ``siteurl``; None if it stays."""
    if url.startswith(("#", "mailto:", "tel:", "data:")):
        return None
    prefix = siteurl.rstrip("/") + "/"
    if url == siteurl.rstrip("/") or url.startswith(prefix):
        return None
    parts = urlsplit(url)
    if where.startswith(NOT_LINKS):
        return Message(_("{url} ({where} not under {prefix})"), url=url, where=where, prefix=prefix)
    if not parts.scheme and not parts.netloc:
        if url.startswith("/"):
            return Message(
                _("{url} (starts at the server root, not at {prefix})"), url=url, prefix=prefix
            )
        return None  # relative to the page: stays under it
    if parts.netloc == urlsplit(siteurl).netloc:
        return Message(
            _("{url} (this site's host, but not under {prefix})"), url=url, prefix=prefix
        )
    if where != "<a href>":
        return Message(_("{url} ({where} loads from another site)"), url=url, where=where)
    return None


def stray_links(links: list[Link], siteurl: str):
    """(link, problem) for each URL that does not stay under ``siteurl``."""
    reasons: dict[tuple[str, str], str | None] = {}
    for link in links:
        key = (link.url, link.where)
        if key not in reasons:
            reasons[key] = leaves_site(link.url, link.where, siteurl)
        if reasons[key] is not None:
            yield link, reasons[key]


LINK_FIX = Message(
    _(
        "correct the address, or link to a page by its Key: [text]({key}contact) finds the "
        "page in the same language from any folder; a #fragment must be the id of a "
        "heading on that page."
    )
)
SITEURL_FIX = Message(
    _(
        "link to pages with [text]({key}contact) or [text]({filename}other-page.md), not "
        "with a written-out address; templates build URLs from SITEURL."
    )
)
SHOWN_ERRORS = 30


def check_links(settings: dict, output: Path) -> None:
    """Stop at links that lead nowhere (or, with ``QUALITY_SITEURL_ONLY``, out
    of SITEURL) on the pages written in this run."""
    siteurl = settings.get("SITEURL", "")
    errors = []
    stray = set()
    if settings["QUALITY_SITEURL_ONLY"]:
        for link, problem in stray_links(_run.all_links() + sitemap_links(output), siteurl):
            stray.add(link)
            errors.append((link, problem, SITEURL_FIX))
    if settings["QUALITY_CHECK_LINKS"]:
        broken = broken_links(_run.all_links(), _run.ids, output, siteurl)
        errors += [(link, problem, LINK_FIX) for link, problem in broken if link not in stray]
    raise_link_errors(errors, output)


def raise_link_errors(problems: list[tuple], output: Path | None = None) -> None:
    """Stop at (link, problem) or (link, problem, how to fix) found on the pages in
    ``output``, naming the content file and line (else the page and line)."""
    if not problems:
        return
    errors = []
    for link, problem, *fix in problems[:SHOWN_ERRORS]:
        term = urlsplit(link.url).path or link.url
        source = link.source
        line = line_of(source, link.url) or (line_of(source, term) if term else None)
        if output is not None and (line is None or Path(source) == output / link.page):
            # From a template (or on a page without a content file): the page
            # shows where, named as in the output folder
            source, line = link.page, line_of(output / link.page, link.url)
        errors.append(
            ContentError(
                source,
                line,
                Message(_("{problem} (on the page {page})."), problem=problem, page=link.page),
                fix[0] if fix else LINK_FIX,
            )
        )
    raise LinkError(errors, len(problems) - len(errors))


class LinkError(Exception):
    """One or more links lead nowhere or out of the site."""

    def __init__(self, errors: list[ContentError], more: int = 0) -> None:
        self.errors = errors
        text = "\n".join(str(e) for e in errors)
        super().__init__(f"{text}\n... and {more} more" if more else text)


# Precompression -------------------------------------------------------------

# Levels measured on the pages of the 2×1000-article corpus (docs/performance.md):
# gzip 6 makes them 0.1 % larger than gzip 9 in 14 % less time; brotli 4 would
# take 28 % less time than 5 but make them 7 % larger, so pages keep 5. The few
# CSS and JS files, cached long by browsers, get brotli's best (11).
GZIP_LEVEL = 6
BROTLI_PAGES = 5
BROTLI_ASSETS = 11


def precompress_file(
    path: Path, suffixes, cache: Path | None = None, data: bytes | None = None
) -> bool:
    """Write ``name.gz`` and ``name.br`` next to a text file; False for other files.

    ``data`` are the file's bytes when the caller has them already. With a
    ``cache`` folder, the two are taken from there when a file with the same
    bytes was compressed before (Pagefind's scripts, the CSS, feeds).
    """
    if path.suffix not in suffixes or not path.is_file():
        return False
    if data is None:
        data = path.read_bytes()
    stat = path.stat()
    quality = BROTLI_ASSETS if path.suffix in (".css", ".js") else BROTLI_PAGES
    gz = path.with_name(f"{path.name}.gz")
    br = path.with_name(f"{path.name}.br")
    kept = None
    if cache is not None:
        how = f"gzip {GZIP_LEVEL} {zlib.ZLIB_RUNTIME_VERSION}, brotli {quality} "
        how += brotli.__version__
        key = hashlib.sha256(data + how.encode()).hexdigest()
        kept = cache / key[:2] / key
    if kept is not None and (kept / "gz").is_file() and (kept / "br").is_file():
        # hard links: a second name costs next to nothing (creating files is
        # what precompressing thousands of pages spends most of its time on)
        link_or_copy(kept / "gz", gz)
        link_or_copy(kept / "br", br)
        mark_used(kept)
    else:
        # Never written through: a .gz or .br already there may be a link into the cache
        gz.unlink(missing_ok=True)
        br.unlink(missing_ok=True)
        # mtime=0 keeps the bytes the same from build to build
        gz.write_bytes(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
        br.write_bytes(brotli.compress(data, quality=quality))
        if kept is not None:
            make_entry(kept, lambda folder: _link_compressed(gz, br, folder))
    os.utime(gz, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.utime(br, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return True


def _link_compressed(gz: Path, br: Path, folder: Path) -> None:
    link_or_copy(gz, folder / "gz")
    link_or_copy(br, folder / "br")


def _compress_one(job: tuple[Path, tuple[str, ...], Path | None]) -> bool:
    path, suffixes, cache = job
    return precompress_file(path, suffixes, cache)


def precompress(output: Path, suffixes, cache: Path | None = None, run_all=map) -> int:
    """Write ``name.gz`` and ``name.br`` next to each text file in ``output``
    (``run_all`` may spread the files over processes); return the count."""
    suffixes = tuple(suffixes)
    jobs = [(p, suffixes, cache) for p in sorted(output.rglob("*")) if p.suffix in suffixes]
    count = sum(run_all(_compress_one, jobs))
    logger.debug("Precompressed %s files in %s", count, display_path(output))
    return count


def finish(pelican) -> None:
    """Check the links of the whole site, then precompress it in a process pool."""
    settings = pelican.settings
    output = Path(pelican.output_path)
    try:
        check_links(settings, output)
        suffixes = tuple(settings["QUALITY_PRECOMPRESS"] or ())
        if suffixes:
            started = time.time()
            cache = settings["QUALITY_PRECOMPRESS_CACHE"]
            cache = Path(settings["CACHE_PATH"], cache) if cache else None
            with background.process_pool() as run_all:
                precompress(output, suffixes, cache, run_all)
            if cache is not None:
                prune(cache, older_than=started)
    finally:
        reset()


# Set-up ---------------------------------------------------------------------


def initialize(pelican) -> None:
    add_defaults(pelican.settings, DEFAULTS)
    reset()


def reset(_pelican=None) -> None:
    _known_tags.clear()
    _run.links = {}
    _run.ids = {}


def register():
    signals.initialized.connect(initialize)
    signals.generator_init.connect(install_pass)
    signals.finalized.connect(finish)
