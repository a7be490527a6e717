"""Typed models of what a pupil earns and is set: badges, rewards, targets.

Badges and their awards, home behaviours, the reward shop, and the targets the
school sets (custom fields).

Parsed once at the edge, as ``models``: ``from_json`` raises ``ShapeError``
when a value cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Self

from .parse import (
    JSONObject,
    ShapeError,
    as_list,
    as_object,
    flag,
    integer,
    optional_integer,
    parse_datetime,
    text,
)


@dataclass(frozen=True, slots=True)
class BadgeAward:
    """One time a pupil earned a badge: when, and for what."""

    # Awards carry no id of their own: the badge's id and the moment make one
    # (seconds since the epoch, so it grows over time like ClassCharts ids).
    id: int
    badge: str
    timestamp: datetime
    reason: str

    @classmethod
    def from_json(cls, value: Any, badge_id: int, badge: str, zone: tzinfo) -> Self:
        """Parse one ``pupil_badges`` entry of a badge, in either shape.

        Public clients disagree on the shape: one wraps the event's fields in
        ``pupil_event``, two others send them on the award itself. Nobody knows
        which the live service sends, so both are read.
        """
        award = as_object(value, "pupil_badge")
        wrapped = award.get("pupil_event")
        event = award if wrapped is None else as_object(wrapped, "event")
        timestamp = parse_datetime(event.get("timestamp"), "timestamp", zone)
        behaviour = as_object(event.get("lesson_pupil_behaviour") or {}, "behaviour")
        seconds = int(timestamp.timestamp())
        return cls(
            id=seconds * 1_000_000 + badge_id % 1_000_000,
            badge=badge,
            timestamp=timestamp,
            reason=text(behaviour, "reason"),
        )


@dataclass(frozen=True, slots=True)
class Badge:
    """An event badge and each time the pupil earned it."""

    id: int
    name: str
    times_awarded: int
    awards: tuple[BadgeAward, ...] = ()

    @classmethod
    def from_json(cls, value: Any, zone: tzinfo = UTC) -> Self:
        """Parse a badge."""
        obj = as_object(value, "badge")
        awarded = as_list(obj.get("pupil_badges"), "pupil_badges")
        badge_id, name = integer(obj, "id"), text(obj, "name")
        return cls(
            id=badge_id,
            name=name,
            times_awarded=len(awarded),
            awards=tuple(
                BadgeAward.from_json(item, badge_id, name, zone) for item in awarded
            ),
        )


@dataclass(frozen=True, slots=True)
class ParentBehaviour:
    """A home behaviour a parent may award (the school's list)."""

    id: int
    name: str
    limit_reached: bool

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse one entry of ``/parentbehaviours``."""
        obj = as_object(value, "parent behaviour")
        return cls(
            id=integer(obj, "id"),
            name=text(obj, "name"),
            limit_reached=flag(obj, "is_daily_limit_reached"),
        )


@dataclass(frozen=True, slots=True)
class CustomField:
    """A school-defined field, such as a reading age."""

    id: int
    name: str
    value: str

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse one custom field."""
        obj = as_object(value, "custom field")
        return cls(
            id=integer(obj, "id"), name=text(obj, "name"), value=text(obj, "value")
        )


def custom_field_items(data: Any) -> list[Any]:
    """The raw items of ``/customfields``: ``{"note": ..., "fields": [...]}``."""
    return as_list(as_object(data, "data").get("fields"), "fields")


@dataclass(frozen=True, slots=True)
class Reward:
    """An item of the school's reward shop."""

    id: int
    name: str
    price: int
    purchased_count: int

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse a reward; ``purchased_count`` may be ``"2"`` or ``0``."""
        obj = as_object(value, "reward")
        return cls(
            id=integer(obj, "id"),
            name=text(obj, "name"),
            price=optional_integer(obj, "price") or 0,
            purchased_count=optional_integer(obj, "purchased_count") or 0,
        )


@dataclass(frozen=True, slots=True)
class RewardShop:
    """The pupil's reward balance and the shop's items."""

    balance: int | None
    items: list[Reward]

    @staticmethod
    def balance_from(meta: JSONObject) -> int | None:
        """The balance lives in ``meta``; ``meta: []`` leaves it unknown, not 0."""
        try:
            return optional_integer(meta, "pupil_score_balance")
        except ShapeError:
            return None
