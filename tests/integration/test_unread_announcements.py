"""The "Unread announcements" sensor lists the unread titles, bounded for the recorder."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import JSONEncoder
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

UNREAD = "sensor.ada_example_unread_announcements"
RECORDER_ATTRIBUTES_MAX = 16384  # bytes of JSON the recorder keeps for a state


def announcement(number: int, title: str, teacher: str, day: int) -> dict[str, Any]:
    """An unread announcement as ClassCharts lists it."""
    return {
        "id": 880000 + number,
        "title": title,
        "description": "<p>Details</p>",
        "teacher_name": teacher,
        "state": None,
        "sticky": "no",
        "timestamp": f"2026-11-{day:02}T09:00:00+00:00",
        "attachments": [],
    }


async def test_unread_titles_are_listed_newest_first(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The count is of unread ones, and the list holds exactly those."""
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(UNREAD)
    assert state.state == "1"  # "Non-uniform day" was read already
    assert state.attributes["announcements"] == [
        {"title": "Trip consent", "date": "2026-11-23", "teacher": "Mr P Example"}
    ]
    assert state.attributes["not_listed"] == 0


async def test_many_long_titles_stay_within_the_recorder_limit(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """30 unread with long 4-byte titles: 10 listed, one line each, under 16 KB."""
    long_title = "Sports day<br>  \U0001f3c3" * 60
    fake.pupils[STUDENT_ID].announcements = [
        announcement(
            n, f"{n:02} {long_title}", "Mrs &amp; Mr " + "\U0001f4da" * 90, 1 + n % 20
        )
        for n in range(30)
    ]
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(UNREAD)
    assert state.state == "30"
    listed = state.attributes["announcements"]
    assert len(listed) == 10
    assert state.attributes["not_listed"] == 20
    assert [item["date"] for item in listed] == sorted(
        (item["date"] for item in listed), reverse=True
    )
    assert listed[0]["date"] == "2026-11-20"
    for item in listed:
        assert len(item["title"]) <= 120
        assert item["title"].endswith("…")
        assert "\n" not in item["title"]
        assert "  " not in item["title"]
        assert item["teacher"].startswith("Mrs & Mr ")
        assert len(item["teacher"]) <= 60
    size = len(json.dumps(dict(state.attributes), cls=JSONEncoder).encode())
    assert size < RECORDER_ATTRIBUTES_MAX


async def test_the_newest_is_the_latest_sent_whatever_its_id(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The sensor's title and date are the latest sent, though an older one
    (set up earlier, sent later) has the larger id."""
    fake.pupils[STUDENT_ID].announcements = [
        announcement(2, "Sent on the 10th", "Mr A Example", 10),
        announcement(1, "Sent on the 20th", "Mr B Example", 20),
    ]
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(UNREAD)
    assert state.attributes["title"] == "Sent on the 20th"
    assert state.attributes["date"] == "2026-11-20T09:00:00+00:00"


async def test_a_title_of_120_characters_is_listed_whole(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """120 characters show whole; 121 show 119 and an ellipsis (120 in all)."""
    fake.pupils[STUDENT_ID].announcements = [
        announcement(1, "a" * 120, "Mr A Example", 10),
        announcement(2, "b" * 121, "Mr B Example", 11),
    ]
    await setup_entry(hass_london, student_entry)
    titles = [
        a["title"] for a in hass_london.states.get(UNREAD).attributes["announcements"]
    ]
    assert titles == ["b" * 119 + "…", "a" * 120]
