"""Site search with Pagefind, one index per language.

Once Pelican has written the pages (the output step of this plugin's
generator, which Pelican runs after its own and before ``finalized``, so that
other plugins' ``finalized`` find the bundle), this plugin runs the Pagefind
binary (PyPI ``pagefind[bin]``, pinned in requirements.txt) once for
each language's folder (its ``home`` in ``BILINGUAL_LANGUAGES``), at the same
time: the Norwegian pages' bundle lands in ``/pagefind/`` (the pages at the top,
without ``/en/``), the English pages' in ``/en/pagefind/``. A search page's
``theme/assets/js/search.js`` loads ``pagefind.js`` from its own language's
bundle, so a search from a Norwegian page searches only the Norwegian pages
(with Norwegian stemming), and one from an English page only the English ones.

Templates mark what is indexed: ``search.indexed(content)`` tells whether a
page's ``<main>`` should carry ``data-pagefind-body`` (published pages, not the
search and sitemap pages themselves, not error pages).

Pagefind runs WebAssembly: the Content-Security-Policy must allow
``script-src 'self' 'wasm-unsafe-eval'``.

Pagefind indexes every page of a bundle again, each time: when none of a
bundle's pages changed since a build kept the bundle in
``CACHE_PATH/SEARCH_PAGEFIND_CACHE``, that bundle is linked in instead (so an
edit in one language re-indexes only that language). Pagefind lists the
languages of ``pagefind-entry.json`` in any order; they are sorted, so that
the same pages give the same bytes (and the same ``.gz``, ``.br`` and ETag).

Settings, with their defaults in ``DEFAULTS``: ``SEARCH_PAGEFIND`` (run it at
all), ``SEARCH_PAGEFIND_COMMAND``, ``SEARCH_PAGEFIND_ARGS``,
``SEARCH_PAGEFIND_CACHE``, ``SEARCH_PAGEFIND_DROP`` (files of the bundle the
site does not use: Pagefind's ready-made interfaces) and
``SEARCH_EXCLUDE_TEMPLATES``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals

from sitelib.cache import keep_newest, link_tree, make_entry, mark_used
from sitelib.settings import add_defaults, language_folders

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "SEARCH_PAGEFIND": True,
    # The Pagefind binary, run from the Python package that ships it
    "SEARCH_PAGEFIND_COMMAND": [sys.executable, "-m", "pagefind"],
    "SEARCH_PAGEFIND_ARGS": ["--silent"],
    # A folder in CACHE_PATH for the last bundles Pagefind made (None: none)
    "SEARCH_PAGEFIND_CACHE": "pagefind",
    # Pages with these templates are not indexed
    "SEARCH_EXCLUDE_TEMPLATES": ["search", "sitemap"],
    # Files of the bundle the site does not use (theme/assets/js/search.js uses
    # pagefind.js, its worker and WebAssembly): Pagefind's ready-made interfaces
    "SEARCH_PAGEFIND_DROP": [
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-highlight.js",
    ],
}


BUNDLE = "pagefind"  # the folder Pagefind writes into the site
GLOB_SPECIAL = set("{}[]*?,!\\")  # what a name in Pagefind's --glob may not hold
KEEP_BUNDLES = 2


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message holds what it said."""


@dataclass
class Search:
    """What templates need: which pages are indexed."""

    exclude_templates: list[str]

    def indexed(self, content) -> bool:
        if content is None or getattr(content, "status", "published") != "published":
            return False
        return getattr(content, "template", None) not in self.exclude_templates


@dataclass(frozen=True)
class Bundle:
    """One run of Pagefind: over the pages in ``folder`` but those under the
    top-level entries ``excluded`` (other languages' folders), into
    ``folder / BUNDLE``."""

    folder: Path
    excluded: tuple[str, ...] = ()

    def pages(self) -> list[Path]:
        """The HTML files this bundle indexes."""
        skipped = {*self.excluded, BUNDLE}
        return sorted(
            path
            for path in self.folder.rglob("*.html")
            if path.relative_to(self.folder).parts[0] not in skipped
        )

    def glob(self) -> str | None:
        """Pagefind's ``--glob`` for ``pages()``: None when it takes every page."""
        if not self.excluded:
            return None
        parts = []
        for entry in sorted(self.folder.iterdir()):
            if entry.name in (*self.excluded, BUNDLE):
                continue
            if any(c in GLOB_SPECIAL for c in entry.name):
                raise SearchIndexError(
                    f"{entry} cannot be named in a Pagefind glob.\n  How to fix: give it a "
                    "name of letters, digits, '-', '_' and '.' only."
                )
            if entry.is_dir():
                parts.append(f"{entry.name}/**/*.html")
            elif entry.suffix == ".html":
                parts.append(entry.name)
        return "{" + ",".join(parts) + "}"


