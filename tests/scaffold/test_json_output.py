"""``--json`` through the real console script: one JSON document on stdout with
the documented schema; text output off a terminal has no box drawing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.e2e import apertium_es_missing
from support.tools import skip_or_fail

BOX = set("─│┌┐└┘├┤┬┴┼━┃┏┓┗┛╭╮╯╰═║")


def toolkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True,
                          cwd=str(cwd), env=dict(os.environ), timeout=600, check=False)


@pytest.fixture(scope="module")
def show(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        skip_or_fail("ffmpeg not installed")
    missing = apertium_es_missing()
    if missing:
        skip_or_fail(missing)
    assert ffmpeg is not None
    tmp = tmp_path_factory.mktemp("json")
    root = tmp / "show"
    assert toolkit("init", str(root), "--yes", cwd=tmp).returncode == 0
    with (root / "show.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[translation]\nengine = "apertium"\n')
    text = (root / "show.toml").read_text().replace('# target_languages = ["es", "pt-BR"]', 'target_languages = ["es"]')
    (root / "show.toml").write_text(text)
    subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=duration=4",
                    str(tmp / "a.mp3")], check=True, timeout=60)
    srt = tmp / "t.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:02,000\nHello there.\n\n2\n00:00:02,500 --> 00:00:03,500\n"
                   "Goodbye now.\n", encoding="utf-8")
    assert toolkit("episode", "new", "one", "--audio", str(tmp / "a.mp3"), "--transcript", str(srt),
                   "--root", str(root), cwd=tmp).returncode == 0
    return root


def test_publish_json(show: Path) -> None:
    proc = toolkit("publish", "--root", str(show), "--json", cwd=show)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    doc = json.loads(line)
    assert doc["schema"] == "toolkit.publish" and doc["version"] == 1
    assert doc["failed"] == [] and doc["skipped"] == []
    (ep,) = doc["episodes"]
    assert ep["slug"] == "one" and ep["transcript"] is True and ep["cues"] >= 1
    assert ep["timing"]["method"] == "timed-input"
    assert ep["audio"]["size"] == (show / "feeds" / "episodes" / "one" / "a.mp3").stat().st_size
    assert [lang["lang"] for lang in ep["languages"]] == ["en", "es"] and ep["languages"][1]["machine"] is True
    one = json.loads(toolkit("publish", "--root", str(show), "episode", "one", "--json", cwd=show).stdout)
    assert one["episodes"][0]["slug"] == "one" and one["episodes"][0]["written"] == 0


def test_publish_json_lists_failed_episodes(show: Path, tmp_path: Path) -> None:
    root = tmp_path / "show"
    shutil.copytree(show, root, ignore=shutil.ignore_patterns(".toolkit", "feeds"))
    good = tmp_path / "good.srt"
    good.write_text("1\n00:00:00,500 --> 00:00:02,000\nHello again.\n", encoding="utf-8")
    assert toolkit("episode", "new", "two", "--audio", str(show.parent / "a.mp3"), "--transcript", str(good),
                   "--root", str(root), cwd=tmp_path).returncode == 0
    (srt,) = (root / "episodes" / "two").glob("*.srt")
    srt.write_text("1\n00:00:05,000 --> 00:00:01,000\nBackwards.\n", encoding="utf-8")
    proc = toolkit("publish", "--root", str(root), "--json", "--jobs", "1", cwd=root)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert [ep["slug"] for ep in doc["episodes"]] == ["one"] and doc["skipped"] == []
    (failed,) = doc["failed"]
    assert failed["slug"] == "two" and failed["kind"] and srt.name in failed["error"], failed
    assert "not published (two)" in proc.stderr


def test_translations_status_json_and_plain(show: Path) -> None:
    assert toolkit("publish", "--root", str(show), cwd=show).returncode == 0
    proc = toolkit("translations", "status", "--root", str(show), "--json", cwd=show)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "toolkit.translations.status" and doc["stale"] == 0
    (row,) = doc["rows"]
    assert row["slug"] == "one" and row["lang"] == "es" and row["machine"] + row["human"] >= 1
    plain = toolkit("translations", "status", "--root", str(show), cwd=show)
    assert plain.returncode == 0 and "one" in plain.stdout and not BOX & set(plain.stdout)


def test_models_list_json(show: Path) -> None:
    proc = toolkit("models", "list", "--json", cwd=show)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "toolkit.models" and isinstance(doc["models"], list)
    assert all(set(m) == {"engine", "pair", "version", "path"} for m in doc["models"])


def test_check_json(show: Path) -> None:
    assert toolkit("publish", "--root", str(show), cwd=show).returncode == 0
    proc = toolkit("check", "--root", str(show), "--json", cwd=show)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "toolkit.check" and doc["episodes"] == 1 and doc["cues"] >= 1
    assert doc["errors"] == 0 and doc["warnings"] == len(doc["findings"])
    # a broken published file: an error finding, exit 1, the document still printed
    vtt = show / "feeds" / "episodes" / "one" / "en" / "transcript.vtt"
    saved = vtt.read_bytes()
    vtt.write_text("this is not WebVTT\n")
    try:
        bad = toolkit("check", "--root", str(show), "--json", cwd=show)
    finally:
        vtt.write_bytes(saved)
    assert bad.returncode == 1
    doc = json.loads(bad.stdout)
    assert doc["errors"] >= 1
    assert any(f["severity"] == "error" and "transcript.vtt" in (f["path"] or f["message"]) for f in doc["findings"])
    assert set(doc["findings"][0]) == {"severity", "rule", "message", "episode", "cue", "start_ms", "path"}


def test_errors_stay_one_line_not_json(tmp_path: Path) -> None:
    proc = toolkit("publish", "--root", str(tmp_path), "--json", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == "" and "show.toml not found" in proc.stderr
