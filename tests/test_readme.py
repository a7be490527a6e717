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


def test_users_read_before_contributors() -> None:
    """Installation (with the repository URL) comes before development."""
    assert f"`{REPOSITORY}`" in README
    order = [
        "## Installation",
        "## Configuration",
        "## Features",
        "## Automations: triggers and conditions",
        "## Troubleshooting",
        "## Removal",
        "# For contributors",
        "## Development",
        "## Architecture",
    ]
    positions = [README.index(f"\n{heading}\n") for heading in order]
    assert positions == sorted(positions)
    assert "docs/dashboard.yaml" in README
