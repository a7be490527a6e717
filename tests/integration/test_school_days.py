"""The next school day sensors and "School tomorrow": weekends and holidays skipped."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import BASE_URL_ENV, DOMAIN
from tests.conftest import LONDON, advance, find_device, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

DAY = "sensor.ada_example_next_school_day"
START = "sensor.ada_example_next_school_day_start"
END = "sensor.ada_example_next_school_day_end"
TOMORROW = "binary_sensor.ada_example_school_tomorrow"


def states(hass: HomeAssistant) -> tuple[str, str, str, str]:
    """The four entities' states."""
    return tuple(hass.states.get(e).state for e in (DAY, START, END, TOMORROW))


async def test_today_counts_until_its_first_lesson_ends(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Tuesday 08:00: today; at 09:45, when period 1 ends, Wednesday (no poll)."""
    freezer.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    assert states(hass_london) == (
        "2026-11-24",
        "2026-11-24T08:45:00+00:00",
        "2026-11-24T14:05:00+00:00",
        "on",
    )
    await advance(hass_london, freezer, timedelta(minutes=104, seconds=59))
    assert hass_london.states.get(DAY).state == "2026-11-24"
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(seconds=1))  # 09:45
    assert states(hass_london)[:3] == (
        "2026-11-25",
        "2026-11-25T08:45:00+00:00",
        "2026-11-25T15:05:00+00:00",
    )


async def test_weekend_and_holiday_are_skipped(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Friday afternoon with Monday a holiday: Tuesday; no school tomorrow."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts(today=date(2026, 11, 27), holidays=[date(2026, 11, 30)])
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        freezer.move_to(datetime(2026, 11, 27, 12, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        assert states(hass) == (
            "2026-12-01",
            "2026-12-01T08:45:00+00:00",
            "2026-12-01T14:05:00+00:00",
            "off",
        )
        # Sunday: still Tuesday, and no school tomorrow (the holiday).
        await advance(hass, freezer, timedelta(days=2))
        assert states(hass)[0] == "2026-12-01"
        assert states(hass)[3] == "off"
        # Monday (the holiday): school tomorrow.
        await advance(hass, freezer, timedelta(days=1))
        assert states(hass)[0] == "2026-12-01"
        assert states(hass)[3] == "on"
    finally:
        await fake.stop()


async def test_a_week_without_lessons_is_unknown_not_a_guess(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In the Christmas holidays the week read has no lessons: unknown."""
    await hass.config.async_set_time_zone("Europe/London")
    holidays = [date(2026, 12, 21) + timedelta(days=n) for n in range(14)]
    fake = FakeClassCharts(today=date(2026, 12, 22), holidays=holidays)
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        freezer.move_to(datetime(2026, 12, 22, 12, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        assert states(hass) == ("unknown", "unknown", "unknown", "off")
    finally:
        await fake.stop()


async def test_days_a_calendar_read_long_ago_are_not_used(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A day further ahead read by a calendar may be stale: it is read again.

    A month read on 22 December shows 4 January with lessons; the school then
    makes it a training day. On 23 December the week read ends on the 29th;
    the look-ahead believes the holiday days read since, reads 4 January again
    before claiming it, and finds the 5th: never the stale 4 January.
    """
    await hass.config.async_set_time_zone("Europe/London")
    holidays = [date(2026, 12, 21) + timedelta(days=n) for n in range(14)]
    fake = FakeClassCharts(today=date(2026, 12, 22), holidays=holidays)
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        freezer.move_to(datetime(2026, 12, 22, 12, 0, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        device = find_device(hass, f"{student_entry.unique_id}_{STUDENT_ID}")
        await hass.services.async_call(
            DOMAIN,
            "get_timetable",
            {"pupil": device.id, "start_date": "2026-12-22", "end_date": "2027-01-21"},
            blocking=True,
            return_response=True,
        )
        fake.holidays.add(date(2027, 1, 4))
        fake.today = date(2026, 12, 23)
        await advance(hass, freezer, timedelta(days=1))
        assert hass.states.get(DAY).state != "2027-01-04"  # never the stale day
        await advance(hass, freezer, timedelta(minutes=6))  # the loss confirmed
        assert hass.states.get(DAY).state == "2027-01-05"
    finally:
        await fake.stop()


async def test_hidden_timetable_has_no_school_day_entities(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Without the timetable nothing could be right: the entities do not exist."""
    fake.pupils[STUDENT_ID].display["display_timetable"] = False
    await setup_entry(hass_london, student_entry)
    for entity_id in (DAY, START, END, TOMORROW, "event.ada_example_timetable_change"):
        assert hass_london.states.get(entity_id) is None
    assert hass_london.states.get("sensor.ada_example_badges") is not None


def test_unread_day_stops_the_search() -> None:
    """A day not read could be a school day: no later day is claimed."""
    from custom_components.classcharts_hass.client import Features, Lesson, Pupil  # noqa: PLC0415
    from custom_components.classcharts_hass.school.snapshot import PupilData  # noqa: PLC0415

    flags = dict.fromkeys(Features.__slots__, True)  # type: ignore[attr-defined]
    pupil = Pupil(1, "A", "A", "B", None, "Europe/London", Features(**flags), None)
    start = datetime(2026, 11, 30, 8, 45, tzinfo=LONDON)
    monday = Lesson(
        "Maths",
        "9X/Ma2",
        "T",
        "M4",
        "",
        "P1",
        start,
        start + timedelta(hours=1),
        None,
        None,
        "",
    )
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=LONDON)
    read = {date(2026, 11, 28): [], date(2026, 11, 30): [monday]}
    assert PupilData(pupil, lessons=read).next_school_day(saturday) is None
    read[date(2026, 11, 29)] = []
    assert PupilData(pupil, lessons=read).next_school_day(saturday) == [monday]
    assert PupilData(pupil, lessons=read).school_on(date(2026, 12, 1)) is None
