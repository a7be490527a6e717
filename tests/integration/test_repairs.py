"""Repair issues appear with their condition and go away with it."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass import repairs
from custom_components.classcharts_hass.const import CONF_EXCLUDED_PUPILS, DOMAIN
from tests.conftest import advance, setup_entry
from tests.fake_server import CHILD_IDS, PARENT_EMAIL, FakeClassCharts
from tests.integration.other_entries import issues, proffalken

ADA, BEN = CHILD_IDS
HIDDEN = {
    f"display_{feature}": False
    for feature in (
        "behaviour",
        "homework",
        "timetable",
        "detentions",
        "attendance",
        "announcements",
        "rewards",
        "event_badges",
        "custom_fields",
    )
}


def issue_ids(hass: HomeAssistant) -> set[str]:
    return set(issues(hass))


async def test_captcha_issue_appears_and_clears(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A captcha at login is an issue (not a reauth) until a login works again."""
    await setup_entry(hass_london, parent_entry)
    issue = f"captcha_required_{parent_entry.entry_id}"
    fake.captcha_required = True
    fake.expire_sessions()
    await advance(hass_london, freezer, timedelta(minutes=11))
    assert issue in issue_ids(hass_london)
    assert not hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert ir.async_get(hass_london).async_get_issue(DOMAIN, issue).is_fixable is False

    # Another kind of failure says nothing about the captcha.
    fake.captcha_required = False
    fake.fail_next(count=10, status=503)
    await advance(hass_london, freezer, timedelta(minutes=11))
    assert issue in issue_ids(hass_london)

    fake.clear_failures()
    for _ in range(3):
        await advance(hass_london, freezer, timedelta(minutes=11))
    assert parent_entry.runtime_data.coordinator.last_update_success
    assert issue not in issue_ids(hass_london)


