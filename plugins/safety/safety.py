"""Safe by construction: what the content may carry, and what may be published.

* Before anything is read (``initialized``), the content folder is walked once:
  a symbolic link that leads out of it, a Markdown file that is not UTF-8 or
  carries a control character, or a file name that cannot be an address stops
  the build (``sources.py``).
* As each page and article is read (``content_object_init``): each header
  field once, no indented field, a ``Summary:``, a known ``Template:``, no
  news dated in the future, plain ``Slug:``/``Url:``/``Save_as:`` values, no
  two addresses that differ only in case, and ``{static}``/``{attach}``/
  ``{filename}`` links that lead to files inside the content folder (an image
  of ``content/images/`` only as an image).
* As each page is written (``content_written``), the HTML of its text (Pelican's
  public ``content``) is judged against the allowlist (``allowlist.py``), beside
  the build (``sitelib.background``): when the site is written (``finalized``),
  an element, attribute or URL scheme outside it stops the build, naming the
  file and line, after each page found so is taken out of the output (the
  ``pelican`` command writes into it directly). ``judge`` is the one function
  that does it, in every build (``invoke build``, ``check``, ``publish``) and
  in the preview.
* Every template gets ``SAFETY_CSP`` for its ``<meta http-equiv=
  "Content-Security-Policy">`` (the directives a ``<meta>`` can carry; the
  server configurations in deploy/ send the same policy plus
  ``SAFETY_CSP_HEADER_ONLY``).

Settings, with their defaults in ``DEFAULTS``: ``SAFETY_CSP``, ``SAFETY_CHECK_HTML``,
``SAFETY_CSP_HEADER_ONLY``, ``SAFETY_REQUIRE_SUMMARY``,
``SAFETY_FUTURE_NEWS``, ``SAFETY_RESERVED_PATHS``.
It stands alone; listed after ``bilingual``, whose checks of the title,
language and key then come first when one file has several problems.
"""

from __future__ import annotations

import datetime as dt
import glob
import logging
import os
import re
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article, Content, Page

from sitelib import background
from sitelib.errors import ContentError, display_path
from sitelib.i18n import Message, _
from sitelib.settings import add_defaults
from sitelib.source import header_line, header_lines

from .allowlist import Finding, judge
from .sources import (
    check_address_value,
    check_characters,
    check_file_name,
    check_header,
    check_links,
    check_symlink,
    decode,
)

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "SAFETY_CSP": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'"
    ),
    # Sent as a header only (a <meta> cannot carry them): deploy/ has them
    "SAFETY_CSP_HEADER_ONLY": "frame-ancestors 'none'",
    # Judge each page's HTML against the allowlist (off only in tests that prove
    # what escaping or the Content-Security-Policy does on their own)
    "SAFETY_CHECK_HTML": True,
    "SAFETY_REQUIRE_SUMMARY": True,
    # False: a news article dated after the build stops it (a static site
    # shows it at once, with a date that has not come yet)
    "SAFETY_FUTURE_NEWS": False,
    # Output paths where the build writes files of its own, besides
    # THEME_STATIC_DIR and IMAGES_OUTPUT_DIR: no Save_as or Url there
    "SAFETY_RESERVED_PATHS": ("pagefind/", "drafts/"),
}

STATUSES = ("published", "hidden", "draft")
_addresses: dict[str, tuple[str, str]] = {}  # lowercase output path -> (path, as written)
# (content file, the page written from it, the judgement of its HTML)
_judged: list[tuple[str, str, Future]] = []


# The one check of a text's HTML ------------------------------------------------


def check_html(html: str, source_path: str, siteurl: str = "") -> None:
    """Stop at the first element, attribute or URL in ``html`` (the rendered text of
    ``source_path``) that the allowlist does not hold."""
    stop_at(judge(html or "", siteurl), source_path)


def stop_at(findings: list[Finding], source_path: str) -> None:
    """Stop the build at the first of ``findings`` in the text of ``source_path``."""
    if findings:
        finding = findings[0]
        more = Message(_(" (and {count} more)"), count=len(findings) - 1) if findings[1:] else ""
        raise ContentError(
            source_path,
            source_line(source_path, finding),
            _(
                "the text carries {what}{more}. The site shows only plain Markdown and a "
                "few HTML elements, so that nothing in a page can run a script, load from "
                "another website or send readers elsewhere."
            ),
            finding.fix,
            what=finding.what,
            more=more,
        )


def source_line(path: str, finding: Finding) -> int | None:
    """The first line of the file's text (after its header) that matches the finding."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines()
    start = header_lines(lines)[1]
    for needle in finding.needles:
        pattern = re.compile(needle, re.IGNORECASE)
        for number in range(start, len(lines)):
            if pattern.search(lines[number]):
                return number + 1
    return None


# The content folder, before anything is read ----------------------------------------


def check_folder(root: str) -> None:
    """No link out of ``root``; every Markdown file UTF-8, without control
    characters, named so that it can be an address."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            check_symlink(os.path.join(folder, name), root)
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                text = decode(path, handle.read())
            check_characters(path, text)
            check_file_name(path)


# One page or article, as it is read ---------------------------------------------------


def reserved_paths(settings: dict) -> tuple[str, ...]:
    return (
        f"{settings['THEME_STATIC_DIR']}/",
        f"{settings.get('IMAGES_OUTPUT_DIR', 'images')}/",
        *settings.get("SAFETY_RESERVED_PATHS", ()),
    )


