"""Calendars: range queries through Home Assistant's HTTP API."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.conftest import LONDON, TODAY, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.models import FakeDetention

TIMETABLE = "calendar.ada_example_timetable"
DAY = timedelta(days=1)


async def get_events(
    client: ClientSessionGenerator, entity_id: str, start: datetime, end: datetime
) -> list[dict]:
    """Query /api/calendars/<entity> like the frontend does."""
    http = await client()
    response = await http.get(
        f"/api/calendars/{entity_id}",
        params={"start": start.isoformat(), "end": end.isoformat()},
    )
    assert response.status == 200
    return await response.json()


async def test_timetable_week(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """A school week has timed lessons with room and teacher; repeats cost nothing."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    monday = datetime(2026, 11, 23, tzinfo=LONDON)
    sunday_night = datetime(2026, 11, 30, tzinfo=LONDON)

    events = await get_events(hass_client, TIMETABLE, monday, sunday_night)
    # The poll already had Tuesday to next Monday; only Monday had to be fetched.
    assert [r.query.get("date") for r in fake.api_requests("timetable")] == [
        "2026-11-23"
    ]
    days = Counter(event["start"]["dateTime"][:10] for event in events)
    assert sorted(days) == [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ]
    assert all(count >= 4 for count in days.values())
    first = events[0]
    assert first["start"]["dateTime"] == "2026-11-23T08:45:00+00:00"
    assert first["location"]
    assert "Teacher:" in first["description"]
    # Two lessons share Tuesday's period 3; both are there with distinct uids.
    tuesday_p3 = [
        e for e in events if e["start"]["dateTime"] == "2026-11-24T11:20:00+00:00"
    ]
    assert len(tuesday_p3) == 2
    assert len({e["uid"] for e in events}) == len(events)

    fake.clear_requests()
    again = await get_events(hass_client, TIMETABLE, monday, sunday_night)
    assert again == events
    assert fake.api_requests("timetable") == []


async def test_timetable_summer_time(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """A June lesson at 08:45 UK time is 07:45 UTC."""
    await setup_entry(hass_london, student_entry)
    events = await get_events(
        hass_client,
        TIMETABLE,
        datetime(2027, 6, 14, tzinfo=LONDON),
        datetime(2027, 6, 15, tzinfo=LONDON),
    )
    assert events[0]["start"]["dateTime"] == "2027-06-14T08:45:00+01:00"


async def test_timetable_fetch_failure_is_a_clear_error(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """A failing range query answers an error, not an empty calendar."""
    await setup_entry(hass_london, student_entry)
    fake.fail_next(count=1, status=503, path_contains="timetable")
    http = await hass_client()
    response = await http.get(
        f"/api/calendars/{TIMETABLE}",
        params={
            "start": "2026-10-05T00:00:00+01:00",
            "end": "2026-10-06T00:00:00+01:00",
        },
    )
    assert response.status == 500  # Home Assistant's answer to a failed read
    assert "Could not reach ClassCharts" in (await response.text())


async def test_homework_and_detention_calendars(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Homework is all-day on its due date in plain text; detentions are timed."""
    await setup_entry(hass_london, student_entry)
    week = (
        datetime(2026, 11, 23, tzinfo=LONDON),
        datetime(2026, 11, 30, tzinfo=LONDON),
    )
    homework = await get_events(hass_client, "calendar.ada_example_homework", *week)
    titles = {event["summary"]: event for event in homework}
    algebra = titles["Mathematics: Algebra starter"]
    assert algebra["start"] == {"date": "2026-11-24"}
    assert algebra["end"] == {"date": "2026-11-25"}
    assert all("<" not in (event["description"] or "") for event in homework)

    detentions = await get_events(hass_client, "calendar.ada_example_detentions", *week)
    assert [(d["start"], d["end"], d["location"]) for d in detentions] == [
        (
            {"dateTime": "2026-11-26T15:20:00+00:00"},
            {"dateTime": "2026-11-26T15:50:00+00:00"},
            "Room B12",
        )
    ]
    state = hass_london.states.get("calendar.ada_example_detentions")
    # The title says what the detention is for: its subject here.
    assert state.attributes["message"] == "Detention: Mathematics"
    assert state.attributes["start_time"] == "2026-11-26 15:20:00"


async def test_timetable_entity_shows_current_lesson(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The calendar's state is on during a lesson, and its event is that lesson."""
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(TIMETABLE)
    assert state.state == "on"
    assert state.attributes["message"] == "English"
    assert state.attributes["location"] == "E2"


async def test_a_detention_without_a_lesson_is_titled_with_its_reason(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Ben's lunchtime detention has no subject: the reason says what it was for."""
    await setup_entry(hass_london, parent_entry)
    fortnight = (
        datetime(2026, 11, 9, tzinfo=LONDON),
        datetime(2026, 11, 23, tzinfo=LONDON),
    )
    events = await get_events(
        hass_client, "calendar.ben_example_detentions", *fortnight
    )
    assert [e["summary"] for e in events] == ["Detention: Disruption"]
    assert events[0]["description"] == "Disruption\nLunchtime"


async def test_a_range_ending_at_midnight_fetches_only_its_days(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """The range's end is exclusive: Monday 00:00 to Tuesday 00:00 is Monday."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    monday = datetime(2026, 11, 16, tzinfo=LONDON)
    events = await get_events(
        hass_client, TIMETABLE, monday, datetime(2026, 11, 17, tzinfo=LONDON)
    )
    assert [r.query.get("date") for r in fake.api_requests("timetable")] == [
        "2026-11-16"
    ]
    assert {event["start"]["dateTime"][:10] for event in events} == {"2026-11-16"}


async def test_a_range_starting_as_an_event_ends_leaves_it_out(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Tomorrow's page shows no homework due today (its day ends at midnight)."""
    fake.add_homework(STUDENT_ID, title="Due today", due_date=TODAY)
    fake.add_homework(STUDENT_ID, title="Due tomorrow", due_date=TODAY + DAY)
    await setup_entry(hass_london, student_entry)
    tomorrow = datetime.combine(TODAY + DAY, time(0), LONDON)
    events = await get_events(
        hass_client, "calendar.ada_example_homework", tomorrow, tomorrow + DAY
    )
    summaries = [event["summary"] for event in events]
    assert "Science: Due tomorrow" in summaries
    assert "Science: Due today" not in summaries
    assert {event["start"]["date"] for event in events} == {"2026-11-25"}


async def test_a_detention_of_unknown_length_lasts_half_an_hour(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """No length, or a length of 0: the calendar shows 30 minutes."""
    for detention_id, length in ((4400911, None), (4400912, 0)):
        fake.pupils[STUDENT_ID].detentions.append(
            FakeDetention(
                detention_id, "pending", TODAY + DAY, "15:20", length, "Hall", "Late"
            )
        )
    await setup_entry(hass_london, student_entry)
    wednesday = datetime.combine(TODAY + DAY, time(0), LONDON)
    events = await get_events(
        hass_client, "calendar.ada_example_detentions", wednesday, wednesday + DAY
    )
    assert {
        (e["uid"], e["start"]["dateTime"], e["end"]["dateTime"]) for e in events
    } == {
        ("detention-4400911", "2026-11-25T15:20:00+00:00", "2026-11-25T15:50:00+00:00"),
        ("detention-4400912", "2026-11-25T15:20:00+00:00", "2026-11-25T15:50:00+00:00"),
    }
