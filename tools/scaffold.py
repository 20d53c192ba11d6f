"""Create a new page or news article, with its stub in the other language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from unidecode import unidecode

KINDS = {"page": "pages", "article": "news"}
UNTRANSLATED = "untranslated"


def slugify(title: str) -> str:
    """A URL slug: lowercase ASCII words joined by hyphens (æ→ae, ø→o, å→a)."""
    text = unidecode(title)
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug:
        raise ValueError(f"The title {title!r} gives no usable file name; use letters or digits.")
    return slug


@dataclass
class NewFile:
    path: Path
    text: str


def header(fields: dict[str, str]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in fields.items() if value is not None)


def plan(
    content: Path,
    kind: str,
    title: str,
    lang: str,
    languages: list[str],
    key: str | None = None,
    today: dt.date | None = None,
) -> list[NewFile]:
    """The files to write: the page in ``lang`` and a draft stub in each other language."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}: use page or article.")
    if lang not in languages:
        raise ValueError(f"Unknown language {lang!r}: use one of {', '.join(languages)}.")
    slug = slugify(title)
    key = key or slug
    folder = content / KINDS[kind]
    date = (today or dt.date.today()).isoformat() if kind == "article" else None
    files = [
        NewFile(
            folder / lang / f"{slug}.md",
            header({"Title": title, "Key": key, "Date": date, "Summary": title})
            + "\nWrite the text here.\n",
        )
    ]
    for other in languages:
        if other == lang:
            continue
        files.append(
            NewFile(
                folder / other / f"{slug}.md",
                header(
                    {
                        "Title": title,
                        "Key": key,
                        "Date": date,
                        "Summary": title,
                        "Status": "draft",
                        "Translation_status": UNTRANSLATED,
                    }
                )
                + f"\nTranslate the {lang} page {slug}.md into {other}, then remove the "
                "Status and Translation_status lines.\n",
            )
        )
    for new in files:
        if new.path.exists():
            raise FileExistsError(f"{new.path} exists already; choose another title or --key.")
    return files


def write(files: list[NewFile]) -> None:
    for new in files:
        new.path.parent.mkdir(parents=True, exist_ok=True)
        new.path.write_text(new.text, encoding="utf-8")
