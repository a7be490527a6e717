"""Event entities: each new item fires once, in order, across restarts and outages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import LONDON, NOW, advance, only_points_until, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts, FakeDetention
from tests.fake_server.models import FakeActivity

POINTS = "event.ada_example_behaviour_point"
HOMEWORK = "event.ada_example_new_homework"
DETENTION = "event.ada_example_detention"


def record(hass: HomeAssistant, entity_id: str) -> list[dict]:
    """Collect the attributes of every event the entity fires.

    An event entity's state is the time of its last event; a state restored
    after a reload repeats the last time and attributes, which is no event.
    """
    fired: list[dict] = []
    current = hass.states.get(entity_id)
    last: dict[str, object] = {
        "time": current.state if current else None,
        "attributes": dict(current.attributes) if current else None,
    }

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is None or new.state in (STATE_UNKNOWN, "unavailable"):
            return
        attributes = dict(new.attributes)
        if (new.state, attributes) != (last["time"], last["attributes"]):
            last["time"], last["attributes"] = new.state, attributes
            fired.append(attributes)

    async_track_state_change_event(hass, [entity_id], _changed)
    return fired


async def test_first_setup_fires_nothing(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Points, homework and detentions that already exist are not news."""
    await setup_entry(hass_london, student_entry)
    for entity_id in (POINTS, HOMEWORK, DETENTION, "event.ada_example_announcement"):
        assert hass_london.states.get(entity_id).state == STATE_UNKNOWN


async def test_new_point_fires_once_with_details(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new positive point fires one event within a poll, and never again."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, POINTS)
    fake.add_behaviour_point(
        STUDENT_ID,
        reason="Great answer",
        teacher="Dr L Example",
        lesson="9X/Sc1",
        timestamp=NOW + timedelta(minutes=2),
    )
    for _ in range(3):  # three polls, and the lesson bell in between
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fired) == 1
    assert fired[0]["event_type"] == "positive"
    assert fired[0]["reason"] == "Great answer"
    assert fired[0]["teacher"] == "Dr L Example"
    assert fired[0]["lesson"] == "9X/Sc1"
    assert fired[0]["score"] == 1
    assert fired[0]["time"] == "2026-11-24T10:02:00+00:00"


async def test_restart_does_not_repeat_but_delivers_missed(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After a restart, only the points given while Home Assistant was off fire."""
    await setup_entry(hass_london, student_entry)
    fake.add_behaviour_point(STUDENT_ID, timestamp=NOW + timedelta(minutes=2))
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get(POINTS).state != STATE_UNKNOWN

    assert await hass_london.config_entries.async_unload(student_entry.entry_id)
    fake.add_behaviour_point(
        STUDENT_ID,
        polarity="negative",
        reason="No homework",
        score=-1,
        timestamp=NOW + timedelta(minutes=15),
    )
    await advance(hass_london, freezer, timedelta(minutes=10))
    fired = record(hass_london, POINTS)
    assert await hass_london.config_entries.async_setup(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(f["event_type"], f["reason"]) for f in fired] == [
        ("negative", "No homework")
    ]


async def test_outage_then_recovery_delivers_each_point_once_in_order(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Points given during a two-hour outage arrive after it, oldest first."""
    only_points_until(fake, NOW)
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, POINTS)
    await fake.stop()
    for minutes, reason in ((20, "First"), (50, "Second"), (90, "Third")):
        fake.add_behaviour_point(
            STUDENT_ID, reason=reason, timestamp=NOW + timedelta(minutes=minutes)
        )
    for _ in range(12):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert fired == []
    await fake.start()
    for _ in range(4):
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert [f["reason"] for f in fired] == ["First", "Second", "Third"]


