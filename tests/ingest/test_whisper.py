"""Whisper JSON reader: shapes, words, speakers, and errors naming the JSON path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from toolkit.errors import InputError
from toolkit.ingest import read_transcript
from toolkit.model import Word

from .cuegen import cue_lists, expected_turns


def _json(tmp_path: Path, data: Any, raw: str | None = None) -> Path:
    path = tmp_path / "w.json"
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    return path


def test_whisper_fixture(fixtures: Path) -> None:
    t = read_transcript(fixtures / "whisper.json", language="en", speakers={"SPEAKER_01": "Li Wei"})
    got = [(turn.speaker, [(s.text, s.start, s.end) for s in turn.sentences]) for turn in t.turns]
    assert got == [
        # sentences span their first to last word (segments cut "We | waited.")
        ("SPEAKER_00", [("The river was high.", 0, 1400), ("We waited.", 1600, 3200)]),
        ("Li Wei", [("It came at noon.", 3500, 4900)]),
    ]
    first = t.sentences[0]
    assert first.words == (Word("The", 0, 300), Word("river", 300, 700), Word("was", 700, 900), Word("high.", 900, 1400))
    assert [w.text for w in t.sentences[1].words] == ["We", "waited."]
    assert t.timed and all(s.confidence == 1.0 for s in t.sentences)


def test_top_level_list_without_words(tmp_path: Path) -> None:
    data = [{"start": 0, "end": 3, "text": "One. Two three."}, {"start": 3.0004, "end": 4.5, "text": " Four."}]
    t = read_transcript(_json(tmp_path, data), language="en")
    assert [(s.text, s.start, s.end, s.words) for s in t.sentences] == [
        ("One.", 0, round(3000 * 4 / 15), ()),
        ("Two three.", round(3000 * 5 / 15), 3000, ()),
        ("Four.", 3000, 4500, ()),
    ]
    assert t.turns[0].speaker is None


def test_unaligned_words_are_skipped(tmp_path: Path) -> None:
    # WhisperX leaves words it cannot align (numbers) without times.
    data = {"segments": [{"start": 1, "end": 2, "text": "In 2020.", "words": [{"word": "In", "start": 1, "end": 1.2}, {"word": "2020."}]}]}
    t = read_transcript(_json(tmp_path, data), language="en")
    assert t.sentences[0].words == (Word("In", 1000, 1200),)


def _seg(**kw: Any) -> dict[str, Any]:
    return {"start": 0.0, "end": 1.0, "text": "Hi.", **kw}


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"text": "hello"}, "'segments' list"),
        ({"segments": {"a": 1}}, r"segments: expected a list"),
        ("just a string", "'segments' list"),
        ({"segments": []}, "no segments"),
        ({"segments": [_seg(), "oops"]}, r"segments\[1\]: expected an object"),
        ({"segments": [_seg(), {"start": 2, "text": "x"}]}, r"segments\[1\]\.end: missing"),
        ({"segments": [{"end": 2, "text": "x"}]}, r"segments\[0\]\.start: missing"),
        ({"segments": [{"start": 0, "end": 2}]}, r"segments\[0\]\.text: missing"),
        ({"segments": [_seg(text=5)]}, r"segments\[0\]\.text: expected a string"),
        ({"segments": [_seg(start="0.5")]}, r"segments\[0\]\.start: expected a time"),
        ({"segments": [_seg(end=True)]}, r"segments\[0\]\.end: expected a time"),
        ({"segments": [_seg(), _seg(), _seg(), _seg(start=5, end=4)]}, r"segments\[3\]\.end: segment ends"),
        ({"segments": [_seg(start=-1)]}, r"segments\[0\]\.start: negative"),
        ({"segments": [_seg(words={"a": 1})]}, r"segments\[0\]\.words: expected a list"),
        ({"segments": [_seg(words=[{"start": 0, "end": 1}])]}, r"segments\[0\]\.words\[0\]\.word: missing"),
        ({"segments": [_seg(words=[{"word": "x", "start": "a", "end": 1}])]}, r"segments\[0\]\.words\[0\]\.start"),
        ({"segments": [_seg(words=[{"word": "x", "start": 1, "end": 0.5}])]}, r"segments\[0\]\.words\[0\]\.end"),
        ({"segments": [_seg(speaker=3)]}, r"segments\[0\]\.speaker: expected a string"),
        ([_seg(), {"start": 1}], r"\[1\]\.end: missing"),
    ],
)
def test_wrong_shape(tmp_path: Path, data: Any, match: str) -> None:
    path = _json(tmp_path, data)
    with pytest.raises(InputError, match=match) as info:
        read_transcript(path, language="en")
    assert info.value.path == str(path)


def test_not_json_names_line(tmp_path: Path) -> None:
    path = _json(tmp_path, None, raw='{"segments": [\n  {"start": 0,\n   "end": 1 "text": "x"}]}')
    with pytest.raises(InputError, match="not valid JSON") as info:
        read_transcript(path, language="en")
    assert info.value.line == 3


@pytest.mark.parametrize("raw", ["", "  \n"])
def test_empty_json(tmp_path: Path, raw: str) -> None:
    with pytest.raises(InputError, match="empty"):
        read_transcript(_json(tmp_path, None, raw=raw), language="en")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cues=cue_lists(extra="&<>'\""))
def test_whisper_round_trip(tmp_path: Path, cues) -> None:  # type: ignore[no-untyped-def]
    segments = []
    speaker = None
    for cue in cues:
        speaker = cue.speaker or speaker
        seg: dict[str, Any] = {"start": cue.start / 1000, "end": cue.end / 1000, "text": " " + cue.text}
        if speaker is not None:
            seg["speaker"] = speaker
        segments.append(seg)
    path = _json(tmp_path, {"segments": segments})
    t = read_transcript(path, language="en")
    got = [(turn.speaker, [(s.text, s.start, s.end) for s in turn.sentences]) for turn in t.turns]
    assert got == expected_turns(cues)


def test_word_speakers_split_a_segment(tmp_path: Path) -> None:
    """WhisperX assign_word_speakers without a segment speaker: the segment is
    cut where the word speaker changes."""
    words = [{"word": w, "start": i * 0.5, "end": i * 0.5 + 0.4, "speaker": sp}
             for i, (w, sp) in enumerate([("Ready?", "SPEAKER_00"), ("Yes.", "SPEAKER_01"), ("Go.", "SPEAKER_01")])]
    data = {"segments": [{"start": 0.0, "end": 1.4, "text": " Ready? Yes. Go.", "words": words}]}
    t = read_transcript(_json(tmp_path, data), language="en", speakers={"SPEAKER_01": "Li Wei"})
    assert [(turn.speaker, [s.text for s in turn.sentences]) for turn in t.turns] == [
        ("SPEAKER_00", ["Ready?"]), ("Li Wei", ["Yes.", "Go."])]
    assert t.turns[1].sentences[0].start == 500


def test_generic_label_lookup_unifies_underscores(tmp_path: Path) -> None:
    data = {"segments": [_seg(speaker="SPEAKER_00")]}
    t = read_transcript(_json(tmp_path, data), language="en", speakers={"Speaker 00": "Ana"})
    assert t.turns[0].speaker == "Ana"


def test_podcast_index_json_is_a_transcript(tmp_path: Path) -> None:
    data = {"version": "1.0.0", "segments": [
        {"speaker": "Ana", "startTime": 0.5, "endTime": 2.0, "body": "Hello there."},
        {"speaker": "Li", "startTime": 2.1, "endTime": 3.0, "body": "Hi."}]}
    t = read_transcript(_json(tmp_path, data), language="en")
    assert [(turn.speaker, turn.sentences[0].text, turn.sentences[0].start) for turn in t.turns] == [
        ("Ana", "Hello there.", 500), ("Li", "Hi.", 2100)]
    with pytest.raises(InputError, match=r"segments\[0\]\.endTime"):
        read_transcript(_json(tmp_path, {"segments": [{"startTime": 1, "body": "x"}]}), language="en")
