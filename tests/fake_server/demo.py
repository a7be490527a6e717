"""The demo's fake ClassCharts (``scripts/develop``), and its ``add`` command.

    python -m tests.fake_server.demo serve --port 8765 --control SOCK --state FILE
    python -m tests.fake_server.demo add --control SOCK point ada positive

``serve`` runs the fake server with a school calendar (holidays), keeps ticked
homework in FILE across restarts, and listens on the Unix socket SOCK for
``add`` commands, which add a behaviour point, homework, detention,
announcement, lesson change or badge while it runs, end every login session, or
change the parent's password.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import date
import json
from pathlib import Path
import signal
import sys
from typing import Any

import aiohttp
from aiohttp import web

from .controls import (
    ACCOUNT_KINDS,
    KINDS,
    add,
    restore_ticks,
    school_holidays,
    show_parent_records,
    ticks,
    tidy_demo_days,
)
from .data import PARENT_EMAIL, STUDENT_CODE, STUDENT_DOB
from .server import FakeClassCharts

SAVE_EVERY = 1.0  # seconds between checks for changed ticks


class TickStore:
    """Ticked homework in a JSON file, written whenever a tick changed."""

    def __init__(self, server: FakeClassCharts, path: Path | None) -> None:
        """Load the saved ticks into the server's homework."""
        self.server = server
        self.path = path
        self._saved: dict[str, list[Any]] = {}
        if path is not None and path.exists():
            try:
                saved = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                sys.stderr.write(f"ignoring unreadable {path}: {err}\n")
            else:
                restore_ticks(self.server, saved)
        self._saved = ticks(server)

    def save_if_changed(self) -> None:
        """Write the file when any homework's tick changed since the last write."""
        current = ticks(self.server)
        if self.path is None or current == self._saved:
            return
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(current, indent=1), encoding="utf-8")
        tmp.replace(self.path)
        self._saved = current


async def _control_app(server: FakeClassCharts) -> web.Application:
    async def handle_add(request: web.Request) -> web.Response:
        body = await request.json()
        try:
            added = add(server, body["kind"], body["pupil"], *body.get("args", []))
        except (KeyError, ValueError) as err:
            return web.json_response({"error": str(err)}, status=400)
        sys.stdout.write(f"added for {added.pupil}: {added.summary}\n")
        sys.stdout.flush()
        return web.json_response({"pupil": added.pupil, "summary": added.summary})

    app = web.Application()
    app.router.add_post("/add", handle_add)
    return app


async def serve(args: argparse.Namespace) -> None:
    """Run until SIGTERM or Ctrl-C."""
    server = FakeClassCharts(args.today)
    server.holidays = school_holidays(server.today)
    tidy_demo_days(server)
    show_parent_records(server)
    store = TickStore(server, args.state)
    base_url = await server.start(args.host, args.port)
    runner: web.AppRunner | None = None
    if args.control is not None:
        args.control.unlink(missing_ok=True)
        runner = web.AppRunner(await _control_app(server), access_log=None)
        await runner.setup()
        await web.UnixSite(runner, str(args.control)).start()
    sys.stdout.write(
        f"Fake ClassCharts (demo) listening on {base_url} (today = {server.today})\n"
        f"  student: code {STUDENT_CODE}, date of birth {STUDENT_DOB:%d/%m/%Y}\n"
        f"  parent:  email {PARENT_EMAIL}, password {server.parent_password!r}\n"
        f"  holidays: 22 Dec - 2 Jan and around Easter; no lessons then\n"
    )
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    try:
        while not stop.is_set():
            store.save_if_changed()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAVE_EVERY)
    finally:
        store.save_if_changed()
        if runner is not None:
            await runner.cleanup()
            args.control.unlink(missing_ok=True)
        await server.stop()


async def send_add(control: Path, kind: str, pupil: str, rest: list[str]) -> int:
    """Ask the running demo server to add something; print what it did."""
    connector = aiohttp.UnixConnector(path=str(control))
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.post(
            "http://demo/add", json={"kind": kind, "pupil": pupil, "args": rest}
        ) as response,
    ):
        body = await response.json()
    if response.status != web.HTTPOk.status_code:
        sys.stderr.write(f"{body['error']}\n")
        return 2
    sys.stdout.write(f"Added for {body['pupil']}: {body['summary']}\n")
    return 0


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m tests.fake_server.demo")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="run the demo's fake ClassCharts")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8765)
    run.add_argument("--today", type=date.fromisoformat, default=None)
    run.add_argument("--control", type=Path, default=None, help="Unix socket")
    run.add_argument("--state", type=Path, default=None, help="ticks file")
    put = sub.add_parser("add", help="add something to the running demo")
    put.add_argument("--control", type=Path, required=True)
    put.add_argument("kind", choices=KINDS)
    put.add_argument(
        "rest",
        nargs="*",
        help="the pupil (ada or ben; none for session-expired and password),"
        " then positive/negative, a title, a room or a badge's name",
    )
    args = parser.parse_args()
    if args.command == "serve":
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(args))
    elif not args.control.exists():
        sys.stderr.write("the demo is not running; start it with scripts/develop\n")
        sys.exit(1)
    elif args.kind in ACCOUNT_KINDS:
        sys.exit(asyncio.run(send_add(args.control, args.kind, "", args.rest)))
    elif not args.rest:
        parser.error(f"add {args.kind}: which pupil? (ada or ben)")
    else:
        pupil, *rest = args.rest
        sys.exit(asyncio.run(send_add(args.control, args.kind, pupil, rest)))


if __name__ == "__main__":
    main()
