"""Bytes → text for every file the toolkit reads (transcripts, the
translations store, translators' files).

Decided in this order:

1. an explicit ``encoding`` (``encoding = "cp1252"`` in ``episode.toml``) is
   used as it is, strictly: a byte it cannot decode is an error naming the
   line;
2. a byte-order mark: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE;
3. UTF-16 without a BOM, when the NUL-byte pattern gives it away (Windows
   tools such as Notepad and some caption editors write "Unicode" like that);
4. UTF-8;
5. when the bytes are not UTF-8 at all — no valid multi-byte UTF-8 sequence
   anywhere, as in a file saved by Notepad or Word "Plain text" in the
   Windows code page — and ``legacy`` is allowed, the legacy code page is
   *detected* with charset-normalizer (a maintained detector), among the
   code pages used for the file's language first (``cp1252`` for English,
   Spanish, French…, ``cp1250`` for Polish or Czech, ``cp1251`` for Russian,
   ``gb18030`` for Chinese, ``cp932`` for Japanese…), then among all.  The
   result says it was detected, so callers can report it;
6. a file that *is* UTF-8 but has a stray bad byte (typically one pasted
   Latin-1 character) is an error naming the line: guessing a code page for
   a file that is mostly UTF-8 would turn its correct characters into
   mojibake.

Line ends are normalised to ``\\n`` (CRLF from Windows editors, lone CR from
old Mac tools), so line numbers in error messages match what an editor
shows, and a BOM never reaches the text.  NUL characters are refused unless
the caller accepts them (the WebVTT parser replaces them, as the spec says).
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .limits import read_bounded

__all__ = ["Decoded", "decode", "read", "LEGACY_BY_LANGUAGE", "codec_label"]

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

#: Legacy code pages tried first for a language (base code), before any other.
LEGACY_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    **{lang: ("cp1252",) for lang in (
        "en", "es", "fr", "de", "it", "pt", "nl", "ca", "gl", "eu", "da", "sv", "no", "nb", "nn", "fi",
        "is", "ga", "cy", "af", "id", "ms", "sw", "tl", "br", "lb", "eo", "oc", "sq", "et")},
    **{lang: ("cp1250",) for lang in ("pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro")},
    **{lang: ("cp1251",) for lang in ("ru", "uk", "bg", "be", "sr", "mk", "kk", "ky", "tg", "mn")},
    "el": ("cp1253",), "tr": ("cp1254",), "az": ("cp1254",), "he": ("cp1255",), "yi": ("cp1255",),
    "ar": ("cp1256",), "fa": ("cp1256",), "ur": ("cp1256",),
    "lt": ("cp1257",), "lv": ("cp1257",), "vi": ("cp1258",), "th": ("cp874",),
    "zh": ("gb18030", "big5"), "ja": ("cp932", "euc_jp"), "ko": ("cp949",),
}  # fmt: skip

_LABELS = {
    "utf-8": "UTF-8", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE", "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE", "cp1252": "Windows-1252", "cp1250": "Windows-1250",
    "cp1251": "Windows-1251", "cp1253": "Windows-1253", "cp1254": "Windows-1254",
    "cp1255": "Windows-1255", "cp1256": "Windows-1256", "cp1257": "Windows-1257",
    "cp1258": "Windows-1258", "iso8859-1": "ISO-8859-1", "iso8859-15": "ISO-8859-15",
    "gb18030": "GB18030", "big5": "Big5", "cp932": "Shift_JIS (cp932)", "shift_jis": "Shift_JIS",
    "euc_jp": "EUC-JP", "cp949": "EUC-KR (cp949)", "cp874": "Windows-874", "mac-roman": "Mac Roman",
}  # fmt: skip

# How many leading bytes the BOM-less UTF-16 sniffing looks at.
_SNIFF = 4096


@dataclass(frozen=True)
class Decoded:
    """Text with ``\\n`` line ends, and how it was decoded."""

    text: str
    codec: str  # Python codec name: "utf-8", "utf-16-le", "cp1252", …
    label: str  # for people: "UTF-8", "UTF-8 with BOM", "Windows-1252"
    detected: bool = False  # True when the code page was guessed by the detector

    @property
    def description(self) -> str:
        """``"Windows-1252 (detected)"``, ``"UTF-16 LE"`` …"""
        return self.label + (" (detected)" if self.detected else "")


def codec_label(codec: str) -> str:
    """A codec's name for people (``cp1252`` → ``Windows-1252``)."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec
    return _LABELS.get(name, _LABELS.get(codec.lower(), name))


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
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _has_utf8_multibyte(data: bytes) -> bool:
    """Does ``data`` hold at least one valid multi-byte UTF-8 sequence?"""
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            i += 1
            continue
        size = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        if size and i + size <= n:
            try:
                data[i : i + size].decode("utf-8")
                return True
            except UnicodeDecodeError:
                pass
        i += 1
    return False


