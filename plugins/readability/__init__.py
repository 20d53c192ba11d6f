"""LIX for every page and news item, with a limit per language: see readability.py."""

from .readability import *  # noqa: F403
