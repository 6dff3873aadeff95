"""An episode's files rendered where its task ran (site.render_episode, a worker
process) and written by the coordinator (site.write_episode(rendered=…)): the
same bytes as rendering in place, the worker's bytes used only when they were
rendered from what is written now, nothing rendered for a current episode."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
from pathlib import Path

from support.sitekit import make_result, make_show

from toolkit import pipeline
from toolkit.publish import site


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _prepared(show, slug="ep-one"):  # type: ignore[no-untyped-def]
    result = make_result(show, slug, langs={"es": "machine", "fr": "machine"})
    pipeline.episode_show_texts(show, result)
    return result


def test_rendered_elsewhere_writes_the_same_bytes(tmp_path: Path) -> None:
    here, there = make_show(tmp_path / "here"), make_show(tmp_path / "there")
    site.write_episode(here, _prepared(here))
    result = _prepared(there)
    rendered = pickle.loads(pickle.dumps(site.render_episode(there, result)))  # as it travels from a worker
    assert rendered.files is not None
    assert {name for name, _ in rendered.files} >= {"en/index.html", "es/transcript.srt", "fr/transcript.vtt"}
    written = site.write_episode(there, result, rendered=rendered)
    assert written  # a cold write changes files
    assert _tree(there.feeds_dir) == _tree(here.feeds_dir)


def test_the_workers_bytes_are_written_when_their_digest_matches(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    result = _prepared(show)
    site.write_episode(show, result, rendered=_marked(site.render_episode(show, result)))
    page = show.feeds_dir / "episodes" / "ep-one" / "en" / "index.html"
    assert page.read_bytes().endswith(b"<!-- from the worker -->")


def _marked(rendered: site.EpisodeFiles) -> site.EpisodeFiles:
    assert rendered.files is not None
    return replace(rendered, files=tuple((name, data + b"<!-- from the worker -->") if name == "en/index.html"
                                         else (name, data) for name, data in rendered.files))


def test_audio_replaced_since_the_task_is_planned_and_rendered_again(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    result = _prepared(show)
    rendered = _marked(site.render_episode(show, result))
    audio = result.source.episode.audio
    audio.write_bytes(audio.read_bytes() + b"\0" * 417)  # a new take of another size, saved meanwhile
    site.write_episode(show, result, rendered=rendered)
    folder = show.feeds_dir / "episodes" / "ep-one"
    assert not (folder / "en" / "index.html").read_bytes().endswith(b"<!-- from the worker -->")
    manifest = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    assert manifest["audio"]["size"] == audio.stat().st_size == (folder / audio.name).stat().st_size


def test_a_current_episode_is_not_rendered_again(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    result = _prepared(show)
    site.write_episode(show, result)
    again = site.render_episode(show, result)
    assert again.files is None
    assert site.write_episode(show, result, rendered=again) == []
