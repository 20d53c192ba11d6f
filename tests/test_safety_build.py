"""What may be published, through full builds of the fixture site: bad or hostile
input stops the build with file:line and "How to fix", and leaves the last good
output untouched; drafts, originals and files outside content/ never leave."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from build import BuildError

from .conftest import FIXTURE_SITE, build_fixture, soup_of
from .test_bad_input import assert_untouched, fails_with
from .test_engine import run_pelican

OM = "pages/nb/om.md"
EN = "pages/en/about.md"  # an English file: its messages are in English


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> Path:
    """One good build of the fixture site for the module (a failed build must leave
    a copy of it untouched)."""
    content = tmp_path_factory.mktemp("good") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    return build_fixture(content, content.parent / "output")


@pytest.fixture
def last_good(good_build, tmp_path) -> Path:
    """An output folder holding a good build, to prove a failed build keeps it."""
    output = tmp_path / "output"
    shutil.copytree(good_build, output)
    (output / "marker.txt").write_text("last good build", encoding="utf-8")
    return output


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def append(page: Path, text: str) -> None:
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")


def page(title: str, key: str, body: str = "Tekst.", **fields: str) -> str:
    header = [f"Title: {title}", f"Key: {key}", "Summary: Et sammendrag."]
    header += [f"{name}: {value}" for name, value in fields.items()]
    return "\n".join(header) + f"\n\n{body}\n"


def error_of(content: Path, output: Path) -> str:
    with pytest.raises(BuildError) as caught:
        build_fixture(content, output)
    message = str(caught.value)
    assert "How to fix" in message, message
    return message


# Raw HTML in the text --------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "what"),
    [
        ('<div><img src="x"onerror=alert(1)></div>', "`onerror=` on <img>"),
        ("<svg><a><animate attributeName=href values=javascript:alert(1)>", "<svg>"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta>"),
        ("[Trykk](javascript:alert(1))", "scheme `javascript:`"),
        ('<p style="color: red">Rød</p>', "`style=` on <p>"),
        ('<img src="https://evil.example/x.gif" alt="x">', "loads from another website"),
    ],
)
def test_unsafe_html_in_the_text_stops_the_build_at_its_line(
    fixture_content,
    last_good,
    markdown,
    what,
):
    append(fixture_content / EN, f"\nMore text.\n\n{markdown}\n")
    fails_with(fixture_content, last_good, f"{EN}:12:", what, "How to fix")
    assert_untouched(last_good)


def test_the_pelican_command_stops_and_leaves_no_unsafe_page_in_its_output(
    fixture_content, tmp_path
):
    # Plain `pelican` writes into the output folder itself (no staging folder):
    # whoever publishes that folder after a failed build must find no unsafe page
    append(fixture_content / EN, '\nMore text.\n\n<div><img src="x"onerror=alert(1)></div>\n')
    output = tmp_path / "output"
    result = run_pelican(fixture_content, output, tmp_path / "cache", 'TIMEZONE="UTC"')
    said = result.stdout + result.stderr
    assert result.returncode != 0, said
    assert f"{EN}:12" in said and "onerror" in said, said
    written = [path for path in output.rglob("*") if path.is_file()]
    assert any(path.suffix == ".html" for path in written)  # it did write pages
    assert not [path for path in written if b"onerror" in path.read_bytes()]


# Private things -------------------------------------------------------------------------


def test_drafts_and_untranslated_stubs_are_never_written(fixture_content, tmp_path):
    write(fixture_content / "pages/nb/utkast.md", page("Hemmelig utkast", "draft", Status="draft"))
    # what `invoke new-page` writes for the other language: a draft stub
    write(
        fixture_content / "pages/en/only-nb.md",
        page("Only in Norwegian", "only-nb", Status="draft"),
    )
    write(
        fixture_content / "news/nb/snart.md",
        page("Hemmelig nyhet", "soon", Status="draft", Date="2020-01-01"),
    )
    output = build_fixture(fixture_content, tmp_path / "output")
    assert not (output / "drafts").exists()
    everything = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*") if p.is_file()
    )
    for secret in ("Hemmelig utkast", "Hemmelig nyhet", "Only in Norwegian", "utkast", "snart"):
        assert secret not in everything, secret


def test_a_link_to_an_original_image_stops_the_build(fixture_content, last_good):
    Image.new("RGB", (40, 30), "green").save(fixture_content / "images" / "gps.jpg")
    append(fixture_content / EN, "\n[Download]({static}../../images/gps.jpg)\n")
    message = fails_with(fixture_content, last_good, f"{EN}:10:", "original image", "metadata")
    assert "![alt text](images/gps.jpg)" in message
    assert_untouched(last_good)


@pytest.fixture
def fixture_content(fixture_content):  # noqa: F811 - with an images folder
    (fixture_content / "images").mkdir(exist_ok=True)
    return fixture_content


def test_the_same_image_shown_as_an_image_is_published_without_metadata(fixture_content, tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    Image.new("RGB", (60, 40), "green").save(fixture_content / "images" / "gps.jpg", exif=exif)
    append(fixture_content / OM, "\n![Et grønt bilde]({static}../../images/gps.jpg)\n")
    output = build_fixture(fixture_content, tmp_path / "output")
    assert not list(output.rglob("gps.jpg"))
    published = [p for p in output.rglob("gps-*") if p.suffix in (".jpg", ".webp", ".avif")]
    assert published
    assert all(b"SecretCam" not in p.read_bytes() for p in published)


@pytest.mark.parametrize(
    "link",
    ["{static}../../../secret.txt", "{filename}../../../secret.md", "{static}/../secret.txt"],
)
def test_nothing_outside_content_can_be_linked(fixture_content, last_good, link):
    (fixture_content.parent / "secret.txt").write_text("secret", encoding="utf-8")
    (fixture_content.parent / "secret.md").write_text("Title: S\n\nsecret", encoding="utf-8")
    append(fixture_content / EN, f"\n[Secret]({link})\n")
    fails_with(fixture_content, last_good, f"{EN}:10:", "outside the content folder")
    assert_untouched(last_good)


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_symlink_out_of_content_stops_the_build(fixture_content, last_good, tmp_path, kind):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "passwords.md").write_text("Title: P\nKey: p\nSummary: s\n\nx\n", encoding="utf-8")
    target = outside if kind == "folder" else outside / "passwords.md"
    os.symlink(target, fixture_content / "pages/en" / ("private" if kind == "folder" else "p.md"))
    fails_with(fixture_content, last_good, "symbolic link", str(outside), "content folder")
    assert_untouched(last_good)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("Save_as", "theme/site.0123456789.css", "must name an .html file"),
        ("Save_as", "theme/index.html", "build writes files of its own"),
        ("Save_as", ".htaccess", "hidden file"),
        ("Save_as", "../../outside.html", "`..`"),
        ("URL", "https://evil.example/", "path inside the site"),
        ("Slug", 'si"tat', "lowercase letters"),
    ],
)
def test_addresses_that_collide_leave_or_hide_stop_the_build(
    fixture_content,
    last_good,
    field,
    value,
    words,
):
    path = fixture_content / EN
    path.write_text(path.read_text().replace("Key: about\n", f"Key: about\n{field}: {value}\n"))
    fails_with(fixture_content, last_good, f"{EN}:3:", words)
    assert_untouched(last_good)


# Addresses from file names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "fix"), [("pages/nb", "Slik retter du:"), ("news/en", "How to fix:")]
)
def test_a_file_name_that_is_no_slug_stops_the_build_with_a_name_that_is(
    fixture_content, last_good, folder, fix
):
    write(fixture_content / folder / "Bli med på Lademoen.md", page("Bli med", "join"))
    fails_with(
        fixture_content,
        last_good,
        f"{folder}/Bli med på Lademoen.md: ",
        fix,
        "bli-med-pa-lademoen.md",
    )
    assert_untouched(last_good)
    (fixture_content / folder / "Bli med på Lademoen.md").unlink()
    write(fixture_content / "pages/nb/bli-med-pa-lademoen.md", page("Bli med", "join"))
    output = build_fixture(fixture_content, last_good)
    assert (output / "bli-med-pa-lademoen" / "index.html").is_file()


def test_a_file_name_with_a_quote_stops_the_build(fixture_content, last_good):
    write(fixture_content / 'pages/en/si"tat.md', page("Quote", "quote"))
    fails_with(fixture_content, last_good, 'si"tat.md', "characters such as", "sitat.md")
    assert_untouched(last_good)


def test_two_addresses_that_differ_only_in_case_stop_the_build(fixture_content, last_good):
    write(fixture_content / "pages/nb/annen.md", page("Annen", "other", Save_as="Om/index.html"))
    # the one read second is named, with the other: both are Norwegian files
    message = fails_with(
        fixture_content, last_good, "om/index.html", "Om/index.html", "Slik retter du"
    )
    assert "pages/nb/om.md" in message and "pages/nb/annen.md" in message
    assert_untouched(last_good)


# Messages that name the file --------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (lambda t: t.replace("Key: about\n", "Key: about\nTitle: Igjen\n"), ":3:", "twice"),
        (lambda t: t.replace("Key: about\n", "Key: about\nSummary: To\n"), ":5:", "twice"),
        (lambda t: t.replace("Title: About us", "Title: About\x07us"), ":1:", "U+0007"),
        (lambda t: t.replace("Key: about\n", "Key: about\nTemplate: fancy\n"), ":3:", "fancy"),
        (lambda t: t.replace("Key: about\n", "Key: about\nStatus: <b>\n"), ":3:", "`Status: <b>`"),
        (lambda t: t.replace("Key: about\n", "Key: about\nLang: nb\n"), ":3:", "contradicts"),
        (lambda t: t.replace("Summary: Who we are.\n", ""), "", "no `Summary:`"),
        (lambda t: t.replace("Key: about\n", "Key: about\n  Sumary: x\n"), ":3:", "indented"),
        (lambda t: t + "\n[Missing]({filename}missing.md)\n", ":10:", "leads to no file"),
        (lambda t: t + "\n![A picture](images/my picture.jpg)\n", ":10:", "my picture.jpg"),
    ],
)
def test_bad_header_and_links_name_the_file_and_line(
    fixture_content,
    last_good,
    change,
    where,
    words,
):
    path = fixture_content / EN
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    fails_with(fixture_content, last_good, f"{EN}{where}", words, "How to fix")
    assert_untouched(last_good)


def test_latin1_bytes_name_the_line_and_say_save_as_utf8(fixture_content, last_good):
    path = fixture_content / EN
    path.write_bytes(path.read_text(encoding="utf-8").replace("Read", "Rëad").encode("latin-1"))
    fails_with(fixture_content, last_good, f"{EN}:8:", "save the file as UTF-8")
    assert_untouched(last_good)


def test_news_dated_in_the_future_stops_the_build(fixture_content, last_good):
    path = fixture_content / "news/en/founded.md"
    path.write_text(path.read_text().replace("2011-11-26", "2999-01-01"))
    fails_with(fixture_content, last_good, "news/en/founded.md:3:", "in the future")
    assert_untouched(last_good)


def test_a_draft_original_is_blamed_not_its_published_translation(fixture_content, last_good):
    path = fixture_content / OM
    path.write_text(path.read_text().replace("Key: about\n", "Key: about\nStatus: draft\n"))
    message = fails_with(fixture_content, last_good, f"{OM}:3:", "draft", "pages/en/about.md")
    assert not message.startswith("pages/en/about.md")
    assert_untouched(last_good)


# Header fields are text -----------------------------------------------------------------


def test_a_title_with_quotes_and_less_than_stays_text(fixture_content, tmp_path):
    path = fixture_content / OM
    text = path.read_text(encoding="utf-8")
    text = text.replace("Title: Om oss", 'Title: Prosjektet "Ung stemme" når a<b & c')
    path.write_text(text.replace("Summary: Hvem vi er.", 'Summary: "><svg onload=alert(1)>'))
    output = build_fixture(fixture_content, tmp_path / "output")
    soup = soup_of(output / "om" / "index.html")
    assert soup.h1.get_text() == 'Prosjektet "Ung stemme" når a<b & c'
    title = soup.find("meta", property="og:title")["content"]
    assert title == 'Prosjektet "Ung stemme" når a<b & c'
    assert soup.find("meta", attrs={"name": "description"})["content"] == '"><svg onload=alert(1)>'
    assert soup.find("svg", onload=True) is None


def test_a_16_bit_greyscale_png_keeps_its_greys(fixture_content, tmp_path):
    grey = Image.new("I;16", (64, 48), 0x8000)  # mid grey in 16 bits
    grey.save(fixture_content / "images" / "grey16.png")
    assert Image.open(fixture_content / "images" / "grey16.png").mode.startswith("I")
    append(fixture_content / OM, "\n![Grått](images/grey16.png)\n")
    output = build_fixture(fixture_content, tmp_path / "output")
    (variant,) = [p for p in output.rglob("grey16-*") if p.suffix == ".jpg"][:1]
    value = Image.open(variant).convert("L").getpixel((10, 10))
    assert 110 <= value <= 145, value


# The same rule in the preview, build, check and publish ------------------------------


def test_the_preview_refuses_unsafe_html_and_keeps_the_last_good_page(fixture_content, tmp_path):
    from preview import Preview

    from .conftest import FIXTURE_SETTINGS, ROOT

    overrides = {**FIXTURE_SETTINGS, "PATH": str(fixture_content)}
    overrides["CACHE_PATH"] = str(tmp_path / "cache")
    session = Preview(ROOT / "pelicanconf.py", tmp_path / "output", overrides, [fixture_content])
    session.build()
    written = session.output / "nyheter" / "stiftet" / "index.html"
    before = written.read_bytes()
    article = fixture_content / "news" / "nb" / "stiftet.md"
    later = article.stat().st_mtime_ns + 1_000_000_000
    article.write_text(article.read_text() + "\n<iframe src=x></iframe>\n", encoding="utf-8")
    os.utime(article, ns=(later, later))
    with pytest.raises(BuildError) as caught:
        session.rebuild()
    assert "news/nb/stiftet.md:8:" in str(caught.value) and "<iframe>" in str(caught.value)
    assert written.read_bytes() == before


def test_json_ld_cannot_be_broken_out_of(fixture_content, tmp_path):
    import json

    name = "KBT </script><script>alert(1)</script> & <!-- x"
    output = build_fixture(fixture_content, tmp_path / "output", SEO_ORGANIZATION={"name": name})
    html = (output / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1, "the JSON-LD ended early"
    assert "<" not in scripts[0] and ">" not in scripts[0]
    assert json.loads(scripts[0])["name"] == name


def test_two_file_names_that_differ_only_in_case_stop_the_build(fixture_content, last_good):
    write(fixture_content / "pages/en/About.md", page("About again", "about-again"))
    message = fails_with(fixture_content, last_good, "pages/en/About.md: ", "capital letters")
    assert "How to fix: rename the file to about.md" in message  # it would collide with it
    assert_untouched(last_good)
