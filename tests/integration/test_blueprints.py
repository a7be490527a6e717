"""The shipped blueprints: valid for Home Assistant, and working on fake data."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime, timedelta
from importlib.util import find_spec
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    ServiceCall,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.classcharts_hass.school.datasets import Dataset
from tests.conftest import LONDON, NOW, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts, FakeDetention

FOLDER = Path(__file__).parents[2] / "blueprints" / "automation" / "classcharts_hass"
NAMES = [
    "announce_behaviour_point",
    "homework_reminder",
    "detention_alert",
    "timetable_changes_tonight",
    "next_school_day_start",
    "new_announcement",
]
PHONE = "notify.parent_phone"
# The blueprints of event entities trigger on "Event received" (2026.7 on).
ON_EVENT_RECEIVED = {
    "announce_behaviour_point",
    "detention_alert",
    "timetable_changes_tonight",
}
HAS_EVENT_RECEIVED = find_spec("homeassistant.components.event.trigger") is not None
needs_event_received = pytest.mark.skipif(
    not HAS_EVENT_RECEIVED,
    reason="Home Assistant before 2026.7 has no Event received trigger",
)


@pytest.mark.parametrize("name", NAMES)
def test_blueprint_is_valid(name: str) -> None:
    """Each blueprint passes Home Assistant's automation blueprint schema."""
    data = load_yaml_dict(str(FOLDER / f"{name}.yaml"))
    blueprint = Blueprint(
        data, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    assert blueprint.domain == "automation"
    assert blueprint.metadata["source_url"].endswith(f"{name}.yaml")
    min_version = blueprint.metadata.get("homeassistant", {}).get("min_version")
    if name in ON_EVENT_RECEIVED:
        assert min_version == "2026.7.0"
        assert data["triggers"][0]["trigger"] == "event.received"
        assert (blueprint.validate() is None) == HAS_EVENT_RECEIVED
    else:
        assert min_version is None
        assert blueprint.validate() is None


@pytest.fixture(autouse=True)
async def stop_automations(hass: HomeAssistant) -> AsyncIterator[None]:
    """Turn the blueprints' automations off at the end of each test.

    A time trigger stays armed while its automation is on, and the test plugin
    (from 0.13.375) fails a test that leaves a timer behind.
    """
    yield
    if hass.services.has_service("automation", "turn_off"):
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "all"}, blocking=True
        )


async def use_blueprint(
    hass: HomeAssistant, tmp_path: Path, name: str, inputs: dict
) -> list[ServiceCall]:
    """Install the blueprint in a config folder and create one automation from it."""
    hass.config.config_dir = str(tmp_path)
    target = tmp_path / "blueprints" / "automation" / "classcharts_hass"
    target.mkdir(parents=True)
    shutil.copy(FOLDER / f"{name}.yaml", target)
    sent = async_mock_service(hass, "notify", "send_message")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": name,
                "use_blueprint": {
                    "path": f"classcharts_hass/{name}.yaml",
                    "input": inputs,
                },
            }
        },
    )
    await hass.async_block_till_done()
    return sent


type Automation = Callable[[str, dict[str, Any]], Awaitable[list[ServiceCall]]]


@pytest.fixture
def automation(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    tmp_path: Path,
) -> Automation:
    """Ada's student entry set up, then one automation from a blueprint.

    Called with the blueprint's name and inputs; returns the notifications
    the automation sends. What a test sets on the fake or the clock before the
    call is what the set-up reads.
    """

    async def create(name: str, inputs: dict[str, Any]) -> list[ServiceCall]:
        await setup_entry(hass_london, student_entry)
        return await use_blueprint(hass_london, tmp_path, name, inputs)

    return create


async def announce_points(automation: Automation, polarity: str) -> list[ServiceCall]:
    """Ada's behaviour points of one polarity (or "both") sent to the phone."""
    return await automation(
        "announce_behaviour_point",
        {
            "behaviour_event": "event.ada_example_behaviour_point",
            "polarity": polarity,
            "notify_target": PHONE,
        },
    )


