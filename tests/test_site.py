"""The real site, built once per session: pages, languages, menus and key facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.dates import get_month_names

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

# What a number looks like in either language: "1 500", "1,500" and "1500" are one
# number; a date written 26.11.2011 gives its day and year, as "26 November 2011" does.
NUMBER = re.compile(r"\d+(?:[ \u00a0,]\d{3}(?!\d))*")
DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def output_file(site: Path, url: str) -> Path:
    path = site / url.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


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


def numbers_in(path: Path) -> set[str]:
    main = soup_of(path).main
    for updated in main.select(".kbt-updated"):  # when each file was edited, not a fact
        updated.decompose()
    text = DOTTED_DATE.sub(r"\1 \3", main.get_text(" "))
    return {re.sub(r"\D", "", number) for number in NUMBER.findall(text)}


def translation_of(site: Path, path: Path) -> Path:
    """The English file that the language switch of a Norwegian page leads to."""
    href = soup_of(path).select_one(".kbt-lang a[hreflang=en]")["href"]
    return output_file(site, href)


def test_every_translation_gives_the_same_numbers_as_its_original(site):
    """Figures, years, dates and phone numbers are the facts a translation most
    easily gets wrong: each Norwegian page and its English twin give the same."""
    pairs = [
        (path, translation_of(site, path))
        for path in html_files(site)
        if path.relative_to(site).parts[0] != "en"
    ]
    assert pairs
    for nb, en in pairs:
        assert en.is_file(), f"{nb} leads to a missing translation {en}"
        assert numbers_in(nb) == numbers_in(en), (nb, en)


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


def menu_links(site: Path, url: str) -> list:
    return soup_of(output_file(site, url)).select(".kbt-menu a")


@pytest.mark.parametrize(("lang", "index"), [("nb", 0), ("en", 1)])
def test_menus_are_in_the_page_language(site, lang, index):
    links = menu_links(site, PAGES["home"][index])
    assert links
    for link in links:
        assert link.get_text(strip=True), link
        assert link["href"].startswith("/en/") == (lang == "en"), link
        target = soup_of(output_file(site, link["href"]))
        assert target.html["lang"] == lang, link


def test_the_menus_of_both_languages_lead_to_each_others_pages(site):
    nb_links = menu_links(site, PAGES["home"][0])
    en_links = menu_links(site, PAGES["home"][1])
    assert len(nb_links) == len(en_links)
    for nb, en in zip(nb_links, en_links, strict=True):
        assert translation_of(site, output_file(site, nb["href"])) == output_file(site, en["href"])


def test_menu_marks_the_current_page_and_section(site):
    soup = soup_of(output_file(site, PAGES["children-youth"][1]))
    current = {a["href"]: a["aria-current"] for a in soup.select(".kbt-menu [aria-current]")}
    assert current == {PAGES["focus-areas"][1]: "true"}
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
            shown = time.get_text(" ", strip=True).lower()
            year, *rest = (int(part) for part in time["datetime"].split("-"))
            assert str(year) in shown, time
            if rest:
                month = get_month_names("wide", locale=lang)[rest[0]].lower()
                assert month in shown, time
            if len(rest) == 2:
                assert re.search(rf"\b{rest[1]}\b", shown), time


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
