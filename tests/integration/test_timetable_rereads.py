"""Timetable re-reads that one odd answer cannot rewrite (issue 19).

Each test changes what the fake answers for one day's timetable (a control
in ``timetable_script`` below) and asserts what a user sees: the lesson
sensors, the "Timetable change" events fired and not fired, and the polls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.classcharts_hass.client import ClassChartsConnectionError
from tests.conftest import (
    LONDON,
    advance,
    hold_first_answer,
    setup_entry,
)
from tests.fake_server import STUDENT_ID, FakeClassCharts, handlers, school
from tests.integration.test_event import record
from tests.integration.test_services import call, device_of

CHANGE = "event.ada_example_timetable_change"
CURRENT = "sensor.ada_example_current_lesson"
NEXT = "sensor.ada_example_next_lesson"
DAY_END = "sensor.ada_example_school_day_end"
DAY_START = "sensor.ada_example_school_day_start"
TOMORROW = "binary_sensor.ada_example_school_tomorrow"
TUESDAY = date(2026, 11, 24)
WEDNESDAY = date(2026, 11, 25)
FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)

type Answer = Callable[[dict[str, Any]], dict[str, Any]]


class TimetableScript:
    """Odd answers of the fake's timetable endpoint, per day.

    ``once`` replaces the next answers for a day (one per read, in order);
    ``failing`` days answer with an error on every read.
    """

    def __init__(self) -> None:
        self.queued: dict[date, list[Answer]] = {}
        self.always: dict[date, Answer] = {}
        self.failing: set[date] = set()

    def once(self, day: date, answer: Answer) -> None:
        self.queued.setdefault(day, []).append(answer)

    def handler(
        self, pupil: Any, query: dict[str, str], ctx: handlers.Ctx
    ) -> dict[str, Any]:
        body = handlers.timetable(pupil, query, ctx)
        day = handlers.parse_date(query, "date", ctx.today)
        assert day is not None
        if day in self.failing:
            return handlers.error("Something went wrong")
        if self.queued.get(day):
            return self.queued[day].pop(0)(body)
        if day in self.always:
            return self.always[day](body)
        return body


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> TimetableScript:
    """The fake's timetable endpoint, answering through a script."""
    answers = TimetableScript()
    monkeypatch.setitem(school.PUPIL_ENDPOINTS, "timetable", answers.handler)
    return answers


def empty(body: dict[str, Any]) -> dict[str, Any]:
    """The day answered without any lesson."""
    return {**body, "data": []}


def next_week(body: dict[str, Any]) -> dict[str, Any]:
    """The day answered with the lessons of the same weekday a week later."""
    lessons = []
    for lesson in body["data"]:
        moved = dict(lesson)
        for key in ("start_time", "end_time"):
            moved[key] = (
                datetime.fromisoformat(lesson[key]) + timedelta(days=7)
            ).isoformat()
        moved["date"] = (
            date.fromisoformat(lesson["date"]) + timedelta(days=7)
        ).isoformat()
        lessons.append(moved)
    return {**body, "data": lessons}


def keep_first(count: int) -> Answer:
    """The day answered with only its first ``count`` lessons."""
    return lambda body: {**body, "data": body["data"][:count]}


def unreadable(subject: str) -> Answer:
    """The day answered with one lesson whose start cannot be read."""

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        return {
            **body,
            "data": [
                {**lesson, "start_time": None}
                if lesson["subject_name"] == subject
                else lesson
                for lesson in body["data"]
            ],
        }

    return answer


def kinds(fired: list[dict[str, Any]]) -> list[str]:
    return [f["event_type"] for f in fired]


async def run_until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, clock: str
) -> None:
    """Advance in 10-minute steps (the school polls) to ``clock`` today."""
    hour, minute = map(int, clock.split(":"))
    target = datetime.now(LONDON).replace(hour=hour, minute=minute, second=0)
    while datetime.now(LONDON) < target:
        await advance(hass, freezer, timedelta(minutes=10))


