"""Announcements, badges, custom fields and rewards seeded for the fake pupils."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from .models import PARENT_NAME, SCHOOL_NAME, school_year_start

if TYPE_CHECKING:
    from .models import FakePupil


def _iso0(day: date, clock: str = "00:00:00") -> str:
    return f"{day.isoformat()}T{clock}+00:00"


def seed_extras(ada: FakePupil, ben: FakePupil, today: date) -> None:
    """Give Ada and Ben announcements, badges, custom fields, rewards and parent behaviours."""
    base = {
        "school_name": SCHOOL_NAME,
        "attachments": [],
        "for_pupils": [],
        "comment_visibility": "none",
        "allow_comments": "no",
        "allow_reactions": "no",
        "allow_consent": "no",
        "priority_pinned": "no",
        "requires_consent": "no",
        "can_change_consent": False,
        "consent": None,
        "pupil_consents": [],
    }
    ada.announcements = [
        {
            "id": 990001,
            "title": "Non-uniform day",
            "description": "<p>Friday is non-uniform day.</p>",
            "teacher_name": "Mrs K Example",
            "school_logo": "https://example.invalid/logo.png",
            "sticky": "no",
            "state": "viewed",
            "timestamp": _iso0(today - timedelta(days=3), "08:30:00"),
            **base,
        },
        {
            **base,
            "id": 990002,
            "title": "Trip consent",
            "description": None,
            "teacher_name": "Mr P Example",
            "school_logo": None,
            "sticky": "yes",
            "state": None,
            "timestamp": _iso0(today - timedelta(days=1), "12:00:00"),
            "attachments": [
                {
                    "filename": "letter.pdf",
                    "url": "https://example.invalid/a/letter.pdf",
                }
            ],
            "for_pupils": [ada.name],
            "allow_consent": "yes",
            "requires_consent": "yes",
            "can_change_consent": True,
            "consent": {
                "consent_given": "yes",
                "comment": None,
                "parent_name": PARENT_NAME,
            },
            "pupil_consents": [
                {
                    "pupil": {
                        "id": str(ada.id),
                        "first_name": ada.first_name,
                        "last_name": ada.last_name,
                    },
                    "can_change_consent": True,
                    "consent": {
                        "consent_given": "yes",
                        "comment": None,
                        "parent_name": PARENT_NAME,
                    },
                }
            ],
        },
    ]
    ben.announcements = [
        {
            "id": 990003,
            "title": "Year 7 disco",
            "description": "<p>Tickets on sale now.</p>",
            "teacher_name": "Ms Q Example",
            "school_logo": None,
            "sticky": "no",
            "state": None,
            "timestamp": _iso0(today - timedelta(days=2), "09:15:00"),
            **base,
        },
    ]
    stamp = _iso0(today - timedelta(days=4), "11:02:00")
    ada.badges = [
        {
            "id": 31001,
            "name": "Star Reader",
            "icon": "star",
            "colour": "#f5b301",
            "created_date": _iso0(school_year_start(today)),
            "pupil_badges": [
                {
                    "pupil_event": {
                        "timestamp": stamp,
                        "lesson_pupil_behaviour": {
                            "reason": "Reading",
                            "score": 1,
                            "icon": "book",
                            "polarity": "positive",
                            "timestamp": stamp,
                            "teacher": {
                                "title": "Ms",
                                "first_name": "Rita",
                                "last_name": "Example",
                            },
                        },
                        "event": {"label": "Star Reader"},
                    }
                }
            ],
            "icon_url": "https://example.invalid/badges/star.png",
        }
    ]
    ada.custom_fields = {
        "note": "Targets set by the school",
        "fields": [
            {
                "id": 77001,
                "name": "Reading age",
                "graphic": "#3a7bd5",
                "value": "13y 2m",
            },
            {
                "id": 77002,
                "name": "Target grade (Maths)",
                "graphic": "#000000",
                "value": "6",
            },
        ],
    }
    ben.custom_fields = {
        "note": "",
        "fields": [
            {
                "id": 77001,
                "name": "Reading age",
                "graphic": "#3a7bd5",
                "value": "11y 9m",
            }
        ],
    }
    ada.score_balance = 42
    ada.rewards = [
        {
            "id": 6601,
            "name": "Lunch queue pass",
            "description": "Skip the queue once",
            "photo": "https://example.invalid/r/pass.png",
            "price": 30,
            "stock_control": False,
            "stock": 0,
            "can_purchase": True,
            "unable_to_purchase_reason": "",
            "once_per_pupil": False,
            "purchased": True,
            "purchased_count": "2",
            "price_balance_difference": 0,
        },
        {
            "id": 6602,
            "name": "Hoodie",
            "description": "Leavers hoodie",
            "photo": "https://example.invalid/r/hoodie.png",
            "price": 500,
            "stock_control": True,
            "stock": 4,
            "can_purchase": False,
            "unable_to_purchase_reason": "Insufficient balance",
            "once_per_pupil": True,
            "purchased": False,
            "purchased_count": 0,
            "price_balance_difference": 458,
        },
    ]
    ben.score_balance = 7
    behaviours = [
        {
            "id": 501001,
            "name": "Helpful at home",
            "icon_url": "https://example.invalid/icons/helpful.png",
            "is_daily_limit_reached": False,
        },
        {
            "id": 501002,
            "name": "Reading",
            "icon_url": "https://example.invalid/icons/reading.png",
            "is_daily_limit_reached": True,
        },
    ]
    ada.parent_behaviours = [dict(b) for b in behaviours]
    ben.parent_behaviours = [dict(behaviours[0])]
