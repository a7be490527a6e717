"""One authenticated request to ClassCharts' API, and the envelope it answers with.

``ApiRequests`` holds the request path below the login: send with the
session's token, pass the Tes check once per login when sent to it, and read
ClassCharts' ``{success, data, meta}`` envelope. ``ClassChartsSession``
(``session.py``) builds on it with the login and its renewal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .exceptions import ClassChartsResponseError
from .models import AccountType
from .parse import JSONObject
from .tally import ITEM_ERRORS, Tally
from .tescheck import TesCheck
from .transport import REDIRECTS, Transport, decode_json, short

if TYPE_CHECKING:
    from yarl import URL

    from .auth import Credentials


class RefusedError(Exception):
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


class ApiRequests:
    """Send one account's API requests; the session sets these in its ``__init__``."""

    _credentials: Credentials
    _base_url: URL
    _transport: Transport
    _tes: TesCheck
    _tally: Tally
    # The token sent with each request, and the login it came from.
    _token: str | None
    _generation: int
    # The login whose requests already passed the Tes check once.
    _verified_generation: int

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
        except RefusedError as err:
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
            raise RefusedError(verify)
        if answer.status in {401, 403}:
            raise RefusedError
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
                raise RefusedError
            reported = short(error_text) or "none given"
            msg = f"{name}: ClassCharts reported an error: {reported}"
            raise ClassChartsResponseError(msg)
        meta = payload.get("meta")
        return payload.get("data"), meta if isinstance(meta, dict) else {}

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
