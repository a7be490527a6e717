"""Token renewal, silent re-login, shared logins and cookie isolation."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import aiohttp
import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsClient,
    ClassChartsSessionError,
    StudentCredentials,
)
from tests.conftest import TODAY
from tests.fake_server import (
    PARENT_ID,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)
from tests.fake_server.data import BEN_ID

from .conftest import ClientFactory, FakeClock, assert_no_secrets, count, login_requests

WEEK_AGO = TODAY - timedelta(days=7)
# A token lives about 180 s; the client renews it once it is two minutes old.
TOKEN_RENEW_AFTER = 120.0


async def test_token_renewed_by_ping(
    clocked_fake: FakeClassCharts, clocked_student: ClassChartsClient, clock: FakeClock
) -> None:
    client = clocked_student
    await client.get_badges(STUDENT_ID)
    assert count(clocked_fake, "/ping") == 1
    clock.advance(TOKEN_RENEW_AFTER - 1)
    await client.get_badges(STUDENT_ID)
    assert count(clocked_fake, "/ping") == 1  # still fresh
    clock.advance(2)
    badges = await client.get_badges(STUDENT_ID)
    assert badges  # data, not an empty answer
    assert count(clocked_fake, "/ping") == 2
    # The ping came right before the call and the call used the new token.
    assert [r.path for r in clocked_fake.requests[-2:]] == [
        "/apiv2student/ping",
        f"/apiv2student/eventbadges/{STUDENT_ID}",
    ]
    assert clocked_fake.requests[-1].account == f"student:{STUDENT_ID}"
    # Renewing every two minutes keeps the session alive well beyond its lifetime.
    for _ in range(5):
        clock.advance(TOKEN_RENEW_AFTER + 1)
        await client.get_badges(STUDENT_ID)
    assert login_requests(clocked_fake) == 1
    assert client.logins == 1


async def test_renewal_ping_refused_logs_in_again(
    clocked_fake: FakeClassCharts, clocked_student: ClassChartsClient, clock: FakeClock
) -> None:
    await clocked_student.get_badges(STUDENT_ID)
    clocked_fake.expire_sessions()
    clock.advance(TOKEN_RENEW_AFTER + 5)
    assert await clocked_student.get_badges(STUDENT_ID)
    assert login_requests(clocked_fake) == 2


async def test_old_token_logs_in_without_trying(
    clocked_fake: FakeClassCharts, clocked_student: ClassChartsClient, clock: FakeClock
) -> None:
    await clocked_student.get_badges(STUDENT_ID)
    clock.advance(600)  # ten minutes later
    clocked_fake.clear_requests()
    assert await clocked_student.get_badges(STUDENT_ID)
    # No refused request first: straight to login, ping, call.
    assert [r.path for r in clocked_fake.requests] == [
        "/student/login",
        "/apiv2student/ping",
        f"/apiv2student/eventbadges/{STUDENT_ID}",
    ]
    assert all(r.account for r in clocked_fake.requests)


async def test_server_side_expiry_during_call(
    clocked_fake: FakeClassCharts, clocked_student: ClassChartsClient, clock: FakeClock
) -> None:
    # The client thinks its token is young, but the server's lifetime passed.
    clocked_fake.token_lifetime = 30
    await clocked_student.get_badges(STUDENT_ID)
    clock.advance(60)
    assert TOKEN_RENEW_AFTER > 60
    assert await clocked_student.get_badges(STUDENT_ID)
    assert login_requests(clocked_fake) == 2


async def test_expired_sessions_relogin_once(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.get_announcements(STUDENT_ID)
    fake.expire_sessions()
    announcements = await client.get_announcements(STUDENT_ID)
    assert [a.id for a in announcements] == [990001, 990002]
    assert login_requests(fake) == 2


async def test_concurrent_calls_after_expiry_share_one_relogin(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    fake.expire_sessions()
    results = await asyncio.gather(*(client.get_badges(STUDENT_ID) for _ in range(8)))
    assert all(results)
    assert login_requests(fake) == 2


async def test_concurrent_calls_share_one_login(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    fake.latency = 0.02
    client = student()
    results = await asyncio.gather(
        client.get_badges(STUDENT_ID),
        client.get_announcements(STUDENT_ID),
        client.get_detentions(STUDENT_ID),
        client.get_custom_fields(STUDENT_ID),
        client.get_rewards(STUDENT_ID),
        client.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY),
        client.get_timetable(STUDENT_ID, TODAY),
        client.get_behaviour(STUDENT_ID, WEEK_AGO, TODAY),
    )
    assert all(results)
    assert login_requests(fake) == 1
    assert count(fake, "/ping") == 1
    assert len(fake.api_requests()) == 9


async def test_tes_redirect_relogin(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.get_badges(STUDENT_ID)
    fake.forget_sessions()
    assert await client.get_badges(STUDENT_ID)
    assert login_requests(fake) == 2
    statuses = [r.account for r in fake.api_requests("eventbadges")]
    # Refused, the Tes check passed once (the way back), refused again: a new login.
    assert statuses == [
        f"student:{STUDENT_ID}",
        None,
        None,
        None,
        f"student:{STUDENT_ID}",
    ]


async def test_401_on_detentions_relogin(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    fake.expire_sessions()  # the fake answers detentions with HTTP 401
    detentions = await client.get_detentions(STUDENT_ID)
    assert len(detentions) == 2
    assert login_requests(fake) == 2


@pytest.mark.parametrize("status", [401, 403])
async def test_still_refused_after_fresh_login(
    fake: FakeClassCharts, student: ClientFactory, status: int
) -> None:
    """401 and 403 both mean "not logged in": one fresh login, then a session error."""
    client = student()
    await client.login()
    fake.set_response(
        "detentions",
        {"success": 0, "expired": 1, "error": "You are not logged in. [1]"},
        status=status,
        times=2,
    )
    with pytest.raises(ClassChartsSessionError, match="detentions") as err:
        await client.get_detentions(STUDENT_ID)
    assert login_requests(fake) == 2  # exactly one re-login, no loop
    assert_no_secrets(fake, err.value)


async def test_not_logged_in_body_with_status_200(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    fake.set_response(
        "eventbadges", {"success": 0, "error": "You are not logged in. [1]"}
    )
    assert await client.get_badges(STUDENT_ID)
    assert login_requests(fake) == 2


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_student_and_parent_share_a_session(
    fake: FakeClassCharts, student: ClientFactory, parent: ClientFactory, host: str
) -> None:
    base_url = f"http://{host}:{fake.port}"
    kid = student(base_url=base_url)
    mum = parent(base_url=base_url)
    await asyncio.gather(kid.login(), mum.login())
    for _ in range(3):
        await asyncio.gather(
            kid.get_badges(STUDENT_ID),
            mum.get_badges(BEN_ID),
            kid.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY),
            mum.get_homeworks(STUDENT_ID, WEEK_AGO, TODAY),
        )
    for request in fake.api_requests():
        if request.path.startswith("/apiv2student/"):
            assert request.account == f"student:{STUDENT_ID}"
        else:
            assert request.account == f"parent:{PARENT_ID}"
    assert login_requests(fake, "student") == 1
    assert login_requests(fake, "parent") == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_two_students_share_a_session(
    fake: FakeClassCharts, student: ClientFactory, host: str
) -> None:
    base_url = f"http://{host}:{fake.port}"
    first = student(base_url=base_url)
    second = student(base_url=base_url)
    for _ in range(3):
        await asyncio.gather(
            first.get_badges(STUDENT_ID),
            second.get_announcements(STUDENT_ID),
            first.get_badges(STUDENT_ID),
            second.get_announcements(STUDENT_ID),
        )
    badges = {r.session for r in fake.api_requests("eventbadges")}
    notices = {r.session for r in fake.api_requests("announcements")}
    assert len(badges) == 1
    assert len(notices) == 1
    assert None not in badges | notices
    assert badges != notices
    assert login_requests(fake) == 2
    assert all(r.account for r in fake.api_requests())


async def test_shared_jar_keeps_no_login_cookies(fake: FakeClassCharts) -> None:
    async with aiohttp.ClientSession() as shared:
        client = ClassChartsClient(
            shared,
            StudentCredentials(STUDENT_CODE, STUDENT_DOB),
            base_url=f"http://localhost:{fake.port}",
        )
        await client.login()
        names = {cookie.key for cookie in shared.cookie_jar}
        assert not names & {"cc-session", "student_session_credentials"}


async def test_parent_reads_both_children_after_relogin(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    client = parent()
    await client.get_pupils()
    fake.expire_sessions()
    counts: Counter[int] = Counter()
    for child in (STUDENT_ID, BEN_ID):
        counts[child] = len(await client.get_badges(child))
    assert counts == {STUDENT_ID: 1, BEN_ID: 0}
    assert login_requests(fake, "parent") == 2
