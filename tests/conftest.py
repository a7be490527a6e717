"""Shared fixtures: a fake ClassCharts on loopback, and Home Assistant pointed at it."""

from __future__ import annotations

# Import the project's package before the test plugin's own copy takes the name.
import custom_components.classcharts_hass  # noqa: F401  # isort: skip

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import date, datetime, timedelta
import json
import logging
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.classcharts_hass.const import (
    BASE_URL_ENV,
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EXCLUDED_PUPILS,
    DOMAIN,
)
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_ID,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeClassCharts,
)
from tests.snapshot_format import ClassChartsSnapshotExtension

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 24)  # a Tuesday: the day with two lessons in period 3
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)  # during period 2

# Text that must never reach a log record, an exception or diagnostics.
STATIC_SECRETS = (
    STUDENT_CODE,
    PARENT_PASSWORD,
    STUDENT_DOB.isoformat(),
    STUDENT_DOB.strftime("%d/%m/%Y"),
)


def find_secrets(text: str, fake: FakeClassCharts) -> list[str]:
    """The secrets (credentials, cookies, tokens) that appear in ``text``."""
    return [s for s in (*STATIC_SECRETS, *fake.issued_secrets) if s in text]


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    """Every captured log message with its traceback text."""
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def logged_tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Records of this test's set-up and call at INFO or above that hold a traceback.

    Home Assistant (from 2026.3) logs a failed update a second time at DEBUG with
    its traceback; that is its own diagnostic, not an error of ours.
    """
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    return [
        f"{record.name}: {record.getMessage()}"
        for record in records
        if record.levelno >= logging.INFO
        and (record.exc_info is not None or "Traceback" in record.getMessage())
    ]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


class LoopbackResolver(aiohttp.ThreadedResolver):
    """aiohttp's threaded resolver with the close hook Home Assistant calls."""

    async def real_close(self) -> None:
        await self.close()


@pytest.fixture(autouse=True)
def allow_loopback(socket_enabled: None) -> Iterator[None]:
    """Allow real loopback HTTP; Home Assistant's resolver belongs to another loop."""
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        side_effect=lambda _hass: LoopbackResolver(),
    ):
        yield


@pytest.fixture(autouse=True)
def capture_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every level, so the secret checks see DEBUG records too.

    Deprecation reports fail a test through ``tests/plugins/deprecation_reports.py``.
    """
    caplog.set_level(logging.DEBUG)


@pytest.fixture
async def fake(caplog: pytest.LogCaptureFixture) -> AsyncIterator[FakeClassCharts]:
    """The fake ClassCharts, running; the test fails if any secret reached the log."""
    server = FakeClassCharts(today=TODAY)
    await server.start()
    yield server
    await server.stop()
    leaked = find_secrets(log_text(caplog), server)
    assert not leaked, f"secrets in the log: {len(leaked)}"


@pytest.fixture
async def hass_london(
    hass: HomeAssistant,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[HomeAssistant]:
    """Home Assistant in UK time on a school Tuesday, pointed at the fake server.

    At the end, no entity state or attribute may hold a secret.
    """
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    monkeypatch.setenv(BASE_URL_ENV, fake.base_url)
    yield hass
    states = json.dumps(
        [state.as_dict() for state in hass.states.async_all()], default=str
    )
    assert not find_secrets(states, fake), "a secret in an entity state"


@pytest.fixture
def student_entry() -> MockConfigEntry:
    """A student account's config entry."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id="01STUDENTENTRY0000000000AA",
        title="Ada Example",
        unique_id=f"student-{STUDENT_ID}",
        data={
            CONF_ACCOUNT_TYPE: "student",
            CONF_CODE: STUDENT_CODE,
            CONF_DATE_OF_BIRTH: STUDENT_DOB.isoformat(),
        },
    )


@pytest.fixture
def parent_entry() -> MockConfigEntry:
    """A parent account's config entry with both children included."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id="01PARENTENTRY00000000000BB",
        title="Sam Example",
        unique_id=f"parent-{PARENT_ID}",
        data={
            CONF_ACCOUNT_TYPE: "parent",
            CONF_EMAIL: PARENT_EMAIL,
            CONF_PASSWORD: PARENT_PASSWORD,
        },
        options={CONF_EXCLUDED_PUPILS: []},
    )


def only_points_until(fake: FakeClassCharts, moment: datetime) -> None:
    """Drop the seeded activity after ``moment`` (the fake shows points as they happen)."""
    limit = moment.astimezone(LONDON).replace(tzinfo=None)
    for pupil in fake.pupils.values():
        pupil.activity = [item for item in pupil.activity if item.timestamp <= limit]


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move the clock, fire due timers and wait for the refreshes they start."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


class HeldAnswer:
    """A patched call whose first answer (of those ``holds`` picks) comes back
    from the fake and then waits for ``release``: a read in flight across
    whatever the test does meanwhile. Later calls pass straight through."""

    def __init__(
        self, original: Callable[..., Awaitable[Any]], holds: Callable[..., bool]
    ) -> None:
        """Wrap ``original``."""
        self.original = original
        self._holds = holds
        self.read = asyncio.Event()  # the held answer has come back
        self.release = asyncio.Event()  # hand it over

    async def __call__(self, *args: Any) -> Any:
        """Answer, holding the first picked answer until released."""
        answer = await self.original(*args)
        if not self.read.is_set() and self._holds(*args):
            self.read.set()
            await self.release.wait()
        return answer


def hold_first_answer(
    monkeypatch: pytest.MonkeyPatch,
    target: object,
    name: str,
    holds: Callable[..., bool] = lambda *_: True,
) -> HeldAnswer:
    """Patch ``target.name`` with a ``HeldAnswer``."""
    held = HeldAnswer(getattr(target, name), holds)
    monkeypatch.setattr(target, name, held)
    return held


def find_device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    """The device with this identifier of ours.

    Asked per config entry: ``async_get_device`` raises outside an integration
    from Home Assistant 2026.9, reading ``devices`` as a mapping is deprecated
    there, and their replacements do not exist in 2026.2.
    """
    registry = dr.async_get(hass)
    return next(
        (
            device
            for entry in hass.config_entries.async_entries(DOMAIN)
            for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
            if (DOMAIN, identifier) in device.identifiers
        ),
        None,
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up a config entry, waiting until everything settled."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in one format for every tested Home Assistant line.

    Defined here because the test plugin's own override of syrupy's fixture no
    longer takes effect with the syrupy release the newer plugin pins.
    """
    return snapshot.use_extension(ClassChartsSnapshotExtension)
