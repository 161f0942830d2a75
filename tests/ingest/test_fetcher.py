"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import zlib
from collections.abc import Callable

import brotli

from laborwatch.domain import FetchState
from laborwatch.ingest.http import Fetcher
from tests.ingest.conftest import TEST_USER_AGENT
from tests.support.servers import LocalHTTPServer, ReceivedRequest, Response, free_port

FEED = b"<rss version='2.0'><channel><title>T</title></channel></rss>"


def _gets(server: LocalHTTPServer, path: str) -> list[ReceivedRequest]:
    return [r for r in server.requests if r.method == "GET" and r.path == path]


def test_plain_fetch_sends_user_agent_and_hashes_body(
    server: LocalHTTPServer, fetcher: Fetcher
) -> None:
    server.routes["/feed"] = Response(200, FEED, {"Content-Type": "application/rss+xml"})
    result = fetcher.fetch(server.url("/feed"))
    assert result.ok and result.status == 200 and result.body == FEED
    assert result.content_type == "application/rss+xml"
    assert result.content_hash is not None and len(result.content_hash) == 64
    assert not result.not_modified
    headers = _gets(server, "/feed")[0].headers
    assert headers["user-agent"] == TEST_USER_AGENT
    assert "gzip" in headers["accept-encoding"] and "br" in headers["accept-encoding"]


def test_conditional_get_304_does_no_work(server: LocalHTTPServer, fetcher: Fetcher) -> None:
    def handler(request: ReceivedRequest) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(304, b"", {"ETag": '"v1"'})
        return Response(
            200, FEED, {"ETag": '"v1"', "Last-Modified": "Tue, 12 Mar 2024 10:00:00 GMT"}
        )

    server.routes["/feed"] = handler
    first = fetcher.fetch(server.url("/feed"))
    assert first.status == 200 and first.etag == '"v1"'
    state = FetchState(
        etag=first.etag, last_modified=first.last_modified, content_hash=first.content_hash
    )
    second = fetcher.fetch(server.url("/feed"), state=state)
    assert second.status == 304 and second.not_modified and second.body is None
    assert second.etag == '"v1"' and second.last_modified == first.last_modified
    sent = _gets(server, "/feed")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 12 Mar 2024 10:00:00 GMT"


def test_same_etag_but_changed_body_is_new_content(
    server: LocalHTTPServer, fetcher: Fetcher
) -> None:
    # A server that ignores validators and never changes its ETag: the hash decides.
    server.routes["/feed"] = Response(200, FEED, {"ETag": '"same"'})
    first = fetcher.fetch(server.url("/feed"))
    state = FetchState(etag=first.etag, content_hash=first.content_hash)
    server.routes["/feed"] = Response(200, FEED.replace(b"T<", b"Changed<"), {"ETag": '"same"'})
    second = fetcher.fetch(server.url("/feed"), state=state)
    assert second.status == 200 and not second.not_modified
    assert second.content_hash != first.content_hash


def test_same_body_with_new_etag_is_not_modified(server: LocalHTTPServer, fetcher: Fetcher) -> None:
    server.routes["/feed"] = Response(200, FEED, {"ETag": '"a"'})
    first = fetcher.fetch(server.url("/feed"))
    server.routes["/feed"] = Response(200, FEED, {"ETag": '"b"'})
    second = fetcher.fetch(
        server.url("/feed"), state=FetchState(etag='"a"', content_hash=first.content_hash)
    )
    assert second.status == 200 and second.not_modified
    assert second.etag == '"b"'  # the new validator is reported so the state can learn it


def test_size_cap_declared_and_streamed(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    fetcher = make_fetcher(max_bytes=1000)
    server.routes["/big"] = Response(200, b"x" * 5000)
    result = fetcher.fetch(server.url("/big"))
    assert result.error_kind == "soft" and "exceeds the 1000-byte limit" in (result.error or "")
    assert result.body is None
    # Chunked, so no size is declared up front: the cap applies while streaming.
    body = b"y" * 5000
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 500]), body[i : i + 500]) for i in range(0, 5000, 500)
    )
    server.routes["/stream"] = Response(
        200, chunked + b"0\r\n\r\n", {"Transfer-Encoding": "chunked"}
    )
    streamed = fetcher.fetch(server.url("/stream"))
    assert streamed.error_kind == "soft" and "1000-byte limit" in (streamed.error or "")
    server.routes["/small"] = Response(200, b"z" * 1000)
    assert fetcher.fetch(server.url("/small")).body == b"z" * 1000


