"""The session under faults: expiry, activation, ticks, relogins, addresses, the Tes hop.

Every test runs against the fake server over loopback.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsClient,
    ClassChartsError,
    ClassChartsRateLimitError,
    ClassChartsServerError,
    ClassChartsSessionError,
    ClassChartsTimeoutError,
    ClassChartsVerificationLoopError,
    SessionState,
    StudentCredentials,
)
from custom_components.classcharts_hass.client.session import (
    LOGIN_RETRY_AFTER,
    TOKEN_RENEW_AFTER,
)
from custom_components.classcharts_hass.client.tescheck import MAX_VERIFY_HOPS
from tests.conftest import TODAY
from tests.fake_server import (
    PARENT_EMAIL,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)

from .conftest import ClientFactory, FakeClock, count, login_requests

DATA_PATHS = ("/eventbadges", "/activity", "/homeworks", "/pupils")


def data_requests(fake: FakeClassCharts) -> int:
    return sum(1 for r in fake.requests if any(p in r.path for p in DATA_PATHS))


# Defect 1: data only on an activated session ---------------------------------

PING_FAILURES: list[dict[str, Any]] = [
    {"status": 503},
    {"status": 429},
    {"html": True},
    {"timeout": True},
]


@pytest.mark.parametrize("failure", PING_FAILURES, ids=["503", "429", "html", "hang"])
async def test_failed_activation_after_expiry_is_a_failed_login(
    clocked_fake: FakeClassCharts,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    failure: dict[str, Any],
) -> None:
    client = ClassChartsClient(
        session,
        StudentCredentials(STUDENT_CODE, STUDENT_DOB),
        base_url=clocked_fake.base_url,
        clock=clock,
        request_timeout=0.3,
    )
    assert await client.get_badges(STUDENT_ID)
    clocked_fake.expire_sessions()
    clock.advance(TOKEN_RENEW_AFTER - 10)  # the client still trusts its token
    clocked_fake.fail_next(path_contains="/ping", **failure)
    clocked_fake.clear_requests()
    with pytest.raises(ClassChartsError):
        await client.get_badges(STUDENT_ID)
    assert client.state is SessionState.FAILED
    # The refused call, the new login and its failed ping; no data call after it.
    paths = [r.path for r in clocked_fake.requests]
    assert paths[-2:] == ["/student/login", "/apiv2student/ping"]
    assert data_requests(clocked_fake) == 1
    # Calls straight after share the failure and send nothing...
    clocked_fake.clear_requests()
    with pytest.raises(ClassChartsError):
        await client.get_badges(STUDENT_ID)
    assert not clocked_fake.requests
    # ...for half a minute...
    clock.advance(29)
    with pytest.raises(ClassChartsError):
        await client.get_badges(STUDENT_ID)
    assert not clocked_fake.requests
    # ...and later ones log in again and get real data, never empty data.
    clock.advance(2)
    assert await client.get_badges(STUDENT_ID)
    assert client.state is SessionState.ACTIVE


async def test_first_login_on_a_freshly_booted_host(
    clocked_fake: FakeClassCharts, session: aiohttp.ClientSession
) -> None:
    # A monotonic clock under 120 s made the unactivated token look fresh.
    clock = FakeClock(now=5.0)
    clocked_fake.clock = clock
    client = ClassChartsClient(
        session,
        StudentCredentials(STUDENT_CODE, STUDENT_DOB),
        base_url=clocked_fake.base_url,
        clock=clock,
    )
    clocked_fake.fail_next(status=503, path_contains="/ping")
    with pytest.raises(ClassChartsServerError):
        await client.get_badges(STUDENT_ID)
    assert data_requests(clocked_fake) == 0
    clock.advance(LOGIN_RETRY_AFTER + 1)
    badges = await client.get_badges(STUDENT_ID)
    assert badges, "data read on a session that was never activated"
    assert login_requests(clocked_fake) == 2


async def test_calls_wait_for_a_slow_activating_ping(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    fake.path_latency = {"/ping": 0.3}
    client = student()
    results = await asyncio.gather(*(client.get_badges(STUDENT_ID) for _ in range(5)))
    assert all(results)
    assert login_requests(fake) == 1
    assert count(fake, "/ping") == 1
    # No data call reached the server before the ping was answered.
    ping = next(r for r in fake.requests if r.path.endswith("/ping"))
    assert all(r.time >= ping.time for r in fake.requests if "eventbadges" in r.path)


# Defect 2: homework ticks ----------------------------------------------------


async def _poem(client: ClassChartsClient) -> Any:
    [homework] = [
        h
        for h in await client.get_homeworks(STUDENT_ID, TODAY, TODAY.replace(day=28))
        if h.title == "Poem annotation"
    ]
    return homework


async def test_two_ticks_at_once_send_one_toggle(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    homework = await _poem(client)
    # Without serialising, both reads would be answered "not ticked" before the
    # first toggle lands.
    fake.path_latency = {"/homeworks": 0.2, "/homeworkticked": 0.3}

    async def tick(delay: float) -> bool:
        await asyncio.sleep(delay)
        return await client.set_homework_done(STUDENT_ID, homework, True)

    results = await asyncio.gather(tick(0), tick(0.05))
    assert sorted(results) == [False, True]
    assert len(fake.api_requests("homeworkticked")) == 1
    assert fake.homework(homework.id).ticked


async def test_lost_tick_answer_is_read_again_not_toggled_again(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student(request_timeout=1.0)
    homework = await _poem(client)
    # The toggle is applied (at 0.7 + 1.5 s) after the client gave up waiting
    # (at 0.7 + 1.0 s); the re-read is answered later still (1.7 + 0.7 s).
    fake.path_latency = {"/homeworkticked": 1.5, "/homeworks": 0.7}
    assert await client.set_homework_done(STUDENT_ID, homework, True) is True
    assert len(fake.api_requests("homeworkticked")) == 1
    assert fake.homework(homework.id).ticked


async def test_failed_tick_is_not_sent_blindly_again(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    homework = await _poem(client)
    fake.fail_next(status=503, path_contains="homeworkticked")
    with pytest.raises(ClassChartsServerError):
        await client.set_homework_done(STUDENT_ID, homework, True)
    assert len(fake.api_requests("homeworkticked")) == 1
    assert not fake.homework(homework.id).ticked


# Defect 3: one login at a time, re-login included ----------------------------


def _refuse_logins(fake: FakeClassCharts, how: str) -> type[ClassChartsError]:
    if how == "password":
        fake.change_password(PARENT_EMAIL, "changed")
        return ClassChartsAuthenticationError
    if how == "captcha":
        fake.captcha_required = True
        return ClassChartsCaptchaError
    if how == "429":
        fake.fail_next(100, status=429, path_contains="/parent/login")
        return ClassChartsRateLimitError
    fake.fail_next(100, status=503, path_contains="/parent/login")
    return ClassChartsServerError


@pytest.mark.parametrize("how", ["password", "captcha", "429", "503"])
async def test_refused_calls_share_one_failed_relogin(
    fake: FakeClassCharts, parent: ClientFactory, how: str
) -> None:
    client = parent()
    await client.login()
    fake.expire_sessions()
    error = _refuse_logins(fake, how)
    fake.path_latency = {"/activity": 0.05}
    results = await asyncio.gather(
        *(client.get_activity(STUDENT_ID, TODAY, TODAY) for _ in range(10)),
        return_exceptions=True,
    )
    assert all(isinstance(result, error) for result in results)
    assert login_requests(fake, "parent") == 2  # the first login and one re-login
    # The failure is remembered: the next call sends nothing.
    fake.clear_requests()
    with pytest.raises(error):
        await client.get_activity(STUDENT_ID, TODAY, TODAY)
    assert not fake.requests


# Defect 4: a token rotated by another call -----------------------------------


async def test_call_refused_by_a_rotation_retries_with_the_new_token(
    clocked_fake: FakeClassCharts, clocked_student: ClassChartsClient, clock: FakeClock
) -> None:
    client = clocked_student
    await client.login()
    clock.advance(TOKEN_RENEW_AFTER - 1)
    clocked_fake.path_latency = {"/activity": 0.3}  # slow data call, fast ping
    slow = asyncio.create_task(client.get_activity(STUDENT_ID, TODAY, TODAY))
    await asyncio.sleep(0.1)  # the activity call is on its way with the old token
    clock.advance(2)
    assert await client.get_badges(STUDENT_ID)  # its ping rotates the token
    page = await slow
    assert len(page.items) == 3
    assert login_requests(clocked_fake) == 1  # no re-login, no second session
    assert count(clocked_fake, "/ping") == 2
    assert len(clocked_fake.api_requests("activity")) == 2
    sessions = {r.session for r in clocked_fake.api_requests() if r.session}
    assert len(sessions) == 1


# Defect 9: the base URL ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://www.classcharts.com",
        "http://10.0.0.1:8765",
        "ftp://127.0.0.1",
        "file:///tmp/x",
        "https://",
        "not a url",
    ],
)
async def test_refused_base_urls(
    fake: FakeClassCharts, session: aiohttp.ClientSession, url: str
) -> None:
    with pytest.raises(ClassChartsError, match="https"):
        ClassChartsClient(
            session, StudentCredentials(STUDENT_CODE, STUDENT_DOB), base_url=url
        )
    assert not fake.requests


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_http_to_loopback_is_allowed(
    fake: FakeClassCharts, session: aiohttp.ClientSession, host: str
) -> None:
    url = fake.base_url.replace("127.0.0.1", host)
    client = ClassChartsClient(
        session, StudentCredentials(STUDENT_CODE, STUDENT_DOB), base_url=url
    )
    assert await client.get_badges(STUDENT_ID)
    ClassChartsClient(
        session,
        StudentCredentials(STUDENT_CODE, STUDENT_DOB),
        base_url="https://www.classcharts.com",
    )


# The Tes verification hop ----------------------------------------------------


def tes_visits(fake: FakeClassCharts) -> int:
    return sum(1 for r in fake.requests if r.port == fake.tes_port)


async def test_tes_hop_is_followed_once_per_session(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    fake.tes_mode = "hop"
    client = student()
    assert await client.get_badges(STUDENT_ID)
    assert await client.get_badges(STUDENT_ID)
    assert tes_visits(fake) == 1
    back = [r for r in fake.requests if r.query.get("prompt") == "login"]
    assert len(back) == 1
    # Tes got none of ClassCharts' cookies; ClassCharts got them on the way back.
    assert fake.tes_cookies_seen == [()]
    # A new session passes the check again; Tes gets back only its own cookie.
    fake.expire_sessions()
    assert await client.get_badges(STUDENT_ID)
    assert fake.tes_cookies_seen == [(), ("tes-visitor",)]
    assert login_requests(fake) == 2


@pytest.mark.parametrize("mode", ["loop", "stuck"])
async def test_tes_loop_is_a_clear_error(
    fake: FakeClassCharts, student: ClientFactory, mode: str
) -> None:
    fake.tes_mode = mode
    client = student()
    with pytest.raises(ClassChartsVerificationLoopError, match="Tes check"):
        await client.get_badges(STUDENT_ID)
    assert tes_visits(fake) == (MAX_VERIFY_HOPS if mode == "loop" else 1)
    assert login_requests(fake) == 1
    assert not fake.api_requests("eventbadges")


async def test_forgotten_cookies_pass_the_check_then_log_in_again(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    fake.forget_sessions()
    assert await client.get_badges(STUDENT_ID)
    assert login_requests(fake) == 2
    assert tes_visits(fake) == 1


def tes_visits_per_login(fake: FakeClassCharts) -> list[int]:
    """How many requests reached the Tes check after each form login."""
    visits: list[int] = []
    for request in fake.requests:
        if request.path == "/student/login":
            visits.append(0)
        elif request.port == fake.tes_port:
            visits[-1] += 1
    return visits


async def test_tes_check_is_passed_once_per_login(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """Sent to the check again in a login that passed it: a new login, not a loop.

    ClassCharts forgets the session (its cookie) after the check was passed:
    the call is sent to the check again. The client does not go round the
    check a second time with that login; it logs in again, and the new login
    passes the check once.
    """
    fake.tes_mode = "hop"
    client = student()
    badges = await client.get_badges(STUDENT_ID)
    assert badges
    assert tes_visits_per_login(fake) == [1]
    fake.forget_sessions()
    assert await client.get_badges(STUDENT_ID) == badges
    assert tes_visits_per_login(fake) == [1, 1]


async def test_redirect_elsewhere_is_not_followed(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    fake.set_response("eventbadges", "", status=302, content_type="text/html", times=2)
    with pytest.raises(ClassChartsSessionError, match="still not logged in"):
        await client.get_badges(STUDENT_ID)
    assert tes_visits(fake) == 0
    assert login_requests(fake) == 2  # one fresh login, then the clear error


async def test_deadline_covers_every_request_of_a_call(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student(call_deadline=0.5)
    fake.path_latency = {"/ping": 0.4, "/eventbadges": 0.4}
    with pytest.raises(ClassChartsTimeoutError, match="not done within"):
        await client.get_badges(STUDENT_ID)
