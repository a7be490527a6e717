"""Event entities: new items (points, homework, badges...) and timetable changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .client import (
    AcademicReportSummary,
    ActivityItem,
    Announcement,
    BadgeAward,
    Detention,
    Features,
    Homework,
    MarkStatus,
    Pupil,
)
from .coordinator import ClassChartsConfigEntry, ClassChartsCoordinator
from .entity import ClassChartsEntity, add_pupil_entities, exists
from .record_sensors import MAX_ATTACHMENTS
from .school.datasets import Dataset
from .school.lesson_changes import ChangeKind, TimetableChange
from .school.news_feeds import (
    BADGE_AWARDS,
    LATE_OR_ABSENT,
    NEW_ANNOUNCEMENTS,
    NEW_DETENTIONS,
    NEW_HOMEWORK,
    NEW_REPORTS,
    POINT_POLARITIES,
    POINTS,
    TIMETABLE_CHANGES,
    News,
)
from .school.school_records import MarkNews
from .school.snapshot import PupilData
from .school.text import line, paragraphs

PARALLEL_UPDATES = 0

# Where EventEntity keeps the time of its last event (its state, to the
# millisecond). Home Assistant 2026.10 makes each event's time strictly
# increase; before it, two events of one poll can share a millisecond, and the
# "Event received" trigger (which fires on a change of state) sees the first
# only. We move such a time on by a millisecond ourselves (see _fire_new_items):
# Home Assistant offers no public way to set it. Should the field be renamed,
# nothing is moved, and the releases that rename it do this themselves.
_LAST_EVENT_TIME: Final = "_EventEntity__last_event_triggered"
_ONE_MS: Final = timedelta(milliseconds=1)


# Each item new in a poll: the event type it fires and its attributes.
type Announce = Callable[[PupilData], list[tuple[str, dict[str, Any]]]]


@dataclass(frozen=True, kw_only=True)
class ClassChartsEventEntityDescription(EventEntityDescription):
    """An event entity: which new items it announces and how (see ``_event``)."""

    # The dataset whose reads bring this news (the entity exists where it is shown).
    dataset: Dataset
    announce: Announce
    # A further display_* flag when one dataset serves several (attendance).
    shown_fn: Callable[[Features], bool] = lambda _: True


def _event[I](
    key: str,
    event_types: list[str],
    news: News[I],
    attributes_fn: Callable[[I], dict[str, Any]],
    *,
    type_fn: Callable[[I], str] | None = None,
    shown_fn: Callable[[Features], bool] = lambda _: True,
) -> ClassChartsEventEntityDescription:
    """Describe the event entity of ``news``, typed by its items.

    ``type_fn`` says which of ``event_types`` an item fires (None: the only one).
    """
    only = event_types[0]
    event_type = type_fn or (lambda _: only)
    return ClassChartsEventEntityDescription(
        key=key,
        translation_key=key,
        event_types=event_types,
        dataset=news.spec.dataset,
        announce=lambda data: [
            (event_type(item), attributes_fn(item)) for item in news.new_in(data)
        ],
        shown_fn=shown_fn,
    )


def _behaviour(point: ActivityItem) -> dict[str, Any]:
    return {
        "reason": line(point.reason),
        "score": point.score,
        "teacher": line(point.teacher),
        "lesson": line(point.lesson),
        "time": point.timestamp.isoformat(),
    }


def _homework(homework: Homework) -> dict[str, Any]:
    return {
        "subject": line(homework.subject),
        "title": line(homework.title),
        "due_date": homework.due_date.isoformat(),
        "teacher": line(homework.teacher),
    }


def _detention(detention: Detention) -> dict[str, Any]:
    return {
        "date": detention.start.date().isoformat() if detention.start else None,
        "time": detention.start.strftime("%H:%M") if detention.start else None,
        "location": line(detention.location),
        "reason": line(detention.reason),
    }


def _announcement(announcement: Announcement) -> dict[str, Any]:
    return {
        "title": line(announcement.title),
        "teacher": line(announcement.teacher),
        "time": announcement.timestamp.isoformat(),
        "text": paragraphs(announcement.description),
        "attachments": [
            {"name": line(a.filename), "url": a.url}
            for a in announcement.attachments[:MAX_ATTACHMENTS]
        ],
        "asks_consent": announcement.asks_consent,
        "pinned": announcement.pinned,
    }


def _mark(news: MarkNews) -> dict[str, Any]:
    mark = news.mark
    return {
        "date": news.day.isoformat(),
        "session": line(mark.session),
        "lesson": line(mark.lesson),
        "late_minutes": mark.late_minutes,
        "code": line(mark.code),
    }


def _report(report: AcademicReportSummary) -> dict[str, Any]:
    return {
        "report_id": report.id,
        "name": line(report.name),
        "start_date": report.start_date.isoformat() if report.start_date else None,
        "end_date": report.end_date.isoformat() if report.end_date else None,
    }


def _badge(award: BadgeAward) -> dict[str, Any]:
    return {
        "badge": line(award.badge),
        "time": award.timestamp.isoformat(),
        "reason": line(award.reason),
    }


def _change(change: TimetableChange) -> dict[str, Any]:
    lesson = change.lesson
    return {
        "date": change.day.isoformat(),
        "lesson": line(lesson.subject),
        "class": line(lesson.name),
        "period": line(lesson.period),
        "start": lesson.start,
        "end": lesson.end,
        "teacher": line(lesson.teacher),
        "room": line(lesson.room),
        "old": None if change.old is None else line(change.old),
        "new": None if change.new is None else line(change.new),
    }


EVENTS: tuple[ClassChartsEventEntityDescription, ...] = (
    _event(
        "behaviour_point",
        list(POINT_POLARITIES),
        POINTS,
        _behaviour,
        type_fn=lambda point: point.polarity,
    ),
    _event("new_homework", ["homework_set"], NEW_HOMEWORK, _homework),
    _event("detention", ["detention_set"], NEW_DETENTIONS, _detention),
    _event(
        "announcement", ["announcement_published"], NEW_ANNOUNCEMENTS, _announcement
    ),
    _event("badge_earned", ["badge_earned"], BADGE_AWARDS, _badge),
    _event(
        "timetable_change",
        [kind.value for kind in ChangeKind],
        TIMETABLE_CHANGES,
        _change,
        type_fn=lambda change: change.kind.value,
    ),
    _event(
        "attendance_mark",
        [MarkStatus.LATE.value, MarkStatus.ABSENT.value],
        LATE_OR_ABSENT,
        _mark,
        type_fn=lambda news: news.mark.status.value,
        shown_fn=lambda features: features.attendance_marks,
    ),
    _event("new_report", ["report_published"], NEW_REPORTS, _report),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ClassChartsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each pupil's event entities."""
    coordinator = entry.runtime_data.coordinator
    add_pupil_entities(
        coordinator,
        async_add_entities,
        lambda pupil: (
            ClassChartsEvent(coordinator, pupil, description)
            for description in EVENTS
            if exists(coordinator, pupil, (description.dataset,))
            and description.shown_fn(pupil.features)
        ),
    )


