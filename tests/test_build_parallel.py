"""build.py's processes: the content read in two processes, each language written
in its own. The site must be the same as one process makes, and errors found in
another process must stop the build as usual, naming the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import images as images_plugin
from build import BuildError, build_site

from .conftest import ROOT
from .test_bench import corpus


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    # 2 × 25 articles plus the real pages: enough files for the reading processes
    return corpus.generate(25, tmp_path_factory.mktemp("parallel") / "content")


def build(content: Path, output: Path, cache: Path, **settings) -> Path:
    overrides = {"PATH": str(content), "CACHE_PATH": str(cache), **corpus.SETTINGS, **settings}
    return build_site(ROOT / "pelicanconf.py", output, overrides)


def test_processes_make_the_same_site_as_one_process(content, tmp_path):
    images = str(tmp_path / "images")  # share the image cache: only the drawing is slow
    one = build(
        content,
        tmp_path / "one",
        tmp_path / "c1",
        BUILD_PARALLEL_LANGUAGES=False,
        CACHE_CONTENT=False,
        LOAD_CONTENT_CACHE=False,
        IMAGES_CACHE_DIR=images,
    )
    many = build(content, tmp_path / "many", tmp_path / "c2", IMAGES_CACHE_DIR=images)
    files_one = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    files_many = sorted(p.relative_to(many).as_posix() for p in many.rglob("*") if p.is_file())
    assert files_one == files_many
    for rel in files_one:
        # (Pagefind's own files list the languages in no fixed order)
        if rel.endswith((".html", ".xml", ".json", ".html.gz", ".html.br")) and (
            "pagefind/" not in rel
        ):
            assert (one / rel).read_bytes() == (many / rel).read_bytes(), rel
    assert (many / "en" / "news" / "story-00003" / "index.html.br").is_file()


def test_an_error_found_while_reading_in_another_process_stops_the_build(content, tmp_path):
    broken = content.parent / "broken"
    import shutil

    shutil.copytree(content, broken)
    article = broken / "news" / "en" / "story-00007.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\n![](../../images/bench-0.jpg)\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match="story-00007.md"):
        build(broken, tmp_path / "out", tmp_path / "cache")
    assert not (tmp_path / "out").exists()


def test_images_the_reading_processes_encoded_count_as_encoded(content, tmp_path):
    names = {
        name
        for path in content.rglob("*.md")
        for name in re.findall(r"images/(bench-\d+\.jpg)", path.read_text(encoding="utf-8"))
    }
    assert names
    cache = tmp_path / "cache"
    build(content, tmp_path / "output", cache, IMAGES_CARDS=False, SEARCH_PAGEFIND=False)
    assert images_plugin.LAST_RUN["encoded"] == len(names)
    assert images_plugin.LAST_RUN["cached"] == 0
    assert len(list((cache / "images" / "locks").iterdir())) == len(names)
    build(content, tmp_path / "again", cache, IMAGES_CARDS=False, SEARCH_PAGEFIND=False)
    assert images_plugin.LAST_RUN["encoded"] == 0
    assert images_plugin.LAST_RUN["cached"] == len(names)
