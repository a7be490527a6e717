"""The end-to-end tests run real processes; none of Home Assistant's test fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override tests/conftest.py's: it would set up the in-process ``hass`` fixture.

    The real Home Assistant loads the integration from its config dir.
    """
