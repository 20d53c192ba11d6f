"""Unit tests of plugins/sitelib/cache.py: how the caches make, use and forget entries."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from sitelib import cache as cachefiles


def _no_links(*_args, **_kwargs):
    raise OSError(18, "Invalid cross-device link")


def _aged(path, seconds_ago: float) -> None:
    then = time.time() - seconds_ago
    os.utime(path, (then, then))


def test_an_entry_is_filled_beside_its_place_and_then_takes_its_name(tmp_path):
    entry = tmp_path / "ab" / "abcdef"
    seen = []

    def fill(folder):
        seen.append(folder)
        assert not entry.exists()  # nobody sees half an entry
        assert folder.parent == entry.parent
        (folder / "page").write_text("hei", encoding="utf-8")

    assert cachefiles.make_entry(entry, fill)
    assert (entry / "page").read_text(encoding="utf-8") == "hei"
    assert not seen[0].exists()
    assert sorted(p.name for p in entry.parent.iterdir()) == ["abcdef"]


def test_the_entry_another_build_made_first_is_kept(tmp_path):
    entry = tmp_path / "ab" / "abcdef"
    assert cachefiles.make_entry(entry, lambda f: (f / "page").write_text("first"))
    assert not cachefiles.make_entry(entry, lambda f: (f / "page").write_text("second"))
    assert (entry / "page").read_text() == "first"
    assert sorted(p.name for p in entry.parent.iterdir()) == ["abcdef"]


def test_a_failed_fill_leaves_nothing_behind(tmp_path):
    entry = tmp_path / "ab" / "abcdef"

    def fill(folder):
        (folder / "half").write_text("half")
        raise OSError("No space left on device")

    with pytest.raises(OSError, match="No space left"):
        cachefiles.make_entry(entry, fill)
    assert list(entry.parent.iterdir()) == []


def test_link_or_copy_links_and_replaces_what_is_there(tmp_path):
    source = tmp_path / "source.html"
    source.write_text("new", encoding="utf-8")
    target = tmp_path / "target.html"
    target.write_text("old", encoding="utf-8")
    cachefiles.link_or_copy(source, target)
    assert target.read_text(encoding="utf-8") == "new"
    assert os.path.samefile(source, target)


def test_link_or_copy_copies_where_the_disk_cannot_link(tmp_path, monkeypatch):
    source = tmp_path / "source.html"
    source.write_text("text", encoding="utf-8")
    monkeypatch.setattr(os, "link", _no_links)
    cachefiles.link_or_copy(source, tmp_path / "copy.html")
    assert (tmp_path / "copy.html").read_text(encoding="utf-8") == "text"
    assert not os.path.samefile(source, tmp_path / "copy.html")


@pytest.mark.parametrize("can_link", [True, False])
def test_link_tree_gives_every_file_of_a_folder(tmp_path, monkeypatch, can_link):
    source = tmp_path / "bundle"
    (source / "index").mkdir(parents=True)
    (source / "pagefind.js").write_text("js", encoding="utf-8")
    (source / "index" / "nb_1.pf_index").write_bytes(b"\x00\x01")
    if not can_link:
        monkeypatch.setattr(os, "link", _no_links)
    target = tmp_path / "output" / "pagefind"
    cachefiles.link_tree(source, target)
    assert (target / "pagefind.js").read_text(encoding="utf-8") == "js"
    assert (target / "index" / "nb_1.pf_index").read_bytes() == b"\x00\x01"
    assert os.path.samefile(source / "pagefind.js", target / "pagefind.js") is can_link


def test_prune_forgets_the_entries_no_build_used_since_a_time(tmp_path):
    used, unused = tmp_path / "ab" / "used", tmp_path / "cd" / "unused"
    for entry in (used, unused):
        entry.mkdir(parents=True)
        (entry / "page").write_text("x")
        _aged(entry, 3600)
    started = time.time() - 60
    cachefiles.mark_used(used)
    cachefiles.prune(tmp_path, older_than=started)
    assert used.is_dir()
    assert not unused.exists()


def test_keep_newest_keeps_the_most_recently_used_few(tmp_path):
    entries = []
    for age in (30, 10, 20, 40):
        entry = tmp_path / f"entry-{age}"
        entry.mkdir()
        _aged(entry, age)
        entries.append(entry)
    gone = tmp_path / "gone"  # listed, but removed meanwhile by another build
    cachefiles.keep_newest([*entries, gone], 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry-10", "entry-20"]
    shutil.rmtree(tmp_path / "entry-10")
    cachefiles.keep_newest(tmp_path.iterdir(), 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry-20"]


def test_json_is_read_back_only_for_the_version_that_wrote_it(tmp_path):
    path = tmp_path / "kept" / "results.json"
    data = {"word": "ord\u00adet", "list": [[1, "a"]]}
    cachefiles.write_json(path, "v1", data)
    assert cachefiles.read_json(path, "v1") == data
    assert cachefiles.read_json(path, "v2") is None
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]  # no temporary file left


@pytest.mark.parametrize("text", ["", "{not json", "[1, 2]", '{"data": 1}'])
def test_a_json_file_that_is_no_entry_reads_as_none(tmp_path, text):
    path = tmp_path / "results.json"
    path.write_text(text, encoding="utf-8")
    assert cachefiles.read_json(path, "v1") is None
    assert cachefiles.read_json(tmp_path / "missing.json", "v1") is None


def test_a_json_file_the_disk_refuses_leaves_nothing_behind(tmp_path, monkeypatch):
    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cachefiles.os, "replace", refuse)
    with pytest.raises(OSError):
        cachefiles.write_json(tmp_path / "results.json", "v1", {})
    assert list(tmp_path.iterdir()) == []
