"""Adding an account found in another ClassCharts integration, nothing retyped.

Offered two ways: as a choice of the "Add integration" menu (the only place on a
fresh install, where nothing of ours is loaded yet), and as a discovered card
(switching.py). Either way the stored login is checked with one login to
ClassCharts, and the entry gets the same children the old entries showed.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_EMAIL

from .client import AccountType, ClassChartsError, ParentCredentials
from .const import CONF_EXCLUDED_PUPILS
from .login_flow import Login, LoginFlow
from .login_form import entry_data
from .other_integrations import OtherAccount, accounts_to_offer
from .schema import vol

# The menu has a fixed set of steps; more accounts than this are still offered
# as discovered cards.
MENU_SLOTS: Final = 5
SWITCH_UNIQUE_ID_PREFIX: Final = "switch-"


def account_label(account: OtherAccount) -> str:
    """How a menu choice names the account: the email address and the children."""
    if not isinstance(account.credentials, ParentCredentials):
        return account.children
    if not account.children:  # an old entry of ours that left no devices
        return account.credentials.email
    return f"{account.credentials.email} ({account.children})"


class SwitchingFlow(LoginFlow):
    """The steps that add an account of another ClassCharts integration."""

    def __init__(self) -> None:
        """Nothing offered yet."""
        super().__init__()
        self._offers: list[OtherAccount] = []
        self._switching: OtherAccount | None = None

    def _menu_offers(self) -> tuple[list[str], dict[str, str]]:
        """The menu choices for the accounts found, and their placeholders."""
        self._offers = accounts_to_offer(self.hass)[:MENU_SLOTS]
        options, placeholders = [], {}
        for slot, account in enumerate(self._offers, start=1):
            options.append(f"switch_{slot}")
            placeholders[f"account_{slot}"] = account_label(account)
            placeholders[f"source_{slot}"] = account.sources
        return options, placeholders

    async def async_step_switch_1(
        self, _: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The first account found."""
        return await self._switch_offer(0)

    async def async_step_switch_2(
        self, _: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The second account found."""
        return await self._switch_offer(1)

    async def async_step_switch_3(
        self, _: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The third account found."""
        return await self._switch_offer(2)

    async def async_step_switch_4(
        self, _: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The fourth account found."""
        return await self._switch_offer(3)

    async def async_step_switch_5(
        self, _: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The fifth account found."""
        return await self._switch_offer(4)

    async def _switch_offer(self, index: int) -> ConfigFlowResult:
        self._switching = self._offers[index]
        return await self.async_step_switch_confirm({})

    async def async_step_integration_discovery(
        self, discovery_info: dict[str, Any]
    ) -> ConfigFlowResult:
        """An account of another integration, offered as a card (switching.py)."""
        key = str(discovery_info.get("key", ""))
        # The card's id is the account's: ignoring it keeps it ignored.
        await self.async_set_unique_id(SWITCH_UNIQUE_ID_PREFIX + key)
        self._abort_if_unique_id_configured()
        account = next((a for a in accounts_to_offer(self.hass) if a.key == key), None)
        if account is None:
            return self.async_abort(reason="already_configured")
        self._switching = account
        self.context["title_placeholders"] = {
            "account": account_label(account),
            "source": account.sources,
        }
        return await self.async_step_switch_confirm()

    async def async_step_switch_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say where the account comes from; log in with its stored details."""
        account = self._switching
        if account is None:  # pragma: no cover - only reached with an account
            return self.async_abort(reason="unknown")
        errors: dict[str, str] = {}
        if user_input is not None:
            login, errors = await self._log_in(account.credentials)
            if login is not None:
                return await self._add_switched(account, login)
            if errors == {"base": "invalid_auth"}:
                # The stored details no longer work: only now is anything typed.
                return await self._ask_login(account, errors)
        return self._confirm_form(account, errors)

    def _confirm_form(
        self, account: OtherAccount, errors: dict[str, str]
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="switch_confirm",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders={
                "account": account_label(account),
                "source": account.sources,
            },
        )

    async def _ask_login(
        self, account: OtherAccount, errors: dict[str, str]
    ) -> ConfigFlowResult:
        """The login form of the account's kind, with the error shown."""
        if isinstance(account.credentials, ParentCredentials):
            typed = {CONF_EMAIL: account.credentials.email}
            return self._show(AccountType.PARENT, "parent", typed, errors)
        return self._show(AccountType.STUDENT, "student", {}, errors)

    async def _add_switched(
        self, account: OtherAccount, login: Login
    ) -> ConfigFlowResult:
        """Add the entry with the children the old entries showed."""
        await self._set_account(login)
        if login.account.type is AccountType.STUDENT:
            return self._finish(account, login, None)
        excluded = account.excluded
        if (named := account.named) is not None:
            try:
                pupils = await login.client.get_pupils()
            except ClassChartsError:
                return self._confirm_form(account, {"base": "cannot_connect"})
            ids = [pupil.id for pupil in pupils]
            # A child named no longer on the account is dropped; none left: all.
            excluded = [i for i in ids if i not in named] if named & set(ids) else []
        return self._finish(account, login, {CONF_EXCLUDED_PUPILS: excluded})

    def _finish(
        self, account: OtherAccount, login: Login, options: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Add the entry; the account's card (or menu choice) is done with."""
        for flow in self.hass.config_entries.flow.async_progress_by_handler(
            self.handler,
            match_context={"unique_id": SWITCH_UNIQUE_ID_PREFIX + account.key},
        ):
            if flow["flow_id"] != self.flow_id:
                self.hass.config_entries.flow.async_abort(flow["flow_id"])
        return self.async_create_entry(
            title=login.account.name,
            data=entry_data(login.credentials),
            options=options,
        )
