"""The coordinator: when to poll, and one login per poll for every pupil.

The pieces, in ``school/``: ``datasets.py`` says what each dataset is and how
it is fetched, ``poll_schedule.py`` when, ``poll.py`` fetches what is due and
``last_values.py`` keeps each dataset's last good value, ``news_feeds.py`` says
what is new; beside this module, ``roster.py`` which pupils (and devices) there
are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .announced_store import AnnouncedStore
from .client import ClassChartsClient, ClassChartsError, Lesson
from .const import DOMAIN, LOGGER
from .errors import update_error
from .repairs import async_refresh_failed, async_refresh_worked
from .roster import Roster, device_identifier
from .school.announced import AnnouncedItems
from .school.clock import instant, midnight
from .school.datasets import (
    DATASETS,
    TIMETABLE_CHECKPOINTS,
    Dataset,
    wanted_datasets,
)
from .school.fetches import TIMETABLE_DAYS_AHEAD
from .school.last_values import PupilLastValues
from .school.lookahead import known_until
from .school.news_feeds import new_items, timetable_changes
from .school.poll import Fetched, fetch_due, retry_after
from .school.poll_schedule import (
    DAY_START,
    POLL_INTERVAL,
    PUPILS_MAX_AGE,
    Mode,
    Window,
    assumed_window,
    merge_windows,
    mode_at,
    next_poll,
    retry_after_failure,
    school_window,
)
from .school.snapshot import AccountData, EventKind, PupilData

__all__ = ["ClassChartsConfigEntry", "ClassChartsCoordinator", "device_identifier"]

# A timetable day that lost most of its lessons is read again this soon.
CONFIRM_AFTER: Final = timedelta(minutes=5)
# A dataset we changed while a poll read it is read again this soon: Home
# Assistant drops the refresh the change asked for when its cooldown ends
# during a poll ("any call is good"), whose answer may predate the change.
READ_AGAIN_AFTER_CHANGE: Final = timedelta(seconds=10)

type ClassChartsConfigEntry = ConfigEntry[ClassChartsRuntimeData]


@dataclass
class ClassChartsRuntimeData:
    """What a loaded config entry holds."""

    client: ClassChartsClient
    coordinator: ClassChartsCoordinator
    store: AnnouncedStore


class ClassChartsCoordinator(DataUpdateCoordinator[AccountData]):
    """Polls ClassCharts on a school-day schedule; each dataset fails alone."""

    config_entry: ClassChartsConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ClassChartsConfigEntry,
        client: ClassChartsClient,
        announced: AnnouncedItems,
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
        self._announced = announced
        self._polls = 0
        self.roster = Roster(hass, entry, client)
        self._pupils_fetched: datetime | None = None
        self._failures = 0
        self._unsub_tick: CALLBACK_TYPE | None = None
        self._closed = False

    @property
    def _states(self) -> dict[int, PupilLastValues]:
        return self.roster.states

    async def lessons(
        self, pupil_id: int, start: date, end: date
    ) -> dict[date, list[Lesson]]:
        """A pupil's lessons of every day of a range (calendar, actions)."""
        return await self._states[pupil_id].lessons(start, end, self.now())

    def now(self) -> datetime:
        """The current time in the school's time zone."""
        first = next(iter(self._states), 0)
        return dt_util.now(self.client.pupil_zone(first))

    def invalidate(self, pupil_id: int, dataset: Dataset) -> None:
        """Make the next poll fetch ``dataset`` again (after a change we made)."""
        if state := self._states.get(pupil_id):
            state.invalidate(dataset)

    async def _async_update_data(self) -> AccountData:
        """Fetch what is due, keep what is not."""
        now = self.now()
        try:
            wait, fresh = await self._poll(now)
        except ClassChartsError as err:
            self._failures += 1
            wait = retry_after_failure(
                self._failures, now, self._window(now), self._mornings()
            )
            self.update_interval = max(wait, retry_after(err))
            if not self._closed:  # an unloaded entry's issues are gone, and stay so
                async_refresh_failed(self.hass, self.config_entry, err)
            raise update_error(err, reauth=not self._closed) from err
        self._failures = 0
        interval = next_poll(now, self._window(now), self._mornings())
        if any(state.timetable.doubted for state in self._states.values()):
            # A day that lost most lessons is read again minutes later.
            interval = min(interval, CONFIRM_AFTER)
        if any(
            state.forced & fresh.get(pupil_id, set())
            for pupil_id, state in self._states.items()
        ):
            interval = min(interval, READ_AGAIN_AFTER_CHANGE)
        self.update_interval = max(interval, wait)
        data = self._snapshot(now, fresh)
        if not self._closed:  # an unloaded entry's issues are gone, and stay so
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

    async def _poll(self, now: datetime) -> Fetched:
        """One poll: the pupil list when due, then every due dataset at once."""
        mode = mode_at(now, self._window(now))
        if (
            not self._states
            or self._pupils_fetched is None
            or self._pupils_fetched.date() != now.date()
            # On school days a new child appears within hours, not the next day.
            or (
                mode is not Mode.QUIET
                and instant(now) - instant(self._pupils_fetched) >= PUPILS_MAX_AGE
            )
        ):
            self.roster.update(await self.client.get_pupils(), now)
            self._pupils_fetched = now
            mode = mode_at(now, self._window(now))
        fetched = await fetch_due(
            self.client, self._announced, list(self._states.values()), mode, now
        )
        if (student := self.client.student) is not None:
            # Every poll's ping brings the student's record: its counts (unread
            # messages) are as fresh as the poll, at no request of their own.
            self.roster.update([student], now)
        return fetched

    def _mornings(self) -> tuple[time, ...]:
        """When a school morning's polls wake before lessons (``next_poll``).

        06:00 always; 07:00 too when a timetable is shown, for its re-read.
        """
        if any(s.pupil.features.timetable for s in self._states.values()):
            return (DAY_START, TIMETABLE_CHECKPOINTS[0])
        return (DAY_START,)

    def _window(self, now: datetime) -> Window | None:
        """Today's school hours: from the timetable, or assumed without one.

        Weekdays 08:00-16:00 are assumed when no pupil's school shows a
        timetable, and also while a shown timetable has not been read today,
        so a failing timetable never slows down the polls that refetch it.
        """
        today = now.date()
        shown = [s for s in self._states.values() if s.pupil.features.timetable]
        window = school_window(
            lesson
            for state in shown
            for lesson in state.known_lessons(today, today).get(today, [])
        )
        if shown and all(_read_on(state, today) for state in shown):
            return window
        return merge_windows(window, assumed_window(now))

    def _snapshot(self, now: datetime, fresh: dict[int, set[Dataset]]) -> AccountData:
        """Freeze the usable values into what entities read, with the news."""
        self._polls += 1
        pupils = {}
        for pupil_id, state in self._states.items():
            usable = state.usable(now)
            # Once the unload began (its store written), a poll announces
            # nothing: the entry set up next announces it, once.
            fetched = set() if self._closed else fresh.get(pupil_id, set())
            news = new_items(self._announced, state, fetched, now.date())
            news[EventKind.TIMETABLE_CHANGE] = timetable_changes(
                self._announced, state, fetched, now.date()
            )
            pupils[pupil_id] = PupilData(
                pupil=state.pupil,
                values={
                    d: value
                    for d, value in state.values().items()
                    if d in usable and d is not Dataset.TIMETABLE
                },
                lessons=(
                    state.timetable.shown(
                        now, DATASETS[Dataset.TIMETABLE].keep_last_value
                    )
                    if Dataset.TIMETABLE in usable
                    else {}
                ),
                shown_until=usable,
                new_items=news,
                known_until=(
                    known_until(
                        state.timetable,
                        now.date() + timedelta(days=TIMETABLE_DAYS_AHEAD),
                        now,
                    )
                    if Dataset.TIMETABLE in usable
                    else None
                ),
            )
        return AccountData(pupils=pupils, poll=self._polls)

    @callback
    def _schedule_tick(self, data: AccountData) -> None:
        """Wake entities at the next lesson boundary or midnight, without polling."""
        if self._unsub_tick:
            self._unsub_tick()
            self._unsub_tick = None
        if self._closed:  # a poll that finished after unload arms nothing
            return
        now = self.now()
        moments = [midnight(now + timedelta(days=1))]
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

    @callback
    def close(self) -> None:
        """Announce and wake nothing more: the entry is unloading, for good."""
        self._closed = True
        if self._unsub_tick:
            self._unsub_tick()
            self._unsub_tick = None

    async def async_shutdown(self) -> None:
        """Stop the lesson-boundary timer with the coordinator, for good."""
        self.close()
        await super().async_shutdown()


def _read_on(state: PupilLastValues, today: date) -> bool:
    """Whether the pupil's timetable was read today."""
    fetched = state.fetched().get(Dataset.TIMETABLE)
    return fetched is not None and fetched.date() == today
