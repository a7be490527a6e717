"""Validate manifest.json, hacs.json and pyproject metadata."""

from __future__ import annotations

import json
import os
from pathlib import Path
import re
import subprocess
import sys
import textwrap
import tomllib
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.const import __version__ as HA_VERSION  # noqa: N812
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from tests.conftest import setup_entry
from tests.fake_server import FakeClassCharts
from tests.fake_server.data import BEN_ID

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = ROOT / "custom_components" / "classcharts_hass" / "manifest.json"
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
    assert manifest["domain"] == "classcharts_hass"
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


WORKFLOWS = ROOT / ".github" / "workflows"


def _workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    return triggers


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_validate_workflow_runs_hassfest_and_hacs() -> None:
    """What HACS expects of a repository: hassfest and its own action, on every change."""
    workflow = _workflow("validate.yml")
    assert {"push", "pull_request", "schedule", "workflow_call"} <= set(
        _triggers(workflow)
    )
    uses = {step.get("uses", "").split("@")[0]: step for step in _steps(workflow)}
    assert "home-assistant/actions/hassfest" in uses
    hacs_step = uses["hacs/action"]
    assert hacs_step["with"]["category"] == "integration"
    # hacs/default accepts a repository only when every check passes: none skipped.
    assert "ignore" not in hacs_step["with"]


def test_release_workflow_checks_the_tag(manifest: dict[str, Any]) -> None:
    """The release check passes for the manifest's version and fails for another."""
    workflow = _workflow("release.yml")
    assert _triggers(workflow)["release"]["types"] == ["published"]
    assert workflow["jobs"]["validate"]["uses"] == "./.github/workflows/validate.yml"
    run = next(s["run"] for s in _steps(workflow) if "TAG" in s.get("env", {}))
    script = run.split("<<'PY'\n", 1)[1].rsplit("PY", 1)[0]
    script = textwrap.dedent(script)

    def check(tag: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "TAG": tag},
            capture_output=True,
            text=True,
            check=False,
        )

    assert check(manifest["version"]).returncode == 0
    assert check(f"v{manifest['version']}").returncode == 0
    assert check("99.0.0").returncode != 0


def test_contributing_has_a_release_checklist() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    checklist = text.split("## Release checklist", 1)[1]
    for must in ("manifest.json", "pyproject.toml", "ENTRY_VERSION", "hacs.json"):
        assert must in checklist


def test_contributing_lists_what_only_github_holds() -> None:
    """Description, topics and licence live on GitHub: a checklist, and the PR steps."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    settings = text.split("### Repository settings", 1)[1].split("\n### ", 1)[0]
    for must in ("**Description**", "**Topics**", "**Licence detected**", "**Issues**"):
        assert must in settings, must
    for topic in ("home-assistant", "hacs", "hacs-integration", "classcharts"):
        assert f"`{topic}`" in settings, topic
    default = text.split("### Getting into HACS's default list", 1)[1]
    for must in ("hacs/default", "release", "without any `ignore`", "/actions/runs/"):
        assert must in default, must


def test_contributing_points_to_the_docs() -> None:
    """Architecture and measurements are linked; the measurements page exists."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in text  # written beside this change
    assert "(docs/performance.md)" in text
    assert "| requests, student, school day |" in (
        ROOT / "docs" / "performance.md"
    ).read_text(encoding="utf-8")


def test_hacs_json_is_what_a_plain_integration_needs(hacs: dict[str, Any]) -> None:
    """No zip release (HACS downloads the folder), so no file name either."""
    assert not hacs.get("zip_release", False)
    assert "filename" not in hacs
    assert not hacs.get("content_in_root", False)
    assert (ROOT / "custom_components" / "classcharts_hass" / "manifest.json").is_file()


def test_manifest_is_a_hub(manifest: dict[str, Any]) -> None:
    """One parent entry holds several pupil devices: a hub, not one service."""
    assert manifest["integration_type"] == "hub"


PACKAGE = MANIFEST_PATH.parent


def _package_json(name: str) -> dict[str, Any]:
    return _load_json(PACKAGE / name)


