"""Read ahead: Markdown converted on another core while Pelican reads.

Pelican reads the content files one at a time, and most of that time goes to
converting their Markdown. When Pelican starts reading (``readers_init``),
this plugin hands the Markdown files to a pool of worker processes
(``READAHEAD_PROCESSES``, one less than the machine's cores by default), which
convert them with the very same ``MARKDOWN`` settings (the workers are forked
from the build). When Pelican then reads a file, its Markdown reader takes the
worker's HTML if the worker is done with it, waits if it is at it, and
converts the file itself if the worker has not started it yet (that job is
cancelled): the two share the files between them.

Pelican's own reader still reads every file, header and all: the worker's
HTML only stands in for the conversion of the text below the header
(``ReadAheadExtension``), and only when that text is exactly the one the
worker converted (a digest of its lines after Python-Markdown's
preprocessors). A file the worker could not convert cleanly (an error or a
warning) is converted by Pelican itself, which then reports it as usual. The
site is the same with or without the plugin (tests/test_readahead.py).

Only files that changed since the last build are read ahead: the others come
from Pelican's content cache. The plugin keeps the size and time of each file
it has seen in ``CACHE_PATH/READAHEAD_CACHE_FILE``; with no such record (the
first build, or a fresh cache), every file is read ahead.

The workers must be forked, to have the build's settings as they are; where
the system cannot fork (Windows), Pelican reads alone. They stop as soon as
Pelican has read the articles and the pages (``article_generator_finalized``,
``page_generator_finalized``), and the pool's threads with them, so that the
next process forked from the build forks a process that runs one thread.

Settings, defaults in ``DEFAULTS``: ``READAHEAD_PROCESSES`` (0 turns reading
ahead off), ``READAHEAD_CACHE_FILE``.
"""

from __future__ import annotations

import hashlib
import logging
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from pelican import signals
from pelican.generators import PagesGenerator
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from sitelib import background
from sitelib.cache import read_json, write_json
from sitelib.settings import add_defaults

logger = logging.getLogger(__name__)

DEFAULTS = {
    "READAHEAD_PROCESSES": max(1, background.cores() - 1),
    "READAHEAD_CACHE_FILE": "readahead.json",
}

# What this build did, for the build log and the tests
LAST_RUN: dict[str, int] = {"files": 0, "converted": 0, "own": 0}
# The version of the record kept in READAHEAD_CACHE_FILE
_RECORD_VERSION = "1"


# The Markdown side -------------------------------------------------------------


class _Expected:
    """The HTML a worker made for the file being read now, and the digest of
    the text it made it from (set by ``ReadAheadReader.read`` around Pelican's
    own reading)."""

    digest: str | None = None
    html: str = ""


_expected = _Expected()


def lines_digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


class _StandIn(Preprocessor):
    """After the header is read: in a worker, note the digest of the text;
    in the build, drop the text when a worker converted this very text."""

    def run(self, lines: list[str]) -> list[str]:
        digest = lines_digest(lines)
        self.md.readahead_digest = digest
        self.md.readahead_html = None
        if _expected.digest is not None and _expected.digest == digest:
            self.md.readahead_html = _expected.html
            _expected.digest = None  # used once: a second conversion is a new text
            return []
        return lines


class _PutBack(Postprocessor):
    """Last of all: the worker's HTML for the text that ``_StandIn`` dropped."""

    def run(self, text: str) -> str:
        html = getattr(self.md, "readahead_html", None)
        return text if html is None else html


