"""Unit tests of plugins/sitelib/source.py: the project's one header parser."""

from __future__ import annotations

import markdown
import pytest

from sitelib.source import header_fields, header_lines, read_header

HEADERS = [
    "Title: Om oss\nKey: about\n\nKey: not a field, the text\n",
    "title: A\nKEY: a\nTemplate:  timeline  \n",
    "Title: A\nSummary: One\n    two\nKey: a\n\nText.\n",
    "Title: A\nNot a field\nKey: a\n",
    "Title: A\nStatus: draft\nStatus: published\n",
    "Title: A\r\nKey: a\r\n\r\nText\r\n",
    "Just text: no header after all? It is one: `Just text` is no name.\n",
    "\nTitle: after a blank line is text\n",
]


@pytest.mark.parametrize(
    ("text", "fields"),
    list(
        zip(
            HEADERS,
            [
                {"title": "Om oss", "key": "about"},
                {"title": "A", "key": "a", "template": "timeline"},
                {"title": "A", "summary": "One two", "key": "a"},
                {"title": "A"},
                {"title": "A", "status": "draft"},
                {"title": "A", "key": "a"},
                {},
                {},
            ],
            strict=True,
        )
    ),
)
def test_header_fields(text, fields):
    assert header_fields(text) == fields


@pytest.mark.parametrize("text", HEADERS)
def test_the_header_ends_where_markdowns_meta_extension_ends_it(text):
    """Pelican reads a header with Markdown's meta extension: the same names, in
    the same lines, and the same first value."""
    md = markdown.Markdown(extensions=["meta"])
    md.convert(text)
    meta = md.Meta
    fields = header_fields(text)
    assert set(fields) == set(meta)
    for name, value in fields.items():
        assert value.startswith(meta[name][0])
    # and each field on the line where Markdown found it
    lines = text.splitlines()
    for number, name in header_lines(text)[0]:
        assert lines[number - 1].lower().startswith(name.lower() + ":")


def test_read_header_reads_a_file_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "side.md"
    path.write_text("\ufeffTitle: Side\nKey: side\n\nTekst: ikke et felt\n", encoding="utf-8")
    assert read_header(path) == {"title": "Side", "key": "side"}
