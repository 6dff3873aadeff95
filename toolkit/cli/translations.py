"""``toolkit translations export|import|status``: the translator round trip."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from .. import config, fsutil, langs
from ..errors import ConfigError, ImportRejected, ToolkitError
from ..lock import show_lock
from ..model import Cue, Show
from .common import console, console_err, root_option
from .jsonout import emit, json_option


def _source_cues(show: Show, slug: str) -> Sequence[Cue]:
    from .. import pipeline

    episode = config.load_episode(show, slug)
    return pipeline.build_source(show, episode).cues


@click.group("translations")
def translations() -> None:
    """Export translations for translators, import their corrections, show review status.

    \b
    Examples:
      toolkit translations export the-bridge --lang es --format po
      toolkit translations export the-bridge --lang es --format xliff
      toolkit translations import the-bridge.es.po
      toolkit translations status --strict
      toolkit translations tmx --lang es -o memory.en-es.tmx
    """


@translations.command("export")
@click.argument("slug")
@click.option("--lang", required=True, help="Target language (e.g. es).")
@click.option("--format", "fmt", type=click.Choice(["srt", "vtt", "po", "xliff"]), default="po",
              show_default=True,
              help="srt/vtt for subtitle editors (Subtitle Edit, Aegisub), po for Poedit, xliff (1.2) for "
                   "CAT tools (memoQ, Trados, Phrase, Crowdin, Weblate, OmegaT).")
@click.option("--out", "out", default=None,
              help="Output file (default: ./<slug>.<lang>.<format>; '-' for standard output).")
@click.option("--lock-reviewed", is_flag=True,
              help="XLIFF: human-corrected cues are locked (translate=\"no\"); an import that changes one "
                   "is rejected.")
@root_option
def export_cmd(slug: str, lang: str, fmt: str, out: str | None, lock_reviewed: bool, root: Path) -> None:
    """Write a language's translations of one episode for a translator."""
    show = config.load_show(root)
    config.load_episode(show, slug)  # an unknown episode says so (and lists the episodes) first
    lang = langs.normalize(lang, key="--lang")
    if lock_reviewed and fmt != "xliff":
        raise ToolkitError("--lock-reviewed is for --format xliff (the other formats cannot lock a cue)")
    with show_lock(show.root):
        _export(show, slug, lang, fmt, out, lock_reviewed)


def _export(show: Show, slug: str, lang: str, fmt: str, out: str | None, lock_reviewed: bool = False) -> None:
    from ..review.export import export_bytes, write_manifest
    from ..review.store import load_store_at, store_path

    path = store_path(show, slug, lang)
    store = load_store_at(path)
    if store is None:
        raise ToolkitError(f"no translations for {slug} in {lang} yet", path=path,
                           hint=f"run `toolkit publish episode {slug} --lang {lang}` first")
    cues = _source_cues(show, slug)
    data = export_bytes(store, fmt, cues, lock_reviewed=lock_reviewed)
    write_manifest(store, path, cues)
    _emit(data, out, f"{slug}.{lang}.{fmt}", f"{len(store.entries)} cues, {fmt}")


@translations.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", default=None, help="Episode (required when the file does not say, e.g. SRT).")
@click.option("--lang", default=None, help="Language (required when the file does not say, e.g. SRT).")
@root_option
def import_cmd(file: Path, slug: str | None, lang: str | None, root: Path) -> None:
    """Read a translator's corrected SRT/VTT/PO/XLIFF file back (all or nothing)."""
    from ..review.importer import read_file

    show = config.load_show(root)
    header = read_file(file)
    slug, lang = _episode_and_language(show, file, header.slug, header.lang, slug, lang)
    with show_lock(show.root):
        _import(show, file, slug, lang, header.lang)


