"""Switching side by side: accounts of the other ClassCharts integrations offered here.

Their entries (domain ``classcharts``) stay theirs; each account is offered in
the "Add integration" menu and, once an entry of ours is loaded, as one
discovered card. Every test runs with the other integration absent (its
entries left in storage) and installed (a mocked integration that loads them).
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import (
    SOURCE_IGNORE,
    SOURCE_INTEGRATION_DISCOVERY,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlow,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    mock_config_flow,
    mock_integration,
    mock_platform,
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
from tests.conftest import logged_tracebacks, setup_entry
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


@pytest.fixture(params=["absent", "installed"])
def other_integration(
    request: pytest.FixtureRequest, hass_london: HomeAssistant
) -> Iterator[str]:
    """The other integration uninstalled (entries left behind), or installed."""
    if request.param == "absent":
        yield request.param
        return
    mock_integration(
        hass_london,
        MockModule(
            OTHER_DOMAIN,
            async_setup_entry=AsyncMock(return_value=True),
            async_unload_entry=AsyncMock(return_value=True),
            async_migrate_entry=AsyncMock(return_value=True),
        ),
    )
    mock_platform(hass_london, f"{OTHER_DOMAIN}.config_flow", None)
    with mock_config_flow(OTHER_DOMAIN, OtherFlow):
        yield request.param


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
    assert form["description_placeholders"]["children"] == "Ada Example, Ben Example"
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
