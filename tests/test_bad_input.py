"""Bad content stops the build with a message that names the file and line,
and leaves what is already in the output folder untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from build import BuildError

from .conftest import build_fixture


@pytest.fixture
def last_good(tmp_path, fixture_content) -> Path:
    """An output folder holding a good build, to prove a failed build keeps it."""
    output = tmp_path / "output"
    build_fixture(fixture_content, output)
    (output / "marker.txt").write_text("last good build", encoding="utf-8")
    return output


def assert_untouched(output: Path) -> None:
    assert (output / "marker.txt").read_text(encoding="utf-8") == "last good build"
    assert (output / "index.html").exists()
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".output.")]


def fails_with(content: Path, output: Path, *fragments: str) -> str:
    with pytest.raises(BuildError) as caught:
        build_fixture(content, output)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_missing_title(fixture_content, last_good):
    page = fixture_content / "pages/nb/om.md"
    page.write_text(page.read_text().replace("Title: Om oss\n", ""), encoding="utf-8")
    # a Norwegian file: the message is in Norwegian and names the Norwegian field
    fails_with(fixture_content, last_good, "pages/nb/om.md", "Slik retter du:", "`Tittel:")
    assert_untouched(last_good)


def test_unknown_language_folder(fixture_content, last_good):
    (fixture_content / "pages/de").mkdir()
    (fixture_content / "pages/en/about.md").rename(fixture_content / "pages/de/about.md")
    fails_with(fixture_content, last_good, "pages/de/about.md", "unknown language 'de'", "nb, en")
    assert_untouched(last_good)


def test_unknown_language_in_metadata_names_the_line(fixture_content, last_good):
    page = fixture_content / "pages/en/about.md"
    page.write_text(page.read_text().replace("Key: about\n", "Key: about\nLang: se\n"))
    fails_with(fixture_content, last_good, "pages/en/about.md:3:", "unknown language 'se'")
    assert_untouched(last_good)


def test_two_pages_with_the_same_slug_in_one_language(fixture_content, last_good):
    page = fixture_content / "pages/nb/bare-norsk.md"
    page.write_text(page.read_text().replace("Key: only-nb\n", "Key: only-nb\nSlug: om\n"))
    message = fails_with(fixture_content, last_good, "(slug) 'om'", "Slik retter du:")
    assert "pages/nb/om.md" in message and "pages/nb/bare-norsk.md" in message
    assert_untouched(last_good)


def test_two_pages_with_the_same_key_in_one_language(fixture_content, last_good):
    page = fixture_content / "pages/nb/bare-norsk.md"
    page.write_text(page.read_text().replace("Key: only-nb", "Key: about"))
    message = fails_with(fixture_content, last_good, ".md:2: `Key: about`", "Slik retter du:")
    assert "pages/nb/om.md" in message and "pages/nb/bare-norsk.md" in message
    assert_untouched(last_good)


def test_translation_that_points_at_no_page(fixture_content, last_good):
    page = fixture_content / "pages/en/about.md"
    page.write_text(page.read_text().replace("Key: about", "Key: abuot"))
    fails_with(
        fixture_content, last_good, "pages/en/about.md:2:", "`Key: abuot` points at no page in nb"
    )
    assert_untouched(last_good)


def test_missing_key(fixture_content, last_good):
    page = fixture_content / "news/en/founded.md"
    page.write_text(page.read_text().replace("Key: founded\n", ""))
    fails_with(fixture_content, last_good, "news/en/founded.md", "no `Key:`")
    assert_untouched(last_good)


def test_bad_date(fixture_content, last_good):
    page = fixture_content / "news/nb/stiftet.md"
    page.write_text(page.read_text().replace("2011-11-26", "26.11.2011"))
    fails_with(fixture_content, last_good, "news/nb/stiftet.md", "'26.11.2011'", "2023-08")
    assert_untouched(last_good)


def test_broken_link_to_a_content_file(fixture_content, last_good):
    page = fixture_content / "pages/nb/om.md"
    page.write_text(page.read_text().replace("nyheter.md", "nyhetene.md"))
    fails_with(fixture_content, last_good, "nyhetene.md")
    assert_untouched(last_good)


def test_a_good_build_replaces_the_output(fixture_content, last_good):
    build_fixture(fixture_content, last_good)
    assert not (last_good / "marker.txt").exists()
    assert (last_good / "en/index.html").exists()
