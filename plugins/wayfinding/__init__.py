"""Breadcrumbs, contents lists and last-updated dates for pages: see wayfinding.py."""

from .wayfinding import *  # noqa: F403
