"""The school-day card on days without school: a Saturday and a holiday.

Each test has its own stack, its clocks on that day (card_stack.py): Saturday
12 December 2026, and Thursday 1 April 2027, the last day of the fake school's
Easter holidays (British Summer Time), with lessons again on Friday.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from playwright.async_api import expect
import pytest
import pytest_socket

from tests.browser.card_stack import (
    CARD,
    School,
    card_page,
    open_dashboard,
    save_dashboard,
    start_school,
)
from tests.browser.frontend import LONDON

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SLOW_MS = 60_000


SATURDAY = datetime(2026, 12, 12, 11, 0, tzinfo=LONDON)
EASTER_HOLIDAY = datetime(2027, 4, 1, 10, 0, tzinfo=LONDON)


@pytest.fixture
def school(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[School]:
    """The school with its clocks at the test's moment (the test's parameter)."""
    pytest_socket.enable_socket()
    started = start_school(tmp_path, request.param)
    try:
        yield started
    finally:
        started.stack.stop()


async def day_without_school(school: School, lines: list[str]) -> None:
    """The card of Ada says each of ``lines``; no request, no error."""
    before = await school.requests()
    await save_dashboard(
        school, "card-day", [{"type": CARD, "device_id": school.devices["Ada"]}]
    )
    async with card_page(school) as browser:
        page = browser.page
        await open_dashboard(page, f"{school.stack.url}/card-day/day")
        card = page.locator("classcharts-card")
        await expect(card.locator("h2")).to_have_text("Ada Example", timeout=SLOW_MS)
        for line in lines:
            await expect(card).to_contain_text(line)
        # Neither a lesson timeline nor "now" on a day without lessons.
        await expect(card.locator(".line.now")).to_have_count(0)
        await expect(card.locator("ol li")).to_have_count(0)
        assert browser.errors == [], browser.failed
    assert await school.requests() == before


@pytest.mark.parametrize("school", [SATURDAY], indirect=True)
async def test_weekend(school: School) -> None:
    """Saturday: no school, back on Monday; no school tomorrow either."""
    await day_without_school(
        school,
        [
            "No school today.",
            "It's the weekend.",
            "Back to school Monday 14 Dec at 08:45.",
            "No school tomorrow.",
        ],
    )


@pytest.mark.parametrize("school", [EASTER_HOLIDAY], indirect=True)
async def test_holiday(school: School) -> None:
    """A weekday in the holidays: no lessons today, school again tomorrow."""
    await day_without_school(
        school,
        [
            "No school today.",
            "No lessons today: a holiday or a day off.",
            "Back to school Friday 2 Apr at 08:45.",
            "School tomorrow, first lesson at 08:45.",
        ],
    )
