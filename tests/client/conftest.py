"""Fixtures of the client tests: a plain aiohttp session and client factories."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
import logging

import aiohttp
import pytest

from custom_components.classcharts_hass.client import (
    ClassChartsClient,
    ParentCredentials,
    StudentCredentials,
)
from tests.conftest import TODAY, find_secrets, log_text
from tests.fake_server import (
    PARENT_EMAIL,
    PARENT_PASSWORD,
    STUDENT_CODE,
    STUDENT_DOB,
    FakeClassCharts,
)

type ClientFactory = Callable[..., ClassChartsClient]


@dataclass
class FakeClock:
    """A monotonic clock the test moves by hand."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def assert_no_secrets(fake: FakeClassCharts, *values: object) -> None:
    """No credential, cookie or token appears in the text or repr of the values."""
    for value in values:
        texts = [str(value), repr(value)]
        if isinstance(value, BaseException):
            cause = value.__cause__
            while cause is not None:
                texts += [str(cause), repr(cause)]
                cause = cause.__cause__
        for text in texts:
            leaked = find_secrets(text, fake)
            assert not leaked, f"{len(leaked)} secret(s) in {type(value).__name__}"


def small_pages(
    fake: FakeClassCharts, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """Activity pages of ``size`` items, on the fake and in the client alike."""
    fake.activity_page_size = size
    monkeypatch.setattr(
        "custom_components.classcharts_hass.client.activity_calls.ACTIVITY_PAGE_SIZE",
        size,
    )


def login_requests(fake: FakeClassCharts, kind: str = "student") -> int:
    """How many form logins the fake server received."""
    return sum(1 for r in fake.requests if r.path == f"/{kind}/login")


def count(fake: FakeClassCharts, path_part: str) -> int:
    """How many requests whose path contains the text."""
    return sum(1 for r in fake.requests if path_part in r.path)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session with the default cookie jar."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def clock() -> FakeClock:
    """A hand-moved clock shared by the client and the fake server."""
    return FakeClock()


@pytest.fixture
async def clocked_fake(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[FakeClassCharts]:
    """The fake server on the test's clock; fails the test if a secret was logged."""
    caplog.set_level(logging.DEBUG)
    server = FakeClassCharts(today=TODAY, clock=clock)
    await server.start()
    yield server
    await server.stop()
    leaked = find_secrets(log_text(caplog), server)
    assert not leaked, f"secrets in the log: {len(leaked)}"


def _factory(
    session: aiohttp.ClientSession, base_url: str, made: list[ClassChartsClient]
) -> tuple[ClientFactory, ClientFactory]:
    def student(
        code: str = STUDENT_CODE, dob: object = STUDENT_DOB, **kwargs: object
    ) -> ClassChartsClient:
        kwargs.setdefault("base_url", base_url)
        client = ClassChartsClient(
            kwargs.pop("session", session),  # type: ignore[arg-type]
            StudentCredentials(code, dob),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        made.append(client)
        return client

    def parent(
        email: str = PARENT_EMAIL, password: str = PARENT_PASSWORD, **kwargs: object
    ) -> ClassChartsClient:
        kwargs.setdefault("base_url", base_url)
        client = ClassChartsClient(
            kwargs.pop("session", session),  # type: ignore[arg-type]
            ParentCredentials(email, password),
            **kwargs,  # type: ignore[arg-type]
        )
        made.append(client)
        return client

    return student, parent


@pytest.fixture
def made_clients(fake: FakeClassCharts) -> Iterable[list[ClassChartsClient]]:
    """Every client a test made; their repr must not leak a secret."""
    made: list[ClassChartsClient] = []
    yield made
    assert_no_secrets(fake, *made)


@pytest.fixture
def student(
    fake: FakeClassCharts,
    session: aiohttp.ClientSession,
    made_clients: list[ClassChartsClient],
) -> ClientFactory:
    """Make student clients pointed at the fake server."""
    return _factory(session, fake.base_url, made_clients)[0]


@pytest.fixture
def parent(
    fake: FakeClassCharts,
    session: aiohttp.ClientSession,
    made_clients: list[ClassChartsClient],
) -> ClientFactory:
    """Make parent clients pointed at the fake server."""
    return _factory(session, fake.base_url, made_clients)[1]


@pytest.fixture
def clocked_student(
    clocked_fake: FakeClassCharts, session: aiohttp.ClientSession, clock: FakeClock
) -> ClassChartsClient:
    """A student client on the shared test clock."""
    student, _ = _factory(session, clocked_fake.base_url, [])
    return student(clock=clock)
