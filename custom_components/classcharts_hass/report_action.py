"""The ``get_report`` action: one academic report with grades and comments.

Grades and teachers' comments are a child's personal record: they are returned
to the script that asks, never kept in states or attributes.
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

from .client import AcademicReport, ClassChartsError
from .const import DOMAIN
from .errors import action_error
from .schema import vol
from .school.datasets import REPORTS
from .services import ATTR_PUPIL, pupil_of

ATTR_REPORT: Final = "report_id"

SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_PUPIL): cv.string,
        vol.Optional(ATTR_REPORT): cv.positive_int,
    }
)


def report_response(report: AcademicReport) -> ServiceResponse:
    """The report as the action returns it."""
    return {
        "report_id": report.id,
        "name": report.name,
        "start_date": report.start_date.isoformat() if report.start_date else None,
        "end_date": report.end_date.isoformat() if report.end_date else None,
        "attendance": report.attendance,
        "subjects": [
            {
                "subject": subject.name,
                "attendance": subject.attendance,
                "grades": [
                    {"name": grade.field, "grade": grade.grade}
                    for grade in subject.grades
                ],
                "comments": [
                    {"teacher": comment.teacher, "text": comment.text}
                    for comment in subject.comments
                ],
            }
            for subject in report.subjects
        ],
    }


async def _get_report(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    """Read the asked report (default: the newest) of a pupil whose school shows them."""
    entry, pupil_id = pupil_of(hass, call.data[ATTR_PUPIL])
    data = entry.runtime_data.coordinator.data.pupils[pupil_id]
    if not data.pupil.features.academic_reports:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="reports_not_shown"
        )
    listed = data.get(REPORTS)
    newest = listed.newest if listed else None
    wanted = call.data.get(ATTR_REPORT, newest.id if newest else None)
    # Only a report listed for this pupil: an id of another child's is refused.
    if listed is None or wanted not in {r.id for r in listed.listed}:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_report",
            translation_placeholders={"report": str(wanted or "")},
        )
    if listed.latest is not None and listed.latest.id == wanted:
        return report_response(listed.latest)
    try:
        report = await entry.runtime_data.client.get_academic_report(wanted)
    except ClassChartsError as err:
        raise action_error(err) from err
    return report_response(report)


@callback
def async_setup_report_action(hass: HomeAssistant) -> None:
    """Register ``get_report`` once for the integration."""

    async def handle(call: ServiceCall) -> ServiceResponse:
        return await _get_report(hass, call)

    hass.services.async_register(
        DOMAIN,
        "get_report",
        handle,
        schema=SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
