"""The published demo site (``feeds/``, what ``toolkit publish --root .`` wrote) in Debian's
Chromium: accessibility (axe-core, light and dark), touch targets on a 390×844 phone,
chapter and search jumps below the sticky player, follow-along, keyboard use, the
language switcher, the show page's shared player and subscribe buttons, the favicon.
The same checks run on the 17-minute commissioned seed feature when ``../shared/seeds``
is there (its text is read at test time, never stored here).

``tests/e2e/test_committed_site.py`` proves ``feeds/`` is what a fresh publish gives, so
these pages are the real output, served by ``toolkit serve``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from support.browser import (
    Tab,
    axe_violations,
    contrast,
    current_cue,
    delta_e,
    launch,
    open_ready,
    parse_rgb,
    pause,
    set_time,
    settle,
    visible_below_player,
    wait_current_cue,
    wait_time,
    WAIT_MS,
)

from toolkit.serve import start_background

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
FEEDS = REPO / "feeds"
SLUGS = ("spokes-and-patience", "the-clock-doctor", "darning-a-sweater")
LANGS = ("en", "es", "pt-BR", "qps-ploc")  # qps-ploc: the pseudo-localization, published, offered to no listener
SHOW_PAGES = ("index.html", "es/index.html", "pt-BR/index.html", "qps-ploc/index.html")
EPISODE_PAGES = tuple(f"episodes/{slug}/{lang}/index.html" for slug in SLUGS for lang in LANGS)
CHAPTERED = "episodes/spokes-and-patience/en/index.html"
INTERACTIVE = ("a[href], button, select, input:not([type=hidden]), summary, textarea, [tabindex]:not([tabindex='-1'])")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with start_background(FEEDS) as running:
        yield running


def tab(browser: Any, **kw: Any) -> Tab:
    return Tab(browser, **kw)


@pytest.fixture()
def desk(browser: Any) -> Iterator[Tab]:
    t = Tab(browser)
    yield t
    t.close()
    assert not t.errors, t.errors


@pytest.fixture(params=["desktop", "phone"])
def sized(browser: Any, request: pytest.FixtureRequest) -> Iterator[Tab]:
    t = Tab(browser, phone=request.param == "phone")
    yield t
    t.close()
    assert not t.errors, t.errors


def manifest(slug: str) -> dict[str, Any]:
    return json.loads((FEEDS / "episodes" / slug / "episode.json").read_text(encoding="utf-8"))


def base_url() -> str:
    """show.toml's base_url, as the feeds carry it."""
    text = (REPO / "show.toml").read_text(encoding="utf-8")
    found = re.search(r'^base_url\s*=\s*"([^"]+)"', text, re.M)
    assert found
    return found.group(1).rstrip("/")


# --------------------------------------------------------------------------- accessibility


def active_state(pg: Any) -> None:
    """Put an episode page in the state a listener leaves it in: playing position on a line,
    search hits, the shortcuts open, a shared link shown."""
    first = pg.locator("#transcript .cue").nth(2)
    first.click()
    pause(pg)
    word = pg.evaluate("() => (document.querySelector('#transcript .cue').textContent.match(/\\p{L}{4,}/u) || ['a'])[0]")
    pg.locator("#search").fill(word)
    pg.wait_for_function("() => document.querySelectorAll('#transcript mark').length > 0", timeout=WAIT_MS)
    pg.locator("details.keys summary").click()
    pg.locator("#share").click()
    pg.locator("#toast").wait_for(state="visible")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_violations(browser: Any, server: Any, dark: bool) -> None:
    t = tab(browser, dark=dark)
    found: dict[str, Any] = {}
    try:
        for page in SHOW_PAGES + EPISODE_PAGES:
            open_ready(t.page, server.url + page, audio=page in EPISODE_PAGES)
            found[page] = axe_violations(t.page)
        for page in (CHAPTERED, "episodes/the-clock-doctor/es/index.html", "episodes/darning-a-sweater/pt-BR/index.html",
                     "episodes/darning-a-sweater/qps-ploc/index.html"):
            open_ready(t.page, server.url + page)
            active_state(t.page)
            found[page + " (in use)"] = axe_violations(t.page)
        open_ready(t.page, server.url + "index.html", audio=False)
        t.page.locator(".ep-play").first.click()
        t.page.locator("#player").wait_for(state="visible")
        found["index.html (playing)"] = axe_violations(t.page)
        assert not t.errors, t.errors
    finally:
        t.close()
    # without JavaScript: the page as served minus its one script (axe itself needs JavaScript to run)
    no_js = tab(browser, dark=dark)
    try:
        def strip(route: Any) -> None:
            body = route.fetch().text()
            route.fulfill(body=re.sub(r"<script>.*?</script>", "", body, flags=re.S),
                          headers={"content-type": "text/html; charset=utf-8"})

        for page in ("index.html", CHAPTERED):
            no_js.page.route(server.url + page, strip)
            no_js.page.goto(server.url + page, wait_until="load")
            assert no_js.page.evaluate("() => document.scripts.length") == 0
            assert no_js.page.locator("audio[controls]").count() == (1 if page == CHAPTERED else 0)
            found[page + " (no JavaScript)"] = axe_violations(no_js.page)
    finally:
        no_js.close()
    assert {page: v for page, v in found.items() if v} == {}


