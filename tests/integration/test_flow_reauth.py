"""Config flow: reauth and reconfigure, same account only."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EXCLUDED_PUPILS,
    DOMAIN,
)
from tests.conftest import setup_entry
from tests.fake_server import (
    PARENT_EMAIL,
    STUDENT_CODE,
    FakeClassCharts,
)
from tests.integration.flow_helpers import (
    NEW_PASSWORD,
    PARENT_INPUT,
    STUDENT_INPUT,
    check,
    login_requests,
    submit,
    suggested,
)

pytestmark = pytest.mark.usefixtures("hass_london")


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
    assert result.get("translation_domain") is None  # en.json's message
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
    assert result.get("translation_domain") is None  # en.json's message
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
    assert result.get("translation_domain") is None  # en.json's message
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
    assert result.get("translation_domain") is None  # en.json's message
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
