"""School today and the Holidays calendar: a half-term week, Christmas over New Year."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import BASE_URL_ENV
from tests.conftest import LONDON, advance, setup_entry
from tests.fake_server import FakeClassCharts

TODAY_ON = "binary_sensor.ada_example_school_today"
HOLIDAYS = "calendar.ada_example_holidays"


async def holiday_events(hass: HomeAssistant, start: date, end: date) -> list[Any]:
    """The Holidays calendar's events between two dates, as (start, end, summary)."""
    answer = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": HOLIDAYS,
            "start_date_time": datetime.combine(start, datetime.min.time(), LONDON),
            "end_date_time": datetime.combine(end, datetime.min.time(), LONDON),
        },
        blocking=True,
        return_response=True,
    )
    assert isinstance(answer, dict)
    return [
        (event["start"], event["end"], event["summary"])
        for event in answer[HOLIDAYS]["events"]
    ]


async def test_half_term_week(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Friday before half term: school today; the holiday as far as the week read."""
    await hass.config.async_set_time_zone("Europe/London")
    friday = date(2026, 10, 23)
    fake = FakeClassCharts(today=friday)
    fake.set_holidays(date(2026, 10, 26), date(2026, 10, 30))
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        freezer.move_to(datetime(2026, 10, 23, 12, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        assert hass.states.get(TODAY_ON).state == "on"
        state = hass.states.get(HOLIDAYS)
        assert state.state == "off"
        assert state.attributes["message"] == "Holiday"
        assert state.attributes["start_time"] == "2026-10-26 00:00:00"
        # Read to Thursday 29th: the holiday is claimed no further.
        assert state.attributes["end_time"] == "2026-10-30 00:00:00"
        # Saturday's read reaches Friday 30th: the whole week.
        fake.today = date(2026, 10, 24)
        await advance(hass, freezer, timedelta(days=1))
        events = await holiday_events(hass, date(2026, 10, 19), date(2026, 11, 9))
        assert events == [("2026-10-26", "2026-10-31", "Holiday")]
        # Monday of half term: no school today, the calendar is on.
        fake.today = date(2026, 10, 26)
        await advance(hass, freezer, timedelta(days=2))
        assert hass.states.get(TODAY_ON).state == "off"
        assert hass.states.get(HOLIDAYS).state == "on"
    finally:
        await fake.stop()


async def test_christmas_over_new_year(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two weeks from 21 December to 1 January are one holiday, across the new year."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts(today=date(2026, 12, 18))
    fake.set_holidays(date(2026, 12, 21), date(2027, 1, 1))
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        freezer.move_to(datetime(2026, 12, 18, 12, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        for day in range(19, 32):  # to 31 December, a day at a time
            fake.today = date(2026, 12, day)
            await advance(hass, freezer, timedelta(days=1))
        assert hass.states.get(TODAY_ON).state == "off"
        assert hass.states.get(HOLIDAYS).state == "on"
        events = await holiday_events(hass, date(2026, 12, 14), date(2027, 1, 11))
        assert events == [("2026-12-21", "2027-01-02", "Holiday")]
        assert hass.states.get("sensor.ada_example_next_school_day").state == (
            "2027-01-04"
        )
    finally:
        await fake.stop()


async def test_timetable_hidden_no_entities(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    fake.pupils[next(iter(fake.pupils))].display["display_timetable"] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(TODAY_ON) is None
    assert hass_london.states.get(HOLIDAYS) is None


async def test_next_school_day_through_christmas(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From the first day of a two-week holiday the look-ahead finds 4 January
    within three days, at two single-day reads a day beyond the week."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts(today=date(2026, 12, 21))
    fake.set_holidays(date(2026, 12, 21), date(2027, 1, 1))
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    next_day = "sensor.ada_example_next_school_day"
    try:
        freezer.move_to(datetime(2026, 12, 21, 12, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        assert hass.states.get(next_day).state == "unknown"
        assert len(fake.api_requests("timetable")) == 7 + 2
        seen = []
        for day in (22, 23, 24):
            fake.today = date(2026, 12, day)
            fake.clear_requests()
            await advance(hass, freezer, timedelta(days=1))
            seen.append(hass.states.get(next_day).state)
            assert len(fake.api_requests("timetable")) <= 7 + 2
        assert seen == ["unknown", "2027-01-04", "2027-01-04"]
        # The school adds an INSET day on 4 January: the look-ahead reads the
        # day with lessons again before claiming it, and moves on to the 5th.
        fake.holidays.add(date(2027, 1, 4))
        # A day that loses its lessons is believed at a second read 5 minutes
        # later (never at once): until then the next school day is not claimed.
        fake.today = date(2026, 12, 25)
        await advance(hass, freezer, timedelta(days=1))
        assert hass.states.get(next_day).state in ("unknown", "2027-01-04")
        await advance(hass, freezer, timedelta(minutes=6))
        assert hass.states.get(next_day).state == "2027-01-05"
    finally:
        await fake.stop()


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
