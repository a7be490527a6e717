"""Take the README's screenshots from a real Home Assistant in headless Chromium.

Starts its own fake ClassCharts and Home Assistant (as ``scripts/develop`` does,
in a temporary config dir on free ports), creates the owner, and drives Debian's
Chromium with Playwright. Needs ``apt-get install chromium`` and
``pip install playwright`` in the venv (not part of requirements_test.txt).

    .venv/bin/python scripts/screenshots.py [--out docs] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import shutil
import sys
import tempfile
import time
from typing import Any

import aiohttp
from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import (  # noqa: E402
    HomeAssistantApi,
    free_port,
    frontend_packages_missing,
    install_frontend_packages,
    prepare_config,
    start_fake,
    start_hass,
    wait_for_port,
)
from tests.fake_server import (  # noqa: E402
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEBUG = False
VIEWPORT = {"width": 1280, "height": 860}


def dashboard() -> dict[str, Any]:
    """A small dashboard of one pupil's entities."""
    ada = "ada_example"
    return {
        "title": "School",
        "views": [
            {
                "title": "School",
                "path": "school",
                "type": "masonry",
                "cards": [
                    {
                        "type": "entities",
                        "title": "Ada: today",
                        "entities": [
                            {
                                "entity": f"sensor.{ada}_current_lesson",
                                "name": "Current lesson",
                            },
                            {
                                "entity": f"sensor.{ada}_next_lesson",
                                "name": "Next lesson",
                            },
                            {
                                "entity": f"sensor.{ada}_next_lesson_start",
                                "name": "Next lesson starts",
                            },
                            {
                                "entity": f"sensor.{ada}_school_day_end",
                                "name": "School day ends",
                            },
                            {
                                "entity": f"sensor.{ada}_homework_due_today",
                                "name": "Homework due today",
                            },
                            {
                                "entity": f"sensor.{ada}_homework_due_tomorrow",
                                "name": "Homework due tomorrow",
                            },
                            {
                                "entity": f"sensor.{ada}_overdue_homework",
                                "name": "Overdue homework",
                            },
                        ],
                    },
                    {
                        "type": "entities",
                        "title": "Ada: behaviour",
                        "entities": [
                            {
                                "entity": f"sensor.{ada}_positive_points_today",
                                "name": "Positive points today",
                            },
                            {
                                "entity": f"sensor.{ada}_negative_points_today",
                                "name": "Negative points today",
                            },
                            {
                                "entity": f"sensor.{ada}_net_points_this_school_year",
                                "name": "Net points this year",
                            },
                            {
                                "entity": f"sensor.{ada}_pending_detentions",
                                "name": "Pending detentions",
                            },
                            {
                                "entity": f"sensor.{ada}_next_detention",
                                "name": "Next detention",
                            },
                            {
                                "entity": f"sensor.{ada}_attendance",
                                "name": "Attendance",
                            },
                            {
                                "entity": f"sensor.{ada}_reward_balance",
                                "name": "Reward balance",
                            },
                        ],
                    },
                    {"type": "todo-list", "entity": f"todo.{ada}_homework"},
                    {
                        "type": "entities",
                        "title": "Ben (parent account)",
                        "entities": [
                            {
                                "entity": "sensor.ben_example_next_lesson",
                                "name": "Next lesson",
                            },
                            {
                                "entity": "sensor.ben_example_homework_due_this_week",
                                "name": "Homework this week",
                            },
                            {
                                "entity": "sensor.ben_example_net_points_today",
                                "name": "Net points today",
                            },
                            {
                                "entity": "sensor.ben_example_pending_detentions",
                                "name": "Pending detentions",
                            },
                        ],
                    },
                ],
            }
        ],
    }


async def settle(page: Page, seconds: float = 2.0) -> None:
    """Let the frontend finish rendering (it has no 'idle' signal)."""
    await page.wait_for_load_state("networkidle")
    await asyncio.sleep(seconds)


async def shoot(page: Page, out: Path, name: str) -> None:
    """Save a screenshot of the viewport."""
    path = out / name
    await page.screenshot(path=str(path))
    sys.stdout.write(f"  wrote {path}\n")


async def run(out: Path, keep: bool) -> None:
    """Start everything, take the screenshots, stop everything."""
    if frontend_packages_missing():
        install_frontend_packages()
    tmp = Path(tempfile.mkdtemp(prefix="classcharts-screens-"))
    fake_port, hass_port = free_port(), free_port()
    prepare_config(tmp / "config", hass_port)
    fake = start_fake(fake_port, tmp / "fake.log")
    hass = start_hass(tmp / "config", f"http://127.0.0.1:{fake_port}", tmp / "hass.log")
    try:
        await wait_for_port(fake_port, fake, 20)
        async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=30)
        ) as http:
            api = HomeAssistantApi(http, f"http://127.0.0.1:{hass_port}")
            await api.wait_until_up(hass, 90)
            await api.onboard()
            await capture(api, out)
    finally:
        hass.stop(30)
        fake.stop(10)
        if keep:
            sys.stdout.write(f"  kept {tmp}\n")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


