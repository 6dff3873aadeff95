"""Hypothesis strategies and tiny writers for the SRT/WebVTT round-trip tests.

Each generated cue holds exactly one sentence (capitalised first word, full
stop at the end, no abbreviations), so after parsing every sentence must carry
its cue's text and times exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from toolkit.ingest.sentences import NEVER_SPLIT_AFTER, SPLIT_UNLESS_NUMBER

SPEAKERS = ["ANA", "Li", "Sara Lind", "Dr. Okafor"]


@dataclass(frozen=True)
class GenCue:
    speaker: str | None  # None = no label (the previous speaker continues)
    text: str
    start: int
    end: int


def _word(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=3, max_size=8).filter(
        lambda w: w.lower() not in NEVER_SPLIT_AFTER and w.lower() not in SPLIT_UNLESS_NUMBER
    )


def sentences(extra: str = "") -> st.SearchStrategy[str]:
    """One sentence; ``extra`` characters may appear inside later words."""
    first = _word("abcdefghijklmnopqrstuvwxyz").map(str.capitalize)
    rest = st.lists(_word("abcdefghijklmnopqrstuvwxyz" + extra), max_size=6)
    return st.tuples(first, rest).map(lambda fr: " ".join([fr[0], *fr[1]]) + ".")


@st.composite
def cue_lists(draw: st.DrawFn, extra: str = "") -> list[GenCue]:
    n = draw(st.integers(min_value=1, max_value=8))
    t = draw(st.integers(min_value=0, max_value=5_000_000))
    cues = []
    for _ in range(n):
        t += draw(st.integers(min_value=0, max_value=5_000))
        duration = draw(st.integers(min_value=0, max_value=10_000))
        speaker = draw(st.one_of(st.none(), st.sampled_from(SPEAKERS)))
        cues.append(GenCue(speaker, draw(sentences(extra)), t, t + duration))
        t += duration
    return cues


def expected_turns(cues: list[GenCue]) -> list[tuple[str | None, list[tuple[str, int, int]]]]:
    """Runs of one speaker (labels carry forward) with their sentences."""
    turns: list[tuple[str | None, list[tuple[str, int, int]]]] = []
    speaker: str | None = None
    for cue in cues:
        speaker = cue.speaker or speaker
        if not turns or turns[-1][0] != speaker:
            turns.append((speaker, []))
        turns[-1][1].append((cue.text, cue.start, cue.end))
    return turns


def _clock(ms: int, sep: str, hours: bool = True) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return (f"{h:02d}:" if hours or h else "") + f"{m:02d}:{s:02d}{sep}{ms:03d}"


def write_srt(cues: list[GenCue], *, crlf: bool = False, numbered: bool = True) -> str:
    blocks = []
    for k, cue in enumerate(cues, 1):
        text = f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text
        head = [str(k)] if numbered else []
        blocks.append("\n".join([*head, f"{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}", text]))
    out = "\n\n".join(blocks) + "\n"
    return out.replace("\n", "\r\n") if crlf else out


def escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(cues: list[GenCue], *, short_clock: bool = False, notes: bool = False) -> str:
    blocks = ["WEBVTT"]
    for k, cue in enumerate(cues, 1):
        if notes and k % 2:
            blocks.append(f"NOTE cue {k} follows\nsecond note line")
        text = escape_vtt(cue.text)
        if cue.speaker:
            text = f"<v {cue.speaker}>{text}" + ("</v>" if k % 2 else "")
        timing = f"{_clock(cue.start, '.', not short_clock)} --> {_clock(cue.end, '.', not short_clock)}"
        blocks.append(f"c{k}\n{timing} align:start\n{text}")
    return "\n\n".join(blocks) + "\n"
