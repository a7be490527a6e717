"""Values the README documents, pinned through what a user sees (issue 19).

Points add up scores, a negative point's score is negative, a lesson whose
room and teacher change fires both, failed polls back off from 5 minutes
again after a recovery, a Retry-After is honoured on a partial failure, a
hidden timetable means 08:00-16:00, one-line text has its whitespace
collapsed, homework is read from 4 weeks back, and an outage is caught up
for at most 7 days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import LONDON, NOW, TODAY, advance, only_points_until, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.integration.test_event import record

POINTS = "event.ada_example_behaviour_point"
CHANGE = "event.ada_example_timetable_change"
HOMEWORK = "event.ada_example_new_homework"
OVERDUE = "sensor.ada_example_overdue_homework"
FOREVER = 1_000_000


def number(hass: HomeAssistant, entity_id: str) -> int:
    state = hass.states.get(entity_id)
    assert state is not None
    return int(state.state)


async def poll_clocks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    fake: FakeClassCharts,
    minutes: int,
) -> list[str]:
    """The clock of each poll (a login) over the next ``minutes``."""
    polls = []
    for _ in range(minutes):
        fake.clear_requests()
        await advance(hass, freezer, timedelta(minutes=1))
        if any(r.path.endswith("/login") for r in fake.requests):
            polls.append(datetime.now(LONDON).strftime("%H:%M"))
    return polls


async def test_points_add_up_scores_not_items(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 2-point award adds 2 to positive and net points, today and this year;
    a -3 point takes 3 off the net."""
    await setup_entry(hass_london, student_entry)
    names = [
        f"sensor.ada_example_{kind}_points_{when}"
        for kind in ("positive", "negative", "net")
        for when in ("today", "this_school_year")
    ]
    before = {name: number(hass_london, name) for name in names}
    fake.add_behaviour_point(STUDENT_ID, score=2, timestamp=NOW + timedelta(minutes=1))
    fake.add_behaviour_point(
        STUDENT_ID,
        polarity="negative",
        score=-3,
        reason="Late",
        timestamp=NOW + timedelta(minutes=2),
    )
    await advance(hass_london, freezer, timedelta(minutes=10))
    change = {name: number(hass_london, name) - before[name] for name in names}
    assert change == {
        "sensor.ada_example_positive_points_today": 2,
        "sensor.ada_example_positive_points_this_school_year": 2,
        "sensor.ada_example_negative_points_today": 3,
        "sensor.ada_example_negative_points_this_school_year": 3,
        "sensor.ada_example_net_points_today": -1,
        "sensor.ada_example_net_points_this_school_year": -1,
    }


