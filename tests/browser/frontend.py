"""A real Home Assistant, the fake ClassCharts and Debian's Chromium, for browser tests.

Processes come from ``tests/e2e/harness.py`` (as ``scripts/develop`` starts
them). The browser is Playwright driving ``/usr/bin/chromium``, never a
browser Playwright downloads; ``scripts/setup_browser`` installs both.
``scripts/screenshots`` sets ``CLASSCHARTS_SCREENSHOTS`` to a folder, and the
tests then save the README's images there as they pass through each page.

``CLASSCHARTS_BROWSER_HASS`` (set by ``scripts/test``'s "current-browser" step)
is the command that runs Python for Home Assistant, for example
``scripts/py314 run /opt/classcharts/.venv-current/bin/python``: Home Assistant
then runs in the Python 3.14 tree with the current frontend, while the fake
ClassCharts and Chromium stay on the host and reach it over loopback. Its config
folder is then under the checkout (the tree sees only the checkout).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
import math
import os
from pathlib import Path
import re
import shlex
import sys
import tempfile
import time
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from playwright.async_api import Locator, Page, async_playwright, expect

from tests.e2e.harness import (
    ROOT,
    HomeAssistantApi,
    Process,
    free_port,
    launcher_args,
    port_in_use,
    prepare_config,
    start_fake,
    start_hass,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 860}
LONDON = ZoneInfo("Europe/London")
SCREENSHOTS = os.environ.get("CLASSCHARTS_SCREENSHOTS")
HASS_PYTHON = shlex.split(os.environ.get("CLASSCHARTS_BROWSER_HASS", ""))
# Waits in the browser: generous, the two cores are shared with other work.
WAIT_MS = 30_000
# ERROR lines Home Assistant itself logs for what a test does on purpose.
expect.set_options(timeout=WAIT_MS)
ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \S+ (\w+) \((\S+)\) \[([^\]]+)\] ", re.MULTILINE)
# A race in the frontend's own "Add integration" dialog (its virtualised list
# redraws while the search narrows it), reported by the browser to the log.
FRONTEND_RACE = "dialog-add-integration.ts"


@dataclass
class Stack:
    """The fake ClassCharts and Home Assistant of one test module."""

    tmp: Path
    fake_port: int
    hass_port: int
    processes: list[Process] = field(default_factory=list)
    tokens: dict[str, Any] = field(default_factory=dict)

    @property
    def config(self) -> Path:
        """Home Assistant's config dir."""
        return self.tmp / "config"

    @property
    def url(self) -> str:
        """Home Assistant's address."""
        return f"http://127.0.0.1:{self.hass_port}"

    def errors(self) -> list[tuple[str, str]]:
        """(logger, message) of every ERROR in Home Assistant's log so far.

        Leaves out only the frontend's own race in its "Add integration" dialog.
        """
        log = self.config / "home-assistant.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        starts = list(ENTRY.finditer(text))
        found = []
        for match, after in zip(starts, [*starts[1:], None], strict=True):
            entry = text[match.end() : after.start() if after else len(text)]
            if match.group(1) != "ERROR":
                continue
            if match.group(3).startswith("frontend.js") and FRONTEND_RACE in entry:
                continue
            found.append((match.group(3), entry.strip()))
        return found

    def log_lines(self, containing: str) -> list[str]:
        """Lines of Home Assistant's log that contain ``containing``."""
        log = self.config / "home-assistant.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        return [line for line in text.splitlines() if containing in line]

    def stop(self) -> None:
        """Stop every process (Home Assistant first)."""
        for process in reversed(self.processes):
            process.stop(30)


def _wait_for_port(port: int, process: Process, limit: float) -> None:
    deadline = time.monotonic() + limit
    while not port_in_use(port):
        if not process.alive:
            raise RuntimeError(f"{process.name} exited:\n{process.output()[-3000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{process.name} not listening on {port} in {limit}s")
        time.sleep(0.2)


def run_folder(tmp: Path) -> Path:
    """Where a stack keeps its files: ``tmp``, or under the checkout for the tree."""
    if not HASS_PYTHON:
        return tmp
    runs = ROOT / ".browser-runs"
    runs.mkdir(exist_ok=True)
    # Never committed, whatever the checkout's .gitignore says.
    (runs / ".gitignore").write_text("*\n", encoding="utf-8")
    return Path(tempfile.mkdtemp(dir=runs))


def start_home_assistant(
    config: Path, fake_url: str, log_path: Path, env: dict[str, str] | None = None
) -> Process:
    """Home Assistant on this Python, or in the Python 3.14 tree (HASS_PYTHON)."""
    if not HASS_PYTHON:
        if not env:
            return start_hass(config, fake_url, log_path)
        python = [sys.executable]
    else:
        python = [*HASS_PYTHON]
        if not Path(python[0]).is_absolute() and (ROOT / python[0]).exists():
            python[0] = str(ROOT / python[0])
    return Process(
        "Home Assistant",
        [*python, *launcher_args(config)],
        log_path,
        env={
            "CLASSCHARTS_BASE_URL": fake_url,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        },
    )


