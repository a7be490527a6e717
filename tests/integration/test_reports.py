"""Latest report, New report, get_report, On report, announcement fields, messages."""

from __future__ import annotations

from datetime import date, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.classcharts_hass.const import DOMAIN
from tests.conftest import NOW, TODAY, advance, find_device, setup_entry
from tests.fake_server import STUDENT_ID, FakeClassCharts
from tests.fake_server.reports import FakeSubject

from .test_event import record

LATEST = "sensor.ada_example_latest_report"
NEW_REPORT = "event.ada_example_new_report"
ON_REPORT = "binary_sensor.ada_example_on_report"
ANNOUNCEMENT = "event.ada_example_announcement"
UNREAD = "sensor.ada_example_unread_announcements"
MESSAGES = "sensor.ada_example_unread_messages"


def ada_device(hass: HomeAssistant) -> str:
    """Ada's device id (her student login's entry)."""
    device = find_device(hass, f"student-{STUDENT_ID}_{STUDENT_ID}")
    assert device is not None
    return device.id


@pytest.fixture
def reports_shown(fake: FakeClassCharts) -> FakeClassCharts:
    fake.pupils[STUDENT_ID].display["display_academic_reports"] = True
    return fake


async def test_latest_report_and_a_new_one(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    reports_shown: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The report there at set-up is shown, not announced; a new one is, once."""
    fake = reports_shown
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(LATEST)
    assert state.state == "Autumn interim"
    assert state.attributes["attendance"] == 96.0
    assert state.attributes["start_date"] == "2026-09-01"
    assert "subjects" not in state.attributes  # grades and comments: the action only
    assert hass_london.states.get(NEW_REPORT).state == STATE_UNKNOWN
    fired = record(hass_london, NEW_REPORT)
    new = fake.add_academic_report(
        STUDENT_ID,
        "Winter progress",
        date(2026, 10, 20),
        date(2026, 12, 18),
        attendance="91",
        subjects=[
            FakeSubject("History", "Mr H Example", "Keep it up.", {"Effort": "2"})
        ],
    )
    before = len(fake.api_requests("getacademicreport/"))
    await advance(hass_london, freezer, timedelta(days=1))  # reports: daily
    await advance(hass_london, freezer, timedelta(days=1))
    state = hass_london.states.get(LATEST)
    assert (state.state, state.attributes["attendance"]) == ("Winter progress", 91.0)
    assert [(f["event_type"], f["report_id"], f["name"]) for f in fired] == [
        ("report_published", new, "Winter progress")
    ]
    # The new report read in full once, not again the day after.
    assert len(fake.api_requests("getacademicreport/")) == before + 1
    answer = await hass_london.services.async_call(
        DOMAIN,
        "get_report",
        {"pupil": ada_device(hass_london)},
        blocking=True,
        return_response=True,
    )
    assert answer is not None
    assert answer["subjects"] == [
        {
            "subject": "History",
            "attendance": None,
            "grades": [{"name": "Effort", "grade": "2"}],
            "comments": [{"teacher": "Mr H Example", "text": "Keep it up."}],
        }
    ]
    older = await hass_london.services.async_call(
        DOMAIN,
        "get_report",
        {"pupil": ada_device(hass_london), "report_id": 301},
        blocking=True,
        return_response=True,
    )
    assert older is not None
    assert older["subjects"][0]["comments"][0]["text"] == "Good progress."
    with pytest.raises(ServiceValidationError) as err:
        await hass_london.services.async_call(
            DOMAIN,
            "get_report",
            {"pupil": ada_device(hass_london), "report_id": 999},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "unknown_report"


async def test_reports_flag_off(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """The default seed hides reports: no entities, no request, a clear refusal."""
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(LATEST) is None
    assert hass_london.states.get(NEW_REPORT) is None
    assert fake.api_requests("getacademicreport") == []
    with pytest.raises(ServiceValidationError) as err:
        await hass_london.services.async_call(
            DOMAIN,
            "get_report",
            {"pupil": ada_device(hass_london)},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "reports_not_shown"


async def test_report_card_starts_and_ends(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Off before the card's first day, on through its last day, off after."""
    fake.pupils[STUDENT_ID].display["display_report_cards"] = True
    fake.add_report_card(
        STUDENT_ID,
        TODAY + timedelta(days=1),
        TODAY + timedelta(days=2),
        reason="Punctuality",
        targets=("Arrive before the bell", "Bring equipment"),
    )
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(ON_REPORT).state == "off"
    fake.today = TODAY + timedelta(days=1)
    await advance(hass_london, freezer, timedelta(days=1))
    state = hass_london.states.get(ON_REPORT)
    assert state.state == "on"
    assert state.attributes["reason"] == "Punctuality"
    assert state.attributes["targets"] == ["Arrive before the bell", "Bring equipment"]
    assert state.attributes["end_date"] == (TODAY + timedelta(days=2)).isoformat()
    details = len(fake.api_requests("getpupilreportcard/"))
    fake.today = TODAY + timedelta(days=2)
    await advance(hass_london, freezer, timedelta(days=1))
    assert hass_london.states.get(ON_REPORT).state == "on"
    assert len(fake.api_requests("getpupilreportcard/")) == details  # not read again
    fake.today = TODAY + timedelta(days=3)
    await advance(hass_london, freezer, timedelta(days=1))
    assert hass_london.states.get(ON_REPORT).state == "off"
    assert "reason" not in hass_london.states.get(ON_REPORT).attributes


async def test_report_cards_flag_off(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(ON_REPORT) is None
    assert fake.api_requests("getpupilreportcards") == []


async def test_announcement_with_attachment(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The event and the sensor carry title, text, teacher, date, files, consent, pin."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, ANNOUNCEMENT)
    template = fake.pupils[STUDENT_ID].announcements[1]
    fake.pupils[STUDENT_ID].announcements.append(
        {
            **template,
            "id": 990010,
            "title": "Museum trip",
            "description": "<p>Please sign the <b>consent</b> form.</p>",
            "teacher_name": "Ms M Example",
            "timestamp": (NOW + timedelta(minutes=5)).isoformat(),
            "attachments": [
                {"filename": "form.pdf", "url": "https://example.invalid/a/form.pdf"}
            ],
        }
    )
    await advance(hass_london, freezer, timedelta(hours=3, minutes=10))
    [event] = fired
    expected = {
        "title": "Museum trip",
        "text": "Please sign the consent form.",
        "teacher": "Ms M Example",
        "attachments": [
            {"name": "form.pdf", "url": "https://example.invalid/a/form.pdf"}
        ],
        "asks_consent": True,
        "pinned": True,
    }
    assert {key: event[key] for key in expected} == expected
    sensor = hass_london.states.get(UNREAD).attributes
    assert {key: sensor[key] for key in expected} == expected
    assert sensor["date"] == event["time"]


async def test_announcements_flag_off(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    fake.pupils[STUDENT_ID].display["display_announcements"] = False
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(ANNOUNCEMENT) is None
    assert hass_london.states.get(UNREAD) is None


async def test_unread_messages_without_a_request(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_entry(hass_london, student_entry)
    assert hass_london.states.get(MESSAGES).state == "0"
    fake.pupils[STUDENT_ID].messages_count = 4
    await advance(hass_london, freezer, timedelta(minutes=10))
    assert hass_london.states.get(MESSAGES).state == "4"
    assert not [r for r in fake.requests if "message" in r.path]


async def test_a_report_card_of_one_day_is_on_that_day(
    hass_london: HomeAssistant, student_entry: MockConfigEntry, fake: FakeClassCharts
) -> None:
    """A card that starts and ends today is a card, and today the pupil is on it."""
    fake.pupils[STUDENT_ID].display["display_report_cards"] = True
    fake.add_report_card(STUDENT_ID, TODAY, TODAY, reason="Uniform")
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(ON_REPORT)
    assert state.state == "on"
    assert state.attributes["reason"] == "Uniform"


@pytest.mark.parametrize(
    ("sent", "shown"), [("0", 0.0), ("100", 100.0), ("-1", None), ("100.5", None)]
)
async def test_a_reports_attendance_is_shown_within_0_to_100(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    reports_shown: FakeClassCharts,
    sent: str,
    shown: float | None,
) -> None:
    """0 % and 100 % are a report's attendance as sent; outside that, none."""
    reports_shown.add_academic_report(
        STUDENT_ID, "Winter progress", date(2026, 10, 20), TODAY, attendance=sent
    )
    await setup_entry(hass_london, student_entry)
    state = hass_london.states.get(LATEST)
    assert state.state == "Winter progress"
    assert state.attributes["attendance"] == shown


async def test_only_web_links_are_an_announcements_attachments(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """http and https links (any case) are kept, named by their file or the
    link's last part; a script, a mail link or no link at all is left out."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, ANNOUNCEMENT)
    template = fake.pupils[STUDENT_ID].announcements[1]
    fake.pupils[STUDENT_ID].announcements.append(
        {
            **template,
            "id": 990011,
            "timestamp": (NOW + timedelta(minutes=5)).isoformat(),
            "attachments": [
                {"filename": "menu.pdf", "url": "http://example.invalid/menu.pdf"},
                {"filename": "", "url": " HTTPS://example.invalid/b/kit.pdf "},
                {"filename": "x.pdf", "url": "javascript:alert(1)"},
                {"filename": "y.pdf", "url": "mailto:office@example.invalid"},
                {"filename": "z.pdf"},
            ],
        }
    )
    await advance(hass_london, freezer, timedelta(hours=3, minutes=10))
    [event] = fired
    assert event["attachments"] == [
        {"name": "menu.pdf", "url": "http://example.invalid/menu.pdf"},
        {"name": "kit.pdf", "url": "HTTPS://example.invalid/b/kit.pdf"},
    ]


async def test_an_announcement_lists_ten_of_its_files(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    fake: FakeClassCharts,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A letter with 12 files: the event and the sensor list the first 10."""
    await setup_entry(hass_london, student_entry)
    fired = record(hass_london, ANNOUNCEMENT)
    template = fake.pupils[STUDENT_ID].announcements[1]
    files = [
        {"filename": f"page{n}.pdf", "url": f"https://example.invalid/p/{n}.pdf"}
        for n in range(1, 13)
    ]
    fake.pupils[STUDENT_ID].announcements.append(
        {
            **template,
            "id": 990012,
            "timestamp": (NOW + timedelta(minutes=5)).isoformat(),
            "attachments": files,
        }
    )
    await advance(hass_london, freezer, timedelta(hours=3, minutes=10))
    [event] = fired
    expected = [f"page{n}.pdf" for n in range(1, 11)]
    assert [a["name"] for a in event["attachments"]] == expected
    sensor = hass_london.states.get(UNREAD).attributes
    assert [a["name"] for a in sensor["attachments"]] == expected
