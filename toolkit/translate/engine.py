"""The small engine interface every translation engine implements.

An engine translates *sentences* (one output per input, same order).  It never
sees cues: :mod:`toolkit.translate.redistribute` maps translated sentences back
onto cues, and :mod:`toolkit.translate.memory` makes sure an engine only ever
sees sentences that are not already in the translation memory.

Engines register themselves in :mod:`toolkit.translate.registry`, which
picks one per show or language from ``show.engines``.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence

from ..errors import EngineError

log = logging.getLogger(__name__)

class Engine(ABC):
    """One translation engine (argos, apertium, bergamot, pseudo)."""

    #: registry name, as written in show.toml
    name: str = ""
    #: True for real machine translation (disclosed as such); False for pseudo
    machine: bool = True

    @abstractmethod
    def available(self, src: str, tgt: str) -> bool:
        """True when this engine can translate ``src`` → ``tgt`` right now."""

    @abstractmethod
    def install_hint(self, src: str, tgt: str) -> str:
        """How a user makes ``src`` → ``tgt`` available (a command to run)."""

    def require(self, src: str, tgt: str) -> None:
        """Raise :class:`EngineError` naming the install command unless available."""
        if not self.available(src, tgt):
            raise EngineError(
                f"{self.name}: no {src} → {tgt} translation installed",
                hint=self.install_hint(src, tgt),
            )

    @abstractmethod
    def model_version(self, src: str, tgt: str) -> str:
        """A string that changes whenever the model's output could change
        (it is part of the translation-memory key).  Must be cheap: it is
        called on the republish path, which loads no model."""

    def label(self, src: str, tgt: str) -> str:
        """Human-readable engine + model for the disclosure notes."""
        return f"{self.name} {src}-{tgt} {self.model_version(src, tgt)}"

    def placeholder(self, n: int) -> str:
        """The ``n``-th placeholder (from 1) a glossary term is replaced by before
        translation (:mod:`toolkit.translate.glossary`): a token this engine copies
        through unchanged.  ``ZQX1``: no model or dictionary knows it, so neural
        models copy it like a name and Apertium (``-u``) passes it as an unknown word."""
        return f"ZQX{n}"

    def repair_placeholders(self, protected: str, output: str) -> str:
        """Undo what this engine does around placeholders (``protected``: the
        sentence it was given); the default changes nothing."""
        return output

    @abstractmethod
    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        """Translate every sentence; exactly one output per input, same order."""


