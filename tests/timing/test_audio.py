"""audio_info: duration from metadata (no decode), size, MIME, bad files."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import mutagen
import pytest
from mutagen.mp3 import BitrateMode

from toolkit.errors import AudioError
from toolkit.timing import AudioInfo, audio_info
from toolkit.timing.ffmpeg import DECODE_CALLS

from .conftest import Clip, ffmpeg_run


def test_mp3_duration_from_metadata_without_decoding(clip: Clip) -> None:
    before = sum(DECODE_CALLS.values())
    info = audio_info(clip.mp3)
    assert sum(DECODE_CALLS.values()) == before, "audio_info decoded a file that has a Xing header"
    assert info.duration_source == "metadata"
    assert abs(info.duration_ms - clip.narration.duration_ms) <= 50
    assert info.size == os.stat(clip.mp3).st_size
    assert info.mime == "audio/mpeg"
    assert info.channels == 1
    assert info.sample_rate == 22050
    assert info.bitrate == 64000


def test_wav_info(clip: Clip) -> None:
    info = audio_info(clip.wav)
    assert info.mime == "audio/wav"
    assert abs(info.duration_ms - clip.narration.duration_ms) <= 1  # rounding vs floor
    assert info.size == clip.wav.stat().st_size


@pytest.mark.parametrize(
    ("suffix", "args", "mime"),
    [
        (".m4a", ("-c:a", "aac", "-b:a", "48k"), "audio/x-m4a"),
        (".ogg", ("-c:a", "libvorbis", "-q:a", "2"), "audio/ogg"),
        (".opus", ("-c:a", "libopus", "-b:a", "24k"), "audio/ogg"),
    ],
)
def test_other_containers(tmp_path: Path, suffix: str, args: tuple[str, ...], mime: str) -> None:
    out = tmp_path / f"tone{suffix}"
    ffmpeg_run("-f", "lavfi", "-i", "sine=f=300:d=3.2:sample_rate=48000", "-ac", "1", *args, str(out))
    before = sum(DECODE_CALLS.values())
    info = audio_info(out)
    assert sum(DECODE_CALLS.values()) == before
    assert info.mime == mime
    assert abs(info.duration_ms - 3200) <= 50
    assert info.size == out.stat().st_size


def test_headerless_vbr_mp3_is_decoded_for_exact_length(tmp_path: Path) -> None:
    # VBR without Xing/VBRI: mutagen can only extrapolate from the first frame.
    src = tmp_path / "chirp.wav"
    ffmpeg_run("-f", "lavfi", "-i", "aevalsrc=sin(2*PI*(200+400*t)*t)*min(1\\,t/3):d=9:s=44100", str(src))
    mp3 = tmp_path / "vbr-noxing.mp3"
    ffmpeg_run("-i", str(src), "-c:a", "libmp3lame", "-q:a", "6", "-write_xing", "0", str(mp3))
    assert mutagen.File(mp3).info.bitrate_mode == BitrateMode.UNKNOWN
    before = DECODE_CALLS["decoded_duration_ms"]
    info = audio_info(mp3)
    assert DECODE_CALLS["decoded_duration_ms"] == before + 1
    assert info.duration_source == "decode"
    # No header means no gapless info: the decoder's priming/padding (< 2 frames) remain.
    assert abs(info.duration_ms - 9000) <= 80
    # Cached per (path, size, mtime): a second call does not decode again.
    assert audio_info(mp3) == info
    assert DECODE_CALLS["decoded_duration_ms"] == before + 1


def test_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.mp3"
    with pytest.raises(AudioError, match="not found") as exc:
        audio_info(missing)
    assert str(missing) in str(exc.value)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_bytes_named_mp3(tmp_path: Path, seed: int) -> None:
    bad = tmp_path / "episode.mp3"
    rnd = random.Random(seed)
    bad.write_bytes(bytes(rnd.getrandbits(8) for _ in range(30_000)))
    with pytest.raises(AudioError) as exc:
        audio_info(bad)
    assert str(bad) in str(exc.value)


def test_empty_and_text_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        audio_info(empty)
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio\n" * 50)
    with pytest.raises(AudioError, match=str(text)):
        audio_info(text)


def test_directory_is_not_audio(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="not a file"):
        audio_info(tmp_path)


def test_audio_info_type(clip: Clip) -> None:
    assert isinstance(audio_info(clip.mp3), AudioInfo)


def test_ffmpeg_encoded_mp3_is_gapless_exact(clip: Clip) -> None:
    # ffmpeg's "Lavc" LAME tag carries encoder delay/padding that mutagen
    # ignores; audio_info reads it, so the length is sample-exact (±1 ms rounding).
    assert abs(audio_info(clip.mp3).duration_ms - clip.narration.duration_ms) <= 2


def test_reading_a_duration_imports_no_numpy() -> None:
    """``from toolkit.timing import audio_info`` stays light (bench_duration's whole-process
    row): numpy and the aligners load only when ``time_transcript`` is first used."""
    code = ("import sys; from toolkit.timing import audio_info; assert 'numpy' not in sys.modules; "
            "import toolkit.timing as t; t.time_transcript; assert 'numpy' in sys.modules")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
