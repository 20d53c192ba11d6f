"""Search that finds (issue #20), on the real site in each language: only the
pages' own text is indexed (no home page, news list, menus or controls), each
result says its kind and date, and staff's `Synonyms:` are found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser import serve
from .conftest import soup_of
from .test_search_browser import run_search

ROOT = Path(__file__).resolve().parent.parent
SEARCH_PAGES = {"nb": "/sok/", "en": "/en/search/"}


def synonyms_in_content() -> dict[str, tuple[str, str]]:
    """lang -> (a synonym staff gave, the Key of its page), from the content's headers."""
    found = {}
    for path in sorted((ROOT / "content" / "pages").glob("*/*.md")):
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        words = re.search(r"^Synonyms:\s*(.+)$", header, re.M | re.I)
        key = re.search(r"^Key:\s*(.+)$", header, re.M | re.I)
        if words and key:
            found.setdefault(path.parent.name, (words.group(1).split(",")[0].strip(), key.group(1)))
    return found


def results(page) -> list[dict]:
    return page.locator(".kbt-search__result").evaluate_all(
        "items => items.map(li => ({"
        " url: new URL(li.querySelector('a').href).pathname,"
        " meta: (li.querySelector('.kbt-search__meta') || {}).textContent || '',"
        " text: li.textContent}))"
    )


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_synonym_staff_gave_finds_its_page_first(site, csp_page, lang):
    synonym, _key = synonyms_in_content()[lang]
    with serve(site) as base:
        run_search(csp_page, base, SEARCH_PAGES[lang], synonym)
        found = results(csp_page)
    assert found, synonym
    page = soup_of(site / found[0]["url"].lstrip("/") / "index.html")
    assert page.html["lang"] == lang
    words = page.select_one(".kbt-synonyms")
    assert words is not None and words.has_attr("hidden")
    assert synonym in words.get_text()
    # the words themselves are in no visible text of that page
    visible = page.select_one("main").get_text(" ").replace(words.get_text(), "")
    assert synonym.lower() not in visible.lower()


@pytest.mark.parametrize(("lang", "query"), [("nb", "unge"), ("en", "youth")])
def test_results_show_kind_and_date_and_leave_out_listings_and_controls(
    site, csp_page, lang, query
):
    with serve(site) as base:
        run_search(csp_page, base, SEARCH_PAGES[lang], query)
        found = results(csp_page)
    assert found
    home = "/" if lang == "nb" else "/en/"
    news = soup_of(site / home.lstrip("/") / "index.html").select_one(".kbt-menu")
    listings = {home}
    listings |= {
        a["href"]
        for a in news.find_all("a")
        if soup_of(site / a["href"].lstrip("/") / "index.html").select(".kbt-cards")
        and not soup_of(site / a["href"].lstrip("/") / "index.html").select(".kbt-section-nav")
    }
    for result in found:
        assert result["url"] not in listings, result
        assert result["meta"].strip(), result
    dated = [r for r in found if re.search(r"\d{4}", r["meta"])]
    assert dated
    # The timeline filter's labels (a form control) are not in any excerpt.
    timeline = next(p for p in site.rglob("index.html") if soup_of(p).select("select option"))
    label = soup_of(timeline).select("select option")[0].get_text(strip=True)
    assert all(label not in r["text"] for r in found)
    assert not csp_page.problems


def milestones_of(site: Path, lang: str) -> tuple[str, str, list[tuple[str, str, str]]]:
    """The timeline page of ``lang``: its URL path, the kind it names for its
    parts, and (id, years, title) of each milestone, as the page shows them."""
    for path in sorted(site.rglob("index.html")):
        soup = soup_of(path)
        timeline = soup.select_one("main .kbt-timeline[data-pagefind-meta]")
        if timeline is None or soup.html["lang"] != lang:
            continue
        kind = timeline["data-pagefind-meta"].split(":", 1)[1]
        found = []
        for heading in timeline.select(".kbt-timeline__item .kbt-timeline__heading"):
            when = heading.select_one(".kbt-timeline__when").get_text().strip()
            title = heading.select_one(".kbt-timeline__title").get_text(" ", strip=True)
            found.append((heading["id"], when, title.replace("\u00ad", "")))
        url = "/" + path.parent.relative_to(site).as_posix() + "/"
        return url, kind, found
    raise AssertionError(f"no timeline page in {lang}")


def shown(page) -> list[dict]:
    """Each result as a reader sees it: its link (path and #fragment), title and facts."""
    return page.locator(".kbt-search__result").evaluate_all(
        "items => items.map(li => { const a = li.querySelector('.kbt-search__link');"
        " const u = new URL(a.href); return {url: u.pathname + u.hash, title: a.textContent,"
        " meta: (li.querySelector('.kbt-search__meta') || {}).textContent || ''}; })"
    )


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_each_milestone_found_is_a_result_of_its_own_with_its_years(site, csp_page, lang):
    url, kind, milestones = milestones_of(site, lang)
    assert kind and len(milestones) >= 5
    # the two milestones with the longest titles: words that few other texts share
    picked = sorted(milestones, key=lambda m: len(m[2]), reverse=True)[:2]
    with serve(site) as base:
        for ident, when, title in picked:
            run_search(csp_page, base, SEARCH_PAGES[lang], title)
            found = shown(csp_page)
            assert found, title
            mine = [r for r in found if r["url"] == f"{url}#{ident}"]
            assert len(mine) == 1, (title, found)
            assert mine[0]["title"] == title
            assert mine[0]["meta"].split(" · ") == [kind, when]
            # milestones are results of their own, not sub-links of one timeline result
            assert not [r for r in found if r["url"] == url and not r["meta"].startswith(kind)]
            links = csp_page.locator(".kbt-search__results a")
            hrefs = links.evaluate_all("as => as.map(a => new URL(a.href).hash)")
            assert hrefs.count(f"#{ident}") == 1
            # the result leads to the milestone
            csp_page.locator(".kbt-search__link", has_text=title).first.click()
            csp_page.wait_for_url(f"**{url}#{ident}")
            assert csp_page.evaluate("location.hash") == f"#{ident}"
    assert not csp_page.problems


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_search_that_finds_only_milestones_counts_them_as_results(site, csp_page, lang):
    url, kind, milestones = milestones_of(site, lang)
    _ident, when, title = max(milestones, key=lambda m: len(m[2]))
    with serve(site) as base:
        status, _links = run_search(csp_page, base, SEARCH_PAGES[lang], title)
        found = shown(csp_page)
    count = int(re.search(r"\d+", status).group(0)) if re.search(r"\d+", status) else 1
    assert count == len(found) or count > 20, (status, found)
    assert all(not r["title"].count("\u00ad") for r in found)