def test_axe_does_report_what_it_should(desk: Tab, server: Any) -> None:
    """The check above can fail: the same page with a nameless button and an image without alt."""
    open_ready(desk.page, server.url + CHAPTERED)
    desk.page.evaluate("""() => { const b = document.createElement('button'); document.querySelector('main').append(b);
        const i = document.createElement('img'); i.src = '../../../cover.png'; document.querySelector('main').append(i); }""")
    assert {v["id"] for v in axe_violations(desk.page)} >= {"button-name", "image-alt"}


# --------------------------------------------------------------------------- touch targets


def targets(pg: Any) -> list[dict[str, Any]]:
    """Every visible control outside running text, with its target box (a checkbox's is its label)."""
    return pg.evaluate("""(sel) => Array.from(document.querySelectorAll(sel)).filter(e => {
            if (e.closest('#transcript') && e.classList.contains('cue')) { return false; }  // lines: inline text
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth && getComputedStyle(e).visibility !== 'hidden';
        }).map(e => { const box = (e.type === 'checkbox' && e.closest('label')) || e; const r = box.getBoundingClientRect();
            return {what: (e.id || e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 20)),
                    w: r.width, h: r.height}; })""", INTERACTIVE)


def test_touch_targets_are_44_px_on_a_phone(browser: Any, server: Any) -> None:
    t = tab(browser, phone=True, clipboard=True)
    pg = t.page
    small: list[dict[str, Any]] = []
    try:
        open_ready(pg, server.url + CHAPTERED)
        # the layout: one row of player buttons, and the sticky player leaves three quarters of the screen
        tops = pg.evaluate("() => Array.from(document.querySelectorAll('.pl-main > *'), e => e.getBoundingClientRect())"
                           ".filter(r => r.width).map(r => Math.round(r.top + r.height / 2))")
        assert len(tops) >= 6 and len(set(tops)) == 1, tops
        assert pg.evaluate("() => document.getElementById('player').offsetHeight") <= 0.25 * 844
        active_state(pg)
        seen = targets(pg)
        assert len(seen) >= 20
        small += [x for x in seen if x["w"] < 44 or x["h"] < 44]
        for page in ("index.html", "es/index.html"):
            open_ready(pg, server.url + page, audio=False)
            pg.locator(".ep-play").first.tap()
            pg.locator("#player").wait_for(state="visible")
            seen = targets(pg)
            assert len(seen) >= 15
            small += [x for x in seen if x["w"] < 44 or x["h"] < 44]
        assert not t.errors, t.errors
    finally:
        t.close()
    assert small == []


def test_targets_are_at_least_24_px_on_a_desktop(desk: Tab, server: Any) -> None:
    """WCAG 2.2 SC 2.5.8 (AA): 24 × 24 CSS px; the player's own buttons are 44 there too."""
    open_ready(desk.page, server.url + CHAPTERED)
    active_state(desk.page)
    seen = targets(desk.page)
    assert [x for x in seen if x["w"] < 24 or x["h"] < 24] == []
    player = desk.page.evaluate("() => Array.from(document.querySelectorAll('#player button, #player select, #player input'),"
                                " e => e.getBoundingClientRect()).filter(r => r.width).map(r => [r.width, r.height])")
    assert player and all(w >= 44 and h >= 44 for w, h in player), player


