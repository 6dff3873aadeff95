"""``toolkit check [SLUG]``: QC report for one episode or all of them.

The checks live in :mod:`toolkit.check` (the registry, the lint); this
command only runs them and renders their :class:`~toolkit.findings.Finding`
objects: one line per finding plus a summary.  Exit status 1 when any
finding is an error (with ``--strict``: any finding at all).
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import config
from ..errors import LintError
from ..findings import Finding
from ..formats.timecode import vtt as vtt_timestamp
from .common import console, progress_bar, root_option
from .jsonout import check_report, json_option


def render(finding: Finding) -> str:
    """One report line: ``error   ep-one ep-one-12 00:01:02.500  cps-hard: …``."""
    where = [finding.episode or "show"]
    if finding.cue:
        where.append(finding.cue)
    if finding.start is not None:
        where.append(vtt_timestamp(finding.start))
    return f"{finding.severity:<7} {' '.join(where)}  {finding.rule}: {finding.message}"


@click.command("check")
@click.argument("slug", required=False)
@root_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@json_option
def check(slug: str | None, root: Path, strict: bool, as_json: bool) -> None:
    """Check episodes against the subtitle guidelines (one line per problem).

    \b
    Examples:
      toolkit check                 # every episode, then the published feeds/
      toolkit check the-bridge      # one episode
      toolkit check --strict        # warnings fail too
    """
    show = config.load_show(root)
    episodes = [config.load_episode(show, slug)] if slug else config.load_episodes(show)
    from .. import check as checks  # the stages load when the command runs (import time)

    with progress_bar(total=len(episodes), description="checking") as step:
        findings, counts = checks.run_checks(show, episodes, step)
    if not slug:  # the whole show: also lint the published feeds (toolkit.check.lint)
        findings.extend(checks.published_feeds(show))
    if as_json:
        check_report(findings, counts)
    else:
        for finding in findings:
            console.print(render(finding), highlight=False, markup=False, soft_wrap=True)
        console.print(checks.summary(findings, counts), highlight=False, markup=False, soft_wrap=True)
    errors = sum(1 for f in findings if f.severity == "error")
    if errors or (strict and findings):
        raise LintError(f"{errors} error(s), {len(findings) - errors} warning(s)"
                        + (" (--strict)" if strict and not errors else ""))


COMMANDS: list[click.Command] = [check]
