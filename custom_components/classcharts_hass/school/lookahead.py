"""Next school day through a long holiday: a few single-day reads past the week.

The week ahead is read every day. When it has no lessons (a holiday), each
daily read also reads up to ``LOOKAHEAD_READS`` single weekdays past what is
already known, until a day with lessons is found. Days without lessons read
within ``TRUST_NO_LESSONS`` are believed (holidays rarely change); a day with
lessons past the week is read again before it is claimed. Weekends past the
week are not read: they are taken as days without lessons.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .timetable_cache import TimetableCache

LOOKAHEAD_READS: Final = 2
# No school day further ahead than this is looked for (a summer holiday).
LOOKAHEAD_LIMIT: Final = timedelta(days=49)
TRUST_NO_LESSONS: Final = timedelta(days=7)
# A day with lessons past the week counts when read this recently.
TRUST_LESSONS: Final = timedelta(hours=1)
SATURDAY: Final = 5


def _weekdays_after(day: date, last: date) -> list[date]:
    """The weekdays after ``day`` up to ``last``."""
    days = []
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY:
            days.append(day)
    return days


def walk(
    cache: TimetableCache, week_end: date, now: datetime
) -> tuple[date | None, date | None]:
    """``(last day known, first day to read)`` past the week, by the trust rules.

    The walk stops at the first weekday with lessons that was read recently
    (the next school day: nothing after it matters), or at a weekday that must
    be read first.
    """
    known = week_end
    for day in _weekdays_after(week_end, now.date() + LOOKAHEAD_LIMIT):
        read = cache.read_at(day)
        if read is None:
            return known, day
        lessons = cache.known(day, day)[day]
        trust = TRUST_LESSONS if lessons else TRUST_NO_LESSONS
        if now - read >= trust:
            return known, day
        known = day
        if lessons:
            return known, None
    return known, None


async def look_ahead(cache: TimetableCache, week_end: date, now: datetime) -> None:
    """Read up to ``LOOKAHEAD_READS`` single days past the week, one at a time."""
    for _ in range(LOOKAHEAD_READS):
        _, wanted = walk(cache, week_end, now)
        if wanted is None or wanted in cache.pending(now.date()):
            # A day read as lost (or failing) waits for the poll that reads it
            # again minutes later; that poll goes on looking ahead.
            return
        await cache.fetch(wanted, wanted, now, refresh=True)


def known_until(cache: TimetableCache, week_end: date, now: datetime) -> date:
    """The last day the next school day may be looked for (the week at least)."""
    known, _ = walk(cache, week_end, now)
    return known or week_end
