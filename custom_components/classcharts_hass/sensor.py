"""Sensors: lessons, homework counts, behaviour points, detentions and more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .client import Pupil
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .entity import ClassChartsEntity, add_pupil_entities, exists
from .record_sensors import RECORD_SENSORS, announcement_attributes
from .school.datasets import ANNOUNCEMENTS, ATTENDANCE, BADGES, REWARDS, Dataset
from .school.fetches import school_year_start
from .school.points import BehaviourTotals
from .school.snapshot import PupilData
from .school.text import state
from .sensor_attributes import (
    announcement_list,
    badge_list,
    day_edge,
    detention_attributes,
    end_of_week,
    homework_attributes,
    lesson_attributes,
    next_day,
    next_day_edge,
)
from .sensor_description import ClassChartsSensorEntityDescription

PARALLEL_UPDATES = 0

type TotalsPart = Callable[[BehaviourTotals], int]  # positive, negative or net


def _homework_sensor(
    key: str, window: Callable[[datetime], tuple[date | None, date | None]]
) -> ClassChartsSensorEntityDescription:
    """A count of outstanding homework due in a window of days."""
    return ClassChartsSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, now: len(data.outstanding(*window(now))),
        attributes_fn=lambda data, now: homework_attributes(
            data.outstanding(*window(now))
        ),
        datasets=(Dataset.HOMEWORK,),
    )


def _behaviour_sensor(
    key: str,
    totals: Callable[[PupilData, datetime], BehaviourTotals | None],
    part: TotalsPart,
    datasets: tuple[Dataset, ...],
) -> ClassChartsSensorEntityDescription:
    """A behaviour point total (unknown when the feed misses some points)."""
    return ClassChartsSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda d, now: None if (t := totals(d, now)) is None else part(t),
        datasets=datasets,
    )


def _today(key: str, part: TotalsPart) -> ClassChartsSensorEntityDescription:
    return _behaviour_sensor(key, PupilData.behaviour_today, part, (Dataset.ACTIVITY,))


def _year(key: str, part: TotalsPart) -> ClassChartsSensorEntityDescription:
    return _behaviour_sensor(
        key, PupilData.behaviour_year, part, (Dataset.YEAR_TOTALS, Dataset.ACTIVITY)
    )


def _percentage(data: PupilData, now: datetime) -> float | None:
    """This school year's percentage; last year's is none (1 September, midnight)."""
    attendance = data.get(ATTENDANCE)
    if attendance is None or attendance.since != school_year_start(now.date()):
        return None
    return attendance.percentage


TIMETABLE = (Dataset.TIMETABLE,)


SENSORS: tuple[ClassChartsSensorEntityDescription, ...] = (
    ClassChartsSensorEntityDescription(
        key="current_lesson",
        translation_key="current_lesson",
        value_fn=lambda data, now: (
            state(lesson.subject) if (lesson := data.current_lesson(now)) else None
        ),
        attributes_fn=lambda data, now: lesson_attributes(data.current_lesson(now)),
        known_fn=lambda data, now: now.date() in data.lessons,
        datasets=TIMETABLE,
    ),
    ClassChartsSensorEntityDescription(
        key="next_lesson",
        translation_key="next_lesson",
        value_fn=lambda data, now: (
            state(lesson.subject) if (lesson := data.next_lesson(now)) else None
        ),
        attributes_fn=lambda data, now: lesson_attributes(data.next_lesson(now)),
        known_fn=PupilData.knows_next_lesson,
        datasets=TIMETABLE,
    ),
    ClassChartsSensorEntityDescription(
        key="next_lesson_start",
        translation_key="next_lesson_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: (
            lesson.start if (lesson := data.next_lesson(now)) else None
        ),
        known_fn=PupilData.knows_next_lesson,
        datasets=TIMETABLE,
    ),
    ClassChartsSensorEntityDescription(
        key="school_day_start",
        translation_key="school_day_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: day_edge(data, now, first=True),
        known_fn=lambda data, now: now.date() in data.lessons,
        datasets=TIMETABLE,
    ),
    ClassChartsSensorEntityDescription(
        key="school_day_end",
        translation_key="school_day_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: day_edge(data, now, first=False),
        known_fn=lambda data, now: now.date() in data.lessons,
        datasets=TIMETABLE,
    ),
    ClassChartsSensorEntityDescription(
        key="next_school_day",
        translation_key="next_school_day",
        device_class=SensorDeviceClass.DATE,
        value_fn=next_day,
        known_fn=PupilData.knows_next_school_day,
        datasets=TIMETABLE,
    ),
    ClassChartsSensorEntityDescription(
        key="next_school_day_start",
        translation_key="next_school_day_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: next_day_edge(data, now, first=True),
        known_fn=PupilData.knows_next_school_day,
        datasets=TIMETABLE,
    ),
    ClassChartsSensorEntityDescription(
        key="next_school_day_end",
        translation_key="next_school_day_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: next_day_edge(data, now, first=False),
        known_fn=PupilData.knows_next_school_day,
        datasets=TIMETABLE,
    ),
    _homework_sensor("homework_due_today", lambda now: (now.date(), now.date())),
    _homework_sensor(
        "homework_due_tomorrow",
        lambda now: (now.date() + timedelta(days=1), now.date() + timedelta(days=1)),
    ),
    _homework_sensor(
        "homework_due_this_week", lambda now: (now.date(), end_of_week(now))
    ),
    _homework_sensor(
        "homework_overdue", lambda now: (None, now.date() - timedelta(days=1))
    ),
    _today("positive_points_today", lambda t: t.positive),
    _today("negative_points_today", lambda t: t.negative),
    _today("net_points_today", lambda t: t.net),
    _year("positive_points_year", lambda t: t.positive),
    _year("negative_points_year", lambda t: t.negative),
    _year("net_points_year", lambda t: t.net),
    ClassChartsSensorEntityDescription(
        key="pending_detentions",
        translation_key="pending_detentions",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, now: len(data.pending_detentions(now)),
        datasets=(Dataset.DETENTIONS,),
    ),
    ClassChartsSensorEntityDescription(
        key="next_detention",
        translation_key="next_detention",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: (
            detention.start if (detention := data.next_detention(now)) else None
        ),
        attributes_fn=lambda data, now: detention_attributes(data.next_detention(now)),
        datasets=(Dataset.DETENTIONS,),
    ),
    ClassChartsSensorEntityDescription(
        key="attendance",
        translation_key="attendance",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_percentage,
        datasets=(Dataset.ATTENDANCE,),
        shown_fn=lambda features: features.attendance,
    ),
    ClassChartsSensorEntityDescription(
        key="reward_balance",
        translation_key="reward_balance",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, _: shop.balance if (shop := data.get(REWARDS)) else None,
        datasets=(Dataset.REWARDS,),
    ),
    ClassChartsSensorEntityDescription(
        key="unread_announcements",
        translation_key="unread_announcements",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, _: sum(
            not a.viewed for a in data.get(ANNOUNCEMENTS) or []
        ),
        attributes_fn=lambda data, _: {
            **announcement_list(data),
            **announcement_attributes(data),
        },
        datasets=(Dataset.ANNOUNCEMENTS,),
    ),
    ClassChartsSensorEntityDescription(
        key="badges",
        translation_key="badges",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data, _: sum(b.times_awarded for b in data.get(BADGES) or []),
        attributes_fn=lambda data, _: badge_list(data),
        datasets=(Dataset.BADGES,),
    ),
    *RECORD_SENSORS,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ClassChartsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every pupil the school shows them for."""
    coordinator = entry.runtime_data.coordinator
    add_pupil_entities(
        coordinator,
        async_add_entities,
        lambda pupil: (
            ClassChartsSensor(coordinator, pupil, description)
            for description in SENSORS
            if exists(coordinator, pupil, description.datasets)
            and description.shown_fn(pupil.features)
        ),
    )


class ClassChartsSensor(ClassChartsEntity, SensorEntity):
    """A sensor described by a ``ClassChartsSensorEntityDescription``."""

    entity_description: ClassChartsSensorEntityDescription
    # Lists and texts that change often: not worth a row in the database each time.
    _unrecorded_attributes = frozenset({"homework", "marks", "text", "attachments"})

    def __init__(
        self,
        coordinator: ClassChartsCoordinator,
        pupil: Pupil,
        description: ClassChartsSensorEntityDescription,
    ) -> None:
        """Create the sensor for one pupil."""
        super().__init__(coordinator, pupil, description, description.datasets)

    @property
    def available(self) -> bool:
        """Available while its data is, and the days it shows were read."""
        return super().available and self.entity_description.known_fn(
            self.pupil_data, self.coordinator.now()
        )

    @property
    def native_value(self) -> StateType | date | datetime:
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
