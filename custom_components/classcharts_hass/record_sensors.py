"""Sensors for attendance today, messages, the latest report and announcements."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass

from .client import AttendanceMark, MarkStatus
from .school.datasets import (
    ANNOUNCEMENTS,
    ATTENDANCE,
    CUSTOM_FIELDS,
    REPORTS,
    Dataset,
)
from .school.school_records import NO_SCHOOL, attendance_today
from .school.snapshot import PupilData
from .school.text import line, paragraphs
from .sensor_description import ClassChartsSensorEntityDescription

ATTENDANCE_STATES: Final = [*(status.value for status in MarkStatus), NO_SCHOOL]
MAX_MARKS: Final = 12
MAX_ATTACHMENTS: Final = 10
# The school's targets listed (the recorder refuses attributes over 16 KB).
MAX_TARGETS: Final = 20
TARGET_NAME_MAX: Final = 50
TARGET_VALUE_MAX: Final = 100


def _mark(mark: AttendanceMark) -> dict[str, Any]:
    return {
        "session": line(mark.session),
        "status": mark.status.value,
        "code": line(mark.code),
        "late_minutes": mark.late_minutes,
        "lesson": line(mark.lesson),
    }


def _attendance_today(data: PupilData, now: datetime) -> str | None:
    if (attendance := data.get(ATTENDANCE)) is None:
        return None
    return attendance_today(attendance, now.date(), data.school_on(now.date()))


def _marks_today(data: PupilData, now: datetime) -> dict[str, Any]:
    attendance = data.get(ATTENDANCE)
    day = attendance.day(now.date()) if attendance else None
    return {"marks": [_mark(mark) for mark in (day.marks if day else ())][:MAX_MARKS]}


def announcement_attributes(data: PupilData) -> dict[str, Any]:
    """The newest announcement: what it says, who sent it, files, consent, pinned."""
    newest = max(
        data.get(ANNOUNCEMENTS) or [], key=lambda a: (a.timestamp, a.id), default=None
    )
    if newest is None:
        return {}
    return {
        "title": line(newest.title),
        "text": paragraphs(newest.description),
        "teacher": line(newest.teacher),
        "date": newest.timestamp.isoformat(),
        "attachments": [
            {"name": line(a.filename), "url": a.url}
            for a in newest.attachments[:MAX_ATTACHMENTS]
        ],
        "asks_consent": newest.asks_consent,
        "pinned": newest.pinned,
    }


def _latest_report(data: PupilData) -> dict[str, Any]:
    listed = data.get(REPORTS)
    newest = listed.newest if listed else None
    if newest is None:
        return {}
    full = listed.latest if listed and listed.latest else None
    return {
        "report_id": newest.id,
        "start_date": newest.start_date.isoformat() if newest.start_date else None,
        "end_date": newest.end_date.isoformat() if newest.end_date else None,
        "attendance": full.attendance if full and full.id == newest.id else None,
    }


def _targets(data: PupilData) -> dict[str, Any]:
    """Each target's name and value, as plain bounded lines; the rest counted."""
    fields = data.get(CUSTOM_FIELDS) or []
    targets: dict[str, str] = {}
    for field in fields[:MAX_TARGETS]:
        name = line(field.name, TARGET_NAME_MAX)
        # Two targets with one name (or none) are both listed.
        if not name or name in targets:
            name = f"{name} ({field.id})".strip()
        targets[name] = line(field.value, TARGET_VALUE_MAX)
    return {"targets": targets, "not_listed": max(0, len(fields) - MAX_TARGETS)}


RECORD_SENSORS: Final = (
    ClassChartsSensorEntityDescription(
        key="attendance_today",
        translation_key="attendance_today",
        device_class=SensorDeviceClass.ENUM,
        options=ATTENDANCE_STATES,
        value_fn=_attendance_today,
        attributes_fn=_marks_today,
        datasets=(Dataset.ATTENDANCE,),
        shown_fn=lambda features: features.attendance_marks,
    ),
    ClassChartsSensorEntityDescription(
        key="unread_messages",
        translation_key="unread_messages",
        state_class=SensorStateClass.MEASUREMENT,
        # From the pupil record every poll reads already: no request of its own.
        value_fn=lambda data, _: data.pupil.messages_count,
        datasets=(),
    ),
    ClassChartsSensorEntityDescription(
        key="latest_report",
        translation_key="latest_report",
        value_fn=lambda data, _: (
            line(newest.name, 255)
            if (listed := data.get(REPORTS)) and (newest := listed.newest)
            else None
        ),
        attributes_fn=lambda data, _: _latest_report(data),
        datasets=(Dataset.REPORTS,),
    ),
    ClassChartsSensorEntityDescription(
        key="school_targets",
        translation_key="school_targets",
        value_fn=lambda data, _: len(data.get(CUSTOM_FIELDS) or []),
        attributes_fn=lambda data, _: _targets(data),
        datasets=(Dataset.CUSTOM_FIELDS,),
    ),
)
