"""The README's example automations are valid and do what the README says."""

from __future__ import annotations

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)
import yaml

from tests.conftest import TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

README = Path(__file__).parents[2] / "README.md"
SECTION = "\n## Automations\n"
needs_event_received = pytest.mark.skipif(
    find_spec("homeassistant.components.event.trigger") is None,
    reason="Home Assistant before 2026.7 has no Event received trigger",
)
# The examples in the README's order: two on "Event received", then the one
# for Home Assistant before 2026.7.
NEGATIVE, HOMEWORK, NEGATIVE_BEFORE_2026_7 = range(3)


def readme_automations() -> list[dict[str, Any]]:
    """The YAML examples of the README's automations section, in order."""
    text = README.read_text(encoding="utf-8").split(SECTION, 1)[1]
    text = text.split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    examples = [yaml.safe_load(block) for block in blocks]
    return [example for example in examples if "triggers" in example]  # not actions


async def use(hass: HomeAssistant, example: dict[str, Any]) -> list[ServiceCall]:
    sent = async_mock_service(hass, "notify", "send_message")
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": {"id": "readme", "alias": "readme", **example}},
    )
    await hass.async_block_till_done()
    assert hass.states.get("automation.readme") is not None  # valid, so created
    return sent


def test_the_readme_has_the_examples() -> None:
    triggers = [example["triggers"][0] for example in readme_automations()]
    assert [trigger["trigger"] for trigger in triggers] == [
        "event.received",
        "event.received",
        "state",
    ]


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(NEGATIVE, marks=needs_event_received),
        NEGATIVE_BEFORE_2026_7,
    ],
)
async def test_negative_point_example(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    example: int,
) -> None:
    """Only the negative point is sent, with its reason, teacher and class."""
    await setup_entry(hass_london, student_entry)
    sent = await use(hass_london, readme_automations()[example])
    fake.add_behaviour_point(STUDENT_ID, polarity="positive", reason="Kindness")
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert sent == []
    fake.add_behaviour_point(
        STUDENT_ID, polarity="negative", reason="Late", teacher="Ms Q", lesson="9X/En1"
    )
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [call.data["message"] for call in sent] == [
        "Ada got a negative point: Late (Ms Q, 9X/En1)"
    ]


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(NEGATIVE, marks=needs_event_received),
        NEGATIVE_BEFORE_2026_7,
    ],
)
async def test_negative_point_example_sees_every_point_of_a_poll(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    example: int,
) -> None:
    """Both points of one poll are sent; a rename or a reload is not an event."""
    await setup_entry(hass_london, student_entry)
    sent = await use(hass_london, readme_automations()[example])
    for reason in ("Late", "No homework"):
        fake.add_behaviour_point(
            STUDENT_ID, polarity="negative", reason=reason, teacher="Ms Q"
        )
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [call.data["message"] for call in sent] == [
        "Ada got a negative point: Late (Ms Q, 9X/Ma2)",
        "Ada got a negative point: No homework (Ms Q, 9X/Ma2)",
    ]
    er.async_get(hass_london).async_update_entity(
        "event.ada_example_behaviour_point", name="Ada's points"
    )
    await hass_london.config_entries.async_reload(student_entry.entry_id)
    await hass_london.async_block_till_done()
    assert len(sent) == 2


@needs_event_received
@pytest.mark.parametrize(("days", "expected"), [(1, 1), (2, 0)])
async def test_homework_due_tomorrow_example(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    days: int,
    expected: int,
) -> None:
    """New homework is sent only when it is due the next day."""
    await setup_entry(hass_london, student_entry)
    sent = await use(hass_london, readme_automations()[HOMEWORK])
    fake.add_homework(
        STUDENT_ID,
        title="Volcano poster",
        subject="Science",
        due_date=TODAY + timedelta(days=days),
    )
    for _ in range(13):  # homework is read every 2 hours during lessons
        await advance(hass_london, freezer, timedelta(minutes=10))
    messages = [call.data["message"] for call in sent]
    assert messages == ["Due tomorrow: Science - Volcano poster"][:expected]
