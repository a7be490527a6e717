"""Typed models of ClassCharts data, parsed once at the edge.

Every ``from_json`` takes the raw JSON value and the pupil's time zone and
raises ``ShapeError`` when the value cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Self

from .parse import (
    JSONObject,
    ShapeError,
    as_list,
    as_object,
    flag,
    html_to_text,
    integer,
    optional_float,
    optional_integer,
    optional_text,
    parse_clock,
    parse_date,
    parse_datetime,
    text,
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


def text_or_empty(obj: JSONObject, key: str) -> str:
    """A string field, or ``""`` when it is missing or not a string."""
    value = obj.get(key)
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class ActivityItem:
    """One item of a pupil's activity feed: a behaviour point, detention, notice."""

    id: int
    type: str
    polarity: str
    reason: str
    score: int
    timestamp: datetime
    teacher: str
    lesson: str | None
    room: str | None
    note: str | None

    @classmethod
    def from_json(cls, value: Any, zone: tzinfo) -> Self:
        """Parse an activity item; its zone-less timestamp is local school time."""
        obj = as_object(value, "activity item")
        return cls(
            id=integer(obj, "id"),
            type=text(obj, "type"),
            polarity=text(obj, "polarity"),
            reason=text(obj, "reason"),
            score=optional_integer(obj, "score") or 0,
            timestamp=parse_datetime(obj.get("timestamp"), "timestamp", zone),
            teacher=text(obj, "teacher_name"),
            lesson=optional_text(obj, "lesson_name"),
            room=optional_text(obj, "room_name"),
            note=optional_text(obj, "note"),
        )


@dataclass(frozen=True, slots=True)
class ActivityPage:
    """A page of activity, newest first.

    ``last_id`` is the page's ``meta.last_id`` as sent (``None`` unless a
    number); it is not a cursor. ``size`` counts the items sent, readable or not.
    """

    items: list[ActivityItem]
    last_id: int | None
    size: int = 0

    @staticmethod
    def meta_last_id(meta: JSONObject) -> int | None:
        """``meta.last_id`` when it is a number; shown only, never used as a cursor."""
        try:
            return optional_integer(meta, "last_id")
        except ShapeError:
            return None  # ``true`` and other oddities: nothing reads it


