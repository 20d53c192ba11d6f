"""Soft hyphens in headings (plugins/hyphenate/, issue #20): the pure functions,
and a fixture site whose Markdown has long ## headings in both languages,
built and read at 320 px in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from .browser import serve
from .conftest import build_fixture, soup_of
from .test_design_browser import BROKEN_WORDS

from hyphenate import DEFAULTS, SOFT_HYPHEN, hyphenate, hyphenate_headings_html  # isort: skip
from hyphenate import hyphenate_html  # isort: skip
from hyphenate import hyphenate_filter, hyphenate_headings_filter  # isort: skip

NB, EN = DEFAULTS["HYPHENATE_DICTIONARIES"]["nb"], DEFAULTS["HYPHENATE_DICTIONARIES"]["en"]
LONG_NB = "Tilgjengelighetserklæringsarbeidet"
LONG_EN = "Electroencephalographically"


def whole(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "")


@pytest.mark.parametrize(
    ("html", "untouched"),
    [
        (
            f'<a href="/{LONG_NB.lower()}/" title="{LONG_NB}">{LONG_NB}</a>',
            f'"/{LONG_NB.lower()}/"',
        ),
        (f'<a href="/{LONG_NB.lower()}/" title="{LONG_NB}">{LONG_NB}</a>', f'title="{LONG_NB}"'),
        (f"{LONG_NB} &amp;&#x2014;&aelig; slutt", "&amp;&#x2014;&aelig;"),
        (f"<!-- {LONG_NB} --> {LONG_NB}", f"<!-- {LONG_NB} -->"),
    ],
)
def test_only_the_text_between_tags_gets_soft_hyphens(html, untouched):
    out = hyphenate_html(html, NB, 12)
    assert untouched in out
    assert whole(out) == html
    assert out.count(SOFT_HYPHEN) >= 3


def test_a_word_that_has_soft_hyphens_keeps_them_as_they_are():
    once = hyphenate(f"Om {LONG_NB}", NB, 12)
    assert hyphenate(once, NB, 12) == once
    assert hyphenate_html(once, NB, 12) == once


@pytest.mark.parametrize(("dictionary", "word"), [(NB, LONG_NB), (EN, LONG_EN)], ids=["nb", "en"])
def test_headings_get_soft_hyphens_and_nothing_else_does(dictionary, word):
    html = (
        f'<h2 id="{word.lower()}">Om {word}</h2>\n<p>{word} i teksten.</p>\n'
        f'<h3 id="b" class="x">{word} <em>{word}</em></h3><h1>{word}</h1>'
    )
    out = hyphenate_headings_html(html, dictionary, 12)
    assert whole(out) == html
    assert f"<p>{word} i teksten.</p>" in out  # body text
    assert f"<h1>{word}</h1>" in out  # h1 comes from a title, through the template filter
    assert f'id="{word.lower()}"' in out
    assert out.count(hyphenate(word, dictionary, 12)) == 3
    assert SOFT_HYPHEN in hyphenate(word, dictionary, 12)


def test_the_filter_hyphenates_markup_as_markup_and_escapes_text(monkeypatch):
    settings = hyphenate_filter.__globals__["_settings"]  # what ``initialized`` sets
    for name, value in DEFAULTS.items():
        monkeypatch.setitem(settings, name, value)
    ctx = {"lang": "nb"}
    text = hyphenate_filter(ctx, f"<b>{LONG_NB}</b>")
    assert text.startswith("&lt;b&gt;") and SOFT_HYPHEN in text
    kept = hyphenate_filter(ctx, Markup(f'<b class="{LONG_NB}">x</b>'))
    assert kept == f'<b class="{LONG_NB}">x</b>'
    headings = hyphenate_headings_filter(ctx, Markup(f"<h2>{LONG_EN}</h2>"), "en")
    assert headings == f"<h2>{hyphenate(LONG_EN, EN, 12)}</h2>"


# A fixture site with long ## headings in both languages ------------------------------


@pytest.fixture(scope="module")
def long_headings(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hyphens")
    content = root / "content"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "site", content)
    for path, heading in (
        ("pages/nb/om.md", f"{LONG_NB} og brukermedvirkningsarbeidet"),
        ("pages/en/about.md", f"{LONG_EN} internationalisation"),
    ):
        page = content / path
        text = page.read_text(encoding="utf-8")
        page.write_text(f"{text}\n## {heading}\n\nTekst.\n", encoding="utf-8")
    return build_fixture(content, root / "output")


@pytest.mark.parametrize(
    ("path", "word", "lang"), [("om", LONG_NB, "nb"), ("en/about", LONG_EN, "en")]
)
def test_markdown_headings_hyphenate_in_their_language(long_headings, path, word, lang):
    soup = soup_of(long_headings / path / "index.html")
    assert soup.html["lang"] == lang
    heading = next(h for h in soup.select("main h2[id]") if word in whole(h.get_text()))
    assert hyphenate(word, DEFAULTS["HYPHENATE_DICTIONARIES"][lang], 12) in heading.get_text()
    assert SOFT_HYPHEN not in heading["id"] and heading["id"].startswith(word.lower()[:10])
    # the self-link to it still leads there
    assert soup.select_one(f'a.kbt-heading-anchor[href="#{heading["id"]}"]')


@pytest.mark.parametrize("path", ["/om/", "/en/about/"])
def test_no_long_heading_breaks_a_word_without_a_hyphen_at_320_px(long_headings, browser, path):
    with serve(long_headings) as base:
        page = browser.new_page(viewport={"width": 320, "height": 640})
        try:
            page.goto(base + path)
            heights = page.locator("main h2[id]").evaluate_all(
                "hs => hs.map(h => h.getClientRects().length && h.getBoundingClientRect().height)"
            )
            broken = page.evaluate(BROKEN_WORDS)
            page.wait_for_selector("body[data-module-initialised]", state="attached")
            copied = page.evaluate(COPY_HEADING)
        finally:
            page.close()
    assert max(heights) > 60  # the long heading does run over more than one line
    assert not broken, broken
    # a copy of the heading holds its words whole, as text and as HTML
    shown, text, markup = copied
    assert SOFT_HYPHEN in shown
    assert text == whole(shown) and text in whole(markup) and SOFT_HYPHEN not in markup


# Select the last ## heading and copy it, as Ctrl+C does: (the heading's text,
# the plain text and the HTML that the copy puts on the clipboard)
COPY_HEADING = """() => {
  const heading = [...document.querySelectorAll('main h2[id]')].at(-1);
  const range = document.createRange();
  range.selectNodeContents(heading);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  const clipboard = new DataTransfer();
  const copy = new ClipboardEvent(
    'copy', {clipboardData: clipboard, bubbles: true, cancelable: true});
  heading.dispatchEvent(copy);
  return [heading.textContent, clipboard.getData('text/plain'), clipboard.getData('text/html')];
}"""
