"""Weight and time to interactive of the transcript page of the 17-minute seed feature, in Chromium.

    .venv/bin/python bench/bench_page.py [--runs 15] [--site DIR] [--phone]

The seed show is built from ``../shared/seeds`` (narrated by espeak-ng, cached in
tests/.cache, published by the real ``toolkit publish``) unless ``--site`` names an
already published ``feeds/`` folder (to measure an older page the same way).  The
page ``episodes/seed-narrative/en/index.html`` is served by ``toolkit serve`` and
opened ``--runs`` times in Debian's Chromium (headless, a fresh context each time,
desktop size or 390×844 with ``--phone``).

Printed:

* **weight** — the page is one self-contained file (CSS and JS inlined): its bytes and
  gzip -9 bytes, and the CSS, JS and word-timing (``data-w``) parts of it;
* **time to interactive** — navigation start → the end of DOMContentLoaded (the inline
  script runs before it: the player, the search index and the roving tabindex are
  ready then) or the end of the last long task (> 50 ms) if later, with the total
  blocking time (sum of long tasks beyond 50 ms); medians over the runs;
* **search** — one search of a common word over the whole transcript, run in the page;
* the same page **without its script** (the static transcript) as the baseline measured
  in the same run, and the ratio.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # support.seeds / support.browser: the helpers the tests use

from support.browser import ARGS, CHROMIUM, DESKTOP, PHONE  # noqa: E402
from toolkit.serve import start_background  # noqa: E402

PAGE = "episodes/seed-narrative/en/index.html"
STATIC = "static-baseline.html"  # the same page without its script, next to it (same relative links)
SEEDS = REPO.parent / "shared" / "seeds"

OBSERVE = """
window.__long = [];
try { new PerformanceObserver((l) => { for (const e of l.getEntries()) { window.__long.push([e.startTime, e.duration]); } })
      .observe({type: 'longtask', buffered: true}); } catch (e) {}
"""

MEASURE = """() => new Promise((resolve) => {
    setTimeout(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const long = window.__long || [];
        const lastLong = long.reduce((m, [s, d]) => Math.max(m, s + d), 0);
        resolve({dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, lastLong: lastLong,
                 tbt: long.reduce((t, [s, d]) => t + Math.max(0, d - 50), 0),
                 fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime});
    }, 1500);
})"""

SEARCH = """(word) => { const input = document.getElementById('search'); if (!input) { return null; }
    const t0 = performance.now(); input.value = word;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
    const t1 = performance.now(); return [t1 - t0, document.querySelectorAll('#transcript mark').length]; }"""


def build_site(tmp: Path) -> Path:
    from support.seeds import make_seed_show

    root = make_seed_show(tmp, SEEDS, target_languages=())
    proc = subprocess.run([sys.executable, "-m", "toolkit", "publish", "episode", "seed-narrative", "--root", str(root)],
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)
    return root / "feeds"


def weight(html: str) -> dict[str, int]:
    def gz(text: str) -> int:
        return len(gzip.compress(text.encode("utf-8"), 9, mtime=0))

    css = "".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    js = "".join(re.findall(r"<script>(.*?)</script>", html, re.S))
    words = "".join(re.findall(r' data-w="[^"]*"', html))
    return {"html": len(html.encode()), "html_gz": gz(html), "css": len(css.encode()), "css_gz": gz(css),
            "js": len(js.encode()), "js_gz": gz(js), "words": len(words.encode()),
            "cues": html.count('class="cue"')}


def load(browser, url: str, phone: bool, strip_script: bool) -> dict[str, float]:
    """One fresh load: the timings, and a search where the page has its script."""
    context = browser.new_context(viewport=PHONE if phone else DESKTOP)
    page = context.new_page()
    if strip_script:
        url = url.replace("index.html", STATIC)
    page.add_init_script(OBSERVE)
    page.goto(url, wait_until="load")
    m = page.evaluate(MEASURE)
    out = {"tti": max(m["dcl"], m["lastLong"]), "tbt": m["tbt"], "dcl": m["dcl"], "fcp": m["fcp"]}
    if not strip_script:
        found = page.evaluate(SEARCH, "the")
        if found:
            out["search"] = found[0]
    context.close()
    return out


def measure(browser, url: str, runs: int, phone: bool) -> tuple[dict[str, float], dict[str, float]]:
    """Medians for the static and the interactive page, loaded in turn (drift on a busy machine hits both)."""
    static: list[dict[str, float]] = []
    page: list[dict[str, float]] = []
    for _ in range(runs):
        static.append(load(browser, url, phone, True))
        page.append(load(browser, url, phone, False))

    def median(rows: list[dict[str, float]]) -> dict[str, float]:
        return {k: statistics.median(r[k] for r in rows) for k in rows[0]}

    return median(static), median(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--site", type=Path, help="an already published feeds/ folder with the seed feature")
    parser.add_argument("--phone", action="store_true", help="390×844 instead of 1280×800")
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        sys.exit(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-page-") as tmp:
        if args.site:
            feeds = Path(tmp) / "feeds"
            shutil.copytree(args.site, feeds)
        else:
            if not SEEDS.is_dir():
                sys.exit("../shared/seeds is not there: nothing to measure")
            feeds = build_site(Path(tmp))
        html = (feeds / PAGE).read_text(encoding="utf-8")
        (feeds / PAGE).with_name(STATIC).write_text(re.sub(r"<script>.*?</script>", "", html, flags=re.S),
                                                   encoding="utf-8")
        w = weight(html)
        print(f"page: {PAGE}  ({w['cues']} lines)")
        print(f"weight: {w['html']:,} B, gzip {w['html_gz']:,} B  "
              f"(CSS {w['css']:,} B / gzip {w['css_gz']:,} B, JS {w['js']:,} B / gzip {w['js_gz']:,} B, "
              f"data-w {w['words']:,} B)")
        with start_background(feeds) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            url = server.url + PAGE
            load(browser, url, args.phone, False)  # warm the server and the disk cache
            static, page = measure(browser, url, args.runs, args.phone)
            browser.close()
    size = "390×844" if args.phone else "1280×800"
    print(f"Chromium {size}, median of {args.runs} loads:")
    print(f"  static transcript (no script): first paint {static['fcp']:.0f} ms, DOMContentLoaded {static['dcl']:.0f} ms,"
          f" interactive {static['tti']:.0f} ms")
    print(f"  interactive page             : first paint {page['fcp']:.0f} ms, DOMContentLoaded {page['dcl']:.0f} ms,"
          f" interactive {page['tti']:.0f} ms, total blocking {page['tbt']:.0f} ms")
    if "search" in page:
        print(f"  search 'the' over the whole transcript: {page['search']:.1f} ms")
    print(f"ratio interactive / static: time to interactive {page['tti'] / max(static['tti'], 1):.2f}×,"
          f" DOMContentLoaded {page['dcl'] / max(static['dcl'], 1):.2f}× ({page['dcl'] - static['dcl']:+.0f} ms: the script)")


if __name__ == "__main__":
    main()
