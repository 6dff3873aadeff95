"""Speech with known truth for alignment checks: the benchmark's hard cases and the tests' clips.

Used by ``bench/bench_align.py`` and the tests, never by the publishing path
(like :mod:`support.synth`).  Every sentence is
synthesized on its own, trimmed to its first and last phone, and the clips are
joined with gaps chosen per condition, so the true start and end of every
sentence **and every word** is known:

* **Festival** (a second synthesizer, more natural than espeak-ng): one
  ``festival -b`` process per batch runs a Scheme script that synthesizes each
  sentence, resamples it to 22 050 Hz, saves it and prints the start and end of
  each token (a whitespace word of the text: ``$4,500`` is one token spoken as
  four words) from Festival's own segment timings.
* **espeak-ng** through :mod:`toolkit.timing.espeak` (word start events; a word
  ends at its last audible sample before the next word).

Conditions add what makes real episodes hard: natural gaps (0–200 ms, many
none, while commas keep the pauses the voice makes), a music bed with an intro
(synthesized with ffmpeg ``aevalsrc``: chords and a drum pattern, no
downloads), a speaker 30 % faster (Festival's ``Duration_Stretch``).
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from toolkit.errors import ToolMissingError
from toolkit.timing.ffmpeg import resolve_ffmpeg

RATE = 22050


@dataclass(frozen=True)
class Clip:
    """One synthesized sentence: samples and per-word (start, end) in ms."""

    samples: np.ndarray
    words: tuple[tuple[int, int], ...]
    text: str

    @property
    def duration_ms(self) -> int:
        return len(self.samples) * 1000 // RATE


@dataclass(frozen=True)
class Case:
    """A whole episode: samples, sentences (speaker, text), truth per sentence and word."""

    name: str
    language: str
    samples: np.ndarray
    sentences: tuple[tuple[str, str], ...]
    spans: tuple[tuple[int, int], ...]
    words: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def duration_ms(self) -> int:
        return len(self.samples) * 1000 // RATE


FESTIVAL_VOICES = {
    "slt": "(voice_cmu_us_slt_arctic_hts)",
    "kal": "(voice_kal_diphone)",
    "lp": "(voice_lp_diphone)",  # Italian (festvox-italp16k)
}

_SCHEME_HEAD = r"""
(define (segs-of w)
  (let ((out nil))
    (mapcar (lambda (syl) (set! out (append out (item.daughters syl))))
            (item.daughters (item.relation w 'SylStructure)))
    out))
(define (tok-report utt)
  (let ((tok (utt.relation.first utt 'Token)))
    (while tok
      (let ((first nil) (lastseg nil))
        (mapcar (lambda (w)
                  (let ((ss (segs-of w)))
                    (if ss (begin (if (not first) (set! first (car ss))) (set! lastseg (car (last ss)))))))
                (item.daughters tok))
        (if first
            (format t "T\t%s\t%f\t%f\n" (item.name tok) (item.feat first "segment_start") (item.feat lastseg "end"))
            (format t "T\t%s\t-1\t-1\n" (item.name tok))))
      (set! tok (item.next tok)))))
"""


_LATIN = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})


def _scheme_string(text: str) -> str:
    """A Scheme string Festival can read (ISO-8859-1; same whitespace as the text)."""
    plain = text.translate(_LATIN).encode("latin-1", "replace").decode("latin-1")
    return '"' + plain.replace("\\", "\\\\").replace('"', '\\"') + '"'


def festival_clips(items: Sequence[tuple[str, str, float]], workdir: Path) -> list[Clip]:
    """Synthesize ``(text, voice, duration_stretch)`` items with Festival (one process)."""
    exe = shutil.which("festival")
    if exe is None:
        raise ToolMissingError("festival not installed", hint="apt-get install festival festvox-kallpc16k "
                               "festvox-us-slt-hts (scripts/setup --test installs them)")
    lines = [_SCHEME_HEAD]
    current = None
    for k, (text, voice, stretch) in enumerate(items):
        if voice != current:
            lines.append(FESTIVAL_VOICES[voice])
            current = voice
        lines.append(f"(Parameter.set 'Duration_Stretch {stretch:.3f})")
        lines.append(f"(set! utt (utt.synth (Utterance Text {_scheme_string(text)})))")
        lines.append(f"(utt.wave.resample utt {RATE})")
        lines.append(f'(utt.save.wave utt "{workdir}/f{k}.wav" \'riff)')
        lines.append(f'(format t "BEGIN\\t{k}\\n")')
        lines.append("(tok-report utt)")
    script = workdir / "synth.scm"
    # Festival reads its scripts as ISO-8859-1 (its Italian letter-to-sound rules are in it)
    script.write_text("\n".join(lines) + "\n", encoding="latin-1")
    proc = subprocess.run([exe, "-b", str(script)], capture_output=True, check=True)
    out = proc.stdout.decode("latin-1")
    toks: dict[int, list[tuple[str, float, float]]] = {}
    k = -1
    for line in out.splitlines():
        parts = line.split("\t")
        if parts[0] == "BEGIN":
            k = int(parts[1])
            toks[k] = []
        elif parts[0] == "T" and k >= 0:
            toks[k].append((parts[1], float(parts[2]), float(parts[3])))
    clips = []
    for k, (text, _, _) in enumerate(items):
        with wave.open(str(workdir / f"f{k}.wav"), "rb") as w:
            assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
            data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        words = text.split()
        if len(toks[k]) != len(words):
            raise RuntimeError(f"festival tokens {[t[0] for t in toks[k]]} do not match {words}")
        # a token Festival does not speak (a lone dash) takes no time, at its neighbour's end
        spoken: list[tuple[float, float]] = []
        for _, a, b in toks[k]:
            if a < 0:
                at = spoken[-1][1] if spoken else -1.0
                spoken.append((at, at))
            else:
                spoken.append((a, b))
        first = next(a for a, _ in spoken if a >= 0)
        spoken = [(a if a >= 0 else first, b if b >= 0 else first) for a, b in spoken]
        t0 = spoken[0][0]
        t1 = max(b for _, b in spoken)
        a, b = round(t0 * RATE), min(len(data), round(t1 * RATE))
        clip = data[a:b].copy()
        rel = tuple((round((s - t0) * 1000), round((e - t0) * 1000)) for s, e in spoken)
        clips.append(Clip(clip, rel, text))
    return clips


def espeak_clips(texts: Sequence[str], *, voice: str, wpm: Sequence[int]) -> list[Clip]:
    """Synthesize sentences with espeak-ng (library binding), word truth from its word events."""
    from toolkit.timing.espeak import synthesize_words  # the espeak-ng binding only when clips are synthesized

    clips = []
    for text, rate in zip(texts, wpm):
        samples, sr, events = synthesize_words(text, voice=voice, wpm=rate)
        if sr != RATE:
            raise RuntimeError(f"espeak-ng rate {sr}")
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        # espeak-ng speaks some function words together with the next word
        # ("on the pier" gives two word events): their start is shared out by
        # characters between the known starts (approximate truth for them).
        known: list[int | None] = []
        for a, b in tokens:
            inside = [e for e in events if a <= e.char_start < b]
            known.append(round(inside[0].start_ms * sr / 1000) if inside else None)
        if known[0] is None:
            known[0] = 0
        starts = list(known)
        k = 0
        while k < len(starts):
            if starts[k] is not None:
                k += 1
                continue
            j = k
            while j < len(starts) and starts[j] is None:
                j += 1
            lo, hi = starts[k - 1], (starts[j] if j < len(starts) else len(samples))
            chars = [tokens[m][1] - tokens[m][0] + 1 for m in range(k - 1, j)]
            acc = 0
            for m in range(k, j):
                acc += chars[m - k]
                starts[m] = lo + round((hi - lo) * acc / sum(chars))
            k = j
        bounds = starts[1:] + [len(samples)]
        spans = []
        for s, e in zip(starts, bounds):
            seg = np.abs(samples[s:e].astype(np.int32))
            loud = np.flatnonzero(seg > 300)
            begin = s + (int(loud[0]) if len(loud) else 0)
            end = s + (int(loud[-1]) + 1 if len(loud) else 1)
            spans.append((begin, end))
        t0, t1 = spans[0][0], spans[-1][1]
        clip = samples[t0:t1].copy()
        rel = tuple((round((a - t0) * 1000 / sr), round((b - t0) * 1000 / sr)) for a, b in spans)
        clips.append(Clip(clip, rel, text))
    return clips


def join(
    name: str,
    language: str,
    clips: Sequence[Clip],
    speakers: Sequence[str],
    gaps_ms: Sequence[int],
    *,
    lead_in_ms: int = 800,
    tail_ms: int = 800,
) -> Case:
    """Concatenate clips with ``gaps_ms[i]`` of digital silence after clip *i*."""
    parts = [np.zeros(RATE * lead_in_ms // 1000, dtype=np.int16)]
    pos = len(parts[0])
    spans, words = [], []
    for i, clip in enumerate(clips):
        off = pos * 1000 / RATE
        spans.append((round(off), round(off + len(clip.samples) * 1000 / RATE)))
        words.append(tuple((round(off + a), round(off + b)) for a, b in clip.words))
        parts.append(clip.samples)
        pos += len(clip.samples)
        gap = gaps_ms[i] if i < len(gaps_ms) else tail_ms
        parts.append(np.zeros(RATE * gap // 1000, dtype=np.int16))
        pos += len(parts[-1])
    samples = np.concatenate(parts)
    sents = tuple((spk, c.text) for spk, c in zip(speakers, clips))
    return Case(name, language, samples, sents, tuple(spans), tuple(words))


def natural_gaps(n: int, rnd: random.Random, *, none_share: float = 0.4) -> list[int]:
    """0–200 ms between sentences, ``none_share`` of them none at all."""
    return [0 if rnd.random() < none_share else rnd.randint(20, 200) for _ in range(n)]


def clean_gaps(n: int, rnd: random.Random) -> list[int]:
    return [rnd.randint(300, 900) for _ in range(n)]


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def ffmpeg(*args: str) -> None:
    subprocess.run([resolve_ffmpeg(), "-nostdin", "-v", "error", "-y", *args], check=True, capture_output=True)


def music(path: Path, seconds: float) -> Path:
    """A synthetic music bed: a I–V–vi–IV chord loop of harmonic tones with a
    kick and hi-hat pattern, 120 bpm (ffmpeg ``aevalsrc``; nothing downloaded)."""
    # Chord roots cycle every 2 s; each chord = root, third, fifth with two harmonics.
    chord = (
        "(st(0,floor(mod(t,8)/2));"
        "st(1,if(eq(ld(0),0),261.6,if(eq(ld(0),1),392.0,if(eq(ld(0),2),440.0,349.2))));"
        "st(2,if(eq(ld(0),2),1.1892,1.2599));"
        "0.22*(sin(2*PI*ld(1)*t)+0.4*sin(4*PI*ld(1)*t)"
        "+sin(2*PI*ld(1)*ld(2)*t)+0.4*sin(4*PI*ld(1)*ld(2)*t)"
        "+sin(2*PI*ld(1)*1.4983*t)+0.3*sin(2*PI*ld(1)*0.5*t)))"
        "*(0.75+0.25*sin(2*PI*0.5*t))"
    )
    kick = "0.9*sin(2*PI*(50+90*exp(-30*mod(t,0.5)))*mod(t,0.5))*exp(-9*mod(t,0.5))"
    hat = "0.12*(random(0)*2-1)*exp(-60*mod(t+0.25,0.5))"
    expr = f"({chord}+{kick}+{hat})/3"
    ffmpeg("-f", "lavfi", "-i", f"aevalsrc=exprs='{expr}':s={RATE}:d={seconds:.3f}", "-ac", "1",
           "-c:a", "pcm_s16le", str(path))
    return path


def with_music(case: Case, *, intro_s: float = 10.0, bed_db: float = -20.0, workdir: Path) -> Case:
    """``case`` after a music intro of ``intro_s`` seconds, under a music bed
    ``bed_db`` below the speech's RMS level (music alone, full level, in the intro)."""
    shift = round(intro_s * RATE)
    total_s = (len(case.samples) + shift) / RATE
    mpath = music(workdir / "music.wav", total_s + 0.1)
    with wave.open(str(mpath), "rb") as w:
        bed = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)[: len(case.samples) + shift]
    speech = np.concatenate([np.zeros(shift), case.samples.astype(np.float64)])
    loud = speech[np.abs(speech) > 100]
    speech_rms = float(np.sqrt(np.mean(loud**2))) if len(loud) else 1000.0
    bed_rms = float(np.sqrt(np.mean(bed**2))) or 1.0
    gain = np.full(len(bed), speech_rms / bed_rms * 10 ** (bed_db / 20))
    # the intro plays at speech level, then fades down to the bed over 1.5 s
    fade = round(1.5 * RATE)
    intro_gain = speech_rms / bed_rms * 10 ** (-3 / 20)
    gain[: shift - fade] = intro_gain
    gain[shift - fade: shift] = np.linspace(intro_gain, gain[-1], fade)
    mixed = np.clip(speech + bed * gain, -32768, 32767).astype(np.int16)
    off = intro_s * 1000
    spans = tuple((round(a + off), round(b + off)) for a, b in case.spans)
    words = tuple(tuple((round(a + off), round(b + off)) for a, b in ws) for ws in case.words)
    return Case(case.name + "+music", case.language, mixed, case.sentences, spans, words)


def encode_mp3(case: Case, path: Path) -> Path:
    """64 kbps CBR MP3 (with Xing header), as a podcast host would serve."""
    with tempfile.TemporaryDirectory(prefix="bench-enc-") as tmp:
        wav = write_wav(Path(tmp) / "x.wav", case.samples)
        ffmpeg("-i", str(wav), "-c:a", "libmp3lame", "-b:a", "64k", str(path))
    return path
