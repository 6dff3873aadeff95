"""Benchmark: segmentation of a 3-hour, ~30 000-word transcript.

Builds a synthetic, timed transcript (sentences of 4–40 words drawn from a fixed
word list with a seeded RNG, 2.75 words/s (165 wpm), pauses between sentences, a new
speaker turn every few sentences, chapters), then times:

* ``segment()`` (the dynamic-programme cue splitter, line wrapping, retiming,
  ids) — target < 1 s;
* ``check()`` on the result;
* two baselines measured in the same run: tokenising the same text with
  :func:`toolkit.segment.breaks.tokenize` (the floor any rule-based splitter
  pays), and a naive greedy splitter (fill 2 × 42 characters, break at the
  last space) as the prototype did.

Prints absolute times and ratios against the baselines (best of ``--repeat``).

    .venv/bin/python bench/bench_segment.py [--words 30000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from toolkit import segment
from toolkit.model import Chapter, Sentence, Transcript, Turn
from toolkit.segment.breaks import tokenize

WORDS = (
    "the province has ranked first in country for two reasons it lifted most people out of extreme "
    "poverty and led digital economy five consecutive years reporter sat down with vice governor to "
    "find how inland is punching well above its weight plan will set blueprint economic development "
    "next goal take new level which organize overall situation high-quality concept under premise "
    "ensuring quality we maintain rapid growth target our rate should not be lower than national "
    "average create another golden decade construction ecological civilization air county-level "
    "green accounts more percent total output living standards must based on meet needs better life "
    "consider factors such as basic public services employment social environment strive open up "
    "actively strengthen international cooperation continue go participate build transportation hub "
    "southwest region radiating attracting elements final toward through comprehensive building rule "
    "law establishment socialist core values promote red culture 2,500 98.99 million 650% U.S."
).split() + ("a the of to and in is it we that for on was as with he be at by this had not are but from or "
             "have an they which one you were her all she there would their").split() * 3
NAMES = ["Guizhou Province", "Xi Jinping", "Li Zaiyong", "Sanhe Village", "Belt and Road Initiative"]


def build_transcript(n_words: int, seed: int = 7) -> Transcript:
    rng = random.Random(seed)
    turns: list[Turn] = []
    chapters: list[Chapter] = []
    t = 1_000
    words = 0
    speakers = ["Ana Ruiz", "Li Wei", None]
    while words < n_words:
        if len(turns) % 25 == 0:
            chapters.append(Chapter(f"Chapter {len(chapters) + 1}", start=t))
        sentences: list[Sentence] = []
        for _ in range(rng.randint(1, 6)):
            n = rng.choice([3, 5, 8, 12, 16, 20, 25, 30, 40])
            ws = [rng.choice(WORDS) for _ in range(n)]
            if rng.random() < 0.3:
                ws.insert(rng.randrange(len(ws)), rng.choice(NAMES))
            if n > 10 and rng.random() < 0.5:
                ws[n // 2] += ","
            text = " ".join(ws)
            text = text[0].upper() + text[1:] + rng.choice([".", ".", "?", "!"])
            dur = int(len(ws) / 2.75 * 1000)  # 165 wpm: 30 000 words ≈ 3 h
            sentences.append(Sentence(text, t, t + dur))
            t += dur + rng.choice([150, 300, 600, 1200])
            words += len(ws)
        turns.append(Turn(rng.choice(speakers), tuple(sentences), chapter=len(chapters) - 1))
    return Transcript("en", tuple(turns), tuple(chapters))


def greedy(tr: Transcript, width: int = 84) -> int:
    """The prototype's greedy splitter: fill up to 2 × 42 characters, cut at the last space."""
    n = 0
    for turn in tr.turns:
        for s in turn.sentences:
            line = ""
            for w in s.text.split():
                if line and len(line) + 1 + len(w) > width:
                    n += 1
                    line = w
                else:
                    line = f"{line} {w}" if line else w
            n += 1 if line else 0
    return n


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=30_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tr = build_transcript(args.words)
    sents = tr.sentences
    n_words = sum(len(s.text.split()) for s in sents)
    print(f"transcript: {n_words} words, {len(sents)} sentences, {len(tr.turns)} turns, "
          f"{tr.end / 3_600_000:.2f} h")
    t_tok, _ = best_of(args.repeat, lambda: [tokenize(s.text, lang="en") for s in sents])
    t_greedy, n_greedy = best_of(args.repeat, lambda: greedy(tr))
    t_seg, cues = best_of(args.repeat, lambda: segment.segment(tr, slug="bench"))
    assert isinstance(cues, tuple)
    t_qc, issues = best_of(args.repeat, lambda: segment.check(cues, lang="en"))
    assert isinstance(issues, list)
    errors = sum(1 for i in issues if i.severity == "error")
    print(f"segment():          {t_seg * 1000:8.1f} ms  -> {len(cues)} cues "
          f"({errors} QC errors, {len(issues) - errors} warnings)")
    print(f"check():            {t_qc * 1000:8.1f} ms")
    print(f"baseline tokenize:  {t_tok * 1000:8.1f} ms  (segment/tokenize = {t_seg / t_tok:.1f}x)")
    print(f"baseline greedy:    {t_greedy * 1000:8.1f} ms  -> {n_greedy} cues "
          f"(segment/greedy = {t_seg / t_greedy:.1f}x)")
    print(f"target < 1 s: {'met' if t_seg < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
