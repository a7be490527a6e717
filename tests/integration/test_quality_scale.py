"""quality_scale.yaml follows hassfest's schema and names every rule once."""

from __future__ import annotations

from pathlib import Path

import voluptuous as vol
import yaml

import custom_components.classcharts_hass as integration

# hassfest's rules (script/hassfest/quality_scale.py), tier by tier.
RULES = {
    "bronze": (
        "action-setup appropriate-polling brands common-modules "
        "config-flow-test-coverage config-flow dependency-transparency docs-actions "
        "docs-high-level-description docs-installation-instructions "
        "docs-removal-instructions entity-event-setup entity-unique-id "
        "has-entity-name runtime-data test-before-configure test-before-setup "
        "unique-config-entry"
    ),
    "silver": (
        "action-exceptions config-entry-unloading docs-configuration-parameters "
        "docs-installation-parameters entity-unavailable integration-owner "
        "log-when-unavailable parallel-updates reauthentication-flow test-coverage"
    ),
    "gold": (
        "devices diagnostics discovery-update-info discovery docs-data-update "
        "docs-examples docs-known-limitations docs-supported-devices "
        "docs-supported-functions docs-troubleshooting docs-use-cases "
        "dynamic-devices entity-category entity-device-class "
        "entity-disabled-by-default entity-translations exception-translations "
        "icon-translations reconfiguration-flow repair-issues stale-devices"
    ),
    "platinum": "async-dependency inject-websession strict-typing",
}
ALL_RULES = [rule for tier in RULES.values() for rule in tier.split()]

# As hassfest validates it: done/todo, or an object; an exemption needs a reason.
RULE = vol.Any(
    vol.In(["todo", "done"]),
    vol.Schema(
        {vol.Required("status"): vol.In(["todo", "done"]), vol.Optional("comment"): str}
    ),
    vol.Schema({vol.Required("status"): "exempt", vol.Required("comment"): str}),
)
SCHEMA = vol.Schema(
    {vol.Required("rules"): vol.Schema({vol.Optional(r): RULE for r in ALL_RULES})}
)


def load() -> dict:
    """The integration's quality scale."""
    path = Path(integration.__file__).parent / "quality_scale.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_quality_scale_follows_hassfests_schema() -> None:
    """Valid, and every rule is stated."""
    scale = SCHEMA(load())
    assert sorted(scale["rules"]) == sorted(ALL_RULES)


def test_the_vendored_client_is_no_transparent_dependency() -> None:
    """The client ships inside the integration: dependency-transparency is todo."""
    assert load()["rules"]["dependency-transparency"]["status"] == "todo"


def test_reconfiguration_flow_claim_matches_the_config_flow() -> None:
    """'done' exactly when the config flow has a reconfigure step."""
    from custom_components.classcharts_hass.config_flow import (  # noqa: PLC0415
        ClassChartsConfigFlow,
    )

    rule = load()["rules"]["reconfiguration-flow"]
    has_step = "async_step_reconfigure" in vars(ClassChartsConfigFlow)
    assert (rule == "done") == has_step
