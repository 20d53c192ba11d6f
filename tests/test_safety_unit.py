"""Unit tests of the safety plugin: the allowlist, as a browser parses, and the
checks of a content file's source."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown import Markdown

from safety import allowlist, sources
from sitelib.errors import ContentError
from tools.publish import PublishError, check_full_address

from .payloads import BODY

ROOT = Path(__file__).resolve().parent.parent


def render(text: str) -> str:
    """Markdown as the site renders it (pelicanconf.py's MARKDOWN settings)."""
    import pelicanconf

    config = pelicanconf.MARKDOWN
    md = Markdown(
        extensions=list(config["extension_configs"]),
        extension_configs=config["extension_configs"],
        output_format=config["output_format"],
    )
    return md.convert(text)


def test_there_are_at_least_forty_payloads():
    assert len(set(BODY)) >= 40


# An independent oracle for the test (a denylist is fine here, not in the site):
# what in parsed HTML could run, load from elsewhere or send the reader away.
ACTIVE = {"script", "iframe", "object", "embed", "meta", "base", "link", "style", "svg", "math"}
ACTIVE |= {"form", "input", "button", "video", "audio", "portal", "frame", "template", "noscript"}


def active_parts(html: str) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser

    found = []
    for node in LexborHTMLParser(html).root.traverse(include_text=False):
        if node.tag in ACTIVE:
            found.append(node.tag)
        for name, value in node.attributes.items():
            value = (value or "").replace("\t", "").replace("\n", "").strip().lower()
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(name)
            elif value.startswith(("javascript:", "data:", "//", "https://evil")):
                found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize("payload", BODY)
def test_every_payload_in_the_text_is_refused_or_neutralised(payload):
    html = render(f"Tekst før.\n\n{payload}\n\nTekst etter.\n")
    findings = allowlist.judge(html)
    if findings:
        assert all(f.what and f.fix and f.needles for f in findings)
    else:  # Markdown itself turned it into text: nothing in it is active
        assert active_parts(html) == [], html
    # and whatever is active is always refused
    assert findings or not active_parts(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>Plain <a href='/om/'>link</a> and <a href='https://example.org/'>one</a></p>",
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>",
        '<p>Write <code>onclick="x"</code> nowhere.</p>',
        '<table><tr><td style="text-align: right">1</td></tr></table>',
        '<a href="https://example.org/javascript:">x</a>',
        '<a href="mailto:post@example.org">e-post</a> <a href="tel:+4712345678">ring</a>',
        '<p><img alt="Et møte" src="/images/mote-480.abc.jpg" width="480" height="320"></p>',
        '<picture class="kbt-picture"><source type="image/webp" srcset="/i/a.webp 480w" '
        'sizes="100vw"><img src="/i/a.jpg" alt="a" loading="lazy" decoding="async"></picture>',
        '<div class="footnote"><hr><ol><li id="fn:1"><p>Note <a class="footnote-backref" '
        'href="#fnref:1" title="Back">↩</a></p></li></ol></div>',
        "<p>a &lt; b &amp; c</p>\n<!-- a comment -->",
        "<details><summary>Mer</summary><p>Tekst</p></details>",
    ],
)
def test_what_markdown_and_careful_html_write_passes(html):
    assert allowlist.judge(html) == []


def test_an_absolute_image_address_passes_only_under_siteurl():
    html = '<img src="https://www.example.org/kbt/images/a.jpg" alt="a">'
    assert allowlist.judge(html, "https://www.example.org/kbt") == []
    assert allowlist.judge(html, "https://www.example.org/other")
    assert allowlist.judge(html, "")


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        (" \x01JaVa\tScRiPt:alert(1)", "javascript"),
        ("java\nscript:x", "javascript"),
        ("data:text/html,x", "data"),
        ("HTTPS://example.org", "https"),
        ("/om/", None),
        ("#fn:1", None),
        ("../bilde.jpg", None),
        ("om:oss/", "om"),
    ],
)
def test_the_scheme_is_read_as_a_browser_reads_it(url, scheme):
    assert allowlist.scheme_of(url) == scheme


def test_the_finding_names_the_element_and_says_how_to_fix():
    (finding,) = allowlist.judge("<p>x</p><iframe src='https://example.org/'></iframe>")
    assert "<iframe>" in finding.what
    assert "remove" in finding.fix and "[Watch the film]" in finding.fix


# Sources ------------------------------------------------------------------------


