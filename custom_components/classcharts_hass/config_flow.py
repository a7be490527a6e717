"""Config flow: the menu, reauth, reconfigure; the login and switching steps.

The login steps live in login_flow.py, the steps that take an account over
from another ClassCharts integration in switching_flow.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_EMAIL
from homeassistant.core import callback

from .client import AccountType
from .const import CONF_ACCOUNT_TYPE, DOMAIN, ENTRY_MINOR_VERSION, ENTRY_VERSION
from .coordinator import ClassChartsConfigEntry
from .login_form import account_unique_id, entry_data
from .options_flow import ClassChartsOptionsFlow
from .switching_flow import SwitchingFlow


class ClassChartsConfigFlow(SwitchingFlow, domain=DOMAIN):
    """Add a ClassCharts account."""

    VERSION = ENTRY_VERSION
    MINOR_VERSION = ENTRY_MINOR_VERSION

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ClassChartsConfigEntry) -> OptionsFlow:
        """Choose the included children (parent accounts)."""
        return ClassChartsOptionsFlow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only a parent account has something to choose."""
        return config_entry.data.get(CONF_ACCOUNT_TYPE) == AccountType.PARENT

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask who is logging in; accounts of other integrations are choices too."""
        offers, placeholders = self._menu_offers()
        return self.async_show_menu(
            step_id="user",
            menu_options=["student", "parent", *offers],
            description_placeholders=placeholders,
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """ClassCharts refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new password (or pupil code and date of birth)."""
        return await self._update_credentials(
            "reauth_confirm", self._get_reauth_entry(), user_input
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials of the same account."""
        return await self._update_credentials(
            "reconfigure", self._get_reconfigure_entry(), user_input
        )

    async def _update_credentials(
        self,
        step_id: str,
        entry: ConfigEntry,
        user_input: dict[str, Any] | None,
    ) -> ConfigFlowResult:
        """Shared by reauth and reconfigure: log in, same account only."""
        account_type = AccountType(entry.data[CONF_ACCOUNT_TYPE])
        errors: dict[str, str] = {}
        if user_input is not None:
            login, errors = await self._try_login(account_type, user_input)
            if login is not None:
                await self.async_set_unique_id(
                    account_unique_id(login.account), raise_on_progress=False
                )
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                # The reason named: from 2026.10 the default one shows Home
                # Assistant's generic message instead of en.json's.
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates=entry_data(login.credentials),
                    reason=(
                        "reconfigure_successful"
                        if self.source == SOURCE_RECONFIGURE
                        else "reauth_successful"
                    ),
                )
        suggested = user_input or {
            key: value
            for key, value in entry.data.items()
            if key == CONF_EMAIL  # never show a stored pupil code again
        }
        return self._show(account_type, step_id, suggested, errors, entry.title)
