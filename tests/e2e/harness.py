"""Run the fake ClassCharts and a real Home Assistant as processes, and talk to them.

Shared by the end-to-end test, ``scripts/develop`` and ``scripts/screenshots``.
Everything here uses public interfaces only: processes, HTTP, the REST API and
the websocket API, exactly like a browser or a user would.

Command line (used by ``scripts/develop``)::

    python -m tests.e2e.harness prepare CONFIG_DIR PORT
    python -m tests.e2e.harness onboard URL
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
import json
import os
from pathlib import Path
import re
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = ROOT / "custom_components" / "classcharts_hass"
LAUNCHER = ROOT / "scripts" / "hass_launcher.py"

LOOPBACK = "127.0.0.1"

# The Home Assistant login of the demo and the tests (local only).
DEMO_NAME = "Demo Owner"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"

# What default_config gives a user (logbook, history, automations and
# blueprints, scripts, scenes, people and zones, sun, search, repairs) without
# anything that installs packages or reaches the internet (default_config itself
# would pull in both: cloud, backup, go2rtc, bluetooth, ...).
CONFIGURATION_YAML = """\
# Written by tests/e2e/harness.py for the ClassCharts demo; edit freely.
homeassistant:
  name: ClassCharts demo
  time_zone: Europe/London
  country: GB
  language: en
  unit_system: metric
  currency: GBP
  latitude: 51.5
  longitude: -0.12
  elevation: 10

http:
  server_host: 127.0.0.1
  server_port: {port}

frontend:
api:
config:
onboarding:
auth:
websocket_api:
history:
logbook:
recorder:
  purge_keep_days: 14
automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml
blueprint:
person:
zone:
sun:
search:
diagnostics:
repairs:
system_log:
my:
calendar:
todo:
sensor:
event:

logger:
  default: warning
  logs:
    custom_components.classcharts_hass: debug
"""

# Where prepare_config records Home Assistant's port (for the launcher).
PORT_FILE = ".harness.port"

# What the UI editors save to (configuration.yaml includes them).
INCLUDED_FILES = {
    "automations.yaml": "[]\n",
    "scripts.yaml": "{}\n",
    "scenes.yaml": "[]\n",
}


@dataclass(frozen=True)
class LogRecord:
    """One record of Home Assistant's log: its level and its text, traceback included."""

    level: str
    text: str


# A record starts with its time and level (on the console, maybe after a colour
# code); from 2026.11 the time carries its UTC offset.
RECORD_START = re.compile(
    r"^(?:\x1b\[[0-9;]*m)?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d)? "
    r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) "
)


def log_records(text: str) -> list[LogRecord]:
    """Split a Home Assistant log into records; lines without a start continue one."""
    records: list[LogRecord] = []
    level, lines = "", list[str]()
    for line in text.splitlines():
        start = RECORD_START.match(line)
        if start:
            if level:
                records.append(LogRecord(level, "\n".join(lines)))
            level, lines = start.group(1), [line]
        elif level:
            lines.append(line)
    if level:
        records.append(LogRecord(level, "\n".join(lines)))
    return records


# The frontend's service list (websocket get_services) imports every entity base
# component, and some of those import packages that Home Assistant otherwise
# installs only when their integration is set up. Without them the frontend hangs
# on "Loading data". Versions come from Home Assistant's package_constraints.txt.
FRONTEND_PACKAGES = (
    "hassil",
    "home-assistant-intents",
    "PyTurboJPEG",
    "mutagen",
    "ha-ffmpeg",
    "pymicro-vad",
    "pyspeex-noise",
)


def frontend_packages_missing() -> bool:
    """Whether the frontend's service list would fail in this venv."""
    check = "from homeassistant.helpers.service import _base_components as b; b()"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", check], capture_output=True, check=False
    )
    return result.returncode != 0


