"""Envelope and response bodies of the fake ClassCharts lesson and work endpoints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from .models import (
    PERIOD_TIMES,
    PERIODS,
    WEEKDAY_ABBR,
    FakeActivity,
    FakeHomework,
    FakePupil,
    school_year_start,
    week_start,
)

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

JSON = dict[str, Any]


class BadRequestError(Exception):
    """A request parameter the fake server refuses."""


@dataclass
class Ctx:
    """What the endpoint renderers need besides the pupil."""

    today: date
    tz: ZoneInfo
    holidays: set[date] = field(default_factory=set)
    page_size: int = 50
    last_id_mode: str = "last_item"


def ok(data: Any, meta: Any) -> JSON:
    """Return a success envelope."""
    return {"success": 1, "data": data, "meta": meta}


def error(message: str, *, expired: int = 0) -> JSON:
    """Return an error envelope."""
    return {"success": 0, "expired": expired, "error": message, "meta": []}


def parse_date(query: dict[str, str], key: str, default: date | None) -> date | None:
    """Return the date parameter, the default when absent; refuse a malformed one."""
    raw = query.get(key)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as err:
        raise BadRequestError(f"Invalid {key}") from err


def _utc_iso(day: date, clock: time, tz: ZoneInfo) -> str:
    return datetime.combine(day, clock, tz).astimezone(UTC).isoformat()


def is_school_day(day: date, ctx: Ctx) -> bool:
    """Return whether lessons happen on that day."""
    return day.weekday() < 5 and day not in ctx.holidays


def activity_json(pupil: FakePupil, item: FakeActivity) -> JSON:
    """Render one activity item."""
    det_date = item.detention_date
    return {
        "id": item.id,
        "type": item.type,
        "polarity": item.polarity,
        "reason": item.reason,
        "score": item.score,
        "timestamp": item.timestamp.strftime("%Y-%m-%d %H:%M:%S"),
        "timestamp_custom_time": None,
        "style": {"border_color": None, "custom_class": item.custom_class},
        "pupil_name": pupil.name,
        "lesson_name": item.lesson_name,
        "teacher_name": item.teacher_name,
        "room_name": item.room_name,
        "note": item.note,
        "_can_delete": False,
        "badges": "",
        "detention_date": f"{det_date.isoformat()}T00:00:00+00:00"
        if det_date
        else None,
        "detention_time": item.detention_time,
        "detention_location": item.detention_location,
        "detention_type": item.detention_type,
    }


def given(item: FakeActivity, ctx: Ctx) -> bool:
    """Whether the item has happened yet: the server never shows future points."""
    return item.timestamp <= datetime.now(ctx.tz).replace(tzinfo=None)


def activity(pupil: FakePupil, query: dict[str, str], ctx: Ctx) -> JSON:
    """Render one page of activity, newest first."""
    start = parse_date(query, "from", None)
    end = parse_date(query, "to", None)
    raw_last = query.get("last_id", "")
    try:
        last_id = int(raw_last) if raw_last not in ("", "0", "false") else None
    except ValueError as err:
        raise BadRequestError("Invalid last_id") from err
    items = sorted(
        (
            a
            for a in pupil.activity
            if given(a, ctx)
            and (start is None or a.timestamp.date() >= start)
            and (end is None or a.timestamp.date() <= end)
            and (last_id is None or a.id < last_id)
        ),
        key=lambda a: a.id,
        reverse=True,
    )
    page = items[: ctx.page_size]
    # A number on every non-empty page, false only on an empty one (API notes).
    last_id: int | bool = False
    if page:
        last_id = page[-1].id if ctx.last_id_mode == "last_item" else 1
    meta = {
        "start_date": _utc_iso(
            start or school_year_start(ctx.today), time(0, 0), ctx.tz
        ),
        "end_date": _utc_iso(end or ctx.today, time(23, 59, 59), ctx.tz),
        "last_id": last_id,
        "step_size": "week",
        "detention_alias_uc": "Detention",
    }
    return ok([activity_json(pupil, a) for a in page], meta)


def behaviour(pupil: FakePupil, query: dict[str, str], ctx: Ctx) -> JSON:
    """Render behaviour totals for a date range."""
    start = parse_date(query, "from", None) or school_year_start(ctx.today)
    end = parse_date(query, "to", None) or ctx.today
    points = [
        a
        for a in pupil.activity
        if a.type == "behaviour"
        and start <= a.timestamp.date() <= end
        and given(a, ctx)
    ]
    timeline = []
    week = week_start(start)
    while week <= end:
        week_end = week + timedelta(days=6)
        in_week = [a for a in points if week <= a.timestamp.date() <= week_end]
        timeline.append(
            {
                "positive": sum(a.score for a in in_week if a.score > 0),
                "negative": sum(a.score for a in in_week if a.score < 0),
                "name": f"{week.month}/{week.day}/{week.year}",
                "start": week.isoformat(),
                "end": week_end.isoformat(),
            }
        )
        week = week_end + timedelta(days=1)
    positive = Counter(a.reason for a in points if a.polarity == "positive")
    negative = Counter(a.reason for a in points if a.polarity == "negative")
    data = {
        "timeline": timeline,
        "positive_reasons": dict(positive) or [],
        "negative_reasons": dict(negative) or [],
        "other_positive": [],
        "other_negative": [],
        "other_positive_count": [],
        "other_negative_count": [],
    }
    meta = {
        "start_date": f"{start.isoformat()}T00:00:00+00:00",
        "end_date": f"{end.isoformat()}T23:59:59+00:00",
        "step_size": "week",
    }
    return ok(data, meta)


def homework_json(hw: FakeHomework) -> JSON:
    """Render one homework."""
    return {
        "lesson": hw.lesson,
        "subject": hw.subject,
        "teacher": hw.teacher,
        "homework_type": "Homework",
        "id": hw.id,
        "title": hw.title,
        "meta_title": "",
        "description": hw.description,
        "issue_date": hw.issue_date.isoformat(),
        "due_date": hw.due_date.isoformat(),
        "completion_time_unit": "minutes",
        "completion_time_value": hw.completion_time_value,
        "publish_time": "00:00:00",
        "status": {
            "id": hw.status_id,
            "state": hw.state,
            "mark": hw.mark,
            "mark_relative": 0,
            "ticked": "yes" if hw.ticked else "no",
            "allow_attachments": False,
            "allow_marking_completed": True,
            "first_seen_date": None,
            "last_seen_date": None,
            "attachments": [],
            "has_feedback": hw.has_feedback,
        },
        "validated_links": list(hw.validated_links),
        "validated_attachments": [],
    }


def homeworks(pupil: FakePupil, query: dict[str, str], ctx: Ctx) -> JSON:
    """Render homework filtered by issue or due date."""
    display = query.get("display_date") or "issue_date"
    if display not in ("issue_date", "due_date"):
        raise BadRequestError("Invalid display_date")
    start = parse_date(query, "from", None)
    end = parse_date(query, "to", None)
    chosen = [
        h
        for h in pupil.homeworks
        if (start is None or getattr(h, display) >= start)
        and (end is None or getattr(h, display) <= end)
    ]
    chosen.sort(key=lambda h: (getattr(h, display), h.id), reverse=True)
    monday = week_start(ctx.today)
    this_week = [
        h for h in pupil.homeworks if monday <= h.due_date <= monday + timedelta(days=6)
    ]
    meta = {
        "start_date": (start or ctx.today - timedelta(days=14)).isoformat(),
        "end_date": (end or ctx.today + timedelta(days=14)).isoformat(),
        "display_type": display,
        "max_files_allowed": 5,
        "allowed_file_types": ["doc", "docx", "pdf", "png", "jpg", "txt"],
        "this_week_due_count": len(this_week),
        "this_week_outstanding_count": sum(1 for h in this_week if not h.done),
        "this_week_completed_count": sum(1 for h in this_week if h.done),
        "allow_attachments": True,
        "display_marks": True,
    }
    return ok([homework_json(h) for h in chosen], meta)


def timetable(pupil: FakePupil, query: dict[str, str], ctx: Ctx) -> JSON:
    """Render one day of the timetable."""
    day = parse_date(query, "date", ctx.today)
    assert day is not None
    slots = pupil.timetable.get(day.weekday(), []) if is_school_day(day, ctx) else []
    lessons = []
    key = pupil.key_base + (day.toordinal() % 100000) * 10
    for slot in slots:
        if not slot.shares_key_with_previous:
            key += 1
        start, end = PERIOD_TIMES[slot.period]
        lessons.append(
            {
                "teacher_name": slot.cls.teacher,
                "teacher_id": slot.cls.teacher_id,
                "lesson_id": slot.cls.lesson_id,
                "lesson_name": slot.cls.name,
                "subject_name": slot.cls.subject,
                "is_alternative_lesson": False,
                "period_name": f"1{WEEKDAY_ABBR[day.weekday()]}:{slot.period}",
                "period_number": slot.period,
                "room_name": slot.cls.room,
                "date": day.isoformat(),
                "start_time": datetime.combine(day, start, ctx.tz).isoformat(),
                "end_time": datetime.combine(day, end, ctx.tz).isoformat(),
                "key": key,
                "note_abstract": slot.note,
                "note": slot.note,
                "pupil_note_abstract": "",
                "pupil_note": "",
                "pupil_note_raw": "",
            }
        )
    lessons = _changed(pupil, day, lessons)
    used = {s.period for s in slots}
    meta = {
        "dates": [day.isoformat()],
        "timetable_dates": [day.isoformat()] if lessons else [],
        "periods": [
            {
                "number": n,
                "start_time": s.strftime("%H:%M:%S"),
                "end_time": e.strftime("%H:%M:%S"),
            }
            for n, s, e in PERIODS
            if n in used
        ],
        "start_time": f"{day.isoformat()}T00:00:00+00:00",
        "end_time": f"{day.isoformat()}T23:59:59+00:00",
    }
    return ok(lessons, meta)


def _changed(pupil: FakePupil, day: date, lessons: list[JSON]) -> list[JSON]:
    """Apply the day's room or teacher changes, cancellations and added lessons."""
    result = []
    for lesson in lessons:
        change = pupil.lesson_changes.get((day, lesson["lesson_name"]), {})
        if change.get("cancelled"):
            continue
        result.append({**lesson, **change})
    result.extend(pupil.added_lessons.get(day, []))
    return sorted(result, key=lambda lesson: lesson["start_time"])
