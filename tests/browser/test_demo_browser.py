"""The demo's first minutes, as a newcomer meets them: ``scripts/develop``, log in, look.

``scripts/develop`` is started as the README says (its default Home Assistant, the
newest release in the Python 3.14 tree), with a temporary config dir and free
ports so that it never touches a developer's demo. Runs in ``scripts/test``'s
"current-browser" step (CLASSCHARTS_BROWSER_HASS set), the one that has the
Python 3.14 tree; Chromium drives the frontend over loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from dataclasses import dataclass
from datetime import datetime
import errno
import json
import os
from pathlib import Path
import re
import signal
import socket
import subprocess
import time

import aiohttp
from playwright.async_api import Page, async_playwright, expect
import pytest

from tests.browser.frontend import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HASS_PYTHON,
    LONDON,
    VIEWPORT,
    WAIT_MS,
    run_folder,
    settle,
    text_field,
)
from tests.e2e.harness import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    LOOPBACK,
    ROOT,
    HomeAssistantApi,
    free_port,
)
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)
from tests.fake_server.controls import (
    school_holidays,
    show_parent_records,
    tidy_demo_days,
)
from tests.fake_server.models import BEN_ID, school_year_start

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(400),
    pytest.mark.skipif(
        not HASS_PYTHON,
        reason="runs in the Python 3.14 step: scripts/test's current-browser",
    ),
]

DEVELOP = ROOT / "scripts" / "develop"
# The frontend's dialog (2026.11) for an HTTP config that reverts unless confirmed.
CONFIRM_DIALOG = "Confirm new HTTP server configuration"
RUNNING = re.compile(r"Home Assistant is running: (http://127\.0\.0\.1:(\d+))")
# The sensors whose values the newcomer checks on each child's device page.
POINTS = "positive_points_this_school_year"


@dataclass
class Demo:
    """A running ``scripts/develop`` and where it keeps its files."""

    process: subprocess.Popen[bytes]
    config: Path
    out: Path
    err: Path
    port: int

    @property
    def url(self) -> str:
        """Home Assistant's address, as the script prints it."""
        return f"http://{LOOPBACK}:{self.port}"

    def printed(self) -> str:
        """What the script printed so far (stdout, then stderr)."""
        return self.out.read_text(encoding="utf-8", errors="replace") + (
            self.err.read_text(encoding="utf-8", errors="replace")
        )

    def ctrl_c(self) -> None:
        """What a terminal's Ctrl-C does: SIGINT to the script's process group."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """``scripts/develop`` on free ports with a temporary demo-config dir."""
    folder = run_folder(tmp_path)
    config = folder / "demo-config"
    out, err = folder / "develop.out", folder / "develop.err"
    hass_port, fake_port = free_port(), free_port()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603
            # SIGINT as a terminal's job has it: a runner that started these
            # tests in the background may have left it ignored, and a shell
            # started with it ignored cannot trap it (its Ctrl-C would do nothing).
            ["env", "--default-signal=INT,QUIT", str(DEVELOP)],  # noqa: S607
            cwd=ROOT,
            env={
                **os.environ,
                "DEMO_CONFIG": str(config),
                "HASS_PORT": str(hass_port),
                "FAKE_PORT": str(fake_port),
            },
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own group, as a terminal's job
        )
    started = Demo(process, config, out, err, hass_port)
    try:
        yield started
    finally:
        if process.poll() is None:
            started.ctrl_c()
            try:
                process.wait(150)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        stop_left_behind(config)


def stop_left_behind(config: Path) -> None:
    """Stop the fake and Home Assistant of a script that could not (killed hard).

    Each runs in its own process group, listed in ``.develop.pids``; the
    script removes that file once it has stopped them itself.
    """
    pids = config / ".develop.pids"
    if not pids.exists():
        return
    groups = [int(pid) for pid in pids.read_text(encoding="utf-8").split()]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for group in groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, sig)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(g) for g in groups):
            time.sleep(0.2)


def alive(pid: int) -> bool:
    """Whether a process still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until_running(demo: Demo, limit: float) -> str:
    """The address the script prints once Home Assistant is up."""
    deadline = time.monotonic() + limit
    while not (found := RUNNING.search(demo.printed())):
        if demo.process.poll() is not None:
            raise AssertionError(f"scripts/develop ended:\n{demo.printed()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"not running in {limit}s:\n{demo.printed()[-3000:]}")
        time.sleep(0.5)
    assert int(found.group(2)) == demo.port
    return found.group(1)


def demo_positive_points(now: datetime) -> dict[str, int]:
    """Each child's positive points this school year in the demo's data, at ``now``.

    Built as ``tests.fake_server.demo`` builds its school; the scores of the
    points given from 1 September up to ``now`` (the fake never shows later ones).
    """
    server = FakeClassCharts(now.date())
    server.holidays = school_holidays(server.today)
    tidy_demo_days(server)
    show_parent_records(server)
    start = school_year_start(server.today)
    wall = now.replace(tzinfo=None)
    return {
        child: sum(
            a.score
            for a in server.pupils[pupil_id].activity
            if a.type == "behaviour"
            and a.score > 0
            and start <= a.timestamp.date()
            and a.timestamp <= wall
        )
        for child, pupil_id in (("Ada", STUDENT_ID), ("Ben", BEN_ID))
    }


def listening_addresses(port: int) -> set[str]:
    """Where something listens on ``port``, as the system sees it (``ss``)."""
    listed = subprocess.run(  # noqa: S603
        ["ss", "-ltnH", f"sport = :{port}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split()[3] for line in listed.splitlines() if line.strip()}


def refuses(host: str, port: int) -> bool:
    """Whether a connection to host:port is refused (nothing listens there)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, port)) == errno.ECONNREFUSED


def other_addresses() -> list[str]:
    """This machine's addresses other than loopback (the ones a LAN would use)."""
    listed = subprocess.run(
        ["ip", "-o", "addr", "show", "scope", "global"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [line.split()[3].split("/")[0] for line in listed.splitlines()]


async def log_in(page: Page, url: str) -> None:
    """The login page, as a newcomer fills it with the demo's user."""
    await page.goto(url)
    await text_field(page, "Username").fill(DEMO_USERNAME)
    await text_field(page, "Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(re.compile(r"/(lovelace|home)"))


async def test_demo_first_minutes(demo: Demo) -> None:
    """Log in: nothing to confirm, the children's values, loopback only; Ctrl-C."""
    url = wait_until_running(demo, 240)
    assert f"It listens on 127.0.0.1:{demo.port} only" in demo.printed()
    # Loopback only, as the system sees it, and nobody reaches it otherwise.
    assert listening_addresses(demo.port) == {f"{LOOPBACK}:{demo.port}"}
    for address in [*other_addresses(), "::1"]:
        with contextlib.suppress(OSError):  # ::1 where IPv6 is off
            assert refuses(address, demo.port), address

    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        api = HomeAssistantApi(session, url)
        await api.login()
        # No HTTP trial: nothing pending, no revert (the 5-minute restart), the
        # stable config on loopback; no repair about it either.
        assert await api.http_trial_problems(demo.port) == []
        assert await api.http_issues() == []
        stored = json.loads((demo.config / ".storage" / "http").read_text())
        assert stored["data"]["pending"] is None
        # The two logins a newcomer adds (the config flow's own browser test
        # types them; here they are the way in).
        student = await api.add_student(STUDENT_CODE, STUDENT_DOB.isoformat())
        assert student["type"] == "create_entry", student
        parent = await api.add_parent(PARENT_EMAIL, PARENT_PASSWORD)
        assert parent["type"] == "create_entry", parent
        states = await api.states()
        expected = demo_positive_points(datetime.now(LONDON))
        devices = {
            d["name"]: d["id"]
            for d in await api.ws({"type": "config/device_registry/list"})
        }

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
            await log_in(page, url)
            await settle(page, 2)
            await expect(page.get_by_text(CONFIRM_DIALOG)).to_have_count(0)
            for child in ("Ada", "Ben"):
                value = states[f"sensor.{child.lower()}_example_{POINTS}"]["state"]
                assert value == str(expected[child]), (child, value, expected)
                await page.goto(
                    f"{url}/config/devices/device/{devices[f'{child} Example']}"
                )
                row = page.locator("hui-generic-entity-row").filter(
                    has_text="Positive points this school year"
                )
                await expect(row).to_contain_text(value)
            await expect(page.get_by_text(CONFIRM_DIALOG)).to_have_count(0)
        finally:
            await browser.close()

    # Ctrl-C: the script stops Home Assistant, waits for its shutdown, then the fake.
    stopped_at = time.time()
    demo.ctrl_c()
    assert demo.process.wait(150) == 130, demo.printed()[-3000:]
    printed = demo.printed()
    assert "[develop] stopped" in printed
    assert "did not finish its shutdown" not in printed
    assert "ended unexpectedly" not in printed
    # Home Assistant's last write at its stop (its writes were lost before).
    restore = demo.config / ".storage" / "core.restore_state"
    assert restore.stat().st_mtime >= stopped_at - 1
    assert isinstance(json.loads(restore.read_text())["data"], list)
    assert not (demo.config / ".hass_launcher.pid").exists()
    assert listening_addresses(demo.port) == set()
