"""A per-pupil cache of timetable days shared by the coordinator and calendar."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from ..client import ClassChartsClient, Lesson
from .clock import instant
from .log import LOGGER

MAX_AGE: Final = timedelta(hours=24)
MAX_DAYS_PER_QUERY: Final = 93
MAX_CACHED_DAYS: Final = 400
MAX_LESSON: Final = timedelta(hours=12)
CONCURRENCY: Final = 7  # a week of days in one round trip


class TimetableCache:
    """Lessons per day: past days are kept, future days refreshed daily."""

    def __init__(self, client: ClassChartsClient, pupil_id: int) -> None:
        """Start with an empty cache for one pupil."""
        self._client = client
        self._pupil_id = pupil_id
        self._days: dict[date, tuple[datetime, list[Lesson]]] = {}
        self._limit = asyncio.Semaphore(CONCURRENCY)

    def known(self, start: date, end: date) -> dict[date, list[Lesson]]:
        """The cached days between two dates, without fetching."""
        return {
            day: lessons
            for day, (_, lessons) in self._days.items()
            if start <= day <= end
        }

    def read_at(self, day: date) -> datetime | None:
        """When ``day`` was last read, if it is cached."""
        cached = self._days.get(day)
        return None if cached is None else cached[0]

    def stale_days(
        self, start: date, end: date, now: datetime, *, refresh: bool = False
    ) -> list[date]:
        """Days in the range that must be fetched.

        A day is fetched when it was never fetched, or when it is today or later
        and its copy is older than a day (or ``refresh`` asks for it).
        """
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        return [
            day
            for day in days
            if day not in self._days
            or (day >= now.date() and (refresh or now - self._days[day][0] >= MAX_AGE))
        ]

    async def fetch(
        self, start: date, end: date, now: datetime, *, refresh: bool = False
    ) -> dict[date, list[Lesson]]:
        """Return every day of the range, fetching only what is missing or stale."""
        if (end - start).days + 1 > MAX_DAYS_PER_QUERY:
            end = start + timedelta(days=MAX_DAYS_PER_QUERY - 1)

        zone = self._client.pupil_zone(self._pupil_id)

        async def one(day: date) -> None:
            async with self._limit:
                lessons = await self._client.get_timetable(self._pupil_id, day)
            kept = [lesson for lesson in lessons if _belongs_to(lesson, day, zone)]
            if len(kept) < len(lessons):
                LOGGER.debug(
                    "Dropped %s lessons of pupil %s on %s that are not of that day",
                    len(lessons) - len(kept),
                    self._pupil_id,
                    day,
                )
            self._days[day] = (now, kept)

        await asyncio.gather(
            *(one(day) for day in self.stale_days(start, end, now, refresh=refresh))
        )
        self._trim(now.date())
        return self.known(start, end)

    def _trim(self, today: date) -> None:
        """Past the cache's size, forget the days farthest from today first.

        However far a calendar browses, the days around today stay: the lesson
        sensors and the polling schedule read them.
        """
        excess = len(self._days) - MAX_CACHED_DAYS
        if excess > 0:
            farthest = sorted(self._days, key=lambda day: -abs(day - today))
            for day in farthest[:excess]:
                del self._days[day]


def _belongs_to(lesson: Lesson, day: date, zone: tzinfo) -> bool:
    """A lesson that starts on its day and lasts a plausible time.

    A lesson dated elsewhere (a year far away, say) would move the school
    window and the lesson sensors; it is dropped instead.
    """
    length = instant(lesson.end) - instant(lesson.start)
    starts = lesson.start.astimezone(zone).date()
    return starts == day and timedelta(0) <= length <= MAX_LESSON
