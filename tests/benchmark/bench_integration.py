"""Benchmark: the integration's cost to ClassCharts and to Home Assistant.

Set BENCH_PROFILE=1 to also print a profile of one entity update pass.

Run with ``scripts/bench``. Each measurement is a pytest item that records rows;
the last one prints the table. Nothing here asserts a speed: numbers are printed,
and a missed target is marked in the table.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
import cProfile
from datetime import date, datetime, timedelta
import json
import os
from pathlib import Path
import pstats
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.client import ActivityItem, Homework
from custom_components.classcharts_hass.client_factory import BASE_URL
from custom_components.classcharts_hass.const import BASE_URL_ENV
from custom_components.classcharts_hass.school.datasets import Dataset
from custom_components.classcharts_hass.school.poll_schedule import Mode
from tests.conftest import LONDON, TODAY, advance, setup_entry
from tests.fake_server import FakeClassCharts
from tests.simulation import simulate_day

SATURDAY = date(2026, 11, 28)
LATENCY = 0.1
EXAMPLES = Path(__file__).parents[3] / "shared" / "classcharts-api" / "examples"
ROWS: list[tuple[str, str, str, str]] = []
PROFILE = bool(os.environ.get("BENCH_PROFILE"))


# Loop timings are real time, even while a test moves the frozen clock.
def perf_counter() -> float:
    """The machine's monotonic clock; freezegun does not patch clock_gettime."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def row(what: str, value: str, target: str = "", met: bool | None = None) -> None:
    """Record one line of the table."""
    verdict = "" if met is None else ("met" if met else "MISSED")
    ROWS.append((what, value, target, verdict))


class LoopMonitor:
    """Records how long each event-loop callback ran (the loop is blocked meanwhile)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.longest_name = ""
        self.by_name: dict[str, float] = {}

    @contextmanager
    def watching(self) -> Iterator[None]:
        original = asyncio.events.Handle._run
        monitor = self

        def timed(handle: asyncio.events.Handle) -> None:
            start = perf_counter()
            original(handle)
            took = perf_counter() - start
            if took > 0.002:
                name = _describe(handle)
                if not name.startswith("test_"):  # the benchmark's own code
                    monitor.by_name[name] = max(took, monitor.by_name.get(name, 0.0))
                    if took > monitor.longest:
                        monitor.longest, monitor.longest_name = took, name

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]
        try:
            yield
        finally:
            asyncio.events.Handle._run = original  # type: ignore[method-assign]


def _describe(handle: asyncio.events.Handle) -> str:
    """Name what a callback ran: a task's coroutine, or the callback itself."""
    callback = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        coro = task.get_coro()
        return getattr(coro, "__qualname__", repr(coro))
    return getattr(callback, "__qualname__", repr(callback))[:120]


LOOP = LoopMonitor()


@pytest.fixture
def watched() -> Iterator[None]:
    """Watch the event loop during a measurement."""
    with LOOP.watching():
        yield


