"""Bytes → text for every transcript reader.

Accepted: UTF-8 (with or without a BOM), UTF-16 LE/BE with a BOM, and UTF-16
without a BOM when the NUL-byte pattern gives it away (Windows tools such as
Notepad and some caption editors write "Unicode" files like that).  Line ends
are normalised to ``\\n`` (CRLF from Windows editors, lone CR from old Mac
tools), so line numbers in error messages match what an editor shows.

Anything else — typically Latin-1 / Windows-1252 bytes that are not valid
UTF-8 — is rejected with an :class:`~toolkit.errors.InputError` naming the file
and the line of the first bad byte: guessing a legacy code page silently turns
names into mojibake that then ends up in feeds and subtitles.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError

__all__ = ["decode", "read_text"]

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

# How many leading bytes the BOM-less UTF-16 sniffing looks at.
_SNIFF = 4096


def _line_of(data: bytes, offset: int, unit: int = 1) -> int:
    """1-based line number of byte ``offset`` (newline = LF, CRLF or CR)."""
    head = data[:offset]
    if unit == 2:  # count newlines in UTF-16 code units, either byte order
        cr = head.count(b"\r\x00") + head.count(b"\x00\r")
        crlf = head.count(b"\r\x00\n\x00") + head.count(b"\x00\r\x00\n")
        lf = head.count(b"\n\x00") + head.count(b"\x00\n")
        return lf + cr - crlf + 1
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _sniff_utf16(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from where the NUL bytes are.

    Text in Latin scripts encoded as UTF-16 has a NUL in every other byte: at
    odd offsets for little-endian, at even offsets for big-endian.  UTF-8 text
    never contains NUL bytes, so a strong one-sided pattern is unambiguous.
    """
    sample = data[:_SNIFF]
    pairs = len(sample) // 2
    if pairs == 0 or b"\x00" not in sample:
        return None
    even = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def decode(data: bytes, path: str | Path) -> str:
    """Decode transcript bytes to text with ``\\n`` line ends (see module doc)."""
    codec, label, body = "utf-8", "UTF-8", data
    for bom, name, human in _BOMS:
        if data.startswith(bom):
            codec, label, body = name, human, data[len(bom) :]
            break
    else:
        sniffed = _sniff_utf16(data)
        if sniffed is not None:
            codec, label = sniffed, ("UTF-16 LE" if sniffed.endswith("le") else "UTF-16 BE")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        unit = 2 if codec.startswith("utf-16") else 1
        line = _line_of(body, exc.start, unit)
        bad = body[exc.start : exc.start + 1].hex().upper()
        if codec == "utf-8":
            message = f"not valid UTF-8 (byte 0x{bad}); save the file as UTF-8"
        else:
            message = f"not valid {label} (byte 0x{bad} at offset {exc.start})"
        raise InputError(message, path=path, line=line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A second BOM can survive when a tool prepends one to an already-BOM'd file.
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(
            "contains NUL characters (a binary file, or UTF-16 without a BOM that could not be recognised)",
            path=path,
            line=text.count("\n", 0, nul) + 1,
        )
    return text


def read_text(path: Path) -> str:
    """Read and decode ``path``; an unreadable file is an :class:`InputError`."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("transcript file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read transcript: {exc.strerror or exc}", path=path) from None
    return decode(data, path)
