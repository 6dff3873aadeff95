"""Benchmark: target-language layout (issue 12).

Publishes the translations of a show (the real stages: ingest → timing →
segment → translate through the memory and the store → layout) in a temporary
copy, then checks every target cue against its language's profile
(:func:`toolkit.segment.check`): per language, before the layout (one cue per
source cue, the translation re-wrapped inside the source cue's times: what was
published until now) and after it (the published cues: extended into the
following gap, split into sub-cues).

A cue *meets the guidelines* when QC finds no error on it (≤ 2 lines, line
length, hard reading speed, minimum/maximum duration, 80 ms gap, overlap…;
warnings such as the target reading speed do not count).  Target: ≥ 99 % of
the cues of every real target language, 0 with three lines.

    .venv/bin/python bench/bench_layout.py                      # the demo show (this repo)
    .venv/bin/python bench/bench_layout.py --seeds ../shared/seeds --langs es,pt-BR,qps-ploc
        # a seed show (tests/support/seeds.py); the first alignment of the seeds
        # takes ~1.5 CPU-minutes (shared: --seed-cache, tests/.cache/seed-audio/)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from toolkit import config, pipeline  # noqa: E402
from toolkit.model import Cue  # noqa: E402
from toolkit.langs import is_pseudo  # noqa: E402
from toolkit.segment import check, source_of, wrap_lines  # noqa: E402
from toolkit.translate import open_memory, translate_episode  # noqa: E402


def _demo_copy(tmp: Path) -> Path:
    root = tmp / "demo"
    root.mkdir()
    for name in ("show.toml", "cover.png"):
        shutil.copyfile(REPO / name, root / name)
    shutil.copytree(REPO / "episodes", root / "episodes")
    if (REPO / "translations").is_dir():
        shutil.copytree(REPO / "translations", root / "translations")
    return root


def _before(source_cues: tuple[Cue, ...], published: tuple[Cue, ...], lang: str) -> tuple[Cue, ...]:
    """One cue per source cue, the translation wrapped inside the source cue's times."""
    ids = {c.id for c in source_cues}
    text: dict[str, list[str]] = defaultdict(list)
    for cue in published:
        found = source_of(cue.id, ids)
        assert found is not None, cue.id
        text[found[0]].append(cue.text)
    out = []
    for c in source_cues:
        joined = " ".join(" ".join(text[c.id]).split())
        out.append(Cue(c.id, c.start, c.end, tuple(wrap_lines(joined, lang=lang)) if joined else (),
                       speaker=c.speaker, sentences=c.sentences))
    return tuple(out)


def _score(cues: tuple[Cue, ...], lang: str) -> tuple[int, int, int, int, dict[str, int]]:
    """(cues, cues without an error, cues with 3+ lines, cues over the hard cps, errors by rule)."""
    bad: set[int] = set()
    rules: dict[str, int] = defaultdict(int)
    cps = 0
    for f in check(cues, lang=lang):
        if f.severity == "error":
            assert f.index is not None
            bad.add(f.index)
            rules[f.rule] += 1
            cps += f.rule == "cps-hard"
    three = sum(len(c.lines) >= 3 for c in cues)
    return len(cues), len(cues) - len(bad), three, cps, dict(rules)


def _sum(scores: list[tuple[int, int, int, int, dict[str, int]]]) -> tuple[int, int, int, int, dict[str, int]]:
    rules: dict[str, int] = defaultdict(int)
    for s in scores:
        for r, k in s[4].items():
            rules[r] += k
    return (sum(s[0] for s in scores), sum(s[1] for s in scores), sum(s[2] for s in scores),
            sum(s[3] for s in scores), dict(rules))


def _row(label: str, lang: str, s: tuple[int, int, int, int, dict[str, int]]) -> str:
    n, ok, three, cps, rules = s
    pct = 100.0 * ok / n if n else 100.0
    detail = ", ".join(f"{r} {k}" for r, k in sorted(rules.items())) or "-"
    return f"  {lang:<9} {label:<7} {n:>6} {pct:>8.1f} % {three:>7} {cps:>9}   {detail}"


def measure(root: Path, langs: list[str] | None) -> None:
    show = config.load_show(root)
    targets = langs or list(show.target_languages)
    episodes = config.load_episodes(show)
    totals: dict[tuple[str, str], list[tuple[int, int, int, int, dict[str, int]]]] = defaultdict(list)
    print(f"{root.name}: {len(episodes)} episode(s), languages {', '.join(targets)}")
    print(f"  {'language':<9} {'layout':<7} {'cues':>6} {'meeting':>10} {'3+ lines':>7} {'> hard cps':>9}   errors")
    with open_memory(show) as tm:
        for episode in episodes:
            source = pipeline.build_source(show, episode)
            src_score = _score(source.cues, source.transcript.language)
            print(_row("source", f"{episode.slug[:9]}", src_score))
            for lang in targets:
                build = translate_episode(show, source, lang, memory=tm)
                totals[(lang, "before")].append(_score(_before(source.cues, build.cues, build.lang), build.lang))
                totals[(lang, "after")].append(_score(build.cues, build.lang))
                ids = {c.id for c in source.cues}
                assert all(source_of(c.id, ids) for c in build.cues)
    for lang in targets:
        kind = "pseudo" if is_pseudo(lang) else "real"
        for label in ("before", "after"):
            print(_row(label, f"{lang}{'*' if kind == 'pseudo' else ''}", _sum(totals[(lang, label)])))
    print("  (* pseudo-localization: a layout stress test, not a language)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=Path, help="folder of seed transcripts (*.txt): measure a seed show")
    ap.add_argument("--seed-cache", type=Path, default=REPO / "tests" / ".cache" / "seed-audio")
    ap.add_argument("--langs", help="comma-separated target languages (default: the show's)")
    args = ap.parse_args()
    langs = [x for x in args.langs.split(",") if x] if args.langs else None
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp:
        if args.seeds:
            from support.seeds import make_seed_show
            root = make_seed_show(Path(tmp), args.seeds, target_languages=tuple(langs or ("es",)),
                                  cache_dir=args.seed_cache)
        else:
            root = _demo_copy(Path(tmp))
        measure(root, langs)


if __name__ == "__main__":
    main()
