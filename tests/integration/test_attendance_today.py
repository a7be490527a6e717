"""Attendance today and the attendance mark event: late AM, absent PM, 08:00, flags."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import BASE_URL_ENV
from tests.conftest import LONDON, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .test_event import record

TODAY_SENSOR = "sensor.ada_example_attendance_today"
MARK_EVENT = "event.ada_example_attendance_mark"
PERCENT = "sensor.ada_example_attendance"


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


async def test_not_marked_at_eight_then_late_am_then_absent_pm(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """08:00: not yet marked. A late AM mark shows after registration and fires
    once; an absent PM after lunch fires once more; the day is then absent."""
    freezer.move_to(at(8))
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(TODAY_SENSOR).state == "not_marked"
    fired = record(hass_london, MARK_EVENT)
    fake.set_attendance_mark(STUDENT_ID, TODAY, "AM", "late", late_minutes=12)
    # Polls every 10 minutes in lessons; the marks are read again after 09:30.
    for _ in range(8):  # to 09:20: the morning's register is not read yet
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get(TODAY_SENSOR).state == "not_marked"
    await advance(hass_london, freezer, timedelta(minutes=10))  # 09:30
    state = hass_london.states.get(TODAY_SENSOR)
    assert state.state == "late"
    assert state.attributes["marks"][0] == {
        "session": "AM",
        "status": "late",
        "code": "L",
        "late_minutes": 12,
        "lesson": None,
    }
    assert len(fired) == 1
    assert fired[0]["event_type"] == "late"
    assert (fired[0]["session"], fired[0]["late_minutes"], fired[0]["code"]) == (
        "AM",
        12,
        "L",
    )
    assert fired[0]["date"] == TODAY.isoformat()
    fake.set_attendance_mark(STUDENT_ID, TODAY, "PM", "absent")
    for _ in range(30):  # to 14:30: the afternoon read, then more polls
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get(TODAY_SENSOR).state == "absent"
    assert [f["event_type"] for f in fired] == ["late", "absent"]
    assert fired[1]["late_minutes"] is None


async def test_checkpoints_cost_two_reads(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """From 08:00 to 15:30 attendance is read three times: set-up, 09:30, 14:00."""
    freezer.move_to(at(8))
    await setup_entry(hass_london, student_entry)
    for _ in range(45):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fake.api_requests("attendance")) == 3


async def test_marks_there_at_setup_fire_nothing(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    fake.set_attendance_mark(STUDENT_ID, TODAY, "AM", "late", late_minutes=3)
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(TODAY_SENSOR).state == "late"
    assert hass_london.states.get(MARK_EVENT).state == STATE_UNKNOWN
    for _ in range(30):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get(MARK_EVENT).state == STATE_UNKNOWN


async def test_no_school_on_saturday(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await hass.config.async_set_time_zone("Europe/London")
    saturday = date(2026, 11, 28)
    fake = FakeClassCharts(today=saturday)
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        freezer.move_to(at(11, day=saturday))
        await setup_entry(hass, student_entry)
        assert hass.states.get(TODAY_SENSOR).state == "no_school"
    finally:
        await fake.stop()


@pytest.mark.parametrize("flag", ["display_absences", "display_attendance"])
async def test_flag_off_no_entities(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    flag: str,
) -> None:
    """Without absences shown: no marks entities; the percentage still (if shown)."""
    fake.pupils[STUDENT_ID].display[flag] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(TODAY_SENSOR) is None
    assert hass_london.states.get(MARK_EVENT) is None
    percent = hass_london.states.get(PERCENT)
    assert (percent is not None) == (flag == "display_absences")


async def test_percentage_hidden_marks_shown(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A school hiding the percentage but showing absences: marks, no percentage."""
    fake.pupils[STUDENT_ID].display["display_attendance_percentage"] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(PERCENT) is None
    assert hass_london.states.get(TODAY_SENSOR).state == "not_marked"


async def test_first_of_september_no_stale_percentage(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At midnight on 1 September last year's percentage goes, before any poll."""
    await hass.config.async_set_time_zone("Europe/London")
    last_day = date(2026, 8, 31)
    fake = FakeClassCharts(today=last_day)
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    try:
        freezer.move_to(at(22, day=last_day))
        await setup_entry(hass, student_entry)
        assert hass.states.get(PERCENT).state not in (STATE_UNKNOWN, "unavailable")
        fake.today = date(2026, 9, 1)
        await advance(hass, freezer, timedelta(hours=2, seconds=1))  # 00:00:01
        assert hass.states.get(PERCENT).state == STATE_UNKNOWN
        await advance(hass, freezer, timedelta(hours=6))  # the night's poll
        assert fake.api_requests("attendance")[-1].query["from"] == "2026-09-01"
        assert hass.states.get(PERCENT).state == "100.0"
    finally:
        await fake.stop()


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


@pytest.mark.parametrize(
    ("sent", "shown"),
    [("0", "0.0"), ("100", "100.0"), ("-0.5", STATE_UNKNOWN), ("100.5", STATE_UNKNOWN)],
)
async def test_attendance_percentage_bounds(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    sent: str,
    shown: str,
) -> None:
    """0 % and 100 % are shown as sent; a value outside 0-100 is unknown."""
    fake.set_response(
        "attendance",
        {"success": 1, "data": {}, "meta": {"percentage": sent}},
        times=None,
    )
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(PERCENT).state == shown


async def test_a_day_of_many_registers_lists_twelve_marks(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A school marking every lesson (15 registers today) shows 12: the recorder's
    attributes stay bounded; the state still follows the day's marks."""
    for period in range(1, 16):
        fake.set_attendance_mark(STUDENT_ID, TODAY, f"Period {period}", "present")
    await setup_entry(hass_london, student_entry)
    marks = hass_london.states.get(TODAY_SENSOR).attributes["marks"]
    assert len(marks) == 12
    assert len({m["session"] for m in marks}) == 12


async def test_a_register_corrected_for_last_week_fires_nothing(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A mark the school adds after set-up for a day before it is no news; a
    mark of today read in the same poll is."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, MARK_EVENT)
    fake.set_attendance_mark(STUDENT_ID, TODAY - timedelta(days=6), "AM", "absent")
    fake.set_attendance_mark(STUDENT_ID, TODAY, "PM", "absent")
    for _ in range(30):  # past the 14:00 read
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(f["date"], f["session"]) for f in fired] == [(TODAY.isoformat(), "PM")]
