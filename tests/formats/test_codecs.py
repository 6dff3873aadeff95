"""Every other codec of the formats layer: each reads what it writes, and
reads the real files of other tools."""

from __future__ import annotations

import json

import polib
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit import formats
from toolkit.errors import InputError
from toolkit.formats import chapters_json, json_text, podcast_json, po, sbv, subrip, text, timecode, whisper_json

ms_values = st.integers(min_value=0, max_value=100 * 3_600_000)


# --------------------------------------------------------------------------- timecode


@given(ms_values)
def test_timestamps_read_what_they_write(ms: int) -> None:
    assert timecode.parse_vtt(timecode.vtt(ms)) == ms
    assert timecode.parse_srt(timecode.srt(ms)) == (ms if ms < 1000 * 3_600_000 else None)
    assert timecode.parse_clock(timecode.sbv(ms)) == ms
    assert timecode.parse_clock(timecode.clock(ms)) == ms // 1000 * 1000


def test_spellings() -> None:
    assert (timecode.vtt(3_723_004), timecode.srt(3_723_004), timecode.sbv(3_723_004)) == (
        "01:02:03.004", "01:02:03,004", "1:02:03.004")
    assert (timecode.clock(3_723_999), timecode.short_clock(65_000), timecode.short_clock(3_723_000)) == (
        "01:02:03", "1:05", "1:02:03")
    assert (timecode.iso_duration(61_500), timecode.iso_duration(3_600_000), timecode.iso_duration(0)) == (
        "PT1M1.500S", "PT1H0S", "PT0S")
    assert timecode.seconds(1234) == 1.234 and timecode.from_seconds(1.2345) == 1234
    with pytest.raises(ValueError):
        timecode.from_seconds(float("nan"))


@pytest.mark.parametrize(("text", "ms"), [("0:07", 7000), ("1:07", 67000), ("00:01:07", 67000),
                                          ("1:02:03", 3_723_000), ("01:07.5", 67500), ("00:01:07.250", 67250),
                                          ("1:7", None), ("1:60", None), ("01:07.", None), ("a:07", None), ("7", None)])
def test_parse_clock(text: str, ms: int | None) -> None:
    assert timecode.parse_clock(text) == ms


def test_collect_vtt_reports_where_it_stopped() -> None:
    assert timecode.collect_vtt("x 00:01.500 --> y", 2) == (1500, 11)
    assert timecode.collect_vtt("00:01.5000", 0) is None and timecode.collect_vtt("1:00.000", 0) is None


# --------------------------------------------------------------------------- bytes → text


def test_decoded_labels() -> None:
    assert text.decode(b"\xef\xbb\xbfhi").label == "UTF-8 with BOM"
    assert text.decode("é".encode("utf-16")).codec.startswith("utf-16")
    got = text.decode("Caf\u00e9 \u201cnoir\u201d \u2014 d\u00e9j\u00e0.\n".encode("cp1252"), language="fr")
    assert got.description == "Windows-1252 (detected)"
    with pytest.raises(InputError, match="unknown encoding"):
        text.decode(b"x", "t.txt", encoding="klingon")
    with pytest.raises(InputError, match="not UTF-8"):
        text.decode("é".encode("latin-1"), "t.vtt", legacy=False)


# --------------------------------------------------------------------------- SubRip


def test_subrip_reads_editors_files() -> None:
    raw = ("\ufeff1\r\n00:00:01,000 --> 00:00:02,500 X1:0 X2:0\r\n<i>Hello</i> {\\an8}there\r\n\r\n"
           "00:00:03.000 --> 00:00:04.000\r\nno number\r\n2\r\n00:00:05,000 --> 00:00:06,000\r\nno blank line\r\n")
    cues = subrip.parse(raw.replace("\r\n", "\n"))
    assert [(c.number, c.start, c.end, c.text, c.line) for c in cues] == [
        ("1", 1000, 2500, "<i>Hello</i> {\\an8}there", 2), (None, 3000, 4000, "no number", 5),
        ("2", 5000, 6000, "no blank line", 8)]
    assert subrip.strip_tags(cues[0].text) == "Hello there"
    assert subrip.strip_tags("R&D < 5% <font color=\"#fff\">x</font>") == "R&D < 5% x"


@pytest.mark.parametrize("bad", ["00:00:01,00 --> 00:00:02,000", "00:00:01,000 -> 00:00:02,000",
                                 "00:00:05,000 --> 00:00:02,000"])
