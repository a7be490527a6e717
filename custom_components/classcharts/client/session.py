"""The ClassCharts session: form login, ping renewal, and the one request path."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import aiohttp
from yarl import URL

from .exceptions import (
    ClassChartsAuthenticationError,
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsRateLimitError,
    ClassChartsResponseError,
    ClassChartsServerError,
    ClassChartsSessionError,
    ClassChartsTimeoutError,
)
from .models import (
    Account,
    AccountType,
    Pupil,
)
from .parse import JSONObject, ShapeError, as_object, integer, text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .auth import Credentials


_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://www.classcharts.com"
DEFAULT_TIMEOUT: Final = 20.0
# A token lives about 180 s. Renew it with a ping when it is this old...
TOKEN_RENEW_AFTER: Final = 120.0
# ...and do not even try once it is this old: log in again straight away.
TOKEN_GIVE_UP_AFTER: Final = 170.0
# After a failed login, calls within this many seconds fail without trying again.
LOGIN_RETRY_AFTER: Final = 30.0
# A server asking to wait longer than this is not taken at its word.
MAX_RETRY_AFTER: Final = 6 * 3600.0
_TES_HOST: Final = "session.tes.com"


class _NotAuthenticatedError(Exception):
    """The service answered "not logged in" (error body, 401, or Tes redirect)."""


def _monotonic() -> float:
    """Seconds from a monotonic clock, looked up at call time (tests move it)."""
    return time.monotonic()


class ClassChartsSession:
    """One account's login with ClassCharts, and every request made with it.

    The session keeps its own cookies and sends them explicitly, so two accounts
    never see each other's session even when they share one ``ClientSession``.
    Concurrent calls share one login.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        credentials: Credentials,
        *,
        base_url: str = DEFAULT_BASE_URL,
        request_timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Create the session; nothing is sent until the first call."""
        self._session = session
        self._credentials = credentials
        self._base_url = URL(base_url)
        self._timeout = request_timeout
        self._clock = clock or _monotonic
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._cookies: dict[str, str] = {}
        self._renewed_at = 0.0
        self._generation = 0
        self._failed_login: tuple[float, ClassChartsError] | None = None
        self.account: Account | None = None
        self._student: Pupil | None = None
        # The pupils' time zones, learnt from the pupil list.
        self._zones: dict[int, ZoneInfo] = {}
        self.logins = 0

    def __repr__(self) -> str:
        """Describe the client without any credential or session detail."""
        return (
            f"{type(self).__name__}(account_type={self.account_type.value!r}, "
            f"base_url={str(self._base_url)!r})"
        )

    @property
    def account_type(self) -> AccountType:
        """Student or parent."""
        return self._credentials.account_type

    @property
    def _api(self) -> str:
        return (
            "apiv2student"
            if self.account_type is AccountType.STUDENT
            else "apiv2parent"
        )

    # Session -----------------------------------------------------------------

    async def login(self) -> Account:
        """Log in now (even if a session exists) and return the account."""
        async with self._lock:
            await self._login()
        assert self.account is not None  # noqa: S101  # set by _login
        return self.account

    async def _ensure_session(self) -> None:
        """Log in or renew the token so the next call is authenticated."""
        async with self._lock:
            now = self._clock()
            age = now - self._renewed_at
            if self._token is None and self._failed_login is not None:
                failed_at, error = self._failed_login
                if now - failed_at < LOGIN_RETRY_AFTER:
                    # Calls queued behind a login that just failed share its
                    # failure instead of each trying again (no request storm).
                    raise error
            if self._token is None or age >= TOKEN_GIVE_UP_AFTER:
                await self._login_once()
            elif age >= TOKEN_RENEW_AFTER:
                try:
                    await self._ping()
                except _NotAuthenticatedError:
                    await self._login()

    async def _login_once(self) -> None:
        """Log in, remembering a failure for the calls waiting behind this one."""
        try:
            await self._login()
        except ClassChartsError as err:
            self._failed_login = (self._clock(), err)
            raise
        self._failed_login = None

    async def _login(self) -> None:
        """Form login with the redirect not followed, then the activating ping."""
        self._token = None
        self._cookies = {}
        kind = self.account_type.value
        name = f"POST /{kind}/login"
        credentials_cookie = f"{kind}_session_credentials"
        self.logins += 1
        _LOGGER.debug("Logging in to ClassCharts as a %s", kind)
        status, headers, body = await self._http(
            "POST",
            self._base_url / kind / "login",
            name,
            data=self._credentials.login_form(),
        )
        location = headers.get("Location", "")
        if status in {301, 302, 303} and credentials_cookie in self._cookies:
            if _TES_HOST in location:
                msg = f"{name}: ClassCharts sent the login to the Tes session check"
                raise ClassChartsSessionError(msg)
            try:
                value = as_object(
                    json.loads(unquote(self._cookies[credentials_cookie])), "cookie"
                )
            except (ValueError, ShapeError) as err:
                msg = (
                    f"{name}: the {credentials_cookie} cookie is not the expected JSON"
                )
                raise ClassChartsResponseError(msg) from err
            self._token = text(value, "session_id") or None
        if self._token is None:
            raise self._refusal(name, status, body)
        self._generation += 1
        try:
            await self._ping()
        except _NotAuthenticatedError as err:
            msg = "POST ping: ClassCharts refused a session it had just opened"
            raise ClassChartsSessionError(msg) from err

    def _refusal(self, name: str, status: int, body: bytes) -> ClassChartsError:
        """Tell refused credentials apart from a page that is no answer at all.

        Only a refusal the login page words as such (or a captcha) means the
        credentials are wrong; a maintenance page must not start a reauth.
        """
        page = body.lower()
        if b"captcha" in page:
            return ClassChartsAuthenticationError(
                "ClassCharts asked for a captcha; log in on the website once, then retry"
            )
        if status == 200 and b"incorrect" in page:  # noqa: PLR2004
            what = (
                "pupil code or date of birth"
                if self.account_type is AccountType.STUDENT
                else "email address or password"
            )
            return ClassChartsAuthenticationError(f"ClassCharts refused the {what}")
        return ClassChartsResponseError(
            f"{name}: answered HTTP {status} with neither a session nor a refusal"
        )

    async def _ping(self) -> None:
        """Activate or renew the session; the answer carries a new token."""
        data, meta = await self._send("POST", "ping", {}, {"include_data": "true"})
        try:
            user = as_object(as_object(data, "data").get("user"), "data.user")
            token = text(meta, "session_id")
            if self.account_type is AccountType.STUDENT:
                student = Pupil.from_json(user)
                self._student = student
                self.account = Account(AccountType.STUDENT, student.id, student.name)
            else:
                self.account = Account(
                    AccountType.PARENT, integer(user, "id"), text(user, "name")
                )
        except ShapeError as err:
            raise ClassChartsResponseError(f"POST ping: {err}") from err
        if token:
            self._token = token
        self._renewed_at = self._clock()

    # Transport ---------------------------------------------------------------

    async def _call(
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, str] | None = None,
    ) -> tuple[Any, JSONObject]:
        """Send an authenticated call; log in again once if the session died."""
        await self._ensure_session()
        generation = self._generation
        try:
            return await self._send(method, endpoint, params or {}, None)
        except _NotAuthenticatedError:
            _LOGGER.debug(
                "ClassCharts session expired during %s; logging in again", endpoint
            )
        async with self._lock:
            if self._generation == generation:
                await self._login()
        try:
            return await self._send(method, endpoint, params or {}, None)
        except _NotAuthenticatedError as err:
            msg = f"{method} {endpoint}: still not logged in after a fresh login"
            raise ClassChartsSessionError(msg) from err

    async def _send(
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, str],
        data: Mapping[str, str] | None,
    ) -> tuple[Any, JSONObject]:
        """One API request: returns ``(data, meta)`` of a successful envelope."""
        name = f"{method} {endpoint.split('/', maxsplit=1)[0]}"
        url = self._base_url / self._api / endpoint
        status, headers, body = await self._http(
            method, url, name, params=params, data=data, authenticated=True
        )
        if status in {301, 302, 303, 307, 308, 401, 403}:
            # A redirect (to the Tes session check) or 401 means "log in again".
            raise _NotAuthenticatedError
        if status >= 400:  # noqa: PLR2004
            msg = f"{name}: HTTP {status}"
            raise ClassChartsResponseError(msg)
        try:
            payload = json.loads(body)
        except ValueError as err:
            kind = headers.get("Content-Type", "no content type").split(";")[0]
            msg = f"{name}: the answer is not JSON ({kind}, {len(body)} bytes)"
            raise ClassChartsResponseError(msg) from err
        if not isinstance(payload, dict):
            msg = f"{name}: the answer is not a JSON object"
            raise ClassChartsResponseError(msg)
        if payload.get("success") not in (1, True, "1"):
            error = payload.get("error")
            error_text = error if isinstance(error, str) else ""
            if "not logged in" in error_text.lower() or payload.get("expired") in (
                1,
                True,
            ):
                raise _NotAuthenticatedError
            msg = f"{name}: ClassCharts reported an error: {error_text[:200] or 'none given'}"
            raise ClassChartsResponseError(msg)
        meta = payload.get("meta")
        return payload.get("data"), meta if isinstance(meta, dict) else {}

    async def _http(
        self,
        method: str,
        url: URL,
        name: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        authenticated: bool = False,
    ) -> tuple[int, Mapping[str, str], bytes]:
        """Send one HTTP request and map transport failures to client errors."""
        headers = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}
        if authenticated and self._token:
            headers["Authorization"] = f"Basic {self._token}"
        if authenticated and self._cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self._cookies.items())
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    allow_redirects=False,
                ) as response,
            ):
                self._keep_cookies(response)
                body = await response.read()
        except TimeoutError as err:
            msg = f"{name}: no answer within {self._timeout:g} s"
            raise ClassChartsTimeoutError(msg) from err
        except aiohttp.ClientError as err:
            msg = f"{name}: {type(err).__name__}"
            raise ClassChartsConnectionError(msg) from err
        status = response.status
        if status == 429:  # noqa: PLR2004
            raise ClassChartsRateLimitError(
                f"{name}: rate limited (HTTP 429)", _retry_after(response.headers)
            )
        if status >= 500:  # noqa: PLR2004
            raise ClassChartsServerError(f"{name}: server error HTTP {status}", status)
        return status, response.headers, body

    def _keep_cookies(self, response: aiohttp.ClientResponse) -> None:
        """Keep the service's cookies for this client only."""
        if not response.cookies:
            return
        for key, morsel in response.cookies.items():
            self._cookies[key] = morsel.value
        # A shared session's jar must not hand our cookies to another account.
        if response.url.host:
            self._session.cookie_jar.clear_domain(response.url.host)

    async def _parsed[T](
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, str] | None,
        parse: Callable[[Any, JSONObject], T],
    ) -> T:
        """Call and parse; any shape problem becomes a ``ClassChartsResponseError``."""
        data, meta = await self._call(method, endpoint, params)
        try:
            return parse(data, meta)
        except (ShapeError, KeyError, TypeError, ValueError, AttributeError) as err:
            name = f"{method} {endpoint.split('/', maxsplit=1)[0]}"
            msg = f"{name}: unexpected response: {err}"
            raise ClassChartsResponseError(msg) from err


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Read a Retry-After header given in seconds, capped at MAX_RETRY_AFTER."""
    try:
        seconds = float(headers.get("Retry-After", ""))
    except ValueError:
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)