def start_stack(tmp: Path) -> Stack:
    """Start both processes and create the owner (blocking; for a fixture)."""
    tmp = run_folder(tmp)
    stack = Stack(tmp=tmp, fake_port=free_port(), hass_port=free_port())
    prepare_config(stack.config, stack.hass_port)
    try:
        fake = start_fake(
            stack.fake_port,
            tmp / "fake.log",
            today=datetime.now(LONDON).date().isoformat(),
        )
        stack.processes.append(fake)
        _wait_for_port(stack.fake_port, fake, 30)
        hass = start_home_assistant(
            stack.config, f"http://127.0.0.1:{stack.fake_port}", tmp / "hass.out"
        )
        stack.processes.append(hass)
        _wait_for_port(stack.hass_port, hass, 120)
        # Not asyncio.run: it would unset the thread's event loop, which the
        # per-test fixtures of Home Assistant's pytest plugin then look up.
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(_onboard(stack, hass))
        finally:
            loop.close()
    except BaseException:
        stack.stop()
        raise
    return stack


async def _onboard(stack: Stack, hass: Process) -> None:
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=30)
    ) as session:
        api = HomeAssistantApi(session, stack.url)
        await api.wait_until_up(hass, 120)
        await api.onboard()
        stack.tokens = {
            "access_token": api.token,
            "refresh_token": api.refresh_token,
            "token_type": "Bearer",
            "expires_in": 1800,
            "expires": int(time.time() * 1000) + 1800 * 1000,
            "hassUrl": stack.url,
            "clientId": api.client_id,
        }


@contextlib.asynccontextmanager
async def api_of(stack: Stack) -> AsyncIterator[HomeAssistantApi]:
    """Home Assistant's REST and websocket APIs with the owner's token."""
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=30)
    ) as session:
        api = HomeAssistantApi(session, stack.url)
        api.token = stack.tokens["access_token"]
        api.refresh_token = stack.tokens["refresh_token"]
        yield api


@contextlib.asynccontextmanager
async def browser_page(stack: Stack) -> AsyncIterator[Page]:
    """A logged-in page of the frontend in headless Chromium (en-GB)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context(
                viewport=VIEWPORT, device_scale_factor=1, locale="en-GB"
            )
            context.set_default_timeout(WAIT_MS)
            page = await context.new_page()
            await page.goto(f"{stack.url}/auth/providers")
            await page.evaluate(
                "t => localStorage.setItem('hassTokens', JSON.stringify(t))",
                stack.tokens,
            )
            try:
                yield page
            except BaseException:
                with contextlib.suppress(Exception):
                    await page.screenshot(path=str(stack.tmp / "failed.png"))
                raise
        finally:
            await browser.close()


async def settle(page: Page, seconds: float = 1.0) -> None:
    """Let the frontend finish drawing (it has no 'idle' signal)."""
    with contextlib.suppress(Exception):
        await page.wait_for_load_state("networkidle", timeout=10_000)
    await asyncio.sleep(seconds)


async def shoot(page: Page, name: str, part: Locator | None = None) -> None:
    """Save a README image when ``scripts/screenshots`` asked for them.

    ``part`` takes only that element, whole: the window grows to hold it, as
    scrolling it into view would slide it under the page's sticky header.
    """
    if not SCREENSHOTS:
        return
    path = str(Path(SCREENSHOTS) / name)
    if part is None:
        await settle(page, 1.5)
        await page.screenshot(path=path)
        return
    box, size = await part.bounding_box(), page.viewport_size
    if box is not None and size is not None:
        bottom = math.ceil(box["y"] + box["height"]) + 16
        await page.set_viewport_size({**size, "height": max(size["height"], bottom)})
    await settle(page, 1.5)
    await part.screenshot(path=path)


async def open_add_integration(page: Page, stack: Stack) -> None:
    """Settings > Devices & services > Add integration > ClassCharts."""
    await page.goto(f"{stack.url}/config/integrations/dashboard")
    await page.get_by_role("button", name="Add integration").click()
    # A labelled field up to 2026.2, a placeholder only from 2026.10.
    search = "Search for a brand name"
    await (
        page.get_by_label(search)
        .or_(page.get_by_placeholder(search))
        .fill("ClassCharts")
    )
    # In the dialog: with an entry the page behind it has a "ClassCharts" card.
    dialog = page.locator("dialog-add-integration")
    await dialog.get_by_text("ClassCharts", exact=True).last.click()
    await page.get_by_text("Who is logging in?").first.wait_for()


def text_field(page: Page | Locator, label: str) -> Locator:
    """A text field (or area) in ``page`` by its label (from 2026.10 it ends in "*")."""
    return page.get_by_role("textbox", name=label)


async def submit(page: Page) -> None:
    """Press the form's Submit button."""
    await page.get_by_role("button", name="Submit").click()


def record_frames(page: Page, *containing: str) -> list[str]:
    """Websocket messages to and from the page that contain one of ``containing``.

    Filled as they pass, from before the page's next ``goto``: a failed wait
    then says whether the frontend sent its call and what came back.
    """
    frames: list[str] = []

    def keep(direction: str, payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode(errors="replace")
        if any(part in text for part in containing):
            frames.append(f"{time.strftime('%H:%M:%S')} {direction} {text[:600]}")

    page.on(
        "websocket",
        lambda ws: (
            ws.on("framesent", lambda payload: keep("sent", payload)),
            ws.on("framereceived", lambda payload: keep("received", payload)),
        ),
    )
    return frames


async def wait_until(what: str, check: Any, limit: float = 30.0) -> Any:
    """Await ``check()`` until it is truthy."""
    deadline = time.monotonic() + limit
    while not (result := await check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit}s waiting for {what}")
        await asyncio.sleep(0.3)
    return result
