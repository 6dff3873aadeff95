"""Checks in one place: every problem any check finds is one :class:`Finding`.

``toolkit check`` runs the source stages (ingest → timing → segment) through
:func:`toolkit.pipeline.build_source`, then every function in
:data:`EPISODE_CHECKS` on each episode and every function in
:data:`SHOW_CHECKS` on the show, and, for the whole show, the lint of what
was published (:mod:`.lint`).  To add a check, append a function to one of the
lists; it returns :class:`Finding` objects and never prints (the CLI renders).

The subtitle QC rules themselves are part of segmenting
(:mod:`toolkit.segment.qc`: they run, and are cached, with every build);
:func:`cue_qc` reports them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .. import pipeline
from ..build import SourceBuild
from ..findings import Finding
from ..model import Episode, Show
from .lint import lint_show

__all__ = ["Finding", "EpisodeCheck", "ShowCheck", "EPISODE_CHECKS", "SHOW_CHECKS", "cue_qc", "timing_confidence",
           "published_feeds", "run_checks", "summary", "lint_show"]

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
    """:func:`toolkit.check.lint.lint_show` on the show config and what ``toolkit publish``
    wrote to ``feeds/`` (run by ``toolkit check`` without a slug)."""
    findings = []
    for issue in lint_show(show):
        path = Path(issue.path or show.root)
        shown = str(path.relative_to(show.root)) if path.is_relative_to(show.root) else str(path)
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
