"""Devices leave only for real: successive pupil lists 6 hours apart must agree."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.roster import REMOVE_AFTER
from tests.conftest import LONDON, advance, setup_entry
from tests.fake_server import CHILD_IDS, FakeClassCharts

BEN = "sensor.ben_example_next_lesson"
ADA = "sensor.ada_example_next_lesson"


def device_names(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """The names of the entry's devices, sorted."""
    registry = dr.async_get(hass)
    return sorted(
        str(d.name) for d in dr.async_entries_for_config_entry(registry, entry.entry_id)
    )


def test_the_rule_is_six_hours() -> None:
    """The documented rule (README, pupils.py)."""
    assert timedelta(hours=6) == REMOVE_AFTER


async def test_child_taken_off_the_account_leaves_after_six_hours(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The first list without Ben starts the clock; a list 6 h later removes him."""
    await setup_entry(hass_london, parent_entry)
    fake.remove_pupil(CHILD_IDS[1])
    # Wednesday 10:00: the day's first poll reads the list; Ben is missing.
    freezer.move_to(datetime(2026, 11, 25, 9, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=1))
    assert device_names(hass_london, parent_entry) == ["Ada Example", "Ben Example"]
    assert hass_london.states.get(BEN) is not None
    # School polls until 15:20; the list is re-read after 6 h, at 17:20.
    fake.clear_requests()
    for _ in range(32):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert fake.api_requests("pupils") == []
    assert device_names(hass_london, parent_entry) == ["Ada Example", "Ben Example"]
    await advance(hass_london, freezer, timedelta(hours=2))
    assert len(fake.api_requests("pupils")) == 1
    assert device_names(hass_london, parent_entry) == ["Ada Example"]
    assert hass_london.states.get(BEN) is None
    assert hass_london.states.get(ADA).state != "unavailable"


async def test_a_returning_child_comes_back_without_a_reload(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Removed, then back on the account: device and entities return."""
    await setup_entry(hass_london, parent_entry)
    fake.remove_pupil(CHILD_IDS[1])
    await advance(hass_london, freezer, timedelta(days=1))
    await advance(hass_london, freezer, timedelta(days=1))
    assert device_names(hass_london, parent_entry) == ["Ada Example"]
    fake.parent_children = list(CHILD_IDS)
    await advance(hass_london, freezer, timedelta(days=1))
    assert device_names(hass_london, parent_entry) == ["Ada Example", "Ben Example"]
    assert hass_london.states.get(BEN) is not None
    assert hass_london.states.get(BEN).state != "unavailable"


async def test_a_child_back_before_six_hours_stays(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A list with Ben again stops the clock: a later absence starts it anew."""
    await setup_entry(hass_london, parent_entry)
    fake.remove_pupil(CHILD_IDS[1])
    await advance(hass_london, freezer, timedelta(days=1))  # missing since now
    fake.parent_children = list(CHILD_IDS)
    await advance(hass_london, freezer, timedelta(days=1))  # back: clock stopped
    fake.remove_pupil(CHILD_IDS[1])
    await advance(hass_london, freezer, timedelta(days=1))  # missing again
    assert device_names(hass_london, parent_entry) == ["Ada Example", "Ben Example"]


@pytest.mark.parametrize(
    "answer",
    [
        {"success": 1, "data": [], "meta": []},
        {"success": 1, "data": None, "meta": []},
        {"success": 1, "meta": []},
    ],
    ids=["empty", "null", "no-data"],
)
async def test_an_empty_pupil_list_never_removes_anyone(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    answer: dict,
) -> None:
    """Two days of empty lists: both children and their entities stay."""
    await setup_entry(hass_london, parent_entry)
    fake.set_response("pupils", answer, times=None)
    for _ in range(4):
        await advance(hass_london, freezer, timedelta(hours=12))
    assert device_names(hass_london, parent_entry) == ["Ada Example", "Ben Example"]
    assert hass_london.states.get(BEN) is not None
    fake.clear_overrides()
    await advance(hass_london, freezer, timedelta(hours=12))
    assert hass_london.states.get(BEN).state != "unavailable"


async def test_one_child_missing_from_one_answer_stays(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One odd answer without Ben removes nothing; the next good one clears it."""
    await setup_entry(hass_london, parent_entry)
    fake.parent_children = [CHILD_IDS[0]]
    await advance(hass_london, freezer, timedelta(days=1))
    fake.parent_children = list(CHILD_IDS)
    await advance(hass_london, freezer, timedelta(hours=7))
    await advance(hass_london, freezer, timedelta(days=1))
    assert device_names(hass_london, parent_entry) == ["Ada Example", "Ben Example"]
    coordinator = parent_entry.runtime_data.coordinator
    assert coordinator.roster.missing == {}


async def test_excluding_a_child_removes_the_device_at_once(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """The options leave Ben out: his device goes at the reload."""
    await setup_entry(hass_london, parent_entry)
    hass_london.config_entries.async_update_entry(
        parent_entry, options={"excluded_pupils": [CHILD_IDS[1]]}
    )
    await hass_london.config_entries.async_reload(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    assert device_names(hass_london, parent_entry) == ["Ada Example"]


async def test_two_lists_six_hours_apart_remove_a_child(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Set up at 06:20, the list is re-read at 12:20 and 18:20 (six hours
    apart each): Ben, missing from both, leaves at 18:20, not a day later."""
    freezer.move_to(datetime(2026, 11, 24, 6, 20, tzinfo=LONDON))
    await setup_entry(hass_london, parent_entry)
    fake.remove_pupil(CHILD_IDS[1])
    lists: dict[str, list[str]] = {}
    for _ in range(12 * 60 + 5):  # to 18:25
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=1))
        if fake.api_requests("pupils"):
            clock = datetime.now(LONDON).strftime("%H:%M")
            lists[clock] = device_names(hass_london, parent_entry)
    assert lists == {
        "12:20": ["Ada Example", "Ben Example"],
        "18:20": ["Ada Example"],
    }
