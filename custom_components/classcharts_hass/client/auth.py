"""Credentials for the two kinds of ClassCharts login."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import AccountType

if TYPE_CHECKING:
    from datetime import date


@dataclass(frozen=True, slots=True)
class StudentCredentials:
    """A pupil code and date of birth; neither appears in ``repr``."""

    code: str = field(repr=False)
    date_of_birth: date = field(repr=False)

    def __post_init__(self) -> None:
        """Normalise the code the way the ClassCharts login page does."""
        object.__setattr__(self, "code", normalise_pupil_code(self.code))

    @property
    def account_type(self) -> AccountType:
        """A student account."""
        return AccountType.STUDENT

    def login_form(self) -> dict[str, str]:
        """The fields of the website's student login form."""
        return {
            "_method": "POST",
            "code": self.code,
            "dob": self.date_of_birth.strftime("%d/%m/%Y"),
            "remember_me": "1",
            "recaptcha-token": "no-token-available",
        }


@dataclass(frozen=True, slots=True)
class ParentCredentials:
    """An email address and password; neither appears in ``repr``."""

    email: str = field(repr=False)
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        """Trim the email address; the password is used exactly as typed."""
        object.__setattr__(self, "email", self.email.strip())

    @property
    def account_type(self) -> AccountType:
        """A parent account."""
        return AccountType.PARENT

    def login_form(self) -> dict[str, str]:
        """The fields of the website's parent login form."""
        return {
            "_method": "POST",
            "email": self.email,
            "password": self.password,
            "logintype": "existing",
            "recaptcha-token": "no-token-available",
        }


type Credentials = StudentCredentials | ParentCredentials


def normalise_pupil_code(code: str) -> str:
    """Upper-case a pupil code and drop the spaces people type into it."""
    return "".join(code.split()).upper()
