"""Driving Debian's Chromium with Playwright, for the browser tests.

::

    from support.browser import launch, new_page, open_ready, axe_violations

    with launch() as browser:                       # one browser per test module
        page = new_page(browser, phone=True)       # 390×844, touch
        open_ready(page, url)                      # loaded, audio metadata there
        assert axe_violations(page) == []

Every wait is on a condition in the page with a generous upper bound: nothing
here depends on how fast the machine is.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from support.tools import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]
WAIT_MS = 60_000  # slow shared machine: generous, and only ever an upper bound on a condition
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0–2.2 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@contextlib.contextmanager
def launch() -> Iterator[Any]:
    """Headless Debian Chromium (skip, or fail under CI, when it or Playwright is missing)."""
    if not CHROMIUM.is_file():
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright Python package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """A page in its own context, collecting JavaScript errors and failed requests."""

    def __init__(self, browser: Any, *, phone: bool = False, dark: bool = False, js: bool = True,
                 clipboard: bool = False, reduced_motion: bool = False) -> None:
        options: dict[str, Any] = dict(viewport=PHONE if phone else DESKTOP, color_scheme="dark" if dark else "light",
                                       java_script_enabled=js, reduced_motion="reduce" if reduced_motion else "no-preference")
        if phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        self.context = browser.new_context(**options)
        if clipboard:
            self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.errors: list[str] = []
        self.missing: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", lambda r: self.missing.append(r.url) if r.status == 404 else None)

    def close(self) -> None:
        self.context.close()


def open_ready(pg: Any, url: str, *, audio: bool = True) -> None:
    """Open the page and wait until the audio's metadata is there (a real user clicks after that)."""
    response = pg.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    if audio:
        pg.wait_for_function("() => document.getElementById('audio').readyState >= 1", timeout=WAIT_MS)


def wait_time(pg: Any, seconds: float, tolerance: float = 0.002) -> None:
    pg.wait_for_function("([t, d]) => Math.abs(document.getElementById('audio').currentTime - t) < d",
                         arg=[seconds, tolerance], timeout=WAIT_MS)


def current_time(pg: Any) -> float:
    return float(pg.evaluate("() => document.getElementById('audio').currentTime"))


def set_time(pg: Any, seconds: float) -> None:
    """Seek the <audio> element directly (not through the page's controls) and wait for it."""
    pg.evaluate("""(t) => new Promise((resolve) => {
        const a = document.getElementById('audio');
        a.addEventListener('seeked', () => resolve(), {once: true});
        a.currentTime = t;
    })""", seconds)


def pause(pg: Any) -> None:
    pg.evaluate("() => document.getElementById('audio').pause()")


def record_seeks(pg: Any) -> None:
    """From now on, window.__seeks lists every position the page seeks the audio to."""
    pg.evaluate("""() => { window.__seeks = []; window.__seen = 0; const a = document.getElementById('audio');
        a.addEventListener('seeking', () => window.__seeks.push(a.currentTime)); }""")


def last_seek(pg: Any) -> float:
    """The position of the first seek made since the previous call, waiting for it: the media element fires
    `seeking` from a queued task, so it may come after the click or key press that caused it has returned."""
    pg.wait_for_function("() => window.__seeks.length > window.__seen", timeout=WAIT_MS)
    return float(pg.evaluate("() => window.__seeks[window.__seen++]"))


def current_cue(pg: Any) -> str | None:
    return pg.evaluate("() => { const c = document.querySelector('#transcript [aria-current=time]');"
                       " return c ? c.id : null; }")


def wait_current_cue(pg: Any, cue_id: str) -> None:
    pg.wait_for_function("(id) => { const c = document.getElementById(id);"
                         " return c && c.getAttribute('aria-current') === 'time'; }", arg=cue_id, timeout=WAIT_MS)


def highlighted(pg: Any, name: str) -> list[str]:
    """The text of each range of a CSS Custom Highlight (tk-word, tk-quote)."""
    return pg.evaluate("(n) => { const h = CSS.highlights.get(n); return h ? Array.from(h, r => r.toString()) : []; }",
                       name)


def player_bottom(pg: Any) -> float:
    return float(pg.evaluate("() => document.getElementById('player').getBoundingClientRect().bottom"))


def settle(pg: Any) -> None:
    """Wait until the page has stopped scrolling (smooth scrolling takes a few frames)."""
    pg.wait_for_function("""() => new Promise((resolve) => {
        let last = -1, still = 0;
        const step = () => { if (window.scrollY === last) { still += 1; } else { still = 0; last = window.scrollY; }
                             if (still >= 5) { resolve(true); } else { requestAnimationFrame(step); } };
        requestAnimationFrame(step); })""", timeout=WAIT_MS)


def visible_below_player(pg: Any, selector_js: str) -> dict[str, float]:
    """Top/bottom of an element (a JS expression) against the sticky player and the viewport,
    once scrolling has settled."""
    settle(pg)
    return pg.evaluate(f"""() => {{ const el = {selector_js}; const r = el.getBoundingClientRect();
        const p = document.getElementById('player').getBoundingClientRect();
        return {{top: r.top, bottom: r.bottom, player: p.bottom, height: window.innerHeight}}; }}""")


def axe_violations(pg: Any, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """axe-core (npm) run on the page as it is now: [{id, impact, nodes: [target…]}]."""
    if not AXE.is_file():
        skip_or_fail("axe-core is not installed (scripts/setup --test installs tests/js)")
    pg.add_script_tag(path=str(AXE))
    found = pg.evaluate("""(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations']})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))})))""",
                        tags or AXE_TAGS)
    return list(found)


def ax_node(pg: Any, selector: str) -> dict[str, str]:
    """Chromium's computed accessibility role, name and description of an element."""
    cdp = pg.context.new_cdp_session(pg)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"][0]
    finally:
        cdp.detach()

    def value(key: str) -> str:
        return str((ax.get(key) or {}).get("value", ""))

    return {"role": value("role"), "name": value("name"), "description": value("description")}


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_rgb(text: str) -> tuple[float, float, float]:
    """``rgb(1, 2, 3)`` / ``rgba(…)`` / ``#rrggbb`` → (r, g, b)."""
    text = text.strip()
    if text.startswith("#"):
        return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    parts = text[text.index("(") + 1:text.index(")")].replace("/", " ").replace(",", " ").split()
    return float(parts[0]), float(parts[1]), float(parts[2])


def luminance(rgb: tuple[float, float, float]) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def delta_e(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """CIE76 colour difference in L*a*b* (D65): ~2 is just noticeable, over 25 clearly different colours."""
    def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
        r, g, b_ = (_linear(c) for c in rgb)
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b_) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b_
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b_) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    return math.dist(lab(a), lab(b))
