"""Word timings flow on: cues cut on the words' own times, every sentence keeps its start
inside a shared cue, word-level transcript JSON; low confidence is visible in
``toolkit check`` and fails ``toolkit publish --strict-timing``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.sitekit import make_cover

from toolkit.cli import main
from toolkit.model import Sentence, Transcript, Turn, Word
from toolkit.publish.subtitles import to_transcript_json
from toolkit.segment import segment
from support.synth import encode, synthesize, write_wav


def worded(text: str, start: int, step: int = 300, gap: int = 40) -> Sentence:
    """A sentence whose words come with their own (uneven) times."""
    words = []
    t = start
    for k, w in enumerate(text.split()):
        d = step + (k % 3) * 70
        words.append(Word(w, t, t + d))
        t += d + gap
    return Sentence(text, start, words[-1].end, words=tuple(words))


def test_cues_cut_on_word_times_and_keep_sentence_starts() -> None:
    s1 = worded("Short one.", 1000)
    s2 = worded("Then a second short sentence.", s1.end + 100)
    s3 = worded("And a third sentence that is long enough to need a cue of its own, or even two of them "
                "because it keeps going for quite a while longer.", s2.end + 900)
    tr = Transcript(language="en", turns=(Turn("Ana", (s1, s2, s3)),))
    cues = segment(tr, slug="ep")
    shared = next(c for c in cues if len(c.sentences) > 1)
    assert shared.sentences[:2] == (0, 1)
    # the second sentence starts inside the cue at its own first word's time
    assert shared.sentence_starts[:2] == (s1.start, s2.start)
    all_words = {(w.text, w.start, w.end) for s in (s1, s2, s3) for w in s.words}
    for cue in cues:
        assert cue.word_timings, cue.text
        assert [w.text for w in cue.words] == cue.text.split()
        assert all((w.text, w.start, w.end) in all_words for w in cue.words)
    # a cut inside the long sentence falls between two words, at their times
    long_cues = [c for c in cues if c.sentences == (2,)]
    for a, b in zip(long_cues, long_cues[1:]):
        assert a.words[-1].end <= b.words[0].start
        assert b.sentence_starts == (b.words[0].start,)


def test_transcript_json_is_word_level_where_words_are_timed() -> None:
    s = worded("Hello there, listeners.", 500)
    tr = Transcript(language="en", turns=(Turn("Ana", (s,)),))
    cues = segment(tr, slug="ep")
    doc = json.loads(to_transcript_json(cues))
    assert doc["version"] == "1.0.0"
    assert [seg["body"] for seg in doc["segments"]] == ["Hello", "there,", "listeners."]
    assert all(seg["speaker"] == "Ana" for seg in doc["segments"])
    assert doc["segments"][1]["startTime"] == s.words[1].start / 1000
    # a translated cue keeps the source's times but not its words: one segment per cue
    translated = tuple(replace(c, lines=("Hola, oyentes.",)) for c in cues)
    assert translated[0].word_timings == ()
    doc = json.loads(to_transcript_json(translated))
    assert [seg["body"] for seg in doc["segments"]] == ["Hola, oyentes."]


# ----------------------------------------------------------------------- the CLI
SHOW_TOML = """title = "Timing Show"
description = "A show for the timing checks."
author = "Tests"
base_url = "https://timing.example.org"
language = "en"
categories = ["Technology"]
image = "cover.png"

[owner]
name = "Tests"
email = "tests@timing.example.org"
"""

EPISODE_TOML = """title = "{slug}"
date = 2026-03-01T09:00:00Z
description = "An episode."
audio = "audio.mp3"
transcript = "transcript.txt"
guid = "timing-{slug}"
"""

SPOKEN = ("The bakery on the corner opens at six.", "By seven the queue reaches the bus stop.",
          "Nobody minds the wait.")


@pytest.fixture(scope="module")
def timing_show(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> Path:
    """Two episodes on the same espeak-ng audio: one transcript says what the audio says, the
    other has a sentence the audio does not have."""
    root = tmp_path_factory.mktemp("timing-show")
    (root / "show.toml").write_text(SHOW_TOML, encoding="utf-8")
    make_cover(root / "cover.png")
    nar = synthesize(SPOKEN, pauses_ms=[150, 0], wpm=[170, 160, 175])
    texts = {
        "faithful": "\n\n".join(SPOKEN),
        "unfaithful": "\n\n".join(SPOKEN[:2] + ("The harbour master keeps his tide tables in a drawer by the "
                                                "window, next to the radio.",) + SPOKEN[2:]),
    }
    for slug, text in texts.items():
        folder = root / "episodes" / slug
        folder.mkdir(parents=True)
        (folder / "episode.toml").write_text(EPISODE_TOML.format(slug=slug), encoding="utf-8")
        wav = write_wav(folder / "audio.wav", nar.samples)
        encode(wav, folder / "audio.mp3")
        wav.unlink()
        (folder / "transcript.txt").write_text(text + "\n", encoding="utf-8")
    return root


def test_publish_summary_names_the_method(timing_show: Path) -> None:
    res = CliRunner().invoke(main, ["publish", "--root", str(timing_show), "episode", "faithful", "--strict-timing"])
    assert res.exit_code == 0, res.output
    assert "forced-alignment (word level) timing" in res.output
    assert "pocketsphinx" in res.output
    doc = json.loads((timing_show / "feeds/episodes/faithful/en/transcript.json").read_text(encoding="utf-8"))
    assert [s["body"] for s in doc["segments"]][:3] == ["The", "bakery", "on"]  # word level


def test_low_confidence_fails_strict_timing_and_shows_in_check(timing_show: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["publish", "--root", str(timing_show), "episode", "unfaithful", "--strict-timing"])
    assert res.exit_code == 1, res.output
    assert "low-confidence timing in 1 episode(s) (unfaithful)" in res.output
    assert "low alignment confidence: sentence 3" in res.output
    assert "Traceback" not in res.output
    # the site is still written (CI can look at it); the flag only decides the exit status
    assert (timing_show / "feeds/episodes/unfaithful/en/transcript.vtt").is_file()
    res = runner.invoke(main, ["publish", "--root", str(timing_show), "episode", "unfaithful"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["check", "--root", str(timing_show), "unfaithful"])
    line = next(ln for ln in res.output.splitlines() if "timing-confidence" in ln)
    assert line.startswith("warning unfaithful") and "sentence 3" in line and "re-timed proportionally" in line
    # the audio has no time for that sentence: its cue is also flagged by the subtitle QC
    assert res.exit_code == 1 and " short: " in res.output, res.output
    res = runner.invoke(main, ["check", "--root", str(timing_show), "faithful"])
    assert res.exit_code == 0, res.output
    assert "timing-" not in res.output
    res = runner.invoke(main, ["check", "--root", str(timing_show), "--strict", "faithful"])
    assert "timing-" not in res.output
