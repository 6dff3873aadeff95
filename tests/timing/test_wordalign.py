"""The word aligners on generated speech: forced alignment (English), TTS + DTW (German),
music intros, anchors, honest confidence on text the audio does not have, and the
audio-analysis cache (a transcript edit re-aligns without decoding the audio).

Each method gets one short real alignment (a few seconds of CPU each); accuracy is
asserted against the synthesizers' own word timings, never against timing figures.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from support.tools import skip_or_fail

from toolkit.model import Sentence, Transcript, Turn
from toolkit.timing import audio_info, time_transcript
from support import speech_cases as cases
from toolkit.timing.analysis import AnalysisStore, analyse
from toolkit.timing.ffmpeg import DECODE_CALLS
from toolkit.timing.timer import choose_method

from .conftest import Clip, WordClip


def transcript_of(sentences: tuple[str, ...], language: str, speakers: tuple[str, ...] = ()) -> Transcript:
    """Consecutive sentences of one speaker form a turn."""
    speakers = speakers or ("Ana",) * len(sentences)
    turns: list[Turn] = []
    for text, spk in zip(sentences, speakers):
        if turns and turns[-1].speaker == spk:
            turns[-1] = replace(turns[-1], sentences=turns[-1].sentences + (Sentence(text),))
        else:
            turns.append(Turn(spk, (Sentence(text),)))
    return Transcript(language=language, turns=tuple(turns))


def boundary_errors(got: Transcript, case: cases.Case) -> tuple[np.ndarray, np.ndarray]:
    """|error| at every sentence start/end and every word start/end (ms)."""
    s_err, w_err = [], []
    for s, (a, b), words in zip(got.sentences, case.spans, case.words):
        s_err += [abs(s.start - a), abs(s.end - b)]
        assert len(s.words) == len(s.text.split()), s.text
        for w, (wa, wb) in zip(s.words, words):
            w_err += [abs(w.start - wa), abs(w.end - wb)]
    return np.array(s_err, dtype=float), np.array(w_err, dtype=float)


def check_words(got: Transcript) -> None:
    """Word timings: one per whitespace word, inside their sentence, in order."""
    prev = 0
    for s in got.sentences:
        assert [w.text for w in s.words] == s.text.split()
        assert s.words[0].start == s.start and max(w.end for w in s.words) == s.end
        for w in s.words:
            assert prev <= w.start <= w.end
            prev = w.start


def test_methods_by_language() -> None:
    assert choose_method("en")[0] == "forced"
    assert choose_method("en-GB")[0] == "forced"
    assert choose_method("de")[0] == "tts-dtw"
    assert choose_method("pt-BR")[0] == "tts-dtw"
    assert choose_method("tlh")[0] == "pauses"  # no voice, no model: pauses + text length


def test_forced_alignment_on_a_second_synthesizer(festival_clip: WordClip) -> None:
    case = festival_clip.case
    tr = transcript_of(festival_clip.sentences, "en", tuple(s for s, _ in case.sentences))
    timed, report = time_transcript(tr, festival_clip.mp3, audio_info(festival_clip.mp3))
    assert report.method == "forced" and report.words and "pocketsphinx" in report.engine
    assert report.low_confidence == () and report.retimed == 0
    check_words(timed)
    s_err, w_err = boundary_errors(timed, case)
    # natural gaps (two sentences follow with no pause): where the pause aligner fails
    assert s_err.mean() <= 60 and s_err.max() <= 200, s_err
    assert w_err.mean() <= 100, w_err
    assert all(s.confidence >= 0.5 for s in timed.sentences)
    # "$4,500" is one word of the text, spoken as five: it gets one timing spanning them
    money = next(w for w in timed.sentences[3].words if w.text == "$4,500")
    assert money.end - money.start > 800


def test_forced_alignment_on_espeak(clip: Clip) -> None:
    tr = transcript_of(clip.sentences, "en")
    timed, report = time_transcript(tr, clip.mp3, audio_info(clip.mp3))
    assert report.method == "forced"
    check_words(timed)
    for s, (a, b) in zip(timed.sentences, clip.narration.spans):
        assert abs(s.start - a) <= 150 and abs(s.end - b) <= 150, (s.text, s.start, s.end, a, b)


def test_tts_dtw_alignment_german(german_clip: WordClip) -> None:
    case = german_clip.case
    tr = transcript_of(german_clip.sentences, "de")
    timed, report = time_transcript(tr, german_clip.mp3, audio_info(german_clip.mp3))
    assert report.method == "tts-dtw" and report.words and "espeak-ng de" in report.engine
    assert report.low_confidence == ()
    check_words(timed)
    s_err, w_err = boundary_errors(timed, case)
    assert s_err.mean() <= 60 and s_err.max() <= 250, s_err
    assert w_err.mean() <= 100, w_err


def test_music_intro_is_no_sentence(festival_clip: WordClip, tmp_path: Path) -> None:
    """A 6 s music intro and a music bed 20 dB under the speech (Silero VAD tells them apart)."""
    case = cases.with_music(festival_clip.case, intro_s=6.0, workdir=tmp_path)
    mp3 = cases.encode_mp3(case, tmp_path / "music.mp3")
    tr = transcript_of(festival_clip.sentences, "en")
    timed, report = time_transcript(tr, mp3, audio_info(mp3))
    assert report.method == "forced"
    first = timed.sentences[0]
    assert first.start >= 6000 - 100, first.start
    s_err, _ = boundary_errors(timed, case)
    assert s_err.mean() <= 80, s_err


def test_text_the_audio_does_not_have_is_retimed_and_reported(festival_clip: WordClip) -> None:
    sentences = list(festival_clip.sentences)
    extra = "Meanwhile the orchestra rehearsed a long symphony about glaciers and penguins."
    sentences.insert(4, extra)
    tr = transcript_of(tuple(sentences), "en")
    timed, report = time_transcript(tr, festival_clip.mp3, audio_info(festival_clip.mp3))
    got = timed.sentences
    inserted = got[4]
    assert inserted.confidence < 0.5
    assert report.retimed >= 1
    assert any(line.startswith("sentence 5 ") and "re-timed proportionally" in line for line in report.low_confidence)
    # it lies between its neighbours (re-timed proportionally between confident words)
    assert got[3].end <= inserted.start <= inserted.end <= got[5].start + 1
    # and the sentences the audio does have keep their accuracy
    truth = festival_clip.case.spans
    others = [s for k, s in enumerate(got) if k != 4]
    errs = [abs(s.start - a) for s, (a, _) in zip(others, truth)]
    assert max(errs) <= 250, errs


def test_audio_that_says_something_else_is_low_confidence(festival_clip: WordClip) -> None:
    tr = transcript_of(("The tide tables for the northern coast are printed every spring.",
                        "Fishermen read them before dawn, one line at a time.",
                        "The harbour master keeps a copy pinned beside the door."), "en")
    timed, report = time_transcript(tr, festival_clip.mp3, audio_info(festival_clip.mp3))
    assert report.method == "proportional"  # nothing matched: spread by length, said so
    assert report.low_confidence and report.note
    assert all(s.confidence < 0.5 for s in timed.sentences)


def test_anchors_are_respected(festival_clip: WordClip) -> None:
    """Turn stamps (start set, end None) snap to the speech onset; fully timed sentences stay."""
    case = festival_clip.case
    spans = case.spans
    sents = [Sentence(t) for t in festival_clip.sentences]
    # a turn stamp 0.4 s before the speech (stamps are whole seconds, rounded down)
    sents[4] = replace(sents[4], start=spans[4][0] - 400)
    # a sentence that came with both times keeps them exactly, whatever the audio says
    sents[6] = replace(sents[6], start=spans[6][0] + 37, end=spans[6][1] - 11)
    tr = Transcript(language="en", turns=(Turn("Ana", tuple(sents[:4])), Turn("Ben", tuple(sents[4:]))))
    timed, report = time_transcript(tr, festival_clip.mp3, audio_info(festival_clip.mp3))
    got = timed.sentences
    assert report.anchors == 1
    assert abs(got[4].start - spans[4][0]) <= 60, (got[4].start, spans[4][0])
    assert (got[6].start, got[6].end) == (spans[6][0] + 37, spans[6][1] - 11)
    assert got[3].end <= got[4].start  # the text before the stamp stays before it
    for k in (0, 1, 2, 5, 7):
        assert abs(got[k].start - spans[k][0]) <= 150, k


def test_a_wrong_stamp_still_bounds_its_text(festival_clip: WordClip) -> None:
    """A stamp 1 s early with no onset near it stays the start (the text after it aligns after it)."""
    spans = festival_clip.case.spans
    sents = [Sentence(t) for t in festival_clip.sentences]
    sents[2] = replace(sents[2], start=spans[2][0])
    tr = Transcript(language="en", turns=(Turn("Ana", tuple(sents)),))
    timed, _ = time_transcript(tr, festival_clip.mp3, audio_info(festival_clip.mp3))
    assert abs(timed.sentences[2].start - spans[2][0]) <= 60


def test_edit_realigns_without_decoding(festival_clip: WordClip, tmp_path: Path) -> None:
    """The analysis store: a second run decodes nothing; an edited sentence gives exactly what a
    cold run on the edited transcript gives."""
    mp3 = tmp_path / "audio.mp3"
    shutil.copy(festival_clip.mp3, mp3)
    info = audio_info(mp3)
    store = AnalysisStore(tmp_path / "cache", "ep", mp3)
    tr = transcript_of(festival_clip.sentences, "en")
    first, _ = time_transcript(tr, mp3, info, store=store)
    assert store.tracks_path.is_file() and store.windows_path.is_file()
    edited_texts = list(festival_clip.sentences)
    edited_texts[6] = "We keep a paper card for every single repair."
    edited = transcript_of(tuple(edited_texts), "en")
    before = DECODE_CALLS["decode_pcm"]
    warm, _ = time_transcript(edited, mp3, info, store=AnalysisStore(tmp_path / "cache", "ep", mp3))
    assert DECODE_CALLS["decode_pcm"] == before  # no decode: features from the cache
    cold, _ = time_transcript(edited, mp3, info)  # no store at all
    assert warm == cold
    assert first.sentences[7].text == warm.sentences[7].text  # (which window is reused: test_windows.py)
    # the words the edit added are not in the audio: placed between their neighbours
    new = warm.sentences[6]
    assert new.confidence >= 0.5 and [w.text for w in new.words] == edited_texts[6].split()


def test_damaged_analysis_cache_is_rebuilt(clip: Clip, tmp_path: Path) -> None:
    store = AnalysisStore(tmp_path, "ep", clip.mp3)
    good = analyse(clip.mp3, store=store)
    store.tracks_path.write_bytes(b"PK\x03\x04 not a zip")
    again = analyse(clip.mp3, store=AnalysisStore(tmp_path, "ep", clip.mp3))
    assert np.array_equal(good.mfcc, again.mfcc) and np.array_equal(good.power, again.power)


def test_cached_analysis_equals_fresh(clip: Clip, tmp_path: Path) -> None:
    store = AnalysisStore(tmp_path, "ep", clip.mp3)
    fresh = analyse(clip.mp3, store=store)
    before = DECODE_CALLS["decode_pcm"]
    cached = analyse(clip.mp3, store=AnalysisStore(tmp_path, "ep", clip.mp3))
    assert DECODE_CALLS["decode_pcm"] == before
    assert np.array_equal(fresh.mfcc, cached.mfcc) and np.array_equal(fresh.speech, cached.speech)


def test_our_features_are_pocketsphinx_features(clip: Clip, tmp_path: Path) -> None:
    """Decoding our MFCC (process_cep) places the words where PocketSphinx's own front end
    (process_raw on the same samples) does."""
    import pocketsphinx as ps

    from toolkit.timing.features import mfcc
    from toolkit.timing.ffmpeg import decode_pcm

    pcm = np.frombuffer(b"".join(decode_pcm(clip.mp3)), dtype="<i2")
    rng = np.random.default_rng(0)
    dithered = np.clip(pcm + rng.normal(0, 10, len(pcm)), -32768, 32767).astype("<i2")
    text = "the ferry left the island at dawn most passengers were asleep on the benches wrapped in coats"
    end = clip.narration.spans[1][1] * 16 + 4000

    def words(raw: bool) -> list[tuple[str, int, int]]:
        d = ps.Decoder(lm=None, logfn="/dev/null", remove_noise=False)
        d.set_align_text(text)
        d.start_utt()
        if raw:
            d.process_raw(dithered[:end].tobytes(), full_utt=True)
        else:
            d.process_cep(mfcc(dithered[:end]).tobytes(), full_utt=True)
        d.end_utt()
        return [(s.word, s.start_frame, s.end_frame) for s in d.seg() if not s.word.startswith(("<", "["))]

    theirs, ours = words(True), words(False)
    assert [w for w, _, _ in theirs] == [w for w, _, _ in ours]
    diffs = [abs(a[1] - b[1]) for a, b in zip(theirs, ours)]
    assert np.mean(diffs) <= 1.5 and max(diffs) <= 10, diffs


def test_festival_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from toolkit.errors import ToolMissingError

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ToolMissingError, match="festival"):
        cases.festival_clips([("Hello.", "kal", 1.0)], tmp_path)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_word_aligners_are_deterministic(lang: str, festival_clip: WordClip, german_clip: WordClip) -> None:
    c = festival_clip if lang == "en" else german_clip
    tr = transcript_of(c.sentences, lang)
    info = audio_info(c.mp3)
    assert time_transcript(tr, c.mp3, info) == time_transcript(tr, c.mp3, info)


def test_espeak_library_present() -> None:
    from toolkit.timing import espeak

    if not espeak.available():
        skip_or_fail("libespeak-ng not installed (scripts/setup installs espeak-ng)")
    samples, rate, words = espeak.synthesize_words("Hello there, world.", voice="en")
    assert rate == 22050 and len(samples) > rate // 2
    assert [w.char_start for w in words] == [0, 6, 13]
    assert words[0].start_ms < words[1].start_ms < words[2].start_ms
