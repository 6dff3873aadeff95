"""The two commissioned seed transcripts (``../shared/seeds``), published end to
end through the real console script, as issue 2's "Done when" asks.

A show is built at test time by :func:`support.seeds.make_seed_show` (the seed
text copied, its narration by espeak-ng cached in tests/.cache); Spanish goes
through the real apertium engine, so real translated text is checked too.
``python -m toolkit publish episode seed-narrative`` and ``… seed-interview``
run once for the module.  The expectations that depend on the seed text
(chapter headings, boilerplate lines, speaker labels) are read from the seed
files at test time: no seed text is written into this repository.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.tools import skip_or_fail
from support.e2e import apertium_es_missing, read_vtt, run_toolkit, validate_vtt, vtt_notes
from support.seeds import make_seed_show
from toolkit import config, pipeline

pytestmark = [pytest.mark.slow, pytest.mark.seeds]

SLUGS = ("seed-narrative", "seed-interview")
LANGS = ("en", "es")
MAX_LINE = 42  # characters per subtitle line (../shared/reference/subtitles.md)
QC_PASS = 0.99  # issue 2: ≥ 99 % of the seeds' cues pass the QC rules
#: Names a line break must never cut (issue 2: "never … inside a name").
PROTECTED = ("Xi Jinping", "Sanhe Village", "Li Zaiyong", "Belt and Road Initiative")
# The shapes of the boilerplate issue 2 says is dropped: a lead line that is only a link,
# and a trailing "Leave Comments".
LINK_LEAD = re.compile(r"^Listen to\b.*?(https?://\S+)\s*$")
LEAVE_COMMENTS = re.compile(r"^Leave Comments\s*$")
# A chapter heading wholly in curly quotes on a line of its own, or a bare "Ending".
QUOTED_HEADING = re.compile(r"^\u201c([^\u201c\u201d]+)\u201d$")


@dataclass
class SeedShow:
    root: Path
    texts: dict[str, str]  # slug → the seed text

    @property
    def feeds(self) -> Path:
        return self.root / "feeds"

    def out(self, slug: str, lang: str, name: str) -> Path:
        return self.feeds / "episodes" / slug / lang / name


@pytest.fixture(scope="module")
def seed_show(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> SeedShow:
    for tool in ("espeak-ng", "ffmpeg"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (needed to narrate the seeds)")
    reason = apertium_es_missing()
    if reason:
        skip_or_fail(reason)
    root = make_seed_show(tmp_path_factory.mktemp("seeds-e2e"), seeds_dir, target_languages=("es",))
    for slug in SLUGS:
        proc = run_toolkit("publish", "episode", slug, root=root)
        assert proc.returncode == 0, f"publish episode {slug} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    texts = {slug: (root / "episodes" / slug / "transcript.txt").read_text(encoding="utf-8") for slug in SLUGS}
    return SeedShow(root, texts)


def display_lines(cue_text: str) -> list[str]:
    return cue_text.split("\n")


@pytest.fixture(scope="module")
def parsed(seed_show: SeedShow, node_modules: Path) -> dict[Path, dict]:
    """Every VTT of the seed show (published and the es store) through npm webvtt-parser."""
    files = [seed_show.out(slug, lang, "transcript.vtt") for slug in SLUGS for lang in LANGS]
    files += [seed_show.root / "translations" / slug / "es.vtt" for slug in SLUGS]
    return validate_vtt(files)


# --------------------------------------------------------------------------- layout and chapters


def test_every_output_is_there(seed_show: SeedShow) -> None:
    for slug in SLUGS:
        for lang in LANGS:
            for name in ("index.html", "transcript.vtt", "transcript.srt", "transcript.json", "chapters.json"):
                assert seed_show.out(slug, lang, name).is_file(), (slug, lang, name)
        assert (seed_show.root / "translations" / slug / "es.vtt").is_file()
    assert (seed_show.feeds / "feed.xml").is_file() and (seed_show.feeds / "es" / "feed.xml").is_file()


def test_narrative_chapters(seed_show: SeedShow) -> None:
    lines = [line.strip() for line in seed_show.texts["seed-narrative"].splitlines()]
    # the headings in file order: the three wholly quoted lines, then the bare "Ending"
    expected = [m.group(1) if (m := QUOTED_HEADING.match(line)) else line
                for line in lines if QUOTED_HEADING.match(line) or line == "Ending"]
    assert len(expected) == 4 and expected[-1] == "Ending", expected
    data = json.loads(seed_show.out("seed-narrative", "en", "chapters.json").read_text("utf-8"))
    assert data["version"] == "1.2.0"
    titles = [c["title"] for c in data["chapters"]]
    assert titles == expected
    assert not any(q in t for t in titles for q in "\u201c\u201d\"")
    starts = [c["startTime"] for c in data["chapters"]]
    assert starts == sorted(starts) and len(set(starts)) == len(starts) and starts[0] >= 0
    # each chapter starts at a cue's start
    cue_starts = {c.start for c in read_vtt(seed_show.out("seed-narrative", "en", "transcript.vtt"))}
    assert all(round(s * 1000) in cue_starts for s in starts)
    es = json.loads(seed_show.out("seed-narrative", "es", "chapters.json").read_text("utf-8"))
    assert [c["startTime"] for c in es["chapters"]] == starts
    assert all(c["title"] and c["title"] != t for c, t in zip(es["chapters"], titles, strict=True))


def test_boilerplate_is_in_no_output(seed_show: SeedShow) -> None:
    text = seed_show.texts["seed-narrative"]
    lines = [line.strip() for line in text.splitlines()]
    links = [m.group(1) for line in lines if (m := LINK_LEAD.match(line))]
    leave = [line for line in lines if LEAVE_COMMENTS.match(line)]
    assert links and leave, "the narrative seed has a link lead line and a trailing Leave Comments"
    outputs = [p for p in seed_show.feeds.rglob("*") if p.suffix in (".vtt", ".srt", ".json", ".html", ".xml")]
    outputs += list((seed_show.root / "translations").rglob("*.vtt"))
    assert len(outputs) >= 2 * 2 * 5
    for path in outputs:
        content = path.read_text(encoding="utf-8")
        for url in links:
            assert url not in content, path
        assert "Listen to podcast" not in content, path
        if "/es/" not in path.as_posix() and "translations" not in path.parts:
            assert "Leave Comments" not in content, path


def test_interview_speakers(seed_show: SeedShow) -> None:
    segments = json.loads(seed_show.out("seed-interview", "en", "transcript.json").read_text("utf-8"))["segments"]
    speakers = [s.get("speaker") for s in segments]
    assert {"Li Zaiyong", "CGTN"} <= set(speakers)
    assert set(speakers) <= {"Li Zaiyong", "CGTN", None}
    # the intro paragraph (before the first "CGTN:" turn) has no speaker
    first_cgtn = speakers.index("CGTN")
    assert first_cgtn > 0 and speakers[:first_cgtn] == [None] * first_cgtn
    lines = [line.strip() for line in seed_show.texts["seed-interview"].splitlines() if line.strip()]
    # the English transcript is word-level (the aligner timed every word): read it as text
    first_words = " ".join(lines[0].split()[:3])
    assert " ".join(s["body"] for s in segments[:6]).startswith(first_words)
    # each label's first turn starts with that paragraph's words, without the label
    for label, name in (("CGTN", "CGTN"), ("Li", "Li Zaiyong")):
        para = next(line for line in lines if line.startswith(label + ":"))
        words = " ".join(para[len(label) + 1:].split()[:3])
        k = next(i for i, s in enumerate(segments) if s.get("speaker") == name)
        assert " ".join(s["body"] for s in segments[k:k + 6]).startswith(words), (segments[k], words)
    # the es transcript keeps the speakers, turn by turn
    es = json.loads(seed_show.out("seed-interview", "es", "transcript.json").read_text("utf-8"))["segments"]

    def turns(items: list[str | None]) -> list[str | None]:
        return [x for i, x in enumerate(items) if i == 0 or items[i - 1] != x]

    assert turns([s.get("speaker") for s in es]) == turns(speakers)


# --------------------------------------------------------------------------- QC


@pytest.mark.parametrize("slug", SLUGS)
def test_qc_passes_for_99_percent_of_cues(seed_show: SeedShow, slug: str) -> None:
    show = config.load_show(seed_show.root)
    source = pipeline.build_source(show, config.load_episode(show, slug))
    # the QC ran on exactly the cues that were published
    assert [c.id for c in source.cues] == [c.id for c in read_vtt(seed_show.out(slug, "en", "transcript.vtt"))]
    failing = {issue.cue for issue in source.qc if issue.severity == "error"}
    assert len(source.cues) > 50
    assert 1 - len(failing) / len(source.cues) >= QC_PASS, sorted(failing)[:10]
    # and `toolkit check <slug>` agrees
    proc = run_toolkit("check", slug, root=seed_show.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = re.search(r"([\d.]+) % of cues error-free", proc.stdout)
    assert m, proc.stdout
    assert float(m.group(1)) >= QC_PASS * 100


# --------------------------------------------------------------------------- WebVTT


def test_every_vtt_passes_webvtt_parser(parsed: dict[Path, dict]) -> None:
    assert len(parsed) == len(SLUGS) * (len(LANGS) + 1)
    for path, result in parsed.items():
        assert result["errors"] == [], (path, result["errors"][:5])
        assert len(result["cues"]) == len(read_vtt(path)) > 50, path


def test_cue_ids_and_timings_follow_the_source_across_languages(seed_show: SeedShow, parsed: dict[Path, dict]) -> None:
    """Every target cue is its source cue or a sub-cue of it (the layout, issue 12): the
    source ids in order, starts within the layout's re-timing bound; the store keeps the
    source cues' ids and times exactly."""
    from toolkit.segment import source_of
    from toolkit.segment.layout import MAX_SHIFT

    for slug in SLUGS:
        def key(path: Path) -> list[tuple[str, int, int]]:
            return [(c["id"], round(c["start"] * 1000), round(c["end"] * 1000)) for c in parsed[path]["cues"]]

        en = key(seed_show.out(slug, "en", "transcript.vtt"))
        ids = {i for i, _, _ in en}
        es = key(seed_show.out(slug, "es", "transcript.vtt"))
        found = [source_of(i, ids) for i, _, _ in es]
        assert all(found)
        firsts = [c for c, f in zip(es, found) if f and f[1] == 1]
        assert [i for i, _, _ in firsts] == [i for i, _, _ in en]
        assert all(abs(a[1] - b[1]) <= MAX_SHIFT for a, b in zip(firsts, en))
        assert key(seed_show.root / "translations" / slug / "es.vtt") == en
        (note,) = vtt_notes(seed_show.out(slug, "es", "transcript.vtt"))
        assert note.startswith("Machine translation from English by apertium"), note


