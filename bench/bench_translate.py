"""Benchmark: offline translation (issue 4).

1. Throughput, ≥ 500 cues, the tiny fixture argos package (copy model, built
   by tests/fixtures/argos/build.py into a temp dir):
   * toolkit path: ``ArgosEngine.translate_batch`` (package tokenizer, one
     large example-based CTranslate2 batch, long-sentence splitting);
   * baseline A: ``argostranslate.translate.translate()`` called per cue
     (same package, same beam size) — target toolkit ≥ 5× faster;
   * baseline C: raw ``ctranslate2.Translator.translate_batch`` on
     pre-tokenized input with the same options — target toolkit overhead ≤ 20 %.
   Beam sizes 4 (argos' default) and 1 are both measured.
2. Republish: ``translate_episode`` for 3 languages (argos fixture en→de,
   apertium en→es when installed, pseudo fr) on a ≥ 500-cue episode, cold
   (empty memory and store) vs republish with no change — target ≤ 5 % of
   cold and 0 engine calls.

Everything runs in isolated temp dirs (argos' environment is set before its
first import).  Prints absolute times and ratios (median of ``--repeat``).

    .venv/bin/python bench/bench_translate.py [--cues 600] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TMP = Path(tempfile.mkdtemp(prefix="bench-translate-"))
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = str(TMP / _sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(TMP / "data" / "argos-translate" / "packages")
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("ARGOS_INTRA_THREADS", "1")
sys.path.insert(0, str(REPO))


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tiny_argos_builder", REPO / "tests/fixtures/argos/build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def sentences(n: int) -> list[str]:
    lines = [ln.strip() for ln in (REPO / "tests/fixtures/argos/corpus.txt").read_text().splitlines() if ln.strip()]
    return [f"{lines[i % len(lines)]} ({i})" for i in range(n)]


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def throughput(n: int, repeat: int) -> None:
    import argostranslate.package
    import argostranslate.settings
    import argostranslate.translate
    import ctranslate2

    from toolkit.translate import argos

    for code in ("es", "de"):
        argostranslate.package.install_from_path(_builder().build_cached(TMP / "pkg", to_code=code))
    src = sentences(n)
    pkg = argos.find_package("en", "es")
    assert pkg is not None
    print(f"# throughput: {n} cues, {sum(map(len, src))} chars, tiny copy model, "
          f"ARGOS_INTRA_THREADS={argostranslate.settings.intra_threads}, cpu={os.cpu_count()}")
    for beam in (4, 1):
        argostranslate.settings.beam_size = beam  # argos reads it per call
        eng = argos.ArgosEngine(beam_size=beam)
        assert eng.translate_batch(src[:5], "en", "es") == src[:5]  # warm: model loaded
        assert argostranslate.translate.translate(src[0], "en", "es") == src[0]
        m = eng._load(pkg)
        tokens = [m.encode(s) for s in src]
        raw = ctranslate2.Translator(str(pkg.path / "model"), intra_threads=int(os.environ["ARGOS_INTRA_THREADS"]),
                                     inter_threads=max(1, min(4, os.cpu_count() or 1)))

        def run_raw() -> None:
            raw.translate_batch(tokens, beam_size=beam, max_batch_size=argos.BATCH_EXAMPLES,
                                batch_type="examples", replace_unknowns=True, length_penalty=0.2,
                                max_decoding_length=argos.MAX_DECODING_LENGTH)

        out: list[str] = []
        t_tool = timed(lambda: out.__setitem__(slice(None), eng.translate_batch(src, "en", "es")), repeat)
        assert out == src
        t_raw = timed(run_raw, repeat)
        t_argos = timed(lambda: [argostranslate.translate.translate(s, "en", "es") for s in src],
                        max(1, repeat - 2))
        print(f"beam {beam}: toolkit {t_tool:.3f} s ({n / t_tool:.0f} cues/s) | argos translate() per cue "
              f"{t_argos:.3f} s → toolkit {t_argos / t_tool:.1f}× faster | raw ctranslate2 {t_raw:.3f} s → "
              f"toolkit overhead {100 * (t_tool / t_raw - 1):+.1f} %")


def republish(n: int, repeat: int) -> None:
    from toolkit import timing
    from toolkit.model import Chapter, Cue, Episode, Sentence, Show, Transcript, Turn
    from toolkit.pipeline import SourceBuild
    from toolkit.translate import translate_episode
    from toolkit.translate.apertium import mode_for
    from toolkit.translate.engine import CountingEngine, get_engine

    src = sentences(n)
    sent = tuple(Sentence(t, start=i * 3000, end=i * 3000 + 2800) for i, t in enumerate(src))
    turns = tuple(Turn("A" if k % 2 else "B", sent[k:k + 8], chapter=0) for k in range(0, n, 8))
    transcript = Transcript("en", turns, chapters=(Chapter("Introduction", 0),))
    cues = []
    for i, s in enumerate(src):  # every 5th sentence spans two cues, the rest one cue each
        words = s.split()
        if i % 5 == 0 and len(words) > 3:
            h = len(words) // 2
            cues.append(Cue(f"c{i}a", i * 3000, i * 3000 + 1400, (" ".join(words[:h]),), sentences=(i,)))
            cues.append(Cue(f"c{i}b", i * 3000 + 1400, i * 3000 + 2800, (" ".join(words[h:]),), sentences=(i,)))
        else:
            cues.append(Cue(f"c{i}", i * 3000, i * 3000 + 2800, (s,), sentences=(i,)))
    langs = {"de": "argos", "fr": "pseudo"}
    if mode_for("en", "es"):
        langs["es"] = "apertium"
    print(f"# republish: {len(cues)} cues, {n} sentences, languages {langs}")
    colds, warms = [], []
    calls_cold = calls_warm = 0
    for r in range(repeat):
        root = TMP / f"show{r}"
        root.mkdir()
        show = Show(root=root, title="Bench", description="A show.", author="a", owner_name="a",
                    owner_email="a@example.org", base_url="https://example.org", language="en",
                    categories=(), image=root / "c.png", target_languages=tuple(langs), engines=langs)
        ep = Episode("ep", "Title", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "Description.",
                     root / "a.mp3", root / "t.txt", root)
        source = SourceBuild(ep, transcript, timing.AudioInfo(root / "a.mp3", n * 3000, 1, "audio/mpeg"),
                             timing.AlignmentReport("timed-input"), tuple(cues), ())
        engines = {lang: CountingEngine(get_engine(name)) for lang, name in langs.items()}

        def run() -> None:
            for lang in langs:
                translate_episode(show, source, lang, engine=engines[lang])

        t0 = time.perf_counter()
        run()
        colds.append(time.perf_counter() - t0)
        calls_cold = sum(e.calls for e in engines.values())
        t0 = time.perf_counter()
        run()
        warms.append(time.perf_counter() - t0)
        calls_warm = sum(e.calls for e in engines.values()) - calls_cold
    cold, warm = statistics.median(colds), statistics.median(warms)
    print(f"cold {cold:.3f} s ({calls_cold} engine calls) | republish {warm:.3f} s ({calls_warm} engine calls) "
          f"→ {100 * warm / cold:.1f} % of cold")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cues", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    try:
        throughput(a.cues, a.repeat)
        republish(a.cues, a.repeat)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
