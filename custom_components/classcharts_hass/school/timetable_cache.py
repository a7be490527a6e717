"""A per-pupil cache of timetable days shared by the coordinator and calendar."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, tzinfo
from typing import Final
import weakref

from ..client import ClassChartsClient, ClassChartsError, Lesson
from .clock import instant
from .log import LOGGER

MAX_AGE: Final = timedelta(hours=24)
MAX_DAYS_PER_QUERY: Final = 93
MAX_CACHED_DAYS: Final = 400
MAX_LESSON: Final = timedelta(hours=12)
CONCURRENCY: Final = 7  # a week of days in one round trip


class UnreadLessonError(ClassChartsError):
    """A re-read of a day held a lesson that could not be read."""


class TimetableCache:
    """Lessons per day: past days are kept, future days refreshed daily.

    Each day's read stands alone. A re-read that fails, or holds a lesson
    that cannot be read, keeps the day as it was (``failing`` says since
    when). A re-read that loses most of a day's lessons is doubted: the day
    stays as it was until a second read (``pending``) agrees or not.
    """

    def __init__(self, client: ClassChartsClient, pupil_id: int) -> None:
        """Start with an empty cache for one pupil."""
        self._client = client
        self._pupil_id = pupil_id
        self._days: dict[date, tuple[datetime, list[Lesson]]] = {}
        # Days whose last read failed: since when (the first failure of a run).
        self._failing: dict[date, datetime] = {}
        # Days whose last read lost most lessons, waiting for a second read.
        self._doubted: set[date] = set()
        self._limit = asyncio.Semaphore(CONCURRENCY)
        # Reads are numbered as they begin (the semaphore, first come first
        # served, sends them in that order); per day, the number of the last
        # answer kept. A calendar's read and a poll's of one day may overlap: an
        # answer arriving after that of a read begun later is older, left out;
        # a failure is no answer (an older one may still be the newest there is).
        self._reads = 0
        self._last_kept: dict[date, int] = {}

    def known(self, start: date, end: date) -> dict[date, list[Lesson]]:
        """The cached days between two dates, without fetching."""
        return {
            day: lessons
            for day, (_, lessons) in self._days.items()
            if start <= day <= end
        }

    def shown(self, now: datetime, keep: timedelta) -> dict[date, list[Lesson]]:
        """The cached days that may be shown.

        A day whose reads fail for longer than ``keep`` is unknown, like a
        day never read.
        """
        return {
            day: lessons
            for day, (_, lessons) in self._days.items()
            if day not in self._failing or now - self._failing[day] < keep
        }

    def pending(self, today: date) -> list[date]:
        """Days from today on to read again at the next poll: doubted or failing."""
        return sorted(d for d in self._doubted | self._failing.keys() if d >= today)

    @property
    def doubted(self) -> bool:
        """Whether a day waits for the second read that confirms it."""
        return bool(self._doubted)

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
        """Return every day of the range, fetching only what is missing or stale.

        For a calendar or an action: any day that fails fails the whole range.
        """
        if (end - start).days + 1 > MAX_DAYS_PER_QUERY:
            end = start + timedelta(days=MAX_DAYS_PER_QUERY - 1)
        errors = await self._read(
            self.stale_days(start, end, now, refresh=refresh), now
        )
        if errors:
            raise errors[0]
        return self.known(start, end)

    async def refresh(
        self, days: list[date], now: datetime
    ) -> dict[date, list[Lesson]]:
        """Read these days again, each alone; fail only when every read failed.

        Returns the days asked for as they now stand (a day that failed or
        was doubted as it was; one never read is left out).
        """
        failing = set(self._failing)
        errors = await self._read(days, now)
        if errors and len(errors) == len(days):
            raise errors[0]  # the dataset fails, and its failure is logged
        for day in sorted(self._failing.keys() - failing):  # once per run
            LOGGER.warning(
                "ClassCharts timetable of pupil %s for %s failed; keeping that day "
                "as it was, the other days read fine",
                self._pupil_id,
                day,
            )
        return {day: self._days[day][1] for day in days if day in self._days}

    async def _read(self, days: list[date], now: datetime) -> list[Exception]:
        """Read each day and keep what it says; return the failures."""
        first, self._reads = self._reads, self._reads + len(days)
        results = await asyncio.gather(
            *(self._one(day) for day in days), return_exceptions=True
        )
        errors: list[Exception] = []
        for number, (day, result) in enumerate(zip(days, results, strict=True)):
            if self._last_kept.get(day, -1) > first + number:
                continue  # a read begun later has answered: this one is older
            if isinstance(result, Exception):
                self._failing.setdefault(day, now)
                errors.append(result)
            elif isinstance(result, BaseException):
                raise result  # cancellation is not a failed read
            else:
                self._last_kept[day] = first + number
                self._accept(day, result, now)
        self._trim(now.date())
        return errors

    async def _one(self, day: date) -> list[Lesson]:
        """One day's lessons as read; a re-read with an unreadable lesson fails."""
        async with self._limit:
            lessons = await self._client.get_timetable(self._pupil_id, day)
            unread = _new_drops(self._client)
        if day in self._days and unread:
            msg = f"a lesson of {day.isoformat()} could not be read"
            raise UnreadLessonError(msg)
        zone = self._client.pupil_zone(self._pupil_id)
        kept = [lesson for lesson in lessons if _belongs_to(lesson, day, zone)]
        if len(kept) < len(lessons):
            LOGGER.debug(
                "Dropped %s lessons of pupil %s on %s that are not of that day",
                len(lessons) - len(kept),
                self._pupil_id,
                day,
            )
        return kept

    def _accept(self, day: date, lessons: list[Lesson], now: datetime) -> None:
        """Keep a day's read, unless it is the first to lose most of the day."""
        self._failing.pop(day, None)
        before = self._days.get(day)
        if (
            before is not None
            and day not in self._doubted
            and len(lessons) * 2 < len(before[1])
        ):
            self._doubted.add(day)
            LOGGER.debug(
                "Pupil %s's %s lost %s of %s lessons; read again before believing it",
                self._pupil_id,
                day,
                len(before[1]) - len(lessons),
                len(before[1]),
            )
            return
        self._doubted.discard(day)
        self._days[day] = (now, lessons)

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
        # Past days are never read again: nothing is pending for them.
        self._doubted = {day for day in self._doubted if day >= today}
        self._failing = {d: t for d, t in self._failing.items() if d >= today}
        # Only answers kept are numbered, and a kept answer's day is cached.
        self._last_kept = {d: n for d, n in self._last_kept.items() if d in self._days}


# Per client: its count of unreadable timetable items when a read last ended.
_DROPS_SEEN: Final[weakref.WeakKeyDictionary[ClassChartsClient, int]] = (
    weakref.WeakKeyDictionary()
)


def _new_drops(client: ClassChartsClient) -> int:
    """Unreadable lessons in the timetable answer just parsed.

    The client counts them; the answer is parsed in the same step of the
    event loop that resumes the read (no ``await`` in between), so the count's
    growth since the last read of any day ended belongs to this one.
    """
    dropped = int(client.diagnostics().get("dropped", {}).get("timetable", 0))
    before = _DROPS_SEEN.get(client, 0)
    _DROPS_SEEN[client] = dropped
    return dropped - before


def _belongs_to(lesson: Lesson, day: date, zone: tzinfo) -> bool:
    """A lesson that starts on its day and lasts a plausible time.

    A lesson dated elsewhere (a year far away, say) would move the school
    window and the lesson sensors; it is dropped instead.
    """
    length = instant(lesson.end) - instant(lesson.start)
    starts = lesson.start.astimezone(zone).date()
    return starts == day and timedelta(0) <= length <= MAX_LESSON
