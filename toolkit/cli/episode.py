"""``toolkit episode new SLUG``: add an episode folder (:mod:`toolkit.scaffold`)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import console, root_option


@click.group("episode")
def episode_group() -> None:
    """Add episodes to the show."""


@episode_group.command("new")
@click.argument("slug")
@click.option("--audio", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The episode's audio (copied; its tags fill title, date, duration, cover).")
@click.option("--transcript", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The transcript (copied; any format publish reads).")
@click.option("--title", default=None, help="The title (default: the audio's title tag).")
@root_option
def new_command(slug: str, audio: Path | None, transcript: Path | None, title: str | None, root: Path) -> None:
    """Create episodes/SLUG/ with an episode.toml filled from the audio's tags."""
    from .. import config, scaffold

    show = config.load_show(root)
    path = scaffold.new_episode(show, slug, audio=audio, transcript=transcript, title=title)
    console.print(f"wrote {path}", highlight=False)
    console.print(f"next: toolkit publish --root {root}", highlight=False)


COMMANDS = [episode_group]
