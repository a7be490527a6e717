"""Async ClassCharts client: the typed data calls of one account."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from functools import cache
import logging
from typing import Final
from zoneinfo import ZoneInfo

from .exceptions import ClassChartsError
from .models import (
    AccountType,
    ActivityItem,
    ActivityPage,
    Announcement,
    Attendance,
    Badge,
    BehaviourSummary,
    CustomField,
    Detention,
    Homework,
    Lesson,
    Pupil,
    RewardShop,
    parse_custom_fields,
    parse_lessons,
)
from .parse import as_list
from .session import ClassChartsSession

_LOGGER = logging.getLogger(__name__)

TIMETABLE_CONCURRENCY: Final = 4
MAX_TIMETABLE_DAYS: Final = 93
MAX_ACTIVITY_PAGES: Final = 20
_DEFAULT_ZONE: Final = "Europe/London"


@cache
def _zone(name: str) -> ZoneInfo:
    """Return a time zone, falling back to UK time for unknown names."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo(_DEFAULT_ZONE)


class ClassChartsClient(ClassChartsSession):
    """One ClassCharts account: a student, or a parent with their children."""

    def pupil_zone(self, pupil_id: int) -> ZoneInfo:
        """The time zone the pupil's school uses (UK time unless told otherwise)."""
        return self._zones.get(pupil_id) or _zone(_DEFAULT_ZONE)

    async def get_pupils(self) -> list[Pupil]:
        """The student who logged in, or a parent's children."""
        if self.account_type is AccountType.STUDENT:
            await self._ensure_session()
            assert self._student is not None  # noqa: S101  # set by the ping
            pupils = [self._student]
        else:
            pupils = await self._parsed(
                "POST",
                "pupils",
                None,
                lambda data, _: [
                    Pupil.from_json(item) for item in as_list(data, "data")
                ],
            )
        for pupil in pupils:
            self._zones[pupil.id] = _zone(pupil.timezone)
        return pupils

    async def get_activity(
        self, pupil_id: int, start: date, end: date, last_id: int | None = None
    ) -> ActivityPage:
        """One page of activity (newest first) between two dates."""
        params = {"from": start.isoformat(), "to": end.isoformat()}
        if last_id is not None:
            params["last_id"] = str(last_id)
        zone = self.pupil_zone(pupil_id)
        return await self._parsed(
            "GET",
            f"activity/{pupil_id}",
            params,
            lambda data, meta: ActivityPage.from_json(data, meta, zone),
        )

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

    async def get_activity_history(
        self,
        pupil_id: int,
        since: datetime,
        until: date,
        *,
        max_pages: int = MAX_ACTIVITY_PAGES,
    ) -> tuple[list[ActivityItem], bool]:
        """Like ``get_activity_since``, and whether the pages reached ``since``."""
        items: list[ActivityItem] = []
        seen: set[int] = set()
        last_id: int | None = None
        start = since.astimezone(self.pupil_zone(pupil_id)).date()
        for _ in range(max_pages):
            page = await self.get_activity(pupil_id, start, until, last_id)
            # A server that ignores last_id repeats a page: keep each item once.
            items.extend(
                item
                for item in page.items
                if item.timestamp >= since and item.id not in seen
            )
            seen.update(item.id for item in page.items)
            if (
                not page.items
                or page.last_id is None
                or (last_id is not None and page.last_id >= last_id)
                or page.items[-1].timestamp < since
            ):
                return items, True
            last_id = page.last_id
        _LOGGER.debug("Activity of pupil %s cut at %s pages", pupil_id, max_pages)
        return items, False

    async def get_behaviour(
        self, pupil_id: int, start: date, end: date
    ) -> BehaviourSummary:
        """Behaviour point totals between two dates."""
        params = {"from": start.isoformat(), "to": end.isoformat()}
        return await self._parsed(
            "GET",
            f"behaviour/{pupil_id}",
            params,
            lambda data, _: BehaviourSummary.from_json(data),
        )

    async def get_homeworks(
        self, pupil_id: int, start: date, end: date
    ) -> list[Homework]:
        """Homework due between two dates."""
        params = {
            "display_date": "due_date",
            "from": start.isoformat(),
            "to": end.isoformat(),
        }
        return await self._parsed(
            "GET",
            f"homeworks/{pupil_id}",
            params,
            lambda data, _: [
                Homework.from_json(item) for item in as_list(data, "data")
            ],
        )

    async def get_timetable(self, pupil_id: int, day: date) -> list[Lesson]:
        """The lessons of one day (empty on days without school)."""
        zone = self.pupil_zone(pupil_id)
        return await self._parsed(
            "GET",
            f"timetable/{pupil_id}",
            {"date": day.isoformat()},
            lambda data, _: parse_lessons(data, zone),
        )

    async def get_timetables(
        self, pupil_id: int, start: date, end: date
    ) -> dict[date, list[Lesson]]:
        """The lessons of every day from ``start`` to ``end``, a few days at a time."""
        days = (end - start).days + 1
        if not 0 < days <= MAX_TIMETABLE_DAYS:
            msg = f"a timetable range must span 1 to {MAX_TIMETABLE_DAYS} days"
            raise ValueError(msg)
        limit = asyncio.Semaphore(TIMETABLE_CONCURRENCY)

        async def one(day: date) -> list[Lesson]:
            async with limit:
                return await self.get_timetable(pupil_id, day)

        wanted = [start + timedelta(days=offset) for offset in range(days)]
        results = await asyncio.gather(*(one(day) for day in wanted))
        return dict(zip(wanted, results, strict=True))

    async def get_detentions(self, pupil_id: int) -> list[Detention]:
        """All detentions the school shows."""
        zone = self.pupil_zone(pupil_id)
        return await self._parsed(
            "GET",
            f"detentions/{pupil_id}",
            None,
            lambda data, _: [
                Detention.from_json(item, zone) for item in as_list(data, "data")
            ],
        )

    async def get_announcements(self, pupil_id: int) -> list[Announcement]:
        """The school's announcements for the pupil."""
        zone = self.pupil_zone(pupil_id)
        return await self._parsed(
            "GET",
            f"announcements/{pupil_id}",
            None,
            lambda data, _: [
                Announcement.from_json(item, zone) for item in as_list(data, "data")
            ],
        )

    async def get_badges(self, pupil_id: int) -> list[Badge]:
        """Event badges the pupil earned."""
        return await self._parsed(
            "GET",
            f"eventbadges/{pupil_id}",
            None,
            lambda data, _: [Badge.from_json(item) for item in as_list(data, "data")],
        )

    async def get_attendance(self, pupil_id: int, start: date, end: date) -> Attendance:
        """Attendance between two dates."""
        params = {"from": start.isoformat(), "to": end.isoformat()}
        return await self._parsed(
            "GET", f"attendance/{pupil_id}", params, Attendance.from_json
        )

    async def get_custom_fields(self, pupil_id: int) -> list[CustomField]:
        """School-defined fields such as reading age."""
        return await self._parsed(
            "GET",
            f"customfields/{pupil_id}",
            None,
            lambda data, _: parse_custom_fields(data),
        )

    async def get_rewards(self, pupil_id: int) -> RewardShop:
        """The reward shop and balance (student accounts only)."""
        self._require_student("rewards")
        return await self._parsed(
            "GET", f"rewards/{pupil_id}", None, RewardShop.from_json
        )

    async def set_homework_done(
        self, pupil_id: int, homework: Homework, done: bool
    ) -> bool:
        """Tick or untick a homework; returns whether a change was sent.

        The endpoint toggles, so the current state is read first and nothing is
        sent when the homework is already as asked.
        """
        self._require_student("ticking homework")
        current = next(
            (
                item
                for item in await self.get_homeworks(
                    pupil_id, homework.due_date, homework.due_date
                )
                if item.id == homework.id
            ),
            None,
        )
        if current is None:
            msg = f"homework {homework.id} is no longer listed by ClassCharts"
            raise ClassChartsError(msg)
        if current.done if done else not current.ticked:
            return False
        await self._call("GET", f"homeworkticked/{current.status_id}")
        return True

    def _require_student(self, what: str) -> None:
        if self.account_type is not AccountType.STUDENT:
            msg = f"{what} is only available to student accounts"
            raise ClassChartsError(msg)
