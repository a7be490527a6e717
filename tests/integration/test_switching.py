"""Switching side by side: one card per remaining account, the removal repair.

Every test runs with the other integration absent (its entries left in storage)
and installed (a mocked integration that loads them).
"""

from __future__ import annotations

from unittest.mock import AsyncMock

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import (
    SOURCE_IGNORE,
    ConfigEntryState,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.classcharts_hass.const import CONF_EXCLUDED_PUPILS, DOMAIN
from custom_components.classcharts_hass.other_integrations import OTHER_DOMAIN
from tests.conftest import logged_tracebacks, setup_entry
from tests.fake_server import (
    PARENT_EMAIL,
    FakeClassCharts,
)
from tests.integration.other_entries import (
    ADA,
    BEN,
    OTHER_EMAIL,
    add_old,
    cards,
    device_names,
    issues,
    open_menu,
    our_entry_loaded,
    our_old_parent,
    our_old_student,
    proffalken,
    skid88,
)


async def test_one_card_per_remaining_account(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    student_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With an entry of ours loaded: one card per account; confirming adds it."""
    await add_old(
        hass_london,
        other_integration,
        proffalken(ADA, "01AAAAADA00000000000000000"),
        skid88(BEN, "01BBBBBEN00000000000000000"),
        skid88(BEN, "01CCCCOTHER000000000000000", email=OTHER_EMAIL),
        # Our student entry logs in to this one already.
        our_old_student(ADA, "01DDDDSTUDENT0000000000000"),
    )
    assert cards(hass_london) == []  # nothing of ours is loaded yet
    await our_entry_loaded(hass_london, student_entry)

    found = cards(hass_london)
    assert len(found) == 2
    titles = sorted(
        str(card["context"]["title_placeholders"]["account"]) for card in found
    )
    assert titles == [
        f"{OTHER_EMAIL} (Ben Example)",
        f"{PARENT_EMAIL} (Ada Example, Ben Example)",
    ]
    # Reloading ours (a restart, say) shows no second card.
    await hass_london.config_entries.async_reload(student_entry.entry_id)
    await hass_london.async_block_till_done(wait_background_tasks=True)
    assert len(cards(hass_london)) == 2

    [card] = [
        c for c in found if PARENT_EMAIL in str(c["context"]["title_placeholders"])
    ]
    form = await hass_london.config_entries.flow.async_configure(card["flow_id"])
    assert form["step_id"] == "switch_confirm"
    assert form["description_placeholders"]["account"] == (
        f"{PARENT_EMAIL} (Ada Example, Ben Example)"
    )
    result = await hass_london.config_entries.flow.async_configure(card["flow_id"], {})
    await hass_london.async_block_till_done(wait_background_tasks=True)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = hass_london.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    assert device_names(hass_london, entry.entry_id) == ["Ada Example", "Ben Example"]
    assert len(cards(hass_london)) == 1  # the other account's card only
    assert not logged_tracebacks(caplog)


@pytest.mark.parametrize("other_integration", ["installed"], indirect=True)
async def test_a_card_comes_when_an_old_entry_appears(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    parent_entry: MockConfigEntry,
) -> None:
    """An entry of the other domain added while ours runs: its account is offered.

    Only its own integration adds one, so this needs it installed.
    """
    await our_entry_loaded(hass_london, parent_entry)
    assert cards(hass_london) == []
    await add_old(
        hass_london,
        other_integration,
        skid88(BEN, "01OTHER0000000000000000000", OTHER_EMAIL),
    )
    await hass_london.async_block_till_done(wait_background_tasks=True)
    assert len(cards(hass_london)) == 1


async def test_an_ignored_card_stays_ignored(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    parent_entry: MockConfigEntry,
) -> None:
    """Ignored: not offered at a reload, nor when another entry of it appears."""
    await add_old(
        hass_london,
        other_integration,
        skid88(ADA, "01OTHERADA0000000000000000", OTHER_EMAIL),
    )
    await our_entry_loaded(hass_london, parent_entry)
    [card] = cards(hass_london)
    result = await hass_london.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_IGNORE},
        data={"unique_id": card["context"]["unique_id"], "title": "ignored"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass_london.async_block_till_done(wait_background_tasks=True)
    assert cards(hass_london) == []

    await hass_london.config_entries.async_reload(parent_entry.entry_id)
    await add_old(
        hass_london,
        other_integration,
        skid88(BEN, "01OTHERBEN0000000000000000", OTHER_EMAIL),
    )
    await hass_london.async_block_till_done(wait_background_tasks=True)
    assert cards(hass_london) == []


async def test_an_account_we_have_is_not_offered(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    parent_entry: MockConfigEntry,
) -> None:
    """Our parent entry logs in with that email (any case): no card, no choice."""
    await add_old(
        hass_london,
        other_integration,
        proffalken(ADA, "01OLDADA000000000000000000", email=PARENT_EMAIL.upper()),
        our_old_parent(BEN, "01OLDPARENT000000000000000"),
    )
    await our_entry_loaded(hass_london, parent_entry)
    assert cards(hass_london) == []
    menu = await open_menu(hass_london)
    assert list(menu["menu_options"]) == ["student", "parent"]


async def test_removal_repair_removes_only_when_clicked(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    parent_entry: MockConfigEntry,
) -> None:
    """Offered once ours polled; the old entries go only at the user's click."""
    ada = proffalken(ADA, "01OLDADA000000000000000000")
    ben = skid88(BEN, "01OLDBEN000000000000000000")
    other = skid88(BEN, "01OTHER0000000000000000000", email=OTHER_EMAIL)
    await add_old(hass_london, other_integration, ada, ben, other)
    fake.fail_next(count=1, status=503, path_contains="/parent/login")
    await setup_entry(hass_london, parent_entry)
    assert parent_entry.state is ConfigEntryState.SETUP_RETRY
    issue_id = f"remove_old_entries_{parent_entry.entry_id}"
    assert issue_id not in issues(hass_london)  # ours has not worked yet

    await hass_london.config_entries.async_reload(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    issue = issues(hass_london)[issue_id]
    assert issue.is_fixable
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["count"] == "2"
    assert issue.translation_placeholders["children"] == "Ada Example, Ben Example"
    # A reload (or a restart) removes nothing.
    await hass_london.config_entries.async_reload(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    assert len(hass_london.config_entries.async_entries(OTHER_DOMAIN)) == 3

    assert await async_setup_component(hass_london, "repairs", {})
    manager = repairs_flow_manager(hass_london)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert len(hass_london.config_entries.async_entries(OTHER_DOMAIN)) == 3
    result = await manager.async_configure(result["flow_id"], {})
    await hass_london.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert hass_london.config_entries.async_entries(OTHER_DOMAIN) == [other]
    assert issue_id not in issues(hass_london)
    assert parent_entry.state is ConfigEntryState.LOADED


async def test_a_refused_stored_password_asks_for_the_current_one(
    hass_london: HomeAssistant, fake: FakeClassCharts, other_integration: str
) -> None:
    """Only when the saved login no longer works is anything typed: the password."""
    await add_old(
        hass_london, other_integration, skid88(ADA, "01OLDADA000000000000000000")
    )
    fake.change_password(PARENT_EMAIL, "the current one")
    menu = await open_menu(hass_london)
    result = await hass_london.config_entries.flow.async_configure(
        menu["flow_id"], {"next_step_id": "switch_1"}
    )
    assert result["step_id"] == "parent"
    assert result["errors"] == {"base": "invalid_auth"}
    assert result["description_placeholders"] == {"name": ""}
    schema_values = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert schema_values == {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: None}

    result = await hass_london.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: "the current one"}
    )
    assert result["step_id"] == "pupils"


async def test_the_children_list_failing_keeps_the_card(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """ClassCharts fails after the login: say so on the card; a retry adds it."""
    await add_old(
        hass_london, other_integration, proffalken(BEN, "01OLDBEN000000000000000000")
    )
    menu = await open_menu(hass_london)
    fake.fail_next(count=1, status=503, path_contains="/pupils")
    result = await hass_london.config_entries.flow.async_configure(
        menu["flow_id"], {"next_step_id": "switch_1"}
    )
    assert result["step_id"] == "switch_confirm"
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass_london.config_entries.flow.async_configure(
        result["flow_id"], {}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_EXCLUDED_PUPILS: [ADA]}
    assert len(mock_setup_entry.mock_calls) == 1
