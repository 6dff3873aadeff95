"""Duration of a 60-minute MP3: toolkit ``audio_info`` (mutagen metadata) vs pydub decode.

    .venv/bin/python bench/bench_duration.py [--minutes 60] [--repeat 3] [--skip-align]

The MP3 (white noise, mono 44.1 kHz, libmp3lame 64 kbps CBR) is generated once
with ffmpeg and cached under ``.toolkit-cache/bench/`` (git-ignored).  Every
measurement runs in its own fresh child process: wall time of the call itself
(interpreter start and imports excluded) and the child's peak RSS from
``os.wait4``.  Medians of ``--repeat`` runs; the ratio is against
``pydub.AudioSegment.from_file`` measured in the same run.
Targets: ≥ 30× faster, toolkit peak ≤ 60 MB.

The *process s* column is the whole child, interpreter start and imports
included (what a shell script calling it pays), from ``Popen`` to
``wait4``; the last rows are whole processes only: mutagen alone in
``python -c``, and ``ffprobe`` (the usual shell answer).
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def resolve_ffmpeg() -> str:
    # Not toolkit.timing.ffmpeg: importing the toolkit here would inflate this
    # process, and with it the peak RSS the forked children start from.
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())

CASES = {
    "toolkit audio_info": (
        "from toolkit.timing import audio_info\n"
        "t0 = time.perf_counter(); d = audio_info(p).duration_ms; t = time.perf_counter() - t0"
    ),
    "pydub from_file+len": (
        "from pydub import AudioSegment\n"
        "t0 = time.perf_counter(); d = len(AudioSegment.from_file(str(p))); t = time.perf_counter() - t0"
    ),
    "align frame_energies": (
        "from toolkit.timing.align import frame_energies\n"
        "t0 = time.perf_counter(); d = frame_energies(p).duration_ms; t = time.perf_counter() - t0"
    ),
    "mutagen alone": (
        "import mutagen\n"
        "t0 = time.perf_counter(); d = mutagen.File(p).info.length * 1000; t = time.perf_counter() - t0"
    ),
    "python (empty)": "t0 = time.perf_counter(); d = 0; t = time.perf_counter() - t0",
}


def make_mp3(minutes: int) -> Path:
    cache = REPO / ".toolkit-cache" / "bench"
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / f"noise-{minutes}min-64k.mp3"
    if not out.exists():
        tmp = out.with_suffix(".part.mp3")
        subprocess.run(
            [resolve_ffmpeg(), "-nostdin", "-v", "error", "-y", "-f", "lavfi",
             "-i", f"anoisesrc=d={minutes * 60}:c=white:a=0.1:r=44100",
             "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(tmp)],
            check=True,
        )  # fmt: skip
        os.replace(tmp, out)
    return out


def run_process(argv: list[str]) -> tuple[str, float, int]:
    """Run one fresh process: (its stdout, whole-process wall seconds, peak RSS MiB)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {argv!r}")
    return out, wall, usage.ru_maxrss // 1024


def run_child(body: str, path: Path) -> tuple[float, int, float, float]:
    """Return (seconds in the call, peak RSS MiB, reported duration ms, whole-process seconds)."""
    code = f"import sys, time, warnings\nwarnings.simplefilter('ignore')\nfrom pathlib import Path\np = Path({str(path)!r})\n{body}\nprint(t, d)"
    out, wall, rss = run_process([sys.executable, "-c", code])
    t, d = out.split()
    return float(t), rss, float(d), wall


def run_ffprobe(path: Path) -> tuple[float, int, float, float]:
    """ffprobe's container duration, as a whole process (no separate call time)."""
    exe = shutil.which("ffprobe")
    if exe is None:
        raise SystemExit("ffprobe not found")
    out, wall, rss = run_process([exe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                  str(path)])
    return float("nan"), rss, float(out) * 1000, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-align", action="store_true", help="skip the slow frame_energies decode")
    args = ap.parse_args()
    mp3 = make_mp3(args.minutes)
    print(f"{mp3.name}: {mp3.stat().st_size / 1e6:.1f} MB, {args.repeat} fresh processes per method (median)")
    header = f"{'method':<22}{'call s':>9}{'process s':>11}{'peak RSS MiB':>14}{'reported ms':>13}"
    print(header)
    print("-" * len(header))
    res: dict[str, tuple[float, int, float, float]] = {}
    methods = {name: (lambda body=body: run_child(body, mp3)) for name, body in CASES.items()
               if not (args.skip_align and name == "align frame_energies")}
    methods["ffprobe (process)"] = lambda: run_ffprobe(mp3)
    for name, measure in methods.items():
        runs = [measure() for _ in range(args.repeat)]
        res[name] = (
            statistics.median(r[0] for r in runs),
            int(statistics.median(r[1] for r in runs)),
            runs[0][2],
            statistics.median(r[3] for r in runs),
        )
        t, rss, d, wall = res[name]
        call = "—" if t != t else f"{t:.3f}"
        print(f"{name:<22}{call:>9}{wall:>11.3f}{rss:>14d}{d:>13.0f}")
    tk, pd = res["toolkit audio_info"], res["pydub from_file+len"]
    mu, ff, py = res["mutagen alone"], res["ffprobe (process)"], res["python (empty)"]
    print(f"\nspeed-up audio_info vs pydub decode: {pd[0] / tk[0]:.0f}x (target >= 30x)")
    print(f"peak memory: toolkit {tk[1]} MiB (target <= 60), pydub {pd[1]} MiB ({pd[1] / tk[1]:.0f}x)")
    print(f"whole process: toolkit {tk[3]:.3f} s = {tk[3] / mu[3]:.2f}x mutagen alone ({mu[3]:.3f} s), "
          f"{tk[3] / ff[3]:.2f}x ffprobe ({ff[3]:.3f} s); empty python {py[3]:.3f} s")
    print(f"durations agree within {abs(tk[2] - pd[2]):.0f} ms (ffprobe {abs(tk[2] - ff[2]):.0f} ms)")


if __name__ == "__main__":
    main()
