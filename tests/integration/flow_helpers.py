"""Helpers of the config flow tests: real HTTP against the fake ClassCharts on loopback."""

from __future__ import annotations

from collections.abc import Mapping
import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType

from custom_components.classcharts_hass.const import (
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    DOMAIN,
)
from tests.conftest import find_secrets
from tests.fake_server import (
    CHILD_IDS,
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
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
