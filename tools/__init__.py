"""Helpers behind the staff tasks in tasks.py: scaffolding and translation reports."""

import sys
from pathlib import Path

# The staff commands share the plugins' checks and parsers (the timeline parser,
# the placeholders of an unfinished page): put plugins/ on the import path.
PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.append(str(PLUGINS))