# --------------------------------------------------------------------------- jumps land below the sticky player


def test_chapter_jumps_show_their_target(sized: Tab, server: Any) -> None:
    pg = sized.page
    open_ready(pg, server.url + CHAPTERED)
    links = pg.locator("nav.chapters a[data-m]")
    assert links.count() == 4
    for i in range(links.count()):
        pg.evaluate("() => window.scrollTo(0, 0)")
        pause(pg)
        links.nth(i).click()
        pause(pg)
        heading = visible_below_player(pg, f"document.getElementById('chapter-{i + 1}')")
        assert heading["player"] - 0.5 <= heading["top"] and heading["bottom"] <= heading["height"], (i, heading)
        pg.wait_for_function("() => document.querySelector('#transcript [aria-current=time]') !== null", timeout=WAIT_MS)
        line = visible_below_player(pg, "document.querySelector('#transcript [aria-current=time]')")
        assert line["player"] - 0.5 <= line["top"] and line["bottom"] <= line["height"], (i, line)
    # the player's next-chapter button brings the heading into view too
    pause(pg)
    set_time(pg, int(pg.locator("#chapter-1").get_attribute("data-m")) / 1000)
    pg.evaluate("() => window.scrollTo(0, 0)")
    pg.locator("#pl-next").click()
    heading = visible_below_player(pg, "document.getElementById('chapter-2')")
    assert heading["player"] - 0.5 <= heading["top"] and heading["bottom"] <= heading["height"], heading
    assert pg.locator("#pl-chapter").inner_text().startswith("Chapter 2 of 4: ")


def test_a_chapter_link_opens_at_its_heading_and_time(sized: Tab, server: Any) -> None:
    pg = sized.page
    pg.goto(server.url + CHAPTERED + "#chapter-3", wait_until="load")
    start = int(pg.locator("#chapter-3").get_attribute("data-m"))
    wait_time(pg, start / 1000)
    heading = visible_below_player(pg, "document.getElementById('chapter-3')")
    assert heading["player"] - 0.5 <= heading["top"] and heading["bottom"] <= heading["height"], heading


def test_search_jumps_show_their_target(sized: Tab, server: Any) -> None:
    pg = sized.page
    open_ready(pg, server.url + CHAPTERED)
    pg.locator("#search").fill("the")
    pg.wait_for_function("() => document.querySelectorAll('#transcript mark.current').length > 0", timeout=WAIT_MS)
    total = int(pg.locator("#search-count").inner_text().split()[-1])
    assert total > 10
    for _ in range(min(total, 12)):
        hit = visible_below_player(pg, "document.querySelector('#transcript mark.current')")
        assert hit["player"] - 0.5 <= hit["top"] and hit["bottom"] <= hit["height"], hit
        pg.locator("#search").press("Enter")
    pg.locator("#search").press("Shift+Enter")
    pg.locator("#search").press("Shift+Enter")  # wraps round to the last hit, at the end of the page
    hit = visible_below_player(pg, "document.querySelector('#transcript mark.current')")
    assert hit["player"] - 0.5 <= hit["top"] and hit["bottom"] <= hit["height"], hit


# --------------------------------------------------------------------------- follow-along


