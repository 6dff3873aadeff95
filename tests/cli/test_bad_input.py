"""Every "Bad input" item of issues 2–5 through the REAL command line.

Each case runs ``python -m toolkit …`` in a subprocess with the show folder as
working directory, on a fresh copy of a tiny show (one demo episode) that was
published once, and asserts the contract the README promises:

* exit status 1 (2 only for click usage errors);
* stderr is exactly one line — ``error: <file>[:line]: <what>`` — with no
  traceback, naming the file and the line / cue / key / JSON path;
* nothing lost: every file of the show (feeds/, translations/, episodes/,
  show.toml…) has the same sha256 as before the command, and no temporary
  file (``.name.XXXX.tmp`` from toolkit.fsutil) is left anywhere.

Inputs the product must *accept* (UTF-8 with BOM, UTF-16 LE with BOM) and
hostile-but-valid text (HTML/script in titles, notes, speaker names and cues)
are checked to publish and to come out escaped.
"""

from __future__ import annotations

import hashlib
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.tools import skip_or_fail

REPO = Path(__file__).resolve().parents[2]
SLUG = "darning-a-sweater"  # the demo episode that arrives as a timed SRT (no alignment: fast)
EP = f"episodes/{SLUG}"
PUBLISH = ("publish", "episode", SLUG)
TIMEOUT = 600  # generous: a slow shared 2-core machine; never a timed assertion


# --------------------------------------------------------------------------- running the CLI


@dataclass
class Run:
    rc: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def _env(argos_home: Path) -> dict[str, str]:
    """The test environment, with argos pointed at ``argos_home`` (isolated per test
    where packages matter) and a wide terminal so nothing is wrapped."""
    env = os.environ.copy()
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        env[var] = str(argos_home / sub)
    env["ARGOS_PACKAGES_DIR"] = str(argos_home / "data" / "argos-translate" / "packages")
    env.pop("ARGOS_PACKAGE_INDEX", None)
    env["COLUMNS"] = "200"
    return env


def toolkit(root: Path, *args: str, argos_home: Path | None = None) -> Run:
    """``python -m toolkit ARGS`` with cwd = ``root`` (the show folder)."""
    home = argos_home if argos_home is not None else root.parent / "argos-home"
    proc = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=root, env=_env(home),
                          capture_output=True, text=True, timeout=TIMEOUT)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every file of the show, except the translation memory / caches in
    ``.toolkit/`` (derived data that a run may legitimately update)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] != ".toolkit":
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def temp_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.name.endswith(".tmp"))


def assert_fails(root: Path, args: tuple[str, ...], *expected: str, rc: int = 1,
                 argos_home: Path | None = None) -> str:
    """Run a command that must fail; check the exit status, the one-line error
    (containing every string of ``expected``) and that nothing changed.
    Returns the error line."""
    before = snapshot(root)
    run = toolkit(root, *args, argos_home=argos_home)
    assert run.rc == rc, f"exit {run.rc}\nstdout:\n{run.out}\nstderr:\n{run.err}"
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    lines = run.err_lines
    assert len(lines) == 1, f"stderr must be one line:\n{run.err}"
    line = lines[0]
    assert line.startswith("error: "), line
    assert line.count("rror:") == 1, line  # no "Error: error: …" duplicates
    for text in expected:
        assert text in line, f"{text!r} not in {line!r}"
    after = snapshot(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"files changed by a failing command: {changed}"
    assert not temp_files(root), temp_files(root)
    return line


# --------------------------------------------------------------------------- the shows


def _make_show(base: Path, repo_root: Path, targets: str) -> Path:
    root = base / "show"
    (root / "episodes").mkdir(parents=True)
    shutil.copy(repo_root / "cover.png", root / "cover.png")
    shutil.copytree(repo_root / EP, root / EP)
    text = (repo_root / "show.toml").read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^target_languages = .*$", f"target_languages = {targets}", text)
    assert n == 1
    (root / "show.toml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def base_show(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """One demo episode, target language qps-ploc (pseudo-localization), published once."""
    if not (repo_root / EP / "episode.toml").is_file():
        pytest.skip("demo show not present")
    root = _make_show(tmp_path_factory.mktemp("base"), repo_root, '["qps-ploc"]')
    run = toolkit(root, "publish")
    assert run.rc == 0, run.err
    assert (root / "feeds" / "episodes" / SLUG / "qps-ploc" / "transcript.vtt").is_file()
    return root


@pytest.fixture()
def show(base_show: Path, tmp_path: Path) -> Path:
    """A fresh copy of the published base show, for one test to break."""
    root = tmp_path / "show"
    shutil.copytree(base_show, root)
    return root


def _need_apertium() -> None:
    from toolkit.translate.apertium import mode_for

    if shutil.which("apertium") is None or mode_for("en", "es") is None:
        skip_or_fail("apertium eng-spa not installed (apt-get install apertium-eng-spa)")


@pytest.fixture(scope="module")
def base_es(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """The same episode translated to es with apertium (a real store in
    translations/), published once, with a PO, VTT and SRT export next to it."""
    _need_apertium()
    root = _make_show(tmp_path_factory.mktemp("base-es"), repo_root, '["es"]')
    run = toolkit(root, "publish")
    assert run.rc == 0, run.err
    assert (root / "translations" / SLUG / "es.vtt").is_file()
    for fmt in ("po", "vtt", "srt"):
        run = toolkit(root, "translations", "export", SLUG, "--lang", "es", "--format", fmt,
                      "--out", f"export.es.{fmt}")
        assert run.rc == 0, run.err
    return root


@pytest.fixture()
def show_es(base_es: Path, tmp_path: Path) -> Path:
    root = tmp_path / "show"
    shutil.copytree(base_es, root)
    return root


def _edit(path: Path, old: str, new: str, *, encoding: str = "utf-8") -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, f"{old!r} not in {path}"
    path.write_bytes(text.replace(old, new, 1).encode(encoding))


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# =========================================================================== issue 2: publishing core


def _use_transcript(root: Path, name: str, data: bytes) -> Path:
    """Replace the episode's transcript by ``transcript.<ext>`` holding ``data``."""
    (root / EP / "transcript.srt").unlink()
    path = root / EP / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"", b"  \n\n\t \r\n"], ids=["empty", "whitespace"])
