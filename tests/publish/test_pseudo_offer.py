"""Pseudo-localization (``qps-ploc``) is published for the producer but offered to no
listener: no language switcher, show-page row, feed list, feed alternate or
``podcast:transcript`` names it -- unless the show asks (``offer_pseudo``), and
then it is labelled a layout test.  ``toolkit check`` catches a site that offers
it anyway, or publishes pseudo text under a real language's code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from support.sitekit import make_result, make_show, write_episode_files, write_show_files
from toolkit import langs
from toolkit.check import lint
from toolkit.model import Show
from toolkit.publish import feed

NS = feed.NS
PLOC = langs.PSEUDO


def publish(show: Show) -> Show:
    results = [make_result(show, "ep-one", langs={"es": "machine", PLOC: "pseudo"}, number=1, guid="fn-1")]
    for r in results:
        write_episode_files(show, r)
    write_show_files(show, results)
    return show


@pytest.fixture()
def hidden(tmp_path: Path) -> Show:
    return publish(make_show(tmp_path / "show"))


@pytest.fixture()
def offered(tmp_path: Path) -> Show:
    return publish(make_show(tmp_path / "show", offer_pseudo=True))


def switcher(page: Path) -> list[tuple[str, str]]:
    doc = lxml.html.parse(str(page)).getroot()
    return [(a.get("hreflang"), " ".join(a.text_content().split())) for a in doc.xpath('//nav[contains(@class, "langs")]//a')]


def hreflangs(page: Path) -> set[str]:
    doc = lxml.html.parse(str(page)).getroot()
    return {el.get("hreflang") for el in doc.iter("a", "link") if el.get("hreflang")}


def feed_langs(path: Path) -> tuple[set[str], set[str]]:
    """(podcast:transcript languages, atom alternate hreflangs) of a feed."""
    channel = etree.parse(str(path)).getroot().find("channel")
    transcripts = {t.get("language") for t in channel.iterfind("item/podcast:transcript", NS)}
    alternates = {a.get("hreflang") for a in channel.iterfind("atom:link", NS) if a.get("rel") == "alternate"}
    return transcripts, alternates


def test_pseudo_pages_are_published_and_labelled(hidden: Show) -> None:
    folder = hidden.feeds_dir / "episodes" / "ep-one" / PLOC
    for name in ("index.html", "transcript.vtt", "transcript.srt", "transcript.json"):
        assert (folder / name).is_file(), name
    page = lxml.html.parse(str(folder / "index.html")).getroot()
    assert page.get("lang") == "en-XA"  # pseudo-English for screen readers and checkers ("qps" is private use)
    (notice,) = page.find_class("notice")
    assert "pseudo" in notice.get("class") and "layout test" in notice.text_content()
    assert page.xpath('//meta[@name="robots"]')[0].get("content") == "noindex"
    assert "Pseudo-localization, not a translation" in (folder / "transcript.vtt").read_text(encoding="utf-8")
    # the producer can still switch languages from the test page
    assert (PLOC, f"{langs.PSEUDO_NAME} layout test") in switcher(folder / "index.html")
    assert (hidden.feeds_dir / PLOC / "index.html").is_file() and (hidden.feeds_dir / PLOC / "feed.xml").is_file()


def test_listener_pages_never_offer_pseudo(hidden: Show) -> None:
    feeds = hidden.feeds_dir
    pages = [feeds / "episodes/ep-one/en/index.html", feeds / "episodes/ep-one/es/index.html",
             feeds / "index.html", feeds / "es/index.html"]
    for page in pages:
        assert PLOC not in hreflangs(page), page
        assert [lang for lang, _ in switcher(page)] == ["en", "es"], page
        assert "qps-ploc" not in page.read_text(encoding="utf-8"), page
    show_page = lxml.html.parse(str(feeds / "index.html")).getroot()
    assert show_page.find_class("pseudo") == []


def test_feeds_never_offer_pseudo(hidden: Show) -> None:
    for path in ("feed.xml", "es/feed.xml"):
        transcripts, alternates = feed_langs(hidden.feeds_dir / path)
        assert PLOC not in transcripts and PLOC not in alternates, path
    own = etree.parse(str(hidden.feeds_dir / PLOC / "feed.xml")).getroot().find("channel")
    assert own.findtext("itunes:block", namespaces=NS) == "Yes"
    assert own.findtext("podcast:block", namespaces=NS) == "yes"
    assert lint.lint_show(hidden) == []


def test_offer_pseudo_lists_it_labelled_as_a_layout_test(offered: Show) -> None:
    feeds = offered.feeds_dir
    for page in (feeds / "episodes/ep-one/en/index.html", feeds / "index.html"):
        assert (PLOC, f"{langs.PSEUDO_NAME} layout test") in switcher(page), page
    transcripts, alternates = feed_langs(feeds / "feed.xml")
    assert PLOC in transcripts and PLOC in alternates
    main = etree.parse(str(feeds / "feed.xml")).getroot().find("channel")
    (alt,) = [a for a in main.iterfind("atom:link", NS) if a.get("hreflang") == PLOC]
    assert alt.get("title") == langs.PSEUDO_NAME
    own = etree.parse(str(feeds / PLOC / "feed.xml")).getroot().find("channel")
    assert own.findtext("itunes:block", namespaces=NS) == "Yes"  # offered, still never in a directory
    assert lint.lint_show(offered) == []


def test_check_reports_pseudo_offered_without_asking(offered: Show) -> None:
    """The site of `offer_pseudo = true`, checked against a show that no longer asks for it."""
    issues = lint.lint_show(dataclasses.replace(offered, offer_pseudo=False))
    text = "\n".join(str(i) for i in issues)
    assert "lists the qps-ploc feed as an alternate" in text
    assert "the qps-ploc transcript is listed" in text
    assert "a listener's page links to the qps-ploc build" in text
    assert all("offer_pseudo = true" in i.message for i in issues)


def test_check_reports_pseudo_text_under_a_real_language(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    result = make_result(show, "ep-one", langs={"fr": "pseudo"})
    write_episode_files(show, result)
    write_show_files(show, [result])
    issues = [str(i) for i in lint.lint_show(show)]
    assert any("pseudo-localization is published as 'fr', a real language" in i for i in issues), issues
