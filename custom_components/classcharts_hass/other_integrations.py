"""The accounts in config entries of the other ClassCharts integrations.

skid88's and proffalken's integrations, and this one before its domain became
``classcharts_hass``, keep their config entries under the domain ``classcharts``.
Those entries stay theirs, in Home Assistant's storage whether or not their
integration is installed: this module only reads them, so that each account can
be offered here (switching.py, switching_flow.py). Reading sends nothing and
never raises; an entry it cannot read is skipped with one log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
import hashlib
import re
from typing import Any, Final

from homeassistant.config_entries import SOURCE_IGNORE, ConfigEntry
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util.hass_dict import HassKey

from .client import (
    AccountType,
    Credentials,
    ParentCredentials,
    StudentCredentials,
    normalise_pupil_code,
)
from .const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EXCLUDED_PUPILS,
    DOMAIN,
    ENTRY_VERSION,
    LOGGER,
)

# The domain every other ClassCharts integration (and our old one) uses.
OTHER_DOMAIN: Final = "classcharts"

# The other integrations' per-child layouts: (email key, pupil id key, source).
FOREIGN_LAYOUTS: Final = (
    ("username", "student_id", "proffalken/ha-classcharts"),
    (CONF_EMAIL, "pupil_id", "skid88/Classcharts"),
)
# Our own entries from before the domain changed.
OUR_OLD_SOURCE: Final = "classcharts-ha/classcharts-homeassistant"
# Children an entry of ours named while it waited for its first login.
CONF_MIGRATED_PUPILS: Final = "migrated_pupils"

# A pupil id is a few ASCII digits: "²" passes str.isdigit() but not int().
_PUPIL_ID: Final = re.compile(r"[0-9]{1,18}")
_UNREADABLE_LOGGED: HassKey[set[str]] = HassKey(f"{DOMAIN}_unreadable_logged")


@dataclass(frozen=True, slots=True)
class OldEntry:
    """What one entry of domain ``classcharts`` tells about its account.

    ``named`` are the children it shows; ``None`` means every child on the
    account except ``excluded`` (our old parent layout).
    """

    entry: ConfigEntry
    source: str
    credentials: Credentials
    named: frozenset[int] | None
    excluded: frozenset[int]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OtherAccount:
    """One account of the other integrations: all its entries together."""

    key: str
    credentials: Credentials
    entries: tuple[OldEntry, ...]

    @property
    def sources(self) -> str:
        """Where the account's entries come from."""
        return ", ".join(dict.fromkeys(old.source for old in self.entries))

    @property
    def children(self) -> str:
        """The children the entries name, as they name them."""
        return ", ".join(dict.fromkeys(n for old in self.entries for n in old.names))

    @property
    def login(self) -> str:
        """The login as a person knows it: the email address, or the pupil."""
        if isinstance(self.credentials, ParentCredentials):
            return self.credentials.email
        return self.children

    @property
    def named(self) -> frozenset[int] | None:
        """The children named; ``None`` when an entry showed all but some."""
        if any(old.named is None for old in self.entries):
            return None
        return frozenset().union(*(old.named or () for old in self.entries))

    @property
    def excluded(self) -> list[int]:
        """The children no entry shows (only when ``named`` is ``None``)."""
        named = frozenset().union(*(old.named or () for old in self.entries))
        left_out = [old.excluded for old in self.entries if old.named is None]
        return sorted(frozenset.intersection(*left_out) - named) if left_out else []

    @property
    def entry_ids(self) -> list[str]:
        """The old entries of this account."""
        return [old.entry.entry_id for old in self.entries]


def _pupil_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and _PUPIL_ID.fullmatch(value.strip()):
        return int(value.strip()) or None
    return None


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def read_foreign(entry: ConfigEntry) -> OldEntry | None:
    """Read a per-child entry of another integration; ``None`` when it is none."""
    data = entry.data
    password = data.get(CONF_PASSWORD)
    if CONF_ACCOUNT_TYPE in data or not isinstance(password, str) or not password:
        return None
    for email_key, id_key, source in FOREIGN_LAYOUTS:
        email = _text(data, email_key)
        pupil_id = _pupil_id(data.get(id_key))
        if email and pupil_id is not None:
            name = _text(data, "student_name") or entry.title or str(pupil_id)
            return OldEntry(
                entry,
                source,
                ParentCredentials(email=email, password=password),
                frozenset({pupil_id}),
                frozenset(),
                (name,),
            )
    return None


def _ids(value: object) -> frozenset[int] | None:
    if not isinstance(value, list):
        return None
    ids = [_pupil_id(item) for item in value]
    return None if None in ids else frozenset(i for i in ids if i is not None)


