"""The ClassCharts integration."""

from __future__ import annotations

from datetime import date
import functools

from aiohttp import ClientSession, DummyCookieJar
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_create_clientsession
from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey

from .card import async_register_card
from .client import (
    DEFAULT_BASE_URL,
    AccountType,
    ClassChartsClient,
    Credentials,
    ParentCredentials,
    StudentCredentials,
)
from .const import (
    BASE_URL_ENV,
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    DOMAIN,
    LOGGER,
    classcharts_base_url,
)
from .coordinator import (
    ClassChartsConfigEntry,
    ClassChartsCoordinator,
    ClassChartsRuntimeData,
)
from .home_points import async_setup_home_points

# Home Assistant looks for async_migrate_entry on this module.
from .migration import (
    async_migrate_entry as async_migrate_entry,
    async_settle_migrated_entry,
)
from .repairs import async_remove_condition_issues, async_remove_entry_issues
from .seen import SeenItems
from .services import async_setup_services

FLOW_SESSION: HassKey[ClientSession] = HassKey(f"{DOMAIN}_flow_session")
BASE_URL: HassKey[str] = HassKey(f"{DOMAIN}_base_url")

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.TODO,
]


def credentials_from_data(data: dict[str, str]) -> Credentials:
    """Rebuild the client credentials stored in a config entry."""
    if data[CONF_ACCOUNT_TYPE] == AccountType.STUDENT:
        return StudentCredentials(
            code=data[CONF_CODE],
            date_of_birth=date.fromisoformat(data[CONF_DATE_OF_BIRTH]),
        )
    return ParentCredentials(email=data[CONF_EMAIL], password=data[CONF_PASSWORD])


@functools.cache
def _warn_other_base_url(base_url: str) -> None:
    """Say once per process (and address) that this is not the real ClassCharts."""
    LOGGER.warning("Using ClassCharts at %s (set by %s)", base_url, BASE_URL_ENV)


def create_client(
    hass: HomeAssistant, credentials: Credentials, *, for_flow: bool = False
) -> ClassChartsClient:
    """A client whose session stores no cookies.

    The client keeps its cookies itself, so nothing of this account's session
    ends up in a jar that another integration could read. A config entry gets a
    session of its own; config and options flows share one.
    """
    if BASE_URL not in hass.data:
        # Read once per start: the address cannot change under a running entry.
        hass.data[BASE_URL] = classcharts_base_url()
    base_url = hass.data[BASE_URL]
    if base_url != DEFAULT_BASE_URL:
        _warn_other_base_url(base_url)
    if for_flow:
        session = hass.data.get(FLOW_SESSION)
        if session is None:
            session = hass.data[FLOW_SESSION] = async_create_clientsession(
                hass, cookie_jar=DummyCookieJar()
            )
    else:
        session = async_create_clientsession(hass, cookie_jar=DummyCookieJar())
    return ClassChartsClient(session, credentials, base_url=base_url)


CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions once."""
    async_setup_services(hass)
    async_setup_home_points(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ClassChartsConfigEntry) -> bool:
    """Log in, fetch the first data, and set up the platforms."""
    client = create_client(hass, credentials_from_data(dict(entry.data)))
    if not await async_settle_migrated_entry(hass, entry, client):
        return False  # merged into another entry of the same account
    seen = SeenItems(hass, entry.entry_id)
    await seen.async_load()
    coordinator = ClassChartsCoordinator(hass, entry, client, seen)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = ClassChartsRuntimeData(
        client=client, coordinator=coordinator, seen=seen
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_remove_entry(
    hass: HomeAssistant, entry: ClassChartsConfigEntry
) -> None:
    """Forget which items were announced, and the entry's repair issues."""
    await SeenItems(hass, entry.entry_id).async_remove()
    async_remove_entry_issues(hass, entry.entry_id)


async def async_unload_entry(
    hass: HomeAssistant, entry: ClassChartsConfigEntry
) -> bool:
    """Unload the platforms; write down which items were announced, then stop.

    After this nothing writes the store: a poll still in flight finishes
    without saving (and arms no timer), so removing the entry leaves no file.
    """
    seen = entry.runtime_data.seen
    await seen.async_flush()
    seen.close()
    async_remove_condition_issues(hass, entry.entry_id)
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
