"""Site search with Pagefind, one index per language: see search.py."""

from .search import *  # noqa: F403
