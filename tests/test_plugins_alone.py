"""Each plugin alone (PLUGINS = [that plugin]) on a tiny site with Pelican's own
theme, built by the plain `pelican` command in a process of its own, as the
pelican-plugins projects test theirs: no plugin needs another one, its order or
its state."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pelican
from bs4 import BeautifulSoup
from PIL import Image

from .conftest import ROOT

PELICAN = Path(sys.executable).parent / "pelican"
SIMPLE = Path(pelican.__file__).parent / "themes" / "simple"

SETTINGS = """
import os
import sys

# As in the project's pelicanconf.py: the plugins' shared library on sys.path
sys.path.insert(0, {plugins!r})

import {plugin}

SITENAME = "Tiny"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "nb"
PATH = "content"
CACHE_PATH = "cache"
THEME = {theme!r}
PLUGINS = [{plugin}]
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
PATH_METADATA = r"(?:pages|news)/(?P<lang>[^/]+)/.*"
PAGE_PATHS = ["pages"]
READERS = {{"rst": None}}  # Markdown only (docutils knows no Bokmål)
ARTICLE_PATHS = ["news"]
"""


def tiny_site(
    tmp_path: Path, plugin: str, files: dict[str, str], extra: str = "", theme: str = "simple"
) -> Path:
    for name, text in files.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    settings = SETTINGS.format(plugins=str(ROOT / "plugins"), plugin=plugin, theme=theme) + extra
    (tmp_path / "tinyconf.py").write_text(settings, encoding="utf-8")
    return tmp_path / "tinyconf.py"


def build(tmp_path: Path, settings: Path, ok: bool = True) -> str:
    result = subprocess.run(
        [
            str(PELICAN),
            "content",
            "-s",
            str(settings),
            "-o",
            str(tmp_path / "output"),
            "--fatal",
            "warnings",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    said = " ".join((result.stdout + result.stderr).split())
    assert (result.returncode == 0) == ok, said
    return said


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


PAGE = "Title: {title}\nKey: {key}\n\n{text}\n"


def test_assets_alone_bundles_the_themes_css_and_scripts(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(SIMPLE, theme)
    css = theme / "assets" / "css"
    css.mkdir(parents=True)
    (css / "index.css").write_text('@import "a.css" layer(base);\n', encoding="utf-8")
    (css / "a.css").write_text("body { color: red; }\n", encoding="utf-8")
    (theme / "assets" / "js").mkdir()
    (theme / "assets" / "js" / "a.js").write_text("console.log(1);\n", encoding="utf-8")
    settings = tiny_site(
        tmp_path,
        "assets",
        {"pages/nb/a.md": PAGE.format(title="A", key="a", text="Tekst.")},
        theme=str(theme),
    )
    build(tmp_path, settings)
    (bundle,) = (tmp_path / "output" / "theme").glob("site.*.css")
    assert bundle.read_text(encoding="utf-8").strip() == "@layer base {\nbody { color: red; }\n\n}"
    assert list((tmp_path / "output" / "theme").glob("site.*.js"))


BILINGUAL = f"""
BILINGUAL_LANGUAGES = {{
    "nb": {{"locale": "nb_NO", "name": "Norsk", "home": ""}},
    "en": {{"locale": "en_GB", "name": "English", "home": "en/"}},
}}
BILINGUAL_TRANSLATIONS_DIR = {str(ROOT / "theme" / "translations")!r}
PAGE_TRANSLATION_ID = "key"
PAGE_LANG_URL = "{{lang}}/{{slug}}/"
PAGE_LANG_SAVE_AS = "{{lang}}/{{slug}}/index.html"
"""


def test_bilingual_alone_pairs_translations_and_stops_at_one_without_original(tmp_path):
    files = {
        "pages/nb/om.md": PAGE.format(title="Om", key="about", text="Tekst."),
        "pages/en/about.md": PAGE.format(title="About", key="about", text="Text."),
    }
    settings = tiny_site(tmp_path, "bilingual", files, BILINGUAL)
    build(tmp_path, settings)
    assert (tmp_path / "output" / "en" / "about" / "index.html").is_file()
    (tmp_path / "content" / "pages" / "en" / "about.md").write_text(
        PAGE.format(title="About", key="nothing", text="Text."), encoding="utf-8"
    )
    said = build(tmp_path, settings, ok=False)
    assert "pages/en/about.md:2" in said and "How to fix" in said


IMAGES = f"""
IMAGES_MARK = {str(ROOT / "theme" / "assets" / "mark.svg")!r}
IMAGES_COLOURS = {str(ROOT / "theme" / "assets" / "css" / "tokens.css")!r}
IMAGES_AVIF = False
STATIC_PATHS = []  # as the project: the originals are not published
"""


def test_images_alone_makes_pictures_and_favicons(tmp_path):
    text = "![Ein grøn flate](../../images/flate.jpg)"
    settings = tiny_site(
        tmp_path, "images", {"pages/nb/a.md": PAGE.format(title="A", key="a", text=text)}, IMAGES
    )
    (tmp_path / "content" / "images").mkdir()
    Image.new("RGB", (1600, 900), "#6a8e3a").save(tmp_path / "content" / "images" / "flate.jpg")
    build(tmp_path, settings)
    output = tmp_path / "output"
    picture = soup(output / "pages" / "a.html").find("picture")
    assert picture is not None and picture.img["alt"] == "Ein grøn flate"
    for candidate in picture.img["srcset"].split(","):
        assert (output / candidate.split()[0].lstrip("/")).is_file()
    assert (output / "favicon.ico").is_file() and (output / "apple-touch-icon.png").is_file()
    assert "#6a8e3a" in (output / "theme" / "favicon.svg").read_text(encoding="utf-8")
    assert not (output / "images" / "flate.jpg").exists()  # the original stays private


def test_quality_alone_marks_links_and_stops_at_a_broken_one(tmp_path):
    text = "## Mer\n\nSe [NAPHA](https://www.napha.no/)."
    toc = 'MARKDOWN = {"extension_configs": {"markdown.extensions.toc": {}}}\n'
    settings = tiny_site(
        tmp_path, "quality", {"pages/nb/a.md": PAGE.format(title="A", key="a", text=text)}, toc
    )
    build(tmp_path, settings)
    page = soup(tmp_path / "output" / "pages" / "a.html")
    assert "kbt-link--external" in page.find("a", href="https://www.napha.no/")["class"]
    assert page.find("h2", id="mer").find_next_sibling("a", class_="kbt-heading-anchor")
    assert (tmp_path / "output" / "pages" / "a.html.br").is_file()
    (tmp_path / "content" / "pages" / "nb" / "a.md").write_text(
        PAGE.format(title="A", key="a", text="Se [b](/ingen/)."), encoding="utf-8"
    )
    said = build(tmp_path, settings, ok=False)
    assert "pages/nb/a.md:4" in said and "/ingen/" in said


def test_search_alone_indexes_the_site_with_pagefind(tmp_path):
    settings = tiny_site(
        tmp_path, "search", {"pages/nb/a.md": PAGE.format(title="A", key="a", text="Søkbar tekst.")}
    )
    build(tmp_path, settings)
    assert (tmp_path / "output" / "pagefind" / "pagefind.js").is_file()
    assert list((tmp_path / "output" / "pagefind").glob("pagefind-entry.json"))


def test_seo_alone_writes_the_sitemap_and_robots_txt(tmp_path):
    files = {
        "pages/nb/a.md": PAGE.format(title="A", key="a", text="Tekst."),
        "pages/nb/b.md": PAGE.format(title="B", key="b", text="Tekst."),
    }
    settings = tiny_site(tmp_path, "seo", files, 'SITEURL = "https://example.org"\n')
    build(tmp_path, settings)
    sitemap = (tmp_path / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/pages/a.html" in sitemap
    assert "https://example.org/pages/b.html" in sitemap
    assert "Sitemap: https://example.org/sitemap.xml" in (
        tmp_path / "output" / "robots.txt"
    ).read_text(encoding="utf-8")


TIMELINE = """
TIMELINE_THEMES = {"bsb": {"nb": "Bruker Spør Bruker", "en": "User Interviews User"}}
PAGE_TRANSLATION_ID = "key"
PAGE_LANG_URL = "{lang}/pages/{slug}.html"
PAGE_LANG_SAVE_AS = "{lang}/pages/{slug}.html"
"""

MILESTONES = {
    "nb": "Title: Tidslinje\nKey: timeline\nTemplate: timeline\n\nHistoria.\n\n"
    "## 1997: Det første brukermøtet\nThemes: bsb\n\nMetoden blir prøvd ut.\n",
    "en": "Title: Timeline\nKey: timeline\nTemplate: timeline\n\nOur history.\n\n"
    "## 1997: The first user meeting\nThemes: bsb\n\nThe method is tried out.\n",
}


def test_timeline_alone_writes_the_milestones_as_json(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(SIMPLE, theme)
    (theme / "templates" / "timeline.html").write_text(
        '{% extends "page.html" %}', encoding="utf-8"
    )
    files = {f"pages/{lang}/timeline.md": text for lang, text in MILESTONES.items()}
    settings = tiny_site(tmp_path, "timeline", files, TIMELINE, theme=str(theme))
    build(tmp_path, settings)
    exports = sorted((tmp_path / "output").rglob("timeline.json"))
    assert len(exports) == 2
    assert any("The first user meeting" in p.read_text(encoding="utf-8") for p in exports)


def test_images_and_safety_in_either_order_stop_at_an_images_event_handler(tmp_path):
    text = '<img src="../../images/flate.jpg" alt="Ei flate" onerror="steal()">'
    page = "Title: A\nKey: a\nSummary: En side.\n\n{text}\n"
    for order in ("images, safety", "safety, images"):
        site = tmp_path / order.replace(", ", "-")
        settings = tiny_site(site, "images", {"pages/nb/a.md": page.format(text=text)}, IMAGES)
        (site / "content" / "images").mkdir()
        Image.new("RGB", (800, 600), "#6a8e3a").save(site / "content" / "images" / "flate.jpg")
        source = settings.read_text(encoding="utf-8")
        settings.write_text(
            source.replace("import images", "import images\nimport safety").replace(
                "PLUGINS = [images]", f"PLUGINS = [{order}]"
            ),
            encoding="utf-8",
        )
        said = build(site, settings, ok=False)
        assert "pages/nb/a.md:5" in said and "onerror" in said, order


def test_safety_alone_judges_the_texts_html_against_its_allowlist(tmp_path):
    page = "Title: A\nKey: a\nSummary: En side.\n\n{text}\n"
    settings = tiny_site(
        tmp_path, "safety", {"pages/nb/a.md": page.format(text="Tekst med *vekt*.")}
    )
    build(tmp_path, settings)
    assert (tmp_path / "output" / "pages" / "a.html").is_file()
    (tmp_path / "content" / "pages" / "nb" / "a.md").write_text(
        page.format(text="Tekst.\n\n<iframe src=x></iframe>"), encoding="utf-8"
    )
    said = build(tmp_path, settings, ok=False)
    assert "pages/nb/a.md:7" in said and "iframe" in said
