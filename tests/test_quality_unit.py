"""Unit tests of the quality plugin: the HTML pass, link resolution."""

from __future__ import annotations

import gzip
import logging
import time
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup

from quality import quality
from sitelib import cache as cachefiles


def test_line_of_finds_the_first_line_with_the_term(tmp_path):
    source = tmp_path / "page.md"
    source.write_text("Title: T\n\nText\n<SCRIPT>x</SCRIPT>\n", encoding="utf-8")
    assert quality.line_of(source, "<script") == 4
    assert quality.line_of(source, "nothing") is None
    assert quality.line_of(tmp_path / "missing.md", "x") is None


@pytest.mark.parametrize("label", ["Lenke til denne delen", "Link to this section"])
def test_heading_anchor_is_named_by_the_page_label_and_kept_out_of_search(label):
    html = (
        f'<html><body data-anchor-label="{label}">'
        '<h2 id="goal">Our goal</h2><h2>No id</h2><h1 id="t">T</h1></body></html>'
    )
    once, _urls, _ids = quality.process_page(html, "", quality.DEFAULTS)
    twice, _urls, _ids = quality.process_page(once, "", quality.DEFAULTS)  # idempotent
    soup = BeautifulSoup(twice, "html.parser")
    anchors = soup.find_all("a")
    assert len(anchors) == 1
    anchor = anchors[0]
    assert anchor["href"] == "#goal"
    assert anchor.find(class_="kbt-visually-hidden").get_text() == label
    assert anchor.find(attrs={"aria-hidden": "true"}).get_text() == "#"
    assert anchor.has_attr("data-pagefind-ignore")
    assert not anchor.has_attr("aria-labelledby")
    assert not soup.body.has_attr("data-anchor-label")
    # The link follows the heading in a wrapper, so the heading's name is its text alone
    heading = soup.find("h2", id="goal")
    assert heading.get_text() == "Our goal"
    assert heading.find_next_sibling() is anchor
    assert heading.parent.name == "div" and heading.parent is anchor.parent
    assert "kbt-heading--h2" in heading.parent["class"]
    assert len(soup.select("div > h2")) == 1  # the heading without an id stays as it was


def test_pages_that_share_tags_each_get_their_own_links_ids_and_labels():
    # The same menu link on every page: each page is passed as if it were the only one
    shared = '<a href="https://example.org/" id="menu">KBT</a>'
    first = quality.process_page(
        f'<body data-external-label="ekstern">{shared}<a href="/a/">A</a></body>',
        "",
        quality.DEFAULTS,
    )
    second = quality.process_page(f"<body>{shared}</body>", "", quality.DEFAULTS)
    third = quality.process_page(f"<body>{shared}</body>", "https://example.org", quality.DEFAULTS)
    assert first[1] == [("<a href>", "https://example.org/"), ("<a href>", "/a/")]
    assert second[1] == third[1] == [("<a href>", "https://example.org/")]
    assert first[2] == second[2] == third[2] == {"menu"}
    assert "kbt-link--external" in first[0] and "kbt-link--external" in second[0]
    assert "(ekstern)" in first[0] and "ekstern" not in second[0]  # each page's own label
    assert "kbt-link--external" not in third[0]  # on its own site it is no other host


@pytest.mark.parametrize(
    ("url", "siteurl", "external"),
    [
        ("https://www.napha.no/", "", True),
        ("//cdn.example.org/x.js", "", True),
        ("http://example.org", "https://www.kbtkompetanse.no", True),
        ("https://www.kbtkompetanse.no/om/", "https://www.kbtkompetanse.no", False),
        ("/om/", "", False),
        ("mailto:post@example.org", "", False),
        ("#main", "", False),
    ],
)
def test_is_external(url, siteurl, external):
    assert quality.is_external(url, siteurl) is external


