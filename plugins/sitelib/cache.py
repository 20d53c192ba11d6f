"""Entries kept between builds in ``CACHE_PATH``, the same way for every cache.

The share cards, the precompressed files and the search bundles make, use
and forget their entries alike.

- An entry is a folder, made whole or not at all: ``make_entry`` fills a
  temporary folder next to it and renames it into place, so a build stopped
  half-way or a second build at the same time never leaves half an entry.
- A build marks each entry it uses (``mark_used``, the folder's mtime);
  ``prune`` forgets the entries no build used since a time, ``keep_newest``
  all but the most recently used few.
- Files go from a cache into the output as hard links (``link_or_copy``,
  ``link_tree``): a second name costs next to nothing. Where the disk cannot
  link, they are copied.
- Small results worked out from text (readability reports, hyphenated words)
  are kept in one JSON file per plugin (``write_json``, ``read_json``), with
  the version of the code that made them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "keep_newest",
    "link_or_copy",
    "link_tree",
    "make_entry",
    "mark_used",
    "prune",
    "read_json",
    "write_json",
]


def link_or_copy(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Give ``source`` a second name ``target`` (a hard link, replacing a file
    already there), or copy it where the file system cannot link."""
    try:
        os.link(source, target)
    except FileExistsError:
        os.unlink(target)
        link_or_copy(source, target)
    except OSError:
        shutil.copyfile(source, target)


def link_tree(source: Path, target: Path) -> None:
    """``source``'s folders and files in ``target`` (a new or empty folder) as
    hard links, or as copies where the disk cannot link. Nothing may write
    into them in place."""
    try:
        shutil.copytree(source, target, copy_function=os.link, dirs_exist_ok=True)
    except (OSError, shutil.Error):
        shutil.rmtree(target, ignore_errors=True)  # never copy into a linked file
        shutil.copytree(source, target)


def make_entry(entry: Path, fill: Callable[[Path], None]) -> bool:
    """Make the folder ``entry``: ``fill(folder)`` writes its files into a new
    folder beside it, which then takes the name ``entry``. False if another
    build made ``entry`` first (its entry is as good); if ``fill`` fails,
    nothing is left behind."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".new-", dir=entry.parent))
    try:
        fill(temp)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    try:
        os.rename(temp, entry)
    except OSError:  # the name is taken: another build kept the same entry first
        shutil.rmtree(temp, ignore_errors=True)
        return False
    return True


def mark_used(entry: Path) -> None:
    """Note that this build used ``entry``, so that ``prune`` keeps it."""
    os.utime(entry)


def prune(folder: Path, older_than: float, pattern: str = "*/*") -> None:
    """Forget the entries (``pattern`` in ``folder``) that no build has used
    since ``older_than`` (a time from ``time.time()``)."""
    for entry in folder.glob(pattern):
        try:
            if entry.stat().st_mtime < older_than:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:  # gone meanwhile
            continue


def keep_newest(entries: Iterable[Path], count: int) -> None:
    """Forget all of ``entries`` but the ``count`` most recently used."""
    dated = []
    for entry in entries:
        try:
            dated.append((entry.stat().st_mtime, entry))
        except OSError:  # gone meanwhile
            continue
    dated.sort(key=lambda pair: pair[0], reverse=True)
    for _mtime, entry in dated[count:]:
        shutil.rmtree(entry, ignore_errors=True)


def write_json(path: Path, version: str, data: Any) -> None:
    """Keep ``data`` in the JSON file ``path`` with the ``version`` of the code
    that made it, written whole or not at all (a new file beside it, renamed into
    place). Raises OSError where the disk refuses."""
    text = json.dumps({"version": version, "data": data}, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def read_json(path: Path, version: str) -> Any:
    """What ``write_json`` kept in ``path``; None if the file is missing,
    unreadable or from another ``version``."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("version") != version:
        return None
    return kept.get("data")
