"""The ClassCharts session: form login, activation, renewal, and the retried call.

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

from .api_request import (
    ApiRequests,
    RefusedError,
)
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
from .transport import REDIRECTS, Transport, check_base_url, safe_value

if TYPE_CHECKING:
    import aiohttp

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


def _monotonic() -> float:
    """Seconds from a monotonic clock, looked up at call time (tests move it)."""
    return time.monotonic()


class ClassChartsSession(ApiRequests):
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
                except RefusedError:
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
        except RefusedError as err:
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
            except RefusedError as err:
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
