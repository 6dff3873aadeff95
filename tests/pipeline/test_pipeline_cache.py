"""The source-build cache (toolkit/cache.py) used by pipeline.build_source.

Real inputs throughout: a copy of the repo's demo show (untimed text aligned
to its real MP3 with real ffmpeg, and an SRT episode).  Stage functions are
only *spied on* (wrapped, still run) to see whether the cache skipped them.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit import cache, config, ingest, pipeline, timing
from toolkit.errors import AudioError
from toolkit.timing.ffmpeg import resolve_ffmpeg

from pipeline_helpers import SENTENCE, TIMED, UNTIMED, copy_show


@pytest.fixture()
def show_root(tmp_path: Path) -> Path:
    return copy_show(tmp_path / "show")


class Spy:
    """Counts calls of the stage functions build_source runs (each still runs for real)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: dict[str, int] = {"read_transcript": 0, "time_transcript": 0, "segment": 0}
        for module, name in ((ingest, "read_transcript"), (timing, "time_transcript"),
                             (pipeline.segment, "segment")):
            real = getattr(module, name)

            def wrapper(*args: object, _real=real, _name=name, **kw: object) -> object:  # type: ignore[no-untyped-def]
                self.calls[_name] += 1
                return _real(*args, **kw)

            monkeypatch.setattr(module, name, wrapper)

    def total(self) -> int:
        return sum(self.calls.values())


def load(root: Path, slug: str):  # type: ignore[no-untyped-def]
    show = config.load_show(root)
    return show, config.load_episode(show, slug)


@pytest.mark.parametrize("slug", [UNTIMED, TIMED])
def test_cached_build_equals_fresh_build(show_root: Path, slug: str, monkeypatch: pytest.MonkeyPatch) -> None:
    show, ep = load(show_root, slug)
    fresh = pipeline.build_source(show, ep, use_cache=False)
    path = cache.source_cache_path(show, slug)
    assert not path.exists()  # use_cache=False leaves the cache alone
    first = pipeline.build_source(show, ep)
    assert path.is_file() and first == fresh
    spy = Spy(monkeypatch)
    again = pipeline.build_source(show, ep)
    assert spy.total() == 0, spy.calls  # no ingest, no alignment (no audio decode), no segmentation
    assert again == fresh
    # Equal *objects*, not just equal-looking ones: tuples stay tuples, paths stay paths.
    assert type(again.cues) is tuple and type(again.cues[0].lines) is tuple
    assert type(again.transcript.turns[0].sentences) is tuple
    assert isinstance(again.audio.path, Path) and again.audio.path == ep.audio
    assert again.transcript.source == fresh.transcript.source
    assert [c.id for c in again.cues] == [c.id for c in fresh.cues]
    if slug == UNTIMED:
        assert fresh.alignment.method == "forced"  # English: PocketSphinx, word by word
        assert all(s.words for t in fresh.transcript.turns for s in t.sentences)


def test_cache_file_is_deterministic_and_location_free(tmp_path: Path) -> None:
    roots = [copy_show(tmp_path / name, (TIMED,)) for name in ("a", "somewhere-else")]
    blobs = []
    for root in roots:
        show, ep = load(root, TIMED)
        pipeline.build_source(show, ep)
        path = root / ".toolkit" / "cache" / "source" / f"{TIMED}.json"
        blobs.append(path.read_bytes())
        assert str(root) not in blobs[-1].decode("utf-8")  # no absolute paths: the show folder may move
    assert blobs[0] == blobs[1]
    data = json.loads(blobs[0])
    assert data["format"] == cache.CACHE_FORMAT and len(data["key"]) == 64


def test_moved_show_folder_still_hits_with_current_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_show(tmp_path / "before", (TIMED,))
    show, ep = load(root, TIMED)
    pipeline.build_source(show, ep)
    moved = tmp_path / "after"
    root.rename(moved)
    show, ep = load(moved, TIMED)
    spy = Spy(monkeypatch)
    hit = pipeline.build_source(show, ep)
    assert spy.total() == 0
    assert hit == pipeline.build_source(show, ep, use_cache=False)
    assert hit.audio.path == moved / "episodes" / TIMED / "audio.mp3"


