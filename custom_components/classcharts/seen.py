"""Which items have been announced as events, kept across restarts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 5
MAX_REMEMBERED: Final = 2000


class SeenItems:
    """Remembers item ids per pupil and kind, so each new item fires once.

    The first time a kind is seen for a pupil, its items are only remembered:
    nothing that existed before the integration was set up fires an event.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Prepare the store of one config entry."""
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.seen"
        )
        self._data: dict[str, dict[str, Any]] = {}

    async def async_load(self) -> None:
        """Read what earlier runs announced."""
        self._data = await self._store.async_load() or {}

    async def async_remove(self) -> None:
        """Forget everything (the config entry was removed)."""
        await self._store.async_remove()

    def newest_time(self, pupil_id: int, kind: str) -> datetime | None:
        """When the newest announced item of a kind happened, if known."""
        value = self._data.get(str(pupil_id), {}).get(f"{kind}_newest")
        return datetime.fromisoformat(value) if value else None

    async def async_flush(self) -> None:
        """Write now (at unload), so a reload straight after a poll repeats nothing."""
        await self._store.async_save(self._data)

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
        new = (
            []
            if known is None
            else [
                item
                for item in items
                if item_id(item) not in seen
                and (born is None or since is None or born(item).isoformat() >= since)
            ]
        )
        pupil[kind] = sorted({item_id(item) for item in items} | seen)[-MAX_REMEMBERED:]
        if moment is not None:
            times = [moment(item) for item in items]
            newest = self.newest_time(pupil_id, kind)
            if times and (newest is None or max(times) > newest):
                pupil[f"{kind}_newest"] = max(times).isoformat()
        if known is None or new:
            self._store.async_delay_save(lambda: self._data, SAVE_DELAY)
        return new
