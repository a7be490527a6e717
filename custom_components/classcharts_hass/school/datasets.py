"""The one description of each dataset: how it is fetched, when, and who reads it.

The coordinator fetches from this table, the schedule reads each row's cadence,
entities name the datasets they read (their ``display_*`` flags and their
availability follow from that) and diagnostics list the rows. Adding a dataset
(badges, say) is a row here, an entity description in a platform, and its name
in ``translations/en.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import time, timedelta
from enum import StrEnum
from typing import Any, Final

from ..client import AccountType, Features, Pupil
from .fetches import (
    Fetch,
    clean_activity,
    clean_announcements,
    clean_attendance,
    clean_detentions,
    clean_homework,
    fetch_activity,
    fetch_attendance,
    fetch_badges,
    fetch_behaviour,
    fetch_homework,
    fetch_timetable,
)
from .school_records import read_report_cards, read_reports


class Dataset(StrEnum):
    """A kind of data fetched from ClassCharts."""

    ACTIVITY = "activity"
    HOMEWORK = "homework"
    DETENTIONS = "detentions"
    ANNOUNCEMENTS = "announcements"
    TIMETABLE = "timetable"
    # The school year's points up to yesterday (today's come from ACTIVITY).
    # The value keeps its old text: diagnostics and logs name it so.
    YEAR_TOTALS = "behaviour"
    ATTENDANCE = "attendance"
    REWARDS = "rewards"
    BADGES = "badges"
    REPORTS = "academic_reports"
    REPORT_CARDS = "report_cards"


# When today's attendance marks are read again on a school day: after the
# morning and the afternoon registers.
ATTENDANCE_CHECKPOINTS: Final = (time(9, 30), time(14, 0))

# When the timetable's today and tomorrow are read again on a school day.
TIMETABLE_CHECKPOINTS: Final = (time(7, 0), time(13, 0), time(18, 0))

# A dataset that keeps failing shows its last value this long after its first
# failure, then its entities are unavailable.
KEEP_LAST_VALUE: Final = timedelta(hours=3)


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
    # Daily datasets are read again at the first poll after each of these
    # times, on school days only (see ``poll_schedule.is_due``).
    checkpoints: tuple[time, ...] = ()
    student_only: bool = False
    keep_last_value: timedelta = KEEP_LAST_VALUE
    # What a failure means to a user (README, diagnostics).
    on_failure: str = ""
    # Drops what cannot be shown (dates outside any school's life, say).
    clean: Callable[[Any], Any] = lambda value: value
    # The fields of the value diagnostics may show (ids, dates, counts, flags,
    # and the lists holding them); any other field shows only that it is there.
    # A new row shows nothing until someone decides what is safe.
    safe_fields: frozenset[str] = frozenset()
    # What the fetch reads besides the school's answer; the poll hands it
    # only these (anything undeclared reaches the fetch as None):
    # other datasets' last good values (only YEAR_TOTALS is read so far),
    inputs: tuple[Dataset, ...] = ()
    # the newest behaviour point already announced (the announced-items store),
    uses_store: bool = False
    # and this dataset's own last good value (a report already read).
    uses_last_value: bool = False


DATASETS: Final[dict[Dataset, DatasetSpec]] = {
    spec.dataset: spec
    for spec in (
        DatasetSpec(
            Dataset.ACTIVITY,
            fetch_activity,
            lambda f: f.behaviour,
            clean=clean_activity,
            # The feed reaches back to the newest point already announced and
            # to the day after the year totals' last day.
            inputs=(Dataset.YEAR_TOTALS,),
            uses_store=True,
            safe_fields=frozenset(
                {
                    "items",
                    "complete_from",
                    "id",
                    "type",
                    "polarity",
                    "score",
                    "timestamp",
                }
            ),
            on_failure="points today and this year, behaviour events",
        ),
        DatasetSpec(
            Dataset.YEAR_TOTALS,
            fetch_behaviour,
            lambda f: f.behaviour,
            daily=True,
            safe_fields=frozenset(
                {"start", "until", "summary", "positive", "negative"}
            ),
            on_failure="points this school year",
        ),
        DatasetSpec(
            Dataset.HOMEWORK,
            fetch_homework,
            lambda f: f.homework,
            clean=clean_homework,
            school_max_age=timedelta(hours=2),
            safe_fields=frozenset(
                {
                    "id",
                    "status_id",
                    "issue_date",
                    "due_date",
                    "state",
                    "ticked",
                    "completion_minutes",
                }
            ),
            on_failure="homework counts, calendar, to-do list and events",
        ),
        DatasetSpec(
            Dataset.TIMETABLE,
            fetch_timetable,
            lambda f: f.timetable,
            daily=True,
            # Today's and tomorrow's lessons again (2 requests each): before
            # school for today's changes, at lunch, and in the early evening
            # for tomorrow's cover, which schools set in the afternoon.
            checkpoints=TIMETABLE_CHECKPOINTS,
            safe_fields=frozenset({"start", "end", "period", "lesson_id", "key"}),
            on_failure="lesson sensors, the timetable calendar, the next school "
            "day and timetable change events",
        ),
        DatasetSpec(
            Dataset.DETENTIONS,
            lambda ctx: ctx.client.get_detentions(ctx.pupil_id),
            lambda f: f.detentions,
            clean=clean_detentions,
            school_max_age=timedelta(hours=2),
            safe_fields=frozenset({"id", "attended", "start", "length_minutes"}),
            on_failure="detention sensors, calendar and events",
        ),
        DatasetSpec(
            Dataset.ANNOUNCEMENTS,
            lambda ctx: ctx.client.get_announcements(ctx.pupil_id),
            lambda f: f.announcements,
            clean=clean_announcements,
            school_max_age=timedelta(hours=3),
            safe_fields=frozenset({"id", "timestamp", "viewed"}),
            on_failure="unread announcements and announcement events",
        ),
        DatasetSpec(
            Dataset.ATTENDANCE,
            fetch_attendance,
            # The percentage, and each day's marks where absences are shown.
            lambda f: f.attendance or f.attendance_marks,
            clean=clean_attendance,
            daily=True,
            safe_fields=frozenset(
                {"percentage", "late_count", "absent_count", "since"}
            ),
            # Today's marks again after morning registration and after lunch.
            checkpoints=ATTENDANCE_CHECKPOINTS,
            on_failure="attendance, attendance today and attendance mark events",
        ),
        DatasetSpec(
            Dataset.REWARDS,
            lambda ctx: ctx.client.get_rewards(ctx.pupil_id),
            lambda f: f.rewards,
            school_max_age=timedelta(hours=3),
            student_only=True,  # the parent API has no reward shop
            safe_fields=frozenset(
                {"balance", "items", "id", "price", "purchased_count"}
            ),
            on_failure="reward balance",
        ),
        DatasetSpec(
            Dataset.BADGES,
            fetch_badges,
            lambda f: f.badges,
            # Badges come with behaviour points, a few a term: read at the day's
            # first poll and once more in the evening of a school day.
            daily=True,
            checkpoints=(time(18, 0),),
            safe_fields=frozenset({"id", "times_awarded", "awards", "timestamp"}),
            on_failure="badge count and badge events",
        ),
        DatasetSpec(
            Dataset.REPORTS,
            # The list, and the newest report when it is new (a few a year).
            lambda ctx: read_reports(ctx.client, ctx.pupil_id, ctx.previous),
            lambda f: f.academic_reports,
            uses_last_value=True,
            daily=True,
            # Names, grades and comments stay private; ids, dates and attendance show.
            safe_fields=frozenset(
                {"listed", "latest", "id", "start_date", "end_date", "attendance"}
            ),
            on_failure="latest report and new report events",
        ),
        DatasetSpec(
            Dataset.REPORT_CARDS,
            lambda ctx: read_report_cards(
                ctx.client,
                ctx.pupil_id,
                ctx.today,
                ctx.previous,
            ),
            lambda f: f.report_cards,
            uses_last_value=True,
            daily=True,
            # Reasons, targets and teachers stay private; ids and dates show.
            safe_fields=frozenset(
                {"cards", "current", "card", "id", "start_date", "end_date"}
            ),
            on_failure="on report",
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
