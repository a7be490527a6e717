"""Data model and constants of the fake ClassCharts server."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .reports import FakeReport, FakeReportCard

STUDENT_CODE = "ADA12345"
STUDENT_DOB = date(2012, 3, 14)
STUDENT_ID = 4821907
PARENT_EMAIL = "parent@example.invalid"
PARENT_PASSWORD = "c0rrect h&rse=battery+staple%"
PARENT_ID = 7310042
PARENT_NAME = "Sam Example"
BEN_ID = 4821911
CHILD_IDS = (STUDENT_ID, BEN_ID)
SCHOOL_NAME = "Example Academy"

PERIODS: tuple[tuple[str, time, time], ...] = (
    ("P1", time(8, 45), time(9, 45)),
    ("P2", time(9, 45), time(10, 45)),
    ("Tut", time(10, 45), time(11, 5)),
    ("P3", time(11, 20), time(12, 20)),
    ("P4", time(13, 5), time(14, 5)),
    ("P5", time(14, 5), time(15, 5)),
)
PERIOD_TIMES = {name: (start, end) for name, start, end in PERIODS}
WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class FakeClass:
    """A teaching group (class) a pupil attends."""

    lesson_id: int
    name: str
    subject: str
    teacher: str
    teacher_id: str
    room: str


@dataclass
class FakeSlot:
    """One lesson in the weekly timetable."""

    period: str
    cls: FakeClass
    note: str = ""
    shares_key_with_previous: bool = False


@dataclass
class FakeActivity:
    """One activity item (behaviour point, detention notice, message)."""

    id: int
    timestamp: datetime  # naive, local school time
    polarity: str
    reason: str
    score: int
    type: str = "behaviour"
    lesson_name: str | None = None
    teacher_name: str | None = None
    room_name: str | None = None
    note: str | None = None
    custom_class: str | None = None
    detention_date: date | None = None
    detention_time: str | None = None
    detention_location: str | None = None
    detention_type: str | None = None


@dataclass
class FakeHomework:
    """One homework task with its status."""

    id: int
    status_id: int
    title: str
    subject: str
    lesson: str
    teacher: str
    issue_date: date
    due_date: date
    description: str = "<p>Do it</p>"
    state: str | None = None
    ticked: bool = False
    completion_time_value: str = "30"
    mark: str | None = None
    has_feedback: bool = False
    validated_links: list[dict[str, str]] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Return whether the homework counts as done."""
        return self.ticked or self.state == "completed"


@dataclass
class FakeDetention:
    """One detention."""

    id: int
    attended: str
    date: date | None
    time: str | None
    length: int | None
    location: str | None
    reason: str
    lesson: FakeClass | None = None
    teacher: tuple[int, str, str, str] | None = None  # id, title, first, last
    type_name: str | None = None
    notes: str | None = None


@dataclass
class FakePupil:
    """A pupil and everything the fake server knows about them."""

    id: int
    first_name: str
    last_name: str
    display: dict[str, Any]
    timetable: dict[int, list[FakeSlot]]
    key_base: int
    pusher_channel: str
    homeworks: list[FakeHomework] = field(default_factory=list)
    activity: list[FakeActivity] = field(default_factory=list)
    detentions: list[FakeDetention] = field(default_factory=list)
    announcements: list[dict[str, Any]] = field(default_factory=list)
    badges: list[dict[str, Any]] = field(default_factory=list)
    custom_fields: dict[str, Any] = field(default_factory=dict)
    rewards: list[dict[str, Any]] = field(default_factory=list)
    score_balance: int = 0
    parent_behaviours: list[dict[str, Any]] = field(default_factory=list)
    # Changes of one day's lessons: (day, class name) -> fields replaced, or
    # {"cancelled": True}; and lessons added on a day (timetable entries).
    lesson_changes: dict[tuple[date, str], dict[str, Any]] = field(default_factory=dict)
    added_lessons: dict[date, list[dict[str, Any]]] = field(default_factory=dict)
    attendance_modulus: tuple[int, int] = (
        17,
        11,
    )  # (absent every n-th day, late every m-th day)
    # Marks set by a test or the demo: day -> session ("AM", "Period 2") -> mark.
    attendance_marks: dict[date, dict[str, dict[str, Any]]] = field(
        default_factory=dict
    )
    academic_reports: list[FakeReport] = field(default_factory=list)
    report_cards: list[FakeReportCard] = field(default_factory=list)
    messages_count: int = 0

    @property
    def name(self) -> str:
        """Return the full name."""
        return f"{self.first_name} {self.last_name}"


@dataclass
class Ids:
    """Monotonic id sources shared by all pupils."""

    activity: int = 90000000
    homework: int = 7700000
    status: int = 3300000
    detention: int = 4400000

    def next(self, kind: str) -> int:
        """Return the next id of that kind."""
        value = int(getattr(self, kind)) + 1
        setattr(self, kind, value)
        return value


def display_flags(**overrides: Any) -> dict[str, Any]:
    """Return the display_* flags of a pupil record."""
    flags: dict[str, Any] = {
        "display_behaviour": True,
        "display_parent_behaviour": True,
        "display_homework": True,
        "display_rewards": True,
        "display_detentions": True,
        "display_report_cards": False,
        "display_classes": True,
        "display_announcements": True,
        "display_academic_reports": False,
        "display_attendance": True,
        "display_attendance_type": "instance",
        "display_attendance_percentage": True,
        "display_activity": True,
        "display_mental_health": False,
        "display_mental_health_no_tracker": False,
        "display_timetable": True,
        "is_disabled": False,
        "display_two_way_communications": False,
        "display_absences": True,
        "can_upload_attachments": None,
        "display_event_badges": True,
        "display_avatars": True,
        "display_concern_submission": False,
        "display_custom_fields": True,
    }
    flags.update(overrides)
    return flags


def school_year_start(today: date) -> date:
    """Return 1 September of the school year containing today."""
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def week_start(day: date) -> date:
    """Return the Monday of the week containing day."""
    return day - timedelta(days=day.weekday())
