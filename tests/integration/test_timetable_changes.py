"""The "Timetable change" event: today's and tomorrow's changes, each fired once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import LONDON, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.integration.test_event import record

CHANGE = "event.ada_example_timetable_change"
TUESDAY = date(2026, 11, 24)
WEDNESDAY = date(2026, 11, 25)
THURSDAY = date(2026, 11, 26)


def summary(fired: list[dict]) -> list[tuple]:
    """What each fired change says, in a form easy to compare."""
    return [
        (f["event_type"], f["date"], f["lesson"], f["class"], f["old"], f["new"])
        for f in fired
    ]


async def test_changes_fire_once_at_the_next_checkpoint(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A room change today and a cancelled lesson tomorrow fire at 13:00, once."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    assert hass_london.states.get(CHANGE).state == STATE_UNKNOWN
    fired = record(hass_london, CHANGE)
    fake.change_lesson(STUDENT_ID, TUESDAY, "9X/Gg1", room="H9")
    fake.change_lesson(STUDENT_ID, WEDNESDAY, "9X/Fr1", cancelled=True)
    fake.change_lesson(STUDENT_ID, WEDNESDAY, "9X/Ma2", teacher="Ms C Cover")
    fake.change_lesson(STUDENT_ID, THURSDAY, "9X/Sc1", room="S9")  # not news
    for _ in range(17):  # 10:10 to 12:50: no checkpoint, nothing read
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert fired == []
    await advance(hass_london, freezer, timedelta(minutes=10))  # 13:00
    assert summary(fired) == [
        ("room_changed", "2026-11-24", "Geography", "9X/Gg1", "H7", "H9"),
        ("cancelled", "2026-11-25", "French", "9X/Fr1", None, None),
        (
            "teacher_changed",
            "2026-11-25",
            "Mathematics",
            "9X/Ma2",
            "Mr P Example",
            "Ms C Cover",
        ),
    ]
    assert fired[0]["room"] == "H9"
    assert fired[0]["start"] == "2026-11-24T13:05:00+00:00"
    assert fired[1]["room"] == "L1"  # the cancelled lesson as it was
    # The later reads (18:00, and midnight when Thursday becomes tomorrow) and
    # a whole day of polls repeat nothing.
    for _ in range(6):
        await advance(hass_london, freezer, timedelta(hours=3))
    assert len(fired) == 3


async def test_first_read_and_days_after_tomorrow_fire_nothing(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Changes already there at set-up, and those two days ahead, are no news."""
    fake.change_lesson(STUDENT_ID, TUESDAY, "9X/Gg1", room="H9")
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    fake.change_lesson(STUDENT_ID, THURSDAY, "9X/Sc1", room="S9")
    freezer.move_to(datetime(2026, 11, 24, 18, 30, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=1))
    assert fired == []
    # Thursday's first read as tomorrow (Wednesday's midnight read) is only
    # remembered: the change made before it is no news either.
    freezer.move_to(datetime(2026, 11, 25, 0, 1, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=1))
    assert fired == []
    # A change after that is.
    fake.change_lesson(STUDENT_ID, THURSDAY, "9X/Sc1", room="S1")
    freezer.move_to(datetime(2026, 11, 25, 7, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=5))
    assert summary(fired) == [
        ("room_changed", "2026-11-26", "Science", "9X/Sc1", "S9", "S1")
    ]


async def test_restart_repeats_nothing_and_delivers_changes_made_while_off(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """What was announced is stored: a restart fires only what changed meanwhile."""
    await setup_entry(hass_london, student_entry)
    fake.change_lesson(STUDENT_ID, WEDNESDAY, "9X/Fr1", room="L3")
    freezer.move_to(datetime(2026, 11, 24, 12, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=2))
    assert hass_london.states.get(CHANGE).attributes["new"] == "L3"

    assert await hass_london.config_entries.async_unload(student_entry.entry_id)
    fake.add_lesson(
        STUDENT_ID,
        WEDNESDAY,
        subject="Revision",
        lesson_name="9X/Rev",
        start=datetime(2026, 11, 25, 15, 15, tzinfo=LONDON),
        end=datetime(2026, 11, 25, 16, 0, tzinfo=LONDON),
    )
    await advance(hass_london, freezer, timedelta(minutes=30))
    fired = record(hass_london, CHANGE)
    assert await hass_london.config_entries.async_setup(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert summary(fired) == [("added", "2026-11-25", "Revision", "9X/Rev", None, None)]
    assert fired[0]["teacher"] == "Ms C Cover"


async def test_reread_costs_two_requests_at_each_checkpoint(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """On a school day the timetable is read again at 13:00 and 18:00 (after
    10:00), today and tomorrow only; not on a Saturday."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    read: list[tuple[str, str]] = []
    for _ in range(14 * 6):  # until midnight
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=10))
        clock = datetime.now(LONDON).strftime("%H:%M")
        read.extend((clock, r.query["date"]) for r in fake.api_requests("timetable"))
    assert sorted(read) == [
        ("13:00", "2026-11-24"),
        ("13:00", "2026-11-25"),
        ("18:20", "2026-11-24"),
        ("18:20", "2026-11-25"),
    ]


async def test_changes_belong_to_the_timetable_not_to_homework(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Homework hidden, timetable shown: the change event exists and fires."""
    fake.pupils[STUDENT_ID].display["display_homework"] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get("event.ada_example_new_homework") is None
    assert hass_london.states.get(CHANGE).state == STATE_UNKNOWN
    fired = record(hass_london, CHANGE)
    fake.change_lesson(STUDENT_ID, TUESDAY, "9X/Gg1", room="H9")
    freezer.move_to(datetime(2026, 11, 24, 12, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=2))  # 13:00's read
    assert summary(fired) == [
        ("room_changed", "2026-11-24", "Geography", "9X/Gg1", "H7", "H9")
    ]


async def test_no_change_event_where_the_timetable_is_hidden(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Timetable hidden, homework shown: no change event; homework's is there."""
    fake.pupils[STUDENT_ID].display["display_timetable"] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(CHANGE) is None
    homework = hass_london.states.get("event.ada_example_new_homework")
    assert homework is not None
    assert homework.state == STATE_UNKNOWN
