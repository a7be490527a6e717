"""Which fetched items are new since an earlier poll (or run): they fire events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from .announced import AnnouncedItems
from .datasets import Dataset
from .fetches import DaysRead
from .last_values import PupilLastValues
from .lesson_changes import TimetableChange, known_days
from .school_records import late_or_absent
from .snapshot import EventKind


@dataclass(frozen=True, slots=True)
class Feed:
    """One kind of event: where its items come from and how they are dated."""

    kind: EventKind
    dataset: Dataset
    order: Callable[[Any], Any]
    # When an item was born (issued, awarded); older than the feed is never new.
    born: Callable[[Any], date] | None = None
    # When it happened (the behaviour catch-up after an outage starts there).
    moment: Callable[[Any], datetime] | None = None
    # The items of the dataset's value.
    items: Callable[[Any], list[Any]] = list


# The event types of a behaviour point, in the order the event entity lists them.
POINT_POLARITIES: Final = ("positive", "negative")

FEEDS: Final = (
    Feed(
        EventKind.BEHAVIOUR,
        Dataset.ACTIVITY,
        lambda i: (i.timestamp, i.id),
        lambda i: i.timestamp.date(),
        lambda i: i.timestamp,
        # A behaviour point is positive or negative; a neutral ("blank") item
        # and other kinds (detention notices) are not points.
        items=lambda activity: [
            i
            for i in activity.items
            if i.type == "behaviour" and i.polarity in POINT_POLARITIES
        ],
    ),
    Feed(
        EventKind.HOMEWORK,
        Dataset.HOMEWORK,
        lambda h: (h.issue_date, h.id),
        lambda h: h.issue_date,
    ),
    # Ids grow as detentions are set; their dates say when they happen.
    Feed(EventKind.DETENTION, Dataset.DETENTIONS, lambda d: d.id),
    Feed(EventKind.ANNOUNCEMENT, Dataset.ANNOUNCEMENTS, lambda a: (a.timestamp, a.id)),
    # Each award of a badge; one awarded before set-up (or before the badge
    # kind was first read) is no news.
    Feed(
        EventKind.BADGE,
        Dataset.BADGES,
        lambda a: (a.timestamp, a.id),
        lambda a: a.timestamp.date(),
        items=lambda badges: [award for badge in badges for award in badge.awards],
    ),
    # Late and absent marks, dated by their day: none from before set-up.
    Feed(
        EventKind.ATTENDANCE_MARK,
        Dataset.ATTENDANCE,
        lambda n: n.id,
        lambda n: n.day,
        items=late_or_absent,
    ),
    # Report ids grow as schools publish them.
    Feed(
        EventKind.REPORT,
        Dataset.REPORTS,
        lambda r: r.id,
        items=lambda reports: list(reports.listed),
    ),
)


# Which dataset's reads bring each kind of news (the event entities exist
# when the school shows that dataset).
DATASET_OF: Final[dict[EventKind, Dataset]] = {
    **{feed.kind: feed.dataset for feed in FEEDS},
    EventKind.TIMETABLE_CHANGE: Dataset.TIMETABLE,
}


def new_items(
    announced: AnnouncedItems, state: PupilLastValues, fresh: set[Dataset], today: date
) -> dict[EventKind, list[Any]]:
    """Items of the datasets fetched in this poll not seen before, oldest first."""
    new: dict[EventKind, list[Any]] = {}
    for feed in FEEDS:
        if feed.dataset not in fresh:  # not fetched in this poll: nothing new
            continue
        items = feed.items(state.value(feed.dataset))
        new[feed.kind] = announced.take_new(
            state.pupil.id,
            feed.kind,
            sorted(items, key=feed.order),
            lambda item: item.id,
            today=today,
            born=feed.born,
            moment=feed.moment,
        )
    return new


def timetable_changes(
    announced: AnnouncedItems, state: PupilLastValues, fresh: set[Dataset], today: date
) -> list[TimetableChange]:
    """Changes of today's and tomorrow's lessons found by this poll's read."""
    if Dataset.TIMETABLE not in fresh:
        return []
    read: DaysRead = state.value(Dataset.TIMETABLE)
    return announced.take_changes(state.pupil.id, today, known_days(read, today))
