"""``toolkit publish`` and ``toolkit publish episode <slug>``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import config, pipeline
from .common import console, lang_option, progress_bar, root_option, split_langs


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
    show = config.load_show(root)
    with progress_bar(description=f"publishing {slug}") as step:
        result = pipeline.publish_one(show, slug, languages=split_langs(languages), progress=step)
    _summary(result)


def _summary(result: pipeline.EpisodeResult) -> None:
    src = result.source
    langs = ", ".join(result.languages)
    console.print(
        f"[bold]{src.episode.slug}[/]: {len(src.cues)} cues, {len(src.chapters)} chapters, "
        f"languages {langs}; {len(src.qc)} QC issue(s), "
        f"{len(src.alignment.low_confidence)} low-confidence stretch(es), "
        f"{len(src.transcript.dropped)} line(s) dropped",
        highlight=False,
    )
    for dropped in src.transcript.dropped:
        console.print(f"  dropped {src.episode.transcript.name}:{dropped.line} ({dropped.rule}): "
                      f"{dropped.text[:70]}", highlight=False)
    for stretch in src.alignment.low_confidence:
        console.print(f"  low alignment confidence: {stretch}", highlight=False)
    for name, build in result.languages.items():
        for warning in build.warnings:
            console.print(f"  {name}: {warning}", highlight=False)


COMMANDS = [publish]
