"""Where the API contract's example answers are: ``shared/`` beside the checkout."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = (
    Path(__file__).resolve().parents[2] / "shared" / "classcharts-api" / "examples"
)