async def to_wednesday_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Through Tuesday's polls to Wednesday 00:30, before that day's first poll
    (before 06:00) reads the week."""
    await run_until(hass, freezer, "23:50")
    await advance(hass, freezer, timedelta(minutes=40))


def state(hass: HomeAssistant, entity_id: str) -> str:
    current = hass.states.get(entity_id)
    assert current is not None
    return current.state


@pytest.mark.parametrize(
    "answer",
    [empty, next_week, keep_first(2)],
    ids=["empty", "next_week", "two_of_six"],
)
async def test_one_reread_that_loses_the_day_is_not_believed(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    script: TimetableScript,
    answer: Answer,
) -> None:
    """The 13:00 re-read of today answers no lessons (or next week's, or two
    of six) once: nothing is cancelled, the lesson sensors and the polls go on
    as the day really is."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    fired = record(hass_london, CHANGE)
    script.once(TUESDAY, answer)
    await run_until(hass_london, freezer, "13:00")
    assert fired == []
    fake.clear_requests()
    await run_until(hass_london, freezer, "13:10")
    assert state(hass_london, CURRENT) == "Geography"  # 13:05-14:05
    assert state(hass_london, DAY_END) == "2026-11-24T14:05:00+00:00"
    await run_until(hass_london, freezer, "14:30")
    logins = [r for r in fake.requests if r.path.endswith("/login")]
    assert len(logins) >= 7  # 13:10 to 14:20: still polled every 10 minutes
    await run_until(hass_london, freezer, "19:00")
    assert fired == []


async def test_a_day_that_really_closes_is_announced_one_read_later(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    script: TimetableScript,
) -> None:
    """A snow day: from 13:00 today answers no lessons. The read at 13:00 is
    not believed yet; a second read minutes later confirms it, and each lesson
    fires "cancelled" once."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    script.always[TUESDAY] = empty
    await run_until(hass_london, freezer, "13:00")
    assert fired == []
    assert state(hass_london, NEXT) == "Geography"
    await run_until(hass_london, freezer, "13:30")
    assert kinds(fired) == ["cancelled"] * 6
    assert state(hass_london, DAY_END) == STATE_UNKNOWN
    assert state(hass_london, CURRENT) == STATE_UNKNOWN
    await run_until(hass_london, freezer, "23:50")
    assert len(fired) == 6


async def test_one_cancelled_lesson_fires_at_once(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Losing one lesson of six is an ordinary change: no second read waits."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    fake.change_lesson(STUDENT_ID, TUESDAY, "9X/Gg1", cancelled=True)
    await run_until(hass_london, freezer, "13:00")
    assert [(f["event_type"], f["lesson"]) for f in fired] == [
        ("cancelled", "Geography")
    ]
    assert state(hass_london, DAY_END) == "2026-11-24T12:20:00+00:00"


async def test_an_unreadable_lesson_is_not_a_cancellation(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    script: TimetableScript,
) -> None:
    """At 13:00 Geography answers ``start_time: null`` once: nothing fires
    (neither then nor "added" at the next read) and the day stays as it was."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    script.once(TUESDAY, unreadable("Geography"))
    await run_until(hass_london, freezer, "13:00")
    assert state(hass_london, NEXT) == "Geography"
    assert state(hass_london, DAY_END) == "2026-11-24T14:05:00+00:00"
    await run_until(hass_london, freezer, "23:50")
    assert fired == []


