"""The transcript page in a real browser: Debian's Chromium driven by Playwright.

A real MP3 (espeak-ng speech, encoded by ffmpeg), its WebVTT and the rendered
page are served by ``toolkit serve`` on 127.0.0.1 (not ``file://``: the
``<track>`` and range requests need HTTP).  Cue times come from the length of
each synthesized sentence, so the cues really match the audio.

Every wait is on a condition in the page (``wait_for_function``) with a
generous timeout: nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.tools import skip_or_fail

from toolkit.model import Category, Chapter, Cue, Episode, Show
from toolkit.pipeline import LanguageBuild
from toolkit.publish.pages import EpisodePageContext, FeedLink, LanguageLink, render_episode_page
from toolkit.serve import RunningServer, start_background

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # reported by the fixture (skip, or failure under CI)
    sync_playwright = None

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]
WAIT_MS = 60_000  # slow shared machine: generous, and only ever an upper bound on a condition

SENTENCES = (
    ("Ana", "Welcome to the bridge podcast."),
    ("Ana", "Today we talk about the old stone bridge."),
    ("Ben", "It was built a long time ago."),
    ("Ben", "The bridge still carries traffic every day."),
    ("Ana", "Thank you for listening."),
)
HOSTILE = ("<script>window.__pwned=1</script>", '"><img src=x onerror=window.__pwned=1>', "&amp;")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.is_file():
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    if sync_playwright is None:
        skip_or_fail("the playwright Python package is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed")
    return path


def synthesize(folder: Path) -> tuple[Path, list[tuple[int, int]]]:
    """One MP3 of all sentences, and each sentence's (start, end) in ms."""
    espeak, ffmpeg = _tool("espeak-ng"), _tool("ffmpeg")
    frames: list[bytes] = []
    params = None
    spans: list[tuple[int, int]] = []
    position = 0
    for i, (_, text) in enumerate(SENTENCES):
        wav = folder / f"s{i}.wav"
        subprocess.run([espeak, "-v", "en", "-s", "150", "-w", str(wav), text], check=True, timeout=120)
        with wave.open(str(wav)) as w:
            params = w.getparams()
            data = w.readframes(w.getnframes())
            ms = w.getnframes() * 1000 // w.getframerate()
        frames.append(data)
        spans.append((position, position + ms))
        position += ms
    assert params is not None
    joined = folder / "all.wav"
    with wave.open(str(joined), "wb") as out:
        out.setparams(params)
        for data in frames:
            out.writeframes(data)
    mp3 = folder / "the-bridge.mp3"
    subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-i", str(joined), "-codec:a", "libmp3lame",
                    "-b:a", "64k", str(mp3)], check=True, timeout=120)
    assert position >= 5000, "the test audio should be at least 5 s long"
    return mp3, spans


def make_cues(spans: list[tuple[int, int]], texts: tuple[tuple[str, str], ...] = SENTENCES) -> tuple[Cue, ...]:
    cues = []
    previous = None
    for i, ((speaker, text), (start, end)) in enumerate(zip(texts, spans, strict=True)):
        cues.append(Cue(f"c{i + 1:04d}", start, end, (text,), speaker, speaker != previous,
                        0 if i < 2 else 1, (i,)))
        previous = speaker
    return tuple(cues)


def vtt_text(cues: tuple[Cue, ...]) -> str:
    """The real VTT writer's output."""
    from toolkit.publish.subtitles import to_vtt

    return to_vtt(cues)


