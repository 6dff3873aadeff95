"""The commissioned transcripts (../shared/seeds) through ingest → segment.

Skips when the seeds are absent or ingest is still a stub.  Timing comes from
a simple speech-rate model rather than the audio aligner, so the test measures
segmentation alone: 150 words a minute over the whole transcript, spread over
the sentences by letter count (as the timing stage's text weight does), with
0.4 s between sentences and 0.8 s between turns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import ingest, segment
from toolkit.model import Cue, Sentence, Transcript, Turn, replace

pytestmark = pytest.mark.seeds

PROTECTED = ["Xi Jinping", "Li Zaiyong", "Ma Ke", "Sanhe Village", "Belt and Road Initiative"]
NO_BREAK_AFTER = {"a", "an", "the"}


def _read(path: Path) -> Transcript:
    return ingest.read_transcript(path, language="en")


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def _time(tr: Transcript, wpm: float = 150.0) -> Transcript:
    words = sum(len(s.text.split()) for s in tr.sentences)
    ms_per_letter = words * 60_000 / wpm / max(1, sum(_letters(s.text) for s in tr.sentences))
    t = 500
    turns = []
    for turn in tr.turns:
        sents = []
        for s in turn.sentences:
            dur = int(_letters(s.text) * ms_per_letter)
            sents.append(replace(s, start=t, end=t + dur))
            t += dur + 400
        t += 400
        turns.append(Turn(turn.speaker, tuple(sents), turn.chapter))
    return replace(tr, turns=tuple(turns))


def _segment(seeds_dir: Path) -> list[tuple[str, tuple[Cue, ...]]]:
    out = []
    for path in sorted(seeds_dir.glob("*.txt")):
        tr = _time(_read(path))
        out.append((path.name, segment.segment(tr, slug=path.stem.replace("_", "-"))))
    return out


def test_seeds_pass_qc(seeds_dir: Path) -> None:
    for name, cues in _segment(seeds_dir):
        issues = segment.check(cues, lang="en")
        bad = {i.cue for i in issues if i.severity == "error"}
        assert cues, name
        assert (len(cues) - len(bad)) / len(cues) >= 0.99, (name, [i for i in issues if i.severity == "error"])
        assert len({c.id for c in cues}) == len(cues)


def test_seeds_respect_line_breaking_rules(seeds_dir: Path) -> None:
    for name, cues in _segment(seeds_dir):
        for c in cues:
            for line in c.lines[:-1]:
                assert line.split()[-1].lower() not in NO_BREAK_AFTER, (name, c.lines)
        # Protected names are never cut across lines or across cues.
        for a, b in [(x, y) for c in cues for x, y in zip(c.lines, c.lines[1:])] + [
                (x.lines[-1], y.lines[0]) for x, y in zip(cues, cues[1:])]:
            joined = f"{a} {b}"
            for phrase in PROTECTED:
                at = joined.find(phrase)
                while at >= 0:
                    assert not at < len(a) < at + len(phrase), (name, a, b)
                    at = joined.find(phrase, at + 1)


def test_seed_text_is_kept_whole(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        tr = _time(_read(path))
        cues = segment.segment(tr, slug="s")
        words = [w for s in tr.sentences for w in s.text.split()]
        assert [w for c in cues for w in c.text.split()] == words
        assert all(isinstance(s, Sentence) for s in tr.sentences)
