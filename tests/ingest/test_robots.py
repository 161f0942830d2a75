"""robots.txt for page fetches (protego), against a real HTTP server on 127.0.0.1: disallowed pages
are never requested and are logged, feeds are fetched as published, one robots.txt per host."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from laborwatch.ingest.http import Fetcher
from laborwatch.ingest.robots import RobotsPolicy, product_token, robots_url
from laborwatch.ingest.sources import read_source
from laborwatch.settings import FetchSettings, load_settings
from tests.support.servers import LocalHTTPServer, ReceivedRequest, Response

ROBOTS = b"""# ours is named; others are not our business
User-agent: otherbot
Disallow: /

User-agent: laborwatch
Disallow: /private/
Allow: /private/open.html

User-agent: *
Disallow: /everyone-else/
"""
PAGE = (
    b"<html><head><title>Plant closing</title></head><body><article><p>"
    + b"The plant will close and 420 workers will be laid off, the company said. " * 12
    + b"</p></article></body></html>"
)


def _gets(server: LocalHTTPServer, path: str) -> list[ReceivedRequest]:
    return [r for r in server.requests if r.method == "GET" and r.path == path]


def _serve_site(server: LocalHTTPServer) -> None:
    server.routes["/robots.txt"] = Response(200, ROBOTS, {"Content-Type": "text/plain"})
    for path in ("/private/story.html", "/private/open.html", "/public/story.html"):
        server.routes[path] = Response(200, PAGE, {"Content-Type": "text/html"})
    server.routes["/everyone-else/story.html"] = Response(200, PAGE, {"Content-Type": "text/html"})


def test_disallowed_page_is_not_requested_and_is_logged(
    server: LocalHTTPServer, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    _serve_site(server)
    with caplog.at_level(logging.INFO, logger="laborwatch.ingest.robots"):
        refused = fetcher.fetch(server.url("/private/story.html?token=HUSH"), page=True)
    assert refused.robots_disallowed and refused.body is None and refused.error is None
    assert _gets(server, "/private/story.html?token=HUSH") == []
    [line] = [r.getMessage() for r in caplog.records if r.name == "laborwatch.ingest.robots"]
    assert "skipped page" in line and "/private/story.html" in line and "robots.txt" in line
    assert "HUSH" not in line  # the log line shows the URL redacted

    allowed = fetcher.fetch(server.url("/public/story.html"), page=True)
    assert allowed.ok and allowed.body == PAGE and not allowed.robots_disallowed
    # Allow beats a shorter Disallow; a group for "*" does not apply when ours is named.
    assert fetcher.fetch(server.url("/private/open.html"), page=True).body == PAGE
    assert fetcher.fetch(server.url("/everyone-else/story.html"), page=True).body == PAGE


def test_one_robots_txt_per_host_even_for_concurrent_pages(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    _serve_site(server)
    fetcher = make_fetcher(concurrency=8, per_host_concurrency=4)
    urls = [server.url(f"/public/story.html?n={n}") for n in range(6)]
    urls += [server.url(f"/private/story.html?n={n}") for n in range(6)]
    results = fetcher.fetch_many([(url, None) for url in urls], pages=True)
    assert [r.robots_disallowed for r in results] == [False] * 6 + [True] * 6
    assert len(_gets(server, "/robots.txt")) == 1
    assert not [r for r in server.requests if r.path.startswith("/private/")]


def test_feeds_are_fetched_as_published(server: LocalHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = Response(200, b"User-agent: *\nDisallow: /\n")
    server.routes["/feed.xml"] = Response(200, b"<rss version='2.0'><channel/></rss>")
    assert fetcher.fetch(server.url("/feed.xml")).ok
    assert _gets(server, "/robots.txt") == []  # not even asked: feeds are not page fetches


def test_switch_off_fetches_every_page(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    _serve_site(server)
    fetcher = make_fetcher(respect_robots=False)
    assert fetcher.robots is None
    assert fetcher.fetch(server.url("/private/story.html"), page=True).body == PAGE
    assert _gets(server, "/robots.txt") == []


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (500, False)])
def test_missing_or_unreachable_robots_txt(
    server: LocalHTTPServer, fetcher: Fetcher, status: int, allowed: bool
) -> None:
    """RFC 9309: a 4xx robots.txt means no restrictions; a 5xx one means disallow for now."""
    server.routes["/robots.txt"] = Response(status, b"nope")
    server.routes["/page.html"] = Response(200, PAGE)
    result = fetcher.fetch(server.url("/page.html"), page=True)
    assert result.robots_disallowed is not allowed
    assert len(_gets(server, "/page.html")) == int(allowed)


def test_policy_cache_expires_per_host(server: LocalHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = Response(200, b"User-agent: laborwatch\nDisallow: /a\n")
    policy = RobotsPolicy(fetcher.fetch, "laborwatch/0.1 (+https://example.org)", max_age=0)
    assert not policy.allowed(server.url("/a"))
    server.routes["/robots.txt"] = Response(200, b"User-agent: laborwatch\nDisallow:\n")
    assert policy.allowed(server.url("/a"))  # max_age 0: read again
    assert len(_gets(server, "/robots.txt")) == 2


def test_product_token_and_robots_location() -> None:
    assert product_token("laborwatch/0.1 (+https://github.com/laborwatch/laborwatch)") == (
        "laborwatch"
    )
    assert robots_url("HTTPS://user:pw@News.Example.org:8443/a/b?c=d") == (
        "https://news.example.org:8443/robots.txt"
    )


def test_feed_links_to_disallowed_page_keep_their_summary(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher], caplog: pytest.LogCaptureFixture
) -> None:
    _serve_site(server)
    feed = f"""<rss version="2.0"><channel><title>Labor</title>
      <item><title>Closed</title><link>{server.url("/private/story.html")}</link>
        <description>The plant closes...</description></item>
      <item><title>Open</title><link>{server.url("/public/story.html")}</link>
        <description>Another plant closes...</description></item>
    </channel></rss>""".encode()
    server.routes["/feed.xml"] = Response(200, feed, {"Content-Type": "application/rss+xml"})
    with caplog.at_level(logging.INFO, logger="laborwatch.ingest.robots"):
        batch = read_source(server.url("/feed.xml"), fetcher=make_fetcher(), state=None)
    assert batch.errors == []
    closed, opened = batch.articles
    assert closed.text == "The plant closes..." and closed.page is None
    assert "420 workers" in opened.text
    assert _gets(server, "/private/story.html") == []
    assert any("skipped page" in r.getMessage() for r in caplog.records)


def test_article_source_disallowed_is_an_error(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    _serve_site(server)
    url = server.url("/private/story.html")
    batch = read_source(url, kind="articles", fetcher=make_fetcher(), state=None)
    assert batch.articles == []
    [error] = batch.errors
    assert "robots.txt disallows it" in error.message and error.kind == "fetch"
    assert _gets(server, "/private/story.html") == []


def test_respect_robots_setting(tmp_path: Path) -> None:
    assert FetchSettings().respect_robots is True
    config = tmp_path / "laborwatch.toml"
    config.write_text("[fetch]\nrespect_robots = false\n", encoding="utf-8")
    assert load_settings(config).fetch.respect_robots is False


def test_bad_page_url_is_reported_by_the_fetch(fetcher: Fetcher) -> None:
    result = fetcher.fetch("ftp://example.org/story", page=True)
    assert not result.robots_disallowed and result.error_kind == "hard"


def test_a_page_on_a_refused_address_reports_the_refusal_not_robots_txt(
    make_fetcher: Callable[..., Fetcher], server: LocalHTTPServer
) -> None:
    guarded = make_fetcher(allowed_networks=())  # 127.0.0.1 is not public: refused
    server.routes["/page.html"] = Response(200, PAGE)
    result = guarded.fetch(server.url("/page.html"), page=True)
    assert not result.robots_disallowed and result.error_kind == "hard"
    assert "non-public address" in (result.error or "")
    assert server.requests == []
