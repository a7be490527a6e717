"""Options: which of a parent's children are included."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD

from .client import ClassChartsClient, ClassChartsError, ParentCredentials
from .client_factory import create_client
from .const import CONF_EXCLUDED_PUPILS, CONF_PUPILS
from .schema import vol
from .two_logins import names_of, pupil_selector, students_with_own_login


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
