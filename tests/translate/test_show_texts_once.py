"""The show's texts are translated once per open memory (issue 14): every episode's
pages need them in every language, so a publish (and a worker process, through its
kept view of the memory) computes them once, not once per episode."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from support.engines import CountingEngine
from toolkit.translate import get_engine, translate_show_texts
from toolkit.translate.memory import PendingMemory, TranslationMemory, memory_path
from translate_helpers import make_show

PSEUDO = "qps-ploc"


def test_once_per_open_memory(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show", target_languages=(PSEUDO,))
    engine = CountingEngine(get_engine("pseudo"))
    path = memory_path(show.root)
    with TranslationMemory(path) as tm:
        first = translate_show_texts(show, PSEUDO, engine=engine, memory=tm)
        assert first.pseudo and first.title.startswith("[") and engine.calls == 1
        assert translate_show_texts(show, PSEUDO, engine=engine, memory=tm) is first  # remembered
        # the key covers the texts: a new title is translated
        renamed = translate_show_texts(replace(show, title="Other Notes"), PSEUDO, engine=engine, memory=tm)
        assert renamed.title != first.title and engine.calls == 2
    with TranslationMemory(path) as tm:  # the next publish: from the memory file, no engine call
        later = translate_show_texts(show, PSEUDO, engine=engine, memory=tm)
        assert later == first and later is not first and engine.calls == 2
    # without a memory, nothing is remembered (each call opens the show's own)
    alone = translate_show_texts(show, PSEUDO, engine=engine)
    assert alone == first and alone is not first


def test_once_per_worker_process(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show", target_languages=(PSEUDO,))
    engine = CountingEngine(get_engine("pseudo"))
    path = memory_path(show.root)
    TranslationMemory(path).close()  # the coordinator opened it first
    task1 = PendingMemory.for_task(path)
    first = translate_show_texts(show, PSEUDO, engine=engine, memory=task1)
    assert task1.pending and engine.calls == 1  # made by this task: the coordinator stores them
    task1.close()
    task2 = PendingMemory.for_task(path)
    assert translate_show_texts(show, PSEUDO, engine=engine, memory=task2) is first
    assert task2.pending == [] and engine.calls == 1
    task2.close()
