"""The timeline plugin alone (``PLUGINS=["timeline"]``) on a tiny site, built by
Pelican itself with a theme of two templates, as pelican-plugins' own tests do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import timeline.timeline as plugin

from .test_timeline_build import FIXTURE

ROOT = Path(__file__).resolve().parent.parent
THEMES = {
    "bsb": {"nb": "Bruker Spør Bruker", "en": "User Interviews User"},
    "research": {"nb": "Forskning", "en": "Research"},
    "children-youth": {"nb": "Barn og unge", "en": "Children and youth"},
}


def tiny_site(tmp_path: Path) -> Path:
    """The fixture's timeline pages, the page they link to and the image."""
    content = tmp_path / "content"
    for lang, names in (("nb", ["tidslinje.md", "bsb.md"]), ("en", ["timeline.md", "bsb.md"])):
        (content / "pages" / lang).mkdir(parents=True)
        for name in names:
            shutil.copy(FIXTURE / "pages" / lang / name, content / "pages" / lang / name)
    shutil.copytree(FIXTURE / "images", content / "images")
    return content


SETTINGS = {
    "THEME": str(FIXTURE / "theme"),
    "PLUGIN_PATHS": [str(ROOT / "plugins")],
    "PLUGINS": ["timeline"],
    "TIMEZONE": "UTC",
    "DEFAULT_LANG": "nb",
    "PAGE_PATHS": ["pages"],
    "ARTICLE_PATHS": [],
    "STATIC_PATHS": [],
    "PATH_METADATA": r"pages/(?P<lang>[^/]+)/.*",
    "SLUGIFY_SOURCE": "basename",
    "PAGE_TRANSLATION_ID": "key",
    "PAGE_URL": "{slug}/",
    "PAGE_SAVE_AS": "{slug}/index.html",
    "PAGE_LANG_URL": "{lang}/{slug}/",
    "PAGE_LANG_SAVE_AS": "{lang}/{slug}/index.html",
    "DIRECT_TEMPLATES": [],
    "FEED_ALL_ATOM": None,
    "CATEGORY_FEED_ATOM": None,
    "TRANSLATION_FEED_ATOM": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "CACHE_CONTENT": False,
    "TIMELINE_THEMES": THEMES,
}


def run_pelican(content: Path, output: Path) -> subprocess.CompletedProcess:
    """The ``pelican`` command in a process of its own (Pelican's signals are
    global, so plugins of earlier builds in this process would still listen).

    PYTHONPATH holds plugins/ for the plugins' shared library (plugins/sitelib/),
    as the one line of the project's pelicanconf.py puts it on sys.path."""
    settings = content.parent / "tinyconf.py"
    settings.write_text(
        "".join(f"{name} = {value!r}\n" for name, value in SETTINGS.items()), encoding="utf-8"
    )
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "COLUMNS": "500"},
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("alone")
    output = folder / "output"
    result = run_pelican(tiny_site(folder), output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("path", ["tidslinje/index.html", "en/timeline/index.html"])
def test_each_language_gets_its_sorted_milestones_and_their_periods(site, path):
    html = page(site, path)
    items = html.select("article[id]")
    starts = [int(a["data-start"]) for a in items]
    assert items and starts == sorted(starts)
    assert html.select_one(".languages").get_text() == "en nb"
    grouped = {a["id"]: a.find_parent("section")["data-period"] for a in items}
    assert {ident for ident, period in grouped.items() if period} == {
        a["id"] for a in items if int(a["data-start"]) >= 2006
    }
    years = [int(li["data-year"]) for li in html.select(".overview li")]
    assert years == list(range(min(starts), years[-1] + 1))
    assert "&lt;script&gt;" in str(html) and "<script>alert" not in str(html)


def test_the_anchors_and_json_agree_across_languages(site):
    nb = [a["id"] for a in page(site, "tidslinje/index.html").select("article[id]")]
    en = [a["id"] for a in page(site, "en/timeline/index.html").select("article[id]")]
    assert nb == en
    for path, lang in (("tidslinje/timeline.json", "nb"), ("en/timeline/timeline.json", "en")):
        data = json.loads((site / path).read_text(encoding="utf-8"))
        assert data["lang"] == lang
        assert [m["id"] for m in data["milestones"]] == nb
        assert all(m["url"].endswith(f"#{m['id']}") for m in data["milestones"])


def test_the_plugin_forgets_its_run_when_pelican_finishes(site):
    assert not plugin._timelines and not plugin._pages


def test_a_bad_milestone_stops_pelican_with_file_and_line(tmp_path):
    content = tiny_site(tmp_path)
    source = content / "pages/nb/tidslinje.md"
    source.write_text(source.read_text("utf-8").replace("## 1997:", "## 199x:"), "utf-8")
    result = run_pelican(content, tmp_path / "output")
    assert result.returncode != 0
    log = " ".join((result.stdout + result.stderr).split())
    assert "tidslinje.md:8: " in log and "'199x'" in log
    assert "Slik retter du:" in log  # a Norwegian file: the message is in Norwegian