async def test_a_negative_points_score_is_negative(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The event of a -2 point says ``score: -2``; a positive 3 says 3."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, POINTS)
    fake.add_behaviour_point(
        STUDENT_ID,
        polarity="negative",
        score=-2,
        reason="Disruption",
        timestamp=NOW + timedelta(minutes=1),
    )
    fake.add_behaviour_point(STUDENT_ID, score=3, timestamp=NOW + timedelta(minutes=2))
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [(f["event_type"], f["score"]) for f in fired] == [
        ("negative", -2),
        ("positive", 3),
    ]


async def test_room_and_teacher_changing_together_fire_both(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Tomorrow's French in another room with another teacher: two events."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    fake.change_lesson(
        STUDENT_ID, date(2026, 11, 25), "9X/Fr1", room="L3", teacher="Ms C Cover"
    )
    freezer.move_to(datetime(2026, 11, 24, 12, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=2))
    assert [(f["event_type"], f["old"], f["new"]) for f in fired] == [
        ("room_changed", "L1", "L3"),
        ("teacher_changed", "Mme D Example", "Ms C Cover"),
    ]
    assert all(f["room"] == "L3" and f["teacher"] == "Ms C Cover" for f in fired)


async def test_back_off_starts_again_at_five_minutes_after_a_recovery(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An outage backs off 5, 10, 20 minutes; after a poll that works, the
    next failure waits 5 minutes again, not 40."""
    freezer.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    fake.fail_next(FOREVER, status=503)
    assert await poll_clocks(hass_london, freezer, fake, 26) == [
        "09:10",
        "09:15",
        "09:25",
    ]
    fake.clear_failures()  # the 09:45 poll works
    assert await poll_clocks(hass_london, freezer, fake, 20) == ["09:45"]
    fake.fail_next(FOREVER, status=503)
    assert await poll_clocks(hass_london, freezer, fake, 25) == [
        "09:55",
        "10:00",
        "10:10",
    ]


async def test_retry_after_of_a_partly_failed_poll_is_honoured(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At 12:00 the homework call alone answers 429 with Retry-After: 30 min.
    The rest of the poll counts, and the next poll waits until 12:30."""
    await setup_entry(hass_london, student_entry)  # 10:00
    assert await poll_clocks(hass_london, freezer, fake, 119)  # to 11:59
    fake.fail_next(FOREVER, status=429, retry_after=1800, path_contains="homeworks")
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(minutes=1))  # 12:00
    assert fake.api_requests("homeworks")
    assert fake.api_requests("activity")
    fake.clear_failures()
    assert (await poll_clocks(hass_london, freezer, fake, 40))[0] == "12:30"


async def test_hidden_timetable_school_hours_start_at_eight(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a timetable the assumed school day starts at 08:00: from then
    on a poll every 10 minutes (it ends at 16:00: test_polling)."""
    fake.pupils[STUDENT_ID].display["display_timetable"] = False
    freezer.move_to(datetime(2026, 11, 24, 6, 10, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    polls = await poll_clocks(hass_london, freezer, fake, 2 * 60 + 25)  # to 08:35
    assert [p for p in polls if p >= "07:30"] == ["08:00", "08:10", "08:20", "08:30"]


async def test_one_line_text_has_its_whitespace_collapsed(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A homework title with a ``<br>``, a line break and double spaces reads
    as one line in the event and in the homework list."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, HOMEWORK)
    fake.add_homework(
        STUDENT_ID,
        title="Read  chapter<br>three\n\n and   summarise ",
        due_date=date(2026, 11, 25),
    )
    freezer.move_to(datetime(2026, 11, 24, 11, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=2))
    assert [f["title"] for f in fired] == ["Read chapter three and summarise"]
    listed = hass_london.states.get("sensor.ada_example_homework_due_tomorrow")
    assert "Read chapter three and summarise" in [
        item["title"] for item in listed.attributes["homework"]
    ]


async def test_homework_is_read_from_four_weeks_back(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Overdue work due 28 days ago counts; work due 29 days ago is not read."""
    for days in (28, 29):
        fake.add_homework(
            STUDENT_ID,
            title=f"Due {days} days ago",
            due_date=TODAY - timedelta(days=days),
            issue_date=TODAY - timedelta(days=days + 7),
        )
    await setup_entry(hass_london, student_entry)
    titles = [
        item["title"] for item in hass_london.states.get(OVERDUE).attributes["homework"]
    ]
    assert "Due 28 days ago" in titles
    assert "Due 29 days ago" not in titles
    (request,) = fake.api_requests("homeworks")
    assert request.query["from"] == (TODAY - timedelta(days=28)).isoformat()


async def test_an_outage_is_caught_up_for_seven_days(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Off for ten days: the points of the last 7 days fire, older ones not."""
    only_points_until(fake, NOW)
    await setup_entry(hass_london, student_entry)
    assert await hass_london.config_entries.async_unload(student_entry.entry_id)
    back = NOW + timedelta(days=10)
    for days, reason in ((8, "Eight days ago"), (6, "Six days ago")):
        fake.add_behaviour_point(
            STUDENT_ID, reason=reason, timestamp=back - timedelta(days=days)
        )
    freezer.move_to(back)
    fired = record(hass_london, POINTS)
    fake.clear_requests()
    assert await hass_london.config_entries.async_setup(student_entry.entry_id)
    await hass_london.async_block_till_done()
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert [f["reason"] for f in fired] == ["Six days ago"]
    froms = {r.query.get("from") for r in fake.api_requests("activity")}
    assert (back - timedelta(days=7)).date().isoformat() in froms
