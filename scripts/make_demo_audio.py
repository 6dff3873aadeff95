#!/usr/bin/env python3
"""Regenerate the demo show's audio (and the SRT episode's timings) with espeak-ng.

Usage::

    .venv/bin/python scripts/make_demo_audio.py [--root .] [--check] [slug ...]

For every ``episodes/<slug>/`` folder (or only the slugs given) this script
reads the transcript and writes ``audio.mp3`` (the ``audio`` named in
``episode.toml``):

* **Plain text** (``transcript.txt``): a *rough* reading, on purpose
  independent of ``toolkit.ingest``: lead-in boilerplate (``Listen to … here``),
  ``Leave Comments``, chapter headings (a line wholly in curly quotes, a short
  bare line such as ``Epilogue``) are not spoken; speaker labels (``HOST:``,
  ``NARRATOR-``) are stripped and choose the voice; unlabelled paragraphs keep
  the previous speaker (an unlabelled intro is read by the first speaker).
* **SRT** (``transcript.srt``): every cue is synthesized on its own and the
  file's timings are **rewritten** from the real synthesized durations, so the
  cue times and the audio agree (the cue text stays the source of truth).

Audio layout: 0.8 s lead-in; 0.4–0.7 s between sentences (a fixed,
index-derived spread, so an aligner sees realistic, uneven pauses); 1.0 s at a
paragraph or speaker change; 1.0 s tail.  Each speaker gets its own espeak-ng
voice and pitch (:data:`VOICES`, by order of appearance).

Encoding: mono 22.05 kHz MP3 (libmp3lame, CBR 32 kbit/s, Xing/Info header so
duration readers are exact), no ID3 tags.  The output is **reproducible**:
espeak-ng is deterministic and ffmpeg runs with ``-map_metadata -1 -fflags
+bitexact -flags:a +bitexact`` (no encoder version strings, no metadata), so a
rerun gives byte-identical files (``--check`` verifies that without writing).
Files are replaced atomically and only when their bytes change.

The functions here are also used by ``tests/support/seeds.py`` to narrate the
commissioned seed transcripts at test time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 22050  # espeak-ng's native rate; the MP3 keeps it
BITRATE = "32k"
LEAD_IN_MS = 800
TAIL_MS = 1000
TURN_PAUSE_MS = 1000  # paragraph or speaker change
DEFAULT_SPEED = 150  # words per minute (espeak-ng -s)

#: (espeak-ng voice, pitch 0-99) per speaker, in order of first appearance.
#: Only variants without ``breath`` noise: that noise comes from a random source
#: (measured: the first espeak-ng call from a pytest process gave different
#: samples for ``+f3``), which would break byte-identical rebuilds.
VOICES: tuple[tuple[str, int], ...] = (
    ("en-us+f4", 55),
    ("en-gb", 38),
    ("en-us+m3", 45),
    ("en-gb+f4", 65),
)

# Rough text handling (see the module docstring).  Tolerances, and why:
_BOILERPLATE = re.compile(r"^(listen to .{0,40}here\b|leave comments?$)", re.I)  # producer page furniture
_QUOTED_HEADING = re.compile(r"^“[^“”]+”$")  # a whole line in curly quotes is a chapter title
# A label is a short capitalised name before ":" or " -"/"- " (both styles occur).
_LABEL = re.compile(r"^([A-Z][\w.'’]*(?: [A-Z][\w.'’]*){0,3})(?::\s*|\s*-\s+)(?=\S)")
# Words whose trailing period does not end a sentence ("Dr. Marsh", "the U.S. in").
_ABBREV = {"dr", "mr", "mrs", "ms", "st", "prof", "vs", "etc", "no", "jr", "sr", "e.g", "i.e"}
_SENTENCE_END = re.compile(r"[.!?]+[”\"’)]*\s+")
_SRT_TIME = re.compile(r"^\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}")


@dataclass(frozen=True)
class Utterance:
    """One stretch of speech: a sentence (text) or a cue (SRT)."""

    text: str
    speaker: str | None
    new_turn: bool  # first utterance of a paragraph or speaker turn


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, roughly (enough for natural pauses)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start:m.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        nxt = text[m.end():m.end() + 1]
        # "U.S." / "Dr." are abbreviations unless a capitalised word follows
        # a multi-letter initialism; a lowercase next word never starts a sentence.
        if last in _ABBREV or not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "“\"‘("):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def is_heading(line: str) -> bool:
    """A chapter heading: wholly in curly quotes, or a short bare line (``Epilogue``)."""
    if _QUOTED_HEADING.match(line):
        return True
    words = line.split()
    return 0 < len(words) <= 4 and not re.search(r"[.!?:,;”\"]$", line) and not _LABEL.match(line)


def text_utterances(text: str) -> list[Utterance]:
    """Rough reading of a plain-text transcript into spoken utterances."""
    result: list[Utterance] = []
    speaker: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _BOILERPLATE.match(line) or is_heading(line):
            continue
        m = _LABEL.match(line)
        if m:
            speaker, line = m.group(1), line[m.end():]
        for i, sentence in enumerate(split_sentences(line)):
            result.append(Utterance(sentence, speaker, i == 0))
    return result


def read_srt_texts(text: str) -> list[Utterance]:
    """Cue texts of an SRT file (timings ignored); ``Name:`` prefixes set the speaker."""
    result: list[Utterance] = []
    speaker: str | None = None
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        while lines and not _SRT_TIME.match(lines[0]):
            lines.pop(0)  # the cue number
        cue = " ".join(lines[1:])
        if not cue:
            continue
        m = re.match(r"^([A-Z][\w'’]*(?: [A-Z][\w'’]*){0,2}):\s+", cue)
        new_turn = not result
        if m:
            new_turn = new_turn or m.group(1) != speaker
            speaker = m.group(1)
        result.append(Utterance(cue, speaker, new_turn))
    return result


def _spoken(text: str, speaker: str | None) -> str:
    """What espeak-ng should say for ``text`` (labels removed, symbols read out)."""
    if speaker and text.startswith(speaker + ":"):
        text = text[len(speaker) + 1:]
    # espeak-ng reads "<" as a pause; say it.  (No -m flag, so nothing is SSML.)
    text = text.replace("<", " less than ").replace(">", " more than ")
    return " ".join(text.split())


def synthesize(text: str, voice: str, pitch: int, speed: int) -> bytes:
    """Raw mono 16-bit PCM at :data:`RATE` for ``text``, edge silence trimmed."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise SystemExit("espeak-ng not found: install it (scripts/setup does)")
    wav = subprocess.run(
        [exe, "-b", "1", "-v", voice, "-p", str(pitch), "-s", str(speed), "--stdout"],
        input=text.encode("utf-8"), capture_output=True, check=True,
    ).stdout
    # espeak-ng streams a WAV whose size fields are placeholders: skip the header.
    pcm = wav[wav.index(b"data") + 8:] if b"data" in wav[:256] else wav[44:]
    pcm = pcm[: len(pcm) // 2 * 2]
    samples = memoryview(pcm).cast("h")
    threshold = 300  # ~ -40 dBFS: espeak's own padding is digital near-silence
    first = next((i for i, s in enumerate(samples) if abs(s) > threshold), 0)
    last = next((i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > threshold), len(samples) - 1)
    return pcm[first * 2:(last + 1) * 2]


def sentence_pause_ms(index: int) -> int:
    """A fixed pseudo-random pause in 400–700 ms (deterministic per index)."""
    return 400 + (index * 137) % 301


def voice_table(speakers: Iterable[str | None]) -> dict[str | None, tuple[str, int]]:
    """Map speakers to voices by first appearance; unlabelled text before any label
    gets the first labelled speaker's voice (an intro is read by the host)."""
    order: list[str] = []
    for s in speakers:
        if s is not None and s not in order:
            order.append(s)
    table: dict[str | None, tuple[str, int]] = {s: VOICES[i % len(VOICES)] for i, s in enumerate(order)}
    table[None] = VOICES[0]
    return table


def render(utterances: Sequence[Utterance], *, speed: int = DEFAULT_SPEED) -> tuple[bytes, list[tuple[int, int]]]:
    """Synthesize utterances into one PCM stream; returns it and each one's (start, end) in ms."""
    voices = voice_table(u.speaker for u in utterances)
    chunks: list[bytes] = [bytes(2 * RATE * LEAD_IN_MS // 1000)]
    pos = len(chunks[0]) // 2
    spans: list[tuple[int, int]] = []
    prev: Utterance | None = None
    for i, u in enumerate(utterances):
        if prev is not None:
            gap = TURN_PAUSE_MS if (u.new_turn or u.speaker != prev.speaker) else sentence_pause_ms(i)
            chunks.append(bytes(2 * (RATE * gap // 1000)))
            pos += RATE * gap // 1000
        voice, pitch = voices[u.speaker]
        pcm = synthesize(_spoken(u.text, u.speaker), voice, pitch, speed)
        start = pos
        chunks.append(pcm)
        pos += len(pcm) // 2
        spans.append((start * 1000 // RATE, -(-pos * 1000 // RATE)))
        prev = u
    chunks.append(bytes(2 * RATE * TAIL_MS // 1000))
    return b"".join(chunks), spans


def encode_mp3(pcm: bytes, bitrate: str = BITRATE) -> bytes:
    """Encode raw PCM to reproducible MP3 bytes (see the module docstring)."""
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise SystemExit("ffmpeg not found: install it (scripts/setup does)")
    # The Xing header is filled in after encoding, so ffmpeg needs a seekable file, not a pipe.
    with tempfile.TemporaryDirectory(prefix="demo-audio-") as tmp:
        out = Path(tmp) / "out.mp3"
        subprocess.run(
            [exe, "-nostdin", "-hide_banner", "-loglevel", "error",
             "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
             "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
             "-c:a", "libmp3lame", "-b:a", bitrate, "-write_xing", "1",
             "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3", str(out)],
            input=pcm, check=True,
        )
        return out.read_bytes()


def srt_time(ms: int) -> str:
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def wrap_cue(text: str, width: int = 42) -> list[str]:
    """One line if it fits, else two lines split at the space nearest the middle."""
    if len(text) <= width:
        return [text]
    spaces = [i for i, c in enumerate(text) if c == " "]
    best = min(spaces, key=lambda i: (max(i, len(text) - i - 1) > width, abs(len(text) / 2 - i)))
    return [text[:best], text[best + 1:]]


def write_srt(utterances: Sequence[Utterance], spans: Sequence[tuple[int, int]]) -> str:
    """SRT text for the cues with their synthesized timings."""
    blocks = []
    for n, (u, (start, end)) in enumerate(zip(utterances, spans, strict=True), 1):
        blocks.append(f"{n}\n{srt_time(start)} --> {srt_time(end)}\n" + "\n".join(wrap_cue(u.text)) + "\n")
    return "\n".join(blocks)


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def _transcript_of(folder: Path, meta: dict[str, object]) -> Path:
    name = meta.get("transcript")
    if isinstance(name, str):
        return folder / name
    found = sorted(p for p in folder.glob("transcript.*") if p.suffix in (".txt", ".srt"))
    if len(found) != 1:
        raise SystemExit(f"{folder}: expected one transcript.txt or transcript.srt")
    return found[0]


def build_episode(folder: Path, *, check: bool = False, speed: int = DEFAULT_SPEED) -> list[str]:
    """Regenerate one episode's audio (and SRT timings); returns messages."""
    meta = tomllib.loads((folder / "episode.toml").read_text("utf-8"))
    audio = folder / str(meta.get("audio", "audio.mp3"))
    transcript = _transcript_of(folder, meta)
    text = transcript.read_text("utf-8")
    is_srt = transcript.suffix == ".srt"
    utterances = read_srt_texts(text) if is_srt else text_utterances(text)
    pcm, spans = render(utterances, speed=speed)
    outputs: list[tuple[Path, bytes]] = [(audio, encode_mp3(pcm))]
    if is_srt:
        outputs.append((transcript, write_srt(utterances, spans).encode("utf-8")))
    messages = []
    for path, data in outputs:
        rel = path.relative_to(folder.parent.parent)
        digest = hashlib.sha256(data).hexdigest()[:16]
        if check:
            same = path.is_file() and path.read_bytes() == data
            messages.append(f"{'same' if same else 'DIFFERS'} {rel} sha256:{digest}")
        else:
            changed = _write_if_changed(path, data)
            messages.append(f"{'wrote' if changed else 'unchanged'} {rel} ({len(data)} bytes, sha256:{digest})")
    seconds = len(pcm) / 2 / RATE
    messages.append(f"  {len(utterances)} utterances, {seconds:.1f} s of audio")
    return messages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--check", action="store_true", help="only report whether files would change")
    parser.add_argument("slugs", nargs="*")
    args = parser.parse_args(argv)
    episodes = args.root / "episodes"
    folders = [episodes / s for s in args.slugs] or sorted(p.parent for p in episodes.glob("*/episode.toml"))
    ok = True
    for folder in folders:
        for msg in build_episode(folder, check=args.check):
            print(msg)
            ok = ok and not msg.startswith("DIFFERS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
