"""Academic reports and report cards of the fake ClassCharts.

Shapes follow the API examples (``academic_reports.json``,
``academic_report.json``) and, for report cards, the public clients
(``getpupilreportcards`` as a POST with form ``pupil_id``; dates ``DD/MM/YYYY``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .handlers import JSON, error, ok

if TYPE_CHECKING:
    from .models import FakePupil

REPORT_ENDPOINTS = frozenset(
    {
        "getacademicreports",
        "getacademicreport",
        "getpupilreportcards",
        "getpupilreportcard",
        "getpupilreportcardtarget",
    }
)


@dataclass
class FakeSubject:
    """One lesson of an academic report."""

    name: str
    teacher: str
    comment: str
    grades: dict[str, str]
    attendance: str | None = None


@dataclass
class FakeReport:
    """An academic report."""

    id: int
    name: str
    start: date
    end: date
    attendance: str | None = "96"
    subjects: list[FakeSubject] = field(default_factory=list)

    def summary(self) -> JSON:
        """The list item."""
        return {
            "id": self.id,
            "name": self.name,
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
        }

    def full(self) -> JSON:
        """The answer of getacademicreport/{id}'s one item."""
        return {
            **self.summary(),
            "overall_attendance_percentage": self.attendance,
            "attendance_percentage": None,
            "lessons": [
                {
                    "attendance_percentage": subject.attendance,
                    "lesson_name": subject.name,
                    "teachers": [
                        {
                            "teacher_name": subject.teacher,
                            "id": 5500 + index,
                            "text": subject.comment,
                        }
                    ],
                    "grades": [
                        {"field_name": name, "grade": grade}
                        for name, grade in subject.grades.items()
                    ],
                }
                for index, subject in enumerate(self.subjects)
            ],
        }


@dataclass
class FakeReportCard:
    """A report card ("on report") with its targets."""

    id: int
    start: date
    end: date
    reason: str
    description: str
    teacher: str = "Mrs S Example"
    level: str = "Head of Year"
    targets: dict[int, str] = field(default_factory=dict)

    def preview(self) -> JSON:
        """The list item (dates as DD/MM/YYYY, as public clients show)."""
        return {
            "id": self.id,
            "start_date": f"{self.start:%d/%m/%Y}",
            "end_date": f"{self.end:%d/%m/%Y}",
            "reason": self.reason,
            "description": self.description,
        }

    def full(self) -> JSON:
        """The answer of getpupilreportcard/{id}."""
        return {
            **self.preview(),
            "start_date": f"{self.start:%a %d/%m/%Y}",
            "end_date": f"{self.end:%a %d/%m/%Y}",
            "level": self.level,
            "teacher": self.teacher,
            "parent_comments": [],
            "targets": [{"id": target} for target in self.targets],
        }


def seed_reports(pupil: FakePupil, today: date) -> None:
    """An autumn report, as the example has it (shown only where the flag is set)."""
    year = today.year if today.month >= 9 else today.year - 1
    pupil.academic_reports = [
        FakeReport(
            301,
            "Autumn interim",
            date(year, 9, 1),
            date(year, 10, 17),
            subjects=[
                FakeSubject(
                    "Mathematics", "Mr P Example", "Good progress.", {"Working at": "6"}
                ),
                FakeSubject(
                    "English", "Ms R Example", "Reads widely.", {"Working at": "7"}
                ),
            ],
        )
    ]


def render(
    pupils: list[FakePupil], endpoint: str, arg: str | None, chosen: FakePupil | None
) -> JSON:
    """Answer one report endpoint; ``pupils`` are those the session may see."""
    if endpoint in {"getacademicreports", "getpupilreportcards"}:
        if chosen is None:
            return error("Invalid pupil")
        if endpoint == "getacademicreports":
            return ok([report.summary() for report in chosen.academic_reports], [])
        return ok([card.preview() for card in chosen.report_cards], [])
    wanted = int(arg) if arg is not None and arg.isdigit() else None
    reports = {r.id: r for pupil in pupils for r in pupil.academic_reports}
    cards = {c.id: c for pupil in pupils for c in pupil.report_cards}
    targets = {t: c for c in cards.values() for t in c.targets}
    if endpoint == "getacademicreport" and wanted in reports:
        return ok([reports[wanted].full()], [])
    if endpoint == "getpupilreportcard" and wanted in cards:
        return ok(cards[wanted].full(), {"forbidden_days_of_week": []})
    if endpoint == "getpupilreportcardtarget" and wanted in targets:
        card = targets[wanted]
        target: dict[str, Any] = {
            "id": wanted,
            "pupil_report_card": {"id": card.id, "required_teacher_action": None},
            "description": card.targets[wanted],
        }
        return ok({"target": target, "periods": []}, [])
    return error("Invalid report")
