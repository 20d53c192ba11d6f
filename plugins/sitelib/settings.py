"""Settings, read one way by every plugin.

Each plugin keeps its defaults in one ``DEFAULTS`` dict and fills in the
missing ones when Pelican starts (``initialized``), into the settings dict
that Pelican hands to every generator and content object; from then on it
reads ``settings[NAME]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def add_defaults(settings: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Fill in the settings ``defaults`` names that ``settings`` lacks; returns ``settings``."""
    for name, value in defaults.items():
        settings.setdefault(name, value)
    return settings
