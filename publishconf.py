"""Settings for the published site: everything in pelicanconf.py, plus these.

The site's address comes from the SITEURL environment variable when it is
set (for example ``SITEURL=https://example.org/kbt invoke publish``).
"""

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

SITEURL = os.environ.get("SITEURL", "https://www.kbtkompetanse.no").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Every URL of the built site must stay under SITEURL (the quality plugin's link check)
QUALITY_SITEURL_ONLY = True
