"""A fake ClassCharts server (aiohttp) for the integration's tests."""

from .data import (
    CHILD_IDS,
    PARENT_EMAIL,
    PARENT_ID,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeActivity,
    FakeDetention,
    FakeHomework,
    FakePupil,
)
from .server import FakeClassCharts, LoggedRequest

__all__ = [
    "CHILD_IDS",
    "PARENT_EMAIL",
    "PARENT_ID",
    "PARENT_PASSWORD",
    "STUDENT_CODE",
    "STUDENT_DOB",
    "STUDENT_ID",
    "FakeActivity",
    "FakeClassCharts",
    "FakeDetention",
    "FakeHomework",
    "FakePupil",
    "LoggedRequest",
]