class ReadAheadExtension(Extension):
    """Stands a worker's HTML in for the conversion of the same text."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.readahead_digest = md.readahead_html = None
        # After the meta extension (27) and the header names (28) have read the header
        md.preprocessors.register(_StandIn(md), "readahead_stand_in", 26)
        md.postprocessors.register(_PutBack(md), "readahead_put_back", 0)


# The workers --------------------------------------------------------------------

_markdown_settings: dict = {}  # the build's MARKDOWN, which the workers inherit
_warned: list[logging.LogRecord] = []  # in a worker: the warnings of its current job


class _Warnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _warned.append(record)


def start_worker() -> None:
    """In a worker: no Ctrl-C (the build stops the pool); its warnings are only noted."""
    background.ignore_ctrl_c()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Warnings(level=logging.WARNING))


def convert(path: str) -> tuple[str, str] | None:
    """A worker's job: (digest of the text, its HTML), or None when the
    conversion failed or warned (the build converts that file itself)."""
    _warned.clear()
    try:
        md = _markdown()
        with pelican_open(path) as text:
            html = md.convert(text)
    except Exception:  # noqa: BLE001 - the build converts it again and reports it
        _worker.clear()  # a converter that failed half-way is not used again
        return None
    if _warned or md.readahead_digest is None:
        return None
    return md.readahead_digest, html


_worker: list[Markdown] = []  # in a worker: its one converter


def _markdown() -> Markdown:
    """The worker's converter, reset for the next text (Python-Markdown's way to
    use one for many texts)."""
    if not _worker:
        _worker.append(Markdown(**_markdown_settings))
    return _worker[0].reset()


# The build side ---------------------------------------------------------------------


class _Run:
    started = False  # this build's files were handed to the workers (or none needed it)
    pool: ProcessPoolExecutor | None = None
    jobs: dict[str, Future] = {}
    read: set[str] = set()  # "articles", "pages": what Pelican has read in this build


_run = _Run()


def stamp(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def markdown_files(settings: dict) -> dict[str, list[int]]:
    """Every Markdown file in PATH (absolute path -> its size and time), named
    as Pelican names it to its reader (``os.path.abspath``, links not resolved)."""
    root = Path(os.path.abspath(settings["PATH"]))
    extensions = (".md", ".markdown", ".mkd", ".mdown")
    return {
        os.fspath(path): stamp(path)
        for path in sorted(root.rglob("*"))
        if path.suffix in extensions and path.is_file()
    }


def record_file(settings: dict) -> Path | None:
    name = settings["READAHEAD_CACHE_FILE"]
    if not (name and settings.get("CACHE_PATH") and settings.get("LOAD_CONTENT_CACHE")):
        return None
    return Path(settings["CACHE_PATH"], name)


def changed_files(settings: dict) -> list[str]:
    """The Markdown files to read ahead: those not as the last build saw them,
    or all of them when there is no record of it."""
    files = markdown_files(settings)
    record = record_file(settings)
    seen = read_json(record, _RECORD_VERSION) if record is not None else None
    seen = seen if isinstance(seen, dict) else {}
    if record is not None:
        try:
            write_json(record, _RECORD_VERSION, files)
        except OSError as error:
            logger.info("Could not keep the record of the files read in %s: %s", record, error)
    return [path for path, mark in files.items() if seen.get(path) != mark]


def start(readers) -> None:
    """Pelican is about to read: start the workers on the files that changed
    (once per build), and give the Markdown reader the workers' results."""
    settings = readers.settings
    if "md" in readers.reader_classes and readers.reader_classes["md"]:
        readers.reader_classes["md"] = reading_ahead(readers.reader_classes["md"])
    if _run.started or settings["READAHEAD_PROCESSES"] < 1:
        return
    if background.fork_context() is None:
        return  # the workers must be forked: they take the settings from the build
    _run.started = True
    files = changed_files(settings)
    LAST_RUN.update(files=len(files))
    logger.debug("Read ahead: %s Markdown files changed since the last build", len(files))
    if len(files) < 2:
        return  # not worth a process
    MarkdownReader(settings)  # completes settings["MARKDOWN"] as Pelican's reader reads it
    _markdown_settings.clear()
    _markdown_settings.update(settings["MARKDOWN"])
    _run.pool = background.new_pool(settings["READAHEAD_PROCESSES"], start_worker)
    _run.jobs = {path: _run.pool.submit(convert, path) for path in files}


def reading_ahead(reader_class: type) -> type:
    """``reader_class`` taking the workers' HTML where they made it."""
    if getattr(reader_class, "reads_ahead", False):
        return reader_class

    class ReadAheadReader(reader_class):
        reads_ahead = True

        def read(self, source_path: str):
            job = _run.jobs.pop(os.path.abspath(source_path), None)
            result = None
            if job is not None and not job.cancel():
                try:
                    result = job.result()
                except Exception:  # noqa: BLE001 - a worker that died: read it here
                    result = None
            if result is not None:
                _expected.digest, _expected.html = result
            try:
                return super().read(source_path)
            finally:
                used = result is not None and _expected.digest is None
                LAST_RUN["converted" if used else "own"] += 1
                _expected.digest, _expected.html = None, ""

    ReadAheadReader.__name__ = reader_class.__name__  # Pelican names the reader after it
    return ReadAheadReader


def finished_reading(generator) -> None:
    """Pelican has read the articles or the pages; once it has read both, reading
    is over (``stop``)."""
    _run.read.add("pages" if isinstance(generator, PagesGenerator) else "articles")
    if _run.read >= {"articles", "pages"}:
        stop()


def stop(_sender=None) -> None:
    """Reading is over: stop the workers, once each is done with the file it is at
    (a few milliseconds), and forget what is left. The pool's threads end with
    them: whatever forks next (the jobs beside the build) forks a build
    process that runs one thread, as forking must (Python 3.12 and later warn)."""
    _run.started = False
    _run.read = set()
    pool, _run.pool = _run.pool, None
    _run.jobs = {}
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
        logger.debug(
            "Read ahead: the workers' HTML stood in for %s of %s files read",
            LAST_RUN["converted"],
            LAST_RUN["converted"] + LAST_RUN["own"],
        )


def initialize(pelican) -> None:
    settings = add_defaults(pelican.settings, DEFAULTS)
    stop()
    LAST_RUN.update(files=0, converted=0, own=0)
    markdown = settings.setdefault("MARKDOWN", {})
    extensions = markdown.setdefault("extensions", [])
    if not any(isinstance(e, ReadAheadExtension) for e in extensions):
        extensions.append(ReadAheadExtension())


def register() -> None:
    signals.initialized.connect(initialize)
    signals.readers_init.connect(start)
    signals.article_generator_finalized.connect(finished_reading)
    signals.page_generator_finalized.connect(finished_reading)
    signals.all_generators_finalized.connect(stop)  # whatever Pelican read