@pytest.mark.parametrize("name", ["transcript.srt", "transcript.txt", "transcript.vtt"])
def test_empty_transcript(show: Path, name: str, data: bytes) -> None:
    _use_transcript(show, name, data)
    line = assert_fails(show, PUBLISH, f"{name}:1:")
    assert "empty" in line or "no subtitle cues" in line or "WEBVTT" in line


def test_transcript_with_a_stray_byte_names_file_and_line(show: Path) -> None:
    """A UTF-8 transcript with one Latin-1 byte pasted into it is broken, not a
    code page to guess: one line naming the file and line, and what to do."""
    srt = show / EP / "transcript.srt"
    text = srt.read_text(encoding="utf-8").replace("long life.", "long life — ça va.", 1)  # "—" is UTF-8
    srt.write_bytes(text.replace("ça va", "\x00MARK\x00").encode("utf-8").replace(b"\x00MARK\x00", b"\xe7a va"))
    line = assert_fails(show, PUBLISH, f"transcript.srt:{_line_of(srt, 'a va')}:", "UTF-8", "0xE7")
    assert "save the file as UTF-8" in line and "encoding" in line  # says what to do


def test_declared_encoding_that_does_not_fit(show: Path) -> None:
    srt = show / EP / "transcript.srt"
    _edit(srt, "long life.", "long life, café au lait.", encoding="cp1252")
    toml = show / EP / "episode.toml"
    toml.write_text('encoding = "utf-8"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    assert_fails(show, PUBLISH, f"transcript.srt:{_line_of(srt, 'caf')}:", "not UTF-8", "episode.toml")


def test_unknown_declared_encoding(show: Path) -> None:
    toml = show / EP / "episode.toml"
    toml.write_text('encoding = "klingon"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    assert_fails(show, PUBLISH, "episode.toml:", "encoding", "klingon")


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_legacy_code_page_is_detected_and_reported(show: Path, codec: str) -> None:
    """Notepad / Word "Plain text" on Western Windows: read (detected with
    charset-normalizer, or as declared in episode.toml), and said so."""
    srt = show / EP / "transcript.srt"
    _edit(srt, "long life.", "long life, café au lait — “yes”." if codec == "cp1252" else "long life, café au lait.",
          encoding=codec)
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err
    assert "read transcript.srt as Windows-1252 (detected)" in run.out
    vtt = (show / "feeds" / "episodes" / SLUG / "en" / "transcript.vtt").read_text(encoding="utf-8")
    assert "café au lait" in " ".join(vtt.split())


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16"], ids=["utf8-bom", "utf16le-bom"])
def test_bom_encodings_are_accepted_and_publish_identically(base_show: Path, show: Path, bom: str) -> None:
    """UTF-8 with BOM (Windows Notepad) and UTF-16 LE with BOM (Subtitle Edit's
    "Unicode") are the same transcript: publishing gives byte-identical outputs."""
    srt = show / EP / "transcript.srt"
    data = srt.read_text(encoding="utf-8").encode(bom)
    if bom == "utf-16":
        assert data[:2] == b"\xff\xfe"  # little-endian with BOM on every platform we run on
        data = b"\xff\xfe" + srt.read_text(encoding="utf-8").encode("utf-16-le")
    srt.write_bytes(data)
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err
    assert "Traceback" not in run.err
    feeds = {k: v for k, v in snapshot(show).items() if k.startswith("feeds/")}
    base = {k: v for k, v in snapshot(base_show).items() if k.startswith("feeds/")}
    assert feeds == base


def _srt_timing_line(root: Path, timing: str) -> int:
    return _line_of(root / EP / "transcript.srt", timing)


@pytest.mark.parametrize("bad", [
    "00:00:4x401 --> 00:00:06,763",  # not a number
    "00:00:04,401 -> 00:00:06,763",  # broken arrow
    "00:00:04,401 --> 00:00:06",     # no milliseconds
    "00:00:06,763 --> 00:00:04,401",  # end before start
])
def test_malformed_srt_names_file_and_line(show: Path, bad: str) -> None:
    timing = "00:00:04,401 --> 00:00:06,763"
    n = _srt_timing_line(show, timing)
    _edit(show / EP / "transcript.srt", timing, bad)
    line = assert_fails(show, PUBLISH, f"transcript.srt:{n}:")
    if bad.startswith("00:00:06"):
        assert "before it starts" in line
    else:
        assert "HH:MM:SS,mmm" in line  # shows the expected form


VTT = """WEBVTT

1
00:00:00.800 --> 00:00:03.865
<v Ana>Priya, you brought a sweater with a hole in the elbow.

2
00:00:04.401 --> 00:00:06.763
It looks like it has had a long life.
"""


def test_vtt_transcript_is_accepted(show: Path) -> None:
    _use_transcript(show, "transcript.vtt", VTT.encode())
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err
    vtt = (show / "feeds" / "episodes" / SLUG / "en" / "transcript.vtt").read_text(encoding="utf-8")
    assert "long life" in vtt


@pytest.mark.parametrize(("old", "new", "line_no", "words"), [
    ("WEBVTT\n\n", "", 1, "WEBVTT"),                                         # missing header
    ("WEBVTT\n", "WEBVTT-ish\n", 1, "WEBVTT"),                               # bad header
])
def test_malformed_vtt_names_file_and_line(show: Path, old: str, new: str, line_no: int, words: str) -> None:
    """The signature is the one thing that rejects a whole WebVTT file."""
    assert old in VTT
    _use_transcript(show, "transcript.vtt", VTT.replace(old, new, 1).encode())
    assert_fails(show, PUBLISH, f"transcript.vtt:{line_no}:", words)


@pytest.mark.parametrize(("old", "new", "rule"), [
    ("00:00:04.401 -->", "00:00:04.4x1 -->", "bad cue timing"),
    ("00:00:04.401 --> 00:00:06.763", "00:00:06.763 --> 00:00:04.401", "before it starts"),
])
def test_bad_vtt_cue_is_skipped_and_reported(show: Path, old: str, new: str, rule: str) -> None:
    """As the WebVTT parsing algorithm (and every browser) does: the one bad cue
    is skipped, not the file — and the summary says which line and what text."""
    _use_transcript(show, "transcript.vtt", VTT.replace(old, new, 1).encode())
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err
    assert re.search(rf"dropped transcript\.vtt:8 \(cue skipped: .*{rule}.*\): It looks like it has had",
                     run.out), run.out
    vtt = (show / "feeds" / "episodes" / SLUG / "en" / "transcript.vtt").read_text(encoding="utf-8")
    assert "brought a sweater" in vtt and "long life" not in vtt


def test_vtt_without_a_readable_cue_is_an_error(show: Path) -> None:
    bad = VTT.replace("00:00:00.800 -->", "00:00:00.8 -->").replace("00:00:04.401 -->", "00:00:04.4x1 -->")
    _use_transcript(show, "transcript.vtt", bad.encode())
    assert_fails(show, PUBLISH, "transcript.vtt:4:", "no cues", "bad cue timing")


WHISPER = {"text": "…", "language": "en", "segments": [
    {"id": 0, "start": 0.8, "end": 3.86, "text": " Priya, you brought a sweater with a hole in the elbow."},
    {"id": 1, "start": 4.4, "end": 6.76, "text": " It looks like it has had a long life."},
]}


def _whisper(mutate: Callable[[dict], object]) -> bytes:
    data = json.loads(json.dumps(WHISPER))
    replaced = mutate(data)
    return json.dumps(data if replaced is None else replaced).encode()


def test_whisper_json_is_accepted(show: Path) -> None:
    _use_transcript(show, "transcript.json", json.dumps(WHISPER).encode())
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"segments": [', ["transcript.json:1:", "not valid JSON"]),
    (_whisper(lambda d: d.pop("segments") and None), ["transcript.json:", "'segments'"]),
    (_whisper(lambda d: {"segments": "none"}), ["transcript.json:", "segments"]),
    (_whisper(lambda d: [1, 2]), ["transcript.json:", "[0]"]),
    (_whisper(lambda d: d["segments"][1].pop("end") and None),
     ["transcript.json:", "segments[1].end", "missing"]),
    (_whisper(lambda d: d["segments"][1].update(start="4.4")), ["transcript.json:", "segments[1].start"]),
    (_whisper(lambda d: d["segments"][0].update(text=7)), ["transcript.json:", "segments[0].text"]),
    (_whisper(lambda d: d["segments"][1].update(start=9.0)), ["transcript.json:", "segments[1]"]),
    (_whisper(lambda d: d.update(segments=[])), ["transcript.json:", "segments", "empty"]),
], ids=["not-json", "no-segments", "segments-not-list", "list-of-numbers", "no-end", "string-time",
        "text-not-string", "end-before-start", "no-segments-at-all"])
def test_whisper_json_of_the_wrong_shape_names_the_json_path(show: Path, data: bytes,
                                                             expected: list[str]) -> None:
    _use_transcript(show, "transcript.json", data)
    assert_fails(show, PUBLISH, *expected)


def test_missing_audio_file(show: Path) -> None:
    (show / EP / "audio.mp3").unlink()
    assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", "audio", "'audio.mp3' not found")


@pytest.mark.parametrize("data", [bytes(range(256)) * 64, b""], ids=["random-bytes", "empty-file"])
def test_corrupt_audio(show: Path, data: bytes) -> None:
    (show / EP / "audio.mp3").write_bytes(data)
    line = assert_fails(show, PUBLISH, f"{SLUG}/audio.mp3:")
    assert "corrupt audio" in line and "re-export it as MP3 or M4A" in line or "audio file is empty" in line


def test_audio_shorter_than_timed_transcript(show: Path) -> None:
    srt = show / EP / "transcript.srt"
    srt.write_text(srt.read_text(encoding="utf-8").rstrip("\n")
                   + "\n\n99\n00:09:00,000 --> 00:09:03,000\nWords after the end of the audio.\n",
                   encoding="utf-8")
    line = assert_fails(show, PUBLISH, f"{SLUG}/audio.mp3:", "long but the transcript ends at 00:09:03")
    assert f"transcript.srt:{_line_of(srt, 'Words after the end')}" in line  # the cue to look at


def test_untimed_text_that_cannot_be_spoken_in_the_audio(show: Path) -> None:
    """An untimed transcript far longer than its audio (the wrong file, a
    trailer's audio) is an error naming both files, not cues past the end."""
    long_text = "The sweater belonged to my uncle and it is older than I am, so it deserves a repair. " * 60
    _use_transcript(show, "transcript.txt", long_text.encode())
    line = assert_fails(show, PUBLISH, "transcript.txt:", "audio.mp3", "cannot be spoken")
    assert "letters/s" in line


def test_episode_in_its_own_language_asks_for_no_model(show: Path) -> None:
    """An episode whose language differs from the show's, with no translation
    asked for it: published in its language, its page linking the main feed;
    no engine or model is needed."""
    toml = show / EP / "episode.toml"
    toml.write_text('language = "de"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    _edit_show(show, r"^target_languages = .*$", "target_languages = []")
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err
    folder = show / "feeds" / "episodes" / SLUG
    manifest = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    assert [x["lang"] for x in manifest["languages"]] == ["de"]
    page = (folder / "de" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page and "../../../index.html" in page and "../../../de/" not in page


def test_failed_publish_leaves_no_audio_behind(show: Path, tmp_path: Path) -> None:
    """A language whose model is missing fails before anything is written: no
    copied audio (or anything else) is left in feeds/."""
    shutil.rmtree(show / "feeds")
    (show / "feeds").mkdir()
    assert_fails(show, (*PUBLISH, "--lang", "de"), "no en → de translation installed", argos_home=tmp_path / "a")
    assert not any((show / "feeds").rglob("*"))


@pytest.mark.parametrize("slug", ["../x", "a/b", "..", "/etc", "Bad Slug"])
def test_slug_that_could_escape_is_refused(show: Path, slug: str) -> None:
    line = assert_fails(show, ("publish", "episode", slug), f"invalid episode slug {slug!r}")
    assert "no '/' or '..'" in line
    assert not (show.parent / "x").exists() and not (show / "feeds" / "episodes" / "a").exists()


def test_unknown_slug_lists_the_episodes(show: Path) -> None:
    assert_fails(show, ("publish", "episode", "no-such-episode"), "episodes/no-such-episode:",
                 "no episode folder", SLUG)


def test_check_reports_bad_input_like_publish(show: Path) -> None:
    """``toolkit check <slug>`` runs the same source stages: same one-line error."""
    _edit(show / EP / "transcript.srt", "00:00:04,401 --> 00:00:06,763", "00:00:06,763 --> 00:00:04,401")
    assert_fails(show, ("check", SLUG), "transcript.srt:", "before it starts")


# =========================================================================== issue 3: feeds and pages


def _edit_show(root: Path, pattern: str, repl: str) -> None:
    path = root / "show.toml"
    text, n = re.subn(pattern, repl, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert n == 1, pattern
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("field", ["title", "description", "author", "base_url", "language", "image",
                                   "owner.email"])
def test_missing_show_field_names_field_and_file(show: Path, field: str) -> None:
    key = field.split(".")[-1]
    _edit_show(show, rf"^{key} = .*\n", "")
    assert_fails(show, PUBLISH, "show.toml:", f"{field}: missing required field")


def test_show_toml_syntax_error_names_line(show: Path) -> None:
    n = _line_of(show / "show.toml", "explicit = false")
    _edit_show(show, r"^explicit = false", "explicit = = false")
    assert_fails(show, PUBLISH, f"show.toml:{n}:", "invalid TOML")


@pytest.mark.parametrize(("value", "words"), [
    ('["Basket Weaving"]', "unknown Apple Podcasts category 'Basket Weaving'"),
    ('["Leisure > Knitting"]', "not a sub-category of 'Leisure'"),
    ("[]", "at least one"),
])
def test_bad_category(show: Path, value: str, words: str) -> None:
    _edit_show(show, r"^categories = .*$", f"categories = {value}")
    assert_fails(show, PUBLISH, "show.toml:", "categories", words)


@pytest.mark.parametrize(("key", "value"), [("language", '"english"'), ("language", '"xx"'),
                                            ("target_languages", '["zz"]')])
def test_invalid_language_code(show: Path, key: str, value: str) -> None:
    _edit_show(show, rf"^{key} = .*$", f"{key} = {value}")
    line = assert_fails(show, PUBLISH, "show.toml:", "language code", key)
    assert "ISO 639-1" in line


@pytest.mark.parametrize("url", ["fieldnotes.example.org", "//fieldnotes.example.org", "ftp://x.example.org"])
def test_base_url_without_http_scheme(show: Path, url: str) -> None:
    _edit_show(show, r"^base_url = .*$", f'base_url = "{url}"')
    assert_fails(show, PUBLISH, "show.toml:", "base_url", "absolute http(s) URL", "e.g. https://")


def _image(size: tuple[int, int], fmt: str, mode: str = "RGB") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new(mode, size, color=(20, 60, 120) if mode == "RGB" else 0).save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "words"), [
    (_image((500, 500), "PNG"), "500×500 px"),
    (_image((1400, 1500), "PNG"), "not square"),
    (_image((3200, 3200), "PNG"), "between 1400 and 3000"),
    (_image((1400, 1400), "GIF"), "GIF image"),
    (_image((1400, 1400), "JPEG"), "a JPEG file named '.png'"),
    (_image((1400, 1400), "PNG", "RGBA"), "colour mode RGBA"),
    (b"this is not an image", "not a readable image"),
], ids=["500px", "not-square", "too-big", "gif", "jpeg-named-png", "alpha", "garbage"])
def test_cover_image_of_wrong_size_or_type(show: Path, data: bytes, words: str) -> None:
    (show / "cover.png").write_bytes(data)
    line = assert_fails(show, PUBLISH, "show.toml:", "image: cover.png", words)
    assert "square JPEG or PNG of 1400–3000 px" in line  # what a good one is


def test_cover_image_missing(show: Path) -> None:
    (show / "cover.png").unlink()
    assert_fails(show, PUBLISH, "show.toml:", "image: cover.png", "not found")


def test_episode_without_audio_field(show: Path) -> None:
    path = show / EP / "episode.toml"
    path.write_text(re.sub(r'(?m)^audio = .*\n', "", path.read_text(encoding="utf-8")), encoding="utf-8")
    line = assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", "audio: missing required field")
    assert "audio file" in line


def _duplicate_episode(root: Path) -> None:
    shutil.copytree(root / EP, root / "episodes" / "darning-again")


def test_duplicate_guid_whole_show(show: Path) -> None:
    _duplicate_episode(show)
    assert_fails(show, ("publish",), "episode.toml:", "guid '48f8a0b6", "darning-a-sweater", "darning-again")


def test_duplicate_guid_one_episode_writes_nothing(show: Path) -> None:
    """``publish episode`` of the copy must fail *before* writing its files (it used
    to write feeds/episodes/darning-again/ and only then refuse in write_show).

    Two episodes cannot have the same slug: the slug is the folder name, and a
    folder name is unique in ``episodes/`` -- so the duplicate guid is the case."""
    _duplicate_episode(show)
    assert_fails(show, ("publish", "episode", "darning-again"), "darning-again/episode.toml:",
                 "guid '48f8a0b6", "darning-a-sweater")
    assert not (show / "feeds" / "episodes" / "darning-again").exists()


# ---- hostile text: publish succeeds, everything comes out escaped


HOSTILE = {
    "show": "Field <script>alert('SHOWX')</script> Notes",
    "title": "Darning <script>alert('TITLEX')</script> & <b>Co</b>",
    "notes": "<script>alert('NOTESX')</script><img src=x onerror=alert('IMGX')> Priya mends a sweater.",
    "speaker": "Priya <script>alert('SPEAKERX')</script>",
    "cue": "It looks <script>alert('CUEX')</script> & <img src=y onerror=alert('CUEIMG')> old.",
}
MARKERS = ("SHOWX", "TITLEX", "NOTESX", "IMGX", "SPEAKERX", "CUEX", "CUEIMG")


class _Page(html.parser.HTMLParser):
    """Collects script bodies, event-handler attributes and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        self.handlers += [f"{tag} {k}={v}" for k, v in attrs if k.startswith("on")]
        if tag == "img":
            self.handlers += [f"img src={v}" for k, v in attrs if k == "src" and v in ("x", "y")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def test_html_and_script_in_user_text_is_escaped(show: Path) -> None:
    _edit_show(show, r'^title = .*$', f"title = {_toml_str(HOSTILE['show'])}")
    ep = show / EP / "episode.toml"
    text = ep.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^title = .*$', lambda _: f"title = {_toml_str(HOSTILE['title'])}", text)
    text = re.sub(r'(?m)^description = .*$', lambda _: f"description = {_toml_str(HOSTILE['notes'])}", text)
    text = text.replace('name = "Priya Nair"', f"name = {_toml_str(HOSTILE['speaker'])}")
    ep.write_text(text, encoding="utf-8")
    _edit(show / EP / "transcript.srt", "It looks like it has had a long life.", HOSTILE["cue"])

    run = toolkit(show, "publish")
    assert run.rc == 0, run.err
    assert "Traceback" not in run.err

    # feed.xml: well-formed XML whose *text* is the user's literal string
    feed = ET.parse(show / "feeds" / "feed.xml").getroot()
    channel = feed.find("channel")
    assert channel is not None and channel.findtext("title") == HOSTILE["show"]
    item = channel.find("item")
    assert item is not None and item.findtext("title") == HOSTILE["title"]
    assert "alert('NOTESX')" in (item.findtext("description") or "")
    persons = [el.text for el in item.iter("{https://podcastindex.org/namespace/1.0}person")]
    assert HOSTILE["speaker"] in persons
    raw = (show / "feeds" / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw

    # pages: no live script or handler from user text, and the text is visible literally
    pages = [show / "feeds" / "index.html", show / "feeds" / "episodes" / SLUG / "en" / "index.html",
             show / "feeds" / "episodes" / SLUG / "qps-ploc" / "index.html"]
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        for body in parser.scripts:
            assert not any(m in body for m in MARKERS), f"{page}: user text inside a <script>"
        assert not parser.handlers, f"{page}: {parser.handlers}"
        if "/qps-ploc/" not in page.as_posix():  # pseudo-localized: its texts are transformed
            assert HOSTILE["show"] in " ".join(" ".join(parser.text).split()), page
    en = _Page()
    en.feed(pages[1].read_text(encoding="utf-8"))
    visible = " ".join(" ".join(en.text).split())
    for literal in (HOSTILE["title"], "<script>alert('CUEX')</script> &", HOSTILE["speaker"]):
        assert literal in visible, literal

    # subtitles: VTT escapes < and & (a bare "<" would hide text in browsers); JSON keeps the text
    vtt = (show / "feeds" / "episodes" / SLUG / "en" / "transcript.vtt").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('CUEX')&lt;/script&gt; &amp;" in " ".join(vtt.split())
    segments = json.loads((show / "feeds" / "episodes" / SLUG / "en" / "transcript.json").read_text())
    assert "<script>alert('CUEX')</script> &" in " ".join(s["body"] for s in segments["segments"])


# =========================================================================== issue 4: translation


def test_unknown_language_code(show: Path) -> None:
    line = assert_fails(show, (*PUBLISH, "--lang", "xx"), "unknown language code 'xx'", "--lang")
    assert "ISO 639-1" in line
    assert_fails(show, (*PUBLISH, "--lang", "english"), "invalid language code 'english'", "--lang")


def test_pair_not_installed_says_how_to_install(show: Path, tmp_path: Path) -> None:
    """argos is the show's default engine; no en→de package is installed."""
    home = tmp_path / "empty-argos"
    line = assert_fails(show, (*PUBLISH, "--lang", "de"), "argos", "en → de",
                        "toolkit models install en de", argos_home=home)
    assert ".argosmodel" in line


def _models_list(root: Path, home: Path) -> str:
    run = toolkit(root, "models", "list", argos_home=home)
    assert run.rc == 0, run.err
    return run.out


def _bad_zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "words"), [
    (b"PK\x03\x04 this is not really a zip", "not a zip archive"),
    (b"", "not a zip archive"),
    (_bad_zip({"pkg/README": "no metadata"}), "no metadata.json"),
    (_bad_zip({"pkg/metadata.json": "{not json"}), "metadata.json is not JSON"),
], ids=["not-zip", "empty", "no-metadata", "bad-metadata"])
def test_corrupt_argosmodel_installs_nothing(show: Path, tmp_path: Path, data: bytes, words: str) -> None:
    home = tmp_path / "argos"
    (show / "corrupt.argosmodel").write_bytes(data)
    listed = _models_list(show, home)
    assert_fails(show, ("models", "install", "corrupt.argosmodel"), "corrupt.argosmodel:", words,
                 "nothing was installed", argos_home=home)
    assert _models_list(show, home) == listed
    packages = home / "data" / "argos-translate" / "packages"
    assert not packages.is_dir() or not any(packages.iterdir())
    assert not temp_files(home)


