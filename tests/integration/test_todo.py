"""The homework to-do list: ticking in ClassCharts, read-only for parents."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceNotSupported,
    ServiceValidationError,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.classcharts_hass.client import ClassChartsConnectionError
from custom_components.classcharts_hass.school.datasets import Dataset
from tests.conftest import TODAY, advance, hold_first_answer, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts

TODO = "todo.ada_example_homework"


async def items(hass: HomeAssistant, entity_id: str) -> list[dict]:
    """The list's items through the todo.get_items action."""
    result = await hass.services.async_call(
        TODO_DOMAIN,
        "get_items",
        {"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    return result[entity_id]["items"]


async def algebra_status(hass: HomeAssistant) -> str:
    """The status of "Mathematics: Algebra starter" in Ada's list now."""
    listed = {i["summary"]: i for i in await items(hass, TODO)}
    return str(listed["Mathematics: Algebra starter"]["status"])


async def set_status(
    hass: HomeAssistant, entity_id: str, item: str, status: str
) -> None:
    """Tick or untick an item by its summary."""
    await hass.services.async_call(
        TODO_DOMAIN,
        "update_item",
        {"entity_id": entity_id, "item": item, "status": status},
        blocking=True,
    )


async def test_items_list_homework_with_due_dates(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Outstanding and completed homework, soonest due first, in plain text."""
    await setup_entry(hass_london, student_entry)
    listed = await items(hass_london, TODO)
    assert [i["due"] for i in listed] == sorted(i["due"] for i in listed)
    by_summary = {i["summary"]: i for i in listed}
    assert by_summary["Mathematics: Algebra starter"]["status"] == "needs_action"
    assert by_summary["English: Reading log"]["status"] == "completed"
    assert all("<" not in i.get("description", "") for i in listed)
    state = hass_london.states.get(TODO)
    assert int(state.state) == sum(i["status"] == "needs_action" for i in listed)


async def test_student_ticks_and_unticks(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Ticking marks the homework done in ClassCharts; unticking reverts it."""
    await setup_entry(hass_london, student_entry)
    homework = next(
        h for h in fake.pupils[4821907].homeworks if h.title == "Algebra starter"
    )
    assert not homework.ticked

    await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")
    assert fake.homework(homework.id).ticked
    assert await algebra_status(hass_london) == "completed"

    await set_status(hass_london, TODO, "Mathematics: Algebra starter", "needs_action")
    assert not fake.homework(homework.id).ticked


async def test_tick_while_homework_is_being_read_is_not_lost(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A poll's answer from before the tick does not stand in for the read after it."""
    await setup_entry(hass_london, student_entry)
    coordinator = student_entry.runtime_data.coordinator
    # The poll's homework is read before the tick and handed over after it.
    held = hold_first_answer(monkeypatch, coordinator.client, "get_homeworks")
    coordinator.invalidate(STUDENT_ID, Dataset.HOMEWORK)
    poll = hass_london.async_create_task(coordinator.async_refresh())
    await held.read.wait()
    await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")
    held.release.set()
    await poll
    # The refresh the tick asked for comes after the debouncer's cooldown.
    await advance(hass_london, freezer, timedelta(seconds=11))
    assert await algebra_status(hass_london) == "completed"


async def test_tick_during_a_long_scheduled_poll_is_read_again(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scheduled poll outlasts the refresh the tick asked for.

    Home Assistant drops that refresh (a poll is running, "any call is good"),
    and the poll's homework predates the tick: homework is read again seconds
    later, not at the next scheduled read hours away.
    """
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00, school hours
    coordinator = student_entry.runtime_data.coordinator
    held = hold_first_answer(monkeypatch, coordinator.client, "get_homeworks")
    coordinator.invalidate(STUDENT_ID, Dataset.HOMEWORK)
    freezer.tick(timedelta(minutes=10))
    async_fire_time_changed(hass_london)  # the scheduled poll starts, and is held
    await held.read.wait()
    await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")
    # The cooldown ends while the poll still runs: the asked-for refresh is dropped.
    freezer.tick(timedelta(seconds=11))
    async_fire_time_changed(hass_london)
    await hass_london.async_block_till_done()
    held.release.set()
    await hass_london.async_block_till_done(wait_background_tasks=True)
    # The poll kept its answer from before the tick.
    assert await algebra_status(hass_london) == "needs_action"
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(seconds=11))
    assert await algebra_status(hass_london) == "completed"
    assert len(fake.api_requests("homeworks")) == 1


async def test_a_failed_read_after_a_tick_keeps_the_schedule(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Only a read that worked but predates a change is read again in seconds;
    a failed read of a changed dataset waits for the next poll, as any failure."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00, school hours
    coordinator = student_entry.runtime_data.coordinator
    coordinator.invalidate(STUDENT_ID, Dataset.HOMEWORK)
    fake.fail_next(path_contains="homeworks/")
    await coordinator.async_refresh()
    fake.clear_requests()
    await advance(hass_london, freezer, timedelta(minutes=9))
    assert fake.api_requests() == []
    await advance(hass_london, freezer, timedelta(minutes=1))
    assert len(fake.api_requests("homeworks")) == 1


async def test_after_the_read_back_homework_keeps_its_schedule(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The tick is read back once; the polls after it read homework every two
    hours again (school hours), not at every poll."""
    await setup_entry(hass_london, student_entry)  # Tuesday 10:00
    fake.clear_requests()
    await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")
    # Its state before the toggle, then the list read back.
    assert len(fake.api_requests("homeworks")) == 2
    fake.clear_requests()
    for _ in range(6):  # the polls of 10:10 to 11:00
        await advance(hass_london, freezer, timedelta(minutes=10))
    assert len(fake.api_requests("activity")) == 6
    assert fake.api_requests("homeworks") == []
    assert await algebra_status(hass_london) == "completed"


async def test_a_tick_whose_answer_is_lost_is_read_back(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ClassCharts ticked the homework, but its answer (and the read that would
    have told) never came back: the action fails, and the list shows the tick
    after the refresh, not at the next scheduled read hours later."""
    await setup_entry(hass_london, student_entry)
    client = student_entry.runtime_data.coordinator.client
    original = client.set_homework_done

    async def answer_lost(*args: Any) -> bool:
        await original(*args)  # the toggle arrives...
        raise ClassChartsConnectionError("no answer")  # ...its answer does not

    monkeypatch.setattr(client, "set_homework_done", answer_lost)
    summary = "Mathematics: Algebra starter"
    uid = next(
        i["uid"] for i in await items(hass_london, TODO) if i["summary"] == summary
    )
    with pytest.raises(HomeAssistantError):
        await set_status(hass_london, TODO, summary, "completed")
    assert fake.homework(int(uid)).ticked
    for _ in range(2):  # the refresh after the debouncer's cooldown, and a poll
        await advance(hass_london, freezer, timedelta(minutes=10))
    listed = {i["summary"]: i for i in await items(hass_london, TODO)}
    assert listed[summary]["status"] == "completed"


async def test_a_tick_shows_in_the_parent_login_of_the_same_child(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Ada ticks her homework in her own login; her parent's login, which shows
    the same homework, reads it again too rather than show it undone for hours."""
    await setup_entry(hass_london, student_entry)
    await setup_entry(hass_london, parent_entry)
    parents = [
        state.entity_id
        for state in hass_london.states.async_all(TODO_DOMAIN)
        if state.entity_id != TODO and state.entity_id.startswith("todo.ada_")
    ]
    assert len(parents) == 1
    summary = "Mathematics: Algebra starter"
    before = {i["summary"]: i for i in await items(hass_london, parents[0])}
    assert before[summary]["status"] == "needs_action"
    await set_status(hass_london, TODO, summary, "completed")
    # Her own list shows it at once, whichever login was set up last.
    own = {i["summary"]: i for i in await items(hass_london, TODO)}
    assert own[summary]["status"] == "completed"
    await advance(hass_london, freezer, timedelta(seconds=11))
    after = {i["summary"]: i for i in await items(hass_london, parents[0])}
    assert after[summary]["status"] == "completed"


async def test_a_tick_works_beside_a_login_waiting_to_retry(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """Her parent's login could not be set up (ClassCharts failed it for now):
    Ada's tick in her own login still succeeds and shows at once."""
    await setup_entry(hass_london, student_entry)
    fake.fail_next(1000, status=500, path_contains="/parent/login")
    await setup_entry(hass_london, parent_entry)
    assert parent_entry.state is ConfigEntryState.SETUP_RETRY
    summary = "Mathematics: Algebra starter"
    await set_status(hass_london, TODO, summary, "completed")
    listed = {i["summary"]: i for i in await items(hass_london, TODO)}
    assert listed[summary]["status"] == "completed"
    fake.clear_failures()


async def test_ticking_what_is_already_ticked_does_not_flip_it_back(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Ticked on the website meanwhile: ticking here sends no toggle."""
    await setup_entry(hass_london, student_entry)
    homework = next(
        h for h in fake.pupils[4821907].homeworks if h.title == "Algebra starter"
    )
    homework.ticked = True  # our list still says "needs action"
    fake.clear_requests()
    await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")
    assert fake.api_requests("homeworkticked") == []
    assert fake.homework(homework.id).ticked


async def test_tick_failure_is_reported(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A failing tick raises a translated error and changes nothing."""
    await setup_entry(hass_london, student_entry)
    fake.fail_next(count=1, status=503, path_contains="homeworkticked")
    with pytest.raises(HomeAssistantError, match="Could not reach ClassCharts"):
        await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")
    homework = next(
        h for h in fake.pupils[4821907].homeworks if h.title == "Algebra starter"
    )
    assert not homework.ticked


async def test_renaming_is_refused(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Only the status can change."""
    await setup_entry(hass_london, student_entry)
    with pytest.raises(HomeAssistantError, match="cannot be changed"):
        await hass_london.services.async_call(
            TODO_DOMAIN,
            "update_item",
            {"entity_id": TODO, "item": "Mathematics: Algebra starter", "rename": "X"},
            blocking=True,
        )


async def test_parent_list_is_read_only(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A parent sees the homework but cannot tick it."""
    await setup_entry(hass_london, parent_entry)
    assert await items(hass_london, TODO)
    fake.clear_requests()
    with pytest.raises(ServiceNotSupported):
        await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")
    assert fake.api_requests("homeworkticked") == []


async def test_homework_completed_by_teacher_cannot_be_unticked(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Unticking what the teacher completed is refused with a reason."""
    homework = next(
        h for h in fake.pupils[STUDENT_ID].homeworks if h.title == "Revision"
    )
    homework.state = "completed"
    await setup_entry(hass_london, student_entry)
    fake.clear_requests()
    with pytest.raises(ServiceValidationError, match="teacher marked"):
        await hass_london.services.async_call(
            "todo",
            "update_item",
            {
                "entity_id": "todo.ada_example_homework",
                "item": "Geography: Revision",
                "status": "needs_action",
            },
            blocking=True,
        )
    assert fake.api_requests("homeworkticked") == []


async def test_items_are_ordered_by_due_date_not_by_when_they_were_set(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Homework set first but due later comes after homework set since."""
    fake.pupils[STUDENT_ID].homeworks.clear()
    fake.add_homework(STUDENT_ID, title="Set first", due_date=TODAY + timedelta(7))
    fake.add_homework(STUDENT_ID, title="Set second", due_date=TODAY + timedelta(1))
    await setup_entry(hass_london, student_entry)
    assert [i["summary"] for i in await items(hass_london, TODO)] == [
        "Science: Set second",
        "Science: Set first",
    ]
    calendar = hass_london.states.get("calendar.ada_example_homework")
    assert calendar.attributes["message"] == "Science: Set second"


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ({"status": 429, "retry_after": 60}, "ClassCharts asked to slow down"),
        (
            {"malformed": True},
            "ClassCharts sent an answer this integration does not understand",
        ),
    ],
    ids=["rate-limited", "malformed"],
)
async def test_a_failed_tick_says_what_went_wrong(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    failure: dict[str, Any],
    message: str,
) -> None:
    """The error a user reads names the failure: slow down, or an odd answer."""
    await setup_entry(hass_london, student_entry)
    fake.fail_next(count=1, path_contains="homeworkticked", **failure)
    with pytest.raises(HomeAssistantError, match=message):
        await set_status(hass_london, TODO, "Mathematics: Algebra starter", "completed")


async def test_homework_completed_by_teacher_can_be_saved_as_completed(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Saving a teacher-completed homework as it is (the dialog's Save) is no
    error: only unticking it is refused; it stays completed."""
    homework = next(
        h for h in fake.pupils[STUDENT_ID].homeworks if h.title == "Revision"
    )
    homework.state = "completed"
    await setup_entry(hass_london, student_entry)
    await set_status(hass_london, TODO, "Geography: Revision", "completed")
    [item] = [i for i in await items(hass_london, TODO) if i["uid"] == str(homework.id)]
    assert item["status"] == "completed"
