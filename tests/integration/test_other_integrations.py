"""The other ClassCharts integrations' entries, read: each layout offered in the menu.

Their entries (domain ``classcharts``) stay theirs. Every test runs with the
other integration absent (its entries left in storage) and installed (mocked).
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import (
    SOURCE_IGNORE,
    ConfigEntryState,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.classcharts_hass.const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_EXCLUDED_PUPILS,
    DOMAIN,
)
from custom_components.classcharts_hass.other_integrations import OTHER_DOMAIN
from tests.conftest import logged_tracebacks
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
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


@pytest.mark.parametrize(
    ("layout", "account_type", "flow_requests"),
    [
        # One login (a login and its ping); the children, to leave Ben out.
        (
            proffalken,
            "parent",
            ["/parent/login", "/apiv2parent/ping", "/apiv2parent/pupils"],
        ),
        (
            skid88,
            "parent",
            ["/parent/login", "/apiv2parent/ping", "/apiv2parent/pupils"],
        ),
        # The entry itself says whom it leaves out.
        (our_old_parent, "parent", ["/parent/login", "/apiv2parent/ping"]),
        (our_old_student, "student", ["/student/login", "/apiv2student/ping"]),
    ],
)
async def test_add_integration_offers_each_account(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    caplog: pytest.LogCaptureFixture,
    layout: Any,
    account_type: str,
    flow_requests: list[str],
) -> None:
    """The menu lists the account; choosing it adds it, nothing typed, loaded."""
    old = layout(ADA, "01OLDADA000000000000000000")
    await add_old(hass_london, other_integration, old)
    if layout is our_old_parent:
        # Our old entry names its children by the devices it left behind.
        dr.async_get(hass_london).async_get_or_create(
            config_entry_id=old.entry_id,
            identifiers={(OTHER_DOMAIN, f"parent-1_{ADA}")},
            name="Ada Example",
        )
    menu = await open_menu(hass_london)
    assert list(menu["menu_options"]) == ["student", "parent", "switch_1"]
    placeholders = menu["description_placeholders"]
    assert "Ada Example" in placeholders["account_1"]
    assert placeholders["source_1"]
    assert PARENT_PASSWORD not in json.dumps(placeholders)
    assert STUDENT_CODE not in json.dumps(placeholders)
    assert fake.requests == []

    result = await hass_london.config_entries.flow.async_configure(
        menu["flow_id"], {"next_step_id": "switch_1"}
    )
    await hass_london.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    [entry] = hass_london.config_entries.async_entries(DOMAIN)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_ACCOUNT_TYPE] == account_type
    assert device_names(hass_london, entry.entry_id) == ["Ada Example"]
    if account_type == "parent":
        assert entry.options == {CONF_EXCLUDED_PUPILS: [BEN]}
        assert entry.data[CONF_EMAIL] == PARENT_EMAIL
    # The flow's one login (and the children list), then the set-up's own login.
    logins = [i for i, r in enumerate(fake.requests) if "login" in r.path]
    assert len(logins) == 2
    assert [r.path for r in fake.requests[: logins[1]]] == flow_requests
    assert hass_london.config_entries.async_get_entry(old.entry_id) is old
    assert not logged_tracebacks(caplog)


async def test_entries_of_one_account_are_one_choice(
    hass_london: HomeAssistant, fake: FakeClassCharts, other_integration: str
) -> None:
    """Per-child entries of one email (any case) together; another email apart."""
    await add_old(
        hass_london,
        other_integration,
        proffalken(BEN, "01AAAABEN00000000000000000", email=PARENT_EMAIL.upper()),
        skid88(ADA, "01BBBBADA00000000000000000"),
        skid88(BEN, "01CCCCOTHER000000000000000", email=OTHER_EMAIL),
    )
    menu = await open_menu(hass_london)
    assert list(menu["menu_options"]) == ["student", "parent", "switch_1", "switch_2"]
    placeholders = menu["description_placeholders"]
    assert placeholders["account_1"] == (
        f"{PARENT_EMAIL.upper()} (Ben Example, Ada Example)"
    )
    assert placeholders["source_1"] == "proffalken/ha-classcharts, skid88/Classcharts"
    assert placeholders["account_2"] == f"{OTHER_EMAIL} (Ben Example)"

    await hass_london.config_entries.flow.async_configure(
        menu["flow_id"], {"next_step_id": "switch_1"}
    )
    await hass_london.async_block_till_done()
    [entry] = hass_london.config_entries.async_entries(DOMAIN)
    assert entry.options == {CONF_EXCLUDED_PUPILS: []}
    assert device_names(hass_london, entry.entry_id) == ["Ada Example", "Ben Example"]


@pytest.mark.parametrize(
    ("version", "data"),
    [
        (1, {"token": "abc", "school": PARENT_PASSWORD}),
        (1, {"username": PARENT_EMAIL, "password": PARENT_PASSWORD, "student_id": "x"}),
        (1, {"username": PARENT_EMAIL, "password": "x", "student_id": "²"}),
        (1, {"username": PARENT_EMAIL, "password": "x", "student_id": "9" * 5000}),
        (1, {"username": PARENT_EMAIL, "password": "x", "student_id": True}),
        (1, {"username": PARENT_EMAIL, "password": "x", "student_id": 0}),
        (1, {"username": ["a"], "password": "x", "student_id": 1}),
        (1, {CONF_ACCOUNT_TYPE: "teacher", CONF_PASSWORD: PARENT_PASSWORD}),
        (1, {CONF_ACCOUNT_TYPE: "student", CONF_CODE: "AB", "date_of_birth": "x"}),
        (2, {CONF_ACCOUNT_TYPE: "parent", CONF_EMAIL: PARENT_EMAIL, "password": 5}),
        (3, {CONF_ACCOUNT_TYPE: "parent", CONF_EMAIL: "a@b.c", "password": "x"}),
    ],
    ids=[
        "unknown_keys",
        "bad_pupil_id",
        "superscript_pupil_id",
        "huge_pupil_id",
        "boolean_pupil_id",
        "zero_pupil_id",
        "email_not_text",
        "unknown_account_type",
        "bad_date_of_birth",
        "password_not_text",
        "newer_version_of_ours",
    ],
)
async def test_unreadable_entry_is_skipped_with_one_line(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    parent_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    version: int,
    data: dict[str, Any],
) -> None:
    """Not offered, one log line without values, no traceback, no issue of ours."""
    old = MockConfigEntry(
        domain=OTHER_DOMAIN,
        entry_id="01UNREADABLE00000000000000",
        data=data,
        version=version,
    )
    await add_old(hass_london, other_integration, old)
    await our_entry_loaded(hass_london, parent_entry)
    menu = await open_menu(hass_london)
    await hass_london.config_entries.async_reload(parent_entry.entry_id)
    await hass_london.async_block_till_done(wait_background_tasks=True)

    assert list(menu["menu_options"]) == ["student", "parent"]
    assert cards(hass_london) == []
    lines = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components") and old.entry_id in r.getMessage()
    ]
    assert len(lines) == 1
    assert lines[0].levelname == "WARNING"
    assert "add that account by hand" in lines[0].getMessage()
    assert PARENT_PASSWORD not in caplog.text
    assert not logged_tracebacks(caplog)
    assert not [i for i in issues(hass_london) if old.entry_id in i]
    assert dict(old.data) == data  # theirs: untouched


async def test_named_child_gone_from_the_account_keeps_them_all(
    hass_london: HomeAssistant, fake: FakeClassCharts, other_integration: str
) -> None:
    """The only child the old entry named left the account: nobody is left out."""
    await add_old(
        hass_london, other_integration, proffalken(ADA, "01OLDADA000000000000000000")
    )
    fake.remove_pupil(ADA)
    menu = await open_menu(hass_london)
    await hass_london.config_entries.flow.async_configure(
        menu["flow_id"], {"next_step_id": "switch_1"}
    )
    await hass_london.async_block_till_done()
    [entry] = hass_london.config_entries.async_entries(DOMAIN)
    assert entry.options == {CONF_EXCLUDED_PUPILS: []}
    assert device_names(hass_london, entry.entry_id) == ["Ben Example"]


@pytest.mark.parametrize(
    "data",
    [
        {},  # as Home Assistant writes an ignored discovery
        {CONF_EMAIL: OTHER_EMAIL, CONF_PASSWORD: "x", "pupil_id": str(ADA)},
    ],
    ids=["as_ignored", "with_a_login"],
)
async def test_an_ignored_entry_of_theirs_is_never_read(
    hass_london: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    data: dict[str, Any],
) -> None:
    """The user ignored it in their integration: nothing is offered or logged."""
    ignored = MockConfigEntry(
        domain=OTHER_DOMAIN,
        entry_id="01IGNORED00000000000000000",
        source=SOURCE_IGNORE,
        data=data,
    )
    ignored.add_to_hass(hass_london)
    menu = await open_menu(hass_london)
    assert list(menu["menu_options"]) == ["student", "parent"]
    assert ignored.entry_id not in caplog.text


async def test_our_entry_of_the_email_in_another_case_is_that_account(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    other_integration: str,
    parent_entry: MockConfigEntry,
) -> None:
    """Ours was typed in capitals, theirs in small letters: the same account,
    so it is not offered, in the menu nor as a card."""
    await add_old(
        hass_london, other_integration, proffalken(ADA, "01OLDADA0000000000000000")
    )
    ours = MockConfigEntry(
        domain=DOMAIN,
        title=parent_entry.title,
        unique_id=parent_entry.unique_id,
        data={**parent_entry.data, CONF_EMAIL: PARENT_EMAIL.upper()},
        options=parent_entry.options,
    )
    await our_entry_loaded(hass_london, ours)
    assert cards(hass_london) == []
    menu = await open_menu(hass_london)
    assert list(menu["menu_options"]) == ["student", "parent"]