def test_english_lines_fit_42_characters(seed_show: SeedShow, parsed: dict[Path, dict]) -> None:
    for slug in SLUGS:
        cues = parsed[seed_show.out(slug, "en", "transcript.vtt")]["cues"]
        long = [(c["id"], line) for c in cues for line in display_lines(c["text"]) if len(line) > MAX_LINE]
        assert long == [], long[:5]


def name_breaks(lines: list[str], name: str) -> list[tuple[str, str]]:
    """Pairs of consecutive lines where ``name`` is cut at the line end."""
    words = name.split()
    found = []
    for a, b in zip(lines, lines[1:]):
        a_words, b_words = a.split(), b.split()
        for k in range(1, len(words)):
            head, tail = words[:k], words[k:]
            # compare words without trailing punctuation (a possessive "Jinping's" still counts)
            if [w.strip(".,;:!?\u201c\u201d\"'") for w in a_words[-k:]] == head and \
               [re.sub(r"['\u2019]s$", "", w.strip(".,;:!?\u201c\u201d\"'")) for w in b_words[:len(tail)]] == tail:
                found.append((a, b))
    return found


def test_protected_names_are_never_split_across_lines(seed_show: SeedShow, parsed: dict[Path, dict]) -> None:
    seen = dict.fromkeys(PROTECTED, 0)
    for slug in SLUGS:
        cues = parsed[seed_show.out(slug, "en", "transcript.vtt")]["cues"]
        within: list[str] = []
        for cue in cues:
            lines = display_lines(cue["text"])
            for name in PROTECTED:
                assert name_breaks(lines, name) == [], (slug, cue["id"], name, lines)
            within.extend(lines)
        for name in PROTECTED:
            seen[name] += sum(line.count(name) for line in within)
            # a cue boundary is a line end too: the name is not cut between two cues either
            assert name_breaks(within, name) == [], (slug, name)
    assert all(seen.values()), seen  # every name really occurs in the output (the check is not vacuous)


def test_name_break_detector_detects() -> None:
    """The detector above finds what it must (so a passing test means something)."""
    assert name_breaks(["the village of Sanhe", "Village was poor"], "Sanhe Village")
    assert name_breaks(["said President Xi", "Jinping's team"], "Xi Jinping")
    assert name_breaks(["the Belt and", "Road Initiative"], "Belt and Road Initiative")
    assert not name_breaks(["said Xi Jinping", "on Monday"], "Xi Jinping")
    assert not name_breaks(["Xi Jinping visited", "Sanhe Village"], "Sanhe Village")
