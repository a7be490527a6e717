"""The polling schedule, measured on the fake server's request log."""

from __future__ import annotations

from datetime import date, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts.const import BASE_URL_ENV
from tests.conftest import NOW, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.simulation import simulate_day

SATURDAY = date(2026, 11, 28)


async def test_school_day_requests(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A school day costs at most 190 requests, with one login per poll."""
    counts = await simulate_day(hass_london, freezer, fake, student_entry, TODAY)
    total = sum(counts.values())
    print(f"school day: {total} requests {dict(counts)}")
    assert total <= 190
    assert counts["login"] == counts["ping"]
    # Every poll reads today's behaviour: at least 6 an hour during lessons.
    assert counts["activity"] >= 6 * 6


async def test_weekend_day_requests(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Saturday costs at most 40 requests."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts(today=SATURDAY)
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        counts = await simulate_day(hass, freezer, fake, student_entry, SATURDAY)
    finally:
        await fake.stop()
    total = sum(counts.values())
    print(f"weekend day: {total} requests {dict(counts)}")
    assert total <= 40


async def test_parent_of_two_costs_less_than_two_students(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One login serves both children: a school day stays under 2 x 200."""
    counts = await simulate_day(hass_london, freezer, fake, parent_entry, TODAY)
    total = sum(counts.values())
    print(f"parent school day: {total} requests {dict(counts)}")
    assert total <= 320  # 1.6 x the per-pupil budget


async def test_new_behaviour_point_within_ten_minutes(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A point given during lessons shows up within 10 minutes."""
    await setup_entry(hass_london, student_entry)
    entity = "sensor.ada_example_positive_points_today"
    before = int(hass_london.states.get(entity).state)
    await advance(hass_london, freezer, timedelta(minutes=1))
    fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=1))
    waited = 0
    while int(hass_london.states.get(entity).state) == before:
        await advance(hass_london, freezer, timedelta(minutes=1))
        waited += 1
        assert waited <= 10, "the point did not show within 10 minutes"
    print(f"new behaviour point visible after {waited} minutes")


async def test_lesson_sensors_change_at_the_bell_without_polling(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Current and next lesson move on exactly at the lesson boundary."""
    await setup_entry(hass_london, student_entry)
    current = "sensor.ada_example_current_lesson"
    assert hass_london.states.get(current).state == "English"
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(minutes=44, seconds=59))
    assert hass_london.states.get(current).state == "English"
    await advance(hass_london, freezer, timedelta(seconds=1))
    assert hass_london.states.get(current).state == "TUTOR"
    assert hass_london.states.get("sensor.ada_example_next_lesson").state == "Science"
    # Polls at 10:10, 10:20, 10:30 and 10:40 read only the activity feed.
    assert {r.path.split("/")[2] for r in fake.api_requests()} == {"ping", "activity"}
