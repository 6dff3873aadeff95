"""The audio-analysis store: one episode's per-frame tracks and aligner windows.

:class:`AnalysisStore` keeps the tracks :mod:`toolkit.timing.analysis`
computes from the audio alone in ``<folder>/<name>.npz`` under the key
:data:`toolkit.cache.keys.AUDIO` (the audio file's own SHA-256, the analysis
code, the decoder and the VAD model), so a transcript edit re-aligns without
decoding the audio again; it also keeps the aligners' per-window results
(``<name>.windows.json``), so only the windows whose text changed are aligned
again.  A damaged or foreign file is ignored and rewritten: the cache never
makes a publish fail.  The store knows arrays, not what they mean: the
timing stage turns them into its :class:`~toolkit.timing.analysis.AudioAnalysis`.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import fsutil
from ..digest import file_sha256
from . import keys

log = logging.getLogger(__name__)

__all__ = ["AnalysisStore"]


@dataclass
class AnalysisStore:
    """Where the analysis of one episode's audio is cached (``folder/name.*``)."""

    folder: Path
    name: str
    audio: Path
    _windows: dict[str, Any] | None = field(default=None, repr=False)
    _used: dict[str, Any] = field(default_factory=dict, repr=False)
    _audio_key: str | None = field(default=None, repr=False)

    @property
    def tracks_path(self) -> Path:
        return self.folder / f"{self.name}.npz"

    @property
    def windows_path(self) -> Path:
        return self.folder / f"{self.name}.windows.json"

    def key(self) -> str:
        """The :data:`~toolkit.cache.keys.AUDIO` key of this audio file."""
        if self._audio_key is None:
            self._audio_key = keys.AUDIO.key(audio=file_sha256(self.audio), ffmpeg=keys.ffmpeg_identity(),
                                             vad=keys.vad_identity())
        return self._audio_key

    def load_arrays(self) -> dict[str, Any] | None:
        """The stored arrays if they were made under the current key, else None
        (a damaged file is logged and treated as absent)."""
        import numpy as np  # numpy only when audio is analysed (the cache package is imported by every publish)

        path = self.tracks_path
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["key"]) != self.key():
                    return None
                return {name: z[name] for name in z.files if name != "key"}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            log.warning("%s: ignoring a damaged audio analysis cache (%s); analysing again", path, exc)
            return None

    def save_arrays(self, **arrays: Any) -> None:
        """Store ``arrays`` under the current key (atomically; a failure is only logged)."""
        import numpy as np  # see load_arrays

        buf = io.BytesIO()
        np.savez(buf, key=np.array(self.key()), **arrays)
        try:
            fsutil.write_bytes(self.tracks_path, buf.getvalue())
        except OSError as exc:
            log.warning("%s: cannot write the audio analysis cache (%s)", self.tracks_path, exc)

    def damaged(self, reason: str) -> None:
        """Log that the stored arrays do not fit together (they are analysed again)."""
        log.warning("%s: ignoring a damaged audio analysis cache (%s); analysing again", self.tracks_path, reason)

    # ------------------------------------------------------------------ per-window results
    def window(self, key: str) -> Any | None:
        """A cached aligner window result (JSON value) for ``key``, or None."""
        if self._windows is None:
            self._windows = {}
            try:
                data = json.loads(self.windows_path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("audio") == self.key():
                    self._windows = dict(data.get("windows", {}))
            except FileNotFoundError:
                pass
            except (OSError, ValueError) as exc:
                log.warning("%s: ignoring a damaged alignment cache (%s)", self.windows_path, exc)
        hit = self._windows.get(key)
        if hit is not None:
            self._used[key] = hit
        return hit

    def put_window(self, key: str, value: Any) -> None:
        self._used[key] = value

    def flush_windows(self) -> None:
        """Keep exactly the windows the last alignment used (the file never grows with history)."""
        payload = {"audio": self.key(), "windows": self._used}
        text = json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n"
        try:
            fsutil.write_text(self.windows_path, text)
        except OSError as exc:
            log.warning("%s: cannot write the alignment cache (%s)", self.windows_path, exc)
        self._windows = dict(self._used)
