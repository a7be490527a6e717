"""Run the fake ClassCharts server: python -m tests.fake_server --port 8765."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import date
import sys

from .data import CHILD_IDS, PARENT_EMAIL, PARENT_PASSWORD, STUDENT_CODE, STUDENT_DOB
from .server import FakeClassCharts


async def _serve(host: str, port: int, today: date | None, lifetime: float) -> None:
    """Start the server and wait until cancelled."""
    server = FakeClassCharts(today, token_lifetime=lifetime)
    base_url = await server.start(host, port)
    children = ", ".join(str(i) for i in CHILD_IDS)
    sys.stdout.write(
        f"Fake ClassCharts listening on {base_url} (today = {server.today})\n"
        f"  student: code {STUDENT_CODE}, date of birth {STUDENT_DOB:%d/%m/%Y}\n"
        f"  parent:  email {PARENT_EMAIL}, password {PARENT_PASSWORD!r}\n"
        f"  children: {children}; press Ctrl-C to stop\n"
    )
    sys.stdout.flush()
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    """Parse the command line and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fake_server", description=__doc__
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD"
    )
    parser.add_argument("--token-lifetime", type=float, default=180.0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, args.today, args.token_lifetime))


if __name__ == "__main__":
    main()
