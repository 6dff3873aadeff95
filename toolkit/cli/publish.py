"""``toolkit publish`` and ``toolkit publish episode <slug>``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from .. import config
from ..build import EpisodeResult
from ..errors import ToolkitError
from .common import console, console_err, lang_option, progress_bar, root_option, split_langs
from .jsonout import json_option

class TimingError(ToolkitError):
    """``--strict-timing``: some stretch of an episode is timed with low confidence."""


class EpisodesFailed(ToolkitError):
    """Some episodes were not published (each was reported with its error)."""


strict_timing_option = click.option(
    "--strict-timing", is_flag=True,
    help="Exit non-zero when any episode has low-confidence timing (for CI; the site is still written).",
)


@click.group(invoke_without_command=True)
@root_option
@lang_option
@strict_timing_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for the episodes (default: every core; 1 = serial, in this process).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Publish on a Dask cluster, e.g. tcp://host:8786 (default: show.toml [cluster] scheduler).")
@click.option("--fail-fast", is_flag=True, help="Stop at the first episode that fails (default: publish the others).")
@json_option
@click.pass_context
def publish(ctx: click.Context, root: Path, languages: str | None, strict_timing: bool, jobs: int | None,
            scheduler: str | None, fail_fast: bool, as_json: bool) -> None:
    """Publish the whole show into feeds/ (or one episode: publish episode SLUG).

    \b
    Examples:
      toolkit publish                      # every episode, feeds, pages (every core)
      toolkit publish --lang es,fr         # override target languages
      toolkit publish --jobs 1             # one episode after another, in this process
      toolkit publish --scheduler tcp://scheduler:8786   # on a Dask cluster
      toolkit publish episode the-bridge   # one episode
      toolkit publish --strict-timing      # CI: fail on low-confidence timing
    """
    ctx.ensure_object(dict)
    ctx.obj.update(root=root, languages=languages, strict_timing=strict_timing, as_json=as_json)
    if ctx.invoked_subcommand is not None:
        return
    from .. import catalogue  # numpy and the stages load when the command runs (import time)

    show = config.load_show(root)
    with progress_bar(description="publishing") as step:
        run = catalogue.publish_catalogue(show, languages=split_langs(languages), jobs=jobs, scheduler=scheduler,
                                          fail_fast=fail_fast, progress=step)
    results = run.results
    if as_json:
        from .jsonout import publish_summary

        publish_summary(results, str(show.feeds_dir), run.failures, run.skipped)
    else:
        _summaries(results, str(show.feeds_dir), verbose=ctx.find_root().params.get("verbose", 0) > 0)
    for failure in run.failures:
        console_err.print(escape(f"failed: {failure.slug}: {failure.message}"), highlight=False, soft_wrap=True)
    if run.failures:
        names = ", ".join(f.slug for f in run.failures)
        skipped = f"; {len(run.skipped)} not attempted (--fail-fast)" if run.skipped else ""
        raise EpisodesFailed(f"{len(run.failures)} episode(s) not published ({names}){skipped}; "
                             f"{len(results)} published")
    if strict_timing:
        _check_timing(results)


@publish.command("episode")
@click.argument("slug")
@root_option
@lang_option
@strict_timing_option
@json_option
@click.pass_context
def publish_episode(ctx: click.Context, slug: str, root: Path, languages: str | None, strict_timing: bool,
                    as_json: bool) -> None:
    """Publish one episode (subtitles, translations, page) and refresh the feeds."""
    parent = ctx.obj or {}
    if root == Path(".") and parent.get("root"):
        root = parent["root"]
    languages = languages or parent.get("languages")
    strict_timing = strict_timing or bool(parent.get("strict_timing"))
    as_json = as_json or bool(parent.get("as_json"))
    from .. import pipeline  # numpy and the stages load when the command runs (import time)

    show = config.load_show(root)
    with progress_bar(description=f"publishing {slug}") as step:
        result = pipeline.publish_one(show, slug, languages=split_langs(languages), progress=step)
    if as_json:
        from .jsonout import publish_summary

        publish_summary([result], str(show.feeds_dir))
    else:
        _summary(result)
    if strict_timing:
        _check_timing([result])


def _check_timing(results: list[EpisodeResult]) -> None:
    """``--strict-timing``: one line naming the episodes whose timing is doubtful."""
    doubtful = [(r.source.episode.slug, r.source.alignment) for r in results
                if r.source.alignment.low_confidence or r.source.alignment.method == "proportional"]
    if doubtful:
        stretches = sum(max(1, len(a.low_confidence)) for _, a in doubtful)
        names = ", ".join(slug for slug, _ in doubtful)
        raise TimingError(f"low-confidence timing in {len(doubtful)} episode(s) ({names}): {stretches} "
                          "stretch(es); `toolkit check` lists them")


def _summaries(results: list[EpisodeResult], feeds: str, *, verbose: bool) -> None:
    """The whole-show publish's report: every episode's summary with ``-v``; by default only the
    episodes with something to report (:func:`_noteworthy`), then one total line."""
    quiet = 0
    pseudo: list[int] = []  # per episode not listed: its layout-test (pseudo-localization) warnings
    for result in results:
        if verbose or _noteworthy(result):
            _summary(result)
            continue
        quiet += 1
        layout = sum(len(b.warnings) for b in result.languages.values() if b.pseudo)
        if layout:
            pseudo.append(layout)
    total = f"published {len(results)} episode(s) to {feeds}"
    if quiet:
        total += f" ({quiet} with nothing to report not listed: toolkit -v publish lists every episode)"
    console.print(escape(total), highlight=False, soft_wrap=True)
    if pseudo:
        console.print(f"  pseudo-localization: {sum(pseudo)} layout warning(s) in {len(pseudo)} episode(s) not "
                      "listed (expected, it tests layout; toolkit -v publish lists them)", highlight=False,
                      soft_wrap=True)


def _noteworthy(result: EpisodeResult) -> bool:
    """Whether an episode's summary says more than its counts: a transcript read in a detected
    encoding, dropped lines, doubtful timing (a note, low-confidence or re-timed stretches,
    proportional timing), QC errors, translation warnings (a pseudo-localization build's are
    expected: they alone do not count).  An audio-only episode has nothing to report."""
    src = result.source
    if src.episode.transcript is None:
        return False
    report = src.alignment
    return bool(src.transcript.encoding or src.transcript.dropped or report.note or report.low_confidence
                or report.retimed or report.method == "proportional"
                or any(getattr(i, "severity", "error") == "error" for i in src.qc)
                or any(b.warnings and not b.pseudo for b in result.languages.values()))


def _summary(result: EpisodeResult, *, details: int = 3) -> None:
    """A few lines per episode; the full QC list is ``toolkit check <slug>``."""
    src = result.source
    slug = src.episode.slug
    report = src.alignment
    if src.episode.transcript is None:
        console.print(f"[bold]{slug}[/]: audio only (no transcript), {len(src.chapters)} chapter(s)", highlight=False)
        return
    console.print(
        f"[bold]{slug}[/]: {len(src.cues)} cues, {len(src.chapters)} chapter(s), {report.label} timing; "
        f"languages {', '.join(result.languages)}",
        highlight=False,
    )
    name = src.episode.transcript.name if src.episode.transcript else "-"
    if src.transcript.encoding:
        console.print(f"  read {name} as {src.transcript.encoding}", highlight=False)
    if report.method not in ("timed-input", "none"):
        extra = f", {report.retimed} stretch(es) re-timed proportionally" if report.retimed else ""
        console.print(f"  timing: {report.engine or report.method}; mean confidence {report.mean_confidence:.2f}"
                      f"{extra}", highlight=False)
    for dropped in src.transcript.dropped:
        # transcript text is not rich markup ("[Music]", "[hh:]mm:ss")
        console.print(escape(f"  dropped {name}:{dropped.line} ({dropped.rule}): "
                             f"{dropped.text[:70]}"), highlight=False)
    if src.alignment.note:
        console.print(escape(f"  timing: {src.alignment.note}"), highlight=False)
    for stretch in src.alignment.low_confidence[:details]:
        console.print(f"  low alignment confidence: {stretch}", highlight=False)
    if len(src.alignment.low_confidence) > details:
        console.print(f"  … {len(src.alignment.low_confidence) - details} more (toolkit check {slug})",
                      highlight=False)
    if src.qc:
        errors = sum(1 for i in src.qc if getattr(i, "severity", "error") == "error")
        console.print(f"  {src.transcript.language}: {errors} QC error(s), {len(src.qc) - errors} warning(s) "
                      f"(details: toolkit check {slug})", highlight=False)
    for lang, build in result.languages.items():
        if not build.warnings:
            continue
        console.print(f"  {lang}: {len(build.warnings)} warning(s)"
                      + (" (pseudo-localization: expected, it tests layout)" if build.pseudo else ""),
                      highlight=False)
        for warning in build.warnings[:details]:
            console.print(f"    {warning}", highlight=False)
        if len(build.warnings) > details:
            console.print(f"    … {len(build.warnings) - details} more (toolkit -v publish … lists all)",
                          highlight=False)


COMMANDS = [publish]