TRANSLATIONS = _package_json("translations/en.json")
ICONS = _package_json("icons.json")
SERVICES: dict[str, Any] = yaml.safe_load(
    (PACKAGE / "services.yaml").read_text(encoding="utf-8")
)


def test_every_action_has_a_translation_and_an_icon() -> None:
    """services.yaml, en.json and icons.json name the same actions."""
    assert set(SERVICES) == set(TRANSLATIONS["services"]) == set(ICONS["services"])
    for action, spec in SERVICES.items():
        assert ICONS["services"][action]["service"].startswith("mdi:"), action
        text = TRANSLATIONS["services"][action]
        assert text["name"], action
        assert text["description"], action
        fields = spec.get("fields") or {}
        assert set(fields) == set(text.get("fields", {})), action
        for field in fields:
            assert text["fields"][field]["name"], (action, field)
            assert text["fields"][field]["description"], (action, field)


def test_action_pickers_name_this_integration() -> None:
    """A device picker offers only this integration's pupils."""
    pickers = [
        field["selector"]["device"]
        for spec in SERVICES.values()
        for field in (spec.get("fields") or {}).values()
        if "device" in (field.get("selector") or {})
    ]
    assert pickers
    for picker in pickers:
        assert picker["integration"] == MANIFEST_PATH.parent.name


def test_every_entity_translation_has_an_icon() -> None:
    """icons.json and en.json know the same entities, platform by platform."""
    names = {p: set(keys) for p, keys in TRANSLATIONS["entity"].items()}
    icons = {p: set(keys) for p, keys in ICONS["entity"].items()}
    assert names == icons
    for platform in ICONS["entity"].values():
        for icon in platform.values():
            assert icon["default"].startswith("mdi:")


def test_every_translation_key_in_the_code_exists() -> None:
    """A literal translation_key names an entity, exception or issue text."""
    known = set(TRANSLATIONS["exceptions"]) | set(TRANSLATIONS["issues"])
    for platform in TRANSLATIONS["entity"].values():
        known |= set(platform)
    literal = re.compile(r"translation_key\s*=\s*\"([a-z0-9_]+)\"")
    used = {
        key
        for path in PACKAGE.rglob("*.py")
        for key in literal.findall(path.read_text(encoding="utf-8"))
    }
    assert used
    assert used <= known, sorted(used - known)


def test_every_flow_field_explains_itself() -> None:
    """Each field of the config and options flows has a label and a help text."""
    for flow in ("config", "options"):
        for step, text in TRANSLATIONS[flow]["step"].items():
            data = text.get("data", {})
            assert set(data) == set(text.get("data_description", {})), (flow, step)


async def test_every_entity_uses_a_translation_and_an_icon(
    hass_london: HomeAssistant,
    student_entry: MockConfigEntry,
    parent_entry: MockConfigEntry,
    fake: FakeClassCharts,
) -> None:
    """The entities created name only texts and icons that exist, and use them all."""
    # Reports and report cards are off in the seed: Ben's school shows them here.
    fake.pupils[BEN_ID].display["display_academic_reports"] = True
    fake.pupils[BEN_ID].display["display_report_cards"] = True
    await setup_entry(hass_london, student_entry)
    await setup_entry(hass_london, parent_entry)
    entries = [
        entity
        for entity in er.async_get(hass_london).entities.values()
        if entity.platform == MANIFEST_PATH.parent.name
    ]
    used: dict[str, set[str]] = {}
    for entity in entries:
        assert entity.translation_key, entity.entity_id
        used.setdefault(entity.domain, set()).add(entity.translation_key)
    names = {p: set(keys) for p, keys in TRANSLATIONS["entity"].items()}
    assert used == names


def test_readme_states_the_minimum_home_assistant(hacs: dict[str, Any]) -> None:
    """The Install section names the release hacs.json requires."""
    minimum = AwesomeVersion(hacs["homeassistant"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    assert (
        f"Home Assistant {minimum.section(0)}.{minimum.section(1)} or newer" in install
    )
