"""Running the integration through simulated days (shared by tests and the benchmark)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import LONDON, advance, setup_entry
from tests.fake_server import FakeClassCharts


async def simulate_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    fake: FakeClassCharts,
    entry: MockConfigEntry,
    day: date,
) -> Counter[str]:
    """Set up at midnight, run until 23:59, and count requests by endpoint."""
    freezer.move_to(datetime.combine(day, datetime.min.time(), LONDON))
    await setup_entry(hass, entry)
    for _ in range(24 * 60 - 1):
        await advance(hass, freezer, timedelta(minutes=1))
    return Counter(r.path.split("/")[2] for r in fake.requests)
