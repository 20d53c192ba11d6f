"""Staff tasks: new pages with their untranslated stubs, and the translation report."""

from __future__ import annotations

import datetime as dt

import pytest

from tools.scaffold import plan, slugify, write
from tools.translations import content_problems

from .conftest import build_fixture, soup_of
from .tooling import git as run_git


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Brukermedvirkning for barn og unge", "brukermedvirkning-for-barn-og-unge"),
        ("Bruker Spør Bruker: 20 år!", "bruker-spor-bruker-20-ar"),
        ("Ærlig talt – økt åpenhet", "aerlig-talt-okt-apenhet"),
        ("  News  ", "news"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_refuses_an_empty_name():
    with pytest.raises(ValueError, match="no usable file name"):
        slugify("!!!")


def test_new_article_is_dated_and_paired_with_a_draft(fixture_content, tmp_path):
    files = plan(
        fixture_content, "article", "Ny fagskole", "nb", ["nb", "en"], today=dt.date(2026, 3, 4)
    )
    write(files)
    nb, en = (f.path for f in files)
    assert nb == fixture_content / "news/nb/ny-fagskole.md"
    assert "Date: 2026-03-04\n" in nb.read_text()
    assert "Status: draft\n" in en.read_text() and "Key: ny-fagskole\n" in en.read_text()
    output = build_fixture(fixture_content, tmp_path / "output")
    assert (output / "nyheter/ny-fagskole/index.html").exists()
    assert not (output / "en/news/ny-fagskole").exists()
    switch = soup_of(output / "nyheter/ny-fagskole/index.html").select_one(".kbt-lang a")
    assert switch["href"] == "/en/"
    problems = content_problems(fixture_content, ["nb", "en"], "nb")
    assert any("'ny-fagskole' is an untranslated stub" in p for p in problems)


def test_plan_refuses_to_overwrite(fixture_content):
    with pytest.raises(FileExistsError):
        plan(fixture_content, "page", "Om", "nb", ["nb", "en"])


def test_report_finds_missing_and_outdated_translations(fixture_content):
    problems = content_problems(fixture_content, ["nb", "en"], "nb")
    assert "page 'only-nb' has no en version (pages/en/)" in problems

    def git(*args, date=""):
        run_git(fixture_content, *args, date=date)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first", date="2024-01-01T10:00:00")
    (fixture_content / "pages/nb/om.md").write_text(
        (fixture_content / "pages/nb/om.md").read_text() + "\nMer tekst.\n"
    )
    git("commit", "-qam", "update the source", date="2024-02-01T10:00:00")
    problems = content_problems(fixture_content, ["nb", "en"], "nb")
    assert (
        "content/pages/en/about.md: older than its source content/pages/nb/om.md (changed since)"
        in problems
    )
