"""The real site, built once per session: pages, languages, menus and key facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.dates import get_month_names

from tools.translations import read_header

from .conftest import html_files, soup_of

ROOT = Path(__file__).resolve().parent.parent
LANG_HOMES = {"nb": "/", "en": "/en/"}


def content_pages(content: Path = ROOT / "content") -> dict[str, tuple[str, str]]:
    """Every page of the content published in both languages, as staff keep them:
    key -> (Norwegian URL path, English URL path), read from the files (a page
    added, renamed or moved into a menu is here without editing a test; one whose
    translation is still a draft is not, the translation report names it)."""
    urls: dict[str, dict[str, str]] = {}
    for lang, home in LANG_HOMES.items():
        for path in sorted((content / "pages" / lang).glob("*.md")):
            header = read_header(path)
            if header.get("status", "").lower() == "draft":
                continue
            url = "/" + header["url"] if "url" in header else f"{home}{path.stem}/"
            urls.setdefault(header["key"], {})[lang] = url
    return {
        key: (by_lang["nb"], by_lang["en"]) for key, by_lang in urls.items() if len(by_lang) == 2
    }


# Every page of the site: key -> (Norwegian URL path, English URL path)
PAGES = content_pages()


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


def test_menus_mark_the_current_page_and_its_section(site):
    """On every page in a section menu: the page itself is marked there, and the
    main menu marks the section's own page ("true" from below, "page" on it)."""
    checked = 0
    for path in html_files(site):
        soup = soup_of(path)
        section = [a["href"] for a in soup.select(".kbt-section-nav a")]
        if not section:
            continue
        own = soup.select_one('link[rel="canonical"]')["href"]
        current = {
            a["href"]: a["aria-current"] for a in soup.select(".kbt-section-nav [aria-current]")
        }
        assert current == {own: "page"}, path
        menu = {a["href"]: a.get("aria-current") for a in soup.select(".kbt-menu a")}
        head = section[0]  # a section's own page comes first
        if head in menu:
            assert menu[head] == ("page" if own == head else "true"), path
            assert [v for v in menu.values() if v] == [menu[head]], path
        checked += 1
    assert checked


def test_phone_numbers_and_addresses_are_links_to_what_the_page_shows(site):
    """A phone number or e-mail address in the text is a tel:/mailto: link to the
    number or address it shows (whichever people staff list, and however many)."""
    for path in html_files(site):
        for link in soup_of(path).select('main a[href^="tel:"], main a[href^="mailto:"]'):
            shown, href = link.get_text(strip=True), link["href"]
            if href.startswith("tel:"):
                digits = re.sub(r"\D", "", shown)
                assert (
                    digits and href == "tel:" + ("+" if shown.startswith("+") else "") + digits
                ), (
                    path,
                    link,
                )
            elif "@" in shown:
                assert href == f"mailto:{shown}", (path, link)


def test_news_is_listed_per_language_with_dates_in_its_locale(site):
    for url, lang in ((PAGES["news"][0], "nb"), (PAGES["news"][1], "en")):
        soup = soup_of(output_file(site, url))
        items = soup.select(".kbt-card")
        assert items
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
