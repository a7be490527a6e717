"""The one description of each dataset: how it is fetched, when, and who reads it.

The coordinator fetches from this table, the schedule reads each row's cadence,
entities name the datasets they read (their ``display_*`` flags and their
availability follow from that) and diagnostics list the rows. Each row is a
typed constant (``HOMEWORK``): ``data.get(HOMEWORK)`` reads its value as its
fetch returns it. Adding a dataset (badges, say) is a row here (its name in
``dataset_spec.Dataset``), an entity description in a platform, and its name in
``translations/en.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time, timedelta
from typing import Final

from ..client import AccountType, Pupil
from .dataset_spec import (
    KEEP_LAST_VALUE,
    AnyRow,
    Dataset,
    DatasetSpec,
    Sources,
    call_only,
)
from .fetches import (
    Activity,
    ActivityInputs,
    DaysRead,
    TimetableInputs,
    WithLast,
    clean_activity,
    clean_announcements,
    clean_attendance,
    clean_detentions,
    clean_homework,
    fetch_activity,
    fetch_announcements,
    fetch_attendance,
    fetch_badges,
    fetch_behaviour,
    fetch_custom_fields,
    fetch_detentions,
    fetch_homework,
    fetch_rewards,
    fetch_timetable,
)
from .school_records import ReportCards, Reports, read_report_cards, read_reports

# Readers name datasets and the table through this module: the names it takes
# from ``dataset_spec.py`` are re-exported (its own are public anyway).
__all__ = ["DATASETS", "KEEP_LAST_VALUE", "Dataset", "DatasetSpec"]

# When today's attendance marks are read again on a school day: after the
# morning and the afternoon registers.
ATTENDANCE_CHECKPOINTS: Final = (time(9, 30), time(14, 0))

# When the timetable's today and tomorrow are read again on a school day.
TIMETABLE_CHECKPOINTS: Final = (time(7, 0), time(13, 0), time(18, 0))


YEAR_TOTALS: Final = DatasetSpec(
    Dataset.YEAR_TOTALS,
    call_only,
    fetch_behaviour,
    lambda f: f.behaviour,
    daily=True,
    safe_fields=frozenset({"start", "until", "summary", "positive", "negative"}),
    on_failure="points this school year",
)


def _activity_inputs(sources: Sources) -> ActivityInputs:
    """Back to the newest point announced and to the year totals' last day."""
    return ActivityInputs(
        sources.call, sources.newest_point(), sources.last(YEAR_TOTALS)
    )


ACTIVITY: Final[DatasetSpec[ActivityInputs, Activity]] = DatasetSpec(
    Dataset.ACTIVITY,
    _activity_inputs,
    fetch_activity,
    lambda f: f.behaviour,
    clean=clean_activity,
    safe_fields=frozenset(
        {"items", "complete_from", "id", "type", "polarity", "score", "timestamp"}
    ),
    on_failure="points today and this year, behaviour events",
)

HOMEWORK: Final = DatasetSpec(
    Dataset.HOMEWORK,
    call_only,
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
)

TIMETABLE: Final[DatasetSpec[TimetableInputs, DaysRead]] = DatasetSpec(
    Dataset.TIMETABLE,
    lambda s: TimetableInputs(s.call, s.timetable, s.last_read, s.scheduled),
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
)


DETENTIONS: Final = DatasetSpec(
    Dataset.DETENTIONS,
    call_only,
    fetch_detentions,
    lambda f: f.detentions,
    clean=clean_detentions,
    school_max_age=timedelta(hours=2),
    safe_fields=frozenset({"id", "attended", "start", "length_minutes"}),
    on_failure="detention sensors, calendar and events",
)


ANNOUNCEMENTS: Final = DatasetSpec(
    Dataset.ANNOUNCEMENTS,
    call_only,
    fetch_announcements,
    lambda f: f.announcements,
    clean=clean_announcements,
    school_max_age=timedelta(hours=3),
    safe_fields=frozenset({"id", "timestamp", "viewed"}),
    on_failure="unread announcements and announcement events",
)