class ClassChartsEvent(ClassChartsEntity, EventEntity):
    """Fires once for each new item of its kind, oldest first."""

    entity_description: ClassChartsEventEntityDescription

    def __init__(
        self,
        coordinator: ClassChartsCoordinator,
        pupil: Pupil,
        description: ClassChartsEventEntityDescription,
    ) -> None:
        """Create the event entity for one pupil."""
        super().__init__(coordinator, pupil, description, (description.dataset,))
        self._handled_poll = 0

    async def async_added_to_hass(self) -> None:
        """Announce what the poll before set-up found (after a restart: news)."""
        await super().async_added_to_hass()
        self._fire_new_items()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire the items new in this poll; lesson-bell wake-ups fire nothing."""
        if not self._fire_new_items():
            super()._handle_coordinator_update()

    @callback
    def _fire_new_items(self) -> bool:
        """Fire each item new in the current poll, once; say whether any fired."""
        data = self.coordinator.data
        if data.poll == self._handled_poll or self.pupil_id not in data.pupils:
            return False
        self._handled_poll = data.poll
        items = self.entity_description.announce(data.pupils[self.pupil_id])
        for event_type, attributes in items:
            before = self._last_event_time()
            self._trigger_event(event_type, attributes)
            after = self._last_event_time()
            if before is not None and after is not None and after < before + _ONE_MS:
                setattr(self, _LAST_EVENT_TIME, before + _ONE_MS)
            self.async_write_ha_state()
        return bool(items)

    def _last_event_time(self) -> datetime | None:
        """When the last event fired, as the entity's state shows it (restored too)."""
        value = getattr(self, _LAST_EVENT_TIME, None)
        return value if isinstance(value, datetime) else None
