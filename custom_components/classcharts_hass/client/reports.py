"""Academic reports and report cards ("on report").

Academic reports (``display_academic_reports``): ``GET getacademicreports``
lists them (id, name, start and end dates) and ``GET getacademicreport/{id}``
holds one, as a one-item list: overall attendance and, per lesson, grades and
the teachers' comments.

Report cards (``display_report_cards``), as public clients call them
(daydreme/classcharts-server-mock, kgstorm/classcharts-api-python):
``POST getpupilreportcards`` with form ``pupil_id`` lists the cards (id,
start and end dates as ``DD/MM/YYYY``, reason, description);
``GET getpupilreportcard/{id}`` gives one (also ``level``, ``teacher`` and
``targets`` as ``[{"id": ...}]``); ``GET getpupilreportcardtarget/{id}``
gives a target's ``description``. Dates have been seen as ``DD/MM/YYYY``,
``YYYY-MM-DD`` and ``ddd DD/MM/YYYY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from .parse import (
    MAX_YEAR,
    MIN_YEAR,
    ShapeError,
    as_list,
    as_object,
    html_to_text,
    integer,
    optional_float,
    optional_text,
    text,
)


def report_date(value: Any, what: str) -> date:
    """Parse ``YYYY-MM-DD``, ``DD/MM/YYYY`` or ``ddd DD/MM/YYYY`` (a time after it is ignored)."""
    if not isinstance(value, str) or not value.strip():
        raise ShapeError(f"{what} should be a date")
    words = value.strip().split()
    # "Mon 01/06/2023": the weekday is only decoration.
    raw = words[1] if len(words) > 1 and words[0].isalpha() else words[0]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(raw[:10], pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
        if MIN_YEAR <= day.year <= MAX_YEAR:
            return day
    raise ShapeError(f"{what} is not a date: {raw[:16]!r}")


def _percentage(obj: dict[str, Any], key: str) -> float | None:
    """A percentage 0-100, or ``None`` when missing or not a number in range."""
    try:
        value = optional_float(obj, key)
    except ShapeError:
        return None
    return value if value is not None and 0 <= value <= 100 else None  # noqa: PLR2004


@dataclass(frozen=True, slots=True)
class AcademicReportSummary:
    """An academic report as the list shows it."""

    id: int
    name: str
    start_date: date | None
    end_date: date | None

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse one item of ``getacademicreports``."""
        obj = as_object(value, "academic report")
        return cls(
            id=integer(obj, "id"),
            name=text(obj, "name"),
            start_date=_optional_date(obj, "start_date"),
            end_date=_optional_date(obj, "end_date"),
        )


def _optional_date(obj: dict[str, Any], key: str) -> date | None:
    """A report's date, ``None`` when missing; a present but wrong one fails the item."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    return report_date(value, key)


@dataclass(frozen=True, slots=True)
class ReportGrade:
    """One grade of a subject: what it measures ("Working at") and the grade."""

    field: str
    grade: str


@dataclass(frozen=True, slots=True)
class ReportComment:
    """A teacher's comment on a subject (plain text)."""

    teacher: str
    text: str


@dataclass(frozen=True, slots=True)
class ReportSubject:
    """One lesson of an academic report."""

    name: str
    attendance: float | None
    grades: tuple[ReportGrade, ...]
    comments: tuple[ReportComment, ...]

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse one ``lessons`` entry; grades or comments without text are left out."""
        obj = as_object(value, "report lesson")
        grades = []
        for item in as_list(obj.get("grades"), "grades"):
            grade = as_object(item, "grade")
            if text(grade, "grade"):
                grades.append(
                    ReportGrade(text(grade, "field_name"), text(grade, "grade"))
                )
        comments = []
        for item in as_list(obj.get("teachers"), "teachers"):
            teacher = as_object(item, "teacher")
            if comment := html_to_text(text(teacher, "text")):
                comments.append(ReportComment(text(teacher, "teacher_name"), comment))
        return cls(
            name=text(obj, "lesson_name"),
            attendance=_percentage(obj, "attendance_percentage"),
            grades=tuple(grades),
            comments=tuple(comments),
        )


@dataclass(frozen=True, slots=True)
class AcademicReport:
    """One academic report with its subjects."""

    id: int
    name: str
    start_date: date | None
    end_date: date | None
    attendance: float | None
    subjects: tuple[ReportSubject, ...]

    @classmethod
    def from_json(cls, value: Any, subjects: list[ReportSubject]) -> Self:
        """Parse ``getacademicreport/{id}``'s report; ``subjects`` are read by the caller."""
        obj = as_object(value, "academic report")
        summary = AcademicReportSummary.from_json(obj)
        return cls(
            id=summary.id,
            name=summary.name,
            start_date=summary.start_date,
            end_date=summary.end_date,
            attendance=_percentage(obj, "overall_attendance_percentage"),
            subjects=tuple(subjects),
        )


def academic_report_object(data: Any) -> dict[str, Any]:
    """The report of ``getacademicreport/{id}``: a one-item list, or the object itself."""
    if isinstance(data, list):
        if not data:
            raise ShapeError("the report is empty")
        return as_object(data[0], "academic report")
    return as_object(data, "academic report")


@dataclass(frozen=True, slots=True)
class ReportCard:
    """A report card: the pupil is "on report" from ``start_date`` to ``end_date``."""

    id: int
    start_date: date
    end_date: date
    reason: str
    description: str

    def active_on(self, day: date) -> bool:
        """Whether the card runs on ``day`` (both ends included)."""
        return self.start_date <= day <= self.end_date

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse one item of ``getpupilreportcards`` (or ``getpupilreportcard``)."""
        obj = as_object(value, "report card")
        start = report_date(obj.get("start_date"), "start_date")
        end = report_date(obj.get("end_date"), "end_date")
        if end < start:
            raise ShapeError("a report card ends before it starts")
        return cls(
            id=integer(obj, "id"),
            start_date=start,
            end_date=end,
            reason=text(obj, "reason"),
            description=html_to_text(text(obj, "description")),
        )


@dataclass(frozen=True, slots=True)
class ReportCardDetail:
    """One report card with who set it and the ids of its targets."""

    card: ReportCard
    level: str | None
    teacher: str | None
    target_ids: tuple[int, ...]

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse ``getpupilreportcard/{id}``; targets without a number id are skipped."""
        obj = as_object(value, "report card")
        ids: list[int] = []
        for item in as_list(obj.get("targets"), "targets"):
            try:
                ids.append(integer(as_object(item, "target"), "id"))
            except ShapeError:
                continue
        return cls(
            card=ReportCard.from_json(obj),
            level=optional_text(obj, "level"),
            teacher=optional_text(obj, "teacher"),
            target_ids=tuple(ids),
        )


def target_description(data: Any) -> str:
    """A target's text from ``getpupilreportcardtarget/{id}`` (``{"target": {...}}``)."""
    target = as_object(as_object(data, "data").get("target"), "target")
    return html_to_text(text(target, "description"))
