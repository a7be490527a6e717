"""Config flow: ClassCharts' errors, and input checked before anything is sent."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.classcharts_hass.client.session import DEFAULT_TIMEOUT
from custom_components.classcharts_hass.const import (
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
)
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    FakeClassCharts,
)
from tests.integration.flow_helpers import (
    PARENT_INPUT,
    STUDENT_INPUT,
    check,
    defaults,
    login_requests,
    start,
    submit,
    suggested,
)

pytestmark = pytest.mark.usefixtures("hass_london")


# ---- errors from ClassCharts ---------------------------------------------------------


@pytest.mark.parametrize(
    ("account_type", "user_input"),
    [
        (
            "student",
            {CONF_CODE: "ZZZ99999", CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat()},
        ),
        ("student", {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "2012-03-15"}),
        ("parent", {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: "wrong password"}),
        (
            "parent",
            {CONF_EMAIL: "other@example.invalid", CONF_PASSWORD: PARENT_PASSWORD},
        ),
    ],
    ids=["wrong_code", "wrong_dob", "wrong_password", "wrong_email"],
)
async def test_invalid_auth(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    account_type: str,
    user_input: dict[str, str],
    mock_setup_entry: AsyncMock,
) -> None:
    """Refused credentials: invalid_auth, the form keeps what was typed, then recovery."""
    result = await start(hass, fake, account_type)
    result = await submit(hass, fake, result, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == account_type
    assert result["errors"] == {"base": "invalid_auth"}
    assert result["description_placeholders"] == {"name": ""}
    kept = {k: v for k, v in user_input.items() if k != CONF_PASSWORD}
    assert suggested(result) == kept
    assert len(login_requests(fake)) == 1
    good = STUDENT_INPUT if account_type == "student" else PARENT_INPUT
    result = await submit(hass, fake, result, good)
    if result["type"] is FlowResultType.FORM:
        result = await submit(hass, fake, result, {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_captcha_is_its_own_error(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """ClassCharts asking for a captcha is not "wrong details": the form says so."""
    fake.captcha_required = True
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["errors"] == {"base": "captcha_required"}


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ({"status": 503}, "cannot_connect"),
        ({"status": 502}, "cannot_connect"),
        ({"status": 429, "retry_after": 30}, "cannot_connect"),
        ({"status": 502, "path_contains": "/ping"}, "cannot_connect"),
        ({"html": True, "path_contains": "/ping"}, "unknown"),
        ({"malformed": True, "path_contains": "/ping"}, "unknown"),
        ({"wrong_shape": True, "path_contains": "/ping"}, "unknown"),
        ({"status": 404, "path_contains": "/ping"}, "unknown"),
    ],
    ids=[
        "login_503",
        "login_502",
        "rate_limited",
        "ping_502",
        "ping_html",
        "ping_malformed",
        "ping_wrong_shape",
        "ping_404",
    ],
)
@pytest.mark.parametrize("account_type", ["student", "parent"])
async def test_service_errors(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    account_type: str,
    failure: dict[str, Any],
    error: str,
) -> None:
    """Faults of the service map to cannot_connect or unknown; the form keeps the input."""
    user_input = STUDENT_INPUT if account_type == "student" else PARENT_INPUT
    fake.fail_next(**failure)
    result = await start(hass, fake, account_type)
    result = await submit(hass, fake, result, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == account_type
    assert result["errors"] == {"base": error}
    kept = {k: v for k, v in user_input.items() if k != CONF_PASSWORD}
    assert suggested(result) == kept
    # The fault has passed: the same form now works.
    result = await submit(hass, fake, result, user_input)
    assert result["type"] in (FlowResultType.CREATE_ENTRY, FlowResultType.FORM)
    assert result.get("errors") in (None, {})
    if result["type"] is FlowResultType.FORM:
        assert result["step_id"] == "pupils"
        hass.config_entries.flow.async_abort(result["flow_id"])
    else:
        await hass.async_block_till_done()


async def test_session_refused_after_login_is_unknown(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """A session that ClassCharts refuses straight after the login: unknown."""
    fake.fail_next(status=401, path_contains="/ping")
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["errors"] == {"base": "unknown"}


async def test_server_unreachable(
    hass: HomeAssistant, fake: FakeClassCharts, mock_setup_entry: AsyncMock
) -> None:
    """Connection refused: cannot_connect; it works once the server is back."""
    result = await start(hass, fake, "student")
    await fake.stop()
    result = await submit(hass, fake, result, STUDENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    await fake.start()
    result = await submit(hass, fake, result, STUDENT_INPUT)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_timeout(
    hass: HomeAssistant, fake: FakeClassCharts, freezer: FrozenDateTimeFactory
) -> None:
    """No answer within the client's 20 s: cannot_connect."""
    fake.fail_next(timeout=True)
    result = await start(hass, fake, "parent")
    task = hass.async_create_task(
        hass.config_entries.flow.async_configure(result["flow_id"], PARENT_INPUT)
    )
    # The loop's clock is frozen, so only yield (a timed sleep would never end).
    for _ in range(100_000):
        if fake.requests:
            break
        await asyncio.sleep(0)
    assert login_requests(fake) == ["/parent/login"]
    assert not task.done()
    # Move the frozen clock past the client's timeout.
    freezer.tick(DEFAULT_TIMEOUT + 1)
    result = check(await asyncio.wait_for(task, 10), fake)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert suggested(result) == {CONF_EMAIL: PARENT_EMAIL}


