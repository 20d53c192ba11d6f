"""Search with Pagefind in Chromium, under the site's strict CSP: each language searches itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .browser import serve as serve_folder
from .conftest import build_fixture

ROOT = Path(__file__).resolve().parent.parent
EXTRA_PAGES = {
    "pages/nb/nettstedskart.md": None,
    "pages/en/sitemap.md": None,
    "pages/nb/sok.md": None,
    "pages/en/search.md": None,
    # Plural forms only: a search for the singular needs Norwegian stemming.
    "pages/nb/likepersoner.md": (
        "Title: Likepersoner\nKey: peers\nSummary: Om erfaringskonsulentene.\n\n"
        "Vi har ansatt erfaringskonsulenter i kommunen. Erfaringskonsulentene jobber i boliger.\n"
    ),
    "pages/en/peers.md": (
        "Title: Peers\nKey: peers\nSummary: About peer support.\n\n"
        "We work for peer support in the municipality.\n"
    ),
}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("search") / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", content)
    for path, text in EXTRA_PAGES.items():
        if text is None:
            shutil.copy(ROOT / "content" / path, content / path)
        else:
            (content / path).write_text(text, encoding="utf-8")
    return build_fixture(content, content.parent / "output")  # the sitemap page says `Footer: 4`


def run_search(page, base: str, path: str, query: str) -> tuple[str, list[str]]:
    """Search from the page at ``path``; the status text and the result links."""
    page.goto(f"{base}{path}")
    field = page.get_by_role("searchbox")
    field.fill(query)
    field.press("Enter")
    status = page.locator(".kbt-search__status")
    # Typing and Enter may each start a search: wait until the status has
    # settled on a final text (no "…") that stays the same for a moment.
    settled = ""
    for _attempt in range(50):
        page.wait_for_function(
            "() => { const s = document.querySelector('.kbt-search__status');"
            " return s.textContent && !s.textContent.includes('…'); }"
        )
        text = status.inner_text()
        page.wait_for_timeout(300)
        if status.inner_text() == text:
            settled = text
            break
    assert settled, "the search status never settled"
    links = page.locator(".kbt-search__results a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname + new URL(a.href).hash)"
    )
    return settled, links


def test_norwegian_search_stems_and_stays_in_norwegian(search_site, csp_page):
    with serve_folder(search_site) as base:
        status, links = run_search(csp_page, base, "/sok/", "erfaringskonsulent")
    assert "/likepersoner/" in links
    assert not any(link.startswith("/en/") for link in links)
    assert "«erfaringskonsulent»" in status
    assert not csp_page.problems


def test_english_search_stays_in_english(search_site, csp_page):
    with serve_folder(search_site) as base:
        status, links = run_search(csp_page, base, "/en/search/", "peer support")
    assert links == ["/en/peers/"]
    assert "1 page matches" in status
    assert not csp_page.problems


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/sok/", "Ingen sider passer til «qwxzyvk»."), ("/en/search/", "No pages match “qwxzyvk”.")],
)
def test_a_word_found_nowhere_is_reported_in_the_page_language(
    search_site, csp_page, path, expected
):
    with serve_folder(search_site) as base:
        status, links = run_search(csp_page, base, path, "qwxzyvk")
    assert links == []
    assert status == expected
    assert not csp_page.problems


def test_pagefind_loads_only_when_the_search_field_is_used(search_site, csp_page):
    requested: list[str] = []
    csp_page.on("request", lambda request: requested.append(request.url))
    with serve_folder(search_site) as base:
        csp_page.goto(f"{base}/sok/")
        csp_page.wait_for_load_state("networkidle")
        assert csp_page.locator(".kbt-search__form").is_visible()
        assert not any("/pagefind/" in url for url in requested), requested
        csp_page.get_by_role("searchbox").focus()
        csp_page.wait_for_load_state("networkidle")
        csp_page.wait_for_function(
            "() => performance.getEntriesByType('resource')"
            ".some(e => e.name.includes('/pagefind/pagefind.js'))"
        )
    assert any(url.endswith("/pagefind/pagefind.js") for url in requested), requested
    assert not csp_page.problems


def test_without_javascript_the_search_page_leads_to_the_sitemap(search_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    with serve_folder(search_site) as base:
        page.goto(f"{base}/en/search/")
        assert not page.locator(".kbt-search__form").is_visible()
        fallback = page.locator(".kbt-search__fallback a")
        assert fallback.is_visible()
        assert fallback.get_attribute("href") == "/en/sitemap/"
    context.close()


def test_header_links_to_the_search_page_of_its_language(search_site, csp_page):
    with serve_folder(search_site) as base:
        csp_page.goto(f"{base}/om/")
        assert csp_page.locator(".kbt-header__search").get_attribute("href") == "/sok/"
        csp_page.goto(f"{base}/en/about/")
        assert csp_page.locator(".kbt-header__search").get_attribute("href") == "/en/search/"


# The real site ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site_url(site):
    with serve_folder(site) as base:
        yield base


def test_real_site_nb_finds_peer_workers_in_pages_and_milestones(real_site_url, csp_page):
    status, links = run_search(csp_page, real_site_url, "/sok/", "erfaringskonsulent")
    assert len(links) >= 2, status
    assert not any(link.startswith("/en/") for link in links)
    assert any(link.startswith("/tidslinje/#") for link in links), links  # milestones
    assert any(not link.startswith("/tidslinje/") for link in links), links  # pages
    assert not csp_page.problems


def test_real_site_en_finds_peer_support_in_english(real_site_url, csp_page):
    status, links = run_search(csp_page, real_site_url, "/en/search/", "peer support")
    assert links, status
    assert all(link.startswith("/en/") for link in links), links
    assert any(link.startswith("/en/timeline/#") for link in links), links  # milestones
    assert not csp_page.problems


def test_search_page_with_results_passes_axe(search_site, csp_page):
    with serve_folder(search_site) as base:
        run_search(csp_page, base, "/sok/", "erfaringskonsulent")
        results = Axe().run(csp_page)
    assert results.violations_count == 0, results.generate_report()
