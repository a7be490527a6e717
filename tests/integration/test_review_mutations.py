"""What users see at the edges a reviewer's single-line mutations found untested."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import BASE_URL_ENV
from tests.conftest import LONDON, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts, school
from tests.integration.test_event import record

from .test_attendance_today import TODAY_SENSOR
from .test_timetable_rereads import (
    CHANGE,
    TUESDAY,
    TimetableScript,
    keep_first,
    kinds,
    run_until,
)


async def test_late_minutes_zero_and_on_absent_mark_are_not_shown(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """``late_minutes: 0`` is no lateness; minutes sent with an absent mark are not
    a late arrival: both show as ``None`` in the marks."""
    fake.set_attendance_mark(STUDENT_ID, TODAY, "AM", "late", late_minutes=0)
    fake.set_attendance_mark(STUDENT_ID, TODAY, "PM", "absent", late_minutes=7)
    await setup_entry(hass_london, student_entry)
    marks = hass_london.states.get(TODAY_SENSOR).attributes["marks"]
    assert [(m["session"], m["status"], m["late_minutes"]) for m in marks][:2] == [
        ("AM", "late", None),
        ("PM", "absent", None),
    ]


async def test_next_school_day_found_through_a_six_week_summer(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three weeks into a summer holiday that ends on 2 September, the look-ahead
    (two single-day reads a day) shows 3 September within a week, although that
    day is more than two weeks ahead when it is found."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts(today=date(2026, 8, 10))
    fake.set_holidays(date(2026, 7, 20), date(2026, 9, 2))
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    next_day = "sensor.ada_example_next_school_day"
    try:
        freezer.move_to(datetime(2026, 8, 10, 12, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        for day in range(11, 18):
            fake.today = date(2026, 8, day)
            await advance(hass, freezer, timedelta(days=1))
        assert hass.states.get(next_day).state == "2026-09-03"
    finally:
        await fake.stop()


@pytest.fixture
def timetable_script(monkeypatch: pytest.MonkeyPatch) -> TimetableScript:
    """The fake's timetable endpoint, answering through a script."""
    answers = TimetableScript()
    monkeypatch.setitem(school.PUPIL_ENDPOINTS, "timetable", answers.handler)
    return answers


async def test_a_day_that_loses_exactly_half_its_lessons_fires_at_once(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    timetable_script: TimetableScript,
) -> None:
    """Only a day that loses more than half its lessons waits for a second read:
    three of six cancelled at the 13:00 re-read fire "cancelled" three times."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    fired = record(hass_london, CHANGE)
    timetable_script.always[TUESDAY] = keep_first(3)
    await run_until(hass_london, freezer, "13:00")
    assert kinds(fired) == ["cancelled"] * 3
