"""The integration's pages in the real frontend: to-do list, calendar, dashboard."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
import re
import time
from typing import Any

from playwright.async_api import Locator, Page, expect
import pytest
import pytest_asyncio
import yaml

from tests.browser.frontend import (
    Stack,
    api_of,
    browser_page,
    record_frames,
    settle,
    shoot,
    wait_until,
)
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

TODO = "todo.ada_example_homework"
DASHBOARD = Path(__file__).parents[2] / "docs" / "dashboard.yaml"
REFUSED = "The description and due date of a homework come from the teacher"


@pytest_asyncio.fixture
async def logins(stack: Stack) -> AsyncIterator[None]:
    """Ada's student login and the parent login (Ben; Ada is unticked there)."""
    async with api_of(stack) as api:
        if not await api.get(
            "/api/config/config_entries/entry", domain="classcharts_hass"
        ):
            student = await api.add_student(STUDENT_CODE, STUDENT_DOB.isoformat())
            assert student["type"] == "create_entry", student
            parent = await api.add_parent(PARENT_EMAIL, PARENT_PASSWORD)
            assert parent["type"] == "create_entry", parent
            assert len(parent["options"]["excluded_pupils"]) == 1
    yield


async def homework(stack: Stack) -> dict[str, dict[str, Any]]:
    """Ada's homework items by summary, as Home Assistant has them now."""
    async with api_of(stack) as api:
        result = await api.post(
            "/api/services/todo/get_items?return_response",
            {"entity_id": TODO},
        )
    items = result["service_response"][TODO]["items"]
    return {item["summary"]: item for item in items}


async def open_list(page: Page, stack: Stack) -> None:
    """The To-do lists panel on Ada's homework."""
    await page.goto(f"{stack.url}/todo?entity_id={TODO}")
    await expect(page.get_by_text("Mathematics: Algebra starter")).to_be_visible()


def tick_box(within: Locator) -> Locator:
    """The first checkbox to click in ``within``.

    From 2026.10 the box is an ``ha-checkbox`` whose drawn control covers its
    input: a click goes to the element; before, to the input itself.
    """
    return within.locator("ha-checkbox").or_(within.get_by_role("checkbox")).first


def item_checkbox(page: Page, summary: str) -> Locator:
    """The checkbox of a list item."""
    return tick_box(page.locator("ha-check-list-item").filter(has_text=summary))


async def status_is(stack: Stack, summary: str, status: str) -> bool:
    """Whether the homework has that status in Home Assistant."""
    return (await homework(stack))[summary]["status"] == status


def update_calls(frames: list[str]) -> list[str]:
    """The ``todo.update_item`` calls the page sent, of the frames recorded."""
    return [f for f in frames if " sent " in f and "update_item" in f]


async def wait_for_calls(frames: list[str], count: int, limit: float = 10) -> bool:
    """Whether the page has sent ``count`` update calls within ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while len(update_calls(frames)) < count:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


def unexpected_errors(stack: Stack) -> list[tuple[str, str]]:
    """ERRORs in Home Assistant's log other than a refused edit's report.

    Home Assistant's websocket API logs every ServiceValidationError at ERROR
    (``websocket_api/commands.py``), whoever raised it; a refused edit is one.
    """
    return [
        (logger, message)
        for logger, message in stack.errors()
        if not (
            logger.startswith("homeassistant.components.websocket_api")
            and REFUSED in message
        )
    ]


@pytest.mark.usefixtures("logins")
async def test_tick_from_the_list(stack: Stack) -> None:
    """The list's own checkbox ticks the homework in ClassCharts."""
    summary = "Mathematics: Algebra starter"
    assert await status_is(stack, summary, "needs_action")
    async with browser_page(stack) as page:
        frames = record_frames(page, "update_item", summary, '"success":false')
        await open_list(page, stack)
        await shoot(page, "homework-todo.png")
        for what, status in (("the tick", "completed"), ("the untick", "needs_action")):
            calls = len(update_calls(frames))
            await item_checkbox(page, summary).click()
            if not await wait_for_calls(frames, calls + 1):
                # The frontend's list sent nothing: the click was lost there (it
                # redraws items as they change sections). Again, as a person would.
                await item_checkbox(page, summary).click()
            try:
                await wait_until(what, lambda s=status: status_is(stack, summary, s))
            except AssertionError as err:  # say where it was lost
                log = stack.log_lines("classcharts")
                raise AssertionError(
                    f"{err}; frames: {frames}; log: {log[-30:]}"
                ) from err
    assert unexpected_errors(stack) == []
    assert stack.errors() == []


