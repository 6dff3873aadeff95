"""Feeds + pages + site writing for a generated show: cold build vs a rebuild
after changing one episode.

    .venv/bin/python bench/bench_site.py [--episodes 1000] [--cues 20] [--langs es]

The show is generated directly as EpisodeResult objects (synthetic cues, one
small shared ffmpeg MP3 copied into each episode folder, hand-built
LanguageBuilds per target language) so the benchmark measures
``site.write_episode`` (audio copy, subtitles, transcript pages, manifest) and
``site.write_show`` (every feed, every show page) — not alignment or
translation.  Show texts of companion feeds go through the pseudo engine (the
translation memory makes them free after the first call).

Printed: cold build (write_episode for all + write_show), the rebuild after
changing one episode's title and one cue (write_episode for it + write_show),
and their ratio (target ≤ 5 % of cold), plus a no-change rebuild of one episode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # support.sitekit: the hand-built show helpers the tests use

from support.sitekit import make_episode, make_source, make_show, translated, write_episode_files, write_show_files  # noqa: E402
from toolkit.pipeline import EpisodeResult  # noqa: E402
from toolkit import fsutil  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--cues", type=int, default=20)
    parser.add_argument("--no-freeze", dest="freeze", action="store_false",
                        help="do not gc.freeze() the generated inputs")
    parser.add_argument("--langs", default="es", help="comma-separated target languages ('' for none)")
    args = parser.parse_args()
    langs = [x for x in args.langs.split(",") if x]

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        show = make_show(Path(tmp) / "show")
        t0 = time.perf_counter()
        results = build_results(show, args.episodes, args.cues, langs)
        gen_s = time.perf_counter() - t0

        if args.freeze:
            # The 1000 generated EpisodeResults are inputs, not site work: a real
            # `toolkit publish episode` process holds one.  Freezing them keeps the
            # garbage collector from rescanning them on every collection.
            gc.collect()
            gc.freeze()
        t0 = time.perf_counter()
        for result in results:
            write_episode_files(show, result)
        episodes_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_show_files(show, results)
        show_s = time.perf_counter() - t0
        cold = episodes_s + show_s
        files = sum(1 for p in show.feeds_dir.rglob("*") if p.is_file())

        # Change one episode (its title and one cue's text), three times on three
        # different episodes; the median is reported (the machine is shared).
        rebuilds = []
        for k in (args.episodes // 4, args.episodes // 2, 3 * args.episodes // 4):
            changed = change_one(show, results[k], langs)
            t0 = time.perf_counter()
            written = write_episode_files(show, changed)
            one_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            written += write_show_files(show, [changed])
            show_again_s = time.perf_counter() - t0
            rebuilds.append((one_s + show_again_s, one_s, show_again_s, len(written)))
        rebuild, one_s, reshow_s, n_written = sorted(rebuilds)[1]

        # Write costs (issue 14): the same cold build into a second, empty show
        # folder on the same disk, with publish's sync policy -- no fsync per
        # generated file, one os.sync() at the end (timed) -- against the
        # per-file fsync the first build paid (as every write did before).
        show2 = make_show(Path(tmp) / "show-deferred")
        results2 = build_results(show2, args.episodes, args.cues, langs)
        t0 = time.perf_counter()
        with fsutil.deferred_sync(show2.feeds_dir, show2.root / ".toolkit" / "cache"):
            for result in results2:
                write_episode_files(show2, result)
            write_show_files(show2, results2)
        deferred_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        unchanged = write_episode_files(show, changed) + write_show_files(show, [changed])
        noop_s = time.perf_counter() - t0

    feeds = 1 + len(langs)
    print(f"show: {args.episodes} episodes × {args.cues} cues, languages en+{','.join(langs) or '-'}; "
          f"{feeds} feed(s), {files} files (generating the inputs took {gen_s:.1f} s, not counted)")
    print(f"cold build        : {cold:8.2f} s  (write_episode ×{args.episodes} {episodes_s:.2f} s "
          f"= {1000 * episodes_s / args.episodes:.1f} ms each; write_show {show_s:.2f} s)")
    print(f"change one episode: {rebuild:8.2f} s  (write_episode {one_s:.3f} s; write_show {reshow_s:.2f} s; "
          f"{n_written} files rewritten; median of 3: "
          f"{', '.join(f'{r[0]:.2f}' for r in rebuilds)} s)")
    print(f"no-change rebuild : {noop_s:8.2f} s  ({len(unchanged)} files rewritten)")
    print(f"cold, one sync    : {deferred_s:8.2f} s  (no fsync per generated file, one os.sync() at the end, "
          f"timed) = {deferred_s / cold:.2f}× the per-file-fsync cold build")
    ratio = rebuild / cold
    print(f"ratio rebuild/cold: {100 * ratio:.2f} %  (target ≤ 5 %: {'met' if ratio <= 0.05 else 'NOT met'})")


if __name__ == "__main__":
    main()
