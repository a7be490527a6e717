"""scripts/hass_launcher.py: loopback only, no HTTP trial to revert, restart in place."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
import sys
from types import ModuleType
from typing import Any

from homeassistant.core import HomeAssistant
import pytest
import yaml

from tests.e2e.harness import CONFIGURATION_YAML, ROOT


@pytest.fixture(scope="module")
def launcher() -> ModuleType:
    """The launcher script as a module (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location(
        "hass_launcher", ROOT / "scripts" / "hass_launcher.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def demo_config(tmp_path: Path, http: str) -> Path:
    """A demo config dir whose configuration.yaml has this ``http:`` section."""
    text = CONFIGURATION_YAML.format(port=8123)
    text = text.replace("http:\n  server_host: 127.0.0.1\n  server_port: 8123\n", http)
    (tmp_path / "configuration.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def loaded_yaml(config_dir: Path) -> dict[str, Any]:
    """configuration.yaml as Home Assistant reads it (the !include tags left out)."""
    text = (config_dir / "configuration.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text.replace("!include ", ""))
    return loaded


def has_http_store(launcher: ModuleType) -> bool:
    """Whether this Home Assistant keeps its HTTP settings in .storage/http."""
    return launcher.stored_http_config(1) is not None


@pytest.mark.parametrize(
    "http",
    [
        "http:\n  server_port: 8123\n",  # every interface (no server_host)
        "http:\n  server_host: 0.0.0.0\n  server_port: 8124\n\n",
        "",  # none at all
    ],
)
def test_yaml_listens_on_loopback_only(
    launcher: ModuleType, tmp_path: Path, http: str
) -> None:
    """Before 2026.10 the http: section says 127.0.0.1 and the demo's port, once."""
    if has_http_store(launcher):
        pytest.skip("this Home Assistant keeps its HTTP settings in .storage/http")
    config_dir = demo_config(tmp_path, http)
    assert launcher.listen_on_loopback(config_dir, 18123) == "configuration.yaml"
    assert loaded_yaml(config_dir)["http"] == {
        "server_host": "127.0.0.1",
        "server_port": 18123,
    }
    text = (config_dir / "configuration.yaml").read_text(encoding="utf-8")
    assert text.count("http:") == 1
    launcher.listen_on_loopback(config_dir, 18123)
    assert (config_dir / "configuration.yaml").read_text(encoding="utf-8") == text
    assert loaded_yaml(config_dir)["logbook"] is None  # the rest is kept


async def test_store_listens_on_loopback_with_no_trial(
    launcher: ModuleType, tmp_path: Path, hass: HomeAssistant, hass_storage: dict
) -> None:
    """From 2026.10 the confirmed settings are stored: nothing pending, no revert.

    The store starts as a reverted trial leaves it (stable listening everywhere,
    the demo's config pending with an error), and Home Assistant's own loader
    then reads loopback only, as the stable config, with no revert scheduled.
    """
    if not has_http_store(launcher):
        pytest.skip("this Home Assistant reads its HTTP settings from YAML")
    from homeassistant.components.http import config as http_config  # noqa: PLC0415

    config_dir = demo_config(
        tmp_path, "http:\n  server_host: 127.0.0.1\n  server_port: 8123\n"
    )
    reverted = launcher.stored_http_config(8123)
    reverted["data"]["stable"].pop("server_host")
    reverted["data"]["pending"] = {
        **reverted["data"]["stable"],
        "server_host": ["127.0.0.1"],
        "error": "not_promoted",
    }
    (config_dir / ".storage").mkdir()
    (config_dir / ".storage" / "http").write_text(
        json.dumps(reverted), encoding="utf-8"
    )

    assert launcher.listen_on_loopback(config_dir, 18123) == ".storage/http"
    assert "http" not in loaded_yaml(config_dir)
    stored = (config_dir / ".storage" / "http").read_text(encoding="utf-8")
    hass_storage["http"] = json.loads(stored)
    conf = await http_config.async_load_config(hass, loaded_yaml(config_dir))
    assert conf["server_host"] == ["127.0.0.1"]
    assert conf["server_port"] == 18123
    store = hass.data[http_config.DATA_STORE]
    assert store.active_config_type is http_config.ActiveConfigType.STABLE
    assert store.pending is None
    assert store.revert_deadline is None
    assert (config_dir / ".storage" / "http").stat().st_mode & 0o077 == 0


def test_a_restart_starts_home_assistant_again_in_place(
    launcher: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit code 100 (a restart asked for in the UI) re-runs the launcher, same pid."""
    import homeassistant.__main__ as hass_main  # noqa: PLC0415

    calls: list[list[str]] = []
    monkeypatch.setattr(hass_main, "main", lambda: calls.append(sys.argv) or 100)
    execs: list[list[str]] = []

    def execv(path: str, args: list[str]) -> None:
        execs.append(args)
        raise SystemExit(0)

    monkeypatch.setattr(launcher.os, "execv", execv)
    monkeypatch.setattr(sys, "argv", ["hass_launcher.py", "-c", str(tmp_path), "-v"])
    with pytest.raises(SystemExit):
        launcher.main()
    assert calls == [["hass", "-c", str(tmp_path), "-v"]]
    assert execs == [[sys.executable, launcher.__file__, "-c", str(tmp_path), "-v"]]
    assert (tmp_path / launcher.PID_FILE).read_text(encoding="utf-8").strip().isdigit()

    monkeypatch.setattr(hass_main, "main", lambda: 0)
    assert launcher.main() == 0  # a stop ends it
    assert not (tmp_path / launcher.PID_FILE).exists()
