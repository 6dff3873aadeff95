"""The full pipeline through the real CLI: ``--jobs 1`` vs ``--jobs 2`` vs a 2-worker Dask cluster.

    .venv/bin/python bench/bench_pipeline.py --episodes 6 --minutes 2 --rounds 3

(the defaults; run it on a quiet machine with at least 2 cores).

The show: N generated episodes, each a plain-text transcript (no times, so the
forced aligner runs) of about ``--minutes`` minutes of narration and its audio,
spoken by ``espeak-ng`` (a subprocess) and encoded by ffmpeg to a 64 kbps MP3;
the audio is cached under ``.toolkit-cache/bench/pipeline/`` (git-ignored) by
the hash of its text and voice.  The sentences come from the argos fixture
corpus (tests/fixtures/argos/corpus.txt), each made unique (``…, note K.``) so
the translation memory cannot share work between episodes.  Two target
languages, both real engines:

* ``es`` through apertium (eng-spa; the benchmark stops when it is missing);
* ``de`` through the real argos path (argostranslate + CTranslate2) with the
  test suite's fixture package (tests/fixtures/argos/build.py, a copy model),
  installed into an isolated ``ARGOS_PACKAGES_DIR`` as bench/bench_publish.py does.

Each run is ``python -m toolkit publish --root SHOW`` on a fresh copy of the
show (episodes, show.toml, cover; no ``.toolkit/``: alignment, translation and
every cache cold) with one of

* ``--jobs 1``: the serial in-process path;
* ``--jobs 2``: the local process pool;
* ``--scheduler ADDRESS``: a ``distributed.LocalCluster`` of 2 worker processes
  (one thread each, on 127.0.0.1) that the benchmark starts before the run and
  closes after it, untimed, so every Dask run gets fresh worker processes with no
  model loaded, as the pool's workers are (a cluster is long-lived in real use;
  its start is not the publish's cost).

The order of the three rotates from round to round so a drift in the machine's
load hits each alike.  Bytecode goes to a private ``PYTHONPYCACHEPREFIX``; an
untimed warm-up publishes two episodes once in each mode first (bytecode
compiled, libraries in the page cache).  Printed: each run, the median of each,
the speed-up of ``--jobs 2`` over ``--jobs 1`` (target ≥ 1.7× on 2 cores), the
Dask overhead over ``--jobs 2`` (target ≤ 15 %), the load average before,
during (after each run) and after; ``feeds/`` and ``translations/`` of every run
are asserted byte-identical to the first run's (so the three are identical).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
AUDIO_CACHE = REPO / ".toolkit-cache" / "bench" / "pipeline"
CORPUS = REPO / "tests" / "fixtures" / "argos" / "corpus.txt"
VOICE, WPM = "en", 165
SPOKEN = 0.8  # written words per spoken word: espeak-ng says "note 123" as five words
LANGS = {"es": "apertium", "de": "argos"}
DASK = "dask"


def _bench_publish() -> ModuleType:
    """bench/bench_publish.py: its isolated argos environment and fixture installer."""
    spec = importlib.util.spec_from_file_location("bench_publish", REPO / "bench" / "bench_publish.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _scripts(episodes: int, minutes: float) -> list[str]:
    """Each episode's transcript: corpus sentences, each unique, about ``minutes`` of speech."""
    lines = [ln.strip() for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    sentences = [s for ln in lines for s in re.split(r"(?<=[.!?])\s+", ln)]
    words = int(minutes * WPM * SPOKEN)
    out, k = [], 0
    for _ in range(episodes):
        paragraphs, para, count = [], [], 0
        while count < words:
            sentence = sentences[k % len(sentences)]
            body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, ".")
            k += 1
            para.append(f"{body}, note {k}{end}")
            count += len(para[-1].split())
            if len(para) == 4:
                paragraphs.append(" ".join(para))
                para = []
        if para:
            paragraphs.append(" ".join(para))
        out.append("\n\n".join(paragraphs) + "\n")
    return out


def _audio(text: str) -> Path:
    """``text`` spoken by espeak-ng, as a 64 kbps MP3 (cached by the text, voice and rate)."""
    key = hashlib.sha256(f"{VOICE}\0{WPM}\0{text}".encode()).hexdigest()[:20]
    mp3 = AUDIO_CACHE / f"{key}.mp3"
    if mp3.is_file():
        return mp3
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng not found (apt-get install espeak-ng)")
    sys.path.insert(0, str(REPO))
    from toolkit.timing.ffmpeg import resolve_ffmpeg

    AUDIO_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-tts-") as tmp:
        src, wav = Path(tmp) / "text.txt", Path(tmp) / "speech.wav"
        src.write_text(text, encoding="utf-8")
        subprocess.run([espeak, "-v", VOICE, "-s", str(WPM), "-f", str(src), "-w", str(wav)],
                       check=True, capture_output=True)
        part = mp3.with_name(mp3.name + ".part")
        subprocess.run([resolve_ffmpeg(), "-nostdin", "-v", "error", "-y", "-i", str(wav), "-ac", "1",
                        "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", str(part)], check=True, capture_output=True)
        part.replace(mp3)
    return mp3


def _duration(mp3: Path) -> float:
    sys.path.insert(0, str(REPO))
    from mutagen.mp3 import MP3

    return float(MP3(str(mp3)).info.length)


