"""Diagnostics: useful, and with nothing personal or secret in them."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.conftest import find_secrets, setup_entry
from tests.fake_server import PARENT_EMAIL, FakeClassCharts


async def test_diagnostics_are_redacted(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Entry data and pupil data are there; credentials and names are not."""
    await setup_entry(hass_london, parent_entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, parent_entry
    )
    text = json.dumps(diagnostics)
    assert find_secrets(text, fake) == []
    for personal in (PARENT_EMAIL, "Ada", "Ben", "Example"):
        assert personal not in text
    assert diagnostics["entry"]["data"]["password"] == "**REDACTED**"
    assert diagnostics["account_type"] == "parent"
    pupil = diagnostics["data"]["pupil_1"]
    assert pupil["pupil"]["name"] == "**REDACTED**"
    assert pupil["homeworks"]
    assert any(pupil["lessons"].values())


async def test_diagnostics_carry_the_client_shapes(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """The client's answer shapes and dropped items are there, with no values."""
    body = json.loads(json.dumps({"success": 1, "data": [], "meta": []}))
    fake.set_response("announcements", body, times=None)
    await setup_entry(hass_london, parent_entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, parent_entry
    )
    client = diagnostics["client"]
    assert client["shapes"]["ping"]["meta"]["session_id"] == "string"
    assert client["shapes"]["announcements"] == {
        "success": "number",
        "data": "list(0)",
        "meta": "list(0)",
    }
    assert client["dropped"] == {}
    assert find_secrets(json.dumps(client), fake) == []
