"""The timeline parser and its checks: pure functions, no build."""

from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import TimelineError, load_timelines, parse_timeline
from timeline.parser import (
    check_images,
    check_links,
    check_pairs,
    markdown_renderer,
    overview,
    parse_when,
    to_json,
)

THEMES = {
    "bsb": {"nb": "Bruker Spør Bruker", "en": "User Interviews User"},
    "research": {"nb": "Forskning", "en": "Research"},
}
HEADER = "Title: Tidslinje\nKey: timeline\nTemplate: timeline\n\n"
PATH = "content/pages/nb/tidslinje.md"


@contextmanager
def fails_saying(pattern: str):
    """The block raises a TimelineError whose English message matches ``pattern``
    (it is said in the file's language; test_bad_input_names_file_line_and_fix
    checks that a Norwegian file gets Norwegian)."""
    with pytest.raises(TimelineError) as caught:
        yield
    assert re.search(pattern, caught.value.said("en")), caught.value.said("en")


RENDER = markdown_renderer(
    {
        "extension_configs": {
            "markdown.extensions.extra": {},
            "markdown.extensions.sane_lists": {},
            "markdown.extensions.toc": {},
        },
        "output_format": "html5",
    }
)


def parse(body: str, lang: str = "nb", path: str = PATH):
    return parse_timeline(HEADER + body, path, lang, THEMES, RENDER)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``needle`` in HEADER + text."""
    return (HEADER + text).split("\n").index(needle) + 1


# Good input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "ident", "start", "end", "label"),
    [
        ("## 1997: Start", "1997", 1997, None, "1997"),
        ("## 2006–2010: Vekst", "2006-2010", 2006, 2010, "2006–2010"),
        ("## 2006-2010: Vekst", "2006-2010", 2006, 2010, "2006–2010"),
        ("## 2006-10: Vekst", "2006-2010", 2006, 2010, "2006–2010"),
        ("## 2006 – 10: Vekst", "2006-2010", 2006, 2010, "2006–2010"),
        ("##  2022 :  Konferanse: del 2 ##", "2022", 2022, None, "2022"),
    ],
)
def test_a_heading_gives_years_id_and_title(heading, ident, start, end, label):
    timeline = parse(f"Intro.\n\n{heading}\n\nTekst.\n")
    (milestone,) = timeline.milestones
    assert (milestone.id, milestone.start, milestone.end, milestone.label) == (
        ident,
        start,
        end,
        label,
    )
    assert milestone.title.startswith(("Start", "Vekst", "Konferanse"))
    assert str(milestone.body_html) == "<p>Tekst.</p>"
    assert str(timeline.intro_html) == "<p>Intro.</p>"


def test_fields_under_the_heading():
    timeline = parse(
        "## 1997: Start\nThemes: bsb, research\nImage: images/a.jpg\nAlt: Et møte\n"
        "Link: bsb\nId: start\n\nThemes: this is body text.\n"
    )
    (m,) = timeline.milestones
    assert m.id == "start"
    assert m.themes == ["bsb", "research"]
    assert (m.image, m.alt, m.link) == ("images/a.jpg", "Et møte", "bsb")
    assert "Themes: this is body text." in m.body_html
    assert m.field_lines == {"themes": 6, "image": 7, "alt": 8, "link": 9, "id": 10}


def test_milestones_are_sorted_and_the_teaser_takes_the_latest():
    timeline = parse("## 2013: C\n\n## 1997: A\n\n## 2006-10: B2\n\n## 2006: B1\n")
    assert [m.id for m in timeline.milestones] == ["1997", "2006", "2006-2010", "2013"]
    assert [m.id for m in timeline.latest(3)] == ["2013", "2006-2010", "2006"]
    assert timeline.latest(0) == []


PERIODS = (
    "## 2011–: Stiftelsen\nType: period\n\nKort tekst.\n\n"
    "## 1997-2000: Piloten\nType: period\n\n"
    "## 1997: A\n\n## 2003: Mellom\n\n## 2012: C\n\n## 2000: B\n"
)


def test_periods_group_the_milestones_of_their_years():
    timeline = parse(PERIODS)
    assert [(p.id, p.start, p.end, p.label) for p in timeline.periods] == [
        ("period-1997", 1997, 2000, "1997–2000"),
        ("period-2011", 2011, None, "2011–"),
    ]
    assert str(timeline.periods[1].body_html) == "<p>Kort tekst.</p>"
    groups = [(p and p.id, [m.id for m in ms]) for p, ms in timeline.groups()]
    assert groups == [
        ("period-1997", ["1997", "2000"]),
        (None, ["2003"]),
        ("period-2011", ["2012"]),
    ]
    # every milestone appears once, in order
    assert [m for _p, ms in timeline.groups() for m in ms] == timeline.milestones


def test_a_period_must_exist_with_the_same_years_in_both_languages():
    en_path = "content/pages/en/timeline.md"
    nb = parse(PERIODS)
    with fails_saying("period 'period-2011'.*missing in en"):
        check_pairs([nb, parse(PERIODS.split("\n\n", 2)[2], "en", en_path)])
    with fails_saying("the years 1997–2000 here but 1997–1999"):
        check_pairs([nb, parse(PERIODS.replace("1997-2000", "1997-1999"), "en", en_path)])
    check_pairs([nb, parse(PERIODS, "en", en_path)])


@pytest.mark.parametrize(
    "body",
    [
        PERIODS,
        "## 2001-05: A\n\n## 2003-08: B\n\n## 2004: C\n\n## 2006-09: D\n\n## 2004: E\nId: e\n",
        "## 1990-2030: Lang\n\n## 1995: Kort\n",
    ],
)
def test_the_overview_puts_every_milestone_at_its_years_once(body):
    timeline = parse(body)
    cells = overview(timeline, 2026)
    years = [cell.year for cell in cells]
    first = min(m.start for m in timeline.milestones)
    last = max([2026, *(m.end or m.start for m in timeline.milestones)])
    assert years == list(range(first, last + 1))
    marked = []
    for cell in cells:
        marked += [m.id for m in cell.points]
        assert all(m.start == cell.year and not m.end for m in cell.points)
        assert len(cell.lanes) == len(cells[0].lanes)  # the lanes line up across years
        for segment in filter(None, cell.lanes):
            assert segment.entry.start <= cell.year <= segment.entry.end
            assert segment.first == (cell.year == segment.entry.start)
            assert segment.last == (cell.year == segment.entry.end)
            if segment.first:
                marked.append(segment.entry.id)
        if cell.period:
            assert cell.period.entry.start <= cell.year <= (cell.period.entry.end or last)
        assert cell.empty == (not cell.points and not any(s and s.first for s in cell.lanes))
    assert sorted(marked) == sorted(m.id for m in timeline.milestones)
    # ranges that share years never share a lane
    ranges = [m for m in timeline.milestones if m.end]
    lane = {s.entry.id: i for c in cells for i, s in enumerate(c.lanes) if s and s.first}
    for a in ranges:
        for b in ranges:
            if a is not b and a.start <= b.end and b.start <= a.end:
                assert lane[a.id] != lane[b.id]


def test_a_quote_with_its_source():
    body = "## 1997: A\nQuote: Vi ble hørt <endelig>.\nQuote_source: En bruker\n\nTekst.\n"
    (m,) = parse(body).milestones
    assert (m.quote, m.quote_source) == ("Vi ble hørt <endelig>.", "En bruker")
    assert str(m.body_html) == "<p>Tekst.</p>"


def test_a_heading_in_a_code_block_is_body_text():
    timeline = parse("## 1997: A\n\n```\n## 1998: not a milestone\n```\n")
    assert len(timeline.milestones) == 1
    assert "## 1998" in timeline.milestones[0].body_html


def test_the_real_pages_parse_pair_and_run_in_order():
    """Properties of the real timeline, whatever milestones staff add: both
    languages have the same milestones under the same anchors, in time order."""
    from pathlib import Path

    from pelicanconf import TIMELINE_THEMES

    root = Path(__file__).resolve().parent.parent
    nb_path = root / "content/pages/nb/tidslinje.md"
    en_path = root / "content/pages/en/timeline.md"
    nb = parse_timeline(nb_path.read_text("utf-8"), str(nb_path), "nb", TIMELINE_THEMES)
    en = parse_timeline(en_path.read_text("utf-8"), str(en_path), "en", TIMELINE_THEMES)
    check_pairs([nb, en])
    assert nb.milestones, "the real timeline has no milestone"
    ids = [m.id for m in nb.milestones]
    assert ids == [m.id for m in en.milestones]
    assert len(set(ids)) == len(ids)
    starts = [m.start for m in nb.milestones]
    assert starts == sorted(starts)


# Bad input: each names the file and the line -------------------------------------------


BAD = [
    pytest.param("## Uten år\n\nTekst.\n", "## Uten år", "has no year", id="no-year"),
    pytest.param("## 97: Kort år\n", "## 97: Kort år", "is malformed", id="short-year"),
    pytest.param("## 19x7: Feil\n", "## 19x7: Feil", "is malformed", id="malformed-year"),
    pytest.param("## 2010-2006: Baklengs\n", "## 2010-2006: Baklengs", "ends", id="backwards"),
    pytest.param("## 2006-05: Baklengs\n", "## 2006-05: Baklengs", "ends", id="backwards-short"),
    pytest.param("## 2006-2006: Samme\n", "## 2006-2006: Samme", "ends", id="empty-range"),
    pytest.param("## 2006:\n", "## 2006:", "no title", id="no-title"),
    pytest.param(
        "## 2006: A\n\n## 2006: B\n",
        "## 2006: B",
        "already used by the milestone on line 5",
        id="duplicate-id",
    ),
    pytest.param(
        "## 2006: A\nId:   x\n\n## 2007: B\nId: x\n",
        "Id: x",
        "already used",
        id="duplicate-explicit",
    ),
    pytest.param(
        "## 2006: A\nThemes: bsb, cooking\n",
        "Themes: bsb, cooking",
        "unknown theme 'cooking'",
        id="unknown-theme",
    ),
    pytest.param(
        "## 2006: A\nThemes: bsb, bsb\n", "Themes: bsb, bsb", "listed twice", id="theme-twice"
    ),
    pytest.param("## 2006: A\nTema: bsb\n", "Tema: bsb", "unknown line `Tema:`", id="bad-field"),
    pytest.param(
        "## 2006: A\nImage: images/a.jpg\n",
        "Image: images/a.jpg",
        "no text alternative",
        id="image-without-alt",
    ),
    pytest.param(
        "## 2006: A\nId: Store Bokstaver\n", "Id: Store Bokstaver", "lowercase", id="bad-id"
    ),
    pytest.param("## 2006: A\nLink: Om oss\n", "Link: Om oss", "not the Key", id="bad-link"),
    pytest.param("## 2011–: Åpen\n", "## 2011–: Åpen", "is malformed", id="open-milestone"),
    pytest.param("## 2006: A\nType: epoke\n", "Type: epoke", "not a known type", id="bad-type"),
    pytest.param(
        "## 2006: A\nQuote: Et sitat.\n", "Quote: Et sitat.", "no source", id="quote-no-source"
    ),
    pytest.param(
        "## 2006: A\nQuote_source: En bruker\n",
        "Quote_source: En bruker",
        "no quote",
        id="source-no-quote",
    ),
    pytest.param(
        "## 1997–2000: P\nType: period\nThemes: bsb\n\n## 1997: A\n",
        "Themes: bsb",
        "does not belong under a period",
        id="field-under-period",
    ),
    pytest.param(
        "## 1997–2000: P\nType: period\n\n## 1999–: Q\nType: period\n\n## 1997: A\n",
        "## 1999–: Q",
        "overlaps the period 1997–2000",
        id="overlapping-periods",
    ),
    pytest.param(
        "## 2006–: P\nType: period\n\n## 2011–: Q\nType: period\n\n## 2006: A\n",
        "## 2011–: Q",
        "overlaps",
        id="open-period-not-last",
    ),
    pytest.param(
        "## 1997–2000: P\nType: period\n\n"
        "## 1997–2000: Q\nType: period\nId: period-1997\n\n## 1998: A\n",
        "Id: period-1997",
        "already used",
        id="duplicate-period-id",
    ),
]


@pytest.mark.parametrize(("body", "line", "problem"), BAD)
def test_bad_input_names_file_line_and_fix(body, line, problem):
    with pytest.raises(TimelineError) as caught:
        parse(body)
    error = caught.value
    assert error.path == PATH
    assert error.line == line_of(body, line)
    assert problem in error.said("en")
    message = str(error)  # in the language of the file: Norwegian
    assert message.startswith(f"{PATH}:{error.line}: ")
    assert "\n  Slik retter du: " in message


def test_a_page_without_milestones_is_an_error():
    with fails_saying("no milestones"):
        parse("Bare en intro.\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1997", (1997, None)), ("1998-02", None), ("1995-99", (1995, 1999)), ("١٩٩٧", None)],
)
def test_parse_when(text, expected):
    if expected is None:
        with pytest.raises(TimelineError):
            parse_when(text, PATH, 3)
    else:
        assert parse_when(text, PATH, 3) == expected


def test_a_missing_image_names_its_line():
    body = "## 1997: A\nImage: images/none.jpg\nAlt: Et bilde\n"
    timeline = parse(body)
    with pytest.raises(TimelineError) as caught:
        check_images(timeline, lambda name: False)
    assert caught.value.line == line_of(body, "Image: images/none.jpg")
    assert "does not exist" in caught.value.said("en")
    check_images(timeline, lambda name: name == "images/none.jpg")


def test_an_unknown_link_names_its_line():
    body = "## 1997: A\nLink: nowhere\n"
    timeline = parse(body)
    with pytest.raises(TimelineError) as caught:
        check_links(timeline, {"bsb", "home"})
    assert caught.value.line == line_of(body, "Link: nowhere")
    check_links(timeline, {"nowhere"})


def test_a_milestone_in_one_language_only():
    nb = parse("## 1997: A\n\n## 2013: B\n")
    en_path = "content/pages/en/timeline.md"
    en = parse("## 1997: A\n", lang="en", path=en_path)
    with pytest.raises(TimelineError) as caught:
        check_pairs([nb, en])
    assert caught.value.path == PATH
    assert caught.value.line == line_of("## 1997: A\n\n## 2013: B\n", "## 2013: B")
    assert "missing in en" in caught.value.said("en")
    assert en_path in caught.value.problem
    with fails_saying("missing in nb"):
        check_pairs([parse("## 1997: A\n"), parse("## 1997: A\n## 2014: C\n", "en", en_path)])


def test_themes_must_match_across_languages():
    nb = parse("## 1997: A\nThemes: bsb\n")
    en = parse("## 1997: A\nThemes: research\n", lang="en", path="en.md")
    with fails_saying("same `Themes:`"):
        check_pairs([nb, en])


# What the plugin logs --------------------------------------------------------------------


def fake_page(tmp_path, name, lang, text):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return SimpleNamespace(source_path=str(path), lang=lang, template="timeline", key="timeline")


def test_load_timelines_logs_what_it_read(tmp_path, caplog):
    pages = [
        fake_page(tmp_path, "nb.md", "nb", "## 1997: A\n"),
        fake_page(tmp_path, "en.md", "en", "## 1997: A\n"),
        SimpleNamespace(source_path="x.md", lang="nb", template="page", key="x"),
    ]
    with caplog.at_level(logging.DEBUG, logger="timeline"):
        found = load_timelines(pages, {"TIMELINE_THEMES": THEMES, "PATH": str(tmp_path)}, set())
    assert sorted(found) == ["en", "nb"]
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("timeline")]
    assert any("read 1 milestones from" in m and "nb.md" in m for m in messages)


def test_load_timelines_logs_the_error_and_stops(tmp_path, caplog):
    pages = [
        fake_page(tmp_path, "nb.md", "nb", "## 1997: A\n\n## 2013: B\n"),
        fake_page(tmp_path, "en.md", "en", "## 1997: A\n"),
    ]
    # After a build in this process Pelican's fatal logger raises RuntimeError
    # once the error is logged; on its own the plugin raises TimelineError.
    with (
        caplog.at_level(logging.ERROR, logger="timeline"),
        pytest.raises((TimelineError, RuntimeError)),
    ):
        load_timelines(pages, {"TIMELINE_THEMES": THEMES, "PATH": str(tmp_path)}, set())
    (record,) = [r for r in caplog.records if r.name.startswith("timeline")]
    assert record.levelno == logging.ERROR
    assert f"{tmp_path / 'nb.md'}:7: the milestone '2013'" in record.getMessage()
    assert "How to fix:" in record.getMessage()


# Properties ------------------------------------------------------------------------------


fragments = st.sampled_from(
    [
        "## ",
        "##",
        "# ",
        "\n",
        "\n\n",
        ":",
        "-",
        "–",
        "1997",
        "2006",
        "10",
        "Themes: ",
        "Id: ",
        "Image: ",
        "Alt: ",
        "Link: ",
        "bsb",
        ", ",
        "<script>",
        "</script>",
        "```",
        "Title: x\n",
        "*",
        "[a](b)",
        "&",
        "\r",
        "\x00",
        " ",
    ]
)
texts = st.one_of(st.text(), st.lists(st.one_of(fragments, st.text(max_size=5))).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_arbitrary_text_raises_only_timeline_error(text):
    try:
        timeline = parse_timeline(text, PATH, "nb", THEMES, RENDER)
    except TimelineError as error:
        assert str(error).startswith(PATH)
        return
    for milestone in timeline.milestones:
        assert "<script" not in milestone.body_html.lower()
        assert "<script" not in milestone.title_html.lower()


unsafe = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20)


@settings(max_examples=150, deadline=None)
@given(unsafe, unsafe, st.sampled_from(["<script>", "</script>", "<SCRIPT src=x>", "</script >"]))
def test_script_stays_text_in_html_and_json(before, after, tag):
    title = f"{before}{tag}{after}".replace("\n", " ").strip() or tag
    title = title.replace(":", "")  # the first colon ends the years
    text = f"## 1997: {title}\n\nBody {before} {tag} {after}\n"
    try:
        timeline = parse_timeline(text, PATH, "nb", THEMES, RENDER)
    except TimelineError:
        return  # e.g. a title that is only whitespace
    (milestone,) = timeline.milestones
    html = str(milestone.title_html) + str(milestone.body_html)
    assert "<script" not in html.lower()
    assert "</script" not in html.lower()
    data = to_json({"title": milestone.title, "body": str(milestone.body_html)})
    assert "<" not in data and ">" not in data
    assert json.loads(data)["title"] == milestone.title
