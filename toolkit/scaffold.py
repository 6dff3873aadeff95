"""Start a show and add episodes: ``toolkit init`` and ``toolkit episode new``.

:func:`init_show` writes a new show folder::

    show.toml      every field, each one commented (see toolkit/config.py)
    cover.png      a 1400×1400 RGB placeholder that passes the artwork rules
    episodes/      empty
    .gitignore     ignores .toolkit/ (caches, locks)

:func:`new_episode` writes ``episodes/<slug>/episode.toml`` (plus a copy of the
audio and transcript) filled from the audio's own tags (:mod:`toolkit.audiotags`):
title, date, duration, embedded cover; a fresh guid; the next episode number.
Neither ever overwrites an existing file: an existing ``show.toml``, cover or
episode folder is a :class:`~toolkit.errors.ConfigError`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import audiotags, fsutil, langs, urls
from .config import EPISODE_FILE, SHOW_FILE, check_slug, parse_category, _Fields
from .errors import ConfigError
from .model import Show

log = logging.getLogger(__name__)

COVER_FILE = "cover.png"
COVER_SIZE = 1400
GITIGNORE_LINE = ".toolkit/"


@dataclass(frozen=True)
class ShowAnswers:
    """What ``toolkit init`` asks (or takes from its flags)."""

    title: str
    author: str
    email: str
    base_url: str
    language: str = "en"
    category: str = "Society & Culture"
    description: str = ""
    explicit: bool = False


def toml_str(value: str) -> str:
    """A TOML basic string (quotes, backslashes and control characters escaped)."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def validate_answers(answers: ShowAnswers, path: Path) -> ShowAnswers:
    """The answers with the language normalised; a ConfigError for a bad URL,
    email, language or category (what ``publish`` would reject later)."""
    f = _Fields({}, path)
    problem = urls.base_url_problem(answers.base_url.rstrip("/"))
    if problem:
        raise f.fail("base_url", f"{answers.base_url!r} must be an absolute http(s) URL: it {problem}")
    if urls.email_problem(answers.email):
        raise f.fail("owner.email", f"{answers.email!r} is not an email address")
    parse_category(answers.category, f)
    for key in ("title", "author"):
        if not getattr(answers, key).strip():
            raise f.fail(key, "must not be empty")
    lang = langs.normalize(answers.language, path=str(path), key="language")
    return ShowAnswers(answers.title.strip(), answers.author.strip(), answers.email.strip(),
                       answers.base_url.rstrip("/"), lang, answers.category,
                       answers.description.strip() or answers.title.strip(), answers.explicit)


def render_show_toml(a: ShowAnswers, guid: str) -> str:
    """``show.toml`` with every field present or shown commented out, each explained."""
    return f"""# show.toml: the show's settings (reference: toolkit/config.py).
# Publish with `toolkit publish --root .`; check with `toolkit check`.

title = {toml_str(a.title)}
description = {toml_str(a.description)}   # plain text, at most 4000 bytes
author = {toml_str(a.author)}            # itunes:author
base_url = {toml_str(a.base_url)}        # where feeds/ will be served from
# link = "https://example.org/"           # the show's web site (default: the published show page)
language = {toml_str(a.language)}        # the audio's language (BCP 47: en, de, pt-BR)
categories = [{toml_str(a.category)}]    # Apple Podcasts categories, "Name > Sub-name"; the first counts
image = "{COVER_FILE}"                   # square JPEG/PNG, 1400-3000 px, RGB (replace the placeholder)
explicit = {str(a.explicit).lower()}
# type = "episodic"                       # or "serial" (then every episode needs a number)
# copyright = "(c) 2026 {a.author}"
# locked = true                           # podcast:locked: other hosts may not import this feed
# target_languages = ["es", "pt-BR"]       # translate transcripts into these ("qps-ploc": a layout test)
# assets = "shared"                       # a folder of the show that episodes may take files from

# podcast:guid: computed once from the feed URL and never to be changed, even when the feed moves.
guid = "{guid}"

[owner]
name = {toml_str(a.author)}
email = {toml_str(a.email)}              # itunes:owner (Apple uses it to verify the show)

# [translation]
# engine = "argos"                        # default machine-translation engine (argos, apertium, bergamot)
# engines = {{ es = "apertium" }}           # per target language

# [ingest]
# drop = ["^Listen to podcast here"]      # RE2 rules for boilerplate lines (replace the built-ins)

# [audio]                                 # opt-in mastering of the published MP3 (toolkit/master/)
# loudness = -16                          # LUFS (default -16 stereo, -19 mono); true peak <= -1 dBTP
# intro = "intro.mp3"                     # played before every episode (a file of the show folder)
# outro = "outro.mp3"                     # played after every episode
"""


