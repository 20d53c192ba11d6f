"""A page as `invoke new-page` left it (a placeholder, or a summary that only
repeats the title) stops the build, with file, line and how to fix it."""

from __future__ import annotations

import pytest

from bilingual.checks import PLACEHOLDERS, ContentError, check_unfinished
from build import BuildError
from tools.scaffold import plan, write

from .conftest import build_fixture

FINISHED = "Title: Bli med\nKey: join\nSummary: Slik blir du frivillig hos oss.\n\nTekst.\n"


def test_a_finished_page_passes():
    check_unfinished("p.md", FINISHED)


@pytest.mark.parametrize("lang", sorted(PLACEHOLDERS))
@pytest.mark.parametrize("what", ["text", "summary"])
def test_a_placeholder_in_either_language_is_named_with_its_line(lang, what):
    text = FINISHED.replace("Tekst.", f"Tekst.\n\n{PLACEHOLDERS[lang][what]}")
    with pytest.raises(ContentError) as caught:
        check_unfinished("p.md", text)
    assert caught.value.line == 7
    assert PLACEHOLDERS[lang][what] in caught.value.problem


@pytest.mark.parametrize("summary", ["Bli med", "Bli med.", "bli  MED!", "  Bli med …"])
def test_a_summary_that_repeats_the_title(summary):
    text = FINISHED.replace("Slik blir du frivillig hos oss.", summary)
    with pytest.raises(ContentError, match="only repeats the title") as caught:
        check_unfinished("p.md", text)
    assert caught.value.line == 3 and "summary" in caught.value.fix


def test_a_page_left_as_made_stops_the_build_and_a_draft_does_not(fixture_content, tmp_path):
    nb, en = plan(fixture_content, "page", "Bli med", "nb", ["nb", "en"])
    write([nb, en])  # the English one is a draft: not published, not checked
    with pytest.raises(BuildError) as caught:
        build_fixture(fixture_content, tmp_path / "output")
    message = str(caught.value)
    assert "pages/nb/bli-med.md:3:" in message and PLACEHOLDERS["nb"]["summary"] in message
    assert "Slik retter du:" in message
    text = nb.path.read_text(encoding="utf-8")
    text = text.replace(PLACEHOLDERS["nb"]["summary"], "Bli med")
    nb.path.write_text(text.replace(PLACEHOLDERS["nb"]["text"], "Vi trenger deg."))
    with pytest.raises(BuildError, match=r"pages/nb/bli-med.md:3: `Summary:`"):
        build_fixture(fixture_content, tmp_path / "output")
    nb.path.write_text(nb.path.read_text().replace("Summary: Bli med", "Summary: Bli frivillig."))
    output = build_fixture(fixture_content, tmp_path / "output")
    assert (output / "bli-med/index.html").exists()
