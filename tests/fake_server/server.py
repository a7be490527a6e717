"""The fake ClassCharts aiohttp server and its test controls."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
import json
import time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aiohttp import web

from .data import (
    CHILD_IDS,
    PARENT_EMAIL,
    PARENT_PASSWORD,
    FakeActivity,
    FakeHomework,
    build_pupils,
)
from .hostile import Stream
from .reports import FakeReport, FakeReportCard, FakeSubject
from .routing import Failure, LoggedRequest, Override, RequestRouter, Session

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["FakeClassCharts", "LoggedRequest"]


def _monotonic() -> float:
    return time.monotonic()


class FakeClassCharts(RequestRouter):
    """A fake www.classcharts.com with the Tes session check, tokens and seeded pupils."""

    def __init__(
        self,
        today: date | None = None,
        *,
        clock: Callable[[], float] | None = None,
        token_lifetime: float = 180.0,
        timezone: str = "Europe/London",
        activity_page_size: int = 50,
        holidays: Iterable[date] = (),
    ) -> None:
        """Create the server state; nothing listens until start()."""
        self.tz = ZoneInfo(timezone)
        self.today = today or datetime.now(self.tz).date()
        # Looked up at call time, so a frozen test clock moves tokens too.
        self.clock = clock or _monotonic
        self.token_lifetime = token_lifetime
        self.activity_page_size = activity_page_size
        self.pupils, self._ids = build_pupils(self.today)
        self.holidays: set[date] = set(holidays)
        self.latency = 0.0
        # Extra seconds for requests whose path contains the key (race tests:
        # a slow ping beside a fast data call, or the reverse).
        self.path_latency: dict[str, float] = {}
        self.captcha_required = False
        # HTML added to every login page (e.g. a captcha script that demands nothing).
        self.login_page_extra = ""
        # meta.last_id of a non-empty activity page: "last_item" (its last item's
        # id, as the API notes say) or "constant" (1, as public fixtures show).
        # An empty page always says false.
        self.last_id_mode = "last_item"
        # The Tes check: "cookies" (the login cookies suffice), "hop" (each session
        # passes the check once), "stuck" (passing it never sticks), "loop" (the
        # check redirects to itself).
        self.tes_mode = "cookies"
        # Cookie names each request to the Tes check carried.
        self.tes_cookies_seen: list[tuple[str, ...]] = []
        self.tes_base_url = ""
        self.tes_port = 0
        # Methods /pupils answers (others get 405).
        self.pupils_methods: set[str] = {"GET", "POST"}
        self._streams: list[Stream] = []
        self.parent_password = PARENT_PASSWORD
        self.parent_children: list[int] = list(CHILD_IDS)
        self.requests: list[LoggedRequest] = []
        # Every session cookie and token handed out, for "no secret leaked" checks.
        self.issued_secrets: set[str] = set()
        self.base_url = ""
        self.port = 0
        self._sessions: dict[str, Session] = {}
        self._failures: list[Failure] = []
        self._overrides: list[Override] = []
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._counter = 0

    # ---- lifecycle -------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start listening (on the previous port after a stop) and return the base URL."""
        if self._runner is not None:
            raise RuntimeError("already started")
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port or self.port)
        await site.start()
        self.port = int(runner.addresses[0][1])
        # The Tes check listens on a port of its own: another origin on loopback.
        tes_site = web.TCPSite(runner, host, self.tes_port)
        await tes_site.start()
        self._runner = runner
        self.tes_port = int(runner.addresses[1][1])
        self.base_url = f"http://{host}:{self.port}"
        self.tes_base_url = f"http://{host}:{self.tes_port}"
        return self.base_url

    async def stop(self) -> None:
        """Stop listening; hanging requests are released first."""
        self._stopping.set()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # ---- controls --------------------------------------------------------------------

    def clear_requests(self) -> None:
        """Forget the logged requests."""
        self.requests.clear()

    def api_requests(self, path_contains: str = "") -> list[LoggedRequest]:
        """Return logged API requests whose path contains the text."""
        return [
            r
            for r in self.requests
            if r.path.startswith("/apiv2") and path_contains in r.path
        ]

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int | None = None,
        timeout: bool = False,
        html: bool = False,
        malformed: bool = False,
        wrong_shape: bool = False,
        retry_after: int | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Make the next count matching requests fail in the given way (default HTTP 500)."""
        self._failures.append(
            Failure(
                count,
                status,
                timeout,
                html,
                malformed,
                wrong_shape,
                retry_after,
                path_contains,
            )
        )

    def expire_sessions(self) -> None:
        """Kill every login session and token now."""
        for session in self._sessions.values():
            session.alive = False

    def forget_sessions(self) -> None:
        """Forget every session cookie, so API calls get the Tes redirect."""
        self._sessions.clear()

    def change_password(self, email: str, new_password: str) -> None:
        """Change the parent's password."""
        if email.strip().lower() != PARENT_EMAIL:
            raise KeyError(email)
        self.parent_password = new_password

    def remove_pupil(self, pupil_id: int) -> None:
        """Take that child away from the parent account."""
        self.parent_children.remove(pupil_id)

    def add_behaviour_point(
        self,
        pupil_id: int,
        *,
        polarity: str = "positive",
        reason: str = "Excellent effort",
        score: int | None = None,
        teacher: str = "Mr P Example",
        lesson: str | None = "9X/Ma2",
        timestamp: datetime | None = None,
    ) -> int:
        """Add a behaviour point (now by default, on the fake today) and return its activity id."""
        if timestamp is None:
            now = datetime.now(self.tz)
            timestamp = datetime.combine(self.today, now.time().replace(microsecond=0))
        elif timestamp.tzinfo is not None:
            timestamp = timestamp.astimezone(self.tz).replace(tzinfo=None)
        if score is None:
            score = {"positive": 1, "negative": -1}.get(polarity, 0)
        activity_id = self._ids.next("activity")
        self.pupils[pupil_id].activity.append(
            FakeActivity(
                activity_id,
                timestamp,
                polarity,
                reason,
                score,
                lesson_name=lesson,
                teacher_name=teacher,
            )
        )
        return activity_id

    def add_homework(
        self,
        pupil_id: int,
        *,
        title: str,
        subject: str = "Science",
        due_date: date,
        issue_date: date | None = None,
        description: str = "<p>Do it</p>",
    ) -> int:
        """Add a homework to a pupil and return its id."""
        pupil = self.pupils[pupil_id]
        cls = next(
            (
                s.cls
                for day in pupil.timetable.values()
                for s in day
                if s.cls.subject == subject
            ),
            None,
        )
        homework = FakeHomework(
            self._ids.next("homework"),
            self._ids.next("status"),
            title,
            subject,
            cls.name if cls else f"{subject[:2]}1",
            cls.teacher if cls else "Mr P Example",
            issue_date or self.today,
            due_date,
            description=description,
        )
        pupil.homeworks.append(homework)
        return homework.id

    def set_response(
        self,
        endpoint: str,
        body: object,
        *,
        status: int = 200,
        content_type: str = "application/json",
        times: int | None = 1,
    ) -> None:
        """Serve this raw body for the next authenticated calls to that endpoint."""
        if isinstance(body, bytes):
            raw = body
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = json.dumps(body).encode()
        self._overrides.append(Override(endpoint, raw, status, content_type, times))

    def stream_next(
        self,
        endpoint: str,
        size: int,
        *,
        gzip: bool = False,
        pace: float = 0.0,
        content_length: bool = True,
    ) -> Stream:
        """Stream a body of ``size`` bytes (a gzip bomb with ``gzip``) for the next call."""
        stream = Stream(endpoint, size, gzip, pace, content_length)
        self._streams.append(stream)
        return stream

    def clear_overrides(self) -> None:
        """Drop every set_response override."""
        self._overrides.clear()

    def clear_failures(self) -> None:
        """Drop every pending fail_next failure."""
        self._failures.clear()

    def change_lesson(
        self,
        pupil_id: int,
        day: date,
        lesson_name: str,
        *,
        room: str | None = None,
        teacher: str | None = None,
        cancelled: bool = False,
    ) -> None:
        """Change one lesson (by class name) on one day: room, teacher, or cancel it."""
        change: dict[str, object] = {}
        if room is not None:
            change["room_name"] = room
        if teacher is not None:
            change["teacher_name"] = teacher
        if cancelled:
            change["cancelled"] = True
        self.pupils[pupil_id].lesson_changes[day, lesson_name] = change

    def add_lesson(
        self,
        pupil_id: int,
        day: date,
        *,
        subject: str,
        lesson_name: str,
        start: datetime,
        end: datetime,
        teacher: str = "Ms C Cover",
        room: str = "L9",
        period: str = "P6",
    ) -> None:
        """Add a lesson to one day (a revision class after school, say)."""
        self.pupils[pupil_id].added_lessons.setdefault(day, []).append(
            {
                "teacher_name": teacher,
                "teacher_id": "T5599",
                "lesson_id": 2209999,
                "lesson_name": lesson_name,
                "subject_name": subject,
                "is_alternative_lesson": True,
                "period_name": f"1Add:{period}",
                "period_number": period,
                "room_name": room,
                "date": day.isoformat(),
                "start_time": start.astimezone(self.tz).isoformat(),
                "end_time": end.astimezone(self.tz).isoformat(),
                "key": 69999999,
                "note_abstract": "",
                "note": "",
                "pupil_note_abstract": "",
                "pupil_note": "",
                "pupil_note_raw": "",
            }
        )

    def set_attendance_mark(
        self,
        pupil_id: int,
        day: date,
        session: str,
        status: str,
        *,
        code: str | None = None,
        late_minutes: int | str = 0,
    ) -> None:
        """Mark one register of a day ("AM", "PM" or "Period 2"): present, late, absent."""
        default_code = {"present": "/", "late": "L", "absent": "N", "ignore": ""}
        self.pupils[pupil_id].attendance_marks.setdefault(day, {})[session] = {
            "code": default_code.get(status, "?") if code is None else code,
            "status": status,
            "late_minutes": late_minutes,
        }

    def set_holidays(self, first: date, last: date) -> None:
        """Make every day from ``first`` to ``last`` a day without lessons."""
        day = first
        while day <= last:
            self.holidays.add(day)
            day += timedelta(days=1)

    def add_academic_report(
        self,
        pupil_id: int,
        name: str,
        start: date,
        end: date,
        *,
        attendance: str | None = "95",
        subjects: list[FakeSubject] | None = None,
    ) -> int:
        """Publish an academic report for a pupil and return its id."""
        report_id = 1 + max(
            (r.id for p in self.pupils.values() for r in p.academic_reports),
            default=300,
        )
        self.pupils[pupil_id].academic_reports.append(
            FakeReport(
                report_id,
                name,
                start,
                end,
                attendance,
                subjects
                or [FakeSubject("Science", "Dr T Example", "Keen.", {"Target": "7"})],
            )
        )
        return report_id

    def add_report_card(
        self,
        pupil_id: int,
        start: date,
        end: date,
        *,
        reason: str = "Punctuality",
        description: str = "Be on time to every lesson",
        targets: tuple[str, ...] = ("Arrive before the bell",),
    ) -> int:
        """Put a pupil on report from ``start`` to ``end``; return the card's id."""
        cards = [c for p in self.pupils.values() for c in p.report_cards]
        card_id = 1 + max((c.id for c in cards), default=800)
        first_target = 1 + max((t for c in cards for t in c.targets), default=8800)
        self.pupils[pupil_id].report_cards.append(
            FakeReportCard(
                card_id,
                start,
                end,
                reason,
                description,
                targets={first_target + i: text for i, text in enumerate(targets)},
            )
        )
        return card_id

    def homework(self, homework_id: int) -> FakeHomework:
        """Return the homework with that id."""
        for pupil in self.pupils.values():
            for homework in pupil.homeworks:
                if homework.id == homework_id:
                    return homework
        raise KeyError(homework_id)
