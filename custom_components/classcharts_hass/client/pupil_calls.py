"""The client's pupils: who they are, and the time zone each one's school uses."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from .api_request import HTTPStatusError
from .boundary import guarded
from .models import AccountType, Pupil
from .parse import as_list
from .records import RecordCalls

if TYPE_CHECKING:
    from collections.abc import Callable

_DEFAULT_ZONE: Final = "Europe/London"
# A refused method: the pupil list is fetched the other way (POST or GET).
_METHOD_REFUSED: Final = frozenset({404, 405})


@cache
def _zone(name: str) -> ZoneInfo:
    """Return a time zone, falling back to UK time for unknown names."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo(_DEFAULT_ZONE)


class PupilCalls(RecordCalls):
    """The pupils of one account, their time zones, and reading list answers."""

    # The most recent working client sends POST, older ones GET; the first that
    # works is kept.
    _pupils_method = "POST"

    def pupil_zone(self, pupil_id: int) -> ZoneInfo:
        """The time zone the pupil's school uses (UK time unless told otherwise)."""
        return self._zones.get(pupil_id) or _zone(_DEFAULT_ZONE)

    def _items[T](self, call: str, data: Any, parse: Callable[[Any], T]) -> list[T]:
        """Every readable item of a list answer (see ``Tally.items``)."""
        return self._tally.items(call, as_list(data, "data"), parse)

    @guarded
    async def get_pupils(self) -> list[Pupil]:
        """The student who logged in, or a parent's children."""
        if self.account_type is AccountType.STUDENT:
            await self._ensure_active()
            assert self._student is not None  # noqa: S101  # set by the ping
            pupils = [self._student]
        else:
            method = self._pupils_method
            try:
                data, _ = await self._call(method, "pupils")
            except HTTPStatusError as err:
                if err.status not in _METHOD_REFUSED or method == "GET":
                    raise
                data, _ = await self._call("GET", "pupils")
                self._pupils_method = "GET"
            pupils = self._read(
                f"{self._pupils_method} pupils",
                lambda raw, _: self._items("pupils", raw, Pupil.from_json),
                data,
                {},
            )
        for pupil in pupils:
            self._zones[pupil.id] = _zone(pupil.timezone)
        return pupils