def install_frontend_packages() -> None:
    """pip install FRONTEND_PACKAGES, pinned as Home Assistant pins them."""
    import homeassistant  # noqa: PLC0415

    constraints = Path(homeassistant.__file__).parent / "package_constraints.txt"
    pins = {
        line.split("==")[0].lower(): line.strip()
        for line in constraints.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    wanted = [pins.get(name.lower(), name) for name in FRONTEND_PACKAGES]
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            *wanted,
        ],
        check=True,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    """Whether something listens on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def prepare_config(config_dir: Path, port: int) -> None:
    """Create a config dir (once) with the integration linked from the working tree.

    Onboarding is pre-marked done except for creating the owner, so Home
    Assistant never sets up its onboarding integrations (they need the internet).
    The port is recorded in PORT_FILE for ``start_hass``.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / PORT_FILE).write_text(f"{port}\n", encoding="utf-8")
    config = config_dir / "configuration.yaml"
    if not config.exists():
        config.write_text(CONFIGURATION_YAML.format(port=port), encoding="utf-8")
    for name, empty in INCLUDED_FILES.items():
        included = config_dir / name
        if not included.exists():
            included.write_text(empty, encoding="utf-8")
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / "classcharts_hass"
    if link.is_symlink() or link.exists():
        if link.resolve() != INTEGRATION.resolve():
            if not link.is_symlink():
                raise RuntimeError(f"{link} exists and is not a link to {INTEGRATION}")
            link.unlink()
            link.symlink_to(INTEGRATION, target_is_directory=True)
    else:
        link.symlink_to(INTEGRATION, target_is_directory=True)
    storage = config_dir / ".storage"
    storage.mkdir(exist_ok=True)
    onboarding = storage / "onboarding"
    if not onboarding.exists() and not (storage / "auth").exists():
        onboarding.write_text(
            json.dumps(
                {
                    "version": 4,
                    "minor_version": 1,
                    "key": "onboarding",
                    "data": {"done": ["core_config", "analytics", "integration"]},
                }
            ),
            encoding="utf-8",
        )


class Process:
    """A child process in its own process group, its output going to a file."""

    def __init__(
        self,
        name: str,
        args: list[str],
        log_path: Path,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Start the process."""
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603
            args,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.popen.poll() is None

    def output(self) -> str:
        """Everything the process printed so far."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM the process group, SIGKILL it after ``timeout`` seconds."""
        if self._log.closed:  # stopped before
            return self.popen.returncode
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)
        # Anything else left in the group (there should be nothing).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self._log.close()
        return self.popen.returncode


def start_fake(
    port: int,
    log_path: Path,
    *,
    parent_password: str | None = None,
    secrets_file: Path | None = None,
    today: str | None = None,
) -> Process:
    """Start ``python -m tests.fake_server`` on 127.0.0.1:port."""
    args = [sys.executable, "-m", "tests.fake_server", "--port", str(port)]
    if parent_password is not None:
        args += ["--parent-password", parent_password]
    if secrets_file is not None:
        args += ["--secrets-file", str(secrets_file)]
    if today is not None:
        args += ["--today", today]
    return Process("fake ClassCharts", args, log_path)


def launcher_args(config_dir: Path) -> list[str]:
    """The launcher and its arguments for a config dir made by ``prepare_config``.

    ``--loopback-port``, as ``scripts/develop`` passes it: from 2026.10 the
    launcher keeps ``http:`` out of configuration.yaml and stores confirmed
    loopback settings, so Home Assistant stages no HTTP trial that it would
    revert (and restart) 5 minutes later; before, it writes the ``http:`` section.
    """
    port = int((config_dir / PORT_FILE).read_text(encoding="utf-8"))
    return [str(LAUNCHER), "-c", str(config_dir), "--loopback-port", str(port)]


