"""Entries of other ClassCharts integrations (and our own older ones) become ours."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigEntryDisabler,
    ConfigEntryState,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass import repairs
from custom_components.classcharts_hass.client import ClassChartsClient
from custom_components.classcharts_hass.const import (
    CONF_ACCOUNT_TYPE,
    CONF_EXCLUDED_PUPILS,
    DOMAIN,
)
from custom_components.classcharts_hass.migration import CONF_MIGRATED_PUPILS
from tests.conftest import logged_tracebacks, setup_entry
from tests.fake_server import (
    CHILD_IDS,
    PARENT_EMAIL,
    PARENT_ID,
    PARENT_PASSWORD,
    FakeClassCharts,
)

ADA, BEN = CHILD_IDS
NAMES = {ADA: "Ada Example", BEN: "Ben Example"}
SETTLED_ID = f"parent-{PARENT_ID}"


def layout_a(
    pupil_id: int, entry_id: str, email: str = PARENT_EMAIL
) -> MockConfigEntry:
    """An entry as the integration with ``username``/``student_id`` writes it."""
    return MockConfigEntry(
        domain=DOMAIN,
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


def layout_b(
    pupil_id: int, entry_id: str, email: str = PARENT_EMAIL
) -> MockConfigEntry:
    """An entry as the integration with ``email``/``pupil_id`` (a string) writes it."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=entry_id,
        title=NAMES[pupil_id],
        data={
            CONF_EMAIL: email,
            CONF_PASSWORD: PARENT_PASSWORD,
            "pupil_id": str(pupil_id),
            "student_name": NAMES[pupil_id],
        },
        options={
            "refresh_interval": 30,
            "days_to_fetch": 7,
            "show_completed_homework": False,
            "show_no_school": True,
        },
    )


def device_names(hass: HomeAssistant, entry_id: str) -> list[str]:
    registry = dr.async_get(hass)
    return sorted(
        str(d.name) for d in dr.async_entries_for_config_entry(registry, entry_id)
    )


def assert_text_complete(hass: HomeAssistant) -> None:
    """Every placeholder of every shown issue's text is given."""
    strings = json.loads(
        (Path(repairs.__file__).parent / "translations" / "en.json").read_text(
            encoding="utf-8"
        )
    )["issues"]
    for (domain, _), issue in ir.async_get(hass).issues.items():
        if domain != DOMAIN or not issue.active:
            continue
        text = json.dumps(strings[issue.translation_key])
        needed = set(re.findall(r"{(\w+)}", text))
        assert needed <= set(issue.translation_placeholders or {}), issue.issue_id


def issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    assert_text_complete(hass)
    return {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.active
    }


def assert_settled(entry: MockConfigEntry, *, excluded: list[int]) -> None:
    """A parent entry of ours, logged in with the old password, children chosen."""
    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (2, 1)
    assert entry.unique_id == SETTLED_ID
    assert entry.title == "Sam Example"
    assert dict(entry.data) == {
        CONF_ACCOUNT_TYPE: "parent",
        CONF_EMAIL: PARENT_EMAIL,
        CONF_PASSWORD: PARENT_PASSWORD,
    }
    assert dict(entry.options) == {CONF_EXCLUDED_PUPILS: excluded}


