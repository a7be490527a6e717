"""Entries of ours across this integration's versions (domain ``classcharts_hass``)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import CONF_ACCOUNT_TYPE, DOMAIN
from tests.conftest import logged_tracebacks, setup_entry
from tests.fake_server import PARENT_EMAIL, PARENT_PASSWORD, FakeClassCharts


def issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    return {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.active
    }


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
        (1, {"username": PARENT_EMAIL, "password": "x", "student_id": "²"}),
        (1, {CONF_ACCOUNT_TYPE: "teacher", CONF_PASSWORD: PARENT_PASSWORD}),
    ],
    ids=[
        "unknown_keys",
        "bad_pupil_id",
        "boolean_pupil_id",
        "zero_pupil_id",
        "superscript_pupil_id",
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
