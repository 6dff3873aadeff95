"""``time_transcript``: give every sentence (and, where an aligner ran, every word) its time.

Which method times an untimed transcript, by measured accuracy
(bench/bench_align.py, mean sentence-boundary error on natural speech):

==============  ==============================================  ===============
method          when                                            natural gaps
==============  ==============================================  ===============
``forced``      English, PocketSphinx installed (:mod:`.sphinx`)  15 ms
``tts-dtw``     a language espeak-ng speaks (:mod:`.dtw`)         16 ms (en)
``pauses``      anything else: pauses + text length (:mod:`.align`)  3.7 s
==============  ==============================================  ===============

The pause aligner is excellent on clean read speech with long pauses (5 ms)
and hopeless when pauses do not follow sentences, so it is the fallback only.

The audio is decoded once (:mod:`.analysis`; cached with its per-window
results by the audio's hash when a store is given).  Speech starts where the
VAD first hears speech (so a music intro is never part of a sentence).

**Anchors**: a sentence that arrives with a start time (an inline turn stamp
``[00:01:07] Host:``; ``end`` may be None) starts there — snapped to the speech
onset within −0.5/+1.5 s — and the text between two anchors is aligned within
the audio between them.  Sentences that arrive fully timed keep their times.

Low confidence is honest: stretches the aligner cannot vouch for are re-timed
proportionally between confident words (:mod:`.words`), listed in the
report, and surfaced by ``toolkit check`` and ``toolkit publish --strict-timing``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..build import AlignmentReport, AudioInfo
from ..errors import AudioError, ToolMissingError
from ..model import Sentence, Transcript, Word
from . import dtw, espeak, sphinx
from .align import (
    LOW_CONFIDENCE,
    PROPORTIONAL_CONFIDENCE,
    TIMED_SLACK_MS,
    Energies,
    _Timing,
    _with_chapters,
    align_sentences,
    format_clock,
    _low_confidence,
    _proportional,
)
from .analysis import AnalysisStore, AudioAnalysis, analyse
from .dtw import align_words as dtw_align
from .normalize import TextWord, spoken_weight, spoken_words
from .sphinx import align_words
from .windows import speech_onset
from .words import TimedWord, assemble

log = logging.getLogger(__name__)

__all__ = ["time_transcript", "choose_method", "METHODS"]

METHODS = ("forced", "tts-dtw", "pauses")
#: An anchor snaps to a speech onset this far before / after its stamp (ms).
ANCHOR_BEFORE_MS = 500
ANCHOR_AFTER_MS = 1500
_LEAD_FRAMES = 30  # start aligning this long before the first speech


def choose_method(language: str) -> tuple[str, str]:
    """(method, engine description) for untimed text in ``language`` on this machine."""
    base = language.lower().split("-")[0]
    if base == "en":
        if sphinx.available():
            return "forced", f"{sphinx.version()}, US-English model"
    if dtw.available(language):
        return "tts-dtw", f"espeak-ng {espeak.voice_for(language)} + DTW"
    return "pauses", "pause detection + text length"


@dataclass(frozen=True)
class _Group:
    """Sentences aligned together: global sentence indices and the audio they lie in (ms)."""

    sentences: tuple[int, ...]
    span: tuple[int, int]
    anchored: bool  # the first sentence's start is an anchor


def _snap_anchor(ms: int, analysis: AudioAnalysis) -> int:
    """The speech onset nearest an anchor (within −0.5/+1.5 s), else the anchor itself."""
    if analysis.speech is None:
        return ms
    prob = analysis.speech_prob()
    a = max(0, (ms - ANCHOR_BEFORE_MS) // 10)
    b = min(analysis.n_frames, (ms + ANCHOR_AFTER_MS) // 10)
    speaking = prob >= 0.5
    best: int | None = None
    for f in range(max(a, 1), b):
        if speaking[f] and not speaking[f - 1] and speaking[f:f + 10].all():
            if best is None or abs(f * 10 - ms) < abs(best * 10 - ms):
                best = f
    return best * 10 if best is not None else ms


def _groups(sentences: Sequence[Sentence], analysis: AudioAnalysis, total_ms: int) -> list[_Group]:
    """Cut the transcript at its anchors (see the module doc)."""
    groups: list[_Group] = []
    onset = speech_onset(analysis.speech_prob() if analysis.speech is not None else None, 0, analysis.n_frames)
    start_ms = max(0, (onset - _LEAD_FRAMES) * 10)
    current: list[int] = []
    cur_start, anchored = start_ms, False
    for i, s in enumerate(sentences):
        if s.timed:
            if current:
                groups.append(_Group(tuple(current), (cur_start, max(cur_start, s.start or 0)), anchored))
            current, cur_start, anchored = [], s.end or 0, False
            continue
        if s.start is not None:  # an anchor
            snapped = _snap_anchor(s.start, analysis)
            if current:
                groups.append(_Group(tuple(current), (cur_start, max(cur_start, snapped)), anchored))
            current, cur_start, anchored = [i], snapped, True
            continue
        current.append(i)
    if current:
        groups.append(_Group(tuple(current), (cur_start, total_ms), anchored))
    return groups


def _align_group(
    group: _Group, sentences: Sequence[Sentence], lang: str, method: str, analysis: AudioAnalysis,
    store: AnalysisStore | None,
) -> list[list[TimedWord]]:
    """Word times of one group's sentences (one list per sentence)."""
    words: list[TextWord] = []
    sentence_of: list[int] = []
    starts: list[bool] = []
    bounds: list[tuple[int, int]] = []
    for k, i in enumerate(group.sentences):
        ws = spoken_words(sentences[i].text, lang)
        bounds.append((len(words), len(ws)))
        words.extend(ws)
        sentence_of.extend([k] * len(ws))
        starts.extend(j == 0 for j in range(len(ws)))
    a = max(0, group.span[0] // 10)
    b = min(analysis.n_frames, max(a + 1, group.span[1] // 10))
    if method == "forced":
        hits = align_words(words, starts, analysis, (a, b), store=store)
    else:
        texts = [sentences[i].text for i in group.sentences]
        hits = dtw_align(words, bounds, texts, lang, analysis, (a, b), store=store)
    timed = assemble(words, hits, sentence_of, (a * 10, b * 10), method, lang)
    out: list[list[TimedWord]] = []
    for first, count in bounds:
        out.append(timed[first:first + count])
    if group.anchored and out and out[0]:
        # the anchor sentence starts at its (snapped) stamp unless the aligner found it nearby
        w0 = out[0][0]
        if abs(w0.start - group.span[0]) > ANCHOR_AFTER_MS:
            out[0][0] = replace(w0, start=group.span[0])
    return out


def _sentence_confidence(words: Sequence[TimedWord]) -> float:
    spoken = [w for w in words if w.end > w.start or w.retimed]
    if not spoken:
        return 1.0
    return round(sum(w.confidence for w in spoken) / len(spoken), 3)


_WordResult = tuple[list[Sentence], int, int, set[int]]
"""What :func:`_by_words` returns: sentences, re-timed stretches, anchors, re-timed sentence indices."""


def _by_words(
    transcript: Transcript, analysis: AudioAnalysis, total_ms: int, method: str, store: AnalysisStore | None,
) -> _WordResult:
    """Every sentence timed from its words.

    Returns (sentences, re-timed stretches, anchors, indices of sentences with re-timed words).
    """
    sentences = list(transcript.sentences)
    groups = _groups(sentences, analysis, total_ms)
    out = list(sentences)
    retimed = 0
    retimed_idx: set[int] = set()
    for g in groups:
        per = _align_group(g, sentences, transcript.language, method, analysis, store)
        prev_retimed = False
        for i, words in zip(g.sentences, per):
            if not words:
                at = out[i - 1].end if i and out[i - 1].end is not None else g.span[0]
                out[i] = replace(sentences[i], start=at, end=at, confidence=0.2)
                retimed_idx.add(i)
                continue
            start, end = words[0].start, max(w.end for w in words)
            any_retimed = any(w.retimed for w in words)
            if any_retimed and not prev_retimed:
                retimed += 1
            if any_retimed:
                retimed_idx.add(i)
            prev_retimed = any_retimed
            out[i] = replace(
                sentences[i],
                start=start,
                end=max(end, start),
                confidence=_sentence_confidence(words),
                words=tuple(Word(w.text, w.start, max(w.end, w.start)) for w in words),
            )
    anchors = sum(1 for g in groups if g.anchored)
    return out, retimed, anchors, retimed_idx


def _by_pauses(transcript: Transcript, analysis: AudioAnalysis, total_ms: int) -> tuple[list[Sentence], AlignmentReport]:
    """The pause aligner over each anchor group (sentence times only)."""
    sentences = list(transcript.sentences)
    lang = transcript.language
    speakers = [t.speaker for t in transcript.turns for _ in t.sentences]
    turn_ends = [i == len(t.sentences) - 1 for t in transcript.turns for i in range(len(t.sentences))]
    groups = _groups(sentences, analysis, total_ms)
    out = list(sentences)
    timings_all: list[_Timing] = []
    reports: list[AlignmentReport] = []
    for g in groups:
        a, b = g.span[0] // 10, max(g.span[0] // 10 + 1, min(analysis.n_frames, g.span[1] // 10))
        en = Energies(analysis.power[a:b], 10)
        idx = list(g.sentences)
        weights = [spoken_weight(sentences[i].text, lang) for i in idx]
        timings, rep = align_sentences(
            weights, en, turn_ends=[turn_ends[i] for i in idx], duration_ms=(b - a) * 10,
            speakers=[speakers[i] for i in idx],
        )
        off = a * 10
        for i, t in zip(idx, timings):
            out[i] = replace(sentences[i], start=t.start + off, end=t.end + off, confidence=t.confidence)
            timings_all.append(_Timing(t.start + off, t.end + off, t.confidence))
        reports.append(rep)
    methods = {r.method for r in reports}
    method = "proportional" if methods == {"proportional"} else "pauses"
    notes = "; ".join(dict.fromkeys(r.note for r in reports if r.note))
    report = AlignmentReport(
        method=method,
        candidates=sum(r.candidates for r in reports),
        speech_start=min((t.start for t in timings_all), default=None),
        speech_end=max((t.end for t in timings_all), default=None),
        mean_confidence=round(sum(t.confidence for t in timings_all) / len(timings_all), 3) if timings_all else 1.0,
        note=notes,
        low_confidence=_low_confidence(timings_all),
    )
    return out, report


def _rebuild(transcript: Transcript, sentences: Sequence[Sentence]) -> Transcript:
    it = iter(sentences)
    turns = tuple(replace(t, sentences=tuple(next(it) for _ in t.sentences)) for t in transcript.turns)
    return replace(transcript, turns=turns, chapters=_with_chapters(transcript, turns))


def _low_lines(sentences: Sequence[Sentence], retimed_words: set[int]) -> tuple[str, ...]:
    """Report lines for runs of low-confidence sentences (1-based numbers)."""
    out: list[str] = []
    i = 0
    n = len(sentences)
    while i < n:
        if sentences[i].confidence >= LOW_CONFIDENCE:
            i += 1
            continue
        j = i
        while j + 1 < n and sentences[j + 1].confidence < LOW_CONFIDENCE:
            j += 1
        worst = min(s.confidence for s in sentences[i:j + 1])
        label = f"sentence {i + 1}" if i == j else f"sentences {i + 1}–{j + 1}"
        how = ", re-timed proportionally" if any(k in retimed_words for k in range(i, j + 1)) else ""
        out.append(f"{label} ({format_clock(sentences[i].start or 0)}–{format_clock(sentences[j].end or 0)}): "
                   f"confidence {worst:.2f}{how}")
        i = j + 1
    return tuple(out)


def time_transcript(
    transcript: Transcript,
    audio_path: Path,
    info: AudioInfo,
    *,
    store: AnalysisStore | None = None,
    method: str | None = None,
) -> tuple[Transcript, AlignmentReport]:
    """Return the transcript with every sentence and chapter timed, and a report.

    ``store`` caches the audio analysis and the aligner windows (see
    :mod:`.analysis`); ``method`` forces one of :data:`METHODS` (default:
    :func:`choose_method`).

    Raises:
        AudioError: timed input ends more than 0.5 s after the audio, or the
            audio cannot be decoded for alignment (names the audio file).
    """
    audio_path = Path(audio_path)
    sentences = transcript.sentences
    if transcript.timed:
        _check_timed_end(transcript, audio_path, info)
        chapters = _with_chapters(transcript, transcript.turns)
        return replace(transcript, chapters=chapters), AlignmentReport(method="timed-input")
    if not sentences:
        return transcript, AlignmentReport(method="timed-input")
    try:
        analysis = analyse(audio_path, store=store)
    except AudioError as exc:
        raise AudioError(exc.message, path=audio_path, hint=exc.hint) from exc
    if analysis.n_frames == 0:
        raise AudioError("audio decoded to no samples", path=audio_path)
    total_ms = min(analysis.duration_ms, info.duration_ms) if info.duration_ms > 0 else analysis.duration_ms
    chosen, engine = choose_method(transcript.language) if method is None else (method, method)
    note = ""
    has_times = any(s.start is not None for s in sentences)
    if (analysis.speech is not None and chosen in ("forced", "tts-dtw") and not has_times
            and int((analysis.speech >= 128).sum()) < 50):
        # nothing a voice detector calls speech (noise, a tone, music only): no aligner can help
        return _proportional_all(transcript, total_ms, "no speech found in the audio (voice activity detector)")
    if chosen in ("forced", "tts-dtw"):
        try:
            words = _by_words(transcript, analysis, total_ms, chosen, store)
        except ToolMissingError as exc:
            note = f"{chosen} unavailable ({exc.message}); pause alignment instead"
            log.warning("%s: %s", audio_path, note)
            chosen = "pauses"
        else:
            return _word_level(transcript, audio_path, words, total_ms, chosen, engine, store, has_times)
    timed_p, report = _by_pauses(transcript, analysis, total_ms)
    report = replace(report, engine="pause detection + text length" if report.method == "pauses"
                     else "text length only", note="; ".join(x for x in (note, report.note) if x))
    _log_low(audio_path, report)
    return _rebuild(transcript, timed_p), report


def _word_level(transcript: Transcript, audio_path: Path, words: _WordResult, total_ms: int, chosen: str,
                engine: str, store: AnalysisStore | None, has_times: bool) -> tuple[Transcript, AlignmentReport]:
    """The transcript and report of word-level timing by ``chosen`` (``forced`` or ``tts-dtw``),
    from what :func:`_by_words` found."""
    timed, retimed, anchors, retimed_idx = words
    if store is not None:
        store.flush_windows()
    if len(retimed_idx) == len(timed) and not has_times:
        return _proportional_all(transcript, total_ms, "the text matches the speech nowhere")
    out = _rebuild(transcript, timed)
    conf = [s.confidence for s in timed]
    spans = [s.start for s in timed if s.start is not None]
    report = AlignmentReport(
        method=chosen,
        engine=engine,
        low_confidence=_low_lines(timed, retimed_idx),
        speech_start=min(spans) if spans else None,
        speech_end=max((s.end for s in timed if s.end is not None), default=None),
        mean_confidence=round(float(np.mean(conf)), 3) if conf else 1.0,
        words=True,
        retimed=retimed,
        anchors=anchors,
    )
    _log_low(audio_path, report)
    return out, report


def _proportional_all(transcript: Transcript, total_ms: int, note: str) -> tuple[Transcript, AlignmentReport]:
    """Every sentence spread by spoken length over the whole audio (low confidence)."""
    sentences = transcript.sentences
    weights = [spoken_weight(s.text, transcript.language) for s in sentences]
    timings = _proportional(weights, (0, total_ms))
    out = [replace(s, start=t.start, end=t.end, confidence=PROPORTIONAL_CONFIDENCE, words=())
           for s, t in zip(sentences, timings)]
    log.info("proportional timing: %s", note)
    report = AlignmentReport(
        method="proportional", engine="text length only", note=note, speech_start=0, speech_end=total_ms,
        mean_confidence=PROPORTIONAL_CONFIDENCE, low_confidence=_low_confidence(timings),
    )
    return _rebuild(transcript, out), report


def _log_low(audio_path: Path, report: AlignmentReport) -> None:
    for line in report.low_confidence:
        log.info("%s: low alignment confidence: %s", audio_path, line)


def _check_timed_end(transcript: Transcript, audio_path: Path, info: AudioInfo) -> None:
    end = transcript.end
    if end <= info.duration_ms + TIMED_SLACK_MS:
        return
    # Also point at the transcript line of the first cue past the end, so
    # the producer can tell a wrong/truncated audio file from a bad cue.
    late = next((s for s in transcript.sentences if s.end is not None
                 and s.end > info.duration_ms + TIMED_SLACK_MS), None)
    where = transcript.source.name if transcript.source else "the transcript"
    if late is not None and late.line is not None:
        where += f":{late.line}"
    raise AudioError(
        f"audio is {format_clock(info.duration_ms)} ({info.duration_ms} ms) long but the "
        f"transcript ends at {format_clock(end)} ({end} ms)",
        path=audio_path,
        hint=f"first cue past the end of the audio: {where}; check that this is the right, "
             "complete audio file",
    )
