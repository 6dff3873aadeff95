"""Stamps: "these outputs were written from this key" for the site writer.

A stamp is a small JSON file under ``<show root>/.toolkit/cache/site/``
(outside ``feeds/``, which holds only what is uploaded): the key the outputs
were made from (:data:`toolkit.cache.keys.EPISODE_PAGES`, ``SHOW_PAGES``,
``ICONS``) and the size of every file written.  Equal key + every file still
there with its size ⇒ the outputs would be byte-identical, so the writer skips
them; a deleted or truncated output is rewritten.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .. import fsutil

__all__ = ["SITE_DIR", "episode_stamp_path", "show_stamp_path", "icons_stamp_path", "outputs_current",
           "save_stamp", "save_sizes", "stamped_files",
           "feed_items_path"]

SITE_DIR = Path(".toolkit") / "cache" / "site"


def episode_stamp_path(root: Path, slug: str) -> Path:
    """``<show root>/.toolkit/cache/site/<slug>.json``."""
    return root / SITE_DIR / f"{slug}.json"


def show_stamp_path(root: Path) -> Path:
    """``<show root>/.toolkit/cache/site/show.stamp`` (episode stamps are ``<slug>.json``,
    so no slug can collide with it)."""
    return root / SITE_DIR / "show.stamp"


def feed_items_path(root: Path) -> Path:
    """``<show root>/.toolkit/cache/site/feed-items.index``: the item keys of every feed and
    the row keys and byte spans of every show page written (so unchanged ones are reused)."""
    return root / SITE_DIR / "feed-items.index"


def icons_stamp_path(root: Path) -> Path:
    """``<show root>/.toolkit/cache/site/icons.stamp``."""
    return root / SITE_DIR / "icons.stamp"


def outputs_current(stamp_path: Path, key: str, folder: Path, required: Iterable[str] = ()) -> bool:
    """True when the last write had the same key and every file it wrote
    (and every name in ``required``) is still there with its size."""
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if stamp.get("digest") != key:
            return False
        files = stamp["files"]
        if not files or any(name not in files for name in required):
            return False
        top = os.fspath(folder)
        for name, size in files.items():
            st = os.stat(os.path.join(top, name))
            if not stat.S_ISREG(st.st_mode) or st.st_size != size:
                return False
        return True
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def save_sizes(stamp_path: Path, key: str, sizes: dict[str, int]) -> None:
    """Stamp the files written from ``key`` with their sizes (``path under the folder → bytes``:
    what the writer just wrote, so nothing is listed or stat'ed again)."""
    _save(stamp_path, key, dict(sorted(sizes.items())))


def save_stamp(stamp_path: Path, key: str, folder: Path, names: Iterable[str]) -> None:
    """Stamp the files ``names`` under ``folder`` as written from ``key``."""
    _save(stamp_path, key, {name: (folder / name).stat().st_size for name in sorted(names)})


def _save(stamp_path: Path, key: str, files: dict[str, int]) -> None:
    # a cache, not published: compact JSON (with an indent the stdlib encodes in pure Python)
    stamp = {"digest": key, "files": files}
    fsutil.write_text(stamp_path, json.dumps(stamp, sort_keys=True, separators=(",", ":")) + "\n")


def stamped_files(stamp_path: Path) -> set[str]:
    """The outputs a stamp records (empty when unknown)."""
    try:
        files = json.loads(stamp_path.read_text(encoding="utf-8")).get("files", {})
        return {name for name in files if isinstance(name, str)} if isinstance(files, dict) else set()
    except (OSError, ValueError, AttributeError):
        return set()
