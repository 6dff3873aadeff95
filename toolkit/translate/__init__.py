"""Offline machine translation of an episode's cues, chapters and texts.

    translate_episode(show, source, lang, *, progress) -> LanguageBuild
    translate_show_texts(show, lang) -> ChannelTexts

Whole sentences are translated (all sentences of the episode, in transcript
order, so a speaker turn's sentences stay together), through the translation
memory (:mod:`.memory`: ``<show root>/.toolkit/memory.sqlite``) so only new
sentences reach the engine, then redistributed over the source cues
(:mod:`.redistribute`), merged into the translations store
(``translations/<slug>/<lang>.vtt``, where human corrections always win) and
laid out for the target language (:func:`toolkit.segment.layout`: a
translation too long for its source cue is extended into the following gap and
split into sub-cues ``<id>``, ``<id>.2`` … — a publishing layout only, the
store stays keyed by the source cue) and re-checked against the subtitle
guidelines; what the layout could not fix is reported in
:attr:`LanguageBuild.warnings`, never fixed by dropping text.

Engines (the interface :mod:`.engine`, the registry :mod:`.registry`):
``argos`` (default; its packages are managed by :mod:`.packages`),
``apertium``, ``bergamot``, ``pseudo`` (always, and only, for the pseudo-localization code
``qps-ploc``); chosen per language by ``show.engines``.  The
translation memory is opened once per publish by the pipeline and passed in
(``memory=``); without one, each call opens its own.  The finished result of
one language is cached by :mod:`toolkit.cache.published`.  Pseudo-localization is not stored in
the translations store (it is a layout test, not a translation) and is
labelled ``pseudo=True``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .. import langs
from ..build import ChannelTexts, LanguageBuild, SourceBuild
from ..cache import published as published_cache
from ..errors import ConfigError
from ..model import Cue, Show
from ..review.store import Store, load_store, merge_machine, render_store, save_store, store_path
from ..segment import check, wrap_lines
from ..segment.layout import Part, apply_parts, layout_parts
from .engine import Engine
from .glossary import TermSet, terms_for
from .memory import MemoryTranslator, TranslationMemory, memory_path
from .redistribute import cue_weights, join_sentences, split_text, units
from .registry import engine_name_for, get_engine

__all__ = ["translate_episode", "translate_show_texts", "ShowTexts", "translate_texts", "get_engine", "open_memory",
           "StoreWrites"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    pass


#: The show's texts in one language (the record lives in :mod:`toolkit.build`).
ShowTexts = ChannelTexts


@contextmanager
def open_memory(show: Show, memory: TranslationMemory | None = None) -> Iterator[TranslationMemory]:
    """``memory`` when the caller holds one open (the pipeline: one per publish), else the show's, opened here."""
    if memory is not None:
        yield memory
        return
    with TranslationMemory(memory_path(show.root)) as tm:
        yield tm


def _engine(show: Show, lang: str, engine: Engine | None) -> Engine:
    return engine if engine is not None else get_engine(engine_name_for(show, lang))


def _split_paragraphs(text: str) -> list[str]:
    return text.split("\n")


def translate_texts(show: Show, texts: Sequence[str], src: str, lang: str, *,
                    engine: Engine | None = None, memory: TranslationMemory | None = None,
                    terms: TermSet | None = None) -> list[str]:
    """Translate free texts (titles, descriptions) line by line through the memory
    (``terms``: the glossary; default: the show's for ``lang``)."""
    eng = _engine(show, lang, engine)
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    for t in texts:
        parts = _split_paragraphs(t)
        spans.append((len(lines), len(lines) + len(parts)))
        lines.extend(parts)
    with open_memory(show, memory) as tm:
        out = MemoryTranslator(eng, tm, src, lang, terms if terms is not None else terms_for(show, lang)
                               ).translate(lines)
    return ["\n".join(out[a:b]) for a, b in spans]