def write_page(root: Path, slug: str, cues: tuple[Cue, ...], duration: int, *, title: str = "The Bridge",
               description: str = "About the old bridge.", show_title: str = "Bridges") -> str:
    """Render the page into root/episodes/<slug>/en/ and return its path under root."""
    folder = root / "episodes" / slug / "en"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "transcript.vtt").write_text(vtt_text(cues), encoding="utf-8")
    show = Show(root=root.parent, title=show_title, description="A show.", author="Ana", owner_name="Ana",
                owner_email="ana@example.org", base_url="http://127.0.0.1", language="en",
                categories=(Category("History"),), image=root / "cover.png")
    episode = Episode(slug=slug, title=title, date=dt.datetime(2025, 3, 4, tzinfo=dt.UTC),
                      description=description, audio=Path("the-bridge.mp3"), transcript=Path("t.txt"),
                      folder=root, number=1)
    build = LanguageBuild("en", cues, (Chapter("Introduction", 0), Chapter("History", cues[2].start)),
                          title, description)
    ctx = EpisodePageContext(
        show=show, episode=episode, build=build, audio_url="../../the-bridge/the-bridge.mp3",
        audio_mime="audio/mpeg", duration_ms=duration,
        languages=(LanguageLink("en", "English", "index.html", "http://127.0.0.1/x/en/"),
                   LanguageLink("es", "español", "../es/index.html", "http://127.0.0.1/x/es/", machine=True)),
        chapters_url=None, feed=FeedLink("en", "English", "../../../feed.xml", show_title),
        turn_starts=frozenset(range(len(cues))),
    )
    (folder / "index.html").write_text(render_episode_page(ctx), encoding="utf-8")
    return f"episodes/{slug}/en/index.html"


class Site:
    def __init__(self, server: RunningServer, cues: tuple[Cue, ...], page: str, hostile_pages: list[str]) -> None:
        self.server, self.cues, self.page, self.hostile_pages = server, cues, page, hostile_pages

    @property
    def url(self) -> str:
        return self.server.url + self.page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("browser-site")
    root = base / "feeds"
    audio_dir = root / "episodes" / "the-bridge"
    audio_dir.mkdir(parents=True)
    mp3, spans = synthesize(base)
    shutil.copy(mp3, audio_dir / mp3.name)
    cues = make_cues(spans)
    page = write_page(root, "the-bridge", cues, spans[-1][1])
    hostile_pages = []
    for i, hostile in enumerate(HOSTILE):
        texts = tuple((hostile if j == 0 else speaker, hostile if j == 1 else text)
                      for j, (speaker, text) in enumerate(SENTENCES))
        hostile_pages.append(write_page(root, f"hostile-{i}", make_cues(spans, texts), spans[-1][1],
                                        title=hostile, description=hostile, show_title=hostile))
    with start_background(root) as server:
        yield Site(server, cues, page, hostile_pages)


@pytest.fixture()
def page(browser: Any, site: Site) -> Iterator[Any]:
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        context.close()


def open_ready(pg: Any, url: str) -> None:
    """Open the page and wait until the audio's metadata is there (a real user clicks after that)."""
    pg.goto(url, wait_until="load")
    pg.wait_for_function("() => document.getElementById('audio').readyState >= 1", timeout=WAIT_MS)


def wait_time(pg: Any, seconds: float) -> None:
    pg.wait_for_function("(t) => Math.abs(document.getElementById('audio').currentTime - t) < 0.05",
                         arg=seconds, timeout=WAIT_MS)


# --------------------------------------------------------------------------- tests


