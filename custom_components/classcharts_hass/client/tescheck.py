"""The Tes session check in front of the ClassCharts API (since April 2026).

A call answered with a redirect to ``session.tes.com`` although the login
cookies were sent is taken through the check once, as a browser would: no
Authorization header, and each host gets only its own cookies (the cookie store
keeps them per origin). Public reports disagree whether the cookies suffice or
this hop is needed; the session works either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .exceptions import ClassChartsResponseError, ClassChartsVerificationLoopError
from .transport import is_loopback

if TYPE_CHECKING:
    from yarl import URL

    from .transport import Transport

TES_HOST: Final = "session.tes.com"
# A browser passes the check in two hops (Tes, then back); a few more are
# allowed, then the client gives up instead of going round forever.
MAX_VERIFY_HOPS: Final = 4


class TesCheck:
    """Recognises the check's redirects and follows them."""

    def __init__(self, base_url: URL, transport: Transport) -> None:
        """Check for the ClassCharts at ``base_url``."""
        self._base_url = base_url
        self._transport = transport
        # http is only ever allowed to this computer (tests, the demo).
        self._local = base_url.scheme == "http"

    def is_check(self, url: URL) -> bool:
        """Whether a redirect goes to the Tes check.

        A ClassCharts on this computer (tests, the demo) plays the Tes check on
        another loopback port, since the real host must never be reached there.
        """
        if url.host == TES_HOST:
            return True
        return (
            self._local
            and is_loopback(url.host)
            and (url.host, url.port) != (self._base_url.host, self._base_url.port)
        )

    def may_visit(self, url: URL) -> bool:
        """Only ClassCharts itself and the Tes check, over the base URL's scheme."""
        if url.scheme != self._base_url.scheme:
            return False
        same = (url.host, url.port) == (self._base_url.host, self._base_url.port)
        return same or self.is_check(url)

    async def pass_check(self, url: URL, name: str) -> None:
        """Follow the check's redirects, a few hops at most."""
        for _ in range(MAX_VERIFY_HOPS):
            if not self.may_visit(url):
                msg = f"{name}: the Tes check sent the client to an unexpected address"
                raise ClassChartsResponseError(msg)
            answer = await self._transport.request(
                "GET", url, f"{name} (Tes check)", extra_headers={"Accept": "*/*"}
            )
            if answer.location is None:
                return
            url = answer.location
        msg = f"{name}: the Tes check sent the client round more than {MAX_VERIFY_HOPS} hops"
        raise ClassChartsVerificationLoopError(msg)