def start_hass(config_dir: Path, fake_url: str, log_path: Path) -> Process:
    """Start Home Assistant (through the launcher) pointed at the fake ClassCharts."""
    return Process(
        "Home Assistant",
        [sys.executable, *launcher_args(config_dir)],
        log_path,
        env={"CLASSCHARTS_BASE_URL": fake_url, "PYTHONUNBUFFERED": "1"},
    )


async def wait_for_port(port: int, process: Process, limit: float) -> None:
    """Wait until the process listens on the port."""
    deadline = time.monotonic() + limit
    while not port_in_use(port):
        if not process.alive:
            raise RuntimeError(f"{process.name} exited:\n{process.output()[-3000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{process.name} not listening on {port} in {limit}s")
        await asyncio.sleep(0.1)


class HomeAssistantApi:
    """Home Assistant's HTTP and websocket APIs, as the frontend uses them."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to Home Assistant at ``url`` (no trailing slash)."""
        self.session = session
        self.url = url
        self.client_id = f"{url}/"
        self.token = ""
        self.refresh_token = ""
        self._ws_id = 0

    async def wait_until_up(self, process: Process, limit: float) -> None:
        """Wait until the API answers (Home Assistant has started)."""
        deadline = time.monotonic() + limit
        while True:
            if not process.alive:
                raise RuntimeError(
                    f"Home Assistant exited:\n{process.output()[-3000:]}"
                )
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self.session.get(
                    f"{self.url}/auth/providers",
                    timeout=aiohttp.ClientTimeout(total=5),
                ) as response:
                    # 400 until the owner exists ("Onboarding not finished").
                    if response.status in {200, 400}:
                        return
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant did not answer in {limit}s")
            await asyncio.sleep(0.2)

    async def _token(self, code: str) -> None:
        async with self.session.post(
            f"{self.url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as response:
            response.raise_for_status()
            tokens = await response.json()
        self.token = tokens["access_token"]
        self.refresh_token = tokens["refresh_token"]
        self.tokens = tokens

    async def needs_owner(self) -> bool:
        """Whether onboarding still waits for the owner account."""
        async with self.session.get(f"{self.url}/api/onboarding") as response:
            if response.status == 404:  # onboarding done: its views are gone
                return False
            response.raise_for_status()
            steps = await response.json()
        return any(s["step"] == "user" and not s["done"] for s in steps)

    async def onboard(
        self,
        username: str = DEMO_USERNAME,
        password: str = DEMO_PASSWORD,
        name: str = DEMO_NAME,
    ) -> None:
        """Create the owner through the onboarding API and get a token."""
        async with self.session.post(
            f"{self.url}/api/onboarding/users",
            json={
                "client_id": self.client_id,
                "name": name,
                "username": username,
                "password": password,
                "language": "en",
            },
        ) as response:
            response.raise_for_status()
            code = (await response.json())["auth_code"]
        await self._token(code)

    async def login(
        self, username: str = DEMO_USERNAME, password: str = DEMO_PASSWORD
    ) -> None:
        """Log in through the login flow (as the login page does) and get a token."""
        async with self.session.post(
            f"{self.url}/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        ) as response:
            response.raise_for_status()
            flow = await response.json()
        async with self.session.post(
            f"{self.url}/auth/login_flow/{flow['flow_id']}",
            json={
                "client_id": self.client_id,
                "username": username,
                "password": password,
            },
        ) as response:
            response.raise_for_status()
            result = await response.json()
        if result.get("type") != "create_entry":
            raise RuntimeError(f"login refused: {result.get('errors')}")
        await self._token(result["result"])

    async def onboard_or_login(self) -> None:
        """Create the demo owner on the first run, log in on later runs."""
        if await self.needs_owner():
            await self.onboard()
        else:
            await self.login()

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def get(self, path: str, **params: str) -> Any:
        """GET a JSON API path."""
        async with self.session.get(
            f"{self.url}{path}", headers=self._headers, params=params
        ) as response:
            if response.status >= 400:
                raise RuntimeError(
                    f"GET {path}: {response.status} {await response.text()}"
                )
            return await response.json()

    async def post(self, path: str, body: Any = None) -> Any:
        """POST JSON to an API path."""
        async with self.session.post(
            f"{self.url}{path}", headers=self._headers, json=body or {}
        ) as response:
            if response.status >= 400:
                raise RuntimeError(
                    f"POST {path}: {response.status} {await response.text()}"
                )
            return await response.json()

    async def ws(self, command: dict[str, Any]) -> Any:
        """Send one websocket command on a fresh connection and return its result."""
        async with self.session.ws_connect(f"{self.url}/api/websocket") as socket_:
            hello = await socket_.receive_json(timeout=10)
            assert hello["type"] == "auth_required", hello
            await socket_.send_json({"type": "auth", "access_token": self.token})
            auth = await socket_.receive_json(timeout=10)
            if auth["type"] != "auth_ok":
                raise RuntimeError(f"websocket auth failed: {auth}")
            self._ws_id += 1
            await socket_.send_json({"id": self._ws_id, **command})
            while True:
                message = await socket_.receive_json(timeout=30)
                if message.get("id") == self._ws_id and message["type"] == "result":
                    break
        if not message["success"]:
            raise RuntimeError(f"websocket {command['type']}: {message['error']}")
        return message["result"]

    # ---- config flow, exactly as the frontend's "Add integration" dialog ---------

    async def flow_start(self, handler: str) -> dict[str, Any]:
        """Start a config flow (the frontend's first request)."""
        return await self.post(
            "/api/config/config_entries/flow",
            {"handler": handler, "show_advanced_options": False},
        )

    async def flow_step(self, flow_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Submit a menu choice ({"next_step_id": ...}) or a form."""
        return await self.post(f"/api/config/config_entries/flow/{flow_id}", body)

    async def add_student(self, code: str, date_of_birth: str) -> dict[str, Any]:
        """Add a student account; returns the finished flow."""
        menu = await self.flow_start("classcharts_hass")
        assert menu["type"] == "menu", menu
        assert set(menu["menu_options"]) == {"student", "parent"}, menu
        form = await self.flow_step(menu["flow_id"], {"next_step_id": "student"})
        assert form["type"] == "form", form
        assert form["step_id"] == "student", form
        result = await self.flow_step(
            form["flow_id"], {"code": code, "date_of_birth": date_of_birth}
        )
        if result.get("step_id") == "student_and_parent":
            # The child is already shown through a parent login: go on anyway.
            result = await self.flow_step(result["flow_id"], {})
        return result

    async def add_parent(
        self, email: str, password: str, pupils: list[str] | None = None
    ) -> dict[str, Any]:
        """Add a parent account choosing ``pupils`` (default: as offered)."""
        menu = await self.flow_start("classcharts_hass")
        assert menu["type"] == "menu", menu
        form = await self.flow_step(menu["flow_id"], {"next_step_id": "parent"})
        assert form["type"] == "form", form
        assert form["step_id"] == "parent", form
        choose = await self.flow_step(
            form["flow_id"], {"email": email, "password": password}
        )
        assert choose["type"] == "form", choose
        assert choose["step_id"] == "pupils", choose
        if pupils is None:
            field = next(f for f in choose["data_schema"] if f["name"] == "pupils")
            pupils = list(field["default"])
        return await self.flow_step(choose["flow_id"], {"pupils": pupils})

    async def entities_of(self, entry_id: str) -> list[str]:
        """The entity ids of a config entry (from the entity registry)."""
        entries = await self.ws({"type": "config/entity_registry/list"})
        return sorted(
            e["entity_id"] for e in entries if e.get("config_entry_id") == entry_id
        )

    async def states(self) -> dict[str, dict[str, Any]]:
        """Every state by entity id."""
        return {s["entity_id"]: s for s in await self.get("/api/states")}

    async def http_issues(self) -> list[str]:
        """The ids of the repair issues Home Assistant's HTTP server raised."""
        issues = (await self.ws({"type": "repairs/list_issues"}))["issues"]
        return [i["issue_id"] for i in issues if i["domain"] == "http"]

    async def http_trial_problems(self, port: int) -> list[str]:
        """What differs from a confirmed loopback-only HTTP server on ``port``.

        From 2026.10 (websocket ``http/config``): a pending config, a scheduled
        revert (the "Confirm new HTTP server configuration" dialog, and a restart
        5 minutes after the start), a running config other than the stable one,
        or stable settings other than 127.0.0.1 and the port. Before 2026.10
        configuration.yaml holds the settings and there is nothing to confirm.
        """
        try:
            config = await self.ws({"type": "http/config"})
        except RuntimeError as err:
            if "unknown_command" in str(err):
                return []
            raise
        expected = {
            "pending": None,
            "revert_at": None,
            "active_config_type": "stable",
            "stable server_host": [LOOPBACK],
            "stable server_port": port,
        }
        found = {
            "pending": config["pending"],
            "revert_at": config["revert_at"],
            "active_config_type": config["active_config_type"],
            "stable server_host": config["stable"].get("server_host"),
            "stable server_port": config["stable"].get("server_port"),
        }
        return [
            f"{key}: {found[key]!r}, not {value!r}"
            for key, value in expected.items()
            if found[key] != value
        ]


async def _onboard_cli(url: str, limit: float) -> None:
    """Wait for Home Assistant, then create the demo owner if nobody did yet."""
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, url)
        deadline = time.monotonic() + limit
        while True:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                if await api.needs_owner():
                    await api.onboard()
                    sys.stdout.write("created\n")
                else:
                    sys.stdout.write("exists\n")
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant did not answer in {limit}s")
            await asyncio.sleep(0.3)


async def _refresh_cli(url: str) -> None:
    """Ask Home Assistant to poll every ClassCharts entry now (the demo's add)."""
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=30)
    ) as session:
        api = HomeAssistantApi(session, url)
        await api.login()
        entries = await api.ws({"type": "config/entity_registry/list"})
        first: dict[str, str] = {}
        for entity in entries:
            if entity.get("platform") == "classcharts_hass" and not entity.get(
                "disabled_by"
            ):
                first.setdefault(entity["config_entry_id"], entity["entity_id"])
        if first:
            await api.post(
                "/api/services/homeassistant/update_entity",
                {"entity_id": sorted(first.values())},
            )
        sys.stdout.write(
            f"Asked Home Assistant to update {len(first)} ClassCharts login(s)\n"
        )


