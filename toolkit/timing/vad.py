"""Speech vs music: Silero VAD (its ONNX model, shipped in the ``silero-vad`` wheel).

Energy says where it is quiet; it cannot tell speech from a music bed or a jingle.
webrtcvad cannot either (measured on bench/bench_align.py's music condition: it
flags 87–96 % of a music intro as speech).  Silero VAD, a small neural model,
flags 0 % of it and keeps ≈ 98 % of the speech frames.

The model runs through onnxruntime on one thread (no torch import: the
``silero-vad`` package is only the carrier of the model file), over 512-sample
chunks (32 ms at 16 kHz) with 64 samples of context, carrying its recurrent
state across chunks, ≈ 0.5 % of real time on one core.  :class:`VadStream`
takes the audio as it is decoded, so the whole file is never in memory.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..digest import package_file
from ..errors import ToolMissingError

log = logging.getLogger(__name__)

__all__ = ["VadStream", "model_path", "available", "CHUNK"]

CHUNK = 512  # samples per model step at 16 kHz
CONTEXT = 64
HINT = "pip install silero-vad onnxruntime (scripts/setup installs them)"


def model_path() -> Path:
    """The ONNX model file inside the installed ``silero-vad`` package."""
    path = package_file("silero_vad", "data", "silero_vad.onnx")  # without importing it (torch)
    if path is None:
        raise ToolMissingError("silero-vad is not installed", hint=HINT)
    if not path.is_file():
        raise ToolMissingError(f"silero-vad has no ONNX model at {path}", hint=HINT)
    return path


@lru_cache(maxsize=1)
def _session() -> Any:
    try:
        import onnxruntime as ort  # onnxruntime only when the VAD runs (import time)
    except ImportError as exc:
        raise ToolMissingError("onnxruntime is not installed", hint=HINT) from exc
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    return ort.InferenceSession(str(model_path()), opts, providers=["CPUExecutionProvider"])


def available() -> bool:
    """True when the model and onnxruntime load."""
    try:
        _session()
    except ToolMissingError:
        return False
    return True


class VadStream:
    """Speech probability per 512-sample chunk of a 16 kHz int16 stream."""

    def __init__(self) -> None:
        self._sess = _session()
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros((1, CONTEXT), dtype=np.float32)
        self._rest = np.zeros(0, dtype=np.float32)
        self._sr = np.array(16000, dtype=np.int64)
        self._probs: list[float] = []

    def feed(self, samples: np.ndarray) -> None:
        x = np.concatenate([self._rest, samples.astype(np.float32) / 32768.0])
        n = len(x) // CHUNK
        for k in range(n):
            chunk = x[k * CHUNK:(k + 1) * CHUNK][None, :]
            out, self._state = self._sess.run(
                None, {"input": np.concatenate([self._context, chunk], axis=1), "state": self._state, "sr": self._sr}
            )
            self._context = chunk[:, -CONTEXT:]
            self._probs.append(float(out[0, 0]))
        self._rest = x[n * CHUNK:]

    def finish(self, n_frames: int, frame_samples: int = 160) -> np.ndarray:
        """Probabilities resampled to ``n_frames`` frames of ``frame_samples`` (uint8, 0–255)."""
        if len(self._rest):
            self.feed(np.zeros(CHUNK - len(self._rest), dtype=np.int16))
            self._rest = np.zeros(0, dtype=np.float32)
        probs = np.asarray(self._probs, dtype=np.float64)
        if not len(probs):
            return np.zeros(n_frames, dtype=np.uint8)
        centre = (np.arange(n_frames) * frame_samples + frame_samples // 2) // CHUNK
        per_frame = probs[np.minimum(centre, len(probs) - 1)]
        return np.round(per_frame * 255).astype(np.uint8)
