"""What the staff commands do (tasks.py only names them): create pages, news and
milestones, check the site, report translations. They ask for what their
options do not give, ask again after a wrong answer, and speak the language of
the file they make, or of the name they were called by (``ny-side`` speaks
Norwegian, ``new-page`` English)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from build import BuildError, build_site

from . import milestones, scaffold
from .github import github_annotation, located_problems, step_summary
from .i18n import Refusal, Speaker, _
from .milestones import milestone_problems
from .translations import (
    CHECKED_FILE,
    check_off,
    content_problems,
    in_git,
    interface_problems,
)


def ask(say, prompt, parse, given=None):
    """``parse`` of the option ``given``, else of the answer to ``prompt``; a wrong
    value is said and asked for again, until stdin ends."""
    value = given if given not in (None, "") else None
    while True:
        if value is None:
            try:
                value = input(prompt)
            except EOFError:
                print()
                sys.exit(say(_("No answer: stopped, nothing was changed.")))
        try:
            return parse(value)
        except Refusal as error:
            print(error.said(say), file=sys.stderr)
            value = None


def ask_language(say: Speaker, languages: list[str], given: str | None) -> str:
    """The language of the file to make: the option ``given``, else asked for."""
    prompt = say(_("Language ({languages}): "), languages="/".join(languages))
    return ask(say, prompt, lambda v: parse_language(v, languages), given)


def parse_language(value: str, languages: list[str]) -> str:
    value = value.strip().lower()
    if value not in languages:
        raise Refusal(
            _("Unknown language “{lang}”: use one of {languages}."),
            lang=value,
            languages=", ".join(languages),
        )
    return value


def new_file(root, languages, kind, title, lang, key, other_title, other_name, speaks):
    """Create a page or news article (``kind``) and its stub in each other language,
    asking for what the options do not give."""
    content = root / "content"
    folder = content / scaffold.KINDS[kind]
    lang = ask_language(Speaker(speaks), languages, lang)
    say = Speaker(lang)  # from here on, the language of the file

    def new_title(text):
        slug = scaffold.slugify(text)
        if (folder / lang / f"{slug}.md").exists():
            raise Refusal(
                _("{path} exists already; choose another title or file name."),
                path=(folder / lang / f"{slug}.md").relative_to(root),
            )
        return " ".join(text.split())

    interactive = not title or sys.stdin.isatty()
    title = ask(say, say(_("Title: ")), new_title, title)
    titles, names = {}, {}
    for other in (lang_ for lang_ in languages if lang_ != lang):
        language = say(scaffold.LANGUAGE_NAMES.get(other, other))
        if other_title or interactive:
            prompt = _(
                "Title of the {language} translation (Enter: the same, to translate later): "
            )
            titles[other] = ask(
                say, say(prompt, language=language), lambda t: " ".join(t.split()), other_title
            )
        suggestion = scaffold.slugify(titles.get(other) or title)

        def translation_name(text, other=other, suggestion=suggestion):
            name = scaffold.file_name(text) if text.strip() else suggestion
            if (folder / other / f"{name}.md").exists():
                raise Refusal(
                    _("{path} exists already; choose another title or file name."),
                    path=(folder / other / f"{name}.md").relative_to(root),
                )
            return name

        if other_name or interactive:
            names[other] = ask(
                say,
                say(
                    _("File name of the {language} translation [{suggestion}]: "),
                    language=language,
                    suggestion=suggestion,
                ),
                translation_name,
                other_name or None,
            )
    try:
        files = scaffold.plan(
            content, kind, title, lang, languages, key, names=names, titles=titles
        )
    except Refusal as error:
        sys.exit(error.said(say))
    scaffold.write(files)
    for new in files:
        print(say(_("Created {path}"), path=new.path.relative_to(root)))
    print(
        say(
            _(
                "Next: write the text and the summary in {path}; "
                "`invoke check` says what is missing."
            ),
            path=files[0].path.relative_to(root),
        )
    )


def new_milestone(root, languages, known, title, date, lang, themes, speaks):
    """Add a milestone to the timeline pages (``known``: TIMELINE_THEMES), asking for
    what the options do not give."""
    lang = ask_language(Speaker(speaks), languages, lang)
    say = Speaker(lang)

    def text(value):
        if not value.strip():
            raise Refusal(_("The milestone needs a title."))
        return value

    def when(value):
        milestones.normalise_when(value)
        return value

    title = ask(say, say(_("Title: ")), text, title)
    date = ask(say, say(_("Year or date (2024 or 2024-03-05): ")), when, date)
    prompt = say(
        _("Themes, separated by commas ({themes}): "),
        themes=milestones.theme_list(known, lang),
    )
    themes = ask(
        say,
        prompt,
        lambda v: milestones.parse_themes(v, known, lang),
        themes if themes is not None else None,
    )
    try:
        changes = milestones.plan(root / "content", title, date, lang, languages, themes, known)
    except Refusal as error:
        sys.exit(error.said(say))
    milestones.write(changes)
    for change in changes:
        print(
            say(
                _("Added the milestone to {path}:{line}"),
                path=change.path.relative_to(root),
                line=change.line,
            )
        )


NO_HISTORY = _(
    "This folder has no Git history (a ZIP download?), so the report cannot tell which "
    "translations are older than their source: it names only missing translations and "
    "drafts. Work in a copy made with `git clone` to see outdated translations too."
)


def translation_report(root, theme, languages, default, known, lang, strict, checked, github):
    """Print what lacks its translation, or record ``checked`` as checked."""

    say = Speaker(lang)
    if not in_git(root):
        print(say(NO_HISTORY))
    problems = content_problems(root / "content", languages, default, root)
    problems += milestone_problems(root / "content", languages, default, known, root)
    if checked:
        recorded = check_off(checked, problems, root)
        if not recorded:
            sys.exit(
                say(
                    _("{file} has no translation older than its source: nothing to record."),
                    file=checked,
                )
            )
        for problem in recorded:
            print(
                say(
                    _("Recorded in {file}: {where} checked, nothing to translate."),
                    file=CHECKED_FILE,
                    where=problem.location(),
                )
            )
        return
    problems += interface_problems(theme, languages)
    for problem in problems:
        if github:
            text = problem.text(say).removeprefix(f"{problem.location()}: ")
            print(github_annotation("warning", text, problem.where, problem.line))
        else:
            print(problem.text(say))
    count = say(_("Translation problems: {n}."), n=len(problems))
    print(count)
    if github:
        lines = [f"- `{p.location() or '–'}`: {p.what(say)}" for p in problems]
        title = say(_("Translations"))
        step_summary("\n".join([f"### {title}", "", count, "", *lines]))
    if strict and problems:
        sys.exit(1)


def check(settings_file, speaks, github):
    """Build into a temporary folder with every check; say each problem."""

    say = Speaker(speaks)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            build_site(settings_file, Path(tmp) / "output")
        except BuildError as error:
            if not github:
                sys.exit(say(_("The site does not build:\n{error}"), error=error))
            problems = located_problems(str(error))
            for problem in problems:
                print(github_annotation("error", problem.message, problem.path, problem.line))
            heading = say(_("The site does not build. Problems: {n}."), n=len(problems))
            items = [f"- `{p.where()}`: {p.message.splitlines()[0]}" for p in problems]
            hint = say(_("Each problem is marked on its file and line under Annotations."))
            step_summary("\n".join([f"### ❌ {heading}", "", *items, "", hint]))
            sys.exit(1)
    import readability as lix  # the readability plugin's summary of this build

    print("\n".join(lix.summary(lix.last_results(), lix.DEFAULTS)))
    print(say(_("The site builds cleanly.")))
    if github:
        step_summary(f"### ✅ {say(_('The site builds cleanly.'))}")