def _detect_legacy(data: bytes, language: str | None) -> str | None:
    """The most plausible legacy code page of ``data`` (charset-normalizer)."""
    from charset_normalizer import from_bytes  # only for a file that is not UTF-8 (import time)

    base = (language or "").split("-")[0].lower()
    preferred = LEGACY_BY_LANGUAGE.get(base, ())
    if preferred:
        best = from_bytes(data, cp_isolation=list(preferred)).best()
        if best is not None:
            return str(best.encoding)
    best = from_bytes(data).best()
    if best is None or best.encoding.replace("_", "-").startswith(("utf", "ascii")):
        return None
    return str(best.encoding)


def _finish(text: str, path: str | Path | None, *, allow_nul: bool) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A second BOM can survive when a tool prepends one to an already-BOM'd file.
    text = text.removeprefix("\ufeff")
    if not allow_nul:
        nul = text.find("\x00")
        if nul >= 0:
            raise InputError(
                "contains NUL characters (a binary file, or UTF-16 without a BOM that could not be recognised)",
                path=path,
                line=text.count("\n", 0, nul) + 1,
            )
    return text


def _strict(body: bytes, codec: str, label: str, path: str | Path | None, *, hint: str) -> str:
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        unit = 2 if codec.startswith("utf-16") else 1
        line = _line_of(body, exc.start, unit)
        bad = body[exc.start : exc.start + 1].hex().upper()
        if codec == "utf-8":
            message = f"not UTF-8 (byte 0x{bad}); {hint}"
        else:
            message = f"not valid {label} (byte 0x{bad} at offset {exc.start})"
        raise InputError(message, path=path, line=line) from None


def decode(
    data: bytes,
    path: str | Path | None = None,
    *,
    encoding: str | None = None,
    language: str | None = None,
    legacy: bool = True,
    allow_nul: bool = False,
) -> Decoded:
    """Decode file bytes (see the module doc for the order of the rules).

    ``encoding`` forces a codec; ``language`` ranks the legacy code pages;
    ``legacy=False`` refuses anything that is not Unicode (the translations
    store, translators' files: there a wrong guess would corrupt human text).
    Raises :class:`~toolkit.errors.InputError` naming ``path`` and the line.
    """
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", path=path) from None
        label = codec_label(name)
        # a BOM decodes to U+FEFF with the codec named, and _finish drops it
        text = _strict(data, name, label, path, hint=f"the file is not {label} as episode.toml says")
        return Decoded(_finish(text, path, allow_nul=allow_nul), name, label)
    for bom, bom_codec, label in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], bom_codec, label, path, hint="save the file as UTF-8")
            return Decoded(_finish(text, path, allow_nul=allow_nul), bom_codec, label)
    sniffed = _sniff_utf16(data)
    if sniffed is not None:
        label = codec_label(sniffed)
        text = _strict(data, sniffed, label, path, hint="")
        return Decoded(_finish(text, path, allow_nul=allow_nul), sniffed, label)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not legacy or _has_utf8_multibyte(data):
            hint = "save the file as UTF-8"
            if legacy:
                hint += " (it mixes UTF-8 with another encoding), or set encoding in episode.toml"
            _strict(data, "utf-8", "UTF-8", path, hint=hint)
            raise AssertionError("unreachable") from exc  # pragma: no cover - _strict raised
        codec = _detect_legacy(data, language)
        if codec is None:
            line = _line_of(data, exc.start)
            raise InputError(
                f"not UTF-8 (byte 0x{data[exc.start]:02X}) and no legacy encoding fits; save the file as "
                "UTF-8, or set encoding (e.g. encoding = \"cp1252\") in episode.toml",
                path=path, line=line,
            ) from None
        label = codec_label(codec)
        log.info("%s: not UTF-8; read as %s (detected)", path, label)
        return Decoded(_finish(data.decode(codec), path, allow_nul=allow_nul), codec, label, detected=True)
    return Decoded(_finish(text, path, allow_nul=allow_nul), "utf-8", "UTF-8")


def read(
    path: str | Path,
    *,
    encoding: str | None = None,
    language: str | None = None,
    legacy: bool = True,
    allow_nul: bool = False,
    what: str = "transcript",
) -> Decoded:
    """Read and decode ``path``; an unreadable file, or one larger than
    :data:`~toolkit.formats.limits.MAX_FILE_BYTES` (refused before it is read
    whole), is an :class:`InputError`."""
    data = read_bounded(path, what=what)
    return decode(data, path, encoding=encoding, language=language, legacy=legacy, allow_nul=allow_nul)
