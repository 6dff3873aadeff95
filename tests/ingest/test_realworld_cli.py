"""Transcripts in the real layouts of the tools producers use, published
through the real command line (``python -m toolkit publish``).

One show holds one episode per shape; each fixture in
``tests/ingest/fixtures/realworld/`` was written for these tests in the
layout its tool writes (YouTube auto-captions in both layouts as yt-dlp
downloads them, a Zoom cloud-recording VTT, an Otter SRT export with speaker
names, a subtitle SRT with dialogue dashes, WhisperX diarized JSON, a
turn-stamped transcript, a Markdown panel transcript saved as ``.txt``, a
Windows-1252 web article, a UTF-16 Notepad file, a Chinese interview).
Untimed transcripts get real speech: every sentence synthesised by festival
or espeak-ng (:mod:`.speech`), so the aligner has something to align, and the
tests know when each sentence was spoken.

For each: the speakers (renamed in ``episode.toml`` where the tool writes
generic labels), the text (every word once: nothing lost, nothing
duplicated, no stamp or label left in it), the chapters and the times.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from toolkit.segment import DEFAULT_PROFILE

from support.tools import skip_or_fail

from .speech import At, Music, Say, Spoken, render, synthesizers_missing, tone

FIXTURES = Path(__file__).parent / "fixtures" / "realworld"
SLT = "festival:cmu_us_slt_arctic_hts"
KAL = "festival:kal_diphone"
TIMEOUT = 900


@dataclass
class Case:
    transcript: str  # file name in FIXTURES
    turns: list[tuple[str | None, str]]  # what is said, per turn: (published speaker, text)
    speech: list[Say | Music | At] | None = None  # None: a timed transcript (a tone audio)
    toml: str = ""  # extra episode.toml lines ([speakers], language, encoding)
    chapters: list[str] = field(default_factory=list)
    language: str = "en"


def _says(voice: str, *sentences: str, pause: int = 600, last: int = 900) -> list[Say]:
    return [Say(s, voice, pause if k < len(sentences) - 1 else last) for k, s in enumerate(sentences)]


CASES: dict[str, Case] = {
    "yt-rolling": Case(
        "youtube-rolling.en.vtt",
        [(None, "hey everyone welcome back to the workshop today we are fixing a wobbly chair leg [Music] "
                "first we take the old glue out with a little warm water and a scraper then we clamp it "
                "overnight and that is really all there is to it see you next time")],
    ),
    "yt-overlap": Case(
        "youtube-overlap.en.vtt",
        [(None, "so the first thing you want to do is check the chain for rust and stiff links and then you "
                "wipe it down with a dry rag before any oil goes on it at all one drop per roller is plenty "
                "spin the pedals backwards for a minute and wipe off whatever comes out again that is it "
                "your chain will thank you")],
    ),
    "zoom": Case(
        "zoom-meeting.vtt",
        [("Ana Ruiz", "Okay, I think we're recording now. Welcome, everyone. Today Ben is going to walk us "
                      "through the new tool library."),
         ("Ben Okafor", "Thanks, Ana. So the idea is simple: you borrow a drill instead of buying one. We have "
                        "about two hundred tools now, most of them donated by neighbors."),
         ("Ana Ruiz", "And how long can people keep them?"),
         ("Ben Okafor", "One week, and you can renew online if nobody is waiting."),
         ("Ana Ruiz", "That sounds fair."),
         ("Ben Okafor", "It is. Late returns just get a friendly email, no fines.")],
    ),
    "otter": Case(
        "otter-export.srt",
        [("Marta Silva", "So welcome back to the show. Today we are talking about sourdough starters and why "
                         "they die."),
         ("Joe Brandt", "Mostly because people forget to feed them, honestly. A starter is hungry every day, "
                        "like a small pet."),
         ("Marta Silva", "How often do you feed yours?"),
         ("Joe Brandt", "Twice a day in summer, once in winter. Flour and water, nothing else.")],
        toml='[speakers]\n"Speaker 1" = "Marta Silva"\n"Speaker 2" = { name = "Joe Brandt", role = "guest" }\n',
    ),
    "dashes": Case(
        "subtitle-dashes.srt",
        [(None, "Is the varnish dry yet? Not quite. Then we wait another hour. [laughs] You always say that. "
                "Because it is always true. Fair enough. ♪ Quiet music ♪")],
    ),
    "whisperx": Case(
        "whisperx-diarized.json",
        [("Nadia Haddad", "Welcome to the repair hour, I'm here with a guest who fixes radios."),
         ("Piet de Vries", "Thank you. I started when I was 12, with my grandfather's set."),
         ("Nadia Haddad", "What was the first thing you fixed?"),
         ("Piet de Vries", "A loose wire behind the tuning dial. It took me a whole weekend to find it.")],
        toml='[speakers]\nSPEAKER_00 = "Nadia Haddad"\nSPEAKER_01 = "Piet de Vries"\n',
    ),
    "stamped": Case(
        "turn-stamped.txt",
        [("Host", "Welcome to Field Notes. Today we talk about lending libraries for tools."),
         ("Dr. Lena Park", "Thanks for having me. I have studied them in six cities."),
         ("Host", "What surprised you the most?"),
         ("Dr. Lena Park", "The opening hours. Most of them open at 02:45 in the afternoon, after school ends. "
                           "Parents come with their kids and borrow a saw for the weekend."),
         ("Host", "That is a lovely detail. Thank you, Lena.")],
        speech=[*_says(SLT, "Welcome to Field Notes.", "Today we talk about lending libraries for tools."),
                At(9000), *_says(KAL, "Thanks for having me.", "I have studied them in six cities.", last=1200),
                Music(9000),  # the sponsor jingle: not in the transcript
                At(30000), *_says(SLT, "What surprised you the most?"),
                At(35000), *_says(KAL, "The opening hours.",
                                  "Most of them open at two forty-five in the afternoon, after school ends.",
                                  "Parents come with their kids and borrow a saw for the weekend."),
                At(52000), *_says(SLT, "That is a lovely detail.", "Thank you, Lena.")],
    ),
    "panel": Case(
        "panel-notes.txt",
        [(None, "Recorded live at the Harbour Library, 14 March."),
         ("Moderator", "Good evening and welcome. Our two guests run repair cafés in two very different cities."),
         ("Carlos Mendes", "Thank you. In Lisbon we meet every second Saturday, in a school gym."),
         ("Aiko Tanaka", "And in Osaka we meet in a temple hall, which is quieter than it sounds."),
         ("Moderator", "The first question is about spare parts. Where do you find them?"),
         ("Aiko Tanaka", "Mostly from broken things people leave with us. Nothing is thrown away."),
         ("Carlos Mendes", "Same for us. A drawer of old screws is worth a fortune.")],
        speech=[*_says("espeak:en-gb", "Recorded live at the Harbour Library, 14 March."),
                *_says(SLT, "Good evening and welcome.",
                       "Our two guests run repair cafés in two very different cities."),
                *_says(KAL, "Thank you.", "In Lisbon we meet every second Saturday, in a school gym."),
                *_says("espeak:en-us+f3", "And in Osaka we meet in a temple hall, which is quieter than it sounds."),
                *_says(SLT, "The first question is about spare parts.", "Where do you find them?"),
                *_says("espeak:en-us+f3", "Mostly from broken things people leave with us.",
                       "Nothing is thrown away."),
                *_says(KAL, "Same for us.", "A drawer of old screws is worth a fortune.")],
        toml='[speakers]\n"Carlos Mendes (Repair Café Lisbon)" = "Carlos Mendes"\n',
        chapters=["Panel: Keeping Things Working", "Opening", "Questions from the audience"],
    ),
    "article": Case(
        "article-cp1252.txt",
        [(None, "When Marie Dubois opened the doors at nine o’clock on Saturday, twelve people were already "
                "waiting with lamps, toasters and a broken accordion. “We thought nobody would come,” she "
                "said. “Now we need more tables.” The volunteers — most of them retired engineers — fix what "
                "they can and explain what they cannot. A new kettle costs about 25 €, a repair usually "
                "nothing at all. Thomas, a former radio technician, has a rule: the owner holds the "
                "screwdriver. “I only talk,” he laughed. “It is their toaster, not mine.” The next session "
                "is on the first Saturday of next month. Entry is free.")],
        speech=_says(KAL,
                     "When Marie Dubois opened the doors at nine o'clock on Saturday, twelve people were "
                     "already waiting with lamps, toasters and a broken accordion.",
                     "We thought nobody would come, she said.", "Now we need more tables.",
                     "The volunteers, most of them retired engineers, fix what they can and explain what "
                     "they cannot.", "A new kettle costs about 25 euros, a repair usually nothing at all.",
                     "Thomas, a former radio technician, has a rule: the owner holds the screwdriver.",
                     "I only talk, he laughed.", "It is their toaster, not mine.",
                     "The next session is on the first Saturday of next month.", "Entry is free."),
        chapters=["Neighbours open a repair café in the old market hall", "A café that runs on coffee and patience"],
    ),
    "notepad": Case(
        "interview-notepad-utf16.txt",
        [("Interviewer", "Sam, how did the allotment start?"),
         ("Sam Whitfield", "With one spade and a lot of nettles. That was nine years ago."),
         ("Interviewer", "And now?"),
         ("Sam Whitfield", "Now there are forty plots, a shed full of tools and a waiting list. The hardest "
                           "part is not the weeds. It is agreeing on the compost."),
         ("Interviewer", "Thank you, Sam.")],
        speech=[*_says("espeak:en-us", "Sam, how did the allotment start?"),
                *_says(SLT, "With one spade and a lot of nettles.", "That was nine years ago."),
                *_says("espeak:en-us", "And now?"),
                *_says(SLT, "Now there are forty plots, a shed full of tools and a waiting list.",
                       "The hardest part is not the weeds.", "It is agreeing on the compost."),
                *_says("espeak:en-us", "Thank you, Sam.")],
    ),
    "zh": Case(
        "interview-zh.txt",
        [("主持人", "欢迎收听本期节目。今天我们请到了一位修自行车的师傅。"),
         ("嘉宾", "谢谢邀请。我在这条街上修车已经二十年了。"),
         ("主持人", "现在来修车的人多吗？"),
         ("嘉宾", "比以前多。很多年轻人又开始骑车上班了！他们的车大多是旧车，需要好好保养。"),
         ("主持人", "谢谢您的分享。")],
        speech=[*_says("espeak:cmn", "欢迎收听本期节目。", "今天我们请到了一位修自行车的师傅。"),
                *_says("espeak:cmn+f3", "谢谢邀请。", "我在这条街上修车已经二十年了。"),
                *_says("espeak:cmn", "现在来修车的人多吗？"),
                *_says("espeak:cmn+f3", "比以前多。", "很多年轻人又开始骑车上班了！", "他们的车大多是旧车，需要好好保养。"),
                *_says("espeak:cmn", "谢谢您的分享。")],
        toml='language = "zh"\n',
        language="zh",
    ),
}


# --------------------------------------------------------------------------- the show, published once


def _timed_end(path: Path) -> int:
    """The last time (ms) a timed fixture mentions."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    times = [int(h) * 3_600_000 + int(m) * 60_000 + int(s) * 1000 + int(ms)
             for h, m, s, ms in re.findall(r"(\d+):(\d\d):(\d\d)[.,](\d{3})", text)]
    times += [round(float(x) * 1000) for x in re.findall(r'"end": ([0-9.]+)', text)]
    return max(times)


