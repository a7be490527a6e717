"""Calendars: the timetable, homework due dates and detentions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .client import ClassChartsError, Detention, Homework, Lesson, Pupil
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .data import PupilData
from .entity import ClassChartsEntity, add_pupil_entities
from .errors import action_error

PARALLEL_UPDATES = 0
DEFAULT_DETENTION_LENGTH = timedelta(minutes=30)


def lesson_event(lesson: Lesson) -> CalendarEvent:
    """A timed event for a lesson."""
    details = [f"Teacher: {lesson.teacher}", f"Period: {lesson.period}"]
    if lesson.note:
        details.append(lesson.note)
    return CalendarEvent(
        start=lesson.start,
        end=lesson.end,
        summary=lesson.subject,
        location=lesson.room or None,
        description="\n".join(details),
        uid=lesson.uid,
    )


def homework_event(homework: Homework) -> CalendarEvent:
    """An all-day event on the homework's due date."""
    return CalendarEvent(
        start=homework.due_date,
        end=homework.due_date + timedelta(days=1),
        summary=f"{homework.subject}: {homework.title}",
        description=homework.description or None,
        uid=f"homework-{homework.id}",
    )


def detention_event(detention: Detention) -> CalendarEvent | None:
    """A timed event for a dated detention."""
    if detention.start is None:
        return None
    details = [part for part in (detention.reason, detention.type) if part]
    return CalendarEvent(
        start=detention.start,
        end=detention.end or detention.start + DEFAULT_DETENTION_LENGTH,
        summary="Detention",
        location=detention.location,
        description="\n".join(details) or None,
        uid=f"detention-{detention.id}",
    )


def _homework_events(data: PupilData) -> list[CalendarEvent]:
    return [homework_event(item) for item in data.homeworks or []]


def _detention_events(data: PupilData) -> list[CalendarEvent]:
    events = (detention_event(item) for item in data.detentions or [])
    return [event for event in events if event is not None]


def _timetable_events(data: PupilData) -> list[CalendarEvent]:
    return [
        lesson_event(lesson)
        for day in sorted(data.lessons)
        for lesson in data.lessons[day]
    ]


@dataclass(frozen=True, kw_only=True)
class ClassChartsCalendarEntityDescription(CalendarEntityDescription):
    """A calendar: its known events and whether ranges are fetched on demand."""

    events_fn: Callable[[PupilData], list[CalendarEvent]]
    exists_fn: Callable[[Pupil], bool]
    fetches_ranges: bool = False


CALENDARS: tuple[ClassChartsCalendarEntityDescription, ...] = (
    ClassChartsCalendarEntityDescription(
        key="timetable",
        translation_key="timetable",
        events_fn=_timetable_events,
        exists_fn=lambda pupil: pupil.features.timetable,
        fetches_ranges=True,
    ),
    ClassChartsCalendarEntityDescription(
        key="homework_calendar",
        translation_key="homework",
        events_fn=_homework_events,
        exists_fn=lambda pupil: pupil.features.homework,
    ),
    ClassChartsCalendarEntityDescription(
        key="detentions",
        translation_key="detentions",
        events_fn=_detention_events,
        exists_fn=lambda pupil: pupil.features.detentions,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ClassChartsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each pupil's calendars."""
    coordinator = entry.runtime_data.coordinator
    add_pupil_entities(
        coordinator,
        async_add_entities,
        lambda pupil: (
            ClassChartsCalendar(coordinator, pupil, description)
            for description in CALENDARS
            if description.exists_fn(pupil)
        ),
    )


def _sort_key(event: CalendarEvent) -> datetime:
    return event.start_datetime_local


class ClassChartsCalendar(ClassChartsEntity, CalendarEntity):
    """A calendar described by a ``ClassChartsCalendarEntityDescription``."""

    entity_description: ClassChartsCalendarEntityDescription

    def __init__(
        self,
        coordinator: ClassChartsCoordinator,
        pupil: Pupil,
        description: ClassChartsCalendarEntityDescription,
    ) -> None:
        """Create the calendar for one pupil."""
        super().__init__(coordinator, pupil, description.key)
        self.entity_description = description

    @property
    def event(self) -> CalendarEvent | None:
        """The event happening now, or else the next one."""
        now = self.coordinator.now()
        events = sorted(
            self.entity_description.events_fn(self.pupil_data), key=_sort_key
        )
        return next((event for event in events if event.end_datetime_local > now), None)

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Events overlapping the range; timetable days are fetched if missing."""
        if self.entity_description.fetches_ranges:
            zone = self.coordinator.client.pupil_zone(self.pupil_id)
            try:
                days = await self.coordinator.timetable(self.pupil_id).fetch(
                    start_date.astimezone(zone).date(),
                    end_date.astimezone(zone).date(),
                    self.coordinator.now(),
                )
            except ClassChartsError as err:
                raise action_error(err) from err
            events = [
                lesson_event(lesson) for lessons in days.values() for lesson in lessons
            ]
        else:
            events = self.entity_description.events_fn(self.pupil_data)
        return sorted(
            (
                event
                for event in events
                if event.end_datetime_local > start_date
                and event.start_datetime_local < end_date
            ),
            key=_sort_key,
        )
