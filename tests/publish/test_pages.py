"""The transcript page and the show page (toolkit.publish.pages), without a browser.

The pages are parsed back with the standard library's HTML parser and checked
element by element; one page is compared with a golden file
(``TOOLKIT_UPDATE_GOLDENS=1`` rewrites it).  Behaviour in a real browser is in
tests/e2e/test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import os
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import ConfigError
from toolkit.model import Category, Chapter, Cue, Episode, Sentence, Show, Word
from toolkit.pipeline import LanguageBuild
from toolkit.publish import pages
from toolkit.publish.pages import (
    EpisodePageContext,
    FeedLink,
    LanguageLink,
    ShowPageContext,
    ShowPageEpisode,
    render_episode_page,
    render_show_page,
)

GOLDEN = Path(__file__).parent / "golden"
BASE = "https://example.org/pod"

HOSTILE = (
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror=window.__pwned=1>',
    "&amp;",
)


# --------------------------------------------------------------------------- building contexts


def make_show(root: Path, **kw: object) -> Show:
    values: dict[str, object] = dict(
        root=root, title="Bridges & Tunnels", description="A show about crossings.\n\nSecond paragraph.",
        author="Ana", owner_name="Ana", owner_email="ana@example.org", base_url=BASE, language="en",
        categories=(Category("History"),), image=root / "cover.png", target_languages=("es",),
    )
    values.update(kw)
    return Show(**values)  # type: ignore[arg-type]


def make_episode(**kw: object) -> Episode:
    values: dict[str, object] = dict(
        slug="the-bridge", title="The Bridge", date=dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC),
        description="How the old bridge was built.", audio=Path("the-bridge.mp3"),
        transcript=Path("transcript.txt"), folder=Path("episodes/the-bridge"), number=7, season=2,
    )
    values.update(kw)
    return Episode(**values)  # type: ignore[arg-type]


CUES = (
    Cue("c0001", 0, 2400, ("Welcome to the show.",), "Ana", True, 0, (0,)),
    Cue("c0002", 2400, 5100, ("Today we talk", "about the old bridge."), "Ana", False, 0, (1,)),
    Cue("c0003", 5300, 8000, ("It was built in 1850.",), "Ben", True, 1, (2,)),
    Cue("c0004", 8000, 9500, ("Of stone,",), "Ben", False, 1, (3,)),
    Cue("c0005", 9500, 11000, ("and iron.",), "Ben", False, 1, (3,)),
    Cue("c0006", 11200, 13000, ("A new paragraph by Ben.",), "Ben", False, 1, (4,)),
    Cue("c0007", 13000, 15000, ("Thank you.",), "Ana", True, 1, (5,)),
)
CHAPTERS = (Chapter("Introduction", 0), Chapter("History", 5300))
TURNS = frozenset({0, 2, 4, 5})  # sentence 4 starts a second turn by Ben


def make_build(lang: str = "en", **kw: object) -> LanguageBuild:
    values: dict[str, object] = dict(lang=lang, cues=CUES, chapters=CHAPTERS, title="The Bridge",
                                     description="How the old bridge was built.")
    values.update(kw)
    return LanguageBuild(**values)  # type: ignore[arg-type]


def language_links(current: str) -> tuple[LanguageLink, ...]:
    out = []
    for lang, name in (("en", "English"), ("es", "español")):
        url = "index.html" if lang == current else f"../{lang}/index.html"
        out.append(LanguageLink(lang, name, url, f"{BASE}/episodes/the-bridge/{lang}/index.html",
                                machine=lang != "en"))
    return tuple(out)


def make_ctx(root: Path, lang: str = "en", build: LanguageBuild | None = None, **kw: object) -> EpisodePageContext:
    values: dict[str, object] = dict(
        show=make_show(root), episode=make_episode(), build=build or make_build(lang),
        audio_url="../the-bridge.mp3", audio_mime="audio/mpeg", duration_ms=15500,
        languages=language_links(lang),
        canonical_url=f"{BASE}/episodes/the-bridge/{lang}/index.html",
        image_url=f"{BASE}/cover.png", audio_absolute_url=f"{BASE}/episodes/the-bridge/the-bridge.mp3",
        feed=FeedLink(lang, "English", f"{BASE}/feed.xml", "Bridges & Tunnels"),
        turn_starts=TURNS,
    )
    values.update(kw)
    return EpisodePageContext(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- a tiny DOM


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> list[Node]:
        out: list[Node] = []
        for c in self.children:
            if isinstance(c, Node):
                if tag is None or c.tag == tag:
                    out.append(c)
                out.extend(c.iter(tag))
        return out

    def find(self, tag: str, **attrs: str) -> Node:
        found = [n for n in self.iter(tag) if all(n.attrs.get(k.rstrip("_").replace("_", "-")) == v
                                                    for k, v in attrs.items())]
        assert found, f"no <{tag} {attrs}>"
        return found[0]


VOID = {"meta", "link", "input", "img", "br", "track", "source", "hr"}


class Tree(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag: str) -> None:
        n: Node | None = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        assert n is not None and n.parent is not None, f"stray </{tag}>"
        self.cur = n.parent

    def handle_data(self, data: str) -> None:
        self.cur.children.append(data)


def dom(html: str) -> Node:
    return Tree(html).root


def meta(doc: Node, prop: str) -> str | None:
    for m in doc.iter("meta"):
        if m.attrs.get("property") == prop or m.attrs.get("name") == prop:
            return m.attrs.get("content")
    raise AssertionError(f"no meta {prop}")


# --------------------------------------------------------------------------- episode page


def test_head_metadata(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path)))
    html = doc.find("html")
    assert html.attrs["lang"] == "en"
    assert doc.find("title").text() == "The Bridge · Bridges & Tunnels"
    assert meta(doc, "description") == "How the old bridge was built."
    assert meta(doc, "og:title") == "The Bridge"
    assert meta(doc, "og:type") == "article"
    assert meta(doc, "og:url") == f"{BASE}/episodes/the-bridge/en/index.html"
    assert meta(doc, "og:image") == f"{BASE}/cover.png"
    assert meta(doc, "og:audio") == f"{BASE}/episodes/the-bridge/the-bridge.mp3"
    assert meta(doc, "og:audio:type") == "audio/mpeg"
    links = doc.iter("link")
    assert [ln.attrs["href"] for ln in links if ln.attrs.get("rel") == "canonical"] == [
        f"{BASE}/episodes/the-bridge/en/index.html"]
    alternates = {ln.attrs["hreflang"]: ln.attrs["href"] for ln in links if ln.attrs.get("hreflang")}
    assert alternates == {
        "en": f"{BASE}/episodes/the-bridge/en/index.html",
        "es": f"{BASE}/episodes/the-bridge/es/index.html",
        "x-default": f"{BASE}/episodes/the-bridge/en/index.html",
    }
    feeds = [ln for ln in links if ln.attrs.get("type") == "application/rss+xml"]
    assert [(f.attrs["href"], f.attrs["title"]) for f in feeds] == [(f"{BASE}/feed.xml", "Bridges & Tunnels")]


def test_player_and_track(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path)))
    audio = doc.find("audio")
    assert audio.attrs["src"] == "../the-bridge.mp3"
    assert audio.attrs["preload"] == "metadata"
    assert "controls" in audio.attrs
    track = audio.find("track")
    assert track.attrs == {"kind": "captions", "srclang": "en", "label": "English", "src": "transcript.vtt",
                           "default": None}


def test_transcript_structure(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path)))
    article = doc.find("article", id="transcript")
    kinds = [(n.tag, n.attrs.get("id")) for n in article.children if isinstance(n, Node)]
    assert kinds == [("h2", "chapter-1"), ("p", None), ("h2", "chapter-2"), ("p", None), ("p", None), ("p", None)]
    h2s = article.iter("h2")
    assert [(h.text(), h.attrs["data-m"]) for h in h2s] == [("Introduction", "0"), ("History", "5300")]
    paras = article.iter("p")
    # every paragraph names its speaker; where the same speaker goes on, the name is marked as a continuation
    assert [[(c.text(), c.attrs.get("class")) for c in p.iter("cite")] for p in paras] == [
        [("Ana", None)], [("Ben", None)], [("Ben", "cont")], [("Ana", None)]]
    assert [[s.attrs["id"] for s in p.iter("span")] for p in paras] == [
        ["c0001", "c0002"], ["c0003", "c0004", "c0005"], ["c0006"], ["c0007"]]
    times = [p.find("time") for p in paras]
    assert [(t.attrs["data-m"], t.attrs["datetime"], t.text()) for t in times] == [
        ("0", "PT0S", "0:00"), ("5300", "PT5.300S", "0:05"), ("11200", "PT11.200S", "0:11"),
        ("13000", "PT13S", "0:13")]
    spans = article.iter("span")
    assert [(s.attrs["data-m"], s.attrs["data-d"]) for s in spans] == [
        (str(c.start), str(c.end - c.start)) for c in CUES]
    assert spans[1].text() == "Today we talk about the old bridge."  # display lines joined
    assert all(s.attrs["class"] == "cue" for s in spans)


def test_paragraphs_without_turn_information_break_on_pauses(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path, turn_starts=None)))
    paras = doc.find("article", id="transcript").iter("p")
    # Ben's 200 ms pause before c0006 is no paragraph break without turn data
    assert [[s.attrs["id"] for s in p.iter("span")] for p in paras] == [
        ["c0001", "c0002"], ["c0003", "c0004", "c0005", "c0006"], ["c0007"]]
    cues = CUES[:3] + (replace(CUES[3], start=10500, end=11000),)
    doc = dom(render_episode_page(make_ctx(tmp_path, build=make_build(cues=cues), turn_starts=None)))
    paras = doc.find("article", id="transcript").iter("p")
    assert [[s.attrs["id"] for s in p.iter("span")] for p in paras] == [["c0001", "c0002"], ["c0003"], ["c0004"]]


def test_chapters_placed_by_time_when_cues_carry_none(tmp_path: Path) -> None:
    cues = tuple(replace(c, chapter=None) for c in CUES)
    chapters = CHAPTERS + (Chapter("Credits", 60000),)
    doc = dom(render_episode_page(make_ctx(tmp_path, build=make_build(cues=cues, chapters=chapters))))
    article = doc.find("article", id="transcript")
    order = [n.attrs.get("id") or n.find("span").attrs["id"] for n in article.children if isinstance(n, Node)]
    assert order == ["chapter-1", "c0001", "chapter-2", "c0003", "c0006", "c0007", "chapter-3"]


def test_chapter_nav_and_downloads(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path)))
    nav = doc.find("nav", class_="chapters")
    links = nav.iter("a")
    assert [(a.attrs["href"], a.attrs["data-m"], a.text()) for a in links] == [
        ("#chapter-1", "0", "0:00 Introduction"), ("#chapter-2", "5300", "0:05 History")]
    downloads = {a.attrs["href"]: a.attrs.get("type") for a in doc.find("section", class_="downloads").iter("a")}
    assert downloads == {
        "transcript.vtt": "text/vtt", "transcript.srt": "application/x-subrip",
        "transcript.json": "application/json", "chapters.json": "application/json+chapters",
        "../the-bridge.mp3": "audio/mpeg", f"{BASE}/feed.xml": "application/rss+xml",
    }
    no_chapters = dom(render_episode_page(make_ctx(tmp_path, build=make_build(chapters=()), chapters_url=None)))
    assert not [n for n in no_chapters.iter("nav") if n.attrs.get("class") == "chapters"]
    assert "chapters.json" not in {a.attrs["href"] for a in no_chapters.iter("a")}


def test_language_switcher(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path, lang="es", build=make_build(
        "es", machine=True, engine="apertium eng-spa 0.8.1", title="El puente"))))
    assert doc.find("html").attrs["lang"] == "es"
    nav = doc.find("nav", class_="langs")
    links = [(a.attrs["href"], a.attrs["hreflang"], a.attrs["lang"], a.text(), "aria-current" in a.attrs)
             for a in nav.iter("a")]
    assert links == [("../en/index.html", "en", "en", "English", False),
                     ("index.html", "es", "es", "español traducción automática", True)]
    # the machine-translation badge is in the interface language, inside the link
    badge = nav.find("span", class_="badge")
    assert badge.text() == "traducción automática" and badge.attrs["lang"] == "es"
    assert doc.find("track").attrs["srclang"] == "es"
    assert doc.find("track").attrs["label"] == "español"


def test_single_language_has_no_switcher(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path, languages=language_links("en")[:1])))
    assert not [n for n in doc.iter("nav") if n.attrs.get("class") == "langs"]
    assert not [ln for ln in doc.iter("link") if ln.attrs.get("hreflang")]


def test_machine_translation_note(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path, lang="es", build=make_build(
        "es", machine=True, engine="argos en→es 1.9"))))
    note = doc.find("p", role="note")
    assert note.text() == "Traducción automática con argos en→es 1.9; puede contener errores."
    # a language without interface strings: English note, marked as English
    doc = dom(render_episode_page(make_ctx(tmp_path, lang="nl", build=make_build(
        "nl", machine=True, engine="argos en→nl"))))
    note = doc.find("p", role="note")
    assert note.text() == "Machine translated with argos en→nl; may contain errors."
    assert note.attrs["lang"] == "en"
    assert doc.find("html").attrs["lang"] == "nl"


def test_pseudo_label_wins_over_machine_note(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path, lang="en-XA", build=make_build(
        "en-XA", machine=True, pseudo=True, engine="pseudo"))))
    notes = [p for p in doc.iter("p") if p.attrs.get("role") == "note"]
    assert len(notes) == 1
    assert "pseudo" in notes[0].attrs["class"]
    assert "not a translation" in notes[0].text()


def test_source_page_has_no_note(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path)))
    assert not [p for p in doc.iter("p") if p.attrs.get("role") == "note"]


def test_js_only_controls_are_hidden_without_script(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path)))
    tools = doc.find("div", class_="tools")
    assert "hidden" in tools.attrs and "data-js" in tools.attrs
    assert tools.find("input", id="search").attrs["type"] == "search"
    assert tools.find("button", id="share")
    # cues are made focusable by the script, not in the static page (no dead tab stops without JS)
    assert all("tabindex" not in s.attrs for s in doc.iter("span"))


def test_exactly_one_script_and_it_is_ours(tmp_path: Path) -> None:
    html = render_episode_page(make_ctx(tmp_path))
    assert html.count("<script") == 1
    static = Path(pages.__file__).parent / "static"
    player, transcript = ((static / name).read_text(encoding="utf-8").strip() for name in ("player.js", "transcript.js"))
    assert player + "\n" + transcript in html  # one inlined script: the player first, the transcript on top of it
    assert "</" not in player + transcript


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_are_escaped(tmp_path: Path, hostile: str) -> None:
    cue = Cue("c0001", 0, 1000, (hostile,), hostile, True, 0, (0,))
    build = make_build(cues=(cue,), chapters=(Chapter(hostile, 0),), title=hostile, description=hostile)
    show = make_show(tmp_path, title=hostile)
    html = render_episode_page(make_ctx(tmp_path, build=build, show=show, show_title=None,
                                        languages=(LanguageLink("en", hostile, "index.html", f"{BASE}/x"),
                                                   LanguageLink("es", hostile, "../es/", f"{BASE}/y"))))
    if "<" in hostile:
        assert hostile not in html
    assert "<script>window" not in html
    assert "<img" not in html
    assert "&amp;amp;" in html or hostile != "&amp;"  # "&amp;" is text: escaped once more
    doc = dom(html)
    assert doc.find("h1").text() == hostile
    assert doc.find("cite").text() == hostile
    assert doc.find("span", id="c0001").text() == hostile
    assert doc.find("h2", id="chapter-1").text() == hostile
    assert meta(doc, "og:title") == hostile
    assert meta(doc, "description") == " ".join(hostile.split())
    assert not doc.iter("img")
    assert len(doc.iter("script")) == 1


def test_javascript_urls_are_dropped(tmp_path: Path) -> None:
    html = render_episode_page(make_ctx(tmp_path, image_url="javascript:alert(1)", show_url="JavaScript:alert(2)",
                                        audio_url="data:text/html,<b>x</b>"))
    assert "javascript:" not in html.lower()
    assert "data:text" not in html
    doc = dom(html)
    assert doc.find("audio").attrs["src"] == "#"


def test_cue_ids_and_data_attributes_survive_any_text(tmp_path: Path) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
                    min_size=1, max_size=5))
    def check(texts: list[str]) -> None:
        cues = tuple(Cue(f"c{i:04d}", i * 1000, i * 1000 + 900, (t,), "S", i == 0, None, (i,))
                     for i, t in enumerate(texts))
        doc = dom(render_episode_page(make_ctx(tmp_path, build=make_build(cues=cues, chapters=()))))
        spans = doc.find("article", id="transcript").iter("span")
        assert [s.text() for s in spans] == list(texts)
        assert [s.attrs["data-m"] for s in spans] == [str(i * 1000) for i in range(len(texts))]

    check()


def test_unicode_line_separators_in_text_are_kept(tmp_path: Path) -> None:
    text = "one \u2028two\u2029 three \x85"
    cue = Cue("c0001", 0, 1000, (text,), "S", True, None, (0,))
    doc = dom(render_episode_page(make_ctx(tmp_path, build=make_build(cues=(cue,), chapters=()))))
    assert doc.find("span", id="c0001").text() == text


def test_template_override_from_show_root(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "episode.html").write_text(
        '{% extends "base.html" %}{% block title %}Custom {{ build.title }}{% endblock %}'
        '{% block body %}<p id="custom">{{ build.title }}</p>{% endblock %}', encoding="utf-8")
    (tmp_path / "templates" / "transcript.css").write_text("body { color: red; }", encoding="utf-8")
    html = render_episode_page(make_ctx(tmp_path, build=make_build(title="<T>")))
    doc = dom(html)
    assert doc.find("title").text() == "Custom <T>"
    assert doc.find("p", id="custom").text() == "<T>"  # autoescape applies to override templates too
    assert "body { color: red; }" in html
    # a show without its own templates still gets the packaged ones
    other = tmp_path / "other"
    other.mkdir()
    assert dom(render_episode_page(make_ctx(other))).find("title").text() == "The Bridge · Bridges & Tunnels"


def test_override_static_with_closing_tag_is_refused(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "transcript.js").write_text("x = '</script>';", encoding="utf-8")
    with pytest.raises(ConfigError, match="transcript.js"):
        render_episode_page(make_ctx(tmp_path))


def test_output_is_deterministic(tmp_path: Path) -> None:
    a = render_episode_page(make_ctx(tmp_path))
    b = render_episode_page(make_ctx(tmp_path))
    assert a == b
    assert a.endswith("</html>\n")
    assert not re.search(r"[ \t]$", a, re.M)


def test_golden_episode_page(tmp_path: Path) -> None:
    html = render_episode_page(make_ctx(tmp_path, lang="es", build=make_build(
        "es", machine=True, engine="apertium eng-spa 0.8.1", title="El puente",
        description="Cómo se construyó el viejo puente.\n\nCon <piedra> & hierro.")))
    normalised = normalise(html)
    golden = GOLDEN / "episode_page.html"
    if os.environ.get("TOOLKIT_UPDATE_GOLDENS") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(normalised, encoding="utf-8")
    assert golden.is_file(), "golden missing: run with TOOLKIT_UPDATE_GOLDENS=1"
    assert normalised == golden.read_text(encoding="utf-8")


def normalise(html: str) -> str:
    """Inline CSS/JS replaced by a marker: the golden pins the page, not the asset bodies."""
    html = re.sub(r"<style>\n.*?\n</style>", "<style>\n/* transcript.css */\n</style>", html, flags=re.S)
    return re.sub(r"<script>\n.*?\n</script>", "<script>\n/* transcript.js */\n</script>", html, flags=re.S)


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(("ms", "clock", "iso"), [
    (0, "0:00", "PT0S"), (65000, "1:05", "PT1M5S"), (3723500, "1:02:03", "PT1H2M3.500S"), (999, "0:00", "PT0.999S"),
])
def test_time_formats(ms: int, clock: str, iso: str) -> None:
    assert pages._clock(ms) == clock
    assert pages._iso_duration(ms) == iso


def test_turn_starts_helper() -> None:
    assert pages.turn_starts([2, 1, 3]) == frozenset({0, 2, 3})
    assert pages.turn_starts([]) == frozenset()


# --------------------------------------------------------------------------- show page


def make_show_ctx(root: Path, **kw: object) -> ShowPageContext:
    def ep(slug: str, day: int, title: str) -> ShowPageEpisode:
        return ShowPageEpisode(
            slug=slug, title=title, date=dt.datetime(2025, 1, day, tzinfo=dt.UTC), description=f"About {title}.",
            duration_ms=61000 * day,
            pages=(LanguageLink("en", "English", f"episodes/{slug}/en/index.html", f"{BASE}/episodes/{slug}/en/"),
                   LanguageLink("es", "español", f"episodes/{slug}/es/index.html", f"{BASE}/episodes/{slug}/es/",
                                machine=True)))

    values: dict[str, object] = dict(
        show=make_show(root), lang="en", title="Bridges & Tunnels", description="A show.\n\nAbout crossings.",
        episodes=(ep("b", 2, "Second"), ep("a", 1, "First"), ep("c", 3, "Third")),
        feeds=(FeedLink("en", "English", f"{BASE}/feed.xml", "Bridges & Tunnels"),
               FeedLink("es", "español", f"{BASE}/es/feed.xml", "Puentes y túneles")),
        languages=(LanguageLink("en", "English", "index.html", f"{BASE}/index.html"),
                   LanguageLink("es", "español", "es/index.html", f"{BASE}/es/index.html")),
        canonical_url=f"{BASE}/index.html", image_url=f"{BASE}/cover.png",
    )
    values.update(kw)
    return ShowPageContext(**values)  # type: ignore[arg-type]


def test_show_page(tmp_path: Path) -> None:
    doc = dom(render_show_page(make_show_ctx(tmp_path)))
    assert doc.find("html").attrs["lang"] == "en"
    assert doc.find("h1").text() == "Bridges & Tunnels"
    assert doc.find("img").attrs["src"] == f"{BASE}/cover.png"
    assert meta(doc, "og:type") == "website"
    items = doc.find("ol", class_="episodes").iter("li")
    assert [li.find("h3").text() for li in items] == ["Third", "Second", "First"]  # newest first
    first = items[0]
    assert first.find("h3").find("a").attrs["href"] == "episodes/c/en/index.html"
    assert [(a.attrs["href"], a.text()) for a in first.find("p", class_="transcripts").iter("a")] == [
        ("episodes/c/en/index.html", "English"), ("episodes/c/es/index.html", "español machine translation")]
    feeds = doc.find("section", class_="feeds")
    assert feeds.find("p", class_="feed-url").find("a").attrs["href"] == f"{BASE}/feed.xml"
    assert [(a.attrs["href"], a.text()) for a in feeds.find("ul", class_="other-feeds").iter("a")] == [
        (f"{BASE}/es/feed.xml", "Puentes y túneles")]
    autodiscovery = [ln.attrs["href"] for ln in doc.iter("link") if ln.attrs.get("type") == "application/rss+xml"]
    assert autodiscovery == [f"{BASE}/feed.xml", f"{BASE}/es/feed.xml"]
    assert [a.text() for a in doc.find("nav", class_="langs").iter("a")] == ["English", "español"]
    assert [p.text() for p in doc.iter("p") if p.attrs.get("class") == "description"][:2] == [
        "A show.", "About crossings."]


def test_show_page_order_does_not_depend_on_input(tmp_path: Path) -> None:
    ctx = make_show_ctx(tmp_path)
    assert render_show_page(ctx) == render_show_page(replace(ctx, episodes=tuple(reversed(ctx.episodes))))


def test_show_page_without_targets_has_no_switcher(tmp_path: Path) -> None:
    doc = dom(render_show_page(make_show_ctx(tmp_path, languages=())))
    assert not [n for n in doc.iter("nav") if n.attrs.get("class") == "langs"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_show_page_escapes(tmp_path: Path, hostile: str) -> None:
    ctx = make_show_ctx(tmp_path, title=hostile, description=hostile)
    ctx = replace(ctx, episodes=tuple(replace(e, title=hostile, description=hostile) for e in ctx.episodes))
    doc = dom(render_show_page(ctx))
    assert doc.find("h1").text() == hostile
    assert [li.find("h3").text() for li in doc.find("ol", class_="episodes").iter("li")] == [hostile] * 3
    assert len(doc.iter("img")) == 1  # the cover only
    scripts = doc.iter("script")
    assert len(scripts) == 1 and hostile not in scripts[0].text()  # our player script, no show text in it


# --------------------------------------------------------------------------- page data for the player


def whisper_sentences() -> tuple[Sentence, ...]:
    """Sentences as the Whisper reader makes them: words with their own times, punctuation attached
    and a contraction split the way Whisper splits it ("don" + "'t")."""
    def words(*items: tuple[str, int, int]) -> tuple[Word, ...]:
        return tuple(Word(t, a, b) for t, a, b in items)

    return (
        Sentence("Welcome to the show.", 0, 2000, words=words(("Welcome", 0, 500), ("to", 600, 700),
                                                               ("the", 750, 900), ("show.", 1000, 2000))),
        Sentence("Today we don't talk about the old bridge.", 2400, 5000, words=words(
            ("Today", 2400, 2800), ("we", 2900, 3000), ("don", 3100, 3250), ("'t", 3250, 3300),
            ("talk", 3400, 3700), ("about", 3750, 4000), ("the", 4050, 4150), ("old", 4200, 4400),
            ("bridge.", 4450, 5000))),
    )


def test_word_starts_follow_the_sentence_words() -> None:
    sentences = whisper_sentences()
    first = Cue("c1", 0, 2400, ("Welcome to the show.",), "Ana", True, 0, (0,))
    assert pages.word_starts(first, sentences) == (0, 600, 750, 1000)
    # a cue showing the second half of a sentence (retimed 100 ms early): offsets from its own start
    half = Cue("c2", 3900, 5100, ("about the old bridge.",), "Ana", False, 0, (1,))
    assert pages.word_starts(half, sentences) == (0, 150, 300, 550)
    # the split contraction is one word of the cue; times never run backwards nor past the cue
    cue = Cue("c3", 2400, 3800, ("Today we don't talk",), "Ana", False, 0, (1,))
    assert pages.word_starts(cue, sentences) == (0, 500, 700, 1000)


def test_word_starts_give_up_rather_than_guess() -> None:
    sentences = whisper_sentences()
    untimed = (Sentence("Welcome to the show.", 0, 2000),) + sentences[1:]
    cue = Cue("c1", 0, 2400, ("Welcome to the show.",), "Ana", True, 0, (0,))
    assert pages.word_starts(cue, untimed) is None  # no word timings: the page estimates
    other = Cue("c1", 0, 2400, ("Something else entirely.",), "Ana", True, 0, (0,))
    assert pages.word_starts(other, sentences) is None  # the texts do not match
    assert pages.word_starts(Cue("c1", 0, 900, ("Welcome",), None, True, 0, (0,)), sentences) is None
    assert pages.word_starts(Cue("c1", 0, 900, ("Welcome to",), None, True, 0, (7,)), sentences) is None


def test_repeated_text_takes_the_occurrence_nearest_the_cue() -> None:
    w = (Word("yes", 0, 200), Word("yes", 300, 500), Word("yes", 5000, 5200), Word("yes", 5300, 5500))
    sentences = (Sentence("yes yes yes yes", 0, 5500, words=w),)
    cue = Cue("c2", 5000, 5600, ("yes yes",), None, False, None, (0,))
    assert pages.word_starts(cue, sentences) == (0, 300)


def test_source_page_carries_word_timings_and_translations_do_not(tmp_path: Path) -> None:
    sentences = whisper_sentences()
    cues = (Cue("c1", 0, 2400, ("Welcome to the show.",), "Ana", True, 0, (0,)),
            Cue("c2", 2400, 5100, ("Today we don't talk", "about the old bridge."), "Ana", False, 0, (1,)))
    doc = dom(render_episode_page(make_ctx(tmp_path, build=make_build(cues=cues), sentences=sentences)))
    spans = {s.attrs["id"]: s.attrs.get("data-w") for s in doc.find("article", id="transcript").iter("span")}
    assert spans == {"c1": "0 600 750 1000", "c2": "0 500 700 1000 1350 1650 1800 2050"}
    doc = dom(render_episode_page(make_ctx(tmp_path, build=make_build(cues=cues))))
    assert all("data-w" not in s.attrs for s in doc.find("article", id="transcript").iter("span"))


def test_player_controls_chapter_marks_and_speeds(tmp_path: Path) -> None:
    doc = dom(render_episode_page(make_ctx(tmp_path)))
    pl = doc.find("div", id="pl")
    assert "hidden" in pl.attrs and "data-js" in pl.attrs  # the native <audio controls> without JavaScript
    labels = {b.attrs["id"]: b.attrs["aria-label"] for b in pl.iter("button")}
    assert labels == {"pl-back": "Back 15 seconds", "pl-play": "Play", "pl-fwd": "Forward 30 seconds",
                      "pl-prev": "Previous chapter", "pl-next": "Next chapter", "pl-mute": "Mute"}
    seek = pl.find("input", id="pl-seek")
    assert (seek.attrs["type"], seek.attrs["max"], seek.attrs["aria-label"]) == ("range", "15.5", "Playback position")
    marks = pl.find("span", class_="pl-marks").iter("i")
    assert [(m.attrs["style"], m.attrs["title"]) for m in marks] == [(f"left:{5300 / 15500 * 100:.3f}%", "History")]
    rates = [(o.attrs["value"], o.text(), "selected" in o.attrs) for o in pl.find("select").iter("option")]
    assert rates == [("0.75", "0.75×", False), ("1", "1×", True), ("1.25", "1.25×", False), ("1.5", "1.5×", False),
                     ("1.75", "1.75×", False), ("2", "2×", False)]
    es = dom(render_episode_page(make_ctx(tmp_path, lang="es", build=make_build("es"))))
    assert [o.text() for o in es.find("select").iter("option")][2] == "1,25×"
    # the shortcuts are documented on the page, and single-key ones can be switched off (WCAG 2.1.4)
    keys = doc.find("details", class_="keys")
    assert "Play or pause" in keys.text() and keys.find("input", id="single-keys").attrs["type"] == "checkbox"
    no_chapters = dom(render_episode_page(make_ctx(tmp_path, build=make_build(chapters=()), chapters_url=None)))
    assert {b.attrs["id"] for b in no_chapters.find("div", id="pl").iter("button")} == {
        "pl-back", "pl-play", "pl-fwd", "pl-mute"}


def test_skip_links_and_icons(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, icon_url="../../../favicon.ico", touch_icon_url="../../../apple-touch-icon.png")
    doc = dom(render_episode_page(ctx))
    skips = [(a.attrs["href"], a.text()) for a in doc.iter("a") if a.attrs.get("class") == "skip"]
    assert skips == [("#transcript", "Skip to the transcript"), ("#downloads", "Skip past the transcript")]
    assert doc.find("section", id="downloads")
    icons = {ln.attrs["rel"]: ln.attrs["href"] for ln in doc.iter("link") if "icon" in ln.attrs.get("rel", "")}
    assert icons == {"icon": "../../../favicon.ico", "apple-touch-icon": "../../../apple-touch-icon.png"}


def test_interface_strings_are_complete_in_every_language() -> None:
    keys = set(pages._UI["en"])
    for lang, strings in pages._UI.items():
        assert set(strings) == keys, lang
        for key in ("time_of", "chapter_of", "match_of"):
            braces = set(re.findall(r"\{\w+\}", pages._UI["en"][key]))
            assert set(re.findall(r"\{\w+\}", strings[key])) == braces, (lang, key)
        # what templates get: the same strings by attribute (ui.skip), by index and as a mapping
        view, _ = pages._ui(lang)
        assert dict(view) == strings and view["skip"] == view.skip == strings["skip"], lang  # type: ignore[attr-defined]
        assert json.loads(json.dumps(view)) == strings and repr(view) == repr(strings), lang  # |tojson, {{ ui }}
    assert not [key for key in keys if hasattr(dict, key)]  # an item would hide a dict method of `ui`


def test_show_page_player_and_subscribe_buttons(tmp_path: Path) -> None:
    ctx = make_show_ctx(tmp_path)
    ctx = replace(ctx, episodes=tuple(replace(e, audio_url=f"episodes/{e.slug}/audio.mp3", audio_mime="audio/mpeg")
                                      for e in ctx.episodes))
    doc = dom(render_show_page(ctx))
    items = doc.find("ol", class_="episodes").iter("li")
    assert items[0].attrs["class"] == "latest" and items[0].find("p", class_="badge").text() == "Latest episode"
    plays = [b for b in doc.iter("button") if "ep-play" in b.attrs.get("class", "")]
    assert [(b.attrs["data-src"], b.attrs["data-page"], b.attrs["aria-label"]) for b in plays] == [
        ("episodes/c/audio.mp3", "episodes/c/en/index.html", "Play: Third"),
        ("episodes/b/audio.mp3", "episodes/b/en/index.html", "Play: Second"),
        ("episodes/a/audio.mp3", "episodes/a/en/index.html", "Play: First")]
    assert all("hidden" in b.attrs and "data-js" in b.attrs for b in plays)  # no JavaScript: the audio link
    assert [a.attrs["href"] for a in doc.find("ol", class_="episodes").iter("a") if a.text() == "Audio"] == [
        "episodes/c/audio.mp3", "episodes/b/audio.mp3", "episodes/a/audio.mp3"]
    player = doc.find("section", id="player")
    assert "hidden" in player.attrs and player.find("audio").attrs["preload"] == "none"
    apps = [(a.text(), a.attrs["href"]) for a in doc.find("ul", class_="apps").iter("a")]
    assert apps == [
        ("Open in Apple Podcasts", "podcast://example.org/pod/feed.xml"),
        ("Open in Pocket Casts", "pktc://subscribe/example.org/pod/feed.xml"),
        ("Open in Overcast", "overcast://x-callback-url/add?url=https%3A%2F%2Fexample.org%2Fpod%2Ffeed.xml"),
        ("Open in Castro", "castro://subscribe/example.org/pod/feed.xml"),
        ("Open in AntennaPod", "https://antennapod.org/deeplink/subscribe?url=https%3A%2F%2Fexample.org%2Fpod"
                               "%2Ffeed.xml&title=Bridges%20%26%20Tunnels"),
    ]
    copy = doc.find("button", id="copy-feed")
    assert copy.attrs["data-copy"] == f"{BASE}/feed.xml" and copy.text() == "Copy feed URL"
    # the Spanish show page offers the Spanish feed first
    es = dom(render_show_page(replace(ctx, lang="es")))
    assert es.find("p", class_="feed-url").find("a").attrs["href"] == f"{BASE}/es/feed.xml"
    assert es.find("button", id="copy-feed").attrs["data-copy"] == f"{BASE}/es/feed.xml"


def test_subscribe_links_only_for_web_feeds() -> None:
    assert pages.subscribe_links(FeedLink("en", "English", "javascript:alert(1)", "x")) == ()
    assert pages.subscribe_links(FeedLink("en", "English", "feed.xml", "x")) == ()
    assert pages._app_url("podcast://example.org/feed.xml") == "podcast://example.org/feed.xml"
    assert pages._app_url("javascript:alert(1)") == "#"
