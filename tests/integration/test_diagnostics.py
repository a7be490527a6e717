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
