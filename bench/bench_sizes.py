"""Transcript size scaling (issue 10): time and peak memory from 1 MB to 10 MB.

For every reader — plain text, Markdown, SubRip, WebVTT, SBV, WhisperX JSON
(segments with word timings and speakers), Podcast Index JSON — a transcript
of 1, 2, 5 and 10 MB is generated in the layout real tools write (speaker
labels, chapters, voices, word times), then, each in a fresh process:

* ``read``: :func:`toolkit.ingest.read_transcript` (decode, detect, parse,
  sentences, control characters);
* ``segment``: :func:`toolkit.segment.segment` on the result (the whole
  ingest → segment path).  Untimed text (text, Markdown) is aligned to audio
  by the timing stage, which a 10 MB text would need ~90 hours of audio for
  (and which another change is rewriting): its sentences get the times the
  aligner returns in shape (every sentence timed, in proportion to its
  length, 15 characters per second) so the segmenter runs on the same
  sentences.

Reported per format and size: seconds and peak memory (the process's peak
resident size during the stage minus its size before it, after a warm-up
read of a small file of the same format, so the interpreter and imports do
not count), and the ratio of each to the 1 MB run of the same
format in the same invocation — linear growth is a ratio close to the size
ratio (2, 5, 10).  A file over the limit (16 MiB) is refused before it is
read whole; the last lines time that refusal.

Sentences come from the commissioned transcripts in ``../shared/seeds`` when
they are there (never copied into the repository), else from a fixed word
list with a seeded random generator.

    .venv/bin/python bench/bench_sizes.py [--sizes 1,2,5,10] [--formats text,srt,...]
    .venv/bin/python bench/bench_sizes.py --hostile [--limit 60]
    .venv/bin/python bench/bench_sizes.py --importer

``--hostile`` times instead the shapes issue 10 found slow (an unclosed
Markdown link, a long line of URL-like tokens, one hard-wrapped paragraph,
bidi controls by the ten thousand, a backtracking drop rule) at growing
sizes, each in a fresh process stopped after ``--limit`` seconds: linear
code grows with n, the old rules grew by a factor per character or with n².
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEEDS = ROOT.parent / "shared" / "seeds"
FORMATS = ("text", "markdown", "srt", "vtt", "sbv", "whisper_json", "podcast_json")
SUFFIX = {"text": ".txt", "markdown": ".md", "srt": ".srt", "vtt": ".vtt", "sbv": ".sbv",
          "whisper_json": ".json", "podcast_json": ".json"}
SPEAKERS = ("Ana Ruiz", "Li Wei", "Marta Silva")
_WORDS = ("the a of to and in is it we that for on was as with river ferry village mountain road school "
          "teacher children water spring winter market bridge people years built village morning village "
          "first second because although people remember when the government came").split()


# --------------------------------------------------------------------------- generated transcripts


def _sentences(seed: int = 7) -> list[str]:
    """Real sentences (from the seeds when present), else generated ones."""
    found: list[str] = []
    if SEEDS.is_dir():
        from toolkit.ingest.sentences import split_sentences

        for path in sorted(SEEDS.glob("*.txt")):
            for line in path.read_text(encoding="utf-8").split("\n"):
                found.extend(s for s in split_sentences(line) if len(s) > 20 and "http" not in s)
    if len(found) >= 50:
        return found
    rng = random.Random(seed)
    out = []
    for _ in range(2000):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 25))]
        out.append(" ".join(words).capitalize() + rng.choice(".?!"))
    return out


def _stream(size: int):  # type: ignore[no-untyped-def]
    """(speaker, sentence, start ms, end ms) until about ``size`` characters of text."""
    sentences = _sentences()
    rng = random.Random(11)
    t, total, k, speaker = 1_000, 0, 0, SPEAKERS[0]
    while total < size:
        if rng.random() < 0.15:
            speaker = SPEAKERS[(SPEAKERS.index(speaker) + 1) % len(SPEAKERS)]
        s = sentences[k % len(sentences)]
        k += 1
        dur = max(800, len(s) * 66)  # ~15 characters per second
        yield speaker, s, t, t + dur
        t += dur + rng.choice((80, 200, 400, 900))
        total += len(s) + 1


def _cue_chunks(size: int):  # type: ignore[no-untyped-def]
    """Subtitle-sized pieces: (speaker, text ≤ ~80 chars, start, end)."""
    for speaker, sentence, start, end in _stream(size):
        words = sentence.split()
        pieces, cur = [], []
        for w in words:
            if cur and len(" ".join(cur + [w])) > 80:
                pieces.append(" ".join(cur))
                cur = []
            cur.append(w)
        pieces.append(" ".join(cur))
        span = (end - start) / len(pieces)
        for i, p in enumerate(pieces):
            yield speaker, p, round(start + i * span), round(start + (i + 1) * span)


def _ts(ms: int, sep: str = ".", hours: str = "02") -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:{hours}d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def generate(fmt: str, size: int) -> str:
    """A transcript of about ``size`` bytes in the layout of ``fmt``."""
    out: list[str] = []
    grown = 0

    def add(text: str) -> None:
        nonlocal grown
        out.append(text)
        grown += len(text.encode("utf-8"))

    # each format's markup makes the text take a different share of the file:
    # ask for text until the file is about ``size``
    if fmt in ("text", "markdown"):
        previous = None
        para: list[str] = []
        for n, (speaker, s, _, _) in enumerate(_stream(size * 2)):
            if grown >= size:
                break
            if speaker != previous or len(para) >= 6:
                if para:
                    label = f"**{previous}:** " if fmt == "markdown" else f"{previous}: "
                    add(label + " ".join(para) + "\n\n")
                    para = []
                if fmt == "markdown" and n % 400 == 0:
                    add(f"## Part {n // 400 + 1}\n\n")
                previous = speaker
            para.append(s)
        return "".join(out)
    if fmt == "vtt":
        add("WEBVTT\n\n")
    if fmt in ("whisper_json", "podcast_json"):
        items = []
        for speaker, s, start, end in _stream(size):
            if grown >= size:
                break
            if fmt == "whisper_json":
                words, t = [], start
                step = (end - start) / max(len(s.split()), 1)
                for w in s.split():
                    words.append({"word": w, "start": round(t / 1000, 3), "end": round((t + step * 0.9) / 1000, 3),
                                  "score": 0.91, "speaker": f"SPEAKER_0{SPEAKERS.index(speaker)}"})
                    t += step
                item = {"start": start / 1000, "end": end / 1000, "text": " " + s,
                        "speaker": f"SPEAKER_0{SPEAKERS.index(speaker)}", "words": words}
            else:
                item = {"speaker": speaker, "startTime": start / 1000, "endTime": end / 1000, "body": s}
            items.append(item)
            grown += len(json.dumps(item)) + 2
        doc = {"segments": items, "language": "en"} if fmt == "whisper_json" else \
            {"version": "1.0.0", "segments": items}
        return json.dumps(doc)
    for n, (speaker, text, start, end) in enumerate(_cue_chunks(size * 2), 1):
        if grown >= size:
            break
        if fmt == "srt":
            add(f"{n}\n{_ts(start, ',')} --> {_ts(end, ',')}\n{speaker}: {text}\n\n")
        elif fmt == "vtt":
            add(f"c{n}\n{_ts(start)} --> {_ts(end)}\n<v {speaker}>{text}\n\n")
        else:
            add(f"{_ts(start, '.', '')},{_ts(end, '.', '')}\n>> {speaker.split()[0].upper()}: {text}\n\n")
    return "".join(out)


# --------------------------------------------------------------------------- one measurement (child process)


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().split("\n"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _rss_kb() -> int:
    """The resident size now, after resetting the peak to it (Linux: ``clear_refs`` 5
    resets VmHWM), so that :func:`_peak_kb` is the peak of what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status_kb("VmRSS")