async def test_missed_points_from_yesterday_are_delivered(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An outage over midnight still delivers the late points of the day before."""
    only_points_until(fake, NOW)
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, POINTS)
    await fake.stop()
    fake.add_behaviour_point(
        STUDENT_ID, reason="After school club", timestamp=NOW + timedelta(hours=6)
    )
    await advance(hass_london, freezer, timedelta(hours=16))  # next morning
    await fake.start()
    await advance(hass_london, freezer, timedelta(minutes=30))
    await advance(hass_london, freezer, timedelta(hours=2))
    assert [f["reason"] for f in fired] == ["After school club"]


async def test_new_homework_and_detention_fire(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """New homework and a new detention each fire one event with their details."""
    await setup_entry(hass_london, student_entry)
    homework_fired = record(hass_london, HOMEWORK)
    detention_fired = record(hass_london, DETENTION)
    fake.add_homework(
        STUDENT_ID,
        title="Volcano model",
        subject="Geography",
        due_date=date(2026, 12, 1),
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
    for _ in range(13):  # homework and detentions are read every 2 hours in school
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(h["title"], h["subject"], h["due_date"]) for h in homework_fired] == [
        ("Volcano model", "Geography", "2026-12-01")
    ]
    assert [
        (d["date"], d["time"], d["location"], d["reason"]) for d in detention_fired
    ] == [("2026-11-27", "15:30", "Hall", "Phone in lesson")]


async def test_new_announcement_fires(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new announcement fires one event with its title, teacher and time."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_announcement")
    announcements = fake.pupils[STUDENT_ID].announcements
    announcements.append(
        {
            **announcements[0],
            "id": 990099,
            "title": "Sports day moved",
            "teacher_name": "Mr J Example",
            "state": None,
            "timestamp": "2026-11-24T10:05:00+00:00",
        }
    )
    for _ in range(19):  # announcements are read every 3 hours in school
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(a["title"], a["teacher"], a["time"]) for a in fired] == [
        ("Sports day moved", "Mr J Example", "2026-11-24T10:05:00+00:00")
    ]


async def test_old_homework_entering_the_window_is_not_news(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Homework set before set-up, due far ahead, never fires as new."""
    fake.add_homework(
        STUDENT_ID,
        title="Long project",
        issue_date=date(2026, 11, 19),
        due_date=date(2027, 3, 1),
    )
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_new_homework")
    freezer.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(hours=3))
    assert fired == []


def badge_award(timestamp: str, reason: str) -> dict:
    """One ``pupil_badges`` entry as ClassCharts sends it."""
    return {
        "pupil_event": {
            "timestamp": timestamp,
            "lesson_pupil_behaviour": {
                "reason": reason,
                "score": 1,
                "polarity": "positive",
                "timestamp": timestamp,
            },
            "event": {"label": "badge"},
        }
    }


