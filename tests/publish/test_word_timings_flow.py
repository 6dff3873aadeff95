"""Word timings flow from the transcript to the page by themselves: an episode whose transcript
is Whisper JSON (openai-whisper's ``word_timestamps=True`` layout: segments with ``words[]``,
words with a leading space and a probability, diarised speakers) is published through the real
pipeline, and its source-language page carries every word's start as ``data-w``; the
translation's page (other words) does not.  When the aligner (issue 8) fills
``Sentence.words`` for untimed text, the same path carries them.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from toolkit import config, pipeline

REPO = Path(__file__).resolve().parents[2]
SLUG = "darning-a-sweater"


def whisper_from_srt(srt: str) -> tuple[dict[str, object], list[tuple[str, int]]]:
    """A Whisper document of the SRT's lines, words spread over each cue in proportion to their
    length, and every word's (text, start ms)."""
    segments: list[dict[str, object]] = []
    words_out: list[tuple[str, int]] = []
    for block in srt.strip().split("\n\n"):
        lines = block.splitlines()
        a, b = (sum(float(x) * f for x, f in zip(t.replace(",", ".").split(":"), (3600, 60, 1), strict=True))
                for t in lines[1].split(" --> "))
        text = " ".join(lines[2:])
        speaker = "SPEAKER_00"
        label = re.match(r"^(\w+): ", text)
        if label:
            text = text[label.end():]
        words = text.split()
        total = sum(len(w) + 1 for w in words)
        at, out = 0, []
        for w in words:
            start = a + (b - a) * at / total
            at += len(w) + 1
            end = a + (b - a) * at / total
            out.append({"word": " " + w, "start": round(start, 3), "end": round(end - 0.02, 3), "probability": 0.93})
            words_out.append((w, round(round(start, 3) * 1000)))
        segments.append({"id": len(segments), "seek": 0, "start": a, "end": b, "text": " " + text, "tokens": [],
                         "temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 1.3,
                         "no_speech_prob": 0.01, "speaker": speaker, "words": out})
    return {"text": " ".join(str(s["text"]) for s in segments), "segments": segments, "language": "en"}, words_out


def test_whisper_word_times_reach_the_page(tmp_path: Path) -> None:
    root = tmp_path / "show"
    root.mkdir()
    shutil.copy2(REPO / "show.toml", root / "show.toml")
    shutil.copy2(REPO / "cover.png", root / "cover.png")
    folder = root / "episodes" / SLUG
    shutil.copytree(REPO / "episodes" / SLUG, folder)
    doc, words = whisper_from_srt((folder / "transcript.srt").read_text(encoding="utf-8"))
    (folder / "transcript.srt").unlink()
    (folder / "transcript.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    show = config.load_show(root)
    pipeline.publish_episode(show, SLUG, languages=["qps-ploc"])

    page = (show.feeds_dir / "episodes" / SLUG / "en" / "index.html").read_text(encoding="utf-8")
    cues = re.findall(r'<span class="cue" id="[^"]+" data-m="(\d+)" data-d="\d+"(?: data-w="([^"]*)")?>([^<]*)</span>',
                      page)
    assert len(cues) >= 20
    timed = [(int(m), [int(x) for x in w.split()], html.unescape(t)) for m, w, t in cues if w]
    assert len(timed) >= 0.9 * len([c for c in cues if len(c[2].split()) > 1])  # every line of several words
    starts = {}
    for text, ms in words:
        starts.setdefault(text, []).append(ms)
    for m, offsets, text in timed:
        tokens = text.split()
        assert len(offsets) == len(tokens)
        assert offsets == sorted(offsets) and offsets[0] == 0
        for token, offset in zip(tokens[1:], offsets[1:], strict=True):
            # each word starts where Whisper said (a cue may start before its first word: lead-in)
            assert any(abs(m + offset - s) <= 1 for s in starts[token]) or offset == 0, (text, token, offset)
    ploc = (show.feeds_dir / "episodes" / SLUG / "qps-ploc" / "index.html").read_text(encoding="utf-8")
    assert "data-w=" not in ploc  # other words: the page estimates them