async def test_captcha_at_setup_retries_with_an_issue(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A captcha at the first login: set-up is retried; the issue says what to do."""
    fake.captcha_required = True
    await setup_entry(hass_london, student_entry)
    assert student_entry.state is ConfigEntryState.SETUP_RETRY
    # What the integration's page shows beside the retrying entry.
    assert student_entry.reason.startswith("ClassCharts asks for a captcha at login")
    assert f"captcha_required_{student_entry.entry_id}" in issue_ids(hass_london)

    fake.captcha_required = False
    await hass_london.config_entries.async_reload(student_entry.entry_id)
    await hass_london.async_block_till_done()
    assert student_entry.state is ConfigEntryState.LOADED
    assert not issue_ids(hass_london)


async def test_refused_password_replaces_the_captcha_issue(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The login page answering "wrong password" means no captcha any more."""
    await setup_entry(hass_london, parent_entry)
    fake.captcha_required = True
    fake.expire_sessions()
    await advance(hass_london, freezer, timedelta(minutes=11))
    assert issue_ids(hass_london) == {f"captcha_required_{parent_entry.entry_id}"}
    fake.captcha_required = False
    fake.change_password(PARENT_EMAIL, "a new password")
    for _ in range(3):
        await advance(hass_london, freezer, timedelta(minutes=11))
    assert not issue_ids(hass_london)


async def test_tes_loop_issue_appears_and_clears(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Logins sent round the Tes check: an issue, no reauth; gone when logins work."""
    await setup_entry(hass_london, parent_entry)
    issue = f"verification_loop_{parent_entry.entry_id}"
    fake.tes_mode = "loop"
    fake.expire_sessions()
    await advance(hass_london, freezer, timedelta(minutes=11))
    assert issue in issue_ids(hass_london)
    assert not hass_london.config_entries.flow.async_progress_by_handler(DOMAIN)

    fake.tes_mode = "cookies"
    for _ in range(3):
        await advance(hass_london, freezer, timedelta(minutes=11))
    assert issue not in issue_ids(hass_london)


async def test_pupil_school_shows_nothing_of(
    hass_london: HomeAssistant,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Every feature hidden for Ben: an issue for him alone, gone when one is back."""
    fake.pupils[BEN].display.update(HIDDEN)
    await setup_entry(hass_london, parent_entry)
    issue = f"no_features_{parent_entry.entry_id}_{BEN}"
    assert issue_ids(hass_london) == {issue}
    placeholders = ir.async_get(hass_london).async_get_issue(DOMAIN, issue)
    assert placeholders is not None
    assert placeholders.translation_placeholders == {
        "title": "Sam Example",
        "pupil": "Ben Example",
    }

    fake.pupils[BEN].display["display_homework"] = True
    await advance(hass_london, freezer, timedelta(days=1))
    assert not issue_ids(hass_london)


async def test_pupil_issue_goes_when_the_pupil_is_excluded(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Unticking the child in the options ends the condition too."""
    fake.pupils[BEN].display.update(HIDDEN)
    await setup_entry(hass_london, parent_entry)
    assert issue_ids(hass_london)
    hass_london.config_entries.async_update_entry(
        parent_entry, options={CONF_EXCLUDED_PUPILS: [BEN]}
    )
    await hass_london.config_entries.async_reload(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    assert parent_entry.state is ConfigEntryState.LOADED
    assert not issue_ids(hass_london)


async def test_condition_issues_go_when_the_entry_is_disabled(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Nothing is known of an entry that is not loaded: no condition stays shown."""
    fake.pupils[BEN].display.update(HIDDEN)
    await setup_entry(hass_london, parent_entry)
    assert issue_ids(hass_london)
    await hass_london.config_entries.async_set_disabled_by(
        parent_entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass_london.async_block_till_done()
    assert parent_entry.state is ConfigEntryState.NOT_LOADED
    assert not issue_ids(hass_london)


async def test_issues_go_with_their_entry(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """Removing the entry removes its issues."""
    fake.pupils[BEN].display.update(HIDDEN)
    await setup_entry(hass_london, parent_entry)
    assert issue_ids(hass_london)
    await hass_london.config_entries.async_remove(parent_entry.entry_id)
    await hass_london.async_block_till_done()
    assert not issue_ids(hass_london)


async def test_captcha_issue_goes_when_a_retrying_entry_is_disabled(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """An entry waiting to retry is never unloaded; disabling it still clears it."""
    fake.captcha_required = True
    await setup_entry(hass_london, parent_entry)
    assert parent_entry.state is ConfigEntryState.SETUP_RETRY
    issue = f"captcha_required_{parent_entry.entry_id}"
    assert issue in issue_ids(hass_london)

    await hass_london.config_entries.async_set_disabled_by(
        parent_entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass_london.async_block_till_done()
    assert issue not in issue_ids(hass_london)


async def test_captcha_in_the_config_flow_says_so(
    hass_london: HomeAssistant, fake: FakeClassCharts
) -> None:
    """The login form names the captcha instead of "wrong details"."""
    fake.captcha_required = True
    result = await hass_london.config_entries.flow.async_init(
        DOMAIN, context={"source": "user"}
    )
    result = await hass_london.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "parent"}
    )
    result = await hass_london.config_entries.flow.async_configure(
        result["flow_id"], {"email": PARENT_EMAIL, "password": "whatever it is"}
    )
    assert result["errors"] == {"base": "captcha_required"}


def test_every_issue_is_translated() -> None:
    """Each issue kind has its text, fixable ones a confirm step."""
    strings = json.loads(
        (Path(repairs.__file__).parent / "translations" / "en.json").read_text(
            encoding="utf-8"
        )
    )["issues"]
    kinds = {
        repairs.CAPTCHA_REQUIRED,
        repairs.VERIFICATION_LOOP,
        repairs.NO_FEATURES,
        repairs.UNKNOWN_LAYOUT,
        repairs.REMOVE_OLD_ENTRIES,
    }
    assert set(strings) == kinds
    for kind in kinds:
        assert strings[kind]["title"]
        fixable = kind == repairs.REMOVE_OLD_ENTRIES
        if fixable:
            assert strings[kind]["fix_flow"]["step"]["confirm"]["description"]
        else:
            assert strings[kind]["description"]


async def test_the_removal_offer_is_a_warning_a_blank_pupil_an_error(
    hass_london: HomeAssistant, parent_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """What stops data is an error; the offer to tidy old entries only a warning."""
    proffalken(ADA, "01OLDADA000000000000000000").add_to_hass(hass_london)
    fake.pupils[BEN].display.update(HIDDEN)
    await setup_entry(hass_london, parent_entry)
    found = issues(hass_london)
    offer = found[f"remove_old_entries_{parent_entry.entry_id}"]
    assert (offer.is_fixable, offer.severity) == (True, ir.IssueSeverity.WARNING)
    blank = found[f"no_features_{parent_entry.entry_id}_{BEN}"]
    assert (blank.is_fixable, blank.severity) == (False, ir.IssueSeverity.ERROR)