def test_models_install_missing_file(show: Path, tmp_path: Path) -> None:
    assert_fails(show, ("models", "install", "nothere.argosmodel"), "nothere.argosmodel", "not found",
                 argos_home=tmp_path / "argos")


def test_models_install_unknown_code(show: Path, tmp_path: Path) -> None:
    assert_fails(show, ("models", "install", "en", "xx"), "unknown language code 'xx'",
                 argos_home=tmp_path / "argos")


# =========================================================================== issue 5: round trip


IMPORT = ("translations", "import")
SRT_FLAGS = ("--slug", SLUG, "--lang", "es")
STORE = f"translations/{SLUG}/es.vtt"


def _corrected_po(root: Path) -> Path:
    """The PO export with one real correction, so a rejection is not a no-op."""
    po = root / "export.es.po"
    import polib

    cat = polib.pofile(str(po))
    cat[1].msgstr = "Parece que ha tenido una vida larga."
    cat.save(str(po))
    return po


def _store_bytes(root: Path) -> bytes:
    return (root / STORE).read_bytes()


def _set_cue_text(path: Path, fmt: str, n: int, text: str) -> None:
    """Give the n-th cue (1-based) of an export ``text`` (as a translator's editor
    would), whatever the engine made of it; written back as UTF-8."""
    import polib

    raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    if fmt == "po":
        cat = polib.pofile(raw)
        cat[n - 1].msgstr = text
        path.write_bytes(str(cat).encode("utf-8"))
        return
    blocks = raw.split("\n\n")
    cues = [i for i, b in enumerate(blocks) if "-->" in b and not b.startswith(("NOTE", "WEBVTT"))]
    lines = blocks[cues[n - 1]].split("\n")
    at = next(i for i, line in enumerate(lines) if "-->" in line) + 1
    blocks[cues[n - 1]] = "\n".join(lines[:at] + ([text] if text else []))
    path.write_bytes("\n\n".join(blocks).encode("utf-8"))


