"""End to end: the fake ClassCharts and a real Home Assistant process, driven by HTTP.

Nothing here runs inside the test's process except HTTP clients: Home Assistant
is started through scripts/hass_launcher.py with its own config dir, exactly as
``scripts/develop`` does, and is driven through its REST and websocket APIs the
way the frontend drives them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
import re
import time
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsClient,
    StudentCredentials,
)
from tests.e2e.harness import (
    HomeAssistantApi,
    Process,
    free_port,
    log_records,
    prepare_config,
    start_fake,
    start_hass,
    wait_for_port,
)
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

LONDON = ZoneInfo("Europe/London")
NEW_PARENT_PASSWORD = "a n3w p@ssword, changed on the website"
SECRETS = (
    STUDENT_CODE,
    STUDENT_DOB.isoformat(),
    STUDENT_DOB.strftime("%d/%m/%Y"),
    PARENT_PASSWORD,
    NEW_PARENT_PASSWORD,
)
# Home Assistant's own one-line reports of the failures this test causes on purpose.
EXPECTED_ERRORS = (
    re.compile(
        r"\[custom_components\.classcharts_hass\] Error fetching classcharts_hass data: "
    ),
    re.compile(
        r"\[custom_components\.classcharts_hass\] Authentication failed while fetching "
        r"classcharts_hass data"
    ),
)
UNAVAILABLE = "unavailable"


@dataclass
class Stack:
    """The processes of one test and where they keep their files."""

    tmp: Path
    config: Path
    fake_port: int
    hass_port: int
    secrets_file: Path
    today: date
    processes: list[Process] = field(default_factory=list)
    fake: Process | None = None
    hass: Process | None = None

    @property
    def fake_url(self) -> str:
        return f"http://127.0.0.1:{self.fake_port}"

    @property
    def hass_url(self) -> str:
        return f"http://127.0.0.1:{self.hass_port}"

    async def start_fake(self, parent_password: str | None = None) -> None:
        self.fake = start_fake(
            self.fake_port,
            self.tmp / "fake.log",
            parent_password=parent_password,
            secrets_file=self.secrets_file,
            today=self.today.isoformat(),
        )
        self.processes.append(self.fake)
        await wait_for_port(self.fake_port, self.fake, 20)

    def stop_fake(self) -> None:
        assert self.fake is not None
        assert self.fake.stop(10) == 0, self.fake.output()[-2000:]

    def start_hass(self) -> None:
        self.hass = start_hass(self.config, self.fake_url, self.tmp / "hass.out")
        self.processes.append(self.hass)


@pytest.fixture
def stack(tmp_path: Path, socket_enabled: None) -> Iterator[Stack]:
    """Free ports and a temporary config dir; every process is stopped at the end."""
    hass_port = free_port()
    config = tmp_path / "config"
    prepare_config(config, hass_port)
    result = Stack(
        tmp=tmp_path,
        config=config,
        fake_port=free_port(),
        hass_port=hass_port,
        secrets_file=tmp_path / "issued-secrets.txt",
        # One school day for every start of the fake, even across midnight.
        today=datetime.now(LONDON).date(),
    )
    try:
        yield result
    finally:
        for process in reversed(result.processes):
            process.stop(30)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client with a bounded timeout for every request."""
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=30)
    ) as session:
        yield session


async def wait_until(
    what: str,
    check: Callable[[], Any],
    *,
    limit: float = 30.0,
    poke: Callable[[], Any] | None = None,
    interval: float = 0.5,
) -> Any:
    """Await ``check()`` until it returns something truthy; ``poke()`` in between."""
    deadline = time.monotonic() + limit
    while True:
        if poke is not None:
            await poke()
        if result := await check():
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit}s waiting for {what}")
        await asyncio.sleep(interval)


def number(state: dict[str, Any]) -> float:
    """A sensor's state as a number (fails the test if it is not one)."""
    return float(state["state"])


