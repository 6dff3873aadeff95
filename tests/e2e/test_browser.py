"""The transcript page and its player in a real browser: Debian's Chromium driven by Playwright.

A real MP3 is made from espeak-ng speech, one word at a time, so the time of
every word is known exactly: the English page gets those word timings (as
Whisper's ``words[]`` or the aligner would give them, through
``EpisodePageContext.sentences``), the Spanish page has none (its words are
estimated in proportion within each line).  Silence after the speech makes the
audio a minute long, so -15 s / +30 s can be checked.  Pages are rendered by
the real page writer and served by ``toolkit serve`` (range requests; the
``<track>`` needs HTTP).  Each behaviour is checked at desktop size and, where
the layout matters, at 390×844 with touch.

Every wait is on a condition in the page with a generous upper bound: nothing
here depends on how fast the machine is.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from support.browser import (
    Tab,
    ax_node,
    current_time,
    highlighted,
    last_seek,
    launch,
    open_ready,
    pause,
    record_seeks,
    set_time,
    settle,
    wait_current_cue,
    wait_time,
    WAIT_MS,
)
from support.tools import skip_or_fail

from toolkit.model import Category, Chapter, Cue, Episode, Sentence, Show, Word
from toolkit.pipeline import LanguageBuild
from toolkit.publish.pages import EpisodePageContext, FeedLink, LanguageLink, render_episode_page
from toolkit.serve import RunningServer, start_background

pytestmark = pytest.mark.browser

SENTENCES = (
    ("Ana", "Welcome to the bridge podcast."),
    ("Ana", "Today we talk about the old stone bridge."),
    ("Ben", "It was built a long time ago."),
    ("Ben", "The bridge still carries traffic every day."),
    ("Ana", "Thank you for listening, see you at the cañon."),
)
SPANISH = (
    "Bienvenidos al pódcast del puente.",
    "Hoy hablamos del viejo puente de piedra.",
    "Se construyó hace mucho tiempo, junto a la peña.",
    "El puente todavía está abierto al tráfico.",
    "Gracias por escuchar, ya está todo dicho.",
)
TURN_STARTS = frozenset({0, 2, 3, 4})  # Ben's second sentence starts a turn of its own: a continuation
HOSTILE = ("<script>window.__pwned=1</script>", '"><img src=x onerror=window.__pwned=1>', "&amp;")
LEAD_MS = 1234  # silence before the first word: every line starts at a time with milliseconds
SENTENCE_GAP_MS = 700
TOTAL_MS = 62_000  # speech, then silence


# --------------------------------------------------------------------------- the site


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed")
    return path


def synthesize(folder: Path) -> tuple[Path, list[list[Word]]]:
    """One MP3 of every sentence, spoken word by word, and each word's (text, start, end) in ms."""
    espeak, ffmpeg = _tool("espeak-ng"), _tool("ffmpeg")
    frames: list[bytes] = []
    params: Any = None
    words: list[list[Word]] = []
    position = LEAD_MS
    n = 0
    for _, text in SENTENCES:
        spoken: list[Word] = []
        for word in text.split():
            wav = folder / f"w{n}.wav"
            n += 1
            subprocess.run([espeak, "-v", "en", "-s", "170", "-w", str(wav), word], check=True, timeout=120)
            with wave.open(str(wav)) as w:
                params = w.getparams()
                data = w.readframes(w.getnframes())
                ms = w.getnframes() * 1000 // w.getframerate()
            frames.append(data)
            spoken.append(Word(word, position, position + ms))
            position += ms
        words.append(spoken)
        gap = SENTENCE_GAP_MS * params.framerate // 1000
        frames.append(b"\0" * gap * params.sampwidth * params.nchannels)
        position += SENTENCE_GAP_MS
    lead = LEAD_MS * params.framerate // 1000
    frames.insert(0, b"\0" * lead * params.sampwidth * params.nchannels)
    rest = (TOTAL_MS - position) * params.framerate // 1000
    frames.append(b"\0" * rest * params.sampwidth * params.nchannels)
    joined = folder / "all.wav"
    with wave.open(str(joined), "wb") as out:
        out.setparams(params)
        for data in frames:
            out.writeframes(data)
    mp3 = folder / "the-bridge.mp3"
    subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-i", str(joined), "-codec:a", "libmp3lame",
                    "-b:a", "48k", str(mp3)], check=True, timeout=120)
    return mp3, words


def make_cues(words: list[list[Word]], texts: tuple[tuple[str, str], ...] = SENTENCES) -> tuple[Cue, ...]:
    cues = []
    previous = None
    for i, ((speaker, text), spoken) in enumerate(zip(texts, words, strict=True)):
        cues.append(Cue(f"c{i + 1:04d}", spoken[0].start, spoken[-1].end, (text,), speaker, speaker != previous,
                        0 if i < 2 else 1, (i,)))
        previous = speaker
    return tuple(cues)


