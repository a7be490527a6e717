"""Timetable changes: today's and tomorrow's lessons compared with what was known.

Each read of the timetable (the day's first, and the re-reads at the
checkpoints in ``datasets.py``) compares today and tomorrow with the lessons
last stored for that day (``announced.py``, kept across restarts), then stores the
new ones. A day never stored before (the first read of it, a fresh set-up, a
day that just became tomorrow) is only stored: nothing fires. Days after
tomorrow are neither compared nor stored. So each change fires once, a restart
repeats none, and a change made while Home Assistant was off fires at the next
read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

from ..client import Lesson
from .clock import instant

# The days whose changes are news: today and tomorrow.
DAYS_COMPARED: Final = 2


class ChangeKind(StrEnum):
    """What happened to a lesson (the event types of "Timetable change")."""

    ROOM = "room_changed"
    TEACHER = "teacher_changed"
    CANCELLED = "cancelled"
    ADDED = "added"


@dataclass(frozen=True, slots=True)
class KnownLesson:
    """What is compared of a lesson; stored as a list of texts."""

    start: str  # ISO, with its offset
    end: str
    period: str
    name: str  # the class, e.g. 9X/Ma2
    subject: str
    teacher: str
    room: str

    @classmethod
    def of(cls, lesson: Lesson) -> KnownLesson:
        """The comparable part of a lesson."""
        return cls(
            lesson.start.isoformat(),
            lesson.end.isoformat(),
            lesson.period,
            lesson.name,
            lesson.subject,
            lesson.teacher,
            lesson.room,
        )

    @classmethod
    def stored(cls, value: list[str]) -> KnownLesson:
        """Read a stored lesson (``announced.py`` checked it has seven texts)."""
        return cls(*value)

    def to_store(self) -> list[str]:
        """The lesson as stored."""
        return [
            self.start,
            self.end,
            self.period,
            self.name,
            self.subject,
            self.teacher,
            self.room,
        ]

    @property
    def identity(self) -> tuple[int, str, str]:
        """The same lesson in two reads: its start (an instant), period and class.

        Two lessons may share a period (and a key) but not a class; a lesson
        moved to another time, or another class in its slot, is one cancelled
        and one added.
        """
        return (
            int(instant(datetime.fromisoformat(self.start)).timestamp()),
            self.period,
            self.name,
        )


@dataclass(frozen=True, slots=True)
class TimetableChange:
    """One change of one lesson, for the "Timetable change" event."""

    kind: ChangeKind
    day: date
    lesson: KnownLesson  # as it is now (as it was, when cancelled)
    old: str | None  # the room or teacher before (None when added or cancelled)
    new: str | None


def compare(
    day: date, before: list[KnownLesson], after: list[KnownLesson]
) -> list[TimetableChange]:
    """The changes between two reads of one day, in the order of the day."""
    old = {lesson.identity: lesson for lesson in before}
    new = {lesson.identity: lesson for lesson in after}
    changes: list[TimetableChange] = []
    for identity in sorted(old.keys() | new.keys()):
        was, now = old.get(identity), new.get(identity)
        if now is None and was is not None:
            changes.append(TimetableChange(ChangeKind.CANCELLED, day, was, None, None))
        elif was is None and now is not None:
            changes.append(TimetableChange(ChangeKind.ADDED, day, now, None, None))
        elif was is not None and now is not None:
            if was.room != now.room:
                changes.append(
                    TimetableChange(ChangeKind.ROOM, day, now, was.room, now.room)
                )
            if was.teacher != now.teacher:
                changes.append(
                    TimetableChange(
                        ChangeKind.TEACHER, day, now, was.teacher, now.teacher
                    )
                )
    return changes


def days_compared(today: date) -> list[date]:
    """Today and tomorrow."""
    return [today + timedelta(days=n) for n in range(DAYS_COMPARED)]


def known_days(
    lessons: Mapping[date, list[Lesson]], today: date
) -> dict[date, list[KnownLesson]]:
    """Today's and tomorrow's lessons as read (a day not read is left out)."""
    return {
        day: [KnownLesson.of(lesson) for lesson in lessons[day]]
        for day in days_compared(today)
        if day in lessons
    }
