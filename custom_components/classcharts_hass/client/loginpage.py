"""Reading the login page ClassCharts shows instead of a session.

The form login succeeds with a redirect and cookies. Any other answer is a page,
and only its own wording says why: the refusal texts the API notes list, or a
captcha demand. Only the text a browser shows is read, so a refused-password
page that merely loads a captcha script is still a refused password.
"""

from __future__ import annotations

import json
from typing import Final
from urllib.parse import unquote

from .exceptions import (
    ClassChartsAuthenticationError,
    ClassChartsCaptchaError,
    ClassChartsError,
    ClassChartsResponseError,
)
from .html import html_to_text
from .models import AccountType
from .parse import ShapeError, as_object, text
from .transport import safe_value

# Lower-cased parts of the refusal texts ClassCharts shows (API notes, section 3).
REFUSALS: Final = (
    "pupil code you have provided is incorrect",
    "date of birth you have provided is incorrect",
    "email address or password provided is incorrect",
)
# A captcha demand in the shown text: these words, not the bare "captcha" of a
# script name or a hidden "recaptcha-token" field.
CAPTCHA_DEMANDS: Final = (
    "complete the recaptcha",
    "complete the captcha",
    "captcha is required",
    "captcha verification failed",
    "verify that you are not a robot",
    "confirm you are not a robot",
)


def read_refusal(
    account_type: AccountType, status: int, body: bytes
) -> ClassChartsError:
    """The error a login answer without a session stands for.

    An unrecognised page, even with HTTP 200, is not taken as "wrong
    credentials": that would start a reauthentication (and a person typing the
    password again) for what may be a maintenance or error page. It is a
    ``ClassChartsResponseError``; the next poll tries again, and the page's
    length and status are in the message for a bug report.
    """
    shown = " ".join(html_to_text(body.decode("utf-8", "replace")).lower().split())
    if any(refusal in shown for refusal in REFUSALS):
        what = (
            "pupil code or date of birth"
            if account_type is AccountType.STUDENT
            else "email address or password"
        )
        return ClassChartsAuthenticationError(f"ClassCharts refused the {what}")
    if any(demand in shown for demand in CAPTCHA_DEMANDS):
        return ClassChartsCaptchaError(
            "ClassCharts asked for a captcha; log in on the website once, then retry"
        )
    kind = account_type.value
    return ClassChartsResponseError(
        f"POST /{kind}/login: answered HTTP {status} with a page that is neither "
        f"a session nor a refusal the client recognises ({len(body)} bytes)"
    )


def token_from_cookie(raw: str, what: str) -> str:
    """The session id inside the URL-encoded JSON credentials cookie."""
    try:
        value = as_object(json.loads(unquote(raw)), "cookie")
        token = text(value, "session_id")
    except (ValueError, ShapeError, RecursionError) as err:
        msg = f"{what} is not the expected JSON"
        raise ClassChartsResponseError(msg) from err
    if not token or not safe_value(token):
        msg = f"{what} holds no session id the client can send"
        raise ClassChartsResponseError(msg)
    return token