def test_follow_along_backs_off_while_the_listener_reads(desk: Tab, server: Any) -> None:
    pg = desk.page
    open_ready(pg, server.url + CHAPTERED)
    cues = pg.evaluate("() => Array.from(document.querySelectorAll('#transcript .cue'), c => [c.id, +c.dataset.m])")
    pg.locator(f"#{cues[1][0]}").click()  # plays from the second line
    pg.wait_for_function("() => !document.getElementById('audio').paused", timeout=WAIT_MS)
    # jumping ahead while playing: the current line is brought into view
    set_time(pg, cues[30][1] / 1000 + 0.1)
    wait_current_cue(pg, cues[30][0])
    line = visible_below_player(pg, f"document.getElementById('{cues[30][0]}')")
    assert line["player"] <= line["top"] and line["bottom"] <= line["height"], line
    # the listener scrolls away to read: the page stops following, says so politely, offers the way back
    pg.mouse.move(640, 500)
    pg.mouse.wheel(0, -2500)
    pg.locator("#follow-back").wait_for(state="visible")
    pg.wait_for_function("() => document.getElementById('status').textContent.startsWith('Follow-along paused')",
                         timeout=WAIT_MS)
    settle(pg)
    scrolled = pg.evaluate("() => scrollY")
    set_time(pg, cues[38][1] / 1000 + 0.1)
    wait_current_cue(pg, cues[38][0])
    settle(pg)
    assert pg.evaluate("() => scrollY") == scrolled  # not pulled back
    pg.locator("#follow-back").click()
    line = visible_below_player(pg, f"document.getElementById('{cues[38][0]}')")
    assert line["player"] <= line["top"] and line["bottom"] <= line["height"], line
    assert pg.locator("#follow-back").is_hidden()
    pg.wait_for_function("() => document.getElementById('status').textContent === 'Following the audio again.'",
                         timeout=WAIT_MS)
    # switched off, the page never scrolls on its own
    pg.locator("#follow").uncheck()
    pg.evaluate("() => window.scrollTo(0, 0)")
    set_time(pg, cues[20][1] / 1000 + 0.1)
    wait_current_cue(pg, cues[20][0])
    settle(pg)
    assert pg.evaluate("() => scrollY") == 0
    pause(pg)


# --------------------------------------------------------------------------- keyboard only


def tab_stops(pg: Any, limit: int = 400) -> list[str]:
    """Press Tab from the top until focus comes back round; the stops in order."""
    pg.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops: list[str] = []
    for _ in range(limit):
        pg.keyboard.press("Tab")
        here = pg.evaluate("() => { const e = document.activeElement; if (!e || e === document.body) return null;"
                           " return (e.id || e.tagName + ':' + (e.getAttribute('href') || e.textContent.trim().slice(0, 30))); }")
        if here is None or (stops and here == stops[0]):
            break
        stops.append(here)
    return stops


def test_the_whole_page_by_keyboard(desk: Tab, server: Any) -> None:
    pg = desk.page
    open_ready(pg, server.url + CHAPTERED)
    stops = tab_stops(pg)
    cues = pg.evaluate("() => Array.from(document.querySelectorAll('#transcript .cue'), c => c.id)")
    assert len(cues) == 43
    assert len([s for s in stops if s in cues]) == 1  # the transcript is one stop
    assert len(stops) <= 40, stops  # was 43 lines + every control before
    for control in ("pl-back", "pl-play", "pl-fwd", "pl-prev", "pl-next", "pl-rate", "pl-mute", "pl-seek", "search",
                    "search-prev", "search-next", "share", "follow", "single-keys"):
        if control == "single-keys":
            continue  # inside the closed shortcuts list
        assert control in stops, (control, stops)
    assert stops[0] == "A:#transcript"  # the skip link comes first
    # every control works from the keyboard alone
    pg.locator("#pl-play").focus()
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => !document.getElementById('audio').paused", timeout=WAIT_MS)
    pg.keyboard.press(" ")
    pg.wait_for_function("() => document.getElementById('audio').paused", timeout=WAIT_MS)
    set_time(pg, 40.0)
    pg.locator("#pl-back").focus()
    pg.keyboard.press("Enter")
    wait_time(pg, 25.0)
    pg.locator("#pl-rate").focus()
    pg.keyboard.press("ArrowDown")
    pg.wait_for_function("() => document.getElementById('audio').playbackRate === 1.25", timeout=WAIT_MS)
    pg.locator("details.keys summary").focus()
    pg.keyboard.press("Enter")
    assert pg.locator("#single-keys").is_visible()


# --------------------------------------------------------------------------- languages