@pytest.fixture
async def real_fake(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> FakeClassCharts:
    """A fake server on the real clock (latency needs time to pass)."""
    await hass.config.async_set_time_zone("Europe/London")
    fake = FakeClassCharts()
    monkeypatch.setenv(BASE_URL_ENV, await fake.start())
    yield fake
    await fake.stop()


def _per_day(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
    )


async def test_requests_per_day(
    hass: HomeAssistant,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    watched: None,
) -> None:
    """Requests per simulated day, by endpoint, for a student and a parent of two."""
    await hass.config.async_set_time_zone("Europe/London")
    totals: dict[tuple[str, str], int] = {}
    for who, entry in (("student", student_entry), ("parent of 2", parent_entry)):
        for label, day in (("school day", TODAY), ("weekend day", SATURDAY)):
            fake = FakeClassCharts(today=day)
            monkeypatch.setenv(BASE_URL_ENV, await fake.start())
            hass.data.pop(BASE_URL, None)  # read once per start: this is a new one
            copy = MockConfigEntry(
                domain=entry.domain,
                title=entry.title,
                unique_id=entry.unique_id,
                data=dict(entry.data),
                options=dict(entry.options),
            )
            counts = await simulate_day(hass, freezer, fake, copy, day)
            await hass.config_entries.async_unload(copy.entry_id)
            await hass.config_entries.async_remove(copy.entry_id)
            await fake.stop()
            total = sum(counts.values())
            totals[who, label] = total
            pupils = 2 if who == "parent of 2" else 1
            limit = (191 if label == "school day" else 40) * (1.6 if pupils == 2 else 1)
            row(
                f"requests, {who}, {label}",
                f"{total} ({counts['login']} logins)",
                f"<= {limit:g}",
                total <= limit,
            )
            row(f"  by endpoint ({who}, {label})", _per_day(dict(counts)))
    for label in ("school day", "weekend day"):
        ratio = totals["parent of 2", label] / totals["student", label]
        row(
            f"parent of 2 / one pupil, {label}",
            f"{ratio:.2f}x",
            "<= 1.6x",
            ratio <= 1.6,
        )


async def test_new_point_delay(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Minutes until a point given during lessons shows, for points at several times."""
    await setup_entry(hass_london, student_entry)
    entity = "sensor.ada_example_positive_points_today"
    delays = []
    for gap in (1, 4, 7, 12, 3):
        await advance(hass_london, freezer, timedelta(minutes=gap))
        before = hass_london.states.get(entity).state
        fake.add_behaviour_point(4821907, timestamp=dt_util.now())
        waited = 0
        while hass_london.states.get(entity).state == before and waited < 60:
            await advance(hass_london, freezer, timedelta(minutes=1))
            waited += 1
        delays.append(waited)
    row(
        "new point shown after (5 points during lessons)",
        f"at most {max(delays)} min ({', '.join(map(str, delays))})",
        "<= 10 min",
        max(delays) <= 10,
    )


async def _timed_refresh(hass: HomeAssistant, entry: MockConfigEntry) -> float:
    coordinator = entry.runtime_data.coordinator
    start = time.perf_counter()
    await coordinator.async_refresh()
    return time.perf_counter() - start


async def test_refresh_wall_time(
    hass: HomeAssistant,
    real_fake: FakeClassCharts,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
    watched: None,
) -> None:
    """One refresh with 100 ms per request: the floor is 3 round trips."""
    real_fake.latency = LATENCY
    for who, entry in (("student", student_entry), ("parent of 2", parent_entry)):
        real_fake.clear_requests()
        start = time.perf_counter()
        await setup_entry(hass, entry)
        cold = time.perf_counter() - start
        cold_requests = len(real_fake.requests)
        trips = cold / LATENCY
        row(
            f"first refresh at set-up, {who}",
            f"{cold * 1000:.0f} ms, {cold_requests} requests ({trips:.1f} x 100 ms)",
            "<= 4 round trips",
            trips < 5,
        )
        coordinator = entry.runtime_data.coordinator
        # A school-hours poll: only today's activity is due, the session has expired.
        for state in coordinator.roster.states.values():
            for dataset, dataset_state in state.datasets.items():
                if dataset is not Dataset.ACTIVITY:
                    dataset_state.fetched_at = coordinator.now()
            state.invalidate(Dataset.ACTIVITY)
        coordinator.client._renewed_at -= 600
        real_fake.clear_requests()
        with patch(
            "custom_components.classcharts_hass.coordinator.mode_at",
            return_value=Mode.SCHOOL,
        ):
            took = await _timed_refresh(hass, entry)
        row(
            f"school-hours poll after the session expired, {who}",
            f"{took * 1000:.0f} ms, {len(real_fake.requests)} requests "
            f"({took / LATENCY:.1f} x 100 ms)",
            "<= 4 round trips",
            took / LATENCY < 5,
        )
        await hass.config_entries.async_unload(entry.entry_id)


async def test_calendar_week(
    hass: HomeAssistant,
    real_fake: FakeClassCharts,
    student_entry: MockConfigEntry,
    hass_client: Any,
    watched: None,
) -> None:
    """A week view of the timetable, cold and then cached."""
    await setup_entry(hass, student_entry)
    real_fake.latency = LATENCY
    http = await hass_client()
    params = {"start": "2027-01-04T00:00:00+00:00", "end": "2027-01-11T00:00:00+00:00"}
    for label, target in (("cold", None), ("cached", 0)):
        real_fake.clear_requests()
        start = time.perf_counter()
        response = await http.get(
            "/api/calendars/calendar.ada_example_timetable", params=params
        )
        events = await response.json()
        took = time.perf_counter() - start
        count = len(real_fake.requests)
        row(
            f"timetable week query, {label}",
            f"{count} requests, {took * 1000:.0f} ms, {len(events)} lessons",
            "" if target is None else "0 requests",
            None if target is None else count == target,
        )


def _bodies() -> tuple[list[Any], list[Any]]:
    """200 homework and 1,000 activity items shaped like the real examples."""
    homework = json.loads((EXAMPLES / "homeworks.json").read_text())["data"]
    activity = json.loads((EXAMPLES / "activity_page.json").read_text())["data"]
    homeworks = []
    for n in range(200):
        item = json.loads(json.dumps(homework[n % len(homework)]))
        item["id"] = 8_000_000 + n
        item["status"]["id"] = 9_000_000 + n
        homeworks.append(item)
    points = []
    start = datetime(2025, 9, 1, 8, 30, tzinfo=LONDON)
    for n in range(1000):
        item = dict(activity[n % 2])
        item["id"] = 91_000_000 + n
        item["timestamp"] = (start + timedelta(hours=6 * n)).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        points.append(item)
    return homeworks, points


def _cpu(fn: Any, repeat: int = 5) -> float:
    """Best-of CPU seconds of a call."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


async def test_cpu_per_refresh(
    hass: HomeAssistant,
    real_fake: FakeClassCharts,
    student_entry: MockConfigEntry,
    watched: None,
) -> None:
    """CPU spent parsing a full year of points and 200 homework, and updating entities."""
    homeworks, points = _bodies()
    parse_homework = _cpu(lambda: [Homework.from_json(h) for h in homeworks])
    parse_points = _cpu(lambda: [ActivityItem.from_json(p, LONDON) for p in points])
    row("CPU: parse 200 homework", f"{parse_homework * 1000:.1f} ms")
    row("CPU: parse 1,000 behaviour points", f"{parse_points * 1000:.1f} ms")
    for n in range(200):
        real_fake.add_homework(
            4821907, title=f"Task {n}", due_date=TODAY + timedelta(days=n % 40)
        )
    await setup_entry(hass, student_entry)
    coordinator = student_entry.runtime_data.coordinator
    if PROFILE:
        profile = cProfile.Profile()
        profile.runcall(coordinator.async_update_listeners)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    update = _cpu(coordinator.async_update_listeners)
    entities = len(hass.states.async_all())
    row(
        f"CPU: update all {entities} entities (200+ homework listed)",
        f"{update * 1000:.1f} ms",
        "< 10 ms",
        update < 0.010,
    )


def test_zz_print_table() -> None:
    """Print the table (runs last)."""
    row(
        "longest event-loop callback during all of the above",
        f"{LOOP.longest * 1000:.1f} ms",
        "< 10 ms",
        LOOP.longest < 0.010,
    )
    row("  it was", LOOP.longest_name.replace("|", "/"))
    if PROFILE:
        print(sorted(LOOP.by_name.items(), key=lambda kv: -kv[1])[:15])
    lines = [
        "| measurement | value | target | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in ROWS),
    ]
    print("\n" + "\n".join(lines))