async def test_a_failing_day_takes_down_only_what_shows_it(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    script: TimetableScript,
) -> None:
    """Friday: Monday's read keeps failing. Three and more hours later the
    entities that show today and tomorrow are right; only the next school day
    (Monday, unknown) is unavailable."""
    script.failing.add(MONDAY)
    freezer.move_to(datetime(2026, 11, 27, 8, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    await run_until(hass_london, freezer, "13:30")  # P4 Science 13:05-14:05
    assert state(hass_london, CURRENT) == "Science"
    assert state(hass_london, NEXT) == "Physical Education"
    assert state(hass_london, DAY_START) == "2026-11-27T08:45:00+00:00"
    assert state(hass_london, TOMORROW) == "off"  # Saturday
    assert state(hass_london, "sensor.ada_example_next_school_day") == (
        STATE_UNAVAILABLE
    )
    # Between checkpoints each poll reads Monday again, and only Monday.
    fake.clear_requests()
    await run_until(hass_london, freezer, "13:50")
    read = [r.query["date"] for r in fake.api_requests("timetable")]
    assert read == [MONDAY.isoformat()] * 2


async def test_a_moved_lesson_fires_one_time_change(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Tomorrow's French moves 10 minutes later, and a bell change moves
    every lesson of today: one ``time_changed`` per lesson, old and new start."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    pupil = fake.pupils[STUDENT_ID]
    pupil.lesson_changes[WEDNESDAY, "9X/Fr1"] = {
        "start_time": "2026-11-25T08:55:00+00:00",
        "end_time": "2026-11-25T09:55:00+00:00",
    }
    await run_until(hass_london, freezer, "13:00")
    assert [(f["event_type"], f["lesson"], f["old"], f["new"]) for f in fired] == [
        (
            "time_changed",
            "French",
            "2026-11-25T08:45:00+00:00",
            "2026-11-25T08:55:00+00:00",
        )
    ]
    assert fired[0]["start"] == "2026-11-25T08:55:00+00:00"
    assert fired[0]["end"] == "2026-11-25T09:55:00+00:00"
    # A bell change: every lesson of Wednesday five minutes later.
    for lesson in handlers.timetable(
        pupil, {"date": WEDNESDAY.isoformat()}, fake._ctx()
    )["data"]:
        pupil.lesson_changes[WEDNESDAY, lesson["lesson_name"]] = {
            key: (
                datetime.fromisoformat(lesson[key]) + timedelta(minutes=5)
            ).isoformat()
            for key in ("start_time", "end_time")
        }
    fired.clear()
    await run_until(hass_london, freezer, "18:30")
    assert kinds(fired) == ["time_changed"] * 6
    assert fired[0]["new"] == "2026-11-25T09:00:00+00:00"  # French, 08:55 before


async def test_the_morning_reads_changes_before_half_past_seven(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A school morning is polled every 2 hours from 06:00 and today's
    timetable is read again after 07:00: a cover teacher set at 06:30 shows
    by 07:30."""
    freezer.move_to(datetime(2026, 11, 23, 21, 30, tzinfo=LONDON))  # Monday
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    polls: list[str] = []
    reads: list[str] = []
    while datetime.now(LONDON) < datetime(2026, 11, 24, 8, 30, tzinfo=LONDON):
        if datetime.now(LONDON) == datetime(2026, 11, 24, 6, 30, tzinfo=LONDON):
            fake.change_lesson(STUDENT_ID, TUESDAY, "9X/Ma2", teacher="Ms C Cover")
        fake.clear_requests()
        await advance(hass_london, freezer, timedelta(minutes=1))
        clock = datetime.now(LONDON).strftime("%H:%M")
        if any(r.path.endswith("/login") for r in fake.requests):
            polls.append(clock)
        if any(
            r.query.get("date") == "2026-11-24" for r in fake.api_requests("timetable")
        ):
            reads.append(clock)
        if clock == "07:30":
            assert [(f["event_type"], f["new"]) for f in fired] == [
                ("teacher_changed", "Ms C Cover")
            ]
    morning = [p for p in polls if "05:00" <= p < "08:30"]
    assert "06:00" in morning
    assert any("07:00" <= r <= "07:30" for r in reads)


async def test_a_day_that_loses_exactly_half_its_lessons_fires_at_once(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    script: TimetableScript,
) -> None:
    """Only a day that loses more than half its lessons waits for a second read:
    three of six cancelled at the 13:00 re-read fire "cancelled" three times."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    fired = record(hass_london, CHANGE)
    script.always[TUESDAY] = keep_first(3)
    await run_until(hass_london, freezer, "13:00")
    assert kinds(fired) == ["cancelled"] * 3


@pytest.mark.parametrize(
    ("moved", "extra", "expected"),
    [
        # Two lessons of one period and class both move: which went where is
        # not clear, so each is one cancelled and one added.
        (2, False, ["added", "added", "cancelled", "cancelled"]),
        # One moves and another of its slot appears: nothing pairs either.
        (1, True, ["added", "added", "cancelled"]),
    ],
    ids=["two_moved", "one_moved_one_added"],
)
async def test_a_slot_that_is_not_one_for_one_fires_no_time_change(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    moved: int,
    extra: bool,
    expected: list[str],
) -> None:
    """Only a slot that lost exactly one lesson and gained exactly one is a
    ``time_changed``; any other count stays cancelled and added."""
    for hour in (16, 17):  # two after-school sessions of one class and period
        start = datetime(2026, 11, 25, hour, 0, tzinfo=LONDON)
        fake.add_lesson(
            STUDENT_ID,
            WEDNESDAY,
            subject="Robotics",
            lesson_name="9X/Rb1",
            start=start,
            end=start + timedelta(minutes=45),
        )
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    added = fake.pupils[STUDENT_ID].added_lessons[WEDNESDAY]
    for lesson in added[:moved]:
        for key in ("start_time", "end_time"):
            later = datetime.fromisoformat(lesson[key]) + timedelta(minutes=10)
            lesson[key] = later.isoformat()
    if extra:
        added.append({**added[0], "start_time": "2026-11-25T18:00:00+00:00"})
        added[-1]["end_time"] = "2026-11-25T18:45:00+00:00"
    await run_until(hass_london, freezer, "13:00")
    assert sorted(kinds(fired)) == expected
    assert {f["lesson"] for f in fired} == {"Robotics"}


async def test_a_day_that_loses_its_lessons_is_read_again_five_minutes_later(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    script: TimetableScript,
) -> None:
    """The read at 13:00 that loses the day is confirmed at 13:05, not at the
    next 10-minute poll: the cancellations fire then."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, CHANGE)
    script.always[TUESDAY] = empty
    await run_until(hass_london, freezer, "13:00")
    assert fired == []
    seen: dict[str, int] = {}
    for _ in range(10):
        await advance(hass_london, freezer, timedelta(minutes=1))
        seen[datetime.now(LONDON).strftime("%H:%M")] = len(fired)
    assert next(moment for moment, count in seen.items() if count) == "13:05"
    assert seen["13:05"] == 6


async def test_a_read_answered_late_does_not_replace_a_later_one(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An action reads next Tuesday just before the morning poll reads the week;
    ClassCharts moves a lesson in between and the action's answer arrives
    last. The day keeps what the poll read, not the older answer."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    pupil = device_of(hass_london, student_entry, STUDENT_ID)
    coordinator = student_entry.runtime_data.coordinator
    known = coordinator.roster.states[STUDENT_ID].known_lessons
    next_tuesday = {"start_date": "2026-12-01", "end_date": "2026-12-01"}
    await to_wednesday_night(hass_london, freezer)
    assert date(2026, 12, 1) not in known()
    # The action's read, before the move, is handed over after the poll's read.
    held = hold_first_answer(monkeypatch, coordinator.client, "get_timetable")
    action = asyncio.ensure_future(
        call(hass_london, "get_timetable", pupil=pupil, **next_tuesday)
    )
    await held.read.wait()
    fake.change_lesson(STUDENT_ID, date(2026, 12, 1), "9X/Ma2", room="M9")
    # The day's first poll (before 06:00) reads the week, Tuesday included.
    await advance(hass_london, freezer, timedelta(hours=5, minutes=30))
    assert date(2026, 12, 1) in known()
    held.release.set()
    await action
    fake.clear_requests()
    again = await call(hass_london, "get_timetable", pupil=pupil, **next_tuesday)
    assert fake.api_requests("timetable") == []  # from the cache
    rooms = {lesson["class"]: lesson["room"] for lesson in again["lessons"]}
    assert rooms["9X/Ma2"] == "M9"


async def test_a_day_read_first_by_an_action_is_not_lost_to_a_later_failed_read(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An action reads next Tuesday, never read before; the morning poll's read
    of that day begins later and fails first. The action's answer is the day
    as ClassCharts gave it, not a day without lessons."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    pupil = device_of(hass_london, student_entry, STUDENT_ID)
    coordinator = student_entry.runtime_data.coordinator
    known = coordinator.roster.states[STUDENT_ID].known_lessons
    client = coordinator.client
    original = client.get_timetable
    next_tuesday = date(2026, 12, 1)

    async def poll_fails_that_day(pupil_id: int, day: date) -> Any:
        if day == next_tuesday:
            raise ClassChartsConnectionError("no answer")
        return await original(pupil_id, day)

    await to_wednesday_night(hass_london, freezer)
    assert next_tuesday not in known()
    # The action's read answers, and is handed over after the poll's.
    held = hold_first_answer(monkeypatch, client, "get_timetable")
    action = asyncio.ensure_future(
        call(
            hass_london,
            "get_timetable",
            pupil=pupil,
            start_date=next_tuesday.isoformat(),
            end_date=next_tuesday.isoformat(),
        )
    )
    await held.read.wait()
    monkeypatch.setattr(client, "get_timetable", poll_fails_that_day)
    # The day's first poll (before 06:00) reads the week, Tuesday included.
    await advance(hass_london, freezer, timedelta(hours=5, minutes=30))
    assert next_tuesday not in known()
    monkeypatch.setattr(client, "get_timetable", original)
    held.release.set()
    answer = await action
    lessons = [(lesson["class"], lesson["room"]) for lesson in answer["lessons"]]
    expected = [
        (lesson.name, lesson.room)
        for lesson in await original(STUDENT_ID, next_tuesday)
    ]
    assert expected
    assert lessons == expected


async def test_a_day_read_again_alone_a_day_later_shows_the_change(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An action reads two weeks beyond the polls' days; a lesson of the last
    Friday moves; a day later the action asks for that Friday alone: it is
    read again, and the answer has the new room."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    pupil = device_of(hass_london, student_entry, STUDENT_ID)
    weeks = {"start_date": "2026-12-07", "end_date": "2026-12-18"}
    friday = {"start_date": "2026-12-18", "end_date": "2026-12-18"}
    first = await call(hass_london, "get_timetable", pupil=pupil, **weeks)
    assert any(lesson["class"] == "9X/Ma2" for lesson in first["lessons"])
    fake.change_lesson(STUDENT_ID, date(2026, 12, 18), "9X/Ma2", room="M9")
    await run_until(hass_london, freezer, "23:50")
    await advance(hass_london, freezer, timedelta(hours=10, minutes=20))  # Wed 10:10
    fake.clear_requests()
    again = await call(hass_london, "get_timetable", pupil=pupil, **friday)
    assert len(fake.api_requests("timetable")) == 1
    rooms = {lesson["class"]: lesson["room"] for lesson in again["lessons"]}
    assert rooms["9X/Ma2"] == "M9"


async def test_a_poll_answered_late_does_not_replace_an_action_read_after_it(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The morning poll reads the week, next Tuesday last; ClassCharts moves a
    lesson of that Tuesday; an action reads the day just after the poll did,
    and the poll's answer arrives last. The day keeps the action's read."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    pupil = device_of(hass_london, student_entry, STUDENT_ID)
    coordinator = student_entry.runtime_data.coordinator
    next_tuesday = date(2026, 12, 1)
    day = {"start_date": "2026-12-01", "end_date": "2026-12-01"}
    await to_wednesday_night(hass_london, freezer)
    # The poll's read of that Tuesday, before the move, is handed over after
    # the action's read.
    held = hold_first_answer(
        monkeypatch,
        coordinator.client,
        "get_timetable",
        lambda _pupil, asked: asked == next_tuesday,
    )
    polls = coordinator.data.poll
    # The day's first poll (before 06:00) reads the week, next Tuesday last.
    freezer.tick(timedelta(hours=5, minutes=30))
    async_fire_time_changed(hass_london)
    await held.read.wait()
    fake.change_lesson(STUDENT_ID, next_tuesday, "9X/Ma2", room="M9")
    now = await call(hass_london, "get_timetable", pupil=pupil, **day)
    assert {lesson["class"]: lesson["room"] for lesson in now["lessons"]}[
        "9X/Ma2"
    ] == "M9"
    held.release.set()
    await hass_london.async_block_till_done(wait_background_tasks=True)
    assert coordinator.data.poll == polls + 1  # the poll is over
    fake.clear_requests()
    again = await call(hass_london, "get_timetable", pupil=pupil, **day)
    assert fake.api_requests("timetable") == []  # from the cache
    rooms = {lesson["class"]: lesson["room"] for lesson in again["lessons"]}
    assert rooms["9X/Ma2"] == "M9"
