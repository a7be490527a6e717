"""The data-returning actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import DOMAIN
from tests.conftest import LONDON, NOW, find_device, setup_entry
from tests.fake_server import CHILD_IDS, FakeClassCharts


def device_of(hass: HomeAssistant, entry: MockConfigEntry, pupil_id: int) -> str:
    """The device id of a pupil."""
    device = find_device(hass, f"{entry.unique_id}_{pupil_id}")
    assert device is not None
    return device.id


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    """Call an action and return its response."""
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


async def test_get_timetable(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A week of Ben's lessons, from the shared timetable cache."""
    await setup_entry(hass_london, parent_entry)
    ben = device_of(hass_london, parent_entry, CHILD_IDS[1])
    fake.clear_requests()
    result = await call(
        hass_london,
        "get_timetable",
        pupil=ben,
        start_date="2026-11-24",
        end_date="2026-11-30",
    )
    days = sorted({lesson["date"] for lesson in result["lessons"]})
    assert days == [
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
        "2026-11-30",
    ]
    assert result["lessons"][0]["start"] == "2026-11-24T08:45:00+00:00"
    assert {"subject", "teacher", "room", "period", "class"} <= result["lessons"][
        0
    ].keys()
    # The coordinator already had these days: no request was needed.
    assert fake.api_requests("timetable") == []


async def test_get_homework(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Outstanding homework by default; completed on request."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    window = {"start_date": "2026-11-01", "end_date": "2026-11-30"}
    outstanding = await call(hass_london, "get_homework", pupil=ada, **window)
    titles = [h["title"] for h in outstanding["homework"]]
    assert "Algebra starter" in titles
    assert "Reading log" not in titles
    everything = await call(
        hass_london, "get_homework", pupil=ada, include_completed=True, **window
    )
    assert "Reading log" in [h["title"] for h in everything["homework"]]
    assert all("<" not in h["description"] for h in everything["homework"])


async def test_get_behaviour(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The points of a range, oldest first, with the range's totals."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    yesterday_and_today = await call(
        hass_london,
        "get_behaviour",
        pupil=ada,
        start_date="2026-11-23",
        end_date="2026-11-24",
    )
    expected = [
        (p.timestamp.replace(tzinfo=LONDON).isoformat(), p.polarity, p.score)
        for p in sorted(fake.pupils[4821907].activity, key=lambda p: p.timestamp)
        if p.type == "behaviour"
        and date(2026, 11, 23) <= p.timestamp.date() <= date(2026, 11, 24)
        and p.timestamp <= NOW.replace(tzinfo=None)
    ]
    assert expected  # the seeded data has points on both days
    got = [
        (p["time"], p["polarity"], p["score"]) for p in yesterday_and_today["points"]
    ]
    assert got == expected
    assert yesterday_and_today["points_complete"] is True
    assert yesterday_and_today["positive"] == sum(
        s for _, pol, s in expected if pol == "positive"
    )
    assert yesterday_and_today["negative"] == sum(
        abs(s) for _, pol, s in expected if pol == "negative"
    )
    whole_year = await call(hass_london, "get_behaviour", pupil=ada)
    assert whole_year["positive"] == int(
        hass_london.states.get(
            "sensor.ada_example_positive_points_this_school_year"
        ).state
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start_date": "2026-11-30", "end_date": "2026-11-01"}, "before the start"),
        ({"start_date": "2026-01-01", "end_date": "2026-11-30"}, "at most 31 days"),
    ],
)
async def test_invalid_ranges_are_refused(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    data: dict[str, str],
    message: str,
) -> None:
    """Bad ranges get a translated error and send nothing."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    fake.clear_requests()
    with pytest.raises(ServiceValidationError, match=message):
        await call(hass_london, "get_timetable", pupil=ada, **data)
    assert fake.requests == []


async def test_unknown_pupil_is_refused(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A device that is not a pupil gets a translated error."""
    await setup_entry(hass_london, student_entry)
    with pytest.raises(ServiceValidationError, match="is not a pupil"):
        await call(hass_london, "get_homework", pupil="not-a-device")


async def test_unloaded_account_is_refused(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A pupil whose account is not loaded gets a translated error."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    await hass_london.config_entries.async_unload(student_entry.entry_id)
    with pytest.raises(ServiceValidationError, match="not loaded"):
        await call(hass_london, "get_homework", pupil=ada)


async def test_server_fault_is_a_clear_error(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A failing call raises the translated connection error."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    fake.fail_next(count=1, status=502, path_contains="homeworks")
    with pytest.raises(HomeAssistantError, match="Could not reach ClassCharts"):
        await call(hass_london, "get_homework", pupil=ada)


async def test_get_behaviour_says_when_the_points_are_cut(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More points than one call lists: the totals stay whole, the list says so."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    # 20 pages hold 40 of the year's ~120 points (the client stops on a short page).
    fake.activity_page_size = 2
    monkeypatch.setattr(
        "custom_components.classcharts_hass.client.activity_calls.ACTIVITY_PAGE_SIZE", 2
    )
    result = await call(hass_london, "get_behaviour", pupil=ada)
    assert result["points_complete"] is False
    assert 0 < len(result["points"]) <= 40  # notices in the feed are not points
    assert result["positive"] + result["negative"] > 40


@pytest.mark.parametrize(
    ("service", "longest", "days"),
    [
        ("get_timetable", ("2026-11-01", "2026-12-01"), 31),
        ("get_homework", ("2026-09-01", "2026-12-01"), 92),
        ("get_behaviour", ("2025-12-01", "2026-12-01"), 366),
    ],
)
async def test_each_action_takes_its_longest_range_and_no_more(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    service: str,
    longest: tuple[str, str],
    days: int,
) -> None:
    """A month of timetable, a term of homework, a year of behaviour: the last
    day included; one day more is refused before anything is sent."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    start, end = longest
    await call(hass_london, service, pupil=ada, start_date=start, end_date=end)
    one_more = date.fromisoformat(end).replace(day=2).isoformat()
    fake.clear_requests()
    with pytest.raises(ServiceValidationError, match=f"at most {days} days"):
        await call(hass_london, service, pupil=ada, start_date=start, end_date=one_more)
    assert fake.requests == []


async def test_get_timetable_defaults_to_a_week_from_today(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Without dates: today and the six days after (Tuesday to Monday)."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, 4821907)
    result = await call(hass_london, "get_timetable", pupil=ada)
    days = sorted({lesson["date"] for lesson in result["lessons"]})
    assert days == [
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
        "2026-11-30",
    ]
