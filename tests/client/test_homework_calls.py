"""The homework calls: reading, ticking, descriptions."""

from __future__ import annotations

from datetime import timedelta
import json
from zoneinfo import ZoneInfo

import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsError,
)
from tests.conftest import TODAY
from tests.examples import example
from tests.fake_server import (
    STUDENT_ID,
    FakeClassCharts,
)

from .conftest import ClientFactory, assert_no_secrets

LONDON = ZoneInfo("Europe/London")

MONTH_AGO = TODAY - timedelta(days=30)
IN_A_MONTH = TODAY + timedelta(days=30)


# Homework ------------------------------------------------------------------------


async def test_homeworks(fake: FakeClassCharts, student: ClientFactory) -> None:
    client = student()
    homeworks = {
        h.title: h
        for h in await client.get_homeworks(STUDENT_ID, MONTH_AGO, IN_A_MONTH)
    }
    assert homeworks["Reading log"].done
    assert not homeworks["Fractions practice"].done  # late, not ticked
    assert homeworks["Fractions practice"].mark == "7/10"
    assert not homeworks["Revision"].done  # not_completed
    assert not homeworks["Algebra starter"].done
    assert homeworks["Algebra starter"].description == (
        "Complete the worksheet on algebra."
    )
    assert homeworks["Algebra starter"].completion_minutes == 30
    assert homeworks["Vocabulary list"].completion_minutes is None  # ""
    [request] = fake.api_requests("homeworks")
    assert request.query == {
        "display_date": "due_date",
        "from": MONTH_AGO.isoformat(),
        "to": IN_A_MONTH.isoformat(),
    }


async def test_homework_done_by_state_or_tick(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("homeworks")
    template = body["data"][0]
    variants = []
    for n, (state, ticked) in enumerate(
        [
            (None, "no"),
            ("completed", "no"),
            (None, "yes"),
            ("late", "no"),
            ("not_completed", "yes"),
        ]
    ):
        item = json.loads(json.dumps(template))
        item["id"] = 100 + n
        item["status"]["id"] = 200 + n
        item["status"]["state"] = state
        item["status"]["ticked"] = ticked
        variants.append(item)
    variants[0]["description"] = (
        "<p>Read <b>pages&nbsp;4&ndash;6</b></p><ul><li>Notes</li><li>Quiz</li></ul>"
        "<br><br><br>Thanks &amp; well done"
    )
    variants[1]["completion_time_unit"] = "hours"
    variants[1]["completion_time_value"] = "2"
    fake.set_response("homeworks", {**body, "data": variants})
    client = student()
    homeworks = await client.get_homeworks(STUDENT_ID, MONTH_AGO, TODAY)
    assert [h.done for h in homeworks] == [False, True, True, False, True]
    assert homeworks[0].description == (
        "Read pages 4\u20136\n\n- Notes\n- Quiz\n\nThanks & well done"
    )
    assert "<" not in homeworks[0].description
    assert homeworks[1].completion_minutes == 120


async def test_tick_untick_and_idempotent(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    [homework] = [
        h
        for h in await client.get_homeworks(STUDENT_ID, MONTH_AGO, IN_A_MONTH)
        if h.title == "Poem annotation"
    ]
    assert not homework.done
    assert await client.set_homework_done(STUDENT_ID, homework, True) is True
    assert fake.homework(homework.id).ticked
    ticks = fake.api_requests("homeworkticked")
    assert [r.path for r in ticks] == [
        f"/apiv2student/homeworkticked/{homework.status_id}"
    ]
    # Asking again for the state it already has sends no toggle.
    assert await client.set_homework_done(STUDENT_ID, homework, True) is False
    assert len(fake.api_requests("homeworkticked")) == 1
    assert fake.homework(homework.id).ticked
    assert await client.set_homework_done(STUDENT_ID, homework, False) is True
    assert not fake.homework(homework.id).ticked
    assert await client.set_homework_done(STUDENT_ID, homework, False) is False
    assert len(fake.api_requests("homeworkticked")) == 2
    [again] = [
        h
        for h in await client.get_homeworks(
            STUDENT_ID, homework.due_date, homework.due_date
        )
        if h.id == homework.id
    ]
    assert not again.done


async def test_completed_by_teacher_is_not_toggled(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    [reading] = [
        h
        for h in await client.get_homeworks(STUDENT_ID, MONTH_AGO, IN_A_MONTH)
        if h.title == "Reading log"
    ]
    assert await client.set_homework_done(STUDENT_ID, reading, True) is False
    assert not fake.api_requests("homeworkticked")


async def test_tick_refused_for_parent_and_missing_homework(
    fake: FakeClassCharts, student: ClientFactory, parent: ClientFactory
) -> None:
    client = student()
    homework = (await client.get_homeworks(STUDENT_ID, MONTH_AGO, IN_A_MONTH))[0]
    with pytest.raises(ClassChartsError, match="only available to student"):
        await parent().set_homework_done(STUDENT_ID, homework, True)
    fake.pupils[STUDENT_ID].homeworks.clear()
    with pytest.raises(ClassChartsError, match="no longer listed") as err:
        await client.set_homework_done(STUDENT_ID, homework, True)
    assert not fake.api_requests("homeworkticked")
    assert_no_secrets(fake, err.value)


async def test_homework_description_blocks_as_a_browser_separates_them(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """A quotation is a paragraph of its own; a rule starts a new line."""
    homework_id = fake.add_homework(
        STUDENT_ID,
        title="Poem",
        due_date=TODAY,
        description=(
            "<p>Read the poem</p><blockquote>The owl and the pussycat</blockquote>"
            "Then answer<hr>Due Friday"
        ),
    )
    homeworks = await student().get_homeworks(STUDENT_ID, TODAY, TODAY)
    poem = next(h for h in homeworks if h.id == homework_id)
    assert poem.description.splitlines() == [
        "Read the poem",
        "",
        "The owl and the pussycat",
        "",
        "Then answer",
        "Due Friday",
    ]