@pytest.mark.parametrize("layout", [layout_a, layout_b])
async def test_single_child_entry_becomes_a_parent_entry(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    caplog: pytest.LogCaptureFixture,
    layout: Any,
) -> None:
    """One old entry for Ada: a parent entry with Ada only, and a notice."""
    old = layout(ADA, "01OLDADA000000000000000000")
    old.add_to_hass(hass_london)
    # What the old integration left in the registries of its entry.
    old_device = dr.async_get(hass_london).async_get_or_create(
        config_entry_id=old.entry_id, identifiers={(DOMAIN, str(ADA))}, name="Ada"
    )
    er.async_get(hass_london).async_get_or_create(
        "sensor", DOMAIN, f"{ADA}_homework", config_entry=old, device_id=old_device.id
    )
    er.async_get(hass_london).async_get_or_create(
        "sensor", DOMAIN, "account_status", config_entry=old
    )

    assert await async_setup_component(hass_london, DOMAIN, {})
    await hass_london.async_block_till_done()

    assert hass_london.config_entries.async_entries(DOMAIN) == [old]
    assert_settled(old, excluded=[BEN])
    assert device_names(hass_london, old.entry_id) == ["Ada Example"]
    entity_ids = [
        e.unique_id
        for e in er.async_entries_for_config_entry(
            er.async_get(hass_london), old.entry_id
        )
    ]
    assert f"{ADA}_homework" not in entity_ids
    assert "account_status" not in entity_ids
    assert hass_london.states.get("sensor.ada_example_next_lesson") is not None
    assert hass_london.states.get("sensor.ben_example_next_lesson") is None
    notice = issues(hass_london)[f"entry_migrated_{old.entry_id}"]
    assert notice.is_fixable
    # A notice to confirm, not a fault: a warning, where faults are errors.
    assert notice.severity is ir.IssueSeverity.WARNING
    assert notice.translation_placeholders is not None
    assert notice.translation_placeholders["children"] == "Ada Example"
    # The settling login is the one the first refresh used.
    assert [r.path for r in fake.requests].count("/parent/login") == 1
    assert not logged_tracebacks(caplog)


async def test_migration_itself_sends_nothing(
    hass_london: HomeAssistant, fake: FakeClassCharts
) -> None:
    """Migrating names the children; only the first set-up logs in."""
    old = layout_a(BEN, "01OLDBEN000000000000000000")
    old.add_to_hass(hass_london)
    assert await old.async_migrate(hass_london)
    assert fake.requests == []
    assert old.version == 2
    assert old.unique_id is None
    assert dict(old.data) == {
        CONF_ACCOUNT_TYPE: "parent",
        CONF_EMAIL: PARENT_EMAIL,
        CONF_PASSWORD: PARENT_PASSWORD,
        CONF_MIGRATED_PUPILS: [BEN],
    }
    assert dict(old.options) == {}


@pytest.mark.parametrize(
    "order", ["together", "ada_first", "ben_first", "ben_loaded_first"]
)
@pytest.mark.parametrize(
    ("ada_layout", "ben_layout"),
    [(layout_a, layout_a), (layout_b, layout_b), (layout_a, layout_b)],
)
async def test_per_child_entries_of_one_account_merge(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    caplog: pytest.LogCaptureFixture,
    order: str,
    ada_layout: Any,
    ben_layout: Any,
) -> None:
    """Two entries of one account, migrated in any order: one entry with both."""
    # Ben's entry is the older one (same creation time, smaller id): it stays.
    ben = ben_layout(BEN, "01AAAABEN00000000000000000")
    ada = ada_layout(ADA, "01BBBBADA00000000000000000", email="Parent@Example.invalid")
    if order == "ben_loaded_first":
        # Ada's entry was disabled, say, and is enabled after Ben's was set up.
        await setup_entry(hass_london, ben)
        assert ben.options == {CONF_EXCLUDED_PUPILS: [ADA]}
        await setup_entry(hass_london, ada)
    else:
        ada.add_to_hass(hass_london)
        ben.add_to_hass(hass_london)
        if order != "together":
            # Home Assistant migrates each entry as it sets it up, in any order.
            for entry in (ada, ben) if order == "ada_first" else (ben, ada):
                if hass_london.config_entries.async_get_entry(entry.entry_id):
                    await entry.async_migrate(hass_london)
                await hass_london.async_block_till_done()
        assert await async_setup_component(hass_london, DOMAIN, {})
    await hass_london.async_block_till_done()

    assert hass_london.config_entries.async_entries(DOMAIN) == [ben]
    assert_settled(ben, excluded=[])
    assert device_names(hass_london, ben.entry_id) == ["Ada Example", "Ben Example"]
    assert device_names(hass_london, ada.entry_id) == []
    notice = issues(hass_london)[f"entries_merged_{ben.entry_id}"]
    assert notice.translation_placeholders is not None
    assert sorted(notice.translation_placeholders["children"].split(", ")) == [
        "Ada Example",
        "Ben Example",
    ]
    assert f"entry_migrated_{ben.entry_id}" not in issues(hass_london)
    assert not logged_tracebacks(caplog)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_disabled_old_entry_waits_until_enabled(
    hass_london: HomeAssistant, fake: FakeClassCharts
) -> None:
    """A disabled old entry is not set up, so its child is not taken over yet."""
    ada = layout_a(ADA, "01BBBBADA00000000000000000")
    ben = layout_a(BEN, "01AAAABEN00000000000000000")
    ben.add_to_hass(hass_london)
    ada.add_to_hass(hass_london)
    await hass_london.config_entries.async_set_disabled_by(
        ben.entry_id, ConfigEntryDisabler.USER
    )
    assert await async_setup_component(hass_london, DOMAIN, {})
    await hass_london.async_block_till_done()
    assert_settled(ada, excluded=[BEN])
    assert ben.version == 1

    await hass_london.config_entries.async_set_disabled_by(ben.entry_id, None)
    await hass_london.async_block_till_done()
    assert hass_london.config_entries.async_entries(DOMAIN) == [ada]
    assert_settled(ada, excluded=[])
    assert device_names(hass_london, ada.entry_id) == ["Ada Example", "Ben Example"]


