"""One record for every problem any check reports: :class:`Finding`.

The subtitle QC rules (:mod:`toolkit.segment.qc`), the feed and site lint
(:mod:`toolkit.check.lint`) and the episode checks of ``toolkit check``
(:mod:`toolkit.check`) all produce it; the CLI only renders it.  It lives on the
ground floor beside the model because the segment stage computes QC findings
and the source-build cache stores them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding", "SEVERITIES"]

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """One problem: what (``rule``, ``message``), how bad, and where.

    Where is whichever applies: an episode slug and a cue (id, start in ms,
    position in the cue list) for a subtitle problem; a file ``path`` and an
    element (``where``, e.g. ``item 'ep-one'``) for a published or
    configuration file.
    """

    severity: str  # "error" | "warning"
    rule: str
    message: str
    episode: str | None = None  # slug; None for show-level findings
    cue: str | None = None  # cue id
    start: int | None = None  # ms
    index: int | None = None  # position in the cue list
    path: str | None = None  # the file the finding is about
    where: str | None = None  # an element of that file

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        """``error: feeds/feed.xml: item 'x': bad`` (the lint form), or
        ``error: cue ep-1: line-too-long: …`` for a cue."""
        if self.path is not None:
            where = f" {self.where}:" if self.where else ""
            return f"{self.severity}: {self.path}:{where} {self.message}"
        cue = f" cue {self.cue}:" if self.cue else ""
        return f"{self.severity}:{cue} {self.rule}: {self.message}"
