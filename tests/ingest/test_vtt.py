"""WebVTT reader: the W3C algorithm (bad cues skipped and reported, overlaps
kept), voices and labels, display text.  The parser's own rules are in
tests/formats/test_webvtt_rules.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import InputError
from toolkit.formats.webvtt import voice_parts
from toolkit.ingest import read_transcript

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
        # the last cue's first word is said at its <00:01:00.500> timestamp
        ("Li", [("And we avions raison.", split, 8000), ("Fine ☺ — \u200edone.", 60_500, 3_602_500)]),
    ]
    assert t.sentences[0].line == 11 and t.sentences[-1].line == 20


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("<v Ana>Hi</v>", [("Ana", "Hi")]),
        ("<v.loud.x Sara Lind>Hi there", [("Sara Lind", "Hi there")]),
        ("<v Ana>Hi.</v> <v Li>Yo.</v>", [("Ana", "Hi."), ("Li", "Yo.")]),
        ("<i>a</i> <b>b</b> <u>c</u> <c.red.big>d</c> <ruby>e<rt>f</rt></ruby> <lang en-GB>g</lang>", [(None, "a b c d ef g")]),
        ("one <00:00:01.500>two", [(None, "one two")]),
        ("&amp; &lt; &gt; &nbsp; &lrm; &rlm; &#65; &#x42;", [(None, "& < > \u00a0 \u200e \u200f A B")]),
        ("R&D costs < 5% of GDP", [(None, "R&D costs ")]),  # a raw '<' hides the rest, as in Chromium
    ],
)
def test_voice_parts(payload: str, expected: list[tuple[str | None, str]]) -> None:
    got = voice_parts(payload)
    # text between two voices (a space) belongs to no voice: readers drop blank parts
    assert [(v, t) for v, t in got if t.strip() or v] == [(v, t) for v, t in expected]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "missing WEBVTT"),
        ("00:01.000 --> 00:02.000\nHi.\n", "missing WEBVTT"),
        ("WEBVTTX\n\n00:01.000 --> 00:02.000\nHi.\n", "missing WEBVTT"),
        ("webvtt\n\n00:01.000 --> 00:02.000\nHi.\n", "missing WEBVTT"),
    ],
    ids=["empty", "no-header", "WEBVTTX", "lowercase"],
)  # fmt: skip
def test_bad_signature_rejects_the_file(tmp_path: Path, text: str, match: str) -> None:
    path = _vtt(tmp_path, text)
    with pytest.raises(InputError, match=match) as info:
        read_transcript(path, language="en")
    assert info.value.path == str(path) and info.value.line == 1


GOOD = "00:00:09.000 --> 00:00:10.000\nStill here.\n"


@pytest.mark.parametrize(
    ("bad", "line", "rule"),
    [
        ("00:01.0 --> 00:02.000\nLost one.\n", 3, "bad cue timing"),
        ("00:00:01.000 --> 00:02\nLost one.\n", 3, "bad cue timing"),
        ("00:60.000 --> 01:02.000\nLost one.\n", 3, "bad cue timing"),
        ("id\n00:01,000 --> 00:02,000\nLost one.\n", 4, "bad cue timing"),
        ("00:05.000 --> 00:02.000\nLost one.\n", 3, "before it starts"),
        ("id\nnot a timing\nLost one.\n", 3, "text outside a cue"),
    ],
    ids=["short-fraction", "no-seconds", "seconds-60", "comma", "end-before-start", "no-timing"],
)  # fmt: skip
def test_bad_cue_is_skipped_and_reported(tmp_path: Path, bad: str, line: int, rule: str) -> None:
    """The W3C algorithm skips the one bad cue, not the file; what it skipped
    is reported with its line and text (and a browser never shows a cue that
    ends before it starts, so that one is skipped too)."""
    t = read_transcript(_vtt(tmp_path, "WEBVTT\n\n" + bad + "\n" + GOOD), language="en")
    assert [s.text for s in t.sentences] == ["Still here."]
    assert [(d.line, "Lost one." in d.text) for d in t.dropped] == [(line, True)]
    assert rule in t.dropped[0].rule


def test_only_bad_cues_is_an_error_naming_the_first(tmp_path: Path) -> None:
    path = _vtt(tmp_path, "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards.\n")
    with pytest.raises(InputError, match="no cues found.*before it starts") as info:
        read_transcript(path, language="en")
    assert info.value.line == 3


@pytest.mark.parametrize(
    "text",
    [
        "WEBVTT\n\n0:00:01.000 --> 0:00:02.000\nAlpha.\n\n0:00:03.000 --> 0:00:04.000\nBeta.\n",  # 1-digit hours
        "WEBVTT\n\n00:01.000 --> 00:03.000\nAlpha.\n\n00:02.000 --> 00:04.000\nBeta.\n",  # overlap
        "WEBVTT\n\n00:03.000 --> 00:04.000\nBeta.\n\n00:01.000 --> 00:02.000\nAlpha.\n",  # out of order
        "WEBVTT\n\n00:01.000 --> 00:02.000\nAlpha.\n00:03.000 --> 00:04.000\nBeta.\n",  # no blank line
        "WEBVTT\n\n00:01.000 --> 00:02.000\nAl\x00pha.\n\n00:03.000 --> 00:04.000\nBeta.\n",  # a NUL
    ],
    ids=["one-digit-hours", "overlap", "out-of-order", "missing-blank", "nul"],
)
def test_files_the_algorithm_keeps(tmp_path: Path, text: str) -> None:
    t = read_transcript(_vtt(tmp_path, text), language="en")
    assert [s.text.replace("\ufffd", "") for s in t.sentences] == ["Alpha.", "Beta."]
    assert [(s.start, s.end) for s in t.sentences][0][0] == 1000 and t.dropped == ()


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
