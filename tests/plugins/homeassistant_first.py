"""Import Home Assistant before any other pytest plugin runs.

Home Assistant 2026.11 imports ``httpx`` under a name of its own and refuses to
start when ``httpx`` was imported first. Test plugins (respx, for one, which
pytest-homeassistant-custom-component pulls in) import ``httpx`` while pytest
loads them from their entry points, before any ``conftest.py``. A plugin named
with ``-p`` on the command line is imported before those entry points, so
pyproject.toml's ``addopts`` names this module first.
"""

from __future__ import annotations

import homeassistant.core  # noqa: F401
