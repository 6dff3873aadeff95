"""``toolkit models``: list, install and remove offline translation models."""

from __future__ import annotations

from pathlib import Path

import click

from .common import console
from .jsonout import emit, json_option


@click.group()
def models() -> None:
    """Offline translation models (argos packages, apertium pairs, bergamot models).

    \b
    Examples:
      toolkit models list
      toolkit models install en es                 # from the argos package index
      toolkit models install translate-en_es.argosmodel
      toolkit models remove en es
    """


@models.command("list")
@json_option
def list_(as_json: bool) -> None:
    """Installed language pairs with engine and version."""
    from ..translate import apertium, bergamot, packages  # the stages load when a command runs (import time)

    rows = [("argos", p.pair, p.version, str(p.path)) for p in packages.installed_packages()]
    rows += [("apertium", mode, apertium._mode_version(mode), "") for mode in apertium.installed_modes()]
    rows += [("bergamot", pair, version, str(path)) for pair, version, path in bergamot.installed_pairs()]
    if as_json:
        emit("models", models=[{"engine": e, "pair": pair, "version": v, "path": w or None}
                               for e, pair, v, w in rows])
        return
    if not rows:
        console.print("no translation models installed (toolkit models install en es)")
        return
    for engine, pair, version, where in rows:
        console.print(f"{engine:<9} {pair:<12} {version:<12} {where}".rstrip(), highlight=False, soft_wrap=True)


@models.command()
@click.argument("source")
@click.argument("target", required=False)
def install(source: str, target: str | None) -> None:
    """Install an argos package: SOURCE TARGET language codes (from the package
    index, $ARGOS_PACKAGE_INDEX) or one path to a .argosmodel file."""
    from .. import langs  # the stages load when a command runs (import time)
    from ..translate import packages

    if target is None:
        if not Path(source).exists() and not source.endswith(".argosmodel"):
            raise click.UsageError("give two language codes (e.g. en es) or a .argosmodel file")
        pkg = packages.install_file(source)
    else:
        src = langs.normalize(source, key="source language")
        tgt = langs.normalize(target, key="target language")
        pkg = packages.install_from_index(src, tgt)
    console.print(f"installed argos {pkg.pair} {pkg.version}", highlight=False)


@models.command()
@click.argument("source")
@click.argument("target")
def remove(source: str, target: str) -> None:
    """Remove the installed argos package for SOURCE → TARGET."""
    from ..translate import packages  # the stages load when a command runs (import time)

    for pkg in packages.remove(source, target):
        console.print(f"removed argos {pkg.pair} {pkg.version}", highlight=False)


COMMANDS: list[click.Command] = [models]
