"""Benchmark (issue 14): an unchanged republish through the real CLI, 200 episodes × 5 languages.

Target: the republish takes ≤ 5 % of the cold publish's wall time.

The show is generated in a temporary folder: ``--episodes`` (default 200)
episodes, each with a copy of ONE small ffmpeg-made MP3 (a 200 s sine tone,
16 kbps mono) and a timed SRT transcript of 15–25 cues made from the argos
fixture corpus, every cue made unique (``…, note <n>``) so the translation
memory cannot dedupe the catalogue.  Five target languages: ``es`` through
apertium (when apertium eng-spa is installed; argos otherwise) and
``de``/``fr``/``it``/``nl`` through the REAL argos path with the test suite's
fixture package (a copy model, built into tests/.cache/argos), installed for
each target code into a private ``ARGOS_PACKAGES_DIR``
(bench_publish's helpers: ``install_argos_fixture``, ``child_env``,
``with_bytecode``, ``apertium_ok``, ``tree_digest``).

Every run is a fresh ``python -m toolkit publish --root SHOW`` process (the
plain click command, no wrappers), with bytecode cached in a private
``PYTHONPYCACHEPREFIX`` (filled by an untimed warm-up publish of a 2-episode
show, as installing the package would have).  Rows:

* default jobs (every core): cold publish, then the unchanged republish
  ``--repeat`` times (median) → ratio against the 5 % target; ``feeds/`` and
  ``translations/`` are asserted byte-identical after every republish;
* ``--jobs 1`` (serial, in process): a second cold publish of a fresh copy,
  then its republishes (``--no-serial`` skips this row).

``--profile`` then runs one more republish of each row under cProfile
(``python -m cProfile``: the coordinating process; with ``--jobs 1`` that is
everything) and prints the top functions by cumulative time, and one under
``-X importtime`` (the top imports); then the workers' share --
``pipeline.compute_episode`` for every episode in one fresh process, timed and
profiled -- and the cost of the CLI's report (every episode's summary vs the
quiet default), so a note can say where the time goes.

``--trees A,B,…`` compares toolkit trees (``git archive`` snapshots of the
commits before/after each change) on one cold-published show instead of the
rows: per tree a copy made current by one untimed republish, then rounds of
CLI republish + workers' share, tree order alternating (see :func:`compare`).

    PYTHONPATH=. .venv/bin/python bench/bench_republish.py [--episodes 200] [--repeat 3] [--profile] [--keep]
    PYTHONPATH=. .venv/bin/python bench/bench_republish.py --trees /tmp/trees/A,/tmp/trees/B --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from bench_publish import apertium_ok, child_env, install_argos_fixture, tree_digest, with_bytecode  # noqa: E402

CORPUS = REPO / "tests" / "fixtures" / "argos" / "corpus.txt"
ARGOS_LANGS = ("de", "fr", "it", "nl")
GUID_NS = uuid.UUID("6f1d3c1e-93a5-4d77-9a53-0c2b1f6a0b14")
AUDIO_S = 200


def corpus_sentences() -> list[str]:
    """The fixture corpus split into sentences (what the copy model's tokenizer knows)."""
    text = CORPUS.read_text(encoding="utf-8")
    return [s for line in text.splitlines() if line.strip()
            for s in re.split(r"(?<=[.!?])\s+", line.strip()) if 3 < len(s) <= 80]


def make_mp3(dest: Path) -> Path:
    """One small MP3 (a sine tone), copied into every episode."""
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={AUDIO_S}", "-ac", "1", "-ar", "16000", "-b:a", "16k", str(dest)], check=True)
    return dest


def srt_clock(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def make_srt(n_episode: int, sentences: list[str], counter: list[int]) -> str:
    """15–25 timed cues (real SRT layout: number, timing line, text, blank line), unique text,
    each lasting its text at ≈ 13 characters a second (within the subtitle guidelines)."""
    count = 15 + (n_episode * 7) % 11
    blocks = []
    start = 500 + (n_episode % 7) * 100
    for k in range(count):
        sentence = sentences[(n_episode * 5 + k * 3) % len(sentences)]
        body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, ".")
        counter[0] += 1
        text = f"{body}, note {counter[0]}{end}"
        stop = start + max(1500, len(text) * 1000 // 13)
        blocks.append(f"{k + 1}\n{srt_clock(start)} --> {srt_clock(stop)}\n{text}\n")
        start = stop + 300 + (k % 4) * 150
    assert start < AUDIO_S * 1000, "the transcript outlasts the audio"
    return "\n".join(blocks)


def show_toml(langs: dict[str, str]) -> str:
    targets = ", ".join(f'"{lang}"' for lang in langs)
    engines = ", ".join(f'{lang} = "{name}"' for lang, name in langs.items() if name != "argos")
    return f'''title = "Bench Notes"
description = "A generated show for bench/bench_republish.py: short episodes with timed transcripts."
author = "Bench Studio"
base_url = "https://bench.example.org"
link = "https://bench.example.org/"
language = "en"
categories = ["Technology"]
image = "cover.png"
explicit = false
target_languages = [{targets}]
guid = "{uuid.uuid5(GUID_NS, "bench.example.org/feed.xml")}"

[owner]
name = "Bench Owner"
email = "owner@bench.example.org"

[translation]
engine = "argos"
engines = {{ {engines} }}
'''


def make_show(dest: Path, episodes: int, langs: dict[str, str], mp3: Path) -> Path:
    """A show folder of ``episodes`` episodes (written like the demo's show.toml/episode.toml)."""
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "cover.png", dest / "cover.png")
    (dest / "show.toml").write_text(show_toml(langs), encoding="utf-8")
    sentences = corpus_sentences()
    counter = [0]
    for n in range(1, episodes + 1):
        folder = dest / "episodes" / f"episode-{n:04d}"
        folder.mkdir(parents=True)
        shutil.copy2(mp3, folder / "audio.mp3")
        (folder / "transcript.srt").write_text(make_srt(n, sentences, counter), encoding="utf-8")
        day = time.strftime("%Y-%m-%dT08:00:00Z", time.gmtime(1_700_000_000 + n * 86_400))
        (folder / "episode.toml").write_text(
            f'title = {json.dumps(f"Episode {n}: " + sentences[n % len(sentences)][:40].rstrip(" ,."))}\n'
            f"date = {day}\n"
            f'description = "Episode {n} of the benchmark show, with a timed transcript."\n'
            f'audio = "audio.mp3"\nnumber = {n}\nseason = 1\n'
            f'guid = "{uuid.uuid5(GUID_NS, f"episode-{n}")}"\n', encoding="utf-8")
    return dest


def site_digest(show: Path) -> str:
    return tree_digest(show / "feeds") + tree_digest(show / "translations")


def publish(show: Path, env: dict[str, str], jobs: int | None, prefix: list[str] | None = None) -> tuple[float, str]:
    """One ``python -m toolkit publish`` process: (wall seconds, stdout)."""
    cmd = [sys.executable, *(prefix or []), "-m", "toolkit", "publish", "--root", str(show)]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=show.parent, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return wall, proc.stdout


def row(name: str, show: Path, env: dict[str, str], jobs: int | None, repeat: int) -> dict[str, float]:
    load = os.getloadavg()[0]
    cold, out = publish(show, env, jobs)
    lines = len(out.splitlines())
    before = site_digest(show)
    warms = []
    for _ in range(repeat):
        t, out = publish(show, env, jobs)
        assert site_digest(show) == before, f"{name}: feeds/ or translations/ changed on an unchanged republish"
        warms.append(t)
    warm = statistics.median(warms)
    print(f"{name}: cold {cold:.2f} s ({lines} stdout lines) | republish "
          + ", ".join(f"{t:.2f}" for t in warms) + f" s, median {warm:.2f} s ({len(out.splitlines())} stdout "
          f"lines) → {100 * warm / cold:.1f} % of cold (target ≤ 5 %) | byte-identical: yes | "
          f"load {load:.2f} → {os.getloadavg()[0]:.2f}", flush=True)
    return {"cold": cold, "republish": warm}


def profile(name: str, show: Path, env: dict[str, str], jobs: int | None, tmp: Path, top: int = 25) -> None:
    """One republish under cProfile (the coordinating process), then one under ``-X importtime``."""
    out = tmp / f"{name}.prof"
    wall, _ = publish(show, env, jobs, ["-m", "cProfile", "-o", str(out)])
    print(f"\n## {name}: one republish under cProfile ({wall:.2f} s wall, profiler overhead included); "
          f"top {top} by cumulative time (coordinating process)")
    print_top(out, top)
    env2 = dict(env)
    env2["PYTHONPROFILEIMPORTTIME"] = "1"
    # --jobs 1: one process, so worker processes' import lines do not mix in
    cmd = [sys.executable, "-m", "toolkit", "publish", "--root", str(show), "--jobs", "1"]
    proc = subprocess.run(cmd, env=env2, cwd=show.parent, capture_output=True, text=True, check=True)
    imports = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(3)) <= 2:  # top-level imports only
            imports.append((int(m.group(2)), m.group(4)))
    total = sum(us for us, _ in imports)
    print(f"## {name}: -X importtime, top-level imports (one --jobs 1 process): {total / 1e6:.2f} s in all")
    for us, mod in sorted(imports, reverse=True)[:10]:
        print(f"  {us / 1e6:7.3f} s  {mod}")


