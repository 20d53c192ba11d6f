"""Site search with Pagefind, one run per build, an index per language: see search.py."""

from .search import *  # noqa: F403
