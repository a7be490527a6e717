"""Checking the stored record of announced items value by value, as it is loaded.

The record (``announced.py``) is written by this integration, but a bug of an older
version, a downgrade or a hand edit can leave a value of the wrong type or
form in it. Each kind of a pupil (its ids, floor, first day and newest time)
and each pupil's known lessons are checked as a whole; a part with a value
that cannot be used is left out, so that part starts afresh: its items are
only remembered at the next poll and fire nothing, and nothing reads the bad
value.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

LESSONS: Final = "lessons"  # per pupil: {ISO day: [[seven texts], ...]}
LESSON_FIELDS: Final = 7
# The texts of a stored lesson that are times (changes.KnownLesson).
LESSON_TIMES: Final = (0, 1)

type Record = dict[str, dict[str, Any]]


def check_record(data: Any) -> tuple[Record, list[str]]:
    """The usable part of a stored record, and what was left out (no values).

    Something that is not a record at all is left out whole.
    """
    if not isinstance(data, dict):
        return {}, ["the whole record"]
    record: Record = {}
    problems: list[str] = []
    for pupil_id, pupil in data.items():
        if not isinstance(pupil_id, str) or not isinstance(pupil, dict):
            problems.append("a pupil")
            continue
        kept: dict[str, Any] = {}
        for part, keys in _parts(pupil).items():
            values = {key: pupil[key] for key in keys}
            if _usable(part, values):
                kept.update(values)
            else:
                problems.append(part)
        record[pupil_id] = kept
    return record, problems


def _parts(pupil: dict[Any, Any]) -> dict[str, list[Any]]:
    """The keys of a pupil's record by part (``behaviour_since`` is ``behaviour``)."""
    parts: dict[str, list[Any]] = {}
    for key in pupil:
        part = key.split("_", 1)[0] if isinstance(key, str) else "a key"
        parts.setdefault(part, []).append(key)
    return parts


def _usable(part: str, values: dict[Any, Any]) -> bool:
    """Whether every value of one part has the type and form it is written in."""
    if part == LESSONS:
        return list(values) == [LESSONS] and _lessons(values[LESSONS])
    for key, value in values.items():
        suffix = key[len(part) :]
        if not {
            "": _ids,
            "_since": _day,
            "_newest": _moment,
            "_floor": _integer,
        }.get(suffix, lambda _: False)(value):
            return False
    return True


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(value: Any) -> bool:
    return isinstance(value, list) and all(_integer(item) for item in value)


def _day(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _moment(value: Any) -> bool:
    """An ISO time with its offset (it is compared with aware times)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return moment.utcoffset() is not None


def _lessons(value: Any) -> bool:
    return isinstance(value, dict) and all(
        _day(day)
        and isinstance(lessons, list)
        and all(_lesson(lesson) for lesson in lessons)
        for day, lessons in value.items()
    )


def _lesson(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == LESSON_FIELDS
        and all(isinstance(part, str) for part in value)
        and all(_moment(value[index]) for index in LESSON_TIMES)
    )
