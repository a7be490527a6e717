"""Reading a date of birth as typed or as a frontend sends it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from custom_components.classcharts_hass.school.birth_date import parse_date_of_birth

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14/03/2012", date(2012, 3, 14)),
        ("1/3/2012", date(2012, 3, 1)),
        ("14 03 2012", date(2012, 3, 14)),
        ("14 / 03 / 2012", date(2012, 3, 14)),
        ("2012/03/14", date(2012, 3, 14)),
        ("2012-03-14", date(2012, 3, 14)),
        ("2012-03-14 00:00:00", date(2012, 3, 14)),
        # Local midnight sent as UTC: still 14 June in London (BST).
        ("2012-06-13T23:00:00Z", date(2012, 6, 14)),
        ("2012-06-14T00:00:00+01:00", date(2012, 6, 14)),
        # A naive datetime is read as written.
        ("2012-06-13T23:00:00", date(2012, 6, 13)),
        (date(2012, 3, 14), date(2012, 3, 14)),
        (datetime(2012, 6, 13, 23, tzinfo=ZoneInfo("UTC")), date(2012, 6, 14)),
        ("29/02/2012", date(2012, 2, 29)),
        ("29/02/2013", None),
        ("00/03/2012", None),
        ("14/03/12", None),
        ("2012-03-14Tnoon", None),
        ("14th March 2012", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_of_birth(value: object, expected: date | None) -> None:
    """Day first when typed, year first when sent; zone-aware datetimes in London."""
    assert parse_date_of_birth(value, LONDON) == expected
