"""Sensor snapshots at chosen moments of the school week (UK time)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import json
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.db_schema import StateAttributes
from homeassistant.const import EVENT_STATE_CHANGED, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from tests.conftest import LONDON, advance, setup_entry
from tests.fake_server import CHILD_IDS, STUDENT_ID, FakeClassCharts


@pytest.fixture(autouse=True)
def only_sensors() -> None:
    """Load only the sensor platform (snapshot_platform wants one)."""
    with patch("custom_components.classcharts_hass.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.mark.parametrize(
    "moment",
    [
        # Tuesday morning during period 2 (English).
        datetime(2026, 11, 24, 10, 0, tzinfo=LONDON),
        # Tuesday, the bell at the end of period 2: tutor time starts.
        datetime(2026, 11, 24, 10, 45, tzinfo=LONDON),
        # Tuesday evening: lessons over, tomorrow's first lesson is next.
        datetime(2026, 11, 24, 18, 30, tzinfo=LONDON),
        # Saturday noon: no school today, Monday's first lesson is next.
        datetime(2026, 11, 28, 12, 0, tzinfo=LONDON),
    ],
    ids=["tuesday-period-2", "tuesday-bell-10-45", "tuesday-evening", "saturday"],
)
async def test_student_sensors(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    moment: datetime,
) -> None:
    """Every sensor of a student, at a moment of the week."""
    freezer.move_to(moment)
    await setup_entry(hass_london, student_entry)
    await snapshot_platform(
        hass_london, entity_registry, snapshot, student_entry.entry_id
    )


async def test_parent_sensors(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Both children's sensors; Ben's school hides attendance, no reward balance."""
    await setup_entry(hass_london, parent_entry)
    await snapshot_platform(
        hass_london, entity_registry, snapshot, parent_entry.entry_id
    )


async def test_points_today_reset_at_midnight(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At midnight today's points drop to zero by themselves, without a poll."""
    freezer.move_to(datetime(2026, 11, 24, 21, 30, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)  # quiet hours: next poll at 03:30
    today = "sensor.ada_example_positive_points_today"
    year = "sensor.ada_example_positive_points_this_school_year"
    assert int(hass_london.states.get(today).state) == 2
    year_before = hass_london.states.get(year).state
    await advance(hass_london, freezer, timedelta(hours=2, minutes=29, seconds=59))
    assert int(hass_london.states.get(today).state) == 2
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(seconds=2))
    assert hass_london.states.get(today).state == "0"
    assert hass_london.states.get(year).state == year_before
    assert fake.requests == []


async def test_the_homework_list_is_not_recorded(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The history keeps the counts, not each item's title (it may be 16 KB):
    the attributes the recorder stores for the state, by its own encoder."""
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get("sensor.ada_example_homework_due_this_week")
    assert state.attributes["homework"]
    event = Event(EVENT_STATE_CHANGED, {"new_state": state})
    stored = json.loads(StateAttributes.shared_attrs_bytes_from_event(event, None))
    assert "homework" not in stored
    assert stored["not_listed"] == state.attributes["not_listed"]


async def test_a_parent_never_reads_or_sees_the_reward_shop(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The parent API has no reward shop, even where the school shows one: no
    reward entity for the parent's children, no request, no warning, all day."""
    assert fake.pupils[CHILD_IDS[0]].display["display_rewards"] is True
    await setup_entry(hass_london, parent_entry)
    await advance(hass_london, freezer, timedelta(hours=12))
    assert fake.api_requests("rewards") == []
    assert not [s for s in hass_london.states.async_entity_ids() if "reward" in s]
    assert "rewards" not in caplog.text


async def test_homework_of_one_day_is_listed_by_subject(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The list is by due date, and one day's homework by subject (not by when
    it was set)."""
    friday = date(2026, 11, 27)
    for title, subject in (
        ("Forces worksheet", "Science"),
        ("Fractions", "Mathematics"),
        ("Essay plan", "English"),
    ):
        fake.add_homework(STUDENT_ID, title=title, subject=subject, due_date=friday)
    await setup_entry(hass_london, student_entry)
    listed = hass_london.states.get("sensor.ada_example_homework_due_this_week")
    fridays = [
        item["subject"]
        for item in listed.attributes["homework"]
        if item["due_date"] == friday.isoformat()
    ]
    assert fridays == sorted(fridays)
    assert {"Science", "Mathematics", "English"} <= set(fridays)