def test_latin1_bytes_name_the_line_and_say_save_as_utf8():
    data = "Title: Om\nKey: om\n\nGrønn tekst\n".encode("latin-1")
    with pytest.raises(ContentError) as caught:
        sources.decode("pages/en/about.md", data)
    assert caught.value.line == 4
    assert "save the file as UTF-8" in str(caught.value)


@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b", "\x7f", "\x85", "\ufffe", "\x0c"])
def test_control_characters_are_refused_with_their_line(char):
    with pytest.raises(ContentError) as caught:
        sources.check_characters("x.md", f"Title: Om\nSummary: a{char}b\n\nText\n")
    assert caught.value.line == 2 and "U+" in caught.value.problem


def test_tabs_and_ordinary_text_pass():
    sources.check_characters("x.md", "Title: Om «oss» 🙂\n\n\tKode\r\nÆØÅ æøå\n")


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ('si"tat.md', "sitat.md"),
        ("hva?.md", "hva.md"),
        ("a#b.md", "ab.md"),
        ("100%.md", "100.md"),
        ("Bli med på Lademoen.md", "bli-med-pa-lademoen.md"),
        ("med mellomrom.md", "med-mellomrom.md"),
        ("våre-tjenester.md", "vare-tjenester.md"),
        ("Om_KBT.md", "om_kbt.md"),
        ("-utkast-.md", "utkast.md"),
    ],
)
@pytest.mark.parametrize(("lang", "fix"), [("nb", "Slik retter du:"), ("en", "How to fix:")])
def test_file_names_that_are_no_slug_are_refused_with_a_suggestion(name, suggested, lang, fix):
    with pytest.raises(ContentError) as caught:
        sources.check_file_name(f"content/pages/{lang}/{name}")
    message = str(caught.value)
    assert message.startswith(f"content/pages/{lang}/{name}: ")
    assert fix in message and suggested in caught.value.fix
    sources.check_file_name(f"content/pages/{lang}/{suggested}")  # the suggestion passes


@pytest.mark.parametrize("name", ["a1.md", "om-kbt.md", "om_kbt.md", "404.md"])
def test_ordinary_file_names_pass(name):
    sources.check_file_name(f"content/pages/nb/{name}")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Title: A\nKey: a\nTitle: B\n\nText\n", 3, "appears twice (lines 1 and 3)"),
        ("Title: A\nSummary: x\nsummary: y\n\nText\n", 3, "appears twice"),
        ("Title: A\n  Sumary: x\n\nText\n", 2, "is indented"),
        ("Title: A\nSummary: one\n    Lede: two\n\nText\n", 3, "is indented"),
    ],
)
def test_header_problems_name_their_line(text, line, words):
    with pytest.raises(ContentError) as caught:
        sources.check_header("x.md", text)
    assert caught.value.line == line and words in caught.value.problem


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("save_as", "theme/site.0123456789.css"),
        ("save_as", ".htaccess"),
        ("save_as", "../../outside.html"),
        ("save_as", "/etc/x.html"),
        ("save_as", "a/.hidden/index.html"),
        ("save_as", "pagefind/index.html"),
        ("save_as", "images/x/index.html"),
        ("url", "https://evil.example/"),
        ("url", "//evil.example/"),
        ("url", "a b/"),
        ("url", 'si"tat/'),
        ("slug", "Om Oss"),
        ("slug", 'a"b'),
        ("slug", "../x"),
    ],
)
def test_address_values_that_leave_the_site_or_collide_are_refused(field, value):
    reserved = ("theme/", "images/", "pagefind/")
    with pytest.raises(ContentError):
        sources.check_address_value("x.md", 3, field, value, reserved)


@pytest.mark.parametrize(
    ("field", "value"),
    [("save_as", "index.html"), ("save_as", "en/404.html"), ("url", ""), ("url", "en/")],
)
def test_plain_address_values_pass(field, value):
    sources.check_address_value("x.md", 3, field, value, ("theme/",))


@pytest.mark.parametrize(
    "siteurl",
    [
        "https://example.org/my site",
        "https://example.org/?preview=1",
        "https://example.org/#top",
        'https://example.org/"x',
        "example.org",
    ],
)
def test_publish_refuses_a_siteurl_that_is_no_plain_address(siteurl):
    with pytest.raises(PublishError) as caught:
        check_full_address({"SITEURL": siteurl})
    assert "How to fix" in str(caught.value)


def test_publish_accepts_a_plain_address_with_a_sub_path():
    check_full_address({"SITEURL": "https://www.example.org/kbt"})
