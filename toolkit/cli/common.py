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
    """A rich progress display; yields ``step(message)`` to show what is being done.

    ``step.advance(message)`` counts one item done, ``step.set_total(n)`` sets
    the count (the bar then shows done / total, elapsed time and ETA), and
    ``step.worker(name, stage)`` shows one line per worker with its current
    stage (``None`` removes the line) -- the catalogue publish's view across
    its worker processes or Dask workers.

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
    from rich.console import Group
    from rich.live import Live
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    columns = [SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn()]
    overall = Progress(*columns, console=console_err)
    per_worker = Progress(TextColumn("  "), SpinnerColumn(), TextColumn("{task.description}", markup=False),
                          console=console_err)
    lines: dict[str, TaskID] = {}
    with Live(Group(overall, per_worker), console=console_err, transient=True, refresh_per_second=8):
        task = overall.add_task(description, total=total)

        def step(message: str) -> None:
            overall.update(task, description=message)

        def advance(message: str) -> None:
            overall.update(task, description=message, advance=1)

        def set_total(n: int) -> None:
            overall.update(task, total=n)

        def worker(name: str, stage: str | None) -> None:
            line = lines.get(name)
            if stage is None:
                if line is not None:
                    per_worker.remove_task(lines.pop(name))
                return
            text = f"{name}: {stage}"
            if line is None:
                lines[name] = per_worker.add_task(text, total=None)  # lines in the order workers first report
            else:
                per_worker.update(line, description=text)

        step.advance = advance  # type: ignore[attr-defined]
        step.set_total = set_total  # type: ignore[attr-defined]
        step.worker = worker  # type: ignore[attr-defined]
        yield step
