"""Site search with Pagefind: one run per build, an index per language.

Once Pelican has written the pages (the output step of this plugin's
generator, which Pelican runs after its own and before ``finalized``, so that
other plugins' ``finalized`` find the bundle), this plugin runs the Pagefind
binary (PyPI ``pagefind[bin]``, pinned in requirements.txt) once over the
whole output. Pagefind splits its index by each page's ``<html lang>``: the one
bundle, ``/pagefind/``, holds an index for Norwegian (with Norwegian stemming)
and one for English. A search page's ``theme/assets/js/search.js`` loads
``{SITEURL}/pagefind/pagefind.js``, which picks the index of the search page's
own ``<html lang>``: a search from a Norwegian page finds only Norwegian pages,
one from an English page only English ones. Pagefind takes the address of
the results from where the bundle lies, so a site published under a sub-path
(``SITEURL = "https://example.org/kbt"``) links to its own pages.

Templates mark what is indexed: ``search.indexed(content)`` tells whether a
page's ``<main>`` should carry ``data-pagefind-body`` (published pages, not the
search and sitemap pages themselves, not error pages).

Pagefind runs WebAssembly: the Content-Security-Policy must allow
``script-src 'self' 'wasm-unsafe-eval'``.

Pagefind indexes every page again, each time: when no page changed since a
build kept the bundle in ``CACHE_PATH/SEARCH_PAGEFIND_CACHE`` (a folder named by
a digest of the pages and of how Pagefind runs), that bundle is linked in
instead. Pagefind lists the languages of ``pagefind-entry.json`` in any order;
they are sorted, so that the same pages give the same bytes (and the same
``.gz``, ``.br`` and ETag).

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
from sitelib.settings import add_defaults

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


def site_pages(site: Path) -> list[Path]:
    """The HTML files Pagefind reads: every one in ``site`` but in its bundle."""
    return sorted(
        path for path in site.rglob("*.html") if path.relative_to(site).parts[0] != BUNDLE
    )


def pagefind_command(settings: dict[str, Any], site: Path) -> list[str]:
    return [
        *settings["SEARCH_PAGEFIND_COMMAND"],
        "--site",
        str(site),
        *settings["SEARCH_PAGEFIND_ARGS"],
    ]


def run_pagefind(settings: dict[str, Any], site: Path) -> None:
    """Run Pagefind over ``site``; tidy its bundle, or raise with what it said."""
    command = pagefind_command(settings, site)
    logger.debug("Running %s", " ".join(command))
    try:
        process = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(
            f"could not start Pagefind ({error}).\n  How to fix: install the pinned "
            "requirements (`make build` does), or set SEARCH_PAGEFIND = False."
        ) from error
    if process.returncode != 0:
        raise SearchIndexError(
            f"Pagefind could not index {site} (exit code {process.returncode}):\n"
            f"{process.stdout}{process.stderr}".rstrip()
        )
    folder = site / BUNDLE
    sort_entry(folder / "pagefind-entry.json")
    for name in settings.get("SEARCH_PAGEFIND_DROP") or ():
        (folder / name).unlink(missing_ok=True)


def sort_entry(entry: Path) -> None:
    """Write Pagefind's entry file with its languages in sorted order."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    entry.write_text(text, encoding="utf-8")


def pages_digest(settings: dict[str, Any], site: Path, pages: list[Path]) -> str:
    """A digest of what Pagefind reads: the site's ``pages``, and how it runs."""
    how = (
        settings["SEARCH_PAGEFIND_COMMAND"],
        settings["SEARCH_PAGEFIND_ARGS"],
        settings.get("SEARCH_PAGEFIND_DROP"),
    )
    digest = hashlib.sha256(repr(how).encode())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        digest.update(importlib.metadata.version("pagefind").encode())
    for path in pages:
        digest.update(path.relative_to(site).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def index_site(settings: dict[str, Any], site: Path, cache: Path | None) -> None:
    """Index the written ``site`` with one run of Pagefind, into ``site/pagefind/``;
    with a ``cache``, link in the bundle an earlier build made from the same
    pages instead, and keep the new one (the last few only)."""
    pages = site_pages(site)
    if not pages:
        return  # no page: nothing to search
    kept = cache / pages_digest(settings, site, pages) if cache is not None else None
    if kept is not None and kept.is_dir():
        link_tree(kept, site / BUNDLE)
        mark_used(kept)
        logger.debug("Search index: no page changed, bundle linked")
        return
    run_pagefind(settings, site)
    if kept is not None:
        # thousands of files, linked: nothing writes into them afterwards
        make_entry(kept, functools.partial(link_tree, site / BUNDLE))
        keep_newest(cache.glob("[!.]*"), KEEP_BUNDLES)


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
        index_site(settings, self.output_path, cache)


def get_generators(_pelican):
    return SearchGenerator


def register():
    signals.initialized.connect(initialize)
    signals.all_generators_finalized.connect(add_context)
    signals.get_generators.connect(get_generators)
