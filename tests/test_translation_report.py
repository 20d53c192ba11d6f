"""The translation report as staff use it: uncommitted edits count, a translation
still marked as a draft is named, and a source change can be recorded as checked."""

from __future__ import annotations

import os
import time

import pytest

from tools.milestones import milestone_problems
from tools.translations import (
    CHECKED_FILE,
    check_off,
    content_problems,
    read_checked,
)

from .test_timeline_build import FIXTURE as TIMELINE_FIXTURE
from .tooling import git

LANGS = ["nb", "en"]
THEMES = ["bsb", "research", "children-youth"]


def committed(content):
    """``content`` as one commit of a new repository, dated long ago."""
    git(content, "init", "-q")
    git(content, "add", ".")
    git(content, "commit", "-qm", "first", date="2024-01-01T10:00:00")
    return content


def edit(path, old, new, *, seconds_ago=0):
    """Change ``old`` to ``new`` in ``path`` (uncommitted), saved ``seconds_ago``."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    when = time.time() - seconds_ago
    os.utime(path, (when, when))


def outdated(problems):
    return [p for p in problems if p.checked_as]


def test_an_uncommitted_edit_of_the_source_is_seen_before_it_is_committed(fixture_content):
    committed(fixture_content)
    assert outdated(content_problems(fixture_content, LANGS, "nb")) == []
    edit(fixture_content / "pages/nb/om.md", "Les ", "Les gjerne ")
    [problem] = outdated(content_problems(fixture_content, LANGS, "nb"))
    assert problem.where == "content/pages/en/about.md"
    assert problem.source == "content/pages/nb/om.md"
    # then the translation is edited too, later: nothing is outdated
    edit(fixture_content / "pages/nb/om.md", "gjerne", "gjerne", seconds_ago=60)
    edit(fixture_content / "pages/en/about.md", "Read ", "Do read ")
    assert outdated(content_problems(fixture_content, LANGS, "nb")) == []


def test_an_uncommitted_translation_is_newer_than_a_committed_source(fixture_content):
    committed(fixture_content)
    edit(fixture_content / "pages/nb/om.md", "Les ", "Les gjerne ")
    git(fixture_content, "commit", "-qam", "source", date="2024-02-01T10:00:00")
    assert len(outdated(content_problems(fixture_content, LANGS, "nb"))) == 1
    edit(fixture_content / "pages/en/about.md", "Read ", "Do read ")  # saved now, not committed
    assert outdated(content_problems(fixture_content, LANGS, "nb")) == []


def test_a_checked_change_is_recorded_and_a_new_change_is_reported_again(fixture_content):
    root = fixture_content.parent
    committed(fixture_content)
    source = fixture_content / "pages/nb/om.md"
    edit(source, "Les ", "Les: ")
    problems = content_problems(fixture_content, LANGS, "nb")
    [problem] = outdated(problems)
    assert "--checked content/pages/en/about.md" in problem.how()
    recorded = check_off(str(source), problems, root)  # the source's path names it too
    assert recorded == [problem]
    record = (root / CHECKED_FILE).read_text(encoding="utf-8")
    assert "content/pages/en/about.md " in record and record.startswith("#")
    assert outdated(content_problems(fixture_content, LANGS, "nb")) == []
    edit(source, "Les: ", "Les nå ")
    assert len(outdated(content_problems(fixture_content, LANGS, "nb"))) == 1


def test_the_line_the_report_suggests_can_be_added_by_hand(fixture_content):
    """In the browser there is no command: the line the report shows does the same."""
    root = fixture_content.parent
    committed(fixture_content)
    edit(fixture_content / "pages/nb/om.md", "Les ", "Les: ")
    [problem] = outdated(content_problems(fixture_content, LANGS, "nb"))
    line = problem.params["record"]
    assert line in problem.how()
    (root / CHECKED_FILE).write_text(f"# by hand\n{line}\n", encoding="utf-8")
    assert outdated(content_problems(fixture_content, LANGS, "nb")) == []


def test_checking_off_what_is_not_outdated_records_nothing(fixture_content):
    committed(fixture_content)
    problems = content_problems(fixture_content, LANGS, "nb")
    assert check_off("content/pages/en/about.md", problems, fixture_content.parent) == []
    assert not (fixture_content.parent / CHECKED_FILE).exists()


@pytest.mark.parametrize(
    ("extra", "flagged"),
    [
        ("Status: draft\n", True),
        ("Status: Draft\n", True),
        ("Status: draft\nTranslation_status: untranslated\n", False),  # a stub, said as such
        ("", False),
    ],
)
def test_a_translation_still_marked_as_a_draft_is_named(fixture_content, extra, flagged):
    about = fixture_content / "pages/en/about.md"
    about.write_text(about.read_text().replace("Key: about\n", "Key: about\n" + extra))
    problems = content_problems(fixture_content, LANGS, "nb")
    drafts = [p for p in problems if "Status: draft" in p.what()]
    if not flagged:
        assert drafts == []
        return
    [draft] = drafts
    assert (draft.where, draft.line) == ("content/pages/en/about.md", 3)
    assert "remove the line `Status: draft`" in draft.how()


def test_a_draft_in_the_default_language_is_no_translation_problem(fixture_content):
    om = fixture_content / "pages/nb/om.md"
    om.write_text(om.read_text().replace("Key: about\n", "Key: about\nStatus: draft\n"))
    assert not any("draft" in p.what() for p in content_problems(fixture_content, LANGS, "nb"))


@pytest.fixture
def timeline(tmp_path):
    import shutil

    target = tmp_path / "content"
    shutil.copytree(TIMELINE_FIXTURE, target)
    return committed(target)


def test_an_uncommitted_milestone_edit_is_seen_and_can_be_checked(timeline):
    nb = timeline / "pages/nb/tidslinje.md"
    edit(nb, "Senteret blir startet.", "Senteret ble startet.")
    [problem] = outdated(milestone_problems(timeline, LANGS, "nb", THEMES))
    assert problem.where == "content/pages/en/timeline.md" and problem.line
    assert problem.source.startswith("content/pages/nb/tidslinje.md:")
    check_off(f"{problem.where}:{problem.line}", [problem], timeline.parent)
    assert problem.checked_as[0] in read_checked(timeline.parent)
    assert outdated(milestone_problems(timeline, LANGS, "nb", THEMES)) == []
    edit(nb, "Senteret ble startet.", "Senteret ble startet i Trondheim.")
    assert len(outdated(milestone_problems(timeline, LANGS, "nb", THEMES))) == 1


def test_a_line_deleted_from_a_milestone_counts_as_a_change(timeline):
    nb = timeline / "pages/nb/tidslinje.md"
    lines = nb.read_text(encoding="utf-8").split("\n")
    index = lines.index("Senteret blir startet.")
    nb.write_text("\n".join(lines[:index] + lines[index + 1 :]), encoding="utf-8")
    assert len(outdated(milestone_problems(timeline, LANGS, "nb", THEMES))) == 1
