"""Alignment accuracy and cost of the timing stage on speech with known truth.

    .venv/bin/python bench/bench_align.py [--only natural,music] [--hour] [--seed 1]

Conditions (tests/support/speech_cases.py builds them; texts in bench/cases_text.py):

==================  =========================================================
espeak-clean        44 espeak-ng sentences, 150–185 wpm, 250–1000 ms pauses
                    (the original benchmark)
clean               67-sentence two-speaker episode, Festival HTS (host) and
                    diphone (guest) voices, 300–900 ms gaps
natural             same text, natural gaps: 0–200 ms, 40 % none (commas keep
                    the pauses the voices make)
music               natural, under a music bed 20 dB below the speech, after a
                    10 s music intro
fast                clean gaps, the guest 30 % faster (Festival Duration_Stretch)
italian             24 Italian sentences, Festival's Italian diphone voice,
                    natural gaps
german              16 German sentences, espeak-ng ``de`` with a voice variant
                    and 150–190 wpm, natural gaps
hour (``--hour``)   60 minutes (the dialogue and both seeds when present,
                    repeated), natural gaps; alignment in a child process on
                    one core: time per audio minute and peak memory
==================  =========================================================

Every condition is encoded to 64 kbps MP3 and timed by
``toolkit.timing.time_transcript`` (what ``toolkit publish`` runs).  Errors:
every sentence start and end (sentence boundaries) and every word start and end
(word boundaries: ``Sentence.words`` when the aligner gives them, else what the
segmenter would interpolate by characters).  Baseline in the same run: the text
spread evenly (by characters) over the audio ("proportional").
Targets on every condition: sentence mean ≤ 50 ms and p95 ≤ 200 ms, word mean
≤ 100 ms; the hour in ≤ 1× real time on one core with ≤ 500 MB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))  # support.speech_cases: the helpers the tests use

from cases_text import DIALOGUE, GERMAN, ITALIAN  # noqa: E402

import support.speech_cases as sc  # noqa: E402
from toolkit.model import Sentence, Transcript, Turn  # noqa: E402
from toolkit.timing import audio_info, time_transcript  # noqa: E402

CACHE = REPO / ".toolkit-cache" / "bench" / "align"
SEEDS = REPO.parent / "shared" / "seeds"

ESPEAK_SENTENCES = [
    "The harbour was quiet when the first boats came back.",
    "Nobody on the pier expected the storm to pass so quickly.",
    "My grandmother kept a notebook of every tide for forty years.",
    "She wrote the times in pencil, and the weather in ink.",
    "Later we found the notebooks in a box under the stairs.",
    "Some pages were stuck together with salt.",
    "Others had drawings of birds in the margins.",
    "I asked my uncle why she had bothered with all of it.",
    "He laughed and said that the sea does not keep records, so somebody must.",
    "That answer stayed with me for a long time.",
    "When I moved to the city, I started keeping my own notes.",
    "Not about tides, of course, but about trains.",
    "The seven fifteen was late almost every Tuesday.",
    "The conductor on the evening train whistled the same song each night.",
    "It took me months to recognise the tune.",
    "It was a lullaby from the islands, slow and a little sad.",
    "I finally asked him where he had learned it.",
    "He told me his mother had sung it while mending nets.",
    "We talked until the train reached the last station.",
    "After that, we nodded to each other every evening.",
    "Small rituals like that make a city feel smaller.",
    "They also make it harder to leave.",
    "Three winters later, I went back to the coast.",
    "The harbour had a new wall and a café with bright blue chairs.",
    "The fish market had moved to a building near the road.",
    "But the tide still came in twice a day, as it always had.",
    "I bought a notebook at the little shop by the church.",
    "The shopkeeper asked if I was a writer.",
    "I said no, just someone who likes to count things.",
    "She smiled as if that explained everything.",
    "On the first morning, high water was at six minutes past five.",
    "I wrote it down in pencil, the way my grandmother did.",
    "The wind was from the west and the sky was pale grey.",
    "A fishing boat called the Marigold left just after sunrise.",
    "By noon the rain had started, soft and steady.",
    "I sat in the café and watched the water rise along the wall.",
    "An old man at the next table was reading a newspaper from Tuesday.",
    "He said the news was the same every week anyway.",
    "I think he was joking, but I am not completely sure.",
    "In the evening, the Marigold came back with a full hold.",
    "The crew unloaded boxes of mackerel under the yellow lamps.",
    "Gulls circled above them, loud and impatient.",
    "I added one more line to the notebook before I went to sleep.",
    "The sea does not keep records, so somebody must.",
]

VOICES = {"host": "slt", "guest": "kal"}


# --------------------------------------------------------------------------- building cases
def _save(case: sc.Case, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"name": case.name, "language": case.language, "sentences": case.sentences,
            "spans": case.spans, "words": case.words}
    tmp = path.with_suffix(".part.npz")
    np.savez(tmp, samples=case.samples, meta=json.dumps(meta))
    tmp.replace(path)


def _load(path: Path, *, samples: bool = True) -> sc.Case | None:
    """A cached case (``samples=False``: the truth only, as the memory-measuring child needs)."""
    try:
        with np.load(path) as z:
            meta = json.loads(str(z["meta"]))
            audio = z["samples"] if samples else np.zeros(0, dtype=np.int16)
    except (OSError, ValueError, KeyError):
        return None
    return sc.Case(meta["name"], meta["language"], audio,
                   tuple(tuple(s) for s in meta["sentences"]), tuple(tuple(s) for s in meta["spans"]),
                   tuple(tuple(tuple(w) for w in ws) for ws in meta["words"]))


def cached(name: str, build) -> sc.Case:  # type: ignore[no-untyped-def]
    path = CACHE / f"{name}.npz"
    case = _load(path)
    if case is None:
        case = build()
        _save(case, path)
    return case


def build_cases(names: Sequence[str], seed: int, tmp: Path) -> dict[str, sc.Case]:
    rnd = random.Random(seed)
    out: dict[str, sc.Case] = {}
    speakers = [s for s, _ in DIALOGUE]
    n = len(DIALOGUE)
    gaps_clean = sc.clean_gaps(n - 1, rnd)
    gaps_natural = sc.natural_gaps(n - 1, rnd)

    def dialogue(stretch_guest: float) -> list[sc.Clip]:
        items = [(t, VOICES[s], stretch_guest if s == "guest" else 1.0) for s, t in DIALOGUE]
        return sc.festival_clips(items, tmp)

    if "espeak-clean" in names:
        def espeak() -> sc.Case:
            r = random.Random(7)
            wpm = [r.randint(150, 185) for _ in ESPEAK_SENTENCES]
            pauses = [r.randint(250, 1000) for _ in ESPEAK_SENTENCES[1:]]
            clips = sc.espeak_clips(ESPEAK_SENTENCES, voice="en", wpm=wpm)
            spk = [f"S{(i * 7) // len(ESPEAK_SENTENCES)}" for i in range(len(ESPEAK_SENTENCES))]
            return sc.join("espeak-clean", "en", clips, spk, pauses)
        out["espeak-clean"] = cached(f"espeak-clean-{seed}", espeak)
    if {"clean", "natural", "music"} & set(names):
        base: list[sc.Clip] = []

        def clips() -> list[sc.Clip]:
            if not base:
                base.extend(dialogue(1.0))
            return base
        if "clean" in names:
            out["clean"] = cached(f"clean-{seed}", lambda: sc.join("clean", "en", clips(), speakers, gaps_clean))
        natural = cached(f"natural-{seed}", lambda: sc.join("natural", "en", clips(), speakers, gaps_natural))
        if "natural" in names:
            out["natural"] = natural
        if "music" in names:
            out["music"] = cached(f"music-{seed}", lambda: sc.with_music(natural, workdir=tmp))
    if "fast" in names:
        out["fast"] = cached(f"fast-{seed}", lambda: sc.join("fast", "en", dialogue(0.77), speakers, gaps_clean))
    if "italian" in names:
        def italian() -> sc.Case:
            clips = sc.festival_clips([(t, "lp", 1.0) for t in ITALIAN], tmp)
            spk = ["narratrice"] * len(ITALIAN)
            return sc.join("italian", "it", clips, spk, sc.natural_gaps(len(ITALIAN) - 1, random.Random(seed + 1)))
        out["italian"] = cached(f"italian-{seed}", italian)
    if "german" in names:
        def german() -> sc.Case:
            r = random.Random(seed + 2)
            clips = sc.espeak_clips(GERMAN, voice="de+m3", wpm=[r.randint(150, 190) for _ in GERMAN])
            spk = ["Erzähler"] * len(GERMAN)
            return sc.join("german", "de", clips, spk, sc.natural_gaps(len(GERMAN) - 1, r))
        out["german"] = cached(f"german-{seed}", german)
    return out


def hour_case(seed: int, tmp: Path, minutes: float = 60.0) -> sc.Case:
    """~60 minutes: the dialogue and (when present) both seeds, repeated, natural gaps."""
    def build() -> sc.Case:
        texts: list[tuple[str, str]] = list(DIALOGUE)
        for seed_file in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
            from toolkit.ingest import read_transcript

            tr = read_transcript(seed_file, language="en")
            for k, turn in enumerate(tr.turns):
                texts.extend(("host" if k % 2 else "guest", s.text) for s in turn.sentences)
        items = [(t, VOICES[s], 1.0) for s, t in texts]
        clips = sc.festival_clips(items, tmp)
        rnd = random.Random(seed)
        chosen: list[sc.Clip] = []
        speakers: list[str] = []
        total = 0
        while total < minutes * 60_000:
            for (spk, _), clip in zip(texts, clips):
                chosen.append(clip)
                speakers.append(spk)
                total += clip.duration_ms + 100
                if total >= minutes * 60_000:
                    break
        return sc.join("hour", "en", chosen, speakers, sc.natural_gaps(len(chosen) - 1, rnd))
    return cached(f"hour-{seed}-{minutes:g}", build)


# --------------------------------------------------------------------------- measuring
def transcript_of(case: sc.Case) -> Transcript:
    turns: list[Turn] = []
    group: list[Sentence] = []
    prev: str | None = None
    for spk, text in case.sentences:
        if group and spk != prev:
            turns.append(Turn(prev, tuple(group)))
            group = []
        group.append(Sentence(text))
        prev = spk
    if group:
        turns.append(Turn(prev, tuple(group)))
    return Transcript(language=case.language, turns=tuple(turns))


def char_words(s: Sentence) -> list[tuple[int, int]]:
    """What the segmenter interpolates without word timings: characters over the sentence span."""
    words = s.text.split()
    total = sum(len(w) for w in words) + len(words) - 1
    out, off = [], 0
    assert s.start is not None and s.end is not None
    for w in words:
        a = s.start + (s.end - s.start) * off / total
        b = s.start + (s.end - s.start) * (off + len(w)) / total
        out.append((round(a), round(b)))
        off += len(w) + 1
    return out


def word_spans(s: Sentence) -> list[tuple[int, int]]:
    if s.words and len(s.words) == len(s.text.split()):
        return [(w.start, w.end) for w in s.words]
    return char_words(s)


def proportional(case: sc.Case) -> list[Sentence]:
    """The baseline: sentences spread by characters over the whole audio."""
    weights = [max(1, sum(ch.isalnum() for ch in t)) for _, t in case.sentences]
    total = float(sum(weights))
    dur = case.duration_ms
    out, acc = [], 0.0
    for (_, t), w in zip(case.sentences, weights):
        a = dur * acc / total
        acc += w
        out.append(Sentence(t, round(a), round(dur * acc / total)))
    return out


def errors(case: sc.Case, got: Sequence[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    sent = np.array([abs(p - t) for s, (a, b) in zip(got, case.spans) for p, t in ((s.start, a), (s.end, b))],
                    dtype=float)
    word = np.array([abs(p - t) for s, ws in zip(got, case.words) for (pa, pb), (ta, tb) in
                     zip(word_spans(s), ws) for p, t in ((pa, ta), (pb, tb))], dtype=float)
    return sent, word


def fmt(err: np.ndarray) -> str:
    return f"{err.mean():7.0f} {np.percentile(err, 95):7.0f} {err.max():7.0f}"


def measure(name: str, case: sc.Case, tmp: Path) -> dict[str, object]:
    mp3 = sc.encode_mp3(case, tmp / f"{name}.mp3")
    info = audio_info(mp3)
    transcript = transcript_of(case)
    t0, c0 = time.perf_counter(), time.process_time()
    timed, report = time_transcript(transcript, mp3, info)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    s_err, w_err = errors(case, timed.sentences)
    b_s, b_w = errors(case, proportional(case))
    minutes = case.duration_ms / 60000
    ok = s_err.mean() <= 50 and np.percentile(s_err, 95) <= 200 and w_err.mean() <= 100
    print(f"{name:<13}{report.method:<22}{fmt(s_err)} |{fmt(w_err)} | {cpu / minutes:6.2f} CPU s/min"
          f"  conf {report.mean_confidence:.2f} low {len(report.low_confidence):2d}  {'met' if ok else 'NOT met'}")
    print(f"{'':<13}{'proportional':<22}{fmt(b_s)} |{fmt(b_w)} |   (ratio mean {b_s.mean() / max(s_err.mean(), 1):.0f}×)")
    return {"condition": name, "method": report.method, "sentence": [s_err.mean(), np.percentile(s_err, 95),
            s_err.max()], "word": [w_err.mean(), np.percentile(w_err, 95), w_err.max()],
            "baseline": [b_s.mean(), np.percentile(b_s, 95)], "s_per_min": dt / minutes,
            "cpu_per_min": cpu / minutes,
            "confidence": report.mean_confidence, "low": list(report.low_confidence), "met": ok}


def measure_mismatch(case: sc.Case, tmp: Path) -> list[dict[str, object]]:
    """Text the audio does not have: bounded time, the rest still aligned, honest confidence.

    * ``extra text``: three sentences nobody speaks inserted into the natural dialogue
      (after sentences 10, 30 and 50); errors on the spoken sentences only;
    * ``wrong text``: the 44 espeak sentences published against the dialogue's audio.
    """
    mp3 = sc.encode_mp3(case, tmp / "mismatch.mp3")
    info = audio_info(mp3)
    minutes = case.duration_ms / 60000
    out: list[dict[str, object]] = []
    base = transcript_of(case)
    spoken = [s for t in base.turns for s in t.sentences]
    extra = {10: ESPEAK_SENTENCES[5], 30: ESPEAK_SENTENCES[14], 50: ESPEAK_SENTENCES[27]}
    turns: list[Turn] = []
    k = 0
    for turn in base.turns:
        group: list[Sentence] = []
        for sent in turn.sentences:
            group.append(sent)
            k += 1
            if k in extra:
                group.append(Sentence(extra[k]))
        turns.append(Turn(turn.speaker, tuple(group)))
    with_extra = Transcript(language=case.language, turns=tuple(turns))
    wrong = Transcript(language="en", turns=(Turn("host", tuple(Sentence(t) for t in ESPEAK_SENTENCES)),))
    for label, tr in (("extra text", with_extra), ("wrong text", wrong)):
        c0 = time.process_time()
        timed, report = time_transcript(tr, mp3, info)
        cpu = time.process_time() - c0
        row: dict[str, object] = {"condition": label, "method": report.method, "cpu_per_min": cpu / minutes,
                                  "confidence": report.mean_confidence, "low": len(report.low_confidence)}
        if label == "extra text":
            got = [s for s in timed.sentences if s.text not in extra.values()]
            assert len(got) == len(spoken)
            s_err, w_err = errors(case, got)
            row["sentence"] = [s_err.mean(), np.percentile(s_err, 95), s_err.max()]
            print(f"{label:<13}{report.method:<22}{fmt(s_err)} |{fmt(w_err)} | {cpu / minutes:6.2f} CPU s/min"
                  f"  conf {report.mean_confidence:.2f} low {len(report.low_confidence):2d}")
        else:
            print(f"{label:<13}{report.method:<22}{'':>24} |{'':>24} | {cpu / minutes:6.2f} CPU s/min"
                  f"  conf {report.mean_confidence:.2f} low {len(report.low_confidence):2d}")
        out.append(row)
    return out


_CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, {repo!r}); sys.path.insert(0, {bench!r})
import bench_align as ba
from pathlib import Path
case = ba._load(Path({npz!r}), samples=False)
from toolkit.timing import audio_info, time_transcript
mp3 = Path({mp3!r})
info = audio_info(mp3)
tr = ba.transcript_of(case)
import gc; gc.collect()
def hwm():  # peak RSS of this process since exec (ru_maxrss would include the parent's before exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
before = hwm()
t0 = time.perf_counter(); c0 = time.process_time()
timed, report = time_transcript(tr, mp3, info)
wall = time.perf_counter() - t0; cpu = time.process_time() - c0
peak = hwm()
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
s_err, w_err = ba.errors(case, timed.sentences)
print(json.dumps({{"wall": wall, "cpu": cpu, "method": report.method, "s": [s_err.mean(), float(ba.np.percentile(s_err, 95)), s_err.max()],
                  "w": [w_err.mean(), float(ba.np.percentile(w_err, 95)), w_err.max()], "minutes": info.duration_ms / 60000,
                  "low": len(report.low_confidence), "peak_mib": peak, "before_mib": before,
                  "ffmpeg_cpu": kids.ru_utime + kids.ru_stime}}))
"""


