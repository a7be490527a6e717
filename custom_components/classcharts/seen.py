"""Which items have been announced as events, kept across restarts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
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

    def take_new[T](
        self,
        pupil_id: int,
        kind: str,
        items: Iterable[T],
        item_id: Callable[[T], int],
        moment: Callable[[T], datetime | None] | None = None,
    ) -> list[T]:
        """Return the items never seen before and remember them all."""
        pupil = self._data.setdefault(str(pupil_id), {})
        items = list(items)
        ids = {item_id(item) for item in items}
        known = pupil.get(kind)
        new = (
            [] if known is None else [i for i in items if item_id(i) not in set(known)]
        )
        pupil[kind] = sorted(ids | set(known or []))[-MAX_REMEMBERED:]
        if moment is not None:
            times = [t for item in items if (t := moment(item)) is not None]
            newest = self.newest_time(pupil_id, kind)
            if times and (newest is None or max(times) > newest):
                pupil[f"{kind}_newest"] = max(times).isoformat()
        if known is None or new:
            self._store.async_delay_save(lambda: self._data, SAVE_DELAY)
        return new
