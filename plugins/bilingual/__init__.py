"""Two languages with Pelican's own translations: see bilingual.py."""

from .bilingual import *  # noqa: F403
