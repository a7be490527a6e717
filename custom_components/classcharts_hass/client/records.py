"""The client's calls for attendance marks, reports and report cards."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from .attendance import (
    Attendance,
    AttendanceDay,
    AttendanceMark,
    attendance_items,
    read_mark,
)
from .boundary import guarded
from .models import Pupil
from .parse import JSONObject, as_list, as_object
from .reports import (
    AcademicReport,
    AcademicReportSummary,
    ReportCard,
    ReportCardDetail,
    ReportSubject,
    academic_report_object,
    target_description,
)
from .session import ClassChartsSession


class RecordCalls(ClassChartsSession):
    """Attendance marks, academic reports and report cards of a pupil."""

    @property
    def student(self) -> Pupil | None:
        """The student's record from the last ping (its counts are that fresh)."""
        return self._student

    @guarded
    async def get_attendance(self, pupil_id: int, start: date, end: date) -> Attendance:
        """Attendance between two dates: the percentage, and each day's marks."""
        params = {"from": start.isoformat(), "to": end.isoformat()}

        def read_marks(pairs: list[tuple[Any, Any]]) -> list[AttendanceMark]:
            return self._tally.items("attendance marks", pairs, read_mark)

        def parse(data: Any, meta: JSONObject) -> Attendance:
            days: list[AttendanceDay] = self._tally.items(
                "attendance",
                attendance_items(data),
                lambda item: AttendanceDay.from_item(item, read_marks),
            )
            attendance = Attendance.from_json(data, meta)
            return replace(attendance, days=tuple(days), since=start)

        return await self._parsed("GET", f"attendance/{pupil_id}", params, parse)

    @guarded
    async def get_academic_reports(self, pupil_id: int) -> list[AcademicReportSummary]:
        """The pupil's academic reports (newest last, as ClassCharts lists them).

        The public clients call the list without a pupil; ``pupil_id`` is sent
        as well so that a parent's list is the child's (as report cards take it).
        """
        return await self._parsed(
            "GET",
            "getacademicreports",
            {"pupil_id": str(pupil_id)},
            lambda data, _: self._tally.items(
                "getacademicreports",
                as_list(data, "data"),
                AcademicReportSummary.from_json,
            ),
        )

    @guarded
    async def get_academic_report(self, report_id: int) -> AcademicReport:
        """One academic report: attendance, and per subject grades and comments."""

        def parse(data: Any, _: JSONObject) -> AcademicReport:
            obj = academic_report_object(data)
            subjects: list[ReportSubject] = self._tally.items(
                "getacademicreport",
                as_list(obj.get("lessons"), "lessons"),
                ReportSubject.from_json,
            )
            return AcademicReport.from_json(obj, subjects)

        return await self._parsed("GET", f"getacademicreport/{report_id}", None, parse)

    @guarded
    async def get_report_cards(self, pupil_id: int) -> list[ReportCard]:
        """The pupil's report cards, past and present (a POST, as public clients send)."""
        data, meta = await self._call(
            "POST", "getpupilreportcards", data={"pupil_id": str(pupil_id)}
        )
        return self._read(
            "POST getpupilreportcards",
            lambda raw, _: self._tally.items(
                "getpupilreportcards", as_list(raw, "data"), ReportCard.from_json
            ),
            data,
            meta,
        )

    @guarded
    async def get_report_card(self, card_id: int) -> ReportCardDetail:
        """One report card with its level, teacher and target ids."""
        return await self._parsed(
            "GET",
            f"getpupilreportcard/{card_id}",
            None,
            lambda data, _: ReportCardDetail.from_json(as_object(data, "data")),
        )

    @guarded
    async def get_report_card_target(self, target_id: int) -> str:
        """The text of one target of a report card."""
        return await self._parsed(
            "GET",
            f"getpupilreportcardtarget/{target_id}",
            None,
            lambda data, _: target_description(data),
        )
