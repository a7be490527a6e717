"""The login steps every way of adding an account shares: student, parent, children."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_PASSWORD
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
    Pupil,
)
from .client_factory import create_client
from .const import CONF_EXCLUDED_PUPILS, CONF_PUPILS, LOGGER
from .login_form import account_unique_id, entry_data, login_schema, parse_credentials
from .schema import vol
from .two_logins import (
    names_of,
    parent_logins_of,
    pupil_selector,
    students_with_own_login,
)


@dataclass(frozen=True, slots=True)
class Login:
    """A login that worked."""

    client: ClassChartsClient
    credentials: Credentials
    account: Account


class LoginFlow(ConfigFlow):
    """Log in as a student or a parent and choose the children."""

    def __init__(self) -> None:
        """Start with nothing known."""
        self._login: Login | None = None
        self._pupils: list[Pupil] = []

    async def _set_account(self, login: Login) -> None:
        """Name the flow after the account; stop if it is already set up.

        Another flow of the same account may be open still (a closed or
        reloaded browser tab leaves its flow behind): that must not block a
        new try, so a flow in progress does not stop this one.
        """
        await self.async_set_unique_id(
            account_unique_id(login.account), raise_on_progress=False
        )
        self._abort_if_unique_id_configured()

    async def _try_login(
        self, account_type: AccountType, user_input: Mapping[str, Any]
    ) -> tuple[Login | None, dict[str, str]]:
        """Validate the form and log in; return the login or the form errors."""
        credentials, errors = parse_credentials(
            account_type, user_input, dt_util.get_default_time_zone()
        )
        if credentials is None:
            return None, errors
        return await self._log_in(credentials)

    async def _log_in(
        self, credentials: Credentials
    ) -> tuple[Login | None, dict[str, str]]:
        """Log in to ClassCharts; return the login or the form errors."""
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
        return Login(client, credentials, account), {}

    async def async_step_student(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in with a pupil code and date of birth."""
        errors: dict[str, str] = {}
        if user_input is not None:
            login, errors = await self._try_login(AccountType.STUDENT, user_input)
            if login is not None:
                await self._set_account(login)
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
                await self._set_account(login)
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