def _first_non_ascii_line(path: Path) -> int:
    return next(i for i, line in enumerate(path.read_bytes().split(b"\n"), 1) if any(b > 0x7F for b in line))


def _cue_timing(root: Path, fmt: str, n: int) -> str:
    """The timing line of the n-th cue (1-based) of an export."""
    text = (root / f"export.es.{fmt}").read_bytes().decode("utf-8-sig")
    return [line for line in text.splitlines() if "-->" in line][n - 1]


def test_import_good_file_applies(show_es: Path) -> None:
    """Control: the same corrected file without a defect is applied (so the
    rejections below are caused by the defect alone)."""
    _corrected_po(show_es)
    before = _store_bytes(show_es)
    run = toolkit(show_es, *IMPORT, "export.es.po")
    assert run.rc == 0, run.err
    assert "1 changed" in run.out
    assert _store_bytes(show_es) != before


def test_import_wrong_language(show_es: Path) -> None:
    po = _corrected_po(show_es)
    _edit(po, '"Language: es\\n"', '"Language: fr\\n"')
    assert_fails(show_es, (*IMPORT, "export.es.po", "--lang", "es"), "export.es.po:", "wrong language",
                 "'fr'", "'es'")
    # without --lang the file's own language is taken: there is no French store
    assert_fails(show_es, (*IMPORT, "export.es.po"), "export.es.po:", "fr.vtt", "publish the episode")
    # an SRT says nothing: --lang decides
    assert_fails(show_es, (*IMPORT, "export.es.srt", "--slug", SLUG, "--lang", "de"), "export.es.srt:",
                 "de.vtt")