def test_track_loads_every_cue(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    page.evaluate("() => { document.getElementById('audio').textTracks[0].mode = 'hidden'; }")
    page.wait_for_function("(n) => { const t = document.getElementById('audio').textTracks[0];"
                           " return t.cues !== null && t.cues.length === n; }", arg=len(site.cues), timeout=WAIT_MS)
    loaded = page.evaluate("() => Array.from(document.getElementById('audio').textTracks[0].cues,"
                           " c => [c.id, Math.round(c.startTime * 1000), Math.round(c.endTime * 1000)])")
    assert loaded == [[c.id, c.start, c.end] for c in site.cues]
    track = page.evaluate("() => { const t = document.getElementById('audio').textTracks[0];"
                          " return [t.kind, t.language, t.label]; }")
    assert track == ["captions", "en", "English"]


def test_audio_loads_with_its_real_duration(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    duration = page.evaluate("() => document.getElementById('audio').duration")
    assert abs(duration * 1000 - site.cues[-1].end) < 500  # the MP3 the cues were measured on


def test_click_on_a_sentence_seeks(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    for cue in (site.cues[2], site.cues[0], site.cues[4]):
        span = page.locator(f"#{cue.id}")
        assert span.get_attribute("data-m") == str(cue.start)
        span.click()
        wait_time(page, cue.start / 1000)
        assert page.locator(f"#{cue.id}").get_attribute("aria-current") == "time"


def test_click_on_chapter_heading_and_turn_time_seeks(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    page.locator("#chapter-2").click()
    wait_time(page, site.cues[2].start / 1000)
    page.locator("#transcript p time").first.click()
    wait_time(page, 0)


@pytest.mark.parametrize(("fragment", "seconds"), [("t=3", 3.0), ("t=0:04", 4.0), ("t=0:00:02.5", 2.5),
                                                    ("t=3,4", 3.0), ("t=npt:1.5", 1.5)])
def test_opening_with_a_time_fragment_seeks(page: Any, site: Site, fragment: str, seconds: float) -> None:
    page.goto(f"{site.url}#{fragment}", wait_until="load")
    wait_time(page, seconds)
    expected = [c for c in site.cues if c.start <= seconds * 1000][-1].id
    page.wait_for_function("(id) => document.getElementById(id).getAttribute('aria-current') === 'time'",
                           arg=expected, timeout=WAIT_MS)


def test_hashchange_seeks(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    page.evaluate("() => { location.hash = '#t=1'; }")
    wait_time(page, 1.0)
    page.evaluate("() => { location.hash = '#t=0:00:04'; }")
    wait_time(page, 4.0)
    page.evaluate("() => { location.hash = '#t=garbage'; }")  # ignored, no error
    wait_time(page, 4.0)


def test_fragment_end_pauses_playback(page: Any, site: Site) -> None:
    """#t=1,2 plays from 1 s and stops at 2 s (Media Fragments start,end)."""
    page.goto(f"{site.url}#t=1,2", wait_until="load")
    wait_time(page, 1.0)
    page.evaluate("() => document.getElementById('audio').play()")
    page.wait_for_function("() => { const a = document.getElementById('audio');"
                           " return a.paused && a.currentTime >= 2; }", timeout=WAIT_MS)
    assert page.evaluate("() => document.getElementById('audio').currentTime") < 3.5


def test_link_to_current_time(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    page.locator(f"#{site.cues[3].id}").click()
    wait_time(page, site.cues[3].start / 1000)
    page.locator("#share").click()
    link = page.locator("#share-link")
    link.wait_for(state="visible")
    expected = f"{site.url}#t={site.cues[3].start // 1000}"
    assert link.get_attribute("href") == expected
    assert link.inner_text() == expected


def test_search_marks_and_counts(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    search = page.locator("#search")
    assert search.is_visible()  # revealed by the script
    expected = sum(text.lower().count("bridge") for _, text in SENTENCES)
    assert expected == 3
    search.fill("Bridge")
    page.wait_for_function("(n) => document.querySelectorAll('#transcript mark').length === n",
                           arg=expected, timeout=WAIT_MS)
    assert page.locator("#search-count").inner_text() == f"1 of {expected}"
    assert page.locator("#transcript mark.current").inner_text().lower() == "bridge"
    page.locator("#search-next").click()
    page.wait_for_function("(n) => document.getElementById('search-count').textContent === '2 of ' + n",
                           arg=expected, timeout=WAIT_MS)
    page.locator("#search-prev").click()
    page.locator("#search-prev").click()
    page.wait_for_function("(n) => document.getElementById('search-count').textContent === n + ' of ' + n",
                           arg=expected, timeout=WAIT_MS)
    # marks never change the text, and clearing the search removes them all
    search.fill("")
    page.wait_for_function("() => document.querySelectorAll('#transcript mark').length === 0", timeout=WAIT_MS)
    texts = page.evaluate("() => Array.from(document.querySelectorAll('#transcript .cue'), s => s.textContent)")
    assert texts == [text for _, text in SENTENCES]
    search.fill("zebra")
    page.wait_for_function("() => document.getElementById('search-count').textContent === 'No matches'",
                           timeout=WAIT_MS)


def test_search_input_is_never_html(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    page.locator("#search").fill("<img src=x onerror=window.__pwned=1>")
    page.wait_for_function("() => document.getElementById('search-count').textContent === 'No matches'",
                           timeout=WAIT_MS)
    assert page.evaluate("() => document.querySelectorAll('#transcript img').length") == 0
    assert page.evaluate("() => window.__pwned") is None


def test_keyboard_enter_and_space_seek(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    cue = site.cues[3]
    assert page.evaluate("(id) => document.getElementById(id).tabIndex", cue.id) == 0
    page.locator(f"#{cue.id}").focus()
    page.keyboard.press("Enter")
    wait_time(page, cue.start / 1000)
    other = site.cues[1]
    page.locator(f"#{other.id}").focus()
    scroll = page.evaluate("() => window.scrollY")
    page.keyboard.press(" ")
    wait_time(page, other.start / 1000)
    assert page.evaluate("() => window.scrollY") == scroll  # Space seeks, it does not scroll the page
    # reachable with Tab from the search controls onwards (no pointer needed)
    page.locator(f"#{site.cues[0].id}").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == site.cues[1].id


def test_highlight_follows_timeupdate(page: Any, site: Site) -> None:
    open_ready(page, site.url)
    for cue in (site.cues[1], site.cues[4], site.cues[0]):
        middle = (cue.start + cue.end) / 2000
        page.evaluate("""(t) => new Promise((resolve) => {
            const a = document.getElementById('audio');
            a.addEventListener('timeupdate', () => resolve(), {once: true});
            a.currentTime = t;
        })""", middle)
        page.wait_for_function("(id) => document.getElementById(id).getAttribute('aria-current') === 'time'",
                               arg=cue.id, timeout=WAIT_MS)
        current = page.evaluate("() => Array.from(document.querySelectorAll('[aria-current=time]'), e => e.id)")
        assert current == [cue.id]


def test_without_javascript_the_transcript_is_plain_and_readable(browser: Any, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.set_default_timeout(WAIT_MS)
        pg.goto(site.url, wait_until="load")
        text = pg.locator("#transcript").inner_text()
        for speaker, sentence in SENTENCES:
            assert sentence in text
            assert speaker in text
        assert "Introduction" in text and "History" in text
        assert pg.locator("#audio").is_visible()
        assert not pg.locator("#search").is_visible()  # JS-only controls stay hidden
        assert not pg.locator("#share").is_visible()
        assert pg.evaluate("() => document.querySelector('.cue').getAttribute('tabindex')") is None
        links = pg.evaluate("() => Array.from(document.querySelectorAll('.downloads a'), a => a.getAttribute('href'))")
        assert "transcript.vtt" in links
    finally:
        context.close()


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_strings_are_inert(page: Any, site: Site, index: int) -> None:
    hostile = HOSTILE[index]
    page.goto(site.server.url + site.hostile_pages[index], wait_until="load")
    page.wait_for_function("() => document.documentElement.classList.contains('js')", timeout=WAIT_MS)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("h1").text_content() == hostile
    assert page.title() == f"{hostile} · {hostile}"
    assert page.locator("#transcript cite").first.text_content() == hostile
    assert page.locator("#c0002").text_content() == hostile
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.evaluate("() => document.scripts.length") == 1
    # searching for the hostile text marks it as text
    page.locator("#search").fill(hostile)
    page.wait_for_function("() => document.querySelectorAll('#transcript mark').length === 1", timeout=WAIT_MS)
    assert page.locator("#transcript mark").text_content() == hostile
    assert page.evaluate("() => window.__pwned") is None
