"""check(): every rule fires on a cue that breaks it, and only there."""

from __future__ import annotations

import pytest

from toolkit import segment
from toolkit.model import Cue
from toolkit.segment import Profile


def _cue(n: int, start: int, end: int, *lines: str, cid: str | None = None) -> Cue:
    return Cue(cid or f"ep-{n:08x}", start, end, tuple(lines))


def _rules(cues: list[Cue], lang: str = "en", **kw: object) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for issue in segment.check(cues, lang=lang, **kw):
        out.setdefault(issue.rule, []).append((issue.cue, issue.severity))
    return out


def test_clean_cues_have_no_issues() -> None:
    cues = [_cue(1, 0, 2500, "A short and clean cue."), _cue(2, 2580, 5000, "Another one,", "on two lines.")]
    assert segment.check(cues, lang="en") == []


@pytest.mark.parametrize(("cue", "rule", "severity"), [
    (_cue(1, 0, 3000, "x" * 43), "line-too-long", "error"),
    (_cue(1, 0, 3000, "one", "two", "three"), "too-many-lines", "error"),
    (_cue(1, 0, 1000, "This has far too many characters for one s"), "cps-hard", "error"),
    (_cue(1, 0, 2000, "Thirty-six characters of text here!"), "cps-target", "warning"),
    (_cue(1, 0, 500, "Hi."), "too-short", "error"),
    (_cue(1, 0, 900, "Hi."), "short", "warning"),
    (_cue(1, 0, 7500, "Long."), "too-long", "error"),
    (_cue(1, 0, 1000, ""), "empty", "error"),
    (_cue(1, 1000, 1000, "Zero."), "bad-timing", "error"),
    (_cue(1, 0, 1000, "Id.", cid="bad-->id"), "bad-id", "error"),
    (_cue(1, 0, 1000, "a\nb"), "bad-line", "error"),
])
def test_each_rule(cue: Cue, rule: str, severity: str) -> None:
    found = _rules([cue])
    assert found.get(rule) == [(cue.id, severity)], found


def test_gap_overlap_duplicate() -> None:
    a = _cue(1, 0, 2000, "First cue here.")
    b = _cue(2, 2040, 4000, "Too close.")
    c = _cue(3, 3900, 6000, "Overlapping.")
    d = _cue(4, 7000, 9000, "Duplicate.", cid=a.id)
    found = _rules([a, b, c, d])
    assert found["gap-too-small"] == [(b.id, "error")]
    assert found["overlap"] == [(c.id, "error")]
    assert found["duplicate-id"] == [(a.id, "error")]


def test_exactly_two_frames_is_fine() -> None:
    assert segment.check([_cue(1, 0, 2000, "One."), _cue(2, 2080, 4000, "Two.")], lang="en") == []


def test_per_language_limits() -> None:
    zh = _cue(1, 0, 3000, "贵州省在全国排名第一，原因有二首")  # 16 chars: fits zh
    assert "line-too-long" not in _rules([zh], lang="zh")
    zh17 = _cue(1, 0, 3000, "贵州省在全国排名第一，原因有二首先")
    assert _rules([zh17], lang="zh")["line-too-long"][0][1] == "error"
    # 30 chars in 3 s = 10 cps: fine in English, above zh's 9 cps hard limit.
    assert _rules([_cue(1, 0, 3000, "x" * 30)], lang="zh")["cps-hard"]
    assert "cps-hard" not in _rules([_cue(1, 0, 3000, "x" * 30)], lang="en")
    # 18 cps: a warning in English (hard 20) but an error in Spanish (17).
    eighteen = [_cue(1, 0, 2000, "x" * 36)]
    assert _rules(eighteen, lang="en")["cps-target"] == [(eighteen[0].id, "warning")]
    assert _rules(eighteen, lang="es")["cps-hard"] == [(eighteen[0].id, "error")]


def test_profile_overrides() -> None:
    bbc = Profile(name="bbc-online", max_chars=37, per_language=False)
    assert _rules([_cue(1, 0, 3000, "y" * 40)], lang="en", profile=bbc)["line-too-long"]
    assert Profile().for_language("ja").max_chars == 23
    assert Profile().for_language("pt-BR").max_cps == 17.0
    assert Profile(max_chars=32).for_language("zh").max_chars == 16
    assert Profile(max_chars=32).for_language("es").max_chars == 32


def test_issue_carries_position() -> None:
    cues = [_cue(1, 0, 2000, "Fine."), _cue(2, 5000, 5300, "Short.")]
    issue = next(i for i in segment.check(cues, lang="en") if i.rule == "too-short")
    assert (issue.index, issue.start, issue.cue) == (1, 5000, cues[1].id)
