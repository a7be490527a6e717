"""The fake ClassCharts for the card's browser tests, with a control port.

    python -m tests.browser.fake_school --port P --control-port C --today YYYY-MM-DD

The school has holidays and tidy days (as in ``scripts/develop``: nothing due
or held on a weekend), since the README's card screenshots are taken here. The control port (loopback)
answers ``POST /add`` (a behaviour point, homework, ... as ``scripts/develop add``)
and ``GET /requests`` (every API request so far: method and path), so a test
counts what reached "ClassCharts". The process runs under the test's fake
clock (libfaketime), so "today" and "now" agree with Home Assistant's.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
import signal
import sys

from aiohttp import web

from tests.fake_server.controls import add, school_holidays, tidy_demo_days
from tests.fake_server.server import FakeClassCharts


def control_app(server: FakeClassCharts) -> web.Application:
    """The test's controls of the running fake."""

    async def handle_add(request: web.Request) -> web.Response:
        body = await request.json()
        added = add(server, body["kind"], body["pupil"], *body.get("args", []))
        return web.json_response({"summary": added.summary})

    async def handle_requests(request: web.Request) -> web.Response:
        return web.json_response(
            [{"method": r.method, "path": r.path} for r in server.api_requests()]
        )

    app = web.Application()
    app.router.add_post("/add", handle_add)
    app.router.add_get("/requests", handle_requests)
    return app


async def serve(args: argparse.Namespace) -> None:
    """Serve both ports until SIGTERM."""
    server = FakeClassCharts(args.today)
    server.holidays = school_holidays(server.today)
    tidy_demo_days(server)
    await server.start("127.0.0.1", args.port)
    runner = web.AppRunner(control_app(server), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", args.control_port).start()
    sys.stdout.write(f"fake school on {args.port}, today {server.today}\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await server.stop()


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m tests.browser.fake_school")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, required=True)
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
