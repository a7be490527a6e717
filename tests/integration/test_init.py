"""Setup, unload, errors, reauth and recovery of a config entry."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import CONF_EXCLUDED_PUPILS, DOMAIN
from tests.conftest import LONDON, advance, logged_tracebacks, setup_entry
from tests.fake_server import CHILD_IDS, PARENT_EMAIL, FakeClassCharts

NEXT_LESSON = "sensor.ada_example_next_lesson"


async def test_setup_and_unload(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A student entry loads with one device, and unloads cleanly."""
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.LOADED
    devices = dr.async_entries_for_config_entry(
        dr.async_get(hass_london), student_entry.entry_id
    )
    assert [device.name for device in devices] == ["Ada Example"]
    assert hass_london.states.get(NEXT_LESSON).state == "TUTOR"
    # One login and one ping served the whole first refresh.
    assert [r.path for r in fake.requests].count("/student/login") == 1

    assert await hass_london.config_entries.async_unload(student_entry.entry_id)
    await hass_london.async_block_till_done()
    assert student_entry.state is ConfigEntryState.NOT_LOADED


async def test_server_fault_at_setup_retries(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A server fault during the first refresh means "not ready", retried later."""
    fake.fail_next(count=1, status=503)
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.SETUP_RETRY


async def test_wrong_credentials_at_setup_start_reauth(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Refused credentials stop the setup and ask the user to log in again."""
    fake.change_password(PARENT_EMAIL, "a new password")
    await setup_entry(hass_london, parent_entry)
    assert parent_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_password_changed_while_running_starts_reauth(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A password changed on ClassCharts turns into a reauth flow at the next poll."""
    await setup_entry(hass_london, parent_entry)
    fake.change_password(PARENT_EMAIL, "a new password")
    fake.expire_sessions()
    await advance(hass_london, freezer, timedelta(minutes=11))
    flows = hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_outage_makes_entities_unavailable_then_recovers(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable during an outage, log it once, and come back alone."""
    await setup_entry(hass_london, student_entry)
    await fake.stop()
    for _ in range(4):
        await advance(hass_london, freezer, timedelta(minutes=11))
    assert hass_london.states.get(NEXT_LESSON).state == STATE_UNAVAILABLE
    failures = [
        r for r in caplog.records if "Error fetching classcharts_hass" in r.message
    ]
    assert len(failures) == 1
    assert not logged_tracebacks(caplog)

    await fake.start()
    await advance(hass_london, freezer, timedelta(minutes=11))
    assert hass_london.states.get(NEXT_LESSON).state != STATE_UNAVAILABLE
    assert any(
        "Fetching classcharts_hass data recovered" in r.message for r in caplog.records
    )


async def test_malformed_answer_is_logged_once_with_context(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A body that is not JSON fails its dataset alone, named in one log line.

    During lessons the activity feed may be the only call of a poll: the poll
    still works, the points keep their last value, and nothing else goes.
    """
    await setup_entry(hass_london, student_entry)
    points = "sensor.ada_example_positive_points_today"
    before = hass_london.states.get(points).state
    fake.fail_next(count=3, html=True, path_contains="activity")
    for _ in range(3):
        await advance(hass_london, freezer, timedelta(minutes=11))
    failures = [r.message for r in caplog.records if "failed; keeping" in r.message]
    assert len(failures) == 1
    assert "activity" in failures[0]
    assert "not JSON" in failures[0]
    assert not [r for r in caplog.records if "Error fetching" in r.message]
    assert hass_london.states.get(NEXT_LESSON).state != STATE_UNAVAILABLE
    assert hass_london.states.get(points).state == before


async def test_new_child_gets_a_device(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A child added to the account appears with its entities, without a reload."""
    fake.parent_children = [CHILD_IDS[0]]
    await setup_entry(hass_london, parent_entry)
    assert hass_london.states.get("sensor.ben_example_next_lesson") is None
    fake.parent_children = list(CHILD_IDS)
    await advance(hass_london, freezer, timedelta(days=1))
    assert hass_london.states.get("sensor.ben_example_next_lesson") is not None
    registry = dr.async_get(hass_london)
    assert len(dr.async_entries_for_config_entry(registry, parent_entry.entry_id)) == 2


async def test_excluded_child_has_no_entities(
    hass_london: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """Children left out in the options get no device."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=parent_entry.title,
        unique_id=parent_entry.unique_id,
        data=dict(parent_entry.data),
        options={CONF_EXCLUDED_PUPILS: [CHILD_IDS[1]]},
    )
    await setup_entry(hass_london, entry)
    entities = er.async_entries_for_config_entry(
        er.async_get(hass_london), entry.entry_id
    )
    assert entities
    assert all(e.entity_id.split(".")[1].startswith("ada_example") for e in entities)


async def test_hidden_features_have_no_entities(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Ben's school hides attendance and rewards: he gets no such sensors."""
    await setup_entry(hass_london, parent_entry)
    assert hass_london.states.get("sensor.ada_example_attendance") is not None
    assert hass_london.states.get("sensor.ben_example_attendance") is None
    # Parents never see a reward balance (the shop is a student feature).
    assert hass_london.states.get("sensor.ada_example_reward_balance") is None


async def test_a_new_child_appears_the_same_school_day(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The list of children is read again at the first poll 6 hours after the
    last (set-up at 10:00; polls at 16:20 after school): Ben, added at 10:05,
    is there by 16:30, not only the next morning."""
    fake.parent_children = [CHILD_IDS[0]]
    await setup_entry(hass_london, parent_entry)
    fake.parent_children = list(CHILD_IDS)
    shown: dict[str, bool] = {}
    while datetime.now(LONDON) < datetime(2026, 11, 24, 16, 30, tzinfo=LONDON):
        await advance(hass_london, freezer, timedelta(minutes=10))
        state = hass_london.states.get("sensor.ben_example_next_lesson")
        shown[datetime.now(LONDON).strftime("%H:%M")] = state is not None
    assert [moment for moment, there in shown.items() if there] == ["16:20", "16:30"]
