"""Read and validate ``show.toml`` and ``episodes/<slug>/episode.toml``.

Every error names the file and the key.  Example ``show.toml``::

    title = "Field Notes"
    description = "Short stories about how things are made."
    author = "Field Notes Studio"
    base_url = "https://example.org/fieldnotes"
    language = "en"
    categories = ["Society & Culture > Documentary", "Technology"]
    image = "cover.png"
    explicit = false
    target_languages = ["es", "pt-BR", "qps-ploc"]

    [owner]
    name = "Ana Producer"
    email = "ana@example.org"

    [translation]
    engine = "argos"            # default engine
    engines = { es = "apertium", pt-BR = "bergamot" }
    offer_pseudo = false        # true: offer the qps-ploc test build in switchers and feeds

Pseudo-localization (accented, lengthened, bracketed text that tests layouts)
has its own language code, ``qps-ploc`` (``en-XA`` is accepted and written
``qps-ploc``): list it in ``target_languages`` and it is made by the ``pseudo``
engine and published under ``.../qps-ploc/``, labelled a layout test, but not
offered to listeners -- no language switcher, feed list, feed alternate or
``podcast:transcript`` names it -- unless ``[translation] offer_pseudo = true``.
Its own companion feed always carries ``itunes:block``.  A real language code
with the ``pseudo`` engine (``engines = { fr = "pseudo" }``, or
``engine = "pseudo"``) is an error: it would offer test text as French.

    [translation.glossary]      # optional
    keep = ["Field Notes", "Kraków"]   # never translated (with the title and speaker names)
    protect_names = true               # the show title and speaker names are kept (default)
    [translation.glossary.es]          # forced translations into one language
    "Vice Governor" = "vicegobernador"

    [ingest]
    drop = ["^Listen to podcast here", "^Leave Comments$"]   # RE2 regexes (replace the built-ins)

    [cluster]           # optional: publish on a Dask cluster (toolkit.catalogue; --scheduler overrides)
    scheduler = "tcp://scheduler.example.org:8786"

    assets = "shared"   # optional: a folder of the show that episodes may take files from

Every file a config names must lie inside the show folder — the episode's own
folder for an episode's ``audio``, ``transcript`` and ``image``, or the
``assets`` folder when the show has one — after symbolic links are resolved;
anything else is a :class:`~toolkit.errors.ConfigError` naming the file, the
key and the path.  URLs (``base_url``, ``link``, a speaker's ``href`` and
``img``) follow :mod:`toolkit.urls`.  Control characters are removed from
every string (:mod:`toolkit.sanitize`; reported once per file).

Example ``episode.toml``::

    title = "The Bridge"
    date = 2026-03-01T09:00:00Z
    description = "How a village got its bridge."
    audio = "audio.mp3"
    transcript = "transcript.txt"   # optional: the one transcript.* file is found (false: none)
    encoding = "cp1252"             # optional: the transcript's encoding when detection is not enough
    chapters = "chapters.json"      # optional, with `transcript = false`: JSON chapters (Podcast Index 1.2)
    language = "es"                 # optional: the episode's own language (default: the show's)
    number = 1
    season = 1
    guid = "fieldnotes-0001"
    [speakers]
    ANA = "Ana Ruiz"                  # label in the transcript = display name
    LI = { name = "Li Wei", role = "guest", href = "https://example.org/li" }
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import langs, patterns, urls
from .categories import APPLE_CATEGORIES, is_valid
from .errors import ConfigError
from .model import Category, Episode, Glossary, Person, Show
from .sanitize import Removed, clean_strings

SHOW_FILE = "show.toml"
EPISODE_FILE = "episode.toml"
TRANSCRIPT_SUFFIXES = (".txt", ".md", ".srt", ".vtt", ".json", ".sbv")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _load_toml(path: Path) -> dict[str, Any]:
    """The TOML table of ``path`` with control characters removed from every string
    (one warning per file when there were any)."""
    if not path.is_file():
        raise ConfigError("file not found", path=path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        removed = Removed(str(path))
        cleaned = clean_strings(data, removed)
        removed.report()
        assert isinstance(cleaned, dict)
        return cleaned
    except tomllib.TOMLDecodeError as exc:
        line = None
        m = re.search(r"line (\d+)", str(exc))
        if m:
            line = int(m.group(1))
        raise ConfigError(f"invalid TOML: {exc}", path=path, line=line) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path=path) from None


class _Fields:
    """Typed access to a TOML table with errors naming file and key."""

    def __init__(self, data: dict[str, Any], path: Path, prefix: str = "") -> None:
        self.data, self.path, self.prefix = data, path, prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"{self._key(key)}: {message}", path=self.path, hint=hint)

    def str_(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "missing required field")
            return default
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, not {type(value).__name__}")
        value = value.strip()
        if required and not value:
            raise self.fail(key, "must not be empty")
        return value

    def req(self, key: str) -> str:
        value = self.str_(key, required=True)
        assert value is not None
        return value

    def url(self, key: str) -> str | None:
        """An optional URL value, checked against the URL policy (:mod:`toolkit.urls`)."""
        value = self.str_(key)
        if value is None:
            return None
        problem = urls.url_problem(value)
        if problem:
            raise self.fail(key, f"{value!r} is not an acceptable URL: it {problem}",
                            hint="an absolute http(s) URL, e.g. https://example.org/page")
        return value

    def bool_(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def int_(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise self.fail(key, "must be a positive whole number")
        return value

    def list_(self, key: str) -> list[str]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        return value

    def table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return value


def parse_category(text: str, fields: _Fields) -> Category:
    """``"Society & Culture > Documentary"`` → Category; unknown names are errors."""
    name, _, sub = (p.strip() for p in text.partition(">"))
    sub_or_none = sub or None
    if not is_valid(name, sub_or_none):
        if name not in APPLE_CATEGORIES:
            raise fields.fail("categories", f"unknown Apple Podcasts category {name!r}",
                              hint="see https://podcasters.apple.com/support/1691-apple-podcasts-categories")
        raise fields.fail("categories", f"{sub!r} is not a sub-category of {name!r}",
                          hint="choose one of: " + ", ".join(APPLE_CATEGORIES[name]))
    return Category(name, sub_or_none)


#: A Dask scheduler address: ``tcp://host:port`` (or ``tls://``, ``ws://``, ``wss://``, ``inproc://``).
_SCHEDULER = re.compile(r"(tcp|tls|ws|wss|inproc)://[^\s/]+")


def load_show(root: str | Path = ".") -> Show:
    """Load ``<root>/show.toml``."""
    root = Path(root).resolve()
    path = root / SHOW_FILE
    if not path.is_file():
        raise ConfigError("show.toml not found", path=path,
                          hint="run inside a show folder or pass --root")
    f = _Fields(_load_toml(path), path)
    base_url = f.req("base_url").rstrip("/")
    problem = urls.base_url_problem(base_url)
    if problem:
        raise f.fail("base_url", f"{base_url!r} must be an absolute http(s) URL: it {problem}",
                     hint="e.g. https://example.org/podcast")
    language = langs.normalize(f.req("language"), path=str(path), key="language")
    if langs.is_pseudo(language):
        raise f.fail("language", f"{language} is pseudo-localization, not the language of the audio",
                     hint=f'list "{langs.PSEUDO}" in target_languages')
    cats = f.list_("categories")
    if not cats:
        raise f.fail("categories", "at least one Apple Podcasts category is required")
    owner = _Fields(f.table("owner"), path, "owner.")
    owner_email = owner.req("email")
    if urls.email_problem(owner_email):
        raise owner.fail("email", f"{owner_email!r} is not an email address")
    image = confine(f, "image", f.req("image"), root, [(root, "the show folder")])
    assets = _assets_folder(f, root)
    targets = tuple(
        langs.normalize(code, path=str(path), key="target_languages")
        for code in f.list_("target_languages")
    )
    if language in targets:
        raise f.fail("target_languages", f"{language!r} is the show's own language")
    tr = _Fields(f.table("translation"), path, "translation.")
    engines: dict[str, str] = {}
    default_engine = tr.str_("engine")
    if default_engine:
        engines["default"] = default_engine
    for lang, engine in tr.table("engines").items():
        if not isinstance(engine, str):
            raise tr.fail(f"engines.{lang}", "must be an engine name")
        code = langs.normalize(lang, path=str(path), key=f"translation.engines.{lang}")
        _check_pseudo_engine(tr, lang, code, engine)
        engines[code] = engine
    real = [code for code in targets if not langs.is_pseudo(code)
            and engines.get(code, engines.get(langs.base(code), default_engine)) == "pseudo"]
    if real:  # only through the default engine: engines.<real code> = "pseudo" failed above
        raise tr.fail("engine", f'"pseudo" would publish test text as {langs.english_name(real[0])} '
                                f'({real[0]} in target_languages)', hint=_PSEUDO_HINT)
    offer_pseudo = tr.bool_("offer_pseudo")
    glossary = _parse_glossary(_Fields(tr.table("glossary"), path, "translation.glossary."), path)
    ingest = _Fields(f.table("ingest"), path, "ingest.")
    drop = ingest.list_("drop") if "drop" in ingest.data else None
    if drop is not None and len(drop) > patterns.MAX_PATTERNS:
        raise ingest.fail("drop", f"more than {patterns.MAX_PATTERNS} rules")
    for rule in drop or ():
        try:
            patterns.compile_user(rule)  # RE2: linear time on any line, whatever the pattern
        except ValueError as exc:
            raise ingest.fail("drop", f"bad regular expression {rule[:80]!r}: {exc}") from None
    cluster = _Fields(f.table("cluster"), path, "cluster.")
    scheduler = cluster.str_("scheduler")
    if scheduler is not None and not _SCHEDULER.fullmatch(scheduler):
        raise cluster.fail("scheduler", f"{scheduler!r} is not a Dask scheduler address",
                           hint='e.g. "tcp://scheduler.example.org:8786"')
    show_type = f.str_("type", default="episodic") or "episodic"
    if show_type not in ("episodic", "serial"):
        raise f.fail("type", "must be 'episodic' or 'serial'")
    return Show(
        root=root,
        title=f.req("title"),
        description=f.req("description"),
        author=f.req("author"),
        owner_name=owner.str_("name") or f.req("author"),
        owner_email=owner_email,
        base_url=base_url,
        language=language,
        categories=tuple(parse_category(c, f) for c in cats),
        image=image,
        explicit=f.bool_("explicit"),
        show_type=show_type,
        link=f.url("link"),
        copyright=f.str_("copyright"),
        locked=f.bool_("locked", True),
        target_languages=targets,
        engines=engines,
        glossary=glossary,
        offer_pseudo=offer_pseudo,
        drop_rules=tuple(drop) if drop is not None else None,
        guid=f.str_("guid"),
        config_path=path,
        assets=assets,
        scheduler=scheduler or None,
    )


MAX_GLOSSARY_TERMS = 2000
MAX_TERM_CHARS = 200


def _term(g: _Fields, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise g.fail(key, "must be a non-empty string")
    if len(value) > MAX_TERM_CHARS or "\n" in value:
        raise g.fail(key, f"a term is one line of at most {MAX_TERM_CHARS} characters")
    return " ".join(value.split())


def _parse_glossary(g: _Fields, path: Path) -> Glossary:
    """``[translation.glossary]``: ``keep``, ``protect_names`` and one table per language."""
    keep = tuple(dict.fromkeys(_term(g, "keep", t) for t in g.list_("keep")))
    forced: dict[str, tuple[tuple[str, str], ...]] = {}
    for key, table in g.data.items():
        if key in ("keep", "protect_names"):
            continue
        if not isinstance(table, dict):
            raise g.fail(key, "must be a table of term = translation (a language code), or keep / protect_names")
        lang = langs.normalize(key, path=str(path), key=f"translation.glossary.{key}")
        forced[lang] = tuple((_term(g, f"{key}.{term!r}", term), _term(g, f"{key}.{term!r}", value))
                             for term, value in table.items())
    if len(keep) + sum(len(v) for v in forced.values()) > MAX_GLOSSARY_TERMS:
        raise g.fail("keep", f"more than {MAX_GLOSSARY_TERMS} terms")
    return Glossary(keep=keep, forced=tuple(sorted(forced.items())),
                    protect_names=g.bool_("protect_names", True))


_PSEUDO_HINT = f'pseudo-localization has its own code: add "{langs.PSEUDO}" to target_languages instead'


def _check_pseudo_engine(tr: _Fields, key: str, code: str, engine: str) -> None:
    """Pseudo-localization only under its own code: ``engines.<real language> =
    "pseudo"`` would publish test text as that language, and
    ``engines.qps-ploc`` can only be the pseudo engine."""
    if langs.is_pseudo(code):
        if engine != "pseudo":
            raise tr.fail(f"engines.{key}", f'{code} is pseudo-localization: its engine is always "pseudo"',
                          hint=f"remove engines.{key}")
    elif engine == "pseudo":
        raise tr.fail(f"engines.{key}", f'"pseudo" would publish test text as {langs.english_name(code)}',
                      hint=_PSEUDO_HINT)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to the show folder when it is inside, else absolute."""
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def confine(f: _Fields, key: str, name: str, base: Path, allowed: list[tuple[Path, str]],
            hint: str = "copy the file into the folder; files outside it are never published") -> Path:
    """``base / name`` when it lies inside one of the ``allowed`` folders after
    every symbolic link is resolved (the file need not exist yet); otherwise a
    :class:`ConfigError` naming the file, the key and the path.

    The path is returned as written (``base / name``): its file name is what
    gets published.
    """
    candidate = base / name
    resolved = candidate.resolve()
    for folder, _ in allowed:
        if _inside(resolved, folder.resolve()):
            return candidate
    where = " or ".join(label for _, label in allowed)
    plain = Path(os.path.normpath(candidate.absolute()))
    via = f" (a symbolic link to {resolved})" if resolved != plain else (
        "" if Path(name).is_absolute() else f" (that is {resolved})")
    raise f.fail(key, f"{name!r} is outside {where}{via}", hint=hint)


