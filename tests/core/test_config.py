"""show.toml / episode.toml loading: good input, and bad input with errors naming file and key."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from toolkit import config
from toolkit.errors import ConfigError

SHOW = textwrap.dedent(
    """\
    title = "Test Show"
    description = "A show for tests."
    author = "Tester"
    base_url = "https://example.org/show/"
    language = "en"
    categories = ["Society & Culture > Documentary", "Technology"]
    image = "cover.png"
    target_languages = ["es", "pt_br"]
    [owner]
    name = "Owner"
    email = "owner@example.org"
    [translation]
    engine = "argos"
    engines = { es = "apertium" }
    """
)

EPISODE = textwrap.dedent(
    """\
    title = "One"
    date = 2026-01-02T03:04:05Z
    description = "First."
    audio = "audio.mp3"
    number = 1
    guid = "g-1"
    [speakers]
    ANA = "Ana Ruiz"
    LI = { name = "Li Wei", role = "host" }
    """
)


def make_show(tmp_path: Path, show: str = SHOW, episodes: dict[str, str] | None = None) -> Path:
    (tmp_path / "show.toml").write_text(show, encoding="utf-8")
    for slug, text in (episodes if episodes is not None else {"one": EPISODE}).items():
        folder = tmp_path / "episodes" / slug
        folder.mkdir(parents=True)
        (folder / "episode.toml").write_text(text, encoding="utf-8")
        (folder / "audio.mp3").write_bytes(b"\xff\xfb" + b"\0" * 100)
        (folder / "transcript.txt").write_text("Hello there.\n", encoding="utf-8")
    return tmp_path


def test_load_show_and_episode(tmp_path: Path) -> None:
    show = config.load_show(make_show(tmp_path))
    assert show.base_url == "https://example.org/show"
    assert show.target_languages == ("es", "pt-BR")
    assert show.engines == {"default": "argos", "es": "apertium"}
    assert show.categories[0].name == "Society & Culture" and show.categories[0].sub == "Documentary"
    ep = config.load_episode(show, "one")
    assert ep.date == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert ep.transcript.name == "transcript.txt"
    assert ep.speaker_names() == {"ANA": "Ana Ruiz", "LI": "Li Wei"}
    assert ep.speakers["LI"].role == "host"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "Test Show"\n', "", "title: missing required field"),
        ('base_url = "https://example.org/show/"', 'base_url = "example.org/show"', "base_url"),
        ('language = "en"', 'language = "english"', "invalid language code 'english'"),
        ('language = "en"', 'language = "qq"', "unknown language code 'qq'"),
        ('"Technology"', '"Technolgy"', "unknown Apple Podcasts category 'Technolgy'"),
        ('> Documentary"', '> Cooking"', "'Cooking' is not a sub-category"),
        ('email = "owner@example.org"', 'email = "nobody"', "owner.email"),
        ('target_languages = ["es", "pt_br"]', 'target_languages = ["es", "en"]', "show's own language"),
    ],
)
def test_bad_show_fields(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = SHOW.replace(old, new)
    assert text != SHOW
    make_show(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        config.load_show(tmp_path)
    assert expected in str(err.value)
    assert "show.toml" in str(err.value)


def test_malformed_toml_names_line(tmp_path: Path) -> None:
    make_show(tmp_path, SHOW + "broken = \n")
    with pytest.raises(ConfigError, match=r"show\.toml:\d+: invalid TOML"):
        config.load_show(tmp_path)


@pytest.mark.parametrize("slug", ["../etc", "a/b", "..", "", "UPPER", "a\\b", "x/../y"])
def test_bad_slugs_rejected(tmp_path: Path, slug: str) -> None:
    show = config.load_show(make_show(tmp_path))
    with pytest.raises(ConfigError, match="invalid episode slug"):
        config.load_episode(show, slug)


def test_episode_without_audio(tmp_path: Path) -> None:
    make_show(tmp_path, episodes={"one": EPISODE.replace('audio = "audio.mp3"\n', "")})
    show = config.load_show(tmp_path)
    with pytest.raises(ConfigError, match=r"episode\.toml: audio: missing required field"):
        config.load_episode(show, "one")


def test_episode_audio_file_missing(tmp_path: Path) -> None:
    make_show(tmp_path, episodes={"one": EPISODE.replace("audio.mp3", "nope.mp3")})
    show = config.load_show(tmp_path)
    with pytest.raises(ConfigError, match="'nope.mp3' not found"):
        config.load_episode(show, "one")


def test_duplicate_guids(tmp_path: Path) -> None:
    make_show(tmp_path, episodes={"one": EPISODE, "two": EPISODE.replace("One", "Two")})
    show = config.load_show(tmp_path)
    with pytest.raises(ConfigError, match="guid 'g-1' is used by episodes 'one' and 'two'"):
        config.load_episodes(show)


def test_episodes_sorted_oldest_first(tmp_path: Path) -> None:
    later = EPISODE.replace("2026-01-02", "2026-02-02").replace("g-1", "g-2")
    make_show(tmp_path, episodes={"a-late": later, "b-early": EPISODE})
    show = config.load_show(tmp_path)
    assert [e.slug for e in config.load_episodes(show)] == ["b-early", "a-late"]


def test_missing_show_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="show.toml not found"):
        config.load_show(tmp_path)


# ---------------------------------------------------------------- pseudo-localization has its own code

def test_pseudo_code_and_alias_accepted(tmp_path: Path) -> None:
    text = SHOW.replace('target_languages = ["es", "pt_br"]', 'target_languages = ["es", "en-XA"]')
    show = config.load_show(make_show(tmp_path, text + "offer_pseudo = true\n"))
    assert show.target_languages == ("es", "qps-ploc")
    assert show.offer_pseudo is True
    from toolkit.translate.registry import engine_name_for

    assert engine_name_for(show, "qps-ploc") == "pseudo"  # always, whatever the default engine
    (tmp_path / "plain").mkdir()
    assert config.load_show(make_show(tmp_path / "plain")).offer_pseudo is False


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        (("engines = { es = \"apertium\" }", "engines = { es = \"apertium\", fr = \"pseudo\" }"),
         "translation.engines.fr", '"pseudo" would publish test text as French'),
        (("engines = { es = \"apertium\" }", "engines = { pt_br = \"pseudo\" }"),
         "translation.engines.pt_br", '"pseudo" would publish test text as Portuguese (Brazil)'),
        (("engine = \"argos\"", "engine = \"pseudo\""),
         "translation.engine", '"pseudo" would publish test text as Portuguese (Brazil)'),
        (("engines = { es = \"apertium\" }", "engines = { qps-ploc = \"argos\" }"),
         "translation.engines.qps-ploc", 'its engine is always "pseudo"'),
        (("language = \"en\"", "language = \"qps-ploc\""),
         "language", "pseudo-localization, not the language of the audio"),
        (("engine = \"argos\"", "engine = \"argos\"\noffer_pseudo = \"yes\""),
         "translation.offer_pseudo", "must be true or false"),
    ],
)
def test_pseudo_misuse_is_a_config_error(tmp_path: Path, change: tuple[str, str], key: str,
                                         expected: str) -> None:
    old, new = change
    assert old in SHOW
    make_show(tmp_path, SHOW.replace(old, new))
    with pytest.raises(ConfigError) as err:
        config.load_show(tmp_path)
    message = str(err.value)
    assert message.startswith(str(tmp_path / "show.toml") + ": " + key + ": "), message
    assert expected in message and "\n" not in message


def test_default_pseudo_engine_is_fine_without_a_real_target(tmp_path: Path) -> None:
    text = SHOW.replace('target_languages = ["es", "pt_br"]', 'target_languages = ["qps-ploc"]')
    show = config.load_show(make_show(tmp_path, text.replace('engine = "argos"', 'engine = "pseudo"')))
    assert show.target_languages == ("qps-ploc",)


def test_pseudo_for_a_real_language_stops_publish_with_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    make_show(tmp_path, SHOW.replace('engines = { es = "apertium" }', 'engines = { fr = "pseudo" }'))
    run = subprocess.run([sys.executable, "-m", "toolkit", "publish", "--root", str(tmp_path)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode != 0
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert "show.toml" in lines[0] and "translation.engines.fr" in lines[0] and "qps-ploc" in lines[0]
    assert not (tmp_path / "feeds").exists()


def test_lang_override_cannot_make_pseudo_a_real_language(tmp_path: Path) -> None:
    import subprocess
    import sys

    text = SHOW.replace('target_languages = ["es", "pt_br"]', 'target_languages = ["qps-ploc"]')
    make_show(tmp_path, text.replace('engines = { es = "apertium" }', "").replace('engine = "argos"',
                                                                              'engine = "pseudo"'))
    run = subprocess.run([sys.executable, "-m", "toolkit", "publish", "--root", str(tmp_path), "--lang", "fr"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode != 0
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--lang fr" in lines[0] and "show.toml" in lines[0], run.stderr
    assert not (tmp_path / "feeds").exists()
