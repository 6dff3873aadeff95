"""Podcast artwork: what makes an image one Apple Podcasts accepts.

Checked by content (Pillow), not by name: the format, that the extension
matches it, square, 1400–3000 px, RGB.  Used before anything is published
(:mod:`toolkit.pipeline`) and by the lint of a published show
(:mod:`toolkit.check.lint`).
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

from .digest import stat_identity

__all__ = ["IMAGE_MIN", "IMAGE_MAX", "image_problems"]

#: Apple Podcasts: square artwork between 1400 and 3000 px.
IMAGE_MIN, IMAGE_MAX = 1400, 3000

_IMAGE_SUFFIXES = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}


def image_problems(path: Path) -> list[str]:
    """What makes ``path`` unacceptable as Apple Podcasts artwork (empty = fine).

    The verdict is remembered per file version (:func:`toolkit.digest.stat_identity`):
    a publish checks the show's cover once per episode,
    and opening it with Pillow each time cost ~0.3 ms per episode; a replaced
    or edited image is a new identity and is read again."""
    try:
        st = os.stat(path)
    except OSError:
        return ["file not found"]
    if not stat.S_ISREG(st.st_mode):
        return ["file not found"]
    return list(_problems(os.fspath(path), stat_identity(st)))


@lru_cache(maxsize=256)
def _problems(path_text: str, _identity: tuple[int, int, int, int, int]) -> tuple[str, ...]:
    from PIL import Image, UnidentifiedImageError  # Pillow only when an image is checked (import time)

    path = Path(path_text)
    try:
        with Image.open(path) as img:
            fmt, (width, height), mode = img.format, img.size, img.mode
    except (UnidentifiedImageError, OSError) as exc:
        return (f"not a readable image ({exc.__class__.__name__})",)
    problems = []
    if fmt not in _IMAGE_SUFFIXES:
        problems.append(f"{fmt} image; Apple Podcasts needs JPEG or PNG")
    elif path.suffix.lower() not in _IMAGE_SUFFIXES[fmt]:
        problems.append(f"a {fmt} file named {path.suffix!r} (the extension must match the real type)")
    if width != height:
        problems.append(f"{width}×{height} px is not square")
    if not (IMAGE_MIN <= width <= IMAGE_MAX and IMAGE_MIN <= height <= IMAGE_MAX):
        problems.append(f"{width}×{height} px; it must be between {IMAGE_MIN} and {IMAGE_MAX} px")
    if mode != "RGB":
        problems.append(f"colour mode {mode}; it must be RGB (no alpha, palette, greyscale or CMYK)")
    return tuple(problems)
