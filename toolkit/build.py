"""The records the pipeline stages hand down to each other, beside the model.

    timing ─► AudioInfo, AlignmentReport
    pipeline.build_source ─► SourceBuild (episode, timed transcript, cues, QC findings)
    translate ─► LanguageBuild (one language's cues, chapters, texts), ChannelTexts (the show's texts)
    pipeline.publish_episode ─► EpisodeResult (every language of one episode) ─► publish writers

Every record is finished when it is made: a writer (:mod:`toolkit.publish`)
turns records into files and never computes content (no translation, no
checks).  They live on the ground floor so that every stage may name them
without importing the stage that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .model import Chapter, Cue, Episode, Show, Transcript

__all__ = ["AudioInfo", "AlignmentReport", "SourceBuild", "LanguageBuild", "ChannelTexts", "EpisodeResult"]


@dataclass(frozen=True)
class AudioInfo:
    """What the feed needs to know about an episode's audio file."""

    path: Path
    duration_ms: int
    size: int  # bytes (the enclosure length)
    mime: str  # e.g. audio/mpeg
    bitrate: int | None = None
    channels: int | None = None
    sample_rate: int | None = None
    duration_source: str = "metadata"  # "metadata" (mutagen) | "decode" (ffmpeg streaming pass)


@dataclass(frozen=True)
class AlignmentReport:
    """How the transcript got its times, and where they are doubtful."""

    method: str  # "timed-input" | "forced" | "tts-dtw" | "pauses" | "proportional"
    low_confidence: tuple[str, ...] = field(default_factory=tuple)  # human-readable stretches
    candidates: int = 0  # pauses found in the audio (pause alignment only)
    speech_start: int | None = None  # detected end of the lead-in (ms)
    speech_end: int | None = None  # detected end of speech (ms)
    mean_confidence: float = 1.0
    note: str = ""  # why a fallback was taken, when it was
    engine: str = ""  # what did it, e.g. "pocketsphinx 5.1.1, US-English model"
    words: bool = False  # every sentence has word timings of its own
    retimed: int = 0  # low-confidence stretches re-timed proportionally
    anchors: int = 0  # sentences that came with a start time and were kept there

    @property
    def label(self) -> str:
        """How the summary names the timing: "forced-alignment (word level)", "pauses", …"""
        names = {"forced": "forced-alignment", "tts-dtw": "TTS+DTW", "timed-input": "timed-input"}
        text = names.get(self.method, self.method)
        if self.words:
            text += " (word level)"
        return text


@dataclass(frozen=True)
class LanguageBuild:
    """The cues and chapters of one language of one episode, ready to write."""

    lang: str
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    title: str
    description: str
    machine: bool = False  # True when any text is machine translated
    engine: str | None = None  # e.g. "apertium eng-spa 0.8.1" (for disclosure)
    pseudo: bool = False  # pseudo-localization, never presented as a translation
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceBuild:
    """Everything the source-language stages produced for one episode."""

    episode: Episode
    transcript: Transcript
    audio: AudioInfo
    alignment: AlignmentReport
    cues: tuple[Cue, ...]
    qc: tuple[Finding, ...]

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return self.transcript.chapters

    def as_language(self, show: Show) -> LanguageBuild:
        return LanguageBuild(
            lang=self.transcript.language,
            cues=self.cues,
            chapters=self.chapters,
            title=self.episode.title,
            description=self.episode.description,
        )


@dataclass(frozen=True)
class ChannelTexts:
    """The show's title and description in one language (translated for a
    companion feed and a target-language page), with their disclosure."""

    title: str
    description: str
    machine: bool = False
    engine: str | None = None
    pseudo: bool = False


@dataclass
class EpisodeResult:
    """One published episode: its source build, every language, and (filled in
    by the pipeline before the writers run) the show's texts per language the
    episode's pages show."""

    source: SourceBuild
    languages: dict[str, LanguageBuild] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    show_texts: dict[str, ChannelTexts] = field(default_factory=dict)
