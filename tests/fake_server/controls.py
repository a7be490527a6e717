"""Demo controls of the fake ClassCharts: a school calendar, adding things while it runs.

Used by ``tests.fake_server.demo`` (``scripts/develop``). Only public parts of
:class:`FakeClassCharts` and its seed data are used, so the server itself needs
no demo code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .models import PARENT_EMAIL, PERIOD_TIMES, FakeDetention

if TYPE_CHECKING:
    from .models import FakeClass, FakePupil
    from .server import FakeClassCharts

# What ``add`` makes for one pupil, and what it does to the whole account.
PUPIL_KINDS = ("point", "homework", "detention", "announcement", "lesson", "badge")
ACCOUNT_KINDS = ("session-expired", "password")
KINDS = PUPIL_KINDS + ACCOUNT_KINDS
POLARITIES = ("positive", "negative")
# Timetable changes are read at these times, not at every poll (see the README).
REREAD = (
    "; Home Assistant reads it at the next timetable re-read"
    " (school days: the first poll after 07:00, 13:00 and 18:00)"
)
# The password "add password" sets: the demo's, published like the first one.
NEW_PASSWORD = "n3w h&rse=battery+staple%"


def school_holidays(today: date) -> set[date]:
    """Days without lessons around ``today``: Christmas, New Year and Easter breaks.

    An English school calendar in outline: the Christmas break from 22 December
    to 2 January (so 25 December and 1 January never have lessons) and the two
    weeks around Easter Sunday, for the school years before, of and after today.
    """
    days: set[date] = set()
    for year in (today.year - 1, today.year, today.year + 1):
        start = date(year, 12, 22)
        days.update(start + timedelta(days=n) for n in range(12))
        easter = easter_sunday(year)
        days.update(easter + timedelta(days=n) for n in range(-9, 5))
    return days


def easter_sunday(year: int) -> date:
    """Easter Sunday (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


@dataclass(frozen=True)
class Added:
    """What a control command added, for its reply."""

    kind: str
    pupil: str
    summary: str


def find_pupil(server: FakeClassCharts, name: str) -> FakePupil:
    """A pupil by first name, full name or id (case-insensitive)."""
    wanted = name.strip().lower()
    for pupil in server.pupils.values():
        if wanted in {pupil.first_name.lower(), pupil.name.lower(), str(pupil.id)}:
            return pupil
    names = ", ".join(p.first_name.lower() for p in server.pupils.values())
    raise ValueError(f"no pupil {name!r}; choose one of: {names}")


def next_school_day(server: FakeClassCharts, after: date) -> date:
    """The first weekday after ``after`` that is no holiday."""
    day = after + timedelta(days=1)
    while day.weekday() >= 5 or day in server.holidays:
        day += timedelta(days=1)
    return day


def change_account(server: FakeClassCharts, kind: str, *args: str) -> Added:
    """End every login session now, or change the parent's password."""
    if kind == "session-expired":
        server.expire_sessions()
        return Added(kind, "the account", "every login session ended")
    if kind == "password":
        password = " ".join(args) or NEW_PASSWORD
        server.change_password(PARENT_EMAIL, password)
        server.expire_sessions()
        return Added(
            kind,
            "the account",
            f"the parent's password is now {password!r} until the demo stops"
            " (Home Assistant asks to log in again)",
        )
    raise ValueError(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")


def school_day_from(server: FakeClassCharts, day: date) -> date:
    """``day`` if it is a school day, else the next one."""
    return next_school_day(server, day - timedelta(days=1))


def tidy_demo_days(server: FakeClassCharts) -> None:
    """Make the seeded data look like a school's: nothing due or held when it is shut.

    The shared seed data is made for the tests (a split class sharing its
    lesson's key, dates a fixed number of days from today); in the demo a
    detention on a Saturday, homework due on a Sunday or two Science lessons at
    the same time only look wrong. The tests keep their data as it is.
    """
    for pupil in server.pupils.values():
        for weekday, slots in pupil.timetable.items():
            pupil.timetable[weekday] = [
                slot for slot in slots if not slot.shares_key_with_previous
            ]
        for homework in pupil.homeworks:
            homework.due_date = school_day_from(server, homework.due_date)
        for detention in pupil.detentions:
            if detention.date is not None and detention.date > server.today:
                detention.date = school_day_from(server, detention.date)
        for item in pupil.activity:
            if item.detention_date is not None and item.detention_date > server.today:
                item.detention_date = school_day_from(server, item.detention_date)


def own_class(server: FakeClassCharts, pupil: FakePupil, now: datetime) -> FakeClass:
    """The pupil's class now (or the day's first, or Monday's first)."""
    slots = pupil.timetable.get(now.weekday()) or pupil.timetable[0]
    for slot in slots:
        start, end = PERIOD_TIMES[slot.period]
        if start <= now.time() < end:
            return slot.cls
    return slots[0].cls


def add(server: FakeClassCharts, kind: str, pupil_name: str, *args: str) -> Added:
    """Add a point, homework, detention, announcement, lesson change or badge now."""
    if kind in ACCOUNT_KINDS:
        return change_account(server, kind, *args)
    pupil = find_pupil(server, pupil_name)
    now = datetime.now(server.tz)
    stamp = now.strftime("%H:%M")
    if kind == "point":
        polarity = args[0] if args else "positive"
        if polarity not in POLARITIES:
            raise ValueError(f"a point is positive or negative, not {polarity!r}")
        reason = "Excellent effort" if polarity == "positive" else "Talking in class"
        cls = own_class(server, pupil, now)
        server.add_behaviour_point(
            pupil.id,
            polarity=polarity,
            reason=reason,
            teacher=cls.teacher,
            lesson=cls.name,
        )
        return Added(kind, pupil.name, f"{polarity} point: {reason}")
    if kind == "homework":
        due = next_school_day(server, server.today)
        title = " ".join(args) or f"Worksheet set at {stamp}"
        server.add_homework(pupil.id, title=title, subject="Science", due_date=due)
        return Added(kind, pupil.name, f"Science: {title}, due {due:%a %d %b}")
    if kind == "detention":
        day = next_school_day(server, server.today)
        reason = " ".join(args) or "Late to lesson"
        pupil.detentions.append(
            FakeDetention(
                _next_id(d.id for p in server.pupils.values() for d in p.detentions),
                "pending",
                day,
                "15:20",
                30,
                "Room B12",
                reason,
                None,
                (5501, "Mr", "Peter", "Example"),
                "After school",
            )
        )
        return Added(kind, pupil.name, f"detention {day:%a %d %b} 15:20: {reason}")
    if kind == "announcement":
        title = " ".join(args) or f"Message from school ({stamp})"
        pupil.announcements.append(_announcement(server, pupil, title, now))
        return Added(kind, pupil.name, f"announcement: {title}")
    if kind == "lesson":
        return _change_next_lesson(server, pupil, now, " ".join(args) or "Sports hall")
    if kind == "badge":
        return _award_badge(server, pupil, now, " ".join(args) or "Kindness")
    raise ValueError(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")


def _change_next_lesson(
    server: FakeClassCharts, pupil: FakePupil, now: datetime, room: str
) -> Added:
    """Move the pupil's next lesson (today's, else the next school day's) to a room.

    ``cancel`` as the room cancels the lesson instead.
    """
    day = server.today
    upcoming = [
        slot
        for slot in pupil.timetable.get(day.weekday(), [])
        if PERIOD_TIMES[slot.period][0] > now.time() and day not in server.holidays
    ]
    if not upcoming:
        day = next_school_day(server, day)
        upcoming = pupil.timetable.get(day.weekday(), [])
    slot = upcoming[0]
    when = f"{day:%a %d %b} {PERIOD_TIMES[slot.period][0]:%H:%M}"
    if room.lower() == "cancel":
        server.change_lesson(pupil.id, day, slot.cls.name, cancelled=True)
        return Added(
            "lesson", pupil.name, f"{slot.cls.subject} {when} cancelled{REREAD}"
        )
    server.change_lesson(pupil.id, day, slot.cls.name, room=room)
    return Added(
        "lesson", pupil.name, f"{slot.cls.subject} {when} moved to room {room}{REREAD}"
    )


def _award_badge(
    server: FakeClassCharts, pupil: FakePupil, now: datetime, name: str
) -> Added:
    """Award a badge (a new one, or that badge again), shaped like the seeded one."""
    badge = next((b for b in pupil.badges if b["name"] == name), None)
    if badge is None:
        badge = {
            "id": _next_id(
                int(b["id"]) for p in server.pupils.values() for b in p.badges
            ),
            "name": name,
            "icon": "star",
            "colour": "#f5b301",
            "created_date": now.replace(microsecond=0).isoformat(),
            "pupil_badges": [],
            "icon_url": "https://example.invalid/badges/star.png",
        }
        pupil.badges.append(badge)
    stamp = now.replace(microsecond=0).isoformat()
    badge["pupil_badges"].append(
        {
            "pupil_event": {
                "timestamp": stamp,
                "lesson_pupil_behaviour": {
                    "reason": "Helping others",
                    "score": 1,
                    "icon": "star",
                    "polarity": "positive",
                    "timestamp": stamp,
                    "teacher": {
                        "title": "Mr",
                        "first_name": "Peter",
                        "last_name": "Example",
                    },
                },
                "event": {"label": name},
            }
        }
    )
    times = len(badge["pupil_badges"])
    return Added(
        "badge",
        pupil.name,
        f"badge {name} (earned {times}x); Home Assistant reads badges at 18:00 on"
        " school days and once a day",
    )


def _next_id(ids: Any) -> int:
    return max(ids, default=100000) + 1


def _announcement(
    server: FakeClassCharts, pupil: FakePupil, title: str, now: datetime
) -> dict[str, Any]:
    """An announcement shaped like the seeded ones (their fields, a new id)."""
    template = pupil.announcements[0] if pupil.announcements else {}
    return {
        **template,
        "id": _next_id(
            int(a["id"]) for p in server.pupils.values() for a in p.announcements
        ),
        "title": title,
        "description": "<p>Added with scripts/develop add.</p>",
        "teacher_name": "Mrs K Example",
        "sticky": "no",
        "state": None,
        "timestamp": now.replace(microsecond=0).isoformat(),
        "attachments": [],
    }


# ---- ticked homework kept across restarts ----------------------------------------


def ticks(server: FakeClassCharts) -> dict[str, list[Any]]:
    """Every homework's ticked flag and state, keyed so that a restart finds it."""
    return {
        f"{pupil.id}|{hw.subject}|{hw.title}|{hw.due_date.isoformat()}": [
            hw.ticked,
            hw.state,
        ]
        for pupil in server.pupils.values()
        for hw in pupil.homeworks
    }


def restore_ticks(server: FakeClassCharts, saved: dict[str, list[Any]]) -> int:
    """Apply saved ticks to the same homework; return how many were found."""
    found = 0
    for key, (ticked, state) in saved.items():
        for pupil in server.pupils.values():
            for hw in pupil.homeworks:
                if key == f"{pupil.id}|{hw.subject}|{hw.title}|{hw.due_date}":
                    hw.ticked, hw.state = bool(ticked), state
                    found += 1
    return found


# ---- attendance marks, reports and report cards for the demo ---------------------


def show_parent_records(server: FakeClassCharts) -> None:
    """Believable marks, reports and a report card, so every new entity has data.

    Ada: reports shown (the seeded autumn report), a late morning today on a
    school day, two unread messages. Ben: on report this week for punctuality.
    """
    ada, ben = (server.pupils[i] for i in sorted(server.pupils))
    ada.display["display_academic_reports"] = True
    ada.messages_count = 2
    today = server.today
    if today.weekday() < 5 and today not in server.holidays:
        server.set_attendance_mark(ada.id, today, "AM", "late", late_minutes=6)
    ben.display["display_report_cards"] = True
    monday = today - timedelta(days=today.weekday())
    server.add_report_card(
        ben.id,
        monday,
        monday + timedelta(days=11),
        reason="Punctuality",
        description="On report for lateness to lessons",
        targets=("Arrive before the bell", "Bring a signed card to every lesson"),
    )
