"""HTML fragments as the text a browser shows, in time linear in the input.

The standard library's ``HTMLParser`` can raise on odd markup and runs in
quadratic time on some inputs (thousands of unterminated ``<!--``), which
blocked the event loop for seconds. This scanner only ever moves forward:
every ``find`` starts where the previous one ended, and an unterminated
comment or tag swallows the rest of the input, as it does in a browser.
"""

from __future__ import annotations

import html
import re
from typing import Final

# Longer descriptions are cut: no school writes a homework of a quarter megabyte,
# and the text ends up in Home Assistant states and to-do items.
MAX_HTML_CHARS: Final = 256 * 1024
MAX_TEXT_CHARS: Final = 32 * 1024

# Blocks a browser separates with a gap (a blank line in plain text)...
_PARAGRAPHS: Final = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre"}
)
# ...and those that only start a new line.
_LINES: Final = frozenset({"br", "div", "li", "tr", "dt", "dd", "hr"})
# Their content is not shown at all.
_HIDDEN: Final = frozenset({"script", "style", "head", "title", "template"})

_TAG_NAME: Final = re.compile(r"/?\s*([a-zA-Z][a-zA-Z0-9]*)")
_SPACE: Final = re.compile(r"\s+")
_LINE: Final = "\n"
_GAP: Final = "\n\n"


def html_to_text(source: str) -> str:
    """Plain text of an HTML fragment: whitespace collapsed, one blank line at most."""
    source = source[:MAX_HTML_CHARS]
    lowered = source.lower()  # once: searching for "</script" must stay linear
    out: list[str] = []
    position = 0
    size = len(source)
    while position < size:
        opening = source.find("<", position)
        if opening < 0:
            _add_text(out, source[position:])
            break
        _add_text(out, source[position:opening])
        if source.startswith("<!--", opening):
            end = source.find("-->", opening + 4)
            position = size if end < 0 else end + 3
            continue
        closing = source.find(">", opening + 1)
        if closing < 0:
            break  # an unterminated tag: a browser shows nothing of it
        match = _TAG_NAME.match(source, opening + 1, closing)
        position = closing + 1
        if match is None:
            continue  # "<!DOCTYPE", "<?xml", "< 3" and the like
        name = match.group(1).lower()
        is_end = source[opening + 1] == "/"
        if name in _HIDDEN and not is_end:
            end = lowered.find(f"</{name}", position)
            position = size if end < 0 else end
            continue
        if name in _PARAGRAPHS:
            out.append(_GAP)
        elif name in _LINES:
            out.append(_LINE)
            if name == "li" and not is_end:
                out.append("- ")
    return _tidy(out)


def _add_text(out: list[str], raw: str) -> None:
    if raw:
        out.append(_SPACE.sub(" ", html.unescape(raw)))


def _tidy(parts: list[str]) -> str:
    """Join the pieces: breaks between two texts merge into the strongest one."""
    lines: list[str] = []
    current = ""
    pending = ""
    for part in parts:
        if part in (_LINE, _GAP):
            if current.strip() or lines:
                pending = _GAP if _GAP in (pending, part) else _LINE
            continue
        if not part.strip():
            if not pending:
                current += part  # a space between two words of one line
            continue
        if pending:
            lines.append(current.strip())
            if pending == _GAP:
                lines.append("")
            current, pending = "", ""
        current += part
    lines.append(current.strip())
    text = "\n".join(lines).strip()
    if len(text) > MAX_TEXT_CHARS:
        text = text[: MAX_TEXT_CHARS - 1].rstrip() + "\u2026"
    return text