def _device_names(hass: HomeAssistant, entry: ConfigEntry) -> tuple[str, ...]:
    registry = dr.async_get(hass)
    return tuple(
        sorted(
            str(device.name_by_user or device.name)
            for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
            if device.name_by_user or device.name
        )
    )


def read_our_old(hass: HomeAssistant, entry: ConfigEntry) -> OldEntry | None:
    """Read an entry this integration wrote under its old domain."""
    data = entry.data
    if entry.version > ENTRY_VERSION:
        return None
    match data.get(CONF_ACCOUNT_TYPE):
        case AccountType.STUDENT.value:
            code = normalise_pupil_code(_text(data, CONF_CODE))
            try:
                born = date.fromisoformat(_text(data, CONF_DATE_OF_BIRTH))
            except ValueError:
                return None
            if not code:
                return None
            credentials: Credentials = StudentCredentials(code=code, date_of_birth=born)
            named, excluded = None, None
        case AccountType.PARENT.value:
            email, password = _text(data, CONF_EMAIL), data.get(CONF_PASSWORD)
            if not email or not isinstance(password, str) or not password:
                return None
            credentials = ParentCredentials(email=email, password=password)
            named = _ids(data.get(CONF_MIGRATED_PUPILS, []))
            excluded = _ids(entry.options.get(CONF_EXCLUDED_PUPILS, []))
            if named is None or excluded is None:
                return None
        case _:
            return None
    # A student entry is titled after its pupil; a parent one after the parent.
    names = _device_names(hass, entry) or (
        (entry.title,) if entry.title and named is None and excluded is None else ()
    )
    return OldEntry(
        entry,
        OUR_OLD_SOURCE,
        credentials,
        named or None,
        excluded or frozenset(),
        names,
    )


def _read(hass: HomeAssistant, entry: ConfigEntry) -> OldEntry | None:
    old = read_our_old(hass, entry) or read_foreign(entry)
    logged = hass.data.setdefault(_UNREADABLE_LOGGED, set())
    if old is None and entry.entry_id not in logged:
        logged.add(entry.entry_id)
        # Key names only: the values may be credentials.
        LOGGER.warning(
            "Config entry %s of another ClassCharts integration (version %s, "
            "keys %s) is in a layout this integration cannot read; add that "
            "account by hand",
            entry.entry_id,
            entry.version,
            ", ".join(sorted(map(str, entry.data))) or "none",
        )
    return old


def account_key(credentials: Credentials, entry_id: str) -> str:
    """A stable id of an account that holds no secret.

    A parent account is its email address (any case), hashed; a student login
    stands alone, so its old entry's id names it.
    """
    if isinstance(credentials, ParentCredentials):
        email = credentials.email.casefold().encode()
        return f"parent-{hashlib.sha256(email).hexdigest()[:20]}"
    return f"student-{entry_id}"


@callback
def other_accounts(hass: HomeAssistant) -> list[OtherAccount]:
    """Every account the other integrations' entries hold, oldest entry first."""
    groups: dict[str, list[OldEntry]] = {}
    for entry in sorted(
        hass.config_entries.async_entries(OTHER_DOMAIN),
        key=lambda entry: (entry.created_at, entry.entry_id),
    ):
        if entry.source == SOURCE_IGNORE:
            continue
        if (old := _read(hass, entry)) is not None:
            key = account_key(old.credentials, entry.entry_id)
            groups.setdefault(key, []).append(old)
    return [
        # The most recently changed entry most likely holds the current password.
        OtherAccount(
            key, max(olds, key=lambda o: o.entry.modified_at).credentials, tuple(olds)
        )
        for key, olds in groups.items()
    ]


def same_login(ours: Mapping[str, Any], credentials: Credentials) -> bool:
    """Whether an entry of ours logs in to the same account."""
    if isinstance(credentials, ParentCredentials):
        return (
            ours.get(CONF_ACCOUNT_TYPE) == AccountType.PARENT.value
            and _text(ours, CONF_EMAIL).casefold() == credentials.email.casefold()
        )
    return (
        ours.get(CONF_ACCOUNT_TYPE) == AccountType.STUDENT.value
        and normalise_pupil_code(_text(ours, CONF_CODE)) == credentials.code
        and _text(ours, CONF_DATE_OF_BIRTH) == credentials.date_of_birth.isoformat()
    )


@callback
def accounts_to_offer(hass: HomeAssistant) -> list[OtherAccount]:
    """The other integrations' accounts that no entry of ours logs in to."""
    ours = [
        entry.data
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.source != SOURCE_IGNORE
    ]
    return [
        account
        for account in other_accounts(hass)
        if not any(same_login(data, account.credentials) for data in ours)
    ]
