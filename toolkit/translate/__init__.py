"""Offline machine translation of an episode's cues, chapters and texts.

    translate_episode(show, source, lang, *, progress) -> LanguageBuild
    translate_show_texts(show, lang) -> ShowTexts

Whole sentences are translated (all sentences of the episode, in transcript
order, so a speaker turn's sentences stay together), through the translation
memory (:mod:`.memory`: ``<show root>/.toolkit/memory.sqlite``) so only new
sentences reach the engine, then redistributed over the source cues
(:mod:`.redistribute`), merged into the translations store
(``translations/<slug>/<lang>.vtt``, where human corrections always win) and
re-checked against the subtitle guidelines; guideline problems are reported
in :attr:`LanguageBuild.warnings`, never fixed by dropping text.

Engines (:mod:`.engine`): ``argos`` (default), ``apertium``, ``pseudo``;
chosen per language by ``show.engines``.  Pseudo-localization is not stored in
the translations store (it is a layout test, not a translation) and is
labelled ``pseudo=True``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import langs
from ..errors import ConfigError
from ..model import Cue, Show
from .engine import Engine, engine_name_for, get_engine
from .memory import MemoryTranslator, TranslationMemory, memory_path
from .redistribute import cue_weights, join_sentences, split_text, units

if TYPE_CHECKING:
    from ..pipeline import LanguageBuild, SourceBuild

__all__ = ["translate_episode", "translate_show_texts", "ShowTexts", "translate_texts", "get_engine"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    pass


@dataclass(frozen=True)
class ShowTexts:
    """The show's title and description in one target language."""

    title: str
    description: str
    machine: bool
    engine: str | None
    pseudo: bool


def _engine(show: Show, lang: str, engine: Engine | None) -> Engine:
    return engine if engine is not None else get_engine(engine_name_for(show, lang))


def _split_paragraphs(text: str) -> list[str]:
    return text.split("\n")


def translate_texts(show: Show, texts: Sequence[str], src: str, lang: str, *,
                    engine: Engine | None = None) -> list[str]:
    """Translate free texts (titles, descriptions) line by line through the memory."""
    eng = _engine(show, lang, engine)
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    for t in texts:
        parts = _split_paragraphs(t)
        spans.append((len(lines), len(lines) + len(parts)))
        lines.extend(parts)
    with TranslationMemory(memory_path(show.root)) as tm:
        out = MemoryTranslator(eng, tm, src, lang).translate(lines)
    return ["\n".join(out[a:b]) for a, b in spans]


def translate_show_texts(show: Show, lang: str, *, engine: Engine | None = None) -> ShowTexts:
    """The show title and description in ``lang`` (free on republish: memory)."""
    lang = langs.normalize(lang, key="target language")
    eng = _engine(show, lang, engine)
    title, description = translate_texts(show, [show.title, show.description], show.language, lang,
                                         engine=eng)
    return ShowTexts(title, description, machine=eng.machine, engine=eng.label(show.language, lang),
                     pseudo=not eng.machine)


def _wrap(text: str, lang: str) -> tuple[str, ...]:
    if not text:
        return ()
    from ..segment import wrap_lines

    return tuple(wrap_lines(text, lang=lang))


def _qc(cues: Sequence[Cue], lang: str) -> list[str]:
    from ..segment import check

    return [f"cue {i.cue}: {i.rule}: {i.message}" for i in check(tuple(cues), lang=lang)]


def machine_cue_texts(cues: Sequence[Cue], sentence_texts: Sequence[str], translate: Callable[[list[str]], list[str]],
                      lang: str) -> tuple[dict[str, str], list[str]]:
    """Translate whole sentences and redistribute them over ``cues``.

    Returns ``{cue id: translated text}`` (one line, unwrapped) and warnings.
    ``translate`` gets every segment at once (sentences in order, then the text
    of cues that name no sentence).
    """
    us = units(cues)
    loose = [u.cues[0] for u in us if not u.sentences]  # cues without sentences: translate their own text
    used = sorted({s for u in us for s in u.sentences})
    segs = [sentence_texts[s] if 0 <= s < len(sentence_texts) else "" for s in used] + [cues[i].text for i in loose]
    out = translate(segs) if segs else []
    by_sentence = dict(zip(used, out[:len(used)]))
    by_loose = dict(zip(loose, out[len(used):]))
    texts: dict[str, str] = {}
    warnings: list[str] = []
    for u in us:
        members = [cues[i] for i in u.cues]
        if u.sentences:
            joined = join_sentences([by_sentence[s] for s in u.sentences], lang)
        else:
            joined = by_loose[u.cues[0]].strip()
        parts = split_text(joined, cue_weights(members), lang)
        for cue, part in zip(members, parts):
            texts[cue.id] = part
            if not part and cue.text.strip():
                warnings.append(f"cue {cue.id}: empty after translation (the translated text of its "
                                f"{len(members)} cue(s) has too few words to share)")
    return texts, warnings


