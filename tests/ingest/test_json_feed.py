"""JSON Feed 1 and 1.1: parsed into the same entries as RSS and Atom, read from a file and over
HTTP, and rejected clearly when it is not one."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from laborwatch.ingest.http import Fetcher
from laborwatch.ingest.sources import read_source
from laborwatch.parsers.feeds import FeedParseError, parse_feed
from tests.support.servers import LocalHTTPServer, Response

CORPUS_EXAMPLE = Path("/work/shared/corpus/feeds/feedparser/tests/json/example.json")

FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Toledo <b>Labor</b> Desk",
    "feed_url": "https://news.example.org/labor/feed.json",
    "items": [
        {
            "id": 2024031201,
            "url": "/labor/harlow-axle",
            "title": "Harlow Axle to close Toledo plant",
            "content_html": "<p>Harlow Axle Co. will lay off 350 workers.</p><script>x()</script>",
            "date_published": "2024-03-12T09:05:00-05:00",
            "date_modified": "2024-03-12T15:00:00Z",
            "authors": [{"name": "Ann Reporter"}, {"name": "Bo Editor"}],
        },
        {
            "id": "note-2",
            "external_url": "https://other.example.com/story",
            "content_text": "Plain text: 3 < 4 and <script>alert(1)</script> is dropped.",
            "author": {"name": "Old Style"},
        },
        "not an item",
    ],
}


def test_json_feed_items_become_entries() -> None:
    feed = parse_feed(json.dumps(FEED).encode(), base_url="https://ignored.example/")
    assert feed.title == "Toledo <b>Labor</b> Desk" and feed.bozo_error is None
    first, second = feed.entries
    assert first.guid == "2024031201" and first.position == 0
    assert first.link == "https://news.example.org/labor/harlow-axle"  # against feed_url
    assert first.published == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)
    assert first.updated == datetime(2024, 3, 12, 15, 0, tzinfo=UTC)
    assert first.author == "Ann Reporter, Bo Editor"
    assert first.content is not None and "lay off 350 workers" in first.content
    assert second.link == "https://other.example.com/story" and second.author == "Old Style"
    assert second.content is not None and "&lt;script&gt;" in second.content  # escaped text


def test_a_json_feed_file_is_read_as_a_feed_with_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "labor.json"
    path.write_text(json.dumps(FEED), encoding="utf-8")
    batch = read_source(str(path), fetcher=None, state=None, fetch_pages=False)
    assert batch.errors == []
    first, second = batch.articles
    assert first.title == "Harlow Axle to close Toledo plant"
    assert first.text == "Harlow Axle Co. will lay off 350 workers."  # the script is gone
    # Text stays text ("3 < 4"); markup-looking text never reaches an alert, as for RSS.
    assert "Plain text: 3 < 4 and" in second.text and "<script>" not in second.text
    assert first.fingerprint and first.fingerprint != second.fingerprint


def test_a_json_feed_over_http(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.routes["/feed.json"] = Response(
        200, json.dumps(FEED).encode(), {"Content-Type": "application/feed+json"}
    )
    batch = read_source(server.url("/feed.json"), fetcher=make_fetcher(), state=None)
    assert batch.errors == [] and len(batch.articles) == 2


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"version": "https://jsonfeed.org/version/1", "items": [', "invalid_json"),
        (b'{"name": "a package.json, not a feed"}', "not_a_feed"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "not_a_feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": []}', None),
        (b'{"version": "1.1", "items": []}', None),  # a bare version number, as gofeed writes
        (b'{"version": "2.0", "items": []}', "not_a_feed"),
        (b"{" * 100_000, "invalid_json"),  # nesting too deep for the parser
        (b'{"title": "\xff\xfe"}', "encoding_error"),
    ],
)
def test_json_that_is_not_a_json_feed_is_a_clear_error(data: bytes, code: str | None) -> None:
    if code is None:
        assert parse_feed(data).entries == []
        return
    with pytest.raises(FeedParseError) as raised:
        parse_feed(data)
    assert raised.value.code == code and str(raised.value).startswith("not a feed")


def test_feedparser_s_own_json_feed_example_from_the_corpus() -> None:
    if not CORPUS_EXAMPLE.exists():
        pytest.skip(f"corpus not found at {CORPUS_EXAMPLE} (it lives in ../shared)")
    feed = parse_feed(CORPUS_EXAMPLE.read_bytes())
    assert feed.title == "My Example Feed" and len(feed.entries) == 2