@dataclass(frozen=True, slots=True)
class BehaviourSummary:
    """Behaviour point totals for a date range."""

    positive: int
    negative: int
    positive_reasons: dict[str, int] = field(default_factory=dict)
    negative_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def net(self) -> int:
        """Positive minus negative points."""
        return self.positive - self.negative

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse ``/behaviour``; reason maps may arrive as ``[]``."""
        obj = as_object(value, "data")
        positive = negative = 0
        for index, bucket in enumerate(as_list(obj.get("timeline"), "timeline")):
            entry = as_object(bucket, f"timeline[{index}]")
            positive += abs(optional_integer(entry, "positive") or 0)
            negative += abs(optional_integer(entry, "negative") or 0)
        return cls(
            positive=positive,
            negative=negative,
            positive_reasons=_counts(obj.get("positive_reasons"), "positive_reasons"),
            negative_reasons=_counts(obj.get("negative_reasons"), "negative_reasons"),
        )


def _counts(value: Any, what: str) -> dict[str, int]:
    """Read a ``{reason: count}`` map."""
    obj = as_object(value if value is not None else {}, what)
    # Some schools send negative reasons with their sign (-3); the totals beside
    # them are counts, so the reasons are too.
    return {str(key): abs(optional_integer(obj, key) or 0) for key in obj}


_MAX_DETENTION_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class Detention:
    """A detention; date and time may be unknown for old ones."""

    id: int
    attended: str
    start: datetime | None
    length_minutes: int | None
    location: str | None
    reason: str | None
    subject: str | None
    teacher: str | None
    type: str | None

    @property
    def end(self) -> datetime | None:
        """When it ends, if start and length are known."""
        if self.start is None or self.length_minutes is None:
            return None
        return self.start + timedelta(minutes=self.length_minutes)

    @classmethod
    def from_json(cls, value: Any, zone: tzinfo) -> Self:
        """Parse a detention; ``date`` carries a local date, ``time`` the clock."""
        obj = as_object(value, "detention")
        start = None
        if obj.get("date") and obj.get("time"):
            day = parse_date(obj["date"], "date")
            clock = parse_clock(obj["time"], "time")
            start = datetime.combine(day, clock, tzinfo=zone)
        length = optional_integer(obj, "length")
        if length is not None and not 0 <= length <= _MAX_DETENTION_MINUTES:
            raise ShapeError("length should be minutes within a day")

        lesson = as_object(obj.get("lesson") or {}, "lesson")
        subject = as_object(lesson.get("subject") or {}, "subject")
        teacher = as_object(obj.get("teacher") or {}, "teacher")
        behaviour = as_object(obj.get("lesson_pupil_behaviour") or {}, "behaviour")
        kind = as_object(obj.get("detention_type") or {}, "detention_type")
        teacher_name = " ".join(
            part
            for part in (text(teacher, "title"), text(teacher, "last_name"))
            if part
        )
        return cls(
            id=integer(obj, "id"),
            attended=text(obj, "attended") or "pending",
            start=start,
            length_minutes=length,
            location=optional_text(obj, "location"),
            reason=optional_text(behaviour, "reason"),
            subject=optional_text(subject, "name"),
            teacher=teacher_name or None,
            type=optional_text(kind, "name"),
        )


@dataclass(frozen=True, slots=True)
class BadgeAward:
    """One time a pupil earned a badge: when, and for what."""

    # Awards carry no id of their own: the badge's id and the moment make one
    # (seconds since the epoch, so it grows over time like ClassCharts ids).
    id: int
    badge: str
    timestamp: datetime
    reason: str

    @classmethod
    def from_json(cls, value: Any, badge_id: int, badge: str, zone: tzinfo) -> Self:
        """Parse one ``pupil_badges`` entry of a badge, in either shape.

        Public clients disagree on the shape: one wraps the event's fields in
        ``pupil_event``, two others send them on the award itself. Nobody knows
        which the live service sends, so both are read.
        """
        award = as_object(value, "pupil_badge")
        wrapped = award.get("pupil_event")
        event = award if wrapped is None else as_object(wrapped, "event")
        timestamp = parse_datetime(event.get("timestamp"), "timestamp", zone)
        behaviour = as_object(event.get("lesson_pupil_behaviour") or {}, "behaviour")
        seconds = int(timestamp.timestamp())
        return cls(
            id=seconds * 1_000_000 + badge_id % 1_000_000,
            badge=badge,
            timestamp=timestamp,
            reason=text(behaviour, "reason"),
        )


@dataclass(frozen=True, slots=True)
class Badge:
    """An event badge and each time the pupil earned it."""

    id: int
    name: str
    times_awarded: int
    awards: tuple[BadgeAward, ...] = ()

    @classmethod
    def from_json(cls, value: Any, zone: tzinfo = UTC) -> Self:
        """Parse a badge."""
        obj = as_object(value, "badge")
        awarded = as_list(obj.get("pupil_badges"), "pupil_badges")
        badge_id, name = integer(obj, "id"), text(obj, "name")
        return cls(
            id=badge_id,
            name=name,
            times_awarded=len(awarded),
            awards=tuple(
                BadgeAward.from_json(item, badge_id, name, zone) for item in awarded
            ),
        )


@dataclass(frozen=True, slots=True)
class ParentBehaviour:
    """A home behaviour a parent may award (the school's list)."""

    id: int
    name: str
    limit_reached: bool

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse one entry of ``/parentbehaviours``."""
        obj = as_object(value, "parent behaviour")
        return cls(
            id=integer(obj, "id"),
            name=text(obj, "name"),
            limit_reached=flag(obj, "is_daily_limit_reached"),
        )


@dataclass(frozen=True, slots=True)
class CustomField:
    """A school-defined field, such as a reading age."""

    id: int
    name: str
    value: str

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse one custom field."""
        obj = as_object(value, "custom field")
        return cls(
            id=integer(obj, "id"), name=text(obj, "name"), value=text(obj, "value")
        )


def custom_field_items(data: Any) -> list[Any]:
    """The raw items of ``/customfields``: ``{"note": ..., "fields": [...]}``."""
    return as_list(as_object(data, "data").get("fields"), "fields")


@dataclass(frozen=True, slots=True)
class Reward:
    """An item of the school's reward shop."""

    id: int
    name: str
    price: int
    purchased_count: int

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse a reward; ``purchased_count`` may be ``"2"`` or ``0``."""
        obj = as_object(value, "reward")
        return cls(
            id=integer(obj, "id"),
            name=text(obj, "name"),
            price=optional_integer(obj, "price") or 0,
            purchased_count=optional_integer(obj, "purchased_count") or 0,
        )


@dataclass(frozen=True, slots=True)
class RewardShop:
    """The pupil's reward balance and the shop's items."""

    balance: int | None
    items: list[Reward]

    @staticmethod
    def balance_from(meta: JSONObject) -> int | None:
        """The balance lives in ``meta``; ``meta: []`` leaves it unknown, not 0."""
        try:
            return optional_integer(meta, "pupil_score_balance")
        except ShapeError:
            return None
