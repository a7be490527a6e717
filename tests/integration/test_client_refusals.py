"""A captcha demand or a Tes loop fails the poll clearly; neither starts a reauth."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import DOMAIN
from tests.conftest import setup_entry
from tests.fake_server import FakeClassCharts
from tests.integration.flow_helpers import STUDENT_INPUT, start, submit


@pytest.mark.parametrize(
    ("fault", "words"), [("captcha", "captcha"), ("tes", "Tes check")]
)
async def test_refusals_a_reauth_cannot_fix(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    fault: str,
    words: str,
) -> None:
    await setup_entry(hass_london, student_entry)
    coordinator = student_entry.runtime_data.coordinator
    fake.expire_sessions()
    if fault == "captcha":
        fake.captcha_required = True
    else:
        fake.tes_mode = "loop"
    coordinator.client._renewed_at -= 600  # the session is long gone
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert words in str(coordinator.last_exception)
    flows = hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert not [f for f in flows if f["context"]["source"] == "reauth"]


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"success": 1, "data": {"user": NaN}, "meta": {}}'],
    ids=["deep", "nan"],
)
async def test_hostile_ping_is_a_form_error_not_a_crash(
    hass_london: HomeAssistant, fake: FakeClassCharts, body: bytes
) -> None:
    fake.set_response("ping", body)
    result = await start(hass_london, fake, "student")
    result = await submit(hass_london, fake, result, STUDENT_INPUT)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
