"""Config flow: student or parent login, children, reauth, reconfigure, options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .client import (
    Account,
    AccountType,
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsClient,
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsRateLimitError,
    Credentials,
    ParentCredentials,
    Pupil,
)
from .client_factory import create_client
from .const import (
    CONF_ACCOUNT_TYPE,
    CONF_EXCLUDED_PUPILS,
    CONF_PUPILS,
    DOMAIN,
    ENTRY_MINOR_VERSION,
    ENTRY_VERSION,
    LOGGER,
)
from .login_form import account_unique_id, entry_data, login_schema, parse_credentials
from .schema import vol
from .two_logins import (
    names_of,
    parent_logins_of,
    pupil_selector,
    students_with_own_login,
)


def _same_email(entry: ConfigEntry, credentials: Credentials) -> bool:
    """Whether the credentials are of the parent account the entry names."""
    return isinstance(credentials, ParentCredentials) and (
        credentials.email.casefold() == str(entry.data.get(CONF_EMAIL, "")).casefold()
    )


@dataclass(frozen=True, slots=True)
class _Login:
    """A login that worked."""

    client: ClassChartsClient
    credentials: Credentials
    account: Account


class ClassChartsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a ClassCharts account."""

    VERSION = ENTRY_VERSION
    MINOR_VERSION = ENTRY_MINOR_VERSION

    def __init__(self) -> None:
        """Start with nothing known."""
        self._login: _Login | None = None
        self._pupils: list[Pupil] = []

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Choose the included children (parent accounts)."""
        return ClassChartsOptionsFlow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only a parent account has something to choose."""
        return config_entry.data.get(CONF_ACCOUNT_TYPE) == AccountType.PARENT

    async def _try_login(
        self, account_type: AccountType, user_input: Mapping[str, Any]
    ) -> tuple[_Login | None, dict[str, str]]:
        """Validate the form and log in; return the login or the form errors."""
        credentials, errors = parse_credentials(
            account_type, user_input, dt_util.get_default_time_zone()
        )
        if credentials is None:
            return None, errors
        client = create_client(self.hass, credentials, for_flow=True)
        try:
            account = await client.login()
        except ClassChartsAuthenticationError:
            return None, {"base": "invalid_auth"}
        except (ClassChartsConnectionError, ClassChartsRateLimitError):
            return None, {"base": "cannot_connect"}
        except ClassChartsCaptchaError:
            # Not the details: a person must log in on the website once.
            return None, {"base": "captcha_required"}
        except ClassChartsError as err:
            LOGGER.warning("Unexpected answer from ClassCharts: %s", err)
            return None, {"base": "unknown"}
        return _Login(client, credentials, account), {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask who is logging in."""
        return self.async_show_menu(step_id="user", menu_options=["student", "parent"])

    async def async_step_student(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in with a pupil code and date of birth."""
        errors: dict[str, str] = {}
        if user_input is not None:
            login, errors = await self._try_login(AccountType.STUDENT, user_input)
            if login is not None:
                await self.async_set_unique_id(account_unique_id(login.account))
                self._abort_if_unique_id_configured()
                self._login = login
                return await self.async_step_student_and_parent()
        return self._show(AccountType.STUDENT, "student", user_input, errors)

    async def async_step_student_and_parent(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say so when a parent login already shows this pupil; then add the entry."""
        login = self._login
        if login is None:  # pragma: no cover - only reached after a login
            return self.async_abort(reason="unknown")
        parents = parent_logins_of(self.hass, login.account.id)
        if user_input is None and parents:
            return self.async_show_form(
                step_id="student_and_parent",
                data_schema=vol.Schema({}),
                description_placeholders={
                    "name": login.account.name,
                    "parents": ", ".join(parents),
                },
            )
        return self.async_create_entry(
            title=login.account.name, data=entry_data(login.credentials)
        )

    async def async_step_parent(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in with an email address and password."""
        errors: dict[str, str] = {}
        if user_input is not None:
            login, errors = await self._try_login(AccountType.PARENT, user_input)
            if login is not None:
                await self.async_set_unique_id(account_unique_id(login.account))
                self._abort_if_unique_id_configured()
                self._login = login
                try:
                    self._pupils = await login.client.get_pupils()
                except ClassChartsError:
                    errors = {"base": "cannot_connect"}
                else:
                    if not self._pupils:
                        return self.async_abort(reason="no_pupils")
                    return await self.async_step_pupils()
        return self._show(AccountType.PARENT, "parent", user_input, errors)

    async def async_step_pupils(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose which children to include.

        All by default, except a child whose own student login is already set
        up: that child would otherwise get a second, identical device.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            chosen = set(user_input.get(CONF_PUPILS, []))
            if chosen and self._login is not None:
                excluded = [p.id for p in self._pupils if str(p.id) not in chosen]
                return self.async_create_entry(
                    title=self._login.account.name,
                    data=entry_data(self._login.credentials),
                    options={CONF_EXCLUDED_PUPILS: excluded},
                )
            errors = {CONF_PUPILS: "no_pupils_selected"}
        own_login = students_with_own_login(self.hass)
        # After an error, what the person chose stays on screen, not the defaults.
        ticked = (
            [str(p.id) for p in self._pupils if p.id not in own_login]
            if user_input is None
            else list(user_input.get(CONF_PUPILS, []))
        )
        return self.async_show_form(
            step_id="pupils",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_PUPILS, default=ticked): pupil_selector(
                        self._pupils, own_login
                    )
                }
            ),
            errors=errors,
            description_placeholders={
                "student_logins": names_of(self._pupils, own_login)
            },
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
                if entry.unique_id is not None:
                    await self.async_set_unique_id(account_unique_id(login.account))
                    self._abort_if_unique_id_mismatch(reason="wrong_account")
                elif not _same_email(entry, login.credentials):
                    # An entry taken over from another integration and never set
                    # up since knows its account by email only; its first set-up
                    # settles the unique id (migration.py).
                    return self.async_abort(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry, data_updates=entry_data(login.credentials)
                )
        suggested = user_input or {
            key: value
            for key, value in entry.data.items()
            if key == CONF_EMAIL  # never show a stored pupil code again
        }
        return self._show(account_type, step_id, suggested, errors, entry.title)

    def _show(
        self,
        account_type: AccountType,
        step_id: str,
        user_input: Mapping[str, Any] | None,
        errors: dict[str, str],
        name: str = "",
    ) -> ConfigFlowResult:
        """Show a login form that keeps what was typed (but never a password)."""
        suggested = {
            key: value
            for key, value in (user_input or {}).items()
            if key != CONF_PASSWORD
        }
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                login_schema(account_type), suggested
            ),
            errors=errors,
            description_placeholders={"name": name},
        )


