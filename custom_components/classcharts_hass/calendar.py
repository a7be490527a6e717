"""Calendars: the timetable, homework due dates and detentions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .client import ClassChartsError, Detention, Homework, Lesson, Pupil
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .entity import ClassChartsEntity, add_pupil_entities, exists
from .errors import action_error
from .school.datasets import DETENTIONS, HOMEWORK, Dataset
from .school.holidays import holiday_runs
from .school.snapshot import PupilData, detention_end
from .school.text import line, paragraphs

PARALLEL_UPDATES = 0
DEFAULT_DETENTION_LENGTH = timedelta(minutes=30)
# Calendar event titles are data, not entity names: the school's own word.
HOLIDAY: Final = "Holiday"


def lesson_event(lesson: Lesson) -> CalendarEvent:
    """A timed event for a lesson."""
    details = [f"Teacher: {line(lesson.teacher)}", f"Period: {line(lesson.period)}"]
    if lesson.note:
        details.append(lesson.note)
    return CalendarEvent(
        start=lesson.start,
        end=lesson.end,
        summary=line(lesson.subject),
        location=line(lesson.room) or None,
        description=paragraphs("\n".join(details)),
        uid=lesson.uid,
    )


def homework_event(homework: Homework) -> CalendarEvent:
    """An all-day event on the homework's due date."""
    return CalendarEvent(
        start=homework.due_date,
        end=homework.due_date + timedelta(days=1),
        summary=line(f"{homework.subject}: {homework.title}"),
        description=paragraphs(homework.description),
        uid=f"homework-{homework.id}",
    )


def detention_event(detention: Detention) -> CalendarEvent | None:
    """A timed event for a dated detention."""
    if detention.start is None:
        return None
    details = [part for part in (detention.reason, detention.type) if part]
    end = detention_end(detention)
    if end is None or end == detention.start:
        end = detention.start + DEFAULT_DETENTION_LENGTH
    # What it is for: the subject where known, else the behaviour reason.
    about = detention.subject or detention.reason
    return CalendarEvent(
        start=detention.start,
        end=end,
        summary=line(f"Detention: {about}" if about else "Detention"),
        location=line(detention.location),
        description=paragraphs("\n".join(details)),
        uid=f"detention-{detention.id}",
    )


def holiday_event(first: date, last: date) -> CalendarEvent:
    """An all-day event over a run of weekdays without lessons."""
    return CalendarEvent(
        start=first,
        end=last + timedelta(days=1),
        summary=HOLIDAY,
        uid=f"holiday-{first:%Y%m%d}",
    )


def _holiday_events(data: PupilData) -> list[CalendarEvent]:
    return [holiday_event(*run) for run in holiday_runs(data.lessons)]


def _next_holiday(data: PupilData, now: datetime) -> CalendarEvent | None:
    upcoming = [run for run in holiday_runs(data.lessons) if run[1] >= now.date()]
    return holiday_event(*min(upcoming)) if upcoming else None


def _homework_events(data: PupilData) -> list[CalendarEvent]:
    return [homework_event(item) for item in data.get(HOMEWORK) or []]


def _detention_events(data: PupilData) -> list[CalendarEvent]:
    events = (detention_event(item) for item in data.get(DETENTIONS) or [])
    return [event for event in events if event is not None]


def _next_lesson(data: PupilData, now: datetime) -> CalendarEvent | None:
    lesson = data.current_lesson(now) or data.next_lesson(now)
    return lesson_event(lesson) if lesson else None


def _next_homework(data: PupilData, now: datetime) -> CalendarEvent | None:
    due = data.outstanding(now.date(), None)
    return homework_event(min(due, key=lambda h: (h.due_date, h.id))) if due else None


def _next_detention(data: PupilData, now: datetime) -> CalendarEvent | None:
    detention = data.next_detention(now)
    return detention_event(detention) if detention else None


@dataclass(frozen=True, kw_only=True)
class ClassChartsCalendarEntityDescription(CalendarEntityDescription):
    """A calendar: its current or next event, and its events for a range.

    The timetable fetches the days of a range; the others list what the last
    poll brought.
    """

    next_fn: Callable[[PupilData, datetime], CalendarEvent | None]
    events_fn: Callable[[PupilData], list[CalendarEvent]] | None
    datasets: tuple[Dataset, ...]


CALENDARS: tuple[ClassChartsCalendarEntityDescription, ...] = (
    ClassChartsCalendarEntityDescription(
        key="timetable",
        translation_key="timetable",
        next_fn=_next_lesson,
        events_fn=None,
        datasets=(Dataset.TIMETABLE,),
    ),
    ClassChartsCalendarEntityDescription(
        key="homework_calendar",
        translation_key="homework",
        next_fn=_next_homework,
        events_fn=_homework_events,
        datasets=(Dataset.HOMEWORK,),
    ),
    ClassChartsCalendarEntityDescription(
        key="detentions",
        translation_key="detentions",
        next_fn=_next_detention,
        events_fn=_detention_events,
        datasets=(Dataset.DETENTIONS,),
    ),
    ClassChartsCalendarEntityDescription(
        key="holidays",
        translation_key="holidays",
        next_fn=_next_holiday,
        events_fn=_holiday_events,
        datasets=(Dataset.TIMETABLE,),
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
            if exists(coordinator, pupil, description.datasets)
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
        super().__init__(coordinator, pupil, description, description.datasets)
        self._event: CalendarEvent | None = None

    @property
    def event(self) -> CalendarEvent | None:
        """The event happening now, or else the next one."""
        return self._event

    def _update_event(self) -> None:
        # Worked out once per update: Home Assistant reads `event` several times.
        self._event = (
            self.entity_description.next_fn(self.pupil_data, self.coordinator.now())
            if self.pupil_id in self.coordinator.data.pupils
            else None
        )

    async def async_added_to_hass(self) -> None:
        """Work out the first event before the first state is written."""
        self._update_event()
        await super().async_added_to_hass()

    @callback
    def _handle_coordinator_update(self) -> None:
        """New data or a lesson bell: work out the event again."""
        self._update_event()
        super()._handle_coordinator_update()

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Events overlapping the range; timetable days are fetched if missing."""
        if not self.available:
            return []
        if self.entity_description.events_fn is None:
            zone = self.coordinator.client.pupil_zone(self.pupil_id)
            try:
                days = await self.coordinator.lessons(
                    self.pupil_id,
                    start_date.astimezone(zone).date(),
                    # The range's end is exclusive: a week ends at midnight.
                    (end_date - timedelta(microseconds=1)).astimezone(zone).date(),
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
