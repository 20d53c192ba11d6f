"""`invoke new-milestone`: a milestone in one language, an untranslated stub in the other."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build import BuildError
from timeline.parser import TimelineError, parse_timeline, published
from tools.milestones import (
    insert_section,
    milestone_problems,
    normalise_when,
    parse_themes,
    plan,
    write,
)

from .test_timeline_build import FIXTURE, build, milestone_id, milestones, soup
from .tooling import git

ROOT = Path(__file__).resolve().parent.parent
THEMES = ["bsb", "research", "children-youth"]
LANGS = ["nb", "en"]


@pytest.mark.parametrize(
    ("text", "label", "year"),
    [
        ("2024", "2024", 2024),
        (" 2024-03-05 ", "2024", 2024),
        ("2023-08", "2023", 2023),
        ("2006–2010", "2006–2010", 2006),
        ("2006-2010", "2006–2010", 2006),
    ],
)
def test_normalise_when(text, label, year):
    assert normalise_when(text) == (label, year)


@pytest.mark.parametrize("text", ["24", "2024-13-01", "next year", "2010–2006", "", "2011–"])
def test_normalise_when_refuses(text):
    with pytest.raises(ValueError):
        normalise_when(text)


def test_parse_themes():
    assert parse_themes(" bsb, research,bsb ,", THEMES) == ["bsb", "research"]
    with pytest.raises(ValueError, match="Unknown theme “forskning”"):
        parse_themes("forskning", THEMES)


NAMED = {
    "bsb": {"nb": "Bruker Spør Bruker", "en": "User Interviews User"},
    "peer-workers": {"nb": "Erfaringskonsulenter", "en": "Peer workers"},
}


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("erfaringskonsulenter", ["peer-workers"]),
        ("Bruker spor bruker, ERFARINGSKONSULENTER", ["bsb", "peer-workers"]),
        ("bruker  spør bruker,bsb", ["bsb"]),
        ("Peer Workers", ["peer-workers"]),
        ("peer-workers", ["peer-workers"]),
    ],
)
def test_parse_themes_understands_names_in_either_language(text, ids):
    assert parse_themes(text, NAMED) == ids


def test_an_unknown_theme_lists_the_names_in_the_staff_members_language():
    with pytest.raises(ValueError) as caught:
        parse_themes("forskning", NAMED, "nb")
    assert "Erfaringskonsulenter (peer-workers)" in str(caught.value)


def test_insert_section_passes_over_periods():
    text = (
        "Title: T\n\nIntro.\n\n## 1997–2000: P\nType: period\n\nPeriod.\n\n"
        "## 2006–: Q\nType:  Period\n\nPeriod.\n\n## 1997: A\n\nText.\n\n## 2015: B\n\nText.\n"
    )
    new, line = insert_section(text, "## 1998: New\n\nBody.\n", 1998)
    assert new.index("## 1997: A") < new.index("## 1998: New") < new.index("## 2015")
    assert new.split("\n")[line - 1] == "## 1998: New"
    parsed = parse_timeline(new, "t.md", "nb", THEMES)
    assert [m.id for m in parsed.milestones] == ["1997", "1998", "2015"]
    assert [p.id for p in parsed.periods] == ["period-1997", "period-2006"]


def test_insert_section_keeps_years_in_order():
    text = "Title: T\n\nIntro.\n\n## 1997: A\n\nText.\n\n## 2015: B\n\nText.\n"
    new, line = insert_section(text, "## 2006: New\n\nBody.\n", 2006)
    assert new.index("## 1997") < new.index("## 2006: New") < new.index("## 2015")
    assert new.split("\n")[line - 1] == "## 2006: New"
    new, line = insert_section(text, "## 2020: Last\n\nBody.\n", 2020)
    assert new.rstrip().endswith("## 2020: Last\n\nBody.")
    assert new.split("\n")[line - 1] == "## 2020: Last"


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def test_plan_writes_the_milestone_and_an_untranslated_stub(content):
    changes = plan(content, "Ny satsing", "2020", "nb", LANGS, ["research"], THEMES)
    write(changes)
    nb = parse_timeline((content / "pages/nb/tidslinje.md").read_text(), "nb", "nb", THEMES)
    en = parse_timeline((content / "pages/en/timeline.md").read_text(), "en", "en", THEMES)
    assert nb.get("2020").title == "Ny satsing" and not nb.get("2020").untranslated
    assert en.get("2020").untranslated and en.get("2020").themes == ["research"]
    shown, left_out = published(en)
    assert [m.id for m in left_out] == ["2020"] and shown.get("2020") is None


def test_a_taken_year_gets_its_own_id(content):
    write(plan(content, "Andre ting", "2006", "nb", LANGS, [], THEMES))
    text = (content / "pages/en/timeline.md").read_text()
    assert "## 2006: Andre ting\nId: 2006-andre-ting\nTranslation_status: untranslated\n" in text


def test_plan_refuses_an_unknown_language(content):
    with pytest.raises(ValueError, match="Unknown language “de”"):
        plan(content, "X", "2020", "de", LANGS, [], THEMES)


def test_an_unknown_translation_status_stops_the_parser():
    text = "## 2020: A\nTranslation_status: done\n\nText.\n"
    with pytest.raises(TimelineError, match="not a known status") as caught:
        parse_timeline(text, "t.md", "en", THEMES)
    assert caught.value.line == 2


def test_the_task_as_staff_run_it(tmp_path, caplog):
    """Run `invoke new-milestone` in a copy of the project, then build it."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("tasks.py", "build.py", "pelicanconf.py", "tools", "plugins", "theme"):
        (project / name).symlink_to(ROOT / name)
    shutil.copytree(FIXTURE, project / "content")
    invoke = Path(sys.executable).parent / "invoke"
    result = subprocess.run(
        [
            str(invoke),
            "new-milestone",
            "--title",
            "Ny milepæl for testen",
            "--lang",
            "nb",
            "--date",
            "2024",
            "--themes",
            "bsb, research",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "content/pages/nb/tidslinje.md" in result.stdout
    assert "content/pages/en/timeline.md" in result.stdout

    # left as the command made it, the milestone holds a placeholder: the build stops there
    nb = project / "content/pages/nb/tidslinje.md"
    line = result.stdout.split("tidslinje.md:")[1].split()[0].rstrip(".")
    with pytest.raises(BuildError, match=rf"tidslinje.md:{int(line) + 3}: .*\n  Slik retter du:"):
        build(project / "content", tmp_path / "unfinished")
    text = nb.read_text(encoding="utf-8").split("\n")
    text[int(line) + 2] = "Teksten om milepælen."
    nb.write_text("\n".join(text), encoding="utf-8")
    with caplog.at_level("INFO", logger="timeline.timeline"):
        output = build(project / "content", tmp_path / "output")
    nb = milestones(soup(output / "tidslinje/index.html"))
    assert "2024" in [milestone_id(li) for li in nb]
    assert any("Ny milepæl for testen" in li.get_text() for li in nb)
    en = milestones(soup(output / "en/timeline/index.html"))
    assert "2024" not in [milestone_id(li) for li in en]
    assert "untranslated milestone 2024" in caplog.text


def test_report_lists_stubs_and_missing_milestones(content):
    write(plan(content, "Ny satsing", "2020", "nb", LANGS, [], THEMES))
    en = content / "pages/en/timeline.md"
    en.write_text(en.read_text().replace("## 2006: The centre starts", "## 2007: Moved"))
    problems = [str(p) for p in milestone_problems(content, LANGS, "nb", THEMES)]
    assert any(
        p.startswith("content/pages/en/timeline.md:")
        and "'2020'" in p
        and "marked untranslated" in p
        for p in problems
    ), problems
    assert any("'2006' (2006: Senteret starter) has no en version" in p for p in problems)
    assert any("'2007' (2007: Moved) has no nb version" in p for p in problems)
    assert not any("older than" in p for p in problems)  # not in git: no dates


def test_report_finds_a_milestone_older_than_its_source(content):
    git(content, "init", "-q")
    git(content, "add", ".")
    git(content, "commit", "-qm", "first", date="2024-01-01T10:00:00")
    assert milestone_problems(content, LANGS, "nb", THEMES) == []
    nb = content / "pages/nb/tidslinje.md"
    nb.write_text(nb.read_text().replace("Senteret blir startet.", "Senteret er startet."))
    git(content, "commit", "-qam", "change the source", date="2024-02-01T10:00:00")
    problems = [str(p).split("\n")[0] for p in milestone_problems(content, LANGS, "nb", THEMES)]
    assert len(problems) == 1, problems
    assert problems[0].startswith("content/pages/en/timeline.md:23: milestone '2006'")
    assert problems[0].endswith(
        "older than its nb source content/pages/nb/tidslinje.md:23 (changed since)"
    )
    en = content / "pages/en/timeline.md"
    en.write_text(en.read_text().replace("The centre is started.", "The centre starts."))
    git(content, "commit", "-qam", "translate", date="2024-03-01T10:00:00")
    assert milestone_problems(content, LANGS, "nb", THEMES) == []
