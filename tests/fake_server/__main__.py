"""Run the fake ClassCharts server: python -m tests.fake_server --port 8765."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import date
from pathlib import Path
import signal
import sys

from .data import CHILD_IDS, PARENT_EMAIL, PARENT_PASSWORD, STUDENT_CODE, STUDENT_DOB
from .server import FakeClassCharts


async def _serve(args: argparse.Namespace) -> None:
    """Start the server and wait until cancelled, Ctrl-C or SIGTERM."""
    server = FakeClassCharts(args.today, token_lifetime=args.token_lifetime)
    if args.parent_password is not None:
        server.change_password(PARENT_EMAIL, args.parent_password)
    base_url = await server.start(args.host, args.port)
    children = ", ".join(str(i) for i in CHILD_IDS)
    sys.stdout.write(
        f"Fake ClassCharts listening on {base_url} (today = {server.today})\n"
        f"  student: code {STUDENT_CODE}, date of birth {STUDENT_DOB:%d/%m/%Y}\n"
        f"  parent:  email {PARENT_EMAIL}, password {server.parent_password!r}\n"
        f"  children: {children}; the Tes check on {server.tes_base_url}\n"
        "  press Ctrl-C to stop\n"
    )
    sys.stdout.flush()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()
        if args.secrets_file is not None:
            # Session cookies and tokens handed out, for "no secret leaked" checks.
            with args.secrets_file.open("a", encoding="utf-8") as file:
                file.writelines(f"{secret}\n" for secret in server.issued_secrets)


def main() -> None:
    """Parse the command line and serve until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fake_server", description=__doc__
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD"
    )
    parser.add_argument("--token-lifetime", type=float, default=180.0)
    parser.add_argument(
        "--parent-password",
        default=None,
        # argparse formats help with %, and the default password holds one.
        help=f"the parent's password (default {PARENT_PASSWORD!r})".replace("%", "%%"),
    )
    parser.add_argument(
        "--secrets-file",
        type=Path,
        default=None,
        help="on exit, append the session cookies and tokens handed out to this file",
    )
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
