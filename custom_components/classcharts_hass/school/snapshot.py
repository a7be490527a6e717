"""What the coordinator hands to entities: one snapshot per pupil.

A snapshot holds only values that may be shown: a dataset never fetched, or
failing for longer than its row in ``datasets.py`` allows, is absent, and the
entities reading it are unavailable. Values built from two datasets (the
school-year points) are computed so that they equal what a fresh set-up would
show at the same moment, or are ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import takewhile

from ..client import Detention, Homework, Lesson, Pupil
from .clock import instant, midnight
from .dataset_spec import Dataset, Row
from .datasets import ACTIVITY, DETENTIONS, HOMEWORK, YEAR_TOTALS
from .fetches import TIMETABLE_DAYS_AHEAD
from .lookahead import SATURDAY
from .points import BehaviourTotals, points_since, year_points


class EventKind(StrEnum):
    """The kinds of new item that fire an event."""

    BEHAVIOUR = "behaviour"
    HOMEWORK = "homework"
    DETENTION = "detention"
    ANNOUNCEMENT = "announcement"
    BADGE = "badge"
    TIMETABLE_CHANGE = "timetable_change"
    # Kinds are keys of the seen store, where "_" marks a bookkeeping key.
    ATTENDANCE_MARK = "mark"
    REPORT = "report"


def detention_end(detention: Detention) -> datetime | None:
    """When a dated detention ends (its start when the length is unknown)."""
    if detention.start is None:
        return None
    try:
        return detention.end or detention.start
    except OverflowError:  # a length past the end of representable time
        return detention.start


@dataclass(frozen=True, slots=True)
class PupilData:
    """Everything that may be shown about one pupil after a refresh."""

    pupil: Pupil
    # The usable datasets' values, read typed through ``get(ROW)``.
    values: Mapping[Dataset, object] = field(default_factory=dict)
    lessons: Mapping[date, list[Lesson]] = field(default_factory=dict)
    # The datasets that may be shown, and until when (None: no limit).
    shown_until: Mapping[Dataset, datetime | None] = field(default_factory=dict)
    # Items first seen in the poll that made this snapshot, oldest first.
    new_items: Mapping[EventKind, Sequence[object]] = field(default_factory=dict)
    # How far past the week read the next school day may be looked for
    # (``lookahead.py``); None: the week only.
    known_until: date | None = None

    def has(self, dataset: Dataset, now: datetime) -> bool:
        """Whether the dataset's value may be shown at ``now``."""
        if dataset not in self.shown_until:
            return False
        until = self.shown_until[dataset]
        return until is None or instant(now) < instant(until)

    def get[T](self, spec: Row[T]) -> T | None:
        """A dataset's value, typed as its row reads it (None: not shown)."""
        return spec.value_in(self.values)

    def lessons_on(self, day: date) -> list[Lesson]:
        """The lessons of ``day`` (empty when unknown or no school)."""
        return self.lessons.get(day, [])

    def current_lesson(self, now: datetime) -> Lesson | None:
        """The lesson running at ``now`` (one that began yesterday included)."""
        today = now.date()
        running = (
            lesson
            for day in (today - timedelta(days=1), today)
            for lesson in self.lessons_on(day)
            if instant(lesson.start) <= instant(now) < instant(lesson.end)
        )
        return next(running, None)

    def _week_read(self, now: datetime) -> tuple[list[date], bool]:
        """The week's days read up to the first not read; whether all were.

        A day not read (or failing too long) could be a school day, so no later
        day counts; nor do days a calendar cached beyond the week.
        """
        week = [now.date() + timedelta(days=n) for n in range(TIMETABLE_DAYS_AHEAD + 1)]
        read = list(takewhile(lambda day: day in self.lessons, week))
        return read, len(read) == len(week)

    def next_lesson(self, now: datetime) -> Lesson | None:
        """The first lesson starting after ``now`` in the days read from today."""
        days = self._week_read(now)[0]
        lessons = [lesson for day in days for lesson in self.lessons[day]]
        upcoming = [x for x in lessons if instant(x.start) > instant(now)]
        return min(upcoming, key=lambda x: instant(x.start), default=None)

    def knows_next_lesson(self, now: datetime) -> bool:
        """Whether the next lesson is known: found, or none in a week read."""
        return self.next_lesson(now) is not None or self._week_read(now)[1]

    def next_school_day(self, now: datetime) -> list[Lesson] | None:
        """The lessons of the next day with lessons (None: not in the days read).

        Today counts until its first lesson ends (an alarm set from it then
        moves on to the next school day); days without lessons (weekends,
        holidays) are skipped. The search stops at the first day not read: a
        day never read could be a school day, so no later day is claimed. Only
        the week read every day counts (a calendar may have cached days far
        ahead that are not kept up to date), and past it the weekdays the
        look-ahead vouches for (``known_until``, see ``lookahead.py``).
        """
        day = now.date()
        week_end = day + timedelta(days=TIMETABLE_DAYS_AHEAD)
        last = max(week_end, self.known_until or week_end)
        while day <= last:
            if day > week_end and day.weekday() >= SATURDAY:
                # Past the week, weekends are not read (``lookahead.py``).
                day += timedelta(days=1)
                continue
            if day not in self.lessons:
                return None
            lessons = self.lessons[day]
            if lessons and (
                day != now.date()
                or instant(min((lesson.end for lesson in lessons), key=instant))
                > instant(now)
            ):
                return lessons
            day += timedelta(days=1)
        return None

    def knows_next_school_day(self, now: datetime) -> bool:
        """Whether the next school day is known: found, or none in a week read."""
        return self.next_school_day(now) is not None or self._week_read(now)[1]

    def school_on(self, day: date) -> bool | None:
        """Whether ``day`` has lessons (None: not read)."""
        if day not in self.lessons:
            return None
        return bool(self.lessons[day])

    def next_boundary(self, now: datetime) -> datetime | None:
        """The next lesson start or end, or the end of a failing value, after ``now``."""
        moments = [
            instant(moment)
            for lessons in self.lessons.values()
            for lesson in lessons
            for moment in (lesson.start, lesson.end)
            if instant(moment) > instant(now)
        ]
        moments.extend(
            instant(until)
            for until in self.shown_until.values()
            if until is not None and instant(until) > instant(now)
        )
        # A detention's end: it stops counting as pending then, not at the next poll.
        moments.extend(
            instant(end)
            for detention in self.pending_detentions(now)
            if (end := detention_end(detention)) is not None
            and instant(end) > instant(now)
        )
        return min(moments, default=None)

    def behaviour_today(self, now: datetime) -> BehaviourTotals | None:
        """Points awarded today (right after midnight: none yet)."""
        return points_since(self.get(ACTIVITY), midnight(now).date(), now)

    def behaviour_year(self, now: datetime) -> BehaviourTotals | None:
        """Points this school year (see ``points.year_points``)."""
        return year_points(self.get(YEAR_TOTALS), self.get(ACTIVITY), now)

    def next_detention(self, now: datetime) -> Detention | None:
        """The soonest pending detention that has a date."""
        return next((d for d in self.pending_detentions(now) if d.start), None)

    def outstanding(self, first: date | None, last: date | None) -> list[Homework]:
        """Homework not done, due between two dates (either may be open)."""
        return [
            homework
            for homework in self.get(HOMEWORK) or []
            if not homework.done
            and (first is None or homework.due_date >= first)
            and (last is None or homework.due_date <= last)
        ]

    def pending_detentions(self, now: datetime) -> list[Detention]:
        """Detentions still to attend, soonest first (undated ones last).

        One in progress still counts: it has not ended.
        """
        pending = [
            detention
            for detention in self.get(DETENTIONS) or []
            if detention.attended == "pending"
            and (
                (end := detention_end(detention)) is None or instant(end) > instant(now)
            )
        ]
        dated = sorted(
            (d for d in pending if d.start), key=lambda d: instant(d.start or now)
        )
        return dated + [d for d in pending if d.start is None]


@dataclass(frozen=True, slots=True)
class AccountData:
    """The coordinator's data: every included pupil of the account."""

    pupils: Mapping[int, PupilData]
    # Counts polls, so event entities fire each poll's new items only once.
    poll: int = 0
