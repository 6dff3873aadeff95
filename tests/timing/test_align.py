"""time_transcript: timed input, the pause aligner on real speech, proportional fallback.

The word aligners (the default methods) have their own tests in test_wordalign.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydub import silence

from toolkit.errors import AudioError
from toolkit.model import Chapter, Sentence, Transcript, Turn
from toolkit.timing import AlignmentReport, audio_info, time_transcript
from toolkit.timing.align import (
    Energies,
    Params,
    _low_confidence,
    _Timing,
    align_sentences,
    detect_silence_frames,
    frame_energies,
    silence_threshold,
    text_weight,
)
from support.synth import load_segment

from .conftest import Clip, ffmpeg_run


def untimed(sentences: tuple[str, ...], split: int = 3) -> Transcript:
    """Two speakers' turns; the second turn opens chapter 1."""
    return Transcript(
        language="en",
        turns=(
            Turn("Ana", tuple(Sentence(t, line=i + 1) for i, t in enumerate(sentences[:split])), chapter=0),
            Turn("Ben", tuple(Sentence(t) for t in sentences[split:]), chapter=1),
        ),
        chapters=(Chapter("Crossing", line=1), Chapter("Arrival", line=5)),
    )


def test_pause_alignment_matches_truth(clip: Clip) -> None:
    tr = untimed(clip.sentences)
    timed, report = time_transcript(tr, clip.mp3, audio_info(clip.mp3), method="pauses")
    assert report.method == "pauses"
    assert report.low_confidence == ()
    got = timed.sentences
    assert [s.text for s in got] == list(clip.sentences)
    for s, (start, end) in zip(got, clip.narration.spans):
        assert abs(s.start - start) <= 150, (s.text, s.start, start)
        assert abs(s.end - end) <= 150, (s.text, s.end, end)
        assert 0.0 <= s.confidence <= 1.0
        assert s.confidence >= 0.5
    assert abs(report.speech_start - 800) <= 150  # lead-in detected
    # Turn structure, speakers and line numbers survive.
    assert [t.speaker for t in timed.turns] == ["Ana", "Ben"]
    assert timed.turns[0].sentences[0].line == 1
    # Chapter start = start of the first sentence of its first turn.
    assert [c.start for c in timed.chapters] == [got[0].start, got[3].start]
    assert timed.chapters[1].title == "Arrival"


@pytest.mark.parametrize("method", ["pauses", None])
def test_alignment_is_deterministic(clip: Clip, method: str | None) -> None:
    tr = untimed(clip.sentences)
    info = audio_info(clip.mp3)
    assert time_transcript(tr, clip.mp3, info, method=method) == time_transcript(tr, clip.mp3, info, method=method)


def test_frame_silence_rule_equals_pydub(clip: Clip) -> None:
    """Our frame-energy silence detection is pydub.silence.detect_silence at a 10 ms seek step."""
    seg = load_segment(clip.mp3, rate=16000)
    en = frame_energies(clip.mp3)
    thr, _, _ = silence_threshold(en, Params())
    ours = [(s * 10, e * 10) for s, e in detect_silence_frames(en.power, 18, thr)]
    theirs = silence.detect_silence(seg, min_silence_len=180, silence_thresh=thr, seek_step=10)
    assert len(ours) == len(theirs) >= len(clip.sentences) + 1
    for (a, b), (c, d) in zip(ours, theirs):
        assert abs(a - c) <= 10 and abs(b - d) <= 10


@pytest.mark.parametrize(
    "source",
    ["anoisesrc=d=12:c=white:a=0.3:r=16000", "sine=f=220:d=12:sample_rate=16000"],
    ids=["noise", "sine"],
)
def test_pauseless_audio_falls_back_to_proportional(tmp_path: Path, source: str) -> None:
    mp3 = tmp_path / "flat.mp3"
    ffmpeg_run("-f", "lavfi", "-i", source, "-c:a", "libmp3lame", "-b:a", "64k", str(mp3))
    texts = ("One short line.", "A second, much longer line of text here.", "Three.", "The fourth line ends it.")
    info = audio_info(mp3)
    for method in ("pauses", None):  # the pause aligner, and the word aligner (no speech for the VAD)
        timed, report = time_transcript(untimed(texts, split=2), mp3, info, method=method)
        assert report.method == "proportional", method
        assert report.note
        assert timed.sentences[0].words == ()
    ss = timed.sentences
    assert all(s.confidence == pytest.approx(0.2) for s in ss)
    assert report.low_confidence == ("sentences 1–4 (00:00:00–00:00:12): confidence 0.20",)
    assert ss[0].start == 0 and abs(ss[-1].end - info.duration_ms) <= 20
    for a, b in zip(ss, ss[1:]):
        assert a.start <= a.end == b.start <= b.end
    # Durations follow text length.
    w = [text_weight(t) for t in texts]
    d = [s.end - s.start for s in ss]
    assert d[1] / d[0] == pytest.approx(w[1] / w[0], rel=0.02)


