"""The demo's fake ClassCharts: school holidays, the add command, kept ticks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
import subprocess
import sys
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import DOMAIN
from tests.conftest import LONDON, advance, setup_entry
from tests.e2e.harness import ROOT, free_port, port_in_use
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.controls import (
    NEW_PASSWORD,
    add,
    school_holidays,
    show_parent_records,
    tidy_demo_days,
)
from tests.fake_server.demo import TickStore
from tests.fake_server.handlers import Ctx, timetable
from tests.integration.test_event import record


@pytest.mark.parametrize(
    ("day", "lessons"),
    [
        (date(2026, 12, 25), False),
        (date(2027, 1, 1), False),
        (date(2026, 12, 21), True),  # last Monday of term
        (date(2027, 1, 4), True),  # first Monday back
        (date(2027, 3, 26), False),  # Good Friday 2027
    ],
)
def test_demo_calendar_has_holidays(day: date, lessons: bool) -> None:
    """No lessons on Christmas Day, New Year's Day or around Easter."""
    server = FakeClassCharts(date(2026, 12, 1))
    server.holidays = school_holidays(server.today)
    ctx = Ctx(server.today, server.tz, server.holidays)
    body = timetable(server.pupils[STUDENT_ID], {"date": day.isoformat()}, ctx)
    assert bool(body["data"]) is lessons


def test_add_each_kind() -> None:
    """Each kind lands in the pupil's data; a detention is on a school day."""
    server = FakeClassCharts(date(2026, 12, 21))  # the last day of term
    server.holidays = school_holidays(server.today)
    ada = server.pupils[STUDENT_ID]
    before = (len(ada.activity), len(ada.homeworks), len(ada.detentions))
    assert add(server, "point", "ada", "negative").summary.startswith("negative")
    assert ada.activity[-1].polarity == "negative"
    assert ada.activity[-1].score == -1
    add(server, "homework", "Ada Example", "Poster", "project")
    assert ada.homeworks[-1].title == "Poster project"
    assert ada.homeworks[-1].due_date == date(2027, 1, 4)  # after the holidays
    add(server, "detention", "ada")
    assert ada.detentions[-1].date == date(2027, 1, 4)
    assert ada.detentions[-1].attended == "pending"
    ids = {d.id for p in server.pupils.values() for d in p.detentions}
    assert len(ids) == sum(len(p.detentions) for p in server.pupils.values())
    count = len(ada.announcements)
    add(server, "announcement", str(STUDENT_ID), "Snow day")
    assert len(ada.announcements) == count + 1
    assert ada.announcements[-1]["title"] == "Snow day"
    assert len({a["id"] for a in ada.announcements}) == count + 1
    assert (len(ada.activity), len(ada.homeworks), len(ada.detentions)) == (
        before[0] + 1,
        before[1] + 1,
        before[2] + 1,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("point", "zoe"), "no pupil 'zoe'; choose one of: ada, ben"),
        (("point", "ada", "neutral"), "positive or negative"),
        (("merit", "ada"), "unknown kind 'merit'"),
    ],
)
def test_add_refuses_bad_input(args: tuple[str, ...], message: str) -> None:
    """A wrong pupil, polarity or kind is named in the error."""
    with pytest.raises(ValueError, match=message):
        add(FakeClassCharts(date(2026, 12, 1)), *args)


def test_ticks_survive_a_restart(tmp_path: Path) -> None:
    """A homework ticked before a restart is ticked after it; others are not."""
    state = tmp_path / "ticks.json"
    first = FakeClassCharts(date(2026, 12, 1))
    store = TickStore(first, state)
    homework = next(h for h in first.pupils[STUDENT_ID].homeworks if not h.done)
    homework.ticked, homework.state = True, "completed"
    store.save_if_changed()
    second = FakeClassCharts(date(2026, 12, 1))
    TickStore(second, state)
    again = {h.title: h for h in second.pupils[STUDENT_ID].homeworks}
    assert again[homework.title].ticked
    assert again[homework.title].state == "completed"
    fresh = FakeClassCharts(date(2026, 12, 1))
    assert {
        h.title: h.ticked
        for h in second.pupils[STUDENT_ID].homeworks
        if h.title != homework.title
    } == {
        h.title: h.ticked
        for h in fresh.pupils[STUDENT_ID].homeworks
        if h.title != homework.title
    }