def test_import_wrong_episode(show_es: Path) -> None:
    po = _corrected_po(show_es)
    _edit(po, f"X-Toolkit-Episode: {SLUG}", "X-Toolkit-Episode: the-clock-doctor")
    assert_fails(show_es, (*IMPORT, "export.es.po", "--slug", SLUG), "export.es.po:", "wrong episode",
                 "'the-clock-doctor'")
    line = assert_fails(show_es, (*IMPORT, "export.es.po"), "export.es.po:", "'the-clock-doctor'",
                        "this show does not have")
    assert SLUG in line  # the hint lists the show's episodes
    _edit(show_es / "export.es.vtt", f"slug={SLUG}", "slug=../../etc")
    assert_fails(show_es, (*IMPORT, "export.es.vtt"), "export.es.vtt:", "invalid episode slug '../../etc'")


def test_export_unknown_episode(show_es: Path) -> None:
    assert_fails(show_es, ("translations", "export", "nope", "--lang", "es"), "episodes/nope:",
                 "no episode folder 'nope'", SLUG)
    assert not (show_es / "nope.es.po").exists()


def test_import_srt_without_slug_and_lang(show_es: Path) -> None:
    assert_fails(show_es, (*IMPORT, "export.es.srt"), "export.es.srt:", "pass --slug and --lang")


