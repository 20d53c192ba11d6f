"""Quality gates on the written site: see quality.py."""

from .quality import *  # noqa: F403
