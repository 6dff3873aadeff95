"""The W3C WebVTT file-parsing suite, run against three parsers.

The suite is web-platform-tests ``webvtt/parsing/file-parsing``: one ``.vtt``
file per case and the JavaScript assertions a browser must pass on the cues
of its ``<track>`` (``cues.length``, ``id``, ``startTime``, ``text``,
``align``, ``line``…).  It is not part of this repository: pass a fetched copy
with ``--suite DIR`` (kept out of git; the default ``.wpt/file-parsing`` is
ignored by git).  Two layouts are understood:

* the one w3c/webvtt.js vendors: ``DIR/<case>.vtt`` + ``DIR/<case>.js``;
* web-platform-tests itself: ``DIR/<case>.html`` (assertions inside
  ``trackLoaded``) + ``DIR/support/<case>.vtt``.

Each parser's cues are dumped as TextTrackCue-like objects (sorted like a
TextTrack's cue list: start time, then end time descending) and the
unmodified assertions are evaluated in Node with testharness-like
``assert_*`` functions (``bench/wpt_assert.js``).  Parsers:

* ``toolkit`` — :func:`toolkit.formats.webvtt.parse`;
* ``webvtt-py`` — ``webvtt.from_string`` (settings read from its string
  values as a browser would);
* ``reference`` — npm ``webvtt-parser`` (w3c/webvtt.js), from ``tests/js``.

The score is over the 30 cases without regions (region syntax is optional
and the reference has none); region cases are listed separately.  A speed
ratio against webvtt-py on a generated one-hour file closes the report.

    .venv/bin/python bench/bench_webvtt_wpt.py [--suite DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.formats import webvtt as tk  # noqa: E402

JS = ROOT / "tests" / "js"


def load_suite(folder: Path) -> list[tuple[str, str, str]]:
    """(case name, vtt text, assertion JS) for every case found in ``folder``."""
    cases: list[tuple[str, str, str]] = []
    for js in sorted(folder.glob("*.js")):
        vtt = js.with_suffix(".vtt")
        if vtt.is_file():
            cases.append((js.stem, _read(vtt), js.read_text(encoding="utf-8")))
    for page in sorted(folder.glob("*.html")):
        m = re.search(r"track\.src\s*=\s*'([^']+)'", page.read_text(encoding="utf-8"))
        body = re.search(r"var cues = video\.textTracks\[0\]\.cues;\s*\{(.*)\}\s*this\.done\(\);",
                         page.read_text(encoding="utf-8"), re.S)
        if m and body and (folder / m.group(1)).is_file() and page.stem not in {c[0] for c in cases}:
            cases.append((page.stem, _read(folder / m.group(1)), body.group(1)))
        elif m and "trackError" in page.read_text(encoding="utf-8") and (folder / m.group(1)).is_file():
            # signature tests expect the error event: no cues at all
            if "assert_unreached('got unexpected load event')" in page.read_text(encoding="utf-8"):
                cases.append((page.stem, _read(folder / m.group(1)), "assert_equals(cues.length, 0);"))
    return cases


def _read(path: Path) -> str:
    # what a browser does with a text track: UTF-8 decode (the BOM is dropped)
    return path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")


def _order(cues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(cues, key=lambda c: (c["startTime"], -c["endTime"]))


def toolkit_cues(text: str) -> list[dict[str, Any]]:
    try:
        doc = tk.parse(text)
    except tk.SignatureError:
        return []
    regions = {r.id: r for r in doc.regions}
    out = []
    for c in doc.cues:
        s = c.settings
        region = regions.get(s.region) if s.region is not None else None
        out.append({
            "id": c.id, "startTime": c.start / 1000, "endTime": c.end / 1000, "text": c.text,
            "vertical": s.vertical, "line": s.line, "snapToLines": s.snap_to_lines, "lineAlign": s.line_align,
            "position": s.position, "positionAlign": s.position_align, "size": s.size, "align": s.align,
            "region": None if region is None else {
                "key": f"{region.id}@{region.line}", "id": region.id, "lines": region.lines,
                "width": region.width, "scroll": region.scroll,
                "regionAnchorX": region.region_anchor[0], "regionAnchorY": region.region_anchor[1],
                "viewportAnchorX": region.viewport_anchor[0], "viewportAnchorY": region.viewport_anchor[1],
            },
        })
    return _order(out)


def _pct(value: str) -> float | str | None:
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        return None
    return number if math.isfinite(number) else str(number)


def webvtt_py_cues(text: str) -> list[dict[str, Any]]:
    import webvtt

    try:
        vtt = webvtt.from_string(text)
    except Exception:  # noqa: BLE001 - MalformedFileError & co: the file is rejected
        return []
    out = []
    for c in vtt.captions:
        s = c.settings
        cue: dict[str, Any] = {
            "id": c.identifier or "", "startTime": c.start_time.in_milliseconds() / 1000,
            "endTime": c.end_time.in_milliseconds() / 1000, "text": c.raw_text, "vertical": "",
            "line": "auto", "snapToLines": True, "lineAlign": "start", "position": "auto",
            "positionAlign": "auto", "size": 100, "align": "center", "region": None,
        }
        if getattr(s, "vertical", None):
            cue["vertical"] = s.vertical
        if getattr(s, "line", None):
            pos, _, align = s.line.partition(",")
            cue["line"] = _pct(pos) if pos.endswith("%") else _pct(pos)
            cue["snapToLines"] = not pos.endswith("%")
            cue["lineAlign"] = align or "start"
        if getattr(s, "position", None):
            pos, _, align = s.position.partition(",")
            cue["position"] = _pct(pos)
            cue["positionAlign"] = align or "auto"
        if getattr(s, "size", None):
            cue["size"] = _pct(s.size)
        if getattr(s, "align", None):
            cue["align"] = s.align
        out.append(cue)
    return _order(out)


def reference_cues(texts: list[str]) -> list[list[dict[str, Any]]]:
    proc = subprocess.run(["node", str(JS / "parse_vtt.js")], input=json.dumps({"texts": texts}),
                          capture_output=True, text=True, cwd=JS, check=True)
    files = json.loads(proc.stdout)["files"]
    return [[{**c, "region": None} for c in f["cues"]] for f in files]


def evaluate(cases: list[tuple[str, str]], cues: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    payload = {"cases": [{"name": name, "assertions": js, "cues": c} for (name, js), c in zip(cases, cues)]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(payload, fh)
    try:
        proc = subprocess.run(["node", str(ROOT / "bench" / "wpt_assert.js"), fh.name],
                              capture_output=True, text=True, check=True)
    finally:
        Path(fh.name).unlink()
    return json.loads(proc.stdout)["results"]


def _one_hour(seed: int = 7) -> str:
    rng = random.Random(seed)
    words = "the quick brown fox jumps over a lazy dog while we talk about repairs and clocks".split()
    blocks, t = ["WEBVTT"], 0
    for i in range(2000):
        d = rng.randint(1200, 3400)
        text = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14)))
        blocks.append(f"{i + 1}\n{tk.timecode.vtt(t)} --> {tk.timecode.vtt(t + d)} align:start position:10%\n"
                      f"<v Speaker {i % 3}>{text}")
        t += d + 80
    return "\n\n".join(blocks) + "\n"


def speed(repeat: int = 3) -> tuple[float, float, int]:
    import webvtt

    text = _one_hour()
    best_tk = best_py = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = len(tk.parse(text))
        best_tk = min(best_tk, time.perf_counter() - t0)
        t0 = time.perf_counter()
        webvtt.from_string(text)
        best_py = min(best_py, time.perf_counter() - t0)
    return best_tk, best_py, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", type=Path, default=ROOT / ".wpt" / "file-parsing")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    cases = load_suite(args.suite)
    if not cases:
        sys.exit(f"no cases in {args.suite} (pass a fetched copy of the suite with --suite)")
    named = [(name, js) for name, _, js in cases]
    texts = [vtt for _, vtt, _ in cases]
    parsers = {
        "toolkit": [toolkit_cues(t) for t in texts],
        "webvtt-py": [webvtt_py_cues(t) for t in texts],
        "reference": reference_cues(texts),
    }
    region = {name for name, _ in named if "region" in name}
    print(f"W3C WebVTT file-parsing suite: {len(cases)} cases in {args.suite} "
          f"({len(cases) - len(region)} without regions)")
    for parser, cues in parsers.items():
        results = evaluate(named, cues)
        core = [r for r in results if r["name"] not in region]
        extra = [r for r in results if r["name"] in region]
        print(f"  {parser:10s} {sum(r['pass'] for r in core)}/{len(core)}"
              f"   (region cases {sum(r['pass'] for r in extra)}/{len(extra)})")
        for r in results:
            if not r["pass"] and (args.verbose or parser == "toolkit"):
                print(f"      FAIL {r['name']}: {r['message']}")
    t_tk, t_py, n = speed()
    print(f"parse a one-hour file ({n} cues): toolkit {t_tk * 1000:.1f} ms, webvtt-py {t_py * 1000:.1f} ms "
          f"(toolkit / webvtt-py = {t_tk / t_py:.2f})")


if __name__ == "__main__":
    main()
