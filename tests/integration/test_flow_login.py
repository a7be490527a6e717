"""Config flow: the menu, the student and parent logins, accounts already set up."""

from __future__ import annotations

from unittest.mock import AsyncMock

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass import (
    async_setup_entry as real_async_setup_entry,
)
from custom_components.classcharts_hass.const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EXCLUDED_PUPILS,
    CONF_PUPILS,
    DOMAIN,
)
from tests.conftest import setup_entry
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_ID,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)
from tests.integration.flow_helpers import (
    ADA_ID,
    BEN_ID,
    PARENT_INPUT,
    STUDENT_INPUT,
    defaults,
    login_requests,
    select_options,
    start,
    start_user_flow,
    submit,
    suggested,
)

pytestmark = pytest.mark.usefixtures("hass_london")


# ---- menu and happy paths ------------------------------------------------------------


async def test_menu_offers_student_and_parent(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The first step asks who is logging in, and sends nothing."""
    result = await start_user_flow(hass, fake)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert list(result["menu_options"]) == ["student", "parent"]
    assert fake.requests == []


async def test_student_happy_path(
    hass: HomeAssistant, fake: FakeClassCharts, mock_setup_entry: AsyncMock
) -> None:
    """A code typed in lower case with spaces is normalised; the pupil names the entry."""
    result = await start(hass, fake, "student")
    assert suggested(result) == {}
    result = await submit(
        hass,
        fake,
        result,
        {
            CONF_CODE: "  "
            + " ".join(STUDENT_CODE.lower()[i : i + 3] for i in (0, 3, 6)),
            CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat(),
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Ada Example"
    assert result["data"] == {
        CONF_ACCOUNT_TYPE: "student",
        CONF_CODE: STUDENT_CODE,
        CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat(),
    }
    entry = result["result"]
    assert entry.unique_id == f"student-{STUDENT_ID}"
    assert entry.options == {}
    assert not entry.supports_options
    assert len(mock_setup_entry.mock_calls) == 1
    assert login_requests(fake) == ["/student/login"]


async def test_parent_happy_path_all_children_by_default(
    hass: HomeAssistant, fake: FakeClassCharts, mock_setup_entry: AsyncMock
) -> None:
    """Both children are ticked by default and none is excluded."""
    result = await start(hass, fake, "parent")
    result = await submit(
        hass,
        fake,
        result,
        {CONF_EMAIL: f"  {PARENT_EMAIL} ", CONF_PASSWORD: PARENT_PASSWORD},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pupils"
    assert result["errors"] == {}
    assert select_options(result, CONF_PUPILS) == [
        {"value": str(ADA_ID), "label": "Ada Example"},
        {"value": str(BEN_ID), "label": "Ben Example"},
    ]
    assert defaults(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    result = await submit(hass, fake, result, {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Sam Example"
    assert result["data"] == {
        CONF_ACCOUNT_TYPE: "parent",
        CONF_EMAIL: PARENT_EMAIL,
        CONF_PASSWORD: PARENT_PASSWORD,
    }
    assert result["options"] == {CONF_EXCLUDED_PUPILS: []}
    entry = result["result"]
    assert entry.unique_id == f"parent-{PARENT_ID}"
    assert entry.supports_options


async def test_parent_with_one_child_deselected(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """An unticked child is stored as excluded, and the entry sets up without it."""
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["step_id"] == "pupils"
    result = await submit(hass, fake, result, {CONF_PUPILS: [str(ADA_ID)]})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_EXCLUDED_PUPILS: [BEN_ID]}
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert {next(iter(d.identifiers)) for d in devices} == {
        (DOMAIN, f"parent-{PARENT_ID}_{ADA_ID}")
    }
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_parent_must_choose_a_child(
    hass: HomeAssistant, fake: FakeClassCharts, mock_setup_entry: AsyncMock
) -> None:
    """Choosing no child shows an error; choosing one afterwards works."""
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    result = await submit(hass, fake, result, {CONF_PUPILS: []})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pupils"
    assert result["errors"] == {CONF_PUPILS: "no_pupils_selected"}
    assert defaults(result) == {CONF_PUPILS: []}  # as chosen, not ticked again
    result = await submit(hass, fake, result, {CONF_PUPILS: [str(BEN_ID)]})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_EXCLUDED_PUPILS: [ADA_ID]}


async def test_parent_without_children_aborts(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """A parent account with no children has nothing to add."""
    fake.parent_children = []
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_pupils"
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_parent_children_list_fails_then_retry(
    hass: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The login works but the list of children does not: cannot_connect, then retry."""
    fake.fail_next(status=503, path_contains="/pupils")
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "parent"
    assert result["errors"] == {"base": "cannot_connect"}
    assert suggested(result) == {CONF_EMAIL: PARENT_EMAIL}
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pupils"


# ---- already configured --------------------------------------------------------------


async def test_student_already_configured(
    hass: HomeAssistant, fake: FakeClassCharts, student_entry: MockConfigEntry
) -> None:
    """The same student account cannot be added twice."""
    student_entry.add_to_hass(hass)
    result = await start(hass, fake, "student")
    result = await submit(
        hass, fake, result, {CONF_CODE: "ada12345", CONF_DATE_OF_BIRTH: "2012-03-14"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_parent_already_configured(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """The same parent account cannot be added twice (even with the email's case changed)."""
    parent_entry.add_to_hass(hass)
    result = await start(hass, fake, "parent")
    result = await submit(
        hass,
        fake,
        result,
        {CONF_EMAIL: PARENT_EMAIL.upper(), CONF_PASSWORD: PARENT_PASSWORD},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert fake.api_requests("/pupils") == []
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_student_and_parent_of_same_child_are_separate(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    parent_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """A student login is another account than the parent's, even for the same child."""
    parent_entry.add_to_hass(hass)
    result = await start(hass, fake, "student")
    result = await submit(hass, fake, result, STUDENT_INPUT)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


async def test_parent_flow_unticks_a_child_with_own_student_login(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    student_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """Ada's student login is set up: she is marked and unticked, Ben is ticked."""
    student_entry.add_to_hass(hass)
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert result["step_id"] == "pupils"
    assert select_options(result, CONF_PUPILS) == [
        {"value": str(ADA_ID), "label": "Ada Example (student login already added)"},
        {"value": str(BEN_ID), "label": "Ben Example"},
    ]
    assert defaults(result) == {CONF_PUPILS: [str(BEN_ID)]}
    assert result["description_placeholders"] == {"student_logins": "Ada Example"}
    result = await submit(hass, fake, result, {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_EXCLUDED_PUPILS: [ADA_ID]}


async def test_parent_flow_without_student_logins_says_none(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """Another parent entry is no student login: nobody is marked."""
    other = MockConfigEntry(
        domain=DOMAIN, unique_id="parent-1", data={CONF_ACCOUNT_TYPE: "parent"}
    )
    other.add_to_hass(hass)
    result = await start(hass, fake, "parent")
    result = await submit(hass, fake, result, PARENT_INPUT)
    assert defaults(result) == {CONF_PUPILS: [str(ADA_ID), str(BEN_ID)]}
    assert result["description_placeholders"] == {"student_logins": "none"}


async def test_student_flow_says_when_a_parent_login_shows_the_child(
    hass: HomeAssistant, fake: FakeClassCharts, parent_entry: MockConfigEntry
) -> None:
    """With Ada already under the parent login, the student flow says so first."""
    await setup_entry(hass, parent_entry)
    result = await start(hass, fake, "student")
    result = await submit(hass, fake, result, STUDENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "student_and_parent"
    assert result["description_placeholders"] == {
        "name": "Ada Example",
        "parents": "Sam Example",
    }
    result = await submit(hass, fake, result, {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    registry = dr.async_get(hass)
    models = {
        device.model
        for config_entry in (entry, parent_entry)
        for device in dr.async_entries_for_config_entry(registry, config_entry.entry_id)
        if device.name == "Ada Example"
    }
    assert models == {"Student login", "Parent login"}
    for config_entry in (entry, parent_entry):
        assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_student_flow_quiet_when_parent_excludes_the_child(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    parent_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """A parent login that leaves Ada out does not show her: no extra step."""
    # The parent login is set up for real, so that it has its devices.
    mock_setup_entry.side_effect = real_async_setup_entry
    await setup_entry(hass, parent_entry)
    mock_setup_entry.side_effect = None
    hass.config_entries.async_update_entry(
        parent_entry, options={CONF_EXCLUDED_PUPILS: [ADA_ID]}
    )
    result = await start(hass, fake, "student")
    result = await submit(hass, fake, result, STUDENT_INPUT)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert await hass.config_entries.async_unload(parent_entry.entry_id)


# ---- a flow left open ------------------------------------------------------------------


@pytest.mark.parametrize("account_type", ["parent", "student"])
async def test_a_flow_left_open_does_not_block_a_new_one(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    parent_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
    account_type: str,
) -> None:
    """A tab closed after the login leaves its flow behind; a new try goes through.

    The student's flow stops after the login when a parent login shows the
    pupil; the parent's at the choice of children.
    """
    if account_type == "student":
        mock_setup_entry.side_effect = real_async_setup_entry
        await setup_entry(hass, parent_entry)
        mock_setup_entry.side_effect = None
    typed = STUDENT_INPUT if account_type == "student" else PARENT_INPUT
    step = "student_and_parent" if account_type == "student" else "pupils"
    left_open = await submit(hass, fake, await start(hass, fake, account_type), typed)
    assert left_open["step_id"] == step

    again = await submit(hass, fake, await start(hass, fake, account_type), typed)
    assert again["type"] is FlowResultType.FORM
    assert again["step_id"] == step
    result = await submit(hass, fake, again, {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # The flow left open is over: it cannot add the account a second time.
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    if account_type == "student":
        assert await hass.config_entries.async_unload(parent_entry.entry_id)