def translate_episode(show: Show, source: SourceBuild, lang: str, *,
                      progress: Progress = _noop, engine: Engine | None = None) -> LanguageBuild:
    """Translate one episode's cues, chapters, title and description into ``lang``.

    The published result is cached in the memory database under a digest of
    everything it is computed from (:func:`_published_key`); on an unchanged
    republish the cached cues, chapters, texts and warnings are returned
    without looking a single sentence up in the memory or redistributing it.
    """
    from ..pipeline import LanguageBuild

    lang = langs.normalize(lang, key="target language")
    src = source.transcript.language
    if langs.base(lang) == langs.base(src) and lang == src:
        raise ConfigError(f"cannot translate {source.episode.slug} into its own language {lang!r}")
    eng = _engine(show, lang, engine)
    slug = source.episode.slug
    progress(f"{slug}: translating into {lang} ({eng.name})")
    sentence_texts = [s.text for s in source.transcript.sentences]
    chapters = source.chapters
    episode = source.episode
    head = [c.title for c in chapters] + [episode.title, episode.description]
    eng.require(src, lang)  # an engine removed since the last publish is an error, cached or not
    model = eng.model_version(src, lang)
    label = eng.label(src, lang)
    store = None
    if eng.machine:
        from ..review.store import store_path

        store = store_path(show, slug, lang)

    def key() -> str:  # re-evaluated after the store is saved: it covers the store's bytes
        return _published_key(source, sentence_texts, head, lang, eng.name, model, store)

    with TranslationMemory(memory_path(show.root)) as tm:
        cached = _cached_published(tm, slug, lang, key(), len(source.cues), len(head))
        if cached is not None:
            lines, head_texts, warnings = cached
            log.info("%s %s: unchanged since the last publish (published cues from cache)", slug, lang)
            cues = tuple(replace(c, lines=tuple(ls)) for c, ls in zip(source.cues, lines))
        else:
            cues, head_texts, warnings = _translate_fresh(show, source, sentence_texts, head, src, lang, eng,
                                                          model, store, tm)
            tm.set_published(slug, lang, key(), json.dumps(
                {"lines": [list(c.lines) for c in cues], "head": head_texts, "warnings": warnings},
                ensure_ascii=False))
    new_chapters = tuple(replace(c, title=head_texts[i] or c.title) for i, c in enumerate(chapters))
    title, description = head_texts[len(chapters)], head_texts[len(chapters) + 1]
    for w in warnings:
        log.info("%s %s: %s", slug, lang, w)
    return LanguageBuild(lang=lang, cues=tuple(cues), chapters=new_chapters, title=title,
                         description=description, machine=eng.machine, engine=label,
                         pseudo=not eng.machine, warnings=tuple(warnings))


def _translate_fresh(show: Show, source: SourceBuild, sentence_texts: list[str], head: list[str], src: str,
                     lang: str, eng: Engine, model: str, store: Path | None,
                     tm: TranslationMemory) -> tuple[tuple[Cue, ...], list[str], list[str]]:
    """Translate through the memory, redistribute, merge into the store: (cues, head texts, warnings)."""
    slug = source.episode.slug
    mt = MemoryTranslator(eng, tm, src, lang)
    head_lines = [line for t in head for line in _split_paragraphs(t)]
    got: dict[str, list[str]] = {}

    def translate(segs: list[str]) -> list[str]:
        # one engine call for everything new: cue sentences + titles + description lines
        res = mt.translate(segs + head_lines)
        got["head"] = res[len(segs):]
        return res[:len(segs)]

    machine, warnings = machine_cue_texts(source.cues, sentence_texts, translate, lang)
    if "head" not in got:  # no cue text at all
        got["head"] = mt.translate(head_lines)
    log.info("%s %s: %d sentence(s) from memory, %d translated", slug, lang, mt.hits, mt.misses)
    head_out = got["head"]
    pos = 0
    head_texts: list[str] = []
    for t in head:
        n = len(_split_paragraphs(t))
        head_texts.append("\n".join(head_out[pos:pos + n]))
        pos += n
    cues, more = _published(source, lang, eng, model, machine, store)
    warnings.extend(more)
    return cues, head_texts, warnings


