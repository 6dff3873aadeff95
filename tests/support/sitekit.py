"""Hand-built shows, episodes and EpisodeResults for the feed, site and lint
tests (and bench/bench_site.py) — real files, no earlier pipeline stage.

::

    from support.sitekit import make_show, make_result

    show = make_show(tmp_path)                    # show.toml-less Show + a real 1400 px PNG cover
    result = make_result(show, "ep-one", langs={"es": "machine"})
    # result.source.audio is a real small MP3 made by ffmpeg (AudioInfo from mutagen)
    write_episode_files(show, result)             # the site writer, after the pipeline's
    write_show_files(show, [result])              # preparation of the show's texts

Everything is deterministic: the same calls give the same objects and files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from toolkit.model import Category, Chapter, Cue, Episode, Person, Sentence, Show, Transcript, Turn
from toolkit import pipeline
from toolkit.build import AlignmentReport, AudioInfo, EpisodeResult, LanguageBuild, SourceBuild
from toolkit.publish import site

HOSTILE = '<script>alert(1)</script> & "x" \'y\''

_MP3_CACHE: dict[float, bytes] = {}


def ffmpeg() -> str:
    """Path of an ffmpeg binary (system first, then imageio-ffmpeg's)."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def make_mp3(path: Path, seconds: float = 3.0) -> Path:
    """A real small constant-bitrate MP3 (a sine tone) written with ffmpeg."""
    if seconds not in _MP3_CACHE:
        tmp = path.with_suffix(".tmp.mp3")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
             "-ac", "1", "-ar", "22050", "-b:a", "32k", "-map_metadata", "-1", "-fflags", "+bitexact",
             "-flags:a", "+bitexact", str(tmp)],
            check=True,
        )
        _MP3_CACHE[seconds] = tmp.read_bytes()
        tmp.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_MP3_CACHE[seconds])
    return path


def audio_info(path: Path) -> AudioInfo:
    """AudioInfo of an MP3 through mutagen (independent of toolkit.timing)."""
    from mutagen.mp3 import MP3

    audio = MP3(str(path))
    return AudioInfo(path=path, duration_ms=round(audio.info.length * 1000), size=path.stat().st_size,
                     mime="audio/mpeg", bitrate=audio.info.bitrate, channels=audio.info.channels,
                     sample_rate=audio.info.sample_rate)