def write_page(root: Path, slug: str, lang: str, cues: tuple[Cue, ...], sentences: tuple[Sentence, ...] | None,
               *, title: str = "The Bridge", description: str = "About the old bridge.",
               show_title: str = "Bridges") -> str:
    """Render one language's page into root/episodes/<slug>/<lang>/ and return its path under root."""
    from toolkit.publish.subtitles import to_vtt

    folder = root / "episodes" / slug / lang
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "transcript.vtt").write_text(to_vtt(cues), encoding="utf-8")
    show = Show(root=root.parent, title=show_title, description="A show.", author="Ana", owner_name="Ana",
                owner_email="ana@example.org", base_url="http://127.0.0.1", language="en",
                categories=(Category("History"),), image=root / "cover.png")
    episode = Episode(slug=slug, title=title, date=dt.datetime(2025, 3, 4, tzinfo=dt.UTC),
                      description=description, audio=Path("the-bridge.mp3"), transcript=Path("t.txt"),
                      folder=root, number=1)
    build = LanguageBuild(lang, cues, (Chapter("Introduction", 0), Chapter("History", cues[2].start)),
                          title, description, machine=lang != "en", engine="apertium eng-spa 0.8.1")
    ctx = EpisodePageContext(
        show=show, episode=episode, build=build, audio_url="../../the-bridge/the-bridge.mp3",
        audio_mime="audio/mpeg", duration_ms=TOTAL_MS,
        languages=(LanguageLink("en", "English", "../en/index.html", "http://127.0.0.1/x/en/"),
                   LanguageLink("es", "español", "../es/index.html", "http://127.0.0.1/x/es/", machine=True)),
        chapters_url=None, feed=FeedLink("en", "English", "../../../feed.xml", show_title),
        turn_starts=TURN_STARTS, sentences=sentences,
    )
    (folder / "index.html").write_text(render_episode_page(ctx), encoding="utf-8")
    return f"episodes/{slug}/{lang}/index.html"


@dataclass
class Site:
    server: RunningServer
    cues: tuple[Cue, ...]  # English; the Spanish page has the same ids and times
    words: list[list[Word]]
    hostile_pages: list[str]

    def url(self, lang: str = "en") -> str:
        return f"{self.server.url}episodes/the-bridge/{lang}/index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("browser-site")
    root = base / "feeds"
    audio_dir = root / "episodes" / "the-bridge"
    audio_dir.mkdir(parents=True)
    mp3, words = synthesize(base)
    shutil.copy(mp3, audio_dir / mp3.name)
    cues = make_cues(words)
    sentences = tuple(Sentence(text, spoken[0].start, spoken[-1].end, words=tuple(spoken))
                      for (_, text), spoken in zip(SENTENCES, words, strict=True))
    write_page(root, "the-bridge", "en", cues, sentences)
    spanish = tuple((speaker, text) for (speaker, _), text in zip(SENTENCES, SPANISH, strict=True))
    write_page(root, "the-bridge", "es", make_cues(words, spanish), None, title="El puente")
    hostile_pages = []
    for i, hostile in enumerate(HOSTILE):
        texts = tuple((hostile if j == 0 else speaker, hostile if j == 1 else text)
                      for j, (speaker, text) in enumerate(SENTENCES))
        hostile_pages.append(write_page(root, f"hostile-{i}", "en", make_cues(words, texts), None,
                                        title=hostile, description=hostile, show_title=hostile))
    with start_background(root) as server:
        yield Site(server, cues, words, hostile_pages)


@pytest.fixture(params=["desktop", "phone"])
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _tab(browser: Any, **kw: Any) -> Iterator[Any]:
    tab = Tab(browser, **kw)
    try:
        yield tab.page
        assert not tab.errors, f"JavaScript errors: {tab.errors}"
    finally:
        tab.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    yield from _tab(browser)


@pytest.fixture()
def sized(browser: Any, size: str) -> Iterator[Any]:
    """A page at desktop size, or a 390×844 touch phone."""
    yield from _tab(browser, phone=size == "phone")


def press(pg: Any, selector: str) -> None:
    """Click, or tap on a touch phone."""
    if pg.evaluate("() => matchMedia('(pointer: coarse)').matches"):
        pg.locator(selector).tap()
    else:
        pg.locator(selector).click()


def clock(ms: int) -> str:
    s = ms // 1000
    return f"{s // 60}:{s % 60:02d}"


