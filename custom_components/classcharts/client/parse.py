"""Small, strict readers for ClassCharts JSON.

Every reader raises ``ShapeError`` with a short description of what was wrong;
the client turns it into a ``ClassChartsResponseError`` naming the endpoint.
The readers absorb the service's known quirks (section 4 of the API notes):
numbers sent as strings, ``""`` for "no value", ``[]`` where an object belongs.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from html.parser import HTMLParser
from typing import Any

type JSONObject = dict[str, Any]


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
    if isinstance(value, float) and value.is_integer():
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
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            pass
    raise ShapeError(f"{key} should be a number, got {_kind(value)}")


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
        return date.fromisoformat(value[:10])
    except ValueError as err:
        raise ShapeError(f"{what} is not a date: {value[:10]!r}") from err


def parse_datetime(value: Any, what: str, zone: tzinfo) -> datetime:
    """Parse an ISO date-time; a value without an offset is local time in ``zone``."""
    if not isinstance(value, str):
        raise ShapeError(f"{what} should be a date-time, got {_kind(value)}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise ShapeError(f"{what} is not a date-time: {value[:32]!r}") from err
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone)
    try:
        return parsed.astimezone(zone)
    except OverflowError as err:  # e.g. year 1 with a positive offset
        raise ShapeError(f"{what} is out of range: {value[:32]!r}") from err


def parse_clock(value: Any, what: str) -> time:
    """Parse a wall-clock time such as ``"15:20"`` or ``"08:45:00"``."""
    if not isinstance(value, str):
        raise ShapeError(f"{what} should be a time, got {_kind(value)}")
    try:
        return time.fromisoformat(value.strip())
    except ValueError as err:
        raise ShapeError(f"{what} is not a time: {value[:16]!r}") from err


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, with line breaks for block tags."""

    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "ul"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(
        self,
        tag: str,
        attrs: list[tuple[str, str | None]],  # noqa: ARG002
    ) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Turn a ClassCharts HTML description into plain text with tidy line breaks."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).splitlines())
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    return "\n".join(result).strip()


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
