"""Form login of students and parents, the activating ping, refused logins."""

from __future__ import annotations

from datetime import date, timedelta
import json

import pytest

from custom_components.classcharts_hass.client import (
    AccountType,
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsResponseError,
    ClassChartsSessionError,
    ParentCredentials,
    StudentCredentials,
)
from custom_components.classcharts_hass.client.loginpage import read_refusal
from tests.conftest import TODAY
from tests.fake_server import (
    CHILD_IDS,
    PARENT_EMAIL,
    PARENT_ID,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)

from .conftest import ClientFactory, assert_no_secrets, count, login_requests


async def test_student_login_then_data_is_seeded_not_empty(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    account = await client.login()
    assert account.type is AccountType.STUDENT
    assert account.id == STUDENT_ID
    assert account.name == "Ada Example"
    # The activating ping followed straight after the form login.
    paths = [r.path for r in fake.requests]
    assert paths == ["/student/login", "/apiv2student/ping"]
    homeworks = await client.get_homeworks(
        STUDENT_ID, TODAY - timedelta(days=30), TODAY + timedelta(days=30)
    )
    assert len(homeworks) == 7
    pupils = await client.get_pupils()
    assert [p.id for p in pupils] == [STUDENT_ID]
    assert pupils[0].features.homework
    assert login_requests(fake) == 1


async def test_student_code_is_normalised(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student(code=" " + STUDENT_CODE[:3].lower() + " " + STUDENT_CODE[3:])
    assert (await client.login()).id == STUDENT_ID


async def test_parent_login_with_awkward_password(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    # The password contains & = + % and a space: it only works if form-encoded.
    assert set("&=+% ") <= set(PARENT_PASSWORD)
    client = parent(email=f"  {PARENT_EMAIL} ")
    account = await client.login()
    assert account.type is AccountType.PARENT
    assert account.id == PARENT_ID
    assert account.name == "Sam Example"
    pupils = await client.get_pupils()
    assert [p.id for p in pupils] == list(CHILD_IDS)
    assert pupils[1].features.rewards is False
    assert login_requests(fake, "parent") == 1


async def test_parent_password_prefix_is_refused(
    fake: FakeClassCharts, parent: ClientFactory
) -> None:
    # Had '&' not been encoded the server would have seen this truncated password.
    fake.change_password(PARENT_EMAIL, "abc")
    client = parent(password="abc&password=abc")
    with pytest.raises(ClassChartsAuthenticationError):
        await client.login()


async def test_activation_ping_makes_data_non_empty(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    activity = await client.get_activity(STUDENT_ID, TODAY - timedelta(days=60), TODAY)
    assert activity.items
    behaviour = await client.get_behaviour(
        STUDENT_ID, TODAY - timedelta(days=60), TODAY
    )
    assert behaviour.positive > 0
    # Every data request was made by an activated, authenticated session.
    assert all(r.account == f"student:{STUDENT_ID}" for r in fake.api_requests())


@pytest.mark.parametrize(
    ("code", "dob"),
    [
        ("WRONG999", STUDENT_DOB),
        (STUDENT_CODE, date(2011, 3, 14)),
    ],
    ids=["bad-code", "bad-dob"],
)
async def test_student_refused(
    fake: FakeClassCharts, student: ClientFactory, code: str, dob: date
) -> None:
    client = student(code=code, dob=dob)
    with pytest.raises(ClassChartsAuthenticationError) as err:
        await client.get_badges(STUDENT_ID)
    assert "pupil code or date of birth" in str(err.value)
    assert client.account is None
    assert not fake.api_requests()
    assert_no_secrets(fake, err.value, client)


async def test_parent_refused(fake: FakeClassCharts, parent: ClientFactory) -> None:
    client = parent(password=PARENT_PASSWORD + "x")
    with pytest.raises(ClassChartsAuthenticationError) as err:
        await client.get_pupils()
    assert "email address or password" in str(err.value)
    assert not fake.api_requests()
    assert_no_secrets(fake, err.value, client)


@pytest.mark.parametrize("kind", ["student", "parent"])
async def test_captcha_is_explained(
    fake: FakeClassCharts, student: ClientFactory, parent: ClientFactory, kind: str
) -> None:
    fake.captcha_required = True
    client = student() if kind == "student" else parent()
    # Not an authentication error: typing the password again cannot fix it.
    with pytest.raises(ClassChartsCaptchaError) as err:
        await client.login()
    assert "captcha" in str(err.value).lower()
    assert_no_secrets(fake, err.value)


async def test_login_redirect_to_tes_is_a_session_error(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A login that sets the cookies but sends us to the Tes check.
    original = fake._form_login

    async def to_tes(request, kind, info):  # type: ignore[no-untyped-def]
        response = await original(request, kind, info)
        response.headers["Location"] = "https://session.tes.com/v1/verify?x=1"
        return response

    monkeypatch.setattr(fake, "_form_login", to_tes)
    with pytest.raises(ClassChartsSessionError, match="Tes session check") as err:
        await student().login()
    assert_no_secrets(fake, err.value)


async def test_unreadable_credentials_cookie(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = fake._form_login

    async def bad_cookie(request, kind, info):  # type: ignore[no-untyped-def]
        response = await original(request, kind, info)
        del response.headers["Set-Cookie"]
        response.headers.add("Set-Cookie", "cc-session=abc; path=/")
        response.headers.add("Set-Cookie", f"{kind}_session_credentials=%7Bnot; path=/")
        return response

    monkeypatch.setattr(fake, "_form_login", bad_cookie)
    with pytest.raises(ClassChartsResponseError, match="not the expected JSON"):
        await student().login()


async def test_ping_refusing_new_session(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    fake.set_response(
        "ping", {"success": 0, "error": "You are not logged in. [1]", "expired": 1}
    )
    with pytest.raises(ClassChartsSessionError, match="just opened") as err:
        await student().login()
    assert_no_secrets(fake, err.value)


async def test_ping_with_wrong_shape(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    fake.set_response("ping", {"success": 1, "data": {"user": "Ada"}, "meta": {}})
    with pytest.raises(ClassChartsResponseError, match=r"ping: data\.user"):
        await student().login()


async def test_explicit_login_replaces_session(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    client = student()
    await client.login()
    await client.login()
    assert login_requests(fake) == 2
    assert client.logins == 2
    await client.get_announcements(STUDENT_ID)
    # The call used the second session, not the first.
    last = fake.api_requests("announcements")[-1]
    logins = [r for r in fake.requests if r.path == "/student/login"]
    assert last.session == logins[-1].session
    assert count(fake, "/ping") == 2


def test_credentials_repr_hides_secrets() -> None:
    student = StudentCredentials(STUDENT_CODE, STUDENT_DOB)
    parent = ParentCredentials(PARENT_EMAIL, PARENT_PASSWORD)
    for value in (student, parent):
        text = repr(value) + str(value)
        assert STUDENT_CODE not in text
        assert PARENT_PASSWORD not in text
        assert STUDENT_DOB.isoformat() not in text
        assert "2012" not in text
    assert student.login_form()["dob"] == "14/03/2012"
    assert parent.login_form()["password"] == PARENT_PASSWORD


async def test_ping_without_new_token_keeps_the_old_one(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some answers carry no meta.session_id: the login token stays in use.
    original = fake._route

    async def strip_token(request, info):  # type: ignore[no-untyped-def]
        before = {key: session.token for key, session in fake._sessions.items()}
        response = await original(request, info)
        if request.path.endswith("/ping"):
            # This server keeps the login token and says nothing about it.
            for key, token in before.items():
                fake._sessions[key].token = token
            body = json.loads(response.text)
            body["meta"] = []
            response.text = json.dumps(body)
        return response

    monkeypatch.setattr(fake, "_route", strip_token)
    client = student()
    await client.login()
    assert await client.get_badges(STUDENT_ID)
    assert login_requests(fake) == 1


@pytest.mark.parametrize(
    "wording",
    [
        "Please complete the reCAPTCHA to continue.",
        "Please complete the captcha.",
        "A captcha is required.",
        "Captcha verification failed, please try again.",
        "Please verify that you are not a robot.",
        "Confirm you are not a robot",
    ],
)
def test_each_captcha_wording_is_a_captcha(wording: str) -> None:
    """Every wording ClassCharts uses for a captcha demand is read as one (not
    as an unknown page, which would only be retried)."""
    page = f"<html><body><form><p>{wording}</p></form></body></html>".encode()
    assert isinstance(
        read_refusal(AccountType.PARENT, 200, page), ClassChartsCaptchaError
    )
