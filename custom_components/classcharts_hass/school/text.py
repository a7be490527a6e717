"""Text as entities show it: plain, on one line where it must be, and bounded.

Names, titles and reasons arrive as the school typed them, sometimes with
HTML or entities; they are read as HTML once here. Descriptions the client
already turned into text are only bounded, never decoded a second time.
Home Assistant refuses states over 255 characters, and the recorder refuses
attributes over 16 KB, so every text an entity shows has a limit.
"""

from __future__ import annotations

from typing import Final, overload

from ..client.parse import html_to_text

STATE_MAX: Final = 255
ATTRIBUTE_MAX: Final = 300
DESCRIPTION_MAX: Final = 2000
ELLIPSIS: Final = "…"


def bounded(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, with an ellipsis when cut."""
    if len(value) <= limit:
        return value
    return value[: limit - len(ELLIPSIS)] + ELLIPSIS


@overload
def line(value: str, limit: int = ATTRIBUTE_MAX) -> str: ...
@overload
def line(value: str | None, limit: int = ATTRIBUTE_MAX) -> str | None: ...
def line(value: str | None, limit: int = ATTRIBUTE_MAX) -> str | None:
    """A name or title as one line of plain text (``None`` stays ``None``)."""
    if value is None:
        return None
    if "<" in value or "&" in value:
        value = html_to_text(value)
    return bounded(" ".join(value.split()), limit)


def state(value: str | None) -> str | None:
    """A text state within Home Assistant's 255 characters."""
    return line(value, STATE_MAX)


def paragraphs(value: str | None) -> str | None:
    """An already plain description, its line breaks kept, bounded."""
    if not value:
        return None
    return bounded(value, DESCRIPTION_MAX)
