"""SRT reader: tolerant layout, strict timings, speakers, sentence timing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import InputError
from toolkit.ingest import read_transcript

from .cuegen import cue_lists, expected_turns, write_srt


def _srt(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.srt"
    path.write_text(text, encoding="utf-8")
    return path


def test_srt_fixture(fixtures: Path) -> None:
    t = read_transcript(fixtures / "cues.srt", language="en", speakers={"ANA": "Ana Ruiz"})
    assert t.timed and t.chapters == () and t.dropped == ()
    got = [(turn.speaker, [(s.text, s.start, s.end, s.line) for s in turn.sentences]) for turn in t.turns]
    assert got == [
        (
            "Ana Ruiz",
            [
                # cue 1 holds a sentence and a half: its 2.5 s are shared by characters
                ("The river was high.", 1000, 1000 + round(2500 * 19 / 37), 3),
                ("We waited for the ferry all day.", 1000 + round(2500 * 20 / 37), 5000, 3),
            ],
        ),
        (
            "LI",
            [
                ("It came at noon.", 5200, 5200 + round(1800 * 16 / 30), 13),
                ("Then it left.", 5200 + round(1800 * 17 / 30), 7000, 13),
                ("Nobody was on it.", 7000, 9000, 16),  # no label: LI continues
            ],
        ),
    ]
    assert all(s.confidence == 1.0 for s in t.sentences)


def test_two_speakers_in_one_cue(tmp_path: Path) -> None:
    path = _srt(tmp_path, "1\n00:00:00,000 --> 00:00:04,000\nANA: Is it here?\nLI: Not yet.\n")
    t = read_transcript(path, language="en")
    assert [(turn.speaker, turn.sentences[0].text) for turn in t.turns] == [("ANA", "Is it here?"), ("LI", "Not yet.")]
    a, b = t.sentences
    assert a.start == 0 and b.end == 4000 and a.end == b.start == round(4000 * 11 / 19)  # 11 and 8 characters


def test_tolerated_layouts(tmp_path: Path) -> None:
    text = (
        "\n\n1\n00:00:01.000 --> 00:00:02.000 X1:10 X2:20\nOne here.\n\n"
        "\n\n00:00:02,000 --> 00:00:03,000\nTwo here.\n"
        "3\n00:00:03,000 --> 00:00:04,000\nThree\n\nstill three."
    )
    t = read_transcript(_srt(tmp_path, text), language="en")
    assert [(s.text, s.start, s.end) for s in t.sentences] == [
        ("One here.", 1000, 2000),
        ("Two here.", 2000, 3000),
        ("Three still three.", 3000, 4000),
    ]


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ("1\n00:00:01,00 --> 00:00:02,000\nHi.\n", 2, "malformed timing"),
        ("1\n00:00:01,000 -> 00:00:02,000\nHi.\n", 2, "malformed timing"),
        ("1\n00:61:01,000 --> 00:62:02,000\nHi.\n", 2, "malformed timing"),
        ("1\n00:00:01,000 --> \nHi.\n", 2, "malformed timing"),
        ("1\n00:00:05,000 --> 00:00:02,000\nHi.\n", 2, "before it starts"),
        ("1\nHello there.\n", 2, "expected a timing line"),
        ("Hello there.\n\n1\n00:00:01,000 --> 00:00:02,000\nHi.\n", 1, "expected a cue number"),
    ],
    ids=["short-ms", "bad-arrow", "minutes-61", "no-end", "end-before-start", "no-timing", "text-first"],
)  # fmt: skip
def test_bad_srt(tmp_path: Path, text: str, line: int, match: str) -> None:
    path = _srt(tmp_path, text)
    with pytest.raises(InputError, match=match) as info:
        read_transcript(path, language="en")
    assert info.value.path == str(path) and info.value.line == line


def test_cross_talk_and_order(tmp_path: Path) -> None:
    """Overlapping cues of two speakers are kept; cues out of order are put in
    order; a speaker's phrase that stays up under their next one ends when it starts."""
    text = ("1\n00:00:01,000 --> 00:00:03,000\nANA: Hi there.\n\n"
            "2\n00:00:02,500 --> 00:00:04,000\nLI: Hello.\n\n"
            "3\n00:00:08,000 --> 00:00:09,000\nANA: Bye.\n\n"
            "4\n00:00:05,000 --> 00:00:08,500\nANA: Time to go.\n")
    t = read_transcript(_srt(tmp_path, text), language="en")
    got = [(turn.speaker, [(s.text, s.start, s.end) for s in turn.sentences]) for turn in t.turns]
    assert got == [("ANA", [("Hi there.", 1000, 3000)]), ("LI", [("Hello.", 2500, 4000)]),
                   ("ANA", [("Time to go.", 5000, 8000), ("Bye.", 8000, 9000)])]


@pytest.mark.parametrize("text", ["", "\n\n", "1\n00:00:01,000 --> 00:00:02,000\n\n"])
def test_empty_srt(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        read_transcript(_srt(tmp_path, text), language="en")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cues=cue_lists(extra="&',"), crlf=st.booleans(), numbered=st.booleans(), bom=st.booleans())
def test_srt_round_trip(tmp_path: Path, cues, crlf: bool, numbered: bool, bom: bool) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rt.srt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + write_srt(cues, crlf=crlf, numbered=numbered).encode())
    t = read_transcript(path, language="en")
    got = [(turn.speaker, [(s.text, s.start, s.end) for s in turn.sentences]) for turn in t.turns]
    assert got == expected_turns(cues)
