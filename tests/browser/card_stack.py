"""A school at a chosen moment, for the card's browser tests.

The fake ClassCharts (``fake_school.py``) and Home Assistant run under
libfaketime with the same offset, and Chromium's clock (Playwright's) is set to
the same moment: all three agree on "now", whatever the real date and time,
and each then runs at normal speed. So a test can stand on a Tuesday morning a
minute before the bell, on a Saturday, or in the Easter holidays.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
import shutil
import sys
import time
from typing import Any

import aiohttp
import libfaketime
from playwright.async_api import ConsoleMessage, Page, Route, async_playwright

from tests.browser.frontend import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LONDON,
    VIEWPORT,
    WAIT_MS,
    Stack,
    _onboard,
    _wait_for_port,
    api_of,
    run_folder,
    start_home_assistant,
)
from tests.e2e.harness import INTEGRATION, Process, free_port, prepare_config
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
)

LIBFAKETIME = (
    Path(libfaketime.__file__).parent / "vendor/libfaketime/src/libfaketime.so.1"
)
CARD = "custom:classcharts-card"


@dataclass
class School:
    """A stack whose clocks all stand at ``at`` when it starts."""

    stack: Stack
    control_port: int
    offset: float  # seconds added to the real clock
    devices: dict[str, str] = field(default_factory=dict)  # first name -> device id

    def now(self) -> datetime:
        """The faked "now" (the same in every process)."""
        return datetime.fromtimestamp(time.time() + self.offset, UTC).astimezone(LONDON)

    async def requests(self) -> list[dict[str, str]]:
        """Every API request the fake ClassCharts received so far."""
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{self.control_port}/requests") as answer,
        ):
            answer.raise_for_status()
            return list(await answer.json())

    async def add(self, kind: str, pupil: str, *args: str) -> None:
        """Add a behaviour point, homework, ... in the fake ClassCharts now."""
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"http://127.0.0.1:{self.control_port}/add",
                json={"kind": kind, "pupil": pupil, "args": list(args)},
            ) as answer,
        ):
            answer.raise_for_status()


def start_school(tmp: Path, at: datetime) -> School:
    """Start the fake and Home Assistant with their clocks at ``at`` (blocking)."""
    tmp = run_folder(tmp)
    offset = round(at.timestamp() - time.time())
    so = tmp / LIBFAKETIME.name  # inside the checkout for the Python 3.14 tree
    shutil.copyfile(LIBFAKETIME, so)
    clock = {
        "LD_PRELOAD": str(so),
        "FAKETIME": f"{offset:+d}",
        # asyncio's timers stay on the real monotonic clock.
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "FAKETIME_DONT_RESET": "1",
    }
    stack = Stack(tmp=tmp, fake_port=free_port(), hass_port=free_port())
    school = School(stack=stack, control_port=free_port(), offset=offset)
    prepare_config(stack.config, stack.hass_port)
    try:
        fake = Process(
            "fake ClassCharts",
            [
                sys.executable,
                "-m",
                "tests.browser.fake_school",
                "--port",
                str(stack.fake_port),
                "--control-port",
                str(school.control_port),
                "--today",
                at.date().isoformat(),
            ],
            tmp / "fake.log",
            env=clock,
        )
        stack.processes.append(fake)
        _wait_for_port(school.control_port, fake, 30)
        hass = start_home_assistant(
            stack.config, f"http://127.0.0.1:{stack.fake_port}", tmp / "hass.out", clock
        )
        stack.processes.append(hass)
        _wait_for_port(stack.hass_port, hass, 180)
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(_onboard(stack, hass))
            loop.run_until_complete(_logins(school))
        finally:
            loop.close()
    except BaseException:
        stack.stop()
        raise
    return school


async def _logins(school: School) -> None:
    """Ada's student login and the parent login (Ben; Ada is unticked there)."""
    async with api_of(school.stack) as api:
        student = await api.add_student(STUDENT_CODE, STUDENT_DOB.isoformat())
        assert student["type"] == "create_entry", student
        parent = await api.add_parent(PARENT_EMAIL, PARENT_PASSWORD)
        assert parent["type"] == "create_entry", parent
        devices = await api.ws({"type": "config/device_registry/list"})
    for device in devices:
        if device["name"] in {"Ada Example", "Ben Example"}:
            school.devices[device["name"].split()[0]] = device["id"]


