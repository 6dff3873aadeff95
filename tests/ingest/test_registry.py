"""The reader registry and the public interface."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import config
from toolkit.errors import InputError
from toolkit.ingest import READERS, read_transcript
from toolkit.ingest.srt import read_srt
from toolkit.ingest.text import read_markdown, read_plain
from toolkit.ingest.vtt import read_vtt
from toolkit.ingest.whisper import read_whisper


def test_registry_covers_config_suffixes() -> None:
    assert set(READERS) == set(config.TRANSCRIPT_SUFFIXES)
    assert READERS[".txt"] is read_plain and READERS[".md"] is read_markdown
    assert READERS[".srt"] is read_srt and READERS[".vtt"] is read_vtt and READERS[".json"] is read_whisper


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "T.SRT"
    path.write_text("1\n00:00:00,000 --> 00:00:01,000\nHi.\n", encoding="utf-8")
    assert read_transcript(path, language="en").sentences[0].start == 0


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported transcript type '.docx'"):
        read_transcript(path, language="en")


@pytest.mark.parametrize("name", ["narrative.txt", "interview.txt", "article.md", "cues.srt", "cues.vtt", "whisper.json"])
def test_every_shape_is_deterministic(fixtures: Path, name: str) -> None:
    a = read_transcript(fixtures / name, language="en", speakers={"ANA": "Ana"})
    b = read_transcript(fixtures / name, language="en", speakers={"ANA": "Ana"})
    assert a == b and a.sentences
    assert all(s.line is not None for s in a.sentences) or name.endswith(".json")
