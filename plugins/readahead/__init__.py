"""Markdown converted on another core while Pelican reads: see readahead.py."""

from .readahead import *  # noqa: F403