async def test_badge_earned_fires_once_each_award(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Badges read at the day's first poll and at 18:00: each new award fires once."""
    await setup_entry(hass_london, student_entry)
    count = "sensor.ada_example_badges"
    assert hass_london.states.get(count).state == "1"  # the seeded award: no event
    assert hass_london.states.get("event.ada_example_badge_earned").state == (
        STATE_UNKNOWN
    )
    fired = record(hass_london, "event.ada_example_badge_earned")
    badges = fake.pupils[STUDENT_ID].badges
    badges[0]["pupil_badges"].append(
        badge_award("2026-11-24T11:02:00+00:00", "Reading")
    )
    badges.append(
        {
            "id": 31002,
            "name": "Helping Hand",
            "pupil_badges": [badge_award("2026-11-24T12:30:00+00:00", "Helpful")],
        }
    )
    freezer.move_to(datetime(2026, 11, 24, 17, 58, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=1))  # a poll at 17:59
    assert fired == []
    await advance(hass_london, freezer, timedelta(hours=2, minutes=1))
    assert [(f["badge"], f["reason"], f["time"]) for f in fired] == [
        ("Star Reader", "Reading", "2026-11-24T11:02:00+00:00"),
        ("Helping Hand", "Helpful", "2026-11-24T12:30:00+00:00"),
    ]
    assert hass_london.states.get(count).state == "3"
    for _ in range(4):  # the next day's reads repeat nothing
        await advance(hass_london, freezer, timedelta(hours=6))
    assert len(fired) == 2


@pytest.mark.parametrize(
    ("kind", "polarity", "reason"),
    [
        ("detention", "negative", "Detention set"),
        # A neutral behaviour item is neither a positive nor a negative point.
        ("behaviour", "blank", "Message home"),
    ],
    ids=["detention_notice", "blank_behaviour"],
)
async def test_other_activity_is_not_a_behaviour_point(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    kind: str,
    polarity: str,
    reason: str,
) -> None:
    """A detention notice or a neutral item in the activity feed fires no
    behaviour point event and adds no points; the point given after it does."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, POINTS)
    today = "sensor.ada_example_negative_points_today"
    negative = hass_london.states.get(today).state
    notice = NOW.replace(tzinfo=None) + timedelta(minutes=2)
    fake.pupils[STUDENT_ID].activity.append(
        FakeActivity(90000901, notice, polarity, reason, 0, kind)
    )
    fake.add_behaviour_point(
        STUDENT_ID, reason="Great answer", timestamp=NOW + timedelta(minutes=3)
    )
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(f["event_type"], f["reason"]) for f in fired] == [
        ("positive", "Great answer")
    ]
    assert hass_london.states.get(today).state == negative


async def test_two_items_of_one_poll_change_the_state_twice(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two homeworks found by one poll (the clock standing still) give two event
    times, a millisecond apart: a trigger on the state sees both."""
    await setup_entry(hass_london, student_entry)
    times: list[str] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if new is not None and (old is None or old.state != new.state):
            times.append(new.state)

    async_track_state_change_event(hass_london, [HOMEWORK], _changed)
    for title in ("Volcano model", "River study"):
        fake.add_homework(STUDENT_ID, title=title, due_date=date(2026, 12, 1))
    for _ in range(13):  # homework is read every 2 hours in school
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(times) == 2
    first, second = (datetime.fromisoformat(t) for t in times)
    assert second - first >= timedelta(milliseconds=1)


async def test_announcements_of_one_poll_fire_in_the_order_sent(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two announcements found by one poll fire oldest first by when they were
    sent, even when the later one has the smaller id (drafted first)."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_announcement")
    announcements = fake.pupils[STUDENT_ID].announcements
    for number, title, sent in (
        (990098, "Sent second", "2026-11-24T10:06:00+00:00"),
        (990099, "Sent first", "2026-11-24T10:05:00+00:00"),
    ):
        announcements.append(
            {
                **announcements[0],
                "id": number,
                "title": title,
                "state": None,
                "timestamp": sent,
            }
        )
    for _ in range(19):  # announcements are read every 3 hours in school
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert [a["title"] for a in fired] == ["Sent first", "Sent second"]


async def test_a_point_of_last_evening_fires_after_a_night_switched_off(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Home Assistant off from Tuesday morning to Wednesday morning, ClassCharts
    up: the point given on Tuesday evening fires at the restart (the read
    reaches back to the newest point announced, not only to midnight)."""
    only_points_until(fake, NOW)
    await setup_entry(hass_london, student_entry)
    fake.add_behaviour_point(
        STUDENT_ID, reason="Morning", timestamp=NOW + timedelta(minutes=5)
    )
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert await hass_london.config_entries.async_unload(student_entry.entry_id)
    fake.add_behaviour_point(
        STUDENT_ID, reason="Evening club", timestamp=NOW + timedelta(hours=7)
    )
    await advance(hass_london, freezer, timedelta(hours=23))  # Wednesday 09:10
    fired = record(hass_london, POINTS)
    assert await hass_london.config_entries.async_setup(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [f["reason"] for f in fired] == ["Evening club"]