def _assets_folder(f: _Fields, root: Path) -> Path | None:
    """The optional shared ``assets`` folder (inside the show, not the show itself)."""
    name = f.str_("assets")
    if not name:
        return None
    folder = confine(f, "assets", name, root, [(root, "the show folder")])
    if folder.resolve() == root.resolve():
        raise f.fail("assets", "must be a sub-folder of the show, not the show folder itself")
    if not folder.is_dir():
        raise f.fail("assets", f"folder {name!r} not found")
    return folder


def _episode_file(show: Show, f: _Fields, folder: Path, key: str, name: str) -> Path:
    """An episode file: inside the episode folder, or the show's ``assets`` folder."""
    allowed = [(folder, f"the episode folder episodes/{folder.name}/")]
    if show.assets is not None:
        allowed.append((show.assets, f"the shared assets folder {_shown(show.assets, show.root)}/"))
    return confine(f, key, name, folder, allowed,
                   hint="copy the file into the episode folder, or share it through show.toml 'assets'")


def check_slug(slug: str) -> str:
    """Reject slugs that could escape the episodes folder or make bad URLs."""
    if not slug or "/" in slug or "\\" in slug or ".." in slug or not _SLUG.match(slug):
        raise ConfigError(
            f"invalid episode slug {slug!r}",
            hint="use lowercase letters, digits, '-', '_' and '.'; no '/' or '..'",
        )
    return slug


