"""Generated WebVTT checked by a spec-following parser (npm webvtt-parser,
run through tests/js/validate_vtt.js)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from toolkit import segment
from toolkit.model import Sentence, Transcript, Turn
from toolkit.publish import subtitles as S

from test_subtitles import CUES, NOTE

pytestmark = pytest.mark.node

SCRIPT = Path(__file__).resolve().parents[1] / "js" / "validate_vtt.js"


def _validate(node_modules: Path, *files: Path) -> tuple[int, list[dict]]:
    proc = subprocess.run(["node", str(SCRIPT), *map(str, files)], capture_output=True, text=True,
                          cwd=node_modules.parent, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)["files"]


def test_generated_vtt_has_no_errors(node_modules: Path, tmp_path: Path) -> None:
    hand = tmp_path / "hand.vtt"
    hand.write_text(S.to_vtt(CUES, notes=[NOTE]), encoding="utf-8")
    texts = ["R&D costs < 5% of GDP <script>alert(1)</script> & more --> here.",
             "Xi Jinping visited Sanhe Village; 98.99 million people & 2,500 meters <b>.",
             "A normal sentence follows, long enough to need two lines of text in the cue."]
    sents = tuple(Sentence(t, k * 6000, k * 6000 + 5000) for k, t in enumerate(texts))
    cues = segment.segment(Transcript("en", (Turn("Ana <A&B>", sents[:2]), Turn("Li", sents[2:]))), slug="ep9")
    seg = tmp_path / "segmented.vtt"
    seg.write_text(S.to_vtt(cues), encoding="utf-8")
    rc, files = _validate(node_modules, hand, seg)
    assert rc == 0, files
    for f, expected in zip(files, (CUES, cues)):
        assert f["errors"] == []
        # The parser sees exactly our cues, ids, times and (decoded) text.
        assert [c["id"] for c in f["cues"]] == [c.id for c in expected]
        assert [(round(c["start"] * 1000), round(c["end"] * 1000)) for c in f["cues"]] == [
            (c.start, c.end) for c in expected]
        assert [c["text"] for c in f["cues"]] == ["\n".join(c.lines) for c in expected]


def test_broken_vtt_is_reported(node_modules: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.vtt"
    # What webvtt-py 0.6 would write for the hostile text: raw "&" and "<".
    bad.write_text("WEBVTT\n\nc1\n00:00:01.000 --> 00:00:02.000\nR&D costs < 5% of GDP <script>\n\n"
                   "c2\n00:00:03.000 --> 00:00:02.500\nbackwards\n", encoding="utf-8")
    rc, files = _validate(node_modules, bad)
    assert rc == 1
    messages = [e["message"] for e in files[0]["errors"]]
    assert any("escape" in m.lower() for m in messages), messages
    assert any("timestamp" in m.lower() for m in messages), messages
    # And the parser really loses the text after the bare "<", as browsers do.
    assert "<script>" not in files[0]["cues"][0]["text"]


@pytest.mark.seeds
def test_seed_vtt_has_no_errors(node_modules: Path, seeds_dir: Path, tmp_path: Path) -> None:
    """Both commissioned transcripts, segmented and written: the validator
    finds nothing and reads every cue back."""
    from toolkit import ingest
    from toolkit.model import replace

    files, expected = [], []
    for seed in sorted(seeds_dir.glob("*.txt")):
        tr = ingest.read_transcript(seed, language="en")
        t, turns = 0, []
        for turn in tr.turns:  # 15 characters a second, 0.4 s pauses
            sents = []
            for s in turn.sentences:
                sents.append(replace(s, start=t, end=t + len(s.text) * 1000 // 15))
                t = sents[-1].end + 400
            turns.append(replace(turn, sentences=tuple(sents)))
        cues = segment.segment(replace(tr, turns=tuple(turns)), slug="seed")
        out = tmp_path / f"{seed.stem}.vtt"
        out.write_text(S.to_vtt(cues, notes=[NOTE]), encoding="utf-8")
        files.append(out)
        expected.append(cues)
    rc, parsed = _validate(node_modules, *files)
    assert rc == 0, [f["errors"] for f in parsed]
    for f, cues in zip(parsed, expected):
        assert [c["id"] for c in f["cues"]] == [c.id for c in cues]
        assert [c["text"] for c in f["cues"]] == ["\n".join(c.lines) for c in cues]