# ---- input checked before anything is sent -------------------------------------------


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        (
            {CONF_CODE: "", CONF_DATE_OF_BIRTH: "2012-03-14"},
            {CONF_CODE: "invalid_code"},
        ),
        (
            {CONF_CODE: "   ", CONF_DATE_OF_BIRTH: "2012-03-14"},
            {CONF_CODE: "invalid_code"},
        ),
        (
            {CONF_CODE: "ÅDA12345", CONF_DATE_OF_BIRTH: "2012-03-14"},
            {CONF_CODE: "invalid_code"},
        ),
        (
            {
                CONF_CODE: "ADA\uff11\uff12\uff13\uff14\uff15",
                CONF_DATE_OF_BIRTH: "2012-03-14",
            },
            {CONF_CODE: "invalid_code"},
        ),
        (
            {CONF_CODE: "AD1", CONF_DATE_OF_BIRTH: "2012-03-14"},
            {CONF_CODE: "invalid_code"},
        ),
        (
            {CONF_CODE: "A" * 21, CONF_DATE_OF_BIRTH: "2012-03-14"},
            {CONF_CODE: "invalid_code"},
        ),
        (
            {CONF_CODE: "ADA-12345", CONF_DATE_OF_BIRTH: "2012-03-14"},
            {CONF_CODE: "invalid_code"},
        ),
        (
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "2026-11-25"},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "2026-11-24"},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "1899-12-31"},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "not a date"},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: ""},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "31/02/2012"},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            # Month first (US order) is not a real day-first date.
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "03/14/2012"},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            # A two-digit year could be 1912 or 2012.
            {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "14/03/12"},
            {CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
        (
            # Both fields wrong: both messages show at once.
            {CONF_CODE: "ada", CONF_DATE_OF_BIRTH: "2026-12-01T00:00:00"},
            {CONF_CODE: "invalid_code", CONF_DATE_OF_BIRTH: "invalid_date_of_birth"},
        ),
    ],
    ids=[
        "empty_code",
        "spaces_code",
        "unicode_code",
        "fullwidth_digits_code",
        "short_code",
        "long_code",
        "punctuation_code",
        "born_tomorrow",
        "born_today",
        "born_before_1900",
        "not_a_date",
        "empty_date",
        "31_february",
        "month_first",
        "two_digit_year",
        "code_and_date_both_wrong",
    ],
)
async def test_student_input_checked_locally(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    user_input: dict[str, str],
    errors: dict[str, str],
) -> None:
    """Bad student input is refused with a field error and never sent."""
    result = await start(hass, fake, "student")
    result = await submit(hass, fake, result, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "student"
    assert result["errors"] == errors
    assert suggested(result) == user_input
    assert fake.requests == []


@pytest.mark.parametrize(
    "user_input",
    [
        {CONF_CODE: "A" * 20, CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat()},
        {CONF_CODE: "ADA1", CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat()},
        {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "1900-01-01"},
        {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: "2026-11-23"},
    ],
    ids=["20_character_code", "4_character_code", "born_1_jan_1900", "born_yesterday"],
)
async def test_student_input_at_the_limits_is_sent(
    hass: HomeAssistant, fake: FakeClassCharts, user_input: dict[str, str]
) -> None:
    """The longest and shortest codes and the oldest and newest birth dates the
    form takes go to ClassCharts, which answers for them (here: not this pupil)."""
    result = await start(hass, fake, "student")
    result = await submit(hass, fake, result, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert [r.path for r in fake.requests] == ["/student/login"]


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        (
            {CONF_EMAIL: "parent.example.invalid", CONF_PASSWORD: "x"},
            {CONF_EMAIL: "invalid_email"},
        ),
        ({CONF_EMAIL: "", CONF_PASSWORD: "x"}, {CONF_EMAIL: "invalid_email"}),
        (
            {CONF_EMAIL: "a b@example.invalid", CONF_PASSWORD: "x"},
            {CONF_EMAIL: "invalid_email"},
        ),
        (
            {CONF_EMAIL: "parent@localhost", CONF_PASSWORD: "x"},
            {CONF_EMAIL: "invalid_email"},
        ),
        (
            {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: ""},
            {CONF_PASSWORD: "empty_password"},
        ),
        (
            {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: "p" * 10_000},
            {CONF_PASSWORD: "password_too_long"},
        ),
        (
            {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: "p" * 257},
            {CONF_PASSWORD: "password_too_long"},
        ),
        (
            {CONF_EMAIL: "parent", CONF_PASSWORD: ""},
            {CONF_EMAIL: "invalid_email", CONF_PASSWORD: "empty_password"},
        ),
    ],
    ids=[
        "email_without_at",
        "empty_email",
        "email_with_space",
        "email_without_dot",
        "empty_password",
        "password_10000",
        "password_257",
        "email_and_password_both_wrong",
    ],
)
async def test_parent_input_checked_locally(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    user_input: dict[str, str],
    errors: dict[str, str],
) -> None:
    """Bad parent input is refused with a field error, never sent, password not kept."""
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "parent"
    assert result["errors"] == errors
    assert suggested(result) == {CONF_EMAIL: user_input[CONF_EMAIL]}
    assert fake.requests == []


