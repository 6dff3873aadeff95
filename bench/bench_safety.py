"""Benchmark: what the issue-10 safety checks add to every run.

* ``PRAGMA quick_check`` on the first open of the translation memory in each
  process, against opening the same file without it (same process, same file,
  page cache warm), for memories of 1 000 to 100 000 sentences;
* sweeping leftover temporary files when the show's lock is taken
  (``fsutil.sweep_temps``), against one plain ``os.walk`` of the same tree,
  for a site of 1 000 episodes × 3 languages;
* taking and releasing the lock itself.

    .venv/bin/python bench/bench_safety.py [--sizes 1000,10000,100000] [--episodes 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toolkit import fsutil  # noqa: E402
from toolkit.lock import show_lock  # noqa: E402
from toolkit.translate import memory as memmod  # noqa: E402


def _best(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_quick_check(folder: Path, sizes: list[int]) -> None:
    print("translation memory: first open with PRAGMA quick_check vs without (best of 5)")
    print(f"{'sentences':>10} {'file MB':>8} {'without ms':>11} {'with ms':>8} {'ratio':>6}")
    for n in sizes:
        path = folder / f"memory-{n}.sqlite"
        with memmod.TranslationMemory(path) as tm:
            pairs = {f"Sentence number {i} of a long podcast episode, with some words.":
                     f"Frase número {i} de un episodio largo, con algunas palabras." for i in range(n)}
            tm.store("argos", "1.0", "en", "es", pairs)
        size_mb = path.stat().st_size / 1e6

        def open_checked() -> None:
            memmod._CHECKED.clear()
            memmod.TranslationMemory(path).close()

        def open_unchecked() -> None:
            memmod.TranslationMemory(path).close()  # identity already in _CHECKED: no quick_check

        open_checked()  # warm the page cache; leaves the identity checked
        without = _best(open_unchecked)
        with_check = _best(open_checked)
        print(f"{n:>10} {size_mb:>8.1f} {without * 1000:>11.1f} {with_check * 1000:>8.1f} "
              f"{with_check / without:>6.1f}")


def bench_sweep(folder: Path, episodes: int) -> None:
    feeds = folder / "show" / "feeds"
    for e in range(episodes):
        for lang in ("en", "es", "fr"):
            d = feeds / "episodes" / f"episode-{e:04d}" / lang
            d.mkdir(parents=True)
            for name in ("index.html", "transcript.vtt", "transcript.srt", "transcript.json", "chapters.json"):
                (d / name).write_bytes(b"x")
    files = sum(1 for _ in feeds.rglob("*"))

    def walk() -> None:
        for _ in os.walk(feeds):
            pass

    base = statistics.median(_best(walk, 3) for _ in range(3))
    sweep = statistics.median(_best(lambda: fsutil.sweep_temps(folder / "show"), 3) for _ in range(3))
    print(f"\nsweep of leftover temp files, {episodes} episodes × 3 languages ({files} paths): "
          f"{sweep * 1000:.1f} ms; one os.walk of the tree {base * 1000:.1f} ms; ratio {sweep / base:.1f}")

    def lock_cycle() -> None:
        with show_lock(folder / "show"):
            pass

    cycle = _best(lock_cycle, 5)
    print(f"take + release the show's lock (includes that sweep): {cycle * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--episodes", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-safety-"))
    try:
        bench_quick_check(folder, [int(x) for x in args.sizes.split(",")])
        bench_sweep(folder, args.episodes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
