"""The glossary (docs/ordliste.md): English pages use only its term for each entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from readability.lix import blocks

from .conftest import ROOT

GLOSSARY = ROOT / "docs" / "ordliste.md"
CONTENT = ROOT / "content"
KEY = re.compile(r"^Key:\s*(\S+)", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    norwegian: str
    english: str
    avoid: tuple[str, ...]


def read_glossary(text: str) -> list[Entry]:
    """The rows of the glossary's table: Norsk | English | Ikke (not) | note."""
    entries = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 3:
            continue
        if cells[0] in ("Norsk", "") or set(cells[0]) <= set("-: "):
            continue
        avoid = tuple(v.strip() for v in cells[2].split(";") if v.strip())
        entries.append(Entry(cells[0], cells[1], avoid))
    return entries


def normal(text: str) -> str:
    """Lower case, one kind of apostrophe, hyphens and line breaks as spaces."""
    text = text.lower().replace("’", "'").replace("-", " ")
    return " ".join(text.split())


def body(path: Path) -> str:
    return normal(" ".join(block.text for block in blocks(path.read_text(encoding="utf-8"))))


def uses(text: str, term: str) -> int:
    """How often ``term`` (normalised) starts a word, in any inflected form."""
    return len(re.findall(rf"(?<!\w){re.escape(normal(term))}", text))


def uses_exactly(text: str, phrase: str) -> bool:
    """``phrase`` as whole words (a plural s allowed)."""
    return re.search(rf"(?<!\w){re.escape(normal(phrase))}s?(?!\w)", text) is not None


def files(lang: str) -> list[Path]:
    return sorted(CONTENT.glob(f"*/{lang}/*.md"))


def pairs() -> list[tuple[Path, Path]]:
    english = {}
    for path in files("en"):
        key = KEY.search(path.read_text(encoding="utf-8"))
        english[key[1]] = path
    found = []
    for path in files("nb"):
        key = KEY.search(path.read_text(encoding="utf-8"))
        if key and key[1] in english:
            found.append((path, english[key[1]]))
    return found


ENTRIES = read_glossary(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_is_a_table_of_terms_with_one_english_term_each():
    assert len(ENTRIES) >= 20
    norwegian = [normal(e.norwegian) for e in ENTRIES]
    assert len(norwegian) == len(set(norwegian)), "a Norwegian term is listed twice"
    for entry in ENTRIES:
        assert entry.english and ";" not in entry.english, entry
        for variant in entry.avoid:
            assert normal(variant) != normal(entry.english), entry


@pytest.mark.parametrize("path", files("en"), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_english_pages_use_no_word_the_glossary_rules_out(path):
    text = body(path)
    wrong = []
    for entry in ENTRIES:
        # The agreed term may contain a ruled-out one ("alcohol and drug policy")
        rest = re.sub(rf"(?<!\w){re.escape(normal(entry.english))}", " ", text)
        wrong += [f"{v!r} (use {entry.english!r})" for v in entry.avoid if uses_exactly(rest, v)]
    assert not wrong, f"{path.relative_to(ROOT)} uses {', '.join(wrong)}; see docs/ordliste.md"


@pytest.mark.parametrize(
    ("nb", "en"), pairs(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}"
)
def test_a_translation_uses_the_glossary_term_for_each_norwegian_term(nb, en):
    norwegian, english = body(nb), body(en)
    # A Norwegian name kept in the translation ("Landsforeningen for Pårørende")
    # needs no English term; every other use of the Norwegian term does.
    missing = [
        f"{e.norwegian!r} -> {e.english!r}"
        for e in ENTRIES
        if uses(norwegian, e.norwegian) > uses(english, e.norwegian)
        and not uses(english, e.english)
    ]
    assert not missing, (
        f"{en.relative_to(ROOT)} lacks the English term of {', '.join(missing)}, "
        f"which {nb.relative_to(ROOT)} uses; see docs/ordliste.md"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("| Norsk | English | Ikke (not) | note |\n| --- | --- | --- | --- |\n", []),
        ("| fagskole | vocational school | vocational college; college | x |", ["fagskole"]),
        ("Not a table row", []),
    ],
)
def test_reading_the_glossary(text, expected):
    assert [e.norwegian for e in read_glossary(text)] == expected
    if expected:
        assert read_glossary(text)[0].avoid == ("vocational college", "college")
