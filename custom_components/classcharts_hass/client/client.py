"""Async ClassCharts client: the typed data calls of one account."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from functools import cache
import logging
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from .announcements import Announcement
from .behaviour import (
    ActivityItem,
    ActivityPage,
    BehaviourSummary,
    Detention,
)
from .boundary import guarded
from .exceptions import (
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsLimitError,
    ClassChartsResponseError,
)
from .models import (
    AccountType,
    Homework,
    Lesson,
    Pupil,
    is_break,
    sort_lessons,
)
from .parse import JSONObject, as_list
from .records import RecordCalls
from .rewards import (
    Badge,
    CustomField,
    ParentBehaviour,
    Reward,
    RewardShop,
    custom_field_items,
)
from .session import HTTPStatusError

if TYPE_CHECKING:
    from collections.abc import Callable

_LOGGER = logging.getLogger(__name__)

TIMETABLE_CONCURRENCY: Final = 4
MAX_TIMETABLE_DAYS: Final = 93
MAX_ACTIVITY_PAGES: Final = 20
# ClassCharts sends up to this many activity items a page; fewer means the last.
ACTIVITY_PAGE_SIZE: Final = 50
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


class ClassChartsClient(RecordCalls):
    """One ClassCharts account: a student, or a parent with their children."""

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

    @guarded
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

    @guarded
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
            lambda data, _: self._items("homeworks", data, Homework.from_json),
        )

    @guarded
    async def get_timetable(self, pupil_id: int, day: date) -> list[Lesson]:
        """The lessons of one day (empty on days without school).

        Breaks (``is_break: true``) are not lessons: they are left out, so a
        break never becomes the current or next lesson nor starts or ends the
        school day.
        """
        zone = self.pupil_zone(pupil_id)

        def parse(data: Any, _: JSONObject) -> list[Lesson]:
            entries = [item for item in as_list(data, "data") if not is_break(item)]
            return sort_lessons(
                self._tally.items(
                    "timetable", entries, lambda item: Lesson.from_json(item, zone)
                )
            )

        return await self._parsed(
            "GET", f"timetable/{pupil_id}", {"date": day.isoformat()}, parse
        )

    @guarded
    async def get_timetables(
        self, pupil_id: int, start: date, end: date
    ) -> dict[date, list[Lesson]]:
        """The lessons of every day from ``start`` to ``end``, a few days at a time."""
        days = (end - start).days + 1
        if not 0 < days <= MAX_TIMETABLE_DAYS:
            msg = f"a timetable range must span 1 to {MAX_TIMETABLE_DAYS} days"
            raise ClassChartsError(msg)
        limit = asyncio.Semaphore(TIMETABLE_CONCURRENCY)

        async def one(day: date) -> list[Lesson]:
            async with limit:
                return await self.get_timetable(pupil_id, day)

        wanted = [start + timedelta(days=offset) for offset in range(days)]
        results = await asyncio.gather(*(one(day) for day in wanted))
        return dict(zip(wanted, results, strict=True))

    @guarded
    async def get_detentions(self, pupil_id: int) -> list[Detention]:
        """All detentions the school shows."""
        zone = self.pupil_zone(pupil_id)
        return await self._parsed(
            "GET",
            f"detentions/{pupil_id}",
            None,
            lambda data, _: self._items(
                "detentions", data, lambda item: Detention.from_json(item, zone)
            ),
        )

    @guarded
    async def get_announcements(self, pupil_id: int) -> list[Announcement]:
        """The school's announcements for the pupil."""
        zone = self.pupil_zone(pupil_id)
        return await self._parsed(
            "GET",
            f"announcements/{pupil_id}",
            None,
            lambda data, _: self._items(
                "announcements", data, lambda item: Announcement.from_json(item, zone)
            ),
        )

    @guarded
    async def get_badges(self, pupil_id: int) -> list[Badge]:
        """Event badges the pupil earned, with each award."""
        zone = self.pupil_zone(pupil_id)
        return await self._parsed(
            "GET",
            f"eventbadges/{pupil_id}",
            None,
            lambda data, _: self._items(
                "eventbadges", data, lambda item: Badge.from_json(item, zone)
            ),
        )

    @guarded
    async def get_custom_fields(self, pupil_id: int) -> list[CustomField]:
        """School-defined fields such as reading age."""
        return await self._parsed(
            "GET",
            f"customfields/{pupil_id}",
            None,
            lambda data, _: self._tally.items(
                "customfields", custom_field_items(data), CustomField.from_json
            ),
        )

    @guarded
    async def get_rewards(self, pupil_id: int) -> RewardShop:
        """The reward shop and balance (student accounts only)."""
        self._require_student("rewards")

        def parse(data: Any, meta: JSONObject) -> RewardShop:
            items: list[Reward] = self._items("rewards", data, Reward.from_json)
            return RewardShop(balance=RewardShop.balance_from(meta), items=items)

        return await self._parsed("GET", f"rewards/{pupil_id}", None, parse)

    @guarded
    async def get_parent_behaviours(self, pupil_id: int) -> list[ParentBehaviour]:
        """The home behaviours the school lets a parent award (parent accounts)."""
        self._require_parent("home behaviour points")
        return await self._parsed(
            "GET",
            f"parentbehaviours/{pupil_id}",
            None,
            lambda data, _: self._items(
                "parentbehaviours", data, ParentBehaviour.from_json
            ),
        )

    @guarded
    async def add_parent_behaviour(self, pupil_id: int, behaviour_id: int) -> None:
        """Award one home behaviour point; the school's limit raises, never retried.

        The form field is ``behaviour_id`` (the id from ``get_parent_behaviours``),
        as a public client sends it. A refusal naming a limit becomes a
        ``ClassChartsLimitError``; a lost answer is not resent, so a point is
        never awarded twice by us.
        """
        self._require_parent("home behaviour points")
        try:
            await self._call(
                "POST",
                f"addparentbehaviour/{pupil_id}",
                data={"behaviour_id": str(behaviour_id)},
            )
        except ClassChartsResponseError as err:
            if "limit" in str(err).lower():
                msg = f"POST addparentbehaviour: {_reported(err)}"
                raise ClassChartsLimitError(msg) from err
            raise

    @guarded
    async def set_homework_done(
        self, pupil_id: int, homework: Homework, done: bool
    ) -> bool:
        """Tick or untick a homework; returns whether a change was sent.

        The endpoint toggles, so each homework's ticks run one at a time: the
        current state is read, and nothing is sent when it is already as asked.
        Concurrent or repeated requests for one state send at most one toggle.
        When the toggle's answer is lost, the state is read again to learn what
        happened; the toggle is never sent blindly a second time.
        """
        self._require_student("ticking homework")
        lock = self._tick_locks.setdefault(homework.id, asyncio.Lock())
        async with lock:
            current = await self._current_homework(pupil_id, homework)
            if current.done if done else not current.ticked:
                return False
            try:
                await self._call("GET", f"homeworkticked/{current.status_id}")
            except ClassChartsConnectionError:
                after = await self._current_homework(pupil_id, homework)
                if after.done if done else not after.ticked:
                    return True  # the toggle arrived; only its answer was lost
                raise
            return True

    async def _current_homework(self, pupil_id: int, homework: Homework) -> Homework:
        """The homework as ClassCharts lists it now."""
        listed = await self.get_homeworks(
            pupil_id, homework.due_date, homework.due_date
        )
        current = next((item for item in listed if item.id == homework.id), None)
        if current is None:
            msg = f"homework {homework.id} is no longer listed by ClassCharts"
            raise ClassChartsError(msg)
        return current

    def _require_parent(self, what: str) -> None:
        if self.account_type is not AccountType.PARENT:
            msg = f"{what} are only available to parent accounts"
            raise ClassChartsError(msg)

    def _require_student(self, what: str) -> None:
        if self.account_type is not AccountType.STUDENT:
            msg = f"{what} is only available to student accounts"
            raise ClassChartsError(msg)


def _reported(err: ClassChartsResponseError) -> str:
    """What ClassCharts said, without the call's name the session put in front."""
    return str(err).split("reported an error: ", 1)[-1]
