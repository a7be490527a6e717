"""Which items have been announced as events: each new item fires once.

Per pupil and kind the record keeps the ids of the most recent items and a
floor: the highest id it ever had to forget. An item is new when its id is
above the floor and not remembered, so however many items a feed holds, none
fires twice because the list was full (ClassCharts ids grow over time).

For timetable changes it keeps, per pupil, the lessons last read of today and
tomorrow (``lesson_changes.py``): a change fires when a read differs from them.

The record is kept across restarts by a store behind ``AnnouncementStore``
(Home Assistant's, in ``announced_store.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Final, Protocol

from .lesson_changes import KnownLesson, TimetableChange, compare, days_compared
from .record_check import LESSONS, Record

MAX_REMEMBERED: Final = 2000


class AnnouncementStore(Protocol):
    """Keeps the record of announced items across restarts."""

    def save_later(self, record: Callable[[], Record]) -> None:
        """Write the record soon (a store that is closed writes nothing)."""


class AnnouncedItems:
    """Remembers item ids per pupil and kind, so each new item fires once.

    The first time a kind is seen for a pupil, its items are only remembered:
    nothing that existed before the integration was set up fires an event.
    """

    def __init__(self, store: AnnouncementStore, record: Record) -> None:
        """Work on a record read by ``store`` (checked with ``check_record``)."""
        self._store = store
        self._data = record

    def newest_time(self, pupil_id: int, kind: str) -> datetime | None:
        """When the newest announced item of a kind happened, if known."""
        value = self._data.get(str(pupil_id), {}).get(f"{kind}_newest")
        return datetime.fromisoformat(value) if isinstance(value, str) else None

    def take_changes(
        self,
        pupil_id: int,
        today: date,
        read: dict[date, list[KnownLesson]],
    ) -> list[TimetableChange]:
        """Changes of today's and tomorrow's lessons since they were last stored.

        ``read`` holds the days read successfully (today, tomorrow or both). A
        day not stored before is only stored; days before today are forgotten.
        """
        pupil = self._data.setdefault(str(pupil_id), {})
        stored: dict[str, list[list[str]]] = pupil.get(LESSONS, {})
        wanted = {day.isoformat() for day in days_compared(today)}
        kept = {day: lessons for day, lessons in stored.items() if day in wanted}
        changes: list[TimetableChange] = []
        for day in sorted(read):
            key = day.isoformat()
            if key not in wanted:
                continue
            after = read[day]
            if key in kept:
                before = [KnownLesson.stored(lesson) for lesson in kept[key]]
                changes.extend(compare(day, before, after))
            kept[key] = [lesson.to_store() for lesson in after]
        if kept != stored:
            pupil[LESSONS] = kept
            self._store.save_later(lambda: self._data)
        return changes

    def take_new[T](
        self,
        pupil_id: int,
        kind: str,
        items: Iterable[T],
        item_id: Callable[[T], int],
        *,
        today: date,
        born: Callable[[T], date] | None = None,
        moment: Callable[[T], datetime] | None = None,
    ) -> list[T]:
        """Return the items never seen before and remember them all.

        ``born`` dates an item (issued, awarded): an item older than the day its
        kind was first seen is never new, even if it shows up only later (a
        homework whose due date enters the fetched window, say). ``moment``
        records the newest item's time (see ``newest_time``).
        """
        pupil = self._data.setdefault(str(pupil_id), {})
        items = list(items)
        known = pupil.get(kind)
        if known is None:
            pupil[f"{kind}_since"] = today.isoformat()
        since = pupil.get(f"{kind}_since")
        seen = set(known or [])
        floor = pupil.get(f"{kind}_floor")
        if floor is None and len(seen) >= MAX_REMEMBERED:  # a store from before floors
            floor = min(seen) - 1
        new = (
            []
            if known is None
            else [
                item
                for item in items
                if item_id(item) not in seen
                and (floor is None or item_id(item) > floor)
                and (born is None or since is None or born(item).isoformat() >= since)
            ]
        )
        remembered = sorted({item_id(item) for item in items} | seen)
        if len(remembered) > MAX_REMEMBERED:
            forgotten = remembered[-MAX_REMEMBERED - 1]
            floor = forgotten if floor is None else max(floor, forgotten)
            remembered = remembered[-MAX_REMEMBERED:]
        pupil[kind] = remembered
        if floor is not None:
            pupil[f"{kind}_floor"] = floor
        if moment is not None:
            times = [moment(item) for item in items]
            newest = self.newest_time(pupil_id, kind)
            if times and (newest is None or max(times) > newest):
                pupil[f"{kind}_newest"] = max(times).isoformat()
        if known is None or new:
            self._store.save_later(lambda: self._data)
        return new
