"""Config entries of other ClassCharts integrations (and our own older ones) become ours.

Every ClassCharts integration for Home Assistant uses the domain ``classcharts``,
so a user who switches hands us the other one's entries: one per child, parent
logins, version 1 like our own first layout, so layouts are told apart by their
keys. Nothing is sent to ClassCharts while migrating. The entries of one account
become one parent entry naming the children they named; its first successful
set-up settles what only a login can tell (unique id, title, the account's other
children to exclude). Home Assistant migrates entries one by one in any order, so
the entry that survives is chosen from the whole group, the same way every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import SOURCE_IGNORE, ConfigEntry
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from . import repairs
from .client import AccountType, ClassChartsError
from .const import (
    CONF_ACCOUNT_TYPE,
    CONF_CODE,
    CONF_DATE_OF_BIRTH,
    CONF_EXCLUDED_PUPILS,
    DOMAIN,
    ENTRY_MINOR_VERSION,
    ENTRY_VERSION,
    LOGGER,
)
from .errors import setup_error
from .login_form import account_unique_id

if TYPE_CHECKING:
    from .client import ClassChartsClient


# A migrated entry's children, until its first successful set-up settles them.
CONF_MIGRATED_PUPILS: Final = "migrated_pupils"

# The other integrations' layouts: (email key, pupil id key).
FOREIGN_LAYOUTS: Final = (("username", "student_id"), (CONF_EMAIL, "pupil_id"))


@dataclass(frozen=True, slots=True)
class ForeignEntry:
    """What a per-child entry of another ClassCharts integration tells."""

    email: str
    password: str
    pupil_id: int
    pupil_name: str

    @property
    def name(self) -> str:
        """The child's name as the old entry had it (its id when it had none)."""
        return self.pupil_name or str(self.pupil_id)

    @property
    def account(self) -> str:
        """The parent account, as the same email address typed any way."""
        return self.email.casefold()


def _pupil_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def read_foreign(data: Mapping[str, Any]) -> ForeignEntry | None:
    """Read a known layout of another integration; ``None`` when it is none of them."""
    if CONF_ACCOUNT_TYPE in data:
        return None
    password = data.get(CONF_PASSWORD)
    for email_key, id_key in FOREIGN_LAYOUTS:
        email = data.get(email_key)
        pupil_id = _pupil_id(data.get(id_key))
        if (
            isinstance(email, str)
            and email.strip()
            and isinstance(password, str)
            and password
            and pupil_id is not None
        ):
            name = data.get("student_name")
            return ForeignEntry(
                email.strip(),
                password,
                pupil_id,
                name.strip() if isinstance(name, str) and name.strip() else "",
            )
    return None


def is_our_layout(data: Mapping[str, Any]) -> bool:
    """Whether the data is a layout this integration writes (any version)."""
    match data.get(CONF_ACCOUNT_TYPE):
        case AccountType.STUDENT.value:
            born = data.get(CONF_DATE_OF_BIRTH)
            try:
                date.fromisoformat(str(born))
            except ValueError:
                return False
            return isinstance(data.get(CONF_CODE), str) and bool(data[CONF_CODE])
        case AccountType.PARENT.value:
            return all(
                isinstance(data.get(key), str) and data[key]
                for key in (CONF_EMAIL, CONF_PASSWORD)
            )
    return False


def _parent_account(data: Mapping[str, Any]) -> str | None:
    if data.get(CONF_ACCOUNT_TYPE) != AccountType.PARENT.value:
        return None
    return str(data.get(CONF_EMAIL, "")).strip().casefold() or None


def _active(entry: ConfigEntry) -> bool:
    """Entries Home Assistant sets up; a disabled one joins when it is enabled."""
    return entry.source != SOURCE_IGNORE and entry.disabled_by is None


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Bring an entry to this version's layout; never raises, sends nothing."""
    if (entry.version, entry.minor_version) == (ENTRY_VERSION, ENTRY_MINOR_VERSION):
        return True  # taken over while another entry of its account migrated
    if entry.version <= ENTRY_VERSION and is_our_layout(entry.data):
        # A newer minor version of this major one reads the same: leave it.
        if (entry.version, entry.minor_version) < (ENTRY_VERSION, ENTRY_MINOR_VERSION):
            hass.config_entries.async_update_entry(
                entry, version=ENTRY_VERSION, minor_version=ENTRY_MINOR_VERSION
            )
        return True
    old = read_foreign(entry.data) if entry.version == 1 else None
    if old is None:
        # Key names only: the values may be credentials.
        LOGGER.error(
            "Config entry %s (version %s.%s, keys %s) is in a layout this "
            "integration does not know; remove it and add the account again",
            entry.entry_id,
            entry.version,
            entry.minor_version,
            ", ".join(sorted(entry.data)) or "none",
        )
        repairs.async_unknown_layout(hass, entry)
        return False
    return _migrate_foreign(hass, entry, old)


