"""Glossary and protected terms, for every engine.

A show's glossary (``[translation.glossary]`` in show.toml, the record
:class:`toolkit.model.Glossary`) has terms that are never translated
(``keep``; the show title and the episode's speaker names and display names
are added unless ``protect_names = false``) and, per target language, terms
with a forced translation.  Terms are matched case-sensitively, as whole
words (a term inside a longer word is not one), longest first.

How an engine is kept off a term: before a sentence reaches the engine each
term in it is replaced by a *placeholder* the engine copies through
(:meth:`Engine.placeholder`, default ``ZQX1``, ``ZQX2``…: a token no model
or dictionary knows, so argos and Bergamot copy it as a name and Apertium
passes it through as an unknown word in its ``-u`` mode; pseudo-localization
keeps ``{ZQX1}`` verbatim, as it keeps every ``{placeholder}``).  After the
engine, each placeholder is replaced by the term's target text (the term
itself, or its forced translation).  Measured on the installed engines
(see bench/RESULTS.md): Bergamot turns ``{1}`` and ``⟦1⟧`` into ``1o``, but
copies ``ZQX1``; Apertium translates ``[Field Notes]`` (brackets are text in
its txt format) but copies ``ZQX1``.

When an engine drops, repeats or changes a placeholder the sentence is
translated again without placeholders (what the engine makes of the term
itself), and the problem is reported.  Every translation — new or from the
memory — is checked for each expected term's target text; a missing one is
a warning naming the cue.

The glossary is part of the translation-memory key, per sentence: the
engine's model string gains ``glossary=<hash of the terms found in the
sentence>``, so a glossary change re-translates exactly the sentences that
contain a changed term (a sentence without a term keeps its plain key).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import Show

__all__ = ["Term", "TermSet", "terms_for", "protect", "restore", "missing_terms"]


@dataclass(frozen=True, slots=True)
class Term:
    source: str
    target: str  # == source for a kept term

    @property
    def kept(self) -> bool:
        return self.source == self.target


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _bounded(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is not part of a longer word."""
    if start > 0 and _word_char(text[start - 1]) and _word_char(text[start]):
        return False
    return not (end < len(text) and _word_char(text[end]) and _word_char(text[end - 1]))


def _occurrences(text: str, needle: str) -> Iterable[int]:
    at = text.find(needle)
    while at >= 0:
        if _bounded(text, at, at + len(needle)):
            yield at
        at = text.find(needle, at + len(needle))


class TermSet:
    """The terms of one target language (forced translations win over kept terms)."""

    def __init__(self, terms: Iterable[Term]) -> None:
        by_source: dict[str, Term] = {}
        for t in terms:
            if t.source.strip() and (t.source not in by_source or not t.kept):
                by_source[t.source] = t
        self.terms = tuple(sorted(by_source.values(), key=lambda t: (-len(t.source), t.source)))

    def __bool__(self) -> bool:
        return bool(self.terms)

    @staticmethod
    def _hash(terms: Iterable[Term]) -> str:
        data = "\n".join(sorted(f"{t.source}\t{t.target}" for t in terms))
        return hashlib.sha1(data.encode("utf-8")).hexdigest()[:12]

    @property
    def digest(self) -> str:
        """A hash of every term ("" when there are none): part of the published-cues key."""
        return self._hash(self.terms) if self.terms else ""

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping ``(start, end, term)`` in ``text``, in text order (longest terms first)."""
        taken: list[tuple[int, int, Term]] = []
        for term in self.terms:
            if term.source not in text:
                continue
            for at in _occurrences(text, term.source):
                end = at + len(term.source)
                if all(end <= a or at >= b for a, b, _ in taken):
                    taken.append((at, end, term))
        return sorted(taken, key=lambda x: x[0])

    def key_for(self, text: str) -> str:
        """The memory-key part of ``text``: a hash of the terms it contains ("" for none)."""
        found = {t for _, _, t in self.find(text)}
        return self._hash(found) if found else ""


def terms_for(show: Show, lang: str, names: Iterable[str] = ()) -> TermSet:
    """The terms for translating into ``lang``: the glossary's, and (unless
    ``protect_names`` is false) the show title and ``names`` (speakers)."""
    g = show.glossary
    kept = list(g.keep)
    if g.protect_names:
        kept += [show.title, *names]
    return TermSet([*(Term(" ".join(k.split()), " ".join(k.split())) for k in kept if k and k.strip()),
                    *(Term(a, b) for a, b in g.forced_for(lang))])


def protect(text: str, terms: TermSet, placeholder: Callable[[int], str]) -> tuple[str, list[tuple[str, Term]]]:
    """``text`` with each term replaced by a numbered placeholder, and the slots to restore."""
    out: list[str] = []
    slots: list[tuple[str, Term]] = []
    pos = 0
    for start, end, term in terms.find(text):
        token = placeholder(len(slots) + 1)
        out += [text[pos:start], token]
        slots.append((token, term))
        pos = end
    out.append(text[pos:])
    return "".join(out), slots


def _find_token(text: str, token: str) -> list[int]:
    low, tok = text.lower(), token.lower()
    return [i for i in _occurrences(low, tok)]


def restore(text: str, slots: Sequence[tuple[str, Term]]) -> tuple[str | None, list[Term]]:
    """The engine's output with each placeholder replaced by its term's target
    (case-insensitively: an engine may change a placeholder's case); ``None``
    and the terms whose placeholder is missing or repeated when any is."""
    bad = [term for token, term in slots if len(_find_token(text, token)) != 1]
    if bad:
        return None, bad
    for token, term in sorted(slots, key=lambda s: -len(s[0])):  # ZQX12 before ZQX1
        at = _find_token(text, token)[0]
        text = text[:at] + term.target + text[at + len(token):]
    return text, []


def missing_terms(source: str, output: str, terms: TermSet) -> list[Term]:
    """The terms of ``source`` whose target text is not in ``output``."""
    return [t for t in dict.fromkeys(t for _, _, t in terms.find(source)) if t.target not in output]
