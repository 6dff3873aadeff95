"""QC: every cue outside the guidelines, with the rule and the reason.

Severities: ``error`` breaks a hard rule (too long a line, too many lines,
reading speed above the hard limit, duration outside [min, max], a gap under 2
frames, an overlap, an empty cue, an id that is not a valid WebVTT cue
identifier or is repeated); ``warning`` is advice (reading speed above the
target, a cue shorter than the preferred 1 s).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..findings import Finding
from ..model import Cue
from .profile import DEFAULT_PROFILE, Profile

__all__ = ["check", "RULES"]

# rule → default severity (documentation, and what `toolkit check` lists).
RULES: dict[str, str] = {
    "empty": "error",
    "bad-id": "error",
    "duplicate-id": "error",
    "bad-timing": "error",
    "bad-line": "error",
    "line-too-long": "error",
    "too-many-lines": "error",
    "cps-hard": "error",
    "cps-target": "warning",
    "too-short": "error",
    "short": "warning",
    "too-long": "error",
    "overlap": "error",
    "gap-too-small": "error",
}


def _cps(value: float, limit: float) -> str:
    # One decimal, unless that would print the limit itself ("17.0 > 17").
    text = f"{value:.1f}"
    return f"{value:.2f}" if float(text) <= limit else text


def _ms(ms: int) -> str:
    return f"{ms / 1000:.3f} s"


def check(cues: Sequence[Cue], *, lang: str, profile: Profile | None = None) -> list[Finding]:
    """Every cue outside the guidelines of ``profile`` for ``lang`` (in cue order)."""
    prof = (profile or DEFAULT_PROFILE).for_language(lang)
    issues: list[Finding] = []
    seen: set[str] = set()
    prev: Cue | None = None
    for n, cue in enumerate(cues):
        found = _form(cue, seen, prof) + _duration(cue, prof)
        if prev is not None:
            found += _sequence(cue, prev, prof)
        issues.extend(Finding(RULES[rule], rule, message, cue=cue.id, start=cue.start, index=n)
                      for rule, message in found)
        seen.add(cue.id)
        prev = cue
    return issues


def _form(cue: Cue, seen: set[str], prof: Profile) -> list[tuple[str, str]]:
    """The cue's id, text, lines and timing order: ``(rule, message)`` pairs."""
    out: list[tuple[str, str]] = []
    if not cue.id or "-->" in cue.id or "\n" in cue.id or "\r" in cue.id:
        out.append(("bad-id", f"id {cue.id!r} is not a valid WebVTT cue identifier"))
    elif cue.id in seen:
        out.append(("duplicate-id", f"id {cue.id!r} is used by an earlier cue"))
    if not cue.text.strip() or not any(line.strip() for line in cue.lines):
        out.append(("empty", "cue has no text"))
    if any("\n" in line or "\r" in line for line in cue.lines):
        out.append(("bad-line", "a line contains a line break"))
    if cue.end <= cue.start:
        out.append(("bad-timing", f"ends ({_ms(cue.end)}) at or before it starts ({_ms(cue.start)})"))
    for k, line in enumerate(cue.lines, 1):
        if len(line) > prof.max_chars:
            out.append(("line-too-long", f"line {k} has {len(line)} characters (max {prof.max_chars})"))
    if len(cue.lines) > prof.max_lines:
        out.append(("too-many-lines", f"{len(cue.lines)} lines (max {prof.max_lines})"))
    return out


def _duration(cue: Cue, prof: Profile) -> list[tuple[str, str]]:
    """Reading speed and display time: ``(rule, message)`` pairs."""
    out: list[tuple[str, str]] = []
    text = cue.text.strip()
    dur = cue.end - cue.start
    if dur > 0 and text:
        cps = prof.cps(text, dur)
        if cps > prof.max_cps:
            out.append(("cps-hard", f"reading speed {_cps(cps, prof.max_cps)} cps (max {prof.max_cps:g})"))
        elif cps > prof.target_cps:
            out.append(("cps-target",
                        f"reading speed {_cps(cps, prof.target_cps)} cps (target {prof.target_cps:g})"))
    if 0 < dur < prof.min_duration:
        out.append(("too-short", f"lasts {_ms(dur)} (min {_ms(prof.min_duration)})"))
    elif prof.min_duration <= dur < prof.preferred_min_duration:
        out.append(("short", f"lasts {_ms(dur)} (preferred at least {_ms(prof.preferred_min_duration)})"))
    if dur > prof.max_duration:
        out.append(("too-long", f"lasts {_ms(dur)} (max {_ms(prof.max_duration)})"))
    return out


def _sequence(cue: Cue, prev: Cue, prof: Profile) -> list[tuple[str, str]]:
    """The cue against the one before it: overlap, gap, order."""
    out: list[tuple[str, str]] = []
    gap = cue.start - prev.end
    if gap < 0:
        out.append(("overlap", f"starts {-gap} ms before cue {prev.id} ends"))
    elif gap < prof.min_gap:
        out.append(("gap-too-small", f"{gap} ms after cue {prev.id} (min {prof.min_gap} ms)"))
    if cue.start < prev.start:
        out.append(("bad-timing", f"starts before the previous cue {prev.id} (cues out of order)"))
    return out
