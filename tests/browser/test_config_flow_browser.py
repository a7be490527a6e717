"""The config flow in the real frontend: typing a date of birth, choosing children."""

from __future__ import annotations

import json
import re
import time

from playwright.async_api import Page, expect
import pytest

from tests.browser.frontend import (
    Stack,
    api_of,
    browser_page,
    open_add_integration,
    shoot,
    submit,
    text_field,
)
from tests.e2e.harness import INTEGRATION
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
)
from tests.fake_server.data import PARENT_NAME

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# The messages as the translations word them: a test of the page, not of the text.
ERRORS = json.loads(
    (INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8")
)["config"]["error"]
CODE_ERROR = ERRORS["invalid_code"]
DATE_ERROR = ERRORS["invalid_date_of_birth"]
DATE_LABEL = "Date of birth (DD/MM/YYYY)"


async def remove_entries(stack: Stack) -> None:
    """Delete every ClassCharts entry (each test adds its own)."""
    async with api_of(stack) as api:
        for entry in await api.get(
            "/api/config/config_entries/entry", domain="classcharts_hass"
        ):
            async with api.session.delete(
                f"{api.url}/api/config/config_entries/entry/{entry['entry_id']}",
                headers={"Authorization": f"Bearer {api.token}"},
            ) as response:
                assert response.status == 200


# The flow's last step, as the frontend titles it up to 2026.2 and from 2026.10.
CREATED = re.compile(r"^\s*(Device created|Name and assign)\s*$")


async def finish(page: Page, model: str) -> None:
    """The last step (showing the device's model): finish it; the dialog closes."""
    dialog = page.locator("dialog-data-entry-flow")
    await expect(dialog.get_by_text(CREATED).first).to_be_visible()
    await expect(dialog.get_by_text(model).first).to_be_visible()
    await dialog.get_by_role("button", name=re.compile("finish", re.IGNORECASE)).click()
    await expect(dialog.get_by_text(CREATED)).to_have_count(0)


async def fill_student_form(page: Page, code: str, date_of_birth: str) -> None:
    """Type the code and the date of birth as a person would (key by key)."""
    await text_field(page, "Pupil code").fill("")
    await text_field(page, "Pupil code").press_sequentially(code)
    date_field = text_field(page, DATE_LABEL)
    await date_field.fill("")
    await date_field.press_sequentially(date_of_birth)


async def test_student_typed_date_of_birth(stack: Stack) -> None:
    """Both field errors at once; then the date typed as on the letter logs in.

    Timed from pressing "Add integration" to the student's entities showing.
    """
    async with browser_page(stack) as page:
        started = time.monotonic()
        await open_add_integration(page, stack)
        await shoot(page, "config-flow-menu.png")
        await page.get_by_text("Student (pupil code and date of birth)").click()
        date_field = text_field(page, DATE_LABEL)
        await expect(date_field).to_have_value("")  # never pre-filled
        await fill_student_form(page, "ada", "01/12/2099")
        await submit(page)
        await expect(page.get_by_text(CODE_ERROR)).to_be_visible()
        await expect(page.get_by_text(DATE_ERROR)).to_be_visible()
        await shoot(page, "config-flow-student.png")
        await fill_student_form(page, STUDENT_CODE.lower(), f"{STUDENT_DOB:%d/%m/%Y}")
        await submit(page)
        await finish(page, "Student login")
        async with api_of(stack) as api:
            devices = await api.ws({"type": "config/device_registry/list"})
        device = next(d for d in devices if d["name"] == "Ada Example")
        await page.goto(f"{stack.url}/config/devices/device/{device['id']}")
        await expect(page.get_by_text("Homework due today").first).to_be_visible()
        elapsed = time.monotonic() - started
        await shoot(page, "device-page.png")
    print(
        f"\n'Add integration' to a student's entities, typing included: {elapsed:.1f} s"
    )
    assert elapsed < 60
    assert stack.errors() == []
    await remove_entries(stack)


async def test_student_date_in_other_forms(stack: Stack) -> None:
    """14.3.2012 typed, or an ISO date as a picker or autofill puts it, both work."""
    for typed in ("14.3.2012", STUDENT_DOB.isoformat()):
        async with browser_page(stack) as page:
            await open_add_integration(page, stack)
            await page.get_by_text("Student (pupil code and date of birth)").click()
            await text_field(page, "Pupil code").fill(STUDENT_CODE)
            await text_field(page, DATE_LABEL).fill(typed)
            await submit(page)
            await finish(page, "Student login")
        await remove_entries(stack)
    assert stack.errors() == []


async def test_parent_children_choice(stack: Stack) -> None:
    """Ada's own student login is set up: she is marked and unticked, Ben ticked."""
    async with api_of(stack) as api:
        student = await api.add_student(STUDENT_CODE, STUDENT_DOB.isoformat())
        assert student["type"] == "create_entry", student
    async with browser_page(stack) as page:
        await open_add_integration(page, stack)
        await page.get_by_text("Parent (email address and password)").click()
        await text_field(page, "Email").fill(PARENT_EMAIL)
        await text_field(page, "Password").fill(PARENT_PASSWORD)
        await submit(page)
        ada = page.get_by_role(
            "checkbox", name="Ada Example (student login already added)"
        )
        ben = page.get_by_role("checkbox", name="Ben Example")
        await expect(ada).not_to_be_checked()
        await expect(ben).to_be_checked()
        await expect(page.get_by_text("start unticked")).to_be_visible()
        await shoot(page, "config-flow-children.png")
        await submit(page)
        await finish(page, "Parent login")
    async with api_of(stack) as api:
        entries = await api.get(
            "/api/config/config_entries/entry", domain="classcharts_hass"
        )
        parent = next(e for e in entries if e["title"] == PARENT_NAME)
        options = await api.ws(
            {"type": "config_entries/get_single", "entry_id": parent["entry_id"]}
        )
        devices = await api.ws({"type": "config/device_registry/list"})
    names = sorted(
        (d["name"], d["model"])
        for d in devices
        if parent["entry_id"] in d["config_entries"]
    )
    assert names == [("Ben Example", "Parent login")]
    assert options["config_entry"]["state"] == "loaded"
    assert stack.errors() == []
    await remove_entries(stack)


async def test_reconfigure_student(stack: Stack) -> None:
    """Reconfigure shows an empty date field (not today) and takes a typed date."""
    async with api_of(stack) as api:
        student = await api.add_student(STUDENT_CODE, STUDENT_DOB.isoformat())
    entry_id = student["result"]["entry_id"]
    async with browser_page(stack) as page:
        await page.goto(f"{stack.url}/config/integrations/integration/classcharts_hass")
        row = page.locator("ha-config-entry-row").first
        menu = row.locator("ha-dropdown").first
        await menu.locator("ha-icon-button").first.click()
        # This entry's menu (from 2026.10 the device's menu holds the item too).
        await menu.get_by_text("Reconfigure", exact=True).click()
        date_field = text_field(page, DATE_LABEL)
        await expect(date_field).to_have_value("")
        await expect(text_field(page, "Pupil code")).to_have_value("")
        await fill_student_form(page, STUDENT_CODE, f"{STUDENT_DOB:%d/%m/%Y}")
        await submit(page)
        await expect(
            page.get_by_text("The login details were updated.")
        ).to_be_visible()
    async with api_of(stack) as api:
        entry = await api.ws(
            {"type": "config_entries/get_single", "entry_id": entry_id}
        )
    assert entry["config_entry"]["state"] == "loaded"
    assert stack.errors() == []
    await remove_entries(stack)
