"""Attributes that list a pupil's items, each list bounded for the recorder.

The recorder refuses a state whose attributes pass 16 KB, so every list is cut
at a fixed length and counts the rest in ``not_listed``.
"""

from __future__ import annotations

from typing import Any, Final

from .data import PupilData
from .text import line

MAX_LISTED_ITEMS: Final = 20
MAX_LISTED_ANNOUNCEMENTS: Final = 10
ANNOUNCEMENT_TITLE_MAX: Final = 120
ANNOUNCEMENT_TEACHER_MAX: Final = 60


def badge_list(data: PupilData) -> dict[str, Any]:
    """The earned badges; the list is cut after the unearned ones are dropped."""
    earned = sorted(
        (badge for badge in data.badges or [] if badge.times_awarded),
        key=lambda badge: (badge.name, badge.id),
    )
    return {
        "badges": [
            {"name": line(badge.name), "times_awarded": badge.times_awarded}
            for badge in earned[:MAX_LISTED_ITEMS]
        ],
        "not_listed": max(0, len(earned) - MAX_LISTED_ITEMS),
    }


def announcement_list(data: PupilData) -> dict[str, Any]:
    """The unread announcements, newest first, small enough for the recorder.

    At most 10, with bounded title and teacher: even in 4-byte characters the
    list stays far below the recorder's 16 KB for a state's attributes.
    """
    unread = sorted(
        (a for a in data.announcements or [] if not a.viewed),
        key=lambda a: (a.timestamp, a.id),
        reverse=True,
    )
    return {
        "announcements": [
            {
                "title": line(item.title, ANNOUNCEMENT_TITLE_MAX),
                "date": item.timestamp.date().isoformat(),
                "teacher": line(item.teacher, ANNOUNCEMENT_TEACHER_MAX),
            }
            for item in unread[:MAX_LISTED_ANNOUNCEMENTS]
        ],
        "not_listed": max(0, len(unread) - MAX_LISTED_ANNOUNCEMENTS),
    }
