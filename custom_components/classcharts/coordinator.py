"""The coordinator: one login per poll, every pupil of the account at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .client import (
    AccountType,
    BehaviourSummary,
    ClassChartsAuthenticationError,
    ClassChartsClient,
    ClassChartsError,
    ClassChartsRateLimitError,
    Pupil,
)
from .const import CONF_EXCLUDED_PUPILS, DOMAIN, LOGGER
from .data import AccountData, EventKind, PupilData, school_year_start
from .errors import update_error
from .repairs import async_refresh_failed, async_refresh_worked
from .schedule import (
    POLL_INTERVAL,
    PUPILS_MAX_AGE,
    Dataset,
    Mode,
    Window,
    assumed_window,
    due_datasets,
    mode_at,
    next_poll,
    retry_after_failure,
    school_window,
)
from .seen import SeenItems
from .timetable import TimetableCache

HOMEWORK_DAYS_BACK = 28
# After an outage or a restart, read back this far for missed behaviour points.
MAX_CATCH_UP = timedelta(days=7)
HOMEWORK_DAYS_AHEAD = 91
TIMETABLE_DAYS_AHEAD = 6

type ClassChartsConfigEntry = ConfigEntry[ClassChartsRuntimeData]


@dataclass
class ClassChartsRuntimeData:
    """What a loaded config entry holds."""

    client: ClassChartsClient
    coordinator: ClassChartsCoordinator
    seen: SeenItems


@dataclass
class _PupilState:
    """What the coordinator remembers about one pupil between polls."""

    pupil: Pupil
    timetable: TimetableCache
    fetched: dict[Dataset, datetime] = field(default_factory=dict)
    values: dict[Dataset, Any] = field(default_factory=dict)


def wanted_datasets(pupil: Pupil, account_type: AccountType) -> set[Dataset]:
    """The data the school shows for this pupil (``display_*`` flags)."""
    features = pupil.features
    wanted = {
        Dataset.ACTIVITY: features.behaviour,
        Dataset.BEHAVIOUR: features.behaviour,
        Dataset.HOMEWORK: features.homework,
        Dataset.TIMETABLE: features.timetable,
        Dataset.DETENTIONS: features.detentions,
        Dataset.ANNOUNCEMENTS: features.announcements,
        Dataset.ATTENDANCE: features.attendance,
        Dataset.REWARDS: features.rewards and account_type is AccountType.STUDENT,
    }
    return {dataset for dataset, shown in wanted.items() if shown}


class ClassChartsCoordinator(DataUpdateCoordinator[AccountData]):
    """Polls ClassCharts on a school-day schedule and keeps a per-pupil cache."""

    config_entry: ClassChartsConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ClassChartsConfigEntry,
        client: ClassChartsClient,
        seen: SeenItems,
    ) -> None:
        """Set up the coordinator; the first poll happens at entry setup."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=POLL_INTERVAL[Mode.QUIET],
        )
        self.client = client
        self._seen = seen
        self._polls = 0
        self._states: dict[int, _PupilState] = {}
        self._pupils_fetched: datetime | None = None
        self._failures = 0
        # Datasets whose last fetch failed while the rest of the poll worked.
        self._failing: set[tuple[int, Dataset]] = set()
        self._unsub_tick: CALLBACK_TYPE | None = None

    def timetable(self, pupil_id: int) -> TimetableCache:
        """The timetable cache of a pupil (for calendar range queries)."""
        return self._states[pupil_id].timetable

    def now(self) -> datetime:
        """The current time in the school's time zone."""
        first = next(iter(self._states), 0)
        return dt_util.now(self.client.pupil_zone(first))

    def invalidate(self, pupil_id: int, dataset: Dataset) -> None:
        """Make the next poll fetch ``dataset`` again (after a change we made)."""
        if state := self._states.get(pupil_id):
            state.fetched.pop(dataset, None)

    async def _async_update_data(self) -> AccountData:
        """Fetch what is due, keep what is not."""
        now = self.now()
        try:
            wait = await self._poll(now)
        except ClassChartsError as err:
            self._failures += 1
            wait = retry_after_failure(self._failures, now, self._window(now))
            self.update_interval = max(wait, _retry_after(err))
            async_refresh_failed(self.hass, self.config_entry, err)  # repair issues
            raise update_error(err) from err
        self._failures = 0
        self.update_interval = max(next_poll(now, self._window(now)), wait)
        data = self._snapshot(now)
        async_refresh_worked(  # repair issues: over, or a pupil the school hides
            self.hass,
            self.config_entry,
            [
                state.pupil
                for state in self._states.values()
                if not wanted_datasets(state.pupil, self.client.account_type)
            ],
        )
        self._schedule_tick(data)
        return data

    async def _poll(self, now: datetime) -> timedelta:
        """One poll: the pupil list when due, then every due dataset at once.

        The poll fails when the login fails, on refused credentials, or when
        every call failed. A single dataset that fails keeps its last value and
        is logged once; the rest of the poll counts. Returns how long a server
        asked us to wait (zero when it did not).
        """
        mode = mode_at(now, self._window(now))
        if (
            not self._states
            or self._pupils_fetched is None
            or self._pupils_fetched.date() != now.date()
            # On school days a new child appears within hours, not the next day.
            or (mode is not Mode.QUIET and now - self._pupils_fetched >= PUPILS_MAX_AGE)
        ):
            await self._update_pupils()
            self._pupils_fetched = now
            mode = mode_at(now, self._window(now))
        jobs = [
            (state, dataset)
            for state in self._states.values()
            for dataset in due_datasets(
                wanted_datasets(state.pupil, self.client.account_type),
                mode,
                now,
                state.fetched,
            )
        ]
        results = await asyncio.gather(
            *(self._fetch(state, dataset, now) for state, dataset in jobs),
            return_exceptions=True,
        )
        failed: list[tuple[tuple[int, Dataset], ClassChartsError]] = []
        for (state, dataset), result in zip(jobs, results, strict=True):
            key = (state.pupil.id, dataset)
            if result is None:
                if key in self._failing:
                    self._failing.discard(key)
                    LOGGER.info("ClassCharts %s of pupil %s works again", *key[::-1])
                continue
            if not isinstance(result, ClassChartsError):
                raise result
            if isinstance(result, ClassChartsAuthenticationError):
                raise result
            failed.append((key, result))
        if failed and len(failed) == len(jobs):
            raise failed[0][1]  # an outage: the coordinator logs it once
        for key, error in failed:
            if key not in self._failing:
                self._failing.add(key)
                LOGGER.warning(
                    "ClassCharts %s of pupil %s failed; keeping the last data: %s",
                    key[1],
                    key[0],
                    error,
                )
        errors = [error for _, error in failed]
        return max((_retry_after(err) for err in errors), default=timedelta(0))

    async def _update_pupils(self) -> None:
        """Learn the account's pupils; drop those gone or excluded."""
        excluded = set(self.config_entry.options.get(CONF_EXCLUDED_PUPILS, []))
        pupils = {
            pupil.id: pupil
            for pupil in await self.client.get_pupils()
            if pupil.id not in excluded
        }
        for pupil_id in list(self._states):
            if pupil_id not in pupils:
                del self._states[pupil_id]
        for pupil_id, pupil in pupils.items():
            if state := self._states.get(pupil_id):
                state.pupil = pupil
            else:
                self._states[pupil_id] = _PupilState(
                    pupil, TimetableCache(self.client, pupil_id)
                )
        self._remove_stale_devices()

    async def _fetch(self, state: _PupilState, dataset: Dataset, now: datetime) -> None:
        """Fetch one dataset of one pupil and remember it."""
        fetchers: dict[Dataset, Callable[[int, date, datetime], Awaitable[Any]]] = {
            Dataset.ACTIVITY: self._activity,
            Dataset.BEHAVIOUR: self._behaviour_before_today,
            Dataset.HOMEWORK: self._homeworks,
            Dataset.DETENTIONS: lambda pid, _d, _n: self.client.get_detentions(pid),
            Dataset.ANNOUNCEMENTS: lambda pid, _d, _n: self.client.get_announcements(
                pid
            ),
            Dataset.ATTENDANCE: lambda pid, today, _n: self.client.get_attendance(
                pid, school_year_start(today), today
            ),
            Dataset.REWARDS: lambda pid, _d, _n: self.client.get_rewards(pid),
            Dataset.TIMETABLE: lambda _pid, today, now: state.timetable.fetch(
                today, today + timedelta(days=TIMETABLE_DAYS_AHEAD), now, refresh=True
            ),
        }
        value = await fetchers[dataset](state.pupil.id, now.date(), now)
        if dataset is not Dataset.TIMETABLE:
            state.values[dataset] = value
        state.fetched[dataset] = now

    async def _activity(self, pupil_id: int, today: date, now: datetime) -> Any:
        """Activity since midnight, or since the last point announced if earlier."""
        since = _midnight(now)
        if last := self._seen.newest_time(pupil_id, EventKind.BEHAVIOUR):
            since = max(min(since, last), now - MAX_CATCH_UP)
        return await self.client.get_activity_since(pupil_id, since, today)

    async def _behaviour_before_today(
        self, pupil_id: int, today: date, _now: datetime
    ) -> tuple[BehaviourSummary, date]:
        """This school year's totals up to yesterday, and that last day."""
        start, yesterday = school_year_start(today), today - timedelta(days=1)
        if start > yesterday:
            return BehaviourSummary(positive=0, negative=0), yesterday
        return await self.client.get_behaviour(pupil_id, start, yesterday), yesterday

    async def _homeworks(self, pupil_id: int, today: date, _now: datetime) -> Any:
        return await self.client.get_homeworks(
            pupil_id,
            today - timedelta(days=HOMEWORK_DAYS_BACK),
            today + timedelta(days=HOMEWORK_DAYS_AHEAD),
        )

    def _window(self, now: datetime) -> Window | None:
        """Today's school hours: from the timetable, or assumed when none is shown."""
        if not any(state.pupil.features.timetable for state in self._states.values()):
            return assumed_window(now)
        today = now.date()
        return school_window(
            lesson
            for state in self._states.values()
            for lesson in state.timetable.known(today, today).get(today, [])
        )

    def _snapshot(self, now: datetime) -> AccountData:
        """Freeze the cache into what entities read, with the items new since."""
        self._polls += 1
        pupils = {}
        for pupil_id, state in self._states.items():
            values = state.values
            before, until = values.get(Dataset.BEHAVIOUR) or (None, None)
            pupils[pupil_id] = PupilData(
                pupil=state.pupil,
                lessons=state.timetable.known(date.min, date.max),
                homeworks=values.get(Dataset.HOMEWORK),
                activity=values.get(Dataset.ACTIVITY, []),
                behaviour_before=before,
                behaviour_until=until,
                detentions=values.get(Dataset.DETENTIONS),
                announcements=values.get(Dataset.ANNOUNCEMENTS),
                attendance=values.get(Dataset.ATTENDANCE),
                rewards=values.get(Dataset.REWARDS),
                new_items=self._new_items(state, now.date()),
            )
        return AccountData(pupils=pupils, poll=self._polls)

    def _new_items(self, state: _PupilState, today: date) -> dict[EventKind, list[Any]]:
        """Items not seen in an earlier poll (or run), oldest first."""
        values = state.values
        sources: list[tuple[EventKind, Dataset, Callable[[Any], Any], Any, Any]] = [
            (
                EventKind.BEHAVIOUR,
                Dataset.ACTIVITY,
                lambda i: (i.timestamp, i.id),
                lambda i: i.timestamp.date(),
                lambda i: i.timestamp,
            ),
            (
                EventKind.HOMEWORK,
                Dataset.HOMEWORK,
                lambda h: (h.issue_date, h.id),
                lambda h: h.issue_date,
                None,
            ),
            # Ids grow as detentions are set; their dates say when they happen.
            (EventKind.DETENTION, Dataset.DETENTIONS, lambda d: d.id, None, None),
            (
                EventKind.ANNOUNCEMENT,
                Dataset.ANNOUNCEMENTS,
                lambda a: (a.timestamp, a.id),
                None,
                None,
            ),
        ]
        new: dict[EventKind, list[Any]] = {}
        for kind, dataset, order, born, moment in sources:
            items = values.get(dataset)
            if items is None:  # not shown by the school, or not fetched yet
                continue
            if kind is EventKind.BEHAVIOUR:
                items = [i for i in items if i.type == "behaviour"]
            new[kind] = self._seen.take_new(
                state.pupil.id,
                kind,
                sorted(items, key=order),
                lambda item: item.id,
                today=today,
                born=born,
                moment=moment,
            )
        return new

    @callback
    def _schedule_tick(self, data: AccountData) -> None:
        """Wake entities at the next lesson boundary or midnight, without polling."""
        if self._unsub_tick:
            self._unsub_tick()
        now = self.now()
        midnight = (now + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        moments = [midnight]
        moments.extend(
            moment
            for pupil in data.pupils.values()
            if (moment := pupil.next_boundary(now)) is not None
        )

        @callback
        def _tick(_now: datetime) -> None:
            self._unsub_tick = None
            self.async_update_listeners()
            if self.data is not None:
                self._schedule_tick(self.data)

        self._unsub_tick = async_track_point_in_time(self.hass, _tick, min(moments))

    async def async_shutdown(self) -> None:
        """Stop the lesson-boundary timer with the coordinator."""
        if self._unsub_tick:
            self._unsub_tick()
            self._unsub_tick = None
        await super().async_shutdown()

    def _remove_stale_devices(self) -> None:
        """Remove devices of pupils no longer on the account (or excluded)."""
        registry = dr.async_get(self.hass)
        current = {device_identifier(self.config_entry, pid) for pid in self._states}
        for device in dr.async_entries_for_config_entry(
            registry, self.config_entry.entry_id
        ):
            if not device.identifiers & current:
                LOGGER.debug("Removing the device of a pupil no longer included")
                # Our devices belong to this entry alone, so removing the device
                # is what detaching the entry meant (that form is deprecated).
                registry.async_remove_device(device.id)


def _retry_after(err: ClassChartsError) -> timedelta:
    """How long a rate-limited server asked us to wait (the client caps it)."""
    if isinstance(err, ClassChartsRateLimitError) and err.retry_after:
        return timedelta(seconds=err.retry_after)
    return timedelta(0)


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def device_identifier(entry: ConfigEntry, pupil_id: int) -> tuple[str, str]:
    """A pupil's device id, unique per account (a pupil may be in two accounts)."""
    return (DOMAIN, f"{entry.unique_id}_{pupil_id}")
