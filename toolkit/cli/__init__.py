"""The ``toolkit`` command: thin click commands over the library.

Each command group lives in its own module here and is registered below.  Any
:class:`toolkit.errors.ToolkitError` becomes one line on stderr and exit
status 1 (2 for usage errors, as click does); other exceptions keep their
traceback because they are bugs.
"""

from __future__ import annotations

import logging
import sys

import click

from .. import __version__
from ..errors import ToolkitError
from .common import console_err


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            console_err.print(f"[bold red]error:[/] {click.style('', reset=False)}{_plain(str(exc))}",
                              highlight=False, soft_wrap=True)
            ctx.exit(exc.exit_code)


def _plain(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolkit")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Publish a podcast's transcripts as subtitles, translations, feeds and pages."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _register() -> None:
    from . import check, episode, importfeed, init, models, publish, serve, translations

    for module in (publish, check, serve, models, translations, init, episode, importfeed):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