def _parse_date(value: Any, f: _Fields) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if isinstance(value, str):
        try:
            return _parse_date(dt.datetime.fromisoformat(value), f)
        except ValueError:
            pass
    raise f.fail("date", f"{value!r} is not a date", hint="e.g. 2026-03-01T09:00:00Z")


def _find_transcript(show: Show, folder: Path, f: _Fields) -> Path | None:
    if f.data.get("transcript") is False:
        return None  # `transcript = false`: published without a transcript
    name = f.str_("transcript")
    if name:
        path = _episode_file(show, f, folder, "transcript", name)
        if not path.is_file():
            raise ConfigError(f"transcript: file {name!r} not found", path=f.path)
        return path
    found = sorted(p for p in folder.glob("transcript.*") if p.suffix.lower() in TRANSCRIPT_SUFFIXES)
    if not found:
        raise ConfigError("no transcript: set 'transcript' or add transcript.txt/.md/.srt/.vtt/.sbv/.json",
                          path=f.path, hint="or set `transcript = false` to publish the audio without one")
    if len(found) > 1:
        raise ConfigError("several transcript.* files: set 'transcript' to choose one", path=f.path)
    return _episode_file(show, f, folder, "transcript", found[0].name)


def _parse_speakers(table: dict[str, Any], f: _Fields) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for label, value in table.items():
        if isinstance(value, str):
            people[label] = Person(name=value.strip())
        elif isinstance(value, dict):
            sf = _Fields(value, f.path, f"speakers.{label}.")
            people[label] = Person(
                name=sf.str_("name") or label,
                role=sf.str_("role", default="guest") or "guest",
                group=sf.str_("group", default="cast") or "cast",
                href=sf.url("href"),
                img=sf.url("img"),
            )
        else:
            raise f.fail(f"speakers.{label}", "must be a name or a table with 'name'")
        if len(people[label].name) > 128:
            raise f.fail(f"speakers.{label}", "name longer than 128 characters")
    return people


