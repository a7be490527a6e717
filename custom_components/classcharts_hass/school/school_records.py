"""Attendance marks, reports and report cards as the integration shows them.

Home Assistant-free: what "Attendance today" says, which marks are news, the
reports and report cards a poll reads (and what it may reuse from the last one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from ..client import (
    AcademicReport,
    AcademicReportSummary,
    AttendanceMark,
    MarkStatus,
    ReportCard,
)

if TYPE_CHECKING:
    from ..client import Attendance, ClassChartsClient

# "Attendance today" when the day has no marks and no lessons.
NO_SCHOOL: Final = "no_school"
# Ids of register sessions in a mark's event id; lessons "Period N" follow.
_SESSION_NUMBERS: Final = {"AM": 0, "PM": 1}
_OTHER_SESSION: Final = 99


def attendance_today(
    attendance: Attendance, today: date, school_today: bool | None
) -> str | None:
    """Today's attendance in one word (``MarkStatus`` or ``no_school``).

    A day ClassCharts lists is judged by its marks; a day it does not list is
    "no school" when the timetable says so, "not marked" on a day with lessons,
    and unknown when the timetable is not known.
    """
    day = attendance.day(today)
    if day is not None and day.marks:
        return day.status.value
    if school_today is None:
        return None
    return MarkStatus.NOT_MARKED.value if school_today else NO_SCHOOL


@dataclass(frozen=True, slots=True)
class MarkNews:
    """A late or absent mark, as an event announces it once."""

    id: int
    day: date
    mark: AttendanceMark


def _session_number(session: str) -> int:
    """A stable small number per register: AM 0, PM 1, "Period N" N + 1."""
    if session in _SESSION_NUMBERS:
        return _SESSION_NUMBERS[session]
    number = session.rsplit(" ", 1)[-1]
    if number.isdigit() and 0 <= int(number) < _OTHER_SESSION - 1:
        return int(number) + 1
    return _OTHER_SESSION


def late_or_absent(attendance: Attendance) -> list[MarkNews]:
    """Every late and absent mark, each with an id that grows day by day.

    The id (``YYYYMMDD`` then the register's number) is the same at every read,
    so a mark fires once, and a late mark later changed to absent not again.
    Marks dated before set-up are never news (``news.py`` dates them by day).
    """
    news: dict[int, MarkNews] = {}
    for day in attendance.days:
        for mark in day.marks:
            if mark.status in {MarkStatus.LATE, MarkStatus.ABSENT}:
                number = _session_number(mark.session)
                mark_id = int(f"{day.day:%Y%m%d}") * 100 + number
                news.setdefault(mark_id, MarkNews(mark_id, day.day, mark))
    return list(news.values())


@dataclass(frozen=True, slots=True)
class Reports:
    """The academic reports listed, and the newest one read in full."""

    listed: tuple[AcademicReportSummary, ...]
    latest: AcademicReport | None

    @property
    def newest(self) -> AcademicReportSummary | None:
        """The report that starts (then ends) last; ties go to the higher id."""
        return max(
            self.listed,
            key=lambda r: (r.start_date or date.min, r.end_date or date.min, r.id),
            default=None,
        )


async def read_reports(
    client: ClassChartsClient, pupil_id: int, previous: Reports | None
) -> Reports:
    """The list (1 request), and the newest report when it is not read yet (1 more)."""
    listed = tuple(await client.get_academic_reports(pupil_id))
    reports = Reports(listed, None)
    newest = reports.newest
    if newest is None:
        return reports
    if previous is not None and previous.latest and previous.latest.id == newest.id:
        return Reports(listed, previous.latest)
    return Reports(listed, await client.get_academic_report(newest.id))


@dataclass(frozen=True, slots=True)
class OnReport:
    """The report card running today, with who set it and its targets."""

    card: ReportCard
    teacher: str | None
    level: str | None
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportCards:
    """The pupil's report cards, and the one running on the day read."""

    cards: tuple[ReportCard, ...]
    current: OnReport | None

    def running_on(self, day: date) -> OnReport | None:
        """The card running on ``day`` (the one read, while its dates hold)."""
        if self.current is not None and self.current.card.active_on(day):
            return self.current
        return None


MAX_TARGETS: Final = 5


async def read_report_cards(
    client: ClassChartsClient, pupil_id: int, today: date, previous: ReportCards | None
) -> ReportCards:
    """The list (1 request); a running card's details and targets when it is new."""
    cards = tuple(await client.get_report_cards(pupil_id))
    running = [card for card in cards if card.active_on(today)]
    if not running:
        return ReportCards(cards, None)
    card = max(running, key=lambda c: (c.start_date, c.id))
    if previous is not None and previous.current and previous.current.card == card:
        return ReportCards(cards, previous.current)
    detail = await client.get_report_card(card.id)
    targets = tuple(
        [
            await client.get_report_card_target(target)
            for target in detail.target_ids[:MAX_TARGETS]
        ]
    )
    return ReportCards(
        cards,
        OnReport(card, detail.teacher, detail.level, tuple(t for t in targets if t)),
    )
