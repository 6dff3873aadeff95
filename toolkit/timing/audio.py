"""Audio metadata for the feed: duration, enclosure size, MIME type, bitrate.

Read from the container headers with mutagen (≈ 0.2 s and ≈ 15 MB for a
one-hour MP3) — the file is never decoded just to learn its length.  The one
exception is an MP3 with no Xing/VBRI header (mutagen's ``bitrate_mode`` is
UNKNOWN): its length can only be estimated from the first frame's bitrate,
which is wrong for VBR (600 s measured as 193 s), so ffmpeg decodes it in a
streaming pass (:func:`toolkit.timing.ffmpeg.decoded_duration_ms`); that result
is cached per (path, size, mtime) for the life of the process.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import mutagen
from mutagen.mp3 import BitrateMode

from ..build import AudioInfo
from ..errors import AudioError
from .ffmpeg import decoded_duration_ms

log = logging.getLogger(__name__)

__all__ = ["audio_info", "mime_for"]

# mutagen FileType class name → MIME type used in <enclosure type="…">.
# audio/x-m4a (not audio/mp4) is what Apple Podcasts documents for .m4a.
_MIME_BY_TYPE = {
    "MP3": "audio/mpeg",
    "EasyMP3": "audio/mpeg",
    "MP4": "audio/x-m4a",
    "EasyMP4": "audio/x-m4a",
    "AAC": "audio/aac",
    "OggVorbis": "audio/ogg",
    "OggOpus": "audio/ogg",
    "OggFLAC": "audio/ogg",
    "OggSpeex": "audio/ogg",
    "OggTheora": "video/ogg",
    "FLAC": "audio/flac",
    "WAVE": "audio/wav",
    "AIFF": "audio/aiff",
    "ASF": "audio/x-ms-wma",
}
_MIME_BY_SUFFIX = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",
    ".m4b": "audio/x-m4a",
    ".aac": "audio/aac",
    ".mp4": "video/mp4",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".wav": "audio/wav",
    ".aif": "audio/aiff",
    ".aiff": "audio/aiff",
}

_decoded_cache: dict[tuple[str, int, int], int] = {}


def mime_for(path: Path, type_name: str | None = None) -> str:
    """The enclosure MIME type from mutagen's file type (or else the suffix)."""
    if type_name and type_name in _MIME_BY_TYPE:
        mime = _MIME_BY_TYPE[type_name]
        # An .mp4 container holding only audio is still published as video/mp4
        # by most hosts; keep the suffix's answer there.
        if mime == "audio/x-m4a" and path.suffix.lower() == ".mp4":
            return "video/mp4"
        return mime
    return _MIME_BY_SUFFIX.get(path.suffix.lower(), "application/octet-stream")


def _ffmpeg_gapless_length(path: Path, info: object) -> float | None:
    """Length of an MP3 written by ffmpeg's libmp3lame, net of encoder delay and padding.

    ffmpeg writes a Xing/Info header followed by a LAME-format tag whose
    version string is ``Lavc…``/``Lavf…``; mutagen parses the tag only when it
    says ``LAME``, so for these files it counts the priming and padding
    samples too (≈ 55 ms at 22 kHz, more than our 50 ms tolerance).  The tag
    is read here directly: the frame count and the 12-bit delay/padding
    fields — header bytes only, no decoding.
    """
    offset = getattr(info, "frame_offset", None)
    sample_rate = getattr(info, "sample_rate", 0)
    if offset is None or not sample_rate or getattr(info, "layer", 3) != 3:
        return None
    spf = 1152 if getattr(info, "version", 1) == 1 else 576
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            head = fh.read(512)
    except OSError:
        return None
    pos = max(head.find(b"Xing"), head.find(b"Info"))
    if pos < 0 or len(head) < pos + 8:
        return None
    flags = int.from_bytes(head[pos + 4 : pos + 8], "big")
    cur = pos + 8
    if not flags & 1:
        return None
    frames = int.from_bytes(head[cur : cur + 4], "big")
    cur += 4
    cur += 4 if flags & 2 else 0
    cur += 100 if flags & 4 else 0
    cur += 4 if flags & 8 else 0
    tag = head[cur : cur + 24]
    if len(tag) < 24 or not tag[:4] in (b"Lavc", b"Lavf"):
        return None
    delay = (tag[21] << 4) | (tag[22] >> 4)
    padding = ((tag[22] & 0x0F) << 8) | tag[23]
    samples = frames * spf - delay - padding
    return samples / sample_rate if samples > 0 else None


def _mp3_needs_decode(info: object) -> bool:
    return getattr(info, "bitrate_mode", None) == BitrateMode.UNKNOWN


def audio_info(path: Path) -> AudioInfo:
    """Read duration, size, MIME type, bitrate, channels and sample rate of ``path``.

    Raises:
        AudioError: the file is missing, unreadable, not a recognised audio
            format, or has no positive duration (the message names the file).
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise AudioError("audio file not found", path=path) from None
    except OSError as exc:
        raise AudioError(f"cannot read audio file: {exc.strerror or exc}", path=path) from exc
    if not path.is_file():
        raise AudioError("audio path is not a file", path=path)
    if st.st_size == 0:
        raise AudioError("audio file is empty", path=path)
    try:
        mf = mutagen.File(path)
    except mutagen.MutagenError as exc:
        # Say what to do: the usual cause is a truncated upload or a renamed file.
        raise AudioError(f"unreadable or corrupt audio: {exc}", path=path,
                         hint="re-export it as MP3 or M4A") from exc
    except OSError as exc:
        raise AudioError(f"cannot read audio file: {exc.strerror or exc}", path=path) from exc
    if mf is None or getattr(mf, "info", None) is None:
        raise AudioError("not a recognised audio format", path=path)
    info = mf.info
    type_name = type(mf).__name__
    length_s = float(getattr(info, "length", 0.0) or 0.0)
    source = "metadata"
    if type_name in ("MP3", "EasyMP3") and _mp3_needs_decode(info):
        # No Xing/VBRI header: mutagen extrapolates from the first frame's
        # bitrate, exact only for CBR and we cannot tell which it is.
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
        if key not in _decoded_cache:
            log.info("%s: MP3 has no Xing/VBRI header; decoding once for the exact duration", path)
            _decoded_cache[key] = decoded_duration_ms(path)
        duration_ms = _decoded_cache[key]
        source = "decode"
    else:
        if type_name in ("MP3", "EasyMP3"):
            length_s = _ffmpeg_gapless_length(path, info) or length_s
        duration_ms = round(length_s * 1000)
    if duration_ms <= 0:
        raise AudioError("audio has no duration (corrupt or empty stream)", path=path)
    bitrate = getattr(info, "bitrate", None) or None
    if bitrate is None or source == "decode":
        # First-frame bitrate is meaningless for headerless VBR; derive the mean.
        bitrate = round(st.st_size * 8 * 1000 / duration_ms)
    return AudioInfo(
        path=path,
        duration_ms=duration_ms,
        size=st.st_size,
        mime=mime_for(path, type_name),
        bitrate=int(bitrate),
        channels=getattr(info, "channels", None) or None,
        sample_rate=getattr(info, "sample_rate", None) or None,
        duration_source=source,
    )
