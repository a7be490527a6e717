"""The client's calls for a pupil's activity feed, page by page."""

from __future__ import annotations

from datetime import date, datetime
import logging
from typing import Any, Final

from .behaviour import ActivityItem, ActivityPage
from .boundary import guarded
from .parse import JSONObject, as_list
from .pupil_calls import PupilCalls

_LOGGER = logging.getLogger(__name__)

MAX_ACTIVITY_PAGES: Final = 20
# ClassCharts sends up to this many activity items a page; fewer means the last.
ACTIVITY_PAGE_SIZE: Final = 50


class ActivityCalls(PupilCalls):
    """A pupil's activity: one page, or every page back to a moment."""

    @guarded
    async def get_activity(
        self, pupil_id: int, start: date, end: date, last_id: int | None = None
    ) -> ActivityPage:
        """One page of activity (newest first) between two dates.

        ``last_id`` is the id of the previous page's last item: the page holds
        what is older than it.
        """
        params = {"from": start.isoformat(), "to": end.isoformat()}
        if last_id is not None:
            params["last_id"] = str(last_id)
        zone = self.pupil_zone(pupil_id)

        def parse(data: Any, meta: JSONObject) -> ActivityPage:
            items: list[ActivityItem] = self._items(
                "activity", data, lambda item: ActivityItem.from_json(item, zone)
            )
            return ActivityPage(
                items=items,
                last_id=ActivityPage.meta_last_id(meta),
                size=len(as_list(data, "data")),
            )

        return await self._parsed("GET", f"activity/{pupil_id}", params, parse)

    @guarded
    async def get_activity_since(
        self,
        pupil_id: int,
        since: datetime,
        until: date,
        *,
        max_pages: int = MAX_ACTIVITY_PAGES,
    ) -> list[ActivityItem]:
        """All activity from ``since`` to ``until``, newest first, at most ``max_pages``."""
        items, _ = await self.get_activity_history(
            pupil_id, since, until, max_pages=max_pages
        )
        return items

    @guarded
    async def get_activity_history(
        self,
        pupil_id: int,
        since: datetime,
        until: date,
        *,
        max_pages: int = MAX_ACTIVITY_PAGES,
    ) -> tuple[list[ActivityItem], bool]:
        """Like ``get_activity_since``, and whether the pages reached ``since``.

        The cursor is the id of the previous page's last item, as every public
        client sends; ``meta.last_id`` is not one (fixtures show it as ``1`` on
        pages whose items have real ids). Paging stops on a short page, an empty
        page, a page with nothing new, or an item older than ``since``.
        """
        items: list[ActivityItem] = []
        seen: set[int] = set()
        cursor: int | None = None
        start = since.astimezone(self.pupil_zone(pupil_id)).date()
        for _ in range(max_pages):
            page = await self.get_activity(pupil_id, start, until, cursor)
            new = [item for item in page.items if item.id not in seen]
            seen.update(item.id for item in new)
            items.extend(item for item in new if item.timestamp >= since)
            if (
                not new
                or page.size < ACTIVITY_PAGE_SIZE
                or any(item.timestamp < since for item in new)
            ):
                return items, True
            cursor = page.items[-1].id
        _LOGGER.debug("Activity of pupil %s cut at %s pages", pupil_id, max_pages)
        return items, False
