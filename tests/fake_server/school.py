"""Response bodies of the fake ClassCharts school-record endpoints."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from .handlers import (
    JSON,
    Ctx,
    activity,
    behaviour,
    homeworks,
    is_school_day,
    ok,
    parse_date,
    timetable,
)
from .models import PERIODS, SCHOOL_NAME, FakeDetention, FakePupil


def _detention_json(pupil: FakePupil, det: FakeDetention) -> JSON:
    cls = det.lesson
    teacher = det.teacher
    opt = "yes" if det.attended == "pending" else "no"
    return {
        "id": det.id,
        "attended": det.attended,
        "date": f"{det.date.isoformat()}T00:00:00+00:00" if det.date else None,
        "length": det.length,
        "location": det.location,
        "notes": det.notes,
        "time": det.time,
        "pupil": {
            "id": pupil.id,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "school": {
                "opt_notes_names": opt,
                "opt_notes_comments": "no",
                "opt_notes_comments_pupils": "no",
            },
        },
        "lesson": {
            "id": cls.lesson_id,
            "name": cls.name,
            "subject": {"id": cls.lesson_id % 10000, "name": cls.subject},
        }
        if cls
        else None,
        "lesson_pupil_behaviour": {"reason": det.reason},
        "teacher": {
            "id": teacher[0],
            "first_name": teacher[2],
            "last_name": teacher[3],
            "title": teacher[1],
        }
        if teacher
        else None,
        "detention_type": {"name": det.type_name} if det.type_name else None,
    }


def detentions(pupil: FakePupil, query: dict[str, str], ctx: Ctx) -> JSON:
    """Render the detentions."""
    return ok(
        [_detention_json(pupil, d) for d in pupil.detentions],
        {"detention_alias_plural": "detentions"},
    )


def attendance(pupil: FakePupil, query: dict[str, str], ctx: Ctx) -> JSON:
    """Render attendance marks for school days up to today."""
    start = parse_date(query, "from", None) or ctx.today - timedelta(days=27)
    end = parse_date(query, "to", None) or ctx.today
    absent_every, late_every = pupil.attendance_modulus
    data: dict[str, Any] = {}
    sessions = ["AM", "PM"] + [
        f"Period {n[1:]}" for n, _, _ in PERIODS if n.startswith("P")
    ]
    present = total = 0
    day = start
    while day <= min(end, ctx.today):
        if is_school_day(day, ctx):
            marks: dict[str, Any] = {}
            ordinal = day.toordinal()
            if day == ctx.today:
                for name in ("AM", "PM"):
                    marks[name] = {"code": "#", "status": "ignore", "late_minutes": 0}
            else:
                absent = ordinal % absent_every == 0
                marks["AM"] = {"code": "/", "status": "present", "late_minutes": 0}
                marks["PM"] = (
                    {"code": "N", "status": "absent", "late_minutes": 0}
                    if absent
                    else {"code": "\\", "status": "present", "late_minutes": 0}
                )
                total += 2
                present += 1 if absent else 2
            for slot in pupil.timetable.get(day.weekday(), []):
                name = f"Period {slot.period[1:]}"
                if not slot.period.startswith("P") or name in marks:
                    continue
                if day == ctx.today:
                    mark: dict[str, Any] = {
                        "code": "",
                        "status": "ignore",
                        "late_minutes": "",
                    }
                elif ordinal % late_every == 0 and slot.period == "P2":
                    mark = {"code": "L", "status": "late", "late_minutes": 7}
                elif ordinal % absent_every == 0 and slot.period in ("P4", "P5"):
                    mark = {"code": "N", "status": "absent", "late_minutes": ""}
                else:
                    mark = {"code": "/", "status": "present", "late_minutes": 0}
                marks[name] = {
                    **mark,
                    "lesson_name": slot.cls.name,
                    "room_name": slot.cls.room,
                }
            data[day.isoformat()] = _with_set_marks(marks, pupil, day)
        day += timedelta(days=1)
    percentage = str(round(100 * present / total)) if total else "100"
    meta = {
        "dates": list(data),
        "sessions": sessions,
        "start_date": f"{start.isoformat()}T00:00:00+00:00",
        "end_date": f"{end.isoformat()}T16:00:00+00:00",
        "percentage": percentage,
        "percentage_singe_august": percentage,
    }
    return ok(data or [], meta)


def _with_set_marks(
    marks: dict[str, Any], pupil: FakePupil, day: date
) -> dict[str, Any]:
    """A day's marks with those a test or the demo set laid over them."""
    for name, mark in pupil.attendance_marks.get(day, {}).items():
        marks[name] = {**marks.get(name, {}), **mark}
    return marks


def pupil_record(pupil: FakePupil, ctx: Ctx, *, for_parent: bool) -> JSON:
    """Render the pupil as the ping (student) or pupils (parent) endpoint shows it."""
    flags = dict(pupil.display)
    if not for_parent:
        flags["display_parent_behaviour"] = False
    record: JSON = {
        "id": pupil.id,
        "name": pupil.name,
        "first_name": pupil.first_name,
        "last_name": pupil.last_name,
        "avatar_url": f"https://example.invalid/avatars/{pupil.id}.png",
        **flags,
        "pupil_concerns_help_text": "",
        "allow_pupils_add_timetable_notes": False,
        "detention_alias_plural_uc": "Detentions",
        "announcements_count": len(pupil.announcements),
        "messages_count": pupil.messages_count,
        "pusher_channel_name": pupil.pusher_channel,
        "has_birthday": False,
        "has_new_survey": False,
        "survey_id": None,
    }
    if for_parent:
        done = [h for h in pupil.homeworks if h.done]
        todo = [h for h in pupil.homeworks if not h.done and h.due_date >= ctx.today]
        attended = Counter(d.attended for d in pupil.detentions)
        record.update(
            {
                "school_name": SCHOOL_NAME,
                "school_logo": "https://example.invalid/logo.png",
                "timezone": ctx.tz.key,
                "display_covid_tests": False,
                "can_record_covid_tests": False,
                "detention_yes_count": attended["yes"],
                "detention_no_count": attended["no"],
                "detention_pending_count": attended["pending"],
                "detention_upscaled_count": 0,
                "homework_todo_count": len(todo),
                "homework_late_count": sum(
                    1 for h in pupil.homeworks if h.state == "late"
                ),
                "homework_not_completed_count": sum(
                    1 for h in pupil.homeworks if h.state == "not_completed"
                ),
                "homework_excused_count": 0,
                "homework_completed_count": len(done),
                "homework_submitted_count": 0,
            }
        )
    return record


def simple(pupil: FakePupil, endpoint: str, ctx: Ctx) -> JSON:
    """Render the endpoints that take no parameters."""
    if endpoint == "eventbadges":
        return ok(pupil.badges, [])
    if endpoint == "announcements":
        return ok(pupil.announcements, [])
    if endpoint == "customfields":
        return ok(pupil.custom_fields or {"note": "", "fields": []}, [])
    if endpoint == "rewards":
        return ok(pupil.rewards, {"pupil_score_balance": pupil.score_balance})
    if endpoint == "parentbehaviours":
        return ok(pupil.parent_behaviours, [])
    raise KeyError(endpoint)


PUPIL_ENDPOINTS = {
    "activity": activity,
    "behaviour": behaviour,
    "homeworks": homeworks,
    "timetable": timetable,
    "detentions": detentions,
    "attendance": attendance,
}
SIMPLE_ENDPOINTS = (
    "eventbadges",
    "announcements",
    "customfields",
    "rewards",
    "parentbehaviours",
)
