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
    TIME = "time_changed"


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

        Two lessons may share a period (and a key) but not a class. A lesson
        moved to another time is paired again by ``slot`` in ``compare``;
        another class in its slot is one cancelled and one added.
        """
        return (
            int(instant(datetime.fromisoformat(self.start)).timestamp()),
            self.period,
            self.name,
        )

    @property
    def slot(self) -> tuple[str, str]:
        """The same lesson at another time: its period and class."""
        return (self.period, self.name)


@dataclass(frozen=True, slots=True)
class TimetableChange:
    """One change of one lesson, for the "Timetable change" event."""

    kind: ChangeKind
    day: date
    lesson: KnownLesson  # as it is now (as it was, when cancelled)
    # The room, teacher or start (ISO) before and now (None: added, cancelled).
    old: str | None
    new: str | None


def compare(
    day: date, before: list[KnownLesson], after: list[KnownLesson]
) -> list[TimetableChange]:
    """The changes between two reads of one day, in the order of the day.

    A lesson that is gone at its old time and found at a new one (same period
    and class, one each) moved: one ``time_changed``, not cancelled + added.
    """
    old = {lesson.identity: lesson for lesson in before}
    new = {lesson.identity: lesson for lesson in after}
    gone = [old[i] for i in sorted(old.keys() - new.keys())]
    came = [new[i] for i in sorted(new.keys() - old.keys())]
    moved = _moved(gone, came)
    changes: list[TimetableChange] = []
    for identity in sorted(old.keys() | new.keys()):
        was, now = old.get(identity), new.get(identity)
        if was is not None and now is None:
            if id(was) in moved:
                continue  # announced with its new time
            changes.append(TimetableChange(ChangeKind.CANCELLED, day, was, None, None))
        elif was is None and now is not None:
            if (earlier := moved.get(id(now))) is None:
                changes.append(TimetableChange(ChangeKind.ADDED, day, now, None, None))
            else:
                changes.extend(_changed(day, earlier, now, moved=True))
        elif was is not None and now is not None:
            changes.extend(_changed(day, was, now, moved=False))
    return changes


def _moved(gone: list[KnownLesson], came: list[KnownLesson]) -> dict[int, KnownLesson]:
    """Lessons that moved in time, both ways: ``id(lesson)`` to the other read's.

    Only a slot that lost exactly one lesson and gained exactly one pairs;
    anything less clear stays cancelled and added.
    """
    pairs: dict[int, KnownLesson] = {}
    for slot in {lesson.slot for lesson in gone}:
        was = [lesson for lesson in gone if lesson.slot == slot]
        now = [lesson for lesson in came if lesson.slot == slot]
        if len(was) == 1 and len(now) == 1:
            pairs[id(was[0])] = now[0]
            pairs[id(now[0])] = was[0]
    return pairs


def _changed(
    day: date, was: KnownLesson, now: KnownLesson, *, moved: bool
) -> list[TimetableChange]:
    """The time, room and teacher changes of one lesson found in both reads."""
    changes: list[TimetableChange] = []
    if moved:
        changes.append(TimetableChange(ChangeKind.TIME, day, now, was.start, now.start))
    if was.room != now.room:
        changes.append(TimetableChange(ChangeKind.ROOM, day, now, was.room, now.room))
    if was.teacher != now.teacher:
        changes.append(
            TimetableChange(ChangeKind.TEACHER, day, now, was.teacher, now.teacher)
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
