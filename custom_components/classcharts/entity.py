"""The base entity: one device per pupil."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .client import AccountType, Pupil
from .coordinator import ClassChartsCoordinator, device_identifier
from .data import PupilData


class ClassChartsEntity(CoordinatorEntity[ClassChartsCoordinator]):
    """An entity of one pupil."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: ClassChartsCoordinator, pupil: Pupil, key: str
    ) -> None:
        """Attach the entity to the pupil's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.pupil_id = pupil.id
        self._attr_unique_id = f"{entry.unique_id}_{pupil.id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={device_identifier(entry, pupil.id)},
            name=pupil.name,
            manufacturer="ClassCharts",
            # Which login the device comes from: the same child can be set up
            # through both, and the two devices must be told apart.
            model=(
                "Student login"
                if coordinator.client.account_type is AccountType.STUDENT
                else "Parent login"
            ),
            entry_type=DeviceEntryType.SERVICE,
        )

    @property
    def available(self) -> bool:
        """Available while the last poll worked and the pupil is still included."""
        return super().available and self.pupil_id in self.coordinator.data.pupils

    @property
    def pupil_data(self) -> PupilData:
        """The pupil's data from the last poll."""
        return self.coordinator.data.pupils[self.pupil_id]


def add_pupil_entities(
    coordinator: ClassChartsCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[Pupil], Iterable[Entity]],
) -> None:
    """Add entities for every pupil now, and for pupils that appear later."""
    known: set[int] = set()

    @callback
    def _add_new_pupils() -> None:
        new = [
            data.pupil
            for pupil_id, data in coordinator.data.pupils.items()
            if pupil_id not in known
        ]
        known.update(pupil.id for pupil in new)
        entities = [entity for pupil in new for entity in build(pupil)]
        if entities:
            async_add_entities(entities)

    _add_new_pupils()
    coordinator.config_entry.async_on_unload(
        coordinator.async_add_listener(_add_new_pupils)
    )
