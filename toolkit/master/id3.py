"""ID3v2.3 tags and chapters of the published MP3, written with mutagen.

Frames: ``TIT2`` title, ``TALB`` show, ``TPE1`` author, ``TDRC`` date, ``TLAN``
language (ISO 639-2), ``TRCK`` episode number, ``TPOS`` season, ``TCON``
Podcast, ``COMM`` description, ``USLT`` transcript, ``APIC`` front cover (the
original image bytes), and chapters: one ``CHAP`` per chapter (start/end in
ms, a ``TIT2`` title and a ``WXXX`` link sub-frame) under an ordered top-level
``CTOC``.

mutagen stores frames sorted by its own priority, size and hash, not by time,
and ffprobe (like many players) lists ``CHAP`` frames in stored order;
:class:`_TimeOrderedID3` writes them last, in time order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen.id3 import ID3

#: ISO 639-1 → ISO 639-2/T (what TLAN, COMM and USLT need); others are left out of TLAN.
ISO639_2 = {
    "ar": "ara", "bg": "bul", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell",
    "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra",
    "ga": "gle", "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "is": "isl",
    "it": "ita", "ja": "jpn", "ko": "kor", "lt": "lit", "lv": "lav", "ms": "msa", "nb": "nob", "nl": "nld",
    "nn": "nno", "no": "nor", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv",
    "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam", "th": "tha", "tr": "tur", "uk": "ukr", "ur": "urd",
    "vi": "vie", "zh": "zho",
}


def iso639_2(code: str) -> str:
    """``pt-BR`` → ``por``; ``und`` when the language is not in the table."""
    return ISO639_2.get(code.split("-")[0].lower(), "und")


@dataclass(frozen=True)
class ChapterMark:
    """One ID3 chapter: times in ms, a title, an optional link."""

    start: int
    end: int
    title: str
    url: str | None = None


@dataclass(frozen=True)
class TagData:
    """Everything written into the MP3's ID3 tag."""

    title: str
    show: str
    author: str
    date: str  # YYYY-MM-DD
    language: str  # BCP 47 (converted to ISO 639-2)
    description: str
    transcript: str | None = None
    number: int | None = None
    season: int | None = None
    cover: tuple[bytes, str] | None = None  # (bytes, MIME)
    chapters: tuple[ChapterMark, ...] = ()


class _TimeOrderedID3(ID3):
    """An ID3 tag that stores its CHAP frames last, in time order."""

    def _write(self, config: Any) -> bytearray:
        from mutagen.id3._tags import save_frame  # only when a mastered file is tagged

        chapters = sorted(self.getall("CHAP"), key=lambda c: (c.start_time, c.element_id))
        self.delall("CHAP")
        try:
            data: bytearray = super()._write(config)
        finally:
            for chap in chapters:
                self.add(chap)
        for chap in chapters:
            data += save_frame(chap, config=config)
        return data


def write_tags(path: Path, tags: TagData) -> None:
    """Replace every tag of the MP3 at ``path`` with ``tags`` (ID3v2.3)."""
    from mutagen.id3 import (APIC, CHAP, COMM, CTOC, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TPOS, TRCK, USLT, WXXX,  # only when a mastered file is tagged
                             CTOCFlags, PictureType)

    lang3 = iso639_2(tags.language)
    id3 = _TimeOrderedID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TALB(encoding=3, text=[tags.show]))
    id3.add(TPE1(encoding=3, text=[tags.author]))
    id3.add(TDRC(encoding=3, text=[tags.date]))
    id3.add(TCON(encoding=3, text=["Podcast"]))
    if lang3 != "und":
        id3.add(TLAN(encoding=3, text=[lang3]))
    if tags.number:
        id3.add(TRCK(encoding=3, text=[str(tags.number)]))
    if tags.season:
        id3.add(TPOS(encoding=3, text=[str(tags.season)]))
    if tags.description:
        id3.add(COMM(encoding=3, lang=lang3 if lang3 != "und" else "eng", desc="", text=[tags.description]))
    if tags.transcript:
        id3.add(USLT(encoding=3, lang=lang3 if lang3 != "und" else "eng", desc="transcript",
                     text=tags.transcript))
    if tags.cover is not None:
        data, mime = tags.cover
        id3.add(APIC(encoding=3, mime=mime, type=PictureType.COVER_FRONT, desc="cover", data=data))
    if tags.chapters:
        ids = [f"chp{i}" for i in range(len(tags.chapters))]
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                     sub_frames=[TIT2(encoding=3, text=["Chapters"])]))
        for eid, mark in zip(ids, tags.chapters, strict=True):
            subs: list[Any] = [TIT2(encoding=3, text=[mark.title])]
            if mark.url:
                subs.append(WXXX(encoding=3, desc="chapter url", url=mark.url))
            id3.add(CHAP(element_id=eid, start_time=mark.start, end_time=mark.end, start_offset=0xFFFFFFFF,
                         end_offset=0xFFFFFFFF, sub_frames=subs))
    id3.save(path, v2_version=3, padding=lambda info: 0)
