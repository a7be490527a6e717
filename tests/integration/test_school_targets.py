"""The "School targets" sensor: the school's custom fields, read once a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_bytes
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.school.datasets import KEEP_LAST_VALUE
from tests.conftest import advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

TARGETS = "sensor.ada_example_school_targets"
REWARDS = "sensor.ada_example_reward_balance"
RECORDER_ATTRIBUTES_MAX = 16384  # bytes of JSON the recorder keeps for a state
FOREVER = 100_000


def field(number: int, name: str, value: str) -> dict[str, object]:
    """A custom field as ClassCharts lists it."""
    return {"id": 77000 + number, "name": name, "graphic": "#000000", "value": value}


async def test_targets_count_and_list_name_and_value(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The state counts the fields; each name shows its value."""
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(TARGETS)
    assert state.state == "2"
    assert state.attributes["targets"] == {
        "Reading age": "13y 2m",
        "Target grade (Maths)": "6",
    }
    assert state.attributes["not_listed"] == 0


async def test_targets_are_plain_lines_within_the_recorder_limit(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """HTML decoded, whitespace collapsed, same names both kept, 20 listed, < 16 KB."""
    fields = [
        field(1, "<b>Reading&nbsp;age</b>", "  13y\n  2m "),
        field(2, "Effort", "Good"),
        field(3, "Effort", "Better"),
        field(4, "", "blank name"),
    ]
    fields += [
        field(10 + n, f"Target {n} " + "\U0001f3af" * 100, "\U0001f4da" * 300)
        for n in range(30)
    ]
    fake.pupils[STUDENT_ID].custom_fields = {"note": "", "fields": fields}
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(TARGETS)
    assert state.state == "34"
    targets = state.attributes["targets"]
    assert len(targets) == 20
    assert state.attributes["not_listed"] == 14
    assert targets["Reading age"] == "13y 2m"
    assert targets["Effort"] == "Good"
    assert targets["Effort (77003)"] == "Better"
    assert targets["(77004)"] == "blank name"
    assert all(len(name) <= 50 and len(value) <= 100 for name, value in targets.items())
    # As the recorder stores them (UTF-8 JSON).
    size = len(json_bytes(dict(state.attributes)))
    assert size < RECORDER_ATTRIBUTES_MAX


async def test_no_targets_sensor_where_the_school_hides_them(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """display_custom_fields off: no sensor and no request."""
    fake.pupils[STUDENT_ID].display["display_custom_fields"] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(TARGETS) is None
    assert hass_london.states.get("sensor.ada_example_unread_messages") is not None
    assert fake.api_requests("customfields") == []


async def test_targets_read_once_a_day(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At set-up, then not again that day; a new list is read the next morning."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    fake.pupils[STUDENT_ID].custom_fields = {
        "note": "",
        "fields": [field(1, "Reading age", "13y 5m")],
    }
    for _ in range(13):  # to 23:00
        await advance(hass_london, freezer, timedelta(hours=1))
    assert len(fake.api_requests("customfields")) == 1
    assert hass_london.states.get(TARGETS).state == "2"
    for _ in range(9):  # to Wednesday 08:00
        await advance(hass_london, freezer, timedelta(hours=1))
    assert len(fake.api_requests("customfields")) == 2
    assert hass_london.states.get(TARGETS).attributes["targets"] == {
        "Reading age": "13y 5m"
    }


async def test_failing_targets_keep_their_last_value_for_three_hours(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A failing read keeps the last list 3 hours, then the sensor is unavailable.

    Set-up (Tuesday 10:00) reads them; Wednesday's reads all fail.
    """
    await setup_entry(hass_london, student_entry)
    fake.fail_next(FOREVER, status=500, path_contains="customfields")
    seen: list[tuple[datetime, str]] = []
    for _ in range(30 * 2):  # to Wednesday 16:00, every 30 minutes
        await advance(hass_london, freezer, timedelta(minutes=30))
        seen.append((dt_util.now(), hass_london.states.get(TARGETS).state))
    first_failure = fake.api_requests("customfields")[1].time
    failing_since = datetime.fromtimestamp(first_failure, UTC)
    until = failing_since + KEEP_LAST_VALUE
    assert failing_since.date() == date(2026, 11, 25)  # Wednesday's first read
    assert sum(failing_since <= now < until for now, _ in seen) >= 5
    assert [state for now, state in seen if now < until] == ["2"] * sum(
        now < until for now, _ in seen
    )
    after = [state for now, state in seen if now >= until]
    assert after
    assert after == [STATE_UNAVAILABLE] * len(after)
    assert hass_london.states.get(REWARDS).state == "42"  # the rest stays


async def test_targets_unavailable_when_never_read(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A first read that fails shows no list: unavailable, not 0."""
    fake.fail_next(FOREVER, status=500, path_contains="customfields")
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(TARGETS).state == STATE_UNAVAILABLE
    assert hass_london.states.get(REWARDS).state == "42"


async def test_a_long_target_value_is_cut_at_100_characters(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A value of 100 characters shows whole; a longer one shows its first part,
    100 characters in all (the name is cut at 50 the same way)."""
    fields = [
        field(1, "Exactly", "v" * 100),
        field(2, "Longer", "w" * 101),
        field(3, "n" * 51, "short"),
    ]
    fake.pupils[STUDENT_ID].custom_fields = {"note": "", "fields": fields}
    await setup_entry(hass_london, student_entry)
    targets = hass_london.states.get(TARGETS).attributes["targets"]
    assert targets["Exactly"] == "v" * 100
    assert len(targets["Longer"]) == 100
    assert targets["Longer"].startswith("w" * 99)
    [long_name] = [name for name in targets if name.startswith("n")]
    assert len(long_name) == 50
