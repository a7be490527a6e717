"""How each dataset is fetched and made safe to show (rows in ``datasets.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
import math
from typing import Final

from ..client import (
    ActivityItem,
    Announcement,
    Attendance,
    Badge,
    BehaviourSummary,
    ClassChartsClient,
    ClassChartsError,
    CustomField,
    Detention,
    Homework,
    Lesson,
    RewardShop,
)
from .clock import midnight, start_of
from .log import LOGGER
from .lookahead import look_ahead
from .timetable_cache import TimetableCache

HOMEWORK_DAYS_BACK: Final = 28
HOMEWORK_DAYS_AHEAD: Final = 91
TIMETABLE_DAYS_AHEAD: Final = 6
# After an outage or a restart, read back this far for missed behaviour points.
MAX_CATCH_UP: Final = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Call:
    """What every fetch has: the client, the pupil and the moment."""

    client: ClassChartsClient
    pupil_id: int
    now: datetime

    @property
    def today(self) -> date:
        """Today in the school's time zone."""
        return self.now.date()


@dataclass(frozen=True, slots=True)
class ActivityInputs:
    """The activity feed's inputs: how far back it must reach."""

    call: Call
    # When the newest behaviour point already announced happened, if known.
    newest_point: datetime | None
    # The school-year summary read so far (the feed reaches back to it).
    year: YearSoFar | None


@dataclass(frozen=True, slots=True)
class TimetableInputs:
    """The timetable's inputs: the pupil's day cache and when it was last read."""

    call: Call
    cache: TimetableCache
    # When the timetable was last read successfully (None: not yet in this run).
    last_read: datetime | None
    # False when only the pending days are read (not the schedule's).
    scheduled: bool


@dataclass(frozen=True, slots=True)
class WithLast[T]:
    """A read that may reuse its own last good value (a report already read)."""

    call: Call
    last: T | None


# The timetable's value: the lessons of each day a read asked for. A later
# step lets one day fail alone (a day -> lessons or failure map); today a
# failed day fails the whole read.
type DaysRead = dict[date, list[Lesson]]


def school_year_start(today: date) -> date:
    """The school year starts on 1 September."""
    year = today.year if today.month >= 9 else today.year - 1  # noqa: PLR2004
    return date(year, 9, 1)


@dataclass(frozen=True, slots=True)
class Activity:
    """Activity items and the instant from which the list is complete."""

    items: list[ActivityItem]
    complete_from: datetime


@dataclass(frozen=True, slots=True)
class YearSoFar:
    """This school year's totals from ``start`` up to and including ``until``."""

    start: date
    until: date
    summary: BehaviourSummary


EARLIEST: Final = date(2000, 1, 1)
LATEST: Final = date(2100, 1, 1)


def plausible(day: date | None) -> bool:
    """A date a school could mean (far ones would break date arithmetic)."""
    return day is None or EARLIEST <= day < LATEST


def clean_activity(value: Activity) -> Activity:
    """Drop points dated where no school is."""
    items = [i for i in value.items if plausible(i.timestamp.date())]
    return Activity(items=items, complete_from=value.complete_from)


def clean_homework(value: list[Homework]) -> list[Homework]:
    """Drop homework set or due where no school is."""
    return [h for h in value if plausible(h.due_date) and plausible(h.issue_date)]


def clean_detentions(value: list[Detention]) -> list[Detention]:
    """Drop detentions dated where no school is."""
    return [d for d in value if plausible(d.start.date() if d.start else None)]


def clean_announcements(value: list[Announcement]) -> list[Announcement]:
    """Drop announcements dated where no school is."""
    return [a for a in value if plausible(a.timestamp.date())]


def clean_attendance(value: Attendance) -> Attendance:
    """A percentage that is not one (NaN, 250) is no percentage."""
    percent = value.percentage
    if percent is not None and not (math.isfinite(percent) and 0 <= percent <= 100):  # noqa: PLR2004
        return replace(value, percentage=None)
    return value


