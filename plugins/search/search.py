"""Site search with Pagefind, one index per language.

When the whole site has been written (``finalized``), this plugin runs the
Pagefind binary (PyPI ``pagefind[bin]``, pinned in requirements.txt) over the
output folder. Pagefind splits its index by ``<html lang>``, so a search
from a Norwegian page searches only the Norwegian pages (with Norwegian
stemming) and one from an English page only the English ones. The search
bundle lands in ``/pagefind/``; ``theme/assets/js/search.js`` loads its
``pagefind.js`` from there.

Templates mark what is indexed: ``search.indexed(content)`` tells whether a
page's ``<main>`` should carry ``data-pagefind-body`` (published pages, not the
search and sitemap pages themselves, not error pages).

Pagefind runs WebAssembly: the Content-Security-Policy must allow
``script-src 'self' 'wasm-unsafe-eval'``.

Pagefind indexes every page again, each time: when no page's HTML changed
since a build kept its bundle in ``CACHE_PATH/SEARCH_PAGEFIND_CACHE``, that
bundle is linked in instead. Pagefind lists the languages of
``pagefind-entry.json`` in any order; they are sorted, so that the same pages
give the same bytes (and the same ``.gz``, ``.br`` and ETag).

Settings, with their defaults in ``DEFAULTS``: ``SEARCH_PAGEFIND`` (run it at
all), ``SEARCH_PAGEFIND_COMMAND``, ``SEARCH_PAGEFIND_ARGS``,
``SEARCH_PAGEFIND_CACHE``, ``SEARCH_PAGEFIND_DROP`` (files of the bundle the
site does not use: Pagefind's ready-made interfaces) and
``SEARCH_EXCLUDE_TEMPLATES``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals

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


def pagefind_command(settings: dict[str, Any], site: str) -> list[str]:
    return [*settings["SEARCH_PAGEFIND_COMMAND"], "--site", site, *settings["SEARCH_PAGEFIND_ARGS"]]


def run_pagefind(settings: dict[str, Any], site: str) -> None:
    command = pagefind_command(settings, site)
    logger.debug("Running %s", " ".join(command))
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(
            f"could not start Pagefind ({error}).\n  How to fix: install the pinned "
            "requirements (`make build` does), or set SEARCH_PAGEFIND = False."
        ) from error
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind could not index {site} (exit code {done.returncode}):\n"
            f"{done.stdout}{done.stderr}".rstrip()
        )
    bundle = Path(site) / BUNDLE
    sort_entry(bundle / "pagefind-entry.json")
    for name in settings.get("SEARCH_PAGEFIND_DROP") or ():
        (bundle / name).unlink(missing_ok=True)


def sort_entry(entry: Path) -> None:
    """Write Pagefind's entry file with its languages in sorted order."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    entry.write_text(text, encoding="utf-8")


# Signal handlers --------------------------------------------------------------


def initialize(pelican) -> None:
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)


def add_context(generators) -> None:
    settings = generators[0].settings
    generators[0].context["search"] = Search(list(settings["SEARCH_EXCLUDE_TEMPLATES"]))


def pages_digest(settings: dict[str, Any], site: Path) -> str:
    """A digest of what Pagefind reads: every HTML file of the site, and how it runs."""
    how = (pagefind_command(settings, ""), settings.get("SEARCH_PAGEFIND_DROP"))
    digest = hashlib.sha256(repr(how).encode())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        digest.update(importlib.metadata.version("pagefind").encode())
    for path in sorted(site.rglob("*.html")):
        digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _copy_bundle(source: Path, target: Path) -> None:
    """Copy a bundle as hard links (thousands of files; nothing writes into
    them afterwards), or as copies where the disk cannot link."""
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


def index_with_cache(settings: dict[str, Any], site: Path, cache: Path) -> None:
    """Link in the bundle of an earlier build with the same pages, or run
    Pagefind and keep its bundle (the last few only)."""
    kept = cache / pages_digest(settings, site)
    if kept.is_dir():
        _copy_bundle(kept, site / BUNDLE)
        os.utime(kept)
        logger.debug("Search index: no page changed, bundle linked from %s", kept)
        return
    run_pagefind(settings, str(site))
    cache.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".new-", dir=cache))
    _copy_bundle(site / BUNDLE, temp / BUNDLE)
    with contextlib.suppress(OSError):  # another build kept it first
        os.rename(temp / BUNDLE, kept)
    shutil.rmtree(temp, ignore_errors=True)
    others = sorted(
        (p for p in cache.iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP_BUNDLES:]:
        shutil.rmtree(old, ignore_errors=True)


def index(pelican) -> None:
    settings = pelican.settings
    if not settings["SEARCH_PAGEFIND"]:
        return
    if settings.get("SEARCH_PAGEFIND_CACHE"):
        cache = Path(settings["CACHE_PATH"], settings["SEARCH_PAGEFIND_CACHE"])
        index_with_cache(settings, Path(pelican.output_path), cache)
    else:
        run_pagefind(settings, pelican.output_path)


def register():
    signals.initialized.connect(initialize)
    signals.all_generators_finalized.connect(add_context)
    signals.finalized.connect(index)
