"""``toolkit check [SLUG]``: QC report for one episode or all of them.

The command runs the source stages (ingest → timing → segment) through
:func:`toolkit.pipeline.build_source`, then every function in
:data:`EPISODE_CHECKS` on each episode and every function in
:data:`SHOW_CHECKS` on the show, and prints one line per finding plus a
summary.  Exit status 1 when any finding is an error (with ``--strict``: any
finding at all).  To add a check, append a function to one of the lists; it
returns :class:`Finding` objects and never prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import click

from .. import config
from ..build import SourceBuild
from ..errors import LintError
from ..findings import Finding
from ..formats.timecode import vtt as vtt_timestamp
from ..model import Episode, Show
from .common import console, progress_bar, root_option


def render(finding: Finding) -> str:
    """One report line: ``error   ep-one ep-one-12 00:01:02.500  cps-hard: …``."""
    where = [finding.episode or "show"]
    if finding.cue:
        where.append(finding.cue)
    if finding.start is not None:
        where.append(vtt_timestamp(finding.start))
    return f"{finding.severity:<7} {' '.join(where)}  {finding.rule}: {finding.message}"


EpisodeCheck = Callable[[Show, SourceBuild], Iterable[Finding]]
ShowCheck = Callable[[Show, Sequence[Episode]], Iterable[Finding]]


def cue_qc(show: Show, build: SourceBuild) -> Iterable[Finding]:
    """The segmentation QC rules (:func:`toolkit.segment.check`) on the source cues."""
    for issue in build.qc:
        yield Finding(issue.severity, issue.rule, issue.message, build.episode.slug, issue.cue, issue.start)


def timing_confidence(show: Show, build: SourceBuild) -> Iterable[Finding]:
    """Low-confidence timing: every stretch the aligner could not vouch for (a warning each),
    and an episode timed by text length alone."""
    report = build.alignment
    slug = build.episode.slug
    if report.method == "proportional":
        why = f": {report.note}" if report.note else ""
        yield Finding("warning", "timing-method", f"timed by text length only{why}", slug)
    elif report.note:
        yield Finding("warning", "timing-method", f"{report.label} timing: {report.note}", slug)
    starts = {i + 1: s.start for i, s in enumerate(build.transcript.sentences)}
    for stretch in report.low_confidence:
        first = _first_sentence(stretch)
        yield Finding("warning", "timing-confidence", f"{report.label} timing: {stretch}", slug,
                      start=starts.get(first) if first else None)


def _first_sentence(stretch: str) -> int | None:
    """The first sentence number of a report line ("sentences 12–14 (…)")."""
    head = stretch.split("(")[0].replace("sentences", "").replace("sentence", "").strip()
    number = head.split("–")[0].strip()
    return int(number) if number.isdigit() else None


def published_feeds(show: Show) -> list[Finding]:
    """:func:`toolkit.lint.lint_show` on the show config and what ``toolkit publish``
    wrote to ``feeds/`` (run by ``toolkit check`` without a slug)."""
    from ..lint import lint_show

    findings = []
    for issue in lint_show(show):
        path = Path(issue.path)
        shown = str(path.relative_to(show.root)) if path.is_relative_to(show.root) else issue.path
        where = f"{issue.where}: " if issue.where else ""
        findings.append(Finding(issue.severity, "published", f"{shown}: {where}{issue.message}"))
    return findings


EPISODE_CHECKS: list[EpisodeCheck] = [cue_qc, timing_confidence]
SHOW_CHECKS: list[ShowCheck] = []


def run_checks(
    show: Show, episodes: Sequence[Episode], progress: Callable[[str], None] | None = None
) -> tuple[list[Finding], dict[str, int]]:
    """All findings for ``episodes`` (episode checks, then show checks) and the
    number of cues checked per episode."""
    from .. import pipeline

    findings: list[Finding] = []
    cue_counts: dict[str, int] = {}
    for episode in episodes:
        build = pipeline.build_source(show, episode, progress or (lambda _: None))
        cue_counts[episode.slug] = len(build.cues)
        for check in EPISODE_CHECKS:
            findings.extend(check(show, build))
    for show_check in SHOW_CHECKS:
        findings.extend(show_check(show, episodes))
    return findings, cue_counts


def summary(findings: Sequence[Finding], cue_counts: dict[str, int]) -> str:
    """``3 episodes, 512 cues: 1 error, 40 warnings (cps-target 38, short 2); 99.8 % of cues error-free``."""
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    cues = sum(cue_counts.values())
    bad_cues = {(f.episode, f.cue) for f in findings if f.severity == "error" and f.cue}
    by_rule = Counter(f.rule for f in findings)
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items()))
    clean = 100.0 * (cues - len(bad_cues)) / cues if cues else 100.0
    text = (f"{len(cue_counts)} episode(s), {cues} cues: {errors} error(s), {warnings} warning(s)"
            + (f" ({rules})" if rules else "") + f"; {clean:.1f} % of cues error-free")
    return text


@click.command("check")
@click.argument("slug", required=False)
@root_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(slug: str | None, root: Path, strict: bool) -> None:
    """Check episodes against the subtitle guidelines (one line per problem).

    \b
    Examples:
      toolkit check                 # every episode, then the published feeds/
      toolkit check the-bridge      # one episode
      toolkit check --strict        # warnings fail too
    """
    show = config.load_show(root)
    episodes = [config.load_episode(show, slug)] if slug else config.load_episodes(show)
    with progress_bar(total=len(episodes), description="checking") as step:
        findings, counts = run_checks(show, episodes, step)
    if not slug:  # the whole show: also lint the published feeds (toolkit.lint)
        findings.extend(published_feeds(show))
    for finding in findings:
        console.print(render(finding), highlight=False, markup=False, soft_wrap=True)
    console.print(summary(findings, counts), highlight=False, markup=False, soft_wrap=True)
    errors = sum(1 for f in findings if f.severity == "error")
    if errors or (strict and findings):
        raise LintError(f"{errors} error(s), {len(findings) - errors} warning(s)"
                        + (" (--strict)" if strict and not errors else ""))


COMMANDS: list[click.Command] = [check]