ATTENDANCE: Final = DatasetSpec(
    Dataset.ATTENDANCE,
    call_only,
    fetch_attendance,
    # The percentage, and each day's marks where absences are shown.
    lambda f: f.attendance or f.attendance_marks,
    clean=clean_attendance,
    daily=True,
    safe_fields=frozenset({"percentage", "late_count", "absent_count", "since"}),
    # Today's marks again after morning registration and after lunch.
    checkpoints=ATTENDANCE_CHECKPOINTS,
    on_failure="attendance, attendance today and attendance mark events",
)


REWARDS: Final = DatasetSpec(
    Dataset.REWARDS,
    call_only,
    fetch_rewards,
    lambda f: f.rewards,
    school_max_age=timedelta(hours=3),
    student_only=True,  # the parent API has no reward shop
    safe_fields=frozenset({"balance", "items", "id", "price", "purchased_count"}),
    on_failure="reward balance",
)

BADGES: Final = DatasetSpec(
    Dataset.BADGES,
    call_only,
    fetch_badges,
    lambda f: f.badges,
    # Badges come with behaviour points, a few a term: read at the day's
    # first poll and once more in the evening of a school day.
    daily=True,
    checkpoints=(time(18, 0),),
    safe_fields=frozenset({"id", "times_awarded", "awards", "timestamp"}),
    on_failure="badge count and badge events",
)


async def _reports(inputs: WithLast[Reports]) -> Reports:
    """The list, and the newest report when it is new (a few a year)."""
    call = inputs.call
    return await read_reports(call.client, call.pupil_id, inputs.last)


REPORTS: Final[DatasetSpec[WithLast[Reports], Reports]] = DatasetSpec(
    Dataset.REPORTS,
    lambda s: WithLast(s.call, s.last(REPORTS)),
    _reports,
    lambda f: f.academic_reports,
    daily=True,
    # Names, grades and comments stay private; ids, dates and attendance show.
    safe_fields=frozenset(
        {"listed", "latest", "id", "start_date", "end_date", "attendance"}
    ),
    on_failure="latest report and new report events",
)


async def _report_cards(inputs: WithLast[ReportCards]) -> ReportCards:
    call = inputs.call
    return await read_report_cards(call.client, call.pupil_id, call.today, inputs.last)


REPORT_CARDS: Final[DatasetSpec[WithLast[ReportCards], ReportCards]] = DatasetSpec(
    Dataset.REPORT_CARDS,
    lambda s: WithLast(s.call, s.last(REPORT_CARDS)),
    _report_cards,
    lambda f: f.report_cards,
    daily=True,
    # Reasons, targets and teachers stay private; ids and dates show.
    safe_fields=frozenset({"cards", "current", "card", "id", "start_date", "end_date"}),
    on_failure="on report",
)


# The school's targets ("Reading age": "13y 2m"), set a few times a year.
CUSTOM_FIELDS: Final = DatasetSpec(
    Dataset.CUSTOM_FIELDS,
    call_only,
    fetch_custom_fields,
    lambda f: f.custom_fields,
    daily=True,
    on_failure="school targets",
)

# Every row, by dataset: the schedule, the poll and diagnostics go through
# them all. Values are read typed through the rows above (``data.get(ROW)``).
DATASETS: Final[dict[Dataset, AnyRow]] = {
    spec.dataset: spec
    for spec in (
        ACTIVITY,
        YEAR_TOTALS,
        HOMEWORK,
        TIMETABLE,
        DETENTIONS,
        ANNOUNCEMENTS,
        ATTENDANCE,
        REWARDS,
        BADGES,
        REPORTS,
        REPORT_CARDS,
        CUSTOM_FIELDS,
    )
}


def is_wanted(spec: AnyRow, pupil: Pupil, account_type: AccountType) -> bool:
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
