"""The README as HACS renders it: every image and link absolute, every file there."""

from __future__ import annotations

import json
from pathlib import Path
import re
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
REPOSITORY = json.loads(
    (ROOT / "custom_components" / "classcharts_hass" / "manifest.json").read_text(
        encoding="utf-8"
    )
)["documentation"]
DOMAIN = "classcharts_hass"
TRANSLATIONS = json.loads(
    (ROOT / "custom_components" / DOMAIN / "translations" / "en.json").read_text(
        encoding="utf-8"
    )
)
RAW = REPOSITORY.replace("https://github.com/", "https://raw.githubusercontent.com/")
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")
LINKS = LINK.findall(README)


def test_images_are_absolute_and_exist() -> None:
    """HACS cannot load a relative image: each is the repository's raw file."""
    images = [url for bang, url in LINKS if bang]
    assert len(images) >= 7
    for url in images:
        assert url.startswith(f"{RAW}/main/"), url
        assert (ROOT / url.removeprefix(f"{RAW}/main/")).is_file(), url


def test_links_are_absolute_and_files_exist() -> None:
    """No relative link; a link into the repository names a file that exists."""
    for _, url in LINKS:
        assert url.startswith(("https://", "#")), url
        decoded = unquote(url)
        if f"{REPOSITORY}/blob/main/" in decoded:
            path = decoded.split(f"{REPOSITORY}/blob/main/", 1)[1]
            assert (ROOT / path).is_file(), url


def test_anchors_name_headings() -> None:
    """Each #anchor is a heading of the README."""
    headings = {
        re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in README.splitlines()
        if line.startswith("#")
    }
    for _, url in LINKS:
        if url.startswith("#"):
            assert url[1:] in headings, url


def test_sections_in_the_order_a_parent_needs_them() -> None:
    """What it does, install, set up, entities, automations, switching, help, privacy."""
    assert f"`{REPOSITORY}`" in README
    order = [
        "## What it does",
        "## Install",
        "## Set up",
        "## What each entity shows",
        "## Automations",
        "## Switching from another ClassCharts integration",
        "## Troubleshooting",
        "## Privacy",
    ]
    positions = [README.index(f"\n{heading}\n") for heading in order]
    assert positions == sorted(positions)
    assert "docs/dashboard.yaml" in README


def test_short_enough_to_read_in_hacs() -> None:
    """HACS shows the whole README: under 320 lines."""
    assert len(README.splitlines()) < 320


def test_one_line_leads_contributors_away() -> None:
    """CONTRIBUTING.md and docs/ are linked from one line; no internals here."""
    lines = [
        line
        for line in README.splitlines()
        if f"{REPOSITORY}/blob/main/CONTRIBUTING.md" in line
        or f"{REPOSITORY}/tree/main/docs" in line
    ]
    assert len(lines) == 1
    assert f"{REPOSITORY}/blob/main/CONTRIBUTING.md" in lines[0]
    assert f"{REPOSITORY}/tree/main/docs)" in lines[0]
    assert (ROOT / "CONTRIBUTING.md").is_file()
    # That line gives a newcomer the commands to set up, test and run the demo;
    # nothing else of the development reaches the parents' README.
    for command in ("`scripts/setup`", "`scripts/test`", "`scripts/develop`"):
        assert command in lines[0], command
    rest = README.replace(lines[0], "")
    for internal in ("scripts/", "pytest", "tests/", ".py", "fake server", "# For "):
        assert internal not in rest, internal


def test_the_old_domain_only_where_switching_is_explained() -> None:
    """`classcharts` (the other integrations' domain) appears in that section only."""
    old_domain = re.compile(r"(?<![\w./-])classcharts(?![\w.-])")
    switching = "\n## Switching from another ClassCharts integration\n"
    before, rest = README.split(switching, 1)
    after = rest.split("\n## ", 1)[1]
    assert old_domain.search(rest.split("\n## ", 1)[0])
    assert not old_domain.search(before)
    assert not old_domain.search(after)


def test_every_entity_is_named() -> None:
    """Each entity name the integration gives is in the README."""
    names = [
        entity["name"]
        for platform in TRANSLATIONS["entity"].values()
        for entity in platform.values()
    ]
    assert len(names) > 30
    missing = [name for name in names if name not in README]
    assert not missing


def test_every_event_type_and_attribute_is_documented() -> None:
    """The automations table names each event entity's types and attributes."""
    section = README.split("\n## Automations\n", 1)[1].split("\n## ", 1)[0]
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in section.splitlines()
        if line.startswith("| `event.")
    }
    for key, event in TRANSLATIONS["entity"]["event"].items():
        row = rows[f"event.ada_example_{key}"]
        attributes = dict(event["state_attributes"])
        for event_type in attributes.pop("event_type")["state"]:
            assert f"`{event_type}`" in row, (key, event_type)
        for attribute in attributes:
            assert f"`{attribute}`" in row, (key, attribute)
    assert len(rows) == len(TRANSLATIONS["entity"]["event"])


def test_every_action_and_blueprint_is_documented() -> None:
    """Each action by its full name, each blueprint by its link."""
    for action in TRANSLATIONS["services"]:
        assert f"`{DOMAIN}.{action}`" in README, action
    blueprints = sorted((ROOT / "blueprints" / "automation" / DOMAIN).glob("*.yaml"))
    assert blueprints
    for blueprint in blueprints:
        path = blueprint.relative_to(ROOT).as_posix()
        assert f"({REPOSITORY}/blob/main/{path})" in README, path


def test_quoted_messages_are_the_ones_users_see() -> None:
    """Troubleshooting quotes messages word for word, as en.json has them."""
    section = README.split("\n## Troubleshooting\n", 1)[1].split("\n## ", 1)[0]
    quoted = re.findall(r'\*\*"([^"]+)"\*\*', section)
    assert quoted
    texts = json.dumps(TRANSLATIONS, ensure_ascii=False)
    for message in quoted:
        assert message in texts, message
