"""Reading ahead (plugins/readahead/): Markdown converted by worker processes
while Pelican reads. The site is the same with it or without it, and Pelican
always reads a file as it is when it reads it."""

from __future__ import annotations

import concurrent.futures
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from readahead import readahead

from .test_engine import files_of, pelican_command
from .test_plugins_alone import build, tiny_site

PELICAN = Path(sys.executable).parent / "pelican"

# Markdown of many kinds, as staff write it
TEXTS = {
    "a": "## Første del\n\nEn *tekst* med [en lenke](https://example.org) og «sitat».\n",
    "b": "[TOC]\n\n## En\n\nTekst.\n\n## To\n\n1. første\n2. andre\n",
    "c": "| A | B |\n|:--|--:|\n| 1 | 2 |\n\nEn fotnote.[^1]\n\n[^1]: Her.\n",
    "d": "> Et sitat\n> over to linjer.\n\n    kode\n\n<div markdown>Rå *HTML*</div>\n",
    "e": "Tekst med & og < og > og en\nlinje til.  \nOg en hard linjeskift.\n",
    "f": "",
}


def files(tmp_path: Path) -> dict[str, str]:
    return {
        f"pages/nb/{name}.md": f"Title: Side {name}\nKey: {name}\n\n{text}"
        for name, text in TEXTS.items()
    }


def test_alone_the_site_is_the_same_with_or_without_reading_ahead(tmp_path):
    sites = {}
    for processes in (1, 0):
        folder = tmp_path / str(processes)
        settings = tiny_site(
            folder, "readahead", files(folder), extra=f"READAHEAD_PROCESSES = {processes}\n"
        )
        said = build(folder, settings)
        assert "Cannot load plugin" not in said
        sites[processes] = files_of(folder / "output")
    assert sites[1] == sites[0]
    assert len(sites[1]) >= len(TEXTS)


def test_alone_only_files_changed_since_the_last_build_are_read_ahead(tmp_path):
    cached = "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n"
    settings = tiny_site(tmp_path, "readahead", files(tmp_path), extra=cached)

    def read_ahead() -> int:
        said = build_verbose(tmp_path, settings)
        return int(said.split("Read ahead: ")[1].split(" ")[0])

    assert read_ahead() == len(TEXTS)  # the first build: all of them
    assert read_ahead() == 0  # nothing changed: all come from Pelican's cache
    page = tmp_path / "content" / "pages" / "nb" / "a.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMer tekst.\n", encoding="utf-8")
    assert read_ahead() == 1
    assert "Mer tekst." in (tmp_path / "output" / "pages" / "side-a.html").read_text("utf-8")


def build_verbose(tmp_path: Path, settings: Path) -> str:
    result = subprocess.run(
        [str(PELICAN), "content", "-s", str(settings), "-o", str(tmp_path / "output"), "-D"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "1000"},  # one log record per line
    )
    said = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0, said
    return said


# Pelican's Markdown reader with reading ahead, in this process ----------------------


class Warns(Extension):
    """Logs a warning for every text that says WARN, as an extension may."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(WarnsOn(md), "test_warns", 25)


class WarnsOn(Preprocessor):
    def run(self, lines):
        for line in lines:
            if "WARN" in line:
                # Pelican's loggers say a message once: each test's text is its own
                logging.getLogger("test_readahead").warning("warned of %s", line)
        return lines


def start_reading(tmp_path: Path, through_link: bool = False):
    """The workers started on a content folder (PATH itself, or a symbolic link
    to it), as Pelican starts them (``readers_init``): (PATH, settings, readers)."""
    content = tmp_path / "content"
    for name, text in files(tmp_path).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    (content / "pages" / "nb" / "warn.md").write_text(
        f"Title: W\nKey: w\n\nWARN {tmp_path.name}\n", encoding="utf-8"
    )
    if through_link:
        (tmp_path / "link").symlink_to(content, target_is_directory=True)
        content = tmp_path / "link"
    settings = read_settings(
        None,
        override={
            "PATH": str(content),
            "CACHE_PATH": str(tmp_path / "cache"),
            "MARKDOWN": {"extensions": [Warns()], "output_format": "html5"},
        },
    )
    readahead.initialize(SimpleNamespace(settings=settings))
    readers = SimpleNamespace(settings=settings, reader_classes={"md": MarkdownReader})
    readahead.start(readers)
    return content, settings, readers


@pytest.fixture(params=["folder", "link"])
def reading(tmp_path, request):
    """Workers started on the content folder (``start_reading``); a reader that
    reads as Pelican's does, through PATH."""
    content, settings, readers = start_reading(tmp_path, request.param == "link")
    reader = readers.reader_classes["md"](settings)
    plain = MarkdownReader(settings)  # the same settings, nobody reading ahead
    yield content, reader, plain
    readahead.stop()


def workers_done() -> None:
    concurrent.futures.wait(list(readahead._run.jobs.values()))


def test_pelicans_reader_gets_the_workers_html_and_the_same_content(reading):
    content, reader, plain = reading
    workers_done()
    for path in sorted(content.rglob("*.md")):
        assert reader.read(str(path)) == plain.read(str(path)), path.name
    # The workers converted the files (all but the one that warned)
    assert readahead.LAST_RUN["converted"] == len(TEXTS)
    assert readahead.LAST_RUN["own"] == 1


def test_a_file_edited_after_the_worker_converted_it_is_read_as_it_is_now(reading):
    content, reader, plain = reading
    workers_done()
    page = content / "pages" / "nb" / "b.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNy tekst.\n", encoding="utf-8")
    html, metadata = reader.read(str(page))
    assert "Ny tekst." in html
    assert (html, metadata) == plain.read(str(page))


def test_a_warning_while_converting_is_said_by_the_build_itself(reading, caplog):
    content, reader, _plain = reading
    workers_done()
    with caplog.at_level(logging.WARNING):
        html, _metadata = reader.read(str(content / "pages" / "nb" / "warn.md"))
    assert "WARN" in html
    said = [r.getMessage() for r in caplog.records if r.name == "test_readahead"]
    assert said == [f"warned of {html[3:-4]}"]  # once, from the build's own conversion


def test_once_articles_and_pages_are_read_the_workers_and_their_threads_are_gone(tmp_path):
    # What forks after reading (the jobs beside the build) must fork a process
    # that runs one thread: a lock another thread holds stays locked in the
    # child (Python 3.12 and later warn of it)
    before = set(threading.enumerate())
    start_reading(tmp_path)
    try:
        assert set(threading.enumerate()) - before  # the pool's, while Pelican reads
        readahead.finished_reading(object.__new__(ArticlesGenerator))
        assert set(threading.enumerate()) - before  # the pages are still to be read
        readahead.finished_reading(object.__new__(PagesGenerator))
        assert set(threading.enumerate()) - before == set()
    finally:
        readahead.stop()


def test_the_real_site_is_the_same_without_reading_ahead(site, tmp_path):
    without = pelican_command(tmp_path, "READAHEAD_PROCESSES=0")
    ours = files_of(site)
    assert sorted(without) == sorted(ours)
    assert [name for name in ours if without[name] != ours[name]] == []
