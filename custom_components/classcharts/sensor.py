"""Sensors: lessons, homework counts, behaviour points, detentions and more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .client import AccountType, Detention, Homework, Lesson, Pupil
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .data import PupilData
from .entity import ClassChartsEntity, add_pupil_entities

PARALLEL_UPDATES = 0
MAX_LISTED_ITEMS = 20

type ValueFn = Callable[[PupilData, datetime], StateType | datetime]
type AttributesFn = Callable[[PupilData, datetime], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ClassChartsSensorEntityDescription(SensorEntityDescription):
    """A ClassCharts sensor: how to read its value from a pupil's data."""

    value_fn: ValueFn
    attributes_fn: AttributesFn | None = None
    exists_fn: Callable[[Pupil, AccountType], bool]


def _lesson_attributes(lesson: Lesson | None) -> dict[str, Any]:
    if lesson is None:
        return {}
    return {
        "teacher": lesson.teacher,
        "room": lesson.room,
        "period": lesson.period,
        "lesson": lesson.name,
        "start": lesson.start.isoformat(),
        "end": lesson.end.isoformat(),
    }


def _homework_attributes(items: list[Homework]) -> dict[str, Any]:
    return {
        "homework": [
            {
                "title": item.title,
                "subject": item.subject,
                "teacher": item.teacher,
                "due_date": item.due_date.isoformat(),
            }
            for item in sorted(items, key=lambda hw: (hw.due_date, hw.subject))[
                :MAX_LISTED_ITEMS
            ]
        ]
    }


def _detention_attributes(detention: Detention | None) -> dict[str, Any]:
    if detention is None:
        return {}
    return {
        "location": detention.location,
        "reason": detention.reason,
        "length_minutes": detention.length_minutes,
        "type": detention.type,
        "subject": detention.subject,
        "teacher": detention.teacher,
    }


def _day_edge(data: PupilData, now: datetime, *, first: bool) -> datetime | None:
    lessons = data.lessons_on(now.date())
    if not lessons:
        return None
    return lessons[0].start if first else max(lesson.end for lesson in lessons)


def _end_of_week(now: datetime) -> Any:
    return now.date() + timedelta(days=6 - now.weekday())


def _homework_sensor(
    key: str, window: Callable[[datetime], tuple[Any, Any]]
) -> ClassChartsSensorEntityDescription:
    """A count of outstanding homework due in a window of days."""
    return ClassChartsSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, now: len(data.outstanding(*window(now))),
        attributes_fn=lambda data, now: _homework_attributes(
            data.outstanding(*window(now))
        ),
        exists_fn=lambda pupil, _: pupil.features.homework,
    )


def _behaviour_sensor(
    key: str, total: Callable[[PupilData, datetime], int | None]
) -> ClassChartsSensorEntityDescription:
    """A behaviour point total."""
    return ClassChartsSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=total,
        exists_fn=lambda pupil, _: pupil.features.behaviour,
    )


def _has_timetable(pupil: Pupil, _: AccountType) -> bool:
    return pupil.features.timetable


