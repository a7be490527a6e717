"""Where the API contract's example answers are: ``shared/`` beside the checkout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES = (
    Path(__file__).resolve().parents[2] / "shared" / "classcharts-api" / "examples"
)


def example(name: str) -> dict[str, Any]:
    """One example answer of the API contract, as JSON."""
    return json.loads((EXAMPLES / f"{name}.json").read_text())
