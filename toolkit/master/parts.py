"""The short parts of a mastered episode (intro, outro), prepared with pydub.

A part is decoded by ffmpeg (the toolkit's resolver) to 16-bit PCM at the
programme's sample rate and channel count, wrapped in a pydub
``AudioSegment``, given a short fade where it meets the episode (no click), and
written as WAV (pydub's pure-Python export) into the master cache, keyed by the
part's own bytes.  Parts are short by nature; a part longer than
:data:`MAX_PART_S` is refused (the whole episode is never loaded into memory).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import fsutil
from ..digest import file_sha256
from ..errors import AudioError
from ..timing.ffmpeg import configure_pydub, resolve_ffmpeg
from .loudness import SAMPLE_RATE

MAX_PART_S = 10 * 60
FADE_MS = 30


@dataclass(frozen=True)
class Part:
    """A prepared intro or outro."""

    wav: Path
    duration_ms: int
    key: str


def _decode(path: Path, channels: int) -> bytes:
    cmd = [resolve_ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path), "-vn",
           "-t", str(MAX_PART_S + 1), "-f", "s16le", "-acodec", "pcm_s16le", "-ar", str(SAMPLE_RATE),
           "-ac", str(channels), "-"]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600, check=False)
    if proc.returncode != 0 or not proc.stdout:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"ffmpeg cannot decode this intro/outro: {lines[-1] if lines else 'no audio'}", path=path)
    return proc.stdout


def prepare_part(path: Path, folder: Path, channels: int, *, fade_in: bool = False,
                 fade_out: bool = False) -> Part:
    """The part at ``path`` as a WAV matching the programme (cached by content)."""
    from pydub import AudioSegment

    key = f"{file_sha256(path)[:24]}-{channels}-{int(fade_in)}{int(fade_out)}-{SAMPLE_RATE}"
    wav = folder / "parts" / f"{key}.wav"
    if not wav.is_file():
        configure_pydub()
        pcm = _decode(path, channels)
        segment = AudioSegment(data=pcm, sample_width=2, frame_rate=SAMPLE_RATE, channels=channels)
        if len(segment) > MAX_PART_S * 1000:
            raise AudioError(f"an intro/outro must be shorter than {MAX_PART_S // 60} minutes", path=path)
        if fade_in:
            segment = segment.fade_in(FADE_MS)
        if fade_out:
            segment = segment.fade_out(FADE_MS)
        import io  # only for a WAV part

        buf = io.BytesIO()
        segment.export(buf, format="wav")
        fsutil.write_bytes(wav, buf.getvalue())
    import wave  # only for a WAV part

    with wave.open(str(wav), "rb") as fh:
        frames = fh.getnframes()
    return Part(wav=wav, duration_ms=round(frames * 1000 / SAMPLE_RATE), key=key)
