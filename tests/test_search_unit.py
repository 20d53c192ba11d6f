"""The search plugin without a browser: which pages are indexed, and Pagefind's failures."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from search import (  # isort: skip
    DEFAULTS,
    Search,
    SearchIndexError,
    index_site,
    site_pages,
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


def write_page(path, lang: str, text: str = "tekst") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<!doctype html><html lang="{lang}"><title>t</title>'
        f"<main data-pagefind-body><h1>Side {lang}</h1><p>{text}</p></main></html>",
        encoding="utf-8",
    )


def test_one_run_gives_one_bundle_with_an_index_per_language(tmp_path):
    write_page(tmp_path / "index.html", "nb")
    write_page(tmp_path / "nyheter" / "a" / "index.html", "nb")
    write_page(tmp_path / "en" / "index.html", "en")
    index_site(DEFAULTS, tmp_path, cache=None)
    bundle = tmp_path / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    # Pagefind split the pages by their <html lang>: two Norwegian, one English
    counts = {lang: index["page_count"] for lang, index in entry["languages"].items()}
    assert counts == {"en": 1, "nb": 2}
    # What search.js loads is there (Norwegian has its own stemmer); Pagefind's
    # own interfaces, unused, are not
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.nb.pagefind", "wasm.en.pagefind"):
        assert (bundle / name).is_file(), name
    assert not list(bundle.glob("pagefind-*ui*"))
    assert not (bundle / "pagefind-highlight.js").exists()
    assert not (tmp_path / "en" / "pagefind").exists()  # no second bundle


def test_the_pages_pagefind_reads_are_every_page_but_its_bundles(tmp_path):
    for rel in ("index.html", "404.html", "nyheter/a/index.html", "en/index.html"):
        write_page(tmp_path / rel, "nb")
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "site.css").write_text("", encoding="utf-8")
    write_page(tmp_path / "pagefind" / "stray.html", "nb")  # an old bundle's folder
    assert [p.relative_to(tmp_path).as_posix() for p in site_pages(tmp_path)] == [
        "404.html",
        "en/index.html",
        "index.html",
        "nyheter/a/index.html",
    ]


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
    (tmp_path / "index.html").write_text("<html lang=nb><main>Hei</main></html>")
    with pytest.raises(SearchIndexError, match="exit code 1"):
        index_site(settings, tmp_path, None)
    missing = {**DEFAULTS, "SEARCH_PAGEFIND_COMMAND": [str(tmp_path / "nothing")]}
    with pytest.raises(SearchIndexError, match="could not start Pagefind"):
        index_site(missing, tmp_path, None)


def test_pagefind_runs_once_and_only_when_a_page_changed(tmp_path):
    cache = tmp_path / "cache"
    runs = tmp_path / "runs"
    # Pagefind, with a line for each run: the folder it indexed
    counting = {
        **DEFAULTS,
        "SEARCH_PAGEFIND_COMMAND": [
            sys.executable,
            "-c",
            "import runpy, sys; "
            "open(sys.argv[1], 'a').write(sys.argv[sys.argv.index('--site') + 1] + '\\n'); "
            "sys.argv = ['pagefind', *sys.argv[2:]]; "
            "runpy.run_module('pagefind', run_name='__main__')",
            str(runs),
        ],
    }

    def build(name: str, nb_text: str, en_text: str) -> tuple[list[str], Path]:
        site = tmp_path / name
        write_page(site / "index.html", "nb", nb_text)
        write_page(site / "en" / "index.html", "en", en_text)
        index_site(counting, site, cache)
        indexed = runs.read_text().split() if runs.exists() else []
        runs.unlink(missing_ok=True)
        return [Path(p).relative_to(site).as_posix() for p in indexed], site

    assert build("one", "tekst", "text")[0] == ["."]  # one run over the whole site
    ran, site = build("two", "tekst", "text")
    assert ran == []  # the bundle linked from the cache
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert build("three", "annen tekst", "text")[0] == ["."]  # a Norwegian page changed
    assert build("four", "annen tekst", "other text")[0] == ["."]  # an English one
    assert build("five", "annen tekst", "text")[0] == []  # as in "three": still kept
