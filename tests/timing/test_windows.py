"""The window walk of the word aligners: bounded windows, commits pulled to fixed grid points,
so an edit changes the windows around it and none after the next grid point."""

from __future__ import annotations

from toolkit.timing.windows import GRID, WindowPlan, WordHit, kept_frames, speech_onset, walk

import numpy as np


def fake_audio(n_words: int, seed: int = 0) -> list[tuple[int, int]]:
    """Where each word 'is' in a fake recording: 25–45 frames long, 0–30 frame gaps."""
    rng = np.random.default_rng(seed)
    out, pos = [], 50
    for _ in range(n_words):
        d = int(rng.integers(25, 45))
        out.append((pos, pos + d))
        pos += d + int(rng.integers(0, 30))
    return out


def aligner_for(truth: list[tuple[int, int]], calls: list[WindowPlan]):  # type: ignore[no-untyped-def]
    """A perfect aligner: places the plan's words that start inside its frames."""
    def align(plan: WindowPlan) -> list[WordHit]:
        calls.append(plan)
        hits = []
        for k in range(plan.first, plan.first + plan.count):
            a, b = truth[k]
            if a < plan.start or a >= plan.end:
                break
            hits.append(WordHit(k, a, min(b, plan.end), 0.0))
        return hits
    return align


def capacity(first: int, frames: int, minimum: int) -> int:
    return max(minimum, frames // 20)


def test_walk_places_every_word_once() -> None:
    truth = fake_audio(600)
    calls: list[WindowPlan] = []
    hits = walk(len(truth), (0, truth[-1][1] + 100), capacity, aligner_for(truth, calls))
    assert [(h.start, h.end) for h in hits] == truth  # type: ignore[union-attr]
    assert all(p.end - p.start <= 2 * GRID for p in calls)  # bounded windows
    assert calls[-1].final


def test_an_edit_changes_no_window_after_the_next_grid_point() -> None:
    """A word added in the middle (text and speech): the windows after the next grid point
    start at the same frames with the same text (their cached results are reused)."""
    truth = fake_audio(600)
    stop = truth[-1][1] + 100
    before: list[WindowPlan] = []
    walk(len(truth), (0, stop), capacity, aligner_for(truth, before))
    k = 300
    a, b = truth[k]
    edited = truth[:k] + [(a, a + 12), (a + 12, b)] + truth[k + 1:]  # one word said as two
    after: list[WindowPlan] = []
    walk(len(edited), (0, stop), capacity, aligner_for(edited, after))
    # a window's result is cached under its frames and its words' text: it is reused
    # unless its frames moved or its words include the edit
    old = {(p.start, p.end, tuple(range(p.first, p.first + p.count))) for p in before}

    def reused(p: WindowPlan) -> bool:
        words = range(p.first, p.first + p.count)
        if k in words or k + 1 in words:
            return False
        shift = 1 if p.first > k else 0
        return (p.start, p.end, tuple(w - shift for w in words)) in old

    redone = [p for p in after if not reused(p)]
    assert 1 <= len(redone) <= 6, redone  # windows whose (look-ahead) text holds the edit
    assert all(reused(p) for p in after if p.start > redone[-1].end)
    assert len(after) >= 14 and len(redone) < len(after) / 2


def test_kept_frames_cut_long_non_speech() -> None:
    speech = np.ones(1000)
    speech[200:600] = 0.0  # 4 s of music or silence
    speech[700:760] = 0.0  # 0.6 s: a pause, kept
    idx = kept_frames(speech, 0, 1000)
    assert 229 in idx and 570 in idx and 230 not in idx and 569 not in idx
    assert all(f in idx for f in range(700, 760))
    assert speech_onset(speech, 200, 1000) == 600
    assert np.array_equal(kept_frames(None, 10, 20), np.arange(10, 20))
