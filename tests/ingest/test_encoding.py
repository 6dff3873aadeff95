"""Decoding transcripts: UTF-8 (± BOM), UTF-16 LE/BE (± BOM), legacy code
pages detected with charset-normalizer or declared in episode.toml, line
ends, bad bytes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from toolkit.errors import InputError
from toolkit.formats.text import decode
from toolkit.ingest import read_transcript

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
        TEXT.replace("\n", "\r\n").encode("cp1252"),  # Notepad / Word "Plain text" on a Western Windows
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "crlf", "cr", "utf16le-crlf",
         "cp1252"],
)
def test_decode_accepts(data: bytes) -> None:
    assert decode(data, "t.txt", language="es").text == TEXT


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
    assert ta.encoding == ("UTF-16 LE" if codec.endswith("le") else "UTF-16 BE") and tb.encoding is None


ARTICLE = ("The café opened at nine o’clock — “early”, said Zoë.\r\nA kettle costs 25 €; a repair costs nothing.\r\n"
           "Señora Núñez brought a naïve little toaster.\r\n")


@pytest.mark.parametrize(("codec", "lang", "label"), [
    ("cp1252", "en", "Windows-1252"),
    ("cp1252", "es", "Windows-1252"),
    ("cp1250", "pl", "Windows-1250"),
    ("cp1251", "ru", "Windows-1251"),
])
def test_legacy_code_page_is_detected_and_reported(tmp_path: Path, codec: str, lang: str, label: str) -> None:
    text = {"cp1250": "Zażółć gęślą jaźń. Łódź leży w Polsce.\n",
            "cp1251": "Привет, как дела? Мы чиним старые часы.\n"}.get(codec, ARTICLE)
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(codec))
    t = read_transcript(path, language=lang)
    assert t.encoding == f"{label} (detected)"
    assert " ".join(s.text for s in t.sentences) == " ".join(text.split())


def test_declared_encoding_wins(tmp_path: Path) -> None:
    """episode.toml `encoding = "latin-1"`: no guessing; the declared codec is reported."""
    path = tmp_path / "a.txt"
    path.write_bytes("Ça coûte 5 ¤ à Genève.\n".encode("latin-1"))
    t = read_transcript(path, language="fr", encoding="latin-1")
    assert t.sentences[0].text == "Ça coûte 5 ¤ à Genève." and t.encoding == "ISO-8859-1 (episode.toml)"


def test_declared_encoding_that_does_not_fit_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("First line.\nSecond: caf\xe9.\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8.*episode.toml") as info:
        read_transcript(path, language="en", encoding="utf-8")
    assert info.value.line == 2


def test_mostly_utf8_with_a_stray_byte_names_file_and_line(tmp_path: Path) -> None:
    """A UTF-8 file with one pasted Latin-1 byte is broken UTF-8, not a code page
    to guess (that would turn its correct characters into mojibake)."""
    path = tmp_path / "mixed.txt"
    path.write_bytes("Sí, first line.\r\nSecond too.\r\nThird: caf".encode("utf-8") + b"\xe9 au lait.\n")
    with pytest.raises(InputError) as info:
        read_transcript(path, language="en")
    err = info.value
    assert err.path == str(path) and err.line == 3
    assert "UTF-8" in str(err) and "0xE9" in str(err) and "encoding" in str(err)
    assert str(err).startswith(f"{path}:3: ")


def test_bad_utf8_line_counts_cr_only_files(tmp_path: Path) -> None:
    path = tmp_path / "cr.txt"
    path.write_bytes("é one.\rtwo.\rthree ".encode() + b"\xff.\r")
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