def _peak_kb() -> int:
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed_like_the_aligner(transcript):  # type: ignore[no-untyped-def]
    """Every sentence timed in proportion to its length (15 characters per second)."""
    from toolkit.model import Turn

    t = 1_000
    turns = []
    for turn in transcript.turns:
        sentences = []
        for s in turn.sentences:
            dur = max(800, len(s.text) * 66)
            sentences.append(replace(s, start=t, end=t + dur, confidence=0.9))
            t += dur + 200
        turns.append(Turn(turn.speaker, tuple(sentences), turn.chapter))
    return replace(transcript, turns=tuple(turns))


def child(fmt: str, path: Path) -> dict[str, float]:
    from toolkit import segment
    from toolkit.ingest import read_transcript

    # warm up on a small file of the same format: what the readers import lazily
    # (webvtt-py, polib, charset-normalizer…) is not the input's memory
    small = path.with_name("warm-up" + path.suffix)
    small.write_text(generate(fmt, 20_000), encoding="utf-8")
    warm = read_transcript(small, language="en")
    segment.segment(warm if warm.timed else _timed_like_the_aligner(warm), slug="bench")
    del warm
    before = _rss_kb()
    t0 = time.perf_counter()
    transcript = read_transcript(path, language="en")
    t1 = time.perf_counter()
    peak_read = _peak_kb() - before
    if not transcript.timed:
        transcript = _timed_like_the_aligner(transcript)
    t2 = time.perf_counter()
    cues = segment.segment(transcript, slug="bench")
    t3 = time.perf_counter()
    peak_all = _peak_kb() - before
    return {"read_s": t1 - t0, "read_mb": peak_read / 1024, "segment_s": t3 - t2, "path_mb": peak_all / 1024,
            "sentences": len(transcript.sentences), "cues": len(cues)}


