"""Small, strict readers for ClassCharts JSON.

Every reader raises ``ShapeError`` with a short description of what was wrong;
the client turns it into a ``ClassChartsResponseError`` naming the endpoint.
The readers absorb the service's known quirks (section 4 of the API notes):
numbers sent as strings, ``""`` for "no value", ``[]`` where an object belongs.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
import math
from typing import Any, Final

from .html import html_to_text

__all__ = [
    "JSONObject",
    "ShapeError",
    "as_list",
    "as_object",
    "flag",
    "html_to_text",
    "integer",
    "optional_float",
    "optional_integer",
    "optional_text",
    "parse_clock",
    "parse_date",
    "parse_datetime",
    "text",
]

type JSONObject = dict[str, Any]

# Dates outside these years are no school's data; refusing them keeps every later
# conversion (to UTC, adding a detention's length) clear of datetime's limits.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2200


class ShapeError(ValueError):
    """A JSON value did not have the shape the client expects."""


def as_object(value: Any, what: str) -> JSONObject:
    """Return ``value`` as an object; an empty list counts as an empty object."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list) and not value:
        return {}
    raise ShapeError(f"{what} should be an object, got {_kind(value)}")


def as_list(value: Any, what: str) -> list[Any]:
    """Return ``value`` as a list; ``null`` counts as an empty list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise ShapeError(f"{what} should be a list, got {_kind(value)}")


def text(obj: JSONObject, key: str) -> str:
    """Read a string field; missing or ``null`` gives ``""``, numbers are accepted."""
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ShapeError(f"{key} should be a string, got {_kind(value)}")


def optional_text(obj: JSONObject, key: str) -> str | None:
    """Read a string field; missing, ``null`` or ``""`` gives ``None``."""
    return text(obj, key) or None


def integer(obj: JSONObject, key: str) -> int:
    """Read a required integer, accepting a numeric string."""
    value = optional_integer(obj, key)
    if value is None:
        raise ShapeError(f"{key} is missing")
    return value


def optional_integer(obj: JSONObject, key: str) -> int | None:
    """Read an integer; missing, ``null``, ``false`` or ``""`` gives ``None``."""
    value = obj.get(key)
    if value is None or value is False or value == "":
        return None
    if isinstance(value, bool):
        raise ShapeError(f"{key} should be a number, got true")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ShapeError(f"{key} should be a whole number, got {_kind(value)}")


def optional_float(obj: JSONObject, key: str) -> float | None:
    """Read a number that may arrive as a string; ``""`` or ``null`` gives ``None``."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise ShapeError(f"{key} should be a number, got {_kind(value)}")
    return number


def flag(obj: JSONObject, key: str) -> bool:
    """Read a boolean flag; ``1``/``"yes"``/``"1"`` count as true, missing as false."""
    value = obj.get(key)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value) if isinstance(value, bool | int) else False


def parse_date(value: Any, what: str) -> date:
    """Parse ``YYYY-MM-DD`` (anything after the date, such as a time, is ignored)."""
    if not isinstance(value, str) or len(value) < 10:  # noqa: PLR2004
        raise ShapeError(f"{what} should be a date, got {_kind(value)}")
    try:
        day = date.fromisoformat(value[:10])
    except ValueError as err:
        raise ShapeError(f"{what} is not a date: {value[:10]!r}") from err
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ShapeError(f"{what} is out of range: {value[:10]!r}")
    return day


def parse_datetime(value: Any, what: str, zone: tzinfo) -> datetime:
    """Parse an ISO date-time; a value without an offset is local time in ``zone``."""
    if not isinstance(value, str):
        raise ShapeError(f"{what} should be a date-time, got {_kind(value)}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise ShapeError(f"{what} is not a date-time: {value[:32]!r}") from err
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ShapeError(f"{what} is out of range: {value[:32]!r}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone)
    return parsed.astimezone(zone)


def parse_clock(value: Any, what: str) -> time:
    """Parse a wall-clock time such as ``"15:20"`` or ``"08:45:00"``."""
    if not isinstance(value, str):
        raise ShapeError(f"{what} should be a time, got {_kind(value)}")
    try:
        return time.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError as err:
        raise ShapeError(f"{what} is not a time: {value[:16]!r}") from err


def _kind(value: Any) -> str:
    """Name a JSON value's type for an error message, without its content."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def text_or_empty(obj: JSONObject, key: str) -> str:
    """A string field, or ``""`` when it is missing or not a string."""
    value = obj.get(key)
    return value if isinstance(value, str) else ""
