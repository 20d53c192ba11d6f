"""Full builds of a tiny site with a timeline in both languages."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build import BuildError, build_site
from pelicanconf import TIMELINE_THEMES

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "timeline"
SETTINGS = {
    "TIMEZONE": "UTC",
    # The fixture carries <script> in a title and a body to prove the timeline
    # escapes it; the safety plugin would (rightly) stop such a build first,
    # which tests/test_safety_build.py covers.
    "SAFETY_CHECK_HTML": False,
}
NB = "pages/nb/tidslinje.md"


def build(content: Path, output: Path) -> Path:
    return build_site(ROOT / "pelicanconf.py", output, {**SETTINGS, "PATH": str(content)})


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(FIXTURE, tmp_path_factory.mktemp("timeline") / "output")


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def milestones(page: BeautifulSoup):
    """The milestones of a timeline page, in the order of the page."""
    return page.select(".kbt-timeline__list .kbt-timeline__item")


def milestone_id(item) -> str:
    """A milestone's one anchor: the id of its heading."""
    return item.select_one(".kbt-timeline__heading")["id"]


def test_the_timeline_is_an_ordered_list_with_times(site):
    page = soup(site / "tidslinje/index.html")
    items = milestones(page)
    assert [milestone_id(li) for li in items] == ["1997", "2006", "2006-2010", "2015"]
    first = items[0]
    heading = first.select_one(".kbt-timeline__heading")
    assert heading.time["datetime"] == "1997"
    assert "Første brukermøte" in heading.get_text()
    ranged = items[2].select_one(".kbt-timeline__heading").find_all("time")
    assert [t["datetime"] for t in ranged] == ["2006", "2010"]
    assert items[2].select_one(".kbt-timeline__when").get_text(" ", strip=True) == "2006 – 2010"
    assert first.img["alt"] == "Et brukermøte"
    assert first.select_one(".kbt-timeline__related a")["href"] == "/bsb/"
    assert [t.get_text() for t in items[3].select(".kbt-timeline__theme")] == [
        "Bruker Spør Bruker",
        "Barn og unge",
    ]


@pytest.mark.parametrize("path", ["tidslinje/index.html", "en/timeline/index.html"])
def test_one_anchor_per_milestone_everywhere(site, path):
    page = soup(site / path)
    items = milestones(page)
    ids = [milestone_id(li) for li in items]
    for item, ident in zip(items, ids, strict=True):
        # the item is named by its heading; the only other id is the old #…-title
        assert item["aria-labelledby"] == ident
        extra = [e["id"] for e in item.select("[id]") if e["id"] != ident]
        assert f"{ident}-title" in extra
        assert not [e for e in item.select(f'[id="{ident}-title"]') if e.get_text(strip=True)]
    overview = page.select(".kbt-timeline__overview a")
    assert sorted(a["href"] for a in overview) == sorted(f"#{i}" for i in ids)
    data = json.loads((site / path.replace("index.html", "timeline.json")).read_text("utf-8"))
    assert [m["url"].rsplit("#", 1)[1] for m in data["milestones"]] == ids


def test_search_indexes_the_milestones_not_the_overview_or_controls(site):
    page = soup(site / "tidslinje/index.html")
    for selector in (".kbt-timeline__bar", ".kbt-timeline__controls", ".kbt-timeline__export"):
        assert page.select_one(selector).has_attr("data-pagefind-ignore"), selector
    assert not page.select(".kbt-timeline__list [data-pagefind-ignore]:not(.kbt-heading-anchor)")


def test_anchors_are_the_same_in_both_languages(site):
    nb = [milestone_id(li) for li in milestones(soup(site / "tidslinje/index.html"))]
    en = [milestone_id(li) for li in milestones(soup(site / "en/timeline/index.html"))]
    assert nb == en


@pytest.mark.parametrize("path", ["tidslinje/index.html", "en/timeline/index.html"])
def test_the_overview_has_one_equal_cell_per_year(site, path):
    page = soup(site / path)
    years = [int(li["data-year"]) for li in page.select(".kbt-timeline__year")]
    starts = [int(li.time["datetime"]) for li in milestones(page)]
    assert years == list(range(min(starts), years[-1] + 1))
    assert years[-1] >= max(starts)
    for cell in page.select(".kbt-timeline__year"):
        # every link sits in the cell of the year its milestone starts
        for link in cell.select("a"):
            target = page.find(id=link["href"][1:])
            assert int(target.time["datetime"]) == int(cell["data-year"])
        # a year without a mark of its own is drawing only
        assert bool(cell.select("a")) == (cell.get("aria-hidden") != "true")


