"""What lacks its other language: pages, articles and interface strings.

The report compares the last change of a translation with the last change of
its source: the commit time for a file as it was committed, the time it was
saved for a file with uncommitted edits (so an edit counts before it is
committed). A source change that needs no translation (a typo fixed) can be
recorded as checked in ``translations-checked.txt`` at the project's root
(``invoke translations --checked FILE``): one line per translation with a
fingerprint of its source as it was checked, so the next change to the source
is reported again.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sitelib.source import metadata_line, read_header

from .i18n import Speaker, _
from .scaffold import KINDS, UNTRANSLATED

CHECKED_FILE = "translations-checked.txt"
CHECKED_HEADER = """\
# Translations checked against a changed source: the change needed no translation.
# Oversettelser som er sjekket mot en endret original: endringen trengte ingen oversettelse.
# One line each: the translation, then the fingerprint of its source as it was checked.
# Written by `invoke oversettelser --sjekket FIL` / `invoke translations --checked FILE`.
"""

KIND_NAMES = {"page": _("page"), "article": _("news article")}


class Term(str):
    """A word put into a message that is said in the message's language too."""


@dataclass
class Problem:
    """One thing the report finds: where (relative to the project), what, how to fix it."""

    where: str  # a path relative to the project, or "" when about no one file
    line: int | None
    message: str  # English, with {placeholders}; translated when said
    params: dict[str, object] = field(default_factory=dict)
    fix: str = ""  # English, with {placeholders} from params
    checked_as: tuple[str, str] | None = None  # (record, fingerprint) that marks it checked
    source: str = ""  # the source the translation is compared with (path relative)

    def location(self) -> str:
        return f"{self.where}:{self.line}" if self.where and self.line else self.where

    def _params(self, say: Speaker) -> dict[str, object]:
        return {k: say(v) if isinstance(v, Term) else v for k, v in self.params.items()}

    def what(self, say: Speaker | None = None) -> str:
        say = say or Speaker("en")
        return say(self.message, **self._params(say))

    def how(self, say: Speaker | None = None) -> str:
        say = say or Speaker("en")
        return say(self.fix, **self._params(say)) if self.fix else ""

    def text(self, say: Speaker | None = None) -> str:
        """``path:line: what`` and, when there is a fix, a second line saying it."""
        say = say or Speaker("en")
        where = self.location()
        text = f"{where}: {self.what(say)}" if where else self.what(say)
        if self.fix:
            text += "\n  " + say(_("How to fix: {fix}"), fix=self.how(say))
        return text

    def __str__(self) -> str:
        return self.text()


def shown(path: Path, root: Path, line: int | None = None) -> str:
    """``path`` relative to ``root`` where it lies below it, with ``:line`` if given."""
    try:
        text = path.relative_to(root).as_posix()
    except ValueError:
        text = str(path)
    return f"{text}:{line}" if line else text


def _git(path: Path, *args: str) -> str | None:
    """git's output for ``args`` run beside ``path``; None when git fails (no repository)."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=path.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def in_git(folder: Path) -> bool:
    """Whether ``folder`` lies in a Git repository (not a ZIP download)."""
    return _git(folder / "probe", "rev-parse", "--git-dir") is not None  # runs in folder


def last_commit_time(path: Path) -> int | None:
    """Unix time of the last commit that touched ``path``; None when uncommitted."""
    out = _git(path, "log", "-1", "--format=%ct", "--", path.name)
    return int(out) if out and out.strip() else None


def has_uncommitted_edits(path: Path) -> bool | None:
    """Whether ``path`` differs from its last commit (or is not committed at all);
    None outside a Git repository."""
    out = _git(path, "status", "--porcelain", "--untracked-files=all", "--", path.name)
    return None if out is None else bool(out.strip())


def changed_time(path: Path) -> float | None:
    """When ``path`` last changed: the time it was saved when it has uncommitted
    edits, else the time of its last commit; None outside a Git repository."""
    edited = has_uncommitted_edits(path)
    if edited is None:
        return None
    committed = last_commit_time(path)
    if edited:
        return max(path.stat().st_mtime, committed or 0)
    return committed


def fingerprint(text: str) -> str:
    """A short fingerprint of a text, blind to trailing spaces and line endings."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def read_checked(root: Path) -> dict[str, str]:
    """record -> fingerprint from ``translations-checked.txt`` (empty when it is missing)."""
    path = root / CHECKED_FILE
    if not path.exists():
        return {}
    checked = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            checked[parts[0]] = parts[1]
    return checked


