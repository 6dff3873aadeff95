"""toolkit.check.lint: a cleanly published show lints clean; every check catches the
mutation it is for (each test breaks one thing in real published output)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from support.sitekit import make_cover, make_result, make_show, write_episode_files, write_show_files
from toolkit.check import lint
from toolkit.findings import Finding
from toolkit.publish import feed

NS = feed.NS


@pytest.fixture()
def published(tmp_path: Path):
    """A show with two episodes (en + machine es + pseudo qps-ploc), published."""
    show = make_show(tmp_path / "show")
    results = [make_result(show, "ep-one", langs={"es": "machine", "qps-ploc": "pseudo"}, number=1, guid="fn-1"),
               make_result(show, "ep-two", langs={"es": "machine"}, number=2,
                           date=dt.datetime(2026, 3, 8, 9, tzinfo=dt.timezone.utc))]
    for r in results:
        write_episode_files(show, r)
    write_show_files(show, results)
    return show


def messages(issues: list[Finding], severity: str = "error") -> str:
    return "\n".join(str(i) for i in issues if i.severity == severity)


def edit_feed(show, path: str, change: Callable[[etree._Element], None]) -> None:
    target = show.feeds_dir / path
    root = etree.parse(str(target)).getroot()
    change(root.find("channel"))
    target.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def first_item(channel: etree._Element) -> etree._Element:
    return channel.find("item")


def transcript(channel: etree._Element, lang: str, ttype: str) -> etree._Element:
    for tr in first_item(channel).findall("podcast:transcript", NS):
        if tr.get("language") == lang and tr.get("type") == ttype:
            return tr
    raise AssertionError(f"no {lang} {ttype} transcript")


def test_clean_show_has_no_issues(published) -> None:
    assert lint.lint_show(published) == []


def test_no_feed_published(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    issues = lint.lint_show(show)
    assert messages(issues) == ""  # not an error: check runs before the first publish too
    assert "no feed published yet" in messages(issues, "warning")


def test_transcript_type_not_allowed(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: transcript(ch, "en", "application/x-subrip").set(
        "type", "application/srt"))
    assert "type 'application/srt' is not allowed" in messages(lint.lint_show(published))


def test_captions_only_on_timed_formats(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: transcript(ch, "en", "text/html").set("rel", "captions"))
    assert "rel=\"captions\" is only for timed formats" in messages(lint.lint_show(published))


def test_transcript_without_language(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: transcript(ch, "es", "text/vtt").attrib.pop("language"))
    assert "podcast:transcript without language" in messages(lint.lint_show(published))


def test_transcript_language_does_not_match_the_file(published) -> None:
    edit_feed(published, "es/feed.xml", lambda ch: transcript(ch, "es", "text/vtt").set("language", "de"))
    assert "language='de' but the file is the 'es' transcript" in messages(lint.lint_show(published))


def test_html_page_language_mismatch(published) -> None:
    page = published.feeds_dir / "episodes" / "ep-two" / "es" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'lang="es"' in html
    page.write_text(html.replace('lang="es"', 'lang="en"', 1), encoding="utf-8")
    assert "language='es' but index.html says it is 'en'" in messages(lint.lint_show(published))


def test_language_folder_not_in_the_manifest(published) -> None:
    manifest = published.feeds_dir / "episodes" / "ep-two" / "episode.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["languages"] = [x for x in data["languages"] if x["lang"] != "es"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert "in a 'es' folder the episode does not publish" in messages(lint.lint_show(published))


def test_enclosure_length_must_be_file_size(published) -> None:
    audio = published.feeds_dir / "episodes" / "ep-two" / "audio.mp3"
    audio.write_bytes(audio.read_bytes() + b"\0")
    text = messages(lint.lint_show(published))
    assert f"but audio.mp3 is {audio.stat().st_size} bytes" in text


def test_enclosure_type_must_be_apple_allowed(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: first_item(ch).find("enclosure").set("type", "audio/wav"))
    assert "enclosure type 'audio/wav' is not one Apple Podcasts accepts" in messages(lint.lint_show(published))


def test_missing_published_file(published) -> None:
    (published.feeds_dir / "episodes" / "ep-two" / "es" / "transcript.srt").unlink()
    assert "transcript.srt is not published" in messages(lint.lint_show(published))


def test_url_outside_base_url(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: first_item(ch).find("enclosure").set(
        "url", "https://elsewhere.example/a.mp3"))
    assert "is not under base_url" in messages(lint.lint_show(published))


@pytest.mark.parametrize("size, mode, fmt, expected", [
    ((1200, 1200), "RGB", "PNG", "between 1400 and 3000"),
    ((1400, 1600), "RGB", "PNG", "not square"),
    ((1400, 1400), "P", "PNG", "colour mode P"),
    ((1400, 1400), "RGB", "GIF", "needs JPEG or PNG"),
])
def test_cover_image(published, size, mode, fmt, expected) -> None:
    make_cover(published.image, size=size, mode=mode, fmt=fmt)
    make_cover(published.feeds_dir / published.image.name, size=size, mode=mode, fmt=fmt)
    issues = lint.lint_show(published)
    text = messages(issues)
    assert expected in text
    paths = {i.path for i in issues}
    assert str(published.config_path) in paths  # the configuration …
    assert str((published.feeds_dir / published.image.name).resolve()) in paths  # … and the published copy


def test_chapters_descending_and_without_version(published) -> None:
    path = published.feeds_dir / "episodes" / "ep-two" / "en" / "chapters.json"
    path.write_text(json.dumps({"chapters": [{"startTime": 5, "title": "b"}, {"startTime": 1.5, "title": "a"}]}),
                    encoding="utf-8")
    text = messages(lint.lint_show(published))
    assert "needs a 'version' string" in text
    assert "chapter 2: startTime 1.5 is not after the previous 5.0" in text


def test_chapters_wrong_type(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: first_item(ch).find("podcast:chapters", NS).set(
        "type", "application/json"))
    assert "must be application/json+chapters" in messages(lint.lint_show(published))


def test_duplicate_item_guids(published) -> None:
    def dup(ch: etree._Element) -> None:
        items = ch.findall("item")  # newest first: ep-two, then ep-one (guid fn-1)
        items[0].find("guid").text = items[1].find("guid").text

    edit_feed(published, "feed.xml", dup)
    assert "guid 'fn-1' is also used by item 'Episode ep-two'" in messages(lint.lint_show(published))


def test_duplicate_podcast_guid_across_feeds(published) -> None:
    main_guid = etree.parse(str(published.feeds_dir / "feed.xml")).getroot().findtext(
        "channel/podcast:guid", namespaces=NS)
    edit_feed(published, "es/feed.xml", lambda ch: setattr(ch.find("podcast:guid", NS), "text", main_guid))
    assert f"podcast:guid {main_guid} is also the guid of" in messages(lint.lint_show(published))


def test_item_guid_reused_across_feeds(published) -> None:
    main_guid = etree.parse(str(published.feeds_dir / "feed.xml")).getroot().findtext("channel/item/guid")
    edit_feed(published, "es/feed.xml", lambda ch: setattr(first_item(ch).find("guid"), "text", main_guid))
    assert f"guid {main_guid!r} is also used by item" in messages(lint.lint_show(published))


def test_description_longer_than_4000_bytes(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show", description="é" * 2001)  # 4002 bytes, 2001 characters
    result = make_result(show, "ep-one", description="x" * 4001)
    write_episode_files(show, result)
    write_show_files(show, [result])
    text = messages(lint.lint_show(show))
    assert "<description> is 4002 bytes; Apple allows 4000" in text
    assert "<description> is 4001 bytes; Apple allows 4000" in text


def test_vtt_and_srt_line_lengths(published) -> None:
    folder = published.feeds_dir / "episodes" / "ep-two" / "en"
    (folder / "transcript.vtt").write_text(
        "WEBVTT\n\nNOTE a note line that is long long long long long long long long long long long\n\n"
        "c1\n00:00:00.000 --> 00:00:01.000\n<v Ana>" + "a" * 66 + "\n", encoding="utf-8")
    (folder / "transcript.srt").write_text(
        "1\n00:00:00,000 --> 00:00:01,000\none\ntwo\nthree\n\n2\n00:00:01,000 --> 00:00:02,000\n"
        + "b" * 40 + "\n", encoding="utf-8")
    issues = lint.lint_show(published)
    assert "1 cue line(s) longer than 65 characters (longest 66)" in messages(issues)
    assert "1 cue(s) with more than 2 lines" in messages(issues)
    assert "1 line(s) longer than 32 characters (longest 40" in messages(issues, "warning")


def test_itunes_explicit_and_category(published) -> None:
    def change(ch: etree._Element) -> None:
        ch.find("itunes:explicit", NS).text = "yes"
        ch.find("itunes:category", NS).set("text", "Podcasts About Podcasts")

    edit_feed(published, "feed.xml", change)
    text = messages(lint.lint_show(published))
    assert "itunes:explicit is 'yes'" in text
    assert "itunes:category 'Podcasts About Podcasts'" in text


def test_channel_language_invalid(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: setattr(ch.find("language"), "text", "english"))
    assert "channel <language> 'english' is not a valid language code" in messages(lint.lint_show(published))


def test_malformed_feed(published) -> None:
    (published.feeds_dir / "es" / "feed.xml").write_text("<rss><channel>", encoding="utf-8")
    assert "not well-formed XML" in messages(lint.lint_show(published))


def test_duplicate_episode_guids_in_config(published) -> None:
    toml = published.episodes_dir / "ep-two" / "episode.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[speakers]", 'guid = "fn-1"\n[speakers]'),
                    encoding="utf-8")
    assert "guid 'fn-1' is used by episodes 'ep-one' and 'ep-two'" in messages(lint.lint_show(published))


def test_leading_spaces_in_title(published) -> None:
    edit_feed(published, "feed.xml", lambda ch: setattr(first_item(ch).find("title"), "text", " Padded"))
    assert "<title> has leading or trailing spaces" in messages(lint.lint_show(published))


def test_lint_issue_renders_severity_path_and_where() -> None:
    issue = Finding("warning", lint.RULE, "bad", path="feeds/feed.xml", where="item 'x'")
    assert str(issue) == "warning: feeds/feed.xml: item 'x': bad"


def test_toolkit_check_reports_published_issues(published) -> None:
    from toolkit.check import published_feeds
    from toolkit.cli.check import render

    audio = published.feeds_dir / "episodes" / "ep-two" / "audio.mp3"
    audio.write_bytes(audio.read_bytes()[:-10])
    lines = [render(f) for f in published_feeds(published)]
    assert any(line.startswith("error") and "published: feeds/feed.xml: item 'Episode ep-two': enclosure length"
               in line for line in lines), lines
