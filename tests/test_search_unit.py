"""The search plugin without a browser: which pages are indexed, and Pagefind's failures."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from search import (  # isort: skip
    DEFAULTS,
    Search,
    SearchIndexError,
    index_with_cache,
    run_pagefind,
    sort_entry,
)


def page(status="published", template="page"):
    return SimpleNamespace(status=status, template=template)


def test_only_published_content_pages_are_indexed():
    search = Search(["search", "sitemap"])
    assert search.indexed(page())
    assert not search.indexed(page(status="hidden"))  # 404 pages
    assert not search.indexed(page(template="search"))
    assert not search.indexed(page(template="sitemap"))
    assert not search.indexed(None)


def test_pagefind_indexes_each_language_apart(tmp_path):
    for lang, folder in (("nb", tmp_path), ("en", tmp_path / "en")):
        folder.mkdir(exist_ok=True)
        (folder / "index.html").write_text(
            f'<!doctype html><html lang="{lang}"><title>t</title>'
            f"<main data-pagefind-body><h1>Side {lang}</h1><p>tekst</p></main></html>",
            encoding="utf-8",
        )
    run_pagefind(DEFAULTS, str(tmp_path))
    bundle = tmp_path / "pagefind"
    entry = (bundle / "pagefind-entry.json").read_text()
    assert '"nb":{' in entry and '"en":{' in entry
    assert '"wasm":"nb"' in entry  # Norwegian has its own stemmer
    # What search.js loads is there; Pagefind's own interfaces, unused, are not
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.nb.pagefind", "wasm.en.pagefind"):
        assert (bundle / name).is_file(), name
    assert (
        not list(bundle.glob("pagefind-*ui*")) and not (bundle / "pagefind-highlight.js").exists()
    )


def test_the_entry_file_lists_the_languages_in_order(tmp_path):
    entry = tmp_path / "pagefind-entry.json"
    entry.write_text(
        '{"version":"1","languages":{"nb":{"page_count":2},"en":{"page_count":2}},'
        '"include_characters":["_","‿"]}',
        encoding="utf-8",
    )
    sort_entry(entry)
    assert entry.read_text(encoding="utf-8") == (
        '{"version":"1","languages":{"en":{"page_count":2},"nb":{"page_count":2}},'
        '"include_characters":["_","‿"]}'
    )


def test_a_failing_pagefind_stops_the_build_with_its_message(tmp_path):
    settings = {
        **DEFAULTS,
        "SEARCH_PAGEFIND_COMMAND": [sys.executable, "-c", "import sys; sys.exit('no')"],
    }
    with pytest.raises(SearchIndexError, match="exit code 1"):
        run_pagefind(settings, str(tmp_path))
    missing = {**DEFAULTS, "SEARCH_PAGEFIND_COMMAND": [str(tmp_path / "nothing")]}
    with pytest.raises(SearchIndexError, match="could not start Pagefind"):
        run_pagefind(missing, str(tmp_path))


def test_the_bundle_is_reused_only_while_no_page_changed(tmp_path):
    cache = tmp_path / "cache"
    counting = dict(DEFAULTS)
    runs = tmp_path / "runs"
    # Pagefind, with a note of each run
    counting["SEARCH_PAGEFIND_COMMAND"] = [
        sys.executable,
        "-c",
        "import pathlib, runpy, sys; p = pathlib.Path(sys.argv[1]); "
        "p.write_text(p.read_text() + 'x') if p.exists() else p.write_text('x'); "
        "sys.argv = ['pagefind', *sys.argv[2:]]; runpy.run_module('pagefind', run_name='__main__')",
        str(runs),
    ]

    def build(name: str, text: str):
        site = tmp_path / name
        site.mkdir()
        (site / "index.html").write_text(
            f'<!doctype html><html lang="nb"><title>t</title><main data-pagefind-body>{text}'
            "</main></html>",
            encoding="utf-8",
        )
        index_with_cache(counting, site, cache)
        return (site / "pagefind" / "pagefind-entry.json").read_text()

    first = build("one", "<p>tekst</p>")
    assert build("two", "<p>tekst</p>") == first
    assert runs.read_text() == "x"  # the second build copied the bundle
    build("three", "<p>annen tekst</p>")
    assert runs.read_text() == "xx"
    assert (tmp_path / "three" / "pagefind" / "pagefind.js").is_file()
