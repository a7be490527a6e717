"""Offer each account of the other ClassCharts integrations as a discovered card.

Home Assistant sets this integration up only when it has an entry of its own,
so the cards come once an entry of ours is loaded, and again whenever an entry
of the other domain appears or changes (added, enabled). Each account is one
card: the flow's id is the account's, so a card already shown, or ignored, is
not shown again (switching_flow.py).
"""

from __future__ import annotations

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    SOURCE_INTEGRATION_DISCOVERY,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .const import DOMAIN
from .other_integrations import OTHER_DOMAIN, accounts_to_offer


@callback
def async_offer_accounts(hass: HomeAssistant) -> None:
    """Start a card for each account of the other integrations not set up here."""
    for account in accounts_to_offer(hass):
        discovery_flow.async_create_flow(
            hass,
            DOMAIN,
            context={"source": SOURCE_INTEGRATION_DISCOVERY},
            # The key only: the flow reads the details from storage itself.
            data={"key": account.key},
        )


@callback
def async_setup_switching(hass: HomeAssistant) -> None:
    """Offer again whenever an entry of the other domain is added or changed."""

    @callback
    def _changed(change: ConfigEntryChange, entry: ConfigEntry) -> None:
        if (
            entry.domain == OTHER_DOMAIN
            and change is not ConfigEntryChange.REMOVED
            and any(
                ours.state is ConfigEntryState.LOADED
                for ours in hass.config_entries.async_entries(DOMAIN)
            )
        ):
            async_offer_accounts(hass)

    async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, _changed)