def _episode_and_language(show: Show, file: Path, header_slug: str | None, header_lang: str | None,
                          slug: str | None, lang: str | None) -> tuple[str, str]:
    """The episode and language to import into: the options, else the file's header
    (which must agree with the options when both are there)."""
    slug = slug or header_slug
    lang = langs.normalize(lang, key="--lang") if lang else (
        langs.normalize(header_lang) if header_lang else None)
    if slug is None or lang is None:
        raise ImportRejected("the file does not say its episode and language", path=file,
                             hint="pass --slug and --lang")
    try:
        slug = config.check_slug(slug)
    except ConfigError as exc:  # the slug came from this file (or --slug): name the file
        raise ImportRejected(exc.message, path=file, hint=exc.hint) from None
    if not (show.episodes_dir / slug).is_dir():
        # Name the translator's file (not only the missing folder): the episode
        # comes from the file's header or --slug, and that is what is wrong.
        raise ImportRejected(f"the file is for episode {slug!r}, which this show does not have",
                             path=file, hint="pass --slug with one of: "
                             + ", ".join(config.episode_slugs(show)[:8]))
    if header_lang and langs.base(langs.normalize(header_lang)) != langs.base(lang):
        raise ImportRejected(f"wrong language: the file is {header_lang!r}, not {lang!r}", path=file)
    if header_slug and header_slug != slug:
        raise ImportRejected(f"wrong episode: the file is for {header_slug!r}, not {slug!r}", path=file)
    return slug, lang


def _import(show: Show, file: Path, slug: str, lang: str, header_lang: str | None) -> None:
    """The import proper, under the show's lock."""
    from ..review.importer import import_file
    from ..review.store import store_path

    path = store_path(show, slug, lang)
    if not path.is_file() and header_lang and langs.normalize(header_lang) != lang:
        path = store_path(show, slug, langs.base(lang))  # Poedit's es_ES for the store "es"
    try:
        report = import_file(file, path, _source_cues(show, slug), slug=slug)
    except ImportRejected as exc:
        rep = getattr(exc, "report", None)
        if rep is not None:
            # The full list and the counts are the command's report (stdout, one
            # line each, never wrapped); stderr keeps the one-line error.
            for problem in rep.rejected:
                console.print(f"  rejected: {problem}", highlight=False, markup=False, soft_wrap=True)
            # Not rep.summary(): its "N changed" would read as applied.
            console.print(f"{rep.slug}/{rep.lang} ({rep.format}): nothing applied: "
                          f"{len(rep.rejected)} rejected; {len(rep.changed)} other correction(s) "
                          "in the file wait until it is fixed",
                          highlight=False, markup=False, soft_wrap=True)
        raise
    # what the import did: warnings (stderr), merged/split/outdated/stale cues, the summary
    for warning in report.warnings:
        console_err.print(f"  warning: {warning}", highlight=False, markup=False)
    if report.merged:
        console.print("  merged cues (text spread over them): "
                      + "; ".join("+".join(g) for g in report.merged), highlight=False)
    if report.split:
        console.print("  split cues (texts joined): " + ", ".join(report.split), highlight=False)
    if report.outdated:
        console.print(f"  {len(report.outdated)} cue(s) changed in the source since this file was exported: "
                      + ", ".join(report.outdated), highlight=False)
    if report.stale:
        console.print(f"  [yellow]{len(report.stale)} correction(s) made against an older source marked "
                      "stale:[/] " + ", ".join(report.stale), highlight=False)
    console.print(report.summary(), highlight=False)
    if report.backup:
        console.print(f"  previous version kept in {report.backup}", highlight=False, soft_wrap=True)


