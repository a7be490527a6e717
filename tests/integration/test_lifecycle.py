"""Nothing runs or writes after unload or removal; a damaged store is set aside."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
import logging
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass import coordinator as coordinator_module
from custom_components.classcharts_hass.const import DOMAIN
from custom_components.classcharts_hass.school.datasets import ACTIVITY
from tests.conftest import NOW, advance, setup_entry
from tests.fake_server import CHILD_IDS, PARENT_EMAIL, STUDENT_ID, FakeClassCharts

from .other_entries import issues, proffalken
from .test_event import POINTS, record

ADA = CHILD_IDS[0]


@asynccontextmanager
async def poll_held_open(
    hass: HomeAssistant, entry: MockConfigEntry
) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """Start a poll that waits, its data fetched, until released; yield the release."""
    original = coordinator_module.fetch_due
    started, release = asyncio.Event(), asyncio.Event()

    async def held(*args: Any) -> Any:
        result = await original(*args)
        started.set()
        await release.wait()
        return result

    with patch.object(coordinator_module, "fetch_due", held):
        coordinator = entry.runtime_data.coordinator
        task = hass.async_create_task(coordinator.async_refresh())
        await started.wait()

        async def finish() -> None:
            release.set()
            await task
            await hass.async_block_till_done()

        yield finish


async def test_a_poll_finishing_after_unload_arms_no_timer(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The old coordinator never wakes again once its entry is unloaded."""
    await setup_entry(hass_london, student_entry)
    coordinator = student_entry.runtime_data.coordinator
    async with poll_held_open(hass_london, student_entry) as finish:
        assert await hass_london.config_entries.async_unload(student_entry.entry_id)
        await finish()
    assert coordinator._unsub_tick is None
    woke: list[int] = []
    coordinator.async_add_listener(lambda: woke.append(1))
    fake.clear_requests()
    for _ in range(8):
        await advance(hass_london, freezer, timedelta(hours=6))
    assert woke == []
    assert fake.requests == []


async def test_a_poll_in_flight_at_removal_writes_no_store(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Deleting the entry mid-poll leaves no store behind, even with news."""
    await setup_entry(hass_london, student_entry)
    key = f"{DOMAIN}.{student_entry.entry_id}.seen"
    fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=1))
    freezer.tick(timedelta(minutes=2))
    coordinator = student_entry.runtime_data.coordinator
    async with poll_held_open(hass_london, student_entry) as finish:
        await hass_london.config_entries.async_remove(student_entry.entry_id)
        assert key not in hass_storage
        await finish()
    # The poll read the point; closed, it announced nothing and wrote nothing.
    activity = coordinator.data.pupils[STUDENT_ID].get(ACTIVITY)
    assert activity is not None
    assert NOW + timedelta(minutes=1) in {item.timestamp for item in activity.items}
    assert not coordinator.data.pupils[STUDENT_ID].new_items.get("behaviour")
    await advance(hass_london, freezer, timedelta(minutes=1))
    assert key not in hass_storage


@pytest.mark.parametrize(
    "stored",
    [
        {"version": 1, "minor_version": 1, "key": "k", "data": ["not", "a", "map"]},
        {"version": 1, "minor_version": 1, "key": "k", "data": {"1": {"homework": 7}}},
        {"version": 1, "minor_version": 1, "key": "k", "data": {"1": "text"}},
    ],
    ids=["list", "ids-not-a-list", "pupil-not-a-map"],
)
async def test_a_damaged_store_is_set_aside_with_one_warning(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    stored: dict[str, Any],
) -> None:
    """Set-up goes on; nothing already there fires; one warning, no traceback."""
    key = f"{DOMAIN}.{student_entry.entry_id}.seen"
    hass_storage[key] = {**stored, "key": key}
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.LOADED
    warnings = [r for r in caplog.records if "could not be read" in r.message]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "Traceback" not in caplog.text
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert str(STUDENT_ID) in hass_storage[key]["data"]


async def test_a_store_from_a_newer_version_is_set_aside(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A store written by a future version cannot be migrated: set aside."""
    key = f"{DOMAIN}.{student_entry.entry_id}.seen"
    hass_storage[key] = {"version": 9, "minor_version": 1, "key": key, "data": {}}
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.LOADED
    assert len([r for r in caplog.records if "could not be read" in r.message]) == 1


async def test_unload_writes_the_announced_items(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A reload right after a poll finds the new point already on disk."""
    await setup_entry(hass_london, student_entry)
    point = fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=2))
    await advance(hass_london, freezer, timedelta(minutes=10))
    key = f"{DOMAIN}.{student_entry.entry_id}.seen"
    fired = record(hass_london, POINTS)
    assert await hass_london.config_entries.async_unload(student_entry.entry_id)
    assert point in hass_storage[key]["data"][str(STUDENT_ID)]["behaviour"]
    assert await hass_london.config_entries.async_setup(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert fired == []


async def test_removing_the_entry_forgets_the_announced_items(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    hass_storage: dict[str, Any],
) -> None:
    """Deleting the account deletes its stored event history."""
    await setup_entry(hass_london, student_entry)
    key = f"{DOMAIN}.{student_entry.entry_id}.seen"
    await hass_london.config_entries.async_unload(student_entry.entry_id)
    assert key in hass_storage
    await hass_london.config_entries.async_remove(student_entry.entry_id)
    await hass_london.async_block_till_done()
    assert key not in hass_storage


async def test_a_damaged_file_is_kept_beside_the_new_one(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    """The unreadable file is renamed, not deleted, and the warning says where."""
    key = f"{DOMAIN}.{student_entry.entry_id}.seen"
    hass_storage[key] = {"version": 1, "minor_version": 1, "key": key, "data": [1]}
    damaged = tmp_path / key
    damaged.write_text('{"data": [1]}', encoding="utf-8")
    with patch.object(Store, "path", new_callable=PropertyMock) as path:
        path.return_value = str(damaged)
        await setup_entry(hass_london, student_entry)
    assert not damaged.exists()
    assert (tmp_path / f"{key}.corrupt").read_text(encoding="utf-8") == (
        '{"data": [1]}'
    )
    warning = next(r for r in caplog.records if "could not be read" in r.message)
    assert f"{key}.corrupt" in warning.message


async def test_a_poll_finishing_while_the_entry_reloads_fires_its_news_once(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A point found by a poll that ends during a reload fires once, not twice.

    The store is written at the start of the unload; a poll ending after that,
    while the platforms are being unloaded, must not announce what the
    reloaded entry will announce again.
    """
    await setup_entry(hass_london, student_entry)
    fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=1))
    freezer.tick(timedelta(minutes=2))
    fired = record(hass_london, POINTS)
    config_entries = hass_london.config_entries
    unload_platforms = config_entries.async_unload_platforms
    async with poll_held_open(hass_london, student_entry) as finish:

        async def poll_ends_first(*args: Any) -> bool:
            await finish()
            return await unload_platforms(*args)

        with patch.object(config_entries, "async_unload_platforms", poll_ends_first):
            assert await config_entries.async_reload(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fired) == 1


