"""Async ClassCharts client: the typed data calls of one account."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any, Final

from .activity_calls import ActivityCalls
from .announcements import Announcement
from .behaviour import (
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
    is_break,
    sort_lessons,
)
from .parse import JSONObject, as_list
from .rewards import (
    Badge,
    CustomField,
    ParentBehaviour,
    Reward,
    RewardShop,
    custom_field_items,
)

TIMETABLE_CONCURRENCY: Final = 4
MAX_TIMETABLE_DAYS: Final = 93


class ClassChartsClient(ActivityCalls):
    """One ClassCharts account: a student, or a parent with their children."""

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
