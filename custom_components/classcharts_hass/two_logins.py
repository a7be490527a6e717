"""One child through two logins: their own student login and a parent's."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
)

from .client import AccountType, Pupil
from .const import CONF_ACCOUNT_TYPE, CONF_EXCLUDED_PUPILS, DOMAIN
from .coordinator import device_identifier


def students_with_own_login(hass: HomeAssistant) -> set[int]:
    """The pupils whose own student login is already set up."""
    unique_ids = {
        entry.unique_id for entry in hass.config_entries.async_entries(DOMAIN)
    }
    return {
        int(unique_id.removeprefix(prefix))
        for unique_id in unique_ids
        if unique_id
        and unique_id.startswith(prefix := f"{AccountType.STUDENT.value}-")
        and unique_id.removeprefix(prefix).isdecimal()
    }


def parent_logins_of(hass: HomeAssistant, pupil_id: int) -> list[str]:
    """The titles of the parent logins that already show this pupil."""
    devices = dr.async_get(hass)
    return [
        entry.title
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.data.get(CONF_ACCOUNT_TYPE) == AccountType.PARENT
        and pupil_id not in entry.options.get(CONF_EXCLUDED_PUPILS, [])
        # Asked per entry: async_get_device is deprecated from 2026.9.
        and any(
            device_identifier(entry, pupil_id) in device.identifiers
            for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
        )
    ]


def pupil_selector(pupils: list[Pupil], own_login: set[int]) -> SelectSelector:
    """Tick boxes for the children; one with their own login says so."""
    return SelectSelector(
        SelectSelectorConfig(
            options=[
                SelectOptionDict(
                    value=str(pupil.id),
                    label=(
                        f"{pupil.name} (student login already added)"
                        if pupil.id in own_login
                        else pupil.name
                    ),
                )
                for pupil in pupils
            ],
            multiple=True,
        )
    )


def names_of(pupils: list[Pupil], ids: set[int]) -> str:
    """The names of those pupils, for a form's description ("none" if none)."""
    return ", ".join(pupil.name for pupil in pupils if pupil.id in ids) or "none"
