"""Benchmark: the whole ``toolkit publish``, cold vs republish with no change.

A copy of the repo's demo show (its three episodes: two untimed transcripts
aligned to their audio, one SRT) with three target languages:

* ``de`` through the REAL argos path (argostranslate + CTranslate2) with the
  test suite's fixture package (tests/fixtures/argos/build.py), installed into
  an isolated ``ARGOS_PACKAGES_DIR``;
* ``es`` through apertium (skipped, with a message, when apertium eng-spa is
  not installed);
* ``fr`` pseudo-localization.

Every run is a fresh ``toolkit publish --root SHOW`` process started through
tests/pipeline/publish_child.py (the real click command, with pass-through
counting wrappers around the engines), so interpreter start, imports — the
5–6 s argostranslate import included — and model loading count as a user
sees them.

1. **cold**: fresh show copy, empty translation memory, caches and feeds/;
2. **republish**: the same command again, nothing changed — target ≤ 5 % of
   cold, 0 engine calls, argostranslate/ctranslate2 never imported;
   also timed once through the plain ``.venv/bin/toolkit`` entry point;
3. **one sentence changed** in one transcript, then republish: exactly one
   sentence sent to each engine (printed).

``--hour`` adds a fourth episode of realistic size: the 60-minute MP3 of
bench/bench_duration.py (white noise, 64 kbps; generated once into
``.toolkit-cache/bench/``) with a 9 000-word untimed transcript made from the
fixture corpus (every sentence made unique, so the memory cannot dedupe it).
Noise has no pauses, so alignment falls back to proportional timing — but
only after decoding the whole hour, which is the cost a real episode pays.

    .venv/bin/python bench/bench_publish.py [--repeat 3] [--hour] [--keep]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHILD = REPO / "tests" / "pipeline" / "publish_child.py"
ARGOS_CACHE = REPO / "tests" / ".cache" / "argos"
EDIT_EPISODE = "the-clock-doctor"
EDIT_FROM = "What usually brings a clock to your bench?"
EDIT_TO = "What usually brings a clock to your workbench?"


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tiny_argos_builder", REPO / "tests/fixtures/argos/build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def child_env(tmp: Path) -> dict[str, str]:
    """The user's environment with argos pointed at a private folder (as tests/conftest.py does)."""
    env = dict(os.environ)
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        env[var] = str(tmp / sub)
    env["ARGOS_PACKAGES_DIR"] = str(tmp / "data" / "argos-translate" / "packages")
    env["ORT_DISABLE_TELEMETRY"] = "1"
    # ARGOS_INTRA_THREADS is left as the user has it: the toolkit sets its own default.
    return env


def install_argos_fixture(env: dict[str, str], to_code: str = "de") -> str:
    """Build (cached in tests/.cache/argos) and install the fixture package with the toolkit's installer."""
    archive = _builder().build_cached(ARGOS_CACHE, to_code=to_code)
    os.environ["ARGOS_PACKAGES_DIR"] = env["ARGOS_PACKAGES_DIR"]  # read at call time; argos is never imported here
    sys.path.insert(0, str(REPO))
    from toolkit.translate import argos

    info = argos.install_file(archive)
    return f"{info.pair} {info.version}"


def apertium_ok() -> bool:
    sys.path.insert(0, str(REPO))
    from toolkit.translate.apertium import mode_for

    return mode_for("en", "es") is not None


def make_show(dest: Path, langs: dict[str, str]) -> Path:
    """Copy the demo show's inputs (no feeds/, translations/, .toolkit/) and set its languages."""
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "show.toml", dest / "show.toml")
    shutil.copy2(REPO / "cover.png", dest / "cover.png")
    shutil.copytree(REPO / "episodes", dest / "episodes")
    toml = (dest / "show.toml").read_text(encoding="utf-8")
    targets = "target_languages = [" + ", ".join(f'"{lang}"' for lang in langs) + "]"
    engines = "engines = { " + ", ".join(f'{lang} = "{name}"' for lang, name in langs.items()) + " }"
    toml, n1 = re.subn(r"(?m)^target_languages = \[.*\]$", targets, toml)
    toml, n2 = re.subn(r"(?m)^engines = \{.*\}.*$", engines, toml)
    assert n1 == 1 and n2 == 1, "demo show.toml changed shape; update bench_publish.make_show"
    (dest / "show.toml").write_text(toml, encoding="utf-8")
    return dest


