"""The badges sensor and "Badge earned": what is earned is listed and counted."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import LONDON, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.integration.test_event import badge_award, record

BADGES = "sensor.ada_example_badges"
EARNED = "event.ada_example_badge_earned"


def badge(badge_id: int, name: str, *awards: dict[str, Any]) -> dict[str, Any]:
    """A badge as ClassCharts lists it; without awards it is not earned."""
    return {"id": badge_id, "name": name, "pupil_badges": list(awards)}


def bare_award(timestamp: str, reason: str) -> dict[str, Any]:
    """An award with the event's fields on itself, no ``pupil_event`` wrapper."""
    wrapped: dict[str, Any] = badge_award(timestamp, reason)["pupil_event"]
    return wrapped


async def test_earned_badges_are_listed_among_many_unearned(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """22 unearned badges sort first; the 3 earned ones are still the list."""
    stamp = "2026-11-20T10:00:00+00:00"
    fake.pupils[STUDENT_ID].badges = [
        *(badge(40000 + n, f"Attendance {n:02}") for n in range(22)),
        *(
            badge(41000 + n, f"Zest {n}", badge_award(stamp, "Effort"))
            for n in range(3)
        ),
    ]
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(BADGES)
    assert state.state == "3"
    assert state.attributes["badges"] == [
        {"name": f"Zest {n}", "times_awarded": 1} for n in range(3)
    ]
    assert state.attributes["not_listed"] == 0


async def test_more_than_twenty_earned_are_cut_and_counted(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """25 earned badges: 20 listed (by name), 5 counted as not listed."""
    stamp = "2026-11-20T10:00:00+00:00"
    fake.pupils[STUDENT_ID].badges = [
        badge(42000 + n, f"Badge {n:02}", badge_award(stamp, "Effort"))
        for n in range(25)
    ]
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(BADGES)
    assert state.state == "25"
    assert [b["name"] for b in state.attributes["badges"]] == [
        f"Badge {n:02}" for n in range(20)
    ]
    assert state.attributes["not_listed"] == 5


async def test_awards_without_the_pupil_event_wrapper_are_read(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Both shapes of an award count, and a new bare award fires once at 18:00."""
    badges = fake.pupils[STUDENT_ID].badges
    badges.append(
        badge(31002, "Helping Hand", bare_award("2026-11-20T12:30:00+00:00", "Helpful"))
    )
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(BADGES).state == "2"  # wrapped + bare
    fired = record(hass_london, EARNED)
    badges[1]["pupil_badges"].append(bare_award("2026-11-24T11:00:00+00:00", "Kind"))
    freezer.move_to(datetime(2026, 11, 24, 17, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(hours=1, minutes=2))
    assert [(f["badge"], f["reason"], f["time"]) for f in fired] == [
        ("Helping Hand", "Kind", "2026-11-24T11:00:00+00:00")
    ]
    state = hass_london.states.get(BADGES)
    assert state.state == "3"
    assert state.attributes["badges"] == [
        {"name": "Helping Hand", "times_awarded": 2},
        {"name": "Star Reader", "times_awarded": 1},
    ]


async def test_the_count_reads_as_english(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A plain count ("Badges 1", "Badges 0"), never "1 badges"."""
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(BADGES)
    assert state.state == "1"
    assert ATTR_UNIT_OF_MEASUREMENT not in state.attributes


async def test_a_badge_of_the_day_is_read_again_after_six_in_the_evening(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Badges are read at the day's first poll and again at the first poll after
    18:00: an award given at 11:00 fires then (18:40 here: after school a poll
    every 2 hours, from 16:40), not at 20:40."""
    badges = fake.pupils[STUDENT_ID].badges
    badges.append(badge(31002, "Helping Hand"))
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, EARNED)
    badges[1]["pupil_badges"].append(bare_award("2026-11-24T11:00:00+00:00", "Kind"))
    seen: dict[str, int] = {}
    freezer.move_to(datetime(2026, 11, 24, 16, 30, tzinfo=LONDON))
    while datetime.now(LONDON) < datetime(2026, 11, 24, 19, 0, tzinfo=LONDON):
        await advance(hass_london, freezer, timedelta(minutes=10))
        seen[datetime.now(LONDON).strftime("%H:%M")] = len(fired)
    assert {moment: count for moment, count in seen.items() if count} == {
        "18:40": 1,
        "18:50": 1,
        "19:00": 1,
    }
