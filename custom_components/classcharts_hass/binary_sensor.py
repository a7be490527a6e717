"""Binary sensor: whether the pupil has school tomorrow."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .client import Pupil
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .entity import ClassChartsEntity, add_pupil_entities, exists
from .school.datasets import Dataset

PARALLEL_UPDATES = 0

SCHOOL_TOMORROW = BinarySensorEntityDescription(
    key="school_tomorrow", translation_key="school_tomorrow"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ClassChartsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add "School tomorrow" for every pupil whose school shows the timetable."""
    coordinator = entry.runtime_data.coordinator
    add_pupil_entities(
        coordinator,
        async_add_entities,
        lambda pupil: (
            [SchoolTomorrow(coordinator, pupil)]
            if exists(coordinator, pupil, (Dataset.TIMETABLE,))
            else []
        ),
    )


class SchoolTomorrow(ClassChartsEntity, BinarySensorEntity):
    """On when tomorrow has lessons; off on weekends and holidays."""

    def __init__(self, coordinator: ClassChartsCoordinator, pupil: Pupil) -> None:
        """Create the binary sensor for one pupil."""
        super().__init__(coordinator, pupil, SCHOOL_TOMORROW, (Dataset.TIMETABLE,))

    @property
    def available(self) -> bool:
        """Unavailable while tomorrow is not read (or failing too long)."""
        tomorrow = self.coordinator.now().date() + timedelta(days=1)
        return super().available and self.pupil_data.school_on(tomorrow) is not None

    @property
    def is_on(self) -> bool | None:
        """Whether tomorrow (in the school's time zone) has lessons; None if not read."""
        tomorrow = self.coordinator.now().date() + timedelta(days=1)
        return self.pupil_data.school_on(tomorrow)
