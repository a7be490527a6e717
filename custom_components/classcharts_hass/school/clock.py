"""Time helpers: compare instants, never wall-clock readings.

Python compares two datetimes that share a ``tzinfo`` by their wall-clock
reading, so 01:30 BST and 01:10 GMT on the night the clocks go back compare
the wrong way round. Everything that orders or subtracts moments goes through
``instant``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo


def instant(moment: datetime) -> datetime:
    """The same moment in UTC, where comparison and subtraction are exact."""
    return moment.astimezone(UTC)


def midnight(now: datetime) -> datetime:
    """The start of ``now``'s day in ``now``'s time zone."""
    return start_of(now.date(), now.tzinfo)


def start_of(day: date, zone: tzinfo | None) -> datetime:
    """Local midnight at the start of ``day``."""
    return datetime.combine(day, time(0), zone)