def seconds(ms: int) -> str:
    """How the page writes a time in a link: 4851 → '4.851', 12000 → '12'."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


def word_rect_js(cue_id: str, k: int) -> str:
    """A JS expression: the client rectangle of the k-th word of a cue."""
    return f"""(() => {{ const el = document.getElementById('{cue_id}'); const text = el.textContent;
        el.scrollIntoView({{block: 'center', behavior: 'instant'}});
        const re = /\\S+/g; let m, i = 0; while ((m = re.exec(text))) {{ if (i++ === {k}) break; }}
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let node, at = 0, r = document.createRange();
        while ((node = walker.nextNode())) {{ if (m.index < at + node.data.length) {{
            r.setStart(node, m.index - at); r.setEnd(node, m.index - at + m[0].length); break; }} at += node.data.length; }}
        return r.getBoundingClientRect(); }})()"""


# --------------------------------------------------------------------------- the audio and the track


def test_track_loads_every_cue(page: Any, site: Site) -> None:
    open_ready(page, site.url())
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
    open_ready(page, site.url())
    duration = page.evaluate("() => document.getElementById('audio').duration")
    assert abs(duration * 1000 - TOTAL_MS) < 500
    assert page.locator("#pl-dur").inner_text() == "1:02"


# --------------------------------------------------------------------------- the player's controls


def test_play_pause_and_skip_buttons_move_current_time(sized: Any, site: Site) -> None:
    pg = sized
    open_ready(pg, site.url())
    assert not pg.locator("#audio").is_visible()  # the native controls are off, the element stays
    assert pg.evaluate("() => document.getElementById('audio').controls") is False
    press(pg, "#pl-play")
    pg.wait_for_function("() => !document.getElementById('audio').paused && "
                         "document.getElementById('pl-play').getAttribute('aria-label') === 'Pause'", timeout=WAIT_MS)
    press(pg, "#pl-play")
    pg.wait_for_function("() => document.getElementById('audio').paused && "
                         "document.getElementById('pl-play').getAttribute('aria-label') === 'Play'", timeout=WAIT_MS)
    set_time(pg, 20.0)
    press(pg, "#pl-fwd")
    wait_time(pg, 50.0)
    press(pg, "#pl-back")
    wait_time(pg, 35.0)
    set_time(pg, 5.0)
    press(pg, "#pl-back")
    wait_time(pg, 0.0)  # never before the start
    set_time(pg, 50.0)
    press(pg, "#pl-fwd")
    pg.wait_for_function("() => { const a = document.getElementById('audio');"
                         " return Math.abs(a.currentTime - a.duration) < 0.05; }", timeout=WAIT_MS)  # nor past the end
    # the time shown and the slider follow
    set_time(pg, 61.0)
    pg.wait_for_function("() => document.getElementById('pl-cur').textContent === '1:01'", timeout=WAIT_MS)
    assert pg.locator("#pl-seek").get_attribute("aria-valuetext").startswith("1:01 of 1:02")


def test_speed_and_mute(sized: Any, site: Site) -> None:
    pg = sized
    open_ready(pg, site.url())
    options = pg.evaluate("() => Array.from(document.querySelectorAll('#pl-rate option'), o => o.value)")
    assert options == ["0.75", "1", "1.25", "1.5", "1.75", "2"]
    for value in ("2", "0.75", "1.5"):
        pg.locator("#pl-rate").select_option(value)
        pg.wait_for_function("(r) => document.getElementById('audio').playbackRate === r", arg=float(value),
                             timeout=WAIT_MS)
    # the speed is kept for the next page of the site
    open_ready(pg, site.url("es"))
    assert pg.evaluate("() => document.getElementById('audio').playbackRate") == 1.5
    assert pg.locator("#pl-rate").input_value() == "1.5"
    press(pg, "#pl-play")
    pg.wait_for_function("() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > 0.5; }",
                         timeout=WAIT_MS)
    assert pg.evaluate("() => document.getElementById('audio').playbackRate") == 1.5  # still, once playing
    pause(pg)
    if pg.locator("#pl-mute").is_visible():  # phones set the volume with their own keys
        press(pg, "#pl-mute")
        assert pg.evaluate("() => document.getElementById('audio').muted") is True
        assert pg.locator("#pl-mute").get_attribute("aria-pressed") == "true"
        press(pg, "#pl-mute")
        assert pg.evaluate("() => document.getElementById('audio').muted") is False


def test_chapter_marks_current_chapter_and_previous_next(sized: Any, site: Site) -> None:
    pg = sized
    open_ready(pg, site.url())
    history = site.cues[2].start
    # one mark on the progress bar where the second chapter starts (the first starts at 0)
    marks = pg.evaluate("""() => { const s = document.getElementById('pl-seek').getBoundingClientRect();
        return Array.from(document.querySelectorAll('.pl-marks i'), i => {
            const r = i.getBoundingClientRect(); return [(r.left + r.width / 2 - s.left - 9) / (s.width - 18), i.title]; }); }""")
    assert len(marks) == 1 and marks[0][1] == "History"
    assert abs(marks[0][0] - history / TOTAL_MS) < 0.01
    assert pg.locator("#pl-chapter").inner_text() == "Chapter 1 of 2: Introduction"
    press(pg, "#pl-next")
    wait_time(pg, history / 1000)
    pg.wait_for_function("() => document.getElementById('pl-chapter').textContent === 'Chapter 2 of 2: History'",
                         timeout=WAIT_MS)
    assert pg.locator('.chapters a[href="#chapter-2"]').get_attribute("aria-current") == "true"
    set_time(pg, history / 1000 + 10)
    press(pg, "#pl-prev")  # well into a chapter: back to its start
    wait_time(pg, history / 1000)
    press(pg, "#pl-prev")  # right at its start: the chapter before
    wait_time(pg, 0.0)
    assert pg.locator("#pl-seek").get_attribute("aria-valuetext") == "0:00 of 1:02, Introduction"


def test_progress_bar_with_pointer_and_keys(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    box = page.locator("#pl-seek").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 9 + (box["width"] - 18) * 0.5, box["y"] + box["height"] / 2)
    page.wait_for_function("() => Math.abs(document.getElementById('audio').currentTime - 31) < 1.5", timeout=WAIT_MS)
    set_time(page, 10.0)
    page.locator("#pl-seek").focus()
    page.keyboard.press("ArrowRight")
    wait_time(page, 15.0)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_time(page, 5.0)
    page.keyboard.press("Home")
    wait_time(page, 0.0)


def test_keyboard_shortcuts(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    history = site.cues[2].start / 1000
    page.locator("h1").click()  # focus on the page, not on a control
    page.keyboard.press(" ")
    page.wait_for_function("() => !document.getElementById('audio').paused", timeout=WAIT_MS)
    page.keyboard.press("k")
    page.wait_for_function("() => document.getElementById('audio').paused", timeout=WAIT_MS)
    for key, start, expected in (("ArrowLeft", 40, 25), ("j", 40, 25), ("ArrowRight", 10, 40), ("l", 10, 40),
                                 ("n", 0, history), ("p", history + 5, history), ("p", history + 1, 0)):
        set_time(page, start)
        page.keyboard.press(key)
        wait_time(page, expected)
    page.keyboard.press(">")
    assert page.evaluate("() => document.getElementById('audio').playbackRate") == 1.25
    page.keyboard.press("<")
    page.keyboard.press("<")
    assert page.evaluate("() => document.getElementById('audio').playbackRate") == 0.75
    page.keyboard.press("m")
    assert page.evaluate("() => document.getElementById('audio').muted") is True
    page.keyboard.press("m")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "search"
    page.keyboard.type("j")  # typing in the search box is typing, not a shortcut
    assert page.locator("#search").input_value() == "j"
    # the shortcuts are documented on the page, and single-key ones can be switched off (WCAG 2.1.4)
    page.locator("details.keys summary").click()
    assert page.locator("details.keys").inner_text().count("Play or pause") == 1
    page.locator("#single-keys").uncheck()
    page.locator("h1").click()
    set_time(page, 40.0)
    page.keyboard.press("j")
    page.keyboard.press("ArrowLeft")  # arrow keys are not single-character shortcuts: still on
    wait_time(page, 25.0)
    page.reload(wait_until="load")
    assert page.locator("#single-keys").is_checked() is False  # the choice is remembered


# --------------------------------------------------------------------------- lines and words


def test_click_on_a_line_plays_from_its_start(sized: Any, site: Site) -> None:
    pg = sized
    open_ready(pg, site.url("es"))  # estimated word times: a line plays from its start
    record_seeks(pg)
    for cue in (site.cues[2], site.cues[0], site.cues[4]):
        press(pg, f"#{cue.id}")
        assert abs(last_seek(pg) - cue.start / 1000) < 0.001
        pg.wait_for_function("() => !document.getElementById('audio').paused", timeout=WAIT_MS)
        wait_current_cue(pg, cue.id)
        pause(pg)


def test_click_on_a_timed_word_plays_from_that_word(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    record_seeks(page)
    for i, k in ((1, 4), (3, 0), (3, 5)):
        settle(page)  # follow-along may have scrolled the page smoothly
        rect = page.evaluate(word_rect_js(site.cues[i].id, k))
        page.mouse.click(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
        assert abs(last_seek(page) - site.words[i][k].start / 1000) < 0.001, (i, k)
        pause(page)


def test_click_on_chapter_heading_and_turn_time(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    record_seeks(page)
    page.locator("#chapter-2").click()
    assert abs(last_seek(page) - site.cues[2].start / 1000) < 0.001
    pause(page)
    page.locator("#transcript p time").first.click()
    assert abs(last_seek(page) - site.cues[0].start / 1000) < 0.001


def test_word_highlight_follows_playback(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    # at the middle of a word, that word is the one highlighted
    for i, k in ((0, 0), (0, 3), (1, 5), (3, 2), (4, 8)):
        w = site.words[i][k]
        set_time(page, (w.start + w.end) / 2000)
        page.wait_for_function("(t) => { const h = CSS.highlights.get('tk-word');"
                               " return h && h.size === 1 && [...h][0].toString() === t; }", arg=w.text,
                               timeout=WAIT_MS)
        wait_current_cue(page, site.cues[i].id)
    # while it plays: sample the highlighted word against the clock
    layout = ("() => Array.from(document.querySelectorAll('#transcript .cue'), c => {"
              " const r = c.getBoundingClientRect(); return [r.left, r.top + scrollY, r.width, r.height]; })")
    rects = page.evaluate(layout)
    page.evaluate("""() => { window.__shifts = []; new PerformanceObserver((list) => {
        for (const e of list.getEntries()) { window.__shifts.push([e.value, e.sources.map(s => s.node &&
            (s.node.id || s.node.className || s.node.nodeName) + ' ' + JSON.stringify(s.previousRect) + ' -> ' +
            JSON.stringify(s.currentRect))]); } }).observe({type: 'layout-shift'}); }""")
    set_time(page, 0.0)
    samples = page.evaluate("""() => new Promise((resolve) => {
        const a = document.getElementById('audio'), out = [];
        a.play();
        const step = () => { const h = CSS.highlights.get('tk-word');
            if (a.currentTime > 0.05) { out.push([a.currentTime * 1000, h.size ? [...h][0].toString() : null]); }
            if (a.currentTime < 6) { requestAnimationFrame(step); } else { a.pause(); resolve(out); } };
        requestAnimationFrame(step); })""")
    flat = [w for sentence in site.words for w in sentence]
    exact = near = 0
    before = [text for ms, text in samples if ms < flat[0].start - 20]
    assert before and set(before) == {None}  # no word before the first is spoken
    samples = [(ms, text) for ms, text in samples if ms > flat[0].start + 20]
    for ms, text in samples:
        index = max(n for n, w in enumerate(flat) if w.start <= ms)
        shown = [n for n, w in enumerate(flat) if w.text == text]
        exact += index in shown
        near += any(abs(n - index) <= 1 for n in shown)
    assert len(samples) > 30
    assert near == len(samples), samples  # never more than one word away (the sample lands between frames)
    assert exact >= 0.9 * len(samples), (exact, len(samples))
    # smooth: nothing moved while the line and the word changed
    assert page.evaluate("() => window.__shifts") == []
    assert page.evaluate(layout) == rects


def test_estimated_word_highlight_moves_through_the_line(page: Any, site: Site) -> None:
    open_ready(page, site.url("es"))
    cue = site.cues[1]
    shown = []
    for step in range(8):
        set_time(page, (cue.start + (cue.end - cue.start) * (step + 0.5) / 8) / 1000)
        page.wait_for_function("() => CSS.highlights.get('tk-word').size === 1", timeout=WAIT_MS)
        shown.append(highlighted(page, "tk-word")[0])
    words = [w.strip(".,") for w in SPANISH[1].split()]
    assert all(w in words for w in shown), shown
    order = [words.index(w) for w in shown]
    assert order == sorted(order) and order[0] == 0 and order[-1] == len(words) - 1  # start to end, in order


# --------------------------------------------------------------------------- links to a moment and to a quote


@pytest.mark.parametrize(("fragment", "seconds_"), [("t=3", 3.0), ("t=0:04", 4.0), ("t=0:00:02.5", 2.5),
                                                     ("t=3,4", 3.0), ("t=npt:1.5", 1.5)])
def test_opening_with_a_time_fragment_seeks(page: Any, site: Site, fragment: str, seconds_: float) -> None:
    page.goto(f"{site.url()}#{fragment}", wait_until="load")
    wait_time(page, seconds_)
    expected = [c for c in site.cues if c.start <= seconds_ * 1000][-1].id
    wait_current_cue(page, expected)


def test_a_millisecond_link_reopens_on_its_line(page: Any, site: Site) -> None:
    """#t=4.851 lands on the line that starts at 4.851 s (a link floored to 4 s opened the one before)."""
    for cue in site.cues:
        page.goto(f"{site.url()}#t={seconds(cue.start)}", wait_until="load")
        wait_time(page, cue.start / 1000, 0.0005)
        wait_current_cue(page, cue.id)


