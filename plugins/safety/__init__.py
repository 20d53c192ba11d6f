"""Safe by construction: see safety.py."""

from .safety import *  # noqa: F403
