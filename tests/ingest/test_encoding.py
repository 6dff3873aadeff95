"""Encoding detection: UTF-8 (± BOM), UTF-16 LE/BE (± BOM), line ends, bad bytes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from toolkit.errors import InputError
from toolkit.ingest import read_transcript
from toolkit.ingest.encoding import decode

TEXT = "Ana: Café con leche, “por favor”.\nLi: Sí.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # BOM-less, found by the NUL pattern
        TEXT.encode("utf-16-be"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.replace("\n", "\r\n").encode("utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "crlf", "cr", "utf16le-crlf"],
)
def test_decode_accepts(data: bytes) -> None:
    assert decode(data, "t.txt") == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_transcript_reads_like_utf8(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(bom + TEXT.replace("\n", "\r\n").encode(codec))
    b.write_bytes(TEXT.encode("utf-8"))
    ta, tb = read_transcript(a, language="es"), read_transcript(b, language="es")
    assert ta.turns == tb.turns
    assert [t.speaker for t in ta.turns] == ["Ana", "Li"]
    assert ta.sentences[1].line == 2


def test_latin1_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("First line is fine.\r\nSecond too.\r\nThird: caf\xe9 au lait.\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_transcript(path, language="en")
    err = info.value
    assert err.path == str(path) and err.line == 3
    assert "UTF-8" in str(err) and "0xE9" in str(err)
    assert str(err).startswith(f"{path}:3: ")


def test_bad_utf8_line_counts_cr_only_files(tmp_path: Path) -> None:
    path = tmp_path / "cr.txt"
    path.write_bytes(b"one.\rtwo.\rthree \xff.\r")
    with pytest.raises(InputError) as info:
        read_transcript(path, language="en")
    assert info.value.line == 3


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", codecs.BOM_UTF8 + b"\r\n\r\n", codecs.BOM_UTF16_LE])
def test_empty_transcript(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        read_transcript(path, language="en")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_transcript(tmp_path / "nope.txt", language="en")


def test_binary_nul_bytes_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(b"Hello.\n\x00\x01\x02\x00\x00\xff\x00")
    with pytest.raises(InputError):
        read_transcript(path, language="en")
