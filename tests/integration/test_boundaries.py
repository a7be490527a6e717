"""Boundary data and the values a user sees: week edges, teacher-completed work,
several pending detentions, and each display_* flag hiding exactly its entities."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.conftest import LONDON, NOW, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.models import PERIOD_TIMES, FakeDetention

from .test_calendar import get_events

THURSDAY, SUNDAY, NEXT_MONDAY = (TODAY + timedelta(days=n) for n in (2, 5, 6))


def state(hass: HomeAssistant, name: str) -> str:
    """The state of one of Ada's sensors."""
    return hass.states.get(f"sensor.ada_example_{name}").state


@pytest.fixture
def week_edges(fake: FakeClassCharts) -> dict[str, int]:
    """Homework due on Thursday, Sunday and next Monday, and one the teacher
    marked completed that Ada never ticked."""
    assert TODAY.weekday() == 1  # the dates below assume a Tuesday
    ids = {
        title: fake.add_homework(STUDENT_ID, title=title, due_date=due)
        for title, due in (
            ("Day after tomorrow", THURSDAY),
            ("Sunday", SUNDAY),
            ("Next Monday", NEXT_MONDAY),
            ("Marked", TODAY),
        )
    }
    fake.homework(ids["Marked"]).state = "completed"
    return ids


async def test_homework_counts_at_the_week_edges(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    week_edges: dict[str, int],
) -> None:
    """This week runs to Sunday; tomorrow is one day; completed is done."""
    await setup_entry(hass_london, student_entry)
    assert state(hass_london, "homework_due_today") == "1"  # Algebra, not Marked
    assert state(hass_london, "homework_due_tomorrow") == "1"  # Poem only
    # Algebra, Poem, Forces (Friday), Thursday's and Sunday's: not next Monday's.
    week = hass_london.states.get("sensor.ada_example_homework_due_this_week")
    assert week.state == "5"
    titles = [h["title"] for h in week.attributes["homework"]]
    assert "Sunday" in titles
    assert "Next Monday" not in titles
    assert "Marked" not in titles
    # Soonest first.
    dues = [h["due_date"] for h in week.attributes["homework"]]
    assert dues == sorted(dues)
    assert state(hass_london, "overdue_homework") == "2"
    # Six seeded outstanding and three added; Marked is done.
    assert hass_london.states.get("todo.ada_example_homework").state == "9"


async def test_teacher_completed_homework_is_done_in_the_list(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    week_edges: dict[str, int],
) -> None:
    """Marked completed by the teacher, never ticked: a completed item."""
    await setup_entry(hass_london, student_entry)
    answer = await hass_london.services.async_call(
        "todo",
        "get_items",
        {"entity_id": "todo.ada_example_homework"},
        blocking=True,
        return_response=True,
    )
    items = {i["summary"]: i for i in answer["todo.ada_example_homework"]["items"]}
    assert items["Science: Marked"]["status"] == "completed"
    assert items["Science: Next Monday"]["status"] == "needs_action"
    assert items["Science: Next Monday"]["due"] == NEXT_MONDAY.isoformat()


def add_detention(
    fake: FakeClassCharts, detention_id: int, day: date, clock: str, minutes: int
) -> None:
    """A pending detention for Ada."""
    fake.pupils[STUDENT_ID].detentions.append(
        FakeDetention(
            detention_id, "pending", day, clock, minutes, f"Room {detention_id}", "Late"
        )
    )


