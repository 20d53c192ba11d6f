"""Soft hyphens in long heading words: see hyphenate.py."""

from .hyphenate import *  # noqa: F403