def test_subrip_strict_about_timings(bad: str) -> None:
    with pytest.raises(InputError) as info:
        subrip.parse(f"1\n{bad}\nx\n", "t.srt")
    assert info.value.line == 2 and info.value.path == "t.srt"
    if "05" in bad:
        assert subrip.parse(f"1\n{bad}\nx\n", keep_inverted=True)[0].end == 2000


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(ms_values, st.integers(1, 10_000),
                          st.lists(st.text("abc éü<&>-", min_size=1, max_size=12).filter(str.strip), max_size=2)),
                max_size=6))
@example([(0, 1, ["-->"])])
def test_subrip_round_trip(cues: list[tuple[int, int, list[str]]]) -> None:
    triples = [(start, start + d, [line.strip() for line in lines if line.strip()]) for start, d, lines in cues]
    if any("-->" in line for _, _, lines in triples for line in lines):
        with pytest.raises(ValueError):
            subrip.write(triples)  # it would read back as another cue: refused, not written
        return
    written = subrip.write(triples)
    back = subrip.parse(written)
    assert [(c.start, c.end, [t for _, t in c.lines]) for c in back] == triples


# --------------------------------------------------------------------------- SBV (webvtt-py)


def test_sbv_round_trip_and_bad_block() -> None:
    written = sbv.write([(599, 4160, [">> ALICE: Hi", "there"]), (4160, 6770, ["Bye."])])
    assert written == "0:00:00.599,0:00:04.160\n>> ALICE: Hi\nthere\n\n0:00:04.160,0:00:06.770\nBye.\n"
    cues, warnings = sbv.parse(written + "\n0:00:0x.000,0:00:09.000\nlost\n")
    assert [(c.start, c.end, c.text, c.line) for c in cues] == [(599, 4160, ">> ALICE: Hi\nthere", 1),
                                                                (4160, 6770, "Bye.", 5)]
    assert [(w.line, w.text) for w in warnings] == [(8, "lost")]


# --------------------------------------------------------------------------- JSON formats


def test_podcast_json_round_trip() -> None:
    segs = [podcast_json.Segment(800, 4321, "Priya, you brought…", "Ana Ruiz"), podcast_json.Segment(4401, 6763, "Ok.")]
    written = podcast_json.write(segs)
    assert json.loads(written) == {"version": "1.0.0", "segments": [
        {"speaker": "Ana Ruiz", "startTime": 0.8, "endTime": 4.321, "body": "Priya, you brought…"},
        {"startTime": 4.401, "endTime": 6.763, "body": "Ok."}]}
    back = podcast_json.parse(written)
    assert [(s.start, s.end, s.body, s.speaker) for s in back] == [(s.start, s.end, s.body, s.speaker) for s in segs]


def _stdlib_podcast_json(segs: list[podcast_json.Segment]) -> str:
    """The reference: the same object through ``json.dumps`` (what the writer did before it spelled
    the text out itself for speed)."""
    out = []
    for seg in segs:
        item: dict[str, object] = {"speaker": seg.speaker} if seg.speaker else {}
        item.update(startTime=timecode.seconds(seg.start), endTime=timecode.seconds(seg.end), body=seg.body)
        out.append(item)
    return json.dumps({"version": "1.0.0", "segments": out}, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(podcast_json.Segment, start=st.integers(0, 10**15), end=st.integers(0, 10**15),
                          body=st.text(), speaker=st.none() | st.text()), max_size=6))
@example([])
@example([podcast_json.Segment(0, 1, 'quote " backslash \\ tab \t nl \n ctl \x01 \u2028 é 😀', "A\u200fB")])
def test_podcast_json_writer_matches_json_dumps(segs: list[podcast_json.Segment]) -> None:
    """Differential: the hand-spelled writer gives json.dumps(indent=2)'s exact text for any segments
    (control characters, quotes, surrogate-free Unicode, empty lists, huge and tiny times)."""
    assert podcast_json.write(segs) == _stdlib_podcast_json(segs)


_JSON_LEAVES = st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats() | st.text()
_JSON_KEYS = st.text() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.booleans() | st.none()
_JSON_VALUES = st.recursive(_JSON_LEAVES, lambda kids: st.lists(kids, max_size=4) | st.tuples(kids, kids)
                            | st.dictionaries(_JSON_KEYS, kids, max_size=4), max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES, st.integers(0, 3), st.booleans())
