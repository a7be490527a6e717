"""The record of announced items in Home Assistant's storage (``.storage/``).

What the record means lives in ``school/announced.py``; this module reads it
at set-up (a damaged file is set aside), writes it a few seconds after a
change, at unload, and deletes it with the config entry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .school.announced import AnnouncedItems
from .school.record_check import Record, check_record

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 5


class AnnouncedStore:
    """One config entry's record of announced items (an ``AnnouncementStore``)."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Prepare the store of one config entry."""
        self._hass = hass
        self._store: Store[Record] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.seen"
        )
        self._data: Record = {}
        self._closed = False

    async def async_load(self) -> AnnouncedItems:
        """Read what earlier runs announced; a damaged store is set aside."""
        problem: str | None = None
        try:
            data = await self._store.async_load()
        except (HomeAssistantError, NotImplementedError, KeyError, ValueError) as err:
            data, problem = None, type(err).__name__
        else:
            problem = None if data is None or isinstance(data, dict) else "not a record"
        if problem is None and data is not None:
            data, left_out = check_record(data)
            if left_out:
                # One warning for the whole record: each part starts afresh.
                LOGGER.warning(
                    "Parts of the record of announced ClassCharts items could not "
                    "be read (%s); they start afresh, so their items already "
                    "there fire no events",
                    ", ".join(sorted(set(left_out))),
                )
        if problem is not None:
            aside = await self._hass.async_add_executor_job(self._set_aside)
            LOGGER.warning(
                "The record of announced ClassCharts items could not be read (%s); "
                "starting afresh, so items already there fire no events%s",
                problem,
                f"; the old file is kept as {aside}" if aside else "",
            )
            data = None
        self._data = data or {}
        return AnnouncedItems(self, self._data)

    def _set_aside(self) -> str | None:
        """Rename the damaged file, so a fresh one replaces it (None: no file)."""
        path = Path(self._store.path)
        if not path.exists():
            return None
        aside = path.with_name(f"{path.name}.corrupt")
        path.replace(aside)
        return aside.name

    def save_later(self, record: Callable[[], Record]) -> None:
        """Write soon, unless the entry is unloaded or removed."""
        if not self._closed:
            self._store.async_delay_save(record, SAVE_DELAY)

    def close(self) -> None:
        """Write nothing more (the entry is unloaded or removed)."""
        self._closed = True

    async def async_remove(self) -> None:
        """Forget everything (the config entry was removed)."""
        self._closed = True
        await self._store.async_remove()

    async def async_flush(self) -> None:
        """Write now (at unload), so a reload straight after a poll repeats nothing."""
        if not self._closed:
            await self._store.async_save(self._data)