async def test_a_poll_ending_after_removal_leaves_no_repair_issue(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A poll asked for before the entry was deleted, ending after, raises no
    issue for an entry that is gone (removal deleted its issues)."""
    proffalken(ADA, "01OLDADA000000000000000000").add_to_hass(hass_london)
    await setup_entry(hass_london, parent_entry)
    assert f"remove_old_entries_{parent_entry.entry_id}" in issues(hass_london)
    async with poll_held_open(hass_london, parent_entry) as finish:
        await hass_london.config_entries.async_remove(parent_entry.entry_id)
        assert issues(hass_london) == {}
        await finish()
    assert issues(hass_london) == {}


@pytest.mark.parametrize("refusal", ["captcha", "password"])
async def test_a_login_refused_while_the_entry_unloads_asks_nothing(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    refusal: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A poll whose login is refused after the unload deleted the entry's
    issues raises no issue and starts no reauthentication: the entry is not
    loaded (after a reauthentication, it reloads with the new password). The
    log says why the poll failed."""
    await setup_entry(hass_london, parent_entry)
    coordinator = parent_entry.runtime_data.coordinator
    original = coordinator_module.fetch_due
    release = asyncio.Event()

    async def held(*args: Any) -> Any:
        await release.wait()
        return await original(*args)

    config_entries = hass_london.config_entries
    unload_platforms = config_entries.async_unload_platforms

    async def poll_ends_first(*args: Any) -> bool:
        if refusal == "captcha":
            fake.captcha_required = True
        else:
            fake.change_password(PARENT_EMAIL, "changed")
        fake.expire_sessions()
        freezer.tick(timedelta(minutes=3))  # the poll's login is due again
        release.set()
        await poll
        return await unload_platforms(*args)

    with (
        patch.object(coordinator_module, "fetch_due", held),
        patch.object(config_entries, "async_unload_platforms", poll_ends_first),
    ):
        poll = hass_london.async_create_task(coordinator.async_refresh())
        assert await config_entries.async_unload(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    assert not coordinator.last_update_success  # the login was refused
    assert issues(hass_london) == {}
    assert not config_entries.flow.async_progress_by_handler(DOMAIN)
    why = {
        "captcha": "ClassCharts asks for a captcha at login",
        "password": "ClassCharts no longer accepts the stored login",
    }[refusal]
    assert any(why in record.getMessage() for record in caplog.records)
