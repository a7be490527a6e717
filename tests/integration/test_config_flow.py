"""Config flow tests: real HTTP against the fake ClassCharts on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.client.session import DEFAULT_TIMEOUT
from custom_components.classcharts_hass.const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EXCLUDED_PUPILS,
    CONF_PUPILS,
    DOMAIN,
)
from tests.conftest import find_device, find_secrets, setup_entry
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

ADA_ID, BEN_ID = CHILD_IDS
NEW_PASSWORD = "n3w p@ss=word+%"
LOGIN_PATHS = ("/student/login", "/parent/login")

TRANSLATIONS = json.loads(
    (
        Path(__file__).parents[2]
        / "custom_components"
        / "classcharts_hass"
        / "translations"
        / "en.json"
    ).read_text(encoding="utf-8")
)

pytestmark = pytest.mark.usefixtures("hass_london")


# ---- helpers -------------------------------------------------------------------------


def login_requests(fake: FakeClassCharts) -> list[str]:
    """Paths of the login posts the fake server received."""
    return [r.path for r in fake.requests if r.path.rstrip("/") in LOGIN_PATHS]


def suggested(result: FlowResult) -> dict[str, Any]:
    """The suggested (pre-filled) values of a form, by field name."""
    schema = result["data_schema"]
    assert schema is not None
    values = {}
    for key in schema.schema:
        description = getattr(key, "description", None) or {}
        if "suggested_value" in description:
            values[str(key)] = description["suggested_value"]
    return values


def defaults(result: FlowResult) -> dict[str, Any]:
    """The default values of a form, by field name."""
    schema = result["data_schema"]
    assert schema is not None
    return {
        str(key): key.default()
        for key in schema.schema
        if callable(getattr(key, "default", None))
    }


def select_options(result: FlowResult, field: str) -> list[dict[str, str]]:
    """The options of a select field of a form."""
    schema = result["data_schema"]
    assert schema is not None
    for key, selector in schema.schema.items():
        if str(key) == field:
            return list(selector.config["options"])
    raise KeyError(field)


def check(
    result: FlowResult, fake: FakeClassCharts, section: str = "config"
) -> FlowResult:
    """Assert a result leaks no secret and uses only translated keys; return it."""
    placeholders = result.get("description_placeholders") or {}
    errors = result.get("errors") or {}
    exposed = json.dumps(
        {
            "placeholders": placeholders,
            "errors": errors,
            "reason": result.get("reason"),
            "title": result.get("title"),
        },
        default=str,
    )
    assert not find_secrets(exposed, fake)
    assert NEW_PASSWORD not in exposed
    strings = TRANSLATIONS[section]
    for error in errors.values():
        assert error in strings["error"], error
    if result["type"] is FlowResultType.ABORT:
        assert result["reason"] in strings["abort"], result["reason"]
    if result["type"] is FlowResultType.FORM:
        assert result["step_id"] in strings["step"]
        assert CONF_PASSWORD not in suggested(result)
    return result


async def start_user_flow(hass: HomeAssistant, fake: FakeClassCharts) -> FlowResult:
    """Open the menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return check(result, fake)


async def start(
    hass: HomeAssistant, fake: FakeClassCharts, account_type: str
) -> FlowResult:
    """Open the menu and choose student or parent."""
    result = await start_user_flow(hass, fake)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": account_type}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == account_type
    assert result["errors"] == {}
    return check(result, fake)


async def submit(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    result: FlowResult,
    user_input: Mapping[str, Any],
) -> FlowResult:
    """Submit a config flow form."""
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], dict(user_input)
    )
    return check(result, fake)


STUDENT_INPUT = {CONF_CODE: STUDENT_CODE, CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat()}
PARENT_INPUT = {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: PARENT_PASSWORD}


# ---- menu and happy paths ------------------------------------------------------------