def worker_child(show_dir: str, out: str, tree: str) -> None:
    """In a fresh process: what the workers do on a republish -- ``pipeline.compute_episode`` for
    every episode, one after another -- under cProfile (the coordinator's profile cannot see it)."""
    import cProfile

    sys.path.insert(0, tree)
    from toolkit import config, pipeline

    assert Path(pipeline.__file__).is_relative_to(tree), pipeline.__file__
    show = config.load_show(Path(show_dir))
    episodes = config.load_episodes(show)
    targets = pipeline.targets_for(show, None)

    def run_all() -> float:
        t0 = time.perf_counter()
        for episode in episodes:
            outcome = pipeline.compute_episode(show, episode, targets)
            assert outcome.error is None, outcome.error
        return time.perf_counter() - t0

    plain = run_all()  # a fresh process, as a worker is: the figure to compare (no profiler)
    took = 0.0
    if out != "-":  # "-": no profiled pass
        prof = cProfile.Profile()
        prof.enable()
        took = run_all()
        prof.disable()
        prof.dump_stats(out)
    print(f"{plain:.3f} {took:.3f}")


def worker_time(show: Path, env: dict[str, str], out: Path | None, tree: Path = REPO) -> tuple[float, float]:
    """(seconds without, with cProfile) of :func:`worker_child` in a fresh process importing ``tree``."""
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker-child", str(show),
                           str(out) if out is not None else "-", str(tree)], env=env, cwd=show.parent, capture_output=True, text=True, check=True)
    plain, took = (float(x) for x in proc.stdout.split()[-2:])
    return plain, took


