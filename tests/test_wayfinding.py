"""Wayfinding (plugins/wayfinding/, issue #20): breadcrumbs, contents lists,
last-updated dates and the crisis-help box; soft hyphens (plugins/hyphenate/)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import html_files, soup_of

from hyphenate import SOFT_HYPHEN, hyphenate  # isort: skip
from wayfinding import Crumb, breadcrumb_list, git_dates, h2_headings, last_updated  # isort: skip
from wayfinding import wayfinding as wayfinding_module  # isort: skip

# Unit tests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<h2 id="a">A</h2><p>x</p><h2 id="b">B <em>c</em></h2>', [("a", "A"), ("b", "B c")]),
        ('<h2>No id</h2><h3 id="c">Not h2</h3>', []),
        ('<h2 id="x">R&amp;D\n  work</h2>', [("x", "R&D work")]),
        ("", []),
    ],
)
def test_h2_headings(html, expected):
    assert h2_headings(html) == expected


@pytest.mark.parametrize(
    ("html", "count"),
    [
        ("".join(f'<h2 id="s{n}">S {n}</h2><p>x</p>' for n in range(4)), 4),
        ("".join(f'<H2\n id="s{n}">S {n}</H2>' for n in range(5)), 5),
        ("".join(f'<h2 id="s{n}">S {n}</h2>' for n in range(3)), 0),
        ('<h2 id="a">A</h2><h2>B</h2><h2>C</h2><h2 id="d">D</h2>', 0),
        ("<h20>x</h20>" * 4, 0),
    ],
)
def test_contents_lists_pages_with_enough_h2_headings(html, count):
    from types import SimpleNamespace

    helper = wayfinding_module.Wayfinding({"WAYFINDING_CONTENTS_MIN": 4}, bilingual=None)
    content = SimpleNamespace(source_path="page.md", content=html)
    found = helper.contents(content)
    assert len(found) == count
    assert found == (h2_headings(html) if count else [])


def test_breadcrumb_list_numbers_the_trail():
    trail = [Crumb("Forside", "https://x.no/"), Crumb("Nyheter", "https://x.no/nyheter/")]
    data = breadcrumb_list(trail)
    assert data["@type"] == "BreadcrumbList"
    items = data["itemListElement"]
    assert [i["position"] for i in items] == [1, 2]
    assert [i["item"] for i in items] == ["https://x.no/", "https://x.no/nyheter/"]
    assert items[1]["name"] == "Nyheter"


@pytest.mark.parametrize(
    ("dictionary", "word"),
    [("nb_NO", "Tilgjengelighetserklæring"), ("en_GB", "Accessibility")],
)
def test_long_words_get_soft_hyphens_and_short_ones_none(dictionary, word):
    text = hyphenate(f"Om {word}", dictionary, 12)
    assert text.replace(SOFT_HYPHEN, "") == f"Om {word}"
    assert text.count(SOFT_HYPHEN) >= 2
    assert not text.startswith(f"O{SOFT_HYPHEN}")
    assert hyphenate(word, dictionary, len(word) + 1) == word


def git(folder: Path, *args: str, date: str | None = None) -> None:
    """git without any user or system configuration (the tests must not read them)."""
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    wayfinding_module.reset()
    folder = tmp_path / "site"
    (folder / "pages").mkdir(parents=True)
    git(folder, "init", "-q")
    (folder / "pages" / "old.md").write_text("Title: Old\n", encoding="utf-8")
    (folder / "pages" / "søk.md").write_text("Title: Søk\n", encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "first", date="2021-03-04T12:00:00+00:00")
    (folder / "pages" / "søk.md").write_text("Title: Søk!\n", encoding="utf-8")
    git(folder, "commit", "-q", "-am", "second", date="2023-05-06T12:00:00+00:00")
    yield folder
    wayfinding_module.reset()


def test_hyphenated_words_are_kept_for_the_next_build_by_pyphen_version(tmp_path, monkeypatch):
    import importlib
    from types import SimpleNamespace

    module = importlib.import_module("hyphenate.hyphenate")
    title = "Tilgjengelighetserklæring og brukermedvirkningsprosjekter"
    monkeypatch.setattr(module, "_words", {})
    fresh = hyphenate(title, "nb_NO", 12)
    assert fresh.count(SOFT_HYPHEN) >= 4
    module.save_words(SimpleNamespace(settings={"CACHE_PATH": str(tmp_path)}))
    kept = tmp_path / module.CACHE_FILE
    assert kept.is_file()
    # The next build (a new process: no words, no dictionary loaded) takes them from the cache
    monkeypatch.setattr(module, "_words", {})
    module.dictionary.cache_clear()
    module.load_words(kept)
    assert hyphenate(title, "nb_NO", 12) == fresh
    assert module.dictionary.cache_info().currsize == 0
    # Words kept by another version of Pyphen are hyphenated again
    monkeypatch.setattr(module, "_words", {})
    monkeypatch.setattr(module, "cache_version", lambda: "pyphen 0.0")
    module.load_words(kept)
    assert module._words == {}
    assert hyphenate(title, "nb_NO", 12) == fresh
    assert module.dictionary.cache_info().currsize == 1


def test_last_updated_is_the_date_of_the_files_last_commit(repo):
    assert last_updated(repo / "pages" / "old.md") == dt.date(2021, 3, 4)
    assert last_updated(repo / "pages" / "søk.md") == dt.date(2023, 5, 6)


def test_git_is_asked_once_for_the_whole_content_folder(repo, monkeypatch):
    (repo / "news").mkdir()
    (repo / "news" / "item.md").write_text("Title: Item\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "third", date="2024-01-02T12:00:00+00:00")
    asked = []
    real = wayfinding_module.git_dates
    monkeypatch.setattr(wayfinding_module, "git_dates", lambda f: asked.append(f) or real(f))
    assert last_updated(repo / "pages" / "old.md", root=repo) == dt.date(2021, 3, 4)
    assert last_updated(repo / "pages" / "søk.md", root=repo) == dt.date(2023, 5, 6)
    assert last_updated(repo / "news" / "item.md", root=repo) == dt.date(2024, 1, 2)
    assert asked == [repo.resolve()]


def test_a_file_with_changes_not_committed_is_dated_by_its_modification(repo):
    (repo / "pages" / "old.md").write_text("Title: Changed\n", encoding="utf-8")
    (repo / "pages" / "new.md").write_text("Title: New\n", encoding="utf-8")
    today = dt.date.today()
    assert last_updated(repo / "pages" / "old.md") in (today, today - dt.timedelta(days=1))
    assert last_updated(repo / "pages" / "new.md") in (today, today - dt.timedelta(days=1))


def test_outside_git_there_is_no_date(tmp_path):
    wayfinding_module.reset()
    page = tmp_path / "page.md"
    page.write_text("Title: T\n", encoding="utf-8")
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    try:
        assert git_dates(tmp_path) is None
        assert last_updated(page) is None
        assert last_updated(page, use_git=False) is None
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling
        wayfinding_module.reset()


# The real site ----------------------------------------------------------------------


def pages_of(site: Path) -> list[tuple[Path, object]]:
    return [
        (path, soup_of(path))
        for path in html_files(site)
        if "pagefind/" not in path.relative_to(site).as_posix()
    ]


@pytest.fixture(scope="module")
def pages(site):
    found = pages_of(site)
    assert len(found) > 20
    return found


def is_home(soup) -> bool:
    return any(
        json.loads(s.string).get("@type") == "Organization"
        for s in soup.find_all("script", type="application/ld+json")
    )


def test_every_page_but_home_has_breadcrumbs_matching_its_json_ld(pages):
    labels = {"nb": "Brødsmulesti", "en": "Breadcrumb"}
    for path, soup in pages:
        lang = soup.html["lang"]
        nav = soup.find("nav", attrs={"aria-label": labels[lang]})
        data = [
            json.loads(s.string)
            for s in soup.find_all("script", type="application/ld+json")
            if json.loads(s.string).get("@type") == "BreadcrumbList"
        ]
        if is_home(soup):
            assert nav is None and not data, path
            continue
        assert nav is not None, path
        crumbs = nav.find_all("li")
        assert len(crumbs) >= 2, path
        assert crumbs[-1].find(attrs={"aria-current": "page"}), path
        assert crumbs[-1].get_text(strip=True) in soup.h1.get_text(strip=True).replace(
            "\u00ad", ""
        ), path
        assert len(data) == 1, path
        names = [item["name"] for item in data[0]["itemListElement"]]
        assert names == [li.get_text(strip=True) for li in crumbs], path
        links = [a["href"] for a in nav.find_all("a")]
        assert [i["item"] for i in data[0]["itemListElement"]][:-1] == links, path


def test_a_news_article_marks_the_news_item_of_the_menu(pages):
    articles = [(p, s) for p, s in pages if s.select_one(".kbt-article__kicker a")]
    assert articles
    for path, soup in articles:
        news_url = soup.select_one(".kbt-article__kicker a")["href"]
        current = soup.select(".kbt-menu [aria-current]")
        assert [a["href"] for a in current] == [news_url], path
        assert current[0]["aria-current"] == "true"


def test_pages_with_four_or_more_sections_have_a_contents_list(pages):
    labels = {"nb": "Innhold på siden", "en": "On this page"}
    with_list = 0
    for path, soup in pages:
        prose = soup.select_one(".kbt-article .kbt-prose")
        if prose is None:
            continue
        sections = [h for h in prose.find_all("h2") if h.get("id")]
        nav = soup.select_one("nav.kbt-contents")
        if len(sections) >= 4:
            with_list += 1
            assert nav is not None, path
            assert nav["aria-label"] == labels[soup.html["lang"]], path
            assert [a["href"] for a in nav.find_all("a")] == [f"#{h['id']}" for h in sections]
        else:
            assert nav is None, path
    assert with_list >= 2


def test_pages_and_articles_say_when_they_were_last_updated(pages):
    labels = {"nb": "Sist oppdatert", "en": "Last updated"}
    dated = 0
    for path, soup in pages:
        line = soup.select_one(".kbt-updated")
        if line is None:
            continue
        dated += 1
        assert line.get_text(" ", strip=True).startswith(labels[soup.html["lang"]]), path
        day = dt.date.fromisoformat(line.time["datetime"])
        assert dt.date(2000, 1, 1) < day <= dt.date.today() + dt.timedelta(days=1), path
    assert dated > len(pages) // 2


def test_every_titled_page_has_the_same_header_and_last_updated_line(pages):
    """Pages, news items and the timeline alike: the H1 is the search result's
    title, the page address stands ready for print, and the date of the last
    change closes the page."""
    titled = [(p, s) for p, s in pages if s.select_one("main .kbt-article__header h1")]
    templates = set()
    for path, soup in titled:
        header = soup.select_one("main .kbt-article__header")
        title = header.h1.get_text().replace(SOFT_HYPHEN, "")
        assert header.h1["data-pagefind-meta"] == f"title:{title}", path
        canonical = soup.find("link", rel="canonical")
        if canonical is None:  # the 404 page, which has no address of its own
            continue
        assert header.get("data-print-url") == canonical["href"], path
        assert soup.select_one("main .kbt-article .kbt-updated time[datetime]"), path
        templates.add(soup.select_one("main article")["class"][-1])
    assert {"kbt-article", "kbt-timeline"} <= templates
    langs = {s.html["lang"] for p, s in titled if s.select_one("main .kbt-timeline")}
    assert langs == {"nb", "en"}


def test_long_words_of_every_heading_hold_soft_hyphens_but_ids_and_contents_none(pages):
    """Markdown's ## headings get the hyphens of titles; their ids, the contents
    list and the search index's titles keep the words whole."""
    long_word = re.compile(r"\w{14,}")
    softened = 0
    for path, soup in pages:
        for heading in soup.select("main :is(h1, h2, h3, h4)"):
            text = heading.get_text()
            assert not long_word.search(text), (path, text)
            softened += SOFT_HYPHEN in text
            assert SOFT_HYPHEN not in heading.get("id", ""), path
        for element in soup.select("[data-pagefind-meta]"):
            assert SOFT_HYPHEN not in element["data-pagefind-meta"], path
        for element in soup.select(".kbt-contents a, title"):
            assert SOFT_HYPHEN not in element.get_text(), path
    assert softened > 10


