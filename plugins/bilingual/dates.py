"""Dates as precise as the source allows: ``2022``, ``2023-08`` or ``2011-11-26``.

A news item about something the organisation's texts date only by year must
not show an invented day. ``parse_date`` keeps the precision in the type of the
date it returns, so it survives Pelican's content cache and time-zone handling;
``format_date`` and ``datetime_attr`` show no more than that precision.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from pelican.utils import SafeDatetime


class DayDate(SafeDatetime):
    """A date known to the day."""

    precision = "day"


class MonthDate(DayDate):
    """A date known only to the month (stored as its first day)."""

    precision = "month"


class YearDate(DayDate):
    """A date known only to the year (stored as 1 January)."""

    precision = "year"


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
FORMATS_HINT = "write it as 2011-11-26 (a day), 2023-08 (a month) or 2022 (a year)"


def parse_date(value: str, timezone: str = "UTC") -> DayDate:
    """Parse a ``Date:`` value; raise ValueError saying how to write it."""
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"Date: {text!r} is not a date that can be read; {FORMATS_HINT}.")
    year, month, day = (int(part) if part else None for part in match.groups())
    cls = DayDate if day else MonthDate if month else YearDate
    try:
        return cls(year, month or 1, day or 1, tzinfo=ZoneInfo(timezone))
    except ValueError as error:
        raise ValueError(f"Date: {text!r} does not exist ({error}); {FORMATS_HINT}.") from None


def precision_of(date: dt.date) -> str:
    return getattr(date, "precision", "day")


def format_date(date: dt.date, locale: str) -> str:
    """The date in words for ``locale``, no more precise than it is known."""
    # Each date is shown on several pages (its own, the lists, the timeline):
    # format it once. The class is part of the key: a MonthDate equals the
    # DayDate of the first of its month.
    return _format_date(type(date), date, locale)


@functools.lru_cache(maxsize=4096)
def _format_date(_kind: type, date: dt.date, locale: str) -> str:
    precision = precision_of(date)
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return format_skeleton("yMMMM", date, locale=locale)
    return babel_format_date(date, format="long", locale=locale)


def datetime_attr(date: dt.date) -> str:
    """The value for ``<time datetime>``, at the date's own precision."""
    precision = precision_of(date)
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