def test_link_to_this_moment(browser: Any, site: Site) -> None:
    tab = Tab(browser, clipboard=True)
    pg = tab.page
    try:
        open_ready(pg, site.url())
        cue = site.cues[3]
        pg.locator(f"#{cue.id}").click()
        pause(pg)
        set_time(pg, cue.start / 1000)
        pg.locator("#share").click()
        link = pg.locator("#share-link")
        link.wait_for(state="visible")
        expected = f"{site.url()}#t={seconds(cue.start)}"
        assert link.get_attribute("href") == expected and link.inner_text() == expected
        pg.wait_for_function("() => document.getElementById('toast-text').textContent === 'Link copied:'",
                             timeout=WAIT_MS)
        assert pg.evaluate("() => navigator.clipboard.readText()") == expected
        pg.wait_for_function("(u) => document.getElementById('status').textContent === 'Link copied: ' + u",
                             arg=expected, timeout=WAIT_MS)  # said politely, too
        other = pg.context.new_page()
        other.goto(expected, wait_until="load")
        wait_current_cue(other, cue.id)
        assert abs(current_time(other) - cue.start / 1000) < 0.0005
        assert not tab.errors, tab.errors
    finally:
        tab.close()


def select_words(pg: Any, first: tuple[str, int], last: tuple[str, int]) -> None:
    """Select from the first character of word first[1] of line first[0] to the end of word last[1] of last[0]."""
    pg.evaluate("""([a, ka, b, kb]) => {
        const wordAt = (id, k, end) => { const el = document.getElementById(id), text = el.textContent;
            const re = /\\S+/g; let m, i = 0; while ((m = re.exec(text))) { if (i++ === k) break; }
            return [el.firstChild, end ? m.index + m[0].length : m.index]; };
        const r = document.createRange(), s = wordAt(a, ka, false), e = wordAt(b, kb, true);
        r.setStart(s[0], s[1]); r.setEnd(e[0], e[1]);
        const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); }""",
                [first[0], first[1], last[0], last[1]])


