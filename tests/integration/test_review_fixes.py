"""Behaviour found missing by review: partial failures, hidden timetables, midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts.const import DOMAIN
from tests.conftest import LONDON, NOW, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .test_event import POINTS, record

ERROR_BODY = {"success": 0, "error": "Something broke", "meta": []}


async def test_one_failing_endpoint_keeps_the_rest(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A broken reward shop leaves every other entity working; logged once."""
    fake.set_response("rewards", ERROR_BODY, times=None)
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.LOADED
    # Never fetched: unavailable, not a made-up value.
    assert (
        hass_london.states.get("sensor.ada_example_reward_balance").state
        == STATE_UNAVAILABLE
    )
    assert hass_london.states.get("sensor.ada_example_next_lesson").state == "TUTOR"
    for _ in range(20):  # more than three hours of school polls
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get("sensor.ada_example_next_lesson").state != (
        STATE_UNAVAILABLE
    )
    warnings = [r for r in caplog.records if "rewards of pupil" in r.message]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "Something broke" in warnings[0].message

    fake.clear_overrides()
    for _ in range(20):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get("sensor.ada_example_reward_balance").state == "42"
    assert any("works again" in r.message for r in caplog.records)


async def test_hidden_timetable_still_polls_in_school_hours(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a timetable, weekdays 08:00-16:00 count as school hours."""
    fake.pupils[STUDENT_ID].display["display_timetable"] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get("sensor.ada_example_next_lesson") is None
    fake.clear_requests()
    for _ in range(6):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fake.api_requests("activity")) == 6


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


async def test_new_announcement_fires(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new announcement fires one event with its title, teacher and time."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_announcement")
    announcements = fake.pupils[STUDENT_ID].announcements
    announcements.append(
        {
            **announcements[0],
            "id": 990099,
            "title": "Sports day moved",
            "teacher_name": "Mr J Example",
            "state": None,
            "timestamp": "2026-11-24T10:05:00+00:00",
        }
    )
    for _ in range(19):  # announcements are read every 3 hours in school
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(a["title"], a["teacher"], a["time"]) for a in fired] == [
        ("Sports day moved", "Mr J Example", "2026-11-24T10:05:00+00:00")
    ]


async def test_year_totals_start_at_zero_on_1_september(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On the first day of the school year nothing is asked about last year."""
    await hass.config.async_set_time_zone("Europe/London")
    first_day = date(2026, 9, 1)
    fake = FakeClassCharts(today=first_day)
    monkeypatch.setenv("CLASSCHARTS_BASE_URL", await fake.start())
    try:
        freezer.move_to(datetime(2026, 9, 1, 7, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        assert fake.api_requests("behaviour") == []
        state = hass.states.get("sensor.ada_example_positive_points_this_school_year")
        assert state.state == "0"
    finally:
        await hass.config_entries.async_unload(student_entry.entry_id)
        await fake.stop()


async def test_old_homework_entering_the_window_is_not_news(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Homework set before set-up, due far ahead, never fires as new."""
    fake.add_homework(
        STUDENT_ID,
        title="Long project",
        issue_date=date(2026, 11, 19),
        due_date=date(2027, 3, 1),
    )
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_new_homework")
    freezer.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(hours=3))
    assert fired == []


async def test_homework_completed_by_teacher_cannot_be_unticked(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Unticking what the teacher completed is refused with a reason."""
    homework = next(
        h for h in fake.pupils[STUDENT_ID].homeworks if h.title == "Revision"
    )
    homework.state = "completed"
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    with pytest.raises(ServiceValidationError, match="teacher marked"):
        await hass_london.services.async_call(
            "todo",
            "update_item",
            {
                "entity_id": "todo.ada_example_homework",
                "item": "Geography: Revision",
                "status": "needs_action",
            },
            blocking=True,
        )
    assert fake.api_requests("homeworkticked") == []


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
