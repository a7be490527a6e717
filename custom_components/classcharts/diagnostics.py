"""Diagnostics: the entry and the last data, with everything personal redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .const import CONF_CODE, CONF_DATE_OF_BIRTH
from .coordinator import ClassChartsConfigEntry

TO_REDACT = {
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EMAIL,
    CONF_PASSWORD,
    "name",
    "school_name",
    "note",
    "description",
    "description_html",
    "first_name",
    "last_name",
    "teacher",
    "title",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ClassChartsConfigEntry
) -> dict[str, Any]:
    """Return the entry and the coordinator's last data, redacted."""
    coordinator = entry.runtime_data.coordinator
    pupils = {}
    for index, data in enumerate(coordinator.data.pupils.values(), start=1):
        pupil = asdict(data)
        pupil["lessons"] = {
            str(day): [asdict(lesson) for lesson in lessons]
            for day, lessons in data.lessons.items()
        }
        pupils[f"pupil_{index}"] = pupil
    return {
        "entry": async_redact_data(
            {"data": dict(entry.data), "options": dict(entry.options)}, TO_REDACT
        ),
        "account_type": coordinator.client.account_type.value,
        "logins": coordinator.client.logins,
        "client": coordinator.client.diagnostics(),
        "update_interval": str(coordinator.update_interval),
        "data": async_redact_data(pupils, TO_REDACT),
    }
