"""Parts of build.py without a full build: the Markdown reader and the swap."""

from __future__ import annotations

import copy
import time

from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from build import OneMarkdownReader, swap_into_place

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


def test_the_swap_puts_the_new_site_in_place_and_removes_the_old_ones(tmp_path):
    target = tmp_path / "output"
    for text in ("first", "second"):
        staging = tmp_path / f".output.new-{text}"
        (staging / "en").mkdir(parents=True)
        (staging / "index.html").write_text(text, encoding="utf-8")
        swap_into_place(staging, target)
        assert (target / "index.html").read_text(encoding="utf-8") == text
    left = tmp_path / ".output.old-interrupted"  # a build stopped before deleting it
    (left / "a" / "b").mkdir(parents=True)
    staging = tmp_path / ".output.new-third"
    staging.mkdir()
    (staging / "index.html").write_text("third", encoding="utf-8")
    swap_into_place(staging, target)
    assert (target / "index.html").read_text(encoding="utf-8") == "third"
    assert oct(target.stat().st_mode & 0o777) == "0o755"
    # The old folders go in the background: soon, not at once
    deadline = time.monotonic() + 20
    while list(tmp_path.glob(".output.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
