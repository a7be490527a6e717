"""The one way out of the client: a deadline per call, and only ClassChartsErrors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
import functools
from typing import Concatenate, Protocol

from .exceptions import (
    ClassChartsError,
    ClassChartsResponseError,
    ClassChartsTimeoutError,
)

# Set while a public call runs, so the calls it makes share its deadline.
_IN_CALL: ContextVar[bool] = ContextVar("classcharts_in_call", default=False)


class HasDeadline(Protocol):
    """Something whose calls have a deadline (the session)."""

    call_deadline: float


@asynccontextmanager
async def boundary(name: str, deadline: float) -> AsyncIterator[None]:
    """Run a public call: within ``deadline`` seconds, raising only ClassChartsErrors.

    Whatever the server sends, an exception that is not a ``ClassChartsError``
    is a bug in reading it; it leaves as a ``ClassChartsResponseError`` naming
    the call, so one odd answer cannot take down a whole poll.
    """
    if _IN_CALL.get():
        yield
        return
    marker = _IN_CALL.set(True)
    try:
        async with asyncio.timeout(deadline):
            yield
    except ClassChartsError:
        raise
    except TimeoutError as err:
        msg = f"{name}: not done within {deadline:g} s"
        raise ClassChartsTimeoutError(msg) from err
    except Exception as err:  # the boundary: nothing else leaves
        msg = f"{name}: unexpected {type(err).__name__} while reading the answer"
        raise ClassChartsResponseError(msg) from err
    finally:
        _IN_CALL.reset(marker)


def guarded[S: HasDeadline, **P, R](
    method: Callable[Concatenate[S, P], Awaitable[R]],
) -> Callable[Concatenate[S, P], Awaitable[R]]:
    """Run a public method of the client inside ``boundary``."""

    @functools.wraps(method)
    async def call(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        async with boundary(method.__name__, self.call_deadline):
            return await method(self, *args, **kwargs)

    return call
