"""How many HTTP requests a refresh costs, cold and after the session expired.

Run with ``-s`` to print the counts.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from custom_components.classcharts_hass.client import ClassChartsClient
from tests.conftest import TODAY
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .conftest import FakeClock

MONTH_AGO = TODAY - timedelta(days=30)


async def one_of_each(client: ClassChartsClient) -> None:
    await client.get_pupils()
    await client.get_activity(STUDENT_ID, MONTH_AGO, TODAY)
    await client.get_behaviour(STUDENT_ID, MONTH_AGO, TODAY)
    await client.get_homeworks(STUDENT_ID, MONTH_AGO, TODAY)
    await client.get_timetable(STUDENT_ID, TODAY)
    await client.get_detentions(STUDENT_ID)
    await client.get_announcements(STUDENT_ID)
    await client.get_badges(STUDENT_ID)
    await client.get_attendance(STUDENT_ID, MONTH_AGO, TODAY)
    await client.get_custom_fields(STUDENT_ID)
    await client.get_rewards(STUDENT_ID)


def tally(fake: FakeClassCharts) -> Counter[str]:
    counts: Counter[str] = Counter()
    for request in fake.requests:
        parts = request.path.strip("/").split("/")
        counts[f"{request.method} /{'/'.join(parts[:2])}"] += 1
    return counts


async def test_requests_cold_and_after_expiry(
    clocked_fake: FakeClassCharts, clocked_student: ClassChartsClient, clock: FakeClock
) -> None:
    await one_of_each(clocked_student)
    cold = tally(clocked_fake)
    clocked_fake.clear_requests()
    clock.advance(600)  # ten minutes later: the session is long dead
    await one_of_each(clocked_student)
    warm = tally(clocked_fake)
    for title, counts in (("cold", cold), ("after 10 minutes", warm)):
        print(f"\n{title}: {sum(counts.values())} requests")
        for path, number in sorted(counts.items()):
            print(f"  {number:2d}  {path}")
    data_calls = 10  # get_pupils of a student needs no request of its own
    for counts in (cold, warm):
        assert counts["POST /student/login"] == 1
        assert counts["POST /apiv2student/ping"] == 1
        assert sum(counts.values()) == 2 + data_calls
        assert all(number == 1 for number in counts.values())
    # Every request after the logins was answered for the right account.
    assert all(r.account == f"student:{STUDENT_ID}" for r in clocked_fake.requests)
