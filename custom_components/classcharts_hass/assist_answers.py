"""What Assist's tools answer: pupils by name, a school day, homework, points.

Imports nothing of Home Assistant's ``llm`` integration (``llm.py`` does), so it
loads on every supported release. ``SchoolPupil`` and ``exposed_pupils`` are
the one adapter to the integration's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from homeassistant.components.homeassistant.exposed_entities import (
    async_should_expose,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util

from .client import Homework, Lesson
from .const import DOMAIN
from .coordinator import ClassChartsConfigEntry, device_identifier
from .school.datasets import DETENTIONS, HOMEWORK, Dataset
from .school.fetches import HOMEWORK_DAYS_AHEAD, HOMEWORK_DAYS_BACK
from .school.snapshot import PupilData

MAX_DAYS: Final = {"homework": 92, "behaviour": 366}
WEEKDAYS: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
DAY_HELP: Final = "today, tomorrow or a date as YYYY-MM-DD"


class AnswerError(Exception):
    """A question the tools cannot answer; its text goes back to the agent."""

    def __init__(self, message: str, **details: Any) -> None:
        """Keep what the agent is told."""
        super().__init__(message)
        self.data: dict[str, Any] = {"error": message, **details}


# -- The one adapter to the integration's internals ---------------------------


@dataclass(frozen=True, slots=True)
class SchoolPupil:
    """One exposed pupil: names, and where their data comes from."""

    name: str
    first_name: str
    pupil_id: int
    entry: ClassChartsConfigEntry

    @property
    def data(self) -> PupilData:
        """What the last poll holds about the pupil.

        Read again after each wait: the entry may have reloaded meanwhile,
        without this pupil (unticked in its options), and the answer then says so.
        """
        pupils = self.entry.runtime_data.coordinator.data.pupils
        if self.pupil_id not in pupils:
            raise AnswerError(f"{self.name} is no longer in ClassCharts here")
        return pupils[self.pupil_id]

    def now(self) -> datetime:
        """The coordinator's clock (the school's time zone)."""
        return self.entry.runtime_data.coordinator.now()

    def fresh(self, dataset: Dataset) -> bool:
        """Whether the last poll's value of ``dataset`` may be shown now.

        Not after a failed poll, as the entities: the value held then may be
        days old (ClassCharts down over a weekend), not what ClassCharts has.
        """
        coordinator = self.entry.runtime_data.coordinator
        return coordinator.last_update_success and self.data.has(dataset, self.now())

    async def lessons(self, day: date) -> list[Lesson]:
        """The day's lessons, through the interface the calendar and actions use."""
        coordinator = self.entry.runtime_data.coordinator
        days = await coordinator.lessons(self.pupil_id, day, day)
        return days.get(day, [])

    async def homework(self, first: date, last: date) -> list[Homework]:
        """Homework due in the range: held by the coordinator, else asked for."""
        today = self.now().date()
        # The coordinator reads a window around the day of its last read
        # (at most a day ago while the value is fresh).
        held = today - timedelta(
            days=HOMEWORK_DAYS_BACK - 1
        ) <= first and last <= today + timedelta(days=HOMEWORK_DAYS_AHEAD - 1)
        if held and self.fresh(Dataset.HOMEWORK):
            items = self.data.get(HOMEWORK) or []
        else:
            client = self.entry.runtime_data.client
            items = await client.get_homeworks(self.pupil_id, first, last)
        return [h for h in items if first <= h.due_date <= last]

    async def behaviour(self, first: date, last: date) -> dict[str, Any]:
        """Points and their reasons in the range (the get_behaviour action's read)."""
        client = self.entry.runtime_data.client
        summary = await client.get_behaviour(self.pupil_id, first, last)
        return {
            "positive": summary.positive,
            "negative": summary.negative,
            "net": summary.net,
            "positive_reasons": dict(summary.positive_reasons),
            "negative_reasons": dict(summary.negative_reasons),
        }


