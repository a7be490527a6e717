"""Request routing, login and authentication of the fake ClassCharts server."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
import html
import json
import logging
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web
from yarl import URL

from . import handlers as h, hostile, school
from .data import (
    PARENT_EMAIL,
    PARENT_ID,
    PARENT_NAME,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakePupil,
)
from .endpoints import EndpointMixin
from .reports import REPORT_ENDPOINTS

if TYPE_CHECKING:
    from collections.abc import Callable
    from zoneinfo import ZoneInfo

    from .models import Ids

_LOGGER = logging.getLogger(__name__)

NOT_LOGGED_IN = "You are not logged in. [1]"
BAD_CODE = (
    "The pupil code you have provided is incorrect. If you do not have your pupil code, "
    "or have forgotten it, please contact your school."
)
BAD_DOB = "The date of birth you have provided is incorrect"
BAD_PARENT = "Email address or password provided is incorrect"
CAPTCHA = "Please complete the reCAPTCHA to log in."
VERSION = "28.7.1"
STUDENT_ONLY = {"rewards", "homeworkticked"}
PARENT_ONLY = {"pupils", "password", "parentbehaviours", "addparentbehaviour"}
COMMON = REPORT_ENDPOINTS | {
    "ping",
    "eventbadges",
    "announcements",
    "customfields",
    *school.PUPIL_ENDPOINTS,
}


@dataclass(frozen=True)
class LoggedRequest:
    """One request the fake server received."""

    method: str
    path: str
    query: dict[str, str]
    session: str | None
    account: str | None
    time: float
    port: int = 0


@dataclass
class Session:
    label: str
    cookie: str
    kind: str  # "student" or "parent"
    account_id: int
    token: str
    issued: float
    activated: bool = False
    alive: bool = True
    verified: bool = False  # passed the Tes check (tes_mode "hop")

    @property
    def account(self) -> str:
        return f"{self.kind}:{self.account_id}"


@dataclass
class Failure:
    remaining: int
    status: int | None
    timeout: bool
    html: bool
    malformed: bool
    wrong_shape: bool
    retry_after: int | None
    path_contains: str | None


@dataclass
class Override:
    endpoint: str
    body: bytes
    status: int
    content_type: str
    remaining: int | None


@dataclass
class RequestInfo:
    session: str | None = None
    account: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def json_response(body: object, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(body), content_type="application/json"
    )


def login_page(kind: str, message: str | None, extra: str = "") -> web.Response:
    alert = (
        f'<div class="alert alert-danger">{html.escape(message)}</div>'
        if message
        else ""
    )
    body = (
        f"<!DOCTYPE html><html><head><title>ClassCharts | {kind.title()} log in</title>"
        f"{extra}</head><body>"
        f'<form method="post" action="/{kind}/login">{alert}<button type="submit">Log in</button>'
        "</form></body></html>"
    )
    return web.Response(text=body, content_type="text/html")


class RequestRouter(EndpointMixin):
    """Request handling of the fake server (mixed into FakeClassCharts)."""

    tz: ZoneInfo
    today: date
    clock: Callable[[], float]
    token_lifetime: float
    activity_page_size: int
    pupils: dict[int, FakePupil]
    holidays: set[date]
    latency: float
    path_latency: dict[str, float]
    captcha_required: bool
    login_page_extra: str
    last_id_mode: str
    tes_mode: str
    tes_cookies_seen: list[tuple[str, ...]]
    tes_base_url: str
    tes_port: int
    pupils_methods: set[str]
    _streams: list[hostile.Stream]
    parent_password: str
    parent_children: list[int]
    requests: list[LoggedRequest]
    issued_secrets: set[str]
    _ids: Ids
    _sessions: dict[str, Session]
    _failures: list[Failure]
    _overrides: list[Override]
    _stopping: asyncio.Event
    _counter: int

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Log, delay, maybe fail, then route one request."""
        arrival = self.clock()
        _LOGGER.debug("%s %s", request.method, request.path)
        info = RequestInfo()
        delay = self.latency + max(
            (s for part, s in self.path_latency.items() if part in request.path),
            default=0.0,
        )
        if request.url.port == self.tes_port:
            self._log(request, arrival, info)
            return self._tes_check(request)
        failure = self._take_failure(request.path)
        if failure is not None:
            self._log(request, arrival, info)
            if delay > 0:
                await asyncio.sleep(delay)
            return await self._fail(failure)
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            return await self._route(request, info)
        finally:
            self._log(request, arrival, info)

    def _tes_check(self, request: web.Request) -> web.Response:
        """The Tes verification page: back to where the call wanted to go."""
        self.tes_cookies_seen.append(tuple(sorted(request.cookies)))
        if self.tes_mode == "loop":
            return web.Response(status=302, headers={"Location": str(request.rel_url)})
        back = URL(request.query.get("returnUrl", "/")).update_query(prompt="login")
        response = web.Response(status=302, headers={"Location": str(back)})
        response.set_cookie("tes-visitor", "v1", path="/")
        return response

    def _to_tes(self, request: web.Request) -> web.Response:
        target = quote(str(request.url), safe="")
        return web.Response(
            status=302,
            headers={"Location": f"{self.tes_base_url}/v1/verify?returnUrl={target}"},
        )

    def _log(self, request: web.Request, arrival: float, info: RequestInfo) -> None:
        self.requests.append(
            LoggedRequest(
                request.method,
                request.path,
                dict(request.query),
                info.session,
                info.account,
                arrival,
                request.url.port or 0,
            )
        )

    def _take_failure(self, path: str) -> Failure | None:
        for failure in self._failures:
            if failure.path_contains is None or failure.path_contains in path:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    async def _fail(self, failure: Failure) -> web.Response:
        if failure.timeout:
            await self._stopping.wait()
            return web.Response(status=503, text="Server stopped")
        if failure.html:
            return web.Response(
                text="<!DOCTYPE html><html><body><h1>We'll be back soon</h1></body></html>",
                content_type="text/html",
            )
        if failure.malformed:
            return web.Response(
                text='{"success": 1, "data": [{"id": 90001234, "ty',
                content_type="application/json",
            )
        if failure.wrong_shape:
            return json_response({"success": 1, "data": None, "meta": []})
        status = failure.status or 500
        headers = (
            {"Retry-After": str(failure.retry_after)}
            if failure.retry_after is not None
            else None
        )
        return web.Response(status=status, text=f"Error {status}", headers=headers)

    async def _route(
        self, request: web.Request, info: RequestInfo
    ) -> web.StreamResponse:
        path = request.path.rstrip("/")
        for kind in ("student", "parent"):
            if path == f"/{kind}/login":
                if request.method == "POST":
                    return await self._form_login(request, kind, info)
                return login_page(kind, None, self.login_page_extra)
            prefix = f"/apiv2{kind}/"
            if request.path.startswith(prefix):
                parts = request.path[len(prefix) :].split("/")
                arg = parts[1] if len(parts) > 1 and parts[1] else None
                return await self._api(request, kind, parts[0], arg, info)
        return web.Response(status=404, text="Not found")

    def _new_session(self, kind: str, account_id: int) -> Session:
        self._counter += 1
        session = Session(
            f"s{self._counter}",
            secrets.token_hex(16),
            kind,
            account_id,
            secrets.token_hex(16),
            self.clock(),
        )
        self._sessions[session.cookie] = session
        self.issued_secrets.update((session.cookie, session.token))
        return session

    def _check_credentials(self, kind: str, form: Any) -> str | None:
        """Return the refusal text, or None when the credentials are right."""
        if self.captcha_required:
            return CAPTCHA
        if kind == "student":
            if str(form.get("code", "")).strip().upper() != STUDENT_CODE:
                return BAD_CODE
            raw = str(form.get("dob", "")).strip()
            for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    if datetime.strptime(raw, fmt).date() == STUDENT_DOB:  # noqa: DTZ007
                        return None
                except ValueError:
                    continue
            return BAD_DOB
        email = str(form.get("email", "")).strip().lower()
        if (
            email != PARENT_EMAIL
            or str(form.get("password", "")) != self.parent_password
        ):
            return BAD_PARENT
        return None

    async def _form_login(
        self, request: web.Request, kind: str, info: RequestInfo
    ) -> web.Response:
        form = await request.post()
        refusal = self._check_credentials(kind, form)
        if refusal is not None:
            return login_page(kind, refusal, self.login_page_extra)
        session = self._new_session(
            kind, STUDENT_ID if kind == "student" else PARENT_ID
        )
        info.session, info.account = session.label, session.account
        credentials = quote(
            json.dumps({"remember_me": True, "session_id": session.token}), safe=""
        )
        response = web.Response(status=302, headers={"Location": f"/{kind}/account"})
        response.headers.add(
            "Set-Cookie", f"cc-session={session.cookie}; path=/; HttpOnly"
        )
        response.headers.add(
            "Set-Cookie", f"{kind}_session_credentials={credentials}; path=/"
        )
        return response

    async def _json_login(self, request: web.Request, kind: str) -> web.Response:
        """Old JSON login: a token without cookies, useless since April 2026."""
        form = await request.post()
        refusal = self._check_credentials(kind, form)
        if refusal is not None:
            return json_response(h.error(refusal))
        token = secrets.token_hex(16)
        user = self._user(kind, STUDENT_ID if kind == "student" else PARENT_ID)
        return json_response(
            {"success": 1, "data": user, "meta": {"session_id": token}}
        )

    def _user(self, kind: str, account_id: int) -> dict[str, Any]:
        if kind == "student":
            return school.pupil_record(
                self.pupils[account_id], self._ctx(), for_parent=False
            )
        return {
            "id": PARENT_ID,
            "name": PARENT_NAME,
            "email": PARENT_EMAIL,
            "language": None,
            "isEmailVerified": True,
        }

    def _authenticate(
        self, request: web.Request, kind: str
    ) -> Session | web.Response | None:
        """Return the live session, None when the token is refused, or the Tes redirect."""
        session = self._sessions.get(request.cookies.get("cc-session", ""))
        if session is None:
            return self._to_tes(request)
        if self.tes_mode != "cookies" and not session.verified:
            return self._to_tes(request)
        header = request.headers.get("Authorization", "")
        token = header[6:].strip() if header.startswith("Basic ") else ""
        if (
            not session.alive
            or session.kind != kind
            or not token
            or token != session.token
        ):
            return None
        if self.clock() - session.issued > self.token_lifetime:
            session.alive = False
            return None
        return session

    def _take_override(self, endpoint: str) -> web.Response | None:
        for override in self._overrides:
            if override.endpoint == endpoint:
                if override.remaining is not None:
                    override.remaining -= 1
                    if override.remaining <= 0:
                        self._overrides.remove(override)
                response = web.Response(status=override.status, body=override.body)
                response.headers["Content-Type"] = override.content_type
                return response
        return None

    def _back_from_tes(self, request: web.Request) -> web.Response:
        """The way back from the Tes check, as a browser makes it: cookies only."""
        known = self._sessions.get(request.cookies.get("cc-session", ""))
        if known is not None and self.tes_mode == "hop":
            known.verified = True
        return json_response(h.error(NOT_LOGGED_IN))

    async def _special(
        self, request: web.Request, endpoint: str
    ) -> web.StreamResponse | None:
        """A test's override, stream or refused method, before the real answer."""
        override = self._take_override(endpoint)
        if override is not None:
            return override
        stream = next((s for s in self._streams if s.endpoint == endpoint), None)
        if stream is not None:
            self._streams.remove(stream)
            return await hostile.serve(request, stream)
        if endpoint == "pupils" and request.method not in self.pupils_methods:
            return web.Response(status=405, text="Method Not Allowed")
        return None

    async def _api(
        self,
        request: web.Request,
        kind: str,
        endpoint: str,
        arg: str | None,
        info: RequestInfo,
    ) -> web.StreamResponse:
        if endpoint == "login" and request.method == "POST":
            return await self._json_login(request, kind)
        if request.query.get("prompt") == "login":
            return self._back_from_tes(request)
        auth = self._authenticate(request, kind)
        if isinstance(auth, web.Response):
            return auth
        if auth is None:
            return json_response(
                h.error(NOT_LOGGED_IN, expired=1),
                status=401 if endpoint == "detentions" else 200,
            )
        session = auth
        info.session, info.account = session.label, session.account
        special = await self._special(request, endpoint)
        if special is not None:
            return special
        allowed = COMMON | (STUDENT_ONLY if kind == "student" else PARENT_ONLY)
        if endpoint not in allowed:
            return json_response(
                {
                    "success": 0,
                    "expired": 0,
                    "error": "Invalid request",
                    "data": None,
                    "meta": None,
                },
                404,
            )
        if endpoint == "ping":
            session.token = secrets.token_hex(16)
            self.issued_secrets.add(session.token)
            session.issued = self.clock()
            session.activated = True
            meta = {"version": VERSION, "session_id": session.token}
            return json_response(
                h.ok({"user": self._user(kind, session.account_id)}, meta)
            )
        if not session.activated:
            return json_response(h.ok([], []))
        try:
            return json_response(await self._endpoint(request, session, endpoint, arg))
        except h.BadRequestError as err:
            return json_response(h.error(str(err)))
