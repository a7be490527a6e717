"""Actions that return ClassCharts data to scripts, automations and Assist."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr

from .client import ClassChartsError
from .const import DOMAIN
from .coordinator import ClassChartsConfigEntry, device_identifier
from .errors import action_error
from .schema import vol
from .school.fetches import school_year_start

ATTR_PUPIL: Final = "pupil"
ATTR_START_DATE: Final = "start_date"
ATTR_END_DATE: Final = "end_date"
ATTR_INCLUDE_COMPLETED: Final = "include_completed"

MAX_DAYS: Final = {"get_timetable": 31, "get_homework": 92, "get_behaviour": 366}

SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_PUPIL): cv.string,
        vol.Optional(ATTR_START_DATE): cv.date,
        vol.Optional(ATTR_END_DATE): cv.date,
        vol.Optional(ATTR_INCLUDE_COMPLETED, default=False): cv.boolean,
    }
)

type Handler = Callable[
    [ClassChartsConfigEntry, int, date, date, ServiceCall], Awaitable[ServiceResponse]
]


def pupil_of(hass: HomeAssistant, device_id: str) -> tuple[ClassChartsConfigEntry, int]:
    """Find the loaded entry and pupil behind a device id."""
    registry = dr.async_get(hass)
    device = registry.async_get(device_id)
    for entry in hass.config_entries.async_entries(DOMAIN):
        # Asked of the registry: reading DeviceEntry.config_entries is deprecated.
        if device is None or device.id not in {
            entry_device.id
            for entry_device in dr.async_entries_for_config_entry(
                registry, entry.entry_id
            )
        }:
            continue
        if entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="entry_not_loaded"
            )
        for pupil_id in entry.runtime_data.coordinator.data.pupils:
            if device_identifier(entry, pupil_id) in device.identifiers:
                return entry, pupil_id
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="invalid_pupil",
        translation_placeholders={"pupil": device_id},
    )


def _range(
    call: ServiceCall, default: tuple[date, date], max_days: int
) -> tuple[date, date]:
    """The requested dates, checked: in order and not too far apart."""
    start = call.data.get(ATTR_START_DATE, default[0])
    end = call.data.get(ATTR_END_DATE, default[1])
    if end < start:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="end_before_start"
        )
    if (end - start).days + 1 > max_days:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="range_too_long",
            translation_placeholders={"days": str(max_days)},
        )
    return start, end


async def _timetable(
    entry: ClassChartsConfigEntry, pupil_id: int, start: date, end: date, _: ServiceCall
) -> ServiceResponse:
    coordinator = entry.runtime_data.coordinator
    days = await coordinator.lessons(pupil_id, start, end)
    return {
        "lessons": [
            {
                "date": day.isoformat(),
                "start": lesson.start.isoformat(),
                "end": lesson.end.isoformat(),
                "subject": lesson.subject,
                "class": lesson.name,
                "teacher": lesson.teacher,
                "room": lesson.room,
                "period": lesson.period,
            }
            for day in sorted(days)
            for lesson in days[day]
        ]
    }


async def _homework(
    entry: ClassChartsConfigEntry,
    pupil_id: int,
    start: date,
    end: date,
    call: ServiceCall,
) -> ServiceResponse:
    homeworks = await entry.runtime_data.client.get_homeworks(pupil_id, start, end)
    return {
        "homework": [
            {
                "title": homework.title,
                "subject": homework.subject,
                "teacher": homework.teacher,
                "issue_date": homework.issue_date.isoformat(),
                "due_date": homework.due_date.isoformat(),
                "done": homework.done,
                "description": homework.description,
            }
            for homework in sorted(homeworks, key=lambda h: (h.due_date, h.id))
            if call.data[ATTR_INCLUDE_COMPLETED] or not homework.done
        ]
    }


async def _behaviour(
    entry: ClassChartsConfigEntry, pupil_id: int, start: date, end: date, _: ServiceCall
) -> ServiceResponse:
    client = entry.runtime_data.client
    since = datetime.combine(start, time.min, client.pupil_zone(pupil_id))
    summary, (activity, complete) = await asyncio.gather(
        client.get_behaviour(pupil_id, start, end),
        client.get_activity_history(pupil_id, since, end),
    )
    return {
        "positive": summary.positive,
        "negative": summary.negative,
        "net": summary.net,
        "positive_reasons": dict(summary.positive_reasons.items()),
        "negative_reasons": dict(summary.negative_reasons.items()),
        # False when the range holds more points than one call lists (1,000).
        "points_complete": complete,
        "points": [
            {
                "time": item.timestamp.isoformat(),
                "polarity": item.polarity,
                "reason": item.reason,
                "score": item.score,
                "teacher": item.teacher,
                "lesson": item.lesson,
            }
            for item in sorted(activity, key=lambda i: (i.timestamp, i.id))
            if item.type == "behaviour"
        ],
    }


async def _handle(
    hass: HomeAssistant,
    handler: Handler,
    defaults: Callable[[date], tuple[date, date]],
    call: ServiceCall,
) -> ServiceResponse:
    """Validate, resolve the pupil, call ClassCharts, map its errors."""
    entry, pupil_id = pupil_of(hass, call.data[ATTR_PUPIL])
    today = entry.runtime_data.coordinator.now().date()
    start, end = _range(call, defaults(today), MAX_DAYS[call.service])
    try:
        return await handler(entry, pupil_id, start, end, call)
    except ClassChartsError as err:
        raise action_error(err) from err


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions once for the integration."""
    week = timedelta(days=6)
    services: dict[str, tuple[Handler, Callable[[date], tuple[date, date]]]] = {
        "get_timetable": (_timetable, lambda today: (today, today + week)),
        "get_homework": (_homework, lambda today: (today, today + week)),
        "get_behaviour": (_behaviour, lambda today: (school_year_start(today), today)),
    }
    for name, (handler, defaults) in services.items():
        hass.services.async_register(
            DOMAIN,
            name,
            partial(_handle, hass, handler, defaults),
            schema=SCHEMA,
            supports_response=SupportsResponse.ONLY,
        )
