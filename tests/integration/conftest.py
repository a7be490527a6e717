"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import AsyncMock, patch

import pytest


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Config flows end without setting the new entry up (and say how often)."""
    with patch(
        "custom_components.classcharts_hass.async_setup_entry", return_value=True
    ) as mock_setup:
        yield mock_setup
