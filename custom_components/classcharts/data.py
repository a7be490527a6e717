"""What the coordinator hands to entities: one snapshot per pupil."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from .client import (
    ActivityItem,
    Announcement,
    Attendance,
    BehaviourSummary,
    Detention,
    Homework,
    Lesson,
    Pupil,
    RewardShop,
)


class EventKind(StrEnum):
    """The kinds of new item that fire an event."""

    BEHAVIOUR = "behaviour"
    HOMEWORK = "homework"
    DETENTION = "detention"
    ANNOUNCEMENT = "announcement"


@dataclass(frozen=True, slots=True)
class BehaviourTotals:
    """Positive and negative behaviour points over a period."""

    positive: int
    negative: int

    @property
    def net(self) -> int:
        """Positive minus negative points."""
        return self.positive - self.negative


@dataclass(frozen=True, slots=True)
class PupilData:
    """Everything known about one pupil after a refresh.

    A field is ``None`` when the school does not show that feature.
    """

    pupil: Pupil
    lessons: Mapping[date, list[Lesson]] = field(default_factory=dict)
    homeworks: list[Homework] | None = None
    # Activity since midnight of the last poll (further back after an outage).
    activity: list[ActivityItem] = field(default_factory=list)
    # This school year's totals up to and including ``behaviour_until``.
    behaviour_before: BehaviourSummary | None = None
    behaviour_until: date | None = None
    detentions: list[Detention] | None = None
    announcements: list[Announcement] | None = None
    attendance: Attendance | None = None
    rewards: RewardShop | None = None
    # Items first seen in the poll that made this snapshot, oldest first.
    new_items: Mapping[EventKind, list[Any]] = field(default_factory=dict)

    def lessons_on(self, day: date) -> list[Lesson]:
        """The lessons of ``day`` (empty when unknown or no school)."""
        return self.lessons.get(day, [])

    def current_lesson(self, now: datetime) -> Lesson | None:
        """The lesson running at ``now``."""
        return next(
            (
                lesson
                for lesson in self.lessons_on(now.date())
                if lesson.start <= now < lesson.end
            ),
            None,
        )

    def next_lesson(self, now: datetime) -> Lesson | None:
        """The first lesson starting after ``now`` in the known timetable."""
        upcoming = (
            lesson
            for day in sorted(self.lessons)
            if day >= now.date()
            for lesson in self.lessons[day]
            if lesson.start > now
        )
        return next(upcoming, None)

    def next_boundary(self, now: datetime) -> datetime | None:
        """The next lesson start or end after ``now``."""
        moments = [
            moment
            for lessons in self.lessons.values()
            for lesson in lessons
            for moment in (lesson.start, lesson.end)
            if moment > now
        ]
        return min(moments, default=None)

    def _points(self, first: date, last: date) -> BehaviourTotals:
        """Points awarded from ``first`` to ``last``, from the activity feed."""
        points = [
            item
            for item in self.activity
            if item.type == "behaviour" and first <= item.timestamp.date() <= last
        ]
        return BehaviourTotals(
            positive=sum(abs(p.score) for p in points if p.polarity == "positive"),
            negative=sum(abs(p.score) for p in points if p.polarity == "negative"),
        )

    def behaviour_today(self, now: datetime) -> BehaviourTotals:
        """Points awarded today (right after midnight: none yet)."""
        return self._points(now.date(), now.date())

    def behaviour_year(self, now: datetime) -> BehaviourTotals | None:
        """Points this school year: the totals read so far plus the feed since."""
        if self.behaviour_before is None or self.behaviour_until is None:
            return None
        since = self._points(self.behaviour_until + timedelta(days=1), now.date())
        return BehaviourTotals(
            positive=self.behaviour_before.positive + since.positive,
            negative=self.behaviour_before.negative + since.negative,
        )

    def next_detention(self, now: datetime) -> Detention | None:
        """The soonest pending detention that has a date."""
        return next((d for d in self.pending_detentions(now) if d.start), None)

    def outstanding(self, first: date | None, last: date | None) -> list[Homework]:
        """Homework not done, due between two dates (either may be open)."""
        return [
            homework
            for homework in self.homeworks or []
            if not homework.done
            and (first is None or homework.due_date >= first)
            and (last is None or homework.due_date <= last)
        ]

    def pending_detentions(self, now: datetime) -> list[Detention]:
        """Detentions still to attend, soonest first (undated ones last)."""
        pending = [
            detention
            for detention in self.detentions or []
            if detention.attended == "pending"
            and (detention.start is None or (detention.end or detention.start) > now)
        ]
        far = now + timedelta(days=36500)
        return sorted(pending, key=lambda d: d.start or far)


@dataclass(frozen=True, slots=True)
class AccountData:
    """The coordinator's data: every included pupil of the account."""

    pupils: Mapping[int, PupilData]
    # Counts polls, so event entities fire each poll's new items only once.
    poll: int = 0


def school_year_start(today: date) -> date:
    """The school year starts on 1 September."""
    year = today.year if today.month >= 9 else today.year - 1  # noqa: PLR2004
    return date(year, 9, 1)
