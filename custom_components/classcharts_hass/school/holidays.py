"""Holidays: runs of weekdays without lessons in the timetable days read.

No country calendars: a bank holiday or an INSET day is a weekday without
lessons like any other. A run ends at a day not read: what is not known is not
claimed, so a long holiday grows as the days after it are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Final

SATURDAY: Final = 5


def holiday_runs(lessons: Mapping[date, Sequence[object]]) -> list[tuple[date, date]]:
    """The first and last weekday of each run of read weekdays without lessons.

    A weekend inside a run does not break it (a half term with its weekends is
    one holiday); a weekday not read, or one with lessons, does.
    """
    runs: list[tuple[date, date]] = []
    first: date | None = None
    last: date | None = None
    for day in sorted(d for d in lessons if d.weekday() < SATURDAY):
        joined = last is not None and _only_weekend_between(last, day)
        if lessons[day]:
            if first is not None and last is not None:
                runs.append((first, last))
            first = last = None
            continue
        if first is None or not joined:
            if first is not None and last is not None:
                runs.append((first, last))
            first = day
        last = day
    if first is not None and last is not None:
        runs.append((first, last))
    return runs


def _only_weekend_between(earlier: date, later: date) -> bool:
    """Whether every day strictly between two weekdays is a Saturday or Sunday."""
    day = earlier + timedelta(days=1)
    while day < later:
        if day.weekday() < SATURDAY:
            return False
        day += timedelta(days=1)
    return True
