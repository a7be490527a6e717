"""What sensors show beside a count: attributes, and the edges of school days.

Read from a pupil's snapshot; each text goes through ``school/text.py``, and
lists stop at ``MAX_LISTED_ITEMS`` (the recorder refuses attributes over 16 KB).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Final

from .client import Detention, Homework, Lesson
from .school.clock import instant
from .school.datasets import ANNOUNCEMENTS, BADGES
from .school.snapshot import PupilData
from .school.text import line

MAX_LISTED_ITEMS: Final = 20
MAX_LISTED_ANNOUNCEMENTS: Final = 10
ANNOUNCEMENT_TITLE_MAX: Final = 120
ANNOUNCEMENT_TEACHER_MAX: Final = 60


def lesson_attributes(lesson: Lesson | None) -> dict[str, Any]:
    """A lesson's teacher, room, period and times (none without a lesson)."""
    if lesson is None:
        return {}
    return {
        "teacher": line(lesson.teacher),
        "room": line(lesson.room),
        "period": line(lesson.period),
        "lesson": line(lesson.name),
        "start": lesson.start.isoformat(),
        "end": lesson.end.isoformat(),
    }


def homework_attributes(items: list[Homework]) -> dict[str, Any]:
    """The soonest items; the rest counted (the recorder refuses over 16 KB)."""
    ordered = sorted(items, key=lambda hw: (hw.due_date, hw.subject, hw.id))
    return {
        "homework": [
            {
                "title": line(item.title),
                "subject": line(item.subject),
                "teacher": line(item.teacher),
                "due_date": item.due_date.isoformat(),
            }
            for item in ordered[:MAX_LISTED_ITEMS]
        ],
        "not_listed": max(0, len(ordered) - MAX_LISTED_ITEMS),
    }


def detention_attributes(detention: Detention | None) -> dict[str, Any]:
    """Where, why and how long a detention is (none without one)."""
    if detention is None:
        return {}
    return {
        "location": line(detention.location),
        "reason": line(detention.reason),
        "length_minutes": detention.length_minutes,
        "type": line(detention.type),
        "subject": line(detention.subject),
        "teacher": line(detention.teacher),
    }


def day_edge(data: PupilData, now: datetime, *, first: bool) -> datetime | None:
    """Today's first lesson start or last lesson end (None: no lessons)."""
    lessons = data.lessons_on(now.date())
    if not lessons:
        return None
    if first:
        return min((lesson.start for lesson in lessons), key=instant)
    return max((lesson.end for lesson in lessons), key=instant)


def next_day_edge(data: PupilData, now: datetime, *, first: bool) -> datetime | None:
    """The next school day's first start or last end (None: not known)."""
    lessons = data.next_school_day(now)
    if not lessons:
        return None
    if first:
        return min((lesson.start for lesson in lessons), key=instant)
    return max((lesson.end for lesson in lessons), key=instant)


def next_day(data: PupilData, now: datetime) -> date | None:
    """The date of the next school day (None: not known)."""
    lessons = data.next_school_day(now)
    return lessons[0].start.astimezone(now.tzinfo).date() if lessons else None


def end_of_week(now: datetime) -> date:
    """The Sunday of ``now``'s week."""
    return now.date() + timedelta(days=6 - now.weekday())


def badge_list(data: PupilData) -> dict[str, Any]:
    """The earned badges; the list is cut after the unearned ones are dropped."""
    earned = sorted(
        (badge for badge in data.get(BADGES) or [] if badge.times_awarded),
        key=lambda badge: (badge.name, badge.id),
    )
    return {
        "badges": [
            {"name": line(badge.name), "times_awarded": badge.times_awarded}
            for badge in earned[:MAX_LISTED_ITEMS]
        ],
        "not_listed": max(0, len(earned) - MAX_LISTED_ITEMS),
    }


def announcement_list(data: PupilData) -> dict[str, Any]:
    """The unread announcements, newest first, small enough for the recorder.

    At most 10, with bounded title and teacher: even in 4-byte characters the
    list stays far below the recorder's 16 KB for a state's attributes.
    """
    unread = sorted(
        (a for a in data.get(ANNOUNCEMENTS) or [] if not a.viewed),
        key=lambda a: (a.timestamp, a.id),
        reverse=True,
    )
    return {
        "announcements": [
            {
                "title": line(item.title, ANNOUNCEMENT_TITLE_MAX),
                "date": item.timestamp.date().isoformat(),
                "teacher": line(item.teacher, ANNOUNCEMENT_TEACHER_MAX),
            }
            for item in unread[:MAX_LISTED_ANNOUNCEMENTS]
        ],
        "not_listed": max(0, len(unread) - MAX_LISTED_ANNOUNCEMENTS),
    }
