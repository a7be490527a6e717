"""School announcements: the text, the teacher, attachments, consent and pins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Self

from .parse import (
    as_object,
    flag,
    html_to_text,
    integer,
    parse_datetime,
    text,
    text_or_empty,
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to an announcement: its name and where to fetch it."""

    filename: str
    url: str


@dataclass(frozen=True, slots=True)
class Announcement:
    """A school announcement."""

    id: int
    title: str
    description: str
    teacher: str
    timestamp: datetime
    viewed: bool
    attachments: tuple[Attachment, ...] = ()
    # The school asks parents to give or refuse consent (a trip letter).
    asks_consent: bool = False
    # Pinned to the top by the school ("sticky" or "priority_pinned").
    pinned: bool = False

    @classmethod
    def from_json(cls, value: Any, zone: tzinfo) -> Self:
        """Parse an announcement; its description is HTML."""
        obj = as_object(value, "announcement")
        return cls(
            id=integer(obj, "id"),
            title=text(obj, "title"),
            description=html_to_text(text(obj, "description")),
            teacher=text(obj, "teacher_name"),
            timestamp=parse_datetime(obj.get("timestamp"), "timestamp", zone),
            viewed=text(obj, "state") == "viewed",
            attachments=_attachments(obj.get("attachments")),
            asks_consent=flag(obj, "requires_consent"),
            pinned=flag(obj, "priority_pinned") or flag(obj, "sticky"),
        )


def _attachments(value: Any) -> tuple[Attachment, ...]:
    """The readable attachments; one without a web address is left out, not the post."""
    found: list[Attachment] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        url = text_or_empty(item, "url").strip()
        if not url.lower().startswith(("https://", "http://")):
            continue
        name = text_or_empty(item, "filename").strip() or url.rsplit("/", 1)[-1]
        found.append(Attachment(filename=name, url=url))
    return tuple(found)
