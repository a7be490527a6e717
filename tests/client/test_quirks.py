"""The quirks of section 4 of the API notes, one by one."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import TODAY
from tests.examples import example
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .conftest import ClientFactory

LONDON = ZoneInfo("Europe/London")

WEEK_AGO = TODAY - timedelta(days=7)


# Quirk 1: meta is [] on list endpoints, an object elsewhere.


@pytest.mark.parametrize("meta", [[], {}, None, {"pupil_score_balance": 3}])
async def test_quirk1_meta_list_or_object(
    fake: FakeClassCharts, student: ClientFactory, meta: object
) -> None:
    client = student()
    body = example("badges")
    body["meta"] = meta
    fake.set_response("eventbadges", body)
    assert len(await client.get_badges(STUDENT_ID)) == len(body["data"])
    shop = example("rewards")
    shop["meta"] = meta
    fake.set_response("rewards", shop)
    rewards = await client.get_rewards(STUDENT_ID)
    assert len(rewards.items) == len(shop["data"])
    # The balance lives in meta: without it the balance is unknown, not 0.
    assert rewards.balance == (3 if isinstance(meta, dict) and meta else None)


async def test_quirk1_activity_meta_list_means_no_more_pages(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("activity_page")
    body["meta"] = []
    fake.set_response("activity", body)
    page = await student().get_activity(STUDENT_ID, WEEK_AGO, TODAY)
    assert page.last_id is None
    assert len(page.items) == len(body["data"])


# Quirk 2 (reasons as []) is in test_calls.test_behaviour_reasons_as_empty_lists.

# Quirk 3: mixed types.


@pytest.mark.parametrize("success", [1, True, "1"])
async def test_quirk3_success_forms(
    fake: FakeClassCharts, student: ClientFactory, success: object
) -> None:
    body = example("customfields")
    body["success"] = success
    fake.set_response("customfields", body)
    fields = await student().get_custom_fields(STUDENT_ID)
    assert [f.id for f in fields] == [77001, 77002]


@pytest.mark.parametrize(
    ("last_id", "expected"),
    [(False, None), (90001101, 90001101), ("90001101", 90001101), (None, None)],
)
async def test_quirk3_last_id_forms(
    fake: FakeClassCharts, student: ClientFactory, last_id: object, expected: int
) -> None:
    body = example("activity_page")
    body["meta"]["last_id"] = last_id
    fake.set_response("activity", body)
    page = await student().get_activity(STUDENT_ID, WEEK_AGO, TODAY)
    assert page.last_id == expected


async def test_quirk3_attendance_and_rewards_types(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    attendance = example("attendance")
    day = attendance["data"]["2025-09-22"]
    day["Period 2"]["late_minutes"] = "7"
    day["PM"]["late_minutes"] = ""
    attendance["meta"]["percentage"] = "96.5%"
    fake.set_response("attendance", attendance)
    result = await client.get_attendance(STUDENT_ID, WEEK_AGO, TODAY)
    assert result.percentage == 96.5
    assert result.late_count == 1
    attendance["meta"]["percentage"] = 88
    attendance["data"]["2025-09-23"] = []  # an empty day as a list
    fake.set_response("attendance", attendance)
    assert (await client.get_attendance(STUDENT_ID, WEEK_AGO, TODAY)).percentage == 88
    shop = example("rewards")
    shop["data"][0]["purchased_count"] = "2"
    shop["data"][1]["purchased_count"] = 0
    shop["data"][1]["price"] = "500"
    shop["meta"]["pupil_score_balance"] = "42"
    fake.set_response("rewards", shop)
    rewards = await client.get_rewards(STUDENT_ID)
    assert rewards.balance == 42
    assert [(r.price, r.purchased_count) for r in rewards.items] == [(30, 2), (500, 0)]


async def test_quirk3_late_minutes_garbage_is_not_read(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    # Defect 11: nothing reads late_minutes, so its form never fails the call.
    attendance = example("attendance")
    attendance["data"]["2025-09-22"]["AM"]["late_minutes"] = "seven"
    attendance["data"]["2025-09-22"]["PM"]["late_minutes"] = {"odd": True}
    fake.set_response("attendance", attendance)
    result = await student().get_attendance(STUDENT_ID, WEEK_AGO, TODAY)
    assert (result.late_count, result.absent_count, result.percentage) == (1, 0, 96)


async def test_quirk3_completion_time_empty(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("homeworks")
    body["data"][0]["completion_time_value"] = ""
    fake.set_response("homeworks", body)
    [first, *_] = await student().get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert first.completion_minutes is None


# Quirk 4: time zones.


@pytest.mark.parametrize(
    ("stamp", "offset"),
    [
        ("2026-07-01 10:14:03", timedelta(hours=1)),  # summer: BST
        ("2026-01-15 10:14:03", timedelta(0)),  # winter: GMT
    ],
)
async def test_quirk4_activity_timestamp_is_uk_local(
    fake: FakeClassCharts, student: ClientFactory, stamp: str, offset: timedelta
) -> None:
    body = example("activity_page")
    body["data"][0]["timestamp"] = stamp
    fake.set_response("activity", body)
    page = await student().get_activity(STUDENT_ID, WEEK_AGO, TODAY)
    moment = page.items[0].timestamp
    assert moment.utcoffset() == offset
    assert (moment.hour, moment.minute, moment.second) == (10, 14, 3)
    assert moment == datetime.fromisoformat(stamp).replace(tzinfo=LONDON)


async def test_quirk4_seeded_activity_in_summer(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    july = datetime(2026, 7, 1, 10, 14, 3)  # noqa: DTZ001  # naive UK time
    activity_id = fake.add_behaviour_point(STUDENT_ID, timestamp=july)
    page = await student().get_activity(STUDENT_ID, july.date(), july.date())
    [item] = [i for i in page.items if i.id == activity_id]
    assert item.timestamp.isoformat() == "2026-07-01T10:14:03+01:00"


async def test_quirk4_activity_since_compares_instants(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    # 09:30 UTC in July is 10:30 in London: the 10:14 point is before it.
    july = date(2026, 7, 1)
    fake.add_behaviour_point(
        STUDENT_ID, timestamp=datetime(2026, 7, 1, 10, 14, tzinfo=LONDON)
    )
    later = fake.add_behaviour_point(
        STUDENT_ID, timestamp=datetime(2026, 7, 1, 10, 45, tzinfo=LONDON)
    )
    since = datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("UTC"))
    items = await student().get_activity_since(STUDENT_ID, since, july)
    assert [i.id for i in items] == [later]


async def test_quirk4_homework_dates_are_plain_dates(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("homeworks")
    body["data"][0]["due_date"] = "2025-09-29T00:00:00+00:00"
    fake.set_response("homeworks", body)
    first = (await student().get_homeworks(STUDENT_ID, WEEK_AGO, TODAY))[0]
    assert first.due_date == date(2025, 9, 29)
    assert first.issue_date == date(2025, 9, 22)


async def test_quirk4_detention_date_is_a_local_date(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("detentions")
    body["data"][0]["date"] = "2026-06-30T00:00:00+00:00"
    body["data"][0]["time"] = "08:15"
    fake.set_response("detentions", body)
    first = (await student().get_detentions(STUDENT_ID))[0]
    # Not shifted by the +00:00: the detention is on 30 June, 08:15 BST.
    assert first.start == datetime(2026, 6, 30, 8, 15, tzinfo=LONDON)
    assert first.end == datetime(2026, 6, 30, 8, 45, tzinfo=LONDON)


# Quirk 5: empty days (see also test_calls.test_timetable_empty_day_quirk).


async def test_quirk5_empty_lists_everywhere(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    for endpoint in ("eventbadges", "announcements", "detentions", "homeworks"):
        fake.set_response(endpoint, {"success": 1, "data": [], "meta": []})
    assert await client.get_badges(STUDENT_ID) == []
    assert await client.get_announcements(STUDENT_ID) == []
    assert await client.get_detentions(STUDENT_ID) == []
    assert await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY) == []
    fake.set_response("customfields", {"success": 1, "data": [], "meta": []})
    assert await client.get_custom_fields(STUDENT_ID) == []
    fake.set_response("attendance", {"success": 1, "data": [], "meta": []})
    attendance = await client.get_attendance(STUDENT_ID, WEEK_AGO, TODAY)
    assert (attendance.percentage, attendance.late_count) == (None, 0)


# Quirk 6: uids from more than one field.


async def test_quirk6_uids_unique_over_a_fortnight(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    start = date(2026, 11, 23)
    days = await student().get_timetables(STUDENT_ID, start, start + timedelta(13))
    uids = [lesson.uid for lessons in days.values() for lesson in lessons]
    assert len(uids) == 58
    assert len(set(uids)) == len(uids)


async def test_quirk6_same_key_no_lesson_id(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("timetable")
    for lesson in body["data"]:
        lesson["lesson_id"] = None
    fake.set_response("timetable", body)
    lessons = await student().get_timetable(STUDENT_ID, date(2025, 9, 23))
    # Same period, key and start: still two lessons, told apart by the rest.
    p3 = [lesson for lesson in lessons if lesson.period == "P3"]
    assert len(p3) == 2
    assert {lesson.room for lesson in p3} == {"S3", "S5"}


# Quirk 7 is covered by test_calls.test_homework_done_by_state_or_tick.


@pytest.mark.parametrize(
    ("state", "ticked", "done"),
    [
        (None, "no", False),
        ("not_completed", "no", False),
        ("late", "no", False),
        ("completed", "no", True),
        (None, "yes", True),
        ("late", "yes", True),
    ],
)
async def test_quirk7_done(
    fake: FakeClassCharts,
    student: ClientFactory,
    state: str | None,
    ticked: str,
    done: bool,
) -> None:
    body = example("homeworks")
    body["data"] = body["data"][:1]
    body["data"][0]["status"].update(state=state, ticked=ticked)
    fake.set_response("homeworks", body)
    [homework] = await student().get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert homework.done is done


# Quirk 8: descriptions are HTML.


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<p>Complete the worksheet on <strong>forces</strong>.</p>",
            "Complete the worksheet on forces.",
        ),
        ("Line one<br>Line two", "Line one\nLine two"),
        ("<ol><li>a</li><li>b</li></ol>", "- a\n- b"),
        ("Fish &amp; chips &lt;3", "Fish & chips <3"),
        ("<p>  lots   of\n spaces </p>", "lots of spaces"),
        ("<script>x</script><p>unclosed <b>bold", "unclosed bold"),
        ("", ""),
    ],
)
async def test_quirk8_description_html(
    fake: FakeClassCharts, student: ClientFactory, html: str, text: str
) -> None:
    body = example("homeworks")
    body["data"] = body["data"][:1]
    body["data"][0]["description"] = html
    announcements = example("announcements")
    announcements["data"] = announcements["data"][:1]
    announcements["data"][0]["description"] = html
    fake.set_response("homeworks", body)
    fake.set_response("announcements", announcements)
    client = student()
    [homework] = await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert homework.description == text
    assert homework.description_html == html
    [announcement] = await client.get_announcements(STUDENT_ID)
    assert announcement.description == text
