"""What the client saw: the shape of each endpoint's last answer, and dropped items.

Shapes hold keys and JSON types and list lengths, never a value, so they can go
into diagnostics: an object's keys that are not plain field names (dates,
reason names, anything a school or child typed) are shown as ``"<key>"``.
"""

from __future__ import annotations

from collections import Counter
import logging
import re
from typing import TYPE_CHECKING, Any, Final

from .parse import ShapeError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

_LOGGER = logging.getLogger(__package__)

_MAX_DEPTH: Final = 6
_MAX_KEYS: Final = 60
_FIELD_NAME: Final = re.compile(r"[a-z_][a-z0-9_]{0,39}")
# What parsing one item may raise; anything else is a bug and is not hidden.
ITEM_ERRORS: Final = (
    ShapeError,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    OverflowError,
)


def shape(value: Any, depth: int = 0) -> Any:
    """Describe a JSON value by its types only."""
    if isinstance(value, dict):
        if depth >= _MAX_DEPTH:
            return f"object({len(value)})"
        described: dict[str, Any] = {}
        for key in list(value)[:_MAX_KEYS]:
            name = key if _FIELD_NAME.fullmatch(key) else "<key>"
            if name not in described:
                described[name] = shape(value[key], depth + 1)
        return described
    if isinstance(value, list):
        if not value or depth >= _MAX_DEPTH:
            return f"list({len(value)})"
        return {f"list({len(value)})": shape(value[0], depth + 1)}
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


class Tally:
    """Shapes of the last answers and counts of items that could not be read."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        self.shapes: dict[str, Any] = {}
        self.dropped: Counter[str] = Counter()

    def saw(self, call: str, payload: Any) -> None:
        """Keep the shape of a call's answer."""
        self.shapes[call] = shape(payload)

    def items[T](
        self, call: str, values: Iterable[Any], parse: Callable[[Any], T]
    ) -> list[T]:
        """Parse every item; skip and count those that cannot be read.

        A list where every item is bad is an error: the answer is not what the
        client understands, and an empty list would be a lie.
        """
        parsed: list[T] = []
        first: Exception | None = None
        bad = 0
        for value in values:
            try:
                parsed.append(parse(value))
            except ITEM_ERRORS as err:
                bad += 1
                first = first or err
        if bad and not parsed:
            msg = f"none of the {bad} items could be read ({first})"
            raise ShapeError(msg)
        if bad:
            if call not in self.dropped:
                # Once per call kind: a school's odd item must not flood the log.
                _LOGGER.warning(
                    "%s: skipped %s of %s items ClassCharts sent (%s)",
                    call,
                    bad,
                    bad + len(parsed),
                    first,
                )
            self.dropped[call] += bad
        return parsed

    def as_dict(self) -> dict[str, Any]:
        """The shapes and dropped counts, for diagnostics."""
        return {"shapes": dict(self.shapes), "dropped": dict(self.dropped)}
