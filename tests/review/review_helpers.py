"""Helpers shared by the review tests (a module, not conftest, so tests can import it)."""

from __future__ import annotations

from pathlib import Path

from toolkit.model import Cue
from toolkit.review.store import Store, merge_machine, save_store

SLUG = "ep-test"

SOURCE_TEXTS = [
    ("Anna", "Welcome back to the workshop."),
    ("Anna", "Today: R&D costs < 5% of the budget > none."),
    ("Ben", "I brought the old clock from my grandmother."),
    ("Ben", "It stopped the day she moved out."),
    ("Anna", "Let's open it and see what is inside."),
    ("Anna", "Careful with the spring, it bites."),
]


def make_cues(texts: list[tuple[str | None, str]] = SOURCE_TEXTS, *, prefix: str = SLUG) -> tuple[Cue, ...]:
    """Cues 2 s apart, 1.8 s long, ids ``<prefix>-0001``…"""
    out = []
    previous = None
    for i, (speaker, text) in enumerate(texts, 1):
        out.append(Cue(id=f"{prefix}-{i:04d}", start=i * 2000, end=i * 2000 + 1800, lines=(text,),
                       speaker=speaker, speaker_change=speaker != previous))
        previous = speaker
    return tuple(out)


def machine_for(cues: tuple[Cue, ...], tag: str = "máquina") -> dict[str, str]:
    return {c.id: f"{tag} {c.id[-1]} «{c.text[:12]}»" for c in cues}


def build_store(cues: tuple[Cue, ...], path: Path, previous: Store | None = None) -> Store:
    store, _ = merge_machine(previous, slug=SLUG, source_lang="en", lang="es", source_cues=cues,
                             machine=machine_for(cues), engine="apertium", model="eng-spa 0.8.1")
    save_store(store, path)
    return store
