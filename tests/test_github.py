"""What the staff commands print for GitHub Actions: annotations on a file's line."""

from __future__ import annotations

import pytest

from tools.github import Located, github_annotation, located_problems, step_summary


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("error", "unknown field", "content/pages/nb/om.md", 3),
            "::error file=content/pages/nb/om.md,line=3::unknown field",
        ),
        (("warning", "no line", "a.md", None), "::warning file=a.md::no line"),
        (("notice", "nowhere"), "::notice::nowhere"),
        (
            ("error", "50% done\nHow to fix: x", "odd,name:1.md", 2),
            "::error file=odd%2Cname%3A1.md,line=2::50%25 done%0AHow to fix: x",
        ),
    ],
)
def test_github_annotation(args, expected):
    assert github_annotation(*args) == expected


FAILED_BUILD = """Could not process pages/nb/om.md
content/pages/nb/om.md:3: unknown field `Sumary:` in the page header.
  How to fix: did you mean `Summary:`?
Could not process pages/nb/om.md
content/pages/nb/om.md:3: unknown field `Sumary:` in the page header.
  How to fix: did you mean `Summary:`?
content/news/en/x.md: the file lies outside a language folder.
  How to fix: move it.
"""


def test_located_problems_of_a_failed_build():
    assert located_problems(FAILED_BUILD) == [
        Located(
            "content/pages/nb/om.md",
            3,
            "unknown field `Sumary:` in the page header.\nHow to fix: did you mean `Summary:`?",
        ),
        Located(
            "content/news/en/x.md",
            None,
            "the file lies outside a language folder.\nHow to fix: move it.",
        ),
    ]


def test_a_failure_that_names_no_file_is_still_one_problem():
    [problem] = located_problems("Traceback: something broke\nKeyError: 'x'")
    assert problem.path == "" and "KeyError" in problem.message
    assert github_annotation("error", problem.message).startswith("::error::Traceback")


def test_step_summary_appends_only_on_github(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    step_summary("nothing happens")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    step_summary("### Én")
    step_summary("### To")
    assert summary.read_text(encoding="utf-8") == "### Én\n\n### To\n\n"
