"""The search plugin without a browser: which pages are indexed, and Pagefind's failures."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from search import (  # isort: skip
    DEFAULTS,
    Bundle,
    Search,
    SearchIndexError,
    index_bundles,
    language_bundles,
    sort_entry,
)

LANGUAGES = {"nb": {"home": ""}, "en": {"home": "en/"}}


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


def test_each_language_gets_a_bundle_of_its_own_pages(tmp_path):
    write_page(tmp_path / "index.html", "nb")
    write_page(tmp_path / "nyheter" / "a" / "index.html", "nb")
    write_page(tmp_path / "en" / "index.html", "en")
    bundles = language_bundles({"BILINGUAL_LANGUAGES": LANGUAGES}, tmp_path)
    index_bundles(DEFAULTS, bundles, cache=None)
    for folder, lang, other in ((tmp_path, "nb", "en"), (tmp_path / "en", "en", "nb")):
        bundle = folder / "pagefind"
        entry = (bundle / "pagefind-entry.json").read_text()
        assert f'"{lang}":{{' in entry and f'"{other}":{{' not in entry
        # What search.js loads is there (Norwegian has its own stemmer); Pagefind's
        # own interfaces, unused, are not
        for name in ("pagefind.js", "pagefind-worker.js", f"wasm.{lang}.pagefind"):
            assert (bundle / name).is_file(), name
        assert not list(bundle.glob("pagefind-*ui*"))
        assert not (bundle / "pagefind-highlight.js").exists()
    assert '"page_count":2' in (tmp_path / "pagefind" / "pagefind-entry.json").read_text()


def test_the_default_language_bundle_leaves_out_the_other_languages_folders(tmp_path):
    for rel in ("index.html", "404.html", "nyheter/a/index.html", "en/index.html"):
        write_page(tmp_path / rel, "nb")
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "site.css").write_text("", encoding="utf-8")
    write_page(tmp_path / "pagefind" / "stray.html", "nb")  # an old bundle's folder
    top, english = language_bundles({"BILINGUAL_LANGUAGES": LANGUAGES}, tmp_path)
    assert top.glob() == "{404.html,index.html,nyheter/**/*.html,theme/**/*.html}"
    assert [p.relative_to(tmp_path).as_posix() for p in top.pages()] == [
        "404.html",
        "index.html",
        "nyheter/a/index.html",
    ]
    assert english == Bundle(tmp_path / "en") and english.glob() is None
    assert language_bundles({}, tmp_path) == [Bundle(tmp_path)]
    (tmp_path / "a,b").mkdir()
    with pytest.raises(SearchIndexError, match="cannot be named in a Pagefind glob"):
        top.glob()


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
        index_bundles(settings, [Bundle(tmp_path)], None)
    missing = {**DEFAULTS, "SEARCH_PAGEFIND_COMMAND": [str(tmp_path / "nothing")]}
    with pytest.raises(SearchIndexError, match="could not start Pagefind"):
        index_bundles(missing, [Bundle(tmp_path)], None)


def test_a_bundle_is_made_again_only_when_its_own_pages_changed(tmp_path):
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
        index_bundles(counting, language_bundles({"BILINGUAL_LANGUAGES": LANGUAGES}, site), cache)
        indexed = runs.read_text().split() if runs.exists() else []
        runs.unlink(missing_ok=True)
        return sorted(Path(p).relative_to(site).as_posix() for p in indexed), site

    assert build("one", "tekst", "text")[0] == [".", "en"]
    ran, site = build("two", "tekst", "text")
    assert ran == []  # both bundles linked from the cache
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "en" / "pagefind" / "pagefind.js").is_file()
    assert build("three", "annen tekst", "text")[0] == ["."]  # only Norwegian changed
    assert build("four", "annen tekst", "other text")[0] == ["en"]
