"""The polling schedule, measured on the fake server's request log."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import BASE_URL_ENV
from custom_components.classcharts_hass.school.datasets import Dataset
from custom_components.classcharts_hass.school.poll_schedule import Mode, is_due
from tests.conftest import LONDON, NOW, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.simulation import simulate_day

SATURDAY = date(2026, 11, 28)


async def test_school_day_requests(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A school day costs at most 191 requests, with one login per poll.

    190, and 1 since the school targets (custom fields) are read once a day.
    """
    counts = await simulate_day(hass_london, freezer, fake, student_entry, TODAY)
    total = sum(counts.values())
    print(f"school day: {total} requests {dict(counts)}")
    assert total <= 191
    assert counts["login"] == counts["ping"]
    # Every poll reads today's behaviour: at least 6 an hour during lessons.
    assert counts["activity"] >= 6 * 6
    # The week once, then today and tomorrow at 07:00, 13:00 and 18:00; badges
    # at the day's first poll and at 18:00 (datasets.py).
    assert counts["timetable"] == 7 + 3 * 2
    assert counts["eventbadges"] == 2


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
    # No school today: no timetable re-reads, badges once.
    assert counts["timetable"] == 7
    assert counts["eventbadges"] == 1


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


async def test_the_polls_of_a_school_day(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Lessons 08:45-14:05: at 06:00 and 07:00 (the morning's re-read), every
    10 min from 08:30 to 14:20, then every 2 h until 21:00, then every 6 h."""
    freezer.move_to(datetime(2026, 11, 24, 5, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    polls = []
    for _ in range(24 * 60):
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=1))
        if any(r.path.endswith("/login") for r in fake.requests):
            polls.append(datetime.now(LONDON).strftime("%H:%M"))
    school = [f"{m // 60:02}:{m % 60:02}" for m in range(8 * 60 + 30, 14 * 60 + 21, 10)]
    assert polls == [
        "06:00",
        "07:00",
        *school,
        "16:20",
        "18:20",
        "20:20",
        "22:20",
        "04:20",
    ]


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


async def test_what_school_hours_polls_read(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """From 10:00: activity every poll, homework and detentions every 2 h,
    announcements and rewards every 3 h, today's and tomorrow's timetable at
    the 13:00 checkpoint, attendance marks at the 14:00 one (the rows of
    datasets.py)."""
    await setup_entry(hass_london, student_entry)
    read: dict[str, list[str]] = {}
    for _ in range(26):  # 10:10 to 14:20
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=10))
        clock = datetime.now(LONDON).strftime("%H:%M")
        for request in fake.api_requests():
            read.setdefault(request.path.split("/")[2], []).append(clock)
    assert len(read.pop("activity")) == 26
    read.pop("ping", None)  # the session renewal, not data
    # 14:20 is the end of the school window: the first poll of the day mode
    # reads everything.
    assert read == {
        "homeworks": ["12:00", "14:00", "14:20"],
        "detentions": ["12:00", "14:00", "14:20"],
        "announcements": ["13:00", "14:20"],
        "rewards": ["13:00", "14:20"],
        "timetable": ["13:00", "13:00"],
        "attendance": ["14:00"],
    }


async def test_a_school_morning_is_polled_every_two_hours_from_six(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Set up at 06:10 on a school day: the day mode has begun (06:00); the
    next poll is the timetable's 07:00 re-read, then school polling from 08:30."""
    freezer.move_to(datetime(2026, 11, 24, 6, 10, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    polls = []
    for _ in range(2 * 60 + 25):  # to 08:35
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=1))
        if any(r.path.endswith("/login") for r in fake.requests):
            polls.append(datetime.now(LONDON).strftime("%H:%M"))
    assert polls == ["07:00", "08:30"]


async def test_hidden_timetable_on_a_saturday_is_not_school_hours(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a timetable only weekdays count as school: Saturday 10:00 to
    16:00 is quiet, one poll every six hours."""
    fake.pupils[STUDENT_ID].display["display_timetable"] = False
    freezer.move_to(datetime(2026, 11, 28, 10, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    for _ in range(6 * 6):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fake.api_requests("activity")) == 1  # at 16:00


async def test_hidden_timetable_school_hours_end_at_four(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a timetable the assumed school day ends at 16:00: polls every
    10 minutes until then, every two hours after."""
    fake.pupils[STUDENT_ID].display["display_timetable"] = False
    freezer.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    polls = []
    for _ in range(3 * 60):  # to 18:00
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=1))
        if any(r.path.endswith("/login") for r in fake.requests):
            polls.append(datetime.now(LONDON).strftime("%H:%M"))
    assert polls == ["15:10", "15:20", "15:30", "15:40", "15:50", "16:00", "18:00"]


def test_homework_almost_two_hours_old_is_due_in_school_hours() -> None:
    """A poll that comes up to two minutes early (drift) still re-reads homework;
    one earlier than that does not."""
    early = timedelta(hours=1, minutes=58)
    assert is_due(Dataset.HOMEWORK, Mode.SCHOOL, NOW, NOW - early)
    assert not is_due(
        Dataset.HOMEWORK, Mode.SCHOOL, NOW, NOW - early + timedelta(seconds=1)
    )


async def test_after_nine_in_the_evening_polls_are_six_hours_apart(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Set up at 21:30 (quiet hours from 21:00): the next poll is at 03:30,
    then 06:00 as the day begins; none at 23:30."""
    freezer.move_to(datetime(2026, 11, 24, 21, 30, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    polls = []
    for _ in range(9 * 60):
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=1))
        if any(r.path.endswith("/login") for r in fake.requests):
            polls.append(datetime.now(LONDON).strftime("%H:%M"))
    assert polls == ["03:30", "06:00"]
