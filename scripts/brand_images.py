"""Draw the integration's brand images (our own mark, not ClassCharts' logo).

    .venv/bin/python scripts/brand_images.py

Writes custom_components/classcharts_hass/brand/: icon.png (256x256), icon@2x.png
(512x512), logo.png and logo@2x.png (the mark and the name, dark text) and
dark_logo.png / dark_logo@2x.png (light text for dark themes). The icon works
on both themes, so it has no dark variant. Transparent and trimmed.

The mark: a rounded square in a calm blue with three rising bars (a chart of
a school week) and a tick on the tallest. Drawn four times larger and scaled
down, for smooth edges. The name needs a TrueType sans (Debian's
fonts-liberation, which scripts/setup_browser installs, or DejaVu).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "custom_components" / "classcharts_hass" / "brand"
SCALE = 4
BLUE = (37, 99, 235, 255)
WHITE = (255, 255, 255, 255)
INK = (17, 24, 39, 255)
LIGHT_INK = (241, 245, 249, 255)
FONTS = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
NAME = "ClassCharts"


def mark(size: int) -> Image.Image:
    """The square mark, ``size`` pixels wide, on a transparent background."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=BLUE)
    # Three bars standing on one baseline, each taller than the last.
    base = big * 0.78
    width = big * 0.14
    gap = big * 0.07
    left = (big - 3 * width - 2 * gap) / 2
    for n, height in enumerate((0.22, 0.34, 0.46)):
        x = left + n * (width + gap)
        draw.rounded_rectangle(
            (x, base - big * height, x + width, base), radius=width * 0.3, fill=WHITE
        )
    # A tick above the bars' left: homework done.
    line = round(big * 0.055)
    draw.line(
        [
            (big * 0.22, big * 0.30),
            (big * 0.30, big * 0.38),
            (big * 0.46, big * 0.20),
        ],
        fill=WHITE,
        width=line,
        joint="curve",
    )
    for x, y in ((0.22, 0.30), (0.46, 0.20)):
        r = line / 2
        draw.ellipse((big * x - r, big * y - r, big * x + r, big * y + r), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def font(size: int) -> ImageFont.FreeTypeFont:
    """The first TrueType sans found."""
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise SystemExit(f"no font found; install fonts-liberation ({FONTS[0]})")


def logo(height: int, ink: tuple[int, int, int, int]) -> Image.Image:
    """The mark and the name side by side, ``height`` pixels tall."""
    big = height * SCALE
    text_font = font(round(big * 0.62))
    left, top, right, bottom = text_font.getbbox(NAME)
    space = round(big * 0.22)
    image = Image.new("RGBA", (big + space + right - left, big), (0, 0, 0, 0))
    image.alpha_composite(mark(big))
    draw = ImageDraw.Draw(image)
    draw.text(
        (big + space - left, (big - (bottom - top)) / 2 - top),
        NAME,
        font=text_font,
        fill=ink,
    )
    width = round(image.width / SCALE)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def trimmed(image: Image.Image) -> Image.Image:
    """Cut away fully transparent borders."""
    box = image.getchannel("A").getbbox()
    return image.crop(box) if box else image


def main() -> None:
    """Write every image."""
    OUT.mkdir(parents=True, exist_ok=True)
    images = {
        "icon.png": mark(256),
        "icon@2x.png": mark(512),
        "logo.png": logo(128, INK),
        "logo@2x.png": logo(256, INK),
        "dark_logo.png": logo(128, LIGHT_INK),
        "dark_logo@2x.png": logo(256, LIGHT_INK),
    }
    for name, image in images.items():
        path = OUT / name
        trimmed(image).save(path, optimize=True)
        print(f"wrote {path.relative_to(ROOT)} {image.width}x{image.height}")  # noqa: T201


if __name__ == "__main__":
    main()
