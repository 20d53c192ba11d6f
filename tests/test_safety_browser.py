"""Injection payloads in a real build, looked at by the Nu HTML Checker, an XML
parser and Chromium.

* Every payload of tests/payloads.py in every header field a staff member can
  type into (Title, Summary, Lede, Menu_title) of pages and news items, in one
  fixture site: the pages are valid HTML, the feed and sitemap valid XML, each
  field comes out as the very text typed, and in Chromium nothing runs: no
  dialog, no changed title, no request to another host.
* The text payloads with the allowlist turned off, served with no headers at
  all: the Content-Security-Policy in each page's ``<meta>`` alone blocks every
  one that would run on loading. The same page without its ``<meta>`` runs the
  script, so the test can tell.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tools.localsite import serve as serve_plain  # no security headers, like GitHub Pages

from .conftest import FIXTURE_SITE, build_fixture
from .payloads import BODY, EVIL, HEADER
from .tooling import nu_errors

TITLE_MAX = 120  # the bilingual plugin's limit for a title (its share card)


def title_of(payload: str) -> str:
    """The payload as a title: cut to fit its share card, and more than the summary
    (the build refuses a summary that only repeats the title)."""
    return f"{payload[: TITLE_MAX - len(' (tittel)')].strip()} (tittel)"


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("payloads") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    for number, payload in enumerate(HEADER):
        fields = (
            f"Title: {title_of(payload)}\nKey: p{number:02}\nSummary: {payload}\n"
            f"Lede: {payload}\nMenu_title: {payload}\n"
        )
        (content / f"pages/nb/p{number:02}.md").write_text(f"{fields}\nTekst.\n", "utf-8")
        (content / f"news/nb/n{number:02}.md").write_text(
            f"{fields}Date: 2025-01-{1 + number % 28:02}\n\nTekst.\n", "utf-8"
        )
    # One menu title of the main menu, shown on every page
    about = content / "pages/nb/om.md"
    about.write_text(about.read_text("utf-8").replace("Menu_title: Om", f"Menu_title: {HEADER[0]}"))
    (content / "pages/nb/kart.md").write_text(
        "Title: Nettstedskart\nKey: sitemap\nTemplate: sitemap\nSummary: Alle sider.\n\nAlt.\n",
        "utf-8",
    )
    return build_fixture(content, content.parent / "output")


def test_every_page_with_payloads_in_its_header_is_valid_html(payload_site):
    assert len(list(payload_site.rglob("*.html"))) > 2 * len(HEADER)
    errors = nu_errors(payload_site)
    assert not errors, "\n".join(errors[:40])


def test_the_feed_and_sitemap_are_valid_xml_with_the_titles_as_text(payload_site):
    ET.parse(payload_site / "sitemap.xml")
    feed = ET.parse(payload_site / "nyheter" / "atom.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = {e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)}
    expected = {title_of(p) for p in HEADER}
    assert titles and titles <= expected


@pytest.mark.parametrize("number", range(len(HEADER)))
def test_each_header_field_comes_out_as_the_text_typed(payload_site, number):
    payload = HEADER[number]
    soup = BeautifulSoup(
        (payload_site / f"p{number:02}" / "index.html").read_text("utf-8"), "html.parser"
    )
    # (Markdown turns a tab into spaces; the description is on one line)
    assert words(soup.h1.get_text()) == words(title_of(payload))
    assert words(soup.select_one(".kbt-article__lede").get_text()) == words(payload)
    assert soup.find("meta", attrs={"name": "description"})["content"] == words(payload)
    assert words(soup.find("meta", property="og:title")["content"]) == words(title_of(payload))
    assert words(soup.select_one(".kbt-menu__link").get_text()) == words(HEADER[0])
    # nothing of the payload became an element or attribute: the page has the
    # elements of the page whose header fields are ordinary text, and no handler
    plain = HEADER.index('Prosjektet "Ung stemme"')
    reference = BeautifulSoup(
        (payload_site / f"p{plain:02}" / "index.html").read_text("utf-8"), "html.parser"
    )
    assert tag_counts(soup) == tag_counts(reference)
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]


def words(text: str) -> str:
    # Soft hyphens (U+00AD) are typography the theme adds to long title words
    # (plugins/hyphenate/): invisible unless a line breaks there, not text.
    return " ".join(text.replace("\u00ad", "").split())


def tag_counts(soup: BeautifulSoup) -> dict[str, int]:
    names = ("script", "svg", "iframe", "object", "embed", "base", "img", "style", "link")
    names += ("meta", "form", "input", "title", "a", "h1", "p")
    return {name: len(soup.find_all(name)) for name in names}


def expected_title(site: Path, path: str) -> str:
    soup = BeautifulSoup((site / path.strip("/") / "index.html").read_text("utf-8"), "html.parser")
    return " ".join(soup.title.get_text().split())


def visit(browser, base: str, site: Path, paths: list[str], wait_ms: int = 150) -> list[str]:
    """Load each path; return what ran: dialogs, changed titles, requests to other hosts."""
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    ran: list[str] = []
    page.on("dialog", lambda d: (ran.append(f"dialog {d.message!r}"), d.dismiss()))

    def route(route_, request):
        if request.url.startswith(base) or request.url.startswith(("data:", "about:")):
            route_.continue_()
        else:
            ran.append(f"request to {request.url}")
            route_.abort()

    context.route("**/*", route)
    try:
        for path in paths:
            page.goto(f"{base}{path}", wait_until="load")
            page.wait_for_timeout(wait_ms)
            if page.title() != expected_title(site, path):
                ran.append(f"{path}: title changed to {page.title()!r}")
            if not page.url.startswith(base):
                ran.append(f"{path}: went to {page.url}")
    finally:
        context.close()
    return ran


def test_no_header_payload_runs_in_chromium(payload_site, browser):
    paths = [f"/p{n:02}/" for n in range(len(HEADER))]
    paths += ["/", "/nyheter/", "/kart/", f"/nyheter/n{len(HEADER) - 1:02}/"]
    with serve_plain(payload_site) as base:
        ran = visit(browser, base, payload_site, paths, wait_ms=50)
    assert not ran, "\n".join(ran)


# The CSP travels with the pages ------------------------------------------------------

# A <meta http-equiv="refresh"> is no script: no Content-Security-Policy stops
# it, only the allowlist (tests/test_safety_unit.py).
RUN_WITHOUT_ALLOWLIST = [p for p in BODY if "http-equiv" not in p]


@pytest.fixture(scope="module")
def unchecked_site(tmp_path_factory) -> Path:
    """The text payloads, each on a page of its own, built with the allowlist off."""
    content = tmp_path_factory.mktemp("unchecked") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    for number, payload in enumerate(RUN_WITHOUT_ALLOWLIST):
        (content / f"pages/nb/x{number:02}.md").write_text(
            f"Title: Side {number}\nKey: x{number:02}\nSummary: S.\n\n"
            f"Tekst.\n\n{payload}\n\nSlutt.\n",
            "utf-8",
        )
    return build_fixture(
        content,
        content.parent / "output",
        SAFETY_CHECK_HTML=False,
        QUALITY_CHECK_LINKS=False,
        IMAGES_CARDS=False,
    )


def test_the_meta_csp_alone_blocks_injected_scripts(unchecked_site, browser):
    paths = [f"/x{n:02}/" for n in range(len(RUN_WITHOUT_ALLOWLIST))]
    with serve_plain(unchecked_site) as base:
        ran = visit(browser, base, unchecked_site, paths)
    assert not ran, "\n".join(ran)


def test_without_its_meta_csp_the_same_page_runs_the_script(unchecked_site, browser):
    number = RUN_WITHOUT_ALLOWLIST.index("<img src=x onerror=alert(1)>")
    page = unchecked_site / f"x{number:02}" / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None and "script-src 'self'" in meta["content"]
    meta.decompose()
    page.write_text(str(soup), "utf-8")
    with serve_plain(unchecked_site) as base:
        ran = visit(browser, base, unchecked_site, [f"/x{number:02}/"])
    assert any(r.startswith("dialog") for r in ran), ran
    assert EVIL  # the payloads' other host, which no test may reach