def language_bundles(settings: dict[str, Any], site: Path) -> list[Bundle]:
    """A bundle for each language's folder (its ``home`` in
    ``BILINGUAL_LANGUAGES``), so that an edit in one language leaves the other
    language's bundle as it was (and cached); one for the whole site without
    languages. A search page loads the bundle of its own folder."""
    homes = sorted(set(language_folders(settings).values()))
    if not homes:
        return [Bundle(site)]
    bundles = []
    for home in homes:
        if home:
            bundles.append(Bundle(site / home))
        else:  # the default language, at the top, around the others' folders
            others = tuple(sorted({other.split("/")[0] for other in homes if other}))
            bundles.append(Bundle(site, others))
    return bundles


def pagefind_command(settings: dict[str, Any], bundle: Bundle) -> list[str]:
    command = [
        *settings["SEARCH_PAGEFIND_COMMAND"],
        "--site",
        str(bundle.folder),
        *settings["SEARCH_PAGEFIND_ARGS"],
    ]
    glob = bundle.glob()
    return [*command, "--glob", glob] if glob else command


def start_pagefind(settings: dict[str, Any], bundle: Bundle) -> subprocess.Popen:
    command = pagefind_command(settings, bundle)
    logger.debug("Running %s", " ".join(command))
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        raise SearchIndexError(
            f"could not start Pagefind ({error}).\n  How to fix: install the pinned "
            "requirements (`make build` does), or set SEARCH_PAGEFIND = False."
        ) from error


def finish_pagefind(settings: dict[str, Any], bundle: Bundle, process: subprocess.Popen) -> None:
    """Wait for Pagefind; tidy its bundle, or raise with what it said."""
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise SearchIndexError(
            f"Pagefind could not index {bundle.folder} (exit code {process.returncode}):\n"
            f"{stdout}{stderr}".rstrip()
        )
    folder = bundle.folder / BUNDLE
    sort_entry(folder / "pagefind-entry.json")
    for name in settings.get("SEARCH_PAGEFIND_DROP") or ():
        (folder / name).unlink(missing_ok=True)


def sort_entry(entry: Path) -> None:
    """Write Pagefind's entry file with its languages in sorted order."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    entry.write_text(text, encoding="utf-8")


def pages_digest(settings: dict[str, Any], bundle: Bundle, pages: list[Path]) -> str:
    """A digest of what Pagefind reads: the bundle's ``pages``, and how it runs."""
    how = (
        settings["SEARCH_PAGEFIND_COMMAND"],
        settings["SEARCH_PAGEFIND_ARGS"],
        bundle.glob(),
        settings.get("SEARCH_PAGEFIND_DROP"),
    )
    digest = hashlib.sha256(repr(how).encode())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        digest.update(importlib.metadata.version("pagefind").encode())
    for path in pages:
        digest.update(path.relative_to(bundle.folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def index_bundles(settings: dict[str, Any], bundles: list[Bundle], cache: Path | None) -> None:
    """Run Pagefind for each bundle, at the same time; with a ``cache``, link in
    the bundle an earlier build made from the same pages instead, and keep the
    new ones (the last few only)."""
    running = []
    try:
        for bundle in bundles:
            pages = bundle.pages()
            if not pages:
                continue  # no page in this language's folder: nothing to search
            kept = cache / pages_digest(settings, bundle, pages) if cache is not None else None
            if kept is not None and kept.is_dir():
                link_tree(kept, bundle.folder / BUNDLE)
                mark_used(kept)
                logger.debug("Search index: no page of %s changed, bundle linked", bundle.folder)
                continue
            running.append((bundle, kept, start_pagefind(settings, bundle)))
        while running:
            bundle, kept, process = running.pop(0)
            finish_pagefind(settings, bundle, process)
            if kept is not None:
                # thousands of files, linked: nothing writes into them afterwards
                make_entry(kept, functools.partial(link_tree, bundle.folder / BUNDLE))
    finally:
        for _bundle, _kept, process in running:  # stopped by an error: stop the others too
            process.kill()
            process.communicate()
    if cache is not None:
        keep_newest(cache.glob("[!.]*"), KEEP_BUNDLES * len(bundles))


# Signal handlers --------------------------------------------------------------


def initialize(pelican) -> None:
    add_defaults(pelican.settings, DEFAULTS)


def add_context(generators) -> None:
    settings = generators[0].settings
    generators[0].context["search"] = Search(list(settings["SEARCH_EXCLUDE_TEMPLATES"]))


class SearchGenerator:
    """Indexes the written pages with Pagefind, once per build."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.settings = settings
        self.output_path = Path(output_path)

    def generate_output(self, writer) -> None:
        settings = self.settings
        if not settings["SEARCH_PAGEFIND"]:
            return
        cache = settings["SEARCH_PAGEFIND_CACHE"]
        cache = Path(settings["CACHE_PATH"], cache) if cache else None
        index_bundles(settings, language_bundles(settings, self.output_path), cache)


def get_generators(_pelican):
    return SearchGenerator


def register():
    signals.initialized.connect(initialize)
    signals.all_generators_finalized.connect(add_context)
    signals.get_generators.connect(get_generators)
