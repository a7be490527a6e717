"""quality_scale.yaml follows hassfest's schema, names every rule once, and is true.

hassfest validates quality_scale.yaml of core integrations only, so nothing outside
this file checks ours: each claim that can be read from the code is pinned here.
"""

from __future__ import annotations

import ast
from pathlib import Path
import re
from typing import Any

import homeassistant.components
from homeassistant.const import Platform
import pytest
import voluptuous as vol
import yaml

import custom_components.classcharts_hass as integration

PACKAGE = Path(integration.__file__).parent
ROOT = PACKAGE.parents[1]

# hassfest's rules, tier by tier: home-assistant/core script/hassfest/quality_scale.py
# at commit 008538e822535b1d6155c91f6642127afa184ed1, read on 2026-12-03. These 54
# rules are exactly the rules the 429 quality_scale.yaml files of the Home Assistant
# 2026.11.0 wheel name (the newest release tested), docs-conditions and docs-triggers
# (Bronze since 2026-07) included; the 2026.2.3 wheel's files name 52 of them.
RULES = {
    "bronze": (
        "action-setup appropriate-polling brands common-modules config-flow "
        "config-flow-test-coverage dependency-transparency docs-actions "
        "docs-conditions docs-high-level-description docs-installation-instructions "
        "docs-removal-instructions docs-triggers entity-event-setup entity-unique-id "
        "has-entity-name runtime-data test-before-configure test-before-setup "
        "unique-config-entry"
    ),
    "silver": (
        "action-exceptions config-entry-unloading docs-configuration-parameters "
        "docs-installation-parameters entity-unavailable integration-owner "
        "log-when-unavailable parallel-updates reauthentication-flow test-coverage"
    ),
    "gold": (
        "devices diagnostics discovery discovery-update-info docs-data-update "
        "docs-examples docs-known-limitations docs-supported-devices "
        "docs-supported-functions docs-troubleshooting docs-use-cases "
        "dynamic-devices entity-category entity-device-class "
        "entity-disabled-by-default entity-translations exception-translations "
        "icon-translations reconfiguration-flow repair-issues stale-devices"
    ),
    "platinum": "async-dependency inject-websession strict-typing",
}
ALL_RULES = [rule for tier in RULES.values() for rule in tier.split()]

# As that hassfest validates it: done/todo, or an object with a comment (an
# exemption always needs one).
RULE = vol.Any(
    vol.In(["todo", "done"]),
    vol.Schema(
        {vol.Required("status"): vol.In(["todo", "done"]), vol.Required("comment"): str}
    ),
    vol.Schema({vol.Required("status"): "exempt", vol.Required("comment"): str}),
)
SCHEMA = vol.Schema(
    {vol.Required("rules"): vol.Schema({vol.Optional(r): RULE for r in ALL_RULES})}
)

# The README section each documentation rule marked done points to.
DOCS_SECTIONS = {
    "docs-high-level-description": "## What it does",
    "docs-installation-instructions": "## Install",
    "docs-installation-parameters": "## Set up",
    "docs-configuration-parameters": "## Set up",
    "docs-removal-instructions": "### Removing it",
    "docs-supported-functions": "## What each entity shows",
    "docs-actions": "### Actions",
    "docs-data-update": "### How often it reads ClassCharts",
    "docs-examples": "## Automations",
    "docs-use-cases": "## Automations",
    "docs-troubleshooting": "## Troubleshooting",
    "docs-known-limitations": "### Known limitations",
}

# Modules that would give the integration triggers or conditions of its own.
TRIGGER_AND_CONDITION_MODULES = (
    "trigger.py",
    "condition.py",
    "device_trigger.py",
    "device_condition.py",
)


def load() -> dict[str, Any]:
    """The integration's quality scale."""
    path = PACKAGE / "quality_scale.yaml"
    scale: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return scale


def status(rule: str) -> str:
    """done, todo or exempt, whichever way the rule is written."""
    value = load()["rules"][rule]
    return str(value["status"] if isinstance(value, dict) else value)


def module(name: str) -> ast.Module:
    return ast.parse((PACKAGE / name).read_text(encoding="utf-8"))


def test_quality_scale_follows_hassfests_schema() -> None:
    """Valid, and every rule is stated."""
    scale = SCHEMA(load())
    assert sorted(scale["rules"]) == sorted(ALL_RULES)


def test_the_rule_list_is_not_older_than_the_home_assistant_installed() -> None:
    """Every rule a core integration of this environment names is in the list."""
    components = Path(homeassistant.components.__path__[0])
    named: set[str] = set()
    for path in components.glob("*/quality_scale.yaml"):
        named |= set(yaml.safe_load(path.read_text(encoding="utf-8"))["rules"])
    assert named
    assert named <= set(ALL_RULES)


def test_the_vendored_client_is_no_transparent_dependency() -> None:
    """The client ships inside the integration: dependency-transparency is todo."""
    assert status("dependency-transparency") == "todo"


