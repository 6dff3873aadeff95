"""Kill ``toolkit publish`` and ``toolkit translations import`` anywhere (issue 10).

A real show (one demo episode, Spanish through Apertium, a translator's
correction already imported) is published; then the source changes (publish
test) or a second correction arrives (import test).  The command is run to
completion once for the reference, then started again and again on fresh
copies and killed with SIGKILL -- after random delays, and at forced moments
between a temporary file being fully written and renamed onto its target.
After each kill:

* every file in ``feeds/`` and ``translations/`` is byte for byte its old or
  its new version (nothing half written, nothing stray, nothing lost) and
  parses (XML, JSON, WebVTT, the store, HTML);
* no temporary file is in ``feeds/`` or ``translations/``;
* every cue a translator corrected is still corrected, with the same text;
* running the command again gives exactly the reference's files.

Bounded: a fixed seed, 6 + 4 random kills and 4 forced ones (about a minute).
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import random
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_bad_input import EP, SLUG, TIMEOUT, _edit, _env, _make_show, _need_apertium, toolkit

REPO = Path(__file__).resolve().parents[2]
KILL_CHILD = REPO / "tests" / "support" / "kill_child.py"
STORE = f"translations/{SLUG}/es.vtt"
RANDOM_PUBLISH_KILLS = 6
RANDOM_IMPORT_KILLS = 4
SEED = 10


def _published(root: Path) -> dict[str, str]:
    """sha256 of every file in feeds/ and translations/ (what is uploaded or kept)."""
    out = {}
    for top in ("feeds", "translations"):
        for path in sorted((root / top).rglob("*")):
            if path.is_file():
                out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _human(root: Path) -> dict[str, str]:
    from toolkit.review.store import load_store_at

    store = load_store_at(root / STORE)
    assert store is not None
    return {e.id: e.text for e in store.entries if e.state in ("human", "stale")}


def _correct(root: Path, po_name: str, n: int, text: str) -> Path:
    import polib

    run = toolkit(root, "translations", "export", SLUG, "--lang", "es", "--format", "po", "--out", po_name)
    assert run.rc == 0, run.err
    po = polib.pofile(str(root / po_name))
    po[n].msgstr = text
    po.save(str(root / po_name))
    return root / po_name


@pytest.fixture(scope="module")
def shows(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> dict[str, object]:
    _need_apertium()
    base = tmp_path_factory.mktemp("kill")
    root = _make_show(base, repo_root, '["es"]')
    run = toolkit(root, "publish")
    assert run.rc == 0, run.err
    fix1 = _correct(root, "fix1.po", 1, "Parece que ha tenido una vida larga.")
    for args in (("translations", "import", fix1.name), ("publish",)):
        run = toolkit(root, *args)
        assert run.rc == 0, run.err
    human = _human(root)
    assert human, "the fixture needs a corrected cue"
    _correct(root, "fix2.po", 0, "Priya, has traído un jersey con un agujero en el codo.")  # for the import
    old = _published(root)

    publish_old = base / "publish-old"  # the source changed, not yet published
    shutil.copytree(root, publish_old)
    _edit(publish_old / EP / "transcript.srt", "The wool is still good,", "The wool is still fine,")
    _edit(publish_old / EP / "episode.toml", "Priya Nair mends a hole", "Priya Nair mends a big hole")
    publish_new = base / "publish-new"
    shutil.copytree(publish_old, publish_new)
    started = time.monotonic()
    run = toolkit(publish_new, "publish")
    publish_seconds = time.monotonic() - started
    assert run.rc == 0, run.err

    import_new = base / "import-new"
    shutil.copytree(root, import_new)
    started = time.monotonic()
    run = toolkit(import_new, "translations", "import", "fix2.po")
    import_seconds = time.monotonic() - started
    assert run.rc == 0 and "1 changed" in run.out, run.out + run.err
    assert _published(publish_new) != _published(publish_old) and _published(import_new) != old
    return {"base": base, "root": root, "human": human, "old": old,
            "publish_old": publish_old, "publish_new": _published(publish_new), "publish_seconds": publish_seconds,
            "import_new": _published(import_new), "import_seconds": import_seconds}


class _Html(html.parser.HTMLParser):
    pass


def _parses(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".xml":
        ET.fromstring(data)
    elif path.suffix == ".json":
        json.loads(data)
    elif path.suffix == ".vtt":
        assert data.startswith(b"WEBVTT"), path
        if path.parent.name != ".history" and path.parents[1].name == "translations":
            from toolkit.review.store import load_store_at

            load_store_at(path)
    elif path.suffix == ".html":
        text = data.decode("utf-8")
        assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>"), path
        _Html().feed(text)
    elif path.suffix in (".srt", ".po"):
        data.decode("utf-8")


def _check_after_kill(root: Path, old: dict[str, str], new: dict[str, str], human: dict[str, str],
                      what: str) -> None:
    now = _published(root)
    for rel, digest in now.items():
        assert digest in (old.get(rel), new.get(rel)), f"{what}: {rel} is neither the old nor the new version"
        _parses(root / rel)
    for rel in old.keys() & new.keys():
        assert rel in now, f"{what}: {rel} vanished"
    strays = [p for top in ("feeds", "translations") for p in (root / top).rglob("*.tmp")]
    assert not strays, f"{what}: {strays}"
    kept = _human(root)
    for cue_id, text in human.items():
        assert kept.get(cue_id) == text, f"{what}: correction of {cue_id} lost"


def _kill_after(root: Path, delay: float, *args: str) -> int:
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", *args], cwd=root, env=_env(root.parent / "argos-home"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=TIMEOUT)


def _kill_at(root: Path, suffix: str, nth: int, *args: str) -> int:
    proc = subprocess.run([sys.executable, str(KILL_CHILD), suffix, str(nth), "--", *args], cwd=root,
                          env=_env(root.parent / "argos-home"), capture_output=True, text=True, timeout=TIMEOUT)
    return proc.returncode


def _fresh(shows: dict[str, object], source: str, name: str) -> Path:
    target = Path(shows["base"]) / "runs" / name  # type: ignore[arg-type]
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(Path(shows[source]), target)  # type: ignore[arg-type]
    return target


def test_publish_killed_anywhere(shows: dict[str, object]) -> None:
    rng = random.Random(SEED)
    seconds = float(shows["publish_seconds"])  # type: ignore[arg-type]
    kills: list[tuple[str, object]] = [("random", rng.uniform(0.05, seconds)) for _ in range(RANDOM_PUBLISH_KILLS)]
    kills += [("forced", ("/es.vtt", 1)), ("forced", ("transcript.vtt", 2)), ("forced", ("episode.json", 1)),
              ("forced", ("feed.xml", 1))]
    killed = 0
    for i, (how, when) in enumerate(kills):
        root = _fresh(shows, "publish_old", f"publish-{i}")
        if how == "random":
            rc = _kill_after(root, float(when), "publish")  # type: ignore[arg-type]
        else:
            suffix, nth = when  # type: ignore[misc]
            rc = _kill_at(root, suffix, nth, "publish")
            assert rc == -signal.SIGKILL, f"the forced kill at {suffix} did not happen"
        killed += rc == -signal.SIGKILL
        what = f"publish killed ({how} {when})"
        _check_after_kill(root, shows["old"], shows["publish_new"], shows["human"], what)  # type: ignore[arg-type]
        run = toolkit(root, "publish")
        assert run.rc == 0, f"{what}: the next publish failed: {run.err}"
        assert _published(root) == shows["publish_new"], f"{what}: the next publish differs from an uninterrupted one"
    assert killed >= 4, f"only {killed} runs were really interrupted"


def test_import_killed_anywhere(shows: dict[str, object]) -> None:
    rng = random.Random(SEED + 1)
    seconds = float(shows["import_seconds"])  # type: ignore[arg-type]
    kills: list[tuple[str, object]] = [("random", rng.uniform(0.05, seconds)) for _ in range(RANDOM_IMPORT_KILLS)]
    kills += [("forced", ("/es.vtt", 1))]
    for i, (how, when) in enumerate(kills):
        root = _fresh(shows, "root", f"import-{i}")
        if how == "random":
            _kill_after(root, float(when), "translations", "import", "fix2.po")  # type: ignore[arg-type]
        else:
            suffix, nth = when  # type: ignore[misc]
            assert _kill_at(root, suffix, nth, "translations", "import", "fix2.po") == -signal.SIGKILL
        what = f"import killed ({how} {when})"
        _check_after_kill(root, shows["old"], shows["import_new"], shows["human"], what)  # type: ignore[arg-type]
        run = toolkit(root, "translations", "import", "fix2.po")
        assert run.rc == 0, f"{what}: importing again failed: {run.err}"
        assert _published(root) == shows["import_new"], f"{what}: importing again differs from an uninterrupted import"
