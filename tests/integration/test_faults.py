"""The fault campaign: every failure mode, at set-up and in steady state."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
import time
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.classcharts_hass.client import ClassChartsClient
from custom_components.classcharts_hass.const import DOMAIN
from tests.conftest import LONDON, logged_tracebacks, setup_entry
from tests.fake_server import FakeClassCharts

SENSOR = "sensor.ada_example_next_lesson"
FOREVER = 100_000


def _busy(hass: HomeAssistant) -> bool:
    """Whether Home Assistant still runs tasks (a poll waiting on the server)."""
    return any(not task.done() for task in (*hass._tasks, *hass._background_tasks))


async def settle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, done: Callable[[], bool]
) -> None:
    """Wait in real time until ``done()``, moving the frozen clock meanwhile.

    The test clock is frozen, so a request timeout passes only when the clock
    moves while the request is in flight: every 100 ms of real time the clock
    moves 5 s. Real time passes through a thread, because imports and I/O need
    it. Fails clearly instead of hanging.
    """
    loop = asyncio.get_running_loop()
    for step in range(600):
        if done():
            return
        await loop.run_in_executor(None, time.sleep, 0.01)
        if step % 10 == 9:
            freezer.tick(timedelta(seconds=5))
            async_fire_time_changed(hass)
    pytest.fail("still waiting after 6 s of real time and 300 s of test time")


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move the clock like conftest.advance, then also past hanging requests."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await settle(hass, freezer, lambda: not _busy(hass))
    await hass.async_block_till_done(wait_background_tasks=True)


async def refuse(fake: FakeClassCharts) -> None:
    """Nothing listens: connection refused."""
    await fake.stop()


def failing(**kwargs: object) -> Callable[[FakeClassCharts], Awaitable[None]]:
    """Every request fails the given way until cleared."""

    async def start(fake: FakeClassCharts) -> None:
        fake.fail_next(FOREVER, **kwargs)  # type: ignore[arg-type]

    return start


FAULTS: dict[str, Callable[[FakeClassCharts], Awaitable[None]]] = {
    "connection-refused": refuse,
    "timeout": failing(timeout=True),
    "http-500": failing(status=500),
    "http-502": failing(status=502),
    "http-503": failing(status=503),
    "http-429": failing(status=429),
    "http-429-retry-after": failing(status=429, retry_after=1800),
    "html-page-200": failing(html=True),
    "truncated-json": failing(malformed=True),
    "wrong-shape": failing(wrong_shape=True),
}


async def heal(fake: FakeClassCharts) -> None:
    """End the fault."""
    fake.clear_failures()
    if not fake.base_url or fake._runner is None:
        await fake.start()


@contextmanager
def count_logins() -> Iterator[Callable[[], int]]:
    """Count login attempts, also those a stopped server never sees."""
    original = ClassChartsClient._login
    attempts = 0

    async def counting(client: ClassChartsClient) -> None:
        nonlocal attempts
        attempts += 1
        await original(client)

    with patch.object(ClassChartsClient, "_login", counting):
        yield lambda: attempts


def assert_clean_log(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback at INFO or above (Home Assistant's own DEBUG copy does not count)."""
    assert not logged_tracebacks(caplog)


