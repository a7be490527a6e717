"""The base entity: one device per pupil, available while its data is."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .client import AccountType, Pupil
from .coordinator import ClassChartsCoordinator
from .roster import device_identifier
from .school.datasets import Dataset, all_wanted
from .school.snapshot import PupilData
from .school.text import line


class ClassChartsEntity(CoordinatorEntity[ClassChartsCoordinator]):
    """An entity of one pupil, reading some of the pupil's datasets."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: ClassChartsCoordinator,
        pupil: Pupil,
        description: EntityDescription,
        datasets: Iterable[Dataset],
    ) -> None:
        """Describe the entity and attach it to the pupil's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self.pupil_id = pupil.id
        self.datasets = tuple(datasets)
        self._attr_unique_id = f"{entry.unique_id}_{pupil.id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={device_identifier(entry, pupil.id)},
            name=line(pupil.name),
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
        """Available while the pupil is included and every dataset read is usable.

        A dataset never fetched, or failing for longer than its row in
        ``datasets.py`` allows, makes the entity unavailable rather than 0.
        """
        if not super().available:
            return False
        data = self.coordinator.data.pupils.get(self.pupil_id)
        now = self.coordinator.now()
        return data is not None and all(data.has(d, now) for d in self.datasets)

    @property
    def pupil_data(self) -> PupilData:
        """The pupil's data from the last poll."""
        return self.coordinator.data.pupils[self.pupil_id]


def exists(
    coordinator: ClassChartsCoordinator, pupil: Pupil, datasets: Iterable[Dataset]
) -> bool:
    """Whether the school shows every dataset an entity reads to this account."""
    return all_wanted(datasets, pupil, coordinator.client.account_type)


def add_pupil_entities(
    coordinator: ClassChartsCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[Pupil], Iterable[Entity]],
) -> None:
    """Add entities for every pupil now, and for pupils that appear later.

    A pupil whose device was removed is forgotten here too, so their entities
    come back if they return.
    """
    known: set[int] = set()

    @callback
    def _add_new_pupils() -> None:
        pupils = coordinator.data.pupils
        known.intersection_update(pupils)
        new = [data.pupil for pupil_id, data in pupils.items() if pupil_id not in known]
        known.update(pupil.id for pupil in new)
        entities = [entity for pupil in new for entity in build(pupil)]
        if entities:
            async_add_entities(entities)

    _add_new_pupils()
    coordinator.config_entry.async_on_unload(
        coordinator.async_add_listener(_add_new_pupils)
    )
