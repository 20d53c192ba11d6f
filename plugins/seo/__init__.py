"""Feeds, sitemaps and metadata for search engines and feed readers: see seo.py."""

from .seo import *  # noqa: F403
