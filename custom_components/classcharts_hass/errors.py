"""The one place where client errors become Home Assistant exceptions."""

from __future__ import annotations

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .client import (
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsLimitError,
    ClassChartsRateLimitError,
    ClassChartsResponseError,
    ClassChartsVerificationLoopError,
)
from .const import DOMAIN


def _translation_key(err: ClassChartsError) -> str:
    """Pick the translated message for a client error."""
    if isinstance(err, ClassChartsAuthenticationError):
        return "invalid_auth"
    if isinstance(err, ClassChartsCaptchaError):
        return "captcha_required"
    if isinstance(err, ClassChartsVerificationLoopError):
        return "verification_loop"
    if isinstance(err, ClassChartsLimitError):
        return "school_limit_reached"
    if isinstance(err, ClassChartsRateLimitError):
        return "rate_limited"
    if isinstance(err, ClassChartsConnectionError):
        return "cannot_connect"
    if isinstance(err, ClassChartsResponseError):
        return "bad_response"
    return "unknown_error"


def _reauth_or[E: UpdateFailed | ConfigEntryNotReady](
    err: ClassChartsError, other: type[E]
) -> ConfigEntryAuthFailed | E:
    """Refused credentials start a reauth; anything else is ``other``, translated."""
    if isinstance(err, ClassChartsAuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        )
    return _translated(err, other)


def _translated[E: HomeAssistantError](err: ClassChartsError, kind: type[E]) -> E:
    """``kind`` with the client error's translated message."""
    return kind(
        translation_domain=DOMAIN,
        translation_key=_translation_key(err),
        translation_placeholders={"error": str(err)},
    )


def update_error(
    err: ClassChartsError, *, reauth: bool = True
) -> ConfigEntryAuthFailed | UpdateFailed:
    """The exception a coordinator raises for a failed refresh.

    ``reauth=False`` (the entry is unloading, perhaps to reload with a new
    password): refused credentials fail the refresh and ask for nothing.
    """
    return _reauth_or(err, UpdateFailed) if reauth else _translated(err, UpdateFailed)


def setup_error(err: ClassChartsError) -> ConfigEntryAuthFailed | ConfigEntryNotReady:
    """The exception a set-up step outside the coordinator raises for a client error."""
    return _reauth_or(err, ConfigEntryNotReady)


def action_error(err: ClassChartsError) -> HomeAssistantError:
    """The exception an entity action or service raises for a client error."""
    return _translated(err, HomeAssistantError)
