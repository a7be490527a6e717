"""Caches that cannot evict what matters: today's timetable, announced events."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.classcharts_hass.school.announced import MAX_REMEMBERED
from custom_components.classcharts_hass.school.timetable_cache import MAX_CACHED_DAYS
from tests.conftest import LONDON, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .test_calendar import get_events
from .test_event import record

ANNOUNCEMENT = "event.ada_example_announcement"


async def test_browsing_far_ahead_keeps_today(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Fifteen months of calendar browsing: lessons today, 10-minute polls stay."""
    await setup_entry(hass_london, student_entry)
    start = datetime(2026, 11, 24, tzinfo=LONDON)
    for month in range(15):
        first = start + timedelta(days=31 * month)
        await get_events(
            hass_client,
            "calendar.ada_example_timetable",
            first,
            first + timedelta(days=31),
        )
    pupil = student_entry.runtime_data.coordinator.roster.states[STUDENT_ID]
    assert len(
        pupil.known_lessons(TODAY - timedelta(days=999), TODAY + timedelta(999))
    ) <= (MAX_CACHED_DAYS)
    assert pupil.known_lessons(TODAY, TODAY)[TODAY]
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get("sensor.ada_example_current_lesson").state != (
        "unknown"
    )
    next_start = hass_london.states.get("sensor.ada_example_next_lesson_start").state
    assert next_start.startswith("2026-11-24")
    coordinator = student_entry.runtime_data.coordinator
    assert coordinator.update_interval == timedelta(minutes=10)


async def test_many_announcements_never_fire_twice(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """More announcements than the store remembers: none repeats; a new one fires."""
    announcements = fake.pupils[STUDENT_ID].announcements
    template = announcements[0]
    count = MAX_REMEMBERED + 50
    announcements[:] = [
        {**template, "id": 100_000 + n, "title": f"Notice {n}"} for n in range(count)
    ]
    freezer.move_to(datetime(2026, 11, 24, 17, 0, tzinfo=LONDON))  # every poll reads
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, ANNOUNCEMENT)
    for _ in range(3):
        await advance(hass_london, freezer, timedelta(hours=2))
    assert fired == []
    announcements.append({**template, "id": 900_000, "title": "Sports day"})
    await advance(hass_london, freezer, timedelta(hours=2))
    await advance(hass_london, freezer, timedelta(hours=2))
    assert [event["title"] for event in fired] == ["Sports day"]