@pytest.mark.usefixtures("logins")
async def test_tick_from_the_edit_dialog(stack: Stack) -> None:
    """Clicking the homework opens "Edit item"; ticking there and saving works."""
    items = await homework(stack)
    summary = next(
        s
        for s, i in items.items()
        if i["status"] == "needs_action" and i.get("description")
    )
    async with browser_page(stack) as page:
        await open_list(page, stack)
        await page.get_by_text(summary, exact=True).click()
        dialog = page.locator("dialog-todo-item-editor")
        await expect(dialog.get_by_text("Edit item").first).to_be_visible()
        await tick_box(dialog).click()
        await expect(dialog.get_by_role("checkbox").first).to_be_checked()
        await dialog.get_by_role("button", name="Save item").click()
        await expect(dialog.get_by_text("Edit item")).to_be_hidden()
        await wait_until("the tick", lambda: status_is(stack, summary, "completed"))
    assert stack.errors() == []


@pytest.mark.usefixtures("logins")
async def test_real_edit_is_refused_in_the_dialog(stack: Stack) -> None:
    """Changing the description: our own message, and nothing changes."""
    items = await homework(stack)
    summary, item = next(
        (s, i)
        for s, i in items.items()
        if i["status"] == "needs_action" and i.get("description")
    )
    async with browser_page(stack) as page:
        await open_list(page, stack)
        await page.get_by_text(summary, exact=True).click()
        dialog = page.locator("dialog-todo-item-editor")
        # The item's one multi-line field (its label is no accessible name of it
        # in every frontend version).
        await dialog.locator("textarea").fill("I did it on paper instead")
        await dialog.get_by_role("button", name="Save item").click()
        await expect(dialog.get_by_text(REFUSED)).to_be_visible()
    assert (await homework(stack))[summary] == item
    assert unexpected_errors(stack) == []


@pytest.mark.usefixtures("logins")
async def test_calendar_week_view(stack: Stack) -> None:
    """Ada's timetable in the calendar panel's week view shows her lessons."""
    async with api_of(stack) as api:
        states = await api.states()
    others = [
        e
        for e in states
        if e.startswith("calendar.") and e != "calendar.ada_example_timetable"
    ]
    assert "calendar.ada_example_timetable" in states
    async with browser_page(stack) as page:
        await page.evaluate(
            "c => localStorage.setItem('deSelectedCalendars', JSON.stringify(c))",
            others,
        )
        await page.goto(f"{stack.url}/calendar")
        await page.get_by_role("button", name="Week").first.click()
        await expect(page.get_by_text(re.compile("Mathematics")).first).to_be_visible()
        await settle(page)
        await shoot(page, "calendar-week.png")


@pytest.mark.usefixtures("logins")
async def test_dashboard_from_docs(stack: Stack) -> None:
    """docs/dashboard.yaml renders with every entity found (the README's image)."""
    config = yaml.safe_load(DASHBOARD.read_text(encoding="utf-8"))
    async with api_of(stack) as api:
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
                "config": config,
            }
        )
        states = await api.states()
    wanted = [
        row["entity"] if isinstance(row, dict) else row
        for card in config["views"][0]["cards"]
        for row in card.get("entities", [card.get("entity")])
    ]
    assert [e for e in wanted if e not in states] == []
    async with browser_page(stack) as page:
        await page.goto(f"{stack.url}/school-demo/school")
        await expect(page.get_by_text("Ada: today")).to_be_visible()
        # In the picture, not below it.
        await expect(page.get_by_text("Ben (parent login)")).to_be_in_viewport()
        await settle(page, 2)
        assert (
            await page.get_by_text(re.compile("Entity not (found|available)")).count()
            == 0
        )
        await shoot(page, "dashboard.png")
