"""Home behaviour points: a parent awards one for a behaviour on the school's list.

Two actions: ``get_home_behaviours`` lists what the school offers (one request),
``award_home_point`` reads that list, awards one point (two requests) and
returns what it awarded. Names are shown as everywhere else (entities decoded,
whitespace collapsed) and in Unicode NFC, and a typed name matches after the
same normalisation and case folding, so whatever the list shows can be typed
back. A refusal is the user's input, not a fault: the school's daily limit
(before sending when the list already says so) and an unknown name are
translated ``ServiceValidationError``s; nothing is retried.
"""

from __future__ import annotations

from typing import Final
import unicodedata

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .client import (
    AccountType,
    ClassChartsError,
    ClassChartsLimitError,
    ParentBehaviour,
)
from .const import DOMAIN
from .coordinator import ClassChartsConfigEntry
from .errors import action_error
from .schema import vol
from .school.datasets import Dataset
from .school.text import line
from .services import ATTR_PUPIL, pupil_of

ATTR_BEHAVIOUR: Final = "behaviour"

LIST_SCHEMA: Final = vol.Schema({vol.Required(ATTR_PUPIL): cv.string})
AWARD_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_PUPIL): cv.string,
        vol.Required(ATTR_BEHAVIOUR): vol.All(cv.string, vol.Length(min=1, max=255)),
    }
)


def shown_name(name: str) -> str:
    """A behaviour's name as shown: decoded, on one line, in Unicode NFC."""
    return unicodedata.normalize("NFC", line(name))


def match_key(name: str) -> str:
    """What two names must share to be the same behaviour (case folded)."""
    return unicodedata.normalize("NFC", shown_name(name).casefold())


def _limit_reached(pupil: str, behaviour: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="home_point_limit_reached",
        translation_placeholders={"pupil": pupil, "behaviour": behaviour},
    )


def _parent_pupil(
    hass: HomeAssistant, call: ServiceCall
) -> tuple[ClassChartsConfigEntry, int]:
    """The pupil of a parent entry whose school shows parent behaviour."""
    entry, pupil_id = pupil_of(hass, call.data[ATTR_PUPIL])
    coordinator = entry.runtime_data.coordinator
    pupil = coordinator.data.pupils[pupil_id].pupil
    if coordinator.client.account_type is not AccountType.PARENT:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="home_points_parent_only"
        )
    if not pupil.features.parent_behaviour:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="home_points_hidden",
            translation_placeholders={"pupil": pupil.name},
        )
    return entry, pupil_id


async def _list(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry, pupil_id = _parent_pupil(hass, call)
    try:
        behaviours = await entry.runtime_data.client.get_parent_behaviours(pupil_id)
    except ClassChartsError as err:
        raise action_error(err) from err
    return {
        "behaviours": [
            {"name": shown_name(b.name), "daily_limit_reached": b.limit_reached}
            for b in behaviours
        ]
    }


def _chosen(behaviours: list[ParentBehaviour], typed: str) -> ParentBehaviour:
    """The behaviour with the typed name, or a translated refusal naming the choices."""
    wanted = match_key(typed)
    chosen = next((b for b in behaviours if match_key(b.name) == wanted), None)
    if chosen is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_home_behaviour",
            translation_placeholders={
                "behaviour": shown_name(typed),
                "choices": ", ".join(shown_name(b.name) for b in behaviours) or "-",
            },
        )
    return chosen


async def _award(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry, pupil_id = _parent_pupil(hass, call)
    client = entry.runtime_data.client
    coordinator = entry.runtime_data.coordinator
    pupil = coordinator.data.pupils[pupil_id].pupil.name
    try:
        behaviours = await client.get_parent_behaviours(pupil_id)
    except ClassChartsError as err:
        raise action_error(err) from err
    chosen = _chosen(behaviours, call.data[ATTR_BEHAVIOUR])
    behaviour = shown_name(chosen.name)
    if chosen.limit_reached:  # the school would refuse it: do not ask
        raise _limit_reached(pupil, behaviour)
    try:
        await client.add_parent_behaviour(pupil_id, chosen.id)
    except ClassChartsLimitError as err:
        raise _limit_reached(pupil, behaviour) from err
    except ClassChartsError as err:
        raise action_error(err) from err
    # The point shows in the activity feed: read it at the next poll.
    coordinator.invalidate(pupil_id, Dataset.ACTIVITY)
    await coordinator.async_request_refresh()
    return {"pupil": pupil, "behaviour": behaviour, "points": 1}


@callback
def async_setup_home_points(hass: HomeAssistant) -> None:
    """Register the two home point actions (once, with the others)."""

    async def list_behaviours(call: ServiceCall) -> ServiceResponse:
        return await _list(hass, call)

    async def award(call: ServiceCall) -> ServiceResponse:
        return await _award(hass, call)

    hass.services.async_register(
        DOMAIN,
        "get_home_behaviours",
        list_behaviours,
        schema=LIST_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        "award_home_point",
        award,
        schema=AWARD_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
