"""What users see at the edges a reviewer's single-line mutations found untested."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import TODAY, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .test_attendance_today import TODAY_SENSOR


async def test_late_minutes_zero_and_on_absent_mark_are_not_shown(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """``late_minutes: 0`` is no lateness; minutes sent with an absent mark are not
    a late arrival: both show as ``None`` in the marks."""
    fake.set_attendance_mark(STUDENT_ID, TODAY, "AM", "late", late_minutes=0)
    fake.set_attendance_mark(STUDENT_ID, TODAY, "PM", "absent", late_minutes=7)
    await setup_entry(hass_london, student_entry)
    marks = hass_london.states.get(TODAY_SENSOR).attributes["marks"]
    assert [(m["session"], m["status"], m["late_minutes"]) for m in marks][:2] == [
        ("AM", "late", None),
        ("PM", "absent", None),
    ]