def _refusal(folder: Path) -> dict[str, float]:
    from toolkit.errors import InputError
    from toolkit.formats.limits import MAX_FILE_BYTES
    from toolkit.ingest import read_transcript

    path = folder / "huge.txt"
    path.write_bytes(b"Hello there. " * (MAX_FILE_BYTES // 13 + 1000))
    t0 = time.perf_counter()
    try:
        read_transcript(path, language="en")
        message = "accepted?!"
    except InputError as exc:
        message = str(exc)
    return {"seconds": time.perf_counter() - t0, "size_mb": path.stat().st_size / 1e6, "message": message}


# --------------------------------------------------------------------------- hostile shapes (--hostile)

#: name → (file name, builder of the hostile content for a size n)
HOSTILE = {
    "Markdown: one unclosed link, n = link length": (
        "t.md", (14, 18, 22, 26, 30, 1000, 40_000), lambda n: "Hello there.\n\n[a](" + "b" * n + " c\n"),
    "text: one line of URL-like tokens, n = bytes": (
        "t.txt", (10_000, 20_000, 40_000, 160_000), lambda n: "Hello there.\n\n" + "http://x" * (n // 8) + " y\n"),
    "text: one hard-wrapped paragraph, n = bytes": (
        "t.txt", (250_000, 500_000, 1_000_000, 2_000_000),
        lambda n: "Title\n\n" + "\n".join(["The river was high that spring. The ferry came late."] * (n // 53)) + "\n"),
    "text: bidi controls, n = controls": (
        "t.txt", (10_000, 20_000, 40_000), lambda n: "Hello " + "\u202a" * (n // 2) + "\u2069" * (n // 2) + " there.\n"),
    "text: drop rule (a+)+$, n = line length": (
        "t.txt", (20, 24, 28, 40_000), lambda n: "Hello there.\n" + "a" * n + "!\n"),
}


def _hostile_child(name: str, path: Path) -> float:
    from toolkit.errors import ToolkitError
    from toolkit.ingest import read_transcript

    rules = ["(a+)+$"] if "drop rule" in name else None
    t0 = time.perf_counter()
    try:
        read_transcript(path, language="en", drop_rules=rules)
    except ToolkitError:
        pass
    return time.perf_counter() - t0


def hostile(limit_s: float) -> None:
    """Time each hostile shape at growing sizes, each in a fresh process
    (stopped at ``limit_s``); the next size is skipped once one was stopped."""
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        for name, (file_name, sizes, build) in HOSTILE.items():
            path = Path(tmp) / file_name
            cells = []
            for n in sizes:
                path.write_text(build(n), encoding="utf-8")
                try:
                    proc = subprocess.run([sys.executable, __file__, "--hostile-child", name, str(path)],
                                          capture_output=True, text=True, timeout=limit_s, check=False)
                    seconds = float(proc.stdout.strip().splitlines()[-1])
                    cells.append(f"{n:,}: {seconds:.3f} s")
                except subprocess.TimeoutExpired:
                    cells.append(f"{n:,}: > {limit_s:.0f} s (stopped)")
                    break
            print(f"{name:<50} " + " | ".join(cells), flush=True)


# --------------------------------------------------------------------------- the importer (--importer)


def importer(sizes: tuple[int, ...] = (4_000, 20_000, 100_000)) -> None:
    """Matching a translator's file against the store: cues matched by time
    (SRT) and by id (PO), as :func:`toolkit.review.importer.plan_import` does
    after reading the file; ratios against the first size."""
    from toolkit.model import Cue
    from toolkit.review.importer import ImportedCue, ParsedFile, plan_import
    from toolkit.review.store import Entry, Store, text_hash

    base: dict[str, float] = {}
    for n in sizes:
        source = tuple(Cue(f"c{i}", i * 3000, i * 3000 + 2500, (f"source {i}",)) for i in range(n))
        store = Store("ep", "en", "es", tuple(Entry(c.id, c.start, c.end, f"texto {i}", "machine", text_hash(c.text))
                                              for i, c in enumerate(source)))
        cells = []
        for kind in ("srt", "po"):
            cues = tuple(ImportedCue(i + 1, i * 4 + 1, None if kind == "srt" else f"c{i}", i * 3000,
                                     i * 3000 + 2500, f"nuevo {i}") for i in range(n))
            t0 = time.perf_counter()
            plan_import(ParsedFile(f"f.{kind}", kind, None, None, cues), store, source)
            seconds = time.perf_counter() - t0
            base.setdefault(kind, seconds)
            cells.append(f"{kind} {seconds:.2f} s ({seconds / base[kind]:.1f}×)")
        print(f"import matching, {n:>7,} cues: " + ", ".join(cells), flush=True)


# --------------------------------------------------------------------------- the report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,2,5,10", help="sizes in MB (the first is the baseline)")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--child", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--refusal", metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--hostile", action="store_true",
                    help="instead: time the hostile shapes of issue 10 at growing sizes")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds before a --hostile run is stopped")
    ap.add_argument("--hostile-child", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--importer", action="store_true",
                    help="instead: time matching a translator's file of 4 000 to 100 000 cues")
    args = ap.parse_args()
    if args.importer:
        importer()
        return
    if args.hostile_child:
        print(_hostile_child(args.hostile_child[0], Path(args.hostile_child[1])))
        return
    if args.hostile:
        hostile(args.limit)
        return
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    if args.refusal:
        print(json.dumps(_refusal(Path(args.refusal))))
        return
    sizes = [float(x) for x in args.sizes.split(",")]
    formats = args.formats.split(",")
    print(f"sentences from {'../shared/seeds' if SEEDS.is_dir() else 'a generated word list'}; "
          f"sizes {', '.join(f'{s:g}' for s in sizes)} MB; each run in a fresh process\n")
    header = (f"{'format':<13} {'MB':>5} {'sentences':>9} {'cues':>7} {'read s':>8} {'×':>5} {'read MB':>8} "
              f"{'×':>5} {'segment s':>9} {'×':>5} {'path MB':>8} {'×':>5}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="bench-sizes-") as tmp:
        folder = Path(tmp)
        for fmt in formats:
            base: dict[str, float] | None = None
            for size in sizes:
                path = folder / f"transcript{SUFFIX[fmt]}"
                data = generate(fmt, int(size * 1_000_000)).encode("utf-8")
                path.write_bytes(data)
                proc = subprocess.run([sys.executable, __file__, "--child", fmt, str(path)], capture_output=True,
                                      text=True, check=False)
                if proc.returncode:
                    print(f"{fmt:<13} {size:>5g}  failed: {proc.stderr.strip().splitlines()[-1:]}")
                    continue
                got = json.loads(proc.stdout.strip().splitlines()[-1])
                base = base or got

                def ratio(key: str) -> str:
                    return f"{got[key] / base[key]:5.1f}" if base and base[key] > 0 else "    -"

                print(f"{fmt:<13} {len(data) / 1e6:>5.1f} {got['sentences']:>9} {got['cues']:>7} "
                      f"{got['read_s']:>8.2f} {ratio('read_s')} {got['read_mb']:>8.0f} {ratio('read_mb')} "
                      f"{got['segment_s']:>9.2f} {ratio('segment_s')} {got['path_mb']:>8.0f} {ratio('path_mb')}",
                      flush=True)
        proc = subprocess.run([sys.executable, __file__, "--refusal", tmp], capture_output=True, text=True,
                              check=False)
        refused = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"\nover the limit: a {refused['size_mb']:.1f} MB .txt refused in {refused['seconds'] * 1000:.0f} ms: "
              f"{refused['message'].split(': ', 1)[-1]}")


if __name__ == "__main__":
    main()