def make_cover(path: Path, title: str) -> None:
    """A plain 1400×1400 RGB PNG with the title on it: a placeholder that
    passes :func:`toolkit.images.image_problems`."""
    from PIL import Image, ImageDraw, ImageFont  # only this command needs it (keeps `import toolkit.cli` light)

    img = Image.new("RGB", (COVER_SIZE, COVER_SIZE), (32, 64, 96))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=96)
    words, lines, line = title.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > COVER_SIZE - 200:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    y = COVER_SIZE // 2 - 60 * len(lines[:6])
    for text in lines[:6]:
        width = draw.textlength(text, font=font)
        draw.text(((COVER_SIZE - width) / 2, y), text, fill=(240, 240, 240), font=font)
        y += 120
    import io  # only this command needs it (keeps `import toolkit.cli` light)

    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    fsutil.write_bytes(path, buf.getvalue())


def _refuse_existing(paths: list[Path]) -> None:
    for path in paths:
        if path.exists():
            raise ConfigError("already exists; toolkit init never overwrites", path=path,
                              hint="choose an empty folder, or edit the existing show")


def init_show(folder: Path, answers: ShowAnswers) -> list[Path]:
    """Create the show folder ``folder``; returns the files written."""
    folder = Path(folder)
    answers = validate_answers(answers, folder / SHOW_FILE)
    _refuse_existing([folder / SHOW_FILE, folder / COVER_FILE])
    episodes = folder / "episodes"
    if episodes.exists() and any(episodes.iterdir()):
        raise ConfigError("already holds episodes; toolkit init never overwrites", path=episodes)
    from .publish.feed import podcast_guid  # only this command needs it (keeps `import toolkit.cli` light)

    guid = podcast_guid(answers.base_url + "/feed.xml")
    folder.mkdir(parents=True, exist_ok=True)
    episodes.mkdir(exist_ok=True)
    written = [folder / SHOW_FILE, folder / COVER_FILE]
    make_cover(folder / COVER_FILE, answers.title)
    fsutil.write_text(folder / SHOW_FILE, render_show_toml(answers, guid))
    gitignore = folder / ".gitignore"
    old = gitignore.read_text(encoding="utf-8") if gitignore.is_file() else ""
    if GITIGNORE_LINE not in old.splitlines():
        fsutil.write_text(gitignore, old + ("" if not old or old.endswith("\n") else "\n")
                          + f"# caches and locks of the toolkit\n{GITIGNORE_LINE}\n")
        written.append(gitignore)
    return written


# ---------------------------------------------------------------- episodes

def next_number(show: Show) -> int:
    """One more than the highest ``number`` of the show's episodes (1 for the first)."""
    import tomllib  # only this command needs it (keeps `import toolkit.cli` light)

    highest = 0
    for path in show.episodes_dir.glob(f"*/{EPISODE_FILE}"):
        try:
            number = tomllib.loads(path.read_text(encoding="utf-8")).get("number")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            continue
        if isinstance(number, int) and not isinstance(number, bool):
            highest = max(highest, number)
    return highest + 1