@example({"a": [], "b": {}, "c": [{"d": None}], "e": "é \u2028 \x01 😀"}, 1, False)
@example([float("nan"), float("inf"), float("-inf"), -0.0, 1e-300, 10**20], 2, True)
@example({7: "int key", 2.5: "float key", True: "bool key", False: "no", None: "null key"}, 1, True)
def test_indented_json_matches_json_dumps(value: object, indent: int, ensure_ascii: bool) -> None:
    """Differential: json_text.dumps is json.dumps(indent=…)'s exact text for any tree of JSON
    values (nesting, empty containers, tuples, non-finite and huge numbers, control characters,
    non-string keys, both ensure_ascii spellings)."""
    expected = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)
    assert json_text._spelled(value, indent=indent, ensure_ascii=ensure_ascii) == expected  # on every Python
    assert json_text.dumps(value, indent=indent, ensure_ascii=ensure_ascii) == expected


def test_indented_json_refuses_what_json_dumps_refuses() -> None:
    for bad in ({"k": object()}, {(1, 2): "tuple key"}, [b"bytes"]):
        with pytest.raises(TypeError):
            json.dumps(bad, indent=1)
        with pytest.raises(TypeError):
            json_text._spelled(bad, indent=1, ensure_ascii=True)


def test_chapters_json() -> None:
    written = chapters_json.write([chapters_json.Chapter(5000, "B"), chapters_json.Chapter(0, "A")], title="Ep")
    assert json.loads(written) == {"version": "1.2.0", "title": "Ep", "chapters": [
        {"startTime": 0.0, "title": "A"}, {"startTime": 5.0, "title": "B"}]}
    assert [(c.start, c.title) for c in chapters_json.parse(written)] == [(0, "A"), (5000, "B")]
    assert chapters_json.problems('{"chapters": [{"startTime": 3}, {"startTime": 1}]}') == [
        "chapters JSON needs a 'version' string (\"1.2.0\")", "chapter 2: startTime 1 is not after the previous 3.0"]


def test_whisper_json_round_trip() -> None:
    doc = whisper_json.WhisperDocument((whisper_json.WhisperSegment(
        0, 1500, " Hi there.", "segments[0]", "SPEAKER_00",
        (whisper_json.WhisperWord("Hi", 0, 400, "SPEAKER_00"), whisper_json.WhisperWord("there.", 500, 1500))),))
    back = whisper_json.parse(whisper_json.write(doc.segments, language="en"))
    assert back.segments == doc.segments and back.language == "en"


# --------------------------------------------------------------------------- PO (polib)


def test_po_round_trip() -> None:
    entries = [po.PoEntry("ep-0001", "Hello & welcome", "Hola y bienvenidos", "00:00:01.000 --> 00:00:02.000 Ana",
                          False), po.PoEntry("ep-0002", "Bye", "Adiós", "", True)]
    written = po.write(entries, header="A test.", metadata={"Language": "es", "Content-Type": "text/plain; charset=UTF-8"})
    assert polib.pofile(written).metadata["Language"] == "es"  # polib reads it as a PO file
    doc = po.parse(written)
    assert doc.metadata["Language"] == "es"
    assert [(e.msgctxt, e.msgid, e.msgstr, e.comment, e.fuzzy) for e in doc.entries] == [
        (e.msgctxt, e.msgid, e.msgstr, e.comment, e.fuzzy) for e in entries]
    assert all(e.line > 0 for e in doc.entries)


# --------------------------------------------------------------------------- the registry


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx", "webvtt"),
    ("a.vtt", "1\n00:00:00.800 --> 00:00:03.865\nno header", "webvtt"),  # the extension decides; the reader refuses
    ("a.srt", "WEBVTT\n", "webvtt"),
    ("a.txt", "1\n00:00:01,000 --> 00:00:02,000\nx", "subrip"),
    ("captions", "0:00:00.599,0:00:04.160\nx", "sbv"),
    ("a.json", '{"segments": [{"start": 0, "end": 1, "text": "x"}]}', "whisper_json"),
    ("a.json", '{"version": "1.0.0", "segments": [{"startTime": 0, "endTime": 1, "body": "x"}]}', "podcast_json"),
    ("a.json", '{"version": "1.2.0", "chapters": []}', "chapters_json"),
    ("a.json", '{"oops": 1}', "whisper_json"),  # its reader names what is wrong
    ("a.po", 'msgid ""\nmsgstr ""\n', "po"),
    ("a.txt", "Plain words.", "text"),
    ("a.md", "# Title\n\nWords.", "markdown"),
    ("a.docx", "PK", None),
])
def test_detect(name: str, content: str, fmt: str | None) -> None:
    assert formats.detect(name, content) == fmt