def summary_child(show_dir: str) -> None:
    """In a fresh process: the CLI's report of an unchanged ``--jobs 1`` republish, every
    episode's summary (``-v``, the old default) against the quiet default, alternately, to this
    process's stdout (a pipe, as in the timed runs); the times go to stderr."""
    sys.path.insert(0, str(REPO))
    from toolkit import catalogue, config
    from toolkit.cli import publish as cli

    show = config.load_show(Path(show_dir))
    results = catalogue.publish_catalogue(show, jobs=1).results
    times: dict[bool, list[float]] = {True: [], False: []}
    for verbose in (True, False) * 5:
        t0 = time.perf_counter()
        cli._summaries(results, str(show.feeds_dir), verbose=verbose)
        sys.stdout.flush()
        times[verbose].append(time.perf_counter() - t0)
    print(json.dumps({"every": statistics.median(times[True]), "quiet": statistics.median(times[False])}),
          file=sys.stderr)


def summary_cost(show: Path, env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--summary-child", str(show)], env=env,
                          cwd=show.parent, capture_output=True, text=True, check=True)
    got = json.loads(proc.stderr.strip().splitlines()[-1])
    lines = proc.stdout.count("\n") / 10
    print(f"\n## the report of {show_episodes(show)} clean episodes (coordinating process, median of 5, to a pipe): "
          f"every episode's summary (-v; the old default) {got['every'] * 1000:.0f} ms, quiet default "
          f"{got['quiet'] * 1000:.1f} ms ({lines:.0f} lines a report on average)")


def worker_profile(show: Path, env: dict[str, str], tmp: Path, top: int = 25) -> None:
    out = tmp / "worker.prof"
    plain, took = worker_time(show, env, out)
    n = show_episodes(show)
    print(f"\n## the workers' share: compute_episode for every episode, one after another in one process: "
          f"{plain:.2f} s ({plain / n * 1000:.1f} ms per episode; a fresh process, no profiler), {took:.2f} s under cProfile; "
          f"top {top} by cumulative time")
    print_top(out, top)


def show_episodes(show: Path) -> int:
    return sum(1 for _ in (show / "episodes").glob("*/episode.toml"))


