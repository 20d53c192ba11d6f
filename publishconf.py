"""Settings for the published site: everything in pelicanconf.py, plus these.

The site's address is PUBLISHED_SITEURL below, which the publisher fills in
(README, "Publishing"); the SITEURL environment variable wins over it (for
example ``SITEURL=https://example.org/kbt invoke publish``).
"""

import hashlib
import os
import runpy

# Everything pelicanconf.py sets, read from the file next to this one (the
# `pelican` command does not put this folder on sys.path)
globals().update(
    (name, value)
    for name, value in runpy.run_path(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py")
    ).items()
    if name.isupper()
)

# The published site's full address, such as "https://www.example.org": fill it
# in before publishing. KBT's own texts name www.kbtmidt.no as its website, and
# its e-mail addresses use kbtkompetanse.no: ask KBT which address is current.
# Left empty, `invoke publish` stops and asks for it.
PUBLISHED_SITEURL = ""

SITEURL = os.environ.get("SITEURL", PUBLISHED_SITEURL).rstrip("/")

# Pelican's content cache keeps each page as Markdown made it, with its images'
# full addresses (SITEURL): the published site keeps its own cache, one per
# address, so that neither `pelican -s pelicanconf.py` nor a publish to another
# address reuses pages made for another SITEURL. (`-e SITEURL=...` on the command
# line comes after this file: use the SITEURL environment variable instead.)
CACHE_PATH = os.path.join(
    CACHE_PATH,  # noqa: F821 - from pelicanconf.py
    "published",
    hashlib.sha256(SITEURL.encode()).hexdigest()[:16],
)

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Every URL of the built site must stay under SITEURL (the quality plugin's link check)
QUALITY_SITEURL_ONLY = True