@translations.command("status")
@click.argument("slug", required=False)
@click.option("--strict", is_flag=True, help="Exit non-zero when any cue is stale (for CI).")
@root_option
@json_option
@click.pass_context
def status_cmd(ctx: click.Context, slug: str | None, strict: bool, root: Path, as_json: bool) -> None:
    """Per episode and language: machine / human / stale cues and the share reviewed."""
    from ..review.status import collect_status

    show = config.load_show(root)
    rows = collect_status(show, config.check_slug(slug) if slug else None)
    stale = sum(r.stale for r in rows)
    if as_json:
        emit("translations.status", stale=stale, rows=[
            {"slug": r.slug, "lang": r.lang, "machine": r.machine, "human": r.human, "stale": r.stale,
             "reviewed": round(r.reviewed, 4), "stale_cues": list(r.stale_ids)} for r in rows])
    elif not rows:
        console.print("no translations yet")
        return
    elif console.is_terminal:
        from rich.table import Table

        table = Table("episode", "lang", "machine", "human", "stale", "reviewed")
        for r in rows:
            table.add_row(r.slug, r.lang, str(r.machine), str(r.human),
                          f"[red]{r.stale}[/]" if r.stale else "0", f"{r.reviewed:.0%}")
        console.print(table)
    else:  # plain columns for pipes and logs (no box drawing)
        width = max(len("episode"), *(len(r.slug) for r in rows))
        console.print(f"{'episode':<{width}}  lang   machine  human  stale  reviewed", highlight=False)
        for r in rows:
            console.print(f"{r.slug:<{width}}  {r.lang:<5}  {r.machine:>7}  {r.human:>5}  {r.stale:>5}  "
                          f"{r.reviewed:>8.0%}", highlight=False, soft_wrap=True)
    if stale and as_json:
        if strict:
            raise ToolkitError(f"{stale} stale cue(s) to re-check (see the JSON rows)")
        return
    if stale:
        for r in rows:
            if r.stale_ids:
                console.print(f"stale in {r.slug}/{r.lang}: " + ", ".join(r.stale_ids), highlight=False)
        if strict:
            # One error line naming the store files and cues (as every error does).
            from ..review.store import store_path

            where = "; ".join(f"{store_path(show, r.slug, r.lang).relative_to(show.root)} "
                              f"({', '.join(r.stale_ids)})" for r in rows if r.stale_ids)
            first = next(r for r in rows if r.stale_ids)
            raise ToolkitError(f"{stale} stale cue(s) to re-check: {where}",
                               hint=f"correct or confirm them: toolkit translations export {first.slug} "
                                    f"--lang {first.lang}, then import")


@translations.command("tmx")
@click.option("--lang", required=True, help="Target language of the pair (e.g. es).")
@click.option("--source-lang", default=None, help="Source language (default: the show's language).")
@click.option("--out", "-o", "out", default=None,
              help="Output file (default: ./memory.<source>-<lang>.tmx; '-' for standard output).")
@root_option
def tmx_cmd(lang: str, source_lang: str | None, out: str | None, root: Path) -> None:
    """Write the translation memory of one language pair as TMX 1.4 (for a CAT tool's memory).

    Pseudo-localization is left out: it is a layout test, not a translation."""
    from ..errors import EngineError
    from ..formats import xliff
    from ..translate.memory import TranslationMemory, memory_path
    from ..translate.registry import get_engine

    def machine(name: str) -> bool:
        try:
            return get_engine(name).machine
        except EngineError:  # an engine no longer installed: its translations are still translations
            return True

    show = config.load_show(root)
    lang = langs.normalize(lang, key="--lang")
    src = langs.normalize(source_lang, key="--source-lang") if source_lang else show.language
    path = memory_path(show.root)
    if not path.is_file():
        raise ToolkitError("no translation memory yet", path=path, hint="publish with a translated language first")
    with TranslationMemory(path) as memory:
        rows = [r for r in memory.pairs(src, lang) if machine(r[2])]
        known = memory.language_pairs()
    if not rows:
        raise ToolkitError(f"the translation memory has no {src} → {lang} translations", path=path,
                           hint="pairs it has: " + (", ".join(f"{a}-{b}" for a, b in known) or "none"))
    data = xliff.write_tmx(((s, t, f"{engine} {model}".strip()) for s, t, engine, model in rows),
                           source_lang=src, target_lang=lang).encode("utf-8")
    _emit(data, out, f"memory.{src}-{lang}.tmx", f"{len(rows)} translation units, {src} → {lang}")



def _emit(data: bytes, out: str | None, default: str, what: str) -> None:
    """Write an export to ``out`` (``-``: standard output; none: ``default`` here), atomically."""
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(out) if out else Path(default)
    fsutil.write_bytes(target, data)
    console.print(f"wrote {target} ({what})", highlight=False)

COMMANDS: list[click.Command] = [translations]
