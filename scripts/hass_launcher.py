"""Start Home Assistant for the demo and the end-to-end tests, on loopback only.

Development and test tooling only (scripts/develop, the end-to-end test and the
screenshot script); it is never part of the integration::

    python scripts/hass_launcher.py -c demo-config [--loopback-port 8123]

- Home Assistant 2026.2 refuses to start on Python older than 3.13.2, although it
  boots and serves its frontend on 3.13.0: the launcher lowers that check.
- ``--loopback-port``: Home Assistant listens on 127.0.0.1 and that port only.
  From 2026.11 the HTTP settings live in ``.storage/http``; an ``http:`` section of
  configuration.yaml is migrated there as an unconfirmed trial that reverts and
  restarts Home Assistant after 5 minutes unless someone confirms it in the UI,
  and the reverted default then listens on every interface. So on such a Home
  Assistant the launcher writes the confirmed (stable) settings into the store
  before each start and keeps ``http:`` out of configuration.yaml; on an older
  one it writes the ``http:`` section instead.
- A restart asked for in Home Assistant (Settings > System > Restart, or the
  ``homeassistant.restart`` action) ends ``hass`` with exit code 100; the launcher
  then starts it again in the same process (same pid), as a supervisor would.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import re
import sys
from typing import Any

MINIMUM_PYTHON = (3, 13, 0)
RESTART_EXIT_CODE = 100  # homeassistant.const.RESTART_EXIT_CODE
LOOPBACK = "127.0.0.1"
# The pid of the running ``hass``, so that scripts/develop can stop Home
# Assistant itself and wait for its shutdown (inside the Python 3.14 tree the
# launcher is not the process scripts/develop started).
PID_FILE = ".hass_launcher.pid"
# A top-level ``http:`` key and the indented (or blank) lines after it.
HTTP_SECTION = re.compile(r"^http:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*", re.MULTILINE)
HTTP_IN_STORE_NOTE = (
    "# http: in .storage/http, written by scripts/hass_launcher.py: {host}:{port}"
    " only, confirmed (an http: section here would be a trial that Home Assistant"
    " reverts after 5 minutes)\n"
)
HTTP_IN_STORE_NOTE_LINE = re.compile(r"^# http: in \.storage/http, .*\n?", re.MULTILINE)


def http_yaml(port: int) -> str:
    """The ``http:`` section of configuration.yaml for a loopback-only server."""
    return f"http:\n  server_host: {LOOPBACK}\n  server_port: {port}\n"


def with_http_section(text: str, section: str) -> str:
    """configuration.yaml with its ``http:`` section replaced by ``section``.

    ``section`` is the whole replacement (may be a comment, or empty); without an
    ``http:`` section it is added at the end.
    """
    text = HTTP_IN_STORE_NOTE_LINE.sub("", HTTP_SECTION.sub("", text))
    text = text.rstrip("\n") + "\n" if text.strip() else ""
    return f"{text}\n{section}" if text and section else text + section


def stored_http_config(port: int) -> dict[str, Any] | None:
    """``.storage/http`` holding a confirmed loopback-only config, or None.

    None when this Home Assistant keeps its HTTP settings in configuration.yaml
    (before 2026.11). The values pass Home Assistant's own storage schema, so
    every key it reads is there, with its defaults.
    """
    try:
        from homeassistant.components.http import (  # noqa: PLC0415
            config as http_config,
        )
    except ImportError:
        return None
    if not hasattr(http_config, "HTTPConfigStore"):
        return None
    stable = dict(
        http_config.HTTP_STORAGE_SCHEMA(
            {"server_host": [LOOPBACK], "server_port": port}
        )
    )
    stable.update(
        created_at=datetime.now(UTC).isoformat(), error=None, error_message=None
    )
    return {
        "version": http_config.STORAGE_VERSION,
        "minor_version": http_config.STORAGE_MINOR_VERSION,
        "key": http_config.STORAGE_KEY,
        # Nothing pending: no trial, no revert. The YAML migration is marked done
        # so that Home Assistant does not stage a default config instead.
        "data": {"stable": stable, "pending": None, "yaml_migration_done": True},
    }


def write_private(path: Path, text: str) -> None:
    """Write a file atomically, readable by its owner only (as Home Assistant does)."""
    tmp = path.with_name(f"{path.name}.launcher-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    tmp.replace(path)


def listen_on_loopback(config_dir: Path, port: int) -> str:
    """Make this start listen on 127.0.0.1:port only; say where it is written."""
    yaml_path = config_dir / "configuration.yaml"
    text = yaml_path.read_text(encoding="utf-8") if yaml_path.exists() else ""
    store = stored_http_config(port)
    if store is None:
        section = http_yaml(port)
        where = "configuration.yaml"
    else:
        (config_dir / ".storage").mkdir(parents=True, exist_ok=True)
        # json.dumps writes the SSL profile (a StrEnum) as its value.
        write_private(config_dir / ".storage" / "http", json.dumps(store, indent=2))
        section = HTTP_IN_STORE_NOTE.format(host=LOOPBACK, port=port)
        where = ".storage/http"
    updated = with_http_section(text, section)
    if updated != text:
        yaml_path.write_text(updated, encoding="utf-8")
    return where


def main() -> int:
    """Run ``hass`` with this process's arguments; start it again on a restart."""
    if sys.version_info[:3] < MINIMUM_PYTHON:
        sys.stderr.write(f"Python {'.'.join(map(str, MINIMUM_PYTHON))}+ required\n")
        return 1
    launcher_args = sys.argv[1:]
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-c", "--config", type=Path, default=Path("config"))
    parser.add_argument("--loopback-port", type=int, default=None)
    ours, hass_args = parser.parse_known_args(launcher_args)
    if ours.loopback_port is not None:
        where = listen_on_loopback(ours.config, ours.loopback_port)
        sys.stdout.write(
            f"hass_launcher: listening on {LOOPBACK}:{ours.loopback_port} only"
            f" (set in {where})\n"
        )
    pid_file = ours.config / PID_FILE
    pid_file.write_text(f"{os.getpid()}\n", encoding="utf-8")

    import homeassistant.__main__ as hass_main  # noqa: PLC0415

    hass_main.REQUIRED_PYTHON_VER = MINIMUM_PYTHON  # type: ignore[misc]
    sys.argv = ["hass", "-c", str(ours.config), *hass_args]
    code = hass_main.main()
    if code == RESTART_EXIT_CODE:
        sys.stdout.write("hass_launcher: Home Assistant asked for a restart\n")
        sys.stdout.flush()
        sys.stderr.flush()
        # The same pid: scripts/develop keeps watching and stopping this process.
        os.execv(sys.executable, [sys.executable, __file__, *launcher_args])  # noqa: S606
    pid_file.unlink(missing_ok=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
