"""The schema library of the running Home Assistant, under one name: ``vol``.

Home Assistant validates with probatio from 2026.10 (API-compatible with
voluptuous, which it then stands in for) and with voluptuous before. Both build
the same schemas at run time; their static types differ, and Home Assistant's
signatures name its own. Importing ``vol`` from here gives mypy the library the
installed Home Assistant uses: ``scripts/test`` tells it which with
``--always-true PROBATIO`` or ``--always-false PROBATIO``, and the other branch
is not type-checked.
"""

from __future__ import annotations

from importlib.util import find_spec

PROBATIO = find_spec("probatio") is not None

if PROBATIO:
    import probatio as vol
else:
    import voluptuous as vol

__all__ = ["vol"]