async def test_real_home_assistant(
    stack: Stack,
    http: aiohttp.ClientSession,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The whole user journey against a real Home Assistant process."""
    started = time.monotonic()
    timings: dict[str, float] = {}

    # ---- start the pair of processes, create the owner -------------------------------
    await stack.start_fake()
    stack.start_hass()
    assert stack.hass is not None
    api = HomeAssistantApi(http, stack.hass_url)
    await api.wait_until_up(stack.hass, 90)
    timings["Home Assistant answering"] = time.monotonic() - started
    assert await api.needs_owner()
    await api.onboard()
    onboarding = await api.get("/api/onboarding")
    assert all(step["done"] for step in onboarding), onboarding
    # Started as scripts/develop starts it: nothing for the user to confirm, so
    # no revert and restart 5 minutes later (2026.10 and later), and no repair
    # about an http: section in configuration.yaml.
    assert await api.http_trial_problems(stack.hass_port) == []
    assert await api.http_issues() == []

    # ---- config flows as the frontend runs them --------------------------------------
    student = await api.add_student(STUDENT_CODE, STUDENT_DOB.isoformat())
    assert student["type"] == "create_entry", student
    assert student["title"] == "Ada Example"
    parent = await api.add_parent(
        PARENT_EMAIL, PARENT_PASSWORD, pupils=["4821907", "4821911"]
    )
    assert parent["type"] == "create_entry", parent
    assert parent["options"] == {"excluded_pupils": []}
    student_id = student["result"]["entry_id"]
    parent_id = parent["result"]["entry_id"]
    entries = {
        e["entry_id"]: e
        for e in await api.get(
            "/api/config/config_entries/entry", domain="classcharts_hass"
        )
    }
    assert entries[student_id]["state"] == "loaded"
    assert entries[parent_id]["state"] == "loaded"

    student_entities = await api.entities_of(student_id)
    parent_entities = await api.entities_of(parent_id)
    states = await api.states()
    assert all(states[e]["state"] != UNAVAILABLE for e in student_entities)
    assert all(states[e]["state"] != UNAVAILABLE for e in parent_entities)
    timings["entities ready"] = time.monotonic() - started

    # ---- sensible states -------------------------------------------------------------
    next_lesson = states["sensor.ada_example_next_lesson"]
    assert next_lesson["state"].strip(), next_lesson
    assert next_lesson["state"] not in {"unknown", UNAVAILABLE}, next_lesson
    assert next_lesson["attributes"]["teacher"]
    # The fake's homework: one due today, one tomorrow, two overdue (not done).
    assert number(states["sensor.ada_example_homework_due_today"]) == 1
    assert number(states["sensor.ada_example_homework_due_tomorrow"]) == 1
    assert number(states["sensor.ada_example_homework_due_this_week"]) >= 1
    assert number(states["sensor.ada_example_overdue_homework"]) == 2
    assert number(states["sensor.ada_example_positive_points_this_school_year"]) > 0
    assert number(states["sensor.ada_example_negative_points_this_school_year"]) >= 0
    assert number(states["sensor.ada_example_net_points_this_school_year"]) == number(
        states["sensor.ada_example_positive_points_this_school_year"]
    ) - number(states["sensor.ada_example_negative_points_this_school_year"])
    assert number(states["sensor.ada_example_pending_detentions"]) >= 1
    # The parent account sees both children, Ada's device under the parent again.
    assert states["sensor.ben_example_next_lesson"]["state"] not in {"", UNAVAILABLE}
    assert number(states["sensor.ben_example_positive_points_today"]) == 0
    assert "sensor.ada_example_next_lesson_2" in parent_entities

    # ---- a week of the timetable calendar --------------------------------------------
    today = stack.today
    start = datetime.combine(today, datetime.min.time(), LONDON)
    end = start + timedelta(days=7)
    events = await api.get(
        "/api/calendars/calendar.ada_example_timetable",
        start=start.isoformat(),
        end=end.isoformat(),
    )
    lesson_days = {
        date.fromisoformat(event["start"]["dateTime"][:10]) for event in events
    }
    weekdays = {
        today + timedelta(days=n)
        for n in range(7)
        if (today + timedelta(days=n)).weekday() < 5
    }
    assert lesson_days == weekdays, (lesson_days, weekdays)
    assert len(events) >= 20, len(events)
    assert all(event["summary"] for event in events)

    # ---- homework to-do list, and ticking an item off --------------------------------
    todo = "todo.ada_example_homework"
    items = (await api.ws({"type": "todo/item/list", "entity_id": todo}))["items"]
    assert items
    open_items = [item for item in items if item["status"] == "needs_action"]
    assert open_items, items
    assert int(states[todo]["state"]) == len(open_items)
    item = open_items[0]
    await api.post(
        "/api/services/todo/update_item",
        {"entity_id": todo, "item": item["uid"], "status": "completed"},
    )
    async with aiohttp.ClientSession() as fresh:
        client = ClassChartsClient(
            fresh,
            StudentCredentials(code=STUDENT_CODE, date_of_birth=STUDENT_DOB),
            base_url=stack.fake_url,
        )
        await client.login()
        homeworks = await client.get_homeworks(
            STUDENT_ID, today - timedelta(days=60), today + timedelta(days=60)
        )
    ticked = next(hw for hw in homeworks if str(hw.id) == item["uid"])
    assert ticked.done, ticked

    async def ticked_in_home_assistant() -> bool:
        listed = (await api.ws({"type": "todo/item/list", "entity_id": todo}))["items"]
        return any(
            i["uid"] == item["uid"] and i["status"] == "completed" for i in listed
        )

    await wait_until("the ticked homework in Home Assistant", ticked_in_home_assistant)

    # ---- ClassCharts goes away, and comes back ---------------------------------------
    student_sensor = "sensor.ada_example_next_lesson"
    parent_sensor = "sensor.ben_example_next_lesson"

    async def update(*entity_ids: str) -> None:
        await api.post(
            "/api/services/homeassistant/update_entity",
            {"entity_id": list(entity_ids)},
        )

    def states_are(
        predicate: Callable[[str], bool], *entity_ids: str
    ) -> Callable[[], Any]:
        async def check() -> bool:
            current = await api.states()
            return all(predicate(current[e]["state"]) for e in entity_ids)

        return check

    stack.stop_fake()
    outage = time.monotonic()
    await wait_until(
        "entities to become unavailable",
        states_are(lambda s: s == UNAVAILABLE, student_sensor, parent_sensor),
        poke=lambda: update(student_sensor, parent_sensor),
        interval=1.0,
    )
    timings["unavailable after the outage"] = time.monotonic() - outage
    await stack.start_fake()
    back = time.monotonic()
    await wait_until(
        "entities to recover",
        states_are(lambda s: s != UNAVAILABLE, student_sensor, parent_sensor),
        poke=lambda: update(student_sensor, parent_sensor),
        interval=1.0,
    )
    timings["recovered after the restart"] = time.monotonic() - back

    # ---- the parent changes the password on the website: reauth ----------------------
    stack.stop_fake()
    await stack.start_fake(parent_password=NEW_PARENT_PASSWORD)

    async def reauth_flow() -> dict[str, Any] | None:
        flows = await api.ws({"type": "config_entries/flow/progress"})
        return next(
            (
                f
                for f in flows
                if f["handler"] == "classcharts_hass"
                and f["context"].get("source") == "reauth"
                and f["context"].get("entry_id") == parent_id
            ),
            None,
        )

    flow = await wait_until(
        "a reauth flow for the parent account",
        reauth_flow,
        poke=lambda: update(parent_sensor),
        interval=1.0,
    )
    assert flow["step_id"] == "reauth_confirm", flow
    await wait_until(
        "the student account to work with the new fake server",
        states_are(lambda s: s != UNAVAILABLE, student_sensor),
        poke=lambda: update(student_sensor),
        interval=1.0,
    )
    states = await api.states()
    assert states[parent_sensor]["state"] == UNAVAILABLE

    # ---- stop everything; check the log and the storage ------------------------------
    assert stack.hass.stop(60) == 0, stack.hass.output()[-3000:]
    stack.stop_fake()
    log = (stack.config / "home-assistant.log").read_text(encoding="utf-8")
    console = stack.hass.output()
    assert "custom_components.classcharts_hass" in log  # the log is the one we think
    problems = [
        line
        for line in log.splitlines()
        if (" ERROR " in line or " CRITICAL " in line)
        and not any(p.search(line) for p in EXPECTED_ERRORS)
    ]
    assert not problems, "\n".join(problems)
    # Home Assistant (from 2026.3) logs a failed update again at DEBUG with its
    # traceback; only records at INFO and above count.
    for text in (log, console):
        records = log_records(text)
        assert records, "no log records found: has the log format changed?"
        assert not [r for r in records if r.level != "DEBUG" and "Traceback" in r.text]
        assert not [
            r for r in records if "custom integration 'classcharts_hass'" in r.text
        ]
    issued = {
        line.strip()
        for line in stack.secrets_file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert issued, "the fake server reported no session secrets"
    secrets = {*SECRETS, *issued}
    places = {"home-assistant.log": log, "console": console}
    for path in sorted((stack.config / ".storage").rglob("*")):
        if path.is_file() and path.name != "core.config_entries":
            places[f".storage/{path.name}"] = path.read_text(
                encoding="utf-8", errors="replace"
            )
    leaks = {
        place: sum(secret in text for secret in secrets)
        for place, text in places.items()
        if any(secret in text for secret in secrets)
    }
    assert not leaks, f"secrets found (counts per file): {leaks}"

    timings["whole test"] = time.monotonic() - started
    with capsys.disabled():
        print()
        for what, seconds in timings.items():
            print(f"  e2e timing: {what}: {seconds:.1f} s")
