"""The terminal's progress view (issue 14): the overall bar (done / total, ETA)
and one line per worker with its current stage, drawn by rich."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from toolkit.cli import common


def _terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    out = io.StringIO()
    monkeypatch.setattr(common, "console_err", Console(file=out, force_terminal=True, width=120,
                                                       color_system=None))
    return out


def test_each_worker_has_a_line_with_its_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _terminal(monkeypatch)
    with common.progress_bar(description="publishing") as step:
        step.set_total(3)  # type: ignore[attr-defined]
        step.worker("worker 1", "ep-1: timing against audio.mp3")  # type: ignore[attr-defined]
        step.worker("worker 2", "ep-2: translating into es (apertium)")  # type: ignore[attr-defined]
        step.worker("worker 1", "ep-1: rendering subtitles and pages")  # type: ignore[attr-defined]
        step.advance("ep-1: published · 1 published, 2 remaining")  # type: ignore[attr-defined]
        step.worker("worker 3", "[not markup] ep-3: reading")  # type: ignore[attr-defined]
        step.worker("worker 3", None)  # type: ignore[attr-defined]
    # the last frame (drawn as the view closes): the overall line, then a line per worker, in order
    frame = out.getvalue().rsplit("ep-1: published", 1)[1]
    assert "1/3" in frame
    first, second = frame.index("worker 1: ep-1: rendering subtitles and pages"), \
        frame.index("worker 2: ep-2: translating into es (apertium)")
    assert first < second
    assert "worker 3" not in frame  # a cleared line is gone
    assert "worker 1: ep-1: timing" not in frame  # a worker's line shows its current stage only


def test_stage_text_is_not_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _terminal(monkeypatch)
    with common.progress_bar() as step:
        step.worker("worker 1", "[bold]ep[/bold]: reading [Music].txt")  # type: ignore[attr-defined]
    assert "worker 1: [bold]ep[/bold]: reading [Music].txt" in out.getvalue()


def test_off_a_terminal_nothing_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(common, "console_err", Console(file=out, force_terminal=False))
    with common.progress_bar() as step:
        step("anything")
        step.advance("one")  # type: ignore[attr-defined]
        assert not hasattr(step, "worker")  # the catalogue then sends no stages at all
    assert out.getvalue() == ""
