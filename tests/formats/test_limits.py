"""The limits of toolkit.formats.limits, each at its edge, and where each reader applies them.

The limits are large (16 MiB, 200 000 characters, 200 000 cues), so the
readers are checked against a lowered limit (monkeypatched on the module the
readers consult at call time); the checks themselves at the real values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.errors import ImportRejected, InputError
from toolkit.formats import limits, po, timecode, webvtt, whisper_json
from toolkit.ingest import read_transcript
from toolkit.review.importer import read_file


def test_line_length_limit_names_the_line() -> None:
    limit = limits.MAX_LINE_CHARS
    limits.check_lines("x" * limit)  # exactly at the limit: fine
    limits.check_lines(("y" * 10 + "\n") * 50_000 + "x" * limit + "\n" + "z" * limit)
    with pytest.raises(InputError, match=r"^f.txt:3: line is 200,001 characters long \(at most 200,000"):
        limits.check_lines("a\nb\n" + "x" * (limit + 1) + "\nshort\n", "f.txt")
    with pytest.raises(InputError, match=r"^line 2: line is 200,001"):
        limits.check_lines("ok\n" + "x" * (limit + 1))  # the last line, without a final newline


def test_file_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"x" * (limits.MAX_FILE_BYTES + 1))
    with pytest.raises(InputError, match="larger than 16 MiB"):
        limits.read_bounded(path)
    path.write_bytes(b"x" * limits.MAX_FILE_BYTES)
    assert len(limits.read_bounded(path)) == limits.MAX_FILE_BYTES
    with pytest.raises(InputError, match="not found"):
        limits.read_bounded(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="a folder"):
        limits.read_bounded(tmp_path)


@pytest.mark.parametrize(("text", "words"), [
    ('{"a": ' + "1" * 41 + "}", ":1: a number with 41 characters (at most 40)"),
    ('{\n"a": 1e400}', ":2: the number 1e400 is out of range"),
    ('{"a": -1e400}', "out of range"),
    ("[" * 33 + "]" * 33, ": [0][0][0]"),
    ("[" * 50_000 + "]" * 50_000, "JSON nested deeper than 32 levels"),
    ('{"a": [1,', "not valid JSON"),
])
def test_json_limits(text: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        limits.load_json(text, "f.json")
    assert words in str(info.value) and str(info.value).startswith("f.json")
    assert len(str(info.value)) < 200


def test_json_within_the_limits_loads() -> None:
    value = limits.load_json("[" * 32 + "]" * 32)
    for _ in range(31):
        value = value[0]
    assert value == []
    assert limits.load_json('{"a": ' + "1" * 40 + ", \"b\": 1e308, \"c\": NaN}")["b"] == 1e308


def test_timestamp_hours_are_bounded_not_converted() -> None:
    assert timecode.parse_vtt("9999999999:59:59.999") == timecode.MAX_MS
    assert timecode.parse_vtt("0000000000000001:00:00.000") == 3_600_000  # leading zeros are no digits
    assert timecode.parse_vtt("10000000000:00:00.000") is None
    assert timecode.parse_vtt("1" * 5000 + ":00:00.000") is None
    assert timecode.out_of_range("1" * 11 + ":00") and not timecode.out_of_range("00:00:01.000")
    with pytest.raises(ValueError, match="out of range"):
        timecode.from_seconds(1e308)
    assert timecode.from_seconds(timecode.MAX_MS / 1000) == timecode.MAX_MS


def test_cue_text_tags_nest_at_most_32_deep() -> None:
    raw = "<b>" * 40 + "deep" + "</b>" * 40 + " after"
    tree = webvtt.parse_cue_text(raw)
    depth, node = 0, tree
    while node.children and node.children[0].kind == "b":
        depth, node = depth + 1, node.children[0]
    assert depth == limits.MAX_CUE_TAG_DEPTH
    assert webvtt.display_text(raw) == "deep after"
    assert webvtt.display_text("<i>" * 20_000 + "x") == "x"


def test_region_line_count_of_any_length_is_ignored() -> None:
    doc = webvtt.parse("WEBVTT\n\nREGION\nid:r lines:" + "9" * 5000 + "\n\n00:00.000 --> 00:01.000 region:r\nhi\n")
    assert doc.regions[0].lines == 3 and doc[0].settings.region == "r"


@pytest.fixture()
def few_cues(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(limits, "MAX_CUES", 3)
    return 3


@pytest.mark.parametrize(("name", "cue", "line"), [
    ("t.srt", "{n}\n00:00:0{n},000 --> 00:00:0{n},500\nHello {n}.\n\n", 14),
    ("t.vtt", "00:00:0{n}.000 --> 00:00:0{n}.500\nHello {n}.\n\n", 12),
    ("t.sbv", "0:00:0{n}.000,0:00:0{n}.500\nHello {n}.\n\n", 10),
])
def test_caption_readers_refuse_more_cues_than_the_limit(tmp_path: Path, few_cues: int, name: str, cue: str,
                                                         line: int) -> None:
    path = tmp_path / name
    head = "WEBVTT\n\n" if name.endswith(".vtt") else ""
    path.write_text(head + "".join(cue.format(n=n) for n in range(1, 4)), encoding="utf-8")
    assert len(read_transcript(path, language="en").sentences) == 3  # at the limit: fine
    path.write_text(head + "".join(cue.format(n=n) for n in range(1, 6)), encoding="utf-8")
    with pytest.raises(InputError, match=rf"{name}:{line}: more than 3 \w+ in one file"):
        read_transcript(path, language="en")


def test_json_and_po_readers_refuse_more_than_the_limit(tmp_path: Path, few_cues: int) -> None:
    segments = [{"start": n, "end": n + 0.5, "text": f"Hello {n}."} for n in range(5)]
    with pytest.raises(InputError, match=r"segments\[3\]: more than 3 segments"):
        whisper_json.parse(json.dumps({"segments": segments}), "w.json")
    entries = "".join(f'msgctxt "c{n}"\nmsgid "a{n}"\nmsgstr "b{n}"\n\n' for n in range(5))
    with pytest.raises(InputError, match=r"p.po:13: more than 3 entries"):
        po.parse(entries, "p.po")
    path = tmp_path / "x.srt"
    path.write_text("".join(f"{n}\n00:00:0{n},000 --> 00:00:0{n},500\nHola.\n\n" for n in range(1, 6)),
                    encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"x.srt:13: more than 3 cues"):
        read_file(path)


def test_messages_quote_at_most_sixty_characters() -> None:
    assert limits.quoted("\ufeff" * 100) == "'" + "\\ufeff" * 10 + "…'"
    assert limits.quoted("short") == "'short'"
    assert limits.clip("x" * 100, 10) == "x" * 9 + "…"
