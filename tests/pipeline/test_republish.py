"""Republishing end to end, as a user runs it: a fresh ``toolkit publish`` process each time.

The show is a copy of the demo show (an untimed episode aligned to its audio
and an SRT episode) with ``de`` through the real argos path (the suite's
fixture package: argostranslate + CTranslate2), ``qps-ploc`` pseudo, and ``es``
through apertium when apertium eng-spa is installed.  Each publish runs in a
subprocess via tests/pipeline/publish_child.py, which records the sentences the
real engines were asked to translate and which modules were imported.
Nothing here is timed (bench/bench_publish.py measures speed).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline_helpers import REPO, SENTENCE, TIMED, UNTIMED, copy_show

CHILD = REPO / "tests" / "pipeline" / "publish_child.py"
EDITED = "What usually brings a clock to your workbench?"


def _install_fixture(packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("tiny_argos_builder", REPO / "tests/fixtures/argos/build.py")
    assert spec and spec.loader
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    archive = builder.build_cached(REPO / "tests" / ".cache" / "argos", to_code="de")
    from toolkit.translate import packages as argos_packages

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))  # the toolkit installer reads it per call
    argos_packages.install_file(archive)


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    home = tmp_path / "argos-home"
    child = dict(os.environ)
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        child[var] = str(home / sub)
    child["ARGOS_PACKAGES_DIR"] = str(home / "data" / "argos-translate" / "packages")
    _install_fixture(Path(child["ARGOS_PACKAGES_DIR"]), monkeypatch)
    child["PYTHONPATH"] = str(REPO) + os.pathsep + child.get("PYTHONPATH", "")
    return child


def _languages() -> dict[str, str]:
    from toolkit.translate.apertium import mode_for

    langs = {"de": "argos", "qps-ploc": "pseudo"}
    if mode_for("en", "es"):
        langs["es"] = "apertium"
    return langs


def _show(root: Path, langs: dict[str, str]) -> Path:
    copy_show(root)
    toml = (root / "show.toml").read_text(encoding="utf-8").splitlines()
    out = []
    for line in toml:
        if line.startswith("target_languages ="):
            line = "target_languages = [" + ", ".join(f'"{lang}"' for lang in langs) + "]"
        elif line.startswith("engines ="):
            line = "engines = { " + ", ".join(f'{lang} = "{name}"' for lang, name in langs.items()) + " }"
        out.append(line)
    (root / "show.toml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return root


def _publish(root: Path, env: dict[str, str], stats: Path) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run([sys.executable, str(CHILD), str(stats), "publish", "--root", str(root)],
                          env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(stats.read_text(encoding="utf-8"))
    assert data["exit"] == 0
    return data


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_republish_is_free_and_one_edit_translates_one_sentence(tmp_path: Path, env: dict[str, str]) -> None:
    langs = _languages()
    root = _show(tmp_path / "show", langs)

    cold = _publish(root, env, tmp_path / "cold.json")
    for lang in langs:
        assert cold["calls"].get(lang, 0) >= 1, (lang, cold["calls"])
    assert cold["imported"]["argostranslate"] and cold["imported"]["ctranslate2"]  # the real argos path ran
    feeds = _tree(root / "feeds")
    assert any(name.startswith("episodes/the-clock-doctor/de/") for name in feeds)
    for slug in (UNTIMED, TIMED):
        assert (root / ".toolkit" / "cache" / "source" / f"{slug}.json").is_file()

    again = _publish(root, env, tmp_path / "again.json")
    assert again["calls"] == {} and again["sentences"] == {}
    assert not any(again["imported"][m] for m in ("argostranslate", "ctranslate2", "sentencepiece", "stanza"))
    assert _tree(root / "feeds") == feeds  # byte-identical

    transcript = root / "episodes" / UNTIMED / "transcript.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace(SENTENCE, EDITED), encoding="utf-8")
    edit = _publish(root, env, tmp_path / "edit.json")
    assert edit["sentences"] == {lang: [EDITED] for lang in langs}
    assert edit["calls"] == {lang: 1 for lang in langs}
    now = _tree(root / "feeds")
    assert any(now[name] != feeds.get(name) for name in now if name.startswith(f"episodes/{UNTIMED}/"))
    assert {n: d for n, d in now.items() if n.startswith(f"episodes/{TIMED}/")} == \
        {n: d for n, d in feeds.items() if n.startswith(f"episodes/{TIMED}/")}
