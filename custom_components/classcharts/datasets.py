"""The one description of each dataset: how it is fetched, when, and who reads it.

The coordinator fetches from this table, the schedule reads each row's cadence,
entities name the datasets they read (their ``display_*`` flags and their
availability follow from that) and diagnostics list the rows. Adding a dataset
(badges, say) is a row here, an entity description in a platform, and its name
in ``translations/en.json``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
import math
from typing import TYPE_CHECKING, Any, Final

from .client import (
    AccountType,
    ActivityItem,
    Announcement,
    Attendance,
    BehaviourSummary,
    ClassChartsClient,
    Detention,
    Features,
    Homework,
    Pupil,
)
from .clock import midnight, start_of

if TYPE_CHECKING:
    from .state import PupilState


class Dataset(StrEnum):
    """A kind of data fetched from ClassCharts."""

    ACTIVITY = "activity"
    HOMEWORK = "homework"
    DETENTIONS = "detentions"
    ANNOUNCEMENTS = "announcements"
    TIMETABLE = "timetable"
    BEHAVIOUR = "behaviour"
    ATTENDANCE = "attendance"
    REWARDS = "rewards"


HOMEWORK_DAYS_BACK: Final = 28
HOMEWORK_DAYS_AHEAD: Final = 91
TIMETABLE_DAYS_AHEAD: Final = 6
# After an outage or a restart, read back this far for missed behaviour points.
MAX_CATCH_UP: Final = timedelta(days=7)
# A dataset that keeps failing shows its last value this long after its first
# failure, then its entities are unavailable.
KEEP_LAST_VALUE: Final = timedelta(hours=3)


@dataclass(frozen=True, slots=True)
class FetchContext:
    """What a fetch needs: the client, the pupil's state and the moment."""

    client: ClassChartsClient
    state: PupilState
    now: datetime
    # When the newest behaviour point already announced happened, if known.
    newest_point: datetime | None

    @property
    def pupil_id(self) -> int:
        """The pupil whose data is fetched."""
        return self.state.pupil.id

    @property
    def today(self) -> date:
        """Today in the school's time zone."""
        return self.now.date()


