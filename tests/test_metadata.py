"""Validate manifest.json, hacs.json and pyproject metadata."""

from __future__ import annotations

import json
from pathlib import Path
import tomllib
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.const import __version__ as HA_VERSION  # noqa: N812
import pytest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = ROOT / "custom_components" / "classcharts" / "manifest.json"
HACS_PATH = ROOT / "hacs.json"
PYPROJECT_PATH = ROOT / "pyproject.toml"

PINNED_HA_VERSION = "2026.2.3"

# Keys HACS understands in hacs.json.
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "render_readme",
    "persistent_directory",
}

# Version strategies hassfest accepts for custom integrations.
STRICT_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]


def _load_json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} must be a JSON object"
    return data


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return _load_json(MANIFEST_PATH)


@pytest.fixture(scope="module")
def hacs() -> dict[str, Any]:
    return _load_json(HACS_PATH)


def test_manifest_required_values(manifest: dict[str, Any]) -> None:
    assert manifest["domain"] == "classcharts"
    assert MANIFEST_PATH.parent.name == manifest["domain"]
    assert isinstance(manifest["name"], str)
    assert manifest["name"]
    assert manifest["config_flow"] is True
    assert manifest["iot_class"] == "cloud_polling"
    assert manifest["integration_type"] in {"service", "hub"}


def test_manifest_codeowners(manifest: dict[str, Any]) -> None:
    codeowners = manifest["codeowners"]
    assert isinstance(codeowners, list)
    assert codeowners
    assert all(isinstance(o, str) and o.startswith("@") for o in codeowners)


@pytest.mark.parametrize("key", ["documentation", "issue_tracker"])
def test_manifest_urls(manifest: dict[str, Any], key: str) -> None:
    url = manifest[key]
    assert isinstance(url, str)
    assert url.startswith("https://"), f"{key} must be an https URL"


def test_manifest_requirements_and_dependencies(manifest: dict[str, Any]) -> None:
    # Nothing beyond what Home Assistant itself ships.
    assert manifest["requirements"] == []
    dependencies = manifest.get("dependencies", [])
    assert isinstance(dependencies, list)
    assert all(isinstance(d, str) for d in dependencies)


def test_manifest_version_is_strict(manifest: dict[str, Any]) -> None:
    version = manifest["version"]
    assert isinstance(version, str)
    # Raises AwesomeVersionStrategyException if not a strict version.
    AwesomeVersion(version, ensure_strategy=STRICT_STRATEGIES)


def test_manifest_key_order(manifest: dict[str, Any]) -> None:
    """Hassfest wants domain, name first, then the rest alphabetically."""
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_version_matches_pyproject(manifest: dict[str, Any]) -> None:
    pyproject = tomllib.loads(PYPROJECT_PATH.read_text(encoding="utf-8"))
    assert manifest["version"] == pyproject["project"]["version"]


def test_hacs_keys(hacs: dict[str, Any]) -> None:
    unknown = set(hacs) - HACS_KEYS
    assert not unknown, f"unknown hacs.json keys: {sorted(unknown)}"


def test_hacs_values(hacs: dict[str, Any], manifest: dict[str, Any]) -> None:
    assert hacs["name"] == manifest["name"]
    assert hacs["country"] == ["GB"]


def test_hacs_min_homeassistant(hacs: dict[str, Any]) -> None:
    minimum = AwesomeVersion(hacs["homeassistant"])
    assert minimum.strategy is not AwesomeVersionStrategy.UNKNOWN
    assert minimum <= AwesomeVersion(PINNED_HA_VERSION)
    # The Home Assistant we test against must satisfy the declared minimum.
    assert minimum <= AwesomeVersion(HA_VERSION)