async def test_menu_offers_student_and_parent(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The first step asks who is logging in, and sends nothing."""
    result = await start_user_flow(hass, fake)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert list(result["menu_options"]) == ["student", "parent"]
    assert fake.requests == []


async def test_student_happy_path(hass: HomeAssistant, fake: FakeClassCharts) -> None:
    """A code typed in lower case with spaces is normalised; the pupil names the entry."""
    result = await start(hass, fake, "student")
    assert suggested(result) == {}
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ) as mock_setup:
        result = await submit(
            hass,
            fake,
            result,
            {
                CONF_CODE: "  "
                + " ".join(STUDENT_CODE.lower()[i : i + 3] for i in (0, 3, 6)),
                CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat(),
            },
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Ada Example"
    assert result["data"] == {
        CONF_ACCOUNT_TYPE: "student",
        CONF_CODE: STUDENT_CODE,
        CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat(),
    }
    entry = result["result"]
    assert entry.unique_id == f"student-{STUDENT_ID}"
    assert entry.options == {}
    assert not entry.supports_options
    assert len(mock_setup.mock_calls) == 1
    assert login_requests(fake) == ["/student/login"]


async def test_parent_happy_path_all_children_by_default(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """Both children are ticked by default and none is excluded."""
    result = await start(hass, fake, "parent")
    result = await submit(
        hass,
        fake,
        result,
        {CONF_EMAIL: f"  {PARENT_EMAIL} ", CONF_PASSWORD: PARENT_PASSWORD},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pupils"
    assert result["errors"] == {}
    assert select_options(result, CONF_PUPILS) == [
        {"value": str(ADA_ID), "label": "Ada Example"},
        {"value": str(BEN_ID), "label": "Ben Example"},
    ]
    assert defaults(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
        result = await submit(hass, fake, result, {})
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Sam Example"
    assert result["data"] == {
        CONF_ACCOUNT_TYPE: "parent",
        CONF_EMAIL: PARENT_EMAIL,
        CONF_PASSWORD: PARENT_PASSWORD,
    }
    assert result["options"] == {CONF_EXCLUDED_PUPILS: []}
    entry = result["result"]
    assert entry.unique_id == f"parent-{PARENT_ID}"
    assert entry.supports_options


async def test_parent_with_one_child_deselected(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """An unticked child is stored as excluded, and the entry sets up without it."""
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["step_id"] == "pupils"
    result = await submit(hass, fake, result, {CONF_PUPILS: [str(ADA_ID)]})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_EXCLUDED_PUPILS: [BEN_ID]}
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert {next(iter(d.identifiers)) for d in devices} == {
        (DOMAIN, f"parent-{PARENT_ID}_{ADA_ID}")
    }
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_parent_must_choose_a_child(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """Choosing no child shows an error; choosing one afterwards works."""
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    result = await submit(hass, fake, result, {CONF_PUPILS: []})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pupils"
    assert result["errors"] == {CONF_PUPILS: "no_pupils_selected"}
    assert defaults(result) == {CONF_PUPILS: []}  # as chosen, not ticked again
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
        result = await submit(hass, fake, result, {CONF_PUPILS: [str(BEN_ID)]})
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_EXCLUDED_PUPILS: [ADA_ID]}


async def test_parent_without_children_aborts(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """A parent account with no children has nothing to add."""
    fake.parent_children = []
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_pupils"
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_parent_children_list_fails_then_retry(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The login works but the list of children does not: cannot_connect, then retry."""
    fake.fail_next(status=503, path_contains="/pupils")
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "parent"
    assert result["errors"] == {"base": "cannot_connect"}
    assert suggested(result) == {CONF_EMAIL: PARENT_EMAIL}
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pupils"


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
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
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


async def test_server_unreachable(hass: HomeAssistant, fake: FakeClassCharts) -> None:
    """Connection refused: cannot_connect; it works once the server is back."""
    result = await start(hass, fake, "student")
    await fake.stop()
    result = await submit(hass, fake, result, STUDENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    await fake.start()
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
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
    hass: HomeAssistant, fake: FakeClassCharts, date_of_birth: str
) -> None:
    """A date typed day first or sent as a date or datetime logs in as 14 March 2012."""
    result = await start(hass, fake, "student")
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
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


# ---- already configured --------------------------------------------------------------


async def test_student_already_configured(
    hass: HomeAssistant, fake: FakeClassCharts, student_entry: MockConfigEntry
) -> None:
    """The same student account cannot be added twice."""
    student_entry.add_to_hass(hass)
    result = await start(hass, fake, "student")
    result = await submit(
        hass, fake, result, {CONF_CODE: "ada12345", CONF_DATE_OF_BIRTH: "2012-03-14"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_parent_already_configured(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """The same parent account cannot be added twice (even with the email's case changed)."""
    parent_entry.add_to_hass(hass)
    result = await start(hass, fake, "parent")
    result = await submit(
        hass,
        fake,
        result,
        {CONF_EMAIL: PARENT_EMAIL.upper(), CONF_PASSWORD: PARENT_PASSWORD},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert fake.api_requests("/pupils") == []
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_student_and_parent_of_same_child_are_separate(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """A student login is another account than the parent's, even for the same child."""
    parent_entry.add_to_hass(hass)
    result = await start(hass, fake, "student")
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
        result = await submit(hass, fake, result, STUDENT_INPUT)
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


async def test_parent_flow_unticks_a_child_with_own_student_login(
    hass: HomeAssistant, fake: FakeClassCharts, student_entry: MockConfigEntry
) -> None:
    """Ada's student login is set up: she is marked and unticked, Ben is ticked."""
    student_entry.add_to_hass(hass)
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["step_id"] == "pupils"
    assert select_options(result, CONF_PUPILS) == [
        {"value": str(ADA_ID), "label": "Ada Example (student login already added)"},
        {"value": str(BEN_ID), "label": "Ben Example"},
    ]
    assert defaults(result) == {CONF_PUPILS: [str(BEN_ID)]}
    assert result["description_placeholders"] == {"student_logins": "Ada Example"}
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
        result = await submit(hass, fake, result, {})
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_EXCLUDED_PUPILS: [ADA_ID]}


async def test_parent_flow_without_student_logins_says_none(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """Another parent entry is no student login: nobody is marked."""
    other = MockConfigEntry(
        domain=DOMAIN, unique_id="parent-1", data={CONF_ACCOUNT_TYPE: "parent"}
    )
    other.add_to_hass(hass)
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert defaults(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    assert result["description_placeholders"] == {"student_logins": "none"}


async def test_student_flow_says_when_a_parent_login_shows_the_child(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """With Ada already under the parent login, the student flow says so first."""
    await setup_entry(hass, parent_entry)
    result = await start(hass, fake, "student")
    result = await submit(hass, fake, result, STUDENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "student_and_parent"
    assert result["description_placeholders"] == {
        "name": "Ada Example",
        "parents": "Sam Example",
    }
    result = await submit(hass, fake, result, {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    registry = dr.async_get(hass)
    models = {
        device.model
        for config_entry in (entry, parent_entry)
        for device in dr.async_entries_for_config_entry(registry, config_entry.entry_id)
        if device.name == "Ada Example"
    }
    assert models == {"Student login", "Parent login"}
    for config_entry in (entry, parent_entry):
        assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_student_flow_quiet_when_parent_excludes_the_child(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """A parent login that leaves Ada out does not show her: no extra step."""
    await setup_entry(hass, parent_entry)
    hass.config_entries.async_update_entry(
        parent_entry, options={CONF_EXCLUDED_PUPILS: [ADA_ID]}
    )
    result = await start(hass, fake, "student")
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ):
        result = await submit(hass, fake, result, STUDENT_INPUT)
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert await hass.config_entries.async_unload(parent_entry.entry_id)


# ---- reauth --------------------------------------------------------------------------


async def test_reauth_parent_new_password(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """After a password change the reauth form takes the new one and reloads."""
    await setup_entry(hass, parent_entry)
    assert parent_entry.state is ConfigEntryState.LOADED
    fake.change_password(PARENT_EMAIL, NEW_PASSWORD)

    result = check(await parent_entry.start_reauth_flow(hass), fake)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {"name": "Sam Example"}
    assert suggested(result) == {CONF_EMAIL: PARENT_EMAIL}

    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_auth"}
    assert result["description_placeholders"] == {"name": "Sam Example"}
    assert suggested(result) == {CONF_EMAIL: PARENT_EMAIL}

    fake.clear_requests()
    result = await submit(
        hass, fake, result, {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: NEW_PASSWORD}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert parent_entry.data == {
        CONF_ACCOUNT_TYPE: "parent",
        CONF_EMAIL: PARENT_EMAIL,
        CONF_PASSWORD: NEW_PASSWORD,
    }
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: []}
    assert parent_entry.state is ConfigEntryState.LOADED
    # One login by the flow, one by the reloaded entry.
    # The flow's login, then the reloaded entry's. (The entry's update listener
    # reloads it a second time: see the report on __init__.py.)
    assert login_requests(fake)[:2] == ["/parent/login", "/parent/login"]
    assert fake.api_requests("/pupils")


async def test_reauth_student(
    hass: HomeAssistant, fake: FakeClassCharts, student_entry: MockConfigEntry
) -> None:
    """A student reauth shows the student fields and accepts the right details."""
    student_entry.add_to_hass(hass)
    result = check(await student_entry.start_reauth_flow(hass), fake)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {"name": "Ada Example"}
    fields = {str(key) for key in result["data_schema"].schema}
    assert fields == {CONF_CODE, CONF_DATE_OF_BIRTH}
    result = await submit(
        hass, fake, result, {CONF_CODE: "ada 123 45", CONF_DATE_OF_BIRTH: "2012-03-14"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert student_entry.data[CONF_CODE] == STUDENT_CODE
    assert student_entry.state is ConfigEntryState.LOADED


async def test_reauth_input_checked_locally(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """The reauth form checks its input before sending anything."""
    parent_entry.add_to_hass(hass)
    result = await parent_entry.start_reauth_flow(hass)
    result = await submit(
        hass, fake, result, {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: ""}
    )
    assert result["errors"] == {CONF_PASSWORD: "empty_password"}
    assert suggested(result) == {CONF_EMAIL: PARENT_EMAIL}
    assert fake.requests == []


async def test_reauth_wrong_account(hass: HomeAssistant, fake: FakeClassCharts) -> None:
    """Details of another account cannot reauthenticate an entry."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Someone Else",
        unique_id="student-999",
        data={
            CONF_ACCOUNT_TYPE: "student",
            CONF_CODE: "OTHER999",
            CONF_DATE_OF_BIRTH: "2011-01-01",
        },
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    # A stored pupil code is a secret: the form never shows it again.
    assert suggested(result) == {}
    result = await submit(hass, fake, result, STUDENT_INPUT)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_CODE] == "OTHER999"


# ---- reconfigure ---------------------------------------------------------------------


async def test_reconfigure_same_account(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """The same account's new details are stored and the entry reloads."""
    await setup_entry(hass, parent_entry)
    fake.change_password(PARENT_EMAIL, NEW_PASSWORD)
    result = check(await parent_entry.start_reconfigure_flow(hass), fake)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"name": "Sam Example"}
    assert suggested(result) == {CONF_EMAIL: PARENT_EMAIL}
    result = await submit(
        hass,
        fake,
        result,
        {CONF_EMAIL: PARENT_EMAIL.upper(), CONF_PASSWORD: NEW_PASSWORD},
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert parent_entry.data == {
        CONF_ACCOUNT_TYPE: "parent",
        CONF_EMAIL: PARENT_EMAIL.upper(),
        CONF_PASSWORD: NEW_PASSWORD,
    }
    assert parent_entry.state is ConfigEntryState.LOADED


async def test_reconfigure_student_errors_then_success(
    hass: HomeAssistant, fake: FakeClassCharts, student_entry: MockConfigEntry
) -> None:
    """Errors in reconfigure keep the typed values; a good retry succeeds."""
    student_entry.add_to_hass(hass)
    result = await student_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    typed = {CONF_CODE: "ada12345", CONF_DATE_OF_BIRTH: "2012-03-15"}
    result = await submit(hass, fake, result, typed)
    assert result["errors"] == {"base": "invalid_auth"}
    assert suggested(result) == typed
    fake.fail_next(status=503)
    result = await submit(hass, fake, result, STUDENT_INPUT)
    assert result["errors"] == {"base": "cannot_connect"}
    result = await submit(hass, fake, result, STUDENT_INPUT)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert student_entry.state is ConfigEntryState.LOADED


async def test_reconfigure_wrong_account(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """Reconfigure cannot switch an entry to another ClassCharts account."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Other Parent",
        unique_id="parent-1",
        data={
            CONF_ACCOUNT_TYPE: "parent",
            CONF_EMAIL: "other@example.invalid",
            CONF_PASSWORD: "old secret",
        },
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert suggested(result) == {CONF_EMAIL: "other@example.invalid"}
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_PASSWORD] == "old secret"


# ---- options -------------------------------------------------------------------------


async def test_options_only_for_parents(
    hass: HomeAssistant, student_entry: MockConfigEntry, parent_entry: MockConfigEntry
) -> None:
    """A student has no children to choose; a parent does."""
    student_entry.add_to_hass(hass)
    parent_entry.add_to_hass(hass)
    assert not student_entry.supports_options
    assert parent_entry.supports_options


async def test_options_exclude_a_child(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """Unticking Ben stores him as excluded, reloads and removes his device."""
    await setup_entry(hass, parent_entry)
    entities = er.async_get(hass)
    ben_device = find_device(hass, f"parent-{PARENT_ID}_{BEN_ID}")
    assert ben_device is not None
    ben_entities = [
        e.entity_id
        for e in er.async_entries_for_config_entry(entities, parent_entry.entry_id)
        if e.unique_id.startswith(f"parent-{PARENT_ID}_{BEN_ID}_")
    ]
    assert ben_entities
    assert all(hass.states.get(e) is not None for e in ben_entities)

    result = check(
        await hass.config_entries.options.async_init(parent_entry.entry_id),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert select_options(result, CONF_PUPILS) == [
        {"value": str(ADA_ID), "label": "Ada Example"},
        {"value": str(BEN_ID), "label": "Ben Example"},
    ]
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}

    result = check(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PUPILS: []}
        ),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PUPILS: "no_pupils_selected"}
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}

    result = check(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PUPILS: [str(ADA_ID)]}
        ),
        fake,
        "options",
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: [BEN_ID]}
    assert parent_entry.data[CONF_PASSWORD] == PARENT_PASSWORD
    assert parent_entry.state is ConfigEntryState.LOADED

    assert find_device(hass, f"parent-{PARENT_ID}_{BEN_ID}") is None
    assert find_device(hass, f"parent-{PARENT_ID}_{ADA_ID}")
    for entity_id in ben_entities:
        state = hass.states.get(entity_id)
        assert state is None or state.state == STATE_UNAVAILABLE, entity_id
        assert entities.async_get(entity_id) is None, entity_id

    # The next options form ticks only Ada.
    result = await hass.config_entries.options.async_init(parent_entry.entry_id)
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID)]}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: []}
    assert find_device(hass, f"parent-{PARENT_ID}_{BEN_ID}")


async def test_options_server_down(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """Without ClassCharts there is no list of children: abort."""
    await setup_entry(hass, parent_entry)
    await fake.stop()
    result = check(
        await hass.config_entries.options.async_init(parent_entry.entry_id),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: []}
    await fake.start()
    assert await hass.config_entries.async_unload(parent_entry.entry_id)


async def test_options_server_fault(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """A server fault while listing the children aborts the options flow."""
    await setup_entry(hass, parent_entry)
    fake.fail_next(status=503, path_contains="/pupils")
    result = await hass.config_entries.options.async_init(parent_entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_options_while_entry_not_loaded(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """The options of an entry that could not set up still list the children."""
    await fake.stop()
    await setup_entry(hass, parent_entry)
    assert parent_entry.state is not ConfigEntryState.LOADED
    await fake.start()
    result = check(
        await hass.config_entries.options.async_init(parent_entry.entry_id),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.FORM
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_PUPILS: [str(ADA_ID)]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: [BEN_ID]}
