"""Text as a user sees it: plain, decoded once, line breaks kept, bounded."""

from __future__ import annotations

from datetime import timedelta
import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import TODAY, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

RECORDER_LIMIT = 16 * 1024  # the recorder refuses bigger state attributes
# What a user sees: titles cut at 300 characters, states at Home Assistant's 255,
# the 20 soonest homework items listed (written out: a changed limit must fail).
ATTRIBUTE_MAX = 300
STATE_MAX = 255
MAX_LISTED_ITEMS = 20
DUE_TODAY = "sensor.ada_example_homework_due_today"
WEEK = "sensor.ada_example_homework_due_this_week"
TODO = "todo.ada_example_homework"


async def todo_items(hass: HomeAssistant) -> list[dict]:
    """The to-do list's items, as the frontend reads them."""
    answer = await hass.services.async_call(
        "todo", "get_items", {"entity_id": TODO}, blocking=True, return_response=True
    )
    return answer[TODO]["items"]


async def test_a_megabyte_title_is_bounded_everywhere(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A 1 MB homework title makes neither a 1 MB attribute nor a 1 MB item."""
    fake.add_homework(STUDENT_ID, title="x" * 1_000_000, due_date=TODAY)
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(DUE_TODAY)
    assert state.state == "2"
    titles = [item["title"] for item in state.attributes["homework"]]
    assert max(len(title) for title in titles) == ATTRIBUTE_MAX
    assert any(title.endswith("…") for title in titles)
    assert len(json.dumps(dict(state.attributes))) < RECORDER_LIMIT
    items = await todo_items(hass_london)
    assert max(len(item["summary"]) for item in items) <= ATTRIBUTE_MAX


async def test_entities_are_decoded_once(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A title with HTML reads as text; an escaped entity in a description stays."""
    fake.add_homework(
        STUDENT_ID,
        title="Maths &amp; <b>Science</b>",
        due_date=TODAY,
        description="<p>Write &amp;lt;br&amp;gt; between lines</p><p>Then stop</p>",
    )
    await setup_entry(hass_london, student_entry)
    titles = {
        h["title"] for h in hass_london.states.get(DUE_TODAY).attributes["homework"]
    }
    assert "Maths & Science" in titles
    item = next(i for i in await todo_items(hass_london) if "Maths" in i["summary"])
    assert item["summary"] == "Science: Maths & Science"
    # Decoded once: "&amp;lt;" became "&lt;", not "<"; the paragraphs stay lines.
    assert item["description"] == "Write &lt;br&gt; between lines\n\nThen stop"


async def test_calendar_descriptions_keep_their_line_breaks(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A homework description of two paragraphs is two lines in the calendar."""
    fake.add_homework(
        STUDENT_ID,
        title="Essay",
        due_date=TODAY + timedelta(days=1),
        description="<p>Plan it</p><ul><li>Intro</li><li>End</li></ul>",
    )
    await setup_entry(hass_london, student_entry)
    answer = await hass_london.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": "calendar.ada_example_homework",
            "start_date_time": "2026-11-25T00:00:00",
            "end_date_time": "2026-11-26T00:00:00",
        },
        blocking=True,
        return_response=True,
    )
    events = answer["calendar.ada_example_homework"]["events"]
    essay = next(e for e in events if e["summary"] == "Science: Essay")
    assert essay["description"].splitlines() == ["Plan it", "", "- Intro", "- End"]


async def test_a_long_subject_fits_a_state(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A 300-character subject is cut to Home Assistant's 255 for the state."""
    for slots in fake.pupils[STUDENT_ID].timetable.values():
        for slot in slots:
            slot.cls.subject = "English " + "e" * 300
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get("sensor.ada_example_current_lesson").state
    assert len(state) == STATE_MAX
    assert state.startswith("English ee")


async def test_many_homework_items_stay_under_the_recorder_limit(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Sixty long items this week: the soonest listed, the rest counted."""
    for n in range(60):
        fake.add_homework(STUDENT_ID, title=f"Task {n:02} " + "t" * 400, due_date=TODAY)
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(WEEK)
    outstanding = int(state.state)
    assert len(state.attributes["homework"]) == MAX_LISTED_ITEMS
    assert state.attributes["not_listed"] == outstanding - MAX_LISTED_ITEMS
    assert len(json.dumps(dict(state.attributes))) < RECORDER_LIMIT
