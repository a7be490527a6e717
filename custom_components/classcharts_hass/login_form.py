"""The login forms: their fields, the checks before anything is sent, what is stored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
import re
from typing import Any

from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .client import (
    Account,
    AccountType,
    Credentials,
    ParentCredentials,
    StudentCredentials,
    normalise_pupil_code,
)
from .const import CONF_ACCOUNT_TYPE, CONF_CODE, CONF_DATE_OF_BIRTH
from .schema import vol
from .school.birth_date import parse_date_of_birth

MAX_PASSWORD_LENGTH = 256
PUPIL_CODE = re.compile(r"^[A-Z0-9]{4,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OLDEST_DATE_OF_BIRTH = date(1900, 1, 1)

STUDENT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CODE): TextSelector(),
        # A plain text field, typed day first as on the school's letter
        # (14/03/2012) in every browser. Not the date selector: it cannot be
        # typed into and opens on today, so a birth date takes a year heading
        # and month after month of clicks. Not a text field of type "date"
        # either: its order follows the browser's locale (mm/dd/yyyy in many)
        # and Home Assistant's text field hides its calendar button.
        # parse_date_of_birth also reads what date widgets send (ISO dates
        # and datetimes), so any frontend or script works.
        vol.Required(CONF_DATE_OF_BIRTH): TextSelector(),
    }
)
PARENT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_EMAIL): TextSelector(
            TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username")
        ),
        vol.Required(CONF_PASSWORD): TextSelector(
            TextSelectorConfig(
                type=TextSelectorType.PASSWORD, autocomplete="current-password"
            )
        ),
    }
)


def login_schema(account_type: AccountType) -> vol.Schema:
    """The login form of that kind of account."""
    return STUDENT_SCHEMA if account_type is AccountType.STUDENT else PARENT_SCHEMA


def parse_credentials(
    account_type: AccountType, user_input: Mapping[str, Any], time_zone: tzinfo
) -> tuple[Credentials | None, dict[str, str]]:
    """Check the form before anything is sent; return credentials or errors.

    Every field is checked, so that all the form's messages show at once.
    """
    errors: dict[str, str] = {}
    if account_type is AccountType.STUDENT:
        code = normalise_pupil_code(str(user_input.get(CONF_CODE, "")))
        if not PUPIL_CODE.fullmatch(code):
            errors[CONF_CODE] = "invalid_code"
        born = parse_date_of_birth(user_input.get(CONF_DATE_OF_BIRTH, ""), time_zone)
        today = datetime.now(time_zone).date()
        if born is None or not OLDEST_DATE_OF_BIRTH <= born < today:
            errors[CONF_DATE_OF_BIRTH] = "invalid_date_of_birth"
        if errors or born is None:
            return None, errors
        return StudentCredentials(code=code, date_of_birth=born), {}
    email = str(user_input.get(CONF_EMAIL, "")).strip()
    password = str(user_input.get(CONF_PASSWORD, ""))
    if not EMAIL.fullmatch(email):
        errors[CONF_EMAIL] = "invalid_email"
    if not password:
        errors[CONF_PASSWORD] = "empty_password"
    elif len(password) > MAX_PASSWORD_LENGTH:
        errors[CONF_PASSWORD] = "password_too_long"
    if errors:
        return None, errors
    return ParentCredentials(email=email, password=password), {}


def entry_data(credentials: Credentials) -> dict[str, str]:
    """What a config entry stores: the account type and its credentials."""
    if isinstance(credentials, StudentCredentials):
        return {
            CONF_ACCOUNT_TYPE: AccountType.STUDENT.value,
            CONF_CODE: credentials.code,
            CONF_DATE_OF_BIRTH: credentials.date_of_birth.isoformat(),
        }
    return {
        CONF_ACCOUNT_TYPE: AccountType.PARENT.value,
        CONF_EMAIL: credentials.email,
        CONF_PASSWORD: credentials.password,
    }


def account_unique_id(account: Account) -> str:
    """The config entry's unique id: the ClassCharts account.

    A student account's id is its pupil's id (see two_logins.py).
    """
    return f"{account.type.value}-{account.id}"