def test_too_few_pauses_falls_back(clip: Clip) -> None:
    many = tuple(f"Sentence number {i} of a transcript longer than the audio." for i in range(12))
    timed, report = time_transcript(untimed(many), clip.mp3, audio_info(clip.mp3), method="pauses")
    assert report.method == "proportional"
    assert "pauses for 11 sentence boundaries" in report.note
    assert timed.sentences[0].start == report.speech_start


def timed_transcript(end_ms: int) -> Transcript:
    return Transcript(
        language="en",
        turns=(
            Turn("A", (Sentence("Hello.", 500, 1500, words=()), Sentence("Hi.", 1600, 2500)), chapter=None),
            Turn("B", (Sentence("Bye.", 3000, end_ms),), chapter=0),
        ),
        chapters=(Chapter("Ending"),),
    )


def test_timed_input_keeps_times(clip: Clip) -> None:
    info = audio_info(clip.mp3)
    tr = timed_transcript(info.duration_ms + 400)  # within the 500 ms slack
    out, report = time_transcript(tr, clip.mp3, info)
    assert report == AlignmentReport(method="timed-input")
    assert out.turns == tr.turns
    assert out.chapters == (Chapter("Ending", start=3000),)


def test_audio_shorter_than_timed_transcript(clip: Clip) -> None:
    info = audio_info(clip.mp3)
    end = info.duration_ms + 2000
    with pytest.raises(AudioError) as exc:
        time_transcript(timed_transcript(end), clip.mp3, info)
    msg = str(exc.value)
    assert str(clip.mp3) in msg
    assert f"{end} ms" in msg and "00:00:20" in msg


def test_corrupt_audio_during_alignment_names_file(tmp_path: Path, clip: Clip) -> None:
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"ID3" + b"\x00" * 7 + b"garbage" * 500)
    info = audio_info(clip.mp3)  # metadata of another file: decoding bad.mp3 must still fail cleanly
    with pytest.raises(AudioError, match="bad.mp3"):
        time_transcript(untimed(clip.sentences), bad, info)


def test_low_confidence_lines() -> None:
    t = [_Timing(0, 1000, 0.9), _Timing(190_000, 195_000, 0.31), _Timing(195_500, 220_000, 0.4), _Timing(0, 1, 0.8)]
    assert _low_confidence(t) == ("sentences 2–3 (00:03:10–00:03:40): confidence 0.31",)
    assert _low_confidence([_Timing(3_600_000, 3_601_000, 0.1)]) == (
        "sentence 1 (01:00:00–01:00:01): confidence 0.10",
    )


def test_text_weight() -> None:
    assert text_weight("Hi, there!") == 7
    assert text_weight("In 1999.") == len("in" + "nineteen" + "ninety" + "nine")  # as spoken
    assert text_weight("It cost $4,500.") == len("it" + "cost" + "fourthousandfivehundreddollars")
    assert text_weight("Es costó 4500.", "es") == len("es" + "costó" + "cuatromilquinientos")
    assert text_weight("…") == 1  # never zero: every sentence takes some time


# -- property: on idealised energies the DP recovers every boundary -------------------------

SPEECH, QUIET = 10 ** (-20 / 10), 1e-9


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[int], list[int], list[int | None], int]:
    n = draw(st.integers(2, 10))
    durs = [draw(st.integers(100, 500)) * 10 for _ in range(n)]  # 1–5 s voiced
    gaps = [draw(st.integers(40, 120)) * 10 for _ in range(n - 1)]  # 400–1200 ms sentence pauses
    # Optional comma pause (190–250 ms) somewhere inside a sentence: a decoy candidate.
    commas = [draw(st.none() | st.integers(30, 70)) for _ in range(n)]
    lead = draw(st.integers(20, 150)) * 10
    return durs, gaps, commas, lead


@settings(max_examples=60, deadline=None)
@given(layouts(), st.integers(19, 25))
def test_dp_recovers_boundaries(layout: tuple[list[int], list[int], list[int | None], int], comma_len: int) -> None:
    durs, gaps, commas, lead = layout
    frames: list[float] = [QUIET] * (lead // 10)
    truth = []
    for i, d in enumerate(durs):
        start = len(frames) * 10
        n = d // 10
        block = [SPEECH] * n
        if commas[i] is not None:
            at = n * commas[i] // 100
            block[at : at + comma_len] = [QUIET] * comma_len
        frames += block
        truth.append((start, len(frames) * 10))
        frames += [QUIET] * ((gaps[i] if i < len(gaps) else 500) // 10)
    en = Energies(np.array(frames), 10)
    # Text weight = voiced time (a perfectly even speaker).
    weights = [d - (comma_len * 10 if c is not None else 0) for d, c in zip(durs, commas)]
    timings, report = align_sentences(weights, en)
    assert report.method == "pauses"
    assert [(t.start, t.end) for t in timings] == truth
    assert all(0 <= t.confidence <= 1 for t in timings)