def _safe_name(name: str, default: str) -> str:
    """A file name for the episode folder: letters, digits, '.', '-', '_' only."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip("-.") or default
    return stem + Path(name).suffix.lower()


@dataclass(frozen=True)
class EpisodeFields:
    """What goes into a new episode.toml (before rendering)."""

    title: str
    date: dt.datetime
    description: str
    audio: str
    transcript: str | None
    number: int
    guid: str
    image: str | None = None
    duration_s: float | None = None


def render_episode_toml(e: EpisodeFields) -> str:
    """``episode.toml`` for a new episode, each field explained."""
    duration = f"  # {e.duration_s:.1f} s" if e.duration_s is not None else ""
    transcript = (f"transcript = {toml_str(e.transcript)}" if e.transcript
                  else "transcript = false                     # no transcript yet: add one and name it here")
    image = f"image = {toml_str(e.image)}                 # from the audio's embedded cover\n" if e.image else \
        "# image = \"cover.jpg\"                   # episode artwork (default: the show's)\n"
    return f"""# episode.toml (reference: toolkit/config.py). Written by `toolkit episode new`.

title = {toml_str(e.title)}
date = {e.date.strftime("%Y-%m-%dT%H:%M:%SZ")}
description = {toml_str(e.description)}
audio = {toml_str(e.audio)}{duration}
{transcript}
number = {e.number}
# season = 1
# explicit = false
# type = "full"                           # or "trailer", "bonus"
# language = "es"                         # the episode's own language (default: the show's)
{image}# guid: the episode's identity in podcast apps; never change it.
guid = "{e.guid}"

# [mastering]                             # override the show's [audio] mastering for this episode
# master = false                          # publish this episode's audio untouched

# [speakers]                              # transcript label = display name
# ANA = "Ana Ruiz"
"""


def new_episode(
    show: Show,
    slug: str,
    *,
    audio: Path | None = None,
    transcript: Path | None = None,
    title: str | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Create ``episodes/<slug>/`` from an audio file (and optionally a
    transcript); returns the new episode.toml.  Nothing is overwritten."""
    check_slug(slug)
    folder = show.episodes_dir / slug
    if folder.exists():
        raise ConfigError(f"episode {slug!r} already exists; never overwritten", path=folder)
    for label, src in (("--audio", audio), ("--transcript", transcript)):
        if src is not None and not Path(src).is_file():
            raise ConfigError(f"{label}: file not found", path=src)
    tags = audiotags.read_tags(audio) if audio is not None else audiotags.AudioTags()
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    audio_name = _safe_name(audio.name, "audio") if audio is not None else "audio.mp3"
    transcript_name = ("transcript" + transcript.suffix.lower()) if transcript is not None else None
    folder.mkdir(parents=True)
    try:
        if audio is not None:
            shutil.copyfile(audio, folder / audio_name)
        if transcript is not None and transcript_name:
            shutil.copyfile(transcript, folder / transcript_name)
        image = _save_cover(tags, folder)
        the_title = (title or tags.title or slug.replace("-", " ").replace("_", " ").capitalize()).strip()
        fields = EpisodeFields(
            title=the_title,
            date=tags.date or now,
            description=(tags.comment or the_title).strip(),
            audio=audio_name,
            transcript=transcript_name,
            number=tags.track or next_number(show),
            guid=str(uuid.uuid4()),
            image=image,
            duration_s=tags.duration_s,
        )
        path = folder / EPISODE_FILE
        fsutil.write_text(path, render_episode_toml(fields))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # nothing half made
        raise
    if audio is None:
        log.warning("%s: no --audio given: put the episode's audio in the folder as audio.mp3", folder)
    return path


def _save_cover(tags: audiotags.AudioTags, folder: Path) -> str | None:
    """Save the embedded cover when it passes the artwork rules (else log why not)."""
    if tags.cover is None:
        return None
    from .images import image_problems  # only this command needs it (keeps `import toolkit.cli` light)

    data, mime = tags.cover
    name = "cover.png" if mime == "image/png" else "cover.jpg"
    fsutil.write_bytes(folder / name, data)
    problems = image_problems(folder / name)
    if problems:
        (folder / name).unlink()
        log.warning("%s: the audio's embedded cover is not usable as artwork (%s); using the show's",
                    folder, "; ".join(problems))
        return None
    return name
