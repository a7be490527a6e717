"""The ClassCharts integration: wires the client, the coordinator and the platforms."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .announced_store import AnnouncedStore
from .card import async_register_card
from .client_factory import create_client, credentials_from_data
from .const import DOMAIN
from .coordinator import (
    ClassChartsConfigEntry,
    ClassChartsCoordinator,
    ClassChartsRuntimeData,
)

# Home Assistant looks for async_migrate_entry on this module.
from .entry_migration import async_migrate_entry as async_migrate_entry
from .home_points import async_setup_home_points
from .repairs import (
    async_remove_condition_issues,
    async_remove_entry_issues,
    async_setup_issue_cleanup,
)
from .report_action import async_setup_report_action
from .services import async_setup_services
from .switching import async_offer_accounts, async_setup_switching

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.TODO,
]


CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions once."""
    async_setup_services(hass)
    async_setup_home_points(hass)
    async_setup_issue_cleanup(hass)
    async_setup_switching(hass)
    async_setup_report_action(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ClassChartsConfigEntry) -> bool:
    """Log in, fetch the first data, and set up the platforms."""
    client = create_client(hass, credentials_from_data(dict(entry.data)))
    store = AnnouncedStore(hass, entry.entry_id)
    announced = await store.async_load()
    coordinator = ClassChartsCoordinator(hass, entry, client, announced)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = ClassChartsRuntimeData(
        client=client, coordinator=coordinator, store=store
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # Loaded: the accounts of other ClassCharts integrations can be offered.
    async_offer_accounts(hass)
    return True


async def async_remove_entry(
    hass: HomeAssistant, entry: ClassChartsConfigEntry
) -> None:
    """Forget which items were announced, and the entry's repair issues."""
    await AnnouncedStore(hass, entry.entry_id).async_remove()
    async_remove_entry_issues(hass, entry.entry_id)


async def async_unload_entry(
    hass: HomeAssistant, entry: ClassChartsConfigEntry
) -> bool:
    """Unload the platforms; write down which items were announced, then stop.

    After this nothing writes the store: a poll still in flight finishes
    without saving, announcing or arming a timer, so removing the entry leaves
    no file and a reload announces its news once.
    """
    entry.runtime_data.coordinator.close()
    store = entry.runtime_data.store
    await store.async_flush()
    store.close()
    async_remove_condition_issues(hass, entry.entry_id)
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
