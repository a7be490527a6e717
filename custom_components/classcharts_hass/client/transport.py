"""One HTTP exchange with ClassCharts: bounded, typed, with the client's own cookies."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import ipaddress
import json
import math
import re
from typing import TYPE_CHECKING, Any, Final
import zlib

import aiohttp
from yarl import URL

from .exceptions import (
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsRateLimitError,
    ClassChartsResponseError,
    ClassChartsServerError,
    ClassChartsTimeoutError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

# The largest body the client reads, after decompression. The biggest real
# answers (a term of homework with its HTML, a page of 50 activity items, a
# parent's children) are well under 1 MiB; 4 MiB leaves room for a large school
# and still bounds what one hostile answer can cost in memory. The body is read
# in chunks and refused as soon as it passes the cap, whatever Content-Length says.
MAX_BODY_BYTES: Final = 4 * 1024 * 1024
_CHUNK: Final = 64 * 1024
# A server asking to wait longer than this is not taken at its word.
MAX_RETRY_AFTER: Final = 6 * 3600.0
REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
# What a cookie value or token may hold: visible ASCII without separators. A CR,
# LF or other control character would make aiohttp refuse to send the header.
_SAFE_VALUE: Final = re.compile(r"[!#-+\--:<-\[\]-~]{1,4096}")
_MAX_TEXT_IN_ERROR: Final = 200


@dataclass(frozen=True, slots=True)
class Answer:
    """What one HTTP request got back."""

    status: int
    url: URL
    location: URL | None
    content_type: str
    body: bytes


def is_loopback(host: str | None) -> bool:
    """Whether a host name or address is this computer."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(value: str) -> URL:
    """The ClassCharts address: https, or http only to this computer (tests, demo).

    A parent's password is posted to this address, so plain http to another
    host, or any other scheme, is refused.
    """
    url = URL(value.strip().rstrip("/"))
    if url.scheme == "https" and url.host:
        return url
    if url.scheme == "http" and is_loopback(url.host):
        return url
    msg = "the ClassCharts address must use https (http only to this computer)"
    raise ClassChartsError(msg)


def safe_value(value: str) -> bool:
    """Whether a cookie value or token can be sent back in a header as it is."""
    return _SAFE_VALUE.fullmatch(value) is not None


def _origin(url: URL) -> str:
    """Host and port: cookies are kept per origin, stricter than a browser's per host."""
    return f"{url.host}:{url.port}"


class CookieStore:
    """Cookies kept per origin, so each host only ever gets back its own."""

    def __init__(self) -> None:
        """Start empty."""
        self._by_host: dict[str, dict[str, str]] = {}

    def clear(self, url: URL) -> None:
        """Forget the cookies of the origin of ``url``."""
        self._by_host.pop(_origin(url), None)

    def get(self, url: URL, name: str) -> str | None:
        """One cookie of the origin of ``url``."""
        return self._by_host.get(_origin(url), {}).get(name)

    def header(self, url: URL) -> str | None:
        """The Cookie header for the origin of ``url``, or None."""
        cookies = self._by_host.get(_origin(url))
        if not cookies:
            return None
        return "; ".join(f"{key}={value}" for key, value in cookies.items())

    def keep(self, response: aiohttp.ClientResponse) -> None:
        """Keep the cookies a response set, under the host that set them."""
        origin = _origin(response.url)
        for key, morsel in response.cookies.items():
            if safe_value(key) and safe_value(morsel.value):
                self._by_host.setdefault(origin, {})[key] = morsel.value


def decode_json(body: bytes, name: str, content_type: str) -> Any:
    """Parse a JSON body; anything else is a ``ClassChartsResponseError``."""
    try:
        return json.loads(body)
    except RecursionError as err:
        msg = f"{name}: the answer is nested too deeply to read"
        raise ClassChartsResponseError(msg) from err
    except ValueError as err:  # also UnicodeDecodeError
        kind = content_type or "no content type"
        msg = f"{name}: the answer is not JSON ({kind}, {len(body)} bytes)"
        raise ClassChartsResponseError(msg) from err


