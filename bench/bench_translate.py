"""Benchmark: offline translation (issue 4).

1. Throughput, ≥ 500 cues, the tiny fixture argos package (copy model, built
   by tests/fixtures/argos/build.py into a temp dir):
   * toolkit path: ``ArgosEngine.translate_batch`` (package tokenizer, one
     CTranslate2 call cut into ~1024-token sub-batches, long-sentence splitting);
   * baseline A: ``argostranslate.translate.translate()`` called per cue
     (same package, same beam size) — target toolkit ≥ 5× faster;
   * baseline B: ``argostranslate.translate.translate()`` called ONCE with
     every cue (argos 1.x has no public batch API; its documented way to
     translate many texts in one call is one paragraph per line, joined with
     ``\n``, and the output split on ``\n``);
   * baseline C: raw ``ctranslate2.Translator.translate_batch`` on
     pre-tokenized input with the same options and threads — target toolkit
     overhead ≤ 20 %.
   Every row uses the same compute type: the toolkit's
   (``argos.translator_options()``: ``ARGOS_COMPUTE_TYPE``, "auto" →
   int8_float32 on CPU), which is also argos' default; each row prints the
   compute type its translator actually runs.  Outputs are compared with the
   input (the copy model) and, for the raw row, with the toolkit's tokens.
   Every configuration runs in its own child process with its environment set
   before argostranslate is imported (argos reads its settings once, at
   import), so each side runs exactly as configured:
   * *defaults*: the toolkit as shipped (``ARGOS_INTRA_THREADS`` unset → the
     toolkit sets 1; ``inter_threads`` = min(4, cores)) vs argostranslate as a
     user runs it (``ARGOS_INTRA_THREADS`` unset → 0: CTranslate2 picks;
     ``inter_threads`` 1);
   * *same threads*: both with intra 1 and inter 1 (one core each; the
     toolkit's translator is re-created with ``inter_threads=1`` for this row,
     since the engine has no setting for it);
   * argos with intra 1 (the tuned baseline earlier figures used) vs the
     toolkit's defaults.
   Beam 4 (the default of both: ``ARGOS_BEAM_SIZE``/``TOOLKIT_BEAM_SIZE``
   unset) and beam 1 are measured.
2. Republish: ``translate_episode`` for 3 languages (argos fixture en→de,
   apertium en→es when installed, pseudo fr) on a ≥ 500-cue episode, cold
   (empty memory and store) vs republish with no change — target ≤ 5 % of
   cold and 0 engine calls.

Everything runs in isolated temp dirs.  Prints absolute times and ratios
(median of ``--repeat``; argos' per-cue loop: ``--argos-repeat``, default 1).

    .venv/bin/python bench/bench_translate.py [--cues 600] [--repeat 3] [--argos-repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# A child process (--child) shares the parent's folder and installed package.
TMP = Path(os.environ.get("BENCH_TRANSLATE_TMP") or tempfile.mkdtemp(prefix="bench-translate-"))
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = str(TMP / _sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(TMP / "data" / "argos-translate" / "packages")
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
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


# --------------------------------------------------------------------------- throughput
def child(kind: str, beam: int, n: int, repeat: int) -> dict[str, object]:
    """One configuration, in this (fresh) process; the model is loaded before timing."""
    src = sentences(n)
    if kind in ("argos", "argos-once"):
        import argostranslate.settings
        import argostranslate.translate

        assert argostranslate.settings.beam_size == beam  # from ARGOS_BEAM_SIZE, as a user sets it
        assert argostranslate.translate.translate(src[0], "en", "es") == src[0]  # warm: model loaded
        tr = argostranslate.translate.get_translation_from_codes("en", "es")
        out: list[str] = []
        if kind == "argos":
            def run_argos() -> None:
                out[:] = [argostranslate.translate.translate(s, "en", "es") for s in src]
        else:
            def run_argos() -> None:
                tr.cache = {}  # CachedTranslation remembers the previous call's paragraphs
                out[:] = argostranslate.translate.translate("\n".join(src), "en", "es").split("\n")
        t = timed(run_argos, repeat)
        assert len(out) == len(src)
        diff = [(a, b) for a, b in zip(src, out) if a != b]
        return {"seconds": t, "differ": len(diff), "example": diff[:1], "intra": argostranslate.settings.intra_threads,
                "inter": argostranslate.settings.inter_threads,
                "compute": tr.underlying.translator.compute_type}  # type: ignore[attr-defined]
    import ctranslate2

    from toolkit.translate import argos

    pkg = argos.find_package("en", "es")
    assert pkg is not None
    eng = argos.ArgosEngine(beam_size=beam)
    assert eng.translate_batch(src[:5], "en", "es") == src[:5]  # warm: model loaded
    m = eng._load(pkg)
    intra = int(os.environ["ARGOS_INTRA_THREADS"])  # set by the engine's prepare_environment when unset
    inter = max(1, min(4, os.cpu_count() or 1))  # what ArgosEngine._load uses
    if kind == "toolkit-1":
        inter = 1
        m.translator = ctranslate2.Translator(str(pkg.path / "model"), **argos.translator_options(),
                                              intra_threads=intra, inter_threads=1)
    if kind == "raw":
        tokens = [m.encode(s) for s in src]
        raw = ctranslate2.Translator(str(pkg.path / "model"), **argos.translator_options(),
                                     intra_threads=intra, inter_threads=inter)
        res: list[list[str]] = []

        def run_raw() -> None:
            res[:] = [list(r.hypotheses[0]) for r in raw.translate_batch(tokens, **argos.decoding_options(beam))]

        t = timed(run_raw, repeat)
        assert [m.decode(r).strip() for r in res] == eng.translate_batch(src, "en", "es")  # same output
        return {"seconds": t, "intra": intra, "inter": inter, "compute": raw.compute_type}
    out = []
    t = timed(lambda: out.__setitem__(slice(None), eng.translate_batch(src, "en", "es")), repeat)
    assert out == src
    return {"seconds": t, "intra": intra, "inter": inter, "compute": m.translator.compute_type}


def run_child(kind: str, beam: int, n: int, repeat: int, intra: str | None) -> dict[str, object]:
    env = dict(os.environ, BENCH_TRANSLATE_TMP=str(TMP), ARGOS_BEAM_SIZE=str(beam))
    env.pop("TOOLKIT_BEAM_SIZE", None)
    if intra is None:
        env.pop("ARGOS_INTRA_THREADS", None)
    else:
        env["ARGOS_INTRA_THREADS"] = intra
    proc = subprocess.run([sys.executable, __file__, "--child", kind, "--beam", str(beam), "--cues", str(n),
                           "--repeat", str(repeat)], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"child {kind} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def throughput(n: int, repeat: int, argos_repeat: int) -> None:
    from toolkit.translate import packages

    packages.install_file(_builder().build_cached(TMP / "pkg", to_code="es"))
    src = sentences(n)
    print(f"# throughput: {n} cues, {sum(map(len, src))} chars, tiny copy model, cpu={os.cpu_count()}, "
          f"user ARGOS_INTRA_THREADS={os.environ.get('ARGOS_INTRA_THREADS', 'unset')} (ignored: set per row)")
    for beam in (4, 1):
        rows = {
            "toolkit (defaults)": run_child("toolkit", beam, n, repeat, None),
            "toolkit (intra 1, inter 1)": run_child("toolkit-1", beam, n, repeat, "1"),
            "raw ctranslate2 (toolkit threads)": run_child("raw", beam, n, repeat, None),
            "argos translate() per cue (defaults)": run_child("argos", beam, n, argos_repeat, None),
            "argos translate() per cue (intra 1)": run_child("argos", beam, n, argos_repeat, "1"),
            "argos translate() once, all cues (intra 1)": run_child("argos-once", beam, n, argos_repeat, "1"),
        }
        for label, r in rows.items():
            t = float(r["seconds"])  # type: ignore[arg-type]
            note = (f"  ({r['differ']} outputs ≠ input: argos decodes '_' as a space)" if r.get("differ") else "")
            print(f"beam {beam}: {label:42s} {t:7.3f} s ({n / t:6.0f} cues/s)  intra={r['intra']} "
                  f"inter={r['inter']} {r['compute']}{note}")
        sec = {k: float(v["seconds"]) for k, v in rows.items()}  # type: ignore[arg-type]
        tk, tk1 = sec["toolkit (defaults)"], sec["toolkit (intra 1, inter 1)"]
        print(f"beam {beam}: speed-up toolkit defaults vs argos defaults "
              f"{sec['argos translate() per cue (defaults)'] / tk:.1f}× | same threads (intra 1, inter 1) "
              f"{sec['argos translate() per cue (intra 1)'] / tk1:.1f}× | toolkit defaults vs argos intra 1 "
              f"{sec['argos translate() per cue (intra 1)'] / tk:.1f}× | same threads vs argos once "
              f"{sec['argos translate() once, all cues (intra 1)'] / tk1:.1f}× | toolkit overhead vs raw ctranslate2 "
              f"{100 * (tk / sec['raw ctranslate2 (toolkit threads)'] - 1):+.1f} %")


def republish(n: int, repeat: int) -> None:
    from toolkit import timing
    from toolkit.model import Chapter, Cue, Episode, Sentence, Show, Transcript, Turn
    from toolkit.pipeline import SourceBuild
    from toolkit.translate import translate_episode
    from toolkit.translate.apertium import mode_for
    sys.path.insert(0, str(REPO / "tests"))  # support.engines: the helpers the tests use
    from support.engines import CountingEngine
    from toolkit.translate.registry import get_engine

    from toolkit.translate import argos, packages

    if argos.find_package("en", "de") is None:
        packages.install_file(_builder().build_cached(TMP / "pkg", to_code="de"))
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
    langs = {"de": "argos", "qps-ploc": "pseudo"}
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
    ap.add_argument("--argos-repeat", type=int, default=1, help="runs of argos' slow per-cue loop")
    ap.add_argument("--child", choices=("toolkit", "toolkit-1", "raw", "argos", "argos-once"), help=argparse.SUPPRESS)
    ap.add_argument("--beam", type=int, default=4, help=argparse.SUPPRESS)
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-republish", action="store_true")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child, a.beam, a.cues, a.repeat)))
        return
    try:
        if not a.skip_throughput:
            throughput(a.cues, a.repeat, a.argos_repeat)
        if not a.skip_republish:
            republish(a.cues, a.repeat)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
