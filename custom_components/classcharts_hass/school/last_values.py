"""What the coordinator remembers about each dataset of each pupil between polls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..client import Lesson, Pupil
from .clock import instant
from .dataset_spec import Row
from .datasets import DATASETS, Dataset
from .timetable_cache import TimetableCache


@dataclass(slots=True)
class LastValue:
    """The last good value of one dataset, and since when it fails."""

    value: object = None  # as its row read it (``DatasetSpec.value_in``)
    fetched_at: datetime | None = None  # the last success
    failing_since: datetime | None = None
    error: str | None = None  # the last failure, for diagnostics (no values)

    def shown_until(self, dataset: Dataset) -> datetime | None:
        """When a failing dataset's last value stops being shown (None: not failing)."""
        if self.failing_since is None:
            return None
        return self.failing_since + DATASETS[dataset].keep_last_value

    def usable(self, dataset: Dataset, now: datetime) -> bool:
        """Fetched once, and not failing for longer than its row allows."""
        if self.fetched_at is None:
            return False
        until = self.shown_until(dataset)
        return until is None or instant(now) < instant(until)


@dataclass(slots=True)
class PupilLastValues:
    """One pupil: the datasets, and the timetable day cache."""

    pupil: Pupil
    timetable: TimetableCache
    datasets: dict[Dataset, LastValue] = field(default_factory=dict)
    # Datasets the next poll fetches whatever the schedule says (after a change
    # we made in ClassCharts), and how many changes each has had: a read that
    # began before the latest change may hold what was there before it.
    forced: set[Dataset] = field(default_factory=set)
    changes: dict[Dataset, int] = field(default_factory=dict)

    def known_lessons(
        self, start: date = date.min, end: date = date.max
    ) -> dict[date, list[Lesson]]:
        """The lessons of the days read so far between two dates (no request)."""
        return self.timetable.known(start, end)

    async def lessons(
        self, start: date, end: date, now: datetime
    ) -> dict[date, list[Lesson]]:
        """Every day of a range (calendar, action): days not read yet are fetched."""
        return await self.timetable.fetch(start, end, now)

    def _of(self, dataset: Dataset) -> LastValue:
        return self.datasets.setdefault(dataset, LastValue())

    def values(self) -> dict[Dataset, object]:
        """Each dataset's last good value (``None`` when never fetched)."""
        return {dataset: state.value for dataset, state in self.datasets.items()}

    def last[T](self, spec: Row[T]) -> T | None:
        """A dataset's last good value (``None`` when never fetched)."""
        return spec.value_in(self.values())

    def fetched(self) -> dict[Dataset, datetime]:
        """When each dataset last worked."""
        return {
            dataset: state.fetched_at
            for dataset, state in self.datasets.items()
            if state.fetched_at is not None and dataset not in self.forced
        }

    def usable(self, now: datetime) -> dict[Dataset, datetime | None]:
        """The datasets whose values may be shown at ``now``, and until when."""
        return {
            dataset: state.shown_until(dataset)
            for dataset, state in self.datasets.items()
            if state.usable(dataset, now)
        }

    def changes_so_far(self, dataset: Dataset) -> int:
        """How many changes we made to ``dataset`` (taken when a read begins)."""
        return self.changes.get(dataset, 0)

    def succeeded(
        self, dataset: Dataset, value: object, now: datetime, changes_before: int
    ) -> bool:
        """Remember a good value; say whether the dataset was failing.

        A change made while the read was under way keeps the dataset forced:
        the next poll reads it again rather than trust what may predate it.
        """
        state = self._of(dataset)
        was_failing = state.failing_since is not None
        state.value, state.fetched_at = value, now
        if self.changes_so_far(dataset) == changes_before:
            self.forced.discard(dataset)
        state.failing_since = state.error = None
        return was_failing

    def failed(self, dataset: Dataset, error: BaseException, now: datetime) -> bool:
        """Remember a failure; say whether it is the first of a run."""
        state = self._of(dataset)
        first = state.failing_since is None
        if first:
            state.failing_since = now
        state.error = type(error).__name__
        return first

    def invalidate(self, dataset: Dataset) -> None:
        """Make the next poll fetch ``dataset`` again; its value stays meanwhile."""
        self.forced.add(dataset)
        self.changes[dataset] = self.changes_so_far(dataset) + 1
