"""Options flow: which of a parent's children are included."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import (
    CONF_EXCLUDED_PUPILS,
    CONF_PUPILS,
)
from tests.conftest import find_device, setup_entry
from tests.fake_server import (
    PARENT_ID,
    PARENT_PASSWORD,
    FakeClassCharts,
)
from tests.integration.flow_helpers import (
    ADA_ID,
    BEN_ID,
    check,
    select_options,
    suggested,
)

pytestmark = pytest.mark.usefixtures("hass_london")


# ---- options -------------------------------------------------------------------------


async def test_options_only_for_parents(
    hass: HomeAssistant, student_entry: MockConfigEntry, parent_entry: MockConfigEntry
) -> None:
    """A student has no children to choose; a parent does."""
    student_entry.add_to_hass(hass)
    parent_entry.add_to_hass(hass)
    assert not student_entry.supports_options
    assert parent_entry.supports_options


async def test_options_exclude_a_child(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """Unticking Ben stores him as excluded, reloads and removes his device."""
    await setup_entry(hass, parent_entry)
    entities = er.async_get(hass)
    ben_device = find_device(hass, f"parent-{PARENT_ID}_{BEN_ID}")
    assert ben_device is not None
    ben_entities = [
        e.entity_id
        for e in er.async_entries_for_config_entry(entities, parent_entry.entry_id)
        if e.unique_id.startswith(f"parent-{PARENT_ID}_{BEN_ID}_")
    ]
    assert ben_entities
    assert all(hass.states.get(e) is not None for e in ben_entities)

    result = check(
        await hass.config_entries.options.async_init(parent_entry.entry_id),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert select_options(result, CONF_PUPILS) == [
        {"value": str(ADA_ID), "label": "Ada Example"},
        {"value": str(BEN_ID), "label": "Ben Example"},
    ]
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}

    result = check(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PUPILS: []}
        ),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PUPILS: "no_pupils_selected"}
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}

    result = check(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PUPILS: [str(ADA_ID)]}
        ),
        fake,
        "options",
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: [BEN_ID]}
    assert parent_entry.data[CONF_PASSWORD] == PARENT_PASSWORD
    assert parent_entry.state is ConfigEntryState.LOADED

    assert find_device(hass, f"parent-{PARENT_ID}_{BEN_ID}") is None
    assert find_device(hass, f"parent-{PARENT_ID}_{ADA_ID}")
    for entity_id in ben_entities:
        state = hass.states.get(entity_id)
        assert state is None or state.state == STATE_UNAVAILABLE, entity_id
        assert entities.async_get(entity_id) is None, entity_id

    # The next options form ticks only Ada.
    result = await hass.config_entries.options.async_init(parent_entry.entry_id)
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID)]}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: []}
    assert find_device(hass, f"parent-{PARENT_ID}_{BEN_ID}")


async def test_options_server_down(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """Without ClassCharts there is no list of children: abort."""
    await setup_entry(hass, parent_entry)
    await fake.stop()
    result = check(
        await hass.config_entries.options.async_init(parent_entry.entry_id),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: []}
    await fake.start()
    assert await hass.config_entries.async_unload(parent_entry.entry_id)


async def test_options_server_fault(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """A server fault while listing the children aborts the options flow."""
    await setup_entry(hass, parent_entry)
    fake.fail_next(status=503, path_contains="/pupils")
    result = await hass.config_entries.options.async_init(parent_entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_options_while_entry_not_loaded(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """The options of an entry that could not set up still list the children."""
    await fake.stop()
    await setup_entry(hass, parent_entry)
    assert parent_entry.state is not ConfigEntryState.LOADED
    await fake.start()
    result = check(
        await hass.config_entries.options.async_init(parent_entry.entry_id),
        fake,
        "options",
    )
    assert result["type"] is FlowResultType.FORM
    assert suggested(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_PUPILS: [str(ADA_ID)]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert parent_entry.options == {CONF_EXCLUDED_PUPILS: [BEN_ID]}