def test_edited_transcript_is_rebuilt(show_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    show, ep = load(show_root, UNTIMED)
    before = pipeline.build_source(show, ep)
    text = ep.transcript.read_text(encoding="utf-8")
    assert text.count(SENTENCE) == 1
    ep.transcript.write_text(text.replace(SENTENCE, "What usually brings a clock to your workbench?"),
                             encoding="utf-8")
    spy = Spy(monkeypatch)
    after = pipeline.build_source(show, ep)
    assert spy.calls == {"read_transcript": 1, "time_transcript": 1, "segment": 1}
    assert after != before
    assert "What usually brings a clock to your workbench?" in [s.text for s in after.transcript.sentences]
    assert after == pipeline.build_source(show, ep, use_cache=False)
    spy.calls.update(dict.fromkeys(spy.calls, 0))
    assert pipeline.build_source(show, ep) == after and spy.total() == 0  # and cached again


def test_replaced_audio_is_rebuilt(show_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    show, ep = load(show_root, UNTIMED)
    before = pipeline.build_source(show, ep)
    # A new export of the same recording (two seconds of room tone added at the end): the
    # words are still spoken, so the aligner has real work, not text the audio lacks
    # (that case is issue 8's open defect: the forced aligner's search is slow on it).
    other = ep.audio.with_name("re-export.mp3")
    subprocess.run([resolve_ffmpeg(), "-nostdin", "-v", "error", "-i", str(ep.audio), "-af", "apad=pad_dur=2",
                    "-c:a", "libmp3lame", "-b:a", "64k", str(other)], check=True)
    shutil.copyfile(other, ep.audio)
    spy = Spy(monkeypatch)
    after = pipeline.build_source(show, ep)
    assert spy.calls["time_transcript"] == 1
    assert after.audio.size == other.stat().st_size != before.audio.size
    assert after == pipeline.build_source(show, ep, use_cache=False)


def test_same_size_same_mtime_audio_edit_is_still_detected(show_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The case a size + mtime key misses (a same-length re-export copied with ``cp -p``)."""
    show, ep = load(show_root, UNTIMED)
    pipeline.build_source(show, ep)
    st = ep.audio.stat()
    data = bytearray(ep.audio.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 64] = bytes(64)  # silence a few bytes of one frame's payload in the middle
    ep.audio.write_bytes(bytes(data))
    os.utime(ep.audio, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert ep.audio.stat().st_size == st.st_size and ep.audio.stat().st_mtime_ns == st.st_mtime_ns
    spy = Spy(monkeypatch)
    pipeline.build_source(show, ep)
    assert spy.calls["time_transcript"] == 1


def test_key_covers_every_input(show_root: Path) -> None:
    show, ep = load(show_root, UNTIMED)
    base = cache.source_key(show, ep, "en")
    assert base is not None and base == cache.source_key(show, ep, "en")
    variants = {
        "language": cache.source_key(show, ep, "en-GB"),
        "speakers": cache.source_key(show, dataclasses.replace(ep, speakers={}), "en"),
        "drop rules": cache.source_key(dataclasses.replace(show, drop_rules=("^Leave Comments$",)), ep, "en"),
        "no drop rules": cache.source_key(dataclasses.replace(show, drop_rules=()), ep, "en"),
        "slug": cache.source_key(show, dataclasses.replace(ep, slug="clock-doctor-2"), "en"),
    }
    md = ep.transcript.with_suffix(".md")
    shutil.copyfile(ep.transcript, md)  # same bytes, another reader
    variants["transcript type"] = cache.source_key(show, dataclasses.replace(ep, transcript=md), "en")
    assert all(v is not None for v in variants.values())
    assert len({base, *variants.values()}) == len(variants) + 1, variants


def test_missing_input_still_gives_the_stage_error(show_root: Path) -> None:
    show, ep = load(show_root, UNTIMED)
    pipeline.build_source(show, ep)
    ep.audio.unlink()
    assert cache.source_key(show, ep, "en") is None
    with pytest.raises(AudioError, match="not found"):
        pipeline.build_source(show, ep)


CORRUPTIONS = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "not json": lambda raw: b"\x00\xffnot json",
    "empty": lambda raw: b"",
    "a list": lambda raw: b"[1, 2]",
    "cue field missing": lambda raw: _edit(raw, lambda d: d["cues"][0].pop("speaker")),
    "cues not a list": lambda raw: _edit(raw, lambda d: d.__setitem__("cues", "x")),
    "unknown field": lambda raw: _edit(raw, lambda d: d["alignment"].__setitem__("extra", 1)),
    "sentence wrong shape": lambda raw: _edit(raw, lambda d: d["transcript"]["turns"][0].__setitem__("sentences", [3])),
}


def _edit(raw: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    data = json.loads(raw)
    change(data)
    return json.dumps(data).encode()


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_corrupt_cache_is_ignored_logged_and_rebuilt(show_root: Path, kind: str, caplog: pytest.LogCaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    show, ep = load(show_root, TIMED)
    good = pipeline.build_source(show, ep)
    path = cache.source_cache_path(show, TIMED)
    valid = path.read_bytes()
    path.write_bytes(CORRUPTIONS[kind](valid))
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        rebuilt = pipeline.build_source(show, ep)
    assert rebuilt == good
    assert any("corrupt build cache" in r.getMessage() and str(path) in r.getMessage() for r in caplog.records)
    assert path.read_bytes() == valid  # rewritten whole
    spy = Spy(monkeypatch)
    assert pipeline.build_source(show, ep) == good and spy.total() == 0


def test_stale_key_is_a_silent_miss(show_root: Path, caplog: pytest.LogCaptureFixture) -> None:
    show, ep = load(show_root, TIMED)
    good = pipeline.build_source(show, ep)
    path = cache.source_cache_path(show, TIMED)
    data = json.loads(path.read_bytes())
    data["key"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        assert pipeline.build_source(show, ep) == good
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert json.loads(path.read_bytes())["key"] != "0" * 64