@callback
def exposed_pupils(hass: HomeAssistant, assistant: str) -> list[SchoolPupil]:
    """The pupils with at least one entity exposed to ``assistant``."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    pupils: list[SchoolPupil] = []
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is not ConfigEntryState.LOADED:
            continue
        entry_devices = dr.async_entries_for_config_entry(devices, entry.entry_id)
        for pupil_id, data in entry.runtime_data.coordinator.data.pupils.items():
            identifier = device_identifier(entry, pupil_id)
            device = next(
                (d for d in entry_devices if identifier in d.identifiers), None
            )
            if device is not None and any(
                async_should_expose(hass, assistant, entity.entity_id)
                for entity in er.async_entries_for_device(entities, device.id)
            ):
                pupils.append(
                    SchoolPupil(data.pupil.name, data.pupil.first_name, pupil_id, entry)
                )
    return pupils


# -- Answers ------------------------------------------------------------------


def find_pupil(pupils: list[SchoolPupil], said: str) -> SchoolPupil:
    """The pupil a person means: full name, or a first name only one pupil has."""
    wanted = " ".join(said.split()).casefold()
    for names in (
        [p for p in pupils if p.name.casefold() == wanted],
        [p for p in pupils if p.first_name.casefold() == wanted],
    ):
        # One child in a student and a parent login is one pupil id twice.
        if len({p.pupil_id for p in names}) == 1:
            return names[0]
    raise AnswerError(
        "No single pupil has this name", known_pupils=sorted({p.name for p in pupils})
    )


def parse_day(text: str | None, today: date) -> date:
    """A day as an agent passes it: today, tomorrow or an ISO date."""
    if text is None or text.strip().casefold() == "today":
        return today
    if text.strip().casefold() == "tomorrow":
        return today + timedelta(days=1)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise AnswerError(f"A day is {DAY_HELP}") from None


def parse_range(args: dict[str, Any], today: date, max_days: int) -> tuple[date, date]:
    """The checked range of ``start_date`` and ``end_date``."""
    start = parse_day(args.get("start_date"), today)
    end = parse_day(args.get("end_date"), today) if "end_date" in args else start
    if end < start:
        raise AnswerError("end_date is before start_date")
    if (end - start).days + 1 > max_days:
        raise AnswerError(f"A range is at most {max_days} days")
    return start, end


def clock(moment: datetime) -> str:
    """A time of day in the user's time zone."""
    return dt_util.as_local(moment).strftime("%H:%M")


def homework_item(homework: Homework) -> dict[str, Any]:
    """One homework, compact."""
    return {
        "due": homework.due_date.isoformat(),
        "subject": homework.subject,
        "title": homework.title,
        "done": homework.done,
    }


async def school_day(pupil: SchoolPupil, day: date) -> dict[str, Any]:
    """Lessons, homework due, detentions and (today) points of one day."""
    features = pupil.data.pupil.features
    answer: dict[str, Any] = {
        "pupil": pupil.name,
        "date": day.isoformat(),
        "weekday": WEEKDAYS[day.weekday()],
    }
    if features.timetable:
        lessons = await pupil.lessons(day)
        answer["school_day"] = bool(lessons)
        answer["lessons"] = [
            {
                "start": clock(lesson.start),
                "end": clock(lesson.end),
                "subject": lesson.subject,
                "room": lesson.room,
                "teacher": lesson.teacher,
            }
            for lesson in lessons
        ]
    if features.homework:
        answer["homework_due"] = [
            homework_item(h)
            for h in sorted(await pupil.homework(day, day), key=lambda h: h.id)
        ]
    if features.detentions and pupil.fresh(Dataset.DETENTIONS):
        answer["detentions"] = [
            {
                "start": clock(start),
                "minutes": detention.length_minutes,
                "location": detention.location,
                "reason": detention.reason,
                "attended": detention.attended,
            }
            for detention in pupil.data.get(DETENTIONS) or []
            if (start := detention.start) and dt_util.as_local(start).date() == day
        ]
    now = pupil.now()
    points = pupil.data.behaviour_today(now)
    if day == dt_util.as_local(now).date() and points is not None:
        answer["points"] = {"positive": points.positive, "negative": points.negative}
    return answer


async def homework_answer(
    pupil: SchoolPupil, args: dict[str, Any], today: date
) -> dict[str, Any]:
    """Homework due in the asked range (default a week), outstanding or all."""
    if "start_date" not in args and "end_date" not in args:
        args = {**args, "end_date": (today + timedelta(days=6)).isoformat()}
    start, end = parse_range(args, today, MAX_DAYS["homework"])
    items = sorted(await pupil.homework(start, end), key=lambda h: (h.due_date, h.id))
    every = args.get("status") == "all"
    return {
        "pupil": pupil.name,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "homework": [homework_item(h) for h in items if every or not h.done],
    }


async def behaviour_answer(
    pupil: SchoolPupil, args: dict[str, Any], today: date
) -> dict[str, Any]:
    """Points in the asked range (default today)."""
    start, end = parse_range(args, today, MAX_DAYS["behaviour"])
    return {
        "pupil": pupil.name,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        **await pupil.behaviour(start, end),
    }
