"""The data calls against the fake server's seeded pupils (homework and timetable: their own files)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsError,
    ClassChartsLimitError,
    ClassChartsResponseError,
)
from custom_components.classcharts_hass.client.activity_calls import (
    MAX_ACTIVITY_PAGES,
)
from tests.conftest import TODAY
from tests.examples import example
from tests.fake_server import (
    STUDENT_ID,
    FakeClassCharts,
)
from tests.fake_server.data import BEN_ID

from .conftest import ClientFactory, assert_no_secrets, count, small_pages

LONDON = ZoneInfo("Europe/London")

MONTH_AGO = TODAY - timedelta(days=30)
IN_A_MONTH = TODAY + timedelta(days=30)


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
