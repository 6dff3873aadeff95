"""ffmpeg resolution (env → PATH → imageio-ffmpeg), pydub wiring, decoding errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import imageio_ffmpeg
import pytest
from pydub import AudioSegment

from toolkit.errors import AudioError, ToolMissingError
from toolkit.timing import ffmpeg

from .conftest import Clip

REPO = Path(__file__).resolve().parents[2]


def test_env_override_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ffmpeg.ENV_VAR, str(tmp_path / "no-ffmpeg-here"))
    with pytest.raises(ToolMissingError, match="TOOLKIT_FFMPEG") as exc:
        ffmpeg.resolve_ffmpeg()
    assert "install ffmpeg" in str(exc.value)


def test_env_override_must_be_ffmpeg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho not me\n")
    fake.chmod(0o755)
    monkeypatch.setenv(ffmpeg.ENV_VAR, str(fake))
    with pytest.raises(ToolMissingError, match="not a working ffmpeg"):
        ffmpeg.resolve_ffmpeg()


def test_env_override_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = imageio_ffmpeg.get_ffmpeg_exe()
    monkeypatch.setenv(ffmpeg.ENV_VAR, bundled)
    assert ffmpeg.resolve_ffmpeg() == bundled
    assert ffmpeg.configure_pydub() == bundled
    assert AudioSegment.converter == bundled


def test_nothing_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ffmpeg.ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(ffmpeg, "_bundled", lambda: None)  # as if imageio-ffmpeg were not installed
    with pytest.raises(ToolMissingError, match="ffmpeg not found"):
        ffmpeg.resolve_ffmpeg()


def test_decoding_falls_back_to_imageio_ffmpeg(clip: Clip, tmp_path: Path) -> None:
    """A fresh interpreter with no system ffmpeg on PATH still decodes through imageio-ffmpeg."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = textwrap.dedent(
        f"""
        import shutil, sys
        from pathlib import Path
        assert shutil.which("ffmpeg") is None, shutil.which("ffmpeg")
        assert shutil.which("ffprobe") is None
        import imageio_ffmpeg
        from pydub import AudioSegment
        from toolkit.timing import ffmpeg, audio_info
        from toolkit.timing.align import frame_energies
        exe = ffmpeg.configure_pydub()
        assert exe == imageio_ffmpeg.get_ffmpeg_exe(), exe
        assert AudioSegment.converter == exe
        pcm = b"".join(ffmpeg.decode_pcm(Path({str(clip.mp3)!r}), rate=16000))
        seg = AudioSegment(data=pcm, sample_width=2, frame_rate=16000, channels=1)
        en = frame_energies(Path({str(clip.mp3)!r}))
        # pydub itself, through the converter and with codec= (so no ffprobe):
        seg2 = AudioSegment.from_file({str(clip.mp3)!r}, format="mp3", codec="mp3")
        print(len(seg), en.duration_ms, len(seg2), audio_info(Path({str(clip.mp3)!r})).duration_ms)
        """
    )
    env = {k: v for k, v in os.environ.items() if k != ffmpeg.ENV_VAR}
    env["PATH"] = str(bindir)
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    seg_ms, frames_ms, pydub_ms, info_ms = map(int, proc.stdout.split())
    truth = clip.narration.duration_ms
    assert abs(seg_ms - truth) <= 30
    assert abs(frames_ms - truth) <= 30
    assert abs(pydub_ms - truth) <= 100  # pydub's own decode keeps mp3 priming samples
    assert abs(info_ms - truth) <= 50


def test_decode_error_names_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.mp3"
    bad.write_bytes(b"\x00" * 10 + b"definitely not audio" * 100)
    with pytest.raises(AudioError) as exc:
        list(ffmpeg.decode_pcm(bad))
    assert str(bad) in str(exc.value)
    with pytest.raises(AudioError, match="broken.mp3"):
        ffmpeg.decoded_duration_ms(bad)


def test_decode_pcm_chunks_are_whole_samples(clip: Clip) -> None:
    before = ffmpeg.DECODE_CALLS["decode_pcm"]
    chunks = list(ffmpeg.decode_pcm(clip.mp3, rate=8000, chunk_bytes=4097))
    assert ffmpeg.DECODE_CALLS["decode_pcm"] == before + 1
    assert all(len(c) % 2 == 0 and len(c) <= 4096 for c in chunks)
    total_ms = sum(len(c) for c in chunks) // 2 * 1000 // 8000
    assert abs(total_ms - clip.narration.duration_ms) <= 5


def test_stopping_early_kills_ffmpeg(clip: Clip) -> None:
    gen = ffmpeg.decode_pcm(clip.mp3, chunk_bytes=1024)
    assert len(next(gen)) == 1024
    gen.close()  # must not hang or leave a zombie; the finally: kills and reaps
