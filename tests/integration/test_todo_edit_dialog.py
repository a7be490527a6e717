"""The frontend's "Edit item" dialog on the homework list.

The dialog sends back the whole item on every save: ``rename`` (the summary),
``status``, ``description`` and ``due_date``, as the frontend's ``updateItem``
does. A tick there must work; a real edit must be refused with our message.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.todo import DOMAIN as TODO_DOMAIN, TodoListEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import DOMAIN
from tests.conftest import setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

TODO = "todo.ada_example_homework"
TITLE = "Algebra starter"


async def listed_item(hass: HomeAssistant, summary: str) -> dict[str, Any]:
    """One item as the frontend's list holds it (todo.get_items)."""
    result = await hass.services.async_call(
        TODO_DOMAIN,
        "get_items",
        {"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    return next(i for i in result[TODO]["items"] if i["summary"] == summary)


async def save_dialog(hass: HomeAssistant, item: dict[str, Any], **edits: Any) -> None:
    """Save the edit dialog: everything it shows goes back, edited or not."""
    shown = {**item, **edits}
    data: dict[str, Any] = {
        "entity_id": TODO,
        "item": item["uid"],
        "rename": shown["summary"],
        "status": shown["status"],
        "description": shown.get("description"),
    }
    if shown.get("due") is not None:
        data["due_date"] = shown["due"]
    await hass.services.async_call(TODO_DOMAIN, "update_item", data, blocking=True)


async def test_student_list_accepts_the_dialog_fields(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The features the dialog's fields need are there (for students only)."""
    await setup_entry(hass_london, student_entry)
    features = hass_london.states.get(TODO).attributes["supported_features"]
    assert features == (
        TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.SET_DESCRIPTION_ON_ITEM
        | TodoListEntityFeature.SET_DUE_DATE_ON_ITEM
    )


async def test_tick_in_the_dialog(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Ticked with description and due date unchanged: ticked in ClassCharts."""
    await setup_entry(hass_london, student_entry)
    homework = next(h for h in fake.pupils[STUDENT_ID].homeworks if h.title == TITLE)
    item = await listed_item(hass_london, f"Mathematics: {TITLE}")
    assert item["due"]
    assert item["description"]
    await save_dialog(hass_london, item, status="completed")
    assert fake.homework(homework.id).ticked
    assert (await listed_item(hass_london, item["summary"]))["status"] == "completed"
    await save_dialog(hass_london, item, status="needs_action")
    assert not fake.homework(homework.id).ticked
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_tick_in_the_dialog_with_rewrapped_description(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A text box that changes only line endings or spacing changes nothing."""
    await setup_entry(hass_london, student_entry)
    item = await listed_item(hass_london, f"Mathematics: {TITLE}")
    rewrapped = item["description"].replace(" ", "\r\n", 1) + "\n"
    await save_dialog(hass_london, item, status="completed", description=rewrapped)
    assert (await listed_item(hass_london, item["summary"]))["status"] == "completed"


@pytest.mark.parametrize(
    "edit",
    [
        {"due": "2030-01-01"},
        {"description": "Done it already"},
        {"description": None},
    ],
    ids=["due_date", "description", "description_cleared"],
)
async def test_real_edit_in_the_dialog_is_refused(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    edit: dict[str, Any],
) -> None:
    """The teacher sets the description and due date: refused, nothing sent."""
    await setup_entry(hass_london, student_entry)
    item = await listed_item(hass_london, f"Mathematics: {TITLE}")
    fake.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await save_dialog(hass_london, item, status="completed", **edit)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "homework_set_by_teacher"
    assert "come from the teacher" in str(err.value)
    assert fake.api_requests("homeworkticked") == []
    assert (await listed_item(hass_london, item["summary"]))["status"] == (
        "needs_action"
    )