def load_episode(show: Show, slug: str) -> Episode:
    """Load ``episodes/<slug>/episode.toml``."""
    check_slug(slug)
    folder = show.episodes_dir / slug
    path = folder / EPISODE_FILE
    if not folder.is_dir():
        known = episode_slugs(show)  # say which slugs exist, so a typo is obvious
        raise ConfigError(f"no episode folder {slug!r}", path=folder,
                          hint="episodes: " + (", ".join(known[:8]) + (", …" if len(known) > 8 else "")
                                               if known else "none yet"))
    if not _inside(folder.resolve(), show.root.resolve()):
        raise ConfigError(f"episode folder {slug!r} is a link to {folder.resolve()}, outside the show folder",
                          path=folder, hint="move the episode into episodes/")
    f = _Fields(_load_toml(path), path)
    audio_name = f.str_("audio")
    if not audio_name:
        raise f.fail("audio", "missing required field", hint="every episode needs its audio file")
    audio = _episode_file(show, f, folder, "audio", audio_name)
    if not audio.is_file():
        raise ConfigError(f"audio: file {audio_name!r} not found", path=path)
    if "date" not in f.data:
        raise f.fail("date", "missing required field")
    image_name = f.str_("image")
    image = _episode_file(show, f, folder, "image", image_name) if image_name else None
    if image is not None and not image.is_file():
        raise f.fail("image", f"file {image_name!r} not found",
                     hint="put the episode's artwork in its folder, or remove 'image' to use the show's")
    etype = f.str_("type", default="full") or "full"
    if etype not in ("full", "trailer", "bonus"):
        raise f.fail("type", "must be 'full', 'trailer' or 'bonus'")
    lang = f.str_("language")
    encoding = f.str_("encoding")
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise f.fail("encoding", f"unknown encoding {encoding!r}",
                         hint="e.g. \"cp1252\" (Windows Western), \"latin-1\", \"utf-16\", \"gb18030\"") from None
    chapters_name = f.str_("chapters")
    chapters = _episode_file(show, f, folder, "chapters", chapters_name) if chapters_name else None
    if chapters is not None and not chapters.is_file():
        raise f.fail("chapters", f"file {chapters_name!r} not found")
    return Episode(
        chapters=chapters,
        slug=slug,
        title=f.req("title"),
        date=_parse_date(f.data["date"], f),
        description=f.req("description"),
        audio=audio,
        transcript=_find_transcript(show, folder, f),
        folder=folder,
        number=f.int_("number"),
        season=f.int_("season"),
        explicit=f.bool_("explicit"),
        episode_type=etype,
        speakers=_parse_speakers(f.table("speakers"), f),
        image=image,
        guid=f.str_("guid"),
        language=_episode_language(f, lang, path),
        encoding=encoding or None,
    )


