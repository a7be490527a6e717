"""Demo controls of the fake ClassCharts: a school calendar, adding things while it runs.

Used by ``tests.fake_server.demo`` (``scripts/develop``). Only public parts of
:class:`FakeClassCharts` and its seed data are used, so the server itself needs
no demo code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .models import FakeDetention

if TYPE_CHECKING:
    from .models import FakePupil
    from .server import FakeClassCharts

KINDS = ("point", "homework", "detention", "announcement")
POLARITIES = ("positive", "negative")


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


def add(server: FakeClassCharts, kind: str, pupil_name: str, *args: str) -> Added:
    """Add a behaviour point, homework, detention or announcement now."""
    pupil = find_pupil(server, pupil_name)
    now = datetime.now(server.tz)
    stamp = now.strftime("%H:%M")
    if kind == "point":
        polarity = args[0] if args else "positive"
        if polarity not in POLARITIES:
            raise ValueError(f"a point is positive or negative, not {polarity!r}")
        reason = "Excellent effort" if polarity == "positive" else "Talking in class"
        server.add_behaviour_point(pupil.id, polarity=polarity, reason=reason)
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
    raise ValueError(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")


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