#: Bumped whenever the cached payload or what its key covers changes.
_PUBLISHED_FORMAT = "2"
#: Code whose output the published-cues cache stores (relative to the package).
_CODE = ("translate", "review", "segment", "langs.py", "model.py", "sanitize.py")


def _code_digest() -> str:
    """The translate/review/segment sources: a developer's edit of the
    redistribution or the store invalidates the cache although the version did not change."""
    from ..digest import code_digest

    return code_digest(*_CODE)


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _published_key(source: SourceBuild, sentence_texts: Sequence[str], head: Sequence[str], lang: str,
                   engine: str, model: str, store: Path | None) -> str:
    """A digest of everything the published cues, chapters, title and description of
    ``lang`` are computed from.

    * the source: every sentence's text, every cue's id, timings, lines, speaker,
      chapter and the sentences it shows (which decides how translated sentences
      are spread over cues), the chapter titles, the episode title and description;
    * the translation: source and target language, engine name and model version
      — the translation memory maps (engine, model, languages, sentence) to one
      text, written once and never replaced (only misses are stored), so these
      determine every machine text the memory returns;
    * the translations store file's bytes (human corrections, stale marks);
    * the toolkit version and the code of the stages that compute the result.
    """
    from .. import __version__

    try:
        store_sha = hashlib.sha256(store.read_bytes()).hexdigest() if store is not None else None
    except FileNotFoundError:
        store_sha = "absent"
    except OSError:
        store_sha = "unreadable"
    return _digest(
        _PUBLISHED_FORMAT, __version__, _code_digest(), source.transcript.language, lang, engine, model,
        list(sentence_texts),
        [(c.id, c.start, c.end, list(c.lines), c.speaker, c.speaker_change, c.chapter, list(c.sentences),
          c.confidence) for c in source.cues],
        list(head), store_sha,
    )


def _cached_published(tm: TranslationMemory, slug: str, lang: str, key: str, n_cues: int,
                      n_head: int) -> tuple[list[list[str]], list[str], list[str]] | None:
    """(lines per cue, head texts, warnings) cached under exactly ``key``, else None."""
    hit = tm.published(slug, lang, key)
    if hit is None:
        return None
    try:
        data = json.loads(hit)
        lines, head, warnings = data["lines"], data["head"], data["warnings"]
        if len(lines) != n_cues or len(head) != n_head or not all(
                isinstance(x, list) and all(isinstance(s, str) for s in x) for x in lines) or not all(
                isinstance(x, str) for x in (*head, *warnings)):
            raise ValueError("shape does not match the source")
    except (ValueError, KeyError, TypeError) as exc:  # a damaged row only costs a recomputation
        log.warning("%s %s: ignoring a damaged published-cues cache row (%s)", slug, lang, exc)
        return None
    return [list(x) for x in lines], list(head), list(warnings)


def _published(source: SourceBuild, lang: str, eng: Engine, model: str, machine: dict[str, str],
               store: Path | None) -> tuple[tuple[Cue, ...], list[str]]:
    """The published cues for ``lang`` and the warnings about them.

    Machine engines go through the translations store (human corrections win);
    pseudo text does not (it is not a translation).  Merging, re-wrapping and
    re-checking ~1,000 cues costs ~0.5 s per language, which is why
    :func:`translate_episode` caches the result.
    """
    slug = source.episode.slug
    warnings: list[str] = []
    if store is not None:
        from ..review.store import load_store, merge_machine, save_store

        merged, report = merge_machine(load_store(store, slug=slug, lang=lang), slug=slug, source_lang=source.transcript.language,
                                       lang=lang, source_cues=source.cues, machine=machine,
                                       engine=eng.name, model=model)
        save_store(merged, store)
        cues = merged.published_cues(source.cues)
        warnings.extend(report.warnings())
    else:
        cues = tuple(replace(c, lines=_wrap(machine[c.id], lang)) for c in source.cues)
    warnings.extend(_qc(cues, lang))
    return cues, warnings
