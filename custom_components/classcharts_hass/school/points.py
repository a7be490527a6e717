"""Behaviour points over a period, added up from the scores ClassCharts gives.

A 2-point award counts 2. Totals are ``None`` when the activity feed does not
reach back to the period's first day: a partial sum would be a wrong number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .clock import instant, start_of
from .fetches import Activity, YearSoFar, school_year_start


@dataclass(frozen=True, slots=True)
class BehaviourTotals:
    """Positive and negative behaviour points over a period."""

    positive: int
    negative: int

    @property
    def net(self) -> int:
        """Positive minus negative points."""
        return self.positive - self.negative


def points_since(
    activity: Activity | None, first: date, now: datetime
) -> BehaviourTotals | None:
    """Points from ``first`` to today, or None if the feed misses some."""
    if activity is None:
        return None
    if instant(activity.complete_from) > instant(start_of(first, now.tzinfo)):
        return None
    points = [
        item
        for item in activity.items
        if item.type == "behaviour"
        and first <= item.timestamp.astimezone(now.tzinfo).date() <= now.date()
    ]
    return BehaviourTotals(
        positive=sum(abs(p.score) for p in points if p.polarity == "positive"),
        negative=sum(abs(p.score) for p in points if p.polarity == "negative"),
    )


def year_points(
    year: YearSoFar | None, activity: Activity | None, now: datetime
) -> BehaviourTotals | None:
    """Points this school year: the summary read so far plus the feed since.

    After 1 September a summary of last year counts as nothing read yet.
    """
    if year is None:
        return None
    start = school_year_start(now.date())
    if year.start == start:
        before = BehaviourTotals(year.summary.positive, year.summary.negative)
        first = year.until + timedelta(days=1)
    else:
        before, first = BehaviourTotals(0, 0), start
    since = points_since(activity, first, now)
    if since is None:
        return None
    return BehaviourTotals(
        positive=before.positive + since.positive,
        negative=before.negative + since.negative,
    )