def print_top(path: Path, top: int) -> None:
    stats = pstats.Stats(str(path))
    rows = []
    for func, (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((ct, tt, nc, f"{Path(func[0]).name}:{func[1]}({func[2]})"))
    for ct, tt, nc, where in sorted(rows, reverse=True)[:top]:
        print(f"  {ct:8.3f} s cum  {tt:7.3f} s own  {nc:8d} calls  {where}")


def compare(trees: list[Path], show: Path, env: dict[str, str], rounds: int, tmp: Path) -> None:
    """``--trees``: one cold publish (this tree), then per tree a copy of the published show, made
    current for that tree's code by one untimed republish (cache keys cover the code); then rounds
    of: an unchanged CLI republish (default jobs) and the workers' share (:func:`worker_child`),
    tree after tree (in reverse order every other round), so a change in the machine's load hits
    every tree alike.  Every tree's site
    must be byte-identical to the cold publish's."""
    cold, _ = publish(show, env, None)
    expected = site_digest(show)
    print(f"cold publish (this tree): {cold:.2f} s; load {os.getloadavg()[0]:.2f}", flush=True)
    copies = {}
    for i, tree in enumerate(trees):
        copy = tmp / f"tree{i}" / "show"
        shutil.copytree(show, copy, symlinks=True)
        tenv = {**env, "PYTHONPATH": str(tree)}
        publish(copy, tenv, None)  # untimed: this tree's cache keys
        assert site_digest(copy) == expected, f"{tree}: the site differs from the cold publish's"
        copies[tree] = (copy, tenv)
    times: dict[Path, list[float]] = {t: [] for t in trees}
    workers: dict[Path, list[float]] = {t: [] for t in trees}
    for r in range(rounds):
        for tree in (trees if r % 2 == 0 else trees[::-1]):  # alternate the order: drift hits every tree alike
            copy, tenv = copies[tree]
            wall, _ = publish(copy, tenv, None)
            assert site_digest(copy) == expected, f"{tree}: the site changed on an unchanged republish"
            times[tree].append(wall)
            workers[tree].append(worker_time(copy, tenv, None, tree)[0])
        print(f"round {r + 1} done; load {os.getloadavg()[0]:.2f}", flush=True)
    for tree in trees:
        rep, wrk = statistics.median(times[tree]), statistics.median(workers[tree])
        print(f"{tree}: republish " + ", ".join(f"{t:.2f}" for t in times[tree]) + f" s, median {rep:.2f} s → "
              f"{100 * rep / cold:.1f} % of the cold {cold:.2f} s | workers' share (one process, every episode) "
              + ", ".join(f"{t:.2f}" for t in workers[tree]) + f" s, median {wrk:.2f} s | byte-identical: yes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--episodes", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3, help="unchanged republishes per row (median)")
    ap.add_argument("--no-serial", action="store_true", help="skip the --jobs 1 row (its cold publish)")
    ap.add_argument("--profile", action="store_true", help="profile one republish of each row")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--trees", metavar="DIR,DIR,...",
                    help="A/B: republish the cold-published show with each of these toolkit trees (e.g. `git archive` "
                         "snapshots of the commits to compare), rounds interleaved; replaces the rows")
    ap.add_argument("--summary-child", metavar="SHOW", help=argparse.SUPPRESS)
    ap.add_argument("--worker-child", nargs=3, metavar=("SHOW", "OUT", "TREE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker_child:
        worker_child(*a.worker_child)
        return
    if a.summary_child:
        summary_child(a.summary_child)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-republish-"))
    try:
        env = with_bytecode(child_env(tmp), tmp)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        langs: dict[str, str] = {"es": "apertium" if apertium_ok() else "argos"}
        langs.update((lang, "argos") for lang in ARGOS_LANGS)
        pkgs = [install_argos_fixture(env, to_code=lang) for lang, name in langs.items() if name == "argos"]
        mp3 = make_mp3(tmp / "tone.mp3")
        if langs["es"] != "apertium":
            print("# apertium eng-spa is not installed: es through argos (apt-get install apertium apertium-eng-spa)")
        print(f"# {a.episodes} episodes × {len(langs)} languages {langs}; argos fixture packages {pkgs}; "
              f"cpu={len(os.sched_getaffinity(0))}; load {os.getloadavg()[0]:.2f}; {a.repeat} republishes per row")
        publish(make_show(tmp / "warmup", 2, langs, mp3), env, None)  # untimed: fills the bytecode cache
        results = {}
        show = make_show(tmp / "show", a.episodes, langs, mp3)
        if a.trees:
            compare([Path(t).resolve() for t in a.trees.split(",")], show, env, a.repeat, tmp)
            return
        results["default jobs"] = row("default jobs", show, env, None, a.repeat)
        serial = None
        if not a.no_serial:
            serial = make_show(tmp / "show-serial", a.episodes, langs, mp3)
            results["--jobs 1"] = row("--jobs 1", serial, env, 1, a.repeat)
            assert site_digest(serial) == site_digest(show), "--jobs 1 and the default publish differ"
            print("default jobs and --jobs 1: byte-identical sites")
        if a.profile:
            profile("default-jobs", show, env, None, tmp)
            worker_profile(show, env, tmp)
            summary_cost(show, env)
            if serial is not None:
                profile("jobs-1", serial, env, 1, tmp)
    finally:
        if a.keep:
            print(f"# kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
