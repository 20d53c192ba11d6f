"""build.OneMarkdownReader: one Markdown instance for every file gives what
Pelican's reader (a new instance per file) gives."""

from __future__ import annotations

import copy

from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from build import OneMarkdownReader

from .conftest import ROOT


def test_one_instance_reads_every_file_as_a_new_one_per_file_does(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    # State a Markdown instance keeps between files: footnotes, abbreviations,
    # link references, the table of contents, the header lines.
    (tmp_path / "a.md").write_text(
        "Title: A\n\n## Heading\n\nText[^1] and HTML.\n\n"
        "*[HTML]: HyperText Markup Language\n\n[r]: https://example.org/\n\n[^1]: A note.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text(
        "Title: B\n\n## Heading\n\nNo note, no HTML abbreviation, a [ref][r].\n",
        encoding="utf-8",
    )
    (tmp_path / "s.md").write_text("Title: S\nSummary: A *summary*.\n\nText.\n", encoding="utf-8")
    files = [tmp_path / name for name in ("a.md", "b.md", "s.md", "b.md", "a.md")]
    files += sorted((ROOT / "content").rglob("*.md"))
    one = OneMarkdownReader(copy.deepcopy(settings))
    for path in files:
        expected = MarkdownReader(copy.deepcopy(settings)).read(str(path))
        assert one.read(str(path)) == expected, path
