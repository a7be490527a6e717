"""Typed models of a pupil's conduct: points, the year's totals, detentions.

Parsed once at the edge, as ``models``: ``from_json`` raises ``ShapeError``
when a value cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, Self

from .parse import (
    JSONObject,
    ShapeError,
    as_list,
    as_object,
    integer,
    optional_integer,
    optional_text,
    parse_clock,
    parse_date,
    parse_datetime,
    text,
)


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