class Transport:
    """Sends requests through a shared ``aiohttp`` session; maps every failure."""

    def __init__(self, session: aiohttp.ClientSession, timeout: float) -> None:
        """Wrap the session; each request may take ``timeout`` seconds."""
        self._session = session
        self.timeout = timeout
        self.cookies = CookieStore()

    async def request(
        self,
        method: str,
        url: URL,
        name: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        token: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """Send one request (redirects not followed) and read its bounded body."""
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
            "X-Requested-With": "XMLHttpRequest",
            **(extra_headers or {}),
        }
        if token:
            headers["Authorization"] = f"Basic {token}"
        cookie = self.cookies.header(url)
        if cookie:
            headers["Cookie"] = cookie
        try:
            async with (
                asyncio.timeout(self.timeout),
                self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    allow_redirects=False,
                    auto_decompress=False,
                ) as response,
            ):
                if response.cookies:
                    self.cookies.keep(response)
                    # A shared session's jar must not hand them to another account.
                    if response.url.host:
                        self._session.cookie_jar.clear_domain(response.url.host)
                status = response.status
                _raise_for_status(response, name)
                body = await _read_body(response, name)
                location = _location(response)
                content_type = response.content_type
        except TimeoutError as err:
            msg = f"{name}: no answer within {self.timeout:g} s"
            raise ClassChartsTimeoutError(msg) from err
        except aiohttp.ClientError as err:
            msg = f"{name}: {type(err).__name__}"
            raise ClassChartsConnectionError(msg) from err
        except (ValueError, UnicodeError) as err:
            # aiohttp refuses a request it cannot send (e.g. an odd header).
            msg = f"{name}: the request could not be sent ({type(err).__name__})"
            raise ClassChartsResponseError(msg) from err
        return Answer(status, response.url, location, content_type, body)


def _raise_for_status(response: aiohttp.ClientResponse, name: str) -> None:
    status = response.status
    if status == 429:  # noqa: PLR2004
        raise ClassChartsRateLimitError(
            f"{name}: rate limited (HTTP 429)", _retry_after(response.headers)
        )
    if status >= 500:  # noqa: PLR2004
        raise ClassChartsServerError(f"{name}: server error HTTP {status}", status)


def _location(response: aiohttp.ClientResponse) -> URL | None:
    """Where a redirect points, resolved against the request's address."""
    if response.status not in REDIRECTS:
        return None
    raw = response.headers.get("Location", "")
    try:
        return response.url.join(URL(raw)) if raw else None
    except ValueError:
        return None


def _too_big(name: str) -> ClassChartsResponseError:
    return ClassChartsResponseError(
        f"{name}: the answer is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB"
    )


def _inflater(response: aiohttp.ClientResponse, name: str) -> zlib._Decompress | None:
    """The decompressor the body needs, or None for a plain body."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        if (response.content_length or 0) > MAX_BODY_BYTES:
            raise _too_big(name)  # refused before reading a byte
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        # 32 + MAX_WBITS reads both the gzip and the zlib header.
        return zlib.decompressobj(32 + zlib.MAX_WBITS)
    msg = f"{name}: the answer uses a content encoding the client cannot read"
    raise ClassChartsResponseError(msg)


async def _read_body(response: aiohttp.ClientResponse, name: str) -> bytes:
    """Read at most ``MAX_BODY_BYTES`` (decompressed) in chunks; refuse more."""
    inflater = _inflater(response, name)
    body = bytearray()
    try:
        async for chunk in response.content.iter_chunked(_CHUNK):
            if inflater is None:
                body += chunk
            pending = chunk if inflater is not None else b""
            while pending and inflater is not None and len(body) <= MAX_BODY_BYTES:
                # Never inflate more than fits under the cap (gzip bombs).
                body += inflater.decompress(pending, MAX_BODY_BYTES - len(body) + 1)
                pending = inflater.unconsumed_tail
            if len(body) > MAX_BODY_BYTES:
                raise _too_big(name)
        if inflater is not None:
            body += inflater.flush()
    except zlib.error as err:
        msg = f"{name}: the answer's compressed body is broken"
        raise ClassChartsResponseError(msg) from err
    if len(body) > MAX_BODY_BYTES:
        raise _too_big(name)
    return bytes(body)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Read a Retry-After header given in seconds, capped at MAX_RETRY_AFTER."""
    try:
        seconds = float(headers.get("Retry-After", ""))
    except ValueError:
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def short(value: str) -> str:
    """A service's error text, cut for an exception message."""
    return value[:_MAX_TEXT_IN_ERROR]