def make_cover(path: Path, size: tuple[int, int] = (1400, 1400), mode: str = "RGB",
               fmt: str = "PNG") -> Path:
    """A real cover image written with Pillow."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, color=(30, 90, 160) if mode == "RGB" else 0).save(path, format=fmt)
    return path


def make_show(root: Path, *, cover: bool = True, **overrides: object) -> Show:
    """A Show for ``root`` (no show.toml needed); ``overrides`` replace fields."""
    root.mkdir(parents=True, exist_ok=True)
    image = root / "cover.png"
    if cover and not image.exists():
        make_cover(image)
    fields: dict[str, object] = dict(
        root=root,
        title="Field Notes",
        description="Short stories about how things are made.",
        author="Field Notes Studio",
        owner_name="Ana Producer",
        owner_email="ana@example.org",
        base_url="https://example.org/podcast",
        language="en",
        categories=(Category("Society & Culture", "Documentary"), Category("Technology")),
        image=image,
        guid=None,
        # show texts of companion feeds/pages go through toolkit.translate: the
        # pseudo engine is always available and deterministic
        engines={"default": "pseudo"},
        config_path=root / "show.toml",
    )
    fields.update(overrides)
    return Show(**fields)  # type: ignore[arg-type]


def make_cues(slug: str, texts: Sequence[str], *, speakers: Sequence[str | None] = (),
              step_ms: int = 1000, chapters: Sequence[int | None] = ()) -> tuple[Cue, ...]:
    """Cues one after the other, ``step_ms`` long each (ids ``<slug>-<n>``)."""
    cues = []
    prev: str | None = None
    for i, text in enumerate(texts):
        speaker = speakers[i] if i < len(speakers) else None
        cues.append(Cue(
            id=f"c{slug[:4]}{i:04d}",
            start=i * step_ms,
            end=i * step_ms + step_ms - 100,
            lines=(text,),
            speaker=speaker,
            speaker_change=speaker is not None and speaker != prev,
            chapter=chapters[i] if i < len(chapters) else None,
            sentences=(i,),
        ))
        prev = speaker
    return tuple(cues)


def make_episode(show: Show, slug: str, *, title: str | None = None, description: str | None = None,
                 date: dt.datetime | None = None, seconds: float = 3.0, guid: str | None = None,
                 number: int | None = None, season: int | None = None,
                 speakers: Mapping[str, Person] | None = None, image: bool = False) -> Episode:
    """An Episode with a real MP3 and a transcript file in ``episodes/<slug>/``."""
    folder = show.episodes_dir / slug
    folder.mkdir(parents=True, exist_ok=True)
    audio = make_mp3(folder / "audio.mp3", seconds)
    transcript = folder / "transcript.txt"
    transcript.write_text("Hello.\n", encoding="utf-8")
    image_path = make_cover(folder / "episode.jpg", fmt="JPEG") if image else None
    episode = Episode(
        slug=slug,
        title=title if title is not None else f"Episode {slug}",
        date=date or dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc),
        description=description if description is not None else f"About {slug}.",
        audio=audio,
        transcript=transcript,
        folder=folder,
        number=number,
        season=season,
        speakers=dict(speakers or {"ANA": Person("Ana Ruiz", role="host", group="cast",
                                                 href="https://example.org/ana")}),
        image=image_path,
        guid=guid,
    )
    write_episode_toml(episode)
    return episode


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_episode_toml(episode: Episode) -> Path:
    """A real ``episode.toml`` for ``episode`` (what config.load_episode reads back)."""
    lines = [
        f"title = {_toml_str(episode.title)}",
        f"date = {episode.date.isoformat()}",
        f"description = {_toml_str(episode.description)}",
        f"audio = {_toml_str(episode.audio.name)}",
        f"transcript = {_toml_str(episode.transcript.name)}",
    ]
    for key in ("number", "season"):
        if getattr(episode, key) is not None:
            lines.append(f"{key} = {getattr(episode, key)}")
    if episode.guid:
        lines.append(f"guid = {_toml_str(episode.guid)}")
    if episode.image:
        lines.append(f"image = {_toml_str(episode.image.name)}")
    lines.append("[speakers]")
    for label, p in episode.speakers.items():
        extra = "".join(f", {k} = {_toml_str(v)}" for k, v in (("href", p.href), ("img", p.img)) if v)
        lines.append(f"{label} = {{ name = {_toml_str(p.name)}, role = {_toml_str(p.role)}, "
                     f"group = {_toml_str(p.group)}{extra} }}")
    path = episode.folder / "episode.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_source(show: Show, episode: Episode, texts: Sequence[str] = ("Hello there.", "A second cue."),
                chapter_titles: Sequence[str] = ("Intro",), speaker: str | None = "Ana Ruiz",
                info: AudioInfo | None = None) -> SourceBuild:
    """A SourceBuild whose cues are ``texts`` (one sentence each)."""
    lang = episode.language or show.language
    chapters = tuple(Chapter(title, start=i * 1000) for i, title in enumerate(chapter_titles))
    cues = make_cues(episode.slug, texts, speakers=[speaker] * len(texts),
                     chapters=[0 if chapters else None] * len(texts))
    transcript = Transcript(
        language=lang,
        turns=(Turn(speaker, tuple(Sentence(t, c.start, c.end) for t, c in zip(texts, cues)),
                    chapter=0 if chapters else None),),
        chapters=chapters,
        source=episode.transcript,
    )
    return SourceBuild(episode, transcript, info or audio_info(episode.audio),
                       AlignmentReport("timed-input"), cues, ())


def translated(source: SourceBuild, lang: str, *, kind: str = "machine",
               engine: str = "apertium eng-spa 0.8.1") -> LanguageBuild:
    """A LanguageBuild for ``lang`` with recognisable texts: ``[lang] <source text>``.

    ``kind``: "machine", "human" or "pseudo".
    """
    cues = tuple(
        Cue(c.id, c.start, c.end, tuple(f"[{lang}] {line}" for line in c.lines), c.speaker, c.speaker_change,
            c.chapter, c.sentences, c.confidence)
        for c in source.cues
    )
    chapters = tuple(Chapter(f"[{lang}] {ch.title}", ch.start, ch.line) for ch in source.chapters)
    return LanguageBuild(
        lang=lang,
        cues=cues,
        chapters=chapters,
        title=f"[{lang}] {source.episode.title}",
        description=f"[{lang}] {source.episode.description}",
        machine=kind in ("machine", "pseudo"),
        engine=engine if kind == "machine" else ("pseudo" if kind == "pseudo" else None),
        pseudo=kind == "pseudo",
    )


def make_result(show: Show, slug: str, *, langs: Mapping[str, str] | None = None,
                **episode_kw: object) -> EpisodeResult:
    """An EpisodeResult: the source language plus ``langs`` (lang → kind)."""
    episode = make_episode(show, slug, **episode_kw)  # type: ignore[arg-type]
    source = make_source(show, episode)
    result = EpisodeResult(source)
    result.languages[source.transcript.language] = source.as_language(show)
    for lang, kind in (langs or {}).items():
        result.languages[lang] = translated(source, lang, kind=kind)
    return result


def write_episode_files(show: Show, result: EpisodeResult, **kw: object) -> list[str]:
    """:func:`toolkit.publish.site.write_episode` after the pipeline has
    translated the show's texts the pages need (as ``toolkit publish`` does)."""
    pipeline.episode_show_texts(show, result)
    return site.write_episode(show, result, **kw)  # type: ignore[arg-type]


def write_show_files(show: Show, results: Sequence[EpisodeResult], **kw: object) -> list[str]:
    """:func:`toolkit.publish.site.write_show` with the show's texts the
    pipeline prepares (every feed's language)."""
    return site.write_show(show, results, texts=pipeline.show_texts(show, results), **kw)  # type: ignore[arg-type]
