"""Assist's AI agents ask about school through the integration's LLM tools.

Called the way an agent calls them: Home Assistant's Assist API for a
conversation, then a tool call. Home Assistant has the llm platform from
2026.7; on older lines these tests are skipped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

pytest.importorskip(
    "homeassistant.components.llm",
    reason="Home Assistant before 2026.7 has no llm platform for integrations",
)

from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
)
from homeassistant.helpers import llm

PREFIX = "classcharts_hass__"
README = Path(__file__).parents[2] / "README.md"
TOMORROW_LESSONS = [
    ("08:45", "French", "L1"),
    ("09:45", "Mathematics", "M4"),
    ("10:45", "TUTOR", "T1"),
    ("11:20", "Physical Education", "Gym"),
    ("13:05", "English", "E2"),
    ("14:05", "Art", "A1"),
]


async def assist(hass: HomeAssistant) -> llm.APIInstance:
    """The Assist API as a conversation agent gets it."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "llm", {})
    context = llm.LLMContext(
        platform="test",
        context=Context(),
        language="en",
        assistant="conversation",
        device_id=None,
    )
    return await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)


async def ask(
    hass: HomeAssistant, tool: str, **args: Any
) -> tuple[bool, dict[str, Any]]:
    """Call one of our tools: whether it failed, and what it answered.

    As ``APIInstance.async_call_tool`` does, less its conversation trace: the
    conversation integration needs packages the test environment has not.
    """
    api = await assist(hass)
    found = next(t for t in api.tools if t.name == PREFIX + tool)
    result = await found.async_call(
        hass, llm.ToolInput(tool_name=found.name, tool_args=args), api.llm_context
    )
    assert isinstance(result, llm.ToolResult)
    return result.error, result.data


def hide_pupil(hass: HomeAssistant, object_id_start: str) -> None:
    """Expose none of a pupil's entities to Assist."""
    for entry in list(er.async_get(hass).entities.values()):
        if entry.entity_id.split(".", 1)[1].startswith(object_id_start):
            async_expose_entity(hass, "conversation", entry.entity_id, False)


def lessons(answer: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(x["start"], x["subject"], x["room"]) for x in answer["lessons"]]


