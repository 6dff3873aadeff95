"""Feeds + pages + site writing for a generated show: cold build on every core
vs ``--jobs 1``, against the file system's own floor, and a rebuild after
changing one episode.

    .venv/bin/python bench/bench_site.py [--episodes 1000] [--cues 20] [--langs es,fr,de,it,nl]
                                         [--jobs N] [--fsync-compare] [--sweep]

The show is generated directly as EpisodeResult objects (synthetic cues, one
small shared ffmpeg MP3 copied into each episode folder, hand-built
LanguageBuilds per target language) so the benchmark measures the site writer
— ``site.render_episode`` (subtitles, transcript pages), ``site.write_episode``
(audio copy, files, manifest) and ``site.write_show`` (every feed, every show
page) — not alignment or translation.  Show texts go through the pseudo engine.

Every build runs under publish's sync policy (``fsutil.deferred_sync``: no
fsync per generated file, one ``os.sync()`` at the end, timed).

Each cold build runs in a fresh process of its own (this script again, with
``--child-build``), as a real ``toolkit publish`` does: measured in one process
one after the other, the second build's coordinator took up to 50 % more CPU
(the first build's caches, heap and allocator state), which penalised whichever
build came second.

* **cold, --jobs 1**: render and write every episode in this process, then
  ``write_show`` (the ``toolkit publish --jobs 1`` path);
* **cold, --jobs N** (default: every core): the episodes are rendered in a
  local pool of N worker processes (the same forkserver pool ``toolkit
  publish`` uses; each EpisodeResult is pickled to its worker, as a real task
  returns it), the bytes come back and this process writes them, in episode
  order, while the workers render the next ones; then ``write_show``, its
  feeds and show pages rendered on the same pool.  The pool is started and
  warmed before the clock starts (printed);
* **file-system floor**: the same files with the same sizes, made atomically
  (temporary file in the target folder, write, rename) into an empty tree on
  the same disk, one ``os.sync()`` at the end — what any writer of this site
  pays;
* **CPU of the cold build**: the coordinator's (``time.process_time`` of the
  child: receiving, writing every file, ``write_show``'s serial part) and the
  pool workers' (``/proc``), and what that bounds: the wall time is at least
  the coordinator's CPU and at least the total over the cores, so within 1.5×
  of the floor needs both under 1.5 × the floor — how many cores that takes at
  this CPU, or that no number of cores would;
* **change one episode** (its title and one cue, on five episodes; median) and
  a **no-change** rebuild: ratio against the cold build (target ≤ 5 %);
* ``--fsync-compare``: the cold build again with an fsync per file (what every
  write did before issue 14);
* ``--sweep``: cold builds on every core at 100 / 1000 / 3000 episodes × 5
  languages and 1000 episodes × 2 / 5 / 10 languages, per episode-language cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # support.sitekit: the hand-built show helpers the tests use

from support.sitekit import make_episode, make_source, make_show, translated, write_episode_files, write_show_files  # noqa: E402
from toolkit import catalogue, fsutil, pipeline  # noqa: E402
from toolkit.build import ChannelTexts  # noqa: E402
from toolkit.model import Show  # noqa: E402
from toolkit.pipeline import EpisodeResult  # noqa: E402
from toolkit.publish import site  # noqa: E402
from toolkit.translate.memory import PendingMemory, TranslationMemory, memory_path  # noqa: E402

WORDS = ("the harbour was quiet when the first boats came back and nobody on the pier expected "
         "the storm to pass so quickly my grandmother kept a notebook of every tide").split()


def cue_texts(i: int, n: int) -> list[str]:
    return [" ".join(WORDS[(i + k + j) % len(WORDS)] for j in range(7)).capitalize() + "." for k in range(n)]


def build_results(show, episodes: int, cues: int, langs: list[str]) -> list[EpisodeResult]:
    start = dt.datetime(2020, 1, 1, 9, tzinfo=dt.timezone.utc)
    info = None
    results = []
    for i in range(episodes):
        episode = make_episode(show, f"ep-{i:04d}", number=i + 1, date=start + dt.timedelta(days=i),
                               seconds=2.0)
        source = make_source(show, episode, texts=cue_texts(i, cues), chapter_titles=("Intro", "Story"),
                             info=replace(info, path=episode.audio) if info else None)
        info = source.audio
        result = EpisodeResult(source)
        result.languages[source.transcript.language] = source.as_language(show)
        for lang in langs:
            result.languages[lang] = translated(source, lang, kind="machine")
        results.append(result)
    return results


def change_one(show, old: EpisodeResult, langs: list[str]) -> EpisodeResult:
    """``old`` with a revised title and a corrected first cue."""
    episode = replace(old.source.episode, title=old.source.episode.title + " (revised)")
    cues = list(old.source.cues)
    cues[0] = replace(cues[0], lines=("A corrected first line.",))
    source = replace(old.source, episode=episode, cues=tuple(cues))
    changed = EpisodeResult(source)
    changed.languages[source.transcript.language] = source.as_language(show)
    for lang in langs:
        changed.languages[lang] = translated(source, lang, kind="machine")
    return changed


LANGS10 = "es,fr,de,it,nl,pt,ca,gl,sv,da"


def _render_task(show: Show, result: EpisodeResult) -> tuple[dict[str, ChannelTexts], site.EpisodeFiles]:
    """What a publish task does for the site, in a worker: the show texts its pages need (through the
    memory, opened once per worker as ``compute_episode`` does), then its files."""
    memory = PendingMemory.for_task(memory_path(show.root))
    try:
        pipeline.episode_show_texts(show, result, memory)
    finally:
        memory.close()
    return result.show_texts, site.render_episode(show, result)


def _warm(_: int) -> int:
    return os.getpid()


def _sync_scope(show: Show):  # type: ignore[no-untyped-def]
    return fsutil.deferred_sync(show.feeds_dir, show.root / ".toolkit" / "cache")


def cold_build(show: Show, results: list[EpisodeResult], pool: ProcessPoolExecutor | None) -> tuple[float, float]:
    """Every episode, then the show, under publish's sync policy (the final sync timed): (episodes s, show s)."""
    t0 = time.perf_counter()
    # the coordinator holds the show's memory open for the whole run, as `toolkit publish` does
    with _sync_scope(show), TranslationMemory(memory_path(show.root)) as memory:
        if pool is None:
            for result in results:
                pipeline.episode_show_texts(show, result, memory)
                site.write_episode(show, result)
        else:
            futures: list[Future[tuple[dict[str, ChannelTexts], site.EpisodeFiles]]] = [
                pool.submit(_render_task, show, result) for result in results]
            for result, fut in zip(results, futures):
                texts, files = fut.result()
                result.show_texts.update(texts)
                site.write_episode(show, result, rendered=files)
        t1 = time.perf_counter()
        # on the pool, the feeds and show pages render on the workers too (as `toolkit publish` does)
        site.write_show(show, results, texts=pipeline.show_texts(show, results, memory),
                        parallel=catalogue._on(pool) if pool is not None else None)
    return t1 - t0, time.perf_counter() - t1  # write_show + the final sync


