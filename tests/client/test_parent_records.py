"""Today's attendance marks, reports, report cards, announcements' fields, messages."""

from __future__ import annotations

from datetime import date, timedelta
import json
from typing import Any

import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsResponseError,
    MarkStatus,
)
from tests.conftest import TODAY
from tests.examples import EXAMPLES
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.data import BEN_ID

from .conftest import ClientFactory, count


def example(name: str) -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


# Attendance marks ------------------------------------------------------------


async def test_example_marks(fake: FakeClassCharts, student: ClientFactory) -> None:
    """The example's days: a late lesson with its minutes; a day not marked yet."""
    fake.set_response("attendance", example("attendance"))
    attendance = await student().get_attendance(STUDENT_ID, TODAY, TODAY)
    monday = attendance.day(date(2025, 9, 22))
    assert monday is not None
    assert [m.session for m in monday.marks] == ["AM", "PM", "Period 1", "Period 2"]
    late = monday.marks[3]
    assert (late.status, late.late_minutes, late.code) == (MarkStatus.LATE, 7, "L")
    assert (late.lesson, late.room, late.is_session) == ("9X/En1", "E2", False)
    assert monday.status is MarkStatus.LATE
    tuesday = attendance.day(date(2025, 9, 23))
    assert tuesday is not None
    assert tuesday.status is MarkStatus.NOT_MARKED
    assert all(m.late_minutes is None for m in tuesday.marks)  # "" and 0


