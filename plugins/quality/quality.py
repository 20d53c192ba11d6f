"""Quality gates on the written site.

Over every HTML page Pelican writes (``content_written``), with BeautifulSoup:

* headings with an ``id`` get a self-link (``<a class="kbt-heading-anchor">``)
  whose accessible name is the heading's own text (``aria-labelledby``);
* links to other hosts get the class ``kbt-link--external``, ``rel="external
  noopener"`` and a visually hidden label, taken from the translated
  ``data-external-label`` attribute that ``base.html`` puts on ``<body>``;
* table cells aligned by Markdown (``style="text-align: …"``, which a strict
  Content-Security-Policy blocks) get a class instead.

While Pelican reads the content (``content_object_init``) raw HTML in the
Markdown that carries ``<script>``, an ``on…=`` handler, a ``javascript:``
link or a ``style`` attribute stops the build, naming the file and line.

When the whole site is written (``finalized``), every ``href``, ``src`` and
``srcset`` that points into the site, and every ``#fragment``, must resolve to
a written file and an ``id`` in it; a broken one stops the build and names the
content file it came from. Then text files are precompressed (``.gz`` and
``.br`` next to them) for servers that send them as they are.

Settings, defaults in ``DEFAULTS``: ``QUALITY_HEADING_ANCHORS``,
``QUALITY_EXTERNAL_LINKS``, ``QUALITY_CHECK_LINKS``, ``QUALITY_CHECK_RAW_HTML``,
``QUALITY_PRECOMPRESS`` (suffixes; empty turns it off).
The plugin reuses the bilingual plugin's error style: list it after
``bilingual`` in ``PLUGINS``.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from pelican import signals
from pelican.contents import Content

from bilingual.errors import ContentError, display_path

logger = logging.getLogger(__name__)

DEFAULTS = {
    "QUALITY_HEADING_ANCHORS": True,
    "QUALITY_EXTERNAL_LINKS": True,
    "QUALITY_CHECK_LINKS": True,
    "QUALITY_CHECK_RAW_HTML": True,
    "QUALITY_PRECOMPRESS": (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"),
}

EXTERNAL_LABEL_ATTR = "data-external-label"
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
URL_ATTRS = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",)}
URL_ATTRS |= {"source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster")}
URL_ATTRS |= {"audio": ("src",), "track": ("src",), "form": ("action",), "area": ("href",)}
# Characters browsers drop from a URL before reading its scheme
URL_NOISE = re.compile(r"[\x00-\x20]+")
ALIGN_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    source: str  # the content file, or the written page when it has none
    page: str  # the written page, relative to the output folder
    url: str  # as written in the page


@dataclass
class _Run:
    output: Path | None = None
    siteurl: str = ""
    links: list[Link] | None = None
    ids: dict[str, set[str]] | None = None


_run = _Run()


# Raw HTML in Markdown ---------------------------------------------------------


def unsafe_markup(html: str) -> list[tuple[str, str]]:
    """(what, search term for the source line) for each unsafe thing in ``html``."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        if tag.name == "script":
            found.append(("a <script> element", "<script"))
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append((f"an event handler attribute `{name}=`", f"{name}="))
            elif name.lower() == "style":
                if tag.name in ("td", "th") and ALIGN_STYLE.match(value):
                    continue  # Markdown's table alignment: the HTML pass makes it a class
                found.append(("a `style=` attribute", "style="))
            elif name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                text = value if isinstance(value, str) else " ".join(value)
                if URL_NOISE.sub("", text).lower().startswith("javascript:"):
                    found.append(("a `javascript:` link", "javascript:"))
    return found


def line_of(path: str | os.PathLike, term: str) -> int | None:
    """The 1-based line of the first occurrence of ``term`` (any case) in a file."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if term.lower() in line.lower():
            return number
    return None


def check_raw_html(content: Content) -> None:
    if not content.settings.get("QUALITY_CHECK_RAW_HTML", True):
        return
    html = getattr(content, "_content", None)
    if not html or not content.source_path:
        return
    problems = unsafe_markup(html)
    if problems:
        what, term = problems[0]
        raise ContentError(
            content.source_path,
            line_of(content.source_path, term),
            f"the text carries {what}; the site runs no script or style from its "
            "content (its Content-Security-Policy would block it).",
            "remove it and write plain Markdown; a link is [text](https://address).",
        )


# The HTML pass ----------------------------------------------------------------


def add_heading_anchors(soup: BeautifulSoup) -> None:
    """A self-link at the end of each heading with an id, named by the heading."""
    for heading in soup.find_all(HEADINGS):
        ident = heading.get("id")
        if not ident or heading.find("a", class_="kbt-heading-anchor"):
            continue
        anchor = soup.new_tag(
            "a",
            attrs={"class": "kbt-heading-anchor", "href": f"#{ident}", "aria-labelledby": ident},
        )
        mark = soup.new_tag("span", attrs={"aria-hidden": "true"})
        mark.string = "#"
        anchor.append(mark)
        heading.append(" ")
        heading.append(anchor)


def is_external(url: str, siteurl: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") and not url.strip().startswith("//"):
        return False
    site = urlsplit(siteurl)
    return not (site.netloc and parts.netloc.lower() == site.netloc.lower())


def mark_external_links(soup: BeautifulSoup, siteurl: str, label: str | None) -> None:
    for link in soup.find_all("a", href=True):
        if not is_external(link["href"], siteurl):
            continue
        classes = link.get("class", [])
        if "kbt-link--external" in classes:
            continue
        link["class"] = [*classes, "kbt-link--external"]
        rel = link.get("rel", [])
        link["rel"] = [*rel, *(r for r in ("external", "noopener") if r not in rel)]
        if label:
            hidden = soup.new_tag("span", attrs={"class": "kbt-visually-hidden"})
            hidden.string = f" ({label})"
            link.append(hidden)


def align_cells(soup: BeautifulSoup) -> None:
    """Markdown's `style="text-align: x"` on table cells becomes a class."""
    for cell in soup.find_all(("td", "th"), style=True):
        match = ALIGN_STYLE.match(cell["style"])
        if match:
            del cell["style"]
            cell["class"] = [*cell.get("class", []), f"kbt-align-{match.group(1).lower()}"]


