"""Subtitle writers: golden files, escaping, SRT re-wrapping, JSON shapes.

Golden files live in tests/publish/golden/subtitles.*.  After an intended
change to a writer, regenerate them and review the diff:

    TOOLKIT_UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/publish/test_subtitles.py -q
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from toolkit.errors import InputError
from toolkit.model import Chapter, Cue
from toolkit.publish import subtitles as S

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TOOLKIT_UPDATE_GOLDENS") == "1"

NOTE = "This transcript was machine translated (argos en→es) and has not been reviewed."

CUES = (
    Cue("ep1-0a1b2c3d", 0, 2500, ("Welcome to Field Notes.",), speaker="Ana Ruiz", speaker_change=True,
        chapter=0, sentences=(0,)),
    Cue("ep1-1b2c3d4e", 2580, 6100, ("R&D costs < 5% of GDP <script>", "and nobody --> notices."),
        speaker="Ana Ruiz", chapter=0, sentences=(1,)),
    Cue("ep1-2c3d4e5f", 6180, 9800, ("Café “Zürich” — naïve façade,", "über 98.99 million people."),
        speaker="Li <Wei> & Co", speaker_change=True, chapter=1, sentences=(2, 3)),
    Cue("ep1-3d4e5f60", 9880, 12000, ("贵州省在全国排名第一，", "原因有二。"), speaker="李", speaker_change=True,
        chapter=1, sentences=(4,)),
    Cue("ep1-3d4e5f60-2", 3_600_000 + 12_345, 3_600_000 + 15_000, ("Unknown speaker, an hour later.",),
        speaker=None, speaker_change=True, chapter=1, sentences=(5,)),
)
CHAPTERS = (Chapter("Intro & “Welcome”", 0), Chapter("Numbers < words", 6180), Chapter("Ending", 3_600_000))


def _golden(name: str, text: str) -> None:
    path = GOLDEN / f"subtitles.{name}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"missing golden {path} (run with TOOLKIT_UPDATE_GOLDENS=1)"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs (TOOLKIT_UPDATE_GOLDENS=1 to accept)"


def test_vtt_golden() -> None:
    _golden("vtt", S.to_vtt(CUES, notes=[NOTE]))


def test_srt_golden() -> None:
    _golden("srt", S.to_srt(CUES))


def test_transcript_json_golden() -> None:
    _golden("transcript.json", S.to_transcript_json(CUES))


def test_chapters_json_golden() -> None:
    _golden("chapters.json", S.to_chapters_json(list(reversed(CHAPTERS)), title="The Bridge",
                                                podcast_name="Field Notes"))


def test_vtt_escapes_and_structure() -> None:
    vtt = S.to_vtt(CUES, notes=[NOTE, "second --> note\n\nwith a blank line"])
    assert vtt.startswith("WEBVTT\n\nNOTE\n")
    assert vtt.endswith("\n") and not vtt.endswith("\n\n")
    assert "R&amp;D costs &lt; 5% of GDP &lt;script&gt;" in vtt
    assert "<script>" not in vtt and "R&D" not in vtt
    assert "nobody --&gt; notices." in vtt
    assert "<v Ana Ruiz>Welcome" in vtt
    assert "<v Li &lt;Wei&gt; &amp; Co>Café" in vtt
    assert vtt.count("<v Ana Ruiz>") == 1  # only at the speaker change
    assert "01:00:12.345 --> 01:00:15.000" in vtt
    # Every "-->" is a timing line; no NOTE carries one.
    assert all(" --> " in line and line.count("-->") == 1 for line in vtt.splitlines() if "-->" in line)
    assert "\n\nNOTE\nsecond -> note\nwith a blank line\n\n" in vtt
    assert max(len(line) for line in vtt.splitlines() if "-->" not in line and not line.startswith("<v")) <= 65
    assert "NOTE\nThis transcript was machine translated" in vtt


def test_vtt_long_lines_rewrapped_to_65() -> None:
    long = Cue("x-1", 0, 5000, ("word " * 30,))
    lines = S.to_vtt([long]).splitlines()[3:]
    assert len(lines) >= 2 and all(len(line) <= 65 for line in lines)


def test_srt_shape() -> None:
    srt = S.to_srt(CUES)
    blocks = srt.rstrip("\n").split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [str(n) for n in range(1, len(blocks) + 1)]
    for block in blocks:
        lines = block.splitlines()
        assert " --> " in lines[1] and "," in lines[1]
        assert 1 <= len(lines[2:]) <= 2
        assert all(len(line) <= 32 for line in lines[2:]), lines
    assert "\nAna Ruiz:" in srt  # the label opens the first text line
    assert srt.count("Ana Ruiz:") == 1
    assert "-->" not in srt.replace(" --> ", "")
    assert "\r" not in srt


def test_srt_splits_long_cue_time_proportionally() -> None:
    text = ("This is a rather long cue of text that needs", "more than two lines of 32 characters.")
    srt = S.to_srt([Cue("x-1", 1000, 7000, text)])
    blocks = srt.rstrip("\n").split("\n\n")
    assert len(blocks) == 2
    (_, t1, *l1), (_, t2, *l2) = (b.splitlines() for b in blocks)
    assert t1.startswith("00:00:01,000 --> ") and t2.endswith(" --> 00:00:07,000")
    assert t1.split(" --> ")[1] == t2.split(" --> ")[0]
    boundary = int(t1.split(" --> ")[1].replace(",", "").replace(":", "")[-5:])  # ss,mmm → ms
    chars1 = sum(len(x) for x in l1)
    chars2 = sum(len(x) for x in l2)
    assert abs(boundary - (1000 + 6000 * chars1 / (chars1 + chars2))) <= 1
    assert " ".join(l1 + l2) == " ".join(text)


def test_transcript_json_shape() -> None:
    doc = json.loads(S.to_transcript_json(CUES))
    assert doc["version"] == "1.0.0"
    segs = doc["segments"]
    assert list(segs[0]) == ["speaker", "startTime", "endTime", "body"]
    assert "speaker" not in segs[-1]
    assert segs[1]["body"] == "R&D costs < 5% of GDP <script> and nobody --> notices."
    assert segs[3]["body"] == "贵州省在全国排名第一，原因有二。"  # no space between CJK lines
    assert segs[-1]["startTime"] == 3612.345


def test_chapters_sorted_and_optional_fields() -> None:
    doc = json.loads(S.to_chapters_json(list(reversed(CHAPTERS))))
    assert list(doc) == ["version", "chapters"]
    assert [c["startTime"] for c in doc["chapters"]] == [0.0, 6.18, 3600.0]
    with pytest.raises(InputError, match="Untimed"):
        S.to_chapters_json([Chapter("Untimed", None, line=4)])


@pytest.mark.parametrize("bad", [
    Cue("a-->b", 0, 1000, ("x",)),
    Cue("a\nb", 0, 1000, ("x",)),
    Cue("ok", 1000, 1000, ("x",)),
    Cue("ok", -5, 1000, ("x",)),
])
def test_writers_refuse_bad_cues(bad: Cue) -> None:
    for writer in (S.to_vtt, S.to_srt, S.to_transcript_json):
        with pytest.raises(InputError):
            writer([bad])


def test_out_of_order_cues_refused() -> None:
    with pytest.raises(InputError, match="cue b"):
        S.to_vtt([Cue("a", 5000, 6000, ("x",)), Cue("b", 1000, 2000, ("y",))])


def test_write_subtitles_atomic_and_reproducible(tmp_path: Path) -> None:
    paths = S.write_subtitles(tmp_path / "out", CUES, CHAPTERS, notes=[NOTE], title="T")
    assert [p.name for p in paths] == list(S.FILES)
    first = {p.name: p.read_bytes() for p in paths}
    mtimes = {p.name: p.stat().st_mtime_ns for p in paths}
    S.write_subtitles(tmp_path / "out", CUES, CHAPTERS, notes=[NOTE], title="T")
    assert {p.name: p.read_bytes() for p in paths} == first
    assert {p.name: p.stat().st_mtime_ns for p in paths} == mtimes  # unchanged files untouched
    assert sorted(x.name for x in (tmp_path / "out").iterdir()) == sorted(S.FILES)  # no temp files left


def test_write_subtitles_writes_nothing_on_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        S.write_subtitles(tmp_path, CUES, (Chapter("No time"),))
    assert list(tmp_path.iterdir()) == []


def test_decode_vtt_text() -> None:
    assert S.decode_vtt_text("<v Ana>R&amp;D &lt;b&gt; <i>x</i>") == "R&D <b> x"
