"""``toolkit serve``: see the command's --help."""

from __future__ import annotations

import click  # noqa: F401

COMMANDS: list[click.Command] = []
