"""Repair issues: what a user must act on that a reauth cannot fix.

A condition issue (captcha, Tes loop, a pupil the school shows nothing of) is
raised when a refresh sees the condition and deleted when a refresh sees it gone,
so it disappears by itself. Once an entry has polled, the offer to remove the
old integration's entries of its account stays until they are gone; the
unknown-layout issue goes with its entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import SIGNAL_CONFIG_ENTRY_CHANGED, ConfigEntryChange
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .client import (
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsError,
    ClassChartsVerificationLoopError,
    Pupil,
)
from .const import DOMAIN
from .other_integrations import OldEntry, other_accounts, same_login
from .schema import vol

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.config_entries import ConfigEntry

    from .schema import PROBATIO

    # Repairs flows' results got a type of their own with the probatio release
    # (2026.10); scripts/test tells mypy which Home Assistant it checks against.
    if PROBATIO:
        from homeassistant.components.repairs import (
            RepairsFlowResult as FixFlowResult,
        )
    else:
        from homeassistant.data_entry_flow import FlowResult as FixFlowResult

CAPTCHA_REQUIRED = "captcha_required"
VERIFICATION_LOOP = "verification_loop"
NO_FEATURES = "no_features"
UNKNOWN_LAYOUT = "unknown_layout"
REMOVE_OLD_ENTRIES = "remove_old_entries"

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
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry.entry_id, pupil_id),
        data={"entry_id": entry.entry_id},
        is_fixable=fixable,
        is_persistent=False,
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
    async_offer_removal(hass, entry)
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
def async_offer_removal(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Offer to remove the old integration's entries of this entry's account.

    Asked after each successful poll, so the offer comes once this entry works
    and goes when the old entries are gone (removed here or elsewhere).
    """
    old = _old_entries_of(hass, entry)
    if not old:
        ir.async_delete_issue(
            hass, DOMAIN, issue_id(REMOVE_OLD_ENTRIES, entry.entry_id)
        )
        return
    _create(
        hass,
        REMOVE_OLD_ENTRIES,
        entry,
        placeholders={
            "source": ", ".join(dict.fromkeys(o.source for o in old)),
            "children": ", ".join(dict.fromkeys(n for o in old for n in o.names)),
            "count": str(len(old)),
        },
        fixable=True,
    )


def _old_entries_of(hass: HomeAssistant, entry: ConfigEntry) -> list[OldEntry]:
    """The other integrations' entries that log in to this entry's account."""
    return [
        old
        for account in other_accounts(hass)
        if same_login(entry.data, account.credentials)
        for old in account.entries
    ]


@callback
def async_remove_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every issue of an entry (removed, or unloaded: nothing is known)."""
    for issue in _entry_issues(hass, entry_id):
        ir.async_delete_issue(hass, DOMAIN, issue.issue_id)


@callback
def async_remove_condition_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the issues of an entry being unloaded.

    Every issue is a condition that the next poll raises again if it still holds.
    """
    async_remove_entry_issues(hass, entry_id)


class RemoveOldEntriesFlow(RepairsFlow):
    """Remove the old integration's entries of one account, on the user's click."""

    def __init__(self, entry_id: str) -> None:
        """Remember whose old entries to remove."""
        self._entry_id = entry_id

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> FixFlowResult:
        """Ask first; nothing is removed before the user confirms."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> FixFlowResult:
        """Remove the entries that still belong to the account when confirmed."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_removed")
        if user_input is None:
            return self.async_show_form(step_id="confirm", data_schema=vol.Schema({}))
        # Read again: only what is still the account's, as it is now.
        for old in _old_entries_of(self.hass, entry):
            await self.hass.config_entries.async_remove(old.entry.entry_id)
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The only fixable issue offers to remove the old integration's entries."""
    return RemoveOldEntriesFlow(str((data or {}).get("entry_id", "")))


@callback
def async_setup_issue_cleanup(hass: HomeAssistant) -> None:
    """Drop an entry's issues when it is disabled, whatever state it was in.

    Home Assistant unloads a loaded entry that is disabled, but an entry that
    waits to retry its set-up is never unloaded, so its issues would stay.
    """

    @callback
    def _changed(change: ConfigEntryChange, entry: ConfigEntry) -> None:
        if (
            entry.domain == DOMAIN
            and change is ConfigEntryChange.UPDATED
            and entry.disabled_by is not None
        ):
            async_remove_entry_issues(hass, entry.entry_id)

    async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, _changed)