async def save_dashboard(
    school: School, url_path: str, cards: list[dict[str, Any]]
) -> None:
    """A dashboard (created once) holding ``cards`` in one masonry view."""
    async with api_of(school.stack) as api:
        dashboards = await api.ws({"type": "lovelace/dashboards/list"})
        if url_path not in {d["url_path"] for d in dashboards}:
            await api.ws(
                {
                    "type": "lovelace/dashboards/create",
                    "url_path": url_path,
                    "title": "Card",
                    "mode": "storage",
                    "require_admin": False,
                    "show_in_sidebar": False,
                }
            )
        await api.ws(
            {
                "type": "lovelace/config/save",
                "url_path": url_path,
                "config": {"views": [{"title": "Day", "path": "day", "cards": cards}]},
            }
        )


# The frontend's own view transition, rejected when the page changes theme or
# view before it ran (its bundle, not ours); its logger then fails to parse
# that rejection (not an Error) and says so.
SKIPPED_TRANSITION = "Transition was skipped"
UNPARSED_REJECTION = "Failure writing unhandled promise rejection to system log"
# Up to 2026.2 the frontend shows integrations' icons from Home Assistant's
# brands site, which this machine cannot reach: the integration's own brand
# images (the ones published there) answer instead.
BRANDS = "https://brands.home-assistant.io/**"
BRAND_FOLDER = INTEGRATION / "brand"


async def _brand_image(route: Route) -> None:
    name = route.request.url.rsplit("/", 1)[-1]
    image = BRAND_FOLDER / name
    await route.fulfill(path=image if image.is_file() else BRAND_FOLDER / "icon.png")


def _frontend_noise(message: ConsoleMessage) -> bool:
    """A console error that is the frontend's own, or the test page's."""
    url = str(message.location.get("url"))
    # The browser asks for a favicon of the JSON page the tokens are stored
    # from; Home Assistant has none there.
    if url.endswith("/favicon.ico"):
        return True
    return "/frontend_latest/" in url and (
        message.text == SKIPPED_TRANSITION
        or message.text.startswith(UNPARSED_REJECTION)
    )


@dataclass
class Browser:
    """A logged-in page and what its console reported."""

    page: Page
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # answers >= 400, by URL


@contextlib.asynccontextmanager
async def card_page(
    school: School,
    *,
    viewport: dict[str, int] | None = None,
    dark: bool = False,
) -> AsyncIterator[Browser]:
    """Chromium on the school's clock, logged in, console errors collected."""
    stack = school.stack
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context(
                viewport=viewport or VIEWPORT,  # type: ignore[arg-type]
                device_scale_factor=1,
                locale="en-GB",
                timezone_id="Europe/London",
                color_scheme="dark" if dark else "light",
            )
            context.set_default_timeout(WAIT_MS)
            page = await context.new_page()
            seen = Browser(page)
            await context.route(BRANDS, _brand_image)
            page.on(
                "console",
                lambda m: (
                    seen.errors.append(f"{m.text} ({m.location.get('url')})")
                    if m.type == "error" and not _frontend_noise(m)
                    else None
                ),
            )
            page.on(
                "pageerror",
                lambda e: (
                    seen.errors.append(str(e)) if str(e) != SKIPPED_TRANSITION else None
                ),
            )
            page.on(
                "response",
                lambda r: (
                    seen.failed.append(f"{r.status} {r.url}")
                    if r.status >= 400
                    else None
                ),
            )
            await page.clock.install(time=school.now())
            await page.goto(f"{stack.url}/auth/providers")
            await page.evaluate(
                "t => localStorage.setItem('hassTokens', JSON.stringify(t))",
                stack.tokens,
            )
            try:
                yield seen
            except BaseException:
                with contextlib.suppress(Exception):
                    await page.screenshot(path=str(stack.tmp / "failed.png"))
                raise
        finally:
            await browser.close()


async def open_dashboard(page: Page, url: str) -> None:
    """Open a dashboard page; its cards draw once the card's module has run."""
    await page.goto(url)
    # In the registry the frontend reads (it swaps window.customElements as it
    # boots, after which it defines <home-assistant>): what a dashboard looks up.
    await page.wait_for_function(
        "() => customElements.get('home-assistant')"
        " && customElements.get('classcharts-card')"
    )