SENSORS: tuple[ClassChartsSensorEntityDescription, ...] = (
    ClassChartsSensorEntityDescription(
        key="current_lesson",
        translation_key="current_lesson",
        value_fn=lambda data, now: (
            lesson.subject if (lesson := data.current_lesson(now)) else None
        ),
        attributes_fn=lambda data, now: _lesson_attributes(data.current_lesson(now)),
        exists_fn=_has_timetable,
    ),
    ClassChartsSensorEntityDescription(
        key="next_lesson",
        translation_key="next_lesson",
        value_fn=lambda data, now: (
            lesson.subject if (lesson := data.next_lesson(now)) else None
        ),
        attributes_fn=lambda data, now: _lesson_attributes(data.next_lesson(now)),
        exists_fn=_has_timetable,
    ),
    ClassChartsSensorEntityDescription(
        key="next_lesson_start",
        translation_key="next_lesson_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: (
            lesson.start if (lesson := data.next_lesson(now)) else None
        ),
        exists_fn=_has_timetable,
    ),
    ClassChartsSensorEntityDescription(
        key="school_day_start",
        translation_key="school_day_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: _day_edge(data, now, first=True),
        exists_fn=_has_timetable,
    ),
    ClassChartsSensorEntityDescription(
        key="school_day_end",
        translation_key="school_day_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: _day_edge(data, now, first=False),
        exists_fn=_has_timetable,
    ),
    _homework_sensor("homework_due_today", lambda now: (now.date(), now.date())),
    _homework_sensor(
        "homework_due_tomorrow",
        lambda now: (now.date() + timedelta(days=1), now.date() + timedelta(days=1)),
    ),
    _homework_sensor(
        "homework_due_this_week", lambda now: (now.date(), _end_of_week(now))
    ),
    _homework_sensor(
        "homework_overdue", lambda now: (None, now.date() - timedelta(days=1))
    ),
    _behaviour_sensor(
        "positive_points_today", lambda d, now: d.behaviour_today(now).positive
    ),
    _behaviour_sensor(
        "negative_points_today", lambda d, now: d.behaviour_today(now).negative
    ),
    _behaviour_sensor("net_points_today", lambda d, now: d.behaviour_today(now).net),
    _behaviour_sensor(
        "positive_points_year",
        lambda d, now: year.positive if (year := d.behaviour_year(now)) else None,
    ),
    _behaviour_sensor(
        "negative_points_year",
        lambda d, now: year.negative if (year := d.behaviour_year(now)) else None,
    ),
    _behaviour_sensor(
        "net_points_year",
        lambda d, now: year.net if (year := d.behaviour_year(now)) else None,
    ),
    ClassChartsSensorEntityDescription(
        key="pending_detentions",
        translation_key="pending_detentions",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, now: (
            len(data.pending_detentions(now)) if data.detentions is not None else None
        ),
        exists_fn=lambda pupil, _: pupil.features.detentions,
    ),
    ClassChartsSensorEntityDescription(
        key="next_detention",
        translation_key="next_detention",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: (
            detention.start if (detention := data.next_detention(now)) else None
        ),
        attributes_fn=lambda data, now: _detention_attributes(data.next_detention(now)),
        exists_fn=lambda pupil, _: pupil.features.detentions,
    ),
    ClassChartsSensorEntityDescription(
        key="attendance",
        translation_key="attendance",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data, _: (
            data.attendance.percentage if data.attendance else None
        ),
        exists_fn=lambda pupil, _: pupil.features.attendance,
    ),
    ClassChartsSensorEntityDescription(
        key="reward_balance",
        translation_key="reward_balance",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, _: data.rewards.balance if data.rewards else None,
        exists_fn=lambda pupil, kind: (
            pupil.features.rewards and kind is AccountType.STUDENT
        ),
    ),
    ClassChartsSensorEntityDescription(
        key="unread_announcements",
        translation_key="unread_announcements",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, _: (
            sum(not item.viewed for item in data.announcements)
            if data.announcements is not None
            else None
        ),
        exists_fn=lambda pupil, _: pupil.features.announcements,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ClassChartsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every pupil the school shows them for."""
    coordinator = entry.runtime_data.coordinator
    kind = coordinator.client.account_type
    add_pupil_entities(
        coordinator,
        async_add_entities,
        lambda pupil: (
            ClassChartsSensor(coordinator, pupil, description)
            for description in SENSORS
            if description.exists_fn(pupil, kind)
        ),
    )


class ClassChartsSensor(ClassChartsEntity, SensorEntity):
    """A sensor described by a ``ClassChartsSensorEntityDescription``."""

    entity_description: ClassChartsSensorEntityDescription
    _unrecorded_attributes = frozenset({"homework"})

    def __init__(
        self,
        coordinator: ClassChartsCoordinator,
        pupil: Pupil,
        description: ClassChartsSensorEntityDescription,
    ) -> None:
        """Create the sensor for one pupil."""
        super().__init__(coordinator, pupil, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> StateType | datetime:
        """The value at this moment (lesson sensors change at lesson boundaries)."""
        return self.entity_description.value_fn(self.pupil_data, self.coordinator.now())

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details such as the lesson's room or the homework items."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(
            self.pupil_data, self.coordinator.now()
        )