class ClassChartsOptionsFlow(OptionsFlowWithReload):
    """Choose which of a parent's children are included."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show every child on the account; the included ones are ticked."""
        if self.config_entry.state is ConfigEntryState.LOADED:
            client: ClassChartsClient = self.config_entry.runtime_data.client
        else:
            # Not set up (e.g. ClassCharts was down at start): no runtime data yet.
            data = self.config_entry.data
            client = create_client(
                self.hass,
                ParentCredentials(email=data[CONF_EMAIL], password=data[CONF_PASSWORD]),
                for_flow=True,
            )
        try:
            pupils = await client.get_pupils()
        except ClassChartsError:
            return self.async_abort(reason="cannot_connect")
        excluded = set(self.config_entry.options.get(CONF_EXCLUDED_PUPILS, []))
        errors: dict[str, str] = {}
        if user_input is not None:
            chosen = set(user_input.get(CONF_PUPILS, []))
            if chosen:
                return self.async_create_entry(
                    data={
                        CONF_EXCLUDED_PUPILS: [
                            p.id for p in pupils if str(p.id) not in chosen
                        ]
                    }
                )
            errors = {CONF_PUPILS: "no_pupils_selected"}
        included = [str(p.id) for p in pupils if p.id not in excluded]
        own_login = students_with_own_login(self.hass)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {vol.Required(CONF_PUPILS): pupil_selector(pupils, own_login)}
                ),
                {CONF_PUPILS: included},
            ),
            errors=errors,
            description_placeholders={"student_logins": names_of(pupils, own_login)},
        )
