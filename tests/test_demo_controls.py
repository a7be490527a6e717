"""The demo's fake ClassCharts: school holidays, the add command, kept ticks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
import subprocess
import sys
import time

import pytest

from tests.e2e.harness import ROOT, free_port, port_in_use
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.controls import add, school_holidays
from tests.fake_server.demo import TickStore
from tests.fake_server.handlers import Ctx, timetable


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
