"""One place that finds ffmpeg and runs it.

Resolution order (first hit wins)::

    $TOOLKIT_FFMPEG  →  shutil.which("ffmpeg")  →  imageio_ffmpeg.get_ffmpeg_exe()

The binary is checked (``ffmpeg -version``) before first use, and pydub's
``AudioSegment.converter`` is set to it explicitly: pydub resolves its converter
once at import time, so a later PATH change would otherwise be ignored.

ffprobe is never used: the bundled imageio-ffmpeg build has none, and pydub's
``mediainfo()`` (called by ``from_file`` unless a codec is given) needs it.
Metadata comes from mutagen (:mod:`toolkit.timing.audio`); whenever samples are
really needed this module decodes them itself with a streaming ffmpeg
subprocess, so memory stays bounded whatever the episode length.

Every function here that decodes audio increments :data:`DECODE_CALLS`, so
callers (and tests) can verify that a code path did *not* decode the file.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..errors import AudioError, ToolMissingError

log = logging.getLogger(__name__)

__all__ = [
    "DECODE_CALLS",
    "ENV_VAR",
    "INSTALL_HINT",
    "resolve_ffmpeg",
    "configure_pydub",
    "decode_pcm",
    "decoded_duration_ms",
]

ENV_VAR = "TOOLKIT_FFMPEG"
INSTALL_HINT = (
    "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) or `pip install imageio-ffmpeg`, "
    f"or point ${ENV_VAR} at an ffmpeg binary"
)

#: How many times each decoding function ran in this process (by function name).
DECODE_CALLS: Counter[str] = Counter()

# (env value, PATH) → resolved executable; keyed on both so that a changed
# environment (tests, a long-lived process) is honoured.
_resolved: dict[tuple[str | None, str | None], str] = {}
_verified: set[str] = set()


def _bundled() -> str | None:
    try:
        import imageio_ffmpeg  # only when no system ffmpeg is found (import time)
    except ImportError:
        return None
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception as exc:  # imageio-ffmpeg raises RuntimeError when its binary is absent
        log.debug("imageio-ffmpeg has no binary: %s", exc)
        return None


def _verify(exe: str, source: str) -> None:
    """Run ``exe -version`` once; raise ToolMissingError if it is not a working ffmpeg."""
    if exe in _verified:
        return
    try:
        proc = subprocess.run(
            [exe, "-hide_banner", "-version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolMissingError(f"ffmpeg from {source} cannot run: {exc}", path=exe, hint=INSTALL_HINT) from exc
    first = proc.stdout.decode("utf-8", "replace").splitlines()[:1]
    if proc.returncode != 0 or not first or "ffmpeg" not in first[0].lower():
        raise ToolMissingError(f"ffmpeg from {source} is not a working ffmpeg", path=exe, hint=INSTALL_HINT)
    log.debug("using %s (%s): %s", exe, source, first[0])
    _verified.add(exe)


def resolve_ffmpeg() -> str:
    """Return the path of a working ffmpeg binary.

    Raises:
        ToolMissingError: none found, or ``$TOOLKIT_FFMPEG`` names something
            that is not a working ffmpeg (an explicit setting is never
            silently replaced by another binary).
    """
    env = os.environ.get(ENV_VAR) or None
    key = (env, os.environ.get("PATH"))
    if key in _resolved:
        return _resolved[key]
    if env is not None:
        exe, source = env, f"${ENV_VAR}"
        if not (Path(exe).is_file() or shutil.which(exe)):
            raise ToolMissingError(f"${ENV_VAR} names no executable: {exe}", hint=INSTALL_HINT)
    else:
        found = shutil.which("ffmpeg")
        if found:
            exe, source = found, "PATH"
        else:
            bundled = _bundled()
            if bundled is None:
                raise ToolMissingError("ffmpeg not found", hint=INSTALL_HINT)
            exe, source = bundled, "imageio-ffmpeg"
    _verify(exe, source)
    _resolved[key] = exe
    return exe


def configure_pydub() -> str:
    """Point pydub at the resolved ffmpeg (``AudioSegment.converter``); return its path.

    Only the converter is set: pydub has no setting for ffprobe, so toolkit
    code never calls ``pydub.utils.mediainfo`` nor ``from_file`` without a codec.
    """
    from pydub import AudioSegment

    exe = resolve_ffmpeg()
    AudioSegment.converter = exe
    return exe


def _run_error(path: Path, stderr: bytes) -> AudioError:
    lines = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    detail = lines[-1].strip() if lines else "no output"
    return AudioError(f"ffmpeg cannot decode the audio: {detail}", path=path)


def decode_pcm(path: Path, *, rate: int = 16000, chunk_bytes: int = 1 << 20) -> Iterator[bytes]:
    """Stream the first audio track of ``path`` as mono signed 16-bit PCM at ``rate`` Hz.

    Yields byte chunks (each of even length, at most ``chunk_bytes``) as ffmpeg
    produces them, so the caller decides how much to keep in memory.  A 60 Hz
    high-pass removes DC offset and hum, which would otherwise bias the
    loudness of "silent" frames.

    Raises:
        AudioError: ffmpeg fails on the file (the message names the file).
    """
    exe = resolve_ffmpeg()
    DECODE_CALLS["decode_pcm"] += 1
    cmd = [
        exe, "-nostdin", "-hide_banner", "-v", "error",
        "-i", str(path),
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-af", "highpass=f=60",
        "-ac", "1", "-ar", str(rate), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1",
    ]  # fmt: skip
    chunk_bytes -= chunk_bytes % 2
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    carry = b""
    try:
        while True:
            data = proc.stdout.read(chunk_bytes)
            if not data:
                break
            data = carry + data
            cut = len(data) - (len(data) % 2)
            carry = data[cut:]
            if cut:
                yield data[:cut]
        stderr = proc.stderr.read()
        code = proc.wait()
    finally:
        if proc.poll() is None:  # the consumer stopped early
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    if code != 0:
        raise _run_error(path, stderr)


def decoded_duration_ms(path: Path) -> int:
    """Exact duration by decoding the whole file to ffmpeg's null muxer.

    Streaming (``-f null -``): ≈ 8 s and ≈ 55 MB for a one-hour MP3, used only
    when the metadata cannot be trusted (MP3 without Xing/VBRI header).

    Raises:
        AudioError: ffmpeg fails or reports no time.
    """
    exe = resolve_ffmpeg()
    DECODE_CALLS["decoded_duration_ms"] += 1
    cmd = [
        exe, "-nostdin", "-hide_banner", "-v", "error", "-nostats",
        "-i", str(path), "-map", "0:a:0", "-vn",
        "-progress", "pipe:1", "-f", "null", "-",
    ]  # fmt: skip
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    if proc.returncode != 0:
        raise _run_error(path, proc.stderr)
    out_us: int | None = None
    for line in proc.stdout.decode("ascii", "replace").splitlines():
        key, _, value = line.partition("=")
        # ffmpeg prints "N/A" before the first packet; keep the last real value.
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            out_us = int(value)
    if out_us is None or out_us <= 0:
        raise AudioError("ffmpeg decoded no audio", path=path)
    return round(out_us / 1000)
