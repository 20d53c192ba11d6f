"""`invoke publish`: build with publishconf.py, check every URL, then swap into place.

The check that every URL stays under SITEURL is the quality plugin's
(``QUALITY_SITEURL_ONLY``, on in publishconf.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from build import BuildError
from tools.publish import publish

from .conftest import FIXTURE_SETTINGS, ROOT, build_fixture, html_files, soup_of
from .test_images import add_to_page, photo

from quality import quality  # isort: skip
from seo import seo  # isort: skip

BASE = "https://example.org/kbt"


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<a href="https://example.org/kbt/om/">x</a>', []),
        ('<a href="https://example.org/kbt">x</a>', []),
        ('<a href="#top">x</a><a href="mailto:a@b.no">m</a>', []),
        ('<a href="https://other.example/">x</a>', []),  # a link to another site is fine
        ('<a href="om/">x</a>', []),
        ('<a href="/om/">x</a>', ["/om/ (starts at the server root"]),
        ('<a href="https://example.org/om/">x</a>', ["this site's host, but not under"]),
        ('<img src="https://cdn.example/x.png" alt="">', ["<img src> loads from another site"]),
        (
            '<img srcset="https://example.org/kbt/a.webp 1x, /b.webp 2x" alt="">',
            ["/b.webp (starts at the server root"],
        ),
        (
            '<meta property="og:url" content="https://www.kbtkompetanse.no/">',
            ["og:url> not under"],
        ),
        ('<meta property="og:image" content="https://example.org/kbt/a.png">', []),
        ('<link rel="stylesheet" href="https://cdn.example/a.css">', ["<link href> loads from"]),
        ('<form action="/sok/"></form>', ["/sok/ (starts at the server root"]),
    ],
)
def test_urls_that_leave_the_site(html, found):
    _out, urls, _ids = quality.process_page(html, BASE, quality.DEFAULTS)
    problems = [quality.leaves_site(url, where, BASE) for where, url in urls]
    problems = [problem for problem in problems if problem is not None]
    assert len(problems) == len(found), problems
    for problem, fragment in zip(problems, found, strict=True):
        assert fragment in problem


def settings(content):
    return {**FIXTURE_SETTINGS, "PATH": str(content)}


def test_a_failed_publish_leaves_the_last_good_site(fixture_content, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", BASE)
    output = tmp_path / "output"
    publish(ROOT / "publishconf.py", output, overrides=settings(fixture_content))
    (output / "marker.txt").write_text("last good", encoding="utf-8")
    page = fixture_content / "pages/nb/om.md"
    page.write_text(page.read_text() + "\n[gammel](/gammel-side/)\n", encoding="utf-8")
    with pytest.raises(BuildError):
        publish(ROOT / "publishconf.py", output, overrides=settings(fixture_content))
    assert (output / "marker.txt").read_text(encoding="utf-8") == "last good"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        ("[om](/om/)", "/om/ (starts at the server root, not at https://example.org/kbt/)"),
        (
            "[om](https://example.org/om/)",
            "https://example.org/om/ (this site's host, but not under https://example.org/kbt/)",
        ),
    ],
)
def test_a_url_out_of_the_sub_path_stops_the_publish(
    fixture_content, tmp_path, monkeypatch, markdown, found
):
    """The link resolves in the output folder, or leads to this host: only the
    SITEURL check stops it, naming the file and line."""
    page = fixture_content / "pages/en/about.md"  # an English file: an English message
    page.write_text(page.read_text() + f"\n{markdown}\n", encoding="utf-8")
    monkeypatch.setenv("SITEURL", BASE)
    output = tmp_path / "output"
    output.mkdir()
    (output / "marker.txt").write_text("last good", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        publish(ROOT / "publishconf.py", output, overrides=settings(fixture_content))
    message = str(caught.value)
    assert f"pages/en/about.md:10: {found} (on the page en/about/index.html)" in message, message
    assert "How to fix: link to pages with [text]({key}" in message
    assert "no file of the site" not in message  # reported once, as leaving the site
    assert (output / "marker.txt").read_text(encoding="utf-8") == "last good"
    assert not (output / "index.html").exists()


def test_a_sitemap_address_out_of_the_site_stops_the_publish(
    fixture_content, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        seo, "sitemap_xml", lambda _entries: "<urlset>\n<loc>https://elsewhere.example/</loc>\n"
    )
    monkeypatch.setenv("SITEURL", BASE)
    with pytest.raises(BuildError) as caught:
        publish(ROOT / "publishconf.py", tmp_path / "output", overrides=settings(fixture_content))
    assert (
        "sitemap.xml:2: https://elsewhere.example/ (<loc> not under https://example.org/kbt/)"
        in str(caught.value)
    )
    assert not (tmp_path / "output").exists()


def test_the_siteurl_check_is_off_by_default(fixture_content, tmp_path):
    page = fixture_content / "pages/nb/om.md"
    page.write_text(page.read_text() + "\n[om](/om/)\n", encoding="utf-8")
    output = build_fixture(fixture_content, tmp_path / "output", SITEURL="https://example.org")
    assert 'href="/om/"' in (output / "om/index.html").read_text(encoding="utf-8")


def test_publish_under_a_sub_path(fixture_content, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", BASE + "/")
    output = publish(
        ROOT / "publishconf.py", tmp_path / "output", overrides=settings(fixture_content)
    )
    checked = 0
    for path in html_files(output):
        for tag in soup_of(path).select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            if url.startswith(("#", "mailto:", "tel:")):
                continue
            assert url.startswith(BASE + "/"), (path, url)
            assert urlsplit(url).path.startswith("/kbt/")
            checked += 1
    assert checked > 50
    assert f"<loc>{BASE}/" in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_publish_wants_a_full_address(fixture_content, tmp_path, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    with pytest.raises(BuildError, match="needs its full address"):
        publish(
            ROOT / "publishconf.py",
            tmp_path / "output",
            overrides={**settings(fixture_content), "SITEURL": ""},
        )
    assert not (tmp_path / "output").exists()


def test_publishing_again_to_another_address_uses_that_address(
    fixture_content, tmp_path, monkeypatch
):
    """Pages kept in the content cache carry their images' full addresses: a
    publish to another SITEURL (given in the environment) must not reuse them."""
    photo(fixture_content)
    add_to_page(fixture_content, "![Et bilde av huset](images/photo.jpg)")
    overrides = {**settings(fixture_content), "CACHE_PATH": str(tmp_path / "cache")}
    for base in ("https://example.org/a", "https://example.net/b"):
        monkeypatch.setenv("SITEURL", base)
        output = publish(ROOT / "publishconf.py", tmp_path / "output", overrides=overrides)
        sources = [img["src"] for path in html_files(output) for img in soup_of(path)("img")]
        assert sources and all(src.startswith(base + "/") for src in sources), sources
