"""Menus from the pages' headers (plugins/bilingual/menus.py): `Menu: 3`,
`Section: focus-areas 2`, `Footer: 1`; every mistake named by file and line."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from bilingual.menus import read_menus
from build import BuildError
from sitelib.errors import ContentError

from .conftest import build_fixture, soup_of

ticks = itertools.count(1_700_000_000)


def page_file(folder: Path, lang: str, name: str, key: str, *lines: str) -> SimpleNamespace:
    """A page as Pelican gives it to the plugin, from a real file (for its lines)."""
    path = folder / lang / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = [f"Title: {name}", f"Key: {key}", *lines, "Summary: Om siden."]
    path.write_text("\n".join(header) + "\n\nTekst.\n", encoding="utf-8")
    made = next(ticks)  # each file saved after the one before
    os.utime(path, (made, made))
    metadata = {"title": name, "key": key}
    for line in lines:
        field, _, value = line.partition(":")
        metadata[field.strip().lower()] = value.strip()
    return SimpleNamespace(source_path=str(path), metadata=metadata, key=key, slug=name)


def site(*pages: SimpleNamespace) -> dict[str, dict[str, SimpleNamespace]]:
    found: dict[str, dict[str, SimpleNamespace]] = {"nb": {}, "en": {}}
    for page in pages:
        found[Path(page.source_path).parent.name][page.key] = page
    return found


def test_places_give_the_order_and_a_section_starts_with_its_own_page(tmp_path):
    menus = read_menus(
        site(
            page_file(tmp_path, "nb", "kontakt", "contact", "Menu: 10", "Footer: 1"),
            page_file(tmp_path, "nb", "visjon", "vision", "Menu: 1", "Section: vision 1"),
            page_file(tmp_path, "nb", "historie", "history", "Section: vision 7"),
            page_file(tmp_path, "nb", "bakgrunn", "background", "Section: vision 3"),
            page_file(tmp_path, "nb", "personvern", "privacy", "Footer: 2"),
            page_file(tmp_path, "nb", "annet", "other"),
            page_file(tmp_path, "en", "history", "history"),  # follows the original
            page_file(tmp_path, "en", "contact", "contact", "Menu: 10", "Footer: 1"),
            page_file(tmp_path, "nb", "tilgjengelighet", "accessibility"),
            page_file(tmp_path, "en", "accessibility", "accessibility", "Footer: 5"),
        ),
        "nb",
    )
    assert menus.menu == ["vision", "contact"]
    assert menus.footer == ["contact", "privacy", "accessibility"]  # a line in either file
    assert menus.sections == {"vision": ["vision", "background", "history"]}


BAD = [
    pytest.param(
        [("nb", "om", "about", "Menu: tre")],
        "om.md:3",
        "'tre' is not a whole number",
        "`Menu: 3`",
        id="menu place not a number",
    ),
    pytest.param(
        [("nb", "om", "about", "Footer: 0")],
        "om.md:3",
        "not a whole number",
        "from 1 up",
        id="footer place zero",
    ),
    pytest.param(
        [("nb", "om", "about", "Section: about 1"), ("nb", "ny", "new", "Section: about 2.5")],
        "ny.md:3",
        "not a whole number",
        "`Section: about 2`",
        id="section place not a number",
    ),
    pytest.param(
        [("nb", "om", "about", "Section: about 1"), ("nb", "ny", "new", "Section: about")],
        "ny.md:3",
        "needs two things",
        "`Section: about 2`",
        id="section without a place",
    ),
    pytest.param(
        [("nb", "om", "about", "Menu: 2"), ("nb", "ny", "new", "Menu: 2")],
        "ny.md:3",
        "place 2 in the main menu is also taken by",
        "another number",
        id="two pages with one menu place",
    ),
    pytest.param(
        [("nb", "om", "about", "Footer: 1"), ("nb", "ny", "new", "Footer: 1")],
        "ny.md:3",
        "place 1 in the footer is also taken by",
        "another number",
        id="two pages with one footer place",
    ),
    pytest.param(
        [
            ("nb", "om", "about", "Section: about 1"),
            ("nb", "a", "a", "Section: about 2"),
            ("nb", "b", "b", "Section: about 2"),
        ],
        "b.md:3",
        "place 2 in the section 'about' is also taken by",
        "another number",
        id="two pages with one section place",
    ),
    pytest.param(
        [
            ("nb", "satsingsomrader", "focus-areas"),
            ("nb", "ny", "new", "Section: satsingsomrader 2"),
        ],
        "ny.md:3",
        "names no page: no nb page has `Key: satsingsomrader`",
        "did you mean `Section: focus-areas` (the Key of",
        id="section named by the file name, not the Key",
    ),
    pytest.param(
        [("nb", "om", "about"), ("nb", "ny", "new", "Section: abuot 2")],
        "ny.md:3",
        "names no page",
        "did you mean `Section: about`?",
        id="section with a misspelt Key",
    ),
    pytest.param(
        [("nb", "om", "about", "Menu: 1"), ("en", "about", "about", "Menu: 2")],
        "en/about.md:3",
        "`Menu: 2` disagrees with the other language: ",
        "make the line the same in both files, or keep it in one of them only",
        id="translation in another menu place",
    ),
    pytest.param(
        [
            ("nb", "om", "about", "Section: about 1"),
            ("nb", "ny", "new", "Section: about 2"),
            ("en", "new", "new", "Section: new 2"),
        ],
        "en/new.md:3",
        "says `Section: about 2`",
        "the same in both files",
        id="translation in another section",
    ),
    pytest.param(
        [("nb", "om", "about"), ("nb", "ny", "new", "Section: about 2")],
        "om.md:2",
        "not in its own section menu",
        "`Section: about 1`",
        id="section's own page not in its section",
    ),
    pytest.param(
        [("nb", "om", "about", "Section: about 3"), ("nb", "ny", "new", "Section: about 2")],
        "ny.md:3",
        "comes before the section's own page",
        "give it the lowest number",
        id="section's own page not first",
    ),
]


@pytest.mark.parametrize(("pages", "where", "problem", "fix"), BAD)
def test_each_mistake_names_file_line_and_how_to_fix_it(tmp_path, pages, where, problem, fix):
    made = [page_file(tmp_path, lang, name, key, *lines) for lang, name, key, *lines in pages]
    with pytest.raises(ContentError) as caught:
        read_menus(site(*made), "nb")
    message = str(caught.value)  # in the file's language
    assert f"{where}: " in message, message
    assert {"nb": "Slik retter du:", "en": "How to fix:"}[caught.value.lang] in message
    english = caught.value.said("en")
    assert problem in english.split("\n  How to fix: ")[0]
    assert fix in english.split("\n  How to fix: ")[1]


# Through the build, as staff edit the pages -------------------------------------


def add_header_lines(path: Path, *lines: str) -> None:
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text("\n".join([first, *lines, rest]), encoding="utf-8")


def section_links(page: Path) -> list[tuple[str, str]]:
    return [
        (a.get_text(strip=True), a["href"]) for a in soup_of(page).select(".kbt-section-nav__link")
    ]


def test_a_page_joins_a_section_menu_in_both_languages_by_its_header(fixture_content, tmp_path):
    """A new page and its translation: the Norwegian header puts it in the
    section; the English file needs no line of its own."""
    add_header_lines(fixture_content / "pages/nb/om.md", "Section: about 1")
    (fixture_content / "pages/nb/bli-med.md").write_text(
        "Title: Bli med\nKey: join\nSection: about 2\nSummary: Slik blir du med.\n\nTekst.\n",
        encoding="utf-8",
    )
    (fixture_content / "pages/en/join.md").write_text(
        "Title: Join us\nKey: join\nSummary: How to join.\n\nText.\n", encoding="utf-8"
    )
    output = build_fixture(fixture_content, tmp_path / "output")
    for page, own, new in (
        ("om/index.html", ("Om", "/om/"), ("Bli med", "/bli-med/")),
        ("en/about/index.html", ("About", "/en/about/"), ("Join us", "/en/join/")),
        ("en/join/index.html", ("About", "/en/about/"), ("Join us", "/en/join/")),
    ):
        assert section_links(output / page) == [own, new], page
    current = soup_of(output / "en/join/index.html").select_one(".kbt-section-nav [aria-current]")
    assert current.get_text(strip=True) == "Join us"


def test_a_new_main_menu_place_moves_the_page_in_both_languages(fixture_content, tmp_path):
    before = build_fixture(fixture_content, tmp_path / "before")
    for name, old, new in (
        ("en/about.md", "Menu: 1", "Menu: 3"),
        ("nb/nyheter.md", "Menu: 2", "Menu: 1"),
    ):
        path = fixture_content / "pages" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    after = build_fixture(fixture_content, tmp_path / "after")
    for page in ("index.html", "en/index.html"):
        old = [a["href"] for a in soup_of(before / page).select(".kbt-menu__link")]
        new = [a["href"] for a in soup_of(after / page).select(".kbt-menu__link")]
        assert new == list(reversed(old)) and len(new) == 2


def test_a_menu_mistake_stops_the_build_with_file_and_line(fixture_content, tmp_path):
    (fixture_content / "pages/nb/bli-med.md").write_text(
        "Title: Bli med\nKey: join\nSummary: Slik blir du med.\nMenu: 1\n\nTekst.\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as caught:
        build_fixture(fixture_content, tmp_path / "output")
    message = str(caught.value)
    assert "bli-med.md:4: `Menu: 1`: " in message and "about.md" in message
    assert "Slik retter du:" in message  # a Norwegian file: the message is in Norwegian
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("name", ["BILINGUAL_MENU", "BILINGUAL_SECTIONS", "BILINGUAL_FOOTER"])
def test_a_retired_menu_setting_is_named_not_ignored(fixture_content, tmp_path, name):
    with pytest.raises(BuildError, match=f"{name} is no longer read"):
        build_fixture(fixture_content, tmp_path / "output", **{name: []})