def check_content(content: Content) -> None:
    if not isinstance(content, (Article, Page)):
        return
    settings = content.settings
    path = content.source_path
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    lines = text.splitlines()
    check_header(path, text)
    metadata = content.metadata
    if (
        settings.get("SAFETY_REQUIRE_SUMMARY", True)
        and not str(metadata.get("summary", "")).strip()
    ):
        raise ContentError(
            path,
            None,
            _(
                "the page has no `Summary:`, the sentence or two that search engines, "
                "link previews and the lists of pages show."
            ),
            _(
                "add a line such as `Summary: What KBT does for children and young people.` "
                "to the header, before the first blank line."
            ),
        )
    status = str(metadata.get("status", "published")).strip().lower()
    if status not in STATUSES:
        raise ContentError(
            path,
            header_line(lines, "status"),
            _("unknown `Status: {status}`."),
            _(
                "write `Status: draft` for a page not to publish yet ({statuses} are the "
                "statuses), or remove the line to publish it."
            ),
            status=metadata.get("status"),
            statuses=", ".join(STATUSES),
        )
    template = metadata.get("template")
    if template:
        templates = Path(settings["THEME"]) / "templates"
        if not (templates / f"{template}.html").is_file():
            known = sorted(p.stem for p in templates.glob("*.html") if p.stem != "base")
            raise ContentError(
                path,
                header_line(lines, "template"),
                _("unknown template “{template}”: the theme has no {template}.html."),
                _(
                    "use one of {known}, or remove the `Template:` line (pages then look "
                    "like ordinary pages)."
                ),
                template=template,
                known=", ".join(known),
            )
    if isinstance(content, Article) and not settings.get("SAFETY_FUTURE_NEWS"):
        date = getattr(content, "date", None)
        now = dt.datetime.now(date.tzinfo) if date is not None else None
        if date is not None and date > now:
            raise ContentError(
                path,
                header_line(lines, "date"),
                _(
                    "the news item is dated {date}, in the future; the site would show it "
                    "at once with a date that has not come yet."
                ),
                _(
                    "use today's date or an earlier one, and build the site again on the "
                    "day it is to appear (or set `Status: draft` until then)."
                ),
                date=date.date().isoformat(),
            )
    reserved = reserved_paths(settings)
    for field in ("slug", "url", "save_as"):
        if field in metadata:
            check_address_value(path, header_line(lines, field), field, metadata[field], reserved)
    check_links(path, text, settings["PATH"], settings.get("IMAGES_SOURCE_DIR", "images"))
    if content.status != "draft":
        remember_address(content, lines)


def remember_address(content: Content, lines: list[str]) -> None:
    """No two pages whose output files differ only in case: they collide on macOS,
    on Windows and in Git."""
    for value in (content.save_as, content.url):
        if not value:
            continue
        key = value.lower()
        other = _addresses.get(key)
        if other and other[0] != content.source_path and other[1] != value:
            raise ContentError(
                content.source_path,
                header_line(lines, "slug") or header_line(lines, "save_as"),
                _(
                    "its address {value} differs only in upper and lower case from {other}, "
                    "the address of {path}; the two files would overwrite each other on "
                    "Windows, macOS and in Git."
                ),
                _(
                    "rename one of the two files (or change its `Slug:`) so that the "
                    "addresses differ by more than case."
                ),
                value=value,
                other=other[1],
                path=display_path(other[0]),
            )
        _addresses.setdefault(key, (content.source_path, value))


# Written pages ----------------------------------------------------------------


def on_content_written(path: str, context: dict) -> None:
    """Judge the HTML of the text of the page just written, beside the build
    (``sitelib.background``); ``finish`` stops the build at the first finding."""
    content = context.get("page") or context.get("article")
    if content is None or not str(path).endswith(".html"):
        return
    if not content.settings.get("SAFETY_CHECK_HTML", True):
        return
    siteurl = content.settings.get("SITEURL", "")
    job = background.submit(judge, content.content or "", siteurl)
    _judged.append((content.source_path, os.fspath(path), job))


def finish(_pelican=None) -> None:
    """Stop the build at the first page whose text the allowlist does not hold,
    once every such page is out of the output (``withdraw``)."""
    try:
        unsafe = [
            (source_path, page, findings)
            for source_path, page, job in _judged
            if (findings := job.result())
        ]
        for _source_path, page, _findings in unsafe:
            withdraw(page)
        if unsafe:
            source_path, _page, findings = unsafe[0]
            stop_at(findings, source_path)
    finally:
        reset()


def withdraw(page: str) -> None:
    """Take a written page whose text is unsafe out of the output, with any copy
    of it named after it (``index.html.gz``). The build stops anyway; but the
    `pelican` command writes into the output folder itself, and the page must
    not be left there for whoever publishes that folder."""
    written = Path(page)
    for path in [written, *written.parent.glob(f"{glob.escape(written.name)}.*")]:
        path.unlink(missing_ok=True)
        logger.info("Took %s out of the output: its text is not safe to publish", path)


# Set-up ---------------------------------------------------------------------------


def initialize(pelican) -> None:
    settings = add_defaults(pelican.settings, DEFAULTS)
    reset()
    check_folder(settings["PATH"])


def install_template_helpers(generator) -> None:
    generator.env.globals["csp_policy"] = generator.settings.get(
        "SAFETY_CSP", DEFAULTS["SAFETY_CSP"]
    )


def reset(_pelican=None) -> None:
    _addresses.clear()
    _judged.clear()


def register():
    signals.initialized.connect(initialize)
    signals.generator_init.connect(install_template_helpers)
    signals.content_object_init.connect(check_content)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(finish)