def test_decompression_bombs_are_capped(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    fetcher = make_fetcher(max_bytes=100_000)
    huge = b"\0" * 50_000_000
    gz = gzip.compress(huge)
    br = brotli.compress(huge, quality=4)
    assert len(gz) < 100_000 and len(br) < 100_000  # small on the wire
    server.routes["/gz"] = Response(200, gz, {"Content-Encoding": "gzip"})
    server.routes["/br"] = Response(200, br, {"Content-Encoding": "br"})
    for path in ("/gz", "/br"):
        started = time.perf_counter()
        result = fetcher.fetch(server.url(path))
        assert result.error_kind == "soft", path
        assert "after decompression" in (result.error or ""), path
        assert time.perf_counter() - started < 2
    small = b"<rss>" + b"a" * 50_000 + b"</rss>"
    server.routes["/ok-gz"] = Response(200, gzip.compress(small), {"Content-Encoding": "gzip"})
    server.routes["/ok-br"] = Response(200, brotli.compress(small), {"Content-Encoding": "br"})
    server.routes["/ok-deflate"] = Response(
        200, zlib.compress(small), {"Content-Encoding": "deflate"}
    )
    raw = zlib.compressobj(wbits=-15)
    server.routes["/ok-raw-deflate"] = Response(
        200, raw.compress(small) + raw.flush(), {"Content-Encoding": "deflate"}
    )
    for path in ("/ok-gz", "/ok-br", "/ok-deflate", "/ok-raw-deflate"):
        assert fetcher.fetch(server.url(path)).body == small, path


def test_redirects_followed_then_limited(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    for hop in range(6):
        server.routes[f"/r{hop}"] = Response(302, b"", {"Location": f"/r{hop + 1}"})
    server.routes["/r6"] = Response(200, FEED)
    ok = make_fetcher(max_redirects=6).fetch(server.url("/r0"))
    assert ok.ok and ok.final_url == server.url("/r6") and ok.url == server.url("/r0")
    limited = make_fetcher(max_redirects=5).fetch(server.url("/r0"))
    assert limited.error_kind == "soft" and "too many redirects" in (limited.error or "")
    assert not limited.ok


def test_private_addresses_refused_directly_and_on_redirect(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    server.routes["/feed"] = Response(200, FEED)
    strict = make_fetcher(allowed_networks=())
    direct = strict.fetch(server.url("/feed"))
    assert direct.error_kind == "hard" and "non-public address (127.0.0.1)" in (direct.error or "")
    assert not server.requests  # refused before connecting
    via_name = strict.fetch(f"http://localhost:{server.port}/feed")
    assert via_name.error_kind == "hard" and not server.requests

    # 127.0.0.1 is allowed for the test server; a redirect to another private address is not.
    for target in ("http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://[::1]/"):
        server.routes["/hop"] = Response(302, b"", {"Location": target})
        result = make_fetcher().fetch(server.url("/hop"))
        assert result.error_kind == "hard", target
        assert "non-public address" in (result.error or ""), target
        assert result.final_url == target
    assert (
        make_fetcher(allow_private_addresses=True, allowed_networks=())
        .fetch(server.url("/feed"))
        .ok
    )


def test_unsupported_scheme_is_hard_error(fetcher: Fetcher) -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/feed", "not a url"):
        result = fetcher.fetch(url)
        assert result.error_kind == "hard" and result.status == 0, url


def test_retry_after_on_429_is_honoured(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    calls: list[float] = []

    def handler(request: ReceivedRequest) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response(429, b"slow down", {"Retry-After": "1"})
        return Response(200, FEED)

    server.routes["/feed"] = handler
    result = make_fetcher(retries=1).fetch(server.url("/feed"))
    assert result.ok and len(calls) == 2
    assert calls[1] - calls[0] >= 0.95

    server.routes["/later"] = Response(429, b"", {"Retry-After": "3600"})
    started = time.monotonic()
    later = make_fetcher(retries=2).fetch(server.url("/later"))
    assert later.error_kind == "temporary" and later.status == 429
    assert later.retry_after == 3600
    assert time.monotonic() - started < 1  # a long wait is reported, not slept
    assert len(_gets(server, "/later")) == 1


def test_transient_errors_retried_permanent_ones_not(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    count = {"n": 0}

    def flaky(request: ReceivedRequest) -> Response:
        count["n"] += 1
        return Response(503 if count["n"] < 3 else 200, FEED)

    server.routes["/flaky"] = flaky
    server.routes["/gone"] = Response(404, b"no")
    fetcher = make_fetcher(retries=2)
    assert fetcher.fetch(server.url("/flaky")).ok and count["n"] == 3
    gone = fetcher.fetch(server.url("/gone"))
    assert gone.error_kind == "hard" and gone.status == 404
    assert len(_gets(server, "/gone")) == 1
    count["n"] = -10
    exhausted = make_fetcher(retries=1).fetch(server.url("/flaky"))
    assert exhausted.error_kind == "temporary" and exhausted.status == 503
    server.routes["/bad"] = Response(400, b"bad")
    assert fetcher.fetch(server.url("/bad")).error_kind == "soft"


def test_total_timeout(server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]) -> None:
    def slow(request: ReceivedRequest) -> Response:
        time.sleep(1.5)
        return Response(200, FEED)

    server.routes["/slow"] = slow
    started = time.monotonic()
    result = make_fetcher(total_timeout=0.4).fetch(server.url("/slow"))
    elapsed = time.monotonic() - started
    assert result.error_kind == "temporary" and "timed out" in (result.error or "")
    assert elapsed < 1.2


def test_dead_port(make_fetcher: Callable[..., Fetcher]) -> None:
    result = make_fetcher().fetch(f"http://127.0.0.1:{free_port()}/feed")
    assert result.error_kind == "temporary" and result.status == 0
    assert "cannot connect" in (result.error or "")


def test_unresolvable_host(make_fetcher: Callable[..., Fetcher]) -> None:
    result = make_fetcher().fetch("http://no-such-host.invalid/feed")
    assert result.error_kind == "soft" and "cannot resolve host" in (result.error or "")


def test_error_messages_do_not_leak_query_secrets(
    server: LocalHTTPServer, fetcher: Fetcher
) -> None:
    server.routes["/private"] = Response(403, b"no")
    result = fetcher.fetch(server.url("/private?token=TOPSECRET123"))
    assert result.error_kind == "hard" and "TOPSECRET123" not in (result.error or "")
    dead = fetcher.fetch(f"http://user:PASSWORD9@127.0.0.1:{free_port()}/x?key=KEY77")
    assert "PASSWORD9" not in (dead.error or "") and "KEY77" not in (dead.error or "")


def test_fetch_many_keeps_order_and_per_host_limit(
    server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]
) -> None:
    lock = threading.Lock()
    active = {"now": 0, "max": 0}

    def handler(request: ReceivedRequest) -> Response:
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.15)
        with lock:
            active["now"] -= 1
        return Response(200, request.path.encode())

    for i in range(6):
        server.routes[f"/p{i}"] = handler
    fetcher = make_fetcher(per_host_concurrency=2, concurrency=8)
    results = fetcher.fetch_many([(server.url(f"/p{i}"), None) for i in range(6)])
    assert [r.body for r in results] == [f"/p{i}".encode() for i in range(6)]
    assert active["max"] == 2


def test_host_spacing(server: LocalHTTPServer, make_fetcher: Callable[..., Fetcher]) -> None:
    stamps: list[float] = []

    def handler(request: ReceivedRequest) -> Response:
        stamps.append(time.monotonic())
        return Response(200, FEED)

    server.routes["/s"] = handler
    fetcher = make_fetcher(host_spacing=0.2, per_host_concurrency=4)
    fetcher.fetch_many([(server.url("/s"), None)] * 3)
    stamps.sort()
    assert all(b - a >= 0.18 for a, b in itertools.pairwise(stamps))