def test_external_links_are_marked_with_a_hidden_label():
    html = (
        '<html><body data-external-label="annet nettsted">'
        '<a href="https://www.napha.no/">NAPHA</a> <a href="/om/">Om</a></body></html>'
    )
    out, urls, ids = quality.process_page(html, "", quality.DEFAULTS)
    soup = BeautifulSoup(out, "html.parser")
    external, internal = soup.find_all("a")
    assert external["class"] == ["kbt-link--external"]
    assert external["rel"] == ["external", "noopener"]
    assert external.find(class_="kbt-visually-hidden").get_text() == " (annet nettsted)"
    assert not internal.get("class")
    assert not soup.body.has_attr("data-external-label")
    assert urls == [("<a href>", "https://www.napha.no/"), ("<a href>", "/om/")]


def test_aligned_table_cells_get_a_class_instead_of_a_style():
    html = (
        '<table><tr><th style="text-align: center;">a</th>'
        '<td style="text-align:left">b</td></tr></table>'
    )
    out, _urls, _ids = quality.process_page(html, "", quality.DEFAULTS)
    assert "style=" not in out
    assert 'class="kbt-align-center"' in out and 'class="kbt-align-left"' in out


def test_urls_and_ids_of_a_page():
    _out, urls, ids = quality.process_page(
        '<link rel="stylesheet" href="/theme/a.css"><img src="/i/a.png" alt="" '
        'srcset="/i/a-1.png 1x, /i/a-2.png 2x"><h2 id="x">X</h2><a name="old"></a>'
        '<!-- <a href="/commented/" id="no"> --><p>a &lt;a href="/text/"&gt;</p>'
        '<script src="/s.js"></script><script type="application/ld+json">{"<a href=/j>": 1}'
        "</script>",
        "",
        quality.DEFAULTS,
    )
    assert urls == [
        ("<link href>", "/theme/a.css"),
        ("<img src>", "/i/a.png"),
        ("<img srcset>", "/i/a-1.png"),
        ("<img srcset>", "/i/a-2.png"),
        ("<script src>", "/s.js"),
    ]
    assert ids == {"x", "old"}


@pytest.mark.parametrize(
    ("url", "page", "siteurl", "expected"),
    [
        ("/om/", "index.html", "", ("om/", "")),
        ("/om/#mål", "index.html", "", ("om/", "mål")),
        ("#main", "om/index.html", "", ("om/index.html", "main")),
        ("../nyheter/", "om/index.html", "", ("nyheter/", "")),
        ("bilde.png", "om/index.html", "", ("om/bilde.png", "")),
        ("/en/", "index.html", "", ("en/", "")),
        ("https://kbt.no/om/", "index.html", "https://kbt.no", ("om/", "")),
        ("/kbt/om/", "index.html", "https://x.org/kbt", ("om/", "")),
        ("/om/", "index.html", "https://x.org/kbt", ("../om/", "")),
        ("https://www.napha.no/", "index.html", "", None),
        ("mailto:a@b.no", "index.html", "", None),
        ("tel:+4712345678", "index.html", "", None),
    ],
)
def test_site_path(url, page, siteurl, expected):
    assert quality.site_path(url, page, siteurl) == expected


def test_broken_links_finds_missing_files_and_fragments(tmp_path):
    (tmp_path / "om").mkdir()
    (tmp_path / "om/index.html").write_text("<h2 id='a'>A</h2>")
    (tmp_path / "index.html").write_text("home")
    ids = {"om/index.html": {"a"}, "index.html": set()}
    links = [
        quality.Link("om.md", "index.html", url)
        for url in ("/om/", "/om/#a", "/om", "/om/#b", "/borte/", "#x", "https://a.no/#y")
    ]
    problems = list(quality.broken_links(links, ids, tmp_path, ""))
    assert [link.url for link, _p in problems] == ["/om/#b", "/borte/", "#x"]
    assert "no element with id 'b'" in str(problems[0][1])
    assert "its ids: a" in str(problems[0][1])
    assert "no file of the site" in str(problems[1][1])


