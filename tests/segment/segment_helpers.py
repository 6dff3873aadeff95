"""Build timed model objects for the segmentation tests (no ingest/timing needed)."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.model import Sentence, Transcript, Turn, Word


def timed_sentences(texts: Sequence[str], *, start: int = 0, cps: float = 15.0, pause: int = 300,
                    line: int = 1) -> tuple[list[Sentence], int]:
    """Sentences spoken at ``cps`` characters a second with ``pause`` ms between them."""
    out: list[Sentence] = []
    t = start
    for k, text in enumerate(texts):
        dur = max(200, int(len(text) / cps * 1000))
        out.append(Sentence(text, t, t + dur, line=line + k))
        t += dur + pause
    return out, t


def transcript(turns: Sequence[tuple[str | None, Sequence[str]]], *, lang: str = "en", cps: float = 15.0,
               pause: int = 300, chapters: Sequence[int | None] | None = None) -> Transcript:
    """A transcript from ``[(speaker, [sentence, ...]), ...]``, timed at ``cps``."""
    t = 0
    out: list[Turn] = []
    line = 1
    for n, (speaker, texts) in enumerate(turns):
        sents, t = timed_sentences(texts, start=t, cps=cps, pause=pause, line=line)
        line += len(texts)
        out.append(Turn(speaker, tuple(sents), chapter=chapters[n] if chapters else None))
    return Transcript(lang, tuple(out))


def with_words(text: str, start: int, word_ms: int, *, pauses: dict[int, int] | None = None) -> Sentence:
    """A sentence with per-word timings: each word ``word_ms`` long, plus
    ``pauses[k]`` ms of silence before word ``k``."""
    words = []
    t = start
    for k, w in enumerate(text.split()):
        t += (pauses or {}).get(k, 0)
        words.append(Word(w, t, t + word_ms))
        t += word_ms
    return Sentence(text, start, words[-1].end, words=tuple(words))