@pytest.mark.parametrize("fmt", ["po", "vtt", "srt"])
def test_import_broken_encoding(show_es: Path, fmt: str) -> None:
    path = show_es / f"export.es.{fmt}"
    _set_cue_text(path, fmt, 2, "Parece que ha tenido una vida más larga.")
    text = path.read_bytes().decode("utf-8")
    path.write_bytes(text.encode("cp1252", errors="replace"))  # saved as "ANSI" by a Windows editor
    flags = SRT_FLAGS if fmt == "srt" else ()
    line = assert_fails(show_es, (*IMPORT, path.name, *flags),
                        f"{path.name}:{_first_non_ascii_line(path)}:", "not UTF-8")
    assert "save the file as UTF-8" in line


@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_import_overlapping_cues(show_es: Path, fmt: str) -> None:
    path = show_es / f"export.es.{fmt}"
    _set_cue_text(path, fmt, 2, "Parece que ha tenido una vida muy larga.")
    second = _cue_timing(show_es, fmt, 2)
    sep = "," if fmt == "srt" else "."
    _edit(path, second, f"00:00:03{sep}000 -->" + second.split("-->")[1])
    flags = SRT_FLAGS if fmt == "srt" else ()
    line = assert_fails(show_es, (*IMPORT, path.name, *flags), f"{path.name}:", "1 problem(s)",
                        "nothing applied", "cue 2 (00:00:03.000", "overlaps cue 1")
    run = toolkit(show_es, *IMPORT, path.name, *flags)  # the summary of rejected cues (stdout)
    assert "rejected: cue 2 (00:00:03.000" in run.out and "1 rejected" in run.out, run.out
    assert line


