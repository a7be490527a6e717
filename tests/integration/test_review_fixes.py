"""Behaviour found missing by review: partial failures, hidden timetables, midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import logging

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
    assert (
        hass_london.states.get("sensor.ada_example_reward_balance").state == "unknown"
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
    """At midnight today's points drop to zero; the year total keeps them."""
    await setup_entry(hass_london, student_entry)
    today = "sensor.ada_example_positive_points_today"
    year = "sensor.ada_example_positive_points_this_school_year"
    before_year = int(hass_london.states.get(year).state)
    assert int(hass_london.states.get(today).state) > 0
    freezer.move_to(datetime(2026, 11, 24, 23, 59, 30, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(seconds=31))
    assert hass_london.states.get(today).state == "0"
    assert int(hass_london.states.get(year).state) == before_year


async def test_reload_right_after_a_poll_repeats_nothing(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The announced ids are written at unload, not only 5 seconds later."""
    await setup_entry(hass_london, student_entry)
    fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=2))
    await advance(hass_london, freezer, timedelta(minutes=10))
    fired = record(hass_london, POINTS)
    assert await hass_london.config_entries.async_reload(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert fired == []


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
    assert DOMAIN in hass_london.config_entries.async_domains()


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
