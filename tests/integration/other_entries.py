"""Entries of the other ClassCharts integrations, as they lie in storage, and helpers."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from homeassistant.config_entries import (
    SOURCE_INTEGRATION_DISCOVERY,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlow,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.classcharts_hass import repairs
from custom_components.classcharts_hass.const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EXCLUDED_PUPILS,
    DOMAIN,
)
from custom_components.classcharts_hass.other_integrations import OTHER_DOMAIN
from tests.conftest import setup_entry
from tests.fake_server import (
    CHILD_IDS,
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    FakeClassCharts,
)

ADA, BEN = CHILD_IDS
NAMES = {ADA: "Ada Example", BEN: "Ben Example"}
OTHER_EMAIL = "other@example.invalid"


def proffalken(
    pupil_id: int, entry_id: str, email: str = PARENT_EMAIL
) -> MockConfigEntry:
    """An entry as proffalken/ha-classcharts writes it (``username``/``student_id``)."""
    return MockConfigEntry(
        domain=OTHER_DOMAIN,
        entry_id=entry_id,
        title=NAMES[pupil_id],
        unique_id=f"{email}:{pupil_id}",
        data={
            "username": email,
            CONF_PASSWORD: PARENT_PASSWORD,
            "student_id": pupil_id,
            "student_name": NAMES[pupil_id],
        },
        options={"morning_refresh_hour": 6},
    )


def skid88(pupil_id: int, entry_id: str, email: str = PARENT_EMAIL) -> MockConfigEntry:
    """An entry as skid88/Classcharts writes it (``email``/``pupil_id`` a string)."""
    return MockConfigEntry(
        domain=OTHER_DOMAIN,
        entry_id=entry_id,
        title=NAMES[pupil_id],
        data={
            CONF_EMAIL: email,
            CONF_PASSWORD: PARENT_PASSWORD,
            "pupil_id": str(pupil_id),
            "student_name": NAMES[pupil_id],
        },
        options={"refresh_interval": 30},
    )


def our_old_parent(pupil_id: int, entry_id: str) -> MockConfigEntry:
    """Our own parent entry from before the domain changed, showing one child."""
    other = BEN if pupil_id == ADA else ADA
    return MockConfigEntry(
        domain=OTHER_DOMAIN,
        entry_id=entry_id,
        title="Sam Example",
        unique_id="parent-1",
        version=2,
        data={
            CONF_ACCOUNT_TYPE: "parent",
            CONF_EMAIL: PARENT_EMAIL,
            CONF_PASSWORD: PARENT_PASSWORD,
        },
        options={CONF_EXCLUDED_PUPILS: [other]},
    )


def our_old_student(pupil_id: int, entry_id: str) -> MockConfigEntry:
    """Our own student entry from before the domain changed."""
    return MockConfigEntry(
        domain=OTHER_DOMAIN,
        entry_id=entry_id,
        title=NAMES[pupil_id],
        version=2,
        data={
            CONF_ACCOUNT_TYPE: "student",
            CONF_CODE: STUDENT_CODE,
            CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat(),
        },
    )


class OtherFlow(ConfigFlow):
    """The other integration's flow, newer than every layout here."""

    VERSION = 3


async def add_old(
    hass: HomeAssistant, installed: str, *entries: MockConfigEntry
) -> None:
    """Put old entries in storage; an installed integration loads them."""
    for entry in entries:
        if installed == "installed":
            # Added the way its own flow adds it: Home Assistant says so and sets it up.
            await hass.config_entries.async_add(entry)
            assert entry.state is ConfigEntryState.LOADED
        else:
            entry.add_to_hass(hass)
    await hass.async_block_till_done()


def device_names(hass: HomeAssistant, entry_id: str) -> list[str]:
    registry = dr.async_get(hass)
    return sorted(
        str(d.name) for d in dr.async_entries_for_config_entry(registry, entry_id)
    )


def login_count(fake: FakeClassCharts) -> int:
    return sum("login" in r.path for r in fake.requests)


def cards(hass: HomeAssistant) -> list[dict[str, Any]]:
    """The discovered flows of ours in progress."""
    return [
        dict(flow)
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_INTEGRATION_DISCOVERY
    ]


def issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    """Our active issues; every placeholder their text needs is given."""
    strings = json.loads(
        (Path(repairs.__file__).parent / "translations" / "en.json").read_text(
            encoding="utf-8"
        )
    )["issues"]
    found = {}
    for (domain, issue_id), issue in ir.async_get(hass).issues.items():
        if domain == DOMAIN and issue.active:
            needed = set(
                re.findall(r"{(\w+)}", json.dumps(strings[issue.translation_key]))
            )
            assert needed <= set(issue.translation_placeholders or {}), issue_id
            found[issue_id] = issue
    return found


async def open_menu(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    return dict(result)


async def our_entry_loaded(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    await hass.async_block_till_done(wait_background_tasks=True)
