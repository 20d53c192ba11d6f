"""The staff commands as staff run them: with options (non-interactively) and by
answering prompts, in Norwegian (ny-side, ny-nyhet, ny-milepael, sjekk,
oversettelser) and in English."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import tasks
from sitelib.source import read_header
from tools.i18n import po_path
from tools.translations import tools_messages

from .conftest import FIXTURE_SITE
from .test_timeline_build import FIXTURE as TIMELINE_FIXTURE
from .tooling import git

ROOT = Path(__file__).resolve().parent.parent
INVOKE = Path(sys.executable).parent / "invoke"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project with the fixture site's content (the code linked)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("tasks.py", "build.py", "pelicanconf.py", "tools", "plugins", "theme"):
        (project / name).symlink_to(ROOT / name)
    shutil.copytree(FIXTURE_SITE, project / "content")
    return project


def run(project, *args, answers=None):
    return subprocess.run(
        [str(INVOKE), *args],
        cwd=project,
        input=answers,
        stdin=None if answers is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def answering(monkeypatch, *answers):
    """Drive input(): each prompt gets the next answer; the prompts are kept."""
    prompts, queue = [], list(answers)

    def fake_input(prompt=""):
        prompts.append(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


# Non-interactively -------------------------------------------------------------------


def test_ny_side_with_options_speaks_norwegian_and_names_the_translation(project):
    result = run(
        project,
        "ny-side",
        "--tittel",
        "Bli med",
        "--sprak",
        "nb",
        "--oversatt-tittel",
        "Join us",
    )
    assert result.returncode == 0, result.stderr
    nb = project / "content/pages/nb/bli-med.md"
    en = project / "content/pages/en/join-us.md"
    assert f"Laget {nb.relative_to(project)}" in result.stdout
    assert "invoke sjekk" in result.stdout
    assert read_header(nb)["key"] == read_header(en)["key"] == "bli-med"
    assert read_header(en)["title"] == "Join us" and read_header(en)["status"] == "draft"
    # the placeholders are in each file's own language
    assert "Skriv" in nb.read_text() and "Skriv" not in en.read_text()
    assert "Translate the page bli-med.md from Norwegian into English" in en.read_text()


def test_new_page_without_a_translation_title_keeps_the_name(project):
    result = run(project, "new-page", "--title", "Our work", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "Created content/pages/en/our-work.md" in result.stdout
    nb = project / "content/pages/nb/our-work.md"
    assert "Oversett siden our-work.md fra engelsk til norsk" in nb.read_text()


def test_a_wrong_option_without_a_terminal_stops_without_writing(project):
    before = sorted(p.name for p in project.rglob("*.md"))
    result = run(project, "ny-side", "--tittel", "Bli med", "--sprak", "se")
    assert result.returncode != 0
    assert "Ukjent språk «se»" in result.stderr
    assert "Intet svar" in result.stderr + result.stdout
    assert sorted(p.name for p in project.rglob("*.md")) == before


def test_ny_milepael_understands_norwegian_theme_names(project, tmp_path):
    shutil.rmtree(project / "content")
    shutil.copytree(TIMELINE_FIXTURE, project / "content")
    result = run(
        project,
        "ny-milepael",
        "--tittel",
        "Ny milepæl",
        "--dato",
        "2024",
        "--sprak",
        "nb",
        "--temaer",
        "forskning, Bruker spor bruker",
    )
    assert result.returncode == 0, result.stderr
    assert "La milepælen inn i content/pages/nb/tidslinje.md:" in result.stdout
    text = (project / "content/pages/nb/tidslinje.md").read_text()
    assert "## 2024: Ny milepæl\nThemes: research, bsb\n" in text


# Interactively ------------------------------------------------------------------------


def test_a_wrong_answer_is_asked_again(project, monkeypatch, capsys):
    monkeypatch.setattr(tasks, "ROOT", project)
    prompts = answering(
        monkeypatch,
        "norsk",  # a wrong language: asked again
        "nb",
        "!!!",  # a title without letters: asked again
        "Om",  # content/pages/nb/om.md exists already: asked again
        "Bli med på Lademoen",
        "Join us at Lademoen",
        "",  # the suggested file name
    )
    tasks.ny_side.body(None)
    out, err = capsys.readouterr()
    assert "Ukjent språk «norsk»" in err
    assert "gir ikke noe brukbart filnavn" in err
    assert "content/pages/nb/om.md finnes allerede" in err
    assert [p.split(" (")[0].split(" [")[0] for p in prompts] == [
        "Språk",
        "Språk",
        "Tittel: ",
        "Tittel: ",
        "Tittel: ",
        "Tittel på den engelske oversettelsen",
        "Filnavn for den engelske oversettelsen",
    ]
    assert "[join-us-at-lademoen]" in prompts[-1]
    assert (project / "content/pages/nb/bli-med-pa-lademoen.md").exists()
    assert (project / "content/pages/en/join-us-at-lademoen.md").exists()
    assert "Laget content/pages/nb/bli-med-pa-lademoen.md" in out


def test_an_existing_file_name_is_asked_again(project, monkeypatch, capsys):
    (project / "content/pages/nb/bli-med.md").write_text("Title: Bli med\n", encoding="utf-8")
    monkeypatch.setattr(tasks, "ROOT", project)
    answering(monkeypatch, "Bli med", "Bli med nå", "Join", "about.md", "Join.md")
    tasks.new_page.body(None, lang="nb")
    _out, err = capsys.readouterr()
    assert err.count("finnes allerede") == 2  # the title's file, then the translation's
    assert (project / "content/pages/en/join.md").exists()


def test_new_milestone_asks_again_for_a_wrong_year_and_theme(project, monkeypatch, capsys):
    shutil.rmtree(project / "content")
    shutil.copytree(TIMELINE_FIXTURE, project / "content")
    monkeypatch.setattr(tasks, "ROOT", project)
    answering(monkeypatch, "en", "A new step", "next year", "2024", "unicorns", "Research")
    tasks.new_milestone.body(None)
    _out, err = capsys.readouterr()
    assert "“next year” is not a year" in err and "Unknown theme “unicorns”" in err
    assert "Research (research)" in err  # the themes by name, in the staff member's language
    assert (
        "## 2024: A new step\nThemes: research\n"
        in (project / "content/pages/en/timeline.md").read_text()
    )


def test_the_prompts_answered_through_stdin(project):
    """The same as a person at a terminal: a wrong answer, then a right one."""
    result = run(project, "ny-nyhet", answers="tysk\nnb\nNytt kull\nNew class\n\n")
    assert result.returncode == 0, result.stderr
    assert "Ukjent språk «tysk»" in result.stderr
    assert (project / "content/news/nb/nytt-kull.md").exists()
    assert read_header(project / "content/news/en/new-class.md")["title"] == "New class"


# Checks and the report ----------------------------------------------------------------


def test_sjekk_names_a_page_left_as_the_command_made_it(project, tmp_path):
    assert run(project, "ny-side", "--tittel", "Bli med", "--sprak", "nb").returncode == 0
    summary = tmp_path / "summary.md"
    result = subprocess.run(
        [str(INVOKE), "sjekk", "--github"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert annotations, result.stdout + result.stderr
    assert any(
        re.match(r"::error file=content/pages/nb/bli-med\.md,line=\d+::", line)
        for line in annotations
    ), annotations
    assert "Nettstedet kan ikke bygges" in summary.read_text()
    assert "content/pages/nb/bli-med.md" in summary.read_text()


def test_oversettelser_records_a_checked_change(project):
    content = project / "content"
    git(project, "init", "-q")
    git(project, "add", "content")
    git(project, "commit", "-qm", "first", date="2024-01-01T10:00:00")
    om = content / "pages/nb/om.md"
    om.write_text(om.read_text().replace("Les ", "Les gjerne "), encoding="utf-8")
    report = run(project, "oversettelser")
    assert "content/pages/en/about.md: eldre enn originalen content/pages/nb/om.md" in report.stdout
    assert "Slik retter du:" in report.stdout
    assert "invoke oversettelser --sjekket content/pages/en/about.md" in report.stdout
    recorded = run(project, "oversettelser", "--sjekket", "content/pages/nb/om.md")
    assert recorded.returncode == 0, recorded.stderr
    assert "Notert i translations-checked.txt" in recorded.stdout
    assert "eldre enn" not in run(project, "oversettelser").stdout
    again = run(project, "translations", "--checked", "content/pages/nb/om.md")
    assert again.returncode != 0 and "nothing to record" in again.stderr
    github = run(project, "translations", "--github")
    assert all(line.startswith("::warning") for line in github.stdout.splitlines()[:-1]), (
        github.stdout
    )


def test_the_report_says_when_there_is_no_git_history(project):
    """A project downloaded as a ZIP has no history to date changes by: the report
    says so, in the command's language, instead of finding nothing out of date."""
    said = run(project, "oversettelser").stdout
    assert "ingen Git-historikk" in said and "git clone" in said
    assert "no Git history" in run(project, "translations").stdout
    git(project, "init", "-q")
    assert "Git" not in run(project, "oversettelser").stdout


# The catalogue ------------------------------------------------------------------------


def norwegian():
    with po_path("nb").open("rb") as handle:
        return read_po(handle, locale="nb")


def test_every_message_of_the_staff_commands_has_its_norwegian_translation():
    catalog = norwegian()
    missing = [
        m for m in sorted(tools_messages()) if not (catalog.get(m) and catalog.get(m).string)
    ]
    assert not missing, f"{po_path('nb')} lacks: {missing}; run `invoke translations-update`"


def test_the_translations_keep_the_placeholders():
    for message in norwegian():
        if message.id:
            fields = sorted(re.findall(r"\{[^}]*\}", message.id))
            assert sorted(re.findall(r"\{[^}]*\}", message.string)) == fields, message.id
