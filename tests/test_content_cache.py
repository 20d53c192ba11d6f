"""Pelican's content cache (CACHE_CONTENT, LOAD_CONTENT_CACHE, kept by build.py
in a folder named by the settings, the plugins and the content's other files):
a build that reads from it makes the very site a build without it makes, after
each kind of edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build import build_site

from .conftest import ROOT
from .test_bench import corpus


@pytest.fixture
def site(tmp_path) -> dict:
    content = corpus.generate(10, tmp_path / "content")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return {"content": content, "theme": theme, "root": tmp_path}


def build(site: dict, output: str, cache: str, **settings) -> Path:
    overrides = {
        "PATH": str(site["content"]),
        "THEME": str(site["theme"]),
        "CACHE_PATH": str(site["root"] / cache),
        # shared by all builds: only the drawing of images and cards is slow
        "IMAGES_CACHE_DIR": str(site["root"] / "images"),
        **settings,
    }
    return build_site(ROOT / "pelicanconf.py", site["root"] / output, overrides)


def uncached(site: dict, output: str) -> Path:
    shutil.rmtree(site["root"] / "nocache", ignore_errors=True)
    return build(site, output, "nocache", CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)


def assert_same_site(one: Path, other: Path) -> None:
    files_one = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    files_other = sorted(p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file())
    assert files_one == files_other
    for rel in files_one:
        if "pagefind/" not in rel:  # Pagefind lists the languages in no fixed order
            assert (one / rel).read_bytes() == (other / rel).read_bytes(), rel


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_cached_build_is_the_uncached_build_after_each_kind_of_edit(site):
    first = build(site, "first", "cache")
    assert_same_site(first, uncached(site, "plain"))
    assert list((site["root"] / "cache").glob("content-*/*-Readers"))  # it was kept

    # The text of one article
    article = site["content"] / "news" / "nb" / f"{corpus.article_name('nb', 3)}.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nEt nytt avsnitt.\n", "utf-8")
    after_text = build(site, "text", "cache")
    page = after_text / "nyheter" / corpus.article_name("nb", 3) / "index.html"
    assert "Et nytt avsnitt." in page.read_text("utf-8")
    assert_same_site(after_text, uncached(site, "plain-text"))

    # A title shown in every page's menu
    edit(site["content"] / "pages" / "en" / "vision.md", "Menu_title: ", "Menu_title: All ")
    assert_same_site(build(site, "title", "cache"), uncached(site, "plain-title"))

    # An image replaced under the same name: the pages showing it show the new one
    images = sorted((site["content"] / "images").rglob("*.jpg"))
    assert images, "the corpus has content images"
    from PIL import Image

    with Image.open(images[0]) as original:
        size = original.size
    Image.new("RGB", size, "#7a4f9a").save(images[0], quality=90)
    assert_same_site(build(site, "image", "cache"), uncached(site, "plain-image"))

    # A template
    base = site["theme"] / "templates" / "base.html"
    edit(base, "</body>", "<!-- edited --></body>")
    after_template = build(site, "template", "cache")
    contact = after_template / "en" / "contact" / "index.html"
    assert "<!-- edited -->" in contact.read_text("utf-8")
    assert_same_site(after_template, uncached(site, "plain-template"))
