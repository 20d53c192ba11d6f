"""Publish: build with publishconf.py into a fresh folder, then swap it in.

``build_site`` stops on warnings and broken links inside the site, and
publishconf.py turns on the quality plugin's ``QUALITY_SITEURL_ONLY``: every
URL of the built pages (and every ``<loc>`` of the sitemap) must stay under
SITEURL, since a link to ``/kontakt/`` or to another copy of the site would
break once the site is served from, say, ``https://example.org/kbt/``. Only
when the build passes is the new site moved into the output folder; until
then the last good site stays as it was.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from build import BuildError, build_site

logger = logging.getLogger(__name__)


class PublishError(BuildError):
    """The published site failed a check; nothing was replaced."""


def siteurl_from_env(default: str | None = None) -> str | None:
    """SITEURL from the environment (without a trailing slash), else ``default``."""
    value = os.environ.get("SITEURL", "").strip().rstrip("/")
    return value or default


def check_full_address(settings: dict) -> None:
    """Stop before building unless SITEURL is a full http(s) address."""
    used = settings.get("SITEURL") or ""
    if not used.startswith(("http://", "https://")):
        raise PublishError(
            f"SITEURL is {used!r}: the published site needs its full address.\n"
            "  How to fix: run with SITEURL=https://example.org (or set it in publishconf.py)."
        )
    parts = urlsplit(used)
    bad = sorted({c for c in used if c.isspace() or c in "\"'<>\\^`{|}"})
    if bad or parts.query or parts.fragment or "?" in used or "#" in used or not parts.netloc:
        what = (
            "a space or a character that cannot stand in an address"
            if bad
            else "a query (?…) or fragment (#…)"
            if (parts.query or parts.fragment or "?" in used or "#" in used)
            else "no host name"
        )
        raise PublishError(
            f"SITEURL is {used!r}, which has {what}: every link of the site starts "
            "with it, so every link would break.\n"
            "  How to fix: give the plain address of the site's folder, such as "
            "SITEURL=https://example.org/kbt (a folder name with hyphens, not spaces)."
        )


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
    target = build_site(settings_file, output, overrides, check_settings=check_full_address)
    logger.info("Published into %s", target)
    return target
