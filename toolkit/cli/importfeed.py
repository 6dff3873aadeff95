"""``toolkit import FEED [DIR]``: an existing podcast's feed → a show folder (:mod:`toolkit.feedimport`)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import console, console_err


@click.command("import")
@click.argument("feed")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--base-url", default=None, help="Where the new feeds/ will be served (default: the old host).")
@click.option("--email", default=None, help="itunes:owner email, when the old feed has none.")
@click.option("--feed-url", default=None,
              help="The old feed's public URL (to derive podcast:guid when a feed file has neither guid nor self link).")
@click.option("--no-media", is_flag=True, help="Do not fetch audio, artwork, transcripts or chapters.")
def import_command(feed: str, folder: Path | None, base_url: str | None, email: str | None,
                   feed_url: str | None, no_media: bool) -> None:
    """Turn the RSS feed FEED (a file or an http(s) URL) into a show folder DIR,
    keeping every episode's guid and the show's podcast:guid."""
    from .. import feedimport
    from .common import progress_bar

    if folder is None:
        data = feedimport.read_source(feed)
        title = feedimport.parse_feed(data, feed_url or feed).title
        folder = Path(feedimport.slugify(title, set()))
    with progress_bar(description="importing") as step:
        report = feedimport.import_feed(feed, folder, base_url=base_url, email=email, feed_url=feed_url,
                                        download=not no_media, progress=step)
    for warning in report.warnings:
        console_err.print(f"warning: {warning}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"imported {report.episodes} episode(s), {report.transcripts} transcript(s) into {folder}",
                  highlight=False, soft_wrap=True)
    if report.audio_missing:
        console.print(f"audio not fetched for {len(report.audio_missing)} episode(s): "
                      + ", ".join(report.audio_missing[:8]), highlight=False, soft_wrap=True)
    console.print(f"next: toolkit publish --root {folder}", highlight=False)


COMMANDS = [import_command]
