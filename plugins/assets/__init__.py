"""One CSS and one JavaScript file for the whole site: see assets.py."""

from .assets import *  # noqa: F403
