"""Diagnostics: useful, and with nothing personal or secret in them."""

from __future__ import annotations

from dataclasses import replace
import json

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.classcharts_hass import diagnostics as diagnostics_module
from custom_components.classcharts_hass.diagnostics import TO_REDACT
from custom_components.classcharts_hass.school.datasets import DATASETS
from tests.conftest import TODAY, find_secrets, setup_entry
from tests.fake_server import PARENT_EMAIL, STUDENT_ID, FakeClassCharts

# Text a school wrote about a child, or where the child is, as seeded.
PERSONAL = (
    PARENT_EMAIL,
    "Ada",
    "Ben",
    "Example",
    "Room B12",  # a detention's location
    "E2",  # a room
    "Algebra starter",  # a homework title
)


@pytest.mark.parametrize("entry_fixture", ["student_entry", "parent_entry"])
async def test_diagnostics_snapshot(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    fake: FakeClassCharts,
    snapshot: SnapshotAssertion,
    request: pytest.FixtureRequest,
    entry_fixture: str,
) -> None:
    """The whole diagnostics of a student and of a parent entry, reviewed."""
    entry: MockConfigEntry = request.getfixturevalue(entry_fixture)
    await setup_entry(hass_london, entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, entry
    )
    assert diagnostics == snapshot


@pytest.mark.parametrize("entry_fixture", ["student_entry", "parent_entry"])
async def test_diagnostics_hold_nothing_personal(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    fake: FakeClassCharts,
    request: pytest.FixtureRequest,
    entry_fixture: str,
) -> None:
    """No credential, name, reason, location, room or title; the shape stays."""
    entry: MockConfigEntry = request.getfixturevalue(entry_fixture)
    await setup_entry(hass_london, entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, entry
    )
    text = json.dumps(diagnostics)
    assert find_secrets(text, fake) == []
    for personal in PERSONAL:
        assert personal not in text, personal
    pupil = diagnostics["pupils"]["pupil_1"]
    assert pupil["pupil"]["name"] == "**REDACTED**"
    homework = pupil["datasets"]["homework"]
    assert homework["usable"] is True
    assert homework["value"][0]["title"] == "**REDACTED**"
    assert homework["value"][0]["due_date"]
    assert any(pupil["lessons"].values())


async def test_diagnostics_carry_the_client_shapes(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """The client's answer shapes and dropped items are there, with no values."""
    body = json.loads(json.dumps({"success": 1, "data": [], "meta": []}))
    fake.set_response("announcements", body, times=None)
    await setup_entry(hass_london, parent_entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, parent_entry
    )
    client = diagnostics["client"]
    assert client["shapes"]["ping"]["meta"]["session_id"] == "string"
    assert client["shapes"]["announcements"] == {
        "success": "number",
        "data": "list(0)",
        "meta": "list(0)",
    }
    assert client["dropped"] == {}
    assert find_secrets(json.dumps(client), fake) == []


async def test_each_personal_field_is_redacted(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Every text field of a child's data is in the redaction list, one by one."""
    await setup_entry(hass_london, student_entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, student_entry
    )
    datasets = diagnostics["pupils"]["pupil_1"]["datasets"]
    detention = datasets["detentions"]["value"][0]
    for key in ("location", "reason", "subject", "teacher"):
        assert detention[key] in ("**REDACTED**", None), key
    lesson = next(iter(diagnostics["pupils"]["pupil_1"]["lessons"].values()))[0]
    for key in ("room", "teacher", "name", "subject", "period_name"):
        assert lesson[key] == "**REDACTED**", key
    point = datasets["activity"]["value"]["items"][0]
    for key in ("reason", "teacher", "lesson", "room", "note"):
        assert point[key] in ("**REDACTED**", None), key
    year = datasets["behaviour"]["value"]["summary"]
    assert year["positive_reasons"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["code"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["date_of_birth"] == "**REDACTED**"
    assert STUDENT_ID  # the pupil id is no secret and stays
    assert {"code", "date_of_birth", "password", "email"} <= TO_REDACT


def _leaves(value: object) -> list[object]:
    """Every value inside dicts and lists (the keys are the shape)."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


async def test_every_dataset_is_private_unless_its_row_says_otherwise(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no field listed as safe, each row's value shows only its shape.

    The table is iterated, so a dataset added later is covered: forgetting to
    list its fields hides them, and nothing of it reaches diagnostics.
    """
    private = {
        dataset: replace(spec, safe_fields=frozenset())
        for dataset, spec in DATASETS.items()
    }
    monkeypatch.setattr(diagnostics_module, "DATASETS", private)
    # Every row shown, with a value: reports and a running report card too.
    fake.pupils[STUDENT_ID].display["display_academic_reports"] = True
    fake.pupils[STUDENT_ID].display["display_report_cards"] = True
    fake.add_report_card(STUDENT_ID, TODAY, TODAY)
    await setup_entry(hass_london, student_entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, student_entry
    )
    pupil = diagnostics["pupils"]["pupil_1"]
    for dataset in DATASETS:
        shown = pupil["datasets"][str(dataset)]
        assert shown["usable"] is True, dataset
        leaves = _leaves(shown["value"])
        assert "**REDACTED**" in leaves, dataset  # the value is there, as shape
        assert set(leaves) <= {"**REDACTED**", None}, dataset
    assert set(_leaves(pupil["lessons"])) == {"**REDACTED**"}


class _EveryField(frozenset[str]):
    """A row's safe fields by mistake: every field name is in it."""

    def __contains__(self, item: object) -> bool:
        return True


async def test_a_field_marked_safe_by_mistake_still_hides_what_a_child_did(
    hass_london: HomeAssistant,
    hass_client: ClientSessionGenerator,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The redaction list is the second layer: with every field of every row
    marked safe, names, reasons, rooms, locations and titles still never show."""
    careless = {
        dataset: replace(spec, safe_fields=_EveryField())
        for dataset, spec in DATASETS.items()
    }
    monkeypatch.setattr(diagnostics_module, "DATASETS", careless)
    await setup_entry(hass_london, student_entry)
    diagnostics = await get_diagnostics_for_config_entry(
        hass_london, hass_client, student_entry
    )
    pupil = diagnostics["pupils"]["pupil_1"]
    text = json.dumps(pupil)
    for personal in PERSONAL:
        assert personal not in text, personal
    detention = pupil["datasets"]["detentions"]["value"][0]
    assert detention["reason"] == detention["location"] == "**REDACTED**"
    lesson = next(iter(pupil["lessons"].values()))[0]
    assert lesson["room"] == "**REDACTED**"
    assert "letter.pdf" not in text
    assert "example.invalid/a/" not in text
    # A lesson's period name ("1Tue:1") says which class the child is in.
    assert lesson["period_name"] == "**REDACTED**"
    # A badge's name is repeated by each of its awards.
    [award] = pupil["datasets"]["badges"]["value"][0]["awards"]
    assert award["badge"] == award["reason"] == "**REDACTED**"
    assert "Star Reader" not in text
    # What a homework asks and how it was marked; a teacher's note on a lesson.
    for words in ("Do it", "7/10", "Bring atlas"):
        assert words not in text, words
    homework = pupil["datasets"]["homework"]["value"][0]
    assert homework["subject"] == homework["description"] == "**REDACTED**"
    assert lesson["start"]  # marked safe, so shown