async def fetch_activity(inputs: ActivityInputs) -> Activity:
    """Activity since midnight, reaching back to what the year totals still miss.

    The year totals add the feed after the last day of the summary; if the
    summary is old (it failed today), the feed reads back to that day.
    """
    ctx = inputs.call
    since = midnight(ctx.now)
    if inputs.newest_point is not None:
        since = min(since, inputs.newest_point)
    if (year := inputs.year) is not None:
        day_after = year.until + timedelta(days=1)
        since = min(since, start_of(day_after, ctx.now.tzinfo))
    since = max(since, ctx.now - MAX_CATCH_UP)
    items, complete = await ctx.client.get_activity_history(
        ctx.pupil_id, since, ctx.today
    )
    complete_from = since if complete or not items else items[-1].timestamp
    return Activity(items=items, complete_from=complete_from)


async def fetch_behaviour(ctx: Call) -> YearSoFar:
    """This school year's totals up to yesterday."""
    start, yesterday = school_year_start(ctx.today), ctx.today - timedelta(days=1)
    if start > yesterday:  # 1 September: nothing to ask about yet
        return YearSoFar(start, yesterday, BehaviourSummary(positive=0, negative=0))
    summary = await ctx.client.get_behaviour(ctx.pupil_id, start, yesterday)
    return YearSoFar(start, yesterday, summary)


async def fetch_homework(ctx: Call) -> list[Homework]:
    """Homework due from four weeks back to 13 weeks ahead."""
    return await ctx.client.get_homeworks(
        ctx.pupil_id,
        ctx.today - timedelta(days=HOMEWORK_DAYS_BACK),
        ctx.today + timedelta(days=HOMEWORK_DAYS_AHEAD),
    )


async def fetch_timetable(inputs: TimetableInputs) -> DaysRead:
    """Read the week ahead again (through the pupil's day cache): the days read.

    The day's first read takes the week; a checkpoint's read later that day
    (``datasets.TIMETABLE_CHECKPOINTS``) only today and tomorrow, where a
    change is news (``changes.py``). Days whose last read failed or was
    doubted (``TimetableCache.pending``) are read at every poll until they
    read well; each day's read stands alone.
    """
    ctx, cache = inputs.call, inputs.cache
    days = set(cache.pending(ctx.today))  # doubted or failing: read again
    week = False
    if inputs.scheduled:
        last = inputs.last_read
        week = last is None or last.date() != ctx.today
        ahead = TIMETABLE_DAYS_AHEAD if week else 1
        days.update(ctx.today + timedelta(days=n) for n in range(ahead + 1))
    week_end = ctx.today + timedelta(days=TIMETABLE_DAYS_AHEAD)
    # A second read of a day past the week (doubted by the look-ahead's read)
    # may leave the look-ahead a day short: it goes on at once.
    confirming = any(day > week_end for day in days)
    read = await cache.refresh(sorted(days), ctx.now)
    known = cache.known(ctx.today, week_end)
    empty_week = len(known) == TIMETABLE_DAYS_AHEAD + 1 and not any(known.values())
    if (week or confirming) and empty_week:
        # A week without lessons: look past it for the next school day.
        # A failing look-ahead read costs only the look-ahead.
        try:
            await look_ahead(cache, week_end, ctx.now)
        except ClassChartsError as err:
            LOGGER.debug("Reading past the week failed: %s", err)
    return read


async def fetch_detentions(call: Call) -> list[Detention]:
    """Detentions, past and future."""
    return await call.client.get_detentions(call.pupil_id)


async def fetch_announcements(call: Call) -> list[Announcement]:
    """Announcements."""
    return await call.client.get_announcements(call.pupil_id)


async def fetch_rewards(call: Call) -> RewardShop:
    """The reward shop (students only)."""
    return await call.client.get_rewards(call.pupil_id)


async def fetch_custom_fields(call: Call) -> list[CustomField]:
    """The school's targets (custom fields)."""
    return await call.client.get_custom_fields(call.pupil_id)


async def fetch_badges(ctx: Call) -> list[Badge]:
    """The badges and each award (dated where a school can be)."""
    badges = await ctx.client.get_badges(ctx.pupil_id)
    return [
        replace(
            badge,
            awards=tuple(a for a in badge.awards if plausible(a.timestamp.date())),
        )
        for badge in badges
    ]


async def fetch_attendance(ctx: Call) -> Attendance:
    """Attendance this school year."""
    start = school_year_start(ctx.today)
    return await ctx.client.get_attendance(ctx.pupil_id, start, ctx.today)
