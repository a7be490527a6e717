"""Constants for the ClassCharts integration."""

from __future__ import annotations

import logging
import os
from typing import Final

from .client import DEFAULT_BASE_URL

DOMAIN: Final = "classcharts_hass"
LOGGER = logging.getLogger(__package__)

# 2 since entries of another integration could wait for their first login; our old
# entries (domain classcharts) are read at versions 1 and 2 (other_integrations.py).
ENTRY_VERSION: Final = 2
ENTRY_MINOR_VERSION: Final = 1

CONF_ACCOUNT_TYPE: Final = "account_type"
CONF_CODE: Final = "code"
CONF_DATE_OF_BIRTH: Final = "date_of_birth"
CONF_PUPILS: Final = "pupils"
CONF_EXCLUDED_PUPILS: Final = "excluded_pupils"

# Only the person who starts Home Assistant can point the integration at another
# ClassCharts (the demo's fake server); nothing in the UI or a config entry can.
BASE_URL_ENV: Final = "CLASSCHARTS_BASE_URL"


def classcharts_base_url() -> str:
    """The ClassCharts address: the real service unless the environment says otherwise."""
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