def test_add_command_reaches_the_running_server(tmp_path: Path) -> None:
    """``demo add`` talks to ``demo serve`` over its socket; SIGTERM saves ticks."""
    port, control, state = free_port(), tmp_path / "control.sock", tmp_path / "t.json"
    demo = [sys.executable, "-m", "tests.fake_server.demo"]
    serve = subprocess.Popen(  # noqa: S603
        [
            *demo,
            *("serve", "--port", str(port), "--control", str(control)),
            *("--state", str(state), "--today", "2026-12-01"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not (control.exists() and port_in_use(port)):
            assert serve.poll() is None, "demo server exited"
            assert time.monotonic() < deadline, "demo server did not start"
            time.sleep(0.1)
        added = subprocess.run(  # noqa: S603
            [*demo, "add", "--control", str(control), "point", "ada", "positive"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert added.returncode == 0, added.stderr
        assert (
            added.stdout == "Added for Ada Example: positive point: Excellent effort\n"
        )
        wrong = subprocess.run(  # noqa: S603
            [*demo, "add", "--control", str(control), "point", "zoe"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert wrong.returncode == 2
        assert "no pupil 'zoe'" in wrong.stderr
    finally:
        serve.terminate()
        out, _ = serve.communicate(timeout=20)
    assert serve.returncode == 0
    assert "added for Ada Example" in out
    assert not control.exists()
    missing = subprocess.run(  # noqa: S603
        [*demo, "add", "--control", str(control), "point", "ada"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    assert "start it with scripts/develop" in missing.stderr
    assert not state.exists()  # nothing was ticked: nothing to keep


# ---- what each ``add`` shows in Home Assistant -------------------------------------


async def test_add_lesson_fires_a_room_change(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """``add lesson ada`` moves the next lesson; the 13:00 re-read fires room_changed."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00, in period 2
    fired = record(hass_london, "event.ada_example_timetable_change")
    added = add(fake, "lesson", "ada")
    assert added.summary.startswith("TUTOR Tue 24 Nov 10:45 moved to room Sports hall;")
    freezer.move_to(datetime(2026, 11, 24, 12, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=2))
    assert [(f["event_type"], f["class"], f["old"], f["new"]) for f in fired] == [
        ("room_changed", "9X/Tut", "T1", "Sports hall")
    ]


async def test_add_lesson_cancel_fires_a_cancellation(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """``add lesson ada cancel`` cancels the next lesson instead."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_timetable_change")
    add(fake, "lesson", "ada", "cancel")
    freezer.move_to(datetime(2026, 11, 24, 12, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(minutes=2))
    assert [(f["event_type"], f["class"]) for f in fired] == [("cancelled", "9X/Tut")]


async def test_add_badge_is_earned_at_the_badges_read(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """``add badge ada`` is a new badge: counted, listed and fired at 18:00."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, "event.ada_example_badge_earned")
    assert add(fake, "badge", "ada").summary.startswith("badge Kindness (earned 1x);")
    freezer.move_to(datetime(2026, 11, 24, 17, 59, tzinfo=LONDON))
    await advance(hass_london, freezer, timedelta(hours=1, minutes=2))
    assert [(f["badge"], f["reason"]) for f in fired] == [
        ("Kindness", "Helping others")
    ]
    badges = hass_london.states.get("sensor.ada_example_badges")
    assert badges.state == "2"
    assert {b["name"] for b in badges.attributes["badges"]} == {
        "Kindness",
        "Star Reader",
    }


async def test_add_password_asks_to_log_in_again(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """``add password`` changes the parent's password: the next poll starts reauth."""
    await setup_entry(hass_london, parent_entry)
    added = add(fake, "password", "")
    assert NEW_PASSWORD in added.summary
    await advance(hass_london, freezer, timedelta(minutes=11))
    flows = hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_add_session_expired_logs_in_again(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """``add session-expired`` ends the sessions; the next poll logs in and reads."""
    await setup_entry(hass_london, parent_entry)
    fake.clear_requests()
    add(fake, "session-expired", "")
    fake.add_behaviour_point(STUDENT_ID, reason="After the expiry")
    fired = record(hass_london, "event.ada_example_behaviour_point")
    await advance(hass_london, freezer, timedelta(minutes=11))
    assert [f["reason"] for f in fired] == ["After the expiry"]
    assert hass_london.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    assert [r.path for r in fake.requests if r.path.endswith("/login")] == [
        "/parent/login"
    ]


async def test_add_point_for_ben_carries_his_own_class(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Ben's point names Ben's lesson and teacher (Tuesday period 2: 7Y/Hi2)."""
    await setup_entry(hass_london, parent_entry)
    fired = record(hass_london, "event.ben_example_behaviour_point")
    add(fake, "point", "ben", "positive")
    await advance(hass_london, freezer, timedelta(minutes=11))
    assert [(f["lesson"], f["teacher"]) for f in fired] == [("7Y/Hi2", "Mr T Example")]


@pytest.mark.parametrize("today", [date(2026, 12, 3), date(2026, 12, 4)])
def test_demo_days_look_like_a_school(today: date) -> None:
    """Nothing is due or held on a weekend, and one lesson per period."""
    server = FakeClassCharts(today)
    server.holidays = school_holidays(server.today)
    tidy_demo_days(server)
    for pupil in server.pupils.values():
        assert all(h.due_date.weekday() < 5 for h in pupil.homeworks)
        assert all(
            d.date.weekday() < 5 for d in pupil.detentions if d.date and d.date > today
        )
        assert all(
            a.detention_date.weekday() < 5
            for a in pupil.activity
            if a.detention_date and a.detention_date > today
        )
        for slots in pupil.timetable.values():
            periods = [slot.period for slot in slots]
            assert len(periods) == len(set(periods))


def test_demo_shows_parent_records() -> None:
    """The demo's pupils have reports, a late mark on a school day and a report card."""
    server = FakeClassCharts(today=date(2026, 11, 24))
    show_parent_records(server)
    ada, ben = (server.pupils[i] for i in sorted(server.pupils))
    assert ada.display["display_academic_reports"]
    assert ada.academic_reports
    assert ada.attendance_marks[date(2026, 11, 24)]["AM"]["status"] == "late"
    assert ben.report_cards[0].start <= date(2026, 11, 24) <= ben.report_cards[0].end
