"""The ``[audio]`` tables of ``show.toml`` and ``episode.toml``: opt-in mastering.

::

    [audio]                 # show.toml: every episode is mastered
    loudness = -16          # LUFS integrated (default -16 stereo, -19 mono)
    true_peak = -1.0        # dBTP ceiling (default -1)
    intro = "intro.mp3"     # a file of the show folder (or its assets folder)
    outro = "outro.mp3"
    bitrate = 128           # kbps of the published MP3 (default 128 stereo, 64 mono)

    [mastering]             # episode.toml (where ``audio`` names the file): overrides the show's values
    master = false          # publish this episode's audio as it is
    intro = false           # no intro for this episode
    loudness = -16          # mastering for this episode only (the show has no [audio])

Without an ``[audio]`` table in show.toml nor a ``[mastering]`` table in
episode.toml, the audio is published untouched.
Errors name the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import EPISODE_FILE, _Fields, confine
from ..errors import ConfigError
from ..model import Episode, Show

DEFAULT_STEREO_LUFS = -16.0
DEFAULT_MONO_LUFS = -19.0
DEFAULT_TRUE_PEAK = -1.0


@dataclass(frozen=True)
class MasterSettings:
    """How one episode's audio is mastered."""

    loudness: float | None = None  # None: the default for the channel count
    true_peak: float = DEFAULT_TRUE_PEAK
    intro: Path | None = None
    outro: Path | None = None
    bitrate: int | None = None  # kbps; None: the default for the channel count

    def target(self, channels: int) -> float:
        """The loudness target (LUFS) for audio with ``channels`` channels."""
        if self.loudness is not None:
            return self.loudness
        return DEFAULT_MONO_LUFS if channels == 1 else DEFAULT_STEREO_LUFS

    def kbps(self, channels: int) -> int:
        """The MP3 bitrate for ``channels`` channels."""
        return self.bitrate or (64 if channels == 1 else 128)


def _table(path: Path, name: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # config.load_* already reported it
    table = data.get(name)
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"{name}: must be a table ([{name}])", path=path)
    return table


def _number(f: _Fields, key: str, low: float, high: float) -> float | None:
    value = f.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise f.fail(key, f"must be a number from {low:g} to {high:g}")
    return float(value)


def _part(f: _Fields, key: str, base: Path, allowed: list[tuple[Path, str]]) -> Path | None | bool:
    """A part file (``intro``/``outro``): a Path, False when switched off, None when unset."""
    value = f.data.get(key)
    if value is None:
        return None
    if value is False:
        return False
    if not isinstance(value, str) or not value.strip():
        raise f.fail(key, "must be a file name (or false)")
    path = confine(f, key, value.strip(), base, allowed)
    if not path.is_file():
        raise f.fail(key, f"file {value!r} not found")
    return path


def load_settings(show: Show, episode: Episode) -> MasterSettings | None:
    """The episode's mastering settings, or None when it is published untouched."""
    show_path = show.config_path or show.root / "show.toml"
    ep_path = episode.folder / EPISODE_FILE
    show_table, ep_table = _table(show_path, "audio"), _table(ep_path, "mastering")
    if not show_table and not ep_table:
        return None
    if ep_table.get("master") is False or (not ep_table and show_table.get("master") is False):
        return None
    values: dict[str, Any] = {}
    show_allowed = [(show.root, "the show folder")]
    ep_allowed = [(episode.folder, f"the episode folder episodes/{episode.slug}/")]
    if show.assets is not None:
        show_allowed.append((show.assets, "the assets folder"))
        ep_allowed.append((show.assets, "the assets folder"))
    for table, path, base, allowed, prefix in ((show_table, show_path, show.root, show_allowed, "audio."),
                                               (ep_table, ep_path, episode.folder, ep_allowed, "mastering.")):
        f = _Fields(table, path, prefix)
        unknown = set(table) - {"loudness", "true_peak", "intro", "outro", "bitrate", "master"}
        if unknown:
            raise f.fail(sorted(unknown)[0], "unknown key",
                         hint="known: loudness, true_peak, intro, outro, bitrate, master")
        f.bool_("master", True)
        for key, low, high in (("loudness", -40.0, -5.0), ("true_peak", -9.0, 0.0), ("bitrate", 32, 320)):
            number = _number(f, key, low, high)
            if number is not None:
                values[key] = number
        for key in ("intro", "outro"):
            part = _part(f, key, base, allowed)
            if part is not None:
                values[key] = part
    return MasterSettings(
        loudness=values.get("loudness"),
        true_peak=values.get("true_peak", DEFAULT_TRUE_PEAK),
        intro=values.get("intro") or None,
        outro=values.get("outro") or None,
        bitrate=int(values["bitrate"]) if "bitrate" in values else None,
    )
