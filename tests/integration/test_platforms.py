"""Snapshots of the binary sensor, calendar, event and to-do platforms (sensors: test_sensor.py)."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from tests.conftest import setup_entry
from tests.fake_server import FakeClassCharts


@pytest.mark.parametrize(
    "platform",
    [Platform.BINARY_SENSOR, Platform.CALENDAR, Platform.EVENT, Platform.TODO],
)
async def test_platform(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of a platform for a parent of two, Tuesday 10:00 UK time."""
    with patch("custom_components.classcharts_hass.PLATFORMS", [platform]):
        await setup_entry(hass_london, parent_entry)
    await snapshot_platform(
        hass_london, entity_registry, snapshot, parent_entry.entry_id
    )