def test_share_a_quote_across_lines_and_play_exactly_it(browser: Any, site: Site) -> None:
    tab = Tab(browser)
    pg = tab.page
    try:
        open_ready(pg, site.url())
        c2, c3 = site.cues[1], site.cues[2]
        # "old stone bridge. It was built" — the end of Ana's line and the start of Ben's (another
        # paragraph, after a chapter heading)
        select_words(pg, (c2.id, 5), (c3.id, 2))
        pg.locator("#quote").wait_for(state="visible")
        start, end = site.words[1][5].start, site.words[2][3].start  # "old" … up to the word after "built"
        assert pg.locator("#quote").inner_text() == f"Share this quote ({clock(start)}–{clock(end)})"
        pg.locator("#quote").click()
        expected = f"{site.url()}#t={seconds(start)},{seconds(end)}"
        assert pg.locator("#share-link").get_attribute("href") == expected
        other = pg.context.new_page()
        other.goto(expected, wait_until="load")
        wait_current_cue(other, c2.id)
        assert highlighted(other, "tk-quote") == ["old stone bridge.", "It was built"]  # one range per line
        other.evaluate("() => document.getElementById('audio').play()")
        other.wait_for_function("() => document.getElementById('audio').paused", timeout=WAIT_MS)
        stopped = current_time(other) * 1000
        assert end - 1 <= stopped <= end + 150, (end, stopped)  # it stops at the end of the quote, within a frame or so
        assert not tab.errors, tab.errors
    finally:
        tab.close()


