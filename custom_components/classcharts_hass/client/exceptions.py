"""Exceptions raised by the ClassCharts client.

Messages name the endpoint and what was wrong. They never contain a password,
pupil code, date of birth or session id.
"""

from __future__ import annotations


class ClassChartsError(Exception):
    """Base class of every error the client raises."""


class ClassChartsAuthenticationError(ClassChartsError):
    """ClassCharts refused the credentials (wrong code, date of birth or password)."""


class ClassChartsSessionError(ClassChartsError):
    """ClassCharts still said "not logged in" straight after a fresh login."""


class ClassChartsConnectionError(ClassChartsError):
    """ClassCharts could not be reached or answered with a server fault."""


class ClassChartsTimeoutError(ClassChartsConnectionError):
    """A request to ClassCharts timed out."""


class ClassChartsServerError(ClassChartsConnectionError):
    """ClassCharts answered with an HTTP 5xx status."""

    def __init__(self, message: str, status: int) -> None:
        """Keep the HTTP status for callers that back off."""
        super().__init__(message)
        self.status = status


class ClassChartsRateLimitError(ClassChartsError):
    """ClassCharts answered 429 Too Many Requests."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        """Keep the server's Retry-After (seconds), when it sent one."""
        super().__init__(message)
        self.retry_after = retry_after


class ClassChartsResponseError(ClassChartsError):
    """ClassCharts answered with something the client cannot use.

    Non-JSON bodies, bodies of the wrong shape, and errors the service reports
    with ``success: 0`` all end up here.
    """


class ClassChartsLimitError(ClassChartsError):
    """The school's limit refuses the request (a home point awarded too often today).

    Never retried: the same request would be refused again until the limit resets.
    """


class ClassChartsCaptchaError(ClassChartsError):
    """ClassCharts asked for a captcha at login; a person must log in on the website once."""


class ClassChartsVerificationLoopError(ClassChartsError):
    """ClassCharts kept sending the login round its Tes verification check."""
