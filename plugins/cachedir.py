"""Folders in ``cache/`` that builds share (not a plugin: a helper of several).

Each entry is a folder that appears whole or not at all, so a build running at
the same time never reads half of one, and entries no build has used lately
are dropped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def keep(entry: Path, fill: Callable[[Path], object]) -> bool:
    """Make the folder ``entry``: ``fill`` a temporary sibling, then rename it.

    False when that fails, or another build made the entry first; the build
    goes on either way, only without this entry.
    """
    entry.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".new-", dir=entry.parent))
    try:
        fill(temp)
        os.rename(temp, entry)
    except OSError:
        shutil.rmtree(temp, ignore_errors=True)
        return False
    return True


def prune(entries: Iterable[Path], older_than: float) -> None:
    """Drop the entries no build has used (touched) since ``older_than``."""
    for entry in entries:
        try:
            if entry.stat().st_mtime < older_than:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def keep_newest(entries: Iterable[Path], count: int) -> None:
    """Drop all but the ``count`` most recently used entries."""
    newest_first = sorted(entries, key=lambda p: p.stat().st_mtime, reverse=True)
    for old in newest_first[count:]:
        shutil.rmtree(old, ignore_errors=True)
