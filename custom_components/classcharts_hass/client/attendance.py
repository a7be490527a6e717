"""Attendance marks of single days: AM/PM sessions and lessons.

``/attendance`` answers ``{"YYYY-MM-DD": {"AM": mark, "PM": mark, "Period 1": mark}}``.
Each mark has a ``code`` (the register's symbol), a ``status`` and
``late_minutes`` (``0``, ``""`` or a number as text). A day or a mark that
cannot be read is dropped on its own (see ``Tally.items``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Self

from .parse import (
    JSONObject,
    ShapeError,
    as_object,
    optional_float,
    optional_integer,
    parse_date,
    text,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    type MarkReader = Callable[[list[tuple[Any, Any]]], list[AttendanceMark]]

# Sessions are the registers of the day; every other key is a lesson.
SESSIONS: Final = frozenset({"AM", "PM"})
# Some schools record an absence as "no".
_ABSENT: Final = frozenset({"absent", "no"})
# A late mark longer than a school day is no number a register holds.
_MAX_LATE_MINUTES: Final = 8 * 60


class MarkStatus(StrEnum):
    """What a register mark says, in the words the integration shows."""

    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    # "ignore", "" and anything unknown: no mark the pupil can be judged by yet.
    NOT_MARKED = "not_marked"
    # Any other status ClassCharts sends (an approved educational activity...).
    OTHER = "other"


def mark_status(raw: str) -> MarkStatus:
    """Map ClassCharts' ``status`` text to a ``MarkStatus``."""
    status = raw.strip().lower()
    if status == "present":
        return MarkStatus.PRESENT
    if status == "late":
        return MarkStatus.LATE
    if status in _ABSENT:
        return MarkStatus.ABSENT
    if status in {"", "ignore"}:
        return MarkStatus.NOT_MARKED
    return MarkStatus.OTHER


@dataclass(frozen=True, slots=True)
class AttendanceMark:
    """One register mark: a session (AM, PM) or a lesson ("Period 2")."""

    session: str
    code: str
    status: MarkStatus
    late_minutes: int | None
    lesson: str | None
    room: str | None

    @property
    def is_session(self) -> bool:
        """Whether this is the morning or afternoon register, not a lesson's."""
        return self.session in SESSIONS

    @classmethod
    def from_json(cls, session: str, value: Any) -> Self:
        """Parse one mark; ``late_minutes`` of ``""`` or ``0`` is no lateness."""
        obj = as_object(value, f"mark {session}")
        status = mark_status(text(obj, "status"))
        try:
            minutes = optional_integer(obj, "late_minutes")
        except ShapeError:
            minutes = None  # text where a number belongs: not a number we can show
        if minutes is not None and not 0 < minutes <= _MAX_LATE_MINUTES:
            minutes = None
        return cls(
            session=session,
            code=text(obj, "code").strip(),
            status=status,
            late_minutes=minutes if status is MarkStatus.LATE else None,
            lesson=text(obj, "lesson_name") or None,
            room=text(obj, "room_name") or None,
        )


@dataclass(frozen=True, slots=True)
class AttendanceDay:
    """Every mark of one day, sessions first."""

    day: date
    marks: tuple[AttendanceMark, ...]

    @property
    def status(self) -> MarkStatus:
        """The day in one word: absent, late, present, or not marked yet.

        Absent wins over late, and late over present: a parent wants to know
        the worst mark of the day. Only "not marked" when nothing is marked.
        """
        statuses = {mark.status for mark in self.marks}
        for worst in (MarkStatus.ABSENT, MarkStatus.LATE, MarkStatus.PRESENT):
            if worst in statuses:
                return worst
        if MarkStatus.OTHER in statuses:
            return MarkStatus.OTHER
        return MarkStatus.NOT_MARKED

    @classmethod
    def from_item(cls, item: tuple[Any, Any], read_marks: MarkReader) -> Self:
        """Parse one ``(date, marks)`` entry.

        ``read_marks`` parses the ``(session, mark)`` pairs and drops the bad
        ones, so one odd mark costs only itself. Sessions come first, then the
        lessons in the order ClassCharts sent them.
        """
        key, value = item
        day = parse_date(key, "attendance date")
        marks = read_marks(list(as_object(value, f"attendance of {day}").items()))
        marks.sort(key=lambda mark: not mark.is_session)
        return cls(day=day, marks=tuple(marks))


def read_mark(pair: tuple[Any, Any]) -> AttendanceMark:
    """Parse one ``(session, mark)`` pair of a day."""
    session, value = pair
    return AttendanceMark.from_json(str(session), value)


def attendance_items(data: Any) -> list[tuple[Any, Any]]:
    """The ``(date, marks)`` entries of an ``/attendance`` answer (``[]`` when none)."""
    return list(as_object(data, "data").items())


def _status_text(mark: JSONObject) -> str:
    """A mark's ``status`` in lower case, ``""`` when it is not text."""
    status = mark.get("status")
    return status.lower() if isinstance(status, str) else ""


@dataclass(frozen=True, slots=True)
class Attendance:
    """Attendance for a range: the school's percentage and late marks."""

    percentage: float | None
    late_count: int
    absent_count: int
    # Each day's marks, read item by item by the client (a bad day is dropped).
    days: tuple[AttendanceDay, ...] = ()
    # The first day asked for: a percentage is only good for that range.
    since: date | None = None

    def day(self, wanted: date) -> AttendanceDay | None:
        """The marks of one day, if ClassCharts sent that day."""
        return next((day for day in self.days if day.day == wanted), None)

    @classmethod
    def from_json(cls, data: Any, meta: JSONObject) -> Self:
        """Parse ``/attendance``; only each mark's ``status`` is read.

        ``late_minutes`` (``0``, ``""`` or text) is not read, so its form never
        fails the call. ``"no"`` is how some schools record an absence.
        """
        statuses = [
            _status_text(mark)
            for sessions in as_object(data, "data").values()
            if isinstance(sessions, dict)
            for mark in sessions.values()
            if isinstance(mark, dict)
        ]
        try:
            percentage = optional_float(meta, "percentage")
        except ShapeError:
            percentage = None
        return cls(
            percentage=percentage
            if percentage is None or 0 <= percentage <= 100  # noqa: PLR2004
            else None,
            late_count=statuses.count("late"),
            absent_count=sum(status in _ABSENT for status in statuses),
        )
