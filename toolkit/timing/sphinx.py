"""English word alignment with PocketSphinx 5 (its US-English model ships in the wheel).

For each window (:mod:`.windows`) a finite-state grammar is built from the
window's words: word after word, each word one path per spoken alternative
(:mod:`.normalize`: "2017" → "twenty seventeen" | "two thousand seventeen"),
optional silence and noise between words (PocketSphinx adds those), and a
null transition from every word end to the final state so the search may stop
anywhere (the window ends mid-text).  The cached MFCC of the window go in
through ``process_cep`` (no audio decode), and the word segmentation comes back
with frame times and acoustic scores.

Words missing from the CMU dictionary get espeak-ng's pronunciation mapped to
ARPAbet (:mod:`.lexicon`).

The score of a word is its acoustic score per frame (natural log).
PocketSphinx normalises every frame's senone scores by the best senone of that
frame, so this is how far the path through *these* phones falls behind the
best phones of the model at each frame — close to 0 where the text matches the
speech, far below where it does not (used for confidence, :mod:`.words`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sys
from importlib.metadata import version as v
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ToolMissingError
from .analysis import AnalysisStore, AudioAnalysis
from .espeak import phonemes
from .lexicon import PHONES, fallback_pronunciation, ipa_to_arpabet
from .normalize import TextWord
from .windows import WindowPlan, WordHit, kept_frames, walk, window_key

log = logging.getLogger(__name__)

__all__ = ["available", "version", "align_words", "SphinxAligner", "PHONES_PER_SECOND"]

HINT = "pip install pocketsphinx (scripts/setup installs it)"
#: Capacity of a window: phones per second of a fast speaker, with margin.
PHONES_PER_SECOND = 24.0

_FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "<unk>"}
GARBAGE_PREFIX = "__"
#: Cost (natural log) of one phone of speech the text does not have, and of
#: skipping a sentence the audio does not have.  Text that matches the audio
#: always beats them (bench_align's mismatch checks in tests/timing).
GARBAGE_LN = -25.0
#: Speech the text does not have is absorbed by the model's own context-independent
#: noise phones (+SPN+, +NSN+).  A loop of every ordinary phone ("all") fits unscripted
#: speech a little better, but PocketSphinx expands each one-phone word into every
#: left/right context: a window with such loops took minutes instead of a second.
GARBAGE_MODE = "filler"
#: Search beams of the ordinary pass (PocketSphinx's defaults are 1e-48 / 7e-29 / 1e-48):
#: the defaults pruned the right path of a 26 s window of the commissioned narration
#: (every later sentence drifted by up to 80 s); these cost ~25 % more time.
BEAMS = {"beam": 1e-64, "wbeam": 1e-48, "pbeam": 1e-64}
#: The robust pass (skippable sentences, noise loops) keeps the default beams and a cap
#: on active HMMs per frame, so its search is bounded whatever the text and the audio.
ROBUST_BEAMS = {"beam": 1e-48, "wbeam": 7e-29, "pbeam": 1e-48, "maxhmmpf": 3000}
#: A sentence whose words score below this (ln per frame) sends its window to the robust grammar.
SUSPECT = -3.0
SUSPECT_MARGIN = 1.5
DESYNC = -4.5
#: A phone of each broad class: vowels front/back/central, nasal, fricatives, stop, liquid.
BROAD_PHONES = ("AA", "IY", "UW", "AH", "ER", "N", "M", "S", "SH", "F", "T", "K", "L", "R")
SKIP_LN = -40.0
#: ... and of skipping one word of a suspect sentence (an edited transcript adds words).
WORD_SKIP_LN = -20.0
_WINDOW_FORMAT = 2  # 2: beams, noise-phone garbage


def available() -> bool:
    """True when PocketSphinx imports."""
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def version() -> str:
    try:
        return f"pocketsphinx {v('pocketsphinx')}"
    except Exception:  # noqa: BLE001
        return "pocketsphinx"


@dataclass
class _Entry:
    word: str
    phones: tuple[str, ...]


class SphinxAligner:
    """One decoder (acoustic model and dictionary loaded once per process)."""

    def __init__(self, *, robust: bool = False) -> None:
        try:
            import pocketsphinx as ps
        except ImportError as exc:
            raise ToolMissingError("pocketsphinx is not installed", hint=HINT) from exc
        self._ps = ps
        # (PocketSphinx adds optional silence and noise between the grammar's words)
        self.decoder = ps.Decoder(lm=None, logfn=os.devnull, **(ROBUST_BEAMS if robust else BEAMS))
        self.logmath = self.decoder.get_logmath()
        self._known: dict[str, tuple[str, ...] | None] = {}
        self._garbage: list[str] = []
        self._n = 0

    # ------------------------------------------------------------------ pronunciations
    def pronunciation(self, word: str) -> tuple[str, ...]:
        """The phones of ``word`` (adding it to the dictionary when it is missing)."""
        if word in self._known:
            return self._known[word] or ()
        found = self.decoder.lookup_word(word)
        if found:
            phones = tuple(found.split())
        else:
            phones = self._guess(word)
            self.decoder.add_word(word, " ".join(phones), True)
            log.debug("pronunciation for %r: %s", word, " ".join(phones))
        self._known[word] = phones
        return phones

    @staticmethod
    def _guess(word: str) -> tuple[str, ...]:
        try:
            phones = tuple(p for p in ipa_to_arpabet(phonemes(word, voice="en-us")) if p in PHONES)
        except ToolMissingError:
            phones = ()
        return phones or fallback_pronunciation(word)

    # ------------------------------------------------------------------ one window
    def _garbage_words(self) -> list[str]:
        """Words that absorb speech the text does not have (a small phone loop)."""
        if not self._garbage:
            mode = GARBAGE_MODE
            phones = {"all": sorted(PHONES), "broad": list(BROAD_PHONES), "filler": []}[mode]
            for phone in phones:
                word = f"{GARBAGE_PREFIX}{phone.lower()}"
                if self.decoder.lookup_word(word) is None:
                    self.decoder.add_word(word, phone, False)
                self._garbage.append(word)
            if mode == "filler":
                for f, ph in (("spn", "+SPN+"), ("nsn", "+NSN+")):
                    word = f"{GARBAGE_PREFIX}{f}"
                    self.decoder.add_word(word, ph, False)
                    self._garbage.append(word)
            self.decoder.add_word(f"{GARBAGE_PREFIX}sil", "SIL", True)
        return self._garbage

    def _grammar(
        self, words: Sequence[TextWord], starts: Sequence[bool], final: bool, robust: frozenset[int]
    ) -> Any:
        """The window's grammar (see the module doc).

        ``robust`` holds the ordinals (within the window) of sentences that may
        be skipped, with speech-absorbing garbage loops at their boundaries.
        """
        ps = self._ps
        lm = self.logmath
        g_logp = lm.ln_to_log(GARBAGE_LN)
        skip_logp = lm.ln_to_log(SKIP_LN)
        word_skip_logp = lm.ln_to_log(WORD_SKIP_LN)
        trans: list[tuple[int, int, str | None, int]] = []
        ends: list[int] = []
        boundaries: list[int] = []
        n = 1
        state = 0
        ordinal = -1
        sentence_state = 0

        def close_sentence() -> None:
            if ordinal in robust and state != sentence_state:
                trans.append((sentence_state, state, None, skip_logp))  # a sentence the audio does not have
            if ordinal in robust or ordinal + 1 in robust:
                boundaries.append(state)  # speech the text does not have, after this sentence

        for w, first in zip(words, starts):
            if first or ordinal < 0:
                close_sentence()
                ordinal += 1
                sentence_state = state
            end = n
            n += 1
            if not w.forms:
                trans.append((state, end, None, 0))
            elif ordinal in robust:
                trans.append((state, end, None, word_skip_logp))  # a word the audio does not have
            for form in w.forms:
                cur = state
                for k, token in enumerate(form):
                    if k == len(form) - 1:
                        nxt = end
                    else:
                        nxt = n
                        n += 1
                        ends.append(nxt)  # a window may end inside "four thousand five hundred"
                    trans.append((cur, nxt, token, 0))
                    cur = nxt
            ends.append(end)
            state = end
        if final or ordinal + 1 not in robust:
            close_sentence()
        final_state = n
        n += 1
        self._n += 1
        fsg = ps.FsgModel(f"w{self._n}", lm, 1.0, n)
        fsg.set_start_state(0)
        fsg.set_final_state(final_state)
        for src, dst, label, logp in trans:
            if label is None:
                fsg.null_trans_add(src, dst, logp)
            else:
                fsg.trans_add(src, dst, logp, fsg.word_add(label))
        if boundaries:
            garbage = [fsg.word_add(g) for g in self._garbage_words()]
            for b in dict.fromkeys(boundaries):
                for wid in garbage:
                    fsg.trans_add(b, b, g_logp, wid)
        # The search may stop after any word, in the last window too: forcing every
        # word in makes the whole window fail when the text has words the audio
        # does not (an edited sentence); words left over are re-timed honestly.
        fsg.null_trans_add(state, final_state, 0)
        for e in ends:
            fsg.null_trans_add(e, final_state, 0)
        return fsg

    def decode(
        self, feats: np.ndarray, words: Sequence[TextWord], starts: Sequence[bool], final: bool,
        robust: frozenset[int] = frozenset(),
    ) -> list[tuple[str, int, int, float]]:
        """Word segments (dictionary word, first frame, last frame + 1, ln ascore per frame)."""
        if len(feats) < 5:
            return []
        for w in words:
            for form in w.forms:
                for token in form:
                    self.pronunciation(token)
        fsg = self._grammar(words, starts, final, robust)
        # one search name, replaced by every window (the decoder drops the previous grammar)
        self.decoder.add_fsg("window", fsg)
        self.decoder.activate_search("window")
        self.decoder.start_utt()
        self.decoder.process_cep(np.ascontiguousarray(feats, dtype=np.float32).tobytes(), full_utt=True)
        self.decoder.end_utt()
        segs = list(self.decoder.seg() or [])
        out = []
        for s in segs:
            token = s.word.split("(")[0]
            if token in _FILLERS:
                continue
            if token.startswith(GARBAGE_PREFIX):
                token = GARBAGE_PREFIX
            frames = s.end_frame - s.start_frame + 1
            a = float(s.ascore)
            per = (math.log(a) if a > 0 else -710.0) / max(frames, 1)
            out.append((token, int(s.start_frame), int(s.end_frame) + 1, per))
        return out


def _parse(
    tokens: Sequence[str], words: Sequence[TextWord], starts: Sequence[bool]
) -> list[tuple[int, int]] | None:
    """Which decoded tokens belong to which text word: (first token, count) per word reached.

    The grammar guarantees the tokens (garbage removed) are one alternative of
    each word in order, except words and whole sentences it skipped; a small DP finds the
    split (alternatives can be prefixes of each other).  ``count`` 0: the word
    was skipped or is silent.  The last word may be a prefix of a form (the
    window ended inside it).
    """
    n, t = len(words), len(tokens)
    memo: dict[tuple[int, int], list[tuple[int, int]] | None] = {}
    next_start = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_start[i] = i if starts[i] else next_start[i + 1]

    def go(i: int, p: int) -> list[tuple[int, int]] | None:
        if p == t:
            return []
        if i == n:
            return None
        key = (i, p)
        if key in memo:
            return memo[key]
        res: list[tuple[int, int]] | None = None
        if not words[i].forms:
            rest = go(i + 1, p)
            res = None if rest is None else [(p, 0)] + rest
        else:
            for form in sorted(words[i].forms, key=len, reverse=True):
                if tuple(tokens[p:p + len(form)]) == form:
                    rest = go(i + 1, p + len(form))
                    if rest is not None:
                        res = [(p, len(form))] + rest
                        break
            if res is None:
                for form in sorted(words[i].forms, key=len, reverse=True):
                    if len(form) > t - p and tuple(tokens[p:]) == form[: t - p]:
                        res = [(p, t - p)]  # the window ended inside this word
                        break
        if res is None and words[i].forms:
            rest = go(i + 1, p)
            if rest is not None:
                res = [(p, 0)] + rest  # a skipped word
        if res is None and starts[i]:
            j = next_start[i + 1]
            rest = go(j, p)
            if rest is not None:
                res = [(p, 0)] * (j - i) + rest  # a skipped sentence
        memo[key] = res
        return res

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * (n + t) + 200))
    try:
        return go(0, 0)
    finally:
        sys.setrecursionlimit(limit)


@lru_cache(maxsize=2)
def _aligner(robust: bool = False) -> SphinxAligner:
    """The decoder of the ordinary pass, or of the robust pass (its own beams)."""
    return SphinxAligner(robust=robust)


def _phones(aligner: SphinxAligner, w: TextWord) -> int:
    if not w.forms:
        return 0
    return min(sum(len(aligner.pronunciation(t)) for t in form) for form in w.forms)


def align_words(
    words: Sequence[TextWord],
    starts: Sequence[bool],
    analysis: AudioAnalysis,
    span: tuple[int, int],
    *,
    store: AnalysisStore | None = None,
) -> list[WordHit | None]:
    """Place ``words`` in frames ``span`` of ``analysis`` (None for words no window placed).

    ``starts[i]`` is true when word *i* begins a sentence (the grammar may skip
    a whole sentence the audio does not have, and absorb speech the text does
    not have between sentences).
    """
    aligner = _aligner()
    phones = [_phones(aligner, w) for w in words]
    speech = analysis.speech_prob() if analysis.speech is not None else None

    def capacity(first: int, frames: int, minimum: int) -> int:
        budget = frames / 100.0 * PHONES_PER_SECOND
        acc, k = 0.0, first
        while k < len(words) and (acc < budget or k - first < minimum):
            acc += phones[k]
            k += 1
        return k - first

    def one(plan: WindowPlan) -> list[WordHit]:
        idx = kept_frames(speech, plan.start, plan.end)
        sub = words[plan.first: plan.first + plan.count]
        sub_starts = [True] + list(starts[plan.first + 1: plan.first + plan.count])
        key = None
        if store is not None:
            key = window_key([
                "sphinx", _WINDOW_FORMAT, version(), GARBAGE_MODE, sorted(BEAMS.items()), sorted(ROBUST_BEAMS.items()), GARBAGE_LN, SKIP_LN, WORD_SKIP_LN, SUSPECT, SUSPECT_MARGIN, DESYNC, plan.start, plan.end, plan.final,
                int(len(idx)), _digest(idx), [[list(f) for f in w.forms] for w in sub], sub_starts,
                [[aligner.pronunciation(t) for f in w.forms for t in f] for w in sub],
            ])
            hit = store.window(key)
            if hit is not None:
                return [WordHit(int(a), int(b), int(c), float(d)) for a, b, c, d in hit]
        feats = analysis.mfcc[idx]
        hits = _hits(aligner, feats, idx, sub, sub_starts, plan, robust=frozenset())
        end = int(idx[-1]) + 1 if len(idx) else 0
        if hits is None:  # the search found no path: every sentence may be the culprit
            suspects = set(_ordinals(sub_starts))
        else:
            suspects = _suspects(hits, sub_starts, plan.first, plan.final, end)
            last = plan.first + plan.count - 1
            if plan.final and hits and hits[-1].index < last:
                # the last window stopped short of the text: something before
                # the end did not fit; let the sentences from there be skipped
                ordinals = _ordinals(sub_starts)
                suspects |= set(range(ordinals[hits[-1].index - plan.first], ordinals[-1] + 1))
        if suspects:
            # text and speech disagree around these sentences (or the search failed):
            # let the grammar skip them and absorb unscripted speech next to them
            # (and at the window's start, in case an earlier window lost step)
            around = frozenset({0} | {c + d for c in suspects for d in (-1, 0, 1) if c + d >= 0})
            robust = _hits(_aligner(robust=True), feats, idx, sub, sub_starts, plan, robust=around)
            if robust is not None:
                hits = robust
        hits = hits or []
        if store is not None and key is not None:
            store.put_window(key, [[h.index, h.start, h.end, h.score] for h in hits])
        return hits

    return walk(len(words), span, capacity, one)


def _hits(
    aligner: SphinxAligner, feats: np.ndarray, idx: np.ndarray, sub: Sequence[TextWord],
    sub_starts: Sequence[bool], plan: WindowPlan, *, robust: frozenset[int],
) -> list[WordHit] | None:
    """Decode one window and map the segments back to text words and audio frames."""
    segs = [g for g in aligner.decode(feats, sub, sub_starts, plan.final, robust) if g[0] != GARBAGE_PREFIX]
    parsed = _parse([g[0] for g in segs], sub, sub_starts)
    if parsed is None or not segs:
        log.debug("alignment window %d–%d s (robust=%s): no usable segmentation", plan.start // 100,
                  plan.end // 100, robust)
        return None
    hits: list[WordHit] = []
    for k, (p, count) in enumerate(parsed):
        if count == 0:
            continue
        a = int(idx[min(segs[p][1], len(idx) - 1)])
        b = int(idx[min(segs[p + count - 1][2], len(idx)) - 1]) + 1
        frames = sum(segs[q][2] - segs[q][1] for q in range(p, p + count))
        score = sum(segs[q][3] * (segs[q][2] - segs[q][1]) for q in range(p, p + count)) / max(frames, 1)
        # rounded as the cache keeps it, so cached and fresh runs agree
        hits.append(WordHit(plan.first + k, a, b, round(score, 4)))
    return hits


def _ordinals(starts: Sequence[bool]) -> list[int]:
    """The sentence ordinal (within a window) of every word."""
    out: list[int] = []
    c = -1
    for k, st in enumerate(starts):
        if st or k == 0:
            c += 1
        out.append(c)
    return out


def _suspects(hits: Sequence[WordHit], starts: Sequence[bool], first: int, final: bool, end: int) -> set[int]:
    """Ordinals (in the window) of sentences whose words fit the speech badly.

    A sentence is suspect when its mean score is below :data:`SUSPECT` *and*
    :data:`SUSPECT_MARGIN` below the window's median sentence (a synthetic or
    unusual voice scores lower everywhere; only outliers matter); every
    sentence is, when the window's median itself is below :data:`DESYNC` (the
    text and the speech have lost each other).  Decided from the window alone,
    so a window's result depends on its own inputs only.
    """
    ordinal_of = _ordinals(starts)
    groups: dict[int, list[WordHit]] = {}
    for h in hits:
        groups.setdefault(ordinal_of[h.index - first], []).append(h)
    means: dict[int, float] = {}
    for c, g in groups.items():
        if not final and g[-1].end > end - 300:
            continue  # the sentence the window cuts: judged by the next window
        frames = sum(h.end - h.start for h in g)
        means[c] = sum(h.score * (h.end - h.start) for h in g) / max(frames, 1)
    if not means:
        return set()
    median = float(np.median(list(means.values())))
    if median < DESYNC:
        return set(means)
    return {c for c, m in means.items() if m < SUSPECT and m < median - SUSPECT_MARGIN}


def _digest(idx: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(idx, dtype=np.int64).tobytes()).hexdigest()[:16]