async def test_the_next_detention_is_the_soonest_and_one_in_progress_counts(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Three pending (one running now, one tomorrow, the seeded Thursday one);
    one that ended this morning is no longer pending."""
    add_detention(fake, 4400901, TODAY + timedelta(days=1), "12:40", 20)
    add_detention(fake, 4400902, TODAY, "09:50", 30)  # 09:50-10:20, now 10:00
    add_detention(fake, 4400903, TODAY, "08:00", 20)  # over
    await setup_entry(hass_london, student_entry)
    assert state(hass_london, "pending_detentions") == "3"
    nxt = hass_london.states.get("sensor.ada_example_next_detention")
    assert nxt.state == "2026-11-24T09:50:00+00:00"
    assert nxt.attributes["location"] == "Room 4400902"
    calendar = hass_london.states.get("calendar.ada_example_detentions")
    assert calendar.state == "on"
    week = (NOW - timedelta(hours=10), NOW + timedelta(days=7))
    events = await get_events(hass_client, "calendar.ada_example_detentions", *week)
    assert [e["uid"] for e in events] == [
        "detention-4400903",
        "detention-4400902",
        "detention-4400901",
        f"detention-{fake.pupils[STUDENT_ID].detentions[0].id}",
    ]


async def test_calendar_uids(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Homework uids carry the homework id; lessons their date, period and key."""
    await setup_entry(hass_london, student_entry)
    day = (NOW.replace(hour=0), NOW.replace(hour=23))
    homework = await get_events(hass_client, "calendar.ada_example_homework", *day)
    algebra = next(h for h in fake.pupils[STUDENT_ID].homeworks if h.due_date == TODAY)
    assert [e["uid"] for e in homework] == [f"homework-{algebra.id}"]
    lessons = await get_events(hass_client, "calendar.ada_example_timetable", *day)
    uids = [e["uid"] for e in lessons]
    assert len(set(uids)) == len(uids)  # two lessons share period 3 on Tuesdays
    assert all(uid.startswith("20261124-") for uid in uids)
    # The first lesson's uid from what ClassCharts sent: stable across releases,
    # so a synced calendar never shows a lesson twice.
    pupil = fake.pupils[STUDENT_ID]
    first = pupil.timetable[TODAY.weekday()][0]
    key = pupil.key_base + (TODAY.toordinal() % 100000) * 10 + 1
    start = PERIOD_TIMES[first.period][0]
    assert uids[0] == (
        f"20261124-{first.period}-{first.cls.lesson_id}-{key}-{start:%H%M}"
    )


ALL_FLAGS_ON = "all-on"
# What each display_* flag hides for a student (entity ids without "ada_example_").
HIDDEN_BY = {
    "display_behaviour": {
        "sensor.positive_points_today",
        "sensor.negative_points_today",
        "sensor.net_points_today",
        "sensor.positive_points_this_school_year",
        "sensor.negative_points_this_school_year",
        "sensor.net_points_this_school_year",
        "event.behaviour_point",
    },
    "display_homework": {
        "sensor.homework_due_today",
        "sensor.homework_due_tomorrow",
        "sensor.homework_due_this_week",
        "sensor.overdue_homework",
        "calendar.homework",
        "todo.homework",
        "event.new_homework",
    },
    "display_timetable": {
        "sensor.current_lesson",
        "sensor.next_lesson",
        "sensor.next_lesson_start",
        "sensor.school_day_start",
        "sensor.school_day_end",
        "calendar.timetable",
    },
    "display_detentions": {
        "sensor.pending_detentions",
        "sensor.next_detention",
        "calendar.detentions",
        "event.detention",
    },
    "display_announcements": {"sensor.unread_announcements", "event.announcement"},
    "display_attendance": {"sensor.attendance"},
    "display_attendance_percentage": {"sensor.attendance"},
    "display_rewards": {"sensor.reward_balance"},
}


def entities(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The entry's entity ids, without the pupil's name."""
    return {
        e.entity_id.replace("ada_example_", "")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }


@pytest.mark.parametrize("flag", [ALL_FLAGS_ON, *HIDDEN_BY])
async def test_each_display_flag_hides_exactly_its_entities(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    flag: str,
) -> None:
    """One flag off at a time: its entities are gone, every other one is there."""
    every = set().union(*HIDDEN_BY.values())
    if flag != ALL_FLAGS_ON:
        fake.pupils[STUDENT_ID].display[flag] = False
    await setup_entry(hass_london, student_entry)
    shown = entities(hass_london, student_entry)
    hidden = HIDDEN_BY.get(flag, set())
    assert shown & every == every - hidden


async def test_a_detention_stops_being_pending_when_it_ends(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Today 15:20-15:50, after school (polls at 14:20 and 16:20): pending up to
    15:50, then the seeded Thursday detention is the only one and the next."""
    add_detention(fake, 4400904, TODAY, "15:20", 30)
    freezer.move_to(datetime(2026, 11, 24, 15, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    assert state(hass_london, "pending_detentions") == "2"
    await advance(hass_london, freezer, timedelta(minutes=49, seconds=59))
    assert state(hass_london, "pending_detentions") == "2"
    await advance(hass_london, freezer, timedelta(seconds=1))  # 15:50
    assert state(hass_london, "pending_detentions") == "1"
    nxt = hass_london.states.get("sensor.ada_example_next_detention")
    assert nxt.state == "2026-11-26T15:20:00+00:00"