def make_show(dest: Path, episodes: int, minutes: float) -> tuple[Path, float]:
    """The benchmark's show (see the docstring); returns it and its total audio in seconds."""
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "cover.png", dest / "cover.png")
    (dest / "show.toml").write_text(_bench_publish().retarget(REPO / "show.toml", LANGS), encoding="utf-8")
    total = 0.0
    for i, text in enumerate(_scripts(episodes, minutes), start=1):
        folder = dest / "episodes" / f"bench-{i:02d}"
        folder.mkdir(parents=True)
        mp3 = _audio(text)
        total += _duration(mp3)
        shutil.copyfile(mp3, folder / "audio.mp3")
        (folder / "transcript.txt").write_text(text, encoding="utf-8")
        (folder / "episode.toml").write_text(
            f'title = "Benchmark episode {i}"\ndate = 2026-03-{i % 28 + 1:02d}T08:00:00Z\n'
            f'description = "Generated narration number {i} for the pipeline benchmark."\n'
            f'audio = "audio.mp3"\nnumber = {i}\n', encoding="utf-8")
    return dest, total


def _copy(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns(".toolkit", "feeds", "translations"))
    return dest


def _tree(root: Path) -> dict[str, str]:
    """Every file's digest below ``feeds/`` and ``translations/`` (hidden state excluded)."""
    out = {}
    for name in ("feeds", "translations"):
        for p in sorted((root / name).rglob("*")):
            rel = p.relative_to(root)
            if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                out[rel.as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _publish(show: Path, env: dict[str, str], how: str, address: str | None) -> float:
    args = ["--scheduler", address] if how == DASK and address else ["--jobs", how]
    cmd = [sys.executable, "-m", "toolkit", "publish", "--root", str(show), *args]
    start = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    took = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"publish {' '.join(args)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    return took


def _label(how: str) -> str:
    return "Dask, 2 workers" if how == DASK else f"--jobs {how}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=6)
    ap.add_argument("--minutes", type=float, default=2.0, help="speech per episode (about)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    try:
        import distributed
    except ImportError:
        raise SystemExit("the Dask runs need the distributed package (pip install 'toolkit[cluster]')") from None
    bp = _bench_publish()
    if not bp.apertium_ok():
        raise SystemExit("es needs apertium eng-spa (apt-get install apertium apertium-eng-spa)")
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    try:
        env = bp.with_bytecode(bp.child_env(tmp), tmp)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        pkg = bp.install_argos_fixture(env, to_code="de")
        # the Dask workers are this process's children: they get the same environment
        os.environ.clear()
        os.environ.update(env)
        template, audio_s = make_show(tmp / "template", a.episodes, a.minutes)
        print(f"# {a.episodes} episodes, {audio_s / 60:.1f} min of espeak-ng speech in all (untimed transcripts: "
              f"forced alignment), languages {LANGS}; argos package {pkg} (fixture copy model); "
              f"cores available: {len(os.sched_getaffinity(0))}; {a.rounds} rounds; load average before "
              f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}", flush=True)
        order = ["1", "2", DASK]

        def publish(show: Path, how: str) -> float:
            if how != DASK:
                return _publish(show, env, how, None)
            with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                          dashboard_address=None, silence_logs=logging.ERROR) as cluster:
                return _publish(show, env, how, cluster.scheduler_address)

        # untimed: every mode once on two episodes, so bytecode (the private prefix) is compiled
        # and the libraries are in the page cache before the first timed run
        warm = _copy(template, tmp / "warm-up")
        for extra in sorted((warm / "episodes").iterdir())[2:]:
            shutil.rmtree(extra)
        for how in order:
            shutil.rmtree(warm / ".toolkit", ignore_errors=True)
            publish(warm, how)
        shutil.rmtree(warm)
        times: dict[str, list[float]] = {how: [] for how in order}
        reference: dict[str, str] | None = None
        for r in range(a.rounds):
            for how in order[r % 3:] + order[:r % 3]:
                show = _copy(template, tmp / f"r{r}-{how}")
                took = publish(show, how)
                times[how].append(took)
                tree = _tree(show)
                if reference is None:
                    reference = tree
                    missing = [f"bench-{i:02d}" for i in range(1, a.episodes + 1)
                               if f"feeds/episodes/bench-{i:02d}/episode.json" not in tree]
                    assert not missing, f"not published: {missing}"
                differ = sorted(k for k in reference.keys() | tree.keys() if reference.get(k) != tree.get(k))
                assert not differ, f"round {r + 1}, {_label(how)}: output differs from the first run: {differ[:10]}"
                print(f"round {r + 1}: {_label(how):16s} {took:6.1f} s   (load {os.getloadavg()[0]:.2f})", flush=True)
                shutil.rmtree(show)
        load_after = os.getloadavg()
    finally:
        if a.keep:
            print(f"# kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    serial, pool, dask = (statistics.median(times[how]) for how in order)
    print(f"load average after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print(f"median: --jobs 1 {serial:.1f} s | --jobs 2 {pool:.1f} s | Dask (2 workers) {dask:.1f} s")
    print(f"speed-up --jobs 2 over --jobs 1: {serial / pool:.2f}x (target >= 1.7x)")
    print(f"Dask overhead over --jobs 2: {100 * (dask / pool - 1):+.1f} % (target <= 15 %); "
          f"Dask speed-up over --jobs 1: {serial / dask:.2f}x")
    print("output byte-identical across the three (feeds/, translations/; every run): yes")


if __name__ == "__main__":
    main()
