"""Mastering a long episode: wall time and peak memory, Python and ffmpeg children.

    .venv/bin/python bench/bench_master.py               # 60-minute stereo episode (the issue's size)
    .venv/bin/python bench/bench_master.py --minutes 5   # while developing

A show is made with ``toolkit init``/``episode new`` in a temporary folder, with
``[audio] loudness = -16`` and a 3-second intro; the episode (pink noise with a
slow swell, 44.1 kHz stereo, 128 kbps MP3, made by ffmpeg) is mastered through
:func:`toolkit.master.master_source` — the same call ``publish`` makes.

Printed: wall time of the cold mastering, of a second call (everything cached),
and the baseline measured in the same run: one streaming ``ffmpeg -f null``
decode of the same file (the least any full pass can cost).  Memory: this
process's peak RSS (``ru_maxrss`` of RUSAGE_SELF) before and after, and the
largest ffmpeg child's peak RSS (RUSAGE_CHILDREN).  The target is < 200 MB for
both.  The result is checked with the ebur128 meter (±1 LU, true peak ≤ −1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toolkit import config, scaffold  # noqa: E402
from toolkit.master import master_source  # noqa: E402
from toolkit.pipeline import build_source  # noqa: E402


def rss_self_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_children_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def ffmpeg(*args: str) -> None:
    subprocess.run([shutil.which("ffmpeg") or "ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args],
                   check=True)


def ebur128(path: Path) -> tuple[float, float]:
    proc = subprocess.run([shutil.which("ffmpeg") or "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i",
                           str(path), "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    summary = proc.stderr[proc.stderr.rindex("Summary:"):]
    i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    tp = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return i, tp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    args = parser.parse_args()
    seconds = int(args.minutes * 60)
    with tempfile.TemporaryDirectory(prefix="bench-master-") as tmp_name:
        tmp = Path(tmp_name)
        raw = tmp / "episode.mp3"
        t0 = time.perf_counter()
        ffmpeg("-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.04:duration={seconds}:seed=3",
               "-af", "tremolo=f=0.2:d=0.6", "-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k", str(raw))
        made = time.perf_counter() - t0
        root = tmp / "show"
        scaffold.init_show(root, scaffold.ShowAnswers(title="Bench", author="Bench", email="b@example.org",
                                                      base_url="https://example.org/bench"))
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=660:duration=3", "-ac", "2", str(root / "intro.wav"))
        with (root / "show.toml").open("a", encoding="utf-8") as fh:
            fh.write('\n[audio]\nloudness = -16\nintro = "intro.wav"\n')
        show = config.load_show(root)
        scaffold.new_episode(show, "long", audio=raw, now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        source = build_source(show, config.load_episode(show, "long"))
        children_before = rss_children_mib()  # the generator's ffmpeg (its encode is not ours)

        t0 = time.perf_counter()
        ffmpeg("-i", str(raw), "-f", "null", "-")
        decode = time.perf_counter() - t0
        decode_rss = rss_children_mib()

        self_before = rss_self_mib()
        t0 = time.perf_counter()
        mastered = master_source(show, source)
        cold = time.perf_counter() - t0
        self_after = rss_self_mib()
        children_peak = rss_children_mib()
        t0 = time.perf_counter()
        master_source(show, source)
        warm = time.perf_counter() - t0

        integrated, peak = ebur128(mastered.audio.path)
        print(f"episode: {args.minutes:g} min stereo 128 kbps MP3, {raw.stat().st_size / 1e6:.1f} MB "
              f"(generated in {made:.1f} s)")
        print(f"baseline: ffmpeg streaming decode {decode:.1f} s, child peak RSS {decode_rss:.0f} MiB "
              f"(generator child {children_before:.0f} MiB)")
        print(f"mastering (measure + normalise + encode + tag), cold: {cold:.1f} s = {cold / decode:.1f}x the decode")
        print(f"mastering again (all cached): {warm:.2f} s = {warm / decode:.3f}x the decode")
        print(f"peak RSS: python {self_before:.0f} MiB before -> {self_after:.0f} MiB after; "
              f"largest ffmpeg child {children_peak:.0f} MiB (limit 200)")
        print(f"result (ebur128): {integrated:.1f} LUFS, true peak {peak:.1f} dBTP; "
              f"{mastered.audio.duration_ms / 1000:.1f} s, {mastered.audio.size / 1e6:.1f} MB")
        ok = self_after < 200 and children_peak < 200 and abs(integrated + 16) <= 1 and peak <= -1
        print("target met" if ok else "TARGET NOT MET")


if __name__ == "__main__":
    main()