def reauth_flows(hass: HomeAssistant) -> list[dict]:
    """Reauthentication flows in progress."""
    return [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == "reauth"
    ]


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_fault_in_steady_state(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """An hour-long fault: unavailable, one log line, backing off, then recovery."""
    await setup_entry(hass_london, student_entry)
    await FAULTS[fault](fake)
    with count_logins() as logins:
        for _ in range(6):
            await advance(hass_london, freezer, timedelta(minutes=10))
    # Every failing poll starts with a login (the session is older than a poll).
    during = logins()
    assert hass_london.states.get(SENSOR).state == STATE_UNAVAILABLE
    failures = [
        r for r in caplog.records if "Error fetching classcharts_hass" in r.message
    ]
    assert len(failures) == 1, [r.message for r in failures]
    # A whole outage is one line, not one per dataset as well.
    assert not [r for r in caplog.records if "keeping the last data" in r.message]
    # School hours poll every 10 minutes; failed polls back off (5, 10, 20 min).
    assert during <= (2 if fault == "http-429-retry-after" else 5), during
    assert reauth_flows(hass_london) == []

    await heal(fake)
    waited = 0
    while hass_london.states.get(SENSOR).state == STATE_UNAVAILABLE:
        await advance(hass_london, freezer, timedelta(minutes=5))
        waited += 5
        assert waited <= 60, "no recovery within an hour"
    assert_clean_log(caplog)
    print(
        f"{fault}: {during} login attempts in the hour of failure, back in {waited} min"
    )


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_fault_at_setup(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """A fault at start-up means "retry later", never "log in again"."""
    await FAULTS[fault](fake)
    student_entry.add_to_hass(hass_london)
    hass_london.async_create_task(
        hass_london.config_entries.async_setup(student_entry.entry_id)
    )
    # A hanging server answers nothing: move time past the request timeout
    # until the first attempt has failed. (Home Assistant keeps retrying, so it
    # never goes idle while the fault lasts.)
    await settle(
        hass_london,
        freezer,
        lambda: student_entry.state is ConfigEntryState.SETUP_RETRY,
    )
    assert student_entry.state is ConfigEntryState.SETUP_RETRY
    assert reauth_flows(hass_london) == []

    await heal(fake)
    for _ in range(12):
        if student_entry.state is ConfigEntryState.LOADED:
            break
        await advance(hass_london, freezer, timedelta(minutes=1))
    assert student_entry.state is ConfigEntryState.LOADED
    assert hass_london.states.get(SENSOR).state != STATE_UNAVAILABLE
    assert_clean_log(caplog)


async def test_tes_redirect_is_a_silent_relogin(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A forgotten session (redirect to the Tes check) costs one login, no outage."""
    await setup_entry(hass_london, student_entry)
    await advance(hass_london, freezer, timedelta(minutes=1))
    fake.forget_sessions()
    fake.clear_requests()
    entry = student_entry.runtime_data.coordinator
    await entry.async_refresh()
    assert entry.last_update_success
    assert [r.path for r in fake.requests].count("/student/login") == 1


async def test_session_expiring_between_two_calls_of_a_refresh(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A session that dies mid-refresh is renewed once; the refresh still works."""
    await setup_entry(hass_london, student_entry)
    await advance(hass_london, freezer, timedelta(minutes=1))
    coordinator = student_entry.runtime_data.coordinator
    coordinator.invalidate(4821907, coordinator_dataset("homework"))
    fake.fail_next(1, status=401, path_contains="homeworks")
    fake.clear_requests()
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    paths = [r.path for r in fake.requests]
    assert paths.count("/student/login") == 1
    assert paths.count("/apiv2student/homeworks/4821907") == 2
    assert hass_london.states.get(SENSOR).state != STATE_UNAVAILABLE


def coordinator_dataset(name: str) -> object:
    """A schedule dataset by name."""
    from custom_components.classcharts_hass.school.datasets import Dataset  # noqa: PLC0415

    return Dataset(name)


async def test_huge_retry_after_is_capped(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A server asking for a month's pause is heard as six hours at most."""
    await setup_entry(hass_london, student_entry)
    fake.fail_next(1000, status=429, retry_after=30 * 24 * 3600)
    await advance(hass_london, freezer, timedelta(minutes=10))
    coordinator = student_entry.runtime_data.coordinator
    assert coordinator.update_interval == timedelta(hours=6)


async def test_a_failed_login_is_tried_once_per_poll(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With every dataset due, a server fault still costs one request per poll."""
    freezer.move_to(datetime(2026, 11, 24, 17, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    fake.fail_next(100_000, status=503)
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(hours=2))  # a poll, all data due
    assert [r.path for r in fake.requests] == ["/student/login"]


async def test_a_long_outage_backs_off_to_an_hour(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """In school hours, failed polls wait 5, 10, 20, 40 minutes, then an hour."""
    freezer.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    fake.fail_next(FOREVER, status=503)
    attempts = []
    for _ in range(4 * 60 + 30):  # to 13:30
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=1))
        if any(r.path.endswith("/login") for r in fake.requests):
            attempts.append(datetime.now(LONDON).strftime("%H:%M"))
    assert attempts == [
        "09:10",
        "09:15",
        "09:25",
        "09:45",
        "10:25",
        "11:25",
        "12:25",
        "13:25",
    ]