def test_reconfiguration_flow_claim_matches_the_config_flow() -> None:
    """'done' exactly when the config flow has a reconfigure step."""
    from custom_components.classcharts_hass.config_flow import (  # noqa: PLC0415
        ClassChartsConfigFlow,
    )

    has_step = "async_step_reconfigure" in vars(ClassChartsConfigFlow)
    assert (status("reconfiguration-flow") == "done") == has_step


def test_common_modules_claim_matches_the_files() -> None:
    """The coordinator and the base entity live where Home Assistant looks for them."""
    has_modules = all(
        (PACKAGE / name).is_file() for name in ("coordinator.py", "entity.py")
    )
    assert (status("common-modules") == "done") == has_modules


def test_brands_claim_matches_the_brand_folder() -> None:
    """HACS and Home Assistant read the icon from the integration's brand/."""
    has_brand = all(
        (PACKAGE / "brand" / name).is_file() for name in ("icon.png", "logo.png")
    )
    assert (status("brands") == "done") == has_brand


@pytest.mark.parametrize("rule", ["docs-triggers", "docs-conditions"])
def test_no_triggers_or_conditions_to_document(rule: str) -> None:
    """Exempt exactly while the integration provides no trigger or condition."""
    provides = any((PACKAGE / name).exists() for name in TRIGGER_AND_CONDITION_MODULES)
    assert (status(rule) == "exempt") == (not provides)


@pytest.mark.parametrize("rule", sorted(DOCS_SECTIONS))
def test_documentation_claims_name_a_readme_section(rule: str) -> None:
    """A documentation rule is done when the README has its section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    has_section = f"\n{DOCS_SECTIONS[rule]}" in readme
    assert (status(rule) == "done") == has_section


def test_runtime_data_claim_matches_async_setup_entry() -> None:
    """async_setup_entry stores the coordinator on entry.runtime_data."""
    setup = next(
        node
        for node in module("__init__.py").body
        if isinstance(node, ast.AsyncFunctionDef) and node.name == "async_setup_entry"
    )
    entry = setup.args.args[1].arg
    stores = any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == entry
        and node.attr == "runtime_data"
        and isinstance(node.ctx, ast.Store)
        for node in ast.walk(setup)
    )
    assert (status("runtime-data") == "done") == stores


def _untyped_entries() -> list[str]:
    """Functions handed a config entry without the integration's typed alias.

    With strict-typing done, hassfest's runtime-data check wants the entry argument
    of these functions annotated as ``<Something>ConfigEntry``, not ``ConfigEntry``.
    """
    typed = re.compile(r"^[A-Za-z]+ConfigEntry$")
    wanted = {
        "__init__.py": {
            "async_migrate_entry": 2,
            "async_remove_config_entry_device": 2,
            "async_remove_entry": 2,
            "async_setup_entry": 2,
            "async_unload_entry": 2,
        },
        "diagnostics.py": {
            "async_get_config_entry_diagnostics": 2,
            "async_get_device_diagnostics": 2,
        },
    } | {f"{platform.value}.py": {"async_setup_entry": 2} for platform in Platform}
    functions: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, int]] = []
    for name, positions in wanted.items():
        if (PACKAGE / name).is_file():
            functions += [
                (name, node, positions[node.name])
                for node in module(name).body
                if isinstance(node, ast.AsyncFunctionDef) and node.name in positions
            ]
    for node in module("config_flow.py").body:
        if isinstance(node, ast.ClassDef):
            functions += [
                ("config_flow.py", item, 1)
                for item in node.body
                if isinstance(item, ast.FunctionDef)
                and item.name == "async_get_options_flow"
            ]
    untyped = []
    for name, function, position in functions:
        annotation = function.args.args[position - 1].annotation
        if not (isinstance(annotation, ast.Name) and typed.match(annotation.id)):
            untyped.append(f"{name}: {function.name}")
    return untyped


def test_strict_typing_claim_matches_the_typed_entries() -> None:
    """done only when every entry argument hassfest checks has the typed alias."""
    assert (status("strict-typing") == "done") == (not _untyped_entries())


def test_parallel_updates_on_every_platform() -> None:
    """Each platform module the entry forwards to says how many updates may run."""
    platforms: list[Platform] = integration.PLATFORMS
    assert platforms
    missing = [
        platform.value
        for platform in platforms
        if not any(
            isinstance(node, (ast.Assign, ast.AnnAssign))
            and "PARALLEL_UPDATES" in ast.unparse(node).split("=", 1)[0]
            for node in module(f"{platform.value}.py").body
        )
    ]
    assert (status("parallel-updates") == "done") == (not missing), missing


def test_icon_translations_claim_matches_the_code() -> None:
    """No icon is set in code: every icon comes from icons.json."""
    in_code = [
        path.name
        for path in PACKAGE.rglob("*.py")
        if re.search(r"\b_attr_icon\b|\bicon=", path.read_text(encoding="utf-8"))
    ]
    assert (status("icon-translations") == "done") == (not in_code), in_code
