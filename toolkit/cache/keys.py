"""Every cached result's key, in one place: what it is made from, and by which code.

A :class:`Recipe` names a stage's result, the format of its cache entry, the
toolkit code whose output it is (package parts, digested by
:func:`toolkit.digest.code_digest`) and the *inputs* it depends on.
:meth:`Recipe.key` refuses a missing or an unknown input, so a stage cannot
forget one: adding an input to a result means adding its name here, and every
caller then has to pass it.

The environment the results depend on (which ffmpeg decodes, which aligner
libraries and models are installed, numpy's version, the VAD model) is found
here too, without importing the stages (the cache sits below them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..digest import code_digest, file_sha256, package_file

__all__ = [
    "Recipe", "Keyer", "SOURCE", "AUDIO", "PUBLISHED", "EPISODE_PAGES", "SHOW_PAGES", "ICONS",
    "ffmpeg_identity", "aligner_identity", "numpy_version", "vad_identity", "digest_json",
]


def digest_json(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (sorted keys, no spaces; other types by ``str``)."""
    return hashlib.sha256(_canonical(value).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return _ENCODER.encode(value)


#: One encoder for every key (``json.dumps`` with options builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Recipe:
    """How one kind of cached result is made: its inputs and its code."""

    name: str
    format: int  # bumped whenever the cache entry's layout or what the key covers changes
    code: tuple[str, ...]  # package parts (modules or folders under toolkit/) whose code makes it
    inputs: tuple[str, ...]  # the names every caller must give to :meth:`key`

    def key(self, **inputs: Any) -> str:
        """The digest of exactly this recipe's inputs, its format, the toolkit
        version and its code; ``TypeError`` for a missing or unknown input."""
        missing = sorted(set(self.inputs) - set(inputs))
        unknown = sorted(set(inputs) - set(self.inputs))
        if missing or unknown:
            raise TypeError(f"{self.name} key: missing inputs {missing}, unknown inputs {unknown}")
        return digest_json({
            "recipe": self.name, "format": self.format, "version": __version__,
            "code": code_digest(*self.code), "inputs": dict(inputs),
        })

    def keyer(self, **fixed: Any) -> Keyer:
        """Keys of many results that share the ``fixed`` inputs (a feed's thousand
        items, a show page's rows): ``keyer(**fixed)(**rest)`` covers exactly the
        recipe's inputs, like :meth:`key`, but the shared part is serialised once.
        (A different digest from :meth:`key`'s for the same inputs: one recipe
        uses one of the two.)"""
        unknown = sorted(set(fixed) - set(self.inputs))
        if unknown:
            raise TypeError(f"{self.name} key: unknown inputs {unknown}")
        shared = _canonical({
            "recipe": self.name, "format": self.format, "version": __version__,
            "code": code_digest(*self.code), "inputs": dict(fixed),
        }).encode("utf-8")
        return Keyer(self.name, frozenset(set(self.inputs) - set(fixed)), shared + b"\0")


@dataclass(frozen=True)
class Keyer:
    """:meth:`Recipe.keyer`'s result: a picklable key function (pages render on worker processes)."""

    name: str
    rest: frozenset[str]
    shared: bytes
    #: SHA-256 of ``shared`` once, copied for each key (made on first use, not pickled)
    _state: Any = field(default=None, init=False, repr=False, compare=False)

    def __call__(self, **rest: Any) -> str:
        if rest.keys() != self.rest:
            raise TypeError(f"{self.name} key: missing inputs {sorted(self.rest - set(rest))}, "
                            f"unknown inputs {sorted(set(rest) - self.rest)}")
        state = self._state
        if state is None:
            state = hashlib.sha256(self.shared)
            object.__setattr__(self, "_state", state)
        h = state.copy()
        h.update(_canonical(rest).encode("utf-8"))
        digest: str = h.hexdigest()
        return digest

    def __reduce__(self) -> tuple[Any, ...]:
        return Keyer, (self.name, self.rest, self.shared)


#: ingest → timing → segment of one episode (:mod:`toolkit.cache.source`).
SOURCE = Recipe(
    "source", 3,
    code=("model.py", "build.py", "findings.py", "pipeline.py", "cache", "sanitize.py", "patterns.py",
          "formats", "ingest", "timing", "segment"),
    inputs=("numpy", "ffmpeg", "aligners", "slug", "language", "transcript", "audio", "speakers",
            "drop_rules", "encoding"),
)

#: The analysis of one audio file: energy, speech activity, MFCC (:mod:`toolkit.cache.audio`).
AUDIO = Recipe(
    "audio", 2,
    code=("timing/analysis.py", "timing/features.py", "timing/vad.py", "timing/ffmpeg.py", "cache/audio.py"),
    inputs=("audio", "ffmpeg", "vad"),
)

#: One language's published cues, chapter titles, episode texts and warnings (:mod:`toolkit.cache.published`).
PUBLISHED = Recipe(
    "published", 4,
    code=("translate", "review", "segment", "langs.py", "model.py", "build.py", "findings.py", "sanitize.py",
          "cache/published.py"),
    inputs=("source_language", "lang", "engine", "model", "sentences", "cues", "head", "store"),
)

_WRITERS = ("publish", "model.py", "build.py", "langs.py", "fsutil.py", "sanitize.py", "urls.py",
            "cache/stamps.py")

#: Everything ``feeds/episodes/<slug>/`` is written from (:func:`toolkit.publish.site.write_episode`).
EPISODE_PAGES = Recipe(
    "episode-pages", 2, code=_WRITERS,
    inputs=("show_config", "show_image", "templates", "entry", "source_language", "turn_starts", "words",
            "languages", "audio", "image", "offer_pseudo"),
)

#: Everything the feeds and show pages are written from (:func:`toolkit.publish.site.write_show`).
SHOW_PAGES = Recipe(
    "show-pages", 3, code=_WRITERS,
    inputs=("show", "show_config", "templates", "entries", "specs", "texts"),
)

#: One ``<item>`` of a feed, as :func:`toolkit.publish.feed.build_feed` pretty-prints it (the
#: show as loaded, the digest of the episode's manifest entry, the feed's language; feedgen and lxml versions).
FEED_ITEM = Recipe(
    "feed-item", 3, code=_WRITERS,
    inputs=("show", "entry", "lang", "main_guid", "libraries"),
)

#: One episode's row of a show page (:func:`toolkit.publish.pages.render_show_row`): the show as loaded, its
#: template overrides, the page's language, link prefix and pseudo offer, newest or not, the episode's manifest entry.
SHOW_ROW = Recipe(
    "show-row", 2, code=_WRITERS,
    inputs=("show", "templates", "lang", "prefix", "with_pseudo", "first", "entry"),
)

#: The favicon and touch icon made from the cover (:func:`toolkit.publish.site.write_icons`).
ICONS = Recipe("icons", 2, code=("publish/site.py",), inputs=("cover",))


# --------------------------------------------------------------------------- environment
def ffmpeg_identity() -> list[object]:
    """Which ffmpeg would decode the audio, cheaply (no subprocess).

    Mirrors the resolution order of :func:`toolkit.timing.ffmpeg.resolve_ffmpeg`
    ($TOOLKIT_FFMPEG, then PATH, then imageio-ffmpeg) without running the
    binary: its path, size and mtime change when it is replaced or upgraded,
    and a different decoder may shift pause edges by a frame.
    """
    exe = os.environ.get("TOOLKIT_FFMPEG") or shutil.which("ffmpeg")
    if not exe:
        try:
            return ["imageio-ffmpeg", metadata.version("imageio-ffmpeg")]
        except metadata.PackageNotFoundError:  # not installed: alignment fails with its own error
            return ["none"]
    found = shutil.which(exe) or exe
    try:
        st = os.stat(found)
        return [found, st.st_size, st.st_mtime_ns]
    except OSError:
        return [found]


@lru_cache(maxsize=1)
def numpy_version() -> str:
    """numpy's version (the analysis and the aligners compute with it); read once per
    process (part of every episode's source key: reading the installed metadata costs
    ≈ 1–2 ms an episode), as the numpy a process computes with does not change."""
    try:
        return metadata.version("numpy")
    except metadata.PackageNotFoundError:  # pragma: no cover - numpy is a dependency of timing
        return ""


@lru_cache(maxsize=1)
def aligner_identity() -> tuple[object, ...]:
    """What decides which aligner runs and how, without importing any of them:
    the versions of the aligner libraries and espeak-ng's library and data."""
    out: list[object] = []
    for dist in ("pocketsphinx", "silero-vad", "onnxruntime", "num2words"):
        try:
            out.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}:none")
    # the library and its data, by path and mtime (ctypes.util.find_library would run ldconfig: 0.1 s)
    for path in ("/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1", "/usr/lib/aarch64-linux-gnu/libespeak-ng.so.1",
                 "/usr/lib/libespeak-ng.so.1", "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
                 "/usr/share/espeak-ng-data"):
        try:
            out.append([path, os.stat(path).st_mtime_ns])
        except OSError:
            pass
    return tuple(out)


def vad_identity() -> str | None:
    """The Silero VAD model file's digest (None when it is not installed)."""
    path = package_file("silero_vad", "data", "silero_vad.onnx")
    try:
        return file_sha256(path)[:16] if path is not None and path.is_file() else None
    except OSError:
        return None


def file_identity(path: Path | None) -> list[object] | None:
    """``[name, sha256]`` of an input file (None for none)."""
    return None if path is None else [path.name, file_sha256(path)]


def folder_identity(folder: Path) -> list[tuple[str, str]]:
    """``(relative path, sha256)`` of every file under ``folder`` (empty when it does not exist)."""
    if not folder.is_dir():
        return []
    return [(p.relative_to(folder).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()]


def config_identity(path: Path | None) -> str:
    """SHA-256 of a configuration file's bytes (of nothing when there is none)."""
    data = path.read_bytes() if path is not None and path.is_file() else b""
    return hashlib.sha256(data).hexdigest()


def mapping_items(value: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A mapping as sorted items (JSON keeps their order)."""
    return sorted(value.items())
