"""What lacks its other language: pages, articles and interface strings."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from .scaffold import KINDS, UNTRANSLATED


def read_header(path: Path) -> dict[str, str]:
    """The `Name: value` lines at the top of a Markdown file, names lowercased."""
    fields = {}
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if not line.strip():
                break
            name, sep, value = line.partition(":")
            if sep:
                fields[name.strip().lower()] = value.strip()
    return fields


def shown(path: Path, root: Path, line: int | None = None) -> str:
    """``path`` relative to ``root`` where it lies below it, with ``:line`` if given."""
    try:
        text = str(path.relative_to(root))
    except ValueError:
        text = str(path)
    return f"{text}:{line}" if line else text


def last_commit_time(path: Path) -> int | None:
    """Unix time of the last commit that touched ``path``; None when uncommitted."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out) if out else None


def content_problems(
    content: Path, languages: list[str], default: str, root: Path | None = None
) -> list[str]:
    """One line per page or article that lacks, or has an outdated, translation.

    Paths are shown relative to ``root`` (default: the folder above ``content``).
    """
    root = root or content.parent
    problems = []
    for kind, folder in KINDS.items():
        groups: dict[str, dict[str, Path]] = defaultdict(dict)
        for lang in languages:
            for path in sorted((content / folder / lang).glob("*.md")):
                fields = read_header(path)
                key = fields.get("key", path.stem)
                groups[key][lang] = path
                if fields.get("translation_status") == UNTRANSLATED:
                    problems.append(f"{shown(path, root)}: {kind} {key!r} is an untranslated stub")
        for key, by_lang in sorted(groups.items()):
            for lang in languages:
                if lang not in by_lang:
                    problems.append(f"{kind} {key!r} has no {lang} version ({folder}/{lang}/)")
            source = by_lang.get(default)
            source_time = last_commit_time(source) if source else None
            for lang, path in by_lang.items():
                if lang == default or source_time is None:
                    continue
                time = last_commit_time(path)
                if time is not None and time < source_time:
                    where, original = shown(path, root), shown(source, root)
                    problems.append(f"{where}: older than its source {original} (changed since)")
    return problems


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
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = []
    for message_id in sorted(theme_messages(theme)):
        message = catalog.get(message_id)
        if message is None or not message.string or message.fuzzy:
            missing.append(message_id)
    return missing


def interface_problems(theme: Path, languages: list[str]) -> list[str]:
    po = "translations/{}/LC_MESSAGES/messages.po"
    return [
        f"theme/{po.format(lang)}: no translation of {message!r}"
        for lang in languages
        for message in untranslated_messages(theme, lang)
    ]
