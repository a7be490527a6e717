"""Assist's homework answers: which ranges come from the last poll, which cost a request.

The coordinator reads homework due from 28 days back to 91 days ahead of the
day it reads. Assist answers a range inside what that read surely holds from
the held homework (no request) and asks ClassCharts for any other range, so no
answer ever misses homework ClassCharts has: on the day of the read, after
midnight when the read was yesterday's, and when the held value is not usable.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import LONDON, TODAY, advance, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

pytest.importorskip(
    "homeassistant.components.llm",
    reason="Home Assistant before 2026.7 has no llm platform for integrations",
)

from tests.integration.test_llm import ask  # after the skip: needs the llm platform


def homework_requests(fake: FakeClassCharts) -> int:
    """How many homework reads ClassCharts received."""
    return sum(1 for r in fake.requests if "/homeworks/" in r.path)


def add_edges(fake: FakeClassCharts, today: date) -> dict[str, date]:
    """One homework due on each side of both edges of ``today``'s held window."""
    edges = {
        "Due 28 days back": today - timedelta(days=28),
        "Due 27 days back": today - timedelta(days=27),
        "Due 90 days ahead": today + timedelta(days=90),
        "Due 91 days ahead": today + timedelta(days=91),
    }
    for title, due in edges.items():
        fake.add_homework(
            STUDENT_ID,
            title=title,
            due_date=due,
            issue_date=due - timedelta(days=7),
        )
    return edges


async def homework(
    hass: HomeAssistant, fake: FakeClassCharts, first: date, last: date
) -> tuple[list[str], int]:
    """Every homework due in the range, by title, and the homework reads it cost."""
    before = homework_requests(fake)
    error, answer = await ask(
        hass,
        "homework",
        pupil="Ada",
        start_date=first.isoformat(),
        end_date=last.isoformat(),
        status="all",
    )
    assert not error, answer
    return titles(answer), homework_requests(fake) - before


def titles(answer: dict[str, Any]) -> list[str]:
    return [h["title"] for h in answer["homework"]]


async def edges_answer_right(
    hass: HomeAssistant, fake: FakeClassCharts, edges: dict[str, date]
) -> None:
    """Just inside each edge: held, no request; just outside: one request."""
    back, ahead = edges["Due 27 days back"], edges["Due 90 days ahead"]
    # The first and the last day held.
    assert await homework(hass, fake, back, back) == (["Due 27 days back"], 0)
    assert await homework(hass, fake, ahead, ahead) == (["Due 90 days ahead"], 0)
    # A range that starts or ends one day further asks ClassCharts, once.
    assert await homework(hass, fake, back - timedelta(days=1), back) == (
        ["Due 28 days back", "Due 27 days back"],
        1,
    )
    assert await homework(hass, fake, ahead, ahead + timedelta(days=1)) == (
        ["Due 90 days ahead", "Due 91 days ahead"],
        1,
    )


async def test_held_window_edges_on_the_day_of_the_read(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Read today: 27 days back to 90 ahead are held; a day further costs a request."""
    edges = add_edges(fake, TODAY)
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    await edges_answer_right(hass_london, fake, edges)


async def test_held_window_edges_after_midnight(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Read at 22:00, asked at 00:30: the window moved a day, nothing goes missing.

    Yesterday's read ends 90 days after today: the last day held today is the
    last day that read holds, and the day after it is asked for.
    """
    freezer.move_to(datetime(2026, 11, 24, 22, 0, tzinfo=LONDON))
    today = TODAY + timedelta(days=1)
    edges = add_edges(fake, today)
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(hours=2, minutes=30))
    assert homework_requests(fake) == 0  # the held value is still yesterday's read
    await edges_answer_right(hass_london, fake, edges)


async def test_homework_not_usable_is_asked_for(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Homework the poll could not read is not answered as none: ClassCharts is asked."""
    fake.fail_next(10, status=500, path_contains="/homeworks/")
    await setup_entry(hass_london, student_entry)
    fake.clear_failures()
    fake.clear_requests()
    assert await homework(hass_london, fake, TODAY, TODAY) == (["Algebra starter"], 1)


async def test_homework_after_failed_polls_is_asked_for(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Polls failing for a day and more: Assist does not answer from the old read.

    The last read was two days ago. Homework set since, and homework due on
    the last day of today's window (past the end of that read), are in the
    answer.
    """
    freezer.move_to(datetime(2026, 11, 24, 22, 0, tzinfo=LONDON))
    await setup_entry(hass_london, student_entry)
    fake.fail_next(1000, status=500)
    for _ in range(27):  # to Thursday 01:00, every poll failing
        await advance(hass_london, freezer, timedelta(hours=1))
    fake.clear_failures()
    # A user asks between two failed polls (none is retried meanwhile).
    freezer.tick(timedelta(minutes=2))
    today = TODAY + timedelta(days=2)
    assert hass_london.states.get("todo.ada_example_homework").state == "unavailable"
    fake.add_homework(
        STUDENT_ID, title="Set during the outage", due_date=today + timedelta(days=1)
    )
    last = today + timedelta(days=90)
    fake.add_homework(STUDENT_ID, title="Due on the last day held", due_date=last)
    fake.clear_requests()
    assert await homework(hass_london, fake, today, today + timedelta(days=1)) == (
        ["Forces worksheet", "Set during the outage"],
        1,
    )
    assert await homework(hass_london, fake, last, last) == (
        ["Due on the last day held"],
        1,
    )
    # Nor are detentions claimed from that read: they are left out, as unknown.
    assert hass_london.states.get("sensor.ada_example_next_detention").state == (
        "unavailable"
    )
    error, day = await ask(hass_london, "school_day", pupil="Ada", date="tomorrow")
    assert not error
    assert "detentions" not in day
    assert [h["title"] for h in day["homework_due"]] == [
        "Forces worksheet",
        "Set during the outage",
    ]
