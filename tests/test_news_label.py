"""The home page's news block: "Latest news" while the newest item is at most a
year old when the site is built, "From the archive" once it is older."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

import pelicanconf
from pelicanconf import is_recent

from .conftest import build_fixture, soup_of

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
YEAR = timedelta(days=pelicanconf.NEWS_RECENT_DAYS)
LABELS = {"nb": ("Siste nytt", "Fra arkivet"), "en": ("Latest news", "From the archive")}


@pytest.mark.parametrize(
    ("age", "recent"),
    [
        (timedelta(0), True),
        (timedelta(days=30), True),
        (YEAR, True),
        (YEAR + timedelta(seconds=1), False),
        (timedelta(days=10 * 365), False),
        (-timedelta(days=1), True),  # dated ahead: not history
    ],
)
def test_an_item_is_recent_for_a_year(age, recent):
    assert is_recent(NOW - age, now=NOW) is recent


def date_all_news(content, date: str) -> None:
    for path in content.glob("news/*/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^Date: .*$", f"Date: {date}", text, flags=re.M), encoding="utf-8")


def labels(output) -> dict[str, str]:
    found = {}
    for lang, home in (("nb", output / "index.html"), ("en", output / "en" / "index.html")):
        heading = soup_of(home).select_one("#latest-news")
        found[lang] = heading.find(string=True, recursive=False).strip()
    return found


@pytest.mark.parametrize("recent", [True, False], ids=["news under a year old", "only old news"])
def test_the_home_page_labels_the_news_block_by_the_age_of_the_newest_item(
    fixture_content, tmp_path, recent
):
    today = datetime.now(UTC).date()
    newest = today - timedelta(days=10) if recent else today - YEAR - timedelta(days=2)
    date_all_news(fixture_content, newest.isoformat())
    for home in ("pages/nb/forside.md", "pages/en/home.md"):
        path = fixture_content / home
        path.write_text("Template: home\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    found = labels(build_fixture(fixture_content, tmp_path / "output"))
    for lang, (latest, archive) in LABELS.items():
        assert found[lang] == (latest if recent else archive), found
