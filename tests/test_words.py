"""Issue #22 ("words"): the content checks speak the file's language, Norwegian
header names are read in Norwegian files, links forgive (by Key, and with the
closest file or Key suggested), and file names follow the rule for slugs.

Each kind of message a staff member can cause is raised the way the build
raises it, about a Norwegian file and about an English one: the Norwegian one
says "Slik retter du", the English one "How to fix", both name the file and line,
and the two are not the same text.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bilingual import checks
from bilingual.bilingual import check_metadata
from build import BuildError
from images.images import require_alt
from readability import readability
from safety import sources
from sitelib.errors import ContentError
from sitelib.headers import FIELD_ALIASES, english_header
from sitelib.i18n import language_of
from timeline import parse_timeline

from .conftest import FIXTURE_SITE, build_fixture

LANGUAGES = {"nb": "Slik retter du:", "en": "How to fix:"}
HARD = (
    "Kompetansesenteret gjennomførte omfattende brukerinvolverende evalueringsprosjekter "
    "innenfor spesialisthelsetjenesten sammen med forskningsinstitusjonene, "
    "utdanningsinstitusjonene og brukerorganisasjonene, samtidig som tjenesteutviklingen "
    "kontinuerlig ble dokumentert, systematisert og formidlet gjennom omfattende "
    "rapporter, dialogkonferanser og fagutviklingsprosjekter i kommunehelsetjenesten.\n"
)


# One place decides the language ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("content/pages/nb/om.md", "nb"),
        ("/srv/site/content/news/nb/stiftet.md", "nb"),
        ("content/pages/en/about.md", "en"),
        ("content/news/en/founded.md", "en"),
        ("om.md", "en"),  # no language folder: English, the language of the code
        ("content/images/nb.png", "en"),
    ],
)
def test_the_language_of_a_message_is_the_language_folder_of_its_file(path, lang):
    assert language_of(path) == lang


# Every kind of message, in both languages ----------------------------------------------


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def header_field(root: Path, lang: str) -> tuple[Path, int]:
    path = write(root, f"pages/{lang}/a.md", "Title: A\nKey: a\nSumary: B\n\nText.\n")
    checks.check_fields(str(path), path.read_text(encoding="utf-8"))
    return path, 3


def missing_title(root: Path, lang: str) -> tuple[Path, None]:
    path = write(root, f"pages/{lang}/a.md", "Key: a\n\nText.\n")
    check_metadata(str(path), {"key": "a", "lang": lang}, {"nb": {}, "en": {}}, lang)
    return path, None


def broken_link(root: Path, lang: str) -> tuple[Path, int]:
    write(root, f"pages/{lang}/privacy.md", "Title: P\nKey: privacy\n\nText.\n")
    path = write(
        root, f"news/{lang}/a.md", "Title: A\nKey: a\n\nSee [this]({filename}privcy.md).\n"
    )
    sources.check_links(str(path), path.read_text(encoding="utf-8"), str(root), "images")
    return path, 4


def missing_alt_text(root: Path, lang: str) -> tuple[Path, int]:
    path = write(root, f"pages/{lang}/a.md", "Title: A\n\n![](images/x.jpg)\n")
    require_alt({"alt": ""}, "images/x.jpg", str(path), 3)
    return path, 3


def readability_limit(root: Path, lang: str) -> tuple[Path, int]:
    path = write(root, f"pages/{lang}/a.md", "Title: A\nKey: a\n\n" + HARD)
    settings = {"READABILITY_LIMITS": {lang: 50}, "READABILITY_MIN_WORDS": 0}
    readability.check([readability.measure_file(path, lang, settings)], settings)
    return path, 4


def timeline_milestone(root: Path, lang: str) -> tuple[Path, int]:
    path = write(root, f"pages/{lang}/timeline.md", "Title: T\nKey: timeline\n\n## 199x: A\n")
    parse_timeline(path.read_text(encoding="utf-8"), str(path), lang)
    return path, 4


def slug(root: Path, lang: str) -> tuple[Path, int]:
    path = write(root, f"pages/{lang}/a.md", "Title: A\nSlug: Om Oss\n\nText.\n")
    sources.check_address_value(str(path), 2, "slug", "Om Oss", ())
    return path, 2


def placeholder(root: Path, lang: str) -> tuple[Path, int]:
    text = checks.PLACEHOLDERS[lang]["text"]
    path = write(root, f"pages/{lang}/a.md", f"Title: A\nSummary: B c.\n\n{text}\n")
    checks.check_unfinished(str(path), path.read_text(encoding="utf-8"))
    return path, 4


def file_name(root: Path, lang: str) -> tuple[Path, None]:
    path = write(root, f"pages/{lang}/Bli med på Lademoen.md", "Title: A\n\nText.\n")
    sources.check_file_name(str(path))
    return path, None


KINDS: list[Callable] = [
    header_field,
    missing_title,
    broken_link,
    missing_alt_text,
    readability_limit,
    timeline_milestone,
    slug,
    placeholder,
    file_name,
]


@pytest.mark.parametrize("cause", KINDS, ids=lambda cause: cause.__name__)
def test_each_message_is_in_the_language_of_its_file(tmp_path, cause):
    said = {}
    for lang, how in LANGUAGES.items():
        root = tmp_path / lang
        with pytest.raises((ContentError, readability.ReadabilityError)) as caught:
            cause(root, lang)
        path, line = caught.value.path, caught.value.line
        message = str(caught.value)
        where = f"{Path(path).relative_to(root).as_posix()}:{line}: " if line else ": "
        assert where in message, message
        assert how in message, message
        assert LANGUAGES["nb" if lang == "en" else "en"] not in message, message
        said[lang] = message.split(": ", 1)[1]
    assert said["nb"] != said["en"]


def test_every_message_of_the_checks_has_its_norwegian_translation():
    from tools.i18n import po_path
    from tools.translations import _untranslated, tools_messages

    messages = {m for m in tools_messages() if m}
    assert "the page has no title." in messages  # the plugins' messages are extracted
    assert not _untranslated(po_path("nb"), "nb", messages)


# Norwegian header names --------------------------------------------------------------------


def test_the_table_maps_norwegian_names_onto_the_english_ones():
    lines = [
        "Tittel: Om oss",
        "Nøkkel: about",
        "Sammendrag: Hvem",
        "  vi er.",
        "Status: utkast",
        "Dato: 2011-11",
        "",
        "Tittel: text, not a field",
    ]
    assert english_header(lines) == [
        "Title: Om oss",
        "Key: about",
        "Summary: Hvem",
        "  vi er.",
        "Status: draft",
        "Date: 2011-11",
        "",
        "Tittel: text, not a field",
    ]
    aliases = FIELD_ALIASES["nb"]
    assert aliases["tittel"] == "title" and aliases["meny"] == "menu"


def page(lang: str = "nb", **fields: str) -> str:
    return "\n".join(f"{name}: {value}" for name, value in fields.items()) + "\n\nTekst.\n"


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, target)
    return target


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_norwegian_file_may_use_the_norwegian_header_names(content, tmp_path):
    (content / "pages/nb/om.md").write_text(
        "Tittel: Om KBT\nNøkkel: about\nMenytittel: Om\nSammendrag: Hvem vi er.\n\nTekst.\n",
        encoding="utf-8",
    )
    (content / "news/nb/stiftet.md").write_text(
        "Tittel: Stiftet\nNøkkel: founded\nDato: 2011-11\nSammendrag: En høst.\n\nTekst.\n",
        encoding="utf-8",
    )
    (content / "pages/nb/utkast.md").write_text(
        "Tittel: Ikke ennå\nNøkkel: not-yet\nSammendrag: Snart.\nStatus: utkast\n\nTekst.\n",
        encoding="utf-8",
    )
    output = build_fixture(content, tmp_path / "output")
    about = soup(output / "om/index.html")
    assert about.h1.get_text(strip=True) == "Om KBT"
    assert about.find("meta", attrs={"name": "description"})["content"] == "Hvem vi er."
    assert "Om" in [a.get_text(strip=True) for a in about.select("header nav a")]
    # the same Key pairs it with the English page
    assert about.find("link", hreflang="en")["href"].endswith("/en/about/")
    news = soup(output / "nyheter/stiftet/index.html")
    assert news.find("time")["datetime"] == "2011-11"  # read like Date:, to the month
    assert not (output / "ikke-enna").exists() and not (output / "utkast").exists()


def test_an_english_file_gets_the_english_name_suggested(content, tmp_path):
    (content / "pages/en/about.md").write_text(
        "Title: About\nKey: about\nSammendrag: Who we are.\n\nText.\n", encoding="utf-8"
    )
    with pytest.raises(BuildError) as caught:
        build_fixture(content, tmp_path / "output")
    message = str(caught.value)
    assert "pages/en/about.md:3: `Sammendrag:`" in message and "`Summary:`" in message
    assert "How to fix:" in message


def test_a_misspelt_field_is_named_before_the_missing_title(content, tmp_path):
    text = (content / "pages/nb/om.md").read_text(encoding="utf-8")
    (content / "pages/nb/om.md").write_text(text.replace("Title:", "Titel:"), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_fixture(content, tmp_path / "output")
    message = str(caught.value)
    assert "pages/nb/om.md:1: " in message and "`Titel:`" in message
    assert "`Tittel:` / `Title:`" in message and "Slik retter du:" in message


# Links that forgive ---------------------------------------------------------------------------


def test_a_link_by_key_leads_to_the_page_in_the_same_language(content, tmp_path):
    for path, text in [
        ("news/nb/stiftet.md", "Se [om oss]({key}about#main)."),
        ("news/en/founded.md", "See [about us]({key}about)."),
        ("pages/nb/om.md", "Les [nyhetene]({key}news)."),
    ]:
        page_file = content / path
        page_file.write_text(page_file.read_text(encoding="utf-8") + f"\n{text}\n", "utf-8")
    output = build_fixture(content, tmp_path / "output")
    nb = soup(output / "nyheter/stiftet/index.html").find("a", string="om oss")
    en = soup(output / "en/news/founded/index.html").find("a", string="about us")
    news = soup(output / "om/index.html").find("a", string="nyhetene")
    assert nb["href"] == "/om/#main"
    assert en["href"] == "/en/about/"
    assert news["href"] == "/nyheter/"


@pytest.mark.parametrize(("lang", "how"), LANGUAGES.items())
def test_an_unknown_key_names_file_line_and_the_closest_key(content, tmp_path, lang, how):
    path = content / ("news/nb/stiftet.md" if lang == "nb" else "news/en/founded.md")
    path.write_text(path.read_text(encoding="utf-8") + "\n[Om]({key}abuot)\n", "utf-8")
    line = path.read_text(encoding="utf-8").count("\n")
    with pytest.raises(BuildError) as caught:
        build_fixture(content, tmp_path / "output")
    message = str(caught.value)
    assert f"{path.relative_to(content).as_posix()}:{line}: " in message
    assert "`{key}about`" in message and how in message


def test_a_broken_file_link_in_a_news_item_suggests_the_page_and_its_key(content, tmp_path):
    path = content / "news/nb/stiftet.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n[Om]({filename}om.md)\n", "utf-8")
    with pytest.raises(BuildError) as caught:
        build_fixture(content, tmp_path / "output")
    message = str(caught.value)
    line = path.read_text(encoding="utf-8").count("\n")
    assert f"news/nb/stiftet.md:{line}: " in message and "Slik retter du:" in message
    assert "`{filename}../../pages/nb/om.md`" in message and "`{key}about`" in message
    assert "Unable to find" not in message


def test_a_misspelt_file_in_the_same_folder_is_suggested(content, tmp_path):
    path = content / "pages/en/about.md"
    text = path.read_text(encoding="utf-8").replace("news.md", "nwes.md")
    path.write_text(text, "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "nwes.md" in row)
    with pytest.raises(BuildError) as caught:
        build_fixture(content, tmp_path / "output")
    message = str(caught.value)
    assert f"pages/en/about.md:{line}: " in message
    assert "did you mean `{filename}news.md`?" in message


def test_the_staff_commands_read_the_norwegian_names_too(tmp_path):
    from tools.translations import read_header

    path = write(tmp_path, "pages/nb/a.md", "Tittel: A\nNøkkel: a\nStatus: utkast\n\nTekst.\n")
    assert read_header(path) == {"title": "A", "key": "a", "status": "draft"}