def measure_hour(seed: int, tmp: Path, minutes: float) -> dict[str, object]:
    case = hour_case(seed, tmp, minutes)
    npz = CACHE / f"hour-{seed}-{minutes:g}.npz"
    mp3 = npz.with_suffix(".mp3")
    if not mp3.exists():
        sc.encode_mp3(case, mp3)
    del case
    code = _CHILD.format(repo=str(REPO), bench=str(REPO / "bench"), npz=str(npz), mp3=str(mp3))
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    # one core: taskset when available (the machine is shared; the figure is CPU time per audio minute)
    cmd = [sys.executable, "-c", code]
    if subprocess.run(["which", "taskset"], capture_output=True).returncode == 0:
        cmd = ["taskset", "-c", "0", *cmd]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, cwd=str(REPO), check=True)
    res = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    # the decoder's own peak, from the same streaming decode the analysis runs
    res["ffmpeg_peak_mib"] = float("nan")
    if Path("/usr/bin/time").exists():
        from toolkit.timing.ffmpeg import resolve_ffmpeg

        dec = subprocess.run(["/usr/bin/time", "-f", "%M", resolve_ffmpeg(), "-nostdin", "-v", "error", "-i", str(mp3),
                              "-af", "highpass=f=60", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
        res["ffmpeg_peak_mib"] = int(dec.stderr.decode().split()[-1]) / 1024
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="espeak-clean,clean,natural,music,fast,italian,german")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hour", action="store_true", help="also the 60-minute episode (time, memory)")
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--mismatch", action="store_true", help="also text the audio does not have (time, errors)")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-align-") as tmpd:
        tmp = Path(tmpd)
        cases = build_cases(names, args.seed, tmp)
        print(f"{'condition':<13}{'method':<22}{'sentence mean/p95/max ms':>24} |{'word mean/p95/max ms':>24} |")
        for name in names:
            if name in cases:
                results.append(measure(name, cases[name], tmp))
        if args.mismatch:
            natural = build_cases(["natural"], args.seed, tmp)["natural"]
            results.extend(measure_mismatch(natural, tmp))
        if args.hour:
            h = measure_hour(args.seed, tmp, args.minutes)
            cpu = h["cpu"] + h["ffmpeg_cpu"]
            print(f"hour ({h['minutes']:.1f} min, one core): {h['method']}, wall {h['wall']:.1f} s, CPU {h['cpu']:.1f} s"
                  f" + ffmpeg decode {h['ffmpeg_cpu']:.1f} s = {cpu / h['minutes']:.2f} CPU s per audio minute "
                  f"({cpu / (h['minutes'] * 60):.3f}× real time); peak RSS {h['peak_mib']:.0f} MiB (after imports, before "
                  f"aligning: {h['before_mib']:.0f} MiB; the ffmpeg decoder beside it {h['ffmpeg_peak_mib']:.0f} MiB)"
                  "; sentence "
                  f"{h['s'][0]:.0f}/{h['s'][1]:.0f}/{h['s'][2]:.0f} ms, word {h['w'][0]:.0f}/{h['w'][1]:.0f}/"
                  f"{h['w'][2]:.0f} ms, low-confidence stretches {h['low']}")
            results.append({"condition": "hour", **h})
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
