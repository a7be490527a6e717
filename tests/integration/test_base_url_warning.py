"""The warning that another ClassCharts than the real one is used: once per process."""

from __future__ import annotations

from datetime import date

from homeassistant.core import HomeAssistant
import pytest

from custom_components.classcharts_hass.client import StudentCredentials
from custom_components.classcharts_hass.client_factory import (
    _warn_other_base_url,
    create_client,
)
from custom_components.classcharts_hass.const import BASE_URL_ENV

CREDENTIALS = StudentCredentials(code="ADA12345", date_of_birth=date(2012, 3, 14))


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The base-URL warnings logged."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelname == "WARNING"
        and r.getMessage().startswith("Using ClassCharts at")
    ]


async def test_warned_once_for_many_clients(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Fifteen clients (twenty minutes of polls and flows): one warning per address."""
    _warn_other_base_url.cache_clear()
    monkeypatch.setenv(BASE_URL_ENV, "http://127.0.0.1:9")
    for n in range(15):
        create_client(hass, CREDENTIALS, for_flow=n % 2 == 0)
    assert warnings(caplog) == [
        f"Using ClassCharts at http://127.0.0.1:9 (set by {BASE_URL_ENV})"
    ]
    # Read once per start: a changed variable does not move a running instance.
    monkeypatch.setenv(BASE_URL_ENV, "http://127.0.0.1:10")
    create_client(hass, CREDENTIALS)
    assert len(warnings(caplog)) == 1


async def test_not_warned_for_the_real_service(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Without the variable: the real ClassCharts, nothing to say."""
    _warn_other_base_url.cache_clear()
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    create_client(hass, CREDENTIALS)
    assert warnings(caplog) == []
