"""Property: for any sequence of publish / source edit / export / translator
edit / import, every human correction is either still published or reported
stale (or, when its source cue is gone, reported dropped) — never silently
replaced."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from review_helpers import SLUG, make_cues

from toolkit.errors import ImportRejected
from toolkit.review.export import export_bytes, write_manifest
from toolkit.review.importer import import_file
from toolkit.review.store import load_store, merge_machine, save_store

WORDS = st.lists(st.sampled_from(["reloj", "muelle", "taller", "abuela", "rueda", "lana", "aguja", "&", "<"]),
                 min_size=1, max_size=6).map(" ".join)


class RoundTrip(RuleBasedStateMachine):
    outcomes = {"applied": 0, "stale": 0, "rejected": 0}  # checked below: the rule really imports

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="review-prop-"))
        self.path = self.dir / "translations" / SLUG / "es.vtt"
        self.cues = list(make_cues())
        self.published = False
        self.generation = 0
        self.corrections: dict[str, str] = {}  # cue id → human text the translator gave
        self.reported: set[str] = set()  # ids reported stale or dropped

    def teardown(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _in_sync(self) -> bool:
        store = load_store(self.path)
        return store is not None and [e.id for e in store.entries] == [c.id for c in self.cues]

    @rule()
    def publish(self) -> None:
        self.generation += 1
        machine = {c.id: f"máquina {self.generation} {c.text[:10]}" for c in self.cues}
        store, report = merge_machine(load_store(self.path), slug=SLUG, source_lang="en", lang="es",
                                      source_cues=self.cues, machine=machine, engine="e",
                                      model=f"m{self.generation}")
        self.reported |= set(report.stale_ids) | set(report.dropped_human)
        for old, new in report.moved:
            if old in self.corrections:
                self.corrections[new] = self.corrections.pop(old)
                self.reported.add(new)
        save_store(store, self.path)
        self.published = True

    @rule(i=st.integers(0, 5), text=WORDS, new_id=st.booleans())
    def edit_source(self, i: int, text: str, new_id: bool) -> None:
        i %= len(self.cues)
        cue = self.cues[i]
        # ids may be derived from the text: an edit can change the id too
        cue_id = f"{SLUG}-x{abs(hash(text)) % 10000:04d}{i}" if new_id else cue.id
        if any(c.id == cue_id for j, c in enumerate(self.cues) if j != i):
            return
        self.cues[i] = replace(cue, id=cue_id, lines=(f"source {text}",))

    @precondition(lambda self: self.published)
    @rule(fmt=st.sampled_from(["srt", "vtt", "po"]), i=st.integers(0, 5), text=WORDS)
    def translator_round_trip(self, fmt: str, i: int, text: str) -> None:
        if not self._in_sync():
            return  # the export command refuses a store older than the source
        store = load_store(self.path)
        i %= len(store.entries)
        entry = store.entries[i]
        new = f"humano {text} {i}"
        out = self.dir / f"x.{fmt}"
        data = export_bytes(store, fmt, self.cues).decode("utf-8-sig")
        write_manifest(store, self.path, self.cues)
        if fmt == "po":
            import polib

            po = polib.pofile(data)
            po.find(self.cues[i].text, msgctxt=entry.id).msgstr = new
            data = str(po)
        else:
            from toolkit.review.store import escape_text

            old = " ".join(entry.lines)
            rendered = escape_text(old) if fmt == "vtt" else old
            assert rendered in data
            marker = f"{entry.start // 1000:02d}.{entry.start % 1000:03d} --> "
            head, _, tail = data.partition(marker.replace(".", "," if fmt == "srt" else "."))
            data = head + marker.replace(".", "," if fmt == "srt" else ".") + tail.replace(
                rendered, escape_text(new) if fmt == "vtt" else new, 1)
        out.write_text(data, encoding="utf-8")
        try:
            report = import_file(out, self.path, self.cues, slug=SLUG, lang="es")
        except ImportRejected:
            RoundTrip.outcomes["rejected"] += 1
            return
        RoundTrip.outcomes["stale" if report.stale else "applied"] += 1
        if entry.id in report.changed:
            self.corrections[entry.id] = new
            self.reported.discard(entry.id)
        self.reported |= set(report.stale)

    @invariant()
    def corrections_are_published_or_reported(self) -> None:
        store = load_store(self.path)
        if store is None:
            return
        by_id = store.by_id
        for cue_id, text in self.corrections.items():
            entry = by_id.get(cue_id)
            if entry is None:
                assert cue_id in self.reported, f"correction {cue_id} vanished silently"
                continue
            assert entry.text == text, f"correction {cue_id} was replaced"
            assert entry.state == "human" or (entry.state == "stale" and cue_id in self.reported)
        if self._in_sync():
            published = {c.id: " ".join(c.lines) for c in store.published_cues(self.cues)}
            for cue_id, text in self.corrections.items():
                if cue_id in published:
                    assert published[cue_id] == text


RoundTrip.TestCase.settings = settings(max_examples=30, stateful_step_count=10, deadline=None,
                                       suppress_health_check=[HealthCheck.too_slow])
TestRoundTrip = RoundTrip.TestCase


def test_round_trips_really_import() -> None:
    """Guard against a vacuous property: most generated round trips apply."""
    RoundTrip.outcomes.update(applied=0, stale=0, rejected=0)
    run_state_machine_as_test(RoundTrip, settings=settings(
        max_examples=10, stateful_step_count=8, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow]))
    assert RoundTrip.outcomes["applied"] > RoundTrip.outcomes["rejected"], RoundTrip.outcomes
