"""Publish: build with publishconf.py into a fresh folder, check it, then swap it in.

``build_site`` already stops on warnings and broken links inside the site.
On top of that, every URL in the built HTML (and every ``<loc>`` of the
sitemap) must stay under SITEURL: a link to ``/kontakt/`` or to another copy
of the site would break once the site is served from, say,
``https://example.org/kbt/``. Only when the checks pass is the new site moved
into the output folder; until then the last good site stays as it was.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from build import BuildError, build_site, swap_into_place

logger = logging.getLogger(__name__)

# Attributes that hold URLs; `<a href>` may lead to other sites, nothing else may.
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "poster", "data")
LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


class PublishError(BuildError):
    """The published site failed a check; nothing was replaced."""


def siteurl_from_env(default: str | None = None) -> str | None:
    """SITEURL from the environment (without a trailing slash), else ``default``."""
    value = os.environ.get("SITEURL", "").strip().rstrip("/")
    return value or default


def _urls(tag, attribute: str) -> list[str]:
    value = tag.get(attribute)
    if not value:
        return []
    if attribute == "srcset":
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return [value.strip()]


def stray_urls(html: str, siteurl: str) -> list[str]:
    """The URLs of a page that do not stay under ``siteurl``, with why."""
    site = urlsplit(siteurl)
    prefix = siteurl.rstrip("/") + "/"
    problems = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            for url in _urls(tag, attribute):
                if url.startswith(("#", "mailto:", "tel:", "data:")):
                    continue
                parts = urlsplit(url)
                if not parts.scheme and not parts.netloc:
                    if url.startswith("/"):
                        problems.append(f"{url} (starts at the server root, not at {prefix})")
                    continue  # relative to the page: stays under it
                if url == siteurl.rstrip("/") or url.startswith(prefix):
                    continue
                if parts.netloc == site.netloc:
                    problems.append(f"{url} (this site's host, but not under {prefix})")
                elif not (tag.name == "a" and attribute == "href"):
                    problems.append(f"{url} (<{tag.name} {attribute}> loads from another site)")
        if tag.name == "meta" and tag.get("property", "").startswith("og:"):
            content = tag.get("content", "")
            if content.startswith(("http://", "https://")) and not content.startswith(prefix):
                problems.append(f"{content} (<meta property={tag['property']}> not under {prefix})")
    return problems


def check_urls(output: Path, siteurl: str) -> list[str]:
    """``file: url (why)`` for every URL of the built site that leaves ``siteurl``."""
    problems = []
    prefix = siteurl.rstrip("/") + "/"
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output)
        for problem in stray_urls(path.read_text(encoding="utf-8"), siteurl):
            problems.append(f"{rel}: {problem}")
    for path in sorted(output.rglob("*.xml")):
        for url in LOC.findall(path.read_text(encoding="utf-8")):
            if not url.startswith(prefix):
                problems.append(f"{path.relative_to(output)}: {url} (not under {prefix})")
    return problems


def publish(
    settings_file: str | os.PathLike,
    output: str | os.PathLike,
    siteurl: str | None = None,
    overrides: dict | None = None,
) -> Path:
    """Build, check and swap into ``output``; raise BuildError and leave it as it was."""
    overrides = dict(overrides or {})
    siteurl = siteurl or siteurl_from_env()
    if siteurl:
        overrides["SITEURL"] = siteurl.rstrip("/")
    target = Path(output).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.publish-", dir=target.parent))
    try:
        fresh = build_site(settings_file, work / "site", overrides)
        from pelican.settings import read_settings

        used = siteurl or read_settings(os.fspath(settings_file), override=overrides)["SITEURL"]
        if not used.startswith(("http://", "https://")):
            raise PublishError(
                f"SITEURL is {used!r}: the published site needs its full address.\n"
                "  How to fix: run with SITEURL=https://example.org (or set it in publishconf.py)."
            )
        problems = check_urls(fresh, used)
        if problems:
            shown = "\n".join(problems[:30])
            more = f"\n... and {len(problems) - 30} more" if len(problems) > 30 else ""
            raise PublishError(
                f"{len(problems)} URL(s) leave {used}/:\n{shown}{more}\n"
                "  How to fix: link to pages with {filename}, not with a written-out "
                "address; templates build URLs from SITEURL."
            )
        swap_into_place(fresh, target)
        logger.info("Published %s into %s", used, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