async def test_child_added_while_the_first_login_runs(
    hass_london: HomeAssistant, fake: FakeClassCharts
) -> None:
    """An old entry enabled during the settling login still gets its child in."""
    ada = layout_a(ADA, "01AAAAADA00000000000000000")
    ben = layout_a(BEN, "01BBBBBEN00000000000000000")
    ada.add_to_hass(hass_london)
    ben.add_to_hass(hass_london)
    fake.fail_next(count=1, status=503, path_contains="/parent/login")
    # Disabling sets the integration up, and with it Ada's entry.
    await hass_london.config_entries.async_set_disabled_by(
        ben.entry_id, ConfigEntryDisabler.USER
    )
    original = ClassChartsClient.login

    async def login(client: ClassChartsClient) -> Any:
        if ben.disabled_by is not None:
            await hass_london.config_entries.async_set_disabled_by(ben.entry_id, None)
        return await original(client)

    await hass_london.async_block_till_done()
    assert ada.state is ConfigEntryState.SETUP_RETRY
    with patch.object(ClassChartsClient, "login", login):
        await hass_london.config_entries.async_reload(ada.entry_id)
        await hass_london.async_block_till_done()
    assert hass_london.config_entries.async_entries(DOMAIN) == [ada]
    assert_settled(ada, excluded=[])


async def test_entries_of_two_accounts_stay_apart(
    hass_london: HomeAssistant, fake: FakeClassCharts
) -> None:
    """Another email address is another account: its entry is migrated on its own."""
    ada = layout_a(ADA, "01AAAAADA00000000000000000")
    other = layout_a(BEN, "01BBBBOTHER000000000000000", email="other@example.invalid")
    ada.add_to_hass(hass_london)
    other.add_to_hass(hass_london)
    assert await async_setup_component(hass_london, DOMAIN, {})
    await hass_london.async_block_till_done()

    assert len(hass_london.config_entries.async_entries(DOMAIN)) == 2
    assert_settled(ada, excluded=[BEN])
    # ClassCharts refuses the other account's login: a reauth, not a merge.
    assert other.state is ConfigEntryState.SETUP_ERROR
    assert other.data[CONF_MIGRATED_PUPILS] == [BEN]
    flows = hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_old_entry_joins_an_entry_of_ours(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    parent_entry: MockConfigEntry,
) -> None:
    """An old entry for a child our entry leaves out: the child is included."""
    ours = MockConfigEntry(
        domain=DOMAIN,
        title=parent_entry.title,
        unique_id=parent_entry.unique_id,
        data=dict(parent_entry.data),
        options={CONF_EXCLUDED_PUPILS: [BEN]},
        version=2,
    )
    await setup_entry(hass_london, ours)
    assert device_names(hass_london, ours.entry_id) == ["Ada Example"]

    old = layout_b(BEN, "01OLDBEN000000000000000000")
    await setup_entry(hass_london, old)
    await hass_london.async_block_till_done()

    assert hass_london.config_entries.async_entries(DOMAIN) == [ours]
    assert ours.options[CONF_EXCLUDED_PUPILS] == []
    assert ours.state is ConfigEntryState.LOADED
    assert device_names(hass_london, ours.entry_id) == ["Ada Example", "Ben Example"]
    assert f"entry_migrated_{ours.entry_id}" in issues(hass_london)


