"""Wayfinding: where a page sits, what it holds and when it last changed.

This plugin puts a ``wayfinding`` object into the template context with

* ``breadcrumbs(content, lang, home)``: the trail from the home page to ``content``
  as ``Crumb`` items (the home page, the head page of the page's section or,
  for a news article, the news page, then the page itself); empty on the home
  page. ``breadcrumb_list(trail)`` gives it as schema.org ``BreadcrumbList``
  for JSON-LD;
* ``contents(content)``: the ``<h2>`` headings with an id of a page's text as
  ``(id, text)`` pairs, when there are at least ``WAYFINDING_CONTENTS_MIN``;
* ``updated(content)``: the date of the last commit that changed the page's
  source file (one ``git log`` for the content folder), or the file's modification time while it has
  changes not yet committed; ``None`` outside a Git working copy, unless the
  file has a ``Modified:`` header.

Settings, with their defaults in ``DEFAULTS``: ``WAYFINDING_HOME_KEY``,
``WAYFINDING_NEWS_KEY``, ``WAYFINDING_CONTENTS_MIN`` and ``WAYFINDING_GIT``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article, Content
from selectolax.lexbor import LexborHTMLParser

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "WAYFINDING_HOME_KEY": "home",  # Key of the home page: the first crumb
    "WAYFINDING_NEWS_KEY": "news",  # Key of the page that lists the news articles
    "WAYFINDING_CONTENTS_MIN": 4,  # h2 headings a page needs to get a contents list
    "WAYFINDING_GIT": True,  # read last-updated dates from git
}

# Git reads no user or system configuration: the dates must not depend on them.
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}

# The start of an <h2> element: a page with fewer than WAYFINDING_CONTENTS_MIN of
# them gets no contents list, and its HTML need not be parsed (most news items)
H2_START = re.compile(r"<h2[\s>]", re.IGNORECASE)

_dates: dict[str, dt.date | None] = {}  # resolved source path -> date (per build)
_repos: dict[str, tuple[Path, dict[str, dt.date], set[str]] | None] = {}
_folders: dict[str, Path] = {}  # a folder as given -> resolved (per build)


def resolved(folder: str | os.PathLike) -> Path:
    """``folder`` with its links resolved, each folder once per build."""
    key = os.fspath(folder)
    if key not in _folders:
        _folders[key] = Path(key).resolve()
    return _folders[key]


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


# Pure helpers ---------------------------------------------------------------


def h2_headings(html: str) -> list[tuple[str, str]]:
    """(id, text) of each ``<h2>`` with an id in ``html``, in order (an HTML5
    parser's reading of it: selectolax's Lexbor engine)."""
    found = []
    for heading in LexborHTMLParser(html or "").css("h2[id]"):
        ident = heading.attributes.get("id") or ""
        text = " ".join(heading.text(deep=True).split())
        if ident and text:
            found.append((ident, text))
    return found


def breadcrumb_list(trail: list[Crumb]) -> dict[str, Any]:
    """schema.org BreadcrumbList for a trail (its URLs already carry SITEURL)."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "name": crumb.title,
                "item": crumb.url,
            }
            for number, crumb in enumerate(trail, start=1)
        ],
    }


