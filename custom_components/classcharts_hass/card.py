"""The school-day card: served by Home Assistant and loaded by its frontend.

The card is one plain JavaScript file (``frontend/classcharts-card.js``). It is
served from a static path and added to the frontend's extra modules, so it is in
the card picker with nothing to add under Resources. The URL carries a hash of
the file: the static path is cached for a month, and a new file is a new URL.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

CARD_FOLDER: Final = Path(__file__).parent / "frontend"
CARD_FILE: Final = "classcharts-card.js"
URL_BASE: Final = f"/{DOMAIN}_frontend"
REGISTERED: HassKey[str] = HassKey(f"{DOMAIN}_card_url")


def _file_hash() -> str:
    return hashlib.sha256((CARD_FOLDER / CARD_FILE).read_bytes()).hexdigest()[:12]


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the card and load it in every browser, once per Home Assistant."""
    # Without the frontend (a headless set-up, the tests' harness) nobody shows cards.
    if REGISTERED in hass.data or "frontend" not in hass.config.components:
        return
    version = await hass.async_add_executor_job(_file_hash)
    url = f"{URL_BASE}/{CARD_FILE}?v={version}"
    hass.data[REGISTERED] = url
    await hass.http.async_register_static_paths(
        [StaticPathConfig(URL_BASE, str(CARD_FOLDER), cache_headers=True)]
    )
    add_extra_js_url(hass, url)
