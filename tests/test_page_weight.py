"""The page-weight budget (issue #7) on every page of the real site.

For each built HTML page: the page and everything a browser fetches to show it
(stylesheets, scripts, icons, fonts from the CSS, images that are not content
images) counted as requests and summed as transferred bytes, gzip-compressed
for text (the server sends the precompressed .gz or better). Content images
(``/images/``, made by the images plugin from content/images/) are not counted.

Budget: at most 60 KB per page, at most 8 requests, CSS at most 15 KB and
JavaScript at most 10 KB gzipped in total, no web font over 30 KB, nothing
render-blocking from another host.

Pagefind (the search pages' script, WebAssembly and index) is loaded only when
someone starts to search (theme/assets/js/search.js); it is the one documented
on-demand exception, with its own limit ``PAGEFIND_ON_DEMAND_MAX``.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import html_files

KB = 1024
PAGE_MAX = 60 * KB
REQUESTS_MAX = 8
CSS_MAX = 15 * KB
JS_MAX = 10 * KB
FONT_MAX = 30 * KB
PAGEFIND_ON_DEMAND_MAX = 120 * KB

TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs", ".svg", ".json", ".xml", ".txt"}
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".otf", ".eot"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]([^'"]+)['"]""")
# Icons a browser may fetch for a page (all of them counted, to stay on the safe side)
ICON_RELS = {"icon", "shortcut", "apple-touch-icon", "mask-icon"}


@dataclass
class Weight:
    """What one page costs to load."""

    page: str
    requests: list[str] = field(default_factory=list)
    bytes: int = 0
    css: int = 0
    js: int = 0
    fonts: dict[str, int] = field(default_factory=dict)
    foreign_blocking: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def transferred(path: Path) -> int:
    """Bytes on the wire: gzip (level 9) for text, the file as it is otherwise."""
    data = path.read_bytes()
    if path.suffix in TEXT_SUFFIXES:
        return len(gzip.compress(data, compresslevel=9, mtime=0))
    return len(data)


