"""The real site, built once per session: pages, languages, menus and key facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import html_files, soup_of

# Every page of the site: key -> (Norwegian URL path, English URL path)
PAGES = {
    "home": ("/", "/en/"),
    "vision": ("/visjon/", "/en/vision/"),
    "background": ("/bakgrunn/", "/en/background/"),
    "history": ("/historie/", "/en/history/"),
    "timeline": ("/tidslinje/", "/en/timeline/"),
    "focus-areas": ("/satsingsomrader/", "/en/focus-areas/"),
    "adults": ("/voksne/", "/en/adults/"),
    "children-youth": ("/barn-og-unge/", "/en/children-and-youth/"),
    "work-rehabilitation": ("/arbeid-og-rehabilitering/", "/en/work-and-rehabilitation/"),
    "research": (
        "/forskning-og-fagutvikling/",
        "/en/research-and-professional-development/",
    ),
    "bsb": ("/bruker-spor-bruker/", "/en/user-interviews-user/"),
    "knowledge": ("/kunnskap/", "/en/knowledge/"),
    "news": ("/nyheter/", "/en/news/"),
    "contact": ("/kontakt/", "/en/contact/"),
    "accessibility": ("/tilgjengelighet/", "/en/accessibility/"),
    "privacy": ("/personvern/", "/en/privacy/"),
    "not-found": ("/404.html", "/en/404.html"),
}

# Facts from the organisation's texts that must stand on the right page in both
# languages: key -> (in both, only in nb, only in en)
FACTS = {
    "bsb": (["165", "500", "45", "1500", "60"], ["Bruker Spør Bruker"], ["User Interviews User"]),
    "history": (["165", "500", "Mental Health Norway", "LPP", "Voksne for barn"], [], []),
    "background": (
        ["Mental Helse", "LPP", "Voksne for Barn", "NTNU", "St. Olavs", "Helsedirektoratet"],
        ["26. november 2011"],
        ["26 November 2011"],
    ),
    "contact": (["Sorgenfriveien 9", "Trondheim"], [], []),
    "children-youth": (
        [
            "Rom for medvirkning",
            "Glimt Ung",
            "En ainna plass",
            "Min stemme teller",
            "RKBU",
            "BTI",
            "FACT ung",
            "+47 988 88 298",
            "juni.hoiseth@kbtkompetanse.no",
        ],
        [],
        [],
    ),
    "vision": (["NAPHA"], ["Erfaring og fag i likeverdig dialog"], []),
    "home": ([], ["Erfaring og fag i likeverdig dialog for bedre tjenester"], []),
}


def output_file(site: Path, url: str) -> Path:
    path = site / url.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def text_of(site: Path, url: str) -> str:
    return " ".join(soup_of(output_file(site, url)).get_text(" ").split())


@pytest.mark.parametrize("key", PAGES)
def test_every_page_exists_in_both_languages_and_links_its_translation(site, key):
    nb_url, en_url = PAGES[key]
    both = (("nb", nb_url, "en", en_url), ("en", en_url, "nb", nb_url))
    for lang, url, other_lang, other_url in both:
        soup = soup_of(output_file(site, url))
        assert soup.html["lang"] == lang
        switch = soup.select_one(f".kbt-lang a[hreflang={other_lang}]")
        assert switch is not None and switch["href"] == other_url
        links = soup.select('link[rel="alternate"][hreflang]')
        alternates = {link["hreflang"]: link["href"] for link in links}
        assert alternates == {lang: url, other_lang: other_url, "x-default": nb_url}


@pytest.mark.parametrize("key", FACTS)
def test_key_facts_stand_on_their_page_in_both_languages(site, key):
    both, nb_only, en_only = FACTS[key]
    nb_url, en_url = PAGES[key]
    for url, extra in ((nb_url, nb_only), (en_url, en_only)):
        text = text_of(site, url)
        for fact in both + extra:
            assert fact in text, f"{fact!r} is missing on {url}"


def test_every_html_file_has_a_language_and_one_h1(site):
    files = html_files(site)
    assert len(files) >= 2 * len(PAGES)
    for path in files:
        soup = soup_of(path)
        lang = "en" if path.relative_to(site).parts[0] == "en" else "nb"
        assert soup.html["lang"] == lang, path
        assert len(soup.find_all("h1")) == 1, path
        assert soup.title.string.strip(), path
        assert soup.select_one('meta[name="description"]')["content"].strip(), path


@pytest.mark.parametrize(("lang", "prefix"), [("nb", "/"), ("en", "/en/")])
def test_menus_are_in_the_page_language(site, lang, prefix):
    home = PAGES["home"][0 if lang == "nb" else 1]
    soup = soup_of(output_file(site, home))
    links = soup.select(".kbt-menu a")
    assert len(links) == 6
    for link in links:
        assert link["href"].startswith(prefix)
        if lang == "nb":
            assert not link["href"].startswith("/en/")
    labels = [a.get_text(strip=True) for a in links]
    expected = ["Om KBT", "Kontakt"] if lang == "nb" else ["About KBT", "Contact"]
    assert set(expected) <= set(labels)


def test_menu_marks_the_current_page_and_section(site):
    soup = soup_of(output_file(site, PAGES["children-youth"][1]))
    current = {a.get_text(strip=True): a["aria-current"] for a in soup.select("[aria-current]")}
    assert current.get("Focus areas") == "true"
    assert "page" in current.values()
    section = soup.select_one(".kbt-section-nav a[aria-current=page]")
    assert section["href"] == PAGES["children-youth"][1]


def test_news_is_listed_per_language_with_dates_in_its_locale(site):
    for url, lang in ((PAGES["news"][0], "nb"), (PAGES["news"][1], "en")):
        soup = soup_of(output_file(site, url))
        items = soup.select(".kbt-card")
        assert len(items) >= 3
        for item in items:
            href = item.select_one("a")["href"]
            assert href.startswith("/en/news/" if lang == "en" else "/nyheter/")
            time = item.select_one("time")
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", time["datetime"])
    nb_dates = text_of(site, PAGES["news"][0])
    en_dates = text_of(site, PAGES["news"][1])
    assert "26. november 2011" in nb_dates
    assert "26 November 2011" in en_dates


def test_no_inline_script_style_or_other_hosts(site):
    for path in html_files(site):
        soup = soup_of(path)
        assert not soup.find("style"), path
        assert not soup.select("[style]"), path
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue  # data, not a script; a strict CSP allows it
            assert script.get("src", "").startswith("/"), path
        for tag in soup.select("link[href], script[src], img[src]"):
            url = tag.get("href") or tag.get("src")
            if tag.name == "link" and tag.get("rel") == ["alternate"]:
                continue
            assert url.startswith("/"), (path, url)