def test_help_in_a_crisis_is_in_every_footer_and_on_the_contact_page(pages, site):
    titles = {"nb": "Trenger du hjelp nå?", "en": "Need help now?"}
    numbers = None
    for path, soup in pages:
        boxes = soup.select(".kbt-crisis")
        footer_box = soup.select_one("footer .kbt-crisis")
        assert footer_box is not None, path
        assert footer_box.h2.get_text(strip=True) == titles[soup.html["lang"]], path
        links = footer_box.find_all("a")
        found = [(a["href"], a.get_text(strip=True)) for a in links]
        assert all(href == "tel:" + text.replace(" ", "") for href, text in found), path
        numbers = numbers or found
        assert found == numbers, path  # the same numbers on every page, in both languages
        assert len(boxes) <= 2
    assert len(numbers) == 3
    contact_pages = [s for _p, s in pages if s.select_one("main .kbt-crisis")]
    assert {s.html["lang"] for s in contact_pages} == {"nb", "en"}


def test_heading_anchors_are_named_in_the_page_language(pages):
    labels = {"nb": "Lenke til denne delen", "en": "Link to this section"}
    counted = 0
    for path, soup in pages:
        for anchor in soup.select(".kbt-heading-anchor"):
            counted += 1
            name = anchor.select_one(".kbt-visually-hidden").get_text()
            assert name == labels[soup.html["lang"]], path
            assert anchor.has_attr("data-pagefind-ignore"), path
    assert counted > 10