def is_same_host(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.netloc and parts.scheme in ("", "http", "https")


def local_file(output: Path, url: str) -> Path | None:
    """The file of the output folder a same-host absolute or relative URL names."""
    path = urlsplit(url).path
    candidate = output / path.lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def is_render_blocking(tag) -> bool:
    if tag.name == "link":
        rels = {r.lower() for r in tag.get("rel", [])}
        return "stylesheet" in rels and tag.get("media", "all") in ("all", "screen", "")
    if tag.name == "script" and tag.get("src"):
        kind = tag.get("type", "text/javascript")
        return not (tag.has_attr("defer") or tag.has_attr("async") or kind == "module")
    return False


def fetched_by(soup: BeautifulSoup) -> list[tuple[str, object]]:
    """(URL, tag) of each resource the page itself makes the browser fetch."""
    found = []
    for link in soup.find_all("link", href=True):
        rels = {r.lower() for r in link.get("rel", [])}
        if rels & ({"stylesheet", "preload", "modulepreload"} | ICON_RELS):
            found.append((link["href"], link))
    for script in soup.find_all("script", src=True):
        found.append((script["src"], script))
    for image in soup.find_all(["img", "source", "input", "video"]):
        for attr in ("src", "poster"):
            if image.get(attr):
                found.append((image[attr], image))
        if image.get("srcset"):
            # a browser fetches one candidate: count the largest, to be safe
            candidates = [c.strip().split()[0] for c in image["srcset"].split(",") if c.strip()]
            found += [(c, image) for c in candidates[-1:]]
    return found


def is_content_image(url: str) -> bool:
    return urlsplit(url).path.startswith("/images/") and not urlsplit(url).path.startswith(
        "/images/cards/"
    )


def weigh(output: Path, page: Path) -> Weight:
    rel = page.relative_to(output).as_posix()
    weight = Weight(rel, requests=[f"/{rel}"], bytes=transferred(page))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    page_url = f"/{rel}"
    seen: set[str] = set()
    queue = [(urljoin(page_url, url.strip()), tag) for url, tag in fetched_by(soup)]
    while queue:
        url, tag = queue.pop(0)
        if not is_same_host(url):
            if tag is not None and is_render_blocking(tag):
                weight.foreign_blocking.append(url)
            weight.requests.append(url)
            continue
        if tag is not None and tag.name in ("img", "source") and is_content_image(url):
            continue
        key = urlsplit(url).path
        if key in seen:
            continue
        seen.add(key)
        path = local_file(output, url)
        if path is None:
            weight.missing.append(url)
            continue
        size = transferred(path)
        weight.requests.append(key)
        weight.bytes += size
        if path.suffix == ".css":
            weight.css += size
            text = path.read_text(encoding="utf-8")
            for found in CSS_URL.findall(text) + CSS_IMPORT.findall(text):
                if not found.startswith("data:"):
                    queue.append((urljoin(key, found), None))
        elif path.suffix in (".js", ".mjs"):
            weight.js += size
        elif path.suffix in FONT_SUFFIXES:
            weight.fonts[key] = size
    return weight


def problems_of(weight: Weight) -> list[str]:
    problems = []
    if weight.bytes > PAGE_MAX:
        problems.append(f"{weight.bytes / KB:.1f} KB transferred (budget {PAGE_MAX // KB} KB)")
    if len(weight.requests) > REQUESTS_MAX:
        problems.append(
            f"{len(weight.requests)} requests (budget {REQUESTS_MAX}): {weight.requests}"
        )
    if weight.css > CSS_MAX:
        problems.append(f"CSS {weight.css / KB:.1f} KB gzipped (budget {CSS_MAX // KB} KB)")
    if weight.js > JS_MAX:
        problems.append(f"JavaScript {weight.js / KB:.1f} KB gzipped (budget {JS_MAX // KB} KB)")
    for font, size in weight.fonts.items():
        if size > FONT_MAX:
            problems.append(f"font {font} is {size / KB:.1f} KB (budget {FONT_MAX // KB} KB)")
    if weight.foreign_blocking:
        problems.append(f"render-blocking from another host: {weight.foreign_blocking}")
    if weight.missing:
        problems.append(f"references files that were not written: {weight.missing}")
    return problems


# The real site --------------------------------------------------------------------


@pytest.fixture(scope="module")
def weights(site) -> list[Weight]:
    pages = [p for p in html_files(site) if "pagefind/" not in p.relative_to(site).as_posix()]
    assert len(pages) > 20
    return [weigh(site, page) for page in pages]


def test_every_page_keeps_the_budget(weights):
    over = {w.page: problems_of(w) for w in weights if problems_of(w)}
    assert not over, "\n".join(f"{page}: {'; '.join(p)}" for page, p in over.items())


def test_every_page_loads_the_stylesheet_and_the_script(weights):
    # The measurement must see what the theme loads, or the budget means nothing.
    for weight in weights:
        assert weight.css > 0, weight.page
        assert weight.js > 0, weight.page
        assert len(weight.requests) >= 3, weight.page


def test_the_search_page_loads_pagefind_only_on_demand(site):
    # Both languages' search pages load the one bundle, which picks the index
    # of the page's <html lang>
    for page in ("sok/index.html", "en/search/index.html"):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        module = soup.select_one('[data-module="search"]')
        assert module is not None and module["data-pagefind"] == "/pagefind/pagefind.js"
        assert (site / "pagefind" / "pagefind.js").is_file()
        urls = [url for url, _tag in fetched_by(soup)]
        assert not any("/pagefind/" in url for url in urls), urls


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_pagefind_on_demand_stays_within_its_own_limit(site, lang):
    folder = site / "pagefind"
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    index = entry["languages"][lang]
    files = [
        folder / "pagefind.js",
        folder / "pagefind-entry.json",
        folder / f"wasm.{index['wasm']}.pagefind",
        folder / f"pagefind.{index['hash']}.pf_meta",
    ]
    total = sum(transferred(path) for path in files)
    assert total <= PAGEFIND_ON_DEMAND_MAX, f"{total / KB:.1f} KB for {lang}"


# The measurement itself: it must be able to fail --------------------------------------


def write_page(output: Path, head: str, body: str = "") -> Path:
    page = output / "index.html"
    page.write_text(
        f"<!doctype html><html><head>{head}</head><body>{body}</body></html>", encoding="utf-8"
    )
    return page


def test_a_stylesheet_from_another_host_is_caught(tmp_path):
    page = write_page(tmp_path, '<link rel="stylesheet" href="https://cdn.example/a.css">')
    problems = problems_of(weigh(tmp_path, page))
    assert any("render-blocking from another host" in p for p in problems)


def test_a_deferred_script_from_another_host_is_not_render_blocking(tmp_path):
    page = write_page(tmp_path, '<script src="https://cdn.example/a.js" defer></script>')
    assert weigh(tmp_path, page).foreign_blocking == []


def test_too_many_requests_too_much_css_and_a_heavy_font_are_caught(tmp_path):
    import random

    noise = random.Random(1)
    (tmp_path / "css").mkdir()
    fonts = "".join(f"@font-face{{font-family:f{i};src:url(f{i}.woff2)}}" for i in range(8))
    css = fonts + "".join(
        f".c{noise.random()}{{color:#{noise.randrange(16**6):06x}}}" for i in range(3000)
    )
    (tmp_path / "css" / "site.css").write_text(css, encoding="utf-8")
    for i in range(8):
        (tmp_path / "css" / f"f{i}.woff2").write_bytes(noise.randbytes(31 * KB))
    page = write_page(tmp_path, '<link rel="stylesheet" href="/css/site.css">')
    problems = problems_of(weigh(tmp_path, page))
    assert any(p.startswith("10 requests") for p in problems), problems
    assert any(p.startswith("CSS") for p in problems), problems
    assert any(p.startswith("font /css/f0.woff2") for p in problems), problems
    assert any("KB transferred" in p for p in problems), problems


def test_content_images_are_not_counted_but_theme_images_are(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "theme").mkdir()
    (tmp_path / "images" / "photo.jpg").write_bytes(b"x" * 100 * KB)
    (tmp_path / "theme" / "logo.png").write_bytes(b"y" * 70 * KB)
    page = write_page(
        tmp_path, "", '<img src="/images/photo.jpg" alt="a"><img src="/theme/logo.png" alt="b">'
    )
    weight = weigh(tmp_path, page)
    assert "/images/photo.jpg" not in weight.requests
    assert "/theme/logo.png" in weight.requests
    assert any("KB transferred" in p for p in problems_of(weight))