def translate_show_texts(show: Show, lang: str, *, engine: Engine | None = None,
                         memory: TranslationMemory | None = None) -> ChannelTexts:
    """The show title and description in ``lang`` (free on republish: memory);
    the show's own texts for its own language.  With an open ``memory`` they are
    computed once while it is open (:attr:`TranslationMemory.show_texts`)."""
    if lang == show.language:
        return ChannelTexts(show.title, show.description)
    lang = langs.normalize(lang, key="target language")
    eng = _engine(show, lang, engine)
    terms = terms_for(show, lang)
    key = None
    if memory is not None:  # once per open memory: every episode's pages ask for them
        key = (show.title, show.description, show.language, lang, eng.name,
               eng.model_version(show.language, lang), terms.digest)
        known = memory.show_texts.get(key)
        if known is not None:
            return known
    title, description = translate_texts(show, [show.title, show.description], show.language, lang,
                                         engine=eng, memory=memory, terms=terms)
    texts = ChannelTexts(title, description, machine=eng.machine, engine=eng.label(show.language, lang),
                         pseudo=not eng.machine)
    if key is not None and memory is not None:
        memory.show_texts[key] = texts
    return texts


def _wrap(text: str, lang: str) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(wrap_lines(text, lang=lang))


def _qc(cues: Sequence[Cue], lang: str) -> list[str]:
    return [f"cue {i.cue}: {i.rule}: {i.message}" for i in check(tuple(cues), lang=lang)]