async def test_password_of_256_characters_is_sent(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The longest allowed password still reaches ClassCharts."""
    result = await start(hass, fake, "parent")
    result = await submit(
        hass, fake, result, {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: "p" * 256}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    assert login_requests(fake) == ["/parent/login"]


@pytest.mark.parametrize(
    "date_of_birth",
    [
        "14/03/2012",  # typed as on the school's letter
        " 14.3.2012 ",
        "14-03-2012",
        "2012-03-14",  # what the browser's date input sends
        "2012-3-14",
        "2012-03-14T00:00:00",  # what a date picker may send
        "2012-03-14T00:00:00.000Z",
    ],
)
async def test_date_of_birth_forms_understood(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    date_of_birth: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """A date typed day first or sent as a date or datetime logs in as 14 March 2012."""
    result = await start(hass, fake, "student")
    result = await submit(
        hass,
        fake,
        result,
        {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: date_of_birth},
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    assert result["data"][CONF_DATE_OF_BIRTH] == STUDENT_DOB.isoformat() == "2012-03-14"


async def test_date_of_birth_field_is_an_empty_text_field(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The field is typed (DD/MM/YYYY in any browser), never pre-filled."""
    result = await start(hass, fake, "student")
    schema = result["data_schema"]
    assert schema is not None
    selectors = {str(key): value for key, value in schema.schema.items()}
    text = selectors[CONF_DATE_OF_BIRTH].serialize()["selector"]["text"]
    assert text.get("type", "text") == "text"
    assert CONF_DATE_OF_BIRTH not in defaults(result)
    assert CONF_DATE_OF_BIRTH not in suggested(result)
