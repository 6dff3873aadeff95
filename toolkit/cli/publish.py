"""``toolkit publish`` and ``toolkit publish episode <slug>``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from .. import config
from .common import console, lang_option, progress_bar, root_option, split_langs

if TYPE_CHECKING:  # imported by the commands (numpy and the stages load with it)
    from ..pipeline import EpisodeResult


@click.group(invoke_without_command=True)
@root_option
@lang_option
@click.pass_context
def publish(ctx: click.Context, root: Path, languages: str | None) -> None:
    """Publish the whole show into feeds/ (or one episode: publish episode SLUG).

    \b
    Examples:
      toolkit publish                      # every episode, feeds, pages
      toolkit publish --lang es,fr         # override target languages
      toolkit publish episode the-bridge   # one episode
    """
    ctx.ensure_object(dict)
    ctx.obj.update(root=root, languages=languages)
    if ctx.invoked_subcommand is not None:
        return
    from .. import pipeline

    show = config.load_show(root)
    with progress_bar(description="publishing") as step:
        results = pipeline.publish_show(show, languages=split_langs(languages), progress=step)
    for result in results:
        _summary(result)
    console.print(f"published {len(results)} episode(s) to {show.feeds_dir}")


@publish.command("episode")
@click.argument("slug")
@root_option
@lang_option
@click.pass_context
def publish_episode(ctx: click.Context, slug: str, root: Path, languages: str | None) -> None:
    """Publish one episode (subtitles, translations, page) and refresh the feeds."""
    parent = ctx.obj or {}
    if root == Path(".") and parent.get("root"):
        root = parent["root"]
    languages = languages or parent.get("languages")
    from .. import pipeline

    show = config.load_show(root)
    with progress_bar(description=f"publishing {slug}") as step:
        result = pipeline.publish_one(show, slug, languages=split_langs(languages), progress=step)
    _summary(result)


def _summary(result: EpisodeResult, *, details: int = 3) -> None:
    """A few lines per episode; the full QC list is ``toolkit check <slug>``."""
    src = result.source
    slug = src.episode.slug
    console.print(
        f"[bold]{slug}[/]: {len(src.cues)} cues, {len(src.chapters)} chapter(s), "
        f"{src.alignment.method} timing; languages {', '.join(result.languages)}",
        highlight=False,
    )
    if src.transcript.encoding:
        console.print(f"  read {src.episode.transcript.name} as {src.transcript.encoding}", highlight=False)
    for dropped in src.transcript.dropped:
        # transcript text is not rich markup ("[Music]", "[hh:]mm:ss")
        console.print(escape(f"  dropped {src.episode.transcript.name}:{dropped.line} ({dropped.rule}): "
                             f"{dropped.text[:70]}"), highlight=False)
    for stretch in src.alignment.low_confidence:
        console.print(f"  low alignment confidence: {stretch}", highlight=False)
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
