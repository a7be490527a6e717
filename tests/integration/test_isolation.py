"""One bad part fails only itself: a bug in one dataset, items at the end of time."""

from __future__ import annotations

import copy
from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.client import ClassChartsClient
from tests.conftest import LONDON, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.handlers import Ctx, homeworks, timetable
from tests.fake_server.school import detentions

FOREVER = 100_000
NEXT_LESSON = "sensor.ada_example_next_lesson"
CURRENT_LESSON = "sensor.ada_example_current_lesson"
ERROR_BODY = {"success": 0, "error": "Something broke", "meta": []}


def body(fake: FakeClassCharts, render: Any, **query: str) -> dict[str, Any]:
    """What the fake would answer for Ada today, to edit before serving it."""
    ctx = Ctx(today=TODAY, tz=LONDON)
    return copy.deepcopy(render(fake.pupils[STUDENT_ID], query, ctx))


async def test_a_bug_inside_one_dataset_fails_only_it(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A non-client exception reading rewards: one warning, the rest works."""
    await setup_entry(hass_london, student_entry)
    with patch.object(
        ClassChartsClient, "get_rewards", side_effect=ZeroDivisionError("boom")
    ):
        for _ in range(3):
            await advance(hass_london, freezer, timedelta(hours=3, minutes=10))
        assert student_entry.state is ConfigEntryState.LOADED
        assert hass_london.states.get(NEXT_LESSON).state != STATE_UNAVAILABLE
        coordinator = student_entry.runtime_data.coordinator
        assert coordinator.last_update_success
    warnings = [r for r in caplog.records if "Reading ClassCharts rewards" in r.message]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].exc_info is not None  # the one traceback, for a bug report
    assert (
        hass_london.states.get("sensor.ada_example_reward_balance").state
        == STATE_UNAVAILABLE
    )  # failing for more than 3 hours
    await advance(hass_london, freezer, timedelta(hours=3))
    assert hass_london.states.get("sensor.ada_example_reward_balance").state == "42"


async def test_a_lesson_at_the_end_of_time_never_stops_the_poll(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A lesson dated 9999 in today's timetable is dropped; the rest is shown."""
    answer = body(fake, timetable, date=TODAY.isoformat())
    far = dict(answer["data"][0])
    far["start_time"], far["end_time"] = "9999-12-31T23:00:00", "9999-12-31T23:59:00"
    answer["data"].append(far)
    fake.set_response("timetable", answer, times=None)
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.LOADED
    assert hass_london.states.get(CURRENT_LESSON).state == "English"
    fake.clear_overrides()
    for _ in range(3):
        await advance(hass_london, freezer, timedelta(minutes=10))
    coordinator = student_entry.runtime_data.coordinator
    assert coordinator.last_update_success
    # School hours: the poll every 10 minutes goes on.
    assert coordinator.update_interval == timedelta(minutes=10)


async def test_a_detention_at_the_end_of_time_is_dropped(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """A detention on 31 December 9999 breaks neither sensor nor calendar."""
    answer = body(fake, detentions)
    far = dict(answer["data"][0])
    far.update(id=1, date="9999-12-31T00:00:00+00:00", time="23:59", length=600)
    answer["data"].append(far)
    fake.set_response("detentions", answer, times=None)
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get("sensor.ada_example_pending_detentions").state == "1"
    assert hass_london.states.get("calendar.ada_example_detentions").state == "off"


async def test_homework_due_at_the_end_of_time_is_dropped(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Homework due 9999-12-31 neither breaks the calendar nor counts."""
    answer = body(fake, homeworks, **{"from": "2026-10-01", "to": "2027-03-01"})
    far = dict(answer["data"][0])
    far.update(id=1, due_date="9999-12-31", issue_date="9999-12-30")
    answer["data"].append(far)
    fake.set_response("homeworks", answer, times=None)
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get("todo.ada_example_homework")
    assert state.state == "6"  # the six seeded outstanding, not seven
    events = await hass_london.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": "calendar.ada_example_homework",
            "start_date_time": "2026-11-23T00:00:00",
            "end_date_time": "2026-12-31T00:00:00",
        },
        blocking=True,
        return_response=True,
    )
    # Algebra, Poem, Forces and Vocabulary are due in the range.
    assert len(events["calendar.ada_example_homework"]["events"]) == 4


async def test_a_percentage_that_is_no_number_is_unknown(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """NaN attendance: the entity exists, its value unknown."""
    fake.set_response(
        "attendance",
        {"success": 1, "data": {}, "meta": {"percentage": "NaN"}},
        times=None,
    )
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get("sensor.ada_example_attendance").state == "unknown"


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


async def test_a_failing_timetable_never_slows_the_polls_that_refetch_it(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without today's timetable, school hours are assumed: polls every 10 min."""
    fake.fail_next(FOREVER, status=500, path_contains="timetable")
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(CURRENT_LESSON).state == STATE_UNAVAILABLE
    coordinator = student_entry.runtime_data.coordinator
    assert coordinator.update_interval == timedelta(minutes=10)
    fake.clear_failures()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get(CURRENT_LESSON).state == "English"


@pytest.mark.parametrize(("due", "shown"), [("2099-12-31", "7"), ("2100-01-01", "6")])
async def test_homework_due_from_2100_on_is_dropped(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    due: str,
    shown: str,
) -> None:
    """A date no school means (from 2100) is dropped even when it parses; the
    last day of 2099 is still a date."""
    answer = body(fake, homeworks, **{"from": "2026-10-01", "to": "2027-03-01"})
    far = dict(answer["data"][0])
    far.update(id=1, due_date=due, issue_date="2026-11-20")
    answer["data"].append(far)
    fake.set_response("homeworks", answer, times=None)
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get("todo.ada_example_homework").state == shown
