"""End to end on the demo show through the real CLI: publish, export, edit, import, status.

Skips while the source stages (ingest → timing → segment) or translation are
still stubs, so it starts running as soon as they land.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from toolkit import config, pipeline
from toolkit.cli import main


@pytest.fixture()
def demo(tmp_path: Path, repo_root: Path) -> Path:
    if not (repo_root / "show.toml").is_file():
        pytest.skip("demo show not present")
    root = tmp_path / "show"
    shutil.copytree(repo_root, root, ignore=shutil.ignore_patterns(
        ".git", ".venv", "tests", "toolkit", "feeds", "translations", "node_modules", "*.egg-info"))
    show = config.load_show(root)
    slug = config.episode_slugs(show)[0]
    pipeline.publish_episode(show, slug, languages=["es"])
    return root


def test_round_trip_on_the_demo_show(demo: Path, tmp_path: Path) -> None:
    show = config.load_show(demo)
    slug = config.episode_slugs(show)[0]
    runner = CliRunner()
    status = runner.invoke(main, ["translations", "status", "--root", str(demo), "--strict"])
    assert status.exit_code == 0, status.output
    assert "0%" in status.output
    out = tmp_path / "es.po"
    res = runner.invoke(main, ["translations", "export", slug, "--lang", "es", "--format", "po",
                               "--out", str(out), "--root", str(demo)])
    assert res.exit_code == 0, res.output
    po = polib.pofile(str(out))
    po[0].msgstr = "Corrección humana."
    po.save(str(out))
    res = runner.invoke(main, ["translations", "import", str(out), "--root", str(demo)])
    assert res.exit_code == 0, res.output
    assert "1 changed" in res.output
    status = runner.invoke(main, ["translations", "status", slug, "--root", str(demo)])
    assert " 1 " in status.output
    # the same with SRT (as Subtitle Edit saves it) and VTT, each correcting another cue
    for n, fmt in ((2, "srt"), (3, "vtt")):
        path = tmp_path / f"es.{fmt}"
        res = runner.invoke(main, ["translations", "export", slug, "--lang", "es", "--format", fmt,
                                   "--out", str(path), "--root", str(demo)])
        assert res.exit_code == 0, res.output
        blocks = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").split("\n\n")
        cues = [i for i, b in enumerate(blocks) if "-->" in b and not b.startswith(("NOTE", "WEBVTT"))]
        lines = blocks[cues[n - 1]].split("\n")
        at = next(i for i, line in enumerate(lines) if "-->" in line) + 1
        blocks[cues[n - 1]] = "\n".join(lines[:at] + [f"Corrección {fmt}."])
        path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join("\n\n".join(blocks).split("\n")).encode())
        extra = ["--slug", slug, "--lang", "es"] if fmt == "srt" else []
        res = runner.invoke(main, ["translations", "import", str(path), *extra, "--root", str(demo)])
        assert res.exit_code == 0, res.output
        assert "1 changed" in res.output, res.output
    status = runner.invoke(main, ["translations", "status", slug, "--root", str(demo)])
    assert " 3 " in status.output
    # republish: the corrections survive
    pipeline.publish_episode(show, slug, languages=["es"])
    vtt = (demo / "feeds" / "episodes" / slug / "es" / "transcript.vtt").read_text(encoding="utf-8")
    for text in ("Corrección humana.", "Corrección srt.", "Corrección vtt."):
        assert text in vtt.replace("\n", " ")
    # a rejected file leaves the store untouched
    store = demo / "translations" / slug / "es.vtt"
    before = store.read_bytes()
    po.metadata["Language"] = "fr"
    po.save(str(out))
    res = runner.invoke(main, ["translations", "import", str(out), "--lang", "es", "--root", str(demo)])
    assert res.exit_code == 1 and "wrong language" in res.output, res.output
    assert store.read_bytes() == before
    # without --lang the file's own language is used: there is no French store to import into
    res = runner.invoke(main, ["translations", "import", str(out), "--root", str(demo)])
    assert res.exit_code == 1 and "no translations store" in res.output, res.output


def test_xliff_round_trip_and_tmx_through_the_cli(demo: Path, tmp_path: Path) -> None:
    from translate.storage import tmx, xliff

    show = config.load_show(demo)
    slug = config.episode_slugs(show)[0]
    runner = CliRunner()
    out = tmp_path / "es.xlf"
    res = runner.invoke(main, ["translations", "export", slug, "--lang", "es", "--format", "xliff",
                               "--out", str(out), "--root", str(demo)])
    assert res.exit_code == 0, res.output
    store = xliff.xlifffile.parsestring(out.read_bytes())
    store.units[0].settarget("Corrección xliff.")
    out.write_bytes(bytes(store))
    res = runner.invoke(main, ["translations", "import", str(out), "--root", str(demo)])
    assert res.exit_code == 0, res.output
    assert "(xliff): 1 changed" in res.output
    # locked on export: the human cue cannot be changed through the file
    res = runner.invoke(main, ["translations", "export", slug, "--lang", "es", "--format", "xliff",
                               "--lock-reviewed", "--out", str(out), "--root", str(demo)])
    assert res.exit_code == 0, res.output
    store = xliff.xlifffile.parsestring(out.read_bytes())
    assert not store.units[0].istranslatable()
    store.units[0].settarget("Otra.")
    out.write_bytes(bytes(store))
    before = (demo / "translations" / slug / "es.vtt").read_bytes()
    res = runner.invoke(main, ["translations", "import", str(out), "--root", str(demo)])
    assert res.exit_code == 1 and "locked" in res.output, res.output
    assert (demo / "translations" / slug / "es.vtt").read_bytes() == before
    # the translation memory of the pair, as TMX
    tmx_path = tmp_path / "m.tmx"
    res = runner.invoke(main, ["translations", "tmx", "--lang", "es", "-o", str(tmx_path), "--root", str(demo)])
    assert res.exit_code == 0, res.output
    units = tmx.tmxfile.parsestring(tmx_path.read_bytes()).units
    assert len(units) > 10 and all(u.source and u.target for u in units)
    assert "apertium" in units[0].getnotes()
    res = runner.invoke(main, ["translations", "tmx", "--lang", "ja", "-o", str(tmx_path), "--root", str(demo)])
    assert res.exit_code == 1 and "no en → ja translations" in res.output, res.output
    pseudo = [lang for lang, engine in show.engines.items() if engine == "pseudo" and lang != "default"]
    if pseudo:  # pseudo-localization is not a translation: it is not exported as a memory
        pipeline.publish_episode(show, slug, languages=pseudo[:1])
        res = runner.invoke(main, ["translations", "tmx", "--lang", pseudo[0], "-o", str(tmx_path),
                                   "--root", str(demo)])
        assert res.exit_code == 1 and f"no en → {pseudo[0]} translations" in res.output, res.output
