"""Diagnostics: the entry, the dataset table, each dataset's health and data.

Default-deny: a dataset's value shows only its shape (its fields, how many
items) except the fields its row lists as safe (dates, counts, ids, flags:
what a fault report needs). A new dataset shows nothing until its row says
otherwise. Credentials and the pupil's names are redacted by key.
"""

from __future__ import annotations

from dataclasses import asdict, fields, is_dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .client import Attendance
from .const import CONF_CODE, CONF_DATE_OF_BIRTH
from .coordinator import ClassChartsConfigEntry
from .school.datasets import DATASETS, Dataset
from .school.last_values import PupilLastValues

REDACTED = "**REDACTED**"

TO_REDACT = {
    # Credentials and the account.
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EMAIL,
    CONF_PASSWORD,
    "unique_id",
    # People.
    "name",
    "first_name",
    "last_name",
    "school_name",
    "teacher",
    "badge",  # a badge's name, as its award repeats it
    # What a school wrote about a child, and where the child is.
    "reason",
    "positive_reasons",
    "negative_reasons",
    "location",
    "room",
    "lesson",
    "subject",
    "period_name",
    "note",
    "mark",
    "title",
    "description",
    "description_html",
    # An announcement's files: a letter's name and link can name a child or a trip.
    "filename",
    "url",
}


def _plain(value: object) -> object:
    """Dataclasses, dates and lists as JSON-ready values."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, date | datetime | timedelta):
        return str(value)
    return value


def _shape(value: object, safe: frozenset[str], *, shown: bool = False) -> object:
    """A dataset's value as its shape; only fields in ``safe`` show their value.

    Lists keep their length and days their date; any other value shows only
    that it is set, unless it was reached through a safe field.
    """
    if value is None:
        return None
    if is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _shape(getattr(value, field.name), safe, shown=True)
            if field.name in safe
            else _shape(getattr(value, field.name), frozenset())
            for field in fields(value)
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_shape(item, safe, shown=shown) for item in value]
    if isinstance(value, dict) and all(type(key) is date for key in value):
        return {
            str(day): _shape(item, safe, shown=shown) for day, item in value.items()
        }
    return _plain(value) if shown else REDACTED


def _last_day(value: object) -> object:
    """Attendance with its last day's marks only: a year of them is no fault report."""
    if isinstance(value, Attendance):
        return replace(value, days=value.days[-1:])
    return value


def _pupil(state: PupilLastValues, now: datetime) -> dict[str, Any]:
    """One pupil: flags, each dataset's health and value, the cached lessons."""
    return {
        "pupil": _plain(state.pupil),
        "datasets": {
            str(dataset): {
                "fetched_at": _plain(ds.fetched_at),
                "failing_since": _plain(ds.failing_since),
                "error": ds.error,
                "usable": ds.usable(dataset, now),
                "value": _shape(_last_day(ds.value), DATASETS[dataset].safe_fields),
            }
            for dataset, ds in sorted(state.datasets.items())
        },
        "lessons": _shape(
            state.known_lessons(), DATASETS[Dataset.TIMETABLE].safe_fields
        ),
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ClassChartsConfigEntry
) -> dict[str, Any]:
    """Return the entry, the dataset table and every pupil's state, redacted."""
    coordinator = entry.runtime_data.coordinator
    now = coordinator.now()
    pupils = {
        f"pupil_{index}": _pupil(state, now)
        for index, state in enumerate(coordinator.roster.states.values(), start=1)
    }
    return {
        "entry": async_redact_data(
            {"data": dict(entry.data), "options": dict(entry.options)}, TO_REDACT
        ),
        "account_type": coordinator.client.account_type.value,
        "logins": coordinator.client.logins,
        "client": coordinator.client.diagnostics(),
        "update_interval": str(coordinator.update_interval),
        "datasets": {
            str(dataset): {
                "daily": spec.daily,
                "school_max_age": str(spec.school_max_age),
                "checkpoints": [moment.isoformat() for moment in spec.checkpoints],
                "keep_last_value": str(spec.keep_last_value),
                "student_only": spec.student_only,
                "on_failure": spec.on_failure,
            }
            for dataset, spec in DATASETS.items()
        },
        "pupils_missing_since": {
            str(pupil_id): str(since)
            for pupil_id, since in coordinator.roster.missing.items()
        },
        "pupils": async_redact_data(pupils, TO_REDACT),
    }
