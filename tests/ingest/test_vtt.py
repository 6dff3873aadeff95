"""WebVTT reader: header, strict timings, skipped blocks, voices, display text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import InputError
from toolkit.ingest import read_transcript
from toolkit.ingest.vtt import cue_text_parts

from .cuegen import cue_lists, expected_turns, write_vtt


def _vtt(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.vtt"
    path.write_text(text, encoding="utf-8")
    return path


def test_vtt_fixture(fixtures: Path) -> None:
    t = read_transcript(fixtures / "cues.vtt", language="en", speakers={"Ana": "Ana Ruiz"})
    got = [(turn.speaker, [(s.text, s.start, s.end) for s in turn.sentences]) for turn in t.turns]
    # cue 3 "March. And we avions raison." has two voices: its 2 s are shared by characters
    split = 6000 + round(2000 * 6 / (6 + 21))
    assert got == [
        (
            "Ana Ruiz",
            [
                ("R&D costs < 5% of GDP.", 1000, 3000),
                ("We said so in March.", 3000, split),
            ],
        ),
        ("Li", [("And we avions raison.", split, 8000), ("Fine ☺ — \u200edone.", 60_000, 3_602_500)]),
    ]
    assert t.sentences[0].line == 11 and t.sentences[-1].line == 20


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("<v Ana>Hi</v>", [("Ana", "Hi")]),
        ("<v.loud.x Sara Lind>Hi there", [("Sara Lind", "Hi there")]),
        ("<v Ana>Hi.</v> <v Li>Yo.</v>", [("Ana", "Hi. "), ("Li", "Yo.")]),
        ("<i>a</i> <b>b</b> <u>c</u> <c.red.big>d</c> <ruby>e<rt>f</rt></ruby> <lang en-GB>g</lang>", [(None, "a b c d ef g")]),
        ("one <00:00:01.500>two", [(None, "one two")]),
        ("&amp; &lt; &gt; &nbsp; &lrm; &rlm; &#65; &#x42;", [(None, "& < > \u00a0 \u200e \u200f A B")]),
        ("R&D costs < 5% of GDP", [(None, "R&D costs ")]),  # a raw '<' hides the rest, as in Chromium
    ],
)
def test_cue_text_parts(payload: str, expected: list[tuple[str | None, str]]) -> None:
    assert cue_text_parts(payload) == expected


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ("", 1, "missing WEBVTT"),
        ("00:01.000 --> 00:02.000\nHi.\n", 1, "missing WEBVTT"),
        ("WEBVTTX\n\n00:01.000 --> 00:02.000\nHi.\n", 1, "missing WEBVTT"),
        ("webvtt\n\n00:01.000 --> 00:02.000\nHi.\n", 1, "missing WEBVTT"),
        ("WEBVTT\n\n00:01.0 --> 00:02.000\nHi.\n", 3, "malformed start"),
        ("WEBVTT\n\n00:00:01.000 --> 00:02\nHi.\n", 3, "malformed end"),
        ("WEBVTT\n\n0:00:01.000 --> 00:00:02.000\nHi.\n", 3, "malformed start"),
        ("WEBVTT\n\n00:60.000 --> 01:02.000\nHi.\n", 3, "malformed start"),
        ("WEBVTT\n\nid\n00:01,000 --> 00:02,000\nHi.\n", 4, "malformed start"),
        ("WEBVTT\n\n00:05.000 --> 00:02.000\nHi.\n", 3, "before it starts"),
        ("WEBVTT\n\n00:01.000 --> 00:03.000\nA.\n\n00:02.000 --> 00:04.000\nB.\n", 6, "overlapping"),
        ("WEBVTT\n\n00:05.000 --> 00:06.000\nA.\n\n00:02.000 --> 00:04.000\nB.\n", 6, "before the previous"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nA.\n00:02.000 --> 00:03.000\nB.\n", 5, "inside cue text"),
        ("WEBVTT\n\nid\nnot a timing\nHi.\n", 4, "expected a cue timing"),
    ],
    ids=["empty", "no-header", "WEBVTTX", "lowercase", "short-fraction", "no-seconds", "one-digit-hours",
         "seconds-60", "comma", "end-before-start", "overlap", "out-of-order", "missing-blank", "no-timing"],
)  # fmt: skip
def test_bad_vtt(tmp_path: Path, text: str, line: int, match: str) -> None:
    path = _vtt(tmp_path, text)
    with pytest.raises(InputError, match=match) as info:
        read_transcript(path, language="en")
    assert info.value.path == str(path) and info.value.line == line


def test_header_only_is_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no cues"):
        read_transcript(_vtt(tmp_path, "WEBVTT\n\nNOTE nothing here\n"), language="en")


def test_header_variants_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "b.vtt"
    path.write_bytes(b"\xef\xbb\xbfWEBVTT\tKind: captions\r\nLanguage: en\r\n\r\nREGION\r\nid:r1\r\n\r\n"
                     b"00:00:00.000 --> 00:00:01.000 region:r1 line:0\r\nOk.\r\n")  # fmt: skip
    t = read_transcript(path, language="en")
    assert [(s.text, s.start, s.end) for s in t.sentences] == [("Ok.", 0, 1000)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cues=cue_lists(extra="&<>"), short_clock=st.booleans(), notes=st.booleans())
def test_vtt_round_trip(tmp_path: Path, cues, short_clock: bool, notes: bool) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rt.vtt"
    path.write_text(write_vtt(cues, short_clock=short_clock, notes=notes), encoding="utf-8")
    t = read_transcript(path, language="en")
    got = [(turn.speaker, [(s.text, s.start, s.end) for s in turn.sentences]) for turn in t.turns]
    assert got == expected_turns(cues)
