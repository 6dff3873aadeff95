"""Subtitle profiles: the guideline numbers segmentation and QC work to.

The defaults are Netflix's English template (the reference's ``netflix-en``
profile): 42 characters × 2 lines, 17 cps target / 20 cps hard limit,
833 ms – 7 s per cue, 2 frames (80 ms) between cues with gaps under 0.5 s
chained down to exactly that.  :meth:`Profile.for_language` applies the
per-language limits of Subtitle Edit's Netflix checker, which matter for
machine-translated targets (a zh cue holds 16 characters a line, not 42).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

__all__ = ["Profile", "LANGUAGE_LIMITS", "DEFAULT_PROFILE"]

# base language → (characters per line, hard reading speed in cps).  Subtitle
# Edit's Netflix table; every language not listed gets (42, 17).
LANGUAGE_LIMITS: dict[str, tuple[int, float]] = {
    "en": (42, 20.0),
    "ar": (42, 20.0),
    "hi": (42, 22.0),
    "ko": (16, 12.0),
    "zh": (16, 9.0),
    "ja": (23, 4.0),
    "th": (35, 17.0),
}
_OTHER_LIMITS: tuple[int, float] = (42, 17.0)


@dataclass(frozen=True, slots=True)
class Profile:
    """Guideline limits for one subtitle style (times in ms).

    ``target_cps`` is the reading speed segmentation aims for (QC warning above
    it); ``max_cps`` the hard limit (QC error above it).  ``chain_gap``: gaps
    shorter than this are closed to exactly ``min_gap`` ("chaining"); longer
    gaps are real pauses and kept.  ``linger``: how long a cue may stay up after
    the speech ends (to reach the minimum duration or the target cps).
    ``lead_in``: how far a cue may start before its speech, into a pause, to
    stay under the hard reading speed (BBC tolerates 1.5 s of asynchrony;
    Netflix wants the first frame of speech, so this stays small).
    ``per_language``: let :meth:`for_language` apply :data:`LANGUAGE_LIMITS`.
    """

    name: str = "netflix-en"
    max_chars: int = 42
    max_lines: int = 2
    target_cps: float = 17.0
    max_cps: float = 20.0
    min_duration: int = 833
    preferred_min_duration: int = 1000
    max_duration: int = 7000
    min_gap: int = 80
    chain_gap: int = 500
    linger: int = 500
    lead_in: int = 250
    count_spaces: bool = True
    per_language: bool = True

    def for_language(self, lang: str | None) -> Profile:
        """This profile with ``lang``'s line length and reading speed applied.

        The line limit never grows past this profile's own (a 32-character
        profile stays 32 for Spanish); the reading speed comes from the table,
        and the target never exceeds the hard limit.
        """
        if not self.per_language or not lang:
            return self
        return _for_language(self, lang)

    def cps(self, text: str, duration_ms: int) -> float:
        """Reading speed of ``text`` (one line, no breaks) shown for ``duration_ms``."""
        chars = len(text) if self.count_spaces else len(text.replace(" ", ""))
        if duration_ms <= 0:
            return float("inf") if chars else 0.0
        return chars * 1000.0 / duration_ms


@lru_cache(maxsize=256)
def _for_language(profile: Profile, lang: str) -> Profile:
    """:meth:`Profile.for_language`, once per (profile, language): profiles are frozen values."""
    base = lang.replace("_", "-").split("-")[0].lower()
    chars, hard = LANGUAGE_LIMITS.get(base, _OTHER_LIMITS)
    if base == "en" and profile.max_cps != 20.0:
        hard = profile.max_cps  # an explicitly customised English profile wins
    return replace(
        profile,
        max_chars=min(profile.max_chars, chars),
        max_cps=hard,
        target_cps=min(profile.target_cps, hard),
        per_language=False,
    )


DEFAULT_PROFILE = Profile()