async def test_account_added_again_while_migrated_entry_waited(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    parent_entry: MockConfigEntry,
) -> None:
    """Settling finds the account already set up: the children move there."""
    old = layout_a(BEN, "01OLDBEN000000000000000000")
    fake.fail_next(count=1, status=503, path_contains="/parent/login")
    await setup_entry(hass_london, old)
    assert old.state is ConfigEntryState.SETUP_RETRY

    ours = MockConfigEntry(
        domain=DOMAIN,
        title=parent_entry.title,
        unique_id=SETTLED_ID,
        data=dict(parent_entry.data),
        options={CONF_EXCLUDED_PUPILS: [BEN]},
        version=2,
    )
    await setup_entry(hass_london, ours)
    await hass_london.config_entries.async_reload(old.entry_id)
    await hass_london.async_block_till_done()

    assert hass_london.config_entries.async_entries(DOMAIN) == [ours]
    assert ours.options[CONF_EXCLUDED_PUPILS] == []
    assert device_names(hass_london, ours.entry_id) == ["Ada Example", "Ben Example"]


async def test_named_child_gone_from_the_account_keeps_them_all(
    hass_london: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The only child an old entry named left the account: nobody is left out."""
    old = layout_a(ADA, "01OLDADA000000000000000000")
    fake.remove_pupil(ADA)
    await setup_entry(hass_london, old)
    assert old.options == {CONF_EXCLUDED_PUPILS: []}
    assert device_names(hass_london, old.entry_id) == ["Ben Example"]


async def test_our_older_entries_keep_their_data(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
) -> None:
    """Our own version 1 entries only change version."""
    before = [
        (dict(e.data), dict(e.options), e.unique_id, e.title)
        for e in (student_entry, parent_entry)
    ]
    assert (student_entry.version, parent_entry.version) == (1, 1)
    student_entry.add_to_hass(hass_london)
    parent_entry.add_to_hass(hass_london)
    assert await async_setup_component(hass_london, DOMAIN, {})
    await hass_london.async_block_till_done()
    for entry, (data, options, unique_id, title) in zip(
        (student_entry, parent_entry), before, strict=True
    ):
        assert entry.state is ConfigEntryState.LOADED
        assert entry.version == 2
        assert (dict(entry.data), dict(entry.options)) == (data, options)
        assert (entry.unique_id, entry.title) == (unique_id, title)
    assert not issues(hass_london)


@pytest.mark.parametrize(
    ("version", "data"),
    [
        (1, {"token": "abc", "school": PARENT_PASSWORD}),
        (1, {"username": PARENT_EMAIL, "password": PARENT_PASSWORD, "student_id": "x"}),
        (1, {"username": PARENT_EMAIL, "password": "x", "student_id": True}),
        (1, {"username": PARENT_EMAIL, "password": "x", "student_id": 0}),
        (1, {CONF_ACCOUNT_TYPE: "teacher", CONF_PASSWORD: PARENT_PASSWORD}),
    ],
    ids=[
        "unknown_keys",
        "bad_pupil_id",
        "boolean_pupil_id",
        "zero_pupil_id",
        "unknown_account_type",
    ],
)
async def test_unknown_layout_gives_a_repair_issue(
    hass_london: HomeAssistant,
    fake: FakeClassCharts,
    caplog: pytest.LogCaptureFixture,
    version: int,
    data: dict[str, Any],
) -> None:
    """Not set up, one log line without secrets, an issue until it is removed."""
    entry = MockConfigEntry(
        domain=DOMAIN, entry_id="01UNKNOWN00000000000000000", data=data, version=version
    )
    await setup_entry(hass_london, entry)

    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.version == version
    assert dict(entry.data) == data  # nothing lost
    issue = issues(hass_london)[f"unknown_layout_{entry.entry_id}"]
    assert not issue.is_fixable
    assert issue.severity is ir.IssueSeverity.ERROR
    lines = [r for r in caplog.records if r.name.startswith("custom_components")]
    errors = [r for r in lines if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "remove it and add the account again" in errors[0].getMessage()
    assert not logged_tracebacks(caplog)
    assert fake.requests == []

    await hass_london.config_entries.async_remove(entry.entry_id)
    await hass_london.async_block_till_done()
    assert f"unknown_layout_{entry.entry_id}" not in issues(hass_london)


async def test_entry_of_a_newer_version_is_kept_unloaded(
    hass_london: HomeAssistant, fake: FakeClassCharts, caplog: pytest.LogCaptureFixture
) -> None:
    """After a downgrade: not set up, nothing lost, nothing sent, no traceback.

    Home Assistant 2026.10 refuses such an entry itself (one ERROR of its own)
    before it asks the integration; 2026.2 asks, and our unknown-layout issue
    says what to do. Either way the entry waits untouched.
    """
    data = {CONF_ACCOUNT_TYPE: "parent", CONF_PASSWORD: PARENT_PASSWORD}
    entry = MockConfigEntry(
        domain=DOMAIN, entry_id="01NEWER000000000000000000", data=data, version=3
    )
    await setup_entry(hass_london, entry)

    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert (entry.version, dict(entry.data)) == (3, data)
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert not logged_tracebacks(caplog)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("old_email", "reason"),
    [
        (PARENT_EMAIL.upper(), "reauth_successful"),
        ("old@example.invalid", "wrong_account"),
    ],
    ids=["same_account", "other_account"],
)
async def test_reauth_of_a_migrated_entry_never_set_up(
    hass_london: HomeAssistant, fake: FakeClassCharts, old_email: str, reason: str
) -> None:
    """The old password is refused at the first login: reauth asks for the new one.

    The entry knows its account only by the email address (in any case) until a
    set-up works, so the typed details must be of that address.
    """
    new_password = "a new password"
    fake.change_password(PARENT_EMAIL, new_password)
    old = layout_a(ADA, "01OLDADA000000000000000000", email=old_email)
    old.add_to_hass(hass_london)
    assert await async_setup_component(hass_london, DOMAIN, {})
    await hass_london.async_block_till_done()
    assert old.state is ConfigEntryState.SETUP_ERROR
    assert old.unique_id is None
    [flow] = hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"

    result = await hass_london.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_EMAIL: PARENT_EMAIL, CONF_PASSWORD: new_password}
    )
    await hass_london.async_block_till_done()

    assert result["type"] == "abort"
    assert result["reason"] == reason
    if reason == "reauth_successful":
        assert old.state is ConfigEntryState.LOADED
        assert old.unique_id == SETTLED_ID
        assert dict(old.data)[CONF_PASSWORD] == new_password
        assert dict(old.options) == {CONF_EXCLUDED_PUPILS: [BEN]}
    else:
        assert old.unique_id is None
        assert dict(old.data)[CONF_PASSWORD] == PARENT_PASSWORD