@dataclass
class Published:
    root: Path
    stdout: str
    spoken: dict[str, list[Spoken]]
    duration: dict[str, int]

    def transcript(self, slug: str) -> dict:
        lang = CASES[slug].language
        return json.loads((self.root / "feeds" / "episodes" / slug / lang / "transcript.json").read_text("utf-8"))

    def chapters(self, slug: str) -> list[dict]:
        lang = CASES[slug].language
        path = self.root / "feeds" / "episodes" / slug / lang / "chapters.json"
        return json.loads(path.read_text("utf-8"))["chapters"]

    def vtt(self, slug: str) -> str:
        lang = CASES[slug].language
        return (self.root / "feeds" / "episodes" / slug / lang / "transcript.vtt").read_text("utf-8")


def _toolkit(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ.copy()
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Published:
    missing = synthesizers_missing()
    if missing:
        skip_or_fail(f"speech synthesizers missing: {', '.join(missing)} (apt-get install festival espeak-ng)")
    base = tmp_path_factory.mktemp("realworld")
    root = base / "show"
    (root / "episodes").mkdir(parents=True)
    shutil.copy(repo_root / "cover.png", root / "cover.png")
    show = (repo_root / "show.toml").read_text(encoding="utf-8")
    show = re.sub(r"(?m)^target_languages = .*$", "target_languages = []", show)
    (root / "show.toml").write_text(show, encoding="utf-8")
    spoken: dict[str, list[Spoken]] = {}
    duration: dict[str, int] = {}
    for k, (slug, case) in enumerate(CASES.items()):
        folder = root / "episodes" / slug
        folder.mkdir()
        source = FIXTURES / case.transcript
        name = "transcript" + (".txt" if source.suffix == ".txt" else source.suffix)
        shutil.copy(source, folder / name)
        if case.speech is None:
            end = _timed_end(source)
            tone(folder / "audio.mp3", end / 1000 + 2)
            duration[slug] = end + 2000
        else:
            spoken[slug] = render(case.speech, folder / "audio.mp3", base / "speech")
            duration[slug] = spoken[slug][-1].end + 1000
        (folder / "episode.toml").write_text(
            f'title = "Real world: {slug}"\ndate = 2026-04-{k + 1:02d}T09:00:00Z\n'
            f'description = "A transcript as {case.transcript} comes."\naudio = "audio.mp3"\n'
            f'guid = "realworld-{slug}"\n' + case.toml, encoding="utf-8")
    run = _toolkit(root, "publish")
    assert run.returncode == 0, run.stderr + run.stdout
    assert "Traceback" not in run.stderr
    return Published(root, run.stdout, spoken, duration)


# --------------------------------------------------------------------------- helpers


def _words(text: str) -> list[str]:
    """Words for comparison: split at spaces; CJK text character by character
    (punctuation kept, so a lost 。 counts)."""
    out: list[str] = []
    for token in text.split():
        if any(unicodedata.east_asian_width(c) in "WF" for c in token):
            out.extend(token)
        else:
            out.append(token)
    return out


def _published_turns(segments: list[dict]) -> list[tuple[str | None, str]]:
    """Consecutive cues of one speaker as one turn (speaker, text)."""
    turns: list[tuple[str | None, list[str]]] = []
    for seg in segments:
        speaker = seg.get("speaker")
        if turns and turns[-1][0] == speaker:
            turns[-1][1].append(seg["body"])
        else:
            turns.append((speaker, [seg["body"]]))
    return [(speaker, " ".join(bodies)) for speaker, bodies in turns]


def _merge(turns: list[tuple[str | None, str]]) -> list[tuple[str | None, list[str]]]:
    out: list[tuple[str | None, list[str]]] = []
    for speaker, text in turns:
        if out and out[-1][0] == speaker:
            out[-1][1].extend(_words(text))
        else:
            out.append((speaker, _words(text)))
    return out


# --------------------------------------------------------------------------- every shape


@pytest.mark.parametrize("slug", list(CASES))
def test_speakers_and_every_word_once(published: Published, slug: str) -> None:
    """The published turns are the spoken turns: right speakers, every word
    exactly once and in order (a rolling caption published three times, a
    lost cue, a label or stamp left in the text would all show here)."""
    segments = published.transcript(slug)["segments"]
    assert _merge(_published_turns(segments)) == _merge(CASES[slug].turns)


@pytest.mark.parametrize("slug", list(CASES))
def test_times_are_inside_the_audio_and_ordered(published: Published, slug: str) -> None:
    segments = published.transcript(slug)["segments"]
    starts = [s["startTime"] for s in segments]
    assert starts == sorted(starts)
    assert all(0 <= s["startTime"] < s["endTime"] <= published.duration[slug] / 1000 for s in segments)


@pytest.mark.parametrize("slug", list(CASES))
def test_chapters(published: Published, slug: str) -> None:
    chapters = published.chapters(slug)
    assert [c["title"] for c in chapters] == CASES[slug].chapters
    if slug in published.spoken and chapters:
        # each chapter starts where its first sentence is spoken
        segments = published.transcript(slug)["segments"]
        for chapter in chapters:
            first = next(s for s in segments if s["startTime"] >= chapter["startTime"])
            # segments are words where the aligner timed them: the spoken sentence
            # beginning with that word, nearest the chapter's start
            truth = min((sp for sp in published.spoken[slug] if _words(sp.text)[:1] == _words(first["body"])[:1]),
                        key=lambda sp: abs(sp.start - chapter["startTime"] * 1000))
            assert abs(chapter["startTime"] * 1000 - truth.start) < 700, (chapter, truth)


@pytest.mark.parametrize("slug", [s for s, c in CASES.items() if c.speech is not None and s != "stamped"])
def test_untimed_turns_start_where_they_are_spoken(published: Published, slug: str) -> None:
    """The aligner places each turn where its first sentence really starts (±0.7 s)."""
    segments = published.transcript(slug)["segments"]
    spoken = iter(published.spoken[slug])
    previous = object()
    for seg in segments:
        if seg.get("speaker") == previous:
            continue
        previous = seg.get("speaker")
        truth = next(sp for sp in spoken if _words(sp.text)[:1] == _words(seg["body"])[:1])
        assert abs(seg["startTime"] * 1000 - truth.start) < 700, (seg, truth)


def _source_cue_times(path: Path) -> list[tuple[int, int]]:
    text = path.read_bytes().decode("utf-8")
    return [((int(a) * 60 + int(b)) * 60_000 + int(c) * 1000 + int(d), (int(e) * 60 + int(f)) * 60_000 +
             int(g) * 1000 + int(h))
            for a, b, c, d, e, f, g, h in re.findall(
                r"(\d\d):(\d\d):(\d\d)[.,](\d{3}) --> (\d\d):(\d\d):(\d\d)[.,](\d{3})", text)]


@pytest.mark.parametrize("slug", ["zoom", "otter", "dashes", "whisperx"])
def test_timed_turns_keep_their_source_times(published: Published, slug: str) -> None:
    """A timed transcript's turns start when its cues say: within the segmenter's 80 ms gap,
    or up to its lead-in earlier (a cue too fast to read in its own time may start up to
    250 ms early, into the pause before its speech)."""
    segments = published.transcript(slug)["segments"]
    path = FIXTURES / CASES[slug].transcript
    if path.suffix == ".json":
        sources = [(round(s["start"] * 1000), round(s["end"] * 1000))
                   for s in json.loads(path.read_text("utf-8"))["segments"]]
    else:
        sources = _source_cue_times(path)
    starts = {s for s, _ in sources}
    turn_starts = [round(s["startTime"] * 1000) for k, s in enumerate(segments)
                   if k == 0 or s.get("speaker") != segments[k - 1].get("speaker")]
    lead_in = DEFAULT_PROFILE.lead_in

    def close(t: int, s: int) -> bool:
        return -lead_in <= t - s <= 80

    for t in turn_starts:
        assert any(close(t, s) for s in starts), (t, sorted(starts))


# --------------------------------------------------------------------------- shape by shape


def test_rolling_captions_word_timings(published: Published) -> None:
    """Rolling captions: re-segmented by the guideline segmenter (not one cue
    per caption line), and each cue starts when its first word was said, by
    the ``<00:00:01.500>`` tags of the file."""
    segments = published.transcript("yt-rolling")["segments"]
    text = (FIXTURES / CASES["yt-rolling"].transcript).read_text("utf-8")
    said: dict[str, list[float]] = {}
    for h, m, sec, ms, word in re.findall(r"<(\d\d):(\d\d):(\d\d)\.(\d{3})><c> (\S+)</c>", text):
        said.setdefault(word, []).append(int(h) * 3600 + int(m) * 60 + int(sec) + int(ms) / 1000)
    checked = 0
    for seg in segments[1:]:
        first = seg["body"].split()[0]
        if first in said:
            assert min(abs(seg["startTime"] - t) for t in said[first]) <= 0.08, (seg, said[first])
            checked += 1
    assert checked >= 2 and len(segments) >= 4


def test_zoom_cross_talk_is_kept(published: Published) -> None:
    """Zoom: Ben starts 250 ms before Ana ends.  Both utterances are published
    with their speakers — Ben's when he starts, Ana's from her start — and the
    subtitle cues keep the guideline gap between them (a viewer reads one cue
    at a time), so the overlap costs Ana's cue its last 330 ms, not its text."""
    segments = published.transcript("zoom")["segments"]
    ana = next(s for s in segments if s["body"].startswith("And how long"))
    ben = next(s for s in segments if s["body"].startswith("One week"))
    assert ana["speaker"] == "Ana Ruiz" and ben["speaker"] == "Ben Okafor"
    assert ana["startTime"] == 18.7 and ben["startTime"] == 21.23
    assert ana["body"] == "And how long can people keep them?"
    assert "Ana Ruiz:" not in published.vtt("zoom") and "<v Ana Ruiz>" in published.vtt("zoom")


def test_dialogue_dashes_are_two_turns(published: Published) -> None:
    segments = published.transcript("dashes")["segments"]
    bodies = [s["body"] for s in segments]
    for a, b in (("Not quite.", "Then we wait"), ("Because it is always true.", "Fair enough.")):
        first = next(k for k, body in enumerate(bodies) if a in body)
        second = next(k for k, body in enumerate(bodies) if b in body)
        assert first != second, bodies  # never merged into one line
    assert not any(body.startswith("-") or " - " in body for body in bodies)
    assert all(s.get("speaker") is None for s in segments)  # sound tags are never speakers


def test_generic_labels_renamed(published: Published) -> None:
    feed = (published.root / "feeds" / "feed.xml").read_text("utf-8")
    assert "Marta Silva" in published.vtt("otter") and "Speaker 1" not in published.vtt("otter")
    assert "Joe Brandt" in feed  # a [speakers] table entry is a podcast:person too


def test_turn_stamps_never_leak(published: Published) -> None:
    vtt = published.vtt("stamped")
    assert "[00:" not in vtt and "Host:" not in vtt
    assert "02:45 in the afternoon" in " ".join(vtt.split())  # a clock time inside a sentence is text


def test_turn_stamps_time_their_turns(published: Published) -> None:
    """The stamps are anchors: each turn starts at its stamp, even after the
    untranscribed jingle (which an aligner without anchors fills with text)."""
    segments = published.transcript("stamped")["segments"]
    stamps = [0, 9, 30, 35, 52]
    spoken = published.spoken["stamped"]
    turn_starts = [s["startTime"] for k, s in enumerate(segments)
                   if k == 0 or s.get("speaker") != segments[k - 1].get("speaker")]
    assert len(turn_starts) == len(stamps)
    for got, stamp in zip(turn_starts, stamps):
        truth = next(sp.start for sp in spoken if sp.start >= stamp * 1000) / 1000
        assert abs(got - truth) < 0.7, (got, truth)


def test_encodings_are_detected_and_reported(published: Published) -> None:
    assert "read transcript.txt as Windows-1252 (detected)" in published.stdout
    assert "read transcript.txt as UTF-16 LE" in published.stdout
    vtt = " ".join(published.vtt("article").split())
    assert "25 €" in vtt and "“We thought nobody would come,”" in vtt and "volunteers — most" in vtt
    assert published.chapters("article")[0]["title"].endswith("café in the old market hall")


def test_article_tail_is_dropped_and_reported(published: Published) -> None:
    for text in ("Share this:", "Click to share on Facebook", "Like this:", "Related", "Leave a Reply"):
        assert text not in published.vtt("article")
        assert re.search(rf"dropped transcript\.txt:\d+ \([a-z-]+\): {re.escape(text)}", published.stdout), text


def test_chinese_interview(published: Published) -> None:
    vtt = published.vtt("zh")
    segments = published.transcript("zh")["segments"]
    assert {s["speaker"] for s in segments} == {"主持人", "嘉宾"}
    for s in segments:
        # no space inserted between Chinese characters, no label left in the text
        assert not re.search(r"[\u4e00-\u9fff。，！？] [\u4e00-\u9fff]", s["body"]), s["body"]
        assert "：" not in s["body"][:4]
    page = (published.root / "feeds" / "episodes" / "zh" / "zh" / "index.html").read_text("utf-8")
    assert '<html lang="zh"' in page
    assert "WEBVTT" in vtt


def test_episode_language_needs_no_model(published: Published) -> None:
    """The Chinese episode in an English show, no translation asked: published
    (no "no en → zh translation installed"), and its page links the main feed."""
    manifest = json.loads((published.root / "feeds" / "episodes" / "zh" / "episode.json").read_text("utf-8"))
    assert [x["lang"] for x in manifest["languages"]] == ["zh"]
    assert not (published.root / "feeds" / "zh").exists()