def _episode_language(f: _Fields, lang: str | None, path: Path) -> str | None:
    if not lang:
        return None
    code = langs.normalize(lang, path=str(path), key="language")
    if langs.is_pseudo(code):
        raise f.fail("language", f"{code} is pseudo-localization, not the language of the audio")
    return code


def episode_slugs(show: Show) -> list[str]:
    """Slugs of every episode folder (those holding an episode.toml), sorted."""
    if not show.episodes_dir.is_dir():
        return []
    return sorted(p.parent.name for p in show.episodes_dir.glob(f"*/{EPISODE_FILE}"))


def check_unique_guids(show: Show, episodes: Iterable[tuple[str, str | None]]) -> None:
    """Raise :class:`ConfigError` when two of the ``(slug, guid)`` pairs share a guid
    (naming both slugs and the second one's episode.toml)."""
    seen: dict[str, str] = {}
    for slug, guid in episodes:
        if not guid:
            continue
        if guid in seen and seen[guid] != slug:
            raise ConfigError(f"guid {guid!r} is used by episodes {seen[guid]!r} and {slug!r}",
                              path=show.episodes_dir / slug / EPISODE_FILE,
                              hint="every episode needs its own guid")
        seen[guid] = slug


def load_episodes(show: Show) -> list[Episode]:
    """Every episode, oldest first; duplicate guids are an error."""
    episodes = [load_episode(show, slug) for slug in episode_slugs(show)]
    check_unique_guids(show, ((ep.slug, ep.guid) for ep in episodes))
    return sorted(episodes, key=lambda e: (e.date, e.slug))
