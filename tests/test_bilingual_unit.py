"""The pure checks of the bilingual plugin."""

from pathlib import Path

import pytest

from bilingual.bilingual import check_metadata
from sitelib.errors import ContentError
from sitelib.source import metadata_line

LANGUAGES = {"nb": {}, "en": {}}


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("text", "metadata", "line", "problem"),
    [
        ("Key: a\n\nBody", {"lang": "nb", "key": "a"}, None, "no title"),
        ("Title: A\nKey: a\n\n", {"title": "A", "key": "a"}, None, "outside a language folder"),
        ("Title: A\nLang: de\nKey: a\n", {"title": "A", "lang": "de", "key": "a"}, 2, "'de'"),
        ("Title: A\n\n", {"title": "A", "lang": "nb"}, None, "no `Key:`"),
        ("Title: A\nKey: Om Oss\n", {"title": "A", "lang": "nb", "key": "Om Oss"}, 2, "lowercase"),
    ],
)
def test_check_metadata_names_file_line_and_fix(tmp_path, text, metadata, line, problem):
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        check_metadata(path, metadata, LANGUAGES)
    error = caught.value
    assert error.line == line
    assert problem in error.problem
    assert "How to fix:" in str(error)
    assert str(error).startswith(f"{error.path}:{line}:" if line else f"{error.path}:")


def test_good_metadata_passes(tmp_path):
    path = write(tmp_path, "Title: A\nKey: a\n")
    check_metadata(path, {"title": "A", "lang": "en", "key": "a"}, LANGUAGES)


@pytest.mark.parametrize(
    ("text", "name", "line"),
    [
        ("Title: A\nKey: a\n\nKey: not metadata\n", "key", 2),
        ("Title: A\n\nKey: a\n", "key", None),
        ("title: A\n", "Title", 1),
        ("Title: A\nSummary: One\n    two\nKey: a\n", "key", 4),
        # Markdown's header ends at a line that is not a field either
        ("Title: A\nNot a field\nKey: a\n", "key", None),
    ],
)
def test_metadata_line_reads_only_the_header(tmp_path, text, name, line):
    assert metadata_line(write(tmp_path, text), name) == line