def _migrate_foreign(
    hass: HomeAssistant, entry: ConfigEntry, old: ForeignEntry
) -> bool:
    """Take the entry over, or move its child into the entry of its account."""
    target = next(
        (
            other
            for other in hass.config_entries.async_entries(DOMAIN)
            if other.entry_id != entry.entry_id
            and is_our_layout(other.data)
            and _parent_account(other.data) == old.account
        ),
        None,
    )
    if target is None:
        group = sorted(
            (
                (other, foreign)
                for other in hass.config_entries.async_entries(DOMAIN)
                if other.version == 1
                and (_active(other) or other is entry)
                and (foreign := read_foreign(other.data)) is not None
                and foreign.account == old.account
            ),
            key=lambda pair: (pair[0].created_at, pair[0].entry_id),
        )
        target = group[0][0]
        _take_over(hass, target, [foreign for _, foreign in group])
        if target is entry:
            return True
    _include(hass, target, [old.pupil_id])
    repairs.async_migrated(hass, target, [old.name])
    LOGGER.info(
        "Config entry %s of another ClassCharts integration merged into %s",
        entry.entry_id,
        target.entry_id,
    )
    _remove_soon(hass, entry)
    return False


def _take_over(
    hass: HomeAssistant, entry: ConfigEntry, group: list[ForeignEntry]
) -> None:
    """Make the entry ours: a parent login naming every child of its group."""
    first = group[0]
    hass.config_entries.async_update_entry(
        entry,
        data={
            CONF_ACCOUNT_TYPE: AccountType.PARENT.value,
            CONF_EMAIL: first.email,
            CONF_PASSWORD: first.password,
            CONF_MIGRATED_PUPILS: sorted({old.pupil_id for old in group}),
        },
        # The old options mean nothing here; no key means "not chosen yet".
        options={},
        unique_id=None,
        version=ENTRY_VERSION,
        minor_version=ENTRY_MINOR_VERSION,
    )
    # The old integration's entities and devices would linger as "not provided".
    er.async_get(hass).async_clear_config_entry(entry.entry_id)
    dr.async_get(hass).async_clear_config_entry(entry.entry_id)
    repairs.async_migrated(hass, entry, [old.name for old in group])
    LOGGER.info(
        "Config entry %s of another ClassCharts integration now holds %d children",
        entry.entry_id,
        len(group),
    )


@callback
def _include(hass: HomeAssistant, target: ConfigEntry, pupil_ids: list[int]) -> None:
    """Make sure the target entry includes these children."""
    if (named := target.data.get(CONF_MIGRATED_PUPILS)) is not None:
        merged = sorted({*named, *pupil_ids})
        if merged != sorted(named):
            hass.config_entries.async_update_entry(
                target, data={**target.data, CONF_MIGRATED_PUPILS: merged}
            )
        return
    excluded = list(target.options.get(CONF_EXCLUDED_PUPILS, []))
    if any(pupil_id in excluded for pupil_id in pupil_ids):
        hass.config_entries.async_update_entry(
            target,
            options={
                **target.options,
                CONF_EXCLUDED_PUPILS: [p for p in excluded if p not in pupil_ids],
            },
        )
        hass.config_entries.async_schedule_reload(target.entry_id)


@callback
def _remove_soon(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove an entry whose child now lives in another one.

    The entry is being set up (its lock is held), so the removal waits for that.
    """
    hass.async_create_task(
        hass.config_entries.async_remove(entry.entry_id),
        f"{DOMAIN} remove merged entry {entry.entry_id}",
    )


async def async_settle_migrated_entry(
    hass: HomeAssistant, entry: ConfigEntry, client: ClassChartsClient
) -> bool:
    """First set-up of a migrated entry: settle it from the login.

    Returns ``False`` when another entry already holds the account: the children
    move there and this entry goes away.
    """
    if CONF_MIGRATED_PUPILS not in entry.data:
        return True
    try:
        account = await client.login()
        pupils = await client.get_pupils()
    except ClassChartsError as err:
        repairs.async_refresh_failed(hass, entry, err)
        raise setup_error(err) from err
    # Read after the login: an old entry enabled meanwhile may have added a child.
    named: list[int] = entry.data[CONF_MIGRATED_PUPILS]
    unique_id = account_unique_id(account)
    owner = hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id)
    if owner is not None and owner.entry_id != entry.entry_id:
        _include(hass, owner, list(named))
        repairs.async_migrated(hass, owner, [p.name for p in pupils if p.id in named])
        _remove_soon(hass, entry)
        return False
    kept = set(named) & {pupil.id for pupil in pupils}
    # A child no longer on the account is dropped; with none left, keep them all.
    excluded = entry.options.get(
        CONF_EXCLUDED_PUPILS, [p.id for p in pupils if kept and p.id not in kept]
    )
    hass.config_entries.async_update_entry(
        entry,
        data={k: v for k, v in entry.data.items() if k != CONF_MIGRATED_PUPILS},
        options={**entry.options, CONF_EXCLUDED_PUPILS: excluded},
        title=account.name,
        unique_id=unique_id,
    )
    LOGGER.info("Migrated config entry %s settled at its first login", entry.entry_id)
    return True
