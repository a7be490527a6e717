"""Browser tests: the real frontend in Chromium against a real Home Assistant."""

from __future__ import annotations

from collections.abc import Iterator
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_socket

if TYPE_CHECKING:
    from tests.browser.frontend import Stack

if (
    importlib.util.find_spec("playwright") is None
    or not Path("/usr/bin/chromium").exists()
):
    if os.environ.get("CI"):
        msg = (
            "browser tests need playwright and /usr/bin/chromium: scripts/setup_browser"
        )
        raise RuntimeError(msg)
    # A developer without them: the other tests still run.
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override tests/conftest.py's: the real Home Assistant loads the integration."""


@pytest.fixture(autouse=True)
def _loopback(socket_enabled: None) -> None:
    """Real sockets (to 127.0.0.1 only: nothing here has another address)."""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One fake ClassCharts and Home Assistant for the tests of a module."""
    from tests.browser.frontend import start_stack  # noqa: PLC0415

    # Set up before the per-test socket_enabled fixture; Home Assistant's
    # plugin blocks sockets at each test's start.
    pytest_socket.enable_socket()

    started = start_stack(tmp_path_factory.mktemp("browser"))
    try:
        yield started
    finally:
        started.stop()