class Cold(NamedTuple):
    """One cold build in its own process: wall-clock seconds and where the CPU went."""

    episodes_s: float
    show_s: float
    coordinator_cpu: float  # this process: receiving, writing every file, write_show's serial part
    workers_cpu: float  # the pool's processes during the build (rendering); 0 with --jobs 1

    @property
    def wall(self) -> float:
        return self.episodes_s + self.show_s


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_bound(cold: Cold, floor_s: float, jobs: int, serial_cpu: float) -> str:
    """Where the cold build's CPU went and what that bounds: the coordinator writes every file alone
    (serial), the workers' rendering divides among cores, so ``wall ≥ max(coordinator, total / cores)``;
    within 1.5× of the floor needs both under ``1.5 × floor`` -- the cores that takes, at this CPU."""
    total = cold.coordinator_cpu + cold.workers_cpu
    cores = max(1, min(jobs, os.cpu_count() or jobs))
    budget = 1.5 * floor_s
    need = (f"more than any number of cores gives: the coordinator alone is {cold.coordinator_cpu:.2f} s"
            if cold.coordinator_cpu > budget else f"≥ {math.ceil(total / budget)} cores")
    return (f"CPU of --jobs {jobs}   : coordinator {cold.coordinator_cpu:.2f} s ({cold.coordinator_cpu / floor_s:.2f}× the "
            f"floor), workers {cold.workers_cpu:.2f} s, total {total:.2f} s (--jobs 1: {serial_cpu:.2f} s); "
            f"CPU-bound wall ≥ {max(cold.coordinator_cpu, total / cores):.2f} s on {cores} cores; "
            f"1.5× the floor ({budget:.2f} s) at this CPU needs {need}")


