"""Home behaviour points: a parent awards one for a behaviour on the school's list.

Two actions: ``get_home_behaviours`` lists what the school offers (one request),
``award_home_point`` reads that list and awards one point (two requests). The
school's daily limit is reported as a translated error, before sending when
the list already says so; nothing is retried (``errors.py``).
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .client import AccountType, ClassChartsError, ClassChartsLimitError
from .const import DOMAIN
from .coordinator import ClassChartsConfigEntry
from .errors import action_error
from .schema import vol
from .school.datasets import Dataset
from .services import ATTR_PUPIL, pupil_of

ATTR_BEHAVIOUR: Final = "behaviour"

LIST_SCHEMA: Final = vol.Schema({vol.Required(ATTR_PUPIL): cv.string})
AWARD_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_PUPIL): cv.string,
        vol.Required(ATTR_BEHAVIOUR): vol.All(cv.string, vol.Length(min=1, max=255)),
    }
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
            {"name": b.name, "daily_limit_reached": b.limit_reached} for b in behaviours
        ]
    }


async def _award(hass: HomeAssistant, call: ServiceCall) -> None:
    entry, pupil_id = _parent_pupil(hass, call)
    client = entry.runtime_data.client
    wanted = call.data[ATTR_BEHAVIOUR].strip().casefold()
    try:
        behaviours = await client.get_parent_behaviours(pupil_id)
        chosen = next((b for b in behaviours if b.name.casefold() == wanted), None)
        if chosen is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_home_behaviour",
                translation_placeholders={
                    "behaviour": call.data[ATTR_BEHAVIOUR],
                    "choices": ", ".join(b.name for b in behaviours) or "-",
                },
            )
        if chosen.limit_reached:  # the school would refuse it: do not ask
            msg = f"the daily limit of {chosen.name!r} is reached"
            raise ClassChartsLimitError(msg)
        await client.add_parent_behaviour(pupil_id, chosen.id)
    except ClassChartsError as err:
        raise action_error(err) from err
    # The point shows in the activity feed: read it at the next poll.
    entry.runtime_data.coordinator.invalidate(pupil_id, Dataset.ACTIVITY)
    await entry.runtime_data.coordinator.async_request_refresh()


@callback
def async_setup_home_points(hass: HomeAssistant) -> None:
    """Register the two home point actions (once, with the others)."""

    async def list_behaviours(call: ServiceCall) -> ServiceResponse:
        return await _list(hass, call)

    async def award(call: ServiceCall) -> None:
        await _award(hass, call)

    hass.services.async_register(
        DOMAIN,
        "get_home_behaviours",
        list_behaviours,
        schema=LIST_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(DOMAIN, "award_home_point", award, schema=AWARD_SCHEMA)
