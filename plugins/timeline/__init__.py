"""Yearly milestones in Markdown as a timeline in both languages: see timeline.py."""

from .parser import Milestone, Timeline, TimelineError, parse_timeline
from .timeline import DEFAULTS, load_timelines, register

__all__ = [
    "DEFAULTS",
    "Milestone",
    "Timeline",
    "TimelineError",
    "load_timelines",
    "parse_timeline",
    "register",
]
