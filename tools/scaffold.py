"""Create a new page or news article, with its stub in the other language.

The new file holds placeholders in its own language for the text and the
summary; the build refuses a page that still holds one (``check_unfinished``
in plugins/bilingual/checks.py), so nothing half-written is published. The
stub in each other language is a draft (``Status: draft``) marked
``Translation_status: untranslated``, with a file name of its own when given
(from the translation's title).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from unidecode import unidecode

from bilingual.checks import PLACEHOLDERS

from .i18n import Refusal, Speaker, _


class Exists(Refusal, FileExistsError):
    """A file to create exists already."""


KINDS = {"page": "pages", "article": "news"}
UNTRANSLATED = "untranslated"
LANGUAGE_NAMES = {"nb": _("Norwegian"), "en": _("English")}
KIND_WORDS = {"page": _("the page"), "article": _("the news article")}


def slugify(title: str) -> str:
    """A URL slug: lowercase ASCII words joined by hyphens (æ→ae, ø→o, å→a)."""
    text = unidecode(title)
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug:
        raise Refusal(_("“{title}” gives no usable file name; use letters or digits."), title=title)
    return slug


def file_name(text: str) -> str:
    """A file name as staff type it (``Bli med``, ``bli-med.md``) made into a slug."""
    text = text.strip()
    return slugify(text[:-3] if text.lower().endswith(".md") else text)


def placeholder(lang: str, what: str) -> str:
    """The placeholder for ``what`` (text, summary) in ``lang`` (English when unknown)."""
    return PLACEHOLDERS.get(lang, PLACEHOLDERS["en"])[what]


@dataclass
class NewFile:
    path: Path
    text: str


def header(fields: dict[str, str | None]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in fields.items() if value is not None)


def plan(
    content: Path,
    kind: str,
    title: str,
    lang: str,
    languages: list[str],
    key: str | None = None,
    today: dt.date | None = None,
    names: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
) -> list[NewFile]:
    """The files to write: the page in ``lang`` and a draft stub in each other language.

    ``names`` gives a language's file name (default: from its title in ``titles``,
    else from ``title``); ``titles`` the translation's title (default ``title``).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}: use page or article.")
    if lang not in languages:
        raise Refusal(
            _("Unknown language “{lang}”: use one of {languages}."),
            lang=lang,
            languages=", ".join(languages),
        )
    title = " ".join(title.split())
    titles = {lang: title, **{k: v for k, v in (titles or {}).items() if v and v.strip()}}
    names = {k: file_name(v) for k, v in (names or {}).items() if v and v.strip()}
    slug = slugify(title)
    key = key or slug
    folder = content / KINDS[kind]
    date = (today or dt.date.today()).isoformat() if kind == "article" else None
    files = [
        NewFile(
            folder / lang / f"{names.get(lang, slug)}.md",
            header(
                {"Title": title, "Key": key, "Date": date, "Summary": placeholder(lang, "summary")}
            )
            + f"\n{placeholder(lang, 'text')}\n",
        )
    ]
    for other in languages:
        if other == lang:
            continue
        other_title = titles.get(other, title)
        name = names.get(other) or (slugify(other_title) if other in titles else slug)
        say = Speaker(other)
        files.append(
            NewFile(
                folder / other / f"{name}.md",
                header(
                    {
                        "Title": other_title,
                        "Key": key,
                        "Date": date,
                        "Summary": placeholder(other, "summary"),
                        "Status": "draft",
                        "Translation_status": UNTRANSLATED,
                    }
                )
                + "\n"
                + say(
                    _(
                        "Translate {kind} {file} from {source} into {target}, then remove "
                        "the lines Status and Translation_status."
                    ),
                    kind=say(KIND_WORDS[kind]),
                    file=files[0].path.name,
                    source=say(LANGUAGE_NAMES.get(lang, lang)),
                    target=say(LANGUAGE_NAMES.get(other, other)),
                )
                + "\n",
            )
        )
    for new in files:
        if new.path.exists():
            raise Exists(
                _("{path} exists already; choose another title or file name."), path=new.path
            )
    return files


def write(files: list[NewFile]) -> None:
    for new in files:
        new.path.parent.mkdir(parents=True, exist_ok=True)
        new.path.write_text(new.text, encoding="utf-8")
