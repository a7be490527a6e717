"""Repair issues: what a user must act on that a reauth cannot fix.

A condition issue (captcha, Tes loop, a pupil the school shows nothing of) is
raised when a refresh sees the condition and deleted when a refresh sees it gone,
so it disappears by itself. The migration notices are kept until the user
confirms them; the unknown-layout issue goes with its entry.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .client import (
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsError,
    ClassChartsVerificationLoopError,
    Pupil,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.config_entries import ConfigEntry

CAPTCHA_REQUIRED = "captcha_required"
VERIFICATION_LOOP = "verification_loop"
NO_FEATURES = "no_features"
UNKNOWN_LAYOUT = "unknown_layout"
ENTRY_MIGRATED = "entry_migrated"
ENTRIES_MERGED = "entries_merged"

# The login conditions replace each other: ClassCharts answered the login one way.
LOGIN_ISSUES: dict[type[ClassChartsError], str] = {
    ClassChartsCaptchaError: CAPTCHA_REQUIRED,
    ClassChartsVerificationLoopError: VERIFICATION_LOOP,
}


def issue_id(kind: str, entry_id: str, pupil_id: int | None = None) -> str:
    """The issue id of a condition of one entry (and pupil)."""
    base = f"{kind}_{entry_id}"
    return base if pupil_id is None else f"{base}_{pupil_id}"


def _create(
    hass: HomeAssistant,
    kind: str,
    entry: ConfigEntry,
    *,
    pupil_id: int | None = None,
    placeholders: dict[str, str] | None = None,
    fixable: bool = False,
    persistent: bool = False,
    data: dict[str, str | int | float | None] | None = None,
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry.entry_id, pupil_id),
        data={"entry_id": entry.entry_id, **(data or {})},
        is_fixable=fixable,
        is_persistent=persistent,
        severity=ir.IssueSeverity.ERROR if not fixable else ir.IssueSeverity.WARNING,
        translation_key=kind,
        translation_placeholders={"title": entry.title, **(placeholders or {})},
    )


def _entry_issues(hass: HomeAssistant, entry_id: str) -> list[ir.IssueEntry]:
    registry = ir.async_get(hass)
    return [
        issue
        for (domain, _), issue in registry.issues.items()
        if domain == DOMAIN and (issue.data or {}).get("entry_id") == entry_id
    ]


@callback
def async_refresh_failed(
    hass: HomeAssistant, entry: ConfigEntry, err: ClassChartsError
) -> None:
    """A refresh (or the first login) failed: raise the issue its error calls for.

    An outage says nothing about the login, so it leaves the login issues alone;
    a refused password means the login page answered, without the condition.
    """
    wanted = next(
        (kind for cls, kind in LOGIN_ISSUES.items() if isinstance(err, cls)), None
    )
    if wanted is None and not isinstance(err, ClassChartsAuthenticationError):
        return
    for kind in LOGIN_ISSUES.values():
        if kind == wanted:
            _create(hass, kind, entry)
        else:
            ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry.entry_id))


@callback
def async_refresh_worked(
    hass: HomeAssistant, entry: ConfigEntry, blank: Iterable[Pupil]
) -> None:
    """A refresh worked: the login issues are over; ``blank`` pupils show nothing."""
    for kind in LOGIN_ISSUES.values():
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry.entry_id))
    blank_ids = set()
    for pupil in blank:
        blank_ids.add(pupil.id)
        _create(
            hass,
            NO_FEATURES,
            entry,
            pupil_id=pupil.id,
            placeholders={"pupil": pupil.name},
        )
    prefix = issue_id(NO_FEATURES, entry.entry_id) + "_"
    for issue in _entry_issues(hass, entry.entry_id):
        if issue.issue_id.startswith(prefix) and (
            int(issue.issue_id.removeprefix(prefix)) not in blank_ids
        ):
            ir.async_delete_issue(hass, DOMAIN, issue.issue_id)


@callback
def async_unknown_layout(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """An entry this integration cannot read: say to remove it and add it again."""
    _create(hass, UNKNOWN_LAYOUT, entry)


@callback
def async_migrated(
    hass: HomeAssistant, entry: ConfigEntry, children: Iterable[str]
) -> None:
    """Tell what migration made of the old per-child entries (kept until confirmed).

    A later merge into the same entry adds to the notice instead of replacing it.
    """
    names = list(children)
    for kind in (ENTRY_MIGRATED, ENTRIES_MERGED):
        old = ir.async_get(hass).async_get_issue(DOMAIN, issue_id(kind, entry.entry_id))
        if old is not None and old.data:
            names = [*json.loads(str(old.data["children"])), *names]
            ir.async_delete_issue(hass, DOMAIN, old.issue_id)
    names = list(dict.fromkeys(names))
    _create(
        hass,
        ENTRY_MIGRATED if len(names) == 1 else ENTRIES_MERGED,
        entry,
        placeholders={"children": ", ".join(names)},
        fixable=True,
        persistent=True,
        data={"children": json.dumps(names)},
    )


@callback
def async_remove_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every issue of an entry (removed, or unloaded: nothing is known)."""
    for issue in _entry_issues(hass, entry_id):
        ir.async_delete_issue(hass, DOMAIN, issue.issue_id)


@callback
def async_remove_condition_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the condition issues of an entry being unloaded; keep the notices."""
    for issue in _entry_issues(hass, entry_id):
        if not issue.is_persistent:
            ir.async_delete_issue(hass, DOMAIN, issue.issue_id)


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The only fixable issues are the migration notices: confirming dismisses them."""
    return ConfirmRepairFlow()