async def capture(api: HomeAssistantApi, out: Path) -> None:
    """Log the browser in with the API's token and take every screenshot."""
    url = api.url
    tokens = {
        "access_token": api.token,
        "refresh_token": api.refresh_token,
        "token_type": "Bearer",
        "expires_in": 1800,
        "expires": int(time.time() * 1000) + 1800 * 1000,
        "hassUrl": url,
        "clientId": api.client_id,
    }
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = await browser.new_context(
            viewport=VIEWPORT, device_scale_factor=1, locale="en-GB"
        )
        page = await context.new_page()
        if DEBUG:
            page.on("console", lambda m: sys.stderr.write(f"console: {m.text}\n"))
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived",
                    lambda f: (
                        sys.stderr.write(f"ws< {str(f)[:300]}\n")
                        if '"success":false' in str(f)
                        else None
                    ),
                ),
            )
        try:
            await _capture(api, out, page, url, tokens)
        except Exception:
            await page.screenshot(path=str(out / "failed.png"))
            sys.stderr.write(f"failed on {page.url}; see {out / 'failed.png'}\n")
            raise
        finally:
            await browser.close()


async def _capture(
    api: HomeAssistantApi, out: Path, page: Page, url: str, tokens: dict[str, Any]
) -> None:
    """The screenshots, in order."""
    if True:
        await page.goto(f"{url}/auth/providers")
        await page.evaluate(
            "t => localStorage.setItem('hassTokens', JSON.stringify(t))", tokens
        )

        # 1. The config flow's first step: the menu.
        await page.goto(f"{url}/config/integrations/dashboard")
        await settle(page, 1)
        await page.get_by_text("Add integration").first.click(timeout=30000)
        await settle(page, 1)
        await page.keyboard.type("ClassCharts")
        await settle(page, 1)
        await page.get_by_text("ClassCharts", exact=True).last.click(timeout=30000)
        await page.get_by_text("Who is logging in?").first.wait_for(timeout=30000)
        await settle(page)
        await shoot(page, out, "config-flow-menu.png")

        # Add the two demo accounts the way the dialog would.
        student = await api.add_student(STUDENT_CODE, STUDENT_DOB.isoformat())
        await api.add_parent(PARENT_EMAIL, PARENT_PASSWORD)
        entry_id = student["result"]["entry_id"]

        # 2. The device page of the student's pupil.
        devices = await api.ws({"type": "config/device_registry/list"})
        device = next(d for d in devices if entry_id in d["config_entries"])
        await page.goto(f"{url}/config/devices/device/{device['id']}")
        await page.get_by_text("Ada Example").first.wait_for(timeout=30000)
        await settle(page, 3)
        await shoot(page, out, "device-page.png")

        # 3. A dashboard with the entities.
        await api.ws(
            {
                "type": "lovelace/dashboards/create",
                "url_path": "school-demo",
                "title": "School",
                "icon": "mdi:school",
                "mode": "storage",
                "require_admin": False,
                "show_in_sidebar": True,
            }
        )
        await api.ws(
            {
                "type": "lovelace/config/save",
                "url_path": "school-demo",
                "config": dashboard(),
            }
        )
        await page.goto(f"{url}/school-demo/school")
        await page.get_by_text("Ada: today").first.wait_for(timeout=30000)
        await settle(page, 3)
        await shoot(page, out, "dashboard.png")

        # 4. The timetable in the calendar panel's week view.
        states = await api.states()
        others = [
            e
            for e in states
            if e.startswith("calendar.") and e != "calendar.ada_example_timetable"
        ]
        await page.evaluate(
            "c => localStorage.setItem('deSelectedCalendars', JSON.stringify(c))",
            others,
        )
        await page.goto(f"{url}/calendar")
        await settle(page, 2)
        await page.get_by_role("button", name="Week").first.click(timeout=15000)
        await settle(page, 2)
        await shoot(page, out, "calendar-week.png")

        # 5. The homework to-do list.
        await page.goto(f"{url}/todo?entity_id=todo.ada_example_homework")
        await settle(page, 3)
        await shoot(page, out, "homework-todo.png")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    asyncio.run(run(args.out.resolve(), args.keep))


if __name__ == "__main__":
    main()
