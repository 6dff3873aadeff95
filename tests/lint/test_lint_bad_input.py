"""Bad input for publishing (issue 3's list): each is a one-line ToolkitError
naming what and where — from show.toml through to the published site."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from support.sitekit import make_cover, make_result, write_episode_files
from toolkit import config
from toolkit.check import lint
from toolkit.errors import ConfigError

SHOW = textwrap.dedent(
    """\
    title = "Field Notes"
    description = "Stories."
    author = "Studio"
    base_url = "https://example.org/podcast"
    language = "en"
    categories = ["Technology"]
    image = "cover.png"
    [owner]
    name = "Ana"
    email = "ana@example.org"
    [translation]
    engine = "pseudo"
    """
)


def write_show(root: Path, text: str = SHOW, *, cover: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "show.toml").write_text(text, encoding="utf-8")
    if cover:
        make_cover(root / "cover.png")
    return root


@pytest.mark.parametrize("field", ["title", "description", "author", "base_url", "language", "image"])
def test_missing_show_field_names_field_and_file(tmp_path: Path, field: str) -> None:
    text = "\n".join(line for line in SHOW.splitlines() if not line.startswith(f"{field} ="))
    root = write_show(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        config.load_show(root)
    assert str(root / "show.toml") in str(err.value)
    assert f"{field}: missing required field" in str(err.value)


@pytest.mark.parametrize("old, new, expected", [
    ('categories = ["Technology"]', 'categories = ["Podcasting"]', "unknown Apple Podcasts category 'Podcasting'"),
    ('categories = ["Technology"]', 'categories = ["Technology > Gadgets"]', "'Gadgets' is not a sub-category"),
    ('language = "en"', 'language = "english"', "invalid language code 'english' for language"),
    ('language = "en"', 'language = "xx"', "unknown language code 'xx'"),
    ('base_url = "https://example.org/podcast"', 'base_url = "example.org/podcast"',
     "base_url: 'example.org/podcast' must be an absolute http(s) URL"),
    ('base_url = "https://example.org/podcast"', 'base_url = "ftp://example.org/podcast"',
     "must be an absolute http(s) URL"),
])
def test_bad_show_values(tmp_path: Path, old: str, new: str, expected: str) -> None:
    root = write_show(tmp_path, SHOW.replace(old, new))
    with pytest.raises(ConfigError) as err:
        config.load_show(root)
    assert expected in str(err.value)
    assert str(root / "show.toml") in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("size, fmt, name, expected", [
    ((600, 600), "PNG", "cover.png", "600×600 px; it must be between 1400 and 3000 px"),
    ((1400, 1400), "GIF", "cover.png", "GIF image; Apple Podcasts needs JPEG or PNG"),
    ((2000, 1400), "JPEG", "cover.png", "a JPEG file named '.png'"),
])
def test_wrong_image_stops_publishing_and_lints(tmp_path: Path, size, fmt, name, expected) -> None:
    root = write_show(tmp_path, cover=False)
    make_cover(root / name, size=size, fmt=fmt)
    show = config.load_show(root)
    result = make_result(show, "ep-one")
    with pytest.raises(ConfigError) as err:
        write_episode_files(show, result)
    assert str(err.value).startswith(f"{root / 'show.toml'}: image: cover.png: {expected}")
    assert not show.feeds_dir.exists()  # nothing written
    assert expected in "\n".join(str(i) for i in lint.lint_show(show))


def test_two_episodes_with_the_same_guid(tmp_path: Path) -> None:
    root = write_show(tmp_path)
    show = config.load_show(root)
    make_result(show, "ep-one", guid="same")
    make_result(show, "ep-two", guid="same")
    with pytest.raises(ConfigError, match="guid 'same' is used by episodes 'ep-one' and 'ep-two'"):
        config.load_episodes(show)
    issues = lint.lint_show(show)
    assert any("guid 'same' is used by episodes" in i.message and i.path.endswith("episode.toml")
               for i in issues)


def test_episode_without_audio(tmp_path: Path) -> None:
    root = write_show(tmp_path)
    show = config.load_show(root)
    result = make_result(show, "ep-one")
    toml = result.source.episode.folder / "episode.toml"
    toml.write_text("\n".join(x for x in toml.read_text(encoding="utf-8").splitlines()
                              if not x.startswith("audio =")), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config.load_episode(show, "ep-one")
    assert f"{toml}: audio: missing required field" in str(err.value)


def test_slugs_are_folder_names_so_two_episodes_never_share_one(tmp_path: Path) -> None:
    # The slug is the folder name: the file system itself rules out duplicates,
    # and config rejects any slug that could alias another (case, '/', '..').
    for slug in ("Ep-One", "ep/one", "../ep-one"):
        with pytest.raises(ConfigError, match="invalid episode slug"):
            config.check_slug(slug)
