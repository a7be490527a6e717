"""When to poll ClassCharts, and what each poll fetches.

Every poll costs a login and a ping (a token lives about three minutes, so it
never survives between polls). The schedule therefore polls often only while
lessons run, and each poll fetches only the data that is due (each dataset's
cadence is its row in ``datasets.py``):

| mode   | when                                    | poll every |
|--------|-----------------------------------------|------------|
| school | first lesson - 15 min to last + 15 min  | 10 min     |
|        | (weekdays 08:00-16:00 without timetable) |            |
| day    | rest of a school day, 06:00-21:00       | 2 h        |
|        | (and at 06:00 and 07:00 before lessons)  |            |
| quiet  | nights, weekends, holidays (no lessons) | 6 h        |

Daily datasets are read at the day's first poll and, outside quiet mode (so on
school days only), again at the first poll after each of their checkpoints:
today's and tomorrow's timetable after 07:00, 13:00 and 18:00, the badges
after 18:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Final

from ..client import Lesson
from .clock import instant
from .datasets import DATASETS, Dataset


class Mode(StrEnum):
    """How busy the school day is right now."""

    SCHOOL = "school"
    DAY = "day"
    QUIET = "quiet"


POLL_INTERVAL: Final = {
    Mode.SCHOOL: timedelta(minutes=10),
    Mode.DAY: timedelta(hours=2),
    Mode.QUIET: timedelta(hours=6),
}
WINDOW_MARGIN: Final = timedelta(minutes=15)
DAY_START: Final = time(6, 0)
DAY_END: Final = time(21, 0)
# A parent's list of children (new children appear within this).
PUPILS_MAX_AGE: Final = timedelta(hours=6)
# Polls drift by a few seconds; treat "almost due" as due.
TOLERANCE: Final = timedelta(minutes=2)
WAKE_EARLY: Final = timedelta(seconds=5)
RETRY_FIRST: Final = timedelta(minutes=5)
RETRY_MAX: Final = timedelta(hours=1)


type Window = tuple[datetime, datetime]


def school_window(lessons_today: Iterable[Lesson]) -> Window | None:
    """The span of today's lessons with a margin, or None without lessons."""
    lessons = list(lessons_today)
    if not lessons:
        return None
    start = min(instant(lesson.start) for lesson in lessons) - WINDOW_MARGIN
    end = max(instant(lesson.end) for lesson in lessons) + WINDOW_MARGIN
    return start, end


def assumed_window(now: datetime) -> Window | None:
    """A school day's span when no timetable is shown: weekdays 08:00-16:00."""
    if now.weekday() >= 5:  # noqa: PLR2004  # Saturday, Sunday
        return None
    return (
        now.replace(hour=8, minute=0, second=0, microsecond=0),
        now.replace(hour=16, minute=0, second=0, microsecond=0),
    )


def merge_windows(first: Window | None, second: Window | None) -> Window | None:
    """The span covering both windows (either may be missing)."""
    if first is None or second is None:
        return first or second
    return min(first[0], second[0], key=instant), max(first[1], second[1], key=instant)


def mode_at(now: datetime, window: Window | None) -> Mode:
    """The polling mode at ``now`` (local time) given today's school window."""
    if window is None:
        return Mode.QUIET
    if instant(window[0]) <= instant(now) < instant(window[1]):
        return Mode.SCHOOL
    if DAY_START <= now.timetz().replace(tzinfo=None) < DAY_END:
        return Mode.DAY
    return Mode.QUIET


def next_poll(
    now: datetime, window: Window | None, mornings: Iterable[time] = (DAY_START,)
) -> timedelta:
    """How long to wait before the next poll.

    Before lessons on a school day the polls also wake at each of ``mornings``
    (06:00, when the day mode begins, and the 07:00 timetable re-read), so
    the morning's data and cover changes are there by breakfast.
    """
    mode = mode_at(now, window)
    interval = POLL_INTERVAL[mode]
    if mode is Mode.SCHOOL or window is None or instant(now) >= instant(window[0]):
        return interval
    wakes = [instant(window[0])]
    wakes.extend(
        instant(datetime.combine(now.date(), moment, now.tzinfo)) for moment in mornings
    )
    return min([interval, *(w - instant(now) for w in wakes if w > instant(now))])


def is_due(
    dataset: Dataset,
    mode: Mode,
    now: datetime,
    fetched_at: datetime | None,
) -> bool:
    """Whether ``dataset`` should be fetched in the poll happening at ``now``."""
    if fetched_at is None:
        return True
    spec = DATASETS[dataset]
    if spec.daily:
        return fetched_at.date() != now.date() or (
            mode is not Mode.QUIET
            and _checkpoint_passed(spec.checkpoints, now, fetched_at)
        )
    if mode is Mode.SCHOOL:
        age = instant(now) - instant(fetched_at)
        return age >= spec.school_max_age - TOLERANCE
    return True


def _checkpoint_passed(
    checkpoints: Iterable[time], now: datetime, fetched_at: datetime
) -> bool:
    """Whether one of today's checkpoints passed since the last read.

    Only asked outside quiet mode, so only on school days (today has a school
    window) and only between 06:00 and 21:00.
    """
    for checkpoint in checkpoints:
        moment = instant(datetime.combine(now.date(), checkpoint, now.tzinfo))
        # A poll timed for the checkpoint may wake up to a second early (Home
        # Assistant's timer): it counts, and the next poll does not read again.
        if instant(fetched_at) + WAKE_EARLY < moment <= instant(now) + WAKE_EARLY:
            return True
    return False


def retry_after_failure(
    failures: int,
    now: datetime,
    window: Window | None,
    mornings: Iterable[time] = (DAY_START,),
) -> timedelta:
    """Back off after failed polls: 5, 10, 20, 40, then every 60 minutes.

    The wait is never shorter than that, even in school hours, and never longer
    than the normal wait when that is longer (at night, weekends, holidays).
    """
    backoff = min(RETRY_FIRST * (1 << min(max(0, failures - 1), 10)), RETRY_MAX)
    return min(backoff, max(RETRY_MAX, next_poll(now, window, mornings)))


def due_datasets(
    wanted: Iterable[Dataset],
    mode: Mode,
    now: datetime,
    fetched: Mapping[Dataset, datetime],
) -> set[Dataset]:
    """The datasets among ``wanted`` that this poll fetches."""
    return {d for d in wanted if is_due(d, mode, now, fetched.get(d))}
