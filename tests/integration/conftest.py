"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import AsyncMock, patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockModule,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.classcharts_hass.other_integrations import OTHER_DOMAIN
from tests.integration.other_entries import OtherFlow


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Config flows end without setting the new entry up (and say how often)."""
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ) as mock_setup:
        yield mock_setup


@pytest.fixture(params=["absent", "installed"])
def other_integration(
    request: pytest.FixtureRequest, hass_london: HomeAssistant
) -> Iterator[str]:
    """The other integration uninstalled (entries left behind), or installed."""
    if request.param == "absent":
        yield request.param
        return
    mock_integration(
        hass_london,
        MockModule(
            OTHER_DOMAIN,
            async_setup_entry=AsyncMock(return_value=True),
            async_unload_entry=AsyncMock(return_value=True),
            async_migrate_entry=AsyncMock(return_value=True),
        ),
    )
    mock_platform(hass_london, f"{OTHER_DOMAIN}.config_flow", None)
    with mock_config_flow(OTHER_DOMAIN, OtherFlow):
        yield request.param
