import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from laborwatch.parsers.feeds import FeedParseError, parse_feed, strip_doctype_subset

SAMPLE_FEED = Path(__file__).resolve().parents[2] / "data" / "samples" / "labor-news.xml"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Test &amp; Feed</title>
<item><title>First</title><link>/stories/1</link><guid isPermaLink="false">g1</guid>
<pubDate>Tue, 12 Mar 2024 09:05:00 -0500</pubDate><author>a@example.org (Ann)</author>
<description>Short summary</description>
<content:encoded><![CDATA[<p>Full text with 350 workers.</p>]]></content:encoded></item>
<item><title>Second</title><link>https://ex.org/2</link>
<description>Only a summary</description></item>
</channel></rss>"""


def test_parse_rss_entries() -> None:
    feed = parse_feed(RSS, base_url="https://ex.org/feed.xml")
    assert feed.title == "Test & Feed" and feed.bozo_error is None
    first, second = feed.entries
    assert first.title == "First" and first.guid == "g1"
    assert first.link == "https://ex.org/stories/1"  # relative link resolved against base_url
    assert first.published == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)
    assert first.content == "<p>Full text with 350 workers.</p>"
    assert first.summary == "Short summary"
    assert (first.position, second.position) == (0, 1)
    assert (
        second.content is None and second.published is None and second.summary == "Only a summary"
    )


def test_parse_atom() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
    <entry><title type="html">Cuts &amp;lt;b&amp;gt;deep&amp;lt;/b&amp;gt;</title>
    <id>urn:1</id><updated>2024-05-01T10:00:00+02:00</updated>
    <link href="https://ex.org/a"/>
    <content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"""
    (entry,) = parse_feed(atom).entries
    assert entry.guid == "urn:1" and entry.link == "https://ex.org/a"
    assert entry.published == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert entry.content == "<p>Body</p>"


def test_sample_feed_is_a_clean_feed_with_four_dated_items() -> None:
    feed = parse_feed(SAMPLE_FEED.read_bytes())
    assert feed.bozo_error is None
    assert len(feed.entries) == 4
    assert all(e.published and e.published.year == 2024 for e in feed.entries)
    assert "will lay off 350 workers" in (feed.entries[0].content or "")
    assert "nearly 420 workers" in (feed.entries[2].content or "")


def test_ill_formed_feed_recovers_with_bozo_error() -> None:
    broken = (
        b"<rss version='2.0'><channel><title>T</title><item><title>A & B</title>"
        b"<link>https://ex.org/x</link></item></channel></rss>"
    )
    feed = parse_feed(broken)
    assert feed.bozo_error and "SAXParseException" in feed.bozo_error
    assert [e.title for e in feed.entries] == ["A & B"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<html><body><p>Not a feed</p></body></html>", "not_xml_or_feed"),
        (b'{"dependencies": {}}', "not_a_feed"),  # JSON, but not a JSON Feed
        (bytes(range(256)) * 4, "not_xml_or_feed"),
    ],
)
def test_not_a_feed_raises_clear_error(data: bytes, code: str) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(data)
    assert caught.value.code == code
    assert str(caught.value)


def test_str_input_is_refused() -> None:
    with pytest.raises(TypeError, match="bytes"):
        parse_feed("/etc/passwd")  # type: ignore[arg-type]


def test_doctype_internal_subset_is_stripped_but_doctype_kept() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE rss PUBLIC "-//Netscape" "x.dtd" '
        b'[ <!ENTITY a "]>not the end"> <!-- ] --> ]>\n<rss version="0.91"><channel/></rss>'
    )
    stripped = strip_doctype_subset(data)
    assert stripped == (
        b'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE rss PUBLIC "-//Netscape" "x.dtd" >\n'
        b'<rss version="0.91"><channel/></rss>'
    )
    assert strip_doctype_subset(b"<rss><!DOCTYPE x [<!ENTITY a 'b'>]></rss>") == (
        b"<rss><!DOCTYPE x [<!ENTITY a 'b'>]></rss>"
    )  # only the prolog is touched


def test_doctype_subset_stripped_in_utf16() -> None:
    text = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "b">]><rss/>'
    stripped = strip_doctype_subset(text.encode("utf-16"))
    assert stripped.decode("utf-16") == '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r ><rss/>'


def test_quadratic_blowup_is_fast() -> None:
    entity = "x" * 50_000
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{entity}">]>'
        f'<rss version="2.0"><channel><title>{"&a;" * 20_000}</title>'
        "<item><title>T</title></item></channel></rss>"
    ).encode()
    started = time.perf_counter()
    try:
        feed = parse_feed(data)
    except FeedParseError:
        pass
    else:
        assert len(feed.title or "") < 200_000  # the entity was not expanded
    assert time.perf_counter() - started < 1.0


def test_impossible_publish_dates_are_unknown() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><title>a</title><link>https://x.example/a</link>
      <pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item>
    <item><title>b</title><link>https://x.example/b</link>
      <pubDate>Mon, 01 Jan 1800 00:00:00 GMT</pubDate></item>
    <item><title>c</title><link>https://x.example/c</link>
      <pubDate>Tue, 12 Mar 2024 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    assert [e.published for e in parse_feed(rss).entries] == [
        None,
        None,
        datetime(2024, 3, 12, 10, 0, tzinfo=UTC),
    ]
    json_feed = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": ['
        b'{"id": "1", "content_text": "x", "date_published": "9999-12-31T23:59:59Z"}]}'
    )
    assert [e.published for e in parse_feed(json_feed).entries] == [None]