def test_quote_of_whole_lines_with_estimated_words(page: Any, site: Site) -> None:
    open_ready(page, site.url("es"))
    c1, c2 = site.cues[0], site.cues[1]
    select_words(page, (c1.id, 0), (c2.id, len(SPANISH[1].split()) - 1))
    page.locator("#quote").wait_for(state="visible")
    page.locator("#quote").click()
    assert page.locator("#share-link").get_attribute("href") == \
        f"{site.url('es')}#t={seconds(c1.start)},{seconds(c2.end)}"


def test_fragment_end_pauses_playback(page: Any, site: Site) -> None:
    """#t=1,2 plays from 1 s and stops at 2 s (Media Fragments start,end)."""
    page.goto(f"{site.url()}#t=1,2", wait_until="load")
    wait_time(page, 1.0)
    page.evaluate("() => document.getElementById('audio').play()")
    page.wait_for_function("() => { const a = document.getElementById('audio');"
                           " return a.paused && a.currentTime >= 2; }", timeout=WAIT_MS)
    assert current_time(page) < 2.15


def test_moving_away_from_a_range_lifts_its_end(page: Any, site: Site) -> None:
    """After #t=1,2 the listener jumps ahead with +30 s: playback goes on past the range's end."""
    page.goto(f"{site.url()}#t=1,2", wait_until="load")
    wait_time(page, 1.0)
    page.locator("#pl-fwd").click()
    wait_time(page, 31.0)
    page.locator("#pl-play").click()
    page.wait_for_function("() => document.getElementById('audio').currentTime > 31.5", timeout=WAIT_MS)
    assert page.evaluate("() => document.getElementById('audio').paused") is False
    pause(page)