async def test_marks_set_on_the_fake(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """Late AM, absent PM: the day is absent (the worst mark); minutes only when late."""
    fake.set_attendance_mark(STUDENT_ID, TODAY, "AM", "late", late_minutes=12)
    fake.set_attendance_mark(STUDENT_ID, TODAY, "PM", "absent")
    today = (await student().get_attendance(STUDENT_ID, TODAY, TODAY)).day(TODAY)
    assert today is not None
    am, pm = today.marks[:2]
    assert (am.session, am.status, am.late_minutes) == ("AM", MarkStatus.LATE, 12)
    assert (pm.session, pm.status, pm.late_minutes) == ("PM", MarkStatus.ABSENT, None)
    assert today.status is MarkStatus.ABSENT


async def test_hostile_marks_drop_only_themselves(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """A bad mark costs only itself, a bad day only itself; absurd minutes are unknown."""
    body = example("attendance")
    day = body["data"]["2025-09-22"]
    day["Period 1"] = "not a mark"
    day["Period 2"]["late_minutes"] = "seven"
    day["PM"] = {"code": "L", "status": "late", "late_minutes": 100000}
    body["data"]["not-a-date"] = {"AM": {"status": "present"}}
    body["data"]["2025-09-23"] = []
    fake.set_response("attendance", body)
    client = student()
    attendance = await client.get_attendance(STUDENT_ID, TODAY, TODAY)
    assert [d.day for d in attendance.days] == [date(2025, 9, 22), date(2025, 9, 23)]
    monday = attendance.days[0]
    assert [m.session for m in monday.marks] == ["AM", "PM", "Period 2"]
    assert monday.marks[1].late_minutes is None
    assert monday.marks[2].late_minutes is None
    assert attendance.days[1].marks == ()
    dropped = client.diagnostics()["dropped"]
    assert dropped == {"attendance marks": 1, "attendance": 1}


async def test_no_school_day_has_no_marks(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    sunday = TODAY - timedelta(days=TODAY.weekday() + 1)
    attendance = await student().get_attendance(STUDENT_ID, sunday, sunday)
    assert attendance.days == ()
    assert attendance.day(sunday) is None


# Academic reports --------------------------------------------------------------


async def test_academic_reports_student(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    [summary] = await client.get_academic_reports(STUDENT_ID)
    assert (summary.id, summary.name) == (301, "Autumn interim")
    assert summary.start_date == date(2026, 9, 1)
    report = await client.get_academic_report(summary.id)
    assert report.attendance == 96.0
    maths = report.subjects[0]
    assert maths.name == "Mathematics"
    assert [(g.field, g.grade) for g in maths.grades] == [("Working at", "6")]
    assert [(c.teacher, c.text) for c in maths.comments] == [
        ("Mr P Example", "Good progress.")
    ]


async def test_academic_reports_example_and_parent(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    """A parent names the child; the examples' shapes parse as they are."""
    client = parent()
    new = fake.add_academic_report(
        BEN_ID, "Spring", date(2027, 1, 5), date(2027, 3, 27)
    )
    [ben] = await client.get_academic_reports(BEN_ID)
    assert (ben.id, ben.name) == (new, "Spring")
    assert [r.id for r in await client.get_academic_reports(STUDENT_ID)] == [301]
    assert count(fake, "getacademicreports") == 2
    fake.set_response("getacademicreport", example("academic_report"))
    report = await client.get_academic_report(301)
    assert (report.name, report.end_date) == ("Autumn interim", date(2025, 12, 19))
    assert report.subjects[0].attendance is None


async def test_hostile_report_drops_only_bad_subject(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("academic_report")
    lessons = body["data"][0]["lessons"]
    lessons.append("nonsense")
    lessons.append({"lesson_name": "Art", "grades": [{"grade": ""}], "teachers": None})
    body["data"][0]["overall_attendance_percentage"] = "250"
    fake.set_response("getacademicreport", body)
    report = await student().get_academic_report(301)
    assert [s.name for s in report.subjects] == ["Mathematics", "Art"]
    assert report.subjects[1].grades == ()
    assert report.attendance is None  # 250 % is no attendance
    fake.set_response("getacademicreport", {"success": 1, "data": [], "meta": []})
    with pytest.raises(ClassChartsResponseError, match="empty"):
        await student().get_academic_report(301)


# Report cards ------------------------------------------------------------------


async def test_report_cards(fake: FakeClassCharts, parent: ClientFactory) -> None:
    """The list (POST with pupil_id), one card, and its target's text."""
    card_id = fake.add_report_card(
        BEN_ID, TODAY - timedelta(days=2), TODAY + timedelta(days=5)
    )
    client = parent()
    assert await client.get_report_cards(STUDENT_ID) == []
    [card] = await client.get_report_cards(BEN_ID)
    assert (card.id, card.reason) == (card_id, "Punctuality")
    assert card.active_on(TODAY)
    assert not card.active_on(TODAY + timedelta(days=6))
    assert [r.method for r in fake.api_requests("getpupilreportcards")] == [
        "POST",
        "POST",
    ]
    detail = await client.get_report_card(card_id)
    assert detail.card == card  # "Mon 01/06/2023" dates read as the list's
    assert (detail.teacher, detail.level) == ("Mrs S Example", "Head of Year")
    [target_id] = detail.target_ids
    assert await client.get_report_card_target(target_id) == "Arrive before the bell"


async def test_hostile_report_cards(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    good = {
        "id": 1,
        "start_date": "01/06/2026",
        "end_date": "2026-06-03",
        "reason": "Lateness",
        "description": "<p>Arrived late</p>",
    }
    backwards = {**good, "id": 2, "start_date": "05/06/2026", "end_date": "01/06/2026"}
    fake.set_response(
        "getpupilreportcards",
        {"success": 1, "data": [good, backwards, {"id": 3}, None], "meta": []},
    )
    [card] = await student().get_report_cards(STUDENT_ID)
    assert (card.start_date, card.end_date) == (date(2026, 6, 1), date(2026, 6, 3))
    assert card.description == "Arrived late"


# Announcements and messages --------------------------------------------------------


async def test_announcement_fields(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    uniform, trip = await parent().get_announcements(STUDENT_ID)
    assert (uniform.pinned, uniform.asks_consent, uniform.attachments) == (
        False,
        False,
        (),
    )
    assert trip.pinned
    assert trip.asks_consent
    [letter] = trip.attachments
    assert (letter.filename, letter.url) == (
        "letter.pdf",
        "https://example.invalid/a/letter.pdf",
    )


async def test_hostile_attachments(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """An attachment without a web address is left out; the announcement stays."""
    body = example("announcements")
    body["data"][1]["attachments"] = [
        {"filename": "x.pdf", "url": "javascript:alert(1)"},
        "nonsense",
        {"url": "https://example.invalid/a/b/minutes.pdf"},
    ]
    body["data"][0]["attachments"] = {"not": "a list"}
    fake.set_response("announcements", body)
    uniform, trip = await student().get_announcements(STUDENT_ID)
    assert uniform.attachments == ()
    assert [(a.filename, a.url) for a in trip.attachments] == [
        ("minutes.pdf", "https://example.invalid/a/b/minutes.pdf")
    ]


async def test_messages_count(fake: FakeClassCharts, parent: ClientFactory) -> None:
    """From the pupil list already read: no request of its own; odd values unknown."""
    fake.pupils[BEN_ID].messages_count = 3
    client = parent()
    ada, ben = await client.get_pupils()
    assert (ada.messages_count, ben.messages_count) == (0, 3)
    body = example("pupils")
    body["data"][0]["messages_count"] = "lots"
    body["data"][1]["messages_count"] = -1
    fake.set_response("pupils", body)
    ada, ben = await client.get_pupils()
    assert (ada.messages_count, ben.messages_count) == (None, None)


async def test_student_messages_count(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    fake.pupils[STUDENT_ID].messages_count = 2
    [ada] = await student().get_pupils()
    assert ada.messages_count == 2