def test_a_link_into_the_second_line_reopens_on_it_and_other_languages_keep_it(desk: Tab, server: Any) -> None:
    """The issue's own case: a link 1 ms into the clock doctor's second line
    (4.851 s when it was filed) reopens on that line, in every language.  The
    line's start is read from the published transcript, so a re-alignment that
    moves it does not break the test; the link keeps millisecond precision."""
    pg = desk.page
    url = server.url + "episodes/the-clock-doctor/en/index.html"
    vtt = (FEEDS / "episodes" / "the-clock-doctor" / "en" / "transcript.vtt").read_text("utf-8")
    starts = [((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)
              for h, m, s, f in re.findall(r"^(\d+):(\d\d):(\d\d)\.(\d{3}) -->", vtt, re.M)]
    ms = starts[1] + 1
    assert ms % 10, ms  # a time no centisecond rounding can keep
    t = f"{ms // 1000}.{ms % 1000:03d}"
    pg.goto(url + "#t=" + t, wait_until="load")
    wait_time(pg, ms / 1000, 0.0005)
    line = pg.evaluate(f"() => document.querySelector('.cue[data-m=\"{starts[1]}\"]').id")
    wait_current_cue(pg, line)
    pg.locator("#share").click()
    assert pg.locator("#share-link").get_attribute("href") == url + "#t=" + t
    names = pg.evaluate("() => Array.from(document.querySelectorAll('nav.langs a'), a => a.textContent.trim())")
    assert names == ["English", "español machine translation", "português (Brasil) machine translation"]
    pg.locator('nav.langs a[hreflang="es"]').click()
    pg.wait_for_url(server.url + "episodes/the-clock-doctor/es/index.html#t=" + t)
    wait_time(pg, ms / 1000, 0.0005)
    wait_current_cue(pg, line)  # cue ids are the same in every language
    assert current_cue(pg) == line


# --------------------------------------------------------------------------- the show page


def test_show_page_plays_each_episode_in_one_player(sized: Tab, server: Any) -> None:
    pg = sized.page
    open_ready(pg, server.url + "index.html", audio=False)
    entries = sorted((manifest(slug) for slug in SLUGS), key=lambda m: m["date"], reverse=True)
    titles = pg.evaluate("() => Array.from(document.querySelectorAll('.episodes > li h3'), h => h.textContent.trim())")
    assert len(titles) == 3
    first = pg.locator(".episodes > li").first
    assert first.get_attribute("class") == "latest" and first.locator("p.badge").inner_text() == "Latest episode"
    assert first.get_attribute("id") == f"episode-{entries[0]['slug']}"  # the newest on top
    assert pg.locator("#player").is_hidden()  # no player until something plays
    buttons = pg.locator(".ep-play")
    assert buttons.count() == 3
    buttons.nth(1).click()
    pg.locator("#player").wait_for(state="visible")
    src = pg.evaluate("() => document.getElementById('audio').src")
    assert src == f"{server.url}episodes/{entries[1]['slug']}/{entries[1]['audio']['file']}"
    pg.wait_for_function("() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > 0.3; }",
                         timeout=WAIT_MS)
    assert buttons.nth(1).get_attribute("aria-label") == f"Pause: {titles[1]}"
    assert pg.locator("#now-title").inner_text() == titles[1]
    assert pg.locator("#now-title").get_attribute("href") == f"episodes/{entries[1]['slug']}/en/index.html"
    pg.wait_for_function("() => document.getElementById('pl-dur').textContent !== '0:00'", timeout=WAIT_MS)
    pause(pg)
    set_time(pg, 10.0)
    pg.locator("#pl-fwd").click()
    wait_time(pg, 40.0)
    buttons.nth(1).click()  # the same episode: play again, from where it was
    pg.wait_for_function("() => !document.getElementById('audio').paused", timeout=WAIT_MS)
    buttons.nth(1).click()
    pg.wait_for_function("() => document.getElementById('audio').paused", timeout=WAIT_MS)
    assert current_time_between(pg, 40.0, 60.0)
    buttons.nth(0).click()  # another episode: the one player switches to it
    pg.wait_for_function("(s) => document.getElementById('audio').src.endsWith(s) && !document.getElementById('audio').paused",
                         arg=f"episodes/{entries[0]['slug']}/{entries[0]['audio']['file']}", timeout=WAIT_MS)
    assert buttons.nth(1).get_attribute("aria-label") == f"Play: {titles[1]}"
    pause(pg)


def current_time_between(pg: Any, low: float, high: float) -> bool:
    t = float(pg.evaluate("() => document.getElementById('audio').currentTime"))
    return low <= t <= high


def test_subscribe_buttons(browser: Any, server: Any) -> None:
    t = tab(browser, clipboard=True)
    pg = t.page
    try:
        for page, feed in (("index.html", f"{base_url()}/feed.xml"), ("es/index.html", f"{base_url()}/es/feed.xml")):
            open_ready(pg, server.url + page, audio=False)
            bare = feed.split("://", 1)[1]
            title = pg.evaluate("(f) => document.querySelector(`link[rel=alternate][href='${f}']`).title", feed)
            apps = pg.evaluate("() => Array.from(document.querySelectorAll('.apps a'), a => [a.textContent, a.getAttribute('href')])")
            assert apps == [
                ["Open in Apple Podcasts" if page == "index.html" else "Abrir en Apple Podcasts", f"podcast://{bare}"],
                [apps[1][0], f"pktc://subscribe/{bare}"],
                [apps[2][0], f"overcast://x-callback-url/add?url={quote(feed, safe='')}"],
                [apps[3][0], f"castro://subscribe/{bare}"],
                [apps[4][0], f"https://antennapod.org/deeplink/subscribe?url={quote(feed, safe='')}"
                             f"&title={quote(title, safe='')}"],
            ]
            pg.locator("#copy-feed").click()
            pg.locator("#share-link").wait_for(state="visible")
            assert pg.locator("#share-link").get_attribute("href") == feed
            pg.wait_for_function("(f) => navigator.clipboard.readText().then(t => t === f)", arg=feed, timeout=WAIT_MS)
        assert not t.errors, t.errors
    finally:
        t.close()


def test_favicon_and_no_missing_file(desk: Tab, server: Any) -> None:
    pg = desk.page
    for name, kind in (("favicon.ico", "image/x-icon"), ("apple-touch-icon.png", "image/png")):
        response = pg.request.get(server.url + name)
        assert response.status == 200 and response.headers["content-type"] == kind
    for page in SHOW_PAGES + EPISODE_PAGES:
        open_ready(pg, server.url + page, audio=page in EPISODE_PAGES)
        icon = pg.evaluate("() => document.querySelector('link[rel=icon]').href")
        assert icon == server.url + "favicon.ico", page
    assert desk.missing == []


# --------------------------------------------------------------------------- colours


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_current_line_word_and_hits_are_distinct_colours(browser: Any, server: Any, dark: bool) -> None:
    t = tab(browser, dark=dark, reduced_motion=True)  # no colour transition to catch half way
    pg = t.page
    try:
        open_ready(pg, server.url + CHAPTERED)
        line = pg.locator("#transcript .cue").nth(3)
        line.click()
        pause(pg)
        word = pg.evaluate("() => document.querySelectorAll('#transcript .cue')[3].textContent.split(' ')[0]")
        pg.locator("#search").fill(word)
        pg.wait_for_function("() => document.querySelectorAll('#transcript mark').length > 1", timeout=WAIT_MS)
        colours = pg.evaluate("""() => { const bg = (e) => getComputedStyle(e).backgroundColor;
            const cur = document.querySelector('#transcript [aria-current=time]');
            const hit = document.querySelector('#transcript mark:not(.current)');
            const now = document.querySelector('#transcript mark.current');
            let word = null;
            for (const sheet of document.styleSheets) { for (const rule of sheet.cssRules) {
                const inner = rule.media ? Array.from(rule.cssRules) : [rule];
                const dark = !!(rule.media && rule.media.mediaText.includes('dark'));
                for (const r of inner) { if (r.selectorText === '::highlight(tk-word)' &&
                    (dark === matchMedia('(prefers-color-scheme: dark)').matches)) { word = r.style.backgroundColor; } } } }
            return {line: bg(cur), hit: bg(hit), current_hit: bg(now), word: word, page: bg(document.documentElement),
                    text: getComputedStyle(cur).color}; }""")
        assert not t.errors, t.errors
    finally:
        t.close()
    rgb = {k: parse_rgb(v) for k, v in colours.items()}
    # CIE76 ΔE ≥ 20: clearly different colours (the old dark current line and hits were 15 apart)
    for a, b in (("line", "hit"), ("line", "current_hit"), ("hit", "current_hit"), ("word", "hit"),
                 ("word", "current_hit"), ("line", "page"), ("word", "line")):
        assert delta_e(rgb[a], rgb[b]) >= 20, (a, b, colours)
    for k in ("line", "hit", "current_hit", "word", "page"):
        assert contrast(rgb["text"], rgb[k]) >= 4.5, (k, colours)


# --------------------------------------------------------------------------- the 17-minute seed feature


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[Any]:
    from support.e2e import apertium_es_missing
    from support.seeds import make_seed_show
    from support.tools import skip_or_fail

    reason = apertium_es_missing()
    if reason:
        skip_or_fail(reason)
    root = make_seed_show(tmp_path_factory.mktemp("seed-pages"), seeds_dir, target_languages=("es",))
    proc = subprocess.run([sys.executable, "-m", "toolkit", "publish", "episode", "seed-narrative", "--root", str(root)],
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with start_background(root / "feeds") as running:
        yield running


def spanish_fold(text: str) -> str:
    """Spanish search rules, independently of the page: case and accents ignored, ñ kept."""
    out = []
    for ch in text.lower():
        if ch == "ñ":
            out.append(ch)
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out)


@pytest.mark.seeds
def test_seed_feature_keyboard_search_and_jumps(browser: Any, seed_site: Any) -> None:
    url = seed_site.url + "episodes/seed-narrative/en/index.html"
    t = tab(browser)
    pg = t.page
    try:
        open_ready(pg, url)
        n = pg.evaluate("() => document.querySelectorAll('#transcript .cue').length")
        assert n > 200
        stops = tab_stops(pg)
        assert len(stops) <= 40, len(stops)  # was 265: every line was a Tab stop
        # phrases across line boundaries: the end of one line and the start of the next
        lines = pg.evaluate("() => Array.from(document.querySelectorAll('#transcript p.turn'),"
                            " p => Array.from(p.querySelectorAll('.cue'), c => c.textContent))")
        phrases = [" ".join(a.split()[-2:] + b.split()[:2]) for para in lines for a, b in zip(para, para[1:])
                   if len(a.split()) >= 2 and len(b.split()) >= 2]
        assert len(phrases) >= 6
        for phrase in phrases[:: max(1, len(phrases) // 6)][:6]:
            pg.locator("#search").fill("")
            pg.wait_for_function("() => document.querySelectorAll('#transcript mark').length === 0", timeout=WAIT_MS)
            pg.locator("#search").fill(phrase)
            pg.wait_for_function("() => document.querySelectorAll('#transcript mark.current').length >= 2",
                                 timeout=WAIT_MS)  # one hit, in two lines
            hit = visible_below_player(pg, "document.querySelector('#transcript mark.current')")
            assert hit["player"] - 0.5 <= hit["top"] and hit["bottom"] <= hit["height"], (phrase, hit)
        assert axe_violations(pg) == []
        for phone in (False, True):
            p2 = tab(browser, phone=phone)
            try:
                open_ready(p2.page, url)
                for i in range(p2.page.locator("nav.chapters a[data-m]").count()):
                    p2.page.evaluate("() => window.scrollTo(0, 0)")
                    p2.page.locator("nav.chapters a[data-m]").nth(i).click()
                    pause(p2.page)
                    heading = visible_below_player(p2.page, f"document.getElementById('chapter-{i + 1}')")
                    assert heading["player"] - 0.5 <= heading["top"] and heading["bottom"] <= heading["height"], heading
                assert not p2.errors, p2.errors
            finally:
                p2.close()
        # Spanish: accents folded by Spanish rules
        open_ready(pg, seed_site.url + "episodes/seed-narrative/es/index.html")
        text = pg.evaluate("() => Array.from(document.querySelectorAll('#transcript .cue'), c => c.textContent).join(' ')")
        accented = sorted({w for w in re.findall(r"\w+", text.lower()) if spanish_fold(w) != w and "ñ" not in w})
        assert len(accented) >= 5
        for word in accented[:: max(1, len(accented) // 5)][:5]:
            plain = spanish_fold(word)
            expected = spanish_fold(re.sub(r"\W+", " ", text)).count(plain)
            pg.locator("#search").fill("")
            pg.wait_for_function("() => document.querySelectorAll('#transcript mark').length === 0", timeout=WAIT_MS)
            pg.locator("#search").fill(plain)
            pg.wait_for_function("(n) => new Set(Array.from(document.querySelectorAll('#transcript mark'),"
                                 " m => m.dataset.hit)).size === n", arg=expected, timeout=WAIT_MS)
        assert not t.errors, t.errors
    finally:
        t.close()
