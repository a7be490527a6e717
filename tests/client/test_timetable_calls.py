"""The timetable calls: days, ranges, quirks, time zones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import json
import time
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsClient,
    ClassChartsError,
    StudentCredentials,
)
from custom_components.classcharts_hass.client.client import (
    MAX_TIMETABLE_DAYS,
    TIMETABLE_CONCURRENCY,
)
from tests.conftest import TODAY
from tests.examples import EXAMPLES, example
from tests.fake_server import (
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)

from .conftest import ClientFactory

LONDON = ZoneInfo("Europe/London")

MONTH_AGO = TODAY - timedelta(days=30)
IN_A_MONTH = TODAY + timedelta(days=30)


# Timetable -----------------------------------------------------------------------


async def test_timetable_today_with_shared_period(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    lessons = await client.get_timetable(STUDENT_ID, TODAY)
    assert [lesson.period for lesson in lessons] == [
        "P1",
        "P2",
        "Tut",
        "P3",
        "P3",
        "P4",
    ]
    p3 = [lesson for lesson in lessons if lesson.period == "P3"]
    assert p3[0].key == p3[1].key
    assert p3[0].uid != p3[1].uid
    assert len({lesson.uid for lesson in lessons}) == len(lessons)
    assert lessons[-1].note == "Bring atlas"
    # November: Greenwich Mean Time.
    assert lessons[0].start == datetime(2026, 11, 24, 8, 45, tzinfo=LONDON)
    assert lessons[0].start.utcoffset() == timedelta(0)
    assert lessons[0].end - lessons[0].start == timedelta(hours=1)


async def test_timetable_weekend_is_empty(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    assert await client.get_timetable(STUDENT_ID, date(2026, 11, 28)) == []


@pytest.mark.parametrize("empty", [[], None])
async def test_timetable_empty_day_quirk(
    fake: FakeClassCharts, student: ClientFactory, empty: list | None
) -> None:
    body = example("timetable")
    body["data"] = empty
    fake.set_response("timetable", body)
    assert await student().get_timetable(STUDENT_ID, date(2025, 9, 23)) == []


def _timetable_on(day: date, offset: str) -> dict:
    """The example timetable moved to another day, times written with an offset."""
    body = json.loads(
        (EXAMPLES / "timetable.json").read_text().replace("2025-09-23", day.isoformat())
    )
    for lesson in body["data"]:
        for key in ("start_time", "end_time"):
            lesson[key] = lesson[key].replace("+01:00", offset)
    return body


@pytest.mark.parametrize(
    ("day", "offset", "hours"),
    [
        (date(2025, 9, 23), "+01:00", 1),  # British Summer Time
        (date(2025, 12, 2), "+00:00", 0),  # Greenwich Mean Time
        (date(2026, 7, 7), "Z", 1),  # summer, sent in UTC: 07:45Z is 08:45 local
    ],
)
async def test_timetable_times_are_uk_local(
    fake: FakeClassCharts,
    student: ClientFactory,
    day: date,
    offset: str,
    hours: int,
) -> None:
    body = _timetable_on(day, offset)
    if offset == "Z":
        for lesson in body["data"]:
            for key in ("start_time", "end_time"):
                moment = datetime.fromisoformat(lesson[key].replace("Z", "+01:00"))
                lesson[key] = moment.astimezone(ZoneInfo("UTC")).isoformat()
    fake.set_response("timetable", body)
    lessons = await student().get_timetable(STUDENT_ID, day)
    assert len(lessons) == 6
    first = lessons[0]
    assert first.start.tzinfo == LONDON
    assert first.start.utcoffset() == timedelta(hours=hours)
    assert (first.start.date(), first.start.hour, first.start.minute) == (day, 8, 45)
    shared = [lesson for lesson in lessons if lesson.period == "P3"]
    assert len(shared) == 2
    assert shared[0].uid != shared[1].uid
    assert shared[0].teacher != shared[1].teacher


async def test_timetables_range_and_concurrency(fake: FakeClassCharts) -> None:
    in_flight = 0
    most = 0

    async def started(*_: object) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)

    async def ended(*_: object) -> None:
        nonlocal in_flight
        in_flight -= 1

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(started)
    trace.on_request_end.append(ended)
    trace.on_request_exception.append(ended)
    async with aiohttp.ClientSession(trace_configs=[trace]) as traced:
        client = ClassChartsClient(
            traced,
            StudentCredentials(STUDENT_CODE, STUDENT_DOB),
            base_url=fake.base_url,
        )
        await client.login()
        fake.latency = 0.05
        start = date(2026, 11, 23)
        began = time.monotonic()
        days = await client.get_timetables(
            STUDENT_ID, start, start + timedelta(days=13)
        )
        elapsed = time.monotonic() - began
    assert list(days) == [start + timedelta(days=n) for n in range(14)]
    assert [len(days[start + timedelta(days=n)]) for n in range(7)] == [
        6,
        6,
        6,
        5,
        6,
        0,
        0,
    ]
    assert most == TIMETABLE_CONCURRENCY
    # 14 days, 4 at a time: 4 rounds of latency, far less than 14 in a row.
    assert 4 * 0.05 * 0.9 <= elapsed < 14 * 0.05
    assert len(fake.api_requests("timetable")) == 14


async def test_timetables_range_limits(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    with pytest.raises(ClassChartsError, match=str(MAX_TIMETABLE_DAYS)):
        await client.get_timetables(
            STUDENT_ID, TODAY, TODAY + timedelta(days=MAX_TIMETABLE_DAYS)
        )
    with pytest.raises(ClassChartsError, match="1 to"):
        await client.get_timetables(STUDENT_ID, TODAY, TODAY - timedelta(days=1))
    assert not fake.requests
    one = await client.get_timetables(STUDENT_ID, TODAY, TODAY)
    assert list(one) == [TODAY]
