"""Hostile answers of the fake server: huge bodies and gzip bombs, streamed.

Nothing here holds the whole body in memory, so a benchmark can measure the
client's memory in the same process.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING
import zlib

from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import Iterator

_BLOCK = 64 * 1024


@dataclass
class Stream:
    """A streamed answer for the next call to an endpoint."""

    endpoint: str
    size: int  # bytes of the body once decompressed
    gzip: bool  # sent gzip-compressed (a bomb: zeros compress about 1000:1)
    pace: float  # seconds between two chunks on the wire
    content_length: bool  # announce the size (only without gzip)
    sent: int = 0  # bytes written to the wire so far


def _plain_blocks(size: int) -> Iterator[bytes]:
    head = b'{"success": 1, "data": "'
    yield head
    left = size - len(head) - 2
    block = b"x" * _BLOCK
    while left > 0:
        yield block[: min(left, _BLOCK)]
        left -= _BLOCK
    yield b'"}'


def _gzip_blocks(size: int) -> Iterator[bytes]:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header
    zeros = bytes(1024 * 1024)
    left = size
    while left > 0:
        # A sync flush a mebibyte sends each piece at once, as a slow server would.
        out = packer.compress(zeros[: min(left, len(zeros))])
        yield out + packer.flush(zlib.Z_SYNC_FLUSH)
        left -= len(zeros)
    yield packer.flush()


async def serve(request: web.Request, stream: Stream) -> web.StreamResponse:
    """Write the body chunk by chunk; stop quietly when the client hangs up."""
    response = web.StreamResponse(status=200)
    response.content_type = "application/json"
    if stream.gzip:
        response.headers["Content-Encoding"] = "gzip"
    elif stream.content_length:
        response.content_length = stream.size
    await response.prepare(request)
    blocks = _gzip_blocks(stream.size) if stream.gzip else _plain_blocks(stream.size)
    try:
        for block in blocks:
            await response.write(block)
            stream.sent += len(block)
            # Let the client read: a write alone may not give up the loop.
            await asyncio.sleep(stream.pace)
        await response.write_eof()
    except (ConnectionError, RuntimeError):
        pass  # the client refused the rest, as it should
    return response
