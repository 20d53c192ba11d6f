"""LIX and its sentences (plugins/readability/lix.py): pure functions."""

from __future__ import annotations

import pytest

from readability.lix import analyse, blocks, is_long, lix, words_of

HEADER = "Title: Prøve\nKey: test\nSummary: Ikke brødtekst, ikke telt med.\n\n"


def sentence_texts(markdown: str) -> list[str]:
    return [s.text for s in analyse(HEADER + markdown).sentences]


@pytest.mark.parametrize(
    ("words", "sentences", "long_words", "expected"),
    [
        (10, 2, 5, 5 + 50),
        (30, 1, 0, 30),
        (0, 0, 0, 0),
        (7, 0, 0, 0),
    ],
)
def test_lix_is_words_per_sentence_plus_the_share_of_long_words(
    words, sentences, long_words, expected
):
    assert lix(words, sentences, long_words) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("word", "long"),
    [
        ("hjelpe", False),  # six letters
        ("hjelper", True),  # seven
        ("2009–2010", False),  # digits are no letters
        ("26.11.2011", False),
        ("ACT-team", True),  # the hyphen is no letter, seven letters remain
        ("Øyvind", False),
        ("Ørskogs", True),
    ],
)
def test_a_long_word_has_more_than_six_letters(word, long):
    assert is_long(word) is long


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Vi flyttet 26.11.2011 til Trondheim.",
            ["Vi", "flyttet", "26.11.2011", "til", "Trondheim"],
        ),
        ("helse- og rusarbeid", ["helse", "og", "rusarbeid"]),
        ("KS' læringsnettverk", ["KS", "læringsnettverk"]),
        ("12–25 år", ["12", "25", "år"]),
        ("kl. 10:30, 1,5 timer", ["kl", "10:30", "1,5", "timer"]),
        ("Mental Helse Sør-Trøndelag", ["Mental", "Helse", "Sør-Trøndelag"]),
        ("– … ( ) «»", []),
    ],
)
def test_words_are_letters_and_digits_with_their_joins(text, words):
    assert words_of(text) == words


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        # Abbreviations end no sentence
        (
            "Vi jobber med f.eks. kommuner. Det går bra.",
            ["Vi jobber med f.eks. kommuner.", "Det går bra."],
        ),
        (
            "Han var ved St. Olavs hospital. Nå ikke.",
            ["Han var ved St. Olavs hospital.", "Nå ikke."],
        ),
        ("We work with e.g. Trondheim. It works.", ["We work with e.g. Trondheim.", "It works."]),
        ("Vi møtes kl. 11 i dag. Velkommen.", ["Vi møtes kl. 11 i dag.", "Velkommen."]),
        # ... far into a long paragraph, and a long word chain that ends in one
        (
            "Ord " * 40 + "f.eks. kommuner. Det går bra.",
            ["Ord " * 40 + "f.eks. kommuner.", "Det går bra."],
        ),
        (
            "Se " + "a." * 40 + "f.eks. Det går bra.",
            ["Se " + "a." * 40 + "f.eks.", "Det går bra."],
        ),
        # Numbers and dates
        (
            "Stiftet 26.11.2011 på Ersgard. Så flyttet vi.",
            ["Stiftet 26.11.2011 på Ersgard.", "Så flyttet vi."],
        ),
        ("Den 26. november 2011 ble KBT stiftet.", ["Den 26. november 2011 ble KBT stiftet."]),
        ("Det var i 2011. 500 brukere deltok.", ["Det var i 2011.", "500 brukere deltok."]),
        # Other terminal marks, and a colon before a list of words
        ("Hvorfor? Fordi det virker! Ja.", ["Hvorfor?", "Fordi det virker!", "Ja."]),
        ("Ett mål: bedre tjenester.", ["Ett mål:", "bedre tjenester."]),
        # Quotes: marks inside them end no sentence
        (
            "Brukt i «Se meg! – En helhetlig rusmiddelpolitikk». Det var bra.",
            ["Brukt i «Se meg! – En helhetlig rusmiddelpolitikk».", "Det var bra."],
        ),
        ('He said "Stop. Now." Then he left.', ['He said "Stop. Now."', "Then he left."]),
        # A sentence without a full stop ends with its block
        ("Ingen punktum her", ["Ingen punktum her"]),
        ("www.kbtmidt.no er adressen.", ["www.kbtmidt.no er adressen."]),
    ],
)
def test_sentences_split_at_their_ends_only(markdown, expected):
    assert sentence_texts(markdown) == expected


def test_headings_list_items_and_table_cells_each_end_a_sentence():
    markdown = (
        "## Slik arbeider vi\n\nVi har fire mål:\n\n- bedre tjenester\n- mer kunnskap\n"
        "1. første\n2. andre\n\n| Norsk | Engelsk |\n| --- | --- |\n| bruker | user |\n"
    )
    assert sentence_texts(markdown) == [
        "Slik arbeider vi",
        "Vi har fire mål:",
        "bedre tjenester",
        "mer kunnskap",
        "første",
        "andre",
        "Norsk",
        "Engelsk",
        "bruker",
        "user",
    ]
    kinds = [block.kind for block in blocks(HEADER + markdown)]
    assert kinds[:4] == ["heading", "paragraph", "item", "item"]
    assert kinds[-1] == "cell"


def test_block_quotes_and_the_header_are_not_body_text():
    markdown = (
        "Vi spurte brukerne.\n\n> Et veldig langt sitat som vi ikke skal skrive om, fordi\n"
        "det er brukerens egne ord.\n\nSå svarte vi."
    )
    assert sentence_texts(markdown) == ["Vi spurte brukerne.", "Så svarte vi."]


def test_timeline_fields_under_a_heading_are_not_text():
    markdown = "## 2011: Stiftet\nThemes: organisation\nLink: bsb\n\nKBT ble stiftet.\n"
    assert sentence_texts(markdown) == ["2011: Stiftet", "KBT ble stiftet."]


def test_markup_links_images_and_code_are_reduced_to_their_text():
    markdown = (
        "Les [om oss]({filename}om.md), se ![et bilde](images/x.jpg) og "
        "**dette** i `koden` <span>her</span> <https://example.org>.\n\n"
        "```\nkode. Ikke tekst.\n```\n"
    )
    assert sentence_texts(markdown) == ["Les om oss, se og dette i koden her ."]


def test_lines_point_at_the_sentence_in_the_file():
    markdown = "Første setning.\nAndre setning på neste linje.\n\n- Et punkt\n"
    report = analyse(HEADER + markdown)
    first_body_line = HEADER.count("\n") + 1
    assert [s.line for s in report.sentences] == [
        first_body_line,
        first_body_line + 1,
        first_body_line + 3,
    ]


def test_words_in_quotation_marks_do_not_make_a_sentence_long():
    quoted = " ".join(["ord"] * 40)
    report = analyse(HEADER + f"Hun sa «{quoted}» i går.\n\n" + " ".join(["ord"] * 31) + ".")
    first, second = report.sentences
    assert first.words == 44 and first.own_words == 4
    assert report.over(30) == [second]
    assert report.longest(1) == [second]


def test_a_report_adds_up_its_sentences():
    report = analyse(HEADER + "Korte ord. Lengre setninger inneholder vanskeligere ord.")
    assert report.words == 2 + 5
    assert report.long_words == 0 + 3
    assert report.lix == pytest.approx(7 / 2 + 100 * 3 / 7)


def test_an_empty_text_has_lix_zero():
    assert analyse(HEADER).lix == 0
    assert analyse("").sentences == []