def write_checked(root: Path, checked: dict[str, str]) -> Path:
    path = root / CHECKED_FILE
    lines = [f"{record} {print_}" for record, print_ in sorted(checked.items())]
    path.write_text(CHECKED_HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


OUTDATED = _("older than its source {source} (changed since)")
OUTDATED_FIX = _(
    "translate the change; or, if it needs no translation (a typo fixed), record that it "
    "was checked: `invoke translations --checked {where}`, or add the line `{record}` "
    "to translations-checked.txt"
)
DRAFT = _(
    "the {kind} '{key}' is translated but still marked `Status: draft`, so it is not published"
)
DRAFT_FIX = _("remove the line `Status: draft` when the translation is done")


def content_problems(
    content: Path,
    languages: list[str],
    default: str,
    root: Path | None = None,
    checked: dict[str, str] | None = None,
) -> list[Problem]:
    """One problem per page or article that lacks, or has an outdated, translation,
    and per translation still marked as a draft.

    Paths are shown relative to ``root`` (default: the folder above ``content``);
    ``checked`` defaults to what ``translations-checked.txt`` there records.
    """
    root = root or content.parent
    checked = read_checked(root) if checked is None else checked
    problems = []
    for kind, folder in KINDS.items():
        groups: dict[str, dict[str, Path]] = defaultdict(dict)
        name = Term(KIND_NAMES[kind])
        for lang in languages:
            for path in sorted((content / folder / lang).glob("*.md")):
                fields = read_header(path)
                key = fields.get("key", path.stem)
                groups[key][lang] = path
                untranslated = fields.get("translation_status") == UNTRANSLATED
                if untranslated:
                    problems.append(
                        Problem(
                            shown(path, root),
                            None,
                            _("{kind} '{key}' is an untranslated stub"),
                            {"kind": name, "key": key},
                        )
                    )
                elif lang != default and fields.get("status", "").lower() == "draft":
                    problems.append(
                        Problem(
                            shown(path, root),
                            metadata_line(path, "status"),
                            DRAFT,
                            {"kind": name, "key": key},
                            DRAFT_FIX,
                        )
                    )
        for key, by_lang in sorted(groups.items()):
            for lang in languages:
                if lang not in by_lang:
                    problems.append(
                        Problem(
                            "",
                            None,
                            _("{kind} '{key}' has no {lang} version ({folder}/{lang}/)"),
                            {"kind": name, "key": key, "lang": lang, "folder": folder},
                        )
                    )
            source = by_lang.get(default)
            source_time = changed_time(source) if source else None
            for lang, path in by_lang.items():
                if lang == default or source_time is None:
                    continue
                time = changed_time(path)
                if time is None or time >= source_time:
                    continue
                where, original = shown(path, root), shown(source, root)
                print_ = fingerprint(source.read_text(encoding="utf-8-sig"))
                if checked.get(where) == print_:
                    continue
                problems.append(
                    Problem(
                        where,
                        None,
                        OUTDATED,
                        {"source": original, "where": where, "record": f"{where} {print_}"},
                        OUTDATED_FIX,
                        checked_as=(where, print_),
                        source=original,
                    )
                )
    return problems


def check_off(target: str, problems: list[Problem], root: Path) -> list[Problem]:
    """Record as checked the outdated translations that ``target`` names: a translation,
    or a source (all its outdated translations), as ``path`` or ``path:line``.
    Returns the problems recorded; none when ``target`` names none."""
    path, _sep, line = target.strip().partition(":")
    line = int(line) if line.isdigit() else None
    wanted = Path(path)
    if not wanted.is_absolute():  # relative to the project, else to the working folder
        wanted = root / wanted if (root / wanted).exists() else Path.cwd() / wanted
    wanted = shown(wanted.resolve(), root.resolve())
    chosen = []
    for problem in problems:
        if problem.checked_as is None:
            continue
        source, _s, source_line = problem.source.partition(":")
        names_translation = wanted == problem.where and line in (None, problem.line)
        names_source = wanted == source and line in (None, int(source_line or 0) or None)
        if names_translation or names_source:
            chosen.append(problem)
    if chosen:
        checked = read_checked(root)
        for problem in chosen:
            record, print_ = problem.checked_as
            checked[record] = print_
        write_checked(root, checked)
    return chosen


def theme_messages(theme: Path) -> set[str]:
    method_map = [("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(theme, method_map, options):
        found.add(message if isinstance(message, str) else message[0])
    return found


def untranslated_messages(theme: Path, lang: str) -> list[str]:
    """Messages of the templates that the language's catalogue does not translate."""
    po = theme / "translations" / lang / "LC_MESSAGES" / "messages.po"
    return _untranslated(po, lang, theme_messages(theme))


def _untranslated(po: Path, lang: str, messages: set[str]) -> list[str]:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = []
    for message_id in sorted(messages):
        message = catalog.get(message_id)
        if message is None or not message.string or message.fuzzy:
            missing.append(message_id)
    return missing


TOOLS = Path(__file__).resolve().parent


def tools_messages(folders: list[Path] | None = None) -> set[str]:
    """The messages marked ``_("...")`` in the staff commands (``tools/``, ``tasks.py``)
    and in the plugins' content checks (``plugins/``), extracted with Babel's Python
    extractor."""
    from babel.messages.extract import extract_python

    found = set()
    files = [p for f in (folders or [TOOLS]) for p in sorted(f.glob("*.py"))]
    if folders is None:
        files += [TOOLS.parent / "tasks.py", *sorted((TOOLS.parent / "plugins").rglob("*.py"))]
    for path in files:
        with path.open("rb") as handle:
            for _line, _func, message, _comments in extract_python(handle, ["_"], [], {}):
                if isinstance(message, str):
                    found.add(message)
    return found


def interface_problems(theme: Path, languages: list[str]) -> list[Problem]:
    from .i18n import SOURCE_LANG, po_path

    po = "translations/{}/LC_MESSAGES/messages.po"
    problems = [
        Problem(
            f"theme/{po.format(lang)}", None, _("no translation of {message!r}"), {"message": m}
        )
        for lang in languages
        for m in untranslated_messages(theme, lang)
    ]
    for lang in languages:
        path = po_path(lang)
        if lang == SOURCE_LANG:
            continue
        where = f"tools/{po.format(lang)}"
        if not path.exists():
            problems.append(Problem(where, None, _("the catalogue is missing"), {}))
            continue
        problems += [
            Problem(where, None, _("no translation of {message!r}"), {"message": m})
            for m in _untranslated(path, lang, tools_messages())
        ]
    return problems