def test_a_link_error_from_a_template_names_the_page_and_its_line(tmp_path):
    """A URL the content file does not hold was written by a template: the error
    names the page in the output folder and the URL's line there."""
    source = tmp_path / "om.md"
    source.write_text("Title: Om\n\nTekst.\n", encoding="utf-8")
    (tmp_path / "out/om").mkdir(parents=True)
    (tmp_path / "out/om/index.html").write_text("<p>\n<a href='/x/'>x</a>\n", encoding="utf-8")
    link = quality.Link(str(source), "om/index.html", "/x/", "<a href>")
    with pytest.raises(quality.LinkError) as caught:
        quality.raise_link_errors([(link, "links to /x/", "fix it")], tmp_path / "out")
    assert str(caught.value).startswith("om/index.html:2: links to /x/ (on the page om/index.html)")
    assert "How to fix: fix it" in str(caught.value)
    with pytest.raises(quality.LinkError) as caught:
        quality.raise_link_errors([(link, "links to /x/")])  # no output folder: the source
    assert str(caught.value).startswith(f"{quality.display_path(source)}: links to /x/")


def test_precompress_writes_gzip_and_brotli_next_to_text_files(tmp_path, caplog):
    (tmp_path / "a").mkdir()
    page = tmp_path / "a/index.html"
    page.write_text("<p>hei</p>" * 100, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    with caplog.at_level(logging.DEBUG, logger="quality.quality"):
        count = quality.precompress(tmp_path, (".html",))
    assert count == 1
    assert gzip.decompress((tmp_path / "a/index.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((tmp_path / "a/index.html.br").read_bytes()) == page.read_bytes()
    assert not (tmp_path / "photo.jpg.gz").exists()
    assert "Precompressed 1 files" in caplog.text


def a_script(tmp_path) -> tuple[Path, Path]:
    """A cache folder, and a script in a site to compress."""
    script = tmp_path / "site" / "app.js"
    script.parent.mkdir()
    script.write_text("console.log('hei');\n" * 200, encoding="utf-8")
    return tmp_path / "cache", script


def test_precompressed_files_are_reused_from_the_cache_by_their_bytes(tmp_path):
    cache, script = a_script(tmp_path)
    assert quality.precompress_file(script, (".js",), cache)
    first = {s: script.with_name(f"app.js.{s}").read_bytes() for s in ("gz", "br")}
    assert quality.precompress_file(script, (".js",))  # without the cache: the same bytes
    assert {s: script.with_name(f"app.js.{s}").read_bytes() for s in ("gz", "br")} == first
    (kept,) = cache.glob("*/*")
    (kept / "br").write_bytes(b"from the cache")
    assert quality.precompress_file(script, (".js",), cache)
    assert script.with_name("app.js.br").read_bytes() == b"from the cache"
    script.write_text("console.log('hallo');\n", encoding="utf-8")  # other bytes: compressed anew
    assert quality.precompress_file(script, (".js",), cache)
    assert brotli.decompress(script.with_name("app.js.br").read_bytes()) == script.read_bytes()
    cachefiles.prune(cache, older_than=time.time() + 1)
    assert not list(cache.glob("*/*"))


def test_compressing_anew_never_writes_through_a_link_into_the_cache(tmp_path):
    cache, script = a_script(tmp_path)
    assert quality.precompress_file(script, (".js",), cache)
    (kept,) = cache.glob("*/*")
    kept_bytes = {s: (kept / s).read_bytes() for s in ("gz", "br")}
    script.write_text("console.log('hallo');\n", encoding="utf-8")  # other bytes, same names
    assert quality.precompress_file(script, (".js",), cache)
    assert {s: (kept / s).read_bytes() for s in ("gz", "br")} == kept_bytes
    assert brotli.decompress(script.with_name("app.js.br").read_bytes()) == script.read_bytes()
    assert gzip.decompress(script.with_name("app.js.gz").read_bytes()) == script.read_bytes()
