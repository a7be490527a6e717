"""Time edges: instants not wall clocks, midnight, clock changes, HA in UTC."""

from __future__ import annotations

from collections.abc import AsyncIterator
import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import LONDON, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.handlers import Ctx, timetable

CURRENT = "sensor.ada_example_current_lesson"


def one_lesson(fake: FakeClassCharts, start: str, end: str) -> dict[str, Any]:
    """A timetable answer with one lesson (English) between two instants."""
    answer = copy.deepcopy(
        timetable(
            fake.pupils[STUDENT_ID],
            {"date": TODAY.isoformat()},
            Ctx(today=TODAY, tz=LONDON),
        )
    )
    lesson = dict(answer["data"][0], subject_name="Astronomy")
    lesson["start_time"], lesson["end_time"] = start, end
    answer["data"] = [lesson]
    return answer


async def test_a_lesson_across_midnight_is_current_after_midnight(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Stargazing from 23:30 to 00:30 is the current lesson at 00:10."""
    freezer.move_to(datetime(2026, 11, 24, 23, 0, tzinfo=LONDON))
    fake.set_response(
        "timetable",
        one_lesson(fake, "2026-11-24T23:30:00+00:00", "2026-11-25T00:30:00+00:00"),
        times=None,
    )
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(CURRENT).state == "unknown"
    await advance(hass_london, freezer, timedelta(minutes=31))
    assert hass_london.states.get(CURRENT).state == "Astronomy"
    await advance(hass_london, freezer, timedelta(minutes=40))  # 00:11
    assert hass_london.states.get(CURRENT).state == "Astronomy"
    await advance(hass_london, freezer, timedelta(minutes=20))  # 00:31
    assert hass_london.states.get(CURRENT).state == "unknown"


async def test_a_lesson_across_the_autumn_clock_change(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """01:20 BST to 01:50 GMT is 90 minutes; at 01:55 BST it is running."""
    freezer.move_to(datetime(2026, 10, 25, 0, 0, tzinfo=UTC))  # 01:00 BST
    fake.set_response(
        "timetable",
        one_lesson(fake, "2026-10-25T01:20:00+01:00", "2026-10-25T01:50:00+00:00"),
        times=None,
    )
    await setup_entry(hass_london, student_entry)
    # 01:55 BST, before the clocks go back: wall clocks say 01:55 > 01:50.
    await advance(hass_london, freezer, timedelta(minutes=55))
    assert hass_london.states.get(CURRENT).state == "Astronomy"
    # 01:55 GMT, an hour later by the same wall clock: over.
    await advance(hass_london, freezer, timedelta(hours=1))
    assert hass_london.states.get(CURRENT).state == "unknown"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-10-25T01:20:00+01:00", "2026-10-25T01:10:00+00:00"),
        # Without offsets: the end can only be the second 01:10 of the night.
        ("2026-10-25T01:20:00", "2026-10-25T01:10:00"),
    ],
    ids=["offsets", "wall_clock"],
)
async def test_a_lesson_that_ends_before_it_starts_by_the_wall_clock(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    start: str,
    end: str,
) -> None:
    """01:20 BST to 01:10 GMT is a 50-minute lesson, not a reversed one."""
    freezer.move_to(datetime(2026, 10, 25, 0, 0, tzinfo=UTC))  # 01:00 BST
    fake.set_response("timetable", one_lesson(fake, start, end), times=None)
    await setup_entry(hass_london, student_entry)
    lesson = hass_london.states.get(CURRENT.replace("current", "next"))
    assert lesson.state == "Astronomy"
    assert lesson.attributes["end"] == "2026-10-25T01:10:00+00:00"
    await advance(hass_london, freezer, timedelta(minutes=45))  # 01:45 BST
    assert hass_london.states.get(CURRENT).state == "Astronomy"
    await advance(hass_london, freezer, timedelta(minutes=30))  # 01:15 GMT
    assert hass_london.states.get(CURRENT).state == "unknown"


@pytest.fixture
async def summer_utc(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[HomeAssistant, FakeClassCharts]]:
    """Home Assistant in UTC; the school in UK summer time, Wednesday 10 June."""
    await hass.config.async_set_time_zone("UTC")
    fake = FakeClassCharts(today=date(2026, 6, 10))
    monkeypatch.setenv("CLASSCHARTS_BASE_URL", await fake.start())
    yield hass, fake
    await fake.stop()


async def test_today_and_tomorrow_follow_the_school_clock(
    summer_utc: tuple[HomeAssistant, FakeClassCharts],
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At 23:30 UTC it is already tomorrow at school: the counts say so."""
    hass, fake = summer_utc
    thursday, friday = date(2026, 6, 11), date(2026, 6, 12)
    fake.add_homework(STUDENT_ID, title="Due Thursday", due_date=thursday)
    fake.add_homework(STUDENT_ID, title="Due Friday", due_date=friday)
    fake.add_homework(STUDENT_ID, title="Due Friday too", due_date=friday)
    freezer.move_to(datetime(2026, 6, 10, 23, 30, tzinfo=UTC))  # 00:30 BST Thu
    await setup_entry(hass, student_entry)
    try:
        today = hass.states.get("sensor.ada_example_homework_due_today")
        tomorrow = hass.states.get("sensor.ada_example_homework_due_tomorrow")
        due_today = {h["title"] for h in today.attributes["homework"]}
        due_tomorrow = {h["title"] for h in tomorrow.attributes["homework"]}
        # Seeded: Algebra due Wednesday (UTC says today), Poem Thursday, Forces Friday.
        assert due_today == {"Due Thursday", "Poem annotation"}
        assert due_tomorrow == {"Due Friday", "Due Friday too", "Forces worksheet"}
    finally:
        await hass.config_entries.async_unload(student_entry.entry_id)


async def test_a_calendar_range_in_utc_takes_the_school_days(
    summer_utc: tuple[HomeAssistant, FakeClassCharts],
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Thursday 00:00-24:00 UTC holds Thursday's lessons, from 08:xx BST."""
    hass, _fake = summer_utc
    freezer.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=UTC))
    await setup_entry(hass, student_entry)
    try:
        answer = await hass.services.async_call(
            "calendar",
            "get_events",
            {
                "entity_id": "calendar.ada_example_timetable",
                "start_date_time": "2026-06-11T00:00:00+00:00",
                "end_date_time": "2026-06-12T00:00:00+00:00",
            },
            blocking=True,
            return_response=True,
        )
        events = answer["calendar.ada_example_timetable"]["events"]
        assert events
        starts = [datetime.fromisoformat(e["start"]) for e in events]
        assert {s.astimezone(LONDON).date() for s in starts} == {date(2026, 6, 11)}
        assert min(starts).astimezone(LONDON).hour == 8
    finally:
        await hass.config_entries.async_unload(student_entry.entry_id)
