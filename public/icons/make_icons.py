#!/usr/bin/env python3
"""Regenerate Tianping's app icons: a gold scale of justice (天平) on court red.

    pip install pillow
    python3 public/icons/make_icons.py

Writes, next to this script and one level up (public/):
    icons/icon-192.png, icons/icon-512.png          purpose "any": rounded square, transparent corners
    icons/maskable-192.png, icons/maskable-512.png  purpose "maskable": full bleed, motif inside the
                                                    central 80% circle (the platforms' safe zone)
    icons/apple-touch-icon.png (180)                full bleed: iOS rounds it and paints transparency black
    favicon.ico (16, 32, 48)                        bolder strokes so the scale still reads at 16 px

The motif is drawn from geometry rather than a font glyph (平) so the output does not depend on
which CJK fonts the machine happens to have. Everything is drawn at 4x and downsampled, which is
Pillow's only practical way to get anti-aliased shapes.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
PUBLIC = HERE.parent

# Keep in step with manifest.webmanifest theme_color, the shell's <meta name="theme-color">
# and --tp-red in style/main.css.
RED = (0x8C, 0x1C, 0x13, 255)
GOLD = (0xF3, 0xC4, 0x50, 255)
SUPERSAMPLE = 4


def motif_points():
    """Extreme points of the motif in unit box coordinates, to check the maskable safe zone."""
    return [
        (0.5, 0.075),  # top of the finial
        (0.04, 0.55), (0.96, 0.55),  # pan rims
        (0.04, 0.64), (0.96, 0.64),  # pan bottoms at their outer edge (conservative)
        (0.26, 0.94), (0.74, 0.94),  # base plate corners
    ]


def draw_scale(draw, ox, oy, side, bold=1.0):
    """Draw the scale inside the square box (ox, oy, side). `bold` thickens strokes for tiny sizes."""

    def p(x, y):
        return (ox + x * side, oy + y * side)

    def w(t):
        return max(1, round(t * side * bold))

    # Finial and pillar.
    r = 0.045 * side * min(bold, 1.3)
    cx, cy = p(0.5, 0.12)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GOLD)
    pw = 0.032 * bold
    draw.rectangle((*p(0.5 - pw, 0.14), *p(0.5 + pw, 0.84)), fill=GOLD)

    # Beam, with round ends so it does not look like a plain bar.
    bh = 0.026 * bold
    draw.rounded_rectangle((*p(0.13, 0.22 - bh), *p(0.87, 0.22 + bh)), radius=bh * side, fill=GOLD)

    # Hangers and pans, mirrored left and right.
    for hook_x, left, right in ((0.17, 0.04, 0.30), (0.83, 0.70, 0.96)):
        hook = p(hook_x, 0.24)
        draw.line((hook, p(left + 0.02, 0.55)), fill=GOLD, width=w(0.014))
        draw.line((hook, p(right - 0.02, 0.55)), fill=GOLD, width=w(0.014))
        # A pan is the lower half of an ellipse: a bowl seen from the side.
        draw.pieslice((*p(left, 0.46), *p(right, 0.64)), start=0, end=180, fill=GOLD)

    # Foot: a trapezoid on a plate.
    draw.polygon([p(0.40, 0.82), p(0.60, 0.82), p(0.68, 0.89), p(0.32, 0.89)], fill=GOLD)
    draw.rounded_rectangle((*p(0.26, 0.885), *p(0.74, 0.94)), radius=0.012 * side, fill=GOLD)


def render(size, *, full_bleed, motif_scale, bold=1.0, corner=0.2):
    big = size * SUPERSAMPLE
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if full_bleed:
        draw.rectangle((0, 0, big, big), fill=RED)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=corner * big, fill=RED)
    side = motif_scale * big
    off = (big - side) / 2
    draw_scale(draw, off, off, side, bold)
    return img.resize((size, size), Image.LANCZOS)


def check_safe_zone(motif_scale):
    """Maskable icons may be cut to a circle of radius 40% of the size; the motif must fit inside."""
    for x, y in motif_points():
        dx = (x - 0.5) * motif_scale
        dy = (y - 0.5) * motif_scale
        assert (dx * dx + dy * dy) ** 0.5 <= 0.40, f"motif point {(x, y)} leaves the safe zone"


def main():
    maskable_scale = 0.60
    check_safe_zone(maskable_scale)

    for size in (192, 512):
        render(size, full_bleed=False, motif_scale=0.74).save(HERE / f"icon-{size}.png", optimize=True)
        render(size, full_bleed=True, motif_scale=maskable_scale).save(
            HERE / f"maskable-{size}.png", optimize=True
        )

    # iOS shows transparent pixels as black, so the touch icon is opaque and full bleed.
    render(180, full_bleed=True, motif_scale=0.70).convert("RGB").save(
        HERE / "apple-touch-icon.png", optimize=True
    )

    # Pillow writes every requested size into one .ico; each is rendered separately so the
    # 16 px one gets its own bolder strokes instead of a blurred copy of the 48 px one.
    frames = {s: render(s, full_bleed=False, motif_scale=0.86, bold=b, corner=0.18)
              for s, b in ((16, 1.9), (32, 1.5), (48, 1.25))}
    frames[48].save(PUBLIC / "favicon.ico", format="ICO", sizes=[(16, 16), (32, 32), (48, 48)],
                    append_images=[frames[16], frames[32]])

    for name in ("icon-192.png", "icon-512.png", "maskable-192.png", "maskable-512.png",
                 "apple-touch-icon.png"):
        print(HERE / name)
    print(PUBLIC / "favicon.ico")


if __name__ == "__main__":
    main()
