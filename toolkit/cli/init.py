"""``toolkit init [DIR]``: start a new show folder (:mod:`toolkit.scaffold`).

On a terminal every value is asked for, with a default; off a terminal (or
with ``--yes``) the flags and defaults are used as they are.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import console


def _ask(value: str | None, prompt: str, default: str, interactive: bool) -> str:
    if value is not None:
        return value
    return str(click.prompt(prompt, default=default)) if interactive else default


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--title", default=None, help="The show's title (default: from the folder name).")
@click.option("--author", default=None, help="itunes:author and owner name.")
@click.option("--email", default=None, help="itunes:owner email.")
@click.option("--base-url", default=None, help="Where feeds/ will be served, e.g. https://example.org/show.")
@click.option("--language", default=None, help="The audio's language (default en).")
@click.option("--category", default=None, help='Apple Podcasts category, e.g. "Technology" or "Arts > Design".')
@click.option("--description", default=None, help="The show's description.")
@click.option("--explicit/--clean", default=False, help="itunes:explicit (default: clean).")
@click.option("-y", "--yes", is_flag=True, help="Ask nothing: use the flags and defaults.")
@click.option("--ask", is_flag=True, help="Ask for every value not given, even off a terminal.")
def init_command(folder: Path, title: str | None, author: str | None, email: str | None, base_url: str | None,
                 language: str | None, category: str | None, description: str | None, explicit: bool,
                 yes: bool, ask: bool) -> None:
    """Start a new show in FOLDER (default: here): show.toml, a cover placeholder,
    episodes/ and a .gitignore.  Never overwrites anything."""
    from .. import scaffold

    interactive = ask or (not yes and sys.stdin.isatty())
    name = folder.resolve().name or "show"
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "show"
    the_title = _ask(title, "Show title", name.replace("-", " ").replace("_", " ").title(), interactive)
    the_author = _ask(author, "Author", "The Producer", interactive)
    answers = scaffold.ShowAnswers(
        title=the_title,
        author=the_author,
        email=_ask(email, "Owner email", "owner@example.org", interactive),
        base_url=_ask(base_url, "Base URL (where feeds/ is served)", f"https://example.org/{slug}", interactive),
        language=_ask(language, "Language", "en", interactive),
        category=_ask(category, "Apple Podcasts category", "Society & Culture", interactive),
        description=_ask(description, "Description", the_title, interactive),
        explicit=explicit,
    )
    written = scaffold.init_show(folder, answers)
    for path in written:
        console.print(f"wrote {path}", highlight=False)
    console.print(f"next: toolkit episode new SLUG --audio FILE --root {folder}", highlight=False)


COMMANDS = [init_command]
