"""An episode's files rendered where its task ran (site.render_episode, a worker
process) and written by the coordinator (site.write_episode(rendered=…)): the
same bytes as rendering in place, the worker's bytes used only when they were
rendered from what is written now, nothing rendered for a current episode."""

from __future__ import annotations

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
    rendered = site.render_episode(show, result)
    assert rendered.files is not None
    marked = replace(rendered, files=tuple((name, data + b"<!-- from the worker -->") if name == "en/index.html"
                                           else (name, data) for name, data in rendered.files))
    site.write_episode(show, result, rendered=marked)
    page = show.feeds_dir / "episodes" / "ep-one" / "en" / "index.html"
    assert page.read_bytes().endswith(b"<!-- from the worker -->")


def test_files_rendered_from_other_inputs_are_not_used(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    stale = site.render_episode(show, _prepared(show))
    result = _prepared(show)
    result.languages["es"] = replace(result.languages["es"], title="Un título corregido")
    site.write_episode(show, result, rendered=stale)
    page = (show.feeds_dir / "episodes" / "ep-one" / "es" / "index.html").read_text(encoding="utf-8")
    assert "Un título corregido" in page


def test_a_current_episode_is_not_rendered_again(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    result = _prepared(show)
    site.write_episode(show, result)
    again = site.render_episode(show, result)
    assert again.files is None
    assert site.write_episode(show, result, rendered=again) == []