def test_periods_group_their_milestones(site):
    page = soup(site / "tidslinje/index.html")
    periods = page.select(".kbt-timeline__period")
    assert periods, "the fixture has a period"
    for period in periods:
        heading = period.select_one(".kbt-timeline__period-heading")
        times = [int(t["datetime"]) for t in heading.find_all("time")]
        start, end = times[0], (times[1] if len(times) > 1 else 9999)
        inside = [int(li.time["datetime"]) for li in period.select(".kbt-timeline__item")]
        assert inside and all(start <= year <= end for year in inside)
    outside = [
        int(li.time["datetime"])
        for li in milestones(page)
        if not li.find_parent(class_="kbt-timeline__period")
    ]
    assert all(year < 2006 for year in outside)
    assert "i dag" in page.select_one("#period-2006").get_text()
    band = page.select(".kbt-timeline__band--first")
    assert len(band) == len(periods)


def test_a_quote_is_shown_with_its_source_as_text(site):
    quote = soup(site / "tidslinje/index.html").select_one(".kbt-timeline__quote")
    assert quote.blockquote.get_text(strip=True) == "Vi ble hørt <b>endelig</b>."
    assert quote.figcaption.get_text(strip=True) == "En ungdom <script>"
    assert not quote.find("b") and not quote.find("script")


@pytest.mark.parametrize(
    ("path", "lang"), [("tidslinje/index.html", "nb"), ("en/timeline/index.html", "en")]
)
def test_filter_options_count_their_milestones(site, path, lang):
    page = soup(site / path)
    items = milestones(page)
    options = page.select(".kbt-timeline__filter option")
    assert options[0]["value"] == "" and options[0].get_text().endswith(f"({len(items)})")
    assert {o["value"] for o in options[1:]} == {
        theme for li in items for theme in li["data-themes"].split()
    }
    for option in options[1:]:
        count = sum(option["value"] in li["data-themes"].split() for li in items)
        assert option.get_text() == f"{option['data-name']} ({count})"
        assert option["data-name"] == TIMELINE_THEMES[option["value"]][lang]


def test_controls_wait_for_javascript_and_strings_are_translated(site):
    page = soup(site / "tidslinje/index.html")
    root = page.select_one('[data-module="timeline"]')
    assert root["data-status-theme"] == "Viser {count} av {total} milepæler om {theme}"
    assert root["data-status-all"] == "Viser alle {total} milepæler"
    assert root["data-label-more"] == "Vis mer"
    en_root = soup(site / "en/timeline/index.html").select_one('[data-module="timeline"]')
    assert en_root["data-status-theme"] == "Showing {count} of {total} milestones about {theme}"
    for button in page.select(".kbt-timeline__step"):
        assert button.select_one(".kbt-visually-hidden").get_text() in (
            "Forrige milepæl",
            "Neste milepæl",
        )


def test_no_inline_script_or_style(site):
    for path in site.rglob("*.html"):
        page = soup(path)
        assert all(
            s.has_attr("src") for s in page.select('script:not([type="application/ld+json"])')
        ), path
        assert not page.find_all("style"), path
        assert not page.select("[style]"), path


@pytest.mark.parametrize(
    ("page", "json_path", "lang"),
    [
        ("tidslinje/index.html", "tidslinje/timeline.json", "nb"),
        ("en/timeline/index.html", "en/timeline/timeline.json", "en"),
    ],
)
def test_json_export(site, page, json_path, lang):
    link = soup(site / page).find("link", type="application/json")
    assert link["href"] == f"/{json_path}"
    raw = (site / json_path).read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw
    data = json.loads(raw)
    assert data["lang"] == lang
    assert [m["id"] for m in data["milestones"]] == ["1997", "2006", "2006-2010", "2015"]
    assert [p["id"] for p in data["periods"]] == ["period-2006"]
    assert (data["periods"][0]["start"], data["periods"][0]["end"]) == (2006, None)
    assert [m["period"] for m in data["milestones"]] == [None, *["period-2006"] * 3]
    assert data["milestones"][3]["quote"]["text"].startswith(
        ("Vi ble hørt <b>", "We were heard <b>")
    )
    assert data["milestones"][0]["quote"] is None
    ranged = data["milestones"][2]
    assert (ranged["start"], ranged["end"], ranged["label"]) == (2006, 2010, "2006–2010")
    assert data["milestones"][0]["url"].endswith("#1997")
    image_url = data["milestones"][0]["image"]["url"]
    assert image_url.startswith("/images/") and image_url != "/images/brukermote.png"
    assert (site / image_url.lstrip("/")).is_file()  # a published variant, not the original
    assert '<script>alert("x")</script>' in data["milestones"][3]["title"]
    assert "&lt;script&gt;" in data["milestones"][3]["body_html"]


