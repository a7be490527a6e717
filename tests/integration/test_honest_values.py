"""Values a user can trust: unavailable rather than 0, bounded staleness, and
school-year totals that equal what a fresh set-up would show at that moment."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.school.datasets import KEEP_LAST_VALUE, Dataset
from tests.conftest import LONDON, advance, only_points_until, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

FOREVER = 100_000
DUE_TODAY = "sensor.ada_example_homework_due_today"
DUE_TOMORROW = "sensor.ada_example_homework_due_tomorrow"
OVERDUE = "sensor.ada_example_overdue_homework"
POINTS_TODAY = "sensor.ada_example_positive_points_today"
YEAR = (
    "sensor.ada_example_positive_points_this_school_year",
    "sensor.ada_example_negative_points_this_school_year",
    "sensor.ada_example_net_points_this_school_year",
)
TODO = "todo.ada_example_homework"


def value(hass: HomeAssistant, entity_id: str) -> str:
    """An entity's state."""
    return hass.states.get(entity_id).state


def year_totals(hass: HomeAssistant) -> list[str]:
    """The three school-year totals as shown."""
    return [value(hass, entity_id) for entity_id in YEAR]


async def fresh_setup_values(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """What a fresh set-up shows now (the entry reloaded, the server healthy)."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    return year_totals(hass)


async def test_never_fetched_is_unavailable_not_zero(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Homework and activity fail at set-up: their entities are unavailable."""
    fake.fail_next(FOREVER, status=500, path_contains="homeworks")
    fake.fail_next(FOREVER, status=500, path_contains="activity")
    await setup_entry(hass_london, student_entry)
    for entity_id in (DUE_TODAY, DUE_TOMORROW, OVERDUE, POINTS_TODAY, TODO, *YEAR):
        assert value(hass_london, entity_id) == STATE_UNAVAILABLE, entity_id
    assert value(hass_london, "sensor.ada_example_next_lesson") == "TUTOR"
    fake.clear_failures()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert value(hass_london, DUE_TODAY) == "1"
    assert value(hass_london, DUE_TOMORROW) == "1"
    assert value(hass_london, OVERDUE) == "2"
    assert value(hass_london, POINTS_TODAY) == "1"
    assert value(hass_london, TODO) == "6"


async def test_a_failing_dataset_keeps_its_value_for_three_hours(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The last value stays while failing for less than 3 h, then unavailable.

    School ends at 14:20 and the next poll is at 16:20: the value must still go
    at 15:00, without a poll.
    """
    assert timedelta(hours=3) == KEEP_LAST_VALUE
    await setup_entry(hass_london, student_entry)
    fake.fail_next(FOREVER, status=500, path_contains="homeworks")
    state = student_entry.runtime_data.coordinator.roster.states[STUDENT_ID]
    homework = state.datasets[Dataset.HOMEWORK]
    shown: list[tuple[datetime, str]] = []
    for _ in range(40):
        await advance(hass_london, freezer, timedelta(minutes=10))
        shown.append((datetime.now(LONDON), value(hass_london, DUE_TODAY)))
    assert homework.failing_since is not None
    failing = [(t - homework.failing_since, v) for t, v in shown]
    assert all(v == "1" for age, v in failing if age < KEEP_LAST_VALUE)
    assert all(v == STATE_UNAVAILABLE for age, v in failing if age >= KEEP_LAST_VALUE)
    assert any(v == STATE_UNAVAILABLE for _, v in failing)
    # Other data stays.
    assert value(hass_london, POINTS_TODAY) != STATE_UNAVAILABLE


async def test_year_totals_after_behaviour_fails_at_the_first_poll_of_a_day(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Yesterday's points come from the feed while the summary still ends before."""
    await setup_entry(hass_london, student_entry)
    fake.fail_next(FOREVER, status=500, path_contains="behaviour")
    freezer.move_to(datetime(2026, 11, 25, 6, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=1))
    shown = year_totals(hass_london)
    assert STATE_UNAVAILABLE not in shown
    fake.clear_failures()
    assert shown == await fresh_setup_values(hass_london, student_entry)


async def test_year_totals_across_midnight_equal_a_fresh_set_up(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After midnight, before any poll, the totals are what a set-up would show."""
    freezer.move_to(datetime(2026, 11, 24, 21, 30, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    await advance(hass_london, freezer, timedelta(hours=2, minutes=31))
    assert datetime.now(LONDON).date() == date(2026, 11, 25)
    shown = year_totals(hass_london)
    assert shown == await fresh_setup_values(hass_london, student_entry)


async def test_year_totals_restart_on_1_september(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At midnight into 1 September last year's totals are gone, without a poll."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts(today=date(2026, 8, 31))
    monkeypatch.setenv("CLASSCHARTS_BASE_URL", await fake.start())
    try:
        freezer.move_to(datetime(2026, 8, 31, 21, 30, tzinfo=LONDON))
        await setup_entry(hass, student_entry)
        assert int(value(hass, YEAR[0])) > 0
        fake.clear_requests()
        await advance(hass, freezer, timedelta(hours=2, minutes=31))
        assert fake.requests == []  # no poll: the lesson-bell tick at midnight
        assert year_totals(hass) == ["0", "0", "0"]
        assert year_totals(hass) == await fresh_setup_values(hass, student_entry)
    finally:
        await hass.config_entries.async_unload(student_entry.entry_id)
        await fake.stop()


async def test_year_totals_equal_a_fresh_set_up_after_a_restart(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A day of polls, then a restart: the same totals."""
    await setup_entry(hass_london, student_entry)
    for _ in range(6):
        await advance(hass_london, freezer, timedelta(hours=3))
    shown = year_totals(hass_london)
    assert shown == await fresh_setup_values(hass_london, student_entry)


def test_year_totals_unknown_when_the_feed_misses_days() -> None:
    """A feed complete only from today cannot add yesterday: no total at all."""
    from custom_components.classcharts_hass.client import (  # noqa: PLC0415
        BehaviourSummary,
        Features,
        Pupil,
    )
    from custom_components.classcharts_hass.school.fetches import (  # noqa: PLC0415
        Activity,
        YearSoFar,
    )
    from custom_components.classcharts_hass.school.snapshot import PupilData  # noqa: PLC0415

    flags = dict.fromkeys(Features.__slots__, True)  # type: ignore[attr-defined]
    pupil = Pupil(1, "A", "A", "B", None, "Europe/London", Features(**flags), None)
    now = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)
    summary = YearSoFar(date(2026, 9, 1), date(2026, 11, 23), BehaviourSummary(5, 1))
    values = {
        Dataset.YEAR_TOTALS: summary,
        Dataset.ACTIVITY: Activity([], datetime(2026, 11, 25, 0, 0, tzinfo=LONDON)),
    }
    data = PupilData(pupil, values, shown_until=dict.fromkeys(values))
    assert data.behaviour_year(now) is None
    values[Dataset.ACTIVITY] = Activity([], datetime(2026, 11, 24, 0, 0, tzinfo=LONDON))
    data = PupilData(pupil, values, shown_until=dict.fromkeys(values))
    year = data.behaviour_year(now)
    assert year is not None
    assert (year.positive, year.negative) == (5, 1)


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


@pytest.mark.parametrize(
    ("today", "point_day"),
    [
        # The second day of the year: the first day's points are asked for.
        (date(2026, 9, 2), date(2026, 9, 1)),
        # August is still last school year (it began on 1 September 2025).
        (date(2026, 8, 20), date(2026, 7, 10)),
    ],
)
async def test_year_totals_count_the_school_years_earlier_days(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    today: date,
    point_day: date,
) -> None:
    """A point given earlier this school year counts in its totals."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts(today=today)
    fake.pupils[STUDENT_ID].activity.clear()
    fake.add_behaviour_point(
        STUDENT_ID, timestamp=datetime.combine(point_day, time(10, 0), LONDON)
    )
    monkeypatch.setenv("CLASSCHARTS_BASE_URL", await fake.start())
    try:
        freezer.move_to(datetime.combine(today, time(7, 0), LONDON))
        await setup_entry(hass, student_entry)
        assert year_totals(hass) == ["1", "0", "1"]
    finally:
        await hass.config_entries.async_unload(student_entry.entry_id)
        await fake.stop()


async def test_a_day_of_more_points_than_the_feed_lists_shows_no_total(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """45 points today, and the feed lists 40 (20 pages of 2): today's and the
    year's totals are unknown, never a count that misses points."""
    fake.activity_page_size = 2
    monkeypatch.setattr(
        "custom_components.classcharts_hass.client.activity_calls.ACTIVITY_PAGE_SIZE", 2
    )
    only_points_until(fake, datetime(2026, 11, 24, 0, 0, tzinfo=LONDON))
    for minute in range(45):
        fake.add_behaviour_point(
            STUDENT_ID, timestamp=datetime(2026, 11, 24, 8, minute, tzinfo=LONDON)
        )
    await setup_entry(hass_london, student_entry)
    assert year_totals(hass_london) == [STATE_UNKNOWN] * 3
    today = value(hass_london, "sensor.ada_example_positive_points_today")
    assert today == STATE_UNKNOWN
