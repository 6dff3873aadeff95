"""Helpers shared by the translation tests (a show and a hand-made SourceBuild)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.model import Chapter, Cue, Episode, Sentence, Show, Transcript, Turn


def make_show(root: Path, **kw: object) -> Show:
    root.mkdir(parents=True, exist_ok=True)
    args: dict[str, object] = dict(
        root=root, title="Field Notes", description="Short stories about how things are made.",
        author="Studio", owner_name="Ana", owner_email="ana@example.org",
        base_url="https://example.org/fn", language="en", categories=(), image=root / "cover.png",
        target_languages=("es",), engines={},
    )
    args.update(kw)
    return Show(**args)  # type: ignore[arg-type]


SENTENCES = [
    "Welcome to the show.",  # 0: cue 0 with sentence 1
    "Today we talk about bridges.",  # 1
    "Anna grew up in a small village near the river, and her father was a carpenter who built boats.",  # 2: cues 1-2
    "Questions & answers <here>.",  # 3: cue 3
    "Snake_case stays.",  # 4: cue 4 with 5
    "Thank you!",  # 5
]


def make_source(show: Show, sentences: list[str] | None = None, slug: str = "ep1"):  # type: ignore[no-untyped-def]
    """A SourceBuild with a hand-made many-to-many cue ↔ sentence structure."""
    from toolkit import timing
    from toolkit.pipeline import SourceBuild

    s = list(sentences or SENTENCES)
    sent = tuple(Sentence(t, start=i * 4000, end=i * 4000 + 3500) for i, t in enumerate(s))
    transcript = Transcript("en", (Turn("Ana", sent[:3], chapter=0), Turn("Li", sent[3:], chapter=1)),
                            chapters=(Chapter("Introduction", 0), Chapter("Credits", 12000)))
    words2 = s[2].split()
    half = len(words2) // 2
    cues = (
        Cue("c0", 0, 7500, (s[0], s[1]), speaker="Ana", speaker_change=True, chapter=0, sentences=(0, 1)),
        Cue("c1", 8000, 9700, (" ".join(words2[:half]),), speaker="Ana", chapter=0, sentences=(2,)),
        Cue("c2", 9700, 11500, (" ".join(words2[half:]),), speaker="Ana", chapter=0, sentences=(2,)),
        Cue("c3", 12000, 15500, (s[3],), speaker="Li", speaker_change=True, chapter=1, sentences=(3,)),
        Cue("c4", 16000, 23500, (s[4] + " " + s[5],), speaker="Li", chapter=1, sentences=(4, 5)),
    )
    episode = Episode(slug=slug, title="The Bridge", date=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc),
                      description="How a village got its bridge.\nSecond paragraph.",
                      audio=show.root / "a.mp3", transcript=show.root / "t.txt", folder=show.root)
    audio = timing.AudioInfo(path=show.root / "a.mp3", duration_ms=24000, size=1, mime="audio/mpeg")
    return SourceBuild(episode, transcript, audio, timing.AlignmentReport("timed-input"), cues, ())
