"""The brand images Home Assistant and HACS look for in the integration's brand/."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
import pytest

BRAND = (
    Path(__file__).resolve().parents[1]
    / "custom_components"
    / "classcharts_hass"
    / "brand"
)


@pytest.mark.parametrize(
    ("name", "size"),
    [("icon.png", (256, 256)), ("icon@2x.png", (512, 512))],
)
def test_icons_are_square_at_their_size(name: str, size: tuple[int, int]) -> None:
    """256x256 and 512x512, as the brands rules ask."""
    assert Image.open(BRAND / name).size == size


@pytest.mark.parametrize(
    ("name", "height"),
    [
        ("logo.png", 128),
        ("logo@2x.png", 256),
        ("dark_logo.png", 128),
        ("dark_logo@2x.png", 256),
    ],
)
def test_logos_are_landscape_at_their_height(name: str, height: int) -> None:
    """A logo's shortest side is 128 (256 for @2x); it is wider than tall."""
    width, actual = Image.open(BRAND / name).size
    assert actual == height
    assert width > height


@pytest.mark.parametrize("path", sorted(BRAND.glob("*.png")), ids=lambda p: p.name)
def test_transparent_and_trimmed(path: Path) -> None:
    """Transparent corners, and no fully transparent border left to trim."""
    image = Image.open(path)
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
    assert image.getchannel("A").getbbox() == (0, 0, *image.size)
