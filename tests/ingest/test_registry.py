"""The reader registry (formats.detect → ingest.READERS) and the public interface."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import config, formats
from toolkit.errors import InputError
from toolkit.ingest import READERS, read_transcript
from toolkit.ingest.sbv import read_sbv
from toolkit.ingest.srt import read_srt
from toolkit.ingest.text import read_markdown, read_plain
from toolkit.ingest.vtt import read_vtt
from toolkit.ingest.whisper import read_podcast_json, read_whisper


def test_registry_covers_config_suffixes() -> None:
    for suffix in config.TRANSCRIPT_SUFFIXES:
        fmt = formats.EXTENSIONS[suffix]
        assert fmt == "json" or fmt in READERS, suffix
    assert READERS == {"text": read_plain, "markdown": read_markdown, "subrip": read_srt, "webvtt": read_vtt,
                       "sbv": read_sbv, "whisper_json": read_whisper, "podcast_json": read_podcast_json}


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "T.SRT"
    path.write_text("1\n00:00:00,000 --> 00:00:01,000\nHi.\n", encoding="utf-8")
    assert read_transcript(path, language="en").sentences[0].start == 0


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputError, match="unsupported transcript type '.docx'"):
        read_transcript(path, language="en")


@pytest.mark.parametrize(("content", "fmt"), [
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nHi.\n", "webvtt"),
    ("1\n00:00:00,000 --> 00:00:01,000\nHi.\n", "subrip"),
    ("0:00:00.000,0:00:01.000\nHi.\n", "sbv"),
    ('{"segments": [{"start": 0, "end": 1, "text": "Hi."}]}', "whisper_json"),
    ('{"version": "1.0.0", "segments": [{"startTime": 0, "endTime": 1, "body": "Hi."}]}', "podcast_json"),
    ("Hi there.\n", "text"),
])
def test_captions_saved_as_txt_are_read_by_their_content(tmp_path: Path, content: str, fmt: str) -> None:
    """The registry looks at the content when the name says nothing (a
    download saved as transcript.txt), as pysubs2 does."""
    path = tmp_path / ("t.json" if content.startswith("{") else "t.txt")
    path.write_text(content, encoding="utf-8")
    assert formats.detect(path, content) == fmt
    t = read_transcript(path, language="en")
    assert t.sentences[0].text == "Hi." if fmt != "text" else t.sentences[0].text == "Hi there."
    assert t.timed == (fmt != "text")


def test_webvtt_signature_wins_over_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "t.srt"
    path.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi.\n", encoding="utf-8")
    assert read_transcript(path, language="en").sentences[0].end == 1000


def test_chapters_json_is_not_a_transcript(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "A"}]}', encoding="utf-8")
    with pytest.raises(InputError, match="chapters file"):
        read_transcript(path, language="en")


@pytest.mark.parametrize("name", ["narrative.txt", "interview.txt", "article.md", "cues.srt", "cues.vtt", "whisper.json"])
def test_every_shape_is_deterministic(fixtures: Path, name: str) -> None:
    a = read_transcript(fixtures / name, language="en", speakers={"ANA": "Ana"})
    b = read_transcript(fixtures / name, language="en", speakers={"ANA": "Ana"})
    assert a == b and a.sentences
    assert all(s.line is not None for s in a.sentences) or name.endswith(".json")
