"""Odd and hostile answers: login pages, tokens, bodies, dates, numbers, pages (over loopback)."""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsAuthenticationError,
    ClassChartsClient,
    ClassChartsError,
    ClassChartsResponseError,
    ClassChartsTimeoutError,
    Homework,
)
from custom_components.classcharts_hass.client.transport import (
    MAX_BODY_BYTES,
    safe_value,
)
from tests.conftest import TODAY
from tests.examples import example
from tests.fake_server import PARENT_PASSWORD, STUDENT_ID, FakeClassCharts
from tests.fake_server.models import school_year_start

from .conftest import ClientFactory, FakeClock, count, small_pages

LONDON = ZoneInfo("Europe/London")

WEEK_AGO = TODAY - timedelta(days=7)


# Defect 5: a captcha script is no captcha demand -----------------------------

CAPTCHA_SCRIPT = (
    '<script src="https://www.google.com/recaptcha/api.js?render=x"></script>'
    "<script>grecaptcha.ready(function () { window.captcha = 1; });</script>"
)


async def test_refused_password_on_a_page_with_a_captcha_script(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    fake.login_page_extra = CAPTCHA_SCRIPT
    with pytest.raises(ClassChartsAuthenticationError, match="email address"):
        await parent(password=PARENT_PASSWORD + "x").login()
    assert await parent().login()  # the right password still works


async def test_captcha_script_alone_is_an_unrecognised_page(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.login_page_extra = CAPTCHA_SCRIPT
    fake.fail_next(html=True, path_contains="/student/login")
    with pytest.raises(ClassChartsResponseError, match="neither a session nor"):
        await student().login()


# Defect 6: nothing but a ClassChartsError leaves the client ------------------


async def test_deeply_nested_json(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    fake.set_response("eventbadges", b"[" * 200_000 + b"]" * 200_000)
    with pytest.raises(ClassChartsResponseError, match=r"eventbadges.*nested"):
        await client.get_badges(STUDENT_ID)
    fake.set_response("ping", b'{"success": 1, "data": ' + b"[" * 100_000)
    with pytest.raises(ClassChartsResponseError, match="ping"):
        await client.login()


async def test_token_with_cr_lf_from_the_ping(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("ping_student")
    body["meta"]["session_id"] = "abc\r\nX-Injected: 1"
    fake.set_response("ping", body)
    with pytest.raises(ClassChartsResponseError, match="session id"):
        await student().get_badges(STUDENT_ID)


async def test_token_with_cr_lf_in_the_cookie(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = fake._form_login

    async def bad_token(request, kind, info):  # type: ignore[no-untyped-def]
        response = await original(request, kind, info)
        value = quote(json.dumps({"session_id": "a\r\nb"}), safe="")
        del response.headers["Set-Cookie"]
        response.headers.add("Set-Cookie", "cc-session=abc; path=/")
        response.headers.add("Set-Cookie", f"{kind}_session_credentials={value}")
        return response

    monkeypatch.setattr(fake, "_form_login", bad_token)
    with pytest.raises(ClassChartsResponseError, match="no session id"):
        await student().login()


@pytest.mark.parametrize(
    "html",
    [
        "<!--" * 65536,  # 256 KB of comment openers: quadratic in HTMLParser
        "<![if x" * 1000,  # marked sections that made HTMLParser raise
        "<!DOCTYPE" + "<" * 100_000,
        "<a " * 50_000 + ">",
        "</" * 50_000,
        "<script>" * 30_000,
    ],
    ids=["comments", "marked", "doctype", "attrs", "ends", "scripts"],
)
async def test_hostile_homework_html(
    fake: FakeClassCharts, student: ClientFactory, html: str
) -> None:
    body = example("homeworks")
    body["data"][0]["description"] = html
    fake.set_response("homeworks", body)
    homeworks = await student().get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert len(homeworks) == len(body["data"])
    assert len(homeworks[0].description) <= 32 * 1024
    assert "<!--" not in homeworks[0].description


async def test_dates_at_the_edges_drop_only_their_item(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    body = example("announcements")
    body["data"][0]["timestamp"] = "9999-12-31T23:59:59-01:00"
    fake.set_response("announcements", body)
    [kept] = await client.get_announcements(STUDENT_ID)
    assert kept.id == body["data"][1]["id"]
    detentions = example("detentions")
    detentions["data"][0].update(
        {"date": "9999-12-31T00:00:00+00:00", "time": "23:59", "length": 1440}
    )
    fake.set_response("detentions", detentions)
    [detention] = await client.get_detentions(STUDENT_ID)
    assert detention.id == detentions["data"][1]["id"]
    assert client.diagnostics()["dropped"] == {"announcements": 1, "detentions": 1}


async def test_nan_and_infinity_where_numbers_belong(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    activity = json.dumps(example("activity_page"))
    activity = activity.replace('"score": 1,', '"score": NaN,', 1)
    fake.set_response("activity", activity.encode())
    page = await client.get_activity(STUDENT_ID, WEEK_AGO, TODAY)
    assert len(page.items) == page.size - 1  # the NaN item is dropped
    attendance = json.dumps(example("attendance"))
    attendance = attendance.replace('"percentage": "96"', '"percentage": Infinity')
    fake.set_response("attendance", attendance.encode())
    result = await client.get_attendance(STUDENT_ID, WEEK_AGO, TODAY)
    assert result.percentage is None
    homeworks = json.dumps(example("homeworks"))
    homeworks = homeworks.replace(
        '"completion_time_value": "30"', '"completion_time_value": -Infinity', 1
    )
    fake.set_response("homeworks", homeworks.encode())
    first, *_ = await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert first.completion_minutes is None


# Defect 7: bounded memory and time -------------------------------------------


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"content_length": True}, "larger than 4 MiB"),
        ({"content_length": False}, "larger than 4 MiB"),
        ({"gzip": True}, "larger than 4 MiB"),
    ],
    ids=["announced", "chunked", "gzip-bomb"],
)
async def test_huge_bodies_are_refused(
    fake: FakeClassCharts, student: ClientFactory, options: dict[str, Any], words: str
) -> None:
    client = student()
    await client.login()
    stream = fake.stream_next("eventbadges", 200 * 1024 * 1024, **options)
    with pytest.raises(ClassChartsResponseError, match=words):
        await client.get_badges(STUDENT_ID)
    # Refused early: the client hung up long before the end of the body.
    assert stream.sent < (64 if options.get("gzip") else 32 * 1024) * 1024
    # The client is still usable.
    assert await client.get_badges(STUDENT_ID)


async def test_body_just_under_the_cap_is_read(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    fake.stream_next("eventbadges", MAX_BODY_BYTES, gzip=True)
    # Read whole (a gzip of zeros is no JSON), not refused for its size.
    with pytest.raises(ClassChartsResponseError, match="not JSON"):
        await client.get_badges(STUDENT_ID)


async def test_one_deadline_for_every_page_of_a_call(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_pages(fake, monkeypatch, 1)
    client = student(call_deadline=1.0)
    await client.login()
    fake.path_latency = {"/activity": 0.3}  # 20 pages would take 6 s
    since = datetime.combine(WEEK_AGO, datetime.min.time(), LONDON)
    with pytest.raises(ClassChartsTimeoutError, match="get_activity_history"):
        await client.get_activity_history(STUDENT_ID, since, TODAY)
    assert len(fake.api_requests("activity")) < 6


# Defects 8 and 10: the paging cursor -----------------------------------------


@pytest.mark.parametrize("mode", ["last_item", "constant"])
async def test_a_school_hours_poll_asks_for_one_page(
    fake: FakeClassCharts, student: ClientFactory, mode: str
) -> None:
    fake.last_id_mode = mode
    client = student()
    since = datetime.combine(TODAY, datetime.min.time(), LONDON)
    items, complete = await client.get_activity_history(STUDENT_ID, since, TODAY)
    assert len(items) == 3
    assert complete
    assert len(fake.api_requests("activity")) == 1  # no always-empty second page


@pytest.mark.parametrize("mode", ["last_item", "constant"])
async def test_a_school_year_is_read_whole_whatever_meta_last_id_says(
    fake: FakeClassCharts, student: ClientFactory, mode: str
) -> None:
    fake.last_id_mode = mode
    client = student()
    start = school_year_start(TODAY)
    since = datetime.combine(start, datetime.min.time(), LONDON)
    items, complete = await client.get_activity_history(STUDENT_ID, since, TODAY)
    expected = [
        a.id
        for a in fake.pupils[STUDENT_ID].activity
        if start <= a.timestamp.date() <= TODAY
        and a.timestamp <= datetime.now(LONDON).replace(tzinfo=None)
    ]
    assert len(expected) > 100
    assert sorted(i.id for i in items) == sorted(expected)
    assert complete
    pages = fake.api_requests("activity")
    assert len(pages) == -(-len(expected) // 50)  # a short last page ends it
    cursors = [int(p.query["last_id"]) for p in pages[1:]]
    assert cursors == [items[49].id, items[99].id][: len(cursors)]


async def test_meta_last_id_true_is_harmless(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("activity_page")
    body["meta"]["last_id"] = True
    fake.set_response("activity", body)
    page = await student().get_activity(STUDENT_ID, WEEK_AGO, TODAY)
    assert page.last_id is None
    assert len(page.items) == len(body["data"])


# Defect 11: shapes that public types and fixtures allow ----------------------


@pytest.mark.parametrize(
    ("value", "unit", "minutes"),
    [
        ("1.5", "hours", 90),
        ("1.5", "minutes", 2),
        ("30-45", "minutes", None),
        ("", "minutes", None),
        (45, "minutes", 45),
        ("abc", "hours", None),
    ],
)
async def test_completion_time_forms(
    fake: FakeClassCharts,
    student: ClientFactory,
    value: object,
    unit: str,
    minutes: int | None,
) -> None:
    body = example("homeworks")
    body["data"][0]["completion_time_value"] = value
    body["data"][0]["completion_time_unit"] = unit
    fake.set_response("homeworks", body)
    homeworks = await student().get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert len(homeworks) == len(body["data"])
    assert homeworks[0].completion_minutes == minutes


def _lesson(start: str, end: str, **extra: object) -> dict[str, Any]:
    lesson = example("timetable")["data"][0]
    lesson.update(
        {
            "start_time": f"2026-11-24T{start}:00+00:00",
            "end_time": f"2026-11-24T{end}:00+00:00",
        },
        **extra,
    )
    return lesson


async def test_breaks_are_not_lessons(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    day = [
        _lesson(
            "08:20", "08:45", is_break=True, lesson_name="Registration break", key=1
        ),
        _lesson("08:45", "09:45", key=2),
        _lesson("09:45", "10:05", is_break=True, lesson_name="Break", key=3),
        _lesson("10:05", "11:05", key=4, note="<p>Bring <b>your</b>\n  atlas</p>"),
        _lesson("15:05", "15:30", is_break="1", key=5),
    ]
    fake.set_response("timetable", {"success": 1, "data": day, "meta": {}})
    lessons = await student().get_timetable(STUDENT_ID, TODAY)
    assert [lesson.key for lesson in lessons] == [2, 4]
    assert lessons[0].start == datetime(2026, 11, 24, 8, 45, tzinfo=LONDON)
    assert lessons[-1].end == datetime(2026, 11, 24, 11, 5, tzinfo=LONDON)
    assert lessons[1].note == "Bring your atlas"


async def test_negative_reason_counts_are_counts(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("behaviour")
    body["data"]["negative_reasons"] = {"Late to lesson": -3, "Disruption": "-1"}
    fake.set_response("behaviour", body)
    summary = await student().get_behaviour(STUDENT_ID, WEEK_AGO, TODAY)
    assert summary.negative_reasons == {"Late to lesson": 3, "Disruption": 1}
    assert summary.negative == 1


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<p>Answer the questions\n    on page 12 in full\n    sentences.</p>",
            "Answer the questions on page 12 in full sentences.",
        ),
        (
            "<p>Tasks:</p>\n<ul>\n  <li>Read\n chapter 3</li>\n  <li>Notes</li>\n</ul>\n<p>Due Friday</p>",
            "Tasks:\n\n- Read chapter 3\n- Notes\n\nDue Friday",
        ),
        ("<div>One</div><div>Two</div>", "One\nTwo"),
        ("<p>A</p><p></p><p></p><p>B</p>", "A\n\nB"),
        ("a&nbsp;&nbsp;b<br>\n<br>c", "a b\nc"),
    ],
)
async def test_homework_text_reads_as_a_browser_shows_it(
    fake: FakeClassCharts, student: ClientFactory, html: str, text: str
) -> None:
    body = example("homeworks")
    body["data"][0]["description"] = html
    fake.set_response("homeworks", body)
    [first, *_] = await student().get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert first.description == text


async def test_attendance_status_no_is_an_absence(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    body = example("attendance")
    body["data"]["2025-09-22"]["PM"]["status"] = "no"
    body["data"]["2025-09-22"]["Period 1"]["status"] = "absent"
    fake.set_response("attendance", body)
    result = await student().get_attendance(STUDENT_ID, WEEK_AGO, TODAY)
    assert result.absent_count == 2


async def test_pupils_by_get_when_post_is_refused(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    fake.pupils_methods = {"GET"}
    client = parent()
    first = await client.get_pupils()
    assert [p.id for p in first] == [STUDENT_ID, 4821911]
    assert [r.method for r in fake.api_requests("/pupils")] == ["POST", "GET"]
    fake.clear_requests()
    await client.get_pupils()
    assert [r.method for r in fake.api_requests("/pupils")] == ["GET"]


async def test_pupils_post_is_kept_when_it_works(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    fake.pupils_methods = {"POST"}
    client = parent()
    await client.get_pupils()
    await client.get_pupils()
    assert [r.method for r in fake.api_requests("/pupils")] == ["POST", "POST"]


# A bad item is not a bad list; diagnostics -----------------------------------


async def test_bad_items_are_skipped_counted_and_logged_once(
    fake: FakeClassCharts, student: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    client = student()
    body = example("homeworks")
    body["data"] = body["data"][:3]
    body["data"][1]["due_date"] = "soon"
    body["data"][2]["status"] = "ticked"
    for _ in range(2):
        fake.set_response("homeworks", body)
        homeworks = await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
        assert [h.id for h in homeworks] == [body["data"][0]["id"]]
    warnings = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert len(warnings) == 1
    assert "homeworks" in warnings[0].getMessage()
    assert client.diagnostics()["dropped"] == {"homeworks": 4}
    body["data"] = body["data"][1:]
    fake.set_response("homeworks", body)
    with pytest.raises(ClassChartsResponseError, match="none of the 2 items"):
        await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)


async def test_diagnostics_hold_shapes_not_values(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY + timedelta(days=14))
    await client.get_attendance(STUDENT_ID, WEEK_AGO, TODAY)
    await client.get_behaviour(STUDENT_ID, WEEK_AGO, TODAY)
    report = client.diagnostics()
    shapes = report["shapes"]
    homework = next(iter(shapes["homeworks"]["data"].values()))
    assert homework["title"] == "string"
    assert homework["status"]["ticked"] == "string"
    assert homework["id"] == "number"
    assert shapes["ping"]["meta"]["session_id"] == "string"
    # Keys that are data (dates, reason names) are not shown either.
    assert set(shapes["attendance"]["data"]) == {"<key>"}
    text = json.dumps(report)
    for value in ("Poem annotation", "Excellent effort", "2026-11", "Ada", "Do it"):
        assert value not in text
    assert report["dropped"] == {}


async def test_every_public_call_is_guarded(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    public = [
        name
        for name in dir(ClassChartsClient)
        if name.startswith(("get_", "set_")) or name == "login"
    ]
    client = student()
    fake.set_response("ping", b"[" * 100_000, times=None)
    for name in public:
        method = getattr(client, name)
        args: dict[str, tuple[Any, ...]] = {
            "login": (),
            "get_pupils": (),
            "get_activity": (STUDENT_ID, TODAY, TODAY),
            "get_activity_since": (STUDENT_ID, datetime.now(LONDON), TODAY),
            "get_activity_history": (STUDENT_ID, datetime.now(LONDON), TODAY),
            "get_behaviour": (STUDENT_ID, TODAY, TODAY),
            "get_homeworks": (STUDENT_ID, TODAY, TODAY),
            "get_timetable": (STUDENT_ID, TODAY),
            "get_timetables": (STUDENT_ID, TODAY, TODAY),
            "get_attendance": (STUDENT_ID, TODAY, TODAY),
        }
        if name == "set_homework_done":
            homework = Homework.from_json(example("homeworks")["data"][0])
            args[name] = (STUDENT_ID, homework, True)
        with pytest.raises(ClassChartsError):
            await method(*args.get(name, (STUDENT_ID,)))


async def test_poll_after_expiry_costs_three_requests(
    clocked_fake: FakeClassCharts, clocked_student: ClassChartsClient, clock: FakeClock
) -> None:
    since = datetime.combine(TODAY, datetime.min.time(), LONDON)
    await clocked_student.get_activity_since(STUDENT_ID, since, TODAY)
    clock.advance(600)
    clocked_fake.clear_requests()
    await clocked_student.get_activity_since(STUDENT_ID, since, TODAY)
    assert [r.path for r in clocked_fake.requests] == [
        "/student/login",
        "/apiv2student/ping",
        f"/apiv2student/activity/{STUDENT_ID}",
    ]
    assert count(clocked_fake, "/activity") == 1


@pytest.mark.parametrize(
    ("value", "sendable"),
    [
        ("s3ss10n1d000000000000000000000aa", True),
        ("%7B%22remember_me%22%3Atrue%7D", True),
        ("a\r\nb", False),
        ("a b", False),
        ("a;b", False),
        ('"quoted"', False),
        ("", False),
        ("x" * 5000, False),
    ],
)
def test_only_sendable_tokens_and_cookies_are_kept(value: str, sendable: bool) -> None:
    assert safe_value(value) is sendable
