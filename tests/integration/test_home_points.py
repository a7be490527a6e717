"""Home behaviour points: a parent awards one from the school's list; limits refuse."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import DOMAIN
from tests.conftest import advance, setup_entry
from tests.fake_server import CHILD_IDS, STUDENT_ID, FakeClassCharts
from tests.fake_server.models import PARENT_NAME
from tests.integration.test_event import record
from tests.integration.test_services import call, device_of

ADA, BEN = CHILD_IDS


async def award(
    hass: HomeAssistant, pupil: str, behaviour: str
) -> dict[str, Any] | None:
    """Award a home point; return the action's response."""
    return await hass.services.async_call(
        DOMAIN,
        "award_home_point",
        {"pupil": pupil, "behaviour": behaviour},
        blocking=True,
        return_response=True,
    )


async def test_list_and_award(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The school's list is returned; a point awarded shows as a behaviour point."""
    await setup_entry(hass_london, parent_entry)
    ada = device_of(hass_london, parent_entry, ADA)
    listed = await call(hass_london, "get_home_behaviours", pupil=ada)
    assert listed == {
        "behaviours": [
            {"name": "Helpful at home", "daily_limit_reached": False},
            {"name": "Reading", "daily_limit_reached": True},
        ]
    }
    fired = record(hass_london, "event.ada_example_behaviour_point")
    fake.clear_requests()
    awarded = await award(hass_london, ada, "  helpful AT home ")
    assert awarded == {
        "pupil": "Ada Example",
        "behaviour": "Helpful at home",
        "points": 1,
    }
    sent = fake.api_requests("addparentbehaviour")
    assert [r.path for r in sent] == [f"/apiv2parent/addparentbehaviour/{ADA}"]
    await advance(hass_london, freezer, timedelta(seconds=15))  # the refresh asked
    assert [(f["reason"], f["teacher"]) for f in fired] == [
        ("Helpful at home", PARENT_NAME)
    ]


async def test_the_school_limit_is_a_translated_error_and_never_retried(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A limit the list shows refuses before sending; one the award hits, after.

    Both are the user's choice meeting the school's rule: a translated
    validation error naming the behaviour and the child, and no ERROR log.
    """
    await setup_entry(hass_london, parent_entry)
    ada = device_of(hass_london, parent_entry, ADA)
    fake.clear_requests()
    with pytest.raises(ServiceValidationError) as refused:
        await award(hass_london, ada, "Reading")
    assert refused.value.translation_key == "home_point_limit_reached"
    assert str(refused.value) == (
        'The school\'s daily limit for "Reading" is reached for Ada Example.'
        " Try again tomorrow"
    )
    assert fake.api_requests("addparentbehaviour") == []
    # The list said the limit was not reached, the school says it is.
    fake.set_response(
        "addparentbehaviour",
        {
            "success": 0,
            "expired": 0,
            "meta": None,
            "error": "You have reached the daily limit awarding this behaviour",
        },
    )
    with pytest.raises(ServiceValidationError) as limited:
        await award(hass_london, ada, "Helpful at home")
    assert limited.value.translation_key == "home_point_limit_reached"
    assert "Helpful at home" in str(limited.value)
    assert len(fake.api_requests("addparentbehaviour")) == 1  # sent once, no retry
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_bad_choices_are_refused_clearly(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """An unknown behaviour names the choices; a hidden feature says so."""
    await setup_entry(hass_london, parent_entry)
    ben = device_of(hass_london, parent_entry, BEN)
    with pytest.raises(ServiceValidationError) as unknown:
        await award(hass_london, ben, "Tidy room")
    assert unknown.value.translation_key == "unknown_home_behaviour"
    assert unknown.value.translation_placeholders["choices"] == "Helpful at home"
    assert str(unknown.value) == (
        'The school lists no home behaviour "Tidy room". Choose one of: Helpful at home'
    )
    fake.pupils[BEN].display["display_parent_behaviour"] = False
    await hass_london.config_entries.async_reload(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    fake.clear_requests()
    with pytest.raises(ServiceValidationError) as hidden:
        await award(hass_london, device_of(hass_london, parent_entry, BEN), "Reading")
    assert hidden.value.translation_key == "home_points_hidden"
    assert fake.api_requests("parentbehaviours") == []


async def test_a_student_login_cannot_award(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Home points are the parent's: a student login is refused before any request."""
    await setup_entry(hass_london, student_entry)
    ada = device_of(hass_london, student_entry, STUDENT_ID)
    fake.clear_requests()
    with pytest.raises(ServiceValidationError) as refused:
        await award(hass_london, ada, "Helpful at home")
    assert refused.value.translation_key == "home_points_parent_only"
    assert fake.api_requests() == []


# The school's names as ClassCharts may send them, and what the list shows.
ODD_NAMES = {
    "Tidy &amp; helpful": "Tidy & helpful",
    "Kind\u00a0to  others ": "Kind to others",
    "Cafe\u0301 duty": "Caf\u00e9 duty",  # a decomposed accent, shown composed
}


@pytest.mark.parametrize(
    ("school", "typed"),
    [
        ("Tidy &amp; helpful", "Tidy & helpful"),  # as the list shows it
        ("Tidy &amp; helpful", "tidy &amp; HELPFUL"),  # as the school wrote it
        ("Kind\u00a0to  others ", "kind to others"),
        ("Cafe\u0301 duty", "CAF\u00c9 DUTY"),  # composed, upper case
    ],
    ids=["entity", "entity-typed", "no-break-space", "decomposed-accent"],
)
async def test_names_are_shown_decoded_and_matched_normalised(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    school: str,
    typed: str,
) -> None:
    """What get_home_behaviours shows can be typed back, in any case."""
    fake.pupils[ADA].parent_behaviours = [
        {"id": 9100 + n, "name": name, "is_daily_limit_reached": False}
        for n, name in enumerate(ODD_NAMES)
    ]
    await setup_entry(hass_london, parent_entry)
    ada = device_of(hass_london, parent_entry, ADA)
    listed = await call(hass_london, "get_home_behaviours", pupil=ada)
    assert [b["name"] for b in listed["behaviours"]] == list(ODD_NAMES.values())
    fake.clear_requests()
    awarded = await award(hass_london, ada, typed)
    assert awarded is not None
    assert awarded["behaviour"] == ODD_NAMES[school]
    assert len(fake.api_requests("addparentbehaviour")) == 1
    assert fake.pupils[ADA].activity[-1].reason == school  # that one was awarded
