"""The school-day card is served and added to the frontend's modules once."""

from __future__ import annotations

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.classcharts_hass.card import CARD_FILE, CARD_FOLDER
from custom_components.classcharts_hass.const import DOMAIN


async def test_card_registered_once_with_versioned_url(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    assert await async_setup_component(hass, "frontend", {})
    assert await async_setup_component(hass, DOMAIN, {})
    urls = [u for u in hass.data[DATA_EXTRA_MODULE_URL].urls if DOMAIN in u]
    assert len(urls) == 1
    path, _, version = urls[0].partition("?v=")
    assert path == f"/{DOMAIN}_frontend/{CARD_FILE}"
    assert len(version) == 12
    client = await hass_client()
    answer = await client.get(urls[0])
    assert answer.status == 200
    assert await answer.text() == (CARD_FOLDER / CARD_FILE).read_text(encoding="utf-8")


async def test_no_card_without_frontend(hass: HomeAssistant) -> None:
    """A Home Assistant without the frontend: nothing registered, nothing fails."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert DATA_EXTRA_MODULE_URL not in hass.data
