"""Read a date of birth as a person types it or as a frontend sends it."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
import re

# Day first, as on a UK school's letter: 14/03/2012, 14.3.2012, 14-03-2012.
DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})")
# Year first: 2012-03-14 (the date input's value), 2012-3-14, 2012/03/14.
YEAR_FIRST = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")


def parse_date_of_birth(value: object, time_zone: tzinfo) -> date | None:
    """The date in ``value``, or None if it names no real date.

    Understood: a date typed day first (DD/MM/YYYY, any of / . - or space
    between), a year-first date (what an HTML date input sends) and an ISO
    datetime (what a date picker may send). A datetime with a time zone is read
    in Home Assistant's zone: a picker that sends local midnight as UTC
    (2012-06-13T23:00:00Z) still means 14 June in London.
    """
    if isinstance(value, datetime):
        return _date_of(value, time_zone)
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if match := DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return _real_date(year, month, day)
    if match := YEAR_FIRST.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return _real_date(year, month, day)
    if "T" in text or " " in text:
        try:
            return _date_of(datetime.fromisoformat(text), time_zone)
        except ValueError:
            return None
    return None


def _date_of(moment: datetime, time_zone: tzinfo) -> date:
    if moment.tzinfo is not None:
        moment = moment.astimezone(time_zone)
    return moment.date()


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/2012, 14/13/2012
        return None
