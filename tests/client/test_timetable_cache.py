"""The integration's timetable day cache, against the fake server."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from custom_components.classcharts_hass.client import ClassChartsError
from custom_components.classcharts_hass.school import timetable_cache
from custom_components.classcharts_hass.school.lookahead import walk
from custom_components.classcharts_hass.school.timetable_cache import TimetableCache
from tests.conftest import LONDON
from tests.fake_server import STUDENT_ID, FakeClassCharts

from .conftest import ClientFactory

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)


def timetable_requests(fake: FakeClassCharts) -> list[str]:
    return [r.query["date"] for r in fake.api_requests("timetable")]


async def test_fetches_missing_days_only(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """Past days are kept; today and later are fetched again after a day."""
    cache = TimetableCache(student(), STUDENT_ID)
    await cache.fetch(date(2026, 11, 23), date(2026, 11, 25), NOW)
    assert len(timetable_requests(fake)) == 3
    fake.clear_requests()
    await cache.fetch(date(2026, 11, 23), date(2026, 11, 26), NOW)
    assert timetable_requests(fake) == ["2026-11-26"]
    fake.clear_requests()
    later = NOW + timedelta(days=1, minutes=1)
    await cache.fetch(date(2026, 11, 23), date(2026, 11, 26), later)
    # Monday and Tuesday are past now; Wednesday's copy is a day old.
    assert sorted(timetable_requests(fake)) == ["2026-11-25", "2026-11-26"]


async def test_a_long_range_is_cut(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """A query for half a year reads at most MAX_DAYS_PER_QUERY days."""
    cache = TimetableCache(student(), STUDENT_ID)
    days = await cache.fetch(date(2026, 9, 1), date(2027, 3, 1), NOW)
    assert len(timetable_requests(fake)) == timetable_cache.MAX_DAYS_PER_QUERY
    assert max(days) == date(2026, 9, 1) + timedelta(
        days=timetable_cache.MAX_DAYS_PER_QUERY - 1
    )


async def test_the_cache_forgets_the_oldest_days(
    fake: FakeClassCharts, student: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays bounded: past the limit, the oldest days go."""
    monkeypatch.setattr(timetable_cache, "MAX_CACHED_DAYS", 10)
    cache = TimetableCache(student(), STUDENT_ID)
    await cache.fetch(date(2026, 11, 1), date(2026, 11, 14), NOW)
    kept = cache.known(date.min, date.max)
    assert sorted(kept) == [date(2026, 11, 5) + timedelta(days=n) for n in range(10)]


@pytest.mark.parametrize(
    ("age", "wanted"),
    [
        # Days without lessons are believed for just under a week.
        (timedelta(days=7) - timedelta(seconds=1), date(2026, 12, 14)),
        (timedelta(days=7), date(2026, 12, 7)),
    ],
)
async def test_a_holiday_read_is_trusted_for_under_a_week(
    fake: FakeClassCharts,
    student: ClientFactory,
    age: timedelta,
    wanted: date,
) -> None:
    """Past the week: a holiday read 7 days ago is read again; one read less
    long ago is believed, and the walk goes on to the day with lessons."""
    fake.set_holidays(date(2026, 12, 7), date(2026, 12, 11))
    cache = TimetableCache(student(), STUDENT_ID)
    await cache.fetch(date(2026, 12, 7), date(2026, 12, 14), NOW)
    friday = date(2026, 12, 4)
    assert walk(cache, friday, NOW + age)[1] == wanted


@pytest.mark.parametrize(
    ("age", "wanted"),
    [
        (timedelta(hours=1) - timedelta(seconds=1), None),
        (timedelta(hours=1), date(2026, 12, 7)),
    ],
)
async def test_a_day_with_lessons_past_the_week_is_trusted_under_an_hour(
    fake: FakeClassCharts,
    student: ClientFactory,
    age: timedelta,
    wanted: date | None,
) -> None:
    """A day with lessons past the week counts when read less than an hour ago."""
    cache = TimetableCache(student(), STUDENT_ID)
    await cache.fetch(date(2026, 12, 7), date(2026, 12, 7), NOW)
    friday = date(2026, 12, 4)
    assert walk(cache, friday, NOW + age) == (
        (friday, wanted) if wanted else (date(2026, 12, 7), None)
    )


async def test_a_lesson_of_no_length_is_kept_one_over_twelve_hours_is_not(
    fake: FakeClassCharts, student: ClientFactory
) -> None:
    """A lesson that starts as it ends (a registration, say) is a lesson of its
    day; twelve hours is the longest lesson believed."""
    day = date(2026, 11, 25)
    start = datetime(2026, 11, 25, 7, 0, tzinfo=LONDON)
    for subject, length in (
        ("Registration", timedelta(0)),
        ("Trip", timedelta(hours=12)),
        ("Endless", timedelta(hours=12, minutes=1)),
    ):
        fake.add_lesson(
            STUDENT_ID,
            day,
            subject=subject,
            lesson_name=f"9X/{subject}",
            start=start,
            end=start + length,
        )
    cache = TimetableCache(student(), STUDENT_ID)
    lessons = (await cache.fetch(day, day, NOW))[day]
    subjects = {lesson.subject for lesson in lessons}
    assert {"Registration", "Trip"} <= subjects
    assert "Endless" not in subjects


@pytest.mark.parametrize(
    ("failing_for", "shown"),
    [(timedelta(hours=3, seconds=-1), True), (timedelta(hours=3), False)],
)
async def test_a_day_failing_for_the_keep_time_is_no_longer_shown(
    fake: FakeClassCharts,
    student: ClientFactory,
    failing_for: timedelta,
    shown: bool,
) -> None:
    """A day read once and failing since is shown as it was for just under
    ``keep``; from then on it is unknown, like a day never read."""
    day = date(2026, 11, 25)
    cache = TimetableCache(student(), STUDENT_ID)
    await cache.fetch(day, day, NOW)
    failed_at = NOW + timedelta(minutes=10)
    fake.fail_next(path_contains="timetable")
    with pytest.raises(ClassChartsError):
        await cache.fetch(day, day, failed_at, refresh=True)
    keep = timedelta(hours=3)
    assert (day in cache.shown(failed_at + failing_for, keep)) is shown