def main() -> None:
    """Command line for scripts/develop."""
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.harness")
    sub = parser.add_subparsers(dest="command", required=True)
    prepare = sub.add_parser("prepare", help="create the config dir")
    prepare.add_argument("config_dir", type=Path)
    prepare.add_argument("port", type=int)
    onboard = sub.add_parser("onboard", help="create the demo owner if needed")
    onboard.add_argument("url")
    onboard.add_argument("--timeout", type=float, default=120.0)
    sub.add_parser(
        "frontend-packages", help="install what the frontend needs, if missing"
    )
    refresh = sub.add_parser("refresh", help="make every ClassCharts entry poll")
    refresh.add_argument("url")
    args = parser.parse_args()
    if args.command == "frontend-packages":
        if frontend_packages_missing():
            sys.stderr.write("[develop] installing packages the frontend needs\n")
            install_frontend_packages()
    elif args.command == "prepare":
        prepare_config(args.config_dir, args.port)
    elif args.command == "refresh":
        try:
            asyncio.run(_refresh_cli(args.url))
        except (aiohttp.ClientError, OSError) as err:
            sys.stderr.write(f"[develop] Home Assistant at {args.url}: {err}\n")
            sys.exit(1)
    else:
        asyncio.run(_onboard_cli(args.url, args.timeout))


if __name__ == "__main__":
    main()