def test_a_milestone_image_is_a_responsive_picture(site):
    item = soup(site / "tidslinje/index.html").find(id="1997").find_parent("li")
    picture = item.find("picture")
    assert picture is not None and picture.find("source")
    img = picture.find("img")
    assert img["alt"] and img["width"] and img["height"]
    assert not (site / "images/brukermote.png").exists()  # originals stay private


def test_script_in_a_title_stays_text(site):
    for path in ("tidslinje/index.html", "en/timeline/index.html", "index.html", "en/index.html"):
        html = (site / path).read_text(encoding="utf-8")
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html
        scripts = soup(site / path).select('script:not([type="application/ld+json"])')
        # only the theme's own files (the <head> script and the modules), nothing inline
        assert scripts and all(s["src"].startswith("/theme/") and not s.string for s in scripts)


def test_home_page_teaser_links_to_the_latest_milestones(site):
    links = soup(site / "index.html").select(".kbt-timeline-teaser__link")
    assert [a["href"] for a in links] == [
        "/tidslinje/#2015",
        "/tidslinje/#2006-2010",
        "/tidslinje/#2006",
    ]
    en_links = soup(site / "en/index.html").select(".kbt-timeline-teaser__link")
    assert en_links[0]["href"] == "/en/timeline/#2015"
    assert "Se tidslinjen fra 1997 til i dag" in (site / "index.html").read_text("utf-8")


def test_timeline_script_and_styles_stay_small():
    theme = ROOT / "theme" / "assets"
    parts = (theme / "js/timeline.js").read_bytes() + (
        theme / "css/components/timeline.css"
    ).read_bytes()
    assert len(gzip.compress(parts, 9)) <= 8 * 1024


def test_the_bundles_contain_the_timeline(site):
    css = next((site / "theme").glob("site.*.css")).read_text("utf-8")
    js = next((site / "theme").glob("site.*.js")).read_text("utf-8")
    assert ".kbt-timeline__list" in css
    assert 'data-module="timeline"' in js


# Bad content stops the build and leaves the earlier output as it was ----------------------


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD = [
    pytest.param(
        NB,
        "## 1997: Første brukermøte",
        "## Første brukermøte",
        8,
        "Første brukermøte",
        id="no-year",
    ),
    pytest.param(NB, "## 1997:", "## 199x:", 8, "'199x'", id="malformed-year"),
    pytest.param(NB, "## 2006-10:", "## 2010-06:", 18, "'2010-06'", id="backwards-range"),
    pytest.param(NB, "Id: 2006", "Id: 1997", 24, "'1997'", id="duplicate-id"),
    pytest.param(NB, "Themes: research", "Themes: cooking", 19, "'cooking'", id="unknown-theme"),
    pytest.param(
        NB,
        "Image: images/brukermote.png",
        "Image: images/borte.png",
        10,
        "'images/borte.png'",
        id="missing-image",
    ),
    pytest.param(NB, "Link: bsb", "Link: nowhere", 12, "`Link: nowhere`", id="unknown-link"),
    pytest.param(NB, "Id: 2006", "Id: 2006-start", 23, "'2006-start'", id="one-language-only"),
]


@pytest.mark.parametrize(("file", "old", "new", "line", "problem"), BAD)
def test_bad_content_stops_the_build(content, tmp_path, site, file, old, new, line, problem):
    output = tmp_path / "output"
    shutil.copytree(site, output)
    before = (output / "tidslinje/index.html").read_bytes()
    replace(content / file, old, new)
    with pytest.raises(BuildError) as caught:
        build(content, output)
    message = str(caught.value)
    assert f"{file}:{line}: " in message
    assert problem in message  # what the file says there, in any language
    assert "Slik retter du:" in message  # about a Norwegian file, in Norwegian
    assert (output / "tidslinje/index.html").read_bytes() == before
    assert not list(tmp_path.glob(".output.new-*"))
