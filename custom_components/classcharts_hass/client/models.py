"""Typed models of ClassCharts data, parsed once at the edge.

Every ``from_json`` takes the raw JSON value and the pupil's time zone and
raises ``ShapeError`` when the value cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Any, Self

from .parse import (
    JSONObject,
    ShapeError,
    as_object,
    flag,
    html_to_text,
    integer,
    optional_float,
    optional_integer,
    optional_text,
    parse_date,
    parse_datetime,
    text,
    text_or_empty,
)


class AccountType(StrEnum):
    """Who logs in: a student with a pupil code, or a parent with an email."""

    STUDENT = "student"
    PARENT = "parent"


@dataclass(frozen=True, slots=True)
class Features:
    """What the school shows for a pupil (the ``display_*`` flags)."""

    behaviour: bool
    homework: bool
    timetable: bool
    detentions: bool
    attendance: bool
    announcements: bool
    rewards: bool
    badges: bool
    custom_fields: bool
    # Parents may award home behaviour points (parent accounts only).
    parent_behaviour: bool = False
    # Each day's register marks (late, absent): attendance with absences shown.
    attendance_marks: bool = False
    academic_reports: bool = False
    report_cards: bool = False

    @classmethod
    def from_json(cls, obj: JSONObject) -> Self:
        """Read the flags from a pupil record."""
        return cls(
            behaviour=flag(obj, "display_behaviour"),
            homework=flag(obj, "display_homework"),
            timetable=flag(obj, "display_timetable"),
            detentions=flag(obj, "display_detentions"),
            attendance=flag(obj, "display_attendance")
            and flag(obj, "display_attendance_percentage"),
            announcements=flag(obj, "display_announcements"),
            rewards=flag(obj, "display_rewards"),
            badges=flag(obj, "display_event_badges"),
            custom_fields=flag(obj, "display_custom_fields"),
            parent_behaviour=flag(obj, "display_parent_behaviour"),
            attendance_marks=flag(obj, "display_attendance")
            and flag(obj, "display_absences"),
            academic_reports=flag(obj, "display_academic_reports"),
            report_cards=flag(obj, "display_report_cards"),
        )


@dataclass(frozen=True, slots=True)
class Pupil:
    """A pupil: the student who logged in, or one child of a parent."""

    id: int
    name: str
    first_name: str
    last_name: str
    school_name: str | None
    timezone: str
    features: Features
    announcements_count: int | None
    # Unread messages, from the pupil record already read: no request of its own.
    messages_count: int | None = None

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse a pupil record (``/pupils`` item or the student's ping user)."""
        obj = as_object(value, "pupil")
        name = text(obj, "name")
        return cls(
            id=integer(obj, "id"),
            name=name,
            first_name=text(obj, "first_name") or name,
            last_name=text(obj, "last_name"),
            school_name=optional_text(obj, "school_name"),
            timezone=text_or_empty(obj, "timezone") or "Europe/London",
            features=Features.from_json(obj),
            announcements_count=_lenient_integer(obj, "announcements_count"),
            messages_count=_count(obj, "messages_count"),
        )


def _lenient_integer(obj: JSONObject, key: str) -> int | None:
    """An optional count that is left unknown when it is not a number."""
    try:
        return optional_integer(obj, key)
    except ShapeError:
        return None


def _count(obj: JSONObject, key: str) -> int | None:
    """A count: unknown when it is not a number or below zero."""
    value = _lenient_integer(obj, key)
    return value if value is not None and value >= 0 else None


