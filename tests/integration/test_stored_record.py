"""The stored record of announced items and known lessons, checked value by value.

A value of the wrong type or form (written by a bug, a downgrade, a hand
edit) is set aside with one warning and its part starts afresh: the entry
loads, its entities show what ClassCharts says, and nothing fires twice.
"""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import NOW, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.integration.test_event import record

EVENTS = (
    "event.ada_example_behaviour_point",
    "event.ada_example_new_homework",
    "event.ada_example_detention",
    "event.ada_example_announcement",
    "event.ada_example_timetable_change",
)
SHOWN = (
    "sensor.ada_example_positive_points_today",
    "sensor.ada_example_homework_due_this_week",
    "sensor.ada_example_pending_detentions",
    "sensor.ada_example_next_lesson",
    "sensor.ada_example_school_day_end",
)
PUPIL = str(STUDENT_ID)
LESSON = ["2026-11-24T08:45:00+00:00", "2026-11-24T09:45:00+00:00", "P1"]

BAD_VALUES: dict[str, dict[str, Any]] = {
    "newest not a time": {"behaviour": [], "behaviour_newest": "yesterday"},
    "newest a number": {"behaviour": [], "behaviour_newest": 17},
    "floor a text": {"homework": [], "homework_floor": "many"},
    "since not a date": {"detentions": [], "detentions_since": "last week"},
    "since a number": {"announcement": [], "announcement_since": 2026},
    "lesson time that does not parse": {
        "lessons": {
            "2026-11-24": [
                ["soon", "later", "P1", "9X/Ma2", "Mathematics", "Mr P", "M4"]
            ]
        }
    },
    "newest without its offset": {
        "behaviour": [],
        "behaviour_newest": "2026-11-24T09:00:00",
    },
    "lesson time without its offset": {
        "lessons": {
            "2026-11-24": [
                [
                    "2026-11-24T08:45:00",
                    "2026-11-24T09:45:00",
                    "P1",
                    "9X/Ma2",
                    "Mathematics",
                    "Mr P Example",
                    "M4",
                ]
            ]
        }
    },
    "lesson of six texts": {
        "lessons": {"2026-11-24": [[*LESSON, "9X/Ma2", "Mathematics", "Mr P"]]}
    },
    "lesson of eight texts": {
        "lessons": {"2026-11-24": [[*LESSON, "9X/Ma2", "Maths", "Mr P", "M4", "x"]]}
    },
    "lesson day not a date": {
        "lessons": {
            "Tuesday": [[*LESSON, "9X/Ma2", "Mathematics", "Mr P Example", "M4"]]
        }
    },
}


@pytest.mark.parametrize("bad", BAD_VALUES.values(), ids=BAD_VALUES.keys())
async def test_a_bad_stored_value_is_set_aside_once(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    bad: dict[str, Any],
) -> None:
    """The entry loads with its entities, nothing that was already there fires,
    one warning says what was set aside, and a new point still fires once."""
    hass_storage[f"classcharts_hass.{student_entry.entry_id}.seen"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"classcharts_hass.{student_entry.entry_id}.seen",
        "data": {PUPIL: bad},
    }
    fired = {entity_id: record(hass_london, entity_id) for entity_id in EVENTS}
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.LOADED
    for _ in range(4):
        await advance(hass_london, freezer, timedelta(minutes=10))
    for entity_id in SHOWN:
        assert hass_london.states.get(entity_id).state != STATE_UNAVAILABLE, entity_id
    assert {e: f for e, f in fired.items() if f} == {}
    for entity_id in EVENTS:
        assert hass_london.states.get(entity_id).state == STATE_UNKNOWN
    warnings = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING
        and r.name.startswith("custom_components")
        and "Using ClassCharts at" not in r.getMessage()  # the test's own server
    ]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "record" in warnings[0].getMessage()
    fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=45))
    for _ in range(3):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fired["event.ada_example_behaviour_point"]) == 1


async def test_a_good_record_is_kept_beside_a_bad_part(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The parts that are right stay: points announced before a restart do
    not fire again (the restart test of test_event holds with a good store)."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_behaviour_point")
    fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=2))
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fired) == 1
    assert await hass_london.config_entries.async_unload(student_entry.entry_id)
    assert await hass_london.config_entries.async_setup(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fired) == 1
