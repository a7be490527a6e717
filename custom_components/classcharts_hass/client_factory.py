"""The client a config entry or a flow logs in with, and its HTTP session."""

from __future__ import annotations

from datetime import date
import functools

from aiohttp import ClientSession, DummyCookieJar
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_create_clientsession
from homeassistant.util.hass_dict import HassKey

from .client import (
    DEFAULT_BASE_URL,
    AccountType,
    ClassChartsClient,
    Credentials,
    ParentCredentials,
    StudentCredentials,
)
from .const import (
    BASE_URL_ENV,
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    DOMAIN,
    LOGGER,
    classcharts_base_url,
)

FLOW_SESSION: HassKey[ClientSession] = HassKey(f"{DOMAIN}_flow_session")
BASE_URL: HassKey[str] = HassKey(f"{DOMAIN}_base_url")


def credentials_from_data(data: dict[str, str]) -> Credentials:
    """Rebuild the client credentials stored in a config entry."""
    if data[CONF_ACCOUNT_TYPE] == AccountType.STUDENT:
        return StudentCredentials(
            code=data[CONF_CODE],
            date_of_birth=date.fromisoformat(data[CONF_DATE_OF_BIRTH]),
        )
    return ParentCredentials(email=data[CONF_EMAIL], password=data[CONF_PASSWORD])


@functools.cache
def _warn_other_base_url(base_url: str) -> None:
    """Say once per process (and address) that this is not the real ClassCharts."""
    LOGGER.warning("Using ClassCharts at %s (set by %s)", base_url, BASE_URL_ENV)


def create_client(
    hass: HomeAssistant, credentials: Credentials, *, for_flow: bool = False
) -> ClassChartsClient:
    """A client whose session stores no cookies.

    The client keeps its cookies itself, so nothing of this account's session
    ends up in a jar that another integration could read. A config entry gets a
    session of its own; config and options flows share one.
    """
    if BASE_URL not in hass.data:
        # Read once per start: the address cannot change under a running entry.
        hass.data[BASE_URL] = classcharts_base_url()
    base_url = hass.data[BASE_URL]
    if base_url != DEFAULT_BASE_URL:
        _warn_other_base_url(base_url)
    if for_flow:
        session = hass.data.get(FLOW_SESSION)
        if session is None:
            session = hass.data[FLOW_SESSION] = async_create_clientsession(
                hass, cookie_jar=DummyCookieJar()
            )
    else:
        session = async_create_clientsession(hass, cookie_jar=DummyCookieJar())
    return ClassChartsClient(session, credentials, base_url=base_url)
