"""Options and helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

console = Console()
console_err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def root_option(func: F) -> F:
    """``--root DIR``: the show directory (default: the current directory)."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The show directory (holding show.toml).",
    )(func)


def lang_option(func: F) -> F:
    """``--lang es,fr``: override the show's target languages."""
    return click.option(
        "--lang",
        "languages",
        default=None,
        help="Comma-separated target languages (default: target_languages in show.toml).",
    )(func)


def split_langs(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


@contextmanager
def progress_bar(total: int | None = None, description: str = "working") -> Iterator[Callable[[str], None]]:
    """A rich progress display; yields ``step(message)`` to advance it.

    Off a terminal (pipes, CI, cron) nothing is displayed, so rich's progress
    machinery is not even imported: ``step`` does nothing.
    """
    if not console_err.is_terminal:
        def quiet(_: str) -> None:
            pass

        quiet.advance = quiet  # type: ignore[attr-defined]
        quiet.set_total = quiet  # type: ignore[attr-defined]
        yield quiet
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    columns = [SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn()]
    with Progress(*columns, console=console_err, transient=True,
                  disable=not console_err.is_terminal) as prog:
        task = prog.add_task(description, total=total)

        def step(message: str) -> None:
            prog.update(task, description=message)

        def advance(message: str) -> None:
            prog.update(task, description=message, advance=1)

        def set_total(n: int) -> None:
            prog.update(task, total=n)

        step.advance = advance  # type: ignore[attr-defined]
        step.set_total = set_total  # type: ignore[attr-defined]
        yield step