type Fetch = Callable[[FetchContext], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    """One row of the table."""

    dataset: Dataset
    fetch: Fetch
    # The display_* flag that shows this data (the school hides it otherwise).
    shown: Callable[[Features], bool]
    # Fetched once per calendar day (and again when a day passes).
    daily: bool = False
    # In school hours fetched when older than this; at other times every poll.
    school_max_age: timedelta = timedelta(0)
    student_only: bool = False
    keep_last_value: timedelta = KEEP_LAST_VALUE
    # What a failure means to a user (README, diagnostics).
    on_failure: str = ""
    # Drops what cannot be shown (dates outside any school's life, say).
    clean: Callable[[Any], Any] = lambda value: value


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


def _clean_activity(value: Activity) -> Activity:
    items = [i for i in value.items if plausible(i.timestamp.date())]
    return Activity(items=items, complete_from=value.complete_from)


def _clean_homework(value: list[Homework]) -> list[Homework]:
    return [h for h in value if plausible(h.due_date) and plausible(h.issue_date)]


def _clean_detentions(value: list[Detention]) -> list[Detention]:
    return [d for d in value if plausible(d.start.date() if d.start else None)]


def _clean_announcements(value: list[Announcement]) -> list[Announcement]:
    return [a for a in value if plausible(a.timestamp.date())]


def _clean_attendance(value: Attendance) -> Attendance:
    """A percentage that is not one (NaN, 250) is no percentage."""
    percent = value.percentage
    if percent is not None and not (math.isfinite(percent) and 0 <= percent <= 100):  # noqa: PLR2004
        return replace(value, percentage=None)
    return value


async def _activity(ctx: FetchContext) -> Activity:
    """Activity since midnight, reaching back to what the year totals still miss.

    The year totals add the feed after the last day of the summary; if the
    summary is old (it failed today), the feed reads back to that day.
    """
    since = midnight(ctx.now)
    if ctx.newest_point is not None:
        since = min(since, ctx.newest_point)
    year = ctx.state.value(Dataset.BEHAVIOUR)
    if isinstance(year, YearSoFar):
        day_after = year.until + timedelta(days=1)
        since = min(since, start_of(day_after, ctx.now.tzinfo))
    since = max(since, ctx.now - MAX_CATCH_UP)
    items, complete = await ctx.client.get_activity_history(
        ctx.pupil_id, since, ctx.today
    )
    complete_from = since if complete or not items else items[-1].timestamp
    return Activity(items=items, complete_from=complete_from)


async def _behaviour(ctx: FetchContext) -> YearSoFar:
    """This school year's totals up to yesterday."""
    start, yesterday = school_year_start(ctx.today), ctx.today - timedelta(days=1)
    if start > yesterday:  # 1 September: nothing to ask about yet
        return YearSoFar(start, yesterday, BehaviourSummary(positive=0, negative=0))
    summary = await ctx.client.get_behaviour(ctx.pupil_id, start, yesterday)
    return YearSoFar(start, yesterday, summary)


async def _homework(ctx: FetchContext) -> Any:
    return await ctx.client.get_homeworks(
        ctx.pupil_id,
        ctx.today - timedelta(days=HOMEWORK_DAYS_BACK),
        ctx.today + timedelta(days=HOMEWORK_DAYS_AHEAD),
    )


async def _timetable(ctx: FetchContext) -> None:
    """Refresh the week ahead in the pupil's day cache (read through the cache)."""
    end = ctx.today + timedelta(days=TIMETABLE_DAYS_AHEAD)
    await ctx.state.timetable.fetch(ctx.today, end, ctx.now, refresh=True)


async def _detentions(ctx: FetchContext) -> Any:
    return await ctx.client.get_detentions(ctx.pupil_id)


async def _announcements(ctx: FetchContext) -> Any:
    return await ctx.client.get_announcements(ctx.pupil_id)


async def _attendance(ctx: FetchContext) -> Any:
    start = school_year_start(ctx.today)
    return await ctx.client.get_attendance(ctx.pupil_id, start, ctx.today)


async def _rewards(ctx: FetchContext) -> Any:
    return await ctx.client.get_rewards(ctx.pupil_id)


DATASETS: Final[dict[Dataset, DatasetSpec]] = {
    spec.dataset: spec
    for spec in (
        DatasetSpec(
            Dataset.ACTIVITY,
            _activity,
            lambda f: f.behaviour,
            clean=_clean_activity,
            on_failure="points today and this year, behaviour events",
        ),
        DatasetSpec(
            Dataset.BEHAVIOUR,
            _behaviour,
            lambda f: f.behaviour,
            daily=True,
            on_failure="points this school year",
        ),
        DatasetSpec(
            Dataset.HOMEWORK,
            _homework,
            lambda f: f.homework,
            clean=_clean_homework,
            school_max_age=timedelta(hours=2),
            on_failure="homework counts, calendar, to-do list and events",
        ),
        DatasetSpec(
            Dataset.TIMETABLE,
            _timetable,
            lambda f: f.timetable,
            daily=True,
            on_failure="lesson sensors and the timetable calendar",
        ),
        DatasetSpec(
            Dataset.DETENTIONS,
            _detentions,
            lambda f: f.detentions,
            clean=_clean_detentions,
            school_max_age=timedelta(hours=2),
            on_failure="detention sensors, calendar and events",
        ),
        DatasetSpec(
            Dataset.ANNOUNCEMENTS,
            _announcements,
            lambda f: f.announcements,
            clean=_clean_announcements,
            school_max_age=timedelta(hours=3),
            on_failure="unread announcements and announcement events",
        ),
        DatasetSpec(
            Dataset.ATTENDANCE,
            _attendance,
            lambda f: f.attendance,
            clean=_clean_attendance,
            daily=True,
            on_failure="attendance",
        ),
        DatasetSpec(
            Dataset.REWARDS,
            _rewards,
            lambda f: f.rewards,
            school_max_age=timedelta(hours=3),
            student_only=True,  # the parent API has no reward shop
            on_failure="reward balance",
        ),
    )
}


def is_wanted(spec: DatasetSpec, pupil: Pupil, account_type: AccountType) -> bool:
    """Whether the school shows this data to this account."""
    return spec.shown(pupil.features) and (
        not spec.student_only or account_type is AccountType.STUDENT
    )


def wanted_datasets(pupil: Pupil, account_type: AccountType) -> set[Dataset]:
    """The data the school shows for this pupil (``display_*`` flags)."""
    return {
        dataset
        for dataset, spec in DATASETS.items()
        if is_wanted(spec, pupil, account_type)
    }


def all_wanted(
    datasets: Iterable[Dataset], pupil: Pupil, account_type: AccountType
) -> bool:
    """Whether an entity reading these datasets exists for this pupil."""
    return all(is_wanted(DATASETS[d], pupil, account_type) for d in datasets)
