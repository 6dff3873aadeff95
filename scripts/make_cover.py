#!/usr/bin/env python3
"""Draw the demo show's cover art: ``cover.png``, 1400×1400 RGB PNG.

Usage::

    .venv/bin/python scripts/make_cover.py [--out cover.png]

It also draws the one episode image of the demo show,
``episodes/spokes-and-patience/cover.png`` (same design, episode title), so
feeds and pages have an episode-level ``itunes:image`` to show.

A simple typographic design (a spoked wheel above the title) drawn with
Pillow only.  The text uses Pillow's bundled font (``ImageFont.load_default``),
not a system font, so the result does not depend on which fonts a machine has:
with the same Pillow version the file is byte-identical on every run (PNG
written without timestamps or other ancillary chunks).  1400 px is the smallest
square Apple accepts (feeds.md), which keeps the file small.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 1400
SCALE = 2  # draw at 2× and downsample: anti-aliased edges, still deterministic
BACKGROUND = (28, 72, 84)
INK = (244, 236, 218)
ACCENT = (232, 164, 84)
MUTED = (168, 198, 196)


def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=px * SCALE)


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, px: int, fill: tuple[int, int, int]) -> None:
    font = _font(px)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (SIZE * SCALE - (right - left)) // 2 - left
    draw.text((x, y * SCALE - top), text, font=font, fill=fill)


#: Extra images: path relative to the show root → (title, tagline).
EPISODE_IMAGES = {
    "episodes/spokes-and-patience/cover.png": ("SPOKES & PATIENCE", "field notes · episode 1"),
}


def draw_cover(title: str = "FIELD NOTES", tagline: str = "a demo podcast") -> Image.Image:
    """The cover (or an episode image, with another title) as an RGB image."""
    s = SCALE
    img = Image.new("RGB", (SIZE * s, SIZE * s), BACKGROUND)
    d = ImageDraw.Draw(img)
    # frame
    d.rectangle((60 * s, 60 * s, (SIZE - 60) * s, (SIZE - 60) * s), outline=MUTED, width=6 * s)
    # a bicycle wheel: rim, 16 spokes, hub
    cx, cy, r = 700 * s, 500 * s, 270 * s
    for i in range(16):
        a = 2 * math.pi * i / 16 + math.pi / 32
        d.line((cx + 40 * s * math.cos(a + 0.3), cy + 40 * s * math.sin(a + 0.3),
                cx + r * math.cos(a), cy + r * math.sin(a)), fill=MUTED, width=4 * s)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=INK, width=22 * s)
    d.ellipse((cx - r - 34 * s, cy - r - 34 * s, cx + r + 34 * s, cy + r + 34 * s), outline=ACCENT, width=10 * s)
    d.ellipse((cx - 46 * s, cy - 46 * s, cx + 46 * s, cy + 46 * s), fill=ACCENT)
    _centered(d, 880, title, 150 if len(title) <= 12 else 110, INK)
    d.line((470 * s, 1075 * s, 930 * s, 1075 * s), fill=ACCENT, width=6 * s)
    _centered(d, 1110, "how everyday things are made & mended", 50, MUTED)
    _centered(d, 1235, tagline, 40, ACCENT)
    return img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def cover_png(title: str = "FIELD NOTES", tagline: str = "a demo podcast") -> bytes:
    """PNG bytes of the cover (no metadata chunks, maximum compression)."""
    buf = io.BytesIO()
    draw_cover(title, tagline).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        print(f"unchanged {path} ({len(data)} bytes)")
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"wrote {path} ({len(data)} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "cover.png")
    parser.add_argument("--no-episodes", action="store_true", help="only the show cover")
    args = parser.parse_args(argv)
    _write(args.out, cover_png())
    if not args.no_episodes:
        root = Path(__file__).resolve().parents[1]
        for rel, (title, tagline) in EPISODE_IMAGES.items():
            _write(root / rel, cover_png(title, tagline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