@needs_event_received
async def test_announce_behaviour_point(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """A positive point is announced; a negative one is not (polarity positive)."""
    sent = await announce_points(automation, "positive")
    fake.add_behaviour_point(
        STUDENT_ID, reason="Great answer", timestamp=NOW + timedelta(minutes=1)
    )
    await advance(hass_london, freezer, timedelta(minutes=10))
    fake.add_behaviour_point(
        STUDENT_ID,
        polarity="negative",
        reason="Late",
        score=-1,
        timestamp=NOW + timedelta(minutes=12),
    )
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [c.data["message"] for c in sent] == [
        "Ada Example got a positive point: Great answer from Mr P Example."
    ]
    assert sent[0].data["entity_id"] == [PHONE]


async def test_homework_reminder(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """At 18:00 on a school night it lists tomorrow's homework; Friday it is quiet."""
    sent = await automation(
        "homework_reminder",
        {
            "next_lesson_start": "sensor.ada_example_next_lesson_start",
            "reminder_time": "18:00:00",
            "notify_target": PHONE,
        },
    )
    freezer.move_to(datetime(2026, 11, 24, 17, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=1))
    assert [(c.data["title"], c.data["message"]) for c in sent] == [
        ("Homework due tomorrow for Ada Example", "English: Poem annotation")
    ]
    # Friday evening: no school on Saturday, so no reminder.
    fake.add_homework(STUDENT_ID, title="Weekend reading", due_date=date(2026, 11, 28))
    freezer.move_to(datetime(2026, 11, 27, 17, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=1))
    assert len(sent) == 1


@needs_event_received
async def test_detention_alert(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """A new detention sends its date, time, place and reason."""
    sent = await automation(
        "detention_alert",
        {"detention_event": "event.ada_example_detention", "notify_target": PHONE},
    )
    fake.pupils[STUDENT_ID].detentions.append(
        FakeDetention(
            id=4409999,
            attended="pending",
            date=date(2026, 11, 27),
            time="15:30",
            length=45,
            location="Hall",
            reason="Phone in lesson",
        )
    )
    for _ in range(13):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(c.data["title"], c.data["message"]) for c in sent] == [
        (
            "New detention for Ada Example",
            "2026-11-27 at 15:30, Hall. Reason: Phone in lesson",
        )
    ]


@needs_event_received
async def test_timetable_changes_tonight(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """Tomorrow's change found at 13:00 is sent at 19:00; today's is not sent."""
    sent = await automation(
        "timetable_changes_tonight",
        {
            "timetable_change_event": "event.ada_example_timetable_change",
            "notify_time": "19:00:00",
            "notify_target": PHONE,
        },
    )
    fake.change_lesson(STUDENT_ID, date(2026, 11, 24), "9X/Gg1", room="H9")
    fake.change_lesson(STUDENT_ID, date(2026, 11, 25), "9X/Fr1", room="L3")
    coordinator = student_entry.runtime_data.coordinator
    # The 13:00 read, as a refresh the test awaits: the automation's run then
    # waits for 19:00 (a block_till_done would wait for it too).
    freezer.move_to(datetime(2026, 11, 24, 13, 0, 30, tzinfo=LONDON))
    await coordinator.async_refresh()
    for _ in range(20):
        await asyncio.sleep(0)
    assert sent == []
    freezer.move_to(datetime(2026, 11, 24, 18, 59, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(seconds=1))
    assert [(c.data["title"], c.data["message"]) for c in sent] == [
        (
            "Timetable change tomorrow for Ada Example",
            "French (P1, 08:45): now in L3, not L1",
        )
    ]
    # A cancellation found later that evening (a read the coordinator was
    # asked for) is sent at once.
    fake.change_lesson(STUDENT_ID, date(2026, 11, 25), "9X/Ar1", cancelled=True)
    freezer.move_to(datetime(2026, 11, 24, 20, 30, tzinfo=LONDON))
    coordinator.invalidate(STUDENT_ID, Dataset.TIMETABLE)
    await coordinator.async_refresh()
    await hass_london.async_block_till_done()
    assert [c.data["message"] for c in sent[1:]] == ["Art (P5, 14:05) is cancelled"]


async def test_next_school_day_start(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """An hour before the first lesson on school days; not on Saturday."""
    freezer.move_to(datetime(2026, 11, 27, 6, 0, tzinfo=LONDON))  # Friday
    fake.today = date(2026, 11, 27)
    sent = await automation(
        "next_school_day_start",
        {
            "next_school_day_start": "sensor.ada_example_next_school_day_start",
            "minutes_before": 60,
            "actions": [
                {
                    "action": "notify.send_message",
                    "target": {"entity_id": PHONE},
                    "data": {"message": "Time to get up"},
                }
            ],
        },
    )
    fired_at = []
    for _ in range(4 * 24 * 12):  # Friday 06:00 to Tuesday 06:00, 5-minute steps
        before = len(sent)
        await advance(hass_london, freezer, timedelta(minutes=5))
        if len(sent) > before:
            fired_at.append(datetime.now(LONDON).strftime("%a %H:%M"))
    assert fired_at == ["Fri 07:45", "Mon 07:45"]


@needs_event_received
async def test_two_points_in_one_poll_are_both_announced(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """Two events of one poll are two state changes: "Event received" runs twice."""
    sent = await announce_points(automation, "both")
    for minute, reason in ((1, "Great answer"), (2, "Helping others")):
        fake.add_behaviour_point(
            STUDENT_ID, reason=reason, timestamp=NOW + timedelta(minutes=minute)
        )
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [c.data["message"] for c in sent] == [
        "Ada Example got a positive point: Great answer from Mr P Example.",
        "Ada Example got a positive point: Helping others from Mr P Example.",
    ]
    # A reload restores the last event's state, a rename changes only its
    # friendly name: neither is an announcement.
    await hass_london.config_entries.async_reload(student_entry.entry_id)
    await hass_london.async_block_till_done()
    er.async_get(hass_london).async_update_entity(
        "event.ada_example_behaviour_point", name="Ada's points"
    )
    await hass_london.async_block_till_done()
    assert hass_london.states.get("event.ada_example_behaviour_point").name == (
        "Ada's points"
    )
    assert len(sent) == 2


async def test_two_points_of_one_poll_are_two_state_changes(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Each event has its own millisecond, even on a clock that stands still.

    "Event received" fires on a change of the state (the event's time to the
    millisecond); Home Assistant before 2026.10 stamps events with the clock
    alone, so two events of one poll could share a state and count once.
    """
    await setup_entry(hass_london, student_entry)
    entity_id = "event.ada_example_behaviour_point"
    states: list[str] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        if (new := event.data["new_state"]) is not None:
            states.append(new.state)

    async_track_state_change_event(hass_london, [entity_id], _changed)
    for minute, reason in ((1, "Great answer"), (2, "Helping others")):
        fake.add_behaviour_point(
            STUDENT_ID, reason=reason, timestamp=NOW + timedelta(minutes=minute)
        )
    freezer.tick(timedelta(minutes=10))
    await student_entry.runtime_data.coordinator.async_refresh()  # one poll
    await hass_london.async_block_till_done()
    polled_at = dt_util.utcnow().isoformat(timespec="milliseconds")
    after = (dt_util.utcnow() + timedelta(milliseconds=1)).isoformat(
        timespec="milliseconds"
    )
    assert states == [polled_at, after]


def _announce(fake: FakeClassCharts) -> None:
    """Publish an announcement with an attachment, asking for consent."""
    template = fake.pupils[STUDENT_ID].announcements[1]
    fake.pupils[STUDENT_ID].announcements.append(
        {
            **template,
            "id": 990020,
            "title": "Museum trip",
            "description": "<p>The trip is on Friday.</p>",
            "teacher_name": "Ms M Example",
            "timestamp": (NOW + timedelta(minutes=5)).isoformat(),
            "attachments": [
                {"filename": "form.pdf", "url": "https://example.invalid/a/form.pdf"}
            ],
        }
    )


async def test_new_announcement(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """Without AI: title, teacher, text, consent and the attachment's link."""
    sent = await automation(
        "new_announcement",
        {
            "announcement_event": "event.ada_example_announcement",
            "notify_target": PHONE,
        },
    )
    _announce(fake)
    await advance(hass_london, freezer, timedelta(hours=3, minutes=10))
    assert [(c.data["title"], c.data["message"]) for c in sent] == [
        (
            "Ada Example: Museum trip (Ms M Example)",
            (
                "The trip is on Friday.\nThe school asks for your consent.\n"
                "form.pdf: https://example.invalid/a/form.pdf"
            ),
        )
    ]


async def test_new_announcement_summarised(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    automation: Automation,
) -> None:
    """With an AI task entity, its summary replaces the text."""
    asked = async_mock_service(
        hass_london,
        "ai_task",
        "generate_data",
        response={"data": "Friday trip; sign the form."},
        supports_response=SupportsResponse.ONLY,
    )
    sent = await automation(
        "new_announcement",
        {
            "announcement_event": "event.ada_example_announcement",
            "notify_target": PHONE,
            "ai_task": "ai_task.helper",
        },
    )
    _announce(fake)
    await advance(hass_london, freezer, timedelta(hours=3, minutes=10))
    assert "Museum trip" in asked[0].data["instructions"]
    assert sent[0].data["message"].startswith("Friday trip; sign the form.\n")