@pytest.mark.parametrize("fmt", ["po", "vtt", "srt"])
def test_import_empty_cue_text(show_es: Path, fmt: str) -> None:
    path = show_es / f"export.es.{fmt}"
    # a valid correction of cue 1 in the same file must not be applied either
    _set_cue_text(path, fmt, 1, "Priya, has traído un suéter con un agujero en el codo.")
    _set_cue_text(path, fmt, 2, " " if fmt == "po" else "")
    flags = SRT_FLAGS if fmt == "srt" else ()
    assert_fails(show_es, (*IMPORT, path.name, *flags), f"{path.name}:", "nothing applied", "cue 2",
                 "empty text")
    run = toolkit(show_es, *IMPORT, path.name, *flags)
    assert "nothing applied: 1 rejected; 1 other correction(s)" in run.out, run.out


def test_import_unknown_format(show_es: Path) -> None:
    (show_es / "notes.txt").write_text("hola\n", encoding="utf-8")
    assert_fails(show_es, (*IMPORT, "notes.txt"), "notes.txt:", "expected .srt, .vtt, .po or .xlf")


def test_import_missing_file_is_a_usage_error(show_es: Path) -> None:
    before = snapshot(show_es)
    run = toolkit(show_es, *IMPORT, "nothere.po")
    assert run.rc == 2 and "nothere.po" in run.err and "Traceback" not in run.err, run.err
    assert snapshot(show_es) == before


