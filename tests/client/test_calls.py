"""Every data call against the fake server's seeded pupils."""

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
    ClassChartsLimitError,
    ClassChartsResponseError,
    StudentCredentials,
)
from custom_components.classcharts_hass.client.client import (
    MAX_ACTIVITY_PAGES,
    MAX_TIMETABLE_DAYS,
    TIMETABLE_CONCURRENCY,
)
from tests.conftest import TODAY
from tests.examples import EXAMPLES
from tests.fake_server import (
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)
from tests.fake_server.data import BEN_ID

from .conftest import ClientFactory, assert_no_secrets, count, small_pages

LONDON = ZoneInfo("Europe/London")

MONTH_AGO = TODAY - timedelta(days=30)
IN_A_MONTH = TODAY + timedelta(days=30)


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


# Pupils ----------------------------------------------------------------------


async def test_student_pupils_need_no_extra_request(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    [pupil] = await client.get_pupils()
    assert (pupil.id, pupil.first_name, pupil.last_name) == (
        STUDENT_ID,
        "Ada",
        "Example",
    )
    assert pupil.timezone == "Europe/London"
    assert pupil.features.timetable
    assert pupil.features.attendance
    assert count(fake, "pupils") == 0


async def test_parent_pupils_are_posted(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    client = parent()
    pupils = await client.get_pupils()
    assert [(p.id, p.name) for p in pupils] == [
        (STUDENT_ID, "Ada Example"),
        (BEN_ID, "Ben Example"),
    ]
    assert pupils[0].school_name == "Example Academy"
    assert pupils[1].features.attendance is False
    assert pupils[0].announcements_count == 2
    [request] = fake.api_requests("pupils")
    assert request.method == "POST"
    fake.remove_pupil(BEN_ID)
    assert [p.id for p in await client.get_pupils()] == [STUDENT_ID]


async def test_parent_pupil_timezone_is_used(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    body = {
        "success": 1,
        "data": [
            {"id": STUDENT_ID, "name": "Ada Example", "timezone": "America/New_York"},
            {"id": BEN_ID, "name": "Ben Example", "timezone": "Not/AZone"},
        ],
        "meta": [],
    }
    client = parent()
    fake.set_response("pupils", body)
    await client.get_pupils()
    assert client.pupil_zone(STUDENT_ID) == ZoneInfo("America/New_York")
    assert client.pupil_zone(BEN_ID) == LONDON
    fake.set_response(
        "activity",
        {
            "success": 1,
            "data": [{"id": 5, "timestamp": "2026-01-10 09:00:00"}],
            "meta": {"last_id": False},
        },
    )
    page = await client.get_activity(STUDENT_ID, MONTH_AGO, TODAY)
    assert page.items[0].timestamp.utcoffset() == timedelta(hours=-5)


# Activity --------------------------------------------------------------------


async def test_activity_page(fake: FakeClassCharts, student: ClientFactory) -> None:
    client = student()
    page = await client.get_activity(STUDENT_ID, TODAY, TODAY)
    assert len(page.items) == page.size == 3  # three points today
    assert all(i.timestamp.date() == TODAY for i in page.items)
    assert all(i.timestamp.tzinfo == LONDON for i in page.items)
    ids = [i.id for i in page.items]
    assert ids == sorted(ids, reverse=True)  # newest first
    assert page.last_id == ids[-1]  # meta.last_id as the notes say; not a cursor
    [request] = fake.api_requests("activity")
    assert request.query == {"from": TODAY.isoformat(), "to": TODAY.isoformat()}


async def test_activity_since_pages_back(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_pages(fake, monkeypatch, 10)
    client = student()
    since = datetime.combine(MONTH_AGO, datetime.min.time(), LONDON)
    everything = await client.get_activity(STUDENT_ID, MONTH_AGO, TODAY)
    fake.activity_page_size = 1000
    expected = (await client.get_activity(STUDENT_ID, MONTH_AGO, TODAY)).items
    fake.activity_page_size = 10
    assert len(everything.items) == 10
    fake.clear_requests()
    items = await client.get_activity_since(STUDENT_ID, since, TODAY)
    assert [i.id for i in items] == [i.id for i in expected]
    assert len(expected) > 20
    pages = fake.api_requests("activity")
    # Full pages, then a short one; an exact multiple of 10 would need one more.
    assert len(pages) == len(expected) // 10 + 1
    assert "last_id" not in pages[0].query
    # Each page starts below the last item of the page before.
    last_ids = [int(p.query["last_id"]) for p in pages[1:]]
    assert last_ids == [i.id for i in expected[9::10]][: len(last_ids)]
    assert all(p.query["from"] == MONTH_AGO.isoformat() for p in pages)


async def test_activity_since_stops_at_time_bound(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_pages(fake, monkeypatch, 2)
    client = student()
    since = datetime.combine(TODAY, datetime.min.time(), LONDON) + timedelta(hours=10)
    items = await client.get_activity_since(STUDENT_ID, since, TODAY)
    # Today has points at 09:12, 11:41 and 13:30; only the last two count.
    assert [i.timestamp.strftime("%H:%M") for i in items] == ["13:30", "11:41"]
    assert len(fake.api_requests("activity")) == 2


async def test_activity_since_hard_cap(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_pages(fake, monkeypatch, 1)
    client = student()
    since = datetime.combine(MONTH_AGO, datetime.min.time(), LONDON)
    items = await client.get_activity_since(STUDENT_ID, since, TODAY, max_pages=3)
    assert len(items) == 3
    assert len(fake.api_requests("activity")) == 3
    fake.clear_requests()
    await client.get_activity_since(STUDENT_ID, since, TODAY)
    assert len(fake.api_requests("activity")) == MAX_ACTIVITY_PAGES


async def test_activity_since_survives_a_server_ignoring_last_id(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = example("activity_page")
    small_pages(fake, monkeypatch, len(body["data"]))  # a full page, each time
    body["meta"]["last_id"] = body["data"][-1]["id"]
    fake.set_response("activity", body, times=None)
    client = student()
    since = datetime(2025, 9, 1, tzinfo=LONDON)
    items = await client.get_activity_since(STUDENT_ID, since, date(2025, 9, 30))
    assert len(fake.api_requests("activity")) == 2
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids)), "the repeated page was added twice"
    assert len(ids) == len(body["data"])


async def test_activity_meta_last_id_is_never_the_cursor(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = example("activity_page")
    small_pages(fake, monkeypatch, len(body["data"]))
    first = {**body, "meta": {**body["meta"], "last_id": 10}}
    second = {**body, "data": [], "meta": {**body["meta"], "last_id": 11}}
    client = student()
    await client.login()
    fake.set_response("activity", first)
    fake.set_response("activity", second)
    await client.get_activity_since(
        STUDENT_ID, datetime(2025, 9, 1, tzinfo=LONDON), date(2025, 9, 30)
    )
    pages = fake.api_requests("activity")
    assert len(pages) == 2
    assert pages[1].query["last_id"] == str(body["data"][-1]["id"])


# Behaviour ---------------------------------------------------------------------


async def test_behaviour(fake: FakeClassCharts, student: ClientFactory) -> None:
    client = student()
    summary = await client.get_behaviour(STUDENT_ID, MONTH_AGO, TODAY)
    assert summary.positive > summary.negative > 0
    assert summary.net == summary.positive - summary.negative
    assert sum(summary.positive_reasons.values()) <= summary.positive
    assert set(summary.negative_reasons) <= {
        "Late to lesson",
        "Disruption",
        "No equipment",
    }
    assert summary.negative_reasons


async def test_behaviour_reasons_as_empty_lists(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    # A week without points: the fake answers positive_reasons: [] (quirk 2).
    empty_day = date(2026, 11, 22)  # a Sunday
    summary = await client.get_behaviour(STUDENT_ID, empty_day, empty_day)
    assert (summary.positive, summary.negative) == (0, 0)
    assert summary.positive_reasons == {}
    assert summary.negative_reasons == {}
    body = example("behaviour")
    body["data"]["positive_reasons"] = []
    fake.set_response("behaviour", body)
    summary = await client.get_behaviour(STUDENT_ID, MONTH_AGO, TODAY)
    assert (summary.positive, summary.negative) == (9, 1)
    assert summary.positive_reasons == {}
    assert summary.negative_reasons == {"Late to lesson": 1}


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


# Detentions, announcements, badges, attendance, fields, rewards ------------------


async def test_detentions(fake: FakeClassCharts, student: ClientFactory) -> None:
    pending, old = await student().get_detentions(STUDENT_ID)
    assert pending.start == datetime(2026, 11, 26, 15, 20, tzinfo=LONDON)
    assert pending.end == datetime(2026, 11, 26, 15, 50, tzinfo=LONDON)
    assert (pending.subject, pending.teacher, pending.type) == (
        "Mathematics",
        "Mr Example",
        "After school",
    )
    assert pending.reason == "Homework not done"
    assert pending.location == "Room B12"
    assert old.attended == "yes"
    assert (old.start, old.end, old.length_minutes) == (None, None, None)
    assert (old.subject, old.teacher, old.type, old.location) == (None,) * 4
    assert old.reason == "Uniform"


async def test_detention_in_summer_is_bst(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("detentions")
    fake.set_response("detentions", body)
    first = (await student().get_detentions(STUDENT_ID))[0]
    assert first.start == datetime(2025, 9, 25, 15, 20, tzinfo=LONDON)
    assert first.start.utcoffset() == timedelta(hours=1)


async def test_announcements(fake: FakeClassCharts, parent: ClientFactory) -> None:
    client = parent()
    uniform, trip = await client.get_announcements(STUDENT_ID)
    assert uniform.title == "Non-uniform day"
    assert uniform.description == "Friday is non-uniform day."
    assert uniform.viewed
    assert not trip.viewed
    assert trip.description == ""
    assert trip.timestamp == datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)
    [disco] = await client.get_announcements(BEN_ID)
    assert disco.title == "Year 7 disco"


async def test_badges(fake: FakeClassCharts, student: ClientFactory) -> None:
    [badge] = await student().get_badges(STUDENT_ID)
    assert (badge.id, badge.name, badge.times_awarded) == (31001, "Star Reader", 1)
    [award] = badge.awards
    assert (award.badge, award.reason) == ("Star Reader", "Reading")
    assert award.timestamp.isoformat() == "2026-11-20T11:02:00+00:00"
    # Awards have no id: the moment and the badge make one that grows with time.
    assert award.id == int(award.timestamp.timestamp()) * 1_000_000 + 31001


async def test_parent_behaviours_and_award(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    client = parent()
    listed = await client.get_parent_behaviours(STUDENT_ID)
    assert [(b.id, b.name, b.limit_reached) for b in listed] == [
        (501001, "Helpful at home", False),
        (501002, "Reading", True),
    ]
    await client.add_parent_behaviour(STUDENT_ID, 501001)
    # The fake awards once a day: the second is the school's limit, not retried.
    fake.clear_requests()
    with pytest.raises(ClassChartsLimitError, match="daily limit"):
        await client.add_parent_behaviour(STUDENT_ID, 501001)
    assert len(fake.api_requests("addparentbehaviour")) == 1
    with pytest.raises(ClassChartsResponseError, match="Invalid behaviour"):
        await client.add_parent_behaviour(STUDENT_ID, 999)


async def test_parent_behaviours_are_for_parents(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    with pytest.raises(ClassChartsError, match="parent accounts"):
        await student().get_parent_behaviours(STUDENT_ID)
    with pytest.raises(ClassChartsError, match="parent accounts"):
        await student().add_parent_behaviour(STUDENT_ID, 501001)
    assert fake.api_requests("parentbehaviour") == []


async def test_attendance(fake: FakeClassCharts, student: ClientFactory) -> None:
    client = student()
    attendance = await client.get_attendance(STUDENT_ID, MONTH_AGO, TODAY)
    assert attendance.percentage is not None
    assert 0 < attendance.percentage <= 100
    assert attendance.late_count > 0
    assert attendance.absent_count > 0
    fake.set_response("attendance", example("attendance"))
    attendance = await client.get_attendance(STUDENT_ID, MONTH_AGO, TODAY)
    assert attendance.percentage == 96.0  # sent as the string "96"
    assert (attendance.late_count, attendance.absent_count) == (1, 0)


async def test_attendance_empty(fake: FakeClassCharts, student: ClientFactory) -> None:
    client = student()
    sunday = date(2026, 11, 22)
    attendance = await client.get_attendance(STUDENT_ID, sunday, sunday)
    assert (attendance.late_count, attendance.absent_count) == (0, 0)
    assert attendance.percentage == 100.0


async def test_custom_fields(fake: FakeClassCharts, parent: ClientFactory) -> None:
    client = parent()
    fields = await client.get_custom_fields(STUDENT_ID)
    assert [(f.name, f.value) for f in fields] == [
        ("Reading age", "13y 2m"),
        ("Target grade (Maths)", "6"),
    ]
    [ben] = await client.get_custom_fields(BEN_ID)
    assert ben.value == "11y 9m"


async def test_rewards(
    fake: FakeClassCharts, student: ClientFactory, parent: ClientFactory
) -> None:
    shop = await student().get_rewards(STUDENT_ID)
    assert shop.balance == 42
    assert [(r.name, r.price, r.purchased_count) for r in shop.items] == [
        ("Lunch queue pass", 30, 2),  # "2"
        ("Hoodie", 500, 0),  # 0
    ]
    with pytest.raises(ClassChartsError, match="only available to student") as err:
        await parent().get_rewards(STUDENT_ID)
    assert not fake.api_requests("apiv2parent")
    assert_no_secrets(fake, err.value)


async def test_parent_cannot_read_another_pupil(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    with pytest.raises(ClassChartsResponseError, match="Invalid pupil") as err:
        await parent().get_badges(1234)
    assert "eventbadges" in str(err.value)


async def test_behaviour_reasons_as_a_list_of_items_are_refused(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """Only an empty list stands for an empty object: reasons sent as a list of
    items are an answer the client does not understand, not "no reasons"."""
    body = example("behaviour")
    body["data"]["positive_reasons"] = [{"Excellent effort": 3}]
    fake.set_response("behaviour", body)
    with pytest.raises(ClassChartsResponseError, match="positive_reasons"):
        await student().get_behaviour(STUDENT_ID, MONTH_AGO, TODAY)


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
