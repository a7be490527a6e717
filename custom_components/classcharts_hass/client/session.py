"""The ClassCharts session: form login, activation, renewal, and the request path.

A session is in one of four states (``SessionState``). Data is requested only
on an ``ACTIVE`` session, that is after its activating ping succeeded:
ClassCharts answers data calls with successful but empty data before that, and
the client must never read data in that state. Every login, first or again,
runs under one lock; a failed login is remembered for ``LOGIN_RETRY_AFTER``
seconds and shared by every caller waiting on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from enum import StrEnum
import logging
import time
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from .boundary import boundary
from .exceptions import (
    ClassChartsError,
    ClassChartsResponseError,
    ClassChartsSessionError,
    ClassChartsVerificationLoopError,
)
from .loginpage import read_refusal, token_from_cookie
from .models import Account, AccountType, Pupil
from .parse import JSONObject, as_object, integer, text
from .tally import ITEM_ERRORS, Tally
from .tescheck import TesCheck
from .transport import (
    REDIRECTS,
    Transport,
    check_base_url,
    decode_json,
    safe_value,
    short,
)

if TYPE_CHECKING:
    import aiohttp
    from yarl import URL

    from .auth import Credentials


_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://www.classcharts.com"
# Each HTTP request may take this long...
DEFAULT_TIMEOUT: Final = 20.0
# ...and one call of the client, with every request it makes (login, ping,
# pages of activity, a week of timetable days), this long. A poll that cannot
# finish in a minute is better failed and retried than left hanging.
CALL_DEADLINE: Final = 60.0
# A token lives about 180 s. Renew it with a ping when it is this old...
TOKEN_RENEW_AFTER: Final = 120.0
# ...and do not even try once it is this old: log in again straight away.
TOKEN_GIVE_UP_AFTER: Final = 170.0
# After a failed login, calls within this many seconds fail without trying again.
LOGIN_RETRY_AFTER: Final = 30.0


class SessionState(StrEnum):
    """Where a session is in its life."""

    NONE = "none"
    LOGGING_IN = "logging_in"
    ACTIVE = "active"
    FAILED = "failed"


class _RefusedError(Exception):
    """The service answered "not logged in" (error body, 401, or a redirect)."""

    def __init__(self, verify: URL | None = None) -> None:
        """``verify`` is where the Tes check wants the client to go, if anywhere."""
        super().__init__("not logged in")
        self.verify = verify


class HTTPStatusError(ClassChartsResponseError):
    """An API call answered with an HTTP 4xx status."""

    def __init__(self, message: str, status: int) -> None:
        """Keep the status (a refused method is retried another way)."""
        super().__init__(message)
        self.status = status


def _monotonic() -> float:
    """Seconds from a monotonic clock, looked up at call time (tests move it)."""
    return time.monotonic()


class ClassChartsSession:
    """One account's login with ClassCharts, and every request made with it.

    The session keeps its own cookies (per host) and sends them explicitly, so
    two accounts never see each other's session even when they share one
    ``ClientSession``.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        credentials: Credentials,
        *,
        base_url: str = DEFAULT_BASE_URL,
        request_timeout: float = DEFAULT_TIMEOUT,
        call_deadline: float = CALL_DEADLINE,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Create the session; nothing is sent until the first call."""
        self._credentials = credentials
        self._base_url = check_base_url(base_url)
        self._transport = Transport(session, request_timeout)
        self._tes = TesCheck(self._base_url, self._transport)
        self.call_deadline = call_deadline
        self._clock = clock or _monotonic
        self._lock = asyncio.Lock()
        self.state = SessionState.NONE
        self._token: str | None = None
        self._renewed_at = 0.0
        self._generation = 0
        self._verified_generation = -1
        self._failed_login: tuple[float, ClassChartsError] | None = None
        self._tally = Tally()
        # One lock per homework: its tick toggles, so two ticks must not overlap.
        self._tick_locks: dict[int, asyncio.Lock] = {}
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

    def diagnostics(self) -> dict[str, Any]:
        """Shapes of the last answers and counts of dropped items; no values."""
        return self._tally.as_dict()

    # Session -----------------------------------------------------------------

    async def login(self) -> Account:
        """Log in now (even if a session exists) and return the account."""
        async with boundary("login", self.call_deadline), self._lock:
            await self._login_remembering()
        assert self.account is not None  # noqa: S101  # set by the ping
        return self.account

    async def ensure_session(self) -> None:
        """Have an active session: log in or renew only when needed.

        Lets a caller that is about to make several calls tell a failed login
        from a failed call: the login's error comes from here.
        """
        async with boundary("login", self.call_deadline):
            await self._ensure_active()

    async def _ensure_active(self, refused_generation: int | None = None) -> None:
        """Make the session active: log in, or renew the token, under the one lock.

        ``refused_generation`` is the login whose token a call found refused: a
        new login is made unless another caller already made one.
        """
        async with self._lock:
            if (
                refused_generation is not None
                and self._generation != refused_generation
                and self.state is SessionState.ACTIVE
            ):
                return
            now = self._clock()
            if self.state is SessionState.FAILED and self._failed_login is not None:
                failed_at, error = self._failed_login
                if now - failed_at < LOGIN_RETRY_AFTER:
                    # Everyone behind a failed login shares its failure.
                    raise error.with_traceback(None)
            age = now - self._renewed_at
            if (
                refused_generation is not None
                or self.state is not SessionState.ACTIVE
                or age >= TOKEN_GIVE_UP_AFTER
            ):
                await self._login_remembering()
            elif age >= TOKEN_RENEW_AFTER:
                try:
                    await self._ping()
                except _RefusedError:
                    await self._login_remembering()

    async def _login_remembering(self) -> None:
        """Log in; the outcome, good or bad, is what every waiting caller sees."""
        self.state = SessionState.LOGGING_IN
        try:
            await self._login()
        except ClassChartsError as err:  # _login dropped the old token first
            self.state = SessionState.FAILED
            self._failed_login = (self._clock(), err)
            raise
        except BaseException:  # cancelled (the call's deadline): try again next time
            self.state = SessionState.NONE
            raise
        self.state = SessionState.ACTIVE
        self._failed_login = None

    async def _login(self) -> None:
        """Form login with the redirect not followed, then the activating ping."""
        self._token = None
        # A new login replaces ClassCharts' cookies; the Tes check keeps its own.
        self._transport.cookies.clear(self._base_url)
        kind = self.account_type.value
        name = f"POST /{kind}/login"
        self.logins += 1
        _LOGGER.debug("Logging in to ClassCharts as a %s", kind)
        answer = await self._transport.request(
            "POST",
            self._base_url / kind / "login",
            name,
            data=self._credentials.login_form(),
        )
        cookie_name = f"{kind}_session_credentials"
        cookie = self._transport.cookies.get(self._base_url, cookie_name)
        if answer.status not in REDIRECTS or cookie is None:
            raise read_refusal(self.account_type, answer.status, answer.body)
        if answer.location is not None and self._tes.is_check(answer.location):
            msg = f"{name}: ClassCharts sent the login to the Tes session check"
            raise ClassChartsSessionError(msg)
        self._token = token_from_cookie(cookie, f"{name}: the {cookie_name} cookie")
        self._generation += 1
        try:
            await self._ping()
        except _RefusedError as err:
            if err.verify is not None:
                msg = "POST ping: still sent to the Tes check after passing it"
                raise ClassChartsVerificationLoopError(msg) from err
            msg = "POST ping: ClassCharts refused a session it had just opened"
            raise ClassChartsSessionError(msg) from err

    async def _ping(self) -> None:
        """Activate or renew the session; the answer carries a new token."""
        data, meta = await self._send_verified(
            "POST", "ping", {}, {"include_data": "true"}
        )
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
        except ITEM_ERRORS as err:
            raise ClassChartsResponseError(f"POST ping: {err}") from err
        if token:
            if not safe_value(token):
                msg = "POST ping: the new session id holds characters it cannot send"
                raise ClassChartsResponseError(msg)
            self._token = token
        self._renewed_at = self._clock()

    # Transport ---------------------------------------------------------------

    async def _call(
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, str] | None = None,
        *,
        data: Mapping[str, str] | None = None,
    ) -> tuple[Any, JSONObject]:
        """Send an authenticated call on an active session.

        A refused call is retried once with the current token when another call
        renewed it meanwhile (a rotation), and once after a new login (shared
        with every other refused caller).
        """
        rotated = relogged = False
        refused_generation: int | None = None
        while True:
            await self._ensure_active(refused_generation)
            generation, token = self._generation, self._token
            try:
                return await self._send_verified(method, endpoint, params or {}, data)
            except _RefusedError as err:
                refusal = err
            if not rotated and self._token != token:
                rotated = True
                refused_generation = None
                continue
            if not relogged:
                _LOGGER.debug("ClassCharts refused %s; logging in again", endpoint)
                relogged = True
                refused_generation = generation
                continue
            name = f"{method} {endpoint.split('/', maxsplit=1)[0]}"
            if refusal.verify is not None:
                msg = f"{name}: still sent to the Tes check after passing it and a fresh login"
                raise ClassChartsVerificationLoopError(msg) from refusal
            msg = f"{name}: still not logged in after a fresh login"
            raise ClassChartsSessionError(msg) from refusal

    async def _send_verified(
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, str],
        data: Mapping[str, str] | None,
    ) -> tuple[Any, JSONObject]:
        """Send; when sent to the Tes check, pass it once per login and resend."""
        try:
            return await self._send(method, endpoint, params, data)
        except _RefusedError as err:
            if err.verify is None or self._verified_generation == self._generation:
                raise
            self._verified_generation = self._generation
            await self._tes.pass_check(
                err.verify, f"{method} {endpoint.split('/', maxsplit=1)[0]}"
            )
        return await self._send(method, endpoint, params, data)

    async def _send(
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, str],
        data: Mapping[str, str] | None,
    ) -> tuple[Any, JSONObject]:
        """One API request: returns ``(data, meta)`` of a successful envelope."""
        kind = endpoint.split("/", maxsplit=1)[0]
        name = f"{method} {kind}"
        answer = await self._transport.request(
            method,
            self._base_url / self._api / endpoint,
            name,
            params=params,
            data=data,
            token=self._token,
        )
        if answer.status in REDIRECTS:
            location = answer.location
            verify = location if location and self._tes.is_check(location) else None
            raise _RefusedError(verify)
        if answer.status in {401, 403}:
            raise _RefusedError
        if answer.status >= 400:  # noqa: PLR2004
            msg = f"{name}: HTTP {answer.status}"
            raise HTTPStatusError(msg, answer.status)
        payload = decode_json(answer.body, name, answer.content_type)
        self._tally.saw(kind, payload)
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
                raise _RefusedError
            reported = short(error_text) or "none given"
            msg = f"{name}: ClassCharts reported an error: {reported}"
            raise ClassChartsResponseError(msg)
        meta = payload.get("meta")
        return payload.get("data"), meta if isinstance(meta, dict) else {}

    async def _parsed[T](
        self,
        method: str,
        endpoint: str,
        params: Mapping[str, str] | None,
        parse: Callable[[Any, JSONObject], T],
    ) -> T:
        """Call and parse; any shape problem becomes a ``ClassChartsResponseError``."""
        data, meta = await self._call(method, endpoint, params)
        return self._read(
            f"{method} {endpoint.split('/', maxsplit=1)[0]}", parse, data, meta
        )

    def _read[T](
        self,
        name: str,
        parse: Callable[[Any, JSONObject], T],
        data: Any,
        meta: JSONObject,
    ) -> T:
        try:
            return parse(data, meta)
        except ITEM_ERRORS as err:
            msg = f"{name}: unexpected response: {err}"
            raise ClassChartsResponseError(msg) from err
