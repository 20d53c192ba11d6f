"""Content checks of plugins/bilingual/checks.py: unit tests and bad-input builds."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bilingual.checks import (
    MAX_TITLE_LENGTH,
    check_category,
    check_fields,
    check_headings,
    check_title_length,
    header_lines,
)
from build import BuildError
from sitelib.errors import ContentError

from .conftest import build_fixture

HEADER = "Title: Om oss\nKey: about\nSummary: Om oss.\n\n"


def test_header_lines():
    assert header_lines(HEADER + "Text: not a field\n") == (
        [(1, "Title"), (2, "Key"), (3, "Summary")],
        4,
    )


@pytest.mark.parametrize(
    ("header", "line", "name", "suggestion"),
    [
        ("Titel: Om oss\nKey: about\n", 1, "Titel", "`Title:`"),
        ("Title: Om\nSumary: Kort.\n", 2, "Sumary", "`Summary:`"),
        ("Title: Om\nKey: om\nMenu-title: Om\n", 3, "Menu-title", "`Menu_title:`"),
        ("Title: Om\nColour: blue\n", 2, "Colour", None),
    ],
)
def test_unknown_field(header, line, name, suggestion):
    with pytest.raises(ContentError) as caught:
        check_fields("om.md", header + "\nText.\n")
    error = caught.value
    assert error.line == line
    assert f"unknown field `{name}:`" in error.problem
    if suggestion:
        assert f"did you mean {suggestion}?" in error.fix
    else:
        assert "did you mean" not in error.fix


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "Text.\n",
        "Title: Om\nKEY: om\nmenu_title: Om\nTemplate: page\n\nText: with a colon.\n",
        "Title: Om\nLede: One\n  continued\nSave_as: index.html\nURL:\n\nText.\n",
    ],
)
def test_known_fields_pass(text):
    check_fields("om.md", text)


def test_extra_fields_can_be_allowed():
    check_fields("om.md", "Title: Om\nAuthor: Kari\n\nText.\n", ["title", "author"])


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("## A\n\n#### B\n", 7, "from level 2 to level 4 (`####` after `##`)"),
        ("### A\n", 5, "from level 1 to level 3"),
        ("## A\n\n# B\n", 7, "a `#` heading in the text"),
        ("## A\n### B\n## C\n\n#### D\n", 9, "from level 2 to level 4"),
    ],
)
def test_heading_jumps(body, line, fragment):
    with pytest.raises(ContentError) as caught:
        check_headings("om.md", HEADER + body)
    assert caught.value.line == line
    assert fragment in caught.value.problem


@pytest.mark.parametrize(
    "body",
    [
        "## A\n### B\n#### C\n## D\n### E\n",
        "Text with a #hashtag and\n\n```sh\n# a comment in code\n####\n```\n",
        "    # indented code\n",
        "",
    ],
)
def test_good_headings_pass(body):
    check_headings("om.md", HEADER + body)


@pytest.mark.parametrize(
    ("category", "known", "hint"),
    [("nyheter", ["news"], None), ("newz", ["news", "events"], "`Category: news`")],
)
def test_unknown_category(category, known, hint):
    with pytest.raises(ContentError) as caught:
        check_category("a.md", 4, category, known)
    assert caught.value.line == 4 and f"unknown category {category!r}" in caught.value.problem
    assert (f"did you mean {hint}?" in caught.value.fix) if hint else "did you" not in str(caught)


def test_known_category_passes():
    check_category("a.md", 4, "news", ["news"])


@pytest.mark.parametrize(
    ("length", "fails"), [(MAX_TITLE_LENGTH, False), (MAX_TITLE_LENGTH + 1, True)]
)
def test_title_length(length, fails):
    title = ("Bruker Spør Bruker " * 20)[:length].rstrip() + "x" * (
        length - len(("Bruker Spør Bruker " * 20)[:length].rstrip())
    )
    assert len(title) == length
    if fails:
        with pytest.raises(ContentError, match=f"{length} characters; at most 120"):
            check_title_length("a.md", 1, title)
    else:
        check_title_length("a.md", 1, title)


def test_the_longest_title_fits_its_share_card():
    """MAX_TITLE_LENGTH is what the card shows whole and at 52 px or more."""
    from images import cards

    font = cards.font_path()
    width, height = cards.CARD_SIZE
    for text in ("MØTE MED BRUKERE OG ANSATTE OM WWW " * 5, "Erfaringskonsulenter i kommunen " * 5):
        face, lines, _leading = cards.fit_title(
            text[:MAX_TITLE_LENGTH], font, width - 160, height - 140 - 228
        )
        assert face.size >= 52 and not lines[-1].endswith("…"), (face.size, lines)


# Builds of the fixture site -------------------------------------------------------------


def fails_with(content: Path, output: Path, caplog, *fragments: str) -> str:
    with caplog.at_level(logging.WARNING), pytest.raises(BuildError) as caught:
        build_fixture(content, output)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    # Pelican logs the file it could not read; the reason follows in the error.
    assert f"Could not process {fragments[0].split(':')[0]}" in caplog.text
    assert "How to fix:" in message
    return message


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_misspelt_field_stops_the_build(fixture_content, tmp_path, caplog):
    edit(fixture_content / "pages/en/about.md", "Summary:", "Sumary:")
    fails_with(
        fixture_content,
        tmp_path / "out",
        caplog,
        "pages/en/about.md:4: unknown field `Sumary:`",
        "did you mean `Summary:`?",
    )


def test_a_heading_jump_stops_the_build(fixture_content, tmp_path, caplog):
    page = fixture_content / "pages/en/about.md"
    page.write_text(page.read_text() + "\n## Part\n\n#### Detail\n", encoding="utf-8")
    line = page.read_text().splitlines().index("#### Detail") + 1
    fails_with(
        fixture_content, tmp_path / "out", caplog, f"pages/en/about.md:{line}: the heading jumps"
    )


def test_an_unknown_category_stops_the_build(fixture_content, tmp_path, caplog):
    edit(fixture_content / "news/en/founded.md", "Key:", "Category: nyheter\nKey:")
    fails_with(fixture_content, tmp_path / "out", caplog, "news/en/founded.md:2: unknown category")


def test_a_long_title_stops_the_build(fixture_content, tmp_path, caplog):
    edit(fixture_content / "pages/en/about.md", "Title: About us", "Title: " + "About us " * 15)
    fails_with(fixture_content, tmp_path / "out", caplog, "pages/en/about.md:1: the title has 134")
