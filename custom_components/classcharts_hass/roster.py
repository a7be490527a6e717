"""Which pupils the entry shows, and when a pupil's device leaves for real.

A pupil missing from the account's list is removed only when successive
successful lists agree for at least ``REMOVE_AFTER``: the first list without
them starts the clock, any list with them stops it. An empty list never
counts (ClassCharts answers ``[]`` or ``null`` in a glitch). A pupil excluded
in the options leaves at once. When a removed pupil comes back, their device
and entities come back with the next poll, without a reload.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .client import ClassChartsClient, Pupil
from .const import CONF_EXCLUDED_PUPILS, DOMAIN, LOGGER
from .school.clock import instant
from .school.last_values import PupilLastValues
from .school.timetable_cache import TimetableCache

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

REMOVE_AFTER: Final = timedelta(hours=6)


def device_identifier(entry: ConfigEntry, pupil_id: int) -> tuple[str, str]:
    """A pupil's device id, unique per account (a pupil may be in two accounts)."""
    return (DOMAIN, f"{entry.unique_id}_{pupil_id}")


class Roster:
    """The included pupils' states, and their devices in the registry."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, client: ClassChartsClient
    ) -> None:
        """Start with no pupils; ``update`` learns them."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self.states: dict[int, PupilLastValues] = {}
        # Pupils absent from the lists since this moment.
        self.missing: dict[int, datetime] = {}

    def update(self, pupils: list[Pupil], now: datetime) -> None:
        """Take in a successful pupil list."""
        excluded = set(self._entry.options.get(CONF_EXCLUDED_PUPILS, []))
        listed = {pupil.id: pupil for pupil in pupils if pupil.id not in excluded}
        for pupil_id, pupil in listed.items():
            self.missing.pop(pupil_id, None)
            if state := self.states.get(pupil_id):
                state.pupil = pupil
            else:
                timetable = TimetableCache(self._client, pupil_id)
                self.states[pupil_id] = PupilLastValues(pupil, timetable)
        known = set(self.states) | set(self._device_pupils())
        for pupil_id in known - set(listed):
            if pupil_id in excluded:
                self._remove(pupil_id, "excluded in the options")
            elif pupils:  # an empty list never counts
                since = self.missing.setdefault(pupil_id, now)
                if instant(now) - instant(since) >= REMOVE_AFTER:
                    self._remove(pupil_id, "no longer on the account")

    def _device_pupils(self) -> dict[int, dr.DeviceEntry]:
        """The entry's devices by pupil id."""
        registry = dr.async_get(self._hass)
        prefix = f"{self._entry.unique_id}_"
        devices = {}
        for device in dr.async_entries_for_config_entry(registry, self._entry.entry_id):
            for domain, name in device.identifiers:
                if domain == DOMAIN and name.startswith(prefix):
                    tail = name.removeprefix(prefix)
                    if tail.isdigit():
                        devices[int(tail)] = device
        return devices

    def _remove(self, pupil_id: int, why: str) -> None:
        """Forget a pupil and remove their device (its entities go with it)."""
        self.states.pop(pupil_id, None)
        self.missing.pop(pupil_id, None)
        if device := self._device_pupils().get(pupil_id):
            LOGGER.info("Removing the device of pupil %s: %s", pupil_id, why)
            # The device belongs to this entry only (its id holds the entry's).
            dr.async_get(self._hass).async_remove_device(device.id)