async def test_tools_are_prefixed_read_only_and_say_their_cost(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each tool carries the domain, only reads, and says what it costs."""
    await setup_entry(hass_london, student_entry)
    api = await assist(hass_london)
    ours = [tool for tool in api.tools if tool.integration == "classcharts_hass"]
    assert [tool.name for tool in ours] == [
        f"{PREFIX}school_day",
        f"{PREFIX}homework",
        f"{PREFIX}behaviour",
    ]
    for tool in ours:
        assert tool.annotations == llm.ToolAnnotations(
            read_only=True, destructive=False, idempotent=True, open_world=False
        )
        assert "request" in (tool.description or "")
    assert "not prefixed" not in caplog.text
    assert "without an integration" not in caplog.text


async def test_school_day_today_costs_no_request(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Today's lessons in local time, homework due and points, from the last poll."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    error, answer = await ask(hass_london, "school_day", pupil="ada")
    assert not error
    assert answer["pupil"] == "Ada Example"
    assert (answer["date"], answer["weekday"]) == ("2026-11-24", "Tuesday")
    assert answer["school_day"] is True
    assert lessons(answer)[0] == ("08:45", "Mathematics", "M4")
    assert answer["lessons"][0]["end"] == "09:45"
    assert answer["homework_due"] == [
        {
            "due": "2026-11-24",
            "subject": "Mathematics",
            "title": "Algebra starter",
            "done": False,
        }
    ]
    assert answer["detentions"] == []
    points = hass_london.states.get("sensor.ada_example_positive_points_today")
    assert answer["points"] == {"positive": int(points.state), "negative": 0}
    assert fake.requests == []


async def test_weekend(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Saturday is no school day; no points, which are for today only."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    error, answer = await ask(hass_london, "school_day", pupil="Ada", date="2026-11-28")
    assert not error
    assert answer == {
        "pupil": "Ada Example",
        "date": "2026-11-28",
        "weekday": "Saturday",
        "school_day": False,
        "lessons": [],
        "homework_due": [],
        "detentions": [],
    }
    assert fake.requests == []


async def test_holiday_week(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A weekday in the holidays is no school day: one timetable request."""
    monday = date(2026, 12, 7)
    fake.holidays = {monday + timedelta(days=n) for n in range(5)}
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    for day in (monday, monday + timedelta(days=3)):
        error, answer = await ask(
            hass_london, "school_day", pupil="Ada", date=day.isoformat()
        )
        assert not error
        assert (answer["school_day"], answer["lessons"]) == (False, [])
    assert [r.path for r in fake.requests] == ["/apiv2student/timetable/4821907"] * 2
    # The week after is school again.
    error, answer = await ask(hass_london, "school_day", pupil="Ada", date="2026-12-14")
    assert answer["school_day"] is True


async def test_two_pupils(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Each pupil by first name, any case; each answer is the pupil's own."""
    await setup_entry(hass_london, parent_entry)
    _, ada = await ask(hass_london, "school_day", pupil="ADA", date="tomorrow")
    _, ben = await ask(hass_london, "school_day", pupil=" ben ", date="tomorrow")
    assert (ada["pupil"], ben["pupil"]) == ("Ada Example", "Ben Example")
    assert lessons(ada) == TOMORROW_LESSONS
    assert [x[1] for x in lessons(ben)] == [
        "Mathematics",
        "English",
        "TUTOR",
        "Science",
    ]
    _, homework = await ask(hass_london, "homework", pupil="Ben Example")
    assert homework == {
        "pupil": "Ben Example",
        "start_date": "2026-11-24",
        "end_date": "2026-11-30",
        "homework": [
            {
                "due": "2026-11-25",
                "subject": "Science",
                "title": "Plant cells",
                "done": False,
            }
        ],
    }


async def test_homework_outside_the_polled_window_asks_classcharts(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Held homework costs nothing; a range beyond it costs one request."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    _, week = await ask(hass_london, "homework", pupil="Ada", status="all")
    assert [h["title"] for h in week["homework"]] == [
        "Algebra starter",
        "Poem annotation",
        "Forces worksheet",
    ]
    assert fake.requests == []
    fake.add_homework(STUDENT_ID, title="Summer project", due_date=date(2027, 6, 1))
    _, later = await ask(
        hass_london,
        "homework",
        pupil="Ada",
        start_date="2027-05-25",
        end_date="2027-06-05",
    )
    assert [h["title"] for h in later["homework"]] == ["Summer project"]
    assert [r.path for r in fake.requests] == ["/apiv2student/homeworks/4821907"]


async def test_behaviour_over_a_range(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Points and reasons through the behaviour read of the actions (1 request)."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    error, answer = await ask(
        hass_london,
        "behaviour",
        pupil="Ada",
        start_date="2026-11-16",
        end_date="today",
    )
    assert not error
    assert (answer["start_date"], answer["end_date"]) == ("2026-11-16", "2026-11-24")
    assert answer == {
        "pupil": "Ada Example",
        "start_date": "2026-11-16",
        "end_date": "2026-11-24",
        "positive": 11,
        "negative": 2,
        "net": 9,
        "positive_reasons": {
            "Great homework": 3,
            "Excellent effort": 3,
            "Helping others": 2,
            "Participation": 2,
        },
        "negative_reasons": {"No equipment": 2},
    }
    assert [r.path for r in fake.requests] == ["/apiv2student/behaviour/4821907"]


async def test_a_pupil_not_exposed_does_not_exist(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry
) -> None:
    """Ben's entities are not exposed: Ben is unknown; nobody exposed, no tools."""
    await setup_entry(hass_london, parent_entry)
    await assist(hass_london)  # sets up the exposed entities' store
    hide_pupil(hass_london, "ben_example_")
    error, answer = await ask(hass_london, "school_day", pupil="Ben")
    assert error
    assert answer["known_pupils"] == ["Ada Example"]
    api = await assist(hass_london)
    ours = [t for t in api.tools if t.name.startswith(PREFIX)]
    assert len(ours) == 3
    for tool in ours:  # the names the agent is offered
        pupil = next(key for key in tool.parameters.schema if str(key) == "pupil")
        assert pupil.description == "The pupil's name: Ada, Ada Example"
    hide_pupil(hass_london, "ada_example_")
    api = await assist(hass_london)
    assert not [t for t in api.tools if t.name.startswith(PREFIX)]


async def test_unknown_name_returns_the_known_names(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry
) -> None:
    """An unknown name answers with the names the agent may use."""
    await setup_entry(hass_london, parent_entry)
    error, answer = await ask(hass_london, "homework", pupil="Charlie")
    assert error
    assert answer == {
        "error": "No single pupil has this name",
        "known_pupils": ["Ada Example", "Ben Example"],
    }


async def test_a_bad_day_or_range_is_explained(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Words the tools do not know, and ranges too long or reversed."""
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    _, answer = await ask(hass_london, "school_day", pupil="Ada", date="next week")
    assert answer == {"error": "A day is today, tomorrow or a date as YYYY-MM-DD"}
    _, answer = await ask(
        hass_london, "behaviour", pupil="Ada", start_date="2025-01-01", end_date="today"
    )
    assert answer == {"error": "A range is at most 366 days"}
    _, answer = await ask(
        hass_london, "homework", pupil="Ada", start_date="today", end_date="2026-11-01"
    )
    assert answer == {"error": "end_date is before start_date"}
    _, answer = await ask(
        hass_london,
        "homework",
        pupil="Ada",
        start_date="2026-01-01",
        end_date="2026-12-31",
    )
    assert answer == {"error": "A range is at most 92 days"}
    error, answer = await ask(hass_london, "homework", pupil="Ada", status="late")
    assert error
    assert "status" in answer["error"]
    assert fake.requests == []


async def test_classcharts_failing_is_an_error_answer(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A read that fails answers with an error, not an exception."""
    await setup_entry(hass_london, student_entry)
    fake.fail_next(5, status=500, path_contains="/behaviour/")
    error, answer = await ask(hass_london, "behaviour", pupil="Ada")
    assert error
    assert answer == {"error": "ClassCharts did not answer; try again later"}


def readme_example() -> tuple[dict[str, Any], dict[str, Any]]:
    """The README's Assist example: the tool call's arguments and its answer."""
    text = README.read_text(encoding="utf-8").split("\n## Assist\n", 1)[1]
    text = text.split("\n## ", 1)[0]
    call = re.search(r"calls `classcharts_hass__school_day` with `(\{.*?\})`", text)
    answer = re.search(r"```json\n(.*?)```", text, flags=re.DOTALL)
    assert call
    assert answer
    return json.loads(call.group(1)), json.loads(answer.group(1))


async def test_readme_example_conversation(
    hass_london: HomeAssistant, student_entry: MockConfigEntry
) -> None:
    """The README's example is what the tool answers (Tuesday 24 November 2026)."""
    await setup_entry(hass_london, student_entry)
    args, expected = readme_example()
    error, answer = await ask(hass_london, "school_day", **args)
    assert not error
    assert answer == expected
    assert lessons(answer) == TOMORROW_LESSONS


async def test_one_child_in_two_logins_is_one_pupil(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
) -> None:
    """Ada's own login and her parent's both show her: "Ada" is still Ada."""
    await setup_entry(hass_london, student_entry)
    await setup_entry(hass_london, parent_entry)
    error, answer = await ask(hass_london, "school_day", pupil="Ada")
    assert not error
    assert answer["pupil"] == "Ada Example"


async def test_detentions_of_the_day(
    hass_london: HomeAssistant, student_entry: MockConfigEntry
) -> None:
    """Thursday's detention: its local time, length, place and reason."""
    await setup_entry(hass_london, student_entry)
    _, answer = await ask(hass_london, "school_day", pupil="Ada", date="2026-11-26")
    detention = hass_london.states.get("sensor.ada_example_next_detention")
    assert detention.state == "2026-11-26T15:20:00+00:00"
    assert answer["detentions"] == [
        {
            "start": "15:20",
            "minutes": detention.attributes["length_minutes"],
            "location": detention.attributes["location"],
            "reason": detention.attributes["reason"],
            "attended": "pending",
        }
    ]


async def test_what_the_school_hides_is_left_out(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Without the timetable shown, no claim that a day has or has no school."""
    for flag in ("display_timetable", "display_homework", "display_detentions"):
        fake.pupils[STUDENT_ID].display[flag] = False
    await setup_entry(hass_london, student_entry)
    await assist(hass_london)  # sets up the exposed entities' store
    # Without homework there is no to-do list, exposed by default.
    async_expose_entity(
        hass_london, "conversation", "sensor.ada_example_positive_points_today", True
    )
    _, answer = await ask(hass_london, "school_day", pupil="Ada", date="tomorrow")
    assert answer == {
        "pupil": "Ada Example",
        "date": "2026-11-25",
        "weekday": "Wednesday",
    }


async def test_an_unloaded_entry_is_not_asked(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """With the parent entry unloaded, Ben is unknown; Ada answers from her own."""
    await setup_entry(hass_london, student_entry)
    await setup_entry(hass_london, parent_entry)
    await hass_london.config_entries.async_unload(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    error, answer = await ask(hass_london, "school_day", pupil="Ben")
    assert error
    assert answer["known_pupils"] == ["Ada Example"]


async def test_the_longest_ranges_are_answered(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """92 days of homework and 366 of points are answered, not refused."""
    await setup_entry(hass_london, student_entry)
    error, answer = await ask(
        hass_london, "homework", pupil="Ada", start_date="today", end_date="2027-02-23"
    )
    assert not error
    assert answer["end_date"] == "2027-02-23"
    error, answer = await ask(
        hass_london,
        "behaviour",
        pupil="Ada",
        start_date="2025-11-25",
        end_date="2026-11-25",
    )
    assert not error
    assert answer["start_date"] == "2025-11-25"


async def test_homework_done_is_listed_only_when_all_is_asked(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Ticked homework is left out by default and listed, as done, with "all"."""
    homework = next(
        h for h in fake.pupils[STUDENT_ID].homeworks if h.title == "Poem annotation"
    )
    homework.ticked = True
    await setup_entry(hass_london, student_entry)
    _, outstanding = await ask(hass_london, "homework", pupil="Ada")
    assert "Poem annotation" not in [h["title"] for h in outstanding["homework"]]
    _, every = await ask(hass_london, "homework", pupil="Ada", status="all")
    done = {h["title"]: h["done"] for h in every["homework"]}
    assert done["Poem annotation"] is True


async def test_homework_due_on_a_day_is_in_the_order_it_was_set(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Two homeworks due today: the one set first comes first."""
    fake.add_homework(STUDENT_ID, title="Volcano model", due_date=date(2026, 11, 24))
    await setup_entry(hass_london, student_entry)
    _, answer = await ask(hass_london, "school_day", pupil="Ada")
    titles = [h["title"] for h in answer["homework_due"]]
    assert titles == ["Algebra starter", "Volcano model"]


async def test_a_pupil_gone_while_answering_is_an_error_answer(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The entry reloads without the pupil while the day is read: said, not raised."""
    await setup_entry(hass_london, student_entry)
    coordinator = student_entry.runtime_data.coordinator
    read_lessons = coordinator.lessons

    async def lessons_then_gone(*args: Any) -> Any:
        days = await read_lessons(*args)
        coordinator.data = replace(coordinator.data, pupils={})
        return days

    monkeypatch.setattr(coordinator, "lessons", lessons_then_gone)
    error, answer = await ask(hass_london, "school_day", pupil="Ada")
    assert error
    assert answer == {"error": "Ada Example is no longer in ClassCharts here"}