@dataclass(frozen=True, slots=True)
class Account:
    """The account that logged in."""

    type: AccountType
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Lesson:
    """One lesson of a timetable day."""

    subject: str
    name: str
    teacher: str
    room: str
    period_name: str
    period: str
    start: datetime
    end: datetime
    lesson_id: int | None
    key: int | None
    note: str

    @property
    def uid(self) -> str:
        """A stable id; two lessons may share a period and even a key."""
        return (
            f"{self.start:%Y%m%d}-{self.period}-{self.lesson_id or ''}"
            f"-{self.key or ''}-{self.start:%H%M}"
        )

    @classmethod
    def from_json(cls, value: Any, zone: tzinfo) -> Self:
        """Parse a timetable entry."""
        obj = as_object(value, "lesson")
        start = parse_datetime(obj.get("start_time"), "start_time", zone)
        end = parse_datetime(obj.get("end_time"), "end_time", zone)
        # Instants, not wall clocks: datetimes of one zone compare by wall clock,
        # so 01:20 BST to 01:10 GMT on the autumn night would look reversed.
        if end.astimezone(UTC) < start.astimezone(UTC):
            # A time without an offset in the repeated hour: the second 01:10.
            end = end.replace(fold=1)
        if end.astimezone(UTC) < start.astimezone(UTC):
            raise ShapeError("lesson ends before it starts")
        return cls(
            subject=text(obj, "subject_name") or text(obj, "lesson_name"),
            name=text(obj, "lesson_name"),
            teacher=text(obj, "teacher_name"),
            room=text(obj, "room_name"),
            period_name=text(obj, "period_name"),
            period=text(obj, "period_number"),
            start=start,
            end=end,
            lesson_id=optional_integer(obj, "lesson_id"),
            key=optional_integer(obj, "key"),
            note=html_to_text(text(obj, "note")),
        )


def is_break(value: Any) -> bool:
    """Whether a timetable entry is a break (``is_break: true``), not a lesson."""
    return isinstance(value, dict) and flag(value, "is_break")


def sort_lessons(lessons: list[Lesson]) -> list[Lesson]:
    """Lessons in the order of the day."""
    return sorted(lessons, key=lambda lesson: (lesson.start, lesson.end))


@dataclass(frozen=True, slots=True)
class Homework:
    """A homework task with its completion status."""

    id: int
    status_id: int
    title: str
    subject: str
    lesson: str
    teacher: str
    type: str
    description_html: str
    description: str  # the HTML as plain text, converted once at parse time
    issue_date: date
    due_date: date
    state: str | None
    ticked: bool
    completion_minutes: int | None
    mark: str | None

    @property
    def done(self) -> bool:
        """Done when ticked by the pupil or marked completed by the teacher."""
        return self.ticked or self.state == "completed"

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse a homework item."""
        obj = as_object(value, "homework")
        status = as_object(obj.get("status"), "homework status")
        minutes = _completion_minutes(obj)
        return cls(
            id=integer(obj, "id"),
            status_id=integer(status, "id"),
            title=text(obj, "title"),
            subject=text(obj, "subject"),
            lesson=text(obj, "lesson"),
            teacher=text(obj, "teacher"),
            type=text(obj, "homework_type"),
            description_html=(html := text(obj, "description")),
            description=html_to_text(html),
            issue_date=parse_date(obj.get("issue_date"), "issue_date"),
            due_date=parse_date(obj.get("due_date"), "due_date"),
            state=optional_text(status, "state"),
            ticked=text(status, "ticked") == "yes",
            completion_minutes=minutes,
            mark=optional_text(status, "mark"),
        )


_MAX_COMPLETION_MINUTES = 7 * 24 * 60


def _completion_minutes(obj: JSONObject) -> int | None:
    """Minutes a homework should take; ``None`` when the school wrote no number.

    The value is typed as a string: ``"30"``, ``"1.5"`` (hours), ``""``, and also
    ``"30-45"`` have been seen. Only a plain number is read; anything else leaves
    the time unknown for that homework instead of failing the list.
    """
    try:
        value = optional_float(obj, "completion_time_value")
    except ShapeError:
        return None
    if value is None or value < 0:
        return None
    if text_or_empty(obj, "completion_time_unit").lower() == "hours":
        value *= 60
    return round(value) if value <= _MAX_COMPLETION_MINUTES else None
