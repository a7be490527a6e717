"""What one row of the dataset table says, and the typed read of its value.

A row is a ``DatasetSpec[I, T]``: its ``inputs`` pick from what a poll offers
(``Sources``) the one typed input ``I`` its fetch takes, and its fetch returns
``T``. Nothing else reaches the fetch, so a fetch cannot read what its row does
not declare, and the type checker says so. The last good values are kept per
``Dataset`` as plain objects; ``spec.value_in(values)`` reads one back as
``T | None``, so each entity's ``value_fn`` is checked against its row's type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Final, Protocol, cast

from ..client import Features
from .fetches import Call
from .timetable_cache import TimetableCache


class Dataset(StrEnum):
    """A kind of data fetched from ClassCharts."""

    ACTIVITY = "activity"
    HOMEWORK = "homework"
    DETENTIONS = "detentions"
    ANNOUNCEMENTS = "announcements"
    TIMETABLE = "timetable"
    # The school year's points up to yesterday (today's come from ACTIVITY).
    # The value keeps its old text: diagnostics and logs name it so.
    YEAR_TOTALS = "behaviour"
    ATTENDANCE = "attendance"
    REWARDS = "rewards"
    BADGES = "badges"
    REPORTS = "academic_reports"
    REPORT_CARDS = "report_cards"
    CUSTOM_FIELDS = "custom_fields"


# A dataset that keeps failing shows its last value this long after its first
# failure, then its entities are unavailable.
KEEP_LAST_VALUE: Final = timedelta(hours=3)


class Row[T](Protocol):
    """A row as its readers see it: which dataset, and its value's type."""

    @property
    def dataset(self) -> Dataset:
        """The dataset the row fetches."""
        ...

    def value_in(self, values: Mapping[Dataset, object]) -> T | None:
        """This row's value among values kept per dataset (``None``: absent)."""
        ...


@dataclass(frozen=True, slots=True)
class Sources:
    """Everything a poll offers a row; the row's ``inputs`` pick what it needs."""

    call: Call
    # The pupil's timetable day cache.
    timetable: TimetableCache
    # The pupil's last good values (as they were when this fetch began).
    last_values: Mapping[Dataset, object]
    # When this dataset was last read successfully (None: not yet in this run).
    last_read: datetime | None
    # False when only the timetable's pending days are read (not its schedule).
    scheduled: bool
    # When the newest behaviour point already announced happened (the store).
    newest_point: Callable[[], datetime | None]

    def last[T](self, spec: Row[T]) -> T | None:
        """A dataset's last good value (``None`` when never fetched)."""
        return spec.value_in(self.last_values)


class AnyRow(Protocol):
    """A row as the schedule, the poll and diagnostics see it, whatever its types."""

    @property
    def dataset(self) -> Dataset:
        """The dataset the row fetches."""
        ...

    @property
    def shown(self) -> Callable[[Features], bool]:
        """The display_* flag that shows this data."""
        ...

    @property
    def daily(self) -> bool:
        """Fetched once per calendar day."""
        ...

    @property
    def school_max_age(self) -> timedelta:
        """In school hours fetched when older than this."""
        ...

    @property
    def checkpoints(self) -> tuple[time, ...]:
        """A daily dataset is read again after each of these times."""
        ...

    @property
    def student_only(self) -> bool:
        """Only student logins read it."""
        ...

    @property
    def keep_last_value(self) -> timedelta:
        """How long a failing dataset shows its last value."""
        ...

    @property
    def on_failure(self) -> str:
        """What a failure means to a user."""
        ...

    @property
    def safe_fields(self) -> frozenset[str]:
        """The fields of the value diagnostics may show."""
        ...

    def read(self, sources: Sources) -> Awaitable[object]:
        """Fetch the value and clean it."""
        ...


def call_only(sources: Sources) -> Call:
    """The inputs of a row that needs only the client, the pupil and the moment."""
    return sources.call


@dataclass(frozen=True, slots=True)
class DatasetSpec[I, T]:
    """One row of the table: a fetch taking ``I`` and returning ``T``."""

    dataset: Dataset
    # What the fetch reads besides the school's answer (see ``Sources``).
    inputs: Callable[[Sources], I]
    fetch: Callable[[I], Awaitable[T]]
    # The display_* flag that shows this data (the school hides it otherwise).
    shown: Callable[[Features], bool]
    # Fetched once per calendar day (and again when a day passes).
    daily: bool = False
    # In school hours fetched when older than this; at other times every poll.
    school_max_age: timedelta = timedelta(0)
    # Daily datasets are read again at the first poll after each of these
    # times, on school days only (see ``poll_schedule.is_due``).
    checkpoints: tuple[time, ...] = ()
    student_only: bool = False
    keep_last_value: timedelta = KEEP_LAST_VALUE
    # What a failure means to a user (README, diagnostics).
    on_failure: str = ""
    # Drops what cannot be shown (dates outside any school's life, say).
    clean: Callable[[T], T] | None = None
    # The fields of the value diagnostics may show (ids, dates, counts, flags,
    # and the lists holding them); any other field shows only that it is there.
    # A new row shows nothing until someone decides what is safe.
    safe_fields: frozenset[str] = frozenset()

    async def read(self, sources: Sources) -> T:
        """Fetch the value (its inputs picked from ``sources``) and clean it."""
        value = await self.fetch(self.inputs(sources))
        return value if self.clean is None else self.clean(value)

    def value_in(self, values: Mapping[Dataset, object]) -> T | None:
        """This row's value among values kept per dataset (``None``: absent).

        The cast is sound: a value is kept under ``self.dataset`` only as
        ``read`` returned it (``poll.py``), or ``None``.
        """
        return cast("T | None", values.get(self.dataset))