def hour_mp3() -> Path:
    """bench_duration.py's 60-minute MP3 (generated with ffmpeg the first time)."""
    spec = importlib.util.spec_from_file_location("bench_duration", REPO / "bench" / "bench_duration.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return Path(mod.make_mp3(60))


def add_hour_episode(show: Path, words: int = 9000) -> None:
    """episodes/an-hour/: the 60-minute MP3 and ~``words`` words of unique sentences (150 wpm)."""
    corpus = [ln.strip() for ln in (REPO / "tests/fixtures/argos/corpus.txt").read_text(encoding="utf-8").splitlines()
              if ln.strip()]
    paragraphs: list[str] = []
    count = k = 0
    while count < words:
        line = corpus[len(paragraphs) % len(corpus)]
        out = []
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, ".")
            k += 1
            out.append(f"{body}, note {k}{end}")
        paragraphs.append(" ".join(out))
        count += sum(len(p.split()) for p in out)
    folder = show / "episodes" / "an-hour"
    folder.mkdir()
    shutil.copyfile(hour_mp3(), folder / "audio.mp3")
    (folder / "transcript.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (folder / "episode.toml").write_text(
        'title = "An hour of notes"\ndate = 2026-02-01T08:00:00Z\n'
        'description = "A long episode for the benchmark."\naudio = "audio.mp3"\n', encoding="utf-8")


def publish(show: Path, env: dict[str, str], stats: Path) -> tuple[float, dict]:  # type: ignore[type-arg]
    """One ``toolkit publish`` process; returns (wall seconds, stats)."""
    cmd = [sys.executable, str(CHILD), str(stats), "publish", "--root", str(show)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"publish failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return wall, json.loads(stats.read_text(encoding="utf-8"))


def plain_publish(show: Path, env: dict[str, str]) -> float:
    """The same command through the installed console script (no stats wrapper)."""
    exe = Path(sys.executable).with_name("toolkit")
    cmd = [str(exe), "publish", "--root", str(show)] if exe.exists() else \
        [sys.executable, "-m", "toolkit", "publish", "--root", str(show)]
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    return time.perf_counter() - t0


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="cold/republish pairs (fresh show copy each)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--hour", action="store_true", help="add a 60-minute episode (9 000 words)")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    try:
        env = child_env(tmp)
        pkg = install_argos_fixture(env)
        langs = {"de": "argos"}
        if apertium_ok():
            langs["es"] = "apertium"
        else:
            print("# apertium eng-spa is not installed: es skipped (apt-get install apertium apertium-eng-spa)")
        langs["fr"] = "pseudo"
        episodes = "3 demo episodes" + (" + a 60-minute episode (9 000 words)" if a.hour else "")
        print(f"# {episodes}, languages {langs}; argos package {pkg} (fixture copy model); "
              f"cpu={os.cpu_count()}; {a.repeat} fresh copies")
        colds, warms, plains = [], [], []
        last: dict = {}  # type: ignore[type-arg]
        for r in range(a.repeat):
            show = make_show(tmp / f"show{r}", langs)
            if a.hour:
                add_hour_episode(show)
            t_cold, cold = publish(show, env, tmp / "cold.json")
            before = tree_digest(show / "feeds")
            t_warm, warm = publish(show, env, tmp / "warm.json")
            same = tree_digest(show / "feeds") == before
            t_plain = plain_publish(show, env)
            colds.append(t_cold)
            warms.append(t_warm)
            plains.append(t_plain)
            print(f"run {r + 1}: cold {t_cold:.2f} s ({sum(cold['calls'].values())} engine calls, "
                  f"{sum(map(len, cold['sentences'].values()))} sentences; argostranslate imported: "
                  f"{cold['imported']['argostranslate']}) | republish {t_warm:.2f} s "
                  f"({sum(warm['calls'].values())} engine calls; imported argostranslate: "
                  f"{warm['imported']['argostranslate']}, ctranslate2: {warm['imported']['ctranslate2']}; "
                  f"feeds/ byte-identical: {same}) | plain toolkit republish {t_plain:.2f} s")
            last = {"show": show, "warm": warm}
        cold, warm, plain = statistics.median(colds), statistics.median(warms), statistics.median(plains)
        w = last["warm"]
        print(f"median: cold {cold:.2f} s | republish {warm:.2f} s → {100 * warm / cold:.1f} % of cold "
              f"(target ≤ 5 %) | plain entry point {plain:.2f} s → {100 * plain / cold:.1f} %")
        print(f"republish: engine calls {sum(w['calls'].values())} (target 0); imported: "
              + ", ".join(f"{m}={v}" for m, v in w["imported"].items()))

        show = last["show"]
        transcript = show / "episodes" / EDIT_EPISODE / "transcript.txt"
        text = transcript.read_text(encoding="utf-8")
        assert text.count(EDIT_FROM) == 1, "demo transcript changed; update EDIT_FROM"
        transcript.write_text(text.replace(EDIT_FROM, EDIT_TO), encoding="utf-8")
        t_edit, edit = publish(show, env, tmp / "edit.json")
        print(f"one sentence changed in {EDIT_EPISODE}: republish {t_edit:.2f} s "
              f"({100 * t_edit / cold:.1f} % of cold; that episode re-aligned, the others from cache)")
        for lang in langs:
            sent = edit["sentences"].get(lang, [])
            print(f"  {lang} ({langs[lang]}): {edit['calls'].get(lang, 0)} engine call(s), "
                  f"{len(sent)} sentence(s): {sent}")
        print("  imported: " + ", ".join(f"{m}={v}" for m, v in edit["imported"].items()))
    finally:
        if a.keep:
            print(f"# kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