def test_status_strict_fails_on_a_stale_cue(show_es: Path) -> None:
    """Correct a cue, then change its source sentence and republish: the correction
    is kept but stale, and ``status --strict`` exits 1 naming the store and the cue."""
    ok = toolkit(show_es, "translations", "status", "--strict")
    assert ok.rc == 0, ok.err
    _corrected_po(show_es)
    run = toolkit(show_es, *IMPORT, "export.es.po")
    assert run.rc == 0, run.err
    run = toolkit(show_es, "translations", "status", "--strict")
    assert run.rc == 0, run.err  # human, not stale
    _edit(show_es / EP / "transcript.srt", "It looks like it has had a long life.",
          "It looks like it has had a very long life.")
    run = toolkit(show_es, *PUBLISH)
    assert run.rc == 0, run.err
    vtt = (show_es / "feeds" / "episodes" / SLUG / "es" / "transcript.vtt").read_text(encoding="utf-8")
    assert "Parece que ha tenido una vida larga." in " ".join(vtt.split())  # the correction survives
    line = assert_fails(show_es, ("translations", "status", "--strict"), "1 stale cue(s)",
                        f"translations/{SLUG}/es.vtt", f"{SLUG}-",
                        f"toolkit translations export {SLUG} --lang es")
    assert re.search(rf"{SLUG}-[0-9a-f]{{8}}", line), line
    plain = toolkit(show_es, "translations", "status")  # without --strict: a report, exit 0
    assert plain.rc == 0 and "stale in" in plain.out, plain.err
