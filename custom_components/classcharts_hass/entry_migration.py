"""Our own config entries across this integration's versions.

Entries of the domain ``classcharts_hass`` are only ever written by this
integration. Another integration's entries (domain ``classcharts``) are never
migrated: they are offered instead (other_integrations.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from . import repairs
from .client import AccountType
from .const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    ENTRY_MINOR_VERSION,
    ENTRY_VERSION,
    LOGGER,
)


def is_our_layout(data: Mapping[str, Any]) -> bool:
    """Whether the data is a layout this integration writes."""
    match data.get(CONF_ACCOUNT_TYPE):
        case AccountType.STUDENT.value:
            try:
                date.fromisoformat(str(data.get(CONF_DATE_OF_BIRTH)))
            except ValueError:
                return False
            return isinstance(data.get(CONF_CODE), str) and bool(data[CONF_CODE])
        case AccountType.PARENT.value:
            return all(
                isinstance(data.get(key), str) and data[key]
                for key in (CONF_EMAIL, CONF_PASSWORD)
            )
    return False


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Bring an entry of ours to this version; never raises, sends nothing."""
    if entry.version <= ENTRY_VERSION and is_our_layout(entry.data):
        # A newer minor version of this major one reads the same: leave it.
        if (entry.version, entry.minor_version) < (ENTRY_VERSION, ENTRY_MINOR_VERSION):
            hass.config_entries.async_update_entry(
                entry, version=ENTRY_VERSION, minor_version=ENTRY_MINOR_VERSION
            )
        return True
    # Key names only: the values may be credentials.
    LOGGER.error(
        "Config entry %s (version %s.%s, keys %s) is in a layout this "
        "integration does not know; remove it and add the account again",
        entry.entry_id,
        entry.version,
        entry.minor_version,
        ", ".join(sorted(map(str, entry.data))) or "none",
    )
    repairs.async_unknown_layout(hass, entry)
    return False
