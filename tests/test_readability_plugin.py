"""The readability plugin: alone in plain Pelican on a tiny fixture site, and in
the site's own build, where a Norwegian text over the LIX limit stops it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import readability

from .conftest import ROOT, build_fixture
from .test_bad_input import assert_untouched, fails_with, last_good  # noqa: F401

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "readability"

# Long words in long sentences: far over any sensible LIX limit
HARD_NB = (
    "Kompetansesenteret gjennomførte omfattende brukerinvolverende evalueringsprosjekter "
    "innenfor spesialisthelsetjenesten sammen med forskningsinstitusjonene, "
    "utdanningsinstitusjonene "
    "og brukerorganisasjonene, samtidig som tjenesteutviklingen kontinuerlig ble dokumentert, "
    "systematisert og formidlet gjennom omfattende rapporter, dialogkonferanser og "
    "fagutviklingsprosjekter i kommunehelsetjenesten.\n"
)


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


# Plain Pelican with only this plugin and its default theme, run by the
# `pelican` command in a process of its own: plugins that other tests' builds
# registered in this process stay connected to Pelican's signals.
ALONE_SETTINGS = """
import sys
# As in the project's pelicanconf.py: the plugins' shared library on sys.path
sys.path.insert(0, {plugins!r})
PATH = {content!r}
TIMEZONE = "UTC"
DEFAULT_LANG = "nb"
PATH_METADATA = r"(?:pages|news)/(?P<lang>[^/]+)/.*"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["news"]
PAGE_TRANSLATION_ID = "key"
ARTICLE_TRANSLATION_ID = "key"
PLUGIN_PATHS = [{plugins!r}]
PLUGINS = ["readability"]
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
"""


def run_alone(content: Path, output: Path, extra: str = "") -> subprocess.CompletedProcess:
    settings = output.parent / f"{output.name}-settings.py"
    text = ALONE_SETTINGS.format(content=str(content), plugins=str(ROOT / "plugins"))
    settings.write_text(text + extra, encoding="utf-8")
    command = [str(Path(sys.executable).parent / "pelican"), str(content)]
    command += ["-s", str(settings), "-o", str(output), "--verbose"]
    env = {**os.environ, "COLUMNS": "1000"}  # one log record per line
    return subprocess.run(
        command, capture_output=True, text=True, cwd=output.parent, env=env, check=False
    )


def test_alone_it_measures_every_page_and_news_item(content, tmp_path):
    done = run_alone(content, tmp_path / "output")
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "Readability (nb, limit 50): 2 texts" in log
    # The English page is far over 50, but only Norwegian has a limit
    assert "Readability (en, no limit, for information): 1 texts" in log
    # Its one sentence is flagged as long, with its file and line
    flagged = [line for line in log.splitlines() if "a sentence of" in line]
    assert len(flagged) == 1 and "simple.md:5:" in flagged[0]
    assert list((tmp_path / "output").rglob("*.html"))


def test_alone_a_norwegian_page_over_the_limit_stops_the_build(content, tmp_path):
    page = content / "pages/nb/enkel.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + "\n" + HARD_NB, encoding="utf-8")
    done = run_alone(content, tmp_path / "output")
    log = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"enkel.md:{lines + 2}: LIX" in log and " 50 " in log
    assert "Slik retter du:" in log  # a Norwegian text: the message is in Norwegian


def test_a_second_build_takes_the_reports_of_unchanged_texts_from_the_cache(content, tmp_path):
    first = run_alone(content, tmp_path / "output")
    assert first.returncode == 0, first.stderr
    kept = list((tmp_path / "cache").rglob(readability.readability.CACHE_FILE))
    assert len(kept) == 1
    summary = [line for line in first.stdout.splitlines() if "Readability" in line]
    # The same texts: the same results, read from the cache
    again = run_alone(content, tmp_path / "output")
    assert again.returncode == 0, again.stderr
    assert [line for line in again.stdout.splitlines() if "Readability" in line] == summary
    # An edited text is measured again
    page = content / "pages/nb/enkel.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + "\n" + HARD_NB, encoding="utf-8")
    edited = run_alone(content, tmp_path / "output")
    assert edited.returncode != 0
    assert f"enkel.md:{lines + 2}:" in edited.stdout + edited.stderr
    # A cache that is not readability's own is ignored
    kept[0].write_text("{not json", encoding="utf-8")
    assert run_alone(content, tmp_path / "output").returncode != 0


def test_the_limit_is_a_setting(content, tmp_path):
    done = run_alone(content, tmp_path / "output", 'READABILITY_LIMITS = {"nb": 50, "en": 200}')
    assert done.returncode == 0, done.stderr
    done = run_alone(content, tmp_path / "output2", 'READABILITY_LIMITS = {"en": 20}')
    assert done.returncode != 0
    assert "simple.md" in done.stdout + done.stderr


def test_in_the_site_build_an_over_limit_page_stops_it_with_file_and_line(
    fixture_content,
    last_good,  # noqa: F811
):
    page = fixture_content / "pages/nb/om.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + "\n" + HARD_NB, encoding="utf-8")
    fails_with(
        fixture_content,
        last_good,
        f"pages/nb/om.md:{lines + 2}:",
        "LIX",
        "Slik retter du:",
        "invoke readability",
    )
    assert_untouched(last_good)


def test_in_the_site_build_english_is_measured_for_information_only(fixture_content, tmp_path):
    page = fixture_content / "pages/en/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + HARD_NB, encoding="utf-8")
    build_fixture(fixture_content, tmp_path / "output")
    measured = {Path(m.path).name: m for m in readability.last_results() if m.lang == "en"}
    assert measured["about.md"].report.lix > 50


def test_the_table_lists_every_text_and_marks_one_over_the_limit(content):
    settings = {**readability.DEFAULTS, "PATH": str(content), "DEFAULT_LANG": "nb"}
    settings |= {"PAGE_PATHS": ["pages"], "ARTICLE_PATHS": ["news"]}
    settings["PATH_METADATA"] = r"(?:pages|news)/(?P<lang>[^/]+)/.*"
    page = content / "pages/nb/enkel.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + HARD_NB, encoding="utf-8")
    files = readability.content_files(settings)
    results = [readability.measure_file(path, lang, settings) for path, lang in files]
    text = readability.table(results, settings)
    rows = [line for line in text.splitlines() if line.startswith("| ") and ".md" in line]
    assert len(rows) == 3
    assert [row for row in rows if "⚠" in row] == [next(r for r in rows if "enkel.md" in r)]
    flagged = sum(len(m.report.over(30)) for m in results)
    assert flagged >= 1 and f"{flagged} sentence(s) over 30 words" in text
    assert "simple.md:5: " in text
