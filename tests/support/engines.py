"""An engine wrapper for tests and benchmarks: counts what reaches the real engine."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.errors import EngineError
from toolkit.translate.engine import Engine

__all__ = ["CountingEngine"]


class CountingEngine(Engine):
    """Wraps an engine and counts calls and sentences (republish must make none)."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.name = inner.name
        self.machine = inner.machine
        self.calls = 0
        self.sentences = 0

    def available(self, src: str, tgt: str) -> bool:
        return self.inner.available(src, tgt)

    def install_hint(self, src: str, tgt: str) -> str:
        return self.inner.install_hint(src, tgt)

    def require(self, src: str, tgt: str) -> None:
        self.inner.require(src, tgt)

    def model_version(self, src: str, tgt: str) -> str:
        return self.inner.model_version(src, tgt)

    def label(self, src: str, tgt: str) -> str:
        return self.inner.label(src, tgt)

    def placeholder(self, n: int) -> str:
        return self.inner.placeholder(n)

    def repair_placeholders(self, protected: str, output: str) -> str:
        return self.inner.repair_placeholders(protected, output)

    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        self.calls += 1
        self.sentences += len(sentences)
        out = self.inner.translate_batch(sentences, src, tgt)
        if len(out) != len(sentences):  # an engine bug must never shift text between cues
            raise EngineError(f"{self.name}: returned {len(out)} translations for {len(sentences)} sentences")
        return out
