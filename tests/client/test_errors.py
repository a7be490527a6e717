"""Transport and response failures map to the client's exceptions, without secrets."""

from __future__ import annotations

from datetime import timedelta
import socket

import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsAuthenticationError,
    ClassChartsClient,
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsRateLimitError,
    ClassChartsResponseError,
    ClassChartsServerError,
    ClassChartsTimeoutError,
)
from tests.conftest import TODAY
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .conftest import ClientFactory, assert_no_secrets, login_requests

WEEK_AGO = TODAY - timedelta(days=7)


async def logged_in(student: ClientFactory, **kwargs: object) -> ClassChartsClient:
    client = student(**kwargs)
    await client.login()
    return client


async def test_connection_refused_closed_port(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = student(base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ClassChartsConnectionError) as err:
        await client.get_badges(STUDENT_ID)
    assert not isinstance(err.value, ClassChartsTimeoutError | ClassChartsServerError)
    assert "login" in str(err.value)
    assert_no_secrets(fake, err.value)


async def test_connection_refused_after_server_stopped(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = await logged_in(student)
    await fake.stop()
    try:
        with pytest.raises(ClassChartsConnectionError) as err:
            await client.get_badges(STUDENT_ID)
        assert "eventbadges" in str(err.value)
        assert_no_secrets(fake, err.value)
    finally:
        await fake.start()
    # Back up: the same client works again.
    assert await client.get_badges(STUDENT_ID)


@pytest.mark.parametrize("path", ["/student/login", "eventbadges"])
async def test_timeout(
    fake: FakeClassCharts, student: ClientFactory, path: str
) -> None:
    client = student(request_timeout=0.5)
    if path == "eventbadges":
        await client.login()
    fake.fail_next(timeout=True, path_contains=path)
    with pytest.raises(ClassChartsTimeoutError, match=r"no answer within 0.5 s") as err:
        await client.get_badges(STUDENT_ID)
    assert isinstance(err.value, ClassChartsConnectionError)
    assert_no_secrets(fake, err.value)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors(
    fake: FakeClassCharts, student: ClientFactory, status: int
) -> None:
    client = await logged_in(student)
    fake.fail_next(status=status, path_contains="homeworks")
    with pytest.raises(ClassChartsServerError) as err:
        await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)
    assert err.value.status == status
    assert f"HTTP {status}" in str(err.value)
    assert "homeworks" in str(err.value)
    assert isinstance(err.value, ClassChartsConnectionError)
    assert login_requests(fake) == 1  # a server fault is not "log in again"
    assert_no_secrets(fake, err.value)
    # The next call works.
    assert await client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY)


async def test_server_error_on_login(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    fake.fail_next(status=503, path_contains="/login")
    with pytest.raises(ClassChartsServerError) as err:
        await student().login()
    assert err.value.status == 503
    assert_no_secrets(fake, err.value)


@pytest.mark.parametrize(("retry_after", "expected"), [(30, 30.0), (None, None)])
async def test_rate_limited(
    fake: FakeClassCharts,
    student: ClientFactory,
    retry_after: int | None,
    expected: float | None,
) -> None:
    client = await logged_in(student)
    fake.fail_next(status=429, retry_after=retry_after, path_contains="eventbadges")
    with pytest.raises(ClassChartsRateLimitError) as err:
        await client.get_badges(STUDENT_ID)
    assert err.value.retry_after == expected
    assert "429" in str(err.value)
    assert not isinstance(err.value, ClassChartsConnectionError)
    assert_no_secrets(fake, err.value)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Wed, 21 Oct 2026 07:28:00 GMT", None), ("-5", 0.0), ("2.5", 2.5)],
)
async def test_rate_limit_retry_after_forms(
    fake: FakeClassCharts, student: ClientFactory, header: str, expected: float | None
) -> None:
    client = await logged_in(student)

    original = fake._fail

    async def with_header(failure):  # type: ignore[no-untyped-def]
        response = await original(failure)
        response.headers["Retry-After"] = header
        return response

    fake._fail = with_header  # type: ignore[method-assign]
    fake.fail_next(status=429, path_contains="eventbadges")
    with pytest.raises(ClassChartsRateLimitError) as err:
        await client.get_badges(STUDENT_ID)
    assert err.value.retry_after == expected


