"""A cold publish of the demo show through the real CLI: ``--jobs 1`` vs ``--jobs N``.

    .venv/bin/python bench/bench_catalogue.py [--jobs 2] [--rounds 2]

Each run publishes a fresh copy of the demo (show.toml, cover, episodes/,
translations/; no ``.toolkit/``: alignment, translation and every cache cold)
with ``python -m toolkit publish --jobs J``; the rounds alternate serial and
parallel so a change in the machine's load hits both alike.  Printed: the
median wall time of each, their ratio (the speed-up), the load average before
and after, and whether the two sites are byte-identical (``feeds/`` and
``translations/``; asserted).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _copy(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("show.toml", "cover.png"):
        shutil.copy2(REPO / name, dest / name)
    for name in ("episodes", "translations"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns(".*"))
    return dest


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def _publish(root: Path, jobs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "toolkit", "publish", "--root", str(root), "--jobs", str(jobs)],
                         capture_output=True, text=True, env=env, timeout=900)
    took = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"publish --jobs {jobs} failed:\n{run.stderr}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    load_before = os.getloadavg()
    times: dict[int, list[float]] = {1: [], args.jobs: []}
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as tmp:
        last: dict[int, Path] = {}
        for r in range(args.rounds):
            for jobs in (1, args.jobs):
                show = _copy(Path(tmp) / f"r{r}-j{jobs}")
                times[jobs].append(_publish(show, jobs))
                print(f"round {r + 1}: --jobs {jobs}: {times[jobs][-1]:.1f} s", flush=True)
                last[jobs] = show
        for name in ("feeds", "translations"):
            assert _tree(last[1] / name) == _tree(last[args.jobs] / name), f"{name}/ differs between the runs"
    load_after = os.getloadavg()
    serial, parallel = statistics.median(times[1]), statistics.median(times[args.jobs])
    print(f"cores available: {len(os.sched_getaffinity(0))}; load average before {load_before[0]:.2f}, "
          f"after {load_after[0]:.2f}")
    print(f"--jobs 1: median {serial:.1f} s; --jobs {args.jobs}: median {parallel:.1f} s; "
          f"speed-up {serial / parallel:.2f}x; output byte-identical: yes")


if __name__ == "__main__":
    main()
