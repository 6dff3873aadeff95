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
from typing import TYPE_CHECKING

from .. import langs
from ..errors import ConfigError
from ..model import Cue, Show
from .engine import CountingEngine, Engine, engine_name_for, get_engine
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
    try:
        from ..segment import wrap_lines

        return tuple(wrap_lines(text, lang=lang))
    except (ImportError, NotImplementedError):  # segmentation stage not available
        return (text,)


def _qc(cues: Sequence[Cue], lang: str) -> list[str]:
    try:
        from ..segment import check

        issues = check(tuple(cues), lang=lang)
    except (ImportError, NotImplementedError):
        return []
    return [f"cue {i.cue}: {i.rule}: {i.message}" for i in issues]


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
    """Translate one episode's cues, chapters, title and description into ``lang``."""
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
    with TranslationMemory(memory_path(show.root)) as tm:
        mt = MemoryTranslator(eng, tm, src, lang)
        cached: dict[str, list[str]] = {}

        def translate(segs: list[str]) -> list[str]:
            # one engine call for everything new: cue sentences + titles + description lines
            head_lines = [line for t in head for line in _split_paragraphs(t)]
            res = mt.translate(segs + head_lines)
            cached["head"] = res[len(segs):]
            return res[:len(segs)]

        machine, warnings = machine_cue_texts(source.cues, sentence_texts, translate, lang)
        if "head" not in cached:  # no cue text at all
            cached["head"] = mt.translate([line for t in head for line in _split_paragraphs(t)])
        model = mt.model if (mt.hits or mt.misses) else eng.model_version(src, lang)
        log.info("%s %s: %d sentence(s) from memory, %d translated", slug, lang, mt.hits, mt.misses)
    head_out = cached["head"]
    pos = 0
    head_texts: list[str] = []
    for t in head:
        n = len(_split_paragraphs(t))
        head_texts.append("\n".join(head_out[pos:pos + n]))
        pos += n
    new_chapters = tuple(replace(c, title=head_texts[i] or c.title) for i, c in enumerate(chapters))
    title, description = head_texts[len(chapters)], head_texts[len(chapters) + 1]

    label = eng.label(src, lang)
    cues, more = _published(show, source, lang, eng, model, machine)
    warnings.extend(more)
    for w in warnings:
        log.info("%s %s: %s", slug, lang, w)
    return LanguageBuild(lang=lang, cues=tuple(cues), chapters=new_chapters, title=title,
                         description=description, machine=eng.machine, engine=label,
                         pseudo=not eng.machine, warnings=tuple(warnings))


_PUBLISHED_FORMAT = "1"


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _published(show: Show, source: SourceBuild, lang: str, eng: Engine, model: str,
               machine: dict[str, str]) -> tuple[tuple[Cue, ...], list[str]]:
    """The published cues for ``lang`` and the warnings about them.

    Machine engines go through the translations store (human corrections win);
    pseudo text does not (it is not a translation).  Merging, re-wrapping and
    re-checking ~1,000 cues costs ~0.5 s per language, so the result is cached
    in the memory database under a digest of everything it depends on (source
    cues, machine text, the store file's bytes, toolkit version): an unchanged
    republish reuses it, any edit of the store file or the source recomputes.
    """
    from .. import __version__

    slug = source.episode.slug
    path = None
    if eng.machine:
        from ..review.store import store_path

        path = store_path(show, slug, lang)

    def digest() -> str:
        try:
            store_bytes = hashlib.sha256(path.read_bytes()).hexdigest() if path is not None and path.is_file() else None
        except OSError:
            store_bytes = None
        return _digest(_PUBLISHED_FORMAT, __version__, lang, eng.name, model,
                       [(c.id, c.start, c.end, c.speaker, c.speaker_change, c.chapter, c.text)
                        for c in source.cues], machine, store_bytes)

    with TranslationMemory(memory_path(show.root)) as tm:
        before = digest()
        hit = tm.published(slug, lang, before)
        if hit is not None:
            data = json.loads(hit)
            cues = tuple(replace(c, lines=tuple(lines)) for c, lines in zip(source.cues, data["lines"]))
            return cues, list(data["warnings"])
        warnings: list[str] = []
        if path is not None:
            from ..review.store import load_store, merge_machine, save_store

            store, report = merge_machine(load_store(path), slug=slug, source_lang=source.transcript.language,
                                          lang=lang, source_cues=source.cues, machine=machine,
                                          engine=eng.name, model=model)
            save_store(store, path)
            cues = store.published_cues(source.cues)
            warnings.extend(report.warnings())
        else:
            cues = tuple(replace(c, lines=_wrap(machine[c.id], lang)) for c in source.cues)
        warnings.extend(_qc(cues, lang))
        tm.set_published(slug, lang, digest(), json.dumps(
            {"lines": [list(c.lines) for c in cues], "warnings": warnings}, ensure_ascii=False))
    return cues, warnings


def counting(engine: Engine) -> CountingEngine:
    """Wrap ``engine`` to count its calls (for tests and benchmarks)."""
    return CountingEngine(engine)