def machine_cue_texts(cues: Sequence[Cue], sentence_texts: Sequence[str], translate: Callable[[list[str]], list[str]],
                      lang: str, problems: dict[int, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Translate whole sentences and redistribute them over ``cues``.

    Returns ``{cue id: translated text}`` (one line, unwrapped) and warnings.
    ``translate`` gets every segment at once (sentences in order, then the text
    of cues that name no sentence); what it puts in ``problems`` (segment index
    → message, e.g. a glossary term the engine lost) becomes a warning naming the
    segment's first cue.
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
    if problems:
        first = {s: u.cues[0] for u in reversed(us) for s in u.sentences}
        seg_cue = [first[s] for s in used] + loose
        for i, message in sorted(problems.items()):
            if 0 <= i < len(seg_cue):
                warnings.append(f"cue {cues[seg_cue[i]].id}: glossary: {message}")
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


#: Translations-store writes a worker leaves to the coordinating process: (path, store), in order.
StoreWrites = list[tuple[Path, Store]]


def translate_episode(show: Show, source: SourceBuild, lang: str, *, progress: Progress = _noop,
                      engine: Engine | None = None, memory: TranslationMemory | None = None,
                      stores: StoreWrites | None = None) -> LanguageBuild:
    """Translate one episode's cues, chapters, title and description into ``lang``.

    The published result is cached (:mod:`toolkit.cache.published`) under a key
    of everything it is computed from (:data:`toolkit.cache.keys.PUBLISHED`); on an unchanged
    republish the cached cues, chapters, texts and warnings are returned
    without looking a single sentence up in the memory or redistributing it.

    ``stores`` (a worker, :mod:`toolkit.catalogue`): the translations store is
    not written but appended there, for the coordinating process to save.
    """
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
    names = [p.name for p in episode.speakers.values()] + list(episode.speakers) + \
        [c.speaker for c in source.cues if c.speaker]
    terms = terms_for(show, lang, dict.fromkeys(names))
    label = eng.label(src, lang)
    store = None
    if eng.machine:
        store = store_path(show, slug, lang)

    deferred: StoreWrites = []

    def key() -> str:  # re-evaluated after the store is saved: it covers the store's bytes
        keyed = f"{model} glossary={terms.digest}" if terms else model  # a glossary change republishes
        pending = render_store(deferred[-1][1]).encode("utf-8") if deferred else None
        return published_cache.published_key(source, sentence_texts, head, lang, eng.name, keyed, store, pending)

    cached = published_cache.load_published(show.root, slug, lang, key(), len(source.cues), len(head))
    if cached is not None:
        head_texts, warnings = cached.head, cached.warnings
        log.info("%s %s: unchanged since the last publish (published cues from cache)", slug, lang)
        cues = apply_parts(source.cues, [[Part(a, b, tuple(ls)) for a, b, ls in x] for x in cached.parts])
    else:
        with open_memory(show, memory) as tm:
            (parts, cues), head_texts, warnings = _translate_fresh(
                show, source, sentence_texts, head, src, lang, eng, model, store, tm, terms,
                deferred if stores is not None else None)
        if stores is not None:
            stores.extend(deferred)
        published_cache.save_published(show.root, slug, lang, key(), published_cache.Published(
            [[(p.start, p.end, list(p.lines)) for p in x] for x in parts], head_texts, warnings))
    new_chapters = tuple(replace(c, title=head_texts[i] or c.title) for i, c in enumerate(chapters))
    title, description = head_texts[len(chapters)], head_texts[len(chapters) + 1]
    for w in warnings:
        log.info("%s %s: %s", slug, lang, w)
    return LanguageBuild(lang=lang, cues=tuple(cues), chapters=new_chapters, title=title,
                         description=description, machine=eng.machine, engine=label,
                         pseudo=not eng.machine, warnings=tuple(warnings))


def _translate_fresh(show: Show, source: SourceBuild, sentence_texts: list[str], head: list[str], src: str,
                     lang: str, eng: Engine, model: str, store: Path | None,
                     tm: TranslationMemory, terms: TermSet, stores: StoreWrites | None,
                     ) -> tuple[tuple[list[list[Part]], tuple[Cue, ...]], list[str], list[str]]:
    """Translate through the memory, redistribute, merge into the store (or into
    ``stores``, for the coordinator to save), lay out:
    ((the layout of each source cue, published cues), head texts, warnings)."""
    slug = source.episode.slug
    mt = MemoryTranslator(eng, tm, src, lang, terms)
    problems: dict[int, str] = {}
    head_lines = [line for t in head for line in _split_paragraphs(t)]
    got: dict[str, list[str]] = {}

    def translate(segs: list[str]) -> list[str]:
        # one engine call for everything new: cue sentences + titles + description lines
        res = mt.translate(segs + head_lines)
        got["head"] = res[len(segs):]
        problems.update(mt.problems)
        return res[:len(segs)]

    machine, warnings = machine_cue_texts(source.cues, sentence_texts, translate, lang, problems)
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
    cues, more = _published(source, lang, eng, model, machine, store, stores)
    warnings.extend(more)
    return cues, head_texts, warnings


def _published(source: SourceBuild, lang: str, eng: Engine, model: str, machine: dict[str, str],
               store: Path | None, stores: StoreWrites | None,
               ) -> tuple[tuple[list[list[Part]], tuple[Cue, ...]], list[str]]:
    """The published cues for ``lang`` — the layout of each source cue, and the
    cues it makes — and the warnings about them.

    Machine engines go through the translations store (human corrections win);
    pseudo text does not (it is not a translation).  The layout
    (:func:`toolkit.segment.layout`: a translation that does not fit its source
    cue is extended into the following gap and split into sub-cues) applies to
    machine and human text alike.  Merging, laying out and re-checking ~1,000
    cues costs ~1 s per language, which is why :func:`translate_episode`
    caches the result (the layout included).
    """
    slug = source.episode.slug
    warnings: list[str] = []
    if store is not None:
        merged, report = merge_machine(load_store(store, slug=slug, lang=lang), slug=slug, source_lang=source.transcript.language,
                                       lang=lang, source_cues=source.cues, machine=machine,
                                       engine=eng.name, model=model)
        if stores is None:
            save_store(merged, store)
        else:
            stores.append((store, merged))
        cues = merged.published_cues(source.cues)
        warnings.extend(report.warnings())
    else:
        cues = tuple(replace(c, lines=_wrap(machine[c.id], lang)) for c in source.cues)
    parts = layout_parts(cues, lang=lang)
    laid = apply_parts(source.cues, parts)
    warnings.extend(_qc(laid, lang))  # only what the layout could not fix
    return (parts, laid), warnings
