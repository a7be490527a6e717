"""Which fetched items are new since an earlier poll (or run): they fire events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Final, Protocol, cast

from .announced import AnnouncedItems
from .dataset_spec import Dataset, Row
from .datasets import (
    ACTIVITY,
    ANNOUNCEMENTS,
    ATTENDANCE,
    BADGES,
    DETENTIONS,
    HOMEWORK,
    REPORTS,
    TIMETABLE,
)
from .fetches import DaysRead
from .last_values import PupilLastValues
from .lesson_changes import TimetableChange, known_days
from .school_records import late_or_absent
from .snapshot import EventKind, PupilData

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison


class Item(Protocol):
    """An item of news: ClassCharts ids grow over time."""

    @property
    def id(self) -> int:
        """The item's id."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed[T, I: Item]:
    """One kind of event: the row its items come from and how they are dated."""

    kind: EventKind
    spec: Row[T]
    # The items of the row's value.
    items: Callable[[T], Iterable[I]]
    order: Callable[[I], SupportsRichComparison]
    # When an item was born (issued, awarded); older than the feed is never new.
    born: Callable[[I], date] | None = None
    # When it happened (the behaviour catch-up after an outage starts there).
    moment: Callable[[I], datetime] | None = None

    def take_new(
        self, announced: AnnouncedItems, state: PupilLastValues, today: date
    ) -> list[I]:
        """The items of the row's last value not seen before, oldest first."""
        value = state.last(self.spec)
        items = self.items(value) if value is not None else ()
        return announced.take_new(
            state.pupil.id,
            self.kind,
            sorted(items, key=self.order),
            lambda item: item.id,
            today=today,
            born=self.born,
            moment=self.moment,
        )

    def new_in(self, data: PupilData) -> Sequence[I]:
        """The items new in the poll that made ``data``, oldest first.

        The cast is sound: ``new_items[kind]`` holds only what ``take_new`` of
        this kind's one feed returned (``new_items`` below).
        """
        return cast("Sequence[I]", data.new_items.get(self.kind, ()))


class News[I](Protocol):
    """A kind of news as event entities read it: its items, typed, and its row.

    The event entities exist where the school shows the row's dataset.
    """

    @property
    def kind(self) -> EventKind:
        """The kind of event."""
        ...

    @property
    def spec(self) -> Row[object]:
        """The row whose reads bring this news."""
        ...

    def new_in(self, data: PupilData) -> Sequence[I]:
        """The items new in the poll that made ``data``, oldest first."""
        ...


class AnyFeed(Protocol):
    """A feed whatever its items (the table below holds several kinds)."""

    @property
    def kind(self) -> EventKind:
        """The kind of event."""
        ...

    @property
    def spec(self) -> Row[object]:
        """The row its items come from."""
        ...

    def take_new(
        self, announced: AnnouncedItems, state: PupilLastValues, today: date
    ) -> Sequence[object]:
        """The items not seen before, oldest first."""
        ...


# The event types of a behaviour point, in the order the event entity lists them.
POINT_POLARITIES: Final = ("positive", "negative")

POINTS: Final = Feed(
    kind=EventKind.BEHAVIOUR,
    spec=ACTIVITY,
    # A behaviour point is positive or negative; a neutral ("blank") item
    # and other kinds (detention notices) are not points.
    items=lambda activity: [
        i
        for i in activity.items
        if i.type == "behaviour" and i.polarity in POINT_POLARITIES
    ],
    order=lambda i: (i.timestamp, i.id),
    born=lambda i: i.timestamp.date(),
    moment=lambda i: i.timestamp,
)
NEW_HOMEWORK: Final = Feed(
    kind=EventKind.HOMEWORK,
    spec=HOMEWORK,
    items=lambda homeworks: homeworks,
    order=lambda h: (h.issue_date, h.id),
    born=lambda h: h.issue_date,
)
# Ids grow as detentions are set; their dates say when they happen.
NEW_DETENTIONS: Final = Feed(
    kind=EventKind.DETENTION,
    spec=DETENTIONS,
    items=lambda detentions: detentions,
    order=lambda d: d.id,
)
NEW_ANNOUNCEMENTS: Final = Feed(
    kind=EventKind.ANNOUNCEMENT,
    spec=ANNOUNCEMENTS,
    items=lambda announcements: announcements,
    order=lambda a: (a.timestamp, a.id),
)
# Each award of a badge; one awarded before set-up (or before the badge
# kind was first read) is no news.
BADGE_AWARDS: Final = Feed(
    kind=EventKind.BADGE,
    spec=BADGES,
    items=lambda badges: [award for badge in badges for award in badge.awards],
    order=lambda a: (a.timestamp, a.id),
    born=lambda a: a.timestamp.date(),
)
# Late and absent marks, dated by their day: none from before set-up.
LATE_OR_ABSENT: Final = Feed(
    kind=EventKind.ATTENDANCE_MARK,
    spec=ATTENDANCE,
    items=late_or_absent,
    order=lambda n: n.id,
    born=lambda n: n.day,
)
# Report ids grow as schools publish them.
NEW_REPORTS: Final = Feed(
    kind=EventKind.REPORT,
    spec=REPORTS,
    items=lambda reports: reports.listed,
    order=lambda r: r.id,
)
FEEDS: Final[tuple[AnyFeed, ...]] = (
    POINTS,
    NEW_HOMEWORK,
    NEW_DETENTIONS,
    NEW_ANNOUNCEMENTS,
    BADGE_AWARDS,
    LATE_OR_ABSENT,
    NEW_REPORTS,
)


@dataclass(frozen=True, slots=True)
class TimetableNews:
    """Timetable changes: found by comparing reads, not by new ids."""

    kind: EventKind
    # The timetable: its reads bring the changes (``timetable_changes``).
    spec: Row[DaysRead]

    def new_in(self, data: PupilData) -> Sequence[TimetableChange]:
        """This poll's changes (the cast is sound: see ``Feed.new_in``)."""
        return cast("Sequence[TimetableChange]", data.new_items.get(self.kind, ()))


TIMETABLE_CHANGES: Final = TimetableNews(EventKind.TIMETABLE_CHANGE, TIMETABLE)


def new_items(
    announced: AnnouncedItems, state: PupilLastValues, fresh: set[Dataset], today: date
) -> dict[EventKind, Sequence[object]]:
    """Items of the datasets fetched in this poll not seen before, oldest first."""
    return {
        feed.kind: feed.take_new(announced, state, today)
        for feed in FEEDS
        # Not fetched in this poll: nothing new.
        if feed.spec.dataset in fresh
    }


def timetable_changes(
    announced: AnnouncedItems, state: PupilLastValues, fresh: set[Dataset], today: date
) -> list[TimetableChange]:
    """Changes of today's and tomorrow's lessons found by this poll's read."""
    if Dataset.TIMETABLE not in fresh:
        return []
    read = state.last(TIMETABLE)
    if read is None:  # fetched in this poll, so read: never None here
        return []
    return announced.take_changes(state.pupil.id, today, known_days(read, today))
