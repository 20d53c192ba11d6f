"""Properties of the site's own texts: readable Norwegian, and one home per text."""

from __future__ import annotations

from collections import defaultdict

import pytest
from pelican.settings import read_settings

import readability

from .conftest import ROOT

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
RESULTS = [
    readability.measure_file(path, lang, SETTINGS)
    for path, lang in readability.content_files(SETTINGS)
]
REPEATED_WORDS = 8  # a sentence this long or longer is said in one place only


def test_every_text_is_measured_in_both_languages():
    langs = {m.lang for m in RESULTS}
    assert langs == set(SETTINGS["BILINGUAL_LANGUAGES"])
    assert all(m.report.words for m in RESULTS)


@pytest.mark.parametrize(
    "measured", [m for m in RESULTS if m.limit is not None], ids=lambda m: readability.shown(m.path)
)
def test_every_text_with_a_limit_is_under_it(measured):
    assert not measured.over_limit, str(readability.problem(measured, SETTINGS))


def test_norwegian_has_a_limit():
    assert SETTINGS["READABILITY_LIMITS"].get(SETTINGS["DEFAULT_LANG"])


@pytest.mark.parametrize("lang", sorted(SETTINGS["BILINGUAL_LANGUAGES"]))
def test_no_long_sentence_stands_word_for_word_on_two_pages(lang):
    places = defaultdict(list)
    for measured in RESULTS:
        if measured.lang != lang:
            continue
        for sentence in measured.report.sentences:
            if sentence.words >= REPEATED_WORDS:
                places[sentence.text].append(f"{readability.shown(measured.path)}:{sentence.line}")
    repeated = {text: where for text, where in places.items() if len(set(where)) > 1}
    assert not repeated, "Give each text one home and link to it from the others: " + "; ".join(
        f"{' and '.join(where)}: {text[:60]}…" for text, where in repeated.items()
    )
