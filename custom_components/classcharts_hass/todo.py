"""The homework to-do list; students can tick items off."""

from __future__ import annotations

import asyncio

from homeassistant.components.todo import TodoItem, TodoListEntity
from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .client import AccountType, ClassChartsError, Homework, Pupil
from .const import DOMAIN, LOGGER
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .entity import ClassChartsEntity, add_pupil_entities, exists
from .errors import action_error
from .school.datasets import HOMEWORK, Dataset
from .school.text import line, paragraphs

PARALLEL_UPDATES = 1


def homework_item(homework: Homework) -> TodoItem:
    """A to-do item for a homework."""
    return TodoItem(
        summary=line(f"{homework.subject}: {homework.title}"),
        uid=str(homework.id),
        status=(
            TodoItemStatus.COMPLETED if homework.done else TodoItemStatus.NEEDS_ACTION
        ),
        due=homework.due_date,
        description=paragraphs(homework.description),
    )


def _same_text(edited: str | None, original: str | None) -> bool:
    """Whether a description came back unchanged (a text box may rewrap it)."""
    return (edited or "").split() == (original or "").split()


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ClassChartsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each pupil's homework list."""
    coordinator = entry.runtime_data.coordinator
    add_pupil_entities(
        coordinator,
        async_add_entities,
        lambda pupil: (
            [HomeworkTodoList(coordinator, pupil)]
            if exists(coordinator, pupil, (Dataset.HOMEWORK,))
            else []
        ),
    )


HOMEWORK_TODO = EntityDescription(key="homework_todo", translation_key="homework")


class HomeworkTodoList(ClassChartsEntity, TodoListEntity):
    """Homework as a to-do list, soonest due first."""

    entity_description: EntityDescription

    def __init__(self, coordinator: ClassChartsCoordinator, pupil: Pupil) -> None:
        """Students may tick homework; a parent's list is read-only."""
        super().__init__(coordinator, pupil, HOMEWORK_TODO, (Dataset.HOMEWORK,))
        if coordinator.client.account_type is AccountType.STUDENT:
            # The frontend's edit dialog sends the description and due date
            # back with every save; without these features Home Assistant
            # refuses even a plain tick there. Real edits are refused below.
            self._attr_supported_features = (
                TodoListEntityFeature.UPDATE_TODO_ITEM
                | TodoListEntityFeature.SET_DESCRIPTION_ON_ITEM
                | TodoListEntityFeature.SET_DUE_DATE_ON_ITEM
            )

    @property
    def todo_items(self) -> list[TodoItem]:
        """Outstanding and completed homework."""
        homeworks = sorted(
            self.pupil_data.get(HOMEWORK) or [], key=lambda hw: (hw.due_date, hw.id)
        )
        return [homework_item(homework) for homework in homeworks]

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Tick or untick a homework in ClassCharts."""
        homework = next(
            (
                homework
                for homework in self.pupil_data.get(HOMEWORK) or []
                if str(homework.id) == item.uid
            ),
            None,
        )
        if homework is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="homework_not_found"
            )
        current = homework_item(homework)
        if item.summary != current.summary:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="homework_read_only"
            )
        if item.due != current.due or not _same_text(
            item.description, current.description
        ):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="homework_set_by_teacher"
            )
        done = item.status == TodoItemStatus.COMPLETED
        if not done and homework.state == "completed" and not homework.ticked:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="completed_by_teacher"
            )
        try:
            sent = await self.coordinator.client.set_homework_done(
                self.pupil_id, homework, done
            )
        except ClassChartsError as err:
            # The toggle may have arrived with its answer lost: read it back.
            await _read_back(self.hass, self.pupil_id)
            raise action_error(err) from err
        LOGGER.debug(
            "Homework %s marked %s: %s",
            homework.id,
            "done" if done else "not done",
            "sent to ClassCharts" if sent else "ClassCharts already had it so",
        )
        await _read_back(self.hass, self.pupil_id)


async def _read_back(hass: HomeAssistant, pupil_id: int) -> None:
    """Read a ticked pupil's homework again in every login showing it.

    A parent's login of the same child lists the same homework: it would
    show the tick only at its next scheduled read, hours later.
    """
    coordinators: list[ClassChartsCoordinator] = [
        entry.runtime_data.coordinator
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
    ]
    showing = [c for c in coordinators if pupil_id in c.data.pupils]
    for coordinator in showing:
        coordinator.invalidate(pupil_id, Dataset.HOMEWORK)
    await asyncio.gather(*(c.async_request_refresh() for c in showing))
