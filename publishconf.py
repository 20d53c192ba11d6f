"""Settings for the published site: everything in pelicanconf.py, plus these.

The site's address comes from the SITEURL environment variable when it is
set (for example ``SITEURL=https://example.org/kbt invoke publish``).
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402, F403

SITEURL = os.environ.get("SITEURL", "https://www.kbtkompetanse.no").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Every URL of the built site must stay under SITEURL (the quality plugin's link check)
QUALITY_SITEURL_ONLY = True
