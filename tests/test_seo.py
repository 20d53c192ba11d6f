"""Feeds, sitemaps and metadata (plugins/seo/): on fixture builds and on the real site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from .conftest import build_fixture, html_files, soup_of
from .test_site import PAGES, output_file

from seo import description_of, robots_txt, shorten  # isort: skip

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP_PAGES = {"nb": "pages/nb/nettstedskart.md", "en": "pages/en/sitemap.md"}


@pytest.fixture
def fixture_site(fixture_content, tmp_path) -> Path:
    """The fixture site with the two sitemap pages, published at https://example.org."""
    for path in SITEMAP_PAGES.values():
        shutil.copy(ROOT / "content" / path, fixture_content / path)
    return build_fixture(
        fixture_content,
        tmp_path / "output",
        SITEURL="https://example.org",
    )  # the sitemap pages bring their own `Footer:` line


def feed_entries(path: Path) -> tuple[str, list[str]]:
    root = ET.parse(path).getroot()
    lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    return lang, links


# Units -------------------------------------------------------------------------


def test_shorten_cuts_at_a_word():
    assert shorten("short", 160) == "short"
    cut = shorten("ord " * 100, 40)
    assert len(cut) <= 40 and cut.endswith("ord…")


def test_robots_points_to_an_absolute_sitemap_or_explains_why_not():
    assert "Sitemap: https://example.org/sitemap.xml" in robots_txt(
        "https://example.org", "sitemap.xml"
    )
    local = robots_txt("", "sitemap.xml")
    assert "\nSitemap:" not in local and "# Sitemap: /sitemap.xml" in local


def test_description_falls_back_to_the_first_paragraph():
    class Fake:
        metadata: dict = {}
        content = "<h2>Head</h2><p>First <em>one</em>.</p><p>Second.</p>"

    assert description_of(Fake(), 160) == "First one."
    # A Summary: is text as typed, never HTML: its characters stay as they are
    Fake.metadata = {"summary": "Når a<b &amp; <p>\n  mer"}
    assert description_of(Fake(), 160) == "Når a<b &amp; <p> mer"


# Fixture builds ------------------------------------------------------------------


def test_feeds_hold_only_their_language(fixture_site):
    nb_lang, nb_links = feed_entries(fixture_site / "nyheter" / "atom.xml")
    en_lang, en_links = feed_entries(fixture_site / "en" / "news" / "atom.xml")
    assert nb_lang == "nb" and en_lang == "en"
    assert len(nb_links) == len(en_links) == 3
    assert all(link.startswith("https://example.org/nyheter/") for link in nb_links)
    assert all(link.startswith("https://example.org/en/news/") for link in en_links)
    assert nb_links[0] == "https://example.org/nyheter/avsluttet/"  # newest first


def test_every_page_links_the_feed_of_its_language(fixture_site):
    for path in html_files(fixture_site):
        soup = soup_of(path)
        feeds = soup.select('link[rel=alternate][type="application/atom+xml"]')
        expected = (
            "https://example.org/en/news/atom.xml"
            if soup.html["lang"] == "en"
            else "https://example.org/nyheter/atom.xml"
        )
        assert [f["href"] for f in feeds] == [expected], path


def test_sitemap_lists_every_page_with_its_translations(fixture_site):
    root = ET.parse(fixture_site / "sitemap.xml").getroot()
    entries = {
        url.find(f"{SM}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for url in root.iter(f"{SM}url")
    }
    written = {
        "https://example.org/" + str(p.relative_to(fixture_site).parent).replace(".", "") + "/"
        for p in html_files(fixture_site)
    }
    written = {url.replace("org//", "org/") for url in written}
    assert set(entries) == written
    about = entries["https://example.org/en/about/"]
    assert about == {
        "nb": "https://example.org/om/",
        "en": "https://example.org/en/about/",
        "x-default": "https://example.org/om/",
    }
    assert entries["https://example.org/bare-norsk/"] == {
        "nb": "https://example.org/bare-norsk/",
        "x-default": "https://example.org/bare-norsk/",
    }
    for alternates in entries.values():
        assert "x-default" in alternates
    robots = (fixture_site / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots


def test_human_readable_sitemap_lists_the_pages_of_its_language(fixture_site):
    nb = soup_of(fixture_site / "nettstedskart" / "index.html")
    nb_links = {a["href"] for a in nb.select(".kbt-sitemap a")}
    assert {
        "https://example.org/",
        "https://example.org/om/",
        "https://example.org/bare-norsk/",
        "https://example.org/nyheter/stiftet/",
    } <= nb_links
    en = soup_of(fixture_site / "en" / "sitemap" / "index.html")
    en_links = {a["href"] for a in en.select(".kbt-sitemap a")}
    assert {"https://example.org/en/", "https://example.org/en/news/founded/"} <= en_links
    assert not any(link.startswith("https://example.org/nyheter/") for link in en_links)
    footer = {a["href"] for a in en.select(".kbt-footer a")}
    assert "https://example.org/en/sitemap/" in footer


def test_canonical_description_and_json_ld(fixture_site):
    for path in html_files(fixture_site):
        soup = soup_of(path)
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        relative = path.relative_to(fixture_site).parent.as_posix()
        assert canonical == "https://example.org/" + ("" if relative == "." else relative + "/")
        assert soup.select_one('meta[name="description"]')["content"].strip()
        data = soup.select('script[type="application/ld+json"]')
        is_home = relative in (".", "en")
        kinds = [json.loads(d.string)["@type"] for d in data]
        # the home page describes the organisation, every other page its breadcrumbs
        assert kinds == (["Organization"] if is_home else ["BreadcrumbList"]), path
    ld = soup_of(fixture_site / "index.html").select_one('script[type="application/ld+json"]')
    home = json.loads(ld.string)
    assert home["@type"] == "Organization"
    assert home["address"]["streetAddress"] == "Sorgenfriveien 9"
    assert home["url"] == "https://example.org/"
    assert home["logo"] == "https://example.org/theme/favicon.svg"
    assert (fixture_site / "theme" / "favicon.svg").is_file()


# The real site -------------------------------------------------------------------


@pytest.mark.parametrize("key", [k for k in PAGES if k != "not-found"])
def test_real_pages_have_canonical_description_and_sitemap_entry(site, key):
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = {
        url.find(f"{SM}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for url in root.iter(f"{SM}url")
    }
    nb_url, en_url = PAGES[key]
    for url in (nb_url, en_url):
        soup = soup_of(output_file(site, url))
        assert soup.select_one('link[rel="canonical"]')["href"] == url
        assert soup.select_one('meta[name="description"]')["content"].strip()
        assert entries[url] == {"nb": nb_url, "en": en_url, "x-default": nb_url}


def test_real_site_feeds_json_ld_and_sitemap_pages(site):
    for feed, lang, prefix in (
        ("nyheter/atom.xml", "nb", "/nyheter/"),
        ("en/news/atom.xml", "en", "/en/news/"),
    ):
        feed_lang, links = feed_entries(site / feed)
        assert feed_lang == lang and links
        assert all(link.startswith(prefix) for link in links)
    for url in PAGES["home"]:
        soup = soup_of(output_file(site, url))
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert data["name"] == "Kompetansesenter for brukererfaring og tjenesteutvikling"
        assert data["address"]["streetAddress"] == "Sorgenfriveien 9"
    assert (site / "nettstedskart" / "index.html").is_file()
    assert (site / "en" / "sitemap" / "index.html").is_file()
    assert (site / "robots.txt").is_file()