async def test_html_page_with_200(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = await logged_in(student)
    fake.fail_next(html=True, path_contains="announcements")
    with pytest.raises(ClassChartsResponseError) as err:
        await client.get_announcements(STUDENT_ID)
    message = str(err.value)
    assert "announcements" in message
    assert "not JSON" in message
    assert "text/html" in message
    assert_no_secrets(fake, err.value)


async def test_truncated_json(fake: FakeClassCharts, student: ClientFactory) -> None:
    client = await logged_in(student)
    fake.fail_next(malformed=True, path_contains="activity")
    with pytest.raises(ClassChartsResponseError, match=r"activity.*not JSON") as err:
        await client.get_activity(STUDENT_ID, WEEK_AGO, TODAY)
    assert_no_secrets(fake, err.value)


async def test_json_that_is_not_an_object(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = await logged_in(student)
    fake.set_response("eventbadges", [1, 2, 3])
    with pytest.raises(
        ClassChartsResponseError, match=r"eventbadges.*not a JSON object"
    ):
        await client.get_badges(STUDENT_ID)


async def test_body_that_is_not_utf8(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = await logged_in(student)
    fake.set_response("eventbadges", b"\xff\xfe{}", content_type="text/plain")
    with pytest.raises(ClassChartsResponseError, match=r"not JSON.*text/plain"):
        await client.get_badges(STUDENT_ID)


@pytest.mark.parametrize(
    ("endpoint", "call"),
    [
        ("eventbadges", "get_badges"),
        ("announcements", "get_announcements"),
        ("detentions", "get_detentions"),
        ("customfields", "get_custom_fields"),
        ("rewards", "get_rewards"),
    ],
)
async def test_wrong_shape_data_null_is_harmless_or_named(
    fake: FakeClassCharts, student: ClientFactory, endpoint: str, call: str
) -> None:
    client = await logged_in(student)
    fake.fail_next(wrong_shape=True, path_contains=endpoint)
    # data: null is "nothing" for a list, but an object is required; the
    # rewards balance is then unknown, not 0.
    if endpoint == "customfields":
        with pytest.raises(ClassChartsResponseError, match=endpoint) as err:
            await getattr(client, call)(STUDENT_ID)
        assert_no_secrets(fake, err.value)
    elif endpoint == "rewards":
        shop = await client.get_rewards(STUDENT_ID)
        assert (shop.balance, shop.items) == (None, [])
    else:
        assert await getattr(client, call)(STUDENT_ID) == []


@pytest.mark.parametrize(
    ("endpoint", "body", "words"),
    [
        (
            "behaviour",
            {"success": 1, "data": None, "meta": []},
            "data should be an object",
        ),
        (
            "attendance",
            {"success": 1, "data": "x", "meta": {}},
            "data should be an object",
        ),
        (
            "homeworks",
            {"success": 1, "data": [{"id": 1, "status": {"id": 2}}], "meta": []},
            "issue_date",
        ),
        (
            "homeworks",
            {"success": 1, "data": {"id": 1}, "meta": []},
            "should be a list",
        ),
        (
            "timetable",
            {"success": 1, "data": [{"start_time": 8}], "meta": {}},
            "start_time",
        ),
        (
            "timetable",
            {
                "success": 1,
                "data": [
                    {
                        "start_time": "2026-11-24T10:00:00+00:00",
                        "end_time": "2026-11-24T09:00:00+00:00",
                    }
                ],
                "meta": {},
            },
            "ends before it starts",
        ),
        (
            "activity",
            {"success": 1, "data": [{"id": "x1", "timestamp": "2026-11-24"}]},
            "id should be a whole number",
        ),
        (
            "activity",
            {"success": 1, "data": [{"id": 1, "timestamp": "yesterday"}]},
            "timestamp is not a date-time",
        ),
        (
            "detentions",
            {"success": 1, "data": [{"id": 1, "date": "2026-11-24", "time": "late"}]},
            "time is not a time",
        ),
        (
            "eventbadges",
            {"success": 1, "data": [{"id": True}], "meta": []},
            "should be a number",
        ),
    ],
)
async def test_wrong_shapes_name_the_endpoint(
    fake: FakeClassCharts,
    student: ClientFactory,
    endpoint: str,
    body: dict,
    words: str,
) -> None:
    client = await logged_in(student)
    fake.set_response(endpoint, body)
    calls = {
        "behaviour": lambda: client.get_behaviour(STUDENT_ID, WEEK_AGO, TODAY),
        "attendance": lambda: client.get_attendance(STUDENT_ID, WEEK_AGO, TODAY),
        "homeworks": lambda: client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY),
        "timetable": lambda: client.get_timetable(STUDENT_ID, TODAY),
        "activity": lambda: client.get_activity(STUDENT_ID, WEEK_AGO, TODAY),
        "detentions": lambda: client.get_detentions(STUDENT_ID),
        "rewards": lambda: client.get_rewards(STUDENT_ID),
        "eventbadges": lambda: client.get_badges(STUDENT_ID),
    }
    with pytest.raises(ClassChartsResponseError) as err:
        await calls[endpoint]()
    message = str(err.value)
    assert f"GET {endpoint}" in message
    assert words in message
    assert_no_secrets(fake, err.value)


async def test_parent_pupils_wrong_shape(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    client = parent()
    await client.login()
    fake.set_response("pupils", {"success": 1, "data": [{"name": "No id"}], "meta": []})
    with pytest.raises(ClassChartsResponseError, match=r"POST pupils.*id is missing"):
        await client.get_pupils()


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({"success": 0, "error": "Invalid request", "data": None}, "Invalid request"),
        ({"success": False, "error": "Maintenance until 6pm"}, "Maintenance until 6pm"),
        ({"success": 0}, "none given"),
        ({"success": 0, "error": {"code": 7}}, "none given"),
        ({"data": []}, "none given"),
    ],
)
async def test_reported_errors(
    fake: FakeClassCharts, student: ClientFactory, body: dict, text: str
) -> None:
    client = await logged_in(student)
    fake.set_response("eventbadges", body)
    with pytest.raises(ClassChartsResponseError) as err:
        await client.get_badges(STUDENT_ID)
    assert "eventbadges" in str(err.value)
    assert text in str(err.value)
    assert login_requests(fake) == 1  # not mistaken for "log in again"


async def test_unexpected_http_status(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = await logged_in(student)
    fake.set_response("eventbadges", "Not found", status=404, content_type="text/plain")
    with pytest.raises(ClassChartsResponseError, match="eventbadges: HTTP 404"):
        await client.get_badges(STUDENT_ID)


async def test_login_answered_by_another_page_is_not_a_refusal(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    # A 200 page without the refusal text (maintenance, an error page) must not
    # count as wrong credentials: that would send the user to a needless reauth.
    fake.fail_next(html=True, path_contains="/student/login")
    with pytest.raises(ClassChartsResponseError, match="HTTP 200") as err:
        await student().login()
    assert not isinstance(err.value, ClassChartsAuthenticationError)
    assert_no_secrets(fake, err.value)


def test_every_error_is_a_classcharts_error() -> None:
    for cls in (
        ClassChartsAuthenticationError,
        ClassChartsConnectionError,
        ClassChartsTimeoutError,
        ClassChartsResponseError,
    ):
        assert issubclass(cls, ClassChartsError)
    assert ClassChartsServerError("x", 502).status == 502
    assert ClassChartsRateLimitError("x", None).retry_after is None