def urls_of(soup: BeautifulSoup) -> list[str]:
    urls = []
    for name, attrs in URL_ATTRS.items():
        for tag in soup.find_all(name):
            for attr in attrs:
                value = tag.get(attr)
                if not value:
                    continue
                if attr == "srcset":
                    urls += [c.strip().split()[0] for c in value.split(",") if c.strip()]
                else:
                    urls.append(value.strip())
    return urls


def ids_of(soup: BeautifulSoup) -> set[str]:
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    return ids | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}


def process_page(html: str, siteurl: str, settings: dict) -> tuple[str, list[str], set[str]]:
    """The page with anchors and link marks added, its URLs and its ids."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.body
    label = body.attrs.pop(EXTERNAL_LABEL_ATTR, None) if body else None
    if settings.get("QUALITY_HEADING_ANCHORS", True):
        add_heading_anchors(soup)
    if settings.get("QUALITY_EXTERNAL_LINKS", True):
        mark_external_links(soup, siteurl, label)
    align_cells(soup)
    return soup.decode(formatter="html5"), urls_of(soup), ids_of(soup)


def on_content_written(path: str, context: dict) -> None:
    settings = context
    output = Path(settings["OUTPUT_PATH"]).resolve()
    written = Path(path).resolve()
    if written.suffix != ".html":
        return
    html = written.read_text(encoding="utf-8")
    siteurl = settings.get("SITEURL", "")
    html, urls, ids = process_page(html, siteurl, settings)
    written.write_text(html, encoding="utf-8")
    page = written.relative_to(output).as_posix()
    content = context.get("page") or context.get("article")
    source = getattr(content, "source_path", None) or str(written)
    if _run.links is None or _run.output != output:
        _run.output, _run.siteurl, _run.links, _run.ids = output, siteurl, [], {}
    _run.ids[page] = ids
    _run.links += [Link(source, page, url) for url in urls]


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
    for link in links:
        target = site_path(link.url, link.page, siteurl)
        if target is None:
            continue
        rel, fragment = target
        found = resolve(rel, output)
        if found is None:
            yield link, f"links to {link.url}, which is no file of the site"
            continue
        if fragment and found.endswith(".html") and fragment not in ids.get(found, set()):
            known = ", ".join(sorted(ids.get(found, set()))[:12]) or "none"
            yield (
                link,
                (
                    f"links to {link.url}, but {found} has no element with id {fragment!r} "
                    f"(its ids: {known})"
                ),
            )


def check_links(pelican) -> None:
    if not pelican.settings.get("QUALITY_CHECK_LINKS", True) or not _run.links:
        return
    problems = list(broken_links(_run.links, _run.ids, _run.output, _run.siteurl))
    if not problems:
        return
    errors = []
    for link, problem in problems:
        term = urlsplit(link.url).path or link.url
        line = line_of(link.source, link.url) or (line_of(link.source, term) if term else None)
        errors.append(
            ContentError(
                link.source,
                line,
                f"{problem} (on the page {link.page}).",
                "correct the address, or link to a page by its file: "
                "[text]({filename}other-page.md); a #fragment must be the id of a "
                "heading on that page.",
            )
        )
    raise LinkError(errors)


class LinkError(Exception):
    """One or more links into the site lead nowhere."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


# Precompression -------------------------------------------------------------


def precompress(output: Path, suffixes) -> int:
    """Write ``name.gz`` and ``name.br`` next to each text file; return the count."""
    try:
        import brotli
    except ImportError:  # pragma: no cover - brotli is in requirements.txt
        brotli = None
    count = 0
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.suffix not in suffixes:
            continue
        data = path.read_bytes()
        stat = path.stat()
        gz = path.with_name(f"{path.name}.gz")
        # mtime=0 keeps the bytes the same from build to build
        gz.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        os.utime(gz, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        if brotli is not None:
            br = path.with_name(f"{path.name}.br")
            br.write_bytes(brotli.compress(data, quality=11))
            os.utime(br, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        count += 1
    logger.debug("Precompressed %s files in %s", count, display_path(output))
    return count


def finish(pelican) -> None:
    try:
        check_links(pelican)
        suffixes = tuple(pelican.settings.get("QUALITY_PRECOMPRESS") or ())
        if suffixes:
            precompress(Path(pelican.output_path), suffixes)
    finally:
        reset()


# Set-up ---------------------------------------------------------------------


def initialize(pelican) -> None:
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)
    reset()


def reset(_pelican=None) -> None:
    _run.output, _run.siteurl, _run.links, _run.ids = None, "", None, None


def register():
    signals.initialized.connect(initialize)
    signals.content_object_init.connect(check_raw_html)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(finish)