def git_dates(folder: Path) -> tuple[Path, dict[str, dt.date], set[str]] | None:
    """(top folder, {path: date of the last commit changing it}, paths changed
    since) for the Git working copy holding ``folder``; None outside Git."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-c", "log.showSignature=false", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            env={**os.environ, **GIT_ENV},
            check=True,
        )
        return done.stdout

    try:
        top = Path(git("rev-parse", "--show-toplevel").strip())
        log = git("log", "--format=%x00%cs", "--name-only", "-z", "--no-renames", "--", ".")
        status = git("status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return None
    dates: dict[str, dt.date] = {}
    day: dt.date | None = None
    for part in log.split("\0"):
        part = part.strip("\n")
        if not part:
            continue
        if len(part) == 10 and part[4] == "-" and part[7] == "-":
            try:
                day = dt.date.fromisoformat(part)
                continue
            except ValueError:
                pass
        if day is not None:
            dates.setdefault(part, day)  # newest first: the first date seen stays
    changed = {entry[3:] for entry in status.split("\0") if len(entry) > 3}
    return top, dates, changed


def last_updated(
    source: str | os.PathLike, use_git: bool = True, root: str | os.PathLike | None = None
) -> dt.date | None:
    """When the file at ``source`` last changed (see the module docstring).

    Git is asked once per folder: ``root`` (the content folder), when it holds
    the file, else the file's own folder."""
    source = os.path.abspath(source)
    if os.path.islink(source):
        path = Path(source).resolve()
    else:
        path = resolved(os.path.dirname(source)) / os.path.basename(source)
    key = str(path)
    if key in _dates:
        return _dates[key]
    found: dt.date | None = None
    if use_git:
        base = path.parent
        if root is not None and path.is_relative_to(resolved(root)):
            base = resolved(root)
        folder = str(base)
        if folder not in _repos:
            _repos[folder] = git_dates(base)
        repo = _repos[folder]
        if repo is not None:
            top, dates, changed = repo
            rel = path.relative_to(top).as_posix()
            if rel in changed or rel not in dates:
                found = dt.date.fromtimestamp(path.stat().st_mtime)
            else:
                found = dates[rel]
    _dates[key] = found
    return found


# The template helper ----------------------------------------------------------


@dataclass
class Wayfinding:
    settings: dict[str, Any]
    bilingual: Any
    _contents: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)

    def breadcrumbs(self, content: Content | None, lang: str, home: str) -> list[Crumb]:
        """The trail to ``content``; ``home`` names the home page ("Forside")."""
        key = getattr(content, "key", None)
        if content is None or key == self.settings["WAYFINDING_HOME_KEY"]:
            return []
        bilingual = self.bilingual
        trail = [Crumb(home, bilingual.home_url(lang))]
        if isinstance(content, Article):
            parent = self.settings["WAYFINDING_NEWS_KEY"]
        else:
            parent = next(
                (head for head, keys in bilingual.sections.items() if key in keys and key != head),
                None,
            )
        if parent:
            page = bilingual.page(parent, lang)
            if page is not None:
                title = getattr(page, "menu_title", None) or page.title
                trail.append(Crumb(title, bilingual.url(page)))
        trail.append(Crumb(content.title, bilingual.url(content)))
        return trail

    def breadcrumb_list(self, trail: list[Crumb]) -> dict[str, Any]:
        return breadcrumb_list(trail)

    def contents(self, content: Content | None) -> list[tuple[str, str]]:
        if content is None:
            return []
        source = content.source_path
        if source not in self._contents:
            html = content.content or ""
            minimum = self.settings["WAYFINDING_CONTENTS_MIN"]
            found = h2_headings(html) if len(H2_START.findall(html)) >= minimum else []
            self._contents[source] = found if len(found) >= minimum else []
        return self._contents[source]

    def updated(self, content: Content | None) -> dt.date | None:
        if content is None:
            return None
        found = last_updated(
            content.source_path, self.settings["WAYFINDING_GIT"], self.settings.get("PATH")
        )
        if found is None:
            modified = content.metadata.get("modified")
            found = modified.date() if isinstance(modified, dt.datetime) else modified
        return found


# Signal handlers ----------------------------------------------------------------


def prepare(generators) -> None:
    settings = generators[0].settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    context = generators[0].context
    context["wayfinding"] = Wayfinding(settings, context["bilingual"])


def reset(_pelican=None) -> None:
    _dates.clear()
    _repos.clear()
    _folders.clear()


def register():
    signals.all_generators_finalized.connect(prepare)
    signals.finalized.connect(reset)
