"""Binary sensors: school today and tomorrow, and whether the pupil is on report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .client import Pupil
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .entity import ClassChartsEntity, add_pupil_entities, exists
from .school.datasets import REPORT_CARDS, Dataset
from .school.text import line, paragraphs

PARALLEL_UPDATES = 0

SCHOOL_TODAY = BinarySensorEntityDescription(
    key="school_today", translation_key="school_today"
)
SCHOOL_TOMORROW = BinarySensorEntityDescription(
    key="school_tomorrow", translation_key="school_tomorrow"
)
ON_REPORT = BinarySensorEntityDescription(key="on_report", translation_key="on_report")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ClassChartsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each pupil's binary sensors the school shows the data for."""
    coordinator = entry.runtime_data.coordinator

    def build(pupil: Pupil) -> list[Entity]:
        entities: list[Entity] = []
        if exists(coordinator, pupil, (Dataset.TIMETABLE,)):
            entities.append(SchoolOn(coordinator, pupil, SCHOOL_TODAY, 0))
            entities.append(SchoolOn(coordinator, pupil, SCHOOL_TOMORROW, 1))
        if exists(coordinator, pupil, (Dataset.REPORT_CARDS,)):
            entities.append(OnReport(coordinator, pupil))
        return entities

    add_pupil_entities(coordinator, async_add_entities, build)


class SchoolOn(ClassChartsEntity, BinarySensorEntity):
    """On when a day (today, tomorrow) has lessons; off on weekends and holidays."""

    def __init__(
        self,
        coordinator: ClassChartsCoordinator,
        pupil: Pupil,
        description: BinarySensorEntityDescription,
        days_ahead: int,
    ) -> None:
        """Create the binary sensor for one pupil and day."""
        super().__init__(coordinator, pupil, description, (Dataset.TIMETABLE,))
        self._days_ahead = days_ahead

    @property
    def available(self) -> bool:
        """Unavailable while tomorrow is not read (or failing too long)."""
        tomorrow = self.coordinator.now().date() + timedelta(days=1)
        return super().available and self.pupil_data.school_on(tomorrow) is not None

    @property
    def is_on(self) -> bool | None:
        """Whether the day (in the school's time zone) has lessons; None if not read."""
        day = self.coordinator.now().date() + timedelta(days=self._days_ahead)
        return self.pupil_data.school_on(day)


class OnReport(ClassChartsEntity, BinarySensorEntity):
    """On while a report card runs (its first to its last day)."""

    def __init__(self, coordinator: ClassChartsCoordinator, pupil: Pupil) -> None:
        """Create the binary sensor for one pupil."""
        super().__init__(coordinator, pupil, ON_REPORT, (Dataset.REPORT_CARDS,))

    @property
    def is_on(self) -> bool | None:
        """Whether a report card runs today."""
        cards = self.pupil_data.get(REPORT_CARDS)
        if cards is None:
            return None
        return cards.running_on(self.coordinator.now().date()) is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The running card: why, its targets, its dates and who set it."""
        cards = self.pupil_data.get(REPORT_CARDS)
        running = cards.running_on(self.coordinator.now().date()) if cards else None
        if running is None:
            return {}
        card = running.card
        return {
            "reason": line(card.reason),
            "description": paragraphs(card.description),
            "targets": [line(target) for target in running.targets],
            "start_date": card.start_date.isoformat(),
            "end_date": card.end_date.isoformat(),
            "teacher": line(running.teacher),
        }