def test_hashchange_seeks(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    page.evaluate("() => { location.hash = '#t=1'; }")
    wait_time(page, 1.0)
    page.evaluate("() => { location.hash = '#t=0:00:04'; }")
    wait_time(page, 4.0)
    page.evaluate("() => { location.hash = '#t=garbage'; }")  # ignored, no error
    wait_time(page, 4.0)


# --------------------------------------------------------------------------- other languages


def test_language_switch_keeps_the_position(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    badge = page.locator('nav.langs a[hreflang="es"] .badge')
    assert badge.inner_text() == "machine translation"  # which languages are machine translated
    cue = site.cues[3]
    set_time(page, cue.start / 1000 + 0.25)
    page.locator('nav.langs a[hreflang="es"]').click()
    page.wait_for_url(f"{site.url('es')}#t={seconds(cue.start + 250)}")
    page.wait_for_function("() => document.getElementById('audio').readyState >= 1", timeout=WAIT_MS)
    wait_time(page, cue.start / 1000 + 0.25, 0.0005)
    wait_current_cue(page, cue.id)  # the same line, in Spanish
    assert page.evaluate("() => document.getElementById('audio').paused") is True
    # playing, it goes on playing in the other language
    page.evaluate("() => document.getElementById('audio').play()")
    page.wait_for_function("(t) => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > t; }",
                           arg=cue.start / 1000 + 0.5, timeout=WAIT_MS)
    page.locator('nav.langs a[hreflang="en"]').click()
    page.wait_for_url(f"{site.url()}#t=*")
    page.wait_for_function("(t) => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > t; }",
                           arg=cue.start / 1000 + 0.5, timeout=WAIT_MS)


# --------------------------------------------------------------------------- search


def hits(pg: Any) -> list[str]:
    """The text of each search hit (a hit across lines is several <mark>s)."""
    return pg.evaluate("""() => { const out = [];
        document.querySelectorAll('#transcript mark').forEach(m => {
            const i = +m.dataset.hit; out[i] = (out[i] === undefined ? '' : out[i] + ' ') + m.textContent; });
        return out; }""")


def search_for(pg: Any, text: str, expected: int) -> list[str]:
    pg.locator("#search").fill("")
    pg.wait_for_function("() => document.querySelectorAll('#transcript mark').length === 0 && "
                         "document.getElementById('search-count').textContent === ''", timeout=WAIT_MS)
    pg.locator("#search").fill(text)
    pg.wait_for_function("([q, n]) => document.getElementById('search').value === q && "
                         "new Set(Array.from(document.querySelectorAll('#transcript mark'), m => m.dataset.hit)).size === n"
                         " && document.getElementById('search-count').textContent !== ''",
                         arg=[text, expected], timeout=WAIT_MS)
    return hits(pg)


def test_search_marks_counts_and_navigates(sized: Any, site: Site) -> None:
    pg = sized
    open_ready(pg, site.url())
    assert pg.locator("#search").is_visible()  # revealed by the script
    assert search_for(pg, "Bridge", 3) == ["bridge", "bridge", "bridge"]
    assert pg.locator("#search-count").inner_text() == "1 of 3"
    press(pg, "#search-next")
    pg.wait_for_function("() => document.getElementById('search-count').textContent === '2 of 3'", timeout=WAIT_MS)
    press(pg, "#search-prev")
    press(pg, "#search-prev")
    pg.wait_for_function("() => document.getElementById('search-count').textContent === '3 of 3'", timeout=WAIT_MS)
    pg.locator("#search").press("Enter")
    pg.wait_for_function("() => document.getElementById('search-count').textContent === '1 of 3'", timeout=WAIT_MS)
    pg.locator("#search").press("Shift+Enter")
    pg.wait_for_function("() => document.getElementById('search-count').textContent === '3 of 3'", timeout=WAIT_MS)
    settle(pg)
    current = pg.evaluate("""() => { const m = document.querySelector('#transcript mark.current').getBoundingClientRect();
        return [m.top, m.bottom, document.getElementById('player').getBoundingClientRect().bottom, innerHeight]; }""")
    assert current[2] <= current[0] and current[1] <= current[3]  # in view, below the sticky player
    # marks never change the text, and clearing the search removes them all
    pg.locator("#search").press("Escape")
    pg.wait_for_function("() => document.querySelectorAll('#transcript mark').length === 0", timeout=WAIT_MS)
    texts = pg.evaluate("() => Array.from(document.querySelectorAll('#transcript .cue'), s => s.textContent)")
    assert texts == [text for _, text in SENTENCES]
    pg.locator("#search").fill("zebra")
    pg.wait_for_function("() => document.getElementById('search-count').textContent === 'No matches'",
                         timeout=WAIT_MS)


def test_search_finds_phrases_across_lines_and_paragraphs(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    # across two lines of one paragraph, the full stop between them ignored
    assert search_for(page, "bridge podcast today we", 1) == ["bridge podcast. Today we"]
    # across paragraphs, speakers and a chapter heading
    assert search_for(page, "old stone bridge. It was", 1) == ["old stone bridge. It was"]
    assert search_for(page, "EVERY DAY thank you", 1) == ["every day. Thank you"]
    assert search_for(page, "day. thank", 1) == ["day. Thank"]


def test_search_ignores_accents_by_the_page_languages_rules(page: Any, site: Site) -> None:
    open_ready(page, site.url("es"))
    assert search_for(page, "esta", 2) == ["está", "está"]  # Spanish: "está" and "esta" are one word to search
    assert search_for(page, "PODCAST", 1) == ["pódcast"]
    assert search_for(page, "construyo", 1) == ["construyó"]
    assert search_for(page, "peña", 1) == ["peña"]
    search_for(page, "pena", 0)  # ... but ñ is a letter of its own in Spanish
    assert page.locator("#search-count").inner_text() == "Sin coincidencias"
    open_ready(page, site.url())
    assert search_for(page, "canon", 1) == ["cañon"]  # in English, ñ is an n with a tilde


def test_search_input_is_never_html(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    page.locator("#search").fill("<img src=x onerror=window.__pwned=1>")
    page.wait_for_function("() => document.getElementById('search-count').textContent === 'No matches'",
                           timeout=WAIT_MS)
    assert page.evaluate("() => document.querySelectorAll('#transcript img').length") == 0
    assert page.evaluate("() => window.__pwned") is None


# --------------------------------------------------------------------------- keyboard only, screen readers


def test_the_transcript_is_one_tab_stop_with_arrow_keys(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    ids = [c.id for c in site.cues]
    assert page.evaluate("() => Array.from(document.querySelectorAll('#transcript .cue'), c => c.tabIndex)") == \
        [0] + [-1] * (len(ids) - 1)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the transcript"
    assert page.locator("a.skip").first.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == ids[0]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.id") == ids[2]
    page.keyboard.press("End")
    assert page.evaluate("() => document.activeElement.id") == ids[-1]
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.id") == ids[1]
    assert page.evaluate("() => document.querySelectorAll('#transcript [tabindex=\"0\"]').length") == 1
    record_seeks(page)
    page.keyboard.press("Enter")
    assert abs(last_seek(page) - site.cues[1].start / 1000) < 0.001
    page.keyboard.press(" ")  # on a line, Space plays from it too (and does not scroll)
    pause(page)
    page.keyboard.press("Tab")  # one stop: the next Tab leaves the transcript
    assert page.evaluate("() => document.activeElement.closest('#downloads') !== null")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.id") == ids[1]
    # the skip link before the transcript jumps past it
    page.locator('a.skip[href="#downloads"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('#downloads') !== null")


def test_lines_tell_screen_readers_what_when_and_who(page: Any, site: Site) -> None:
    open_ready(page, site.url())
    for cue in (site.cues[0], site.cues[3]):
        node = ax_node(page, f"#{cue.id}")
        clock = f"0:{cue.start // 1000:02d}"
        assert node == {"role": "button", "name": cue.text, "description": f"{clock}, {cue.speaker}"}
    # the continuation paragraph names its speaker too
    assert page.evaluate("() => Array.from(document.querySelectorAll('#transcript p.turn cite'),"
                         " c => [c.textContent, c.className])") == [["Ana", ""], ["Ben", ""], ["Ben", "cont"], ["Ana", ""]]
    assert ax_node(page, "#pl-seek")["role"] == "slider"
    assert page.locator("#pl-chapter").get_attribute("aria-live") == "polite"


# --------------------------------------------------------------------------- without JavaScript, hostile text


def test_without_javascript_the_transcript_is_plain_and_readable(browser: Any, site: Site) -> None:
    tab = Tab(browser, js=False)
    pg = tab.page
    try:
        pg.goto(site.url(), wait_until="load")
        text = pg.locator("#transcript").inner_text()
        for speaker, sentence in SENTENCES:
            assert sentence in text
            assert speaker in text
        assert "Introduction" in text and "History" in text
        assert pg.locator("#audio").is_visible()  # the native player
        assert pg.evaluate("() => document.getElementById('audio').controls") is True
        for hidden in ("#search", "#share", "#pl", "#pl-play", ".prefs"):
            assert not pg.locator(hidden).first.is_visible(), hidden
        assert pg.evaluate("() => document.querySelector('.cue').getAttribute('tabindex')") is None
        assert pg.evaluate("() => document.querySelector('.cue').getAttribute('role')") is None
        links = pg.evaluate("() => Array.from(document.querySelectorAll('.downloads a'), a => a.getAttribute('href'))")
        assert "transcript.vtt" in links
    finally:
        tab.close()


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
    assert search_for(page, hostile, 1) == [hostile]
    assert page.evaluate("() => window.__pwned") is None
