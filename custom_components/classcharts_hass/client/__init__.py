"""An async client for ClassCharts; it imports nothing from Home Assistant."""

from .announcements import Announcement, Attachment
from .attendance import Attendance, AttendanceDay, AttendanceMark, MarkStatus
from .auth import (
    Credentials,
    ParentCredentials,
    StudentCredentials,
    normalise_pupil_code,
)
from .behaviour import (
    ActivityItem,
    ActivityPage,
    BehaviourSummary,
    Detention,
)
from .client import ClassChartsClient
from .exceptions import (
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsLimitError,
    ClassChartsRateLimitError,
    ClassChartsResponseError,
    ClassChartsServerError,
    ClassChartsSessionError,
    ClassChartsTimeoutError,
    ClassChartsVerificationLoopError,
)
from .models import (
    Account,
    AccountType,
    Features,
    Homework,
    Lesson,
    Pupil,
)
from .reports import (
    AcademicReport,
    AcademicReportSummary,
    ReportCard,
    ReportCardDetail,
    ReportComment,
    ReportGrade,
    ReportSubject,
)
from .rewards import (
    Badge,
    BadgeAward,
    CustomField,
    ParentBehaviour,
    Reward,
    RewardShop,
)
from .session import DEFAULT_BASE_URL, SessionState

__all__ = [
    "DEFAULT_BASE_URL",
    "AcademicReport",
    "AcademicReportSummary",
    "Account",
    "AccountType",
    "ActivityItem",
    "ActivityPage",
    "Announcement",
    "Attachment",
    "Attendance",
    "AttendanceDay",
    "AttendanceMark",
    "Badge",
    "BadgeAward",
    "BehaviourSummary",
    "ClassChartsAuthenticationError",
    "ClassChartsCaptchaError",
    "ClassChartsClient",
    "ClassChartsConnectionError",
    "ClassChartsError",
    "ClassChartsLimitError",
    "ClassChartsRateLimitError",
    "ClassChartsResponseError",
    "ClassChartsServerError",
    "ClassChartsSessionError",
    "ClassChartsTimeoutError",
    "ClassChartsVerificationLoopError",
    "Credentials",
    "CustomField",
    "Detention",
    "Features",
    "Homework",
    "Lesson",
    "MarkStatus",
    "ParentBehaviour",
    "ParentCredentials",
    "Pupil",
    "ReportCard",
    "ReportCardDetail",
    "ReportComment",
    "ReportGrade",
    "ReportSubject",
    "Reward",
    "RewardShop",
    "SessionState",
    "StudentCredentials",
    "normalise_pupil_code",
]