def cold_in_child(root: Path, args: argparse.Namespace, langs: list[str], jobs: int) -> Cold:
    """:func:`cold_build` of a generated show at ``root`` in a fresh process (see the module doc)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-build", str(root), "--episodes",
           str(args.episodes), "--cues", str(args.cues), "--langs", ",".join(langs), "--jobs", str(jobs)]
    if not args.freeze:
        cmd.append("--no-freeze")
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"cold build (--jobs {jobs}) failed:\n{out.stdout}\n{out.stderr}")
    return Cold(*map(float, json.loads(out.stdout.strip().splitlines()[-1])))


def child_build(args: argparse.Namespace, langs: list[str]) -> None:
    """``--child-build ROOT``: generate the show, start and warm the pool (untimed), one cold build;
    prints the :class:`Cold` as a JSON list."""
    show = make_show(Path(args.child_build))
    results = build_results(show, args.episodes, args.cues, langs)
    if args.freeze:
        gc.collect()
        gc.freeze()
    pool, _ = _pool(args.jobs)
    workers = sorted(getattr(pool, "_processes", None) or {})  # CPython's pid → process table of the pool
    try:
        before = [_cpu_of(pid) for pid in workers]
        cpu0 = time.process_time()
        episodes_s, show_s = cold_build(show, results, pool)
        coordinator = time.process_time() - cpu0
        rendering = sum(_cpu_of(pid) - b for pid, b in zip(workers, before, strict=True))
        print(json.dumps([episodes_s, show_s, coordinator, rendering]))
    finally:
        if pool is not None:
            pool.shutdown()


def fs_floor(tree: Path, dest: Path) -> tuple[float, int]:
    """Make the files of ``tree`` again under ``dest`` with the same sizes, each
    atomically (temporary file beside it, write, rename), one sync at the end."""
    plan = []
    for folder, _dirs, names in os.walk(tree):
        rel = os.path.relpath(folder, tree)
        for name in names:
            plan.append((os.path.join(dest, rel, name), os.path.getsize(os.path.join(folder, name))))
    blob = b"x" * max((size for _, size in plan), default=0)
    t0 = time.perf_counter()
    made: set[str] = set()
    for path, size in plan:
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        tmp = os.path.join(parent, f".{os.path.basename(path)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, blob[:size])
        finally:
            os.close(fd)
        os.replace(tmp, path)
    os.sync()
    return time.perf_counter() - t0, len(plan)


def _pool(jobs: int) -> tuple[ProcessPoolExecutor | None, float]:
    if jobs <= 1:
        return None, 0.0
    t0 = time.perf_counter()
    pool = catalogue._pool(jobs)  # the pool `toolkit publish` starts
    # start every worker and import what a task needs (a real publish pays this once per run)
    list(pool.map(_warm, range(jobs * 4)))
    return pool, time.perf_counter() - t0


def sweep(tmp: Path, args: argparse.Namespace, pool: ProcessPoolExecutor | None) -> None:
    print(f"sweep (cold build, --jobs {args.jobs}, {args.cues} cues per episode):")
    print("  episodes  languages  files     cold s   ms per episode-language")
    for n, lang_list in ((100, LANGS10.split(",")[:5]), (1000, LANGS10.split(",")[:5]), (3000, LANGS10.split(",")[:5]),
                         (1000, LANGS10.split(",")[:2]), (1000, LANGS10.split(","))):
        show = make_show(tmp / f"sweep-{n}-{len(lang_list)}")
        results = build_results(show, n, args.cues, lang_list)
        episodes_s, show_s = cold_build(show, results, pool)
        cold = episodes_s + show_s
        files = sum(1 for p in show.feeds_dir.rglob("*") if p.is_file())
        print(f"  {n:8d}  {1 + len(lang_list):9d}  {files:6d}  {cold:8.2f}   {1000 * cold / (n * (1 + len(lang_list))):.2f}",
              flush=True)
        del results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--cues", type=int, default=20)
    parser.add_argument("--no-freeze", dest="freeze", action="store_false",
                        help="do not gc.freeze() the generated inputs")
    parser.add_argument("--langs", default="es,fr,de,it,nl", help="comma-separated target languages ('' for none)")
    parser.add_argument("--jobs", type=int, default=catalogue.default_jobs(), help="worker processes (default: every core)")
    parser.add_argument("--fsync-compare", action="store_true", help="also a cold build with an fsync per file")
    parser.add_argument("--sweep", action="store_true", help="only the 100/1000/3000 × 2/5/10 sweep")
    parser.add_argument("--child-build", metavar="ROOT", help=argparse.SUPPRESS)  # one cold build (cold_in_child)
    args = parser.parse_args()
    langs = [x for x in args.langs.split(",") if x]
    if args.child_build:
        child_build(args, langs)
        return
    pool, pool_s = _pool(args.jobs) if args.sweep else (None, 0.0)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
            print(f"disk: {tmp}; cores {catalogue.default_jobs()}, --jobs {args.jobs}"
                  + (f" (pool start + warm-up {pool_s:.2f} s, not counted)" if pool else
                     " (each build's pool started and warmed in its process, not counted)"), flush=True)
            if args.sweep:
                sweep(Path(tmp), args, pool)
                return
            run(Path(tmp), args, langs)
    finally:
        if pool is not None:
            pool.shutdown()


def run(tmp: Path, args: argparse.Namespace, langs: list[str]) -> None:
    # The generated EpisodeResults are inputs, not site work (a real publish holds one at a
    # time): each build's process freezes them, so the collector does not rescan them.
    serial_show = make_show(tmp / "serial")
    one = cold_in_child(serial_show.root, args, langs, 1)
    serial_ep, serial_sh, serial = one.episodes_s, one.show_s, one.wall
    files = sum(1 for p in serial_show.feeds_dir.rglob("*") if p.is_file())
    print(f"show: {args.episodes} episodes × {args.cues} cues, languages en+{','.join(langs) or '-'}; "
          f"{1 + len(langs)} feed(s), {files} files (each cold build in a fresh process, inputs generated there, "
          f"not counted)")
    print(f"cold, --jobs 1    : {serial:8.2f} s  (episodes {serial_ep:.2f} s = {1000 * serial_ep / args.episodes:.1f} ms "
          f"each; write_show {serial_sh:.2f} s)", flush=True)

    show = make_show(tmp / "show")
    pooled = cold_in_child(show.root, args, langs, args.jobs)
    episodes_s, show_s, cold = pooled.episodes_s, pooled.show_s, pooled.wall
    results = build_results(show, args.episodes, args.cues, langs)  # the same inputs, for the rebuilds below
    if args.freeze:
        gc.collect()
        gc.freeze()
    print(f"cold, --jobs {args.jobs:<5d}: {cold:8.2f} s  (episodes {episodes_s:.2f} s; write_show {show_s:.2f} s) "
          f"= {serial / cold:.2f}× faster than --jobs 1; target ≤ 10 s on a RAM disk: "
          f"{'met' if cold <= 10 else 'NOT met'}", flush=True)
    for name in ("feeds",):
        a = {p.relative_to(serial_show.root).as_posix(): p.read_bytes()
             for p in sorted((serial_show.root / name).rglob("*")) if p.is_file()}
        b = {p.relative_to(show.root).as_posix(): p.read_bytes() for p in sorted((show.root / name).rglob("*"))
             if p.is_file()}
        assert a == b, f"{name}/ differs between --jobs 1 and --jobs {args.jobs}"

    floor_s, floor_files = fs_floor(show.feeds_dir, tmp / "floor")
    print(f"file-system floor : {floor_s:8.2f} s  ({floor_files} files, same sizes, atomic, one sync); "
          f"cold --jobs {args.jobs} = {cold / floor_s:.2f}× the floor (target on disk ≤ 1.5×)", flush=True)
    print(cpu_bound(pooled, floor_s, args.jobs, one.coordinator_cpu), flush=True)

    # Change one episode (its title and one cue's text), five times on five
    # different episodes; the median is reported (the machine is shared).
    rebuilds = []
    for k in sorted({args.episodes * j // 6 for j in range(1, 6)}):  # five episodes (fewer in a tiny show)
        changed = change_one(show, results[k], langs)
        t0 = time.perf_counter()
        with _sync_scope(show):
            written = write_episode_files(show, changed)
            one_s = time.perf_counter() - t0
            t1 = time.perf_counter()
            written += write_show_files(show, [changed])
        show_again_s = time.perf_counter() - t1
        rebuilds.append((one_s + show_again_s, one_s, show_again_s, len(written)))
    rebuild, one_s, reshow_s, n_written = sorted(rebuilds)[len(rebuilds) // 2]
    t0 = time.perf_counter()
    with _sync_scope(show):
        unchanged = write_episode_files(show, changed) + write_show_files(show, [changed])
    noop_s = time.perf_counter() - t0
    print(f"change one episode: {rebuild:8.2f} s  (write_episode {one_s:.3f} s; write_show {reshow_s:.2f} s; "
          f"{n_written} files rewritten; median of {len(rebuilds)}: {', '.join(f'{r[0]:.2f}' for r in rebuilds)} s)")
    print(f"no-change rebuild : {noop_s:8.2f} s  ({len(unchanged)} files rewritten)")
    ratio = rebuild / cold
    print(f"ratio rebuild/cold: {100 * ratio:.2f} % of the --jobs {args.jobs} cold build "
          f"({100 * rebuild / serial:.2f} % of --jobs 1; target ≤ 5 %: {'met' if ratio <= 0.05 else 'NOT met'})",
          flush=True)

    if args.fsync_compare:
        show3 = make_show(tmp / "show-fsync")
        results3 = build_results(show3, args.episodes, args.cues, langs)
        t0 = time.perf_counter()
        for result in results3:
            write_episode_files(show3, result)
        write_show_files(show3, results3)
        fsync_s = time.perf_counter() - t0
        print(f"cold, fsync/file  : {fsync_s:8.2f} s  (--jobs 1) — one sync at the end is "
              f"{serial / fsync_s:.2f}× of it")


if __name__ == "__main__":
    main()
